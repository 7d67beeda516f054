// A placeholder app: one window that shows the platform works. The real panels replace it.
#include "app/app.hpp"

#include <imgui.h>

#include "engine/network.hpp"

namespace bplab::app {

struct App {
  Options options;
  int frame_count = 0;
};

App* create(const Options& options) { return new App{options}; }

void frame(App& app) {
  ++app.frame_count;
  ImGui::SetNextWindowPos(ImVec2(40, 40), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(420, 180), ImGuiCond_FirstUseEver);
  ImGui::Begin("Backprop Lab");
  ImGui::TextUnformatted("Backpropagation, one layer at a time.");
  ImGui::Separator();
  ImGui::Text("Running %s, Dear ImGui %s", app.options.web ? "in the browser" : "on the desktop",
              ImGui::GetVersion());
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::Text("Display %.0f x %.0f, framebuffer scale %.2f", io.DisplaySize.x, io.DisplaySize.y,
              io.DisplayFramebufferScale.x);
  ImGui::Text("A [784, 30, 10] network has %lld weights and biases.",
              static_cast<long long>(bplab::parameter_count({784, 30, 10})));
  ImGui::Text("Frame %d, %.1f frames per second", app.frame_count, io.Framerate);
  ImGui::End();
}

bool wants_quit(const App&) { return false; }

void destroy(App* app) { delete app; }

}  // namespace bplab::app

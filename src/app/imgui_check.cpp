// What a failed Dear ImGui check does in the native builds (imgui_check.hpp).
#include "app/imgui_check.hpp"

#include <cstdio>
#include <cstdlib>

namespace bplab {
namespace {
ImGuiCheckFailed g_handler = nullptr;
bool g_reported = false;
}  // namespace

ImGuiCheckFailed set_imgui_check_failed(ImGuiCheckFailed handler) {
  const ImGuiCheckFailed previous = g_handler;
  g_handler = handler;
  return previous;
}

void imgui_check_failed(const char* expression, const char* file, int line) {
  if (g_handler) return g_handler(expression, file, line);
#ifdef NDEBUG
  if (g_reported) return;
  g_reported = true;
  std::fprintf(stderr, "Dear ImGui check failed: %s at %s:%d (going on; later ones are not shown)\n",
               expression, file, line);
#else
  std::fprintf(stderr, "Dear ImGui check failed: %s at %s:%d\n", expression, file, line);
  std::abort();
#endif
}

}  // namespace bplab

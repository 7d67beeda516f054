// Linked into every test binary that draws UI (bplab_app_checked): a failed Dear ImGui check
// (src/app/imgui_check.hpp) throws, so that an ImGui error fails the test instead of passing
// silently in a Release build. In ImGui's destructors the throw ends in std::terminate: still a
// loud failure.
#include <stdexcept>
#include <string>

#include "app/imgui_check.hpp"

namespace {

[[noreturn]] void throw_check(const char* expression, const char* file, int line) {
  throw std::logic_error(std::string("ImGui assertion failed: ") + expression + " at " + file + ":" +
                         std::to_string(line));
}

const bool installed = (bplab::set_imgui_check_failed(throw_check), true);

}  // namespace

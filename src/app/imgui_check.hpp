// Dear ImGui's IM_ASSERT in the native builds (IMGUI_USER_CONFIG, cmake/imgui.cmake): a failed
// check calls bplab::imgui_check_failed instead of assert(), which a Release build compiles out.
// One Dear ImGui then serves the desktop app and the tests:
//   - the desktop app writes the first failed check to stderr and goes on, as a Release build
//     did without a word (a debug build, without NDEBUG, stops as assert() does);
//   - the tests make it throw (tests/app/imgui_checked.cpp), so that an ImGui error (an
//     unbalanced PushID, a Begin without End, ...) fails the test.
// The web build keeps Dear ImGui's assert().
#pragma once

namespace bplab {

using ImGuiCheckFailed = void (*)(const char* expression, const char* file, int line);

// Replaces what a failed check does (nullptr: the default above); returns the previous one.
ImGuiCheckFailed set_imgui_check_failed(ImGuiCheckFailed handler);
void imgui_check_failed(const char* expression, const char* file, int line);

}  // namespace bplab

#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : ::bplab::imgui_check_failed(#_EXPR, __FILE__, __LINE__))

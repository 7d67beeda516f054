// Dear ImGui's item hooks, as the app receives them. Dear ImGui is built with
// IMGUI_ENABLE_TEST_ENGINE (cmake/imgui.cmake): it then reports every item it adds, and every
// interactive widget's label and status flags, to four functions (imgui_internal.h, "Test
// Engine specific hooks"). item_hooks.cpp defines them and forwards the calls to the ItemHooks
// object in the context's TestEngine pointer, if any. No other dependency: it is compiled into
// Dear ImGui's library.
#pragma once

namespace bplab::app {

class ItemHooks {
 public:
  virtual ~ItemHooks() = default;
  // An item with an id was added: its rectangle, the visible part of it (clipped), and whether
  // it is disabled.
  virtual void item_add(unsigned id, const float rect[4], const float clipped[4], bool disabled) = 0;
  // An interactive widget's label and ImGuiItemStatusFlags (checkable, checked, openable, ...).
  virtual void item_info(unsigned id, const char* label, int status_flags) = 0;
};

}  // namespace bplab::app

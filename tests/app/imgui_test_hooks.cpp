// The test-engine hooks of the tests' Dear ImGui (see imgui_test_hooks.hpp). Compiled into
// imgui_checked (cmake/imgui.cmake), whose IMGUI_ENABLE_TEST_ENGINE makes ImGui call them.
#include "imgui_test_hooks.hpp"

#include <unordered_map>

namespace {
std::vector<bplab::app::test::SeenItem> g_items;
std::unordered_map<ImGuiID, ImRect> g_rects;  // ItemAdd comes before ItemInfo
std::vector<std::string> g_unlabelled;        // labels of widgets without ItemInfo (combos)
}  // namespace

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData*) {
  g_rects[id] = bb;
  // The ID stack is the widget's here, so its label hashes to its id.
  for (const std::string& label : g_unlabelled)
    if (ctx->CurrentWindow && ctx->CurrentWindow->IDStack.Size > 0 && ctx->CurrentWindow->GetID(label.c_str()) == id)
      g_items.push_back({id, label, bb});
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  const auto r = g_rects.find(id);
  g_items.push_back({id, label ? label : "", r != g_rects.end() ? r->second : ImRect()});
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }

namespace bplab::app::test {

void watch_items(std::vector<std::string> unlabelled) {
  ImGui::GetCurrentContext()->TestEngineHookItems = true;
  g_unlabelled = std::move(unlabelled);
  clear_seen_items();
}

const std::vector<SeenItem>& seen_items() { return g_items; }

void clear_seen_items() {
  g_items.clear();
  g_rects.clear();
}

const SeenItem* find_seen_item(const std::string& label) {
  for (auto it = g_items.rbegin(); it != g_items.rend(); ++it)
    if (it->label == label) return &*it;
  return nullptr;
}

}  // namespace bplab::app::test

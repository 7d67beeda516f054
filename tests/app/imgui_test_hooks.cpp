// What the tests' Dear ImGui saw drawn (see imgui_test_hooks.hpp): an ItemHooks put in front of
// the app's (the accessibility mirror's), recording each item before passing it on.
#include "imgui_test_hooks.hpp"

#include <unordered_map>

#include "app/item_hooks.hpp"

namespace {

class Recorder : public bplab::app::ItemHooks {
 public:
  void item_add(unsigned id, const float r[4], const float c[4], bool disabled) override {
    const ImRect bb(r[0], r[1], r[2], r[3]);
    rects[id] = bb;
    // The ID stack is the widget's here, so its label hashes to its id.
    ImGuiContext* ctx = ImGui::GetCurrentContext();
    for (const std::string& label : unlabelled)
      if (ctx->CurrentWindow && ctx->CurrentWindow->IDStack.Size > 0 && ctx->CurrentWindow->GetID(label.c_str()) == id)
        items.push_back({id, label, bb});
    if (next) next->item_add(id, r, c, disabled);
  }
  void item_info(unsigned id, const char* label, int flags) override {
    const auto r = rects.find(id);
    items.push_back({id, label ? label : "", r != rects.end() ? r->second : ImRect()});
    if (next) next->item_info(id, label, flags);
  }
  ItemHooks* next = nullptr;  // the app's
  std::vector<bplab::app::test::SeenItem> items;
  std::unordered_map<ImGuiID, ImRect> rects;  // ItemAdd comes before ItemInfo
  std::vector<std::string> unlabelled;        // labels of widgets without ItemInfo (combos)
};

Recorder g_recorder;

}  // namespace

namespace bplab::app::test {

void watch_items(std::vector<std::string> unlabelled) {
  ImGuiContext* ctx = ImGui::GetCurrentContext();
  if (ctx->TestEngine != static_cast<ItemHooks*>(&g_recorder)) {
    g_recorder.next = static_cast<ItemHooks*>(ctx->TestEngine);
    ctx->TestEngine = static_cast<ItemHooks*>(&g_recorder);
  }
  ctx->TestEngineHookItems = true;
  g_recorder.unlabelled = std::move(unlabelled);
  clear_seen_items();
}

const std::vector<SeenItem>& seen_items() { return g_recorder.items; }

void clear_seen_items() {
  g_recorder.items.clear();
  g_recorder.rects.clear();
}

const SeenItem* find_seen_item(const std::string& label) {
  for (auto it = g_recorder.items.rbegin(); it != g_recorder.items.rend(); ++it)
    if (it->label == label) return &*it;
  return nullptr;
}

}  // namespace bplab::app::test

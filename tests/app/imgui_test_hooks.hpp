// What the tests' Dear ImGui saw drawn: every labelled item's id, label and rectangle, through
// its item hooks (src/app/item_hooks.hpp), recorded on their way to the app's mirror.
// A test can then find a widget by its label and click it where it is, as a learner would.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <string>
#include <vector>

namespace bplab::app::test {

struct SeenItem {
  ImGuiID id = 0;
  std::string label;
  ImRect rect;
};

// Starts recording the items of the current context (ImGuiContext::TestEngineHookItems) and
// forgets those seen before. Widgets that report no label to the hooks (combo boxes) are seen
// when their label is in `unlabelled`.
void watch_items(std::vector<std::string> unlabelled = {});
// The labelled items seen since watch_items() or clear_seen_items(), in the order drawn.
const std::vector<SeenItem>& seen_items();
void clear_seen_items();
// The last item seen with this label, or null.
const SeenItem* find_seen_item(const std::string& label);

}  // namespace bplab::app::test

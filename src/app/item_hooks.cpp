// Dear ImGui's test-engine item hooks (see item_hooks.hpp), forwarded to the app's ItemHooks.
#include "app/item_hooks.hpp"

#include <imgui.h>
#include <imgui_internal.h>

namespace {
bplab::app::ItemHooks* hooks(ImGuiContext* ctx) { return static_cast<bplab::app::ItemHooks*>(ctx->TestEngine); }
}  // namespace

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData* item) {
  bplab::app::ItemHooks* h = hooks(ctx);
  if (!h || !item) return;  // no item data: a window, not a widget
  ImRect clip = bb;
  if (ImGuiWindow* w = ctx->CurrentWindow) clip.ClipWithFull(w->ClipRect);
  const float rect[4] = {bb.Min.x, bb.Min.y, bb.Max.x, bb.Max.y};
  const float clipped[4] = {clip.Min.x, clip.Min.y, clip.Max.x, clip.Max.y};
  h->item_add(id, rect, clipped, (item->InFlags & ImGuiItemFlags_Disabled) != 0);
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
  if (bplab::app::ItemHooks* h = hooks(ctx)) h->item_info(id, label ? label : "", flags);
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }

// The accessibility mirror (mirror.hpp): the frame's interactive items as the page's DOM sees
// them.
#include "app/mirror.hpp"

#include "app/speech.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace bplab::app::mirror {

const char* to_string(Role r) {
  switch (r) {
    case Role::Button: return "button";
    case Role::Toggle: return "toggle";
    case Role::Checkbox: return "checkbox";
    case Role::Radio: return "radio";
    case Role::Slider: return "slider";
    case Role::Number: return "number";
    case Role::Text: return "text";
    case Role::Select: return "select";
    case Role::Expander: return "expander";
    case Role::Image: return "image";
    case Role::Tab: return "tab";
    case Role::Hidden: return "hidden";
  }
  return "button";
}

std::string visible_label(const char* label) {
  if (!label) return "";
  const char* end = std::strstr(label, "##");
  if (!end) return label;
  // "##what" names a widget that shows no label: say what it is for.
  if (end == label && end[2] != '#') return std::string(end + 2);
  return std::string(label, end);
}

namespace {
Mirror* g_current = nullptr;
}  // namespace

Mirror* Mirror::current() { return g_current; }

void Mirror::attach() {
  ctx_ = ImGui::GetCurrentContext();
  if (!ctx_) return;
  ctx_->TestEngine = static_cast<ItemHooks*>(this);
  ctx_->TestEngineHookItems = true;
}

void Mirror::detach() {
  if (g_current == this) g_current = nullptr;
  if (ctx_ && ctx_->TestEngine == static_cast<ItemHooks*>(this)) {
    ctx_->TestEngine = nullptr;
    ctx_->TestEngineHookItems = false;
  }
  ctx_ = nullptr;
}

void Mirror::begin_frame() {
  g_current = this;
  building_.clear();
  index_.clear();
  added_.clear();
  words_.clear();
  in_panel_ = false;
  // Dear ImGui skips the widgets that are scrolled out of view, reporting nothing but their
  // rectangle; while it logs, it submits every item (so that a log is whole). Logging to a
  // buffer that is dropped at the end of the frame (auto-open depth 0: no header opens by
  // itself) gives the page every control of the screen, scrolled into view or not.
  if (ctx_ && !ctx_->LogEnabled) {
    ImGui::LogToBuffer(0);
    logging_ = true;
  }
  // Presses from the page: Dear ImGui activates the item when it is drawn in the next frame,
  // as if it had been clicked (a button's press, a checkbox's toggle, a header's open/close).
  for (unsigned id : presses_) ImGui::ActivateItemByID(id);
  presses_.clear();
}

void Mirror::item_add(unsigned id, const float r[4], const float c[4], bool disabled) {
  added_[id] = Added{r[0], r[1], r[2], r[3], c[0], c[1], c[2], c[3], disabled};
}

void Mirror::item_info(unsigned id, const char* label, int flags) {
  const auto a = added_.find(id);
  if (a == added_.end()) return;  // a window's title, not an item
  if (index_.count(id)) return;   // reported twice (a combo's preview): keep the first
  Node n;
  n.id = id;
  n.name = visible_label(label);
  n.in_panel = in_panel_;
  n.disabled = a->second.disabled;
  n.x0 = a->second.x0, n.y0 = a->second.y0, n.x1 = a->second.x1, n.y1 = a->second.y1;
  n.cx0 = a->second.cx0, n.cy0 = a->second.cy0, n.cx1 = a->second.cx1, n.cy1 = a->second.cy1;
  n.inputable = (flags & ImGuiItemStatusFlags_Inputable) != 0;
  if (flags & ImGuiItemStatusFlags_Checkable) {
    n.role = Role::Checkbox;
    n.d.on = (flags & ImGuiItemStatusFlags_Checked) != 0;
  } else if (flags & ImGuiItemStatusFlags_Openable) {
    n.role = Role::Expander;
    n.expanded = (flags & ImGuiItemStatusFlags_Opened) != 0;
  } else if (n.inputable) {
    n.role = Role::Text;
  }
  index_[id] = building_.size();
  building_.push_back(std::move(n));
}

void Mirror::describe(unsigned id, Description d) {
  auto i = index_.find(id);
  if (i == index_.end()) {
    // Widgets that ImGui does not report (a combo box): the wrapper's description makes the node.
    if (!added_.count(id)) return;
    item_info(id, "", 0);
    i = index_.find(id);
  }
  Node& n = building_[i->second];
  n.role = d.role;
  if (!d.name.empty()) n.name = d.name;
  n.d = std::move(d);
  n.described = true;
}

std::optional<std::string> Mirror::take_value(unsigned id) {
  const auto i = values_.find(id);
  if (i == values_.end()) return std::nullopt;
  std::string v = std::move(i->second);
  values_.erase(i);
  return v;
}

void Mirror::announce(std::string text) {
  said_ = std::move(text);
  ++said_count_;
}

void Mirror::end_frame() {
  if (g_current == this) g_current = nullptr;
  if (logging_) {
    ImGui::LogFinish();
    logging_ = false;
  }
  nodes_.swap(building_);
  // The page's focus follows the item into view: scroll its window so that it shows.
  if (scroll_to_focus_ && ctx_) {
    scroll_to_focus_ = false;
    for (const Node& n : nodes_) {
      if (n.id != focus_) continue;
      const bool hidden = n.cx1 - n.cx0 < 0.5f * (n.x1 - n.x0) || n.cy1 - n.cy0 < 0.5f * (n.y1 - n.y0);
      if (!hidden) break;
      // The innermost window that holds the item: the one whose clip rectangle is smallest.
      ImGuiWindow* best = nullptr;
      for (ImGuiWindow* w : ctx_->Windows)
        if (w->Active && w->InnerClipRect.Overlaps(ImRect(n.cx0 - 1, n.cy0 - 1, n.cx1 + 1, n.cy1 + 1)) &&
            (w->Flags & ImGuiWindowFlags_ChildWindow) &&
            (!best || w->InnerClipRect.GetArea() < best->InnerClipRect.GetArea()))
          best = w;
      if (best) ImGui::ScrollToRect(best, ImRect(n.x0, n.y0, n.x1, n.y1), ImGuiScrollFlags_KeepVisibleEdgeY);
      break;
    }
  }
  const std::string now = json::write(to_json());
  if (now != last_json_) {
    last_json_ = now;
    ++version_;
  }
}

namespace {

json::Value rect(float x0, float y0, float x1, float y1) {
  auto r = [](float v) { return std::round(v * 10) / 10; };
  return json::Array{r(x0), r(y0), r(std::max(x1 - x0, 0.0f)), r(std::max(y1 - y0, 0.0f))};
}

}  // namespace

json::Value Mirror::to_json() const {
  json::Array nodes;
  for (const Node& n : nodes_) {
    if (n.role == Role::Hidden) continue;
    json::Object o{{"id", std::to_string(n.id)},
                   {"role", to_string(n.role)},
                   {"name", speakable(n.name)},
                   {"rect", rect(n.cx0, n.cy0, n.cx1, n.cy1)},
                   {"panel", n.in_panel}};
    if (n.disabled) o.emplace_back("disabled", true);
    if (n.id == focus_) o.emplace_back("focused", true);
    switch (n.role) {
      case Role::Tab: o.emplace_back("group", n.d.group); [[fallthrough]];
      case Role::Toggle:
      case Role::Checkbox:
      case Role::Radio: o.emplace_back("on", n.d.on); break;
      case Role::Expander: o.emplace_back("expanded", n.expanded); break;
      case Role::Slider:
      case Role::Number:
        o.emplace_back("value", n.d.number);
        o.emplace_back("min", n.d.min);
        o.emplace_back("max", n.d.max);
        if (n.d.step > 0) o.emplace_back("step", n.d.step);
        if (n.d.log) o.emplace_back("log", true);
        o.emplace_back("text", n.d.value);
        break;
      case Role::Text: o.emplace_back("text", n.d.value); break;
      case Role::Select: {
        json::Array options;
        for (const std::string& s : n.d.options) options.emplace_back(s);
        o.emplace_back("options", std::move(options));
        o.emplace_back("value", n.d.number);
        break;
      }
      default: break;
    }
    if (!n.d.hint.empty()) o.emplace_back("hint", speakable(n.d.hint));
    nodes.emplace_back(std::move(o));
  }
  json::Array words;
  for (const Words& w : words_) {
    json::Object o{{"kind", w.kind}, {"text", speakable(w.text)}};
    if (w.kind == "table") {
      json::Array header, rows;
      for (const std::string& h : w.header) header.emplace_back(speakable(h));
      for (const auto& row : w.rows) {
        json::Array cells;
        for (const std::string& c : row) cells.emplace_back(speakable(c));
        rows.emplace_back(std::move(cells));
      }
      o.emplace_back("header", std::move(header));
      o.emplace_back("rows", std::move(rows));
    }
    words.emplace_back(std::move(o));
  }
  return json::Object{{"nodes", std::move(nodes)},
                      {"words", std::move(words)},
                      {"announce", speakable(said_)},
                      {"announceCount", double(said_count_)}};
}

std::string Mirror::act(const json::Value& args) {
  if (!args.is_object()) return "mirrorAct takes {id, action, value}";
  const json::Value* id = args.find("id");
  const json::Value* action = args.find("action");
  if (!id || !id->is_string() || !action || !action->is_string()) return "mirrorAct takes {id, action, value}";
  char* end = nullptr;
  const unsigned long n = std::strtoul(id->as_string().c_str(), &end, 10);
  if (id->as_string().empty() || *end || n == 0 || n > 0xFFFFFFFFul) return "mirrorAct: no such item";
  const unsigned item = unsigned(n);
  const bool known = std::any_of(nodes_.begin(), nodes_.end(), [&](const Node& x) { return x.id == item; });
  const std::string& a = action->as_string();
  if (a == "blur") {
    if (focus_ == item) focus_ = 0;
    return "";
  }
  if (!known) return "mirrorAct: no such item";
  if (a == "focus") {
    focus_ = item;
    scroll_to_focus_ = true;
  } else if (a == "press") {
    presses_.push_back(item);
  } else if (a == "set") {
    const json::Value* v = args.find("value");
    if (!v) return "mirrorAct: set needs a value";
    if (v->is_string()) values_[item] = v->as_string();
    else if (v->is_number() && std::isfinite(v->as_number())) values_[item] = json::write(*v);
    else if (v->is_bool()) values_[item] = v->as_bool() ? "true" : "false";
    else return "mirrorAct: a value is a string, a number or a boolean";
  } else {
    return "mirrorAct: the action is focus, blur, press or set";
  }
  return "";
}

}  // namespace bplab::app::mirror

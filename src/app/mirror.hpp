// The accessibility mirror: every interactive ImGui item of a frame, with its role, name, value
// and rectangle, for the page to mirror as real DOM controls laid over the canvas
// (web/mirror.js), and each screen in words (headings, text, tables, a live announcement).
//
// How items are found: Dear ImGui reports every item it adds and every interactive widget's
// label and status (checkable, checked, openable, inputable) to "test engine" hooks
// (imgui_internal.h, IMGUI_ENABLE_TEST_ENGINE; src/app/item_hooks.cpp). So a new button or
// checkbox is mirrored with no extra code. Widgets whose value the hooks cannot see (sliders,
// text and number fields, combos, radio buttons) go through the thin wrappers in
// src/app/widgets.hpp, which describe the item and apply values set from the page. A test
// (tests/app/test_mirror.cpp) draws every screen and derivation step and fails on any
// interactive item without a name, or an inputable one without a value.
//
// The page acts through commands (Lab's "mirror" and "mirrorAct", app.cpp): a press activates
// the item on the next frame (ImGui::ActivateItemByID), a value is handed to its widget, and
// focus scrolls the item into view.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/item_hooks.hpp"
#include "engine/json.hpp"

struct ImGuiContext;

namespace bplab::app {

namespace mirror {

// Hidden: an item the page leaves out on purpose (a table row the screen's words already give).
// Tab: one of a row of choices that are pages of one thing (the derivation's steps); the page
// groups a run of them in a tab list named by Description::group, where ← → move and choose.
enum class Role { Button, Toggle, Checkbox, Radio, Slider, Number, Text, Select, Expander, Image, Tab, Hidden };
const char* to_string(Role r);

// What the thin wrappers say about an item the hooks cannot describe fully.
struct Description {
  Role role = Role::Button;
  std::string name;                  // replaces the ImGui label when not empty
  std::string value;                 // the value as shown ("0.500", "cross-entropy")
  double number = 0, min = 0, max = 0, step = 0;
  bool log = false;                  // a logarithmic slider
  std::vector<std::string> options;  // Select: the choices; `number` is the chosen index
  bool on = false;                   // Toggle: pressed; Radio/Checkbox: checked
  std::string hint;                  // a longer description (aria-description)
  std::string group;                 // Tab: the name of its tab list
};

struct Node {
  unsigned id = 0;
  Role role = Role::Button;
  std::string name;
  Description d;
  bool described = false;
  bool inputable = false;            // ImGui says it takes text or a value
  bool expanded = false;             // Expander
  bool disabled = false;
  bool in_panel = false;             // after the screen switcher
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;   // the item's rectangle, ImGui units (CSS pixels)
  float cx0 = 0, cy0 = 0, cx1 = 0, cy1 = 0;  // the part of it that is visible
};

// One block of a screen's words.
struct Words {
  std::string kind;                  // "h2", "p", "table"
  std::string text;                  // h2, p: the text; table: its caption
  std::vector<std::string> header;   // table: column headers
  std::vector<std::vector<std::string>> rows;
};

class Mirror : public ItemHooks {
 public:
  // Installs the hooks on the current ImGui context (and removes them on destruction).
  void attach();
  void detach();
  ~Mirror() override { detach(); }

  // Around one ImGui frame: between NewFrame and Render. In between, current() is this mirror
  // (the one the wrappers of widgets.hpp describe items to), else null.
  static Mirror* current();
  void begin_frame();
  void begin_panel() { in_panel_ = true; }
  void end_frame();

  // The thin wrappers (widgets.hpp): describe the last item, and take a value the page set.
  void describe(unsigned id, Description d);
  std::optional<std::string> take_value(unsigned id);

  // The screen in words, made again every frame by the app (screen_words.cpp).
  std::vector<Words>& words() { return words_; }
  // A short polite announcement ("The net says 7, 98%", "Drawing cleared."): each call is said
  // once, even when it repeats the last one (the last call of a frame wins).
  void announce(std::string text);

  // The page's side.
  json::Value to_json() const;       // {version, focus, nodes: [...], words: [...], announce, said}
  std::uint64_t version() const { return version_; }
  std::string act(const json::Value& args);  // "" or what is wrong

  const std::vector<Node>& nodes() const { return nodes_; }
  unsigned focused() const { return focus_; }

  // ItemHooks
  void item_add(unsigned id, const float rect[4], const float clipped[4], bool disabled) override;
  void item_info(unsigned id, const char* label, int status_flags) override;

 private:
  ImGuiContext* ctx_ = nullptr;
  std::vector<Node> nodes_, building_;
  std::map<unsigned, size_t> index_;           // building_'s nodes by id
  std::vector<Words> words_;
  struct Added { float x0, y0, x1, y1, cx0, cy0, cx1, cy1; bool disabled; };
  std::map<unsigned, Added> added_;            // this frame's ItemAdd calls, by id
  std::map<unsigned, std::string> values_;     // set by the page, for the next frame
  std::vector<unsigned> presses_;              // activate on the next frame
  unsigned focus_ = 0;                         // the item focused in the page
  bool scroll_to_focus_ = false;
  bool in_panel_ = false;
  bool logging_ = false;
  std::string said_;
  std::uint64_t said_count_ = 0;
  std::uint64_t version_ = 0;
  std::string last_json_;
};

// The label as shown: up to "##", or before "###".
std::string visible_label(const char* label);

}  // namespace mirror
}  // namespace bplab::app

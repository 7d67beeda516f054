// Out's tables and checks, and the helpers every step writes with.
#include "app/derivation/typeset.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "app/fonts.hpp"
#include "app/widgets.hpp"

namespace bplab::app::derivation {

double shown(double x, int digits) {
  if (!std::isfinite(x) || x == 0) return x;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", std::clamp(digits, 1, 17) - 1, x);
  return std::strtod(buf, nullptr);
}

std::string verdict_text(const Check& c) {
  if (c.pending) return "checking… (the finite differences of a big net take a few frames)";
  if (c.infinite)
    return "cannot be checked: the cost is infinite on this digit (a saturated output gives ln 0), so the costs C(z ± h) "
           "are infinite and their difference means nothing (∞ − ∞). Finite differences cannot measure δ here.";
  return "relative error " + m::format_number(c.error, 2) + " (of " + c.scale_name + ", " + m::format_number(c.scale, 3) + ")" +
         (c.agree ? " — they agree" : " — they DISAGREE");
}

void Out::check(const Check& c) {
  checks.push_back(c);
  const std::string s = c.what + ": " + verdict_text(c);
  if (mode == Screen) {
    ImGui::PushStyleColor(ImGuiCol_Text, c.pending ? kDim : c.agree ? kMeasured : kBad);
    ImGui::PushTextWrapPos(std::max(1.0f, ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x));
    ImGui::TextWrapped("%s", s.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  } else if (mode == Html) {
    html += "<p>" + m::escape(speakable(c.what + ": " + (c.pending || c.infinite ? "" : m::format_number(c.shown, 6) + " against " + m::format_number(c.measured, 6) + " measured; ") +
                             verdict_text(c))) + "</p>";
  }
}

namespace {
// A bar of a signed value, scaled by `scale`, for tables.
void value_bar(double value, double scale, ImU32 col) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = 60, h = ImGui::GetTextLineHeight() * 0.6f;
  ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
  const float mid = p.x + w * 0.5f;
  const float len = scale > 0 ? float(std::clamp(value / scale, -1.0, 1.0)) * w * 0.5f : 0;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + ImGui::GetTextLineHeight()), kDim);
  const float y = p.y + ImGui::GetTextLineHeight() * 0.2f;
  dl->AddRectFilled(ImVec2(std::min(mid, mid + len), y), ImVec2(std::max(mid, mid + len), y + h), col);
}

}  // namespace

void Out::table(const Table& t) {
  if (mode == Html) {
    html += "<table><thead><tr>";
    for (const std::string& h : t.headers) html += "<th scope=\"col\">" + m::escape(speakable(h)) + "</th>";
    html += "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
      html += "<tr>";
      for (size_t c = 0; c < row.size(); ++c)
        html += (c == 0 ? "<th scope=\"row\">" : "<td>") + m::escape(speakable(row[c].text)) + (c == 0 ? "</th>" : "</td>");
      html += "</tr>";
    }
    html += "</tbody></table>";
    return;
  }
  if (mode != Screen) return;
  const int cols = int(t.headers.size()) + (t.bars.empty() ? 0 : 1);
  if (!ImGui::BeginTable(t.id, cols, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV,
                         ImVec2(t.width, 0)))
    return;
  for (const std::string& h : t.headers) ImGui::TableSetupColumn(h.c_str());
  if (!t.bars.empty()) ImGui::TableSetupColumn("");
  ImGui::TableHeadersRow();
  const Fonts& f = fonts();
  for (int r = 0; r < int(t.rows.size()); ++r) {
    ImGui::TableNextRow();
    const int tag = r < int(t.row_tags.size()) ? t.row_tags[r] : -1;
    if (tag >= 0 && v.highlight == tag) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui::palette().highlight_fill);
    for (int c = 0; c < int(t.rows[r].size()); ++c) {
      ImGui::TableNextColumn();
      const Cell& cell = t.rows[r][c];
      if (c == 0) {
        ImGui::PushID(r);
        ImGui::Selectable(cell.text.c_str(), r == t.selected, ImGuiSelectableFlags_SpanAllColumns);
        {  // for the page: a row that follows its neuron is a button; others are the table's text
          mirror::Description d;
          d.role = t.click_sets_neuron ? mirror::Role::Button : mirror::Role::Hidden;
          d.name = t.click_sets_neuron ? "follow output neuron " + std::to_string(r) : "table row " + cell.text;
          ui::describe_last(std::move(d));
        }
        if (tag >= 0 && ImGui::IsItemHovered()) v.hover_next = tag;
        if (t.click_sets_neuron && ImGui::IsItemClicked()) v.neuron = r;
        ImGui::PopID();
        continue;
      }
      if (f.mono.font) ImGui::PushFont(f.mono.font);
      if (cell.col) ImGui::PushStyleColor(ImGuiCol_Text, cell.col);
      ImGui::TextUnformatted(cell.text.c_str());
      if (cell.col) ImGui::PopStyleColor();
      if (f.mono.font) ImGui::PopFont();
    }
    if (!t.bars.empty()) {
      ImGui::TableNextColumn();
      value_bar(t.bars[r], t.bar_scale, r == t.bar_row ? kAccent : kDim);
    }
  }
  ImGui::EndTable();
}

// SameLine when the next item, `width` wide, still fits on this line; a new line otherwise
// (a narrow embed wraps the toolbar instead of cutting it off at the right edge).
void same_line_if_room(float width, float spacing) {
  ImGui::SameLine(0, spacing);
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// The width of a widget with a label to its right: SetNextItemWidth(item_w), then the label.
float labeled_width(float item_w, const char* label) {
  return item_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

const char* label_source_words(const Numbers& n) {
  if (std::strcmp(n.label_source, "learner") == 0) return "the label you chose";
  if (std::strcmp(n.label_source, "prediction") == 0) return "the net's own prediction (a drawing has no label: choose the digit you meant above)";
  return "this MNIST digit's label";
}

// "Here L = 3 (the output layer), j = 7, y = the one-hot vector of 4 (...)".
void given(Out& o, int j) {
  const Numbers& n = o.v.n;
  o.dim("Here L = " + str(n.L) + " (the output layer), j = " + str(j) + ", and y is the one-hot vector of " + str(n.label) + ", " +
        label_source_words(n) + ". The net predicts " + str(n.prediction) + ".");
}

void output_toggle(Out& o) {
  if (!o.screen()) return;
  DerivationView& v = o.v;
  const Activation cur = v.n.net.output;
  ImGui::TextUnformatted("Output layer:");
  ImGui::SameLine();
  if (ui::RadioButton("sigmoid", cur == Activation::Sigmoid)) v.output = Activation::Sigmoid;
  ImGui::SameLine();
  if (ui::RadioButton("softmax", cur == Activation::Softmax)) v.output = Activation::Softmax;
}

void cost_toggle(Out& o) {
  if (!o.screen()) return;
  DerivationView& v = o.v;
  const Cost cur = v.n.net.cost;
  ImGui::TextUnformatted("Cost:");
  for (const CostDescription& c : kCosts) {  // the engine's costs
    ImGui::SameLine();
    if (ui::RadioButton(c.name, cur == c.id)) v.cost = c.id;
  }
}

}  // namespace bplab::app::derivation

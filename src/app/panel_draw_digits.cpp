// The Draw screen's My digits: "This is a ..." (the drawing's label), Keep it, Teach it with its
// before -> after, and the gallery of kept digits (lab.hpp: My digits, Teaching).
//
// Index
// [SECTION] Label and keep
// [SECTION] Teach it
// [SECTION] The gallery
// [SECTION] In words (the mirror)
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "app/app_internal.hpp"
#include "app/fonts.hpp"
#include "app/panel_draw_digits.hpp"
#include "app/text.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"

namespace bplab::app {

namespace {

std::string percent(double v) {
  if (v < 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", v * 100);
  return text;
}

// "7 kept, read as 1, 62%" (and ", wrong" when the net's answer is not the label).
std::string thumbnail_name(const Example& e, const Lab::ExampleAnswer& a) {
  char text[80];
  std::snprintf(text, sizeof text, "%d kept, read as %d, %.0f%%%s", e.label, a.predicted, double(a.confidence) * 100,
                a.predicted == e.label ? "" : ", wrong");
  return text;
}

// [SECTION] Label and keep

void label_and_keep(App& app) {
  Lab& lab = app.lab;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("This is a");
  const float button_w = ImGui::GetFrameHeight();
  for (int d = 0; d < 10; ++d) {
    ImGui::SameLine(0, d == 0 ? -1.0f : 2.0f);
    if (ImGui::GetContentRegionAvail().x < button_w) ImGui::NewLine();
    char id[24];
    std::snprintf(id, sizeof id, "%d##this-is", d);
    const bool on = lab.drawing_label == d;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(ui::palette().accent));
    const bool pressed = ImGui::Button(id, ImVec2(button_w, 0));
    if (on) ImGui::PopStyleColor();
    mirror::Description desc;
    desc.role = mirror::Role::Toggle;
    desc.on = on;
    desc.name = "This is a " + std::to_string(d);
    ui::describe_last(std::move(desc));
    if (pressed) lab.drawing_label = on ? -1 : d;
  }
  const bool can_keep = lab.has_input() && lab.drawing_label >= 0 && !lab.showing_example();
  ImGui::BeginDisabled(!can_keep);
  if (ImGui::Button("Keep it")) {
    const int label = lab.drawing_label;
    if (std::string e = lab.add_example(label, lab.input()); !e.empty()) {
      lab.note(e);
    } else {
      lab.note("kept a " + std::to_string(label) + ": " + std::to_string(lab.examples().size()) + " in My digits");
      lab.clear_drawing();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (!lab.has_input()) ImGui::TextDisabled("draw a digit, then say what it is");
  else if (lab.showing_example()) ImGui::TextDisabled("a kept digit (draw to start a new one)");
  else if (lab.drawing_label < 0) ImGui::TextDisabled("say what it is, then keep it");
  else ImGui::TextDisabled("adds it to My digits, labelled %d", lab.drawing_label);
}

// [SECTION] Teach it

void teach_it(App& app) {
  Lab& lab = app.lab;
  const Lab::TeachRecord& t = lab.teaching();
  ImGui::BeginDisabled(lab.examples().empty() || t.active);
  if (ImGui::Button("Teach it")) {
    if (std::string e = lab.teach(Lab::TeachOptions()); !e.empty()) lab.note(e);
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    const Lab::TeachOptions recipe;  // what Teach it does, in its own numbers
    ImGui::SetTooltip("Trains the current net on My digits mixed with %s MNIST images (%s, %s %g)",
                      grouped(recipe.mnist).c_str(), counted(recipe.epochs, "epoch").c_str(), have_greek() ? "η" : "eta", recipe.eta);
  }
  ImGui::SameLine();
  if (t.active) {
    const Lab::TeachOptions o;
    const float done = float(std::min(1.0, (lab.epoch() + lab.epoch_progress()) / o.epochs));
    char overlay[48];
    std::snprintf(overlay, sizeof overlay, "teaching: %.0f%%", done * 100);
    ImGui::ProgressBar(done, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 220.0f), 0), overlay);
  } else if (lab.examples().empty()) {
    ImGui::TextDisabled("keep some digits first");
  } else {
    ImGui::TextDisabled("fine-tune the net on your digits");
  }
  if (!t.done) return;
  // Before -> after, side by side: what was learnt and what was forgotten.
  if (ImGui::BeginTable("teach-result", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("");
    ImGui::TableSetupColumn("before");
    ImGui::TableSetupColumn("after");
    ImGui::TableHeadersRow();
    const struct {
      const char* what;
      double before, after;
    } rows[] = {{"My digits", t.mine_before, t.mine_after}, {"MNIST test", t.test_before, t.test_after}};
    for (const auto& r : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.what);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(percent(r.before).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s %s", percent(r.after).c_str(), r.after > r.before + 0.005 ? "(up)" : r.after < r.before - 0.005 ? "(down)" : "");
    }
    ImGui::EndTable();
  }
}

// [SECTION] The gallery

void draw_thumbnail(ImDrawList* dl, const Example& e, ImVec2 p, float side) {
  dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(0, 0, 0, 255));
  const float c = side / kSide;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const float v = e.pixels[size_t(y * kSide + x)];
      if (v <= 0.02f) continue;
      dl->AddRectFilled(ImVec2(p.x + x * c, p.y + y * c), ImVec2(p.x + (x + 1) * c, p.y + (y + 1) * c), ui::grey(v));
    }
}

void gallery(App& app, float width) {
  Lab& lab = app.lab;
  const std::vector<Example>& examples = lab.examples();
  const std::vector<Lab::ExampleAnswer>& answers = lab.answers(/*fresh=*/false);
  const int n = int(examples.size());
  int right = 0;
  for (int i = 0; i < n && i < int(answers.size()); ++i) right += answers[size_t(i)].predicted == examples[size_t(i)].label;
  if (n == 0) {
    ImGui::TextDisabled("My digits: none kept yet.");
    return;
  }
  ImGui::Text("My digits: %d kept, the net reads %d right%s", n, right, n - right > 0 ? " (wrong ones marked x)" : "");
  app.selected_example = std::min(app.selected_example, n - 1);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float side = 36, cell_w = side + 22, cell_h = side + ImGui::GetTextLineHeight() + style.ItemSpacing.y + 4;
  const int per_row = std::max(1, int((width - style.ScrollbarSize) / (cell_w + style.ItemSpacing.x)));
  const int rows = (n + per_row - 1) / per_row;
  const float height = std::min(rows * (cell_h + style.ItemSpacing.y) + style.WindowPadding.y, cell_h * 2.6f);
  ImGui::BeginChild("my-digits", ImVec2(width, height), true);
  ImGuiListClipper clipper;
  clipper.Begin(rows, cell_h + style.ItemSpacing.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  while (clipper.Step())
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r)
      for (int k = 0; k < per_row; ++k) {
        const int i = r * per_row + k;
        if (i >= n) break;
        if (k > 0) ImGui::SameLine();
        const Example& e = examples[size_t(i)];
        const Lab::ExampleAnswer a = i < int(answers.size()) ? answers[size_t(i)] : Lab::ExampleAnswer{};
        const bool wrong = a.predicted != e.label;
        ImGui::PushID(i);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (ImGui::InvisibleButton("thumb", ImVec2(cell_w, cell_h))) app.selected_example = i;
        mirror::Description d;
        d.role = mirror::Role::Toggle;
        d.on = app.selected_example == i;
        d.name = thumbnail_name(e, a);
        ui::describe_last(std::move(d));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", thumbnail_name(e, a).c_str());
        const bool selected = app.selected_example == i;
        const ImVec2 t(p.x + (cell_w - side) / 2, p.y + 2);
        draw_thumbnail(dl, e, t, side);
        char text[24];
        std::snprintf(text, sizeof text, "%d:%d %s", e.label, a.predicted, wrong ? "x" : "");
        const ImU32 colour = wrong ? ui::palette().warning : ImGui::GetColorU32(ImGuiCol_Text);
        dl->AddText(ImVec2(p.x + 3, p.y + side + 4), colour, text);
        if (wrong) dl->AddRect(ImVec2(t.x - 1, t.y - 1), ImVec2(t.x + side + 1, t.y + side + 1), ui::palette().warning, 0, 0, 2);
        if (selected || ImGui::IsItemFocused())
          dl->AddRect(p, ImVec2(p.x + cell_w, p.y + cell_h), ui::palette().accent, 3, 0, 2);
        ImGui::PopID();
      }
  ImGui::EndChild();
  // What can be done with the selected one, and with all.
  const int s = app.selected_example;
  if (s >= 0 && s < n) {
    ImGui::Text("Digit %d: %s", s + 1, thumbnail_name(examples[size_t(s)], s < int(answers.size()) ? answers[size_t(s)] : Lab::ExampleAnswer{}).c_str());
    if (ImGui::Button("Show on Draw")) lab.show_example(s);
    ImGui::SameLine();
    if (ImGui::Button("Open in derivation")) {
      lab.show_example(s);
      lab.settings.panel = Panel::Derivation;
    }
    ImGui::SameLine();
    if (ImGui::Button("Remove")) {
      lab.remove_example(s);
      app.selected_example = std::min(s, int(lab.examples().size()) - 1);
    }
  }
  if (!app.confirm_clear) {
    if (ImGui::Button("Clear all")) app.confirm_clear = true;
  } else {
    char text[64];
    std::snprintf(text, sizeof text, "Yes, remove all %d", n);
    if (ImGui::Button(text)) {
      lab.clear_examples();
      app.confirm_clear = false;
      app.selected_example = -1;
    }
    ImGui::SameLine();
    if (ImGui::Button("No, keep them")) app.confirm_clear = false;
  }
}

// Download and open (the page does it: state().files), or where the native app keeps them.
void files(App& app) {
  Lab& lab = app.lab;
  if (app.options.web) {
    ImGui::BeginDisabled(lab.examples().empty());
    if (ImGui::Button("Download my digits")) lab.request_file("digits");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Download the model")) lab.request_file("model");
    ImGui::SameLine();
    if (ImGui::Button("Open a file")) lab.request_file("open");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A digits file (added to My digits) or a model; or drop one on the page");
  } else if (!app.options.data_dir.empty()) {
    ImGui::TextDisabled("Kept in %s; drop a digits file or a model on the window to open it.", app.options.data_dir.c_str());
  }
}

}  // namespace

float my_digits_height() {
  const float line = ImGui::GetFrameHeightWithSpacing();
  return line * 5 + (36 + ImGui::GetTextLineHeight() + 8) * 1.3f + ImGui::GetStyle().WindowPadding.y * 2;
}

void my_digits(App& app, float width) {
  ImGui::Separator();
  label_and_keep(app);
  teach_it(app);
  gallery(app, width);
  files(app);
}

// [SECTION] In words (the mirror)

void my_digits_words(App& app) {
  const Lab& lab = app.lab;
  auto& w = app.mirror.words();
  const int n = int(lab.examples().size());
  w.push_back({"h2", "My digits", {}, {}});
  std::string said = n == 0 ? "No digits kept yet. Draw a digit, say what it is with \"This is a\", and keep it."
                            : std::to_string(n) + " digits kept; the net reads " +
                                  std::to_string(lab.examples_correct(false)) + " of them right.";
  if (lab.drawing_label >= 0) said += " The drawing is labelled " + std::to_string(lab.drawing_label) + ".";
  w.push_back({"p", said, {}, {}});
  const Lab::TeachRecord& t = lab.teaching();
  if (t.active) w.push_back({"p", "Teaching the net your digits...", {}, {}});
  if (t.done) {
    mirror::Words table{"table", "Teach it: before and after", {"", "before", "after"}, {}};
    table.rows.push_back({"My digits", percent(t.mine_before), percent(t.mine_after)});
    table.rows.push_back({"MNIST test", percent(t.test_before), percent(t.test_after)});
    w.push_back(std::move(table));
  }
}

}  // namespace bplab::app

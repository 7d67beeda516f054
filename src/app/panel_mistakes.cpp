// The Mistakes screen: what the net gets wrong on the MNIST test set. The confusion matrix
// (rows the true digit, columns the net's answer; the count in every cell, shaded, and each
// digit's accuracy beside its row), each cell a button that opens its digits; and the open
// list as thumbnails, most confident first, each one press from the Derivation screen (with
// its MNIST label), the Draw screen or My digits. The numbers are the Lab's (confusion.hpp).
//
// Index (mistakes_panel calls the parts in this order)
// [SECTION] Opening a digit
// [SECTION] The matrix: matrix
// [SECTION] The list: list_heading, thumbnails
// [SECTION] The screen: mistakes_panel, mistakes_state
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/app_internal.hpp"
#include "app/derivation.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"

namespace bplab::app {

namespace {

constexpr int kPage = 40;            // thumbnails shown at first, and added by "show more"
constexpr int kMostConfident = 20;   // the list shown when no cell is open
constexpr int kAtlasColumns = 10;    // thumbnails a row of the texture

// A hint that wraps (a phone's width), in the hints' colour.
void hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

std::string percent(double v, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f%%", digits, v * 100);
  return text;
}

// What the list shows: the open cell's digits, or the most confident mistakes.
MistakeQuery list_query(const App& app) {
  MistakeQuery q;
  q.label = app.mistakes.label;
  q.predicted = app.mistakes.predicted;
  if (q.label < 0 || q.predicted < 0) q = MistakeQuery{-1, -1, kMostConfident};
  return q;
}

}  // namespace

// [SECTION] Opening a digit

std::string open_in_derivation(App& app, int index) {
  if (std::string e = app.lab.show_test_digit(index); !e.empty()) return e;
  // y is the digit's MNIST label: a label the learner picked for an earlier input is dropped.
  if (app.derivation) set_derivation(*app.derivation, json::Object{{"label", json::Value()}});
  app.lab.settings.panel = Panel::Derivation;
  return "";
}

namespace {

// [SECTION] The matrix

// A cell's colour: on the diagonal blue by the share of its row read right; off it orange by its
// count against the largest mistake count (square root, so that a few mistakes still show).
ImU32 cell_colour(const TestAnswers& t, int label, int predicted, int most) {
  const int n = t.counts[size_t(label)][size_t(predicted)];
  if (label == predicted) return ui::diverging(float(std::max(0.0, t.class_accuracy(label))), 1.0f);
  return ui::diverging(-std::sqrt(float(n) / float(std::max(most, 1))), 1.0f);
}

// Rows the true digit, columns the answer, each digit's accuracy at the end of its row. Each
// cell is a button named "4 read as 9: 12" that opens its digits.
void matrix(App& app, const TestAnswers& t, float max_width) {
  ImGuiStyle& style = ImGui::GetStyle();
  const float text_h = ImGui::GetTextLineHeight();
  const float label_w = ImGui::CalcTextSize("true 0").x + 6;
  const float acc_w = ImGui::CalcTextSize("100.0%").x + 10;
  const float min_cell = ImGui::CalcTextSize("0000").x + 8;
  const float cell = std::clamp((max_width - label_w - acc_w) / kDigits, min_cell, 3.4f * text_h);
  const float cell_h = std::max(24.0f, std::min(cell, text_h * 2.0f));
  const float width = label_w + cell * kDigits + acc_w, height = text_h + 4 + cell_h * kDigits;
  int most = 0;
  for (int r = 0; r < kDigits; ++r)
    for (int c = 0; c < kDigits; ++c)
      if (r != c) most = std::max(most, t.counts[size_t(r)][size_t(c)]);

  // Wider than the screen (320 px): the matrix scrolls sideways, as a table may.
  ImGui::BeginChild("matrix", ImVec2(std::min(width, max_width), height + (width > max_width ? style.ScrollbarSize : 0)),
                    ImGuiChildFlags_None, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim = ui::palette().dim;
  auto centred = [&](float x0, float x1, float y, ImU32 colour, const char* s) {
    dl->AddText(ImVec2((x0 + x1 - ImGui::CalcTextSize(s).x) / 2, y), colour, s);
  };
  // The answers' heading row.
  dl->AddText(ImVec2(p.x, p.y), dim, "true");
  for (int c = 0; c < kDigits; ++c) {
    char d[4];
    std::snprintf(d, sizeof d, "%d", c);
    centred(p.x + label_w + c * cell, p.x + label_w + (c + 1) * cell, p.y, dim, d);
  }
  centred(p.x + label_w + kDigits * cell, p.x + width, p.y, dim, "right");
  const float y0 = p.y + text_h + 4;
  for (int r = 0; r < kDigits; ++r) {
    const float y = y0 + r * cell_h, ty = y + (cell_h - text_h) / 2;
    char d[16];
    std::snprintf(d, sizeof d, "%d", r);
    dl->AddText(ImVec2(p.x + label_w - 6 - ImGui::CalcTextSize(d).x, ty), text, d);
    for (int c = 0; c < kDigits; ++c) {
      const int n = t.counts[size_t(r)][size_t(c)];
      const ImVec2 a(p.x + label_w + c * cell, y), b(a.x + cell, y + cell_h);
      ImGui::SetCursorScreenPos(a);
      char name[64];
      std::snprintf(name, sizeof name, "%d read as %d: %d###cell%d%d", r, c, n, r, c);
      if (ImGui::InvisibleButton(name, ImVec2(cell, cell_h))) {
        app.mistakes.label = r;
        app.mistakes.predicted = c;
        app.mistakes.shown = 0;
      }
      const bool open = app.mistakes.label == r && app.mistakes.predicted == c;
      const ImU32 bg = cell_colour(t, r, c, most);
      dl->AddRectFilled(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), bg, 2);
      if (ImGui::IsItemHovered() || open)
        dl->AddRect(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), open ? ui::palette().accent : ui::palette().highlight,
                    2, 0, open ? 3.0f : 2.0f);
      if (ImGui::IsItemFocused() && ImGui::GetIO().NavVisible)
        dl->AddRect(a, b, ui::palette().focus, 2, 0, 2.0f);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%d test digit%s of %d read as %d", n, n == 1 ? "" : "s", r, c);
      std::snprintf(d, sizeof d, "%d", n);
      centred(a.x, b.x, ty, ui::text_on(bg), d);
    }
    const double acc = t.class_accuracy(r);
    const std::string right = acc < 0 ? "-" : percent(acc, 1);
    dl->AddText(ImVec2(p.x + width - 4 - ImGui::CalcTextSize(right.c_str()).x, ty), text, right.c_str());
  }
  ImGui::SetCursorScreenPos(p);
  ImGui::Dummy(ImVec2(width, height));
  ImGui::EndChild();
}

// [SECTION] The list

void list_heading(App& app, const MistakeQuery& q, size_t count) {
  if (ui::ToggleButton("The 20 most confident mistakes", q.label < 0)) {
    app.mistakes.label = app.mistakes.predicted = -1;
    app.mistakes.shown = 0;
  }
  char heading[128];
  if (q.label < 0)
    std::snprintf(heading, sizeof heading, "The net's %zu most confident mistakes, most confident first", count);
  else
    std::snprintf(heading, sizeof heading, "%d read as %d: %zu test digit%s%s", q.label, q.predicted, count,
                  count == 1 ? "" : "s", count > 1 ? ", most confident first" : "");
  ImGui::TextWrapped("%s", heading);
  hint("Press a digit to open it in the derivation with its label.");
}

// The listed digits as one texture of 28x28 tiles (rectangles where there are no textures).
std::uintptr_t thumbnail_texture(App& app, const std::vector<Mistake>& list, int count) {
  const Dataset& test = app.lab.test();
  const int rows = std::max(1, (count + kAtlasColumns - 1) / kAtlasColumns);
  const int w = kAtlasColumns * kSide, h = rows * kSide;
  std::vector<float> atlas(size_t(w) * size_t(h), 0.0f);
  for (int k = 0; k < count; ++k) {
    const Vector<float> image = test.image(list[size_t(k)].index);
    const int x0 = (k % kAtlasColumns) * kSide, y0 = (k / kAtlasColumns) * kSide;
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) atlas[size_t(y0 + y) * size_t(w) + size_t(x0 + x)] = image(y * kSide + x);
  }
  return grey_texture(app, app.mistake_images, atlas.data(), w, h, /*smooth=*/false);
}

// A mistake into My digits with its MNIST label, for "Teach it" to learn.
void keep_mistake(App& app, const Mistake& m) {
  std::array<float, kSide * kSide> pixels{};
  const Vector<float> image = app.lab.test().image(m.index);
  for (int i = 0; i < kSide * kSide; ++i) pixels[size_t(i)] = image(i);
  const std::string e = app.lab.add_example(m.label, pixels);
  app.lab.note(e.empty() ? "test digit " + std::to_string(m.index) + " kept in My digits, labelled " + std::to_string(m.label) : e);
}

// Each digit: its picture (a button that opens it in the derivation), its label, answer and
// confidence, a button that shows it on the Draw screen and one that keeps it in My digits.
void thumbnails(App& app, const std::vector<Mistake>& list, int count) {
  const std::uintptr_t texture = thumbnail_texture(app, list, count);
  const float side = 56, gap = 10;
  const float tile_w = std::max(side, ImGui::CalcTextSize("9 as 9, 100.0%").x) + 4;
  const int per_row = std::max(1, int((ImGui::GetContentRegionAvail().x + gap) / (tile_w + gap)));
  const float tex_w = float(kAtlasColumns * kSide), tex_h = float(app.mistake_images.h > 0 ? app.mistake_images.h : kSide);
  for (int k = 0; k < count; ++k) {
    const Mistake& m = list[size_t(k)];
    if (k % per_row) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    ImGui::PushID(m.index);
    const std::string sure = percent(m.confidence, 1);
    char name[128];
    std::snprintf(name, sizeof name, "Test digit %d: %d read as %d, %s sure. Open in the derivation###open", m.index,
                  m.label, m.predicted, sure.c_str());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton(name, ImVec2(side, side))) open_in_derivation(app, m.index);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (texture) {
      const float u = float((k % kAtlasColumns) * kSide), v = float((k / kAtlasColumns) * kSide);
      dl->AddImage(ImTextureID(texture), p, ImVec2(p.x + side, p.y + side), ImVec2(u / tex_w, v / tex_h),
                   ImVec2((u + kSide) / tex_w, (v + kSide) / tex_h));
    } else {
      dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(0, 0, 0, 255));
      const Vector<float> image = app.lab.test().image(m.index);
      const float c = side / kSide;
      for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x)
          if (image(y * kSide + x) > 0.004f)
            dl->AddRectFilled(ImVec2(p.x + x * c, p.y + y * c), ImVec2(p.x + (x + 1) * c, p.y + (y + 1) * c),
                              ui::grey(image(y * kSide + x)));
    }
    const bool hovered = ImGui::IsItemHovered();
    dl->AddRect(p, ImVec2(p.x + side, p.y + side), hovered ? ui::palette().highlight : ui::palette().outline, 0, 0,
                hovered ? 2.0f : 1.0f);
    if (ImGui::IsItemFocused() && ImGui::GetIO().NavVisible)
      dl->AddRect(ImVec2(p.x - 2, p.y - 2), ImVec2(p.x + side + 2, p.y + side + 2), ui::palette().focus, 2, 0, 2.0f);
    if (hovered) ImGui::SetTooltip("Test digit %d: open it in the derivation, with its label %d", m.index, m.label);
    ImGui::Text("%d as %d, %s", m.label, m.predicted, sure.c_str());
    if (ImGui::SmallButton("Draw")) {
      if (app.lab.show_test_digit(m.index).empty()) app.lab.settings.panel = Panel::Draw;
    }
    {
      mirror::Description d;
      d.role = mirror::Role::Button;
      d.name = "Show test digit " + std::to_string(m.index) + " on the Draw screen";
      ui::describe_last(std::move(d));
    }
    ImGui::SameLine(0, 4);
    if (ImGui::SmallButton("Keep")) keep_mistake(app, m);
    {
      mirror::Description d;
      d.role = mirror::Role::Button;
      d.name = "Keep test digit " + std::to_string(m.index) + " in My digits, labelled " + std::to_string(m.label);
      ui::describe_last(std::move(d));
    }
    ImGui::Dummy(ImVec2(tile_w, 0));  // every tile as wide: the grid's columns line up
    ImGui::PopID();
    ImGui::EndGroup();
  }
}

}  // namespace

// [SECTION] The screen

void mistakes_panel(App& app) {
  Lab& lab = app.lab;
  const TestAnswers* t = lab.test_answers();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (!t) {
    ImGui::TextUnformatted("What the net gets wrong on the 10,000 MNIST test digits");
    const double progress = lab.test_answers_progress();
    const std::string missing = lab.test_answers_missing();
    if (progress >= 0) {
      ImGui::ProgressBar(float(progress), ImVec2(std::min(avail.x, 400.0f), 0), "reading the test digits");
    } else {
      ImGui::TextWrapped("%s.", missing.c_str());
    }
    return;
  }
  char line[200];
  const int total = int(t->answers.size()), right = t->correct();
  std::snprintf(line, sizeof line, "The net reads %d of the %d test digits right (%.1f%%)%s.", right, total,
                total ? 100.0 * right / total : 0.0,
                lab.running() ? (t->epoch >= 0 ? ", at the end of the last epoch" : ", before this run") : "");
  ImGui::TextWrapped("%s", line);
  hint("Rows: the true digit. Columns: the net's answer. Press a cell for its digits.");

  const bool wide = avail.x >= 900;
  const float matrix_w = wide ? std::min(avail.x * 0.55f, 640.0f) : avail.x;
  ImGui::BeginGroup();
  matrix(app, *t, matrix_w);
  ImGui::EndGroup();
  if (wide) ImGui::SameLine(0, 24);

  // Beside the matrix the list scrolls on its own; below it, with the screen.
  if (wide) ImGui::BeginChild("list", ImVec2(0, 0));
  else ImGui::BeginGroup();
  const MistakeQuery q = list_query(app);
  const std::vector<Mistake> list = find_mistakes(*t, q);
  list_heading(app, q, list.size());
  const int count = std::min(int(list.size()), std::max(app.mistakes.shown, kPage));
  thumbnails(app, list, count);
  if (count < int(list.size())) {
    char more[64];
    std::snprintf(more, sizeof more, "Show %d more (of %zu)", std::min(kPage, int(list.size()) - count), list.size());
    if (ImGui::Button(more)) app.mistakes.shown = count + kPage;
  }
  if (wide) ImGui::EndChild();
  else ImGui::EndGroup();
}

void mistakes_state(const App& app, json::Object& state) {
  const bool cell = app.mistakes.label >= 0 && app.mistakes.predicted >= 0;
  state.emplace_back("mistakesCell", cell ? json::Value(json::Object{{"label", app.mistakes.label},
                                                                      {"predicted", app.mistakes.predicted}})
                                          : json::Value());
}

}  // namespace bplab::app

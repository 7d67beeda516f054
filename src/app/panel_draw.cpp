// The Draw screen: a square canvas to draw a digit on, the 28x28 image the net sees after
// MNIST's preprocessing, and the ten output activations.
//
// Index (draw_panel calls the parts in this order, as imgui_demo.cpp calls its sections)
// [SECTION] Pictures: draw_image28, draw_bars
// [SECTION] The screen's parts: layout_draw_screen, canvas, canvas_controls, what_the_net_sees,
//           the_net_says
// [SECTION] The screen: draw_panel
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "app/app_internal.hpp"
#include "app/text.hpp"
#include "app/panel_draw_digits.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"

namespace bplab::app {

namespace {

// [SECTION] Pictures

// The 28x28 input the net sees (lab.input()) at `p` with side `side`, optionally with the scaled
// digit's box and its centre of mass. One texture, or a grey square a pixel without textures.
void draw_image28(App& app, ImDrawList* dl, ImVec2 p, float side, const PreprocessInfo* info) {
  const float* pixels = app.lab.input().data();
  const float c = side / kSide;
  if (const std::uintptr_t id = grey_texture(app, app.input_image, pixels, kSide, kSide, /*smooth=*/false)) {
    dl->AddImage(ImTextureID(id), p, ImVec2(p.x + side, p.y + side));
  } else {
    dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(0, 0, 0, 255));
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        const float v = pixels[y * kSide + x];
        if (v <= 0.004f) continue;
        dl->AddRectFilled(ImVec2(p.x + x * c, p.y + y * c), ImVec2(p.x + (x + 1) * c, p.y + (y + 1) * c), ui::grey(v));
      }
  }
  dl->AddRect(p, ImVec2(p.x + side, p.y + side), ui::palette().outline);
  if (info && !info->empty) {
    // Drawn on the black image in either theme: the dark theme's colours, told apart by shape.
    const ui::Palette& on_black = ui::kDarkPalette;
    dl->AddRect(ImVec2(p.x + info->bx0 * c, p.y + info->by0 * c), ImVec2(p.x + info->bx1 * c, p.y + info->by1 * c),
                on_black.highlight, 0, 0, 1.5f);
    const ImVec2 m(p.x + info->com_x * c, p.y + info->com_y * c);
    dl->AddLine(ImVec2(m.x - 6, m.y), ImVec2(m.x + 6, m.y), on_black.warning, 2);
    dl->AddLine(ImVec2(m.x, m.y - 6), ImVec2(m.x, m.y + 6), on_black.warning, 2);
    // The field's centre (14, 14), where the centre of mass should land.
    dl->AddCircle(ImVec2(p.x + 14 * c, p.y + 14 * c), 4, on_black.accent, 12, 1.5f);
  }
}

// The ten outputs as horizontal bars, the predicted one highlighted.
void draw_bars(Lab& lab, float width) {
  const Vector<float>& a = lab.prediction();
  const float row = ImGui::GetTextLineHeight() + 3;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float label_w = ImGui::CalcTextSize("0 ").x, value_w = ImGui::CalcTextSize("0.000").x + 6;
  const float bar_w = std::max(10.0f, width - label_w - value_w);
  for (int d = 0; d < int(a.size()); ++d) {
    const float v = std::clamp(a(d), 0.0f, 1.0f);
    const float y = p.y + d * row;
    const bool best = lab.has_input() && d == lab.predicted();
    char text[16];
    std::snprintf(text, sizeof text, "%d", d);
    dl->AddText(ImVec2(p.x, y), best ? ui::palette().accent : ImGui::GetColorU32(ImGuiCol_Text), text);
    const ImVec2 b0(p.x + label_w, y + 2), b1(p.x + label_w + bar_w, y + row - 3);
    dl->AddRectFilled(b0, b1, ui::palette().track, 2);
    dl->AddRectFilled(b0, ImVec2(b0.x + v * bar_w, b1.y), best ? ui::palette().accent : ui::palette().dim, 2);
    std::snprintf(text, sizeof text, "%.3f", v);
    dl->AddText(ImVec2(b1.x + 6, y), ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
  }
  ImGui::Dummy(ImVec2(width, row * a.size()));
}

// [SECTION] The screen's parts

// How the screen is laid out for the space it has.
struct DrawLayout {
  ImVec2 avail;
  float gap = 0;
  bool wide = false;     // the column beside the canvas, else below it
  bool compact = false;  // an embed: shorter labels, no captions
  const char* test_label = "";
  const char* box_label = "";
  float side = 0;        // the canvas's side
};

DrawLayout layout_draw_screen() {
  DrawLayout d;
  d.avail = ImGui::GetContentRegionAvail();
  // Room below for My digits (panel_draw_digits.cpp) where the window is tall enough; else it scrolls.
  if (d.avail.y > 520) d.avail.y -= std::min(my_digits_height(), d.avail.y * 0.45f);
  const ImVec2 avail = d.avail;
  const float gap = d.gap = ImGui::GetStyle().ItemSpacing.x * 2;
  const bool wide = d.wide = avail.x >= avail.y * 1.2f;
  const bool compact = d.compact = avail.x < 560 || avail.y < 360;
  const char* test_label = d.test_label = compact ? "Test digit" : "Show me a test digit";
  const char* box_label = d.box_label = compact ? "box, centre" : "Show bounding box and centre of mass";
  float side = wide ? std::min(avail.y, (avail.x - gap) * 0.55f) : std::min(avail.x, avail.y * 0.55f);
  if (wide) {  // leave the column beside the canvas room for its buttons and its checkbox
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttons_w = ImGui::CalcTextSize("Clear").x + ImGui::CalcTextSize(test_label).x +
                            style.FramePadding.x * 4 + style.ItemSpacing.x;
    const float box_w = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(box_label).x;
    side = std::min(side, avail.x - gap - std::max(buttons_w, box_w));
  }
  d.side = std::max(side, 80.0f);
  return d;
}

// The canvas: strokes in, the ink (or the test digit) shown, with its hint or caption. Returns
// its top left.
ImVec2 canvas(App& app, const DrawLayout& layout) {
  Lab& lab = app.lab;
  const float side = layout.side;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("canvas", ImVec2(side, side));
  {
    mirror::Description d;
    d.role = mirror::Role::Image;
    d.name = "Drawing area: draw a digit with a mouse, a finger or a pen";
    ui::describe_last(std::move(d));
  }
  lab.draw_rect = {p.x, p.y, side, side};
  lab.draw_rect_visible = true;
  const float scale = side / lab.canvas.size;  // screen pixels per canvas pixel
  if (ImGui::IsItemActive()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float cx = (m.x - p.x) / scale, cy = (m.y - p.y) / scale;
    if (ImGui::IsItemActivated()) lab.begin_stroke(cx, cy);
    else lab.continue_stroke(cx, cy);
  }
  if (lab.showing_test_digit()) {
    dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(0, 0, 0, 255), 4);
    draw_image28(app, dl, p, side, nullptr);
  } else if (const std::uintptr_t id = grey_texture(app, app.canvas_image, lab.canvas.ink.data(), lab.canvas.size,
                                                    lab.canvas.size, /*smooth=*/true)) {
    // The ink itself, as preprocessing reads it: one textured square, however long the strokes.
    dl->AddImageRounded(ImTextureID(id), p, ImVec2(p.x + side, p.y + side), ImVec2(0, 0), ImVec2(1, 1),
                        IM_COL32_WHITE, 4);
  } else {
    // Without textures: the strokes as round-capped lines.
    dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(0, 0, 0, 255), 4);
    dl->PushClipRect(p, ImVec2(p.x + side, p.y + side), true);
    const float r = lab.canvas.default_radius() * scale;
    for (const auto& s : lab.strokes) {
      for (size_t i = 0; i < s.size(); ++i) {
        const ImVec2 a(p.x + s[i][0] * scale, p.y + s[i][1] * scale);
        dl->AddCircleFilled(a, r, IM_COL32_WHITE, 16);
        if (i > 0) dl->AddLine(ImVec2(p.x + s[i - 1][0] * scale, p.y + s[i - 1][1] * scale), a, IM_COL32_WHITE, 2 * r);
      }
    }
    dl->PopClipRect();
  }
  // The ink's bounding box on the drawing (the 28x28 image shows the scaled one).
  if (!lab.showing_test_digit() && app.show_box && !lab.preprocess_info().empty) {
    const PreprocessInfo& in = lab.preprocess_info();
    dl->AddRect(ImVec2(p.x + in.x0 * scale, p.y + in.y0 * scale), ImVec2(p.x + in.x1 * scale, p.y + in.y1 * scale),
                ui::kDarkPalette.highlight, 0, 0, 1.5f);
  }
  dl->AddRect(p, ImVec2(p.x + side, p.y + side), ui::palette().outline, 4);
  if (!lab.has_input()) {
    const char* hint = "Draw a digit here";
    const ImVec2 t = ImGui::CalcTextSize(hint);
    dl->AddText(ImVec2(p.x + (side - t.x) / 2, p.y + (side - t.y) / 2), ui::kDarkPalette.dim, hint);  // on the black canvas
  } else if (lab.showing_test_digit() && !layout.compact) {
    char caption[64];
    std::snprintf(caption, sizeof caption, "MNIST test image %d, label %d", lab.test_index(), lab.test_label());
    dl->AddText(ImVec2(p.x + 6, p.y + 4), ui::kDarkPalette.dim, caption);
  }
  return p;
}

// Clear, a test digit, and the bounding-box checkbox.
void canvas_controls(App& app, const DrawLayout& layout) {
  Lab& lab = app.lab;
  if (ImGui::Button("Clear")) {
    lab.clear_drawing();
    app.mirror.announce("Drawing cleared.");
  }
  ImGui::SameLine();
  if (ImGui::Button(layout.test_label)) {
    static int next = 0;
    if (lab.test().size() > 0) {
      next = (next * 7919 + 1013) % lab.test().size();  // a walk through the test set
      lab.show_test_digit(next);
    } else {
      lab.note("the test images are still loading");
      app.mirror.announce("The test images are still loading.");
    }
  }
  if (lab.test().size() == 0 && !layout.compact) {
    ImGui::SameLine();
    ImGui::TextDisabled(lab.data_error.empty() ? "(loading MNIST...)" : "(no MNIST data)");
  }
  ImGui::Checkbox(layout.box_label, &app.show_box);
}

// The 28x28 image the net sees, `img` on a side, with each pixel's value under the mouse.
void what_the_net_sees(App& app, const DrawLayout& layout, float img) {
  Lab& lab = app.lab;
  ImGui::BeginGroup();
  if (!layout.compact) ImGui::TextDisabled("What the net sees (28x28)");
  const ImVec2 ip = ImGui::GetCursorScreenPos();
  draw_image28(app, ImGui::GetWindowDrawList(), ip, img,
               app.show_box && !lab.showing_test_digit() ? &lab.preprocess_info() : nullptr);
  ImGui::Dummy(ImVec2(img, img));
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int x = std::clamp(int((m.x - ip.x) / img * kSide), 0, kSide - 1);
    const int y = std::clamp(int((m.y - ip.y) / img * kSide), 0, kSide - 1);
    ImGui::SetTooltip("pixel (%d, %d) = %.3f", x, y, lab.input()[y * kSide + x]);
  }
  ImGui::EndGroup();
}

// The net's guess, large, and for a test digit whether it is right.
void the_net_says(const Lab& lab, const DrawLayout& layout) {
  ImGui::BeginGroup();
  if (lab.has_input()) {
    if (!layout.compact) ImGui::Text("The net says:");
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(ui::palette().accent));
    ImGui::SetWindowFontScale(2.5f);
    ImGui::Text("%d", lab.predicted());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleColor();
    if (lab.showing_test_digit())
      ImGui::TextDisabled(lab.predicted() == lab.test_label() ? "correct" : "wrong: label %d", lab.test_label());
  } else {
    ImGui::TextDisabled(layout.compact ? "?" : "Draw a digit:\nthe net's guess\nappears here.");
  }
  ImGui::EndGroup();
}

}  // namespace

// [SECTION] The screen
void draw_panel(App& app) {
  Lab& lab = app.lab;
  const DrawLayout layout = layout_draw_screen();
  const ImVec2 avail = layout.avail;
  const float gap = layout.gap, side = layout.side;
  const bool wide = layout.wide, compact = layout.compact;

  const ImVec2 p = canvas(app, layout);

  // Beside it (or below, in a tall window): controls, the 28x28 input, the outputs.
  if (wide) ImGui::SameLine(0, gap);
  ImGui::BeginGroup();
  const float col_w = wide ? avail.x - side - gap : avail.x;
  canvas_controls(app, layout);

  const float row = ImGui::GetTextLineHeight() + 3;
  const float bars_h = row * 10 + ImGui::GetTextLineHeightWithSpacing() * 2;
  const float rest_h = wide ? avail.y - (ImGui::GetCursorScreenPos().y - p.y) : avail.y - side;
  float img = std::min({col_w * (wide ? 0.5f : 0.35f), 28.0f * 7, std::max(56.0f, rest_h - (wide ? bars_h : 0))});
  img = std::max(img, 56.0f);
  what_the_net_sees(app, layout, img);
  ImGui::SameLine(0, gap);
  the_net_says(lab, layout);

  if (!compact) ImGui::TextDisabled("Output activations a^L");
  draw_bars(lab, std::min(col_w, 420.0f));
  if (!compact) {
    ImGui::TextDisabled("Model: %s, %s", sizes_text(lab.model().sizes).c_str(), lab.model_name().c_str());
  }
  ImGui::EndGroup();
  my_digits(app, ImGui::GetContentRegionAvail().x);
}

}  // namespace bplab::app

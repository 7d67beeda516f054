// Small drawing helpers shared by the panels: the palette (one meaning per colour, per theme),
// colour maps and a few widgets. ImGui only.
//
// Index
// [SECTION] The palette and the theme
// [SECTION] Colour maps
// [SECTION] Widgets
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace bplab::app::ui {

// [SECTION] The palette and the theme
//
// One meaning per colour on every screen, with a second cue beside each (a sign, a marker, a
// dash, a label): blue is positive and orange negative (weights, δ, gradients: TensorFlow
// Playground's pair); green is the training set, pink the validation set, amber the test set;
// violet is the answer (the predicted digit, the followed neuron, a step's result); red warns;
// in the derivation, spring green is a measured value or a passed check, teal and magenta the
// two factors of a product, yellow what the pointer is over.
// Each colour has a value per theme, chosen for WCAG 2.1 AA on that theme's background: text
// colours at least 4.5:1, graphics (curves, rings, focus) at least 3:1. tests/app/test_contrast.cpp
// computes every pair from these tables and from the ImGui style that set_theme makes.
struct Palette {
  ImU32 background;  // what the app is drawn on (the window background as cleared)
  ImU32 zero;        // the middle of the signed scale: a value of 0 (near the background)
  // Text (and lines) of one meaning.
  ImU32 accent;      // the answer: the predicted digit, the followed neuron, a step's result
  ImU32 positive;    // sign +
  ImU32 negative;    // sign −
  ImU32 train;       // the training set (its accuracy and its cost)
  ImU32 validation;  // the validation set
  ImU32 test;        // the test set (amber: told apart from training's green by hue too)
  ImU32 warning;     // warnings, an injected bug, a failed check
  ImU32 good;        // a passed check, a value measured another way
  ImU32 heading;     // section titles (equation names)
  ImU32 factor_a;    // the first factor of a product in a formula (∂C/∂a)
  ImU32 factor_b;    // the second factor (σ′(z))
  ImU32 dim;         // secondary text (hints, axis labels)
  // Graphics only.
  ImU32 outline;     // borders of images and of neurons
  ImU32 highlight;   // what the pointer is over, linked between a formula and a picture
  ImU32 highlight_fill;  // the same behind text (a symbol, a table's row): translucent, text stays readable
  ImU32 focus;       // the keyboard focus ring
  ImU32 track;       // the empty part of a bar
};

inline constexpr Palette kDarkPalette = {
    /* background */ IM_COL32(16, 16, 17, 255),
    /* zero */ IM_COL32(38, 40, 46, 255),
    /* accent */ IM_COL32(195, 166, 255, 255),
    /* positive */ IM_COL32(90, 162, 255, 255),
    /* negative */ IM_COL32(240, 140, 40, 255),
    /* train */ IM_COL32(108, 212, 108, 255),
    /* validation */ IM_COL32(255, 122, 184, 255),
    /* test */ IM_COL32(230, 180, 60, 255),
    /* warning */ IM_COL32(255, 138, 128, 255),
    /* good */ IM_COL32(72, 222, 150, 255),
    /* heading */ IM_COL32(217, 217, 153, 255),
    /* factor_a */ IM_COL32(79, 209, 197, 255),
    /* factor_b */ IM_COL32(236, 120, 236, 255),
    /* dim */ IM_COL32(160, 163, 170, 255),
    /* outline */ IM_COL32(140, 145, 155, 255),
    /* highlight */ IM_COL32(255, 220, 80, 255),
    /* highlight_fill */ IM_COL32(255, 200, 60, 30),
    /* focus */ IM_COL32(235, 235, 235, 255),
    /* track */ IM_COL32(60, 64, 72, 255),
};
inline constexpr Palette kLightPalette = {
    /* background */ IM_COL32(240, 240, 240, 255),
    /* zero */ IM_COL32(226, 228, 232, 255),
    /* accent */ IM_COL32(106, 63, 192, 255),
    /* positive */ IM_COL32(29, 95, 194, 255),
    /* negative */ IM_COL32(150, 64, 0, 255),
    /* train */ IM_COL32(30, 105, 30, 255),
    /* validation */ IM_COL32(176, 34, 106, 255),
    /* test */ IM_COL32(110, 75, 0, 255),
    /* warning */ IM_COL32(192, 31, 31, 255),
    /* good */ IM_COL32(0, 115, 40, 255),
    /* heading */ IM_COL32(51, 65, 110, 255),
    /* factor_a */ IM_COL32(0, 100, 92, 255),
    /* factor_b */ IM_COL32(150, 40, 150, 255),
    /* dim */ IM_COL32(87, 90, 96, 255),
    /* outline */ IM_COL32(107, 112, 120, 255),
    /* highlight */ IM_COL32(138, 109, 0, 255),
    /* highlight_fill */ IM_COL32(255, 214, 0, 30),
    /* focus */ IM_COL32(20, 20, 20, 255),
    /* track */ IM_COL32(200, 203, 210, 255),
};

// The palette of the current theme (set_theme). A reference to one of its fields stays valid
// and follows a change of theme.
inline Palette g_palette = kDarkPalette;
inline const Palette& palette() { return g_palette; }

// `c` with another opacity (0–255).
inline ImU32 with_alpha(ImU32 c, int alpha) {
  return (c & ~IM_COL32_A_MASK) | (ImU32(std::clamp(alpha, 0, 255)) << IM_COL32_A_SHIFT);
}

inline ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// ImGui's style for the theme, adjusted to the palette, and the palette made current. The
// adjustments, each for WCAG 2.1 AA: hints (TextDisabled) and the focus ring in the palette's
// colours; in the dark theme, buttons (plain, hovered, pressed or current) dark enough for white
// text and told apart by lightness; frames
// outlined (a control's boundary at least 3:1); frames and table rows at least 24 px high
// (target size, 2.5.8).
inline void set_theme(ImGuiStyle& st, bool dark) {
  const Palette& p = dark ? kDarkPalette : kLightPalette;
  g_palette = p;
  if (dark) ImGui::StyleColorsDark(&st);
  else ImGui::StyleColorsLight(&st);
  ImVec4* c = st.Colors;
  c[ImGuiCol_TextDisabled] = to_vec4(p.dim);
  c[ImGuiCol_NavHighlight] = to_vec4(p.focus);
  c[ImGuiCol_Border] = to_vec4(p.outline);
  c[ImGuiCol_CheckMark] = to_vec4(p.positive);
  // A slider's value is written over its grab: a middle blue, 3:1 against the frame.
  c[ImGuiCol_SliderGrab] = c[ImGuiCol_SliderGrabActive] = dark ? ImVec4(0.24f, 0.52f, 0.88f, 1) : ImVec4(0.27f, 0.51f, 0.86f, 1);
  c[ImGuiCol_PlotLines] = c[ImGuiCol_PlotHistogram] = to_vec4(p.positive);
  if (dark) {  // a button dark, hovered lighter, pressed (and the current screen's) a clear blue
    c[ImGuiCol_Button] = ImVec4(0.17f, 0.20f, 0.27f, 1.0f);
    c[ImGuiCol_ButtonHovered] = c[ImGuiCol_HeaderHovered] = ImVec4(0.22f, 0.30f, 0.44f, 1.0f);
    c[ImGuiCol_ButtonActive] = c[ImGuiCol_HeaderActive] = ImVec4(0.16f, 0.40f, 0.75f, 1.0f);
    c[ImGuiCol_TabActive] = c[ImGuiCol_TabHovered] = ImVec4(0.16f, 0.40f, 0.75f, 1.0f);
  }
  st.FrameBorderSize = 1;
  st.FramePadding = ImVec2(8, 5);
  st.CellPadding = ImVec2(4, 4);
}

// WCAG 2.1's relative luminance of an sRGB colour (its alpha ignored) and the contrast ratio of
// two colours, 1 to 21.
inline double luminance(ImU32 c) {
  auto lin = [](int v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin((c >> IM_COL32_R_SHIFT) & 0xFF) + 0.7152 * lin((c >> IM_COL32_G_SHIFT) & 0xFF) +
         0.0722 * lin((c >> IM_COL32_B_SHIFT) & 0xFF);
}
inline double contrast(ImU32 a, ImU32 b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Black or white, whichever reads better on `bg` (text on a coloured cell): at least 4.58:1 on
// any background, since the two ratios meet at a luminance of 0.179.
inline ImU32 text_on(ImU32 bg) {
  const ImU32 black = IM_COL32(0, 0, 0, 255), white = IM_COL32(255, 255, 255, 255);
  return contrast(black, bg) >= contrast(white, bg) ? black : white;
}

// [SECTION] Colour maps

// Ink on a dark background, as the net sees it: 0 black, 1 white.
inline ImU32 grey(float v) {
  const int c = int(std::clamp(std::isfinite(v) ? v : 0.0f, 0.0f, 1.0f) * 255.0f + 0.5f);
  return IM_COL32(c, c, c, 255);
}

// Signed values (weights, δ, gradients) scaled by `scale`: from the palette's zero colour to
// blue for positive and orange for negative (of `p`, the current theme's palette by default).
// Colour is never the only cue: legends and tooltips say the sign (+ / −).
inline ImU32 diverging(float v, float scale, const Palette& p) {
  float t = scale > 0 && std::isfinite(v) ? std::clamp(v / scale, -1.0f, 1.0f) : 0.0f;
  const ImU32 to = t >= 0 ? p.positive : p.negative;
  t = std::abs(t);
  auto mix = [&](int shift) {
    const float a = float((p.zero >> shift) & 0xFF), b = float((to >> shift) & 0xFF);
    return ImU32(a + t * (b - a) + 0.5f) << shift;
  };
  return mix(IM_COL32_R_SHIFT) | mix(IM_COL32_G_SHIFT) | mix(IM_COL32_B_SHIFT) | (ImU32(255) << IM_COL32_A_SHIFT);
}
inline ImU32 diverging(float v, float scale) { return diverging(v, scale, palette()); }

// The sign of a value as text, for a second cue beside its colour: "+", "−" or "" for 0.
inline const char* sign(double v) { return v > 0 ? "+" : v < 0 ? "\xE2\x88\x92" : ""; }

// Activations in [0, 1]: dark blue-grey to warm yellow (every neuron also has an outline ring).
inline ImU32 activation(float a) {
  const float t = std::clamp(std::isfinite(a) ? a : 0.0f, 0.0f, 1.0f);
  return IM_COL32(int(40 + t * 215), int(44 + t * 181), int(52 + t * 28), 255);
}

// An ImGui colour as the four RGBA bytes of a texture pixel.
inline void put_rgba(unsigned char* px, ImU32 c) {
  px[0] = (c >> IM_COL32_R_SHIFT) & 0xFF;
  px[1] = (c >> IM_COL32_G_SHIFT) & 0xFF;
  px[2] = (c >> IM_COL32_B_SHIFT) & 0xFF;
  px[3] = (c >> IM_COL32_A_SHIFT) & 0xFF;
}

// [SECTION] Widgets

// A coloured line of text that wraps.
inline void warning_text(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().warning));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

// A legend for the signed colours: "<what>  ■ + positive  ■ − negative", the sign written beside
// each colour.
inline void sign_legend(const char* what) {
  if (*what) ImGui::TextUnformatted(what);
  const float h = ImGui::GetTextLineHeight();
  for (int s : {1, -1}) {
    // On the line, or on the next where it does not fit (a narrow window: 400% zoom).
    const float w = h + ImGui::CalcTextSize("+ negative").x + ImGui::GetStyle().ItemSpacing.x;
    if (*what || s < 0) ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    const ImVec2 q = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(q.x, q.y + 2), ImVec2(q.x + h - 4, q.y + h - 2), diverging(float(s), 1.0f));
    ImGui::Dummy(ImVec2(h - 4, h));
    ImGui::SameLine(0, 4);
    ImGui::Text("%s %s", sign(s), s > 0 ? "positive" : "negative");
  }
}

// Long panels scroll by dragging (a finger on a phone): a drag that starts on no widget of the
// current window (or of its child windows) scrolls it. Call at the end of the window's contents.
inline void drag_to_scroll() {
  static bool dragging = false;  // the drag started on the window's background
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    dragging = ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && !ImGui::IsAnyItemHovered();
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging = false;
  if (dragging && ImGui::GetScrollMaxY() > 0) ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

// The largest |x| of n values (0 for none or non-finite).
template <typename It>
float max_abs(It begin, It end) {
  float m = 0;
  for (It i = begin; i != end; ++i)
    if (std::isfinite(float(*i))) m = std::max(m, std::abs(float(*i)));
  return m;
}

}  // namespace bplab::app::ui

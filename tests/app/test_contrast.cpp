// WCAG 2.1 AA contrast of the app's colours, computed from the theme tables (ui::set_theme and
// ui::Palette, src/app/ui.hpp): every colour pair used for text at least 4.5:1 (1.4.3), every
// pair used for graphics (curves, rings, markers, the focus ring, a control's boundary) at
// least 3:1 (1.4.11), in both themes.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#include "app/ui.hpp"

namespace ui = bplab::app::ui;

namespace {

// `fg` (with its alpha) over the opaque `bg`.
ImU32 over(ImVec4 fg, ImU32 bg) {
  const ImVec4 b = ImGui::ColorConvertU32ToFloat4(bg);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(fg.x * fg.w + b.x * (1 - fg.w), fg.y * fg.w + b.y * (1 - fg.w),
                                               fg.z * fg.w + b.z * (1 - fg.w), 1.0f));
}
ImU32 over(ImU32 fg, ImU32 bg) { return over(ImGui::ColorConvertU32ToFloat4(fg), bg); }

struct Pair {
  std::string what;
  ImU32 fg, bg;
  double least;
};

// Every pair the app draws, for one theme.
std::vector<Pair> pairs(bool dark) {
  ImGuiStyle st;
  ui::set_theme(st, dark);
  const ui::Palette& p = ui::palette();
  const ImVec4* c = st.Colors;
  // What the window is cleared to: the style's window background over the base grey
  // (app.cpp, background_color); the palette's background must be that colour.
  const ImVec4 w = c[ImGuiCol_WindowBg];
  const ImU32 bg = over(w, ImGui::ColorConvertFloat4ToU32(ImVec4(0.12f, 0.13f, 0.15f, 1.0f)));
  std::vector<Pair> out;
  out.push_back({"palette background vs the cleared window (must be equal: ratio 1)", p.background, bg, 1.0});
  const ImU32 popup = over(c[ImGuiCol_PopupBg], bg), frame = over(c[ImGuiCol_FrameBg], bg);
  // Text on every surface ImGui draws it on.
  const struct { const char* name; ImGuiCol col; } surfaces[] = {
      {"WindowBg", ImGuiCol_WindowBg}, {"PopupBg", ImGuiCol_PopupBg}, {"FrameBg", ImGuiCol_FrameBg},
      {"FrameBgHovered", ImGuiCol_FrameBgHovered}, {"FrameBgActive", ImGuiCol_FrameBgActive},
      {"Button", ImGuiCol_Button}, {"ButtonHovered", ImGuiCol_ButtonHovered}, {"ButtonActive", ImGuiCol_ButtonActive},
      {"Header", ImGuiCol_Header}, {"HeaderHovered", ImGuiCol_HeaderHovered}, {"HeaderActive", ImGuiCol_HeaderActive},
      {"TableHeaderBg", ImGuiCol_TableHeaderBg}, {"TableRowBgAlt", ImGuiCol_TableRowBgAlt},
  };
  for (const auto& s : surfaces) {
    const ImU32 under = s.col == ImGuiCol_WindowBg ? bg : over(c[s.col], bg);
    out.push_back({std::string("Text on ") + s.name, over(c[ImGuiCol_Text], under), under, 4.5});
  }
  for (ImU32 under : {bg, popup, frame})
    out.push_back({"TextDisabled (hints) on " + std::string(under == bg ? "WindowBg" : under == popup ? "PopupBg" : "FrameBg"),
                   over(c[ImGuiCol_TextDisabled], under), under, 4.5});
  // The palette's text colours (coloured numbers, titles, warnings, hints, curve labels).
  const struct { const char* name; ImU32 ui::Palette::*colour; } text[] = {
      {"accent", &ui::Palette::accent},     {"positive", &ui::Palette::positive},
      {"negative", &ui::Palette::negative}, {"train", &ui::Palette::train},
      {"validation", &ui::Palette::validation}, {"test", &ui::Palette::test},
      {"warning", &ui::Palette::warning},   {"good", &ui::Palette::good},
      {"heading", &ui::Palette::heading},   {"factor_a", &ui::Palette::factor_a},
      {"factor_b", &ui::Palette::factor_b}, {"dim", &ui::Palette::dim},
  };
  const ImU32 row_alt = over(c[ImGuiCol_TableRowBgAlt], bg);
  for (const auto& t : text) {
    out.push_back({std::string("text ") + t.name + " on the background", p.*t.colour, bg, 4.5});
    out.push_back({std::string("text ") + t.name + " in a tooltip", p.*t.colour, popup, 4.5});
    out.push_back({std::string("text ") + t.name + " on a table's other rows", p.*t.colour, row_alt, 4.5});
  }
  // Text on the highlight behind what the pointer is over (a formula's symbol, a table's row in
  // the derivation), on either row colour.
  for (ImU32 under : {bg, row_alt}) {
    const ImU32 lit = over(p.highlight_fill, under);
    const std::string on = under == bg ? " on the pointer's highlight" : " on the pointer's highlight over a table's other row";
    for (const auto& t : text) out.push_back({std::string("text ") + t.name + on, p.*t.colour, lit, 4.5});
    out.push_back({"Text" + on, over(c[ImGuiCol_Text], lit), lit, 4.5});
  }
  // Graphics.
  const struct { const char* name; ImU32 ui::Palette::*colour; } graphics[] = {
      {"outline", &ui::Palette::outline},   {"focus", &ui::Palette::focus},
      {"highlight", &ui::Palette::highlight}, {"positive", &ui::Palette::positive},
      {"negative", &ui::Palette::negative}, {"train curve", &ui::Palette::train},
      {"validation curve", &ui::Palette::validation}, {"test curve", &ui::Palette::test},
      {"accent", &ui::Palette::accent},     {"bar (dim)", &ui::Palette::dim},
      // The derivation's pictures (step 2's and 3's paths, the one-neuron tree): edges in the
      // colours of the factors they stand for, the bug's label, the sweep's reference lines.
      {"∂C/∂a edge (factor_a)", &ui::Palette::factor_a}, {"∂a/∂z edge (factor_b)", &ui::Palette::factor_b},
      {"the bug's curve (warning)", &ui::Palette::warning},
  };
  for (const auto& g : graphics) out.push_back({std::string("graphic ") + g.name + " on the background", p.*g.colour, bg, 3.0});
  out.push_back({"graphic positive, full scale, vs zero", ui::diverging(1, 1), p.zero, 3.0});
  out.push_back({"graphic negative, full scale, vs zero", ui::diverging(-1, 1), p.zero, 3.0});
  out.push_back({"accent bar vs its track", p.accent, p.track, 3.0});
  out.push_back({"focus ring (NavHighlight) on the background", over(c[ImGuiCol_NavHighlight], bg), bg, 3.0});
  out.push_back({"a control's boundary (Border) on the background", over(c[ImGuiCol_Border], bg), bg, 3.0});
  out.push_back({"check mark on its frame", over(c[ImGuiCol_CheckMark], frame), frame, 3.0});
  out.push_back({"slider grab on its frame", over(c[ImGuiCol_SliderGrab], frame), frame, 3.0});
  // Marks drawn on the black drawing canvas and 28x28 image, in either theme.
  const ImU32 black = IM_COL32(0, 0, 0, 255);
  out.push_back({"hint text on the black canvas", ui::kDarkPalette.dim, black, 4.5});
  for (ImU32 mark : {ui::kDarkPalette.highlight, ui::kDarkPalette.warning, ui::kDarkPalette.accent})
    out.push_back({"box / centre-of-mass mark on the black image", mark, black, 3.0});
  return out;
}

TEST(Contrast, EveryThemePairMeetsWcagAA) {
  for (bool dark : {true, false}) {
    int checked = 0;
    for (const Pair& pr : pairs(dark)) {
      const double r = ui::contrast(pr.fg, pr.bg);
      if (pr.least == 1.0) {
        EXPECT_NEAR(r, 1.0, 0.02) << (dark ? "dark: " : "light: ") << pr.what;
        continue;
      }
      EXPECT_GE(r, pr.least) << (dark ? "dark: " : "light: ") << pr.what << std::hex << " fg #" << pr.fg << " bg #" << pr.bg;
      ++checked;
    }
    EXPECT_GT(checked, 60);
  }
}

// One meaning per colour: no two roles of a theme's palette share a colour, and the roles that
// mark a meaning (text and marks of one kind of thing) are clearly apart: at least 24 of 255 on
// some channel (test set amber and the highlight's yellow were 19 apart in the light theme).
TEST(Contrast, NoTwoRolesShareAColour) {
  const struct { const char* name; ImU32 ui::Palette::*colour; bool meaning; } roles[] = {
      {"background", &ui::Palette::background, false}, {"zero", &ui::Palette::zero, false},
      {"accent", &ui::Palette::accent, true},          {"positive", &ui::Palette::positive, true},
      {"negative", &ui::Palette::negative, true},      {"train", &ui::Palette::train, true},
      {"validation", &ui::Palette::validation, true},  {"test", &ui::Palette::test, true},
      {"warning", &ui::Palette::warning, true},        {"good", &ui::Palette::good, true},
      {"heading", &ui::Palette::heading, true},        {"factor_a", &ui::Palette::factor_a, true},
      {"factor_b", &ui::Palette::factor_b, true},      {"dim", &ui::Palette::dim, false},
      {"outline", &ui::Palette::outline, false},       {"highlight", &ui::Palette::highlight, true},
      {"highlight_fill", &ui::Palette::highlight_fill, false}, {"focus", &ui::Palette::focus, true},
      {"track", &ui::Palette::track, false},
  };
  static_assert(sizeof(roles) / sizeof(roles[0]) == sizeof(ui::Palette) / sizeof(ImU32), "every role of the palette is listed");
  auto apart = [](ImU32 a, ImU32 b) {
    int most = 0;
    for (int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT})
      most = std::max(most, std::abs(int((a >> shift) & 0xFF) - int((b >> shift) & 0xFF)));
    return most;
  };
  for (const ui::Palette* p : {&ui::kDarkPalette, &ui::kLightPalette})
    for (size_t i = 0; i < std::size(roles); ++i)
      for (size_t k = i + 1; k < std::size(roles); ++k) {
        const ImU32 a = p->*roles[i].colour, b = p->*roles[k].colour;
        const std::string what = std::string(p == &ui::kDarkPalette ? "dark: " : "light: ") + roles[i].name + " and " + roles[k].name;
        EXPECT_NE(a, b) << what;
        if (roles[i].meaning && roles[k].meaning) EXPECT_GE(apart(a, b), 24) << what;
      }
}

// The formula itself, against WCAG's worked values.
// Text on coloured cells (derivation step 3's Jacobian): black or white, readable on every colour
// the diverging map gives, in both themes.
TEST(Contrast, TextOnAnyCellColourReads) {
  for (const ui::Palette* p : {&ui::kDarkPalette, &ui::kLightPalette})
    for (int i = -100; i <= 100; ++i) {
      const ImU32 bg = ui::diverging(i / 100.0f, 1.0f, *p);
      EXPECT_GE(ui::contrast(ui::text_on(bg), bg), 4.5) << "t = " << i / 100.0;
    }
  for (int v = 0; v < 256; v += 5) EXPECT_GE(ui::contrast(ui::text_on(IM_COL32(v, v, v, 255)), IM_COL32(v, v, v, 255)), 4.5) << v;
}

TEST(Contrast, RatioOfKnownPairs) {
  EXPECT_NEAR(ui::contrast(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255)), 21.0, 1e-9);
  EXPECT_NEAR(ui::contrast(IM_COL32(118, 118, 118, 255), IM_COL32(255, 255, 255, 255)), 4.54, 0.01);
  EXPECT_NEAR(ui::contrast(IM_COL32(10, 20, 30, 255), IM_COL32(10, 20, 30, 255)), 1.0, 1e-9);
}

// The palette follows the theme, and so does a reference to one of its colours.
TEST(Contrast, PaletteFollowsTheTheme) {
  const ImU32& accent = ui::palette().accent;
  ImGuiStyle st;
  ui::set_theme(st, false);
  EXPECT_EQ(accent, ui::kLightPalette.accent);
  ui::set_theme(st, true);
  EXPECT_EQ(accent, ui::kDarkPalette.accent);
  EXPECT_NE(ui::kDarkPalette.accent, ui::kLightPalette.accent);
}

}  // namespace

// Loads DejaVu fonts with the glyph ranges of the book's notation. See fonts.hpp.
#include "app/fonts.hpp"

#include <imgui.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bplab::app {
namespace {

Fonts g_fonts;
float g_font_scale = 1.0f;

// Unicode ranges (pairs, zero-terminated): the ImGui atlas only holds what is listed here, and
// the web build cuts the font files to the same ranges (src/platform/CMakeLists.txt reads them
// from between the two marker lines). Every glyph costs atlas time at start-up: 8 fonts are
// rasterised before the first frame, so the list is the app's own notation, not whole blocks.
// tests/app checks that every character in the app's strings is listed.
// glyph ranges begin
const ImWchar kRanges[] = {
    0x0020, 0x007E,  // ASCII
    0x00A0, 0x00FF,  // Latin-1: · × ± ² ³ ¹ ½ and accented letters of names
    0x0391, 0x03C9,  // Greek letters: σ δ η λ ε Σ Δ ...
    0x1D38, 0x1D38,  // ᴸ (the output layer, in plain text)
    0x1D40, 0x1D40,  // ᵀ (transpose)
    0x2013, 0x2016,  // – — ‖
    0x2018, 0x201D,  // ‘ ’ “ ”
    0x2022, 0x2022,  // •
    0x2026, 0x2026,  // …
    0x2032, 0x2033,  // ′ ″
    0x2070, 0x209C,  // superscripts and subscripts
    0x2113, 0x2113,  // ℓ
    0x2190, 0x2194,  // ← ↑ → ↓ ↔
    0x2202, 0x2202,  // ∂
    0x2207, 0x2208,  // ∇ ∈
    0x2211, 0x2212,  // ∑ −
    0x2219, 0x221A,  // ∙ √
    0x221E, 0x221E,  // ∞
    0x2248, 0x2248,  // ≈
    0x2260, 0x2265,  // ≠ ≡ ≤ ≥
    0x2297, 0x2299,  // ⊗ ⊙
    0x22C5, 0x22C5,  // ⋅
    0x25A0, 0x25A1,  // ■ □
    0x25B2, 0x25B2,  // ▲
    0x25B6, 0x25B6,  // ▶
    0x25BC, 0x25BC,  // ▼
    0x25C0, 0x25C0,  // ◀
    0x25CB, 0x25CB,  // ○
    0x25CF, 0x25CF,  // ●
    0x2C7C, 0x2C7C,  // ⱼ (subscript j, in plain text)
    0,
};
// glyph ranges end


bool readable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f) std::fclose(f);
  return f != nullptr;
}

// The folder holding the DejaVu files, ending in "/", or "" when there is none.
std::string font_dir() {
  if (const char* env = std::getenv("BPLAB_FONT_DIR")) {
    const std::string dir = std::string(env) + "/";
    return readable(dir + "DejaVuSans.ttf") ? dir : "";
  }
  for (const char* dir : {"/fonts/dejavu/", "/usr/share/fonts/truetype/dejavu/"})
    if (readable(std::string(dir) + "DejaVuSans.ttf")) return dir;
  return "";
}

}  // namespace

bool has_glyph(unsigned codepoint) {
  for (const ImWchar* r = kRanges; r[0]; r += 2)
    if (codepoint >= r[0] && codepoint <= r[1]) return true;
  return false;
}

const Fonts& fonts() {
  if (!g_fonts.ui.font && ImGui::GetCurrentContext()) {
    // Before load_fonts (or when it failed): ImGui's default font in every slot.
    ImFont* f = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
    const float s = f ? f->FontSize : 13.0f;
    g_fonts.ui = g_fonts.mono = {f, s};
    for (int i = 0; i < 3; ++i) g_fonts.math[i] = g_fonts.math_italic[i] = {f, s * (i == 0 ? 0.75f : i == 2 ? 1.4f : 1.0f)};
  }
  return g_fonts;
}

void set_font_scale(float scale) { g_font_scale = scale >= 0.5f && scale <= 4.0f ? scale : 1.0f; }

bool load_fonts(float pixel_ratio, bool math) {
  if (!(pixel_ratio > 0.25f && pixel_ratio < 8.0f)) pixel_ratio = 1.0f;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  g_fonts = Fonts{};
  g_fonts.pixel_ratio = pixel_ratio;

  const std::string dir = font_dir();
  auto add = [&](const char* file, float size) -> FontRef {
    size *= g_font_scale;  // the reader's text size
    if (dir.empty() || !readable(dir + file)) return {};  // ImGui asserts on a missing file
    ImFontConfig cfg;
    cfg.OversampleH = 2;  // already at device resolution: light oversampling is enough
    cfg.OversampleV = 1;
    cfg.PixelSnapH = false;
    ImFont* f = io.Fonts->AddFontFromFileTTF((dir + file).c_str(), size * pixel_ratio, &cfg, kRanges);
    return {f, size};
  };
  // The first font added is ImGui's default.
  g_fonts.ui = add("DejaVuSans.ttf", 15.0f);
  g_fonts.mono = add("DejaVuSansMono.ttf", 14.0f);
  const float sizes[3] = {13.0f, 18.0f, 26.0f};
  bool ok = g_fonts.ui.font && g_fonts.mono.font;
  for (int i = 0; i < 3; ++i) {
    if (math) {
      g_fonts.math[i] = add("DejaVuSerif.ttf", sizes[i]);
      g_fonts.math_italic[i] = add("DejaVuSerif-Italic.ttf", sizes[i]);
      ok = ok && g_fonts.math[i].font && g_fonts.math_italic[i].font;
    } else {
      g_fonts.math[i] = g_fonts.math_italic[i] = {g_fonts.ui.font, sizes[i] * g_font_scale};
    }
  }
  g_fonts.math_loaded = math;
  if (!ok) {
    std::fprintf(stderr, "bplab-app: DejaVu fonts not found (%s); using ImGui's built-in font\n",
                 dir.empty() ? "no font folder" : dir.c_str());
    io.Fonts->Clear();
    io.Fonts->AddFontDefault();
    io.FontGlobalScale = 1.0f;
    g_fonts = Fonts{};
    g_fonts.pixel_ratio = 1.0f;
    fonts();  // fills every slot with the default font
    g_fonts.math_loaded = true;  // as loaded as it gets
    return false;
  }
  g_fonts.dejavu = true;
  io.FontGlobalScale = 1.0f / pixel_ratio;  // glyphs made at device pixels, laid out in ImGui units
  return true;
}

}  // namespace bplab::app

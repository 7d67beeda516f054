// The app's fonts: DejaVu Sans for the interface, DejaVu Serif (upright and italic) in three
// sizes for typeset math, DejaVu Sans Mono for tables of numbers. All with the Greek and math
// glyphs the derivation screen writes (∂ Σ ∇ ⊙ σ δ ′ − · ≡ ≈ ᵀ ...): Dear ImGui rasterises
// only the glyph ranges it is given.
//
// Crisp at any devicePixelRatio: each font is rasterised at pixel_ratio × its size and
// io.FontGlobalScale is set to 1 / pixel_ratio, so one ImGui unit stays one CSS pixel while
// every glyph is drawn from a bitmap made at the screen's own resolution.
//
// Where the files come from: Debian's fonts-dejavu-core, at /usr/share/fonts/truetype/dejavu
// natively; the web build packages the same files into its virtual file system at
// /fonts/dejavu (see src/platform/CMakeLists.txt). BPLAB_FONT_DIR overrides both.
#pragma once

struct ImFont;

namespace bplab::app {

// One font at one size. `size` is in ImGui units (the font was rasterised at size × ratio).
struct FontRef {
  ImFont* font = nullptr;
  float size = 13.0f;
};

struct Fonts {
  FontRef ui;                    // DejaVu Sans: labels, buttons, prose (the default font)
  FontRef mono;                  // DejaVu Sans Mono: columns of numbers
  FontRef math[3];               // DejaVu Serif, upright: script, text, big-operator sizes
  FontRef math_italic[3];        // DejaVu Serif Italic: variables, at the same three sizes
  bool dejavu = false;           // false: the files were not found, ImGui's built-in font is used
  bool math_loaded = false;      // false: math and math_italic stand in with the interface font
  float pixel_ratio = 1.0f;
};

// Adds the fonts to ImGui's atlas (call once after ImGui::CreateContext(), before the first
// frame; calling again, after a change of pixel_ratio or to add the math fonts, rebuilds the
// atlas, which the renderer must then upload again). Without `math` only the interface and
// mono fonts are made: the six math fonts are most of the atlas's work, and only the
// derivation screen writes math, so the web app makes them when that screen is first shown
// and its first frame comes sooner. Returns false, and falls back to ImGui's default font
// everywhere, when the DejaVu files are missing.
bool load_fonts(float pixel_ratio, bool math = true);

// The reader's text size, as a factor of the app's default sizes (0.5 to 4): every font is
// made that much larger at the next load_fonts.
void set_font_scale(float scale);

// The fonts loaded last (ImGui's default font in every slot before load_fonts).
const Fonts& fonts();
// Whether labels may use Greek letters: ImGui's built-in font (used when DejaVu is missing) has none.
inline bool have_greek() { return fonts().dejavu; }

// Whether the fonts hold a glyph for `codepoint` (the atlas's glyph ranges).
bool has_glyph(unsigned codepoint);

}  // namespace bplab::app

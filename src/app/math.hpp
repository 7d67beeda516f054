// A small typesetting layer for the book's notation on ImGui draw lists: boxes with a width,
// an ascent and a descent (TeX's model, much reduced), built from a few constructors and drawn
// with the serif fonts of fonts.hpp.
//
//   using namespace bplab::app::math;
//   Node e = row({sup(sub(var("δ"), var("j")), var("L")), op("≡"),
//                 frac(row({sym("∂"), var("C")}), row({sym("∂"), sub(sup(var("z"), var("L")), var("j"))}))});
//   math::show(e);                     // as an ImGui item at the cursor
//
// Levels: 0 is script size (sub/superscripts), 1 the text size, 2 the big-operator size.
// A node may carry a tag (a neuron or weight of the sketch): hovering it reports the tag, and
// a tag equal to the highlighted one gets a background, so symbols and sketch light up together.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

namespace bplab::app::math {

struct Box {
  float width = 0, ascent = 0, descent = 0;  // ascent above the baseline, descent below
  float height() const { return ascent + descent; }
};

struct NodeData;
using Node = std::shared_ptr<const NodeData>;

// Leaves.
Node var(const std::string& utf8);             // a variable, italic: z, a, C, σ, δ, j
Node sym(const std::string& utf8);             // upright: digits, ∂, ∇, names such as "ln"
Node op(const std::string& utf8);              // a binary operator or relation with space around: = ≡ + − ⊙ ·
Node num(double value, int digits = 4);        // a number, upright, "−0.0123" with a real minus sign
Node text(const std::string& utf8);            // prose inside math, upright sans
Node space(float em);                          // horizontal space, in em of the current size

// Compounds.
Node row(std::vector<Node> items);
Node frac(Node numerator, Node denominator);    // a bar, both parts centred, at the same size as around it
Node sub(Node base, Node subscript);
Node sup(Node base, Node superscript);
Node subsup(Node base, Node subscript, Node superscript);
Node bigop(const std::string& utf8, Node under, Node over);  // Σ with limits below and above
Node paren(Node inner, const char* left = "(", const char* right = ")");  // grows with its contents; "[" "]" too
Node color(Node inner, ImU32 rgba);
Node tagged(Node inner, int tag);               // hover/highlight identity (tag ≥ 0)

// Shorthands for the book's indexed symbols: x^{layer}_{index}, e.g. idx("z", "L", "j") is z^L_j.
Node idx(const std::string& name, const std::string& layer, const std::string& index);

// Layout and drawing. `level` 1 is the text size.
Box measure(const Node& n, int level = 1);
// Draws with the baseline's left end at `origin`. `highlight` is the tag to light up (−1 for
// none); returns the tag under the mouse (−1 for none) through `hovered`.
void draw(ImDrawList* dl, const Node& n, ImVec2 baseline_left, int level, int highlight, int* hovered);

// As one ImGui item at the cursor: reserves the space, draws, and returns the tag under the
// mouse (−1 for none).
int show(const Node& n, int highlight = -1, int level = 1);

// Plain text of a formula (for tests and the transcript's fallback): "δ^L_j ≡ ∂C/∂z^L_j".
std::string plain(const Node& n);
// MathML (presentation) of a formula, every text escaped: <math>...</math>.
std::string mathml(const Node& n, bool display = false);

// `s` with & < > " ' replaced by their HTML entities.
std::string escape(const std::string& s);

// Formats a double for the screen: 4 significant digits, a real minus sign (U+2212), and
// scientific notation as "1.23×10⁻⁵" when small or large.
std::string format_number(double v, int digits = 4);

}  // namespace bplab::app::math

// How a step writes: `Out` (to the screen, the transcript as HTML with MathML, or state()'s
// checks and products), its tables, and the book's equations as math nodes. The steps are
// written once, against this.
#pragma once

#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

#include "app/derivation/view.hpp"
#include "app/math.hpp"
#include "app/fonts.hpp"
#include "app/speech.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"

namespace bplab::app::derivation {

namespace m = math;

// The app's palette (ui.hpp), following the theme.
inline const ImU32& kAccent = ui::palette().accent;      // the followed neuron j
inline const ImU32& kFactorA = ui::palette().factor_a;   // ∂C/∂a
inline const ImU32& kFactorB = ui::palette().factor_b;   // σ′(z), ∂a/∂z
inline const ImU32& kMeasured = ui::palette().good;      // by finite differences
inline const ImU32& kBad = ui::palette().warning;
inline const ImU32& kDim = ui::palette().dim;

// Tags link a symbol of a formula and a neuron or weight of the sketch under the mouse.
inline int neuron_tag(int layer, int j) { return layer * 1000 + j; }
inline int weight_tag(int layer, int j, int k) { return 10'000'000 + layer * 1'000'000 + j * 1000 + k; }

// [SECTION] Formulas (formulas.cpp)

m::Node partial(m::Node top, m::Node bottom);
m::Node C();
m::Node zL(const std::string& j);
m::Node aL(const std::string& j);
m::Node dL(const std::string& j);
m::Node sigma_prime(m::Node arg);
m::Node grad_a_C();
m::Node n4(double v);
m::Node n6(double v);
// definition of δ:  δ^L_j ≡ ∂C/∂z^L_j
m::Node f_definition(const std::string& layer = "L");
// the chain rule:  δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j
m::Node f_chain();
// BP1:  δ^L_j = ∂C/∂a^L_j σ′(z^L_j)
m::Node f_bp1();
// BP1a:  δ^L = ∇_a C ⊙ σ′(z^L)
m::Node f_bp1a();
// softmax: δ^L = Jᵀ ∇_a C
m::Node f_softmax_bp1();
m::Node f_a_minus_y();
m::Node f_quadratic_delta();
// BP2, by the chain rule, for one hidden neuron
m::Node f_bp2_chain();
// BP2:  δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ′(z^l)
m::Node f_bp2();
m::Node f_bp1_33();  // (33): δ^L = Σ′(z^L) ∇_a C
m::Node f_bp3();
m::Node f_bp4();
m::Node f_gd();
// The σ′ factor of BP1 as the (buggy) code computes it: σ′(z_j), σ′(a_j) or 1.
m::Node sigma_prime_as_coded(SigmaPrime how);

// [SECTION] Out

inline std::string str(int i) { return std::to_string(i); }
inline std::string fmt(double x, int digits = 4) { return m::format_number(x, digits); }

// x rounded to the significant digits format_number(x, digits) shows.
double shown(double x, int digits);

// A product the screen writes out, "f₁ × f₂ ≈ r": every factor as shown, and r = the product of
// the shown factors to the same digits (so the arithmetic on the screen holds).
struct Product {
  std::vector<std::string> factors;
  std::string result;
  int digits = 5;  // the result's
};

// A quotient or a difference the screen writes out, "(a − b) / d ≈ r": the numbers as shown, and
// r = what they give, to `digits` (b empty: a / d; d empty: a − b).
struct Quotient {
  std::string minuend, subtrahend, divisor, result;
  int digits = 4;
};



// A table of numbers, drawn on the screen and written to the transcript from the same cells.
struct Cell {
  std::string text;
  ImU32 col = 0;
};
struct Table {
  const char* id = "table";
  std::vector<std::string> headers;     // the first column's cells are row headers
  std::vector<std::vector<Cell>> rows;
  std::vector<int> row_tags;            // sketch tags (hover), or empty
  std::vector<double> bars;             // a bar per row after the last column, or empty
  double bar_scale = 0;
  int bar_row = -1;                     // the row whose bar is in the accent colour
  int selected = -1;                    // a selected row
  bool click_sets_neuron = false;       // clicking row r follows output neuron r
  float width = 0;
};

inline Cell num_cell(double x, ImU32 col = 0, int digits = 5) { return {m::format_number(x, digits), col}; }

// What a step writes: to the screen (ImGui), to the transcript (HTML with MathML), or only its
// checks and products (for state()). The steps are written once, against this.
struct Out {
  enum Mode { Screen, Html, Collect } mode = Screen;
  DerivationView& v;
  std::string html;
  std::vector<Check> checks;
  std::vector<Product> products;
  std::vector<Quotient> quotients;
  Out(Mode mode, DerivationView& v) : mode(mode), v(v) {}
  bool screen() const { return mode == Screen; }

  void label(const char* name, const char* number = nullptr) {
    if (mode == Screen) {
      ImGui::TextColored(ImColor(ui::palette().heading), "%s", name);
      if (number) {
        ImGui::SameLine(0, 6);
        ImGui::TextDisabled("%s", number);
      }
    } else if (mode == Html) {
      html += "<h4>" + m::escape(speakable(name)) + (number ? " " + m::escape(speakable(number)) : std::string()) + "</h4>";
    }
  }
  void math(const m::Node& n, int level = 1) {
    if (mode == Screen) {
      ImGui::Indent(12);
      const int h = m::show(n, v.highlight, level);
      if (h >= 0) v.hover_next = h;
      ImGui::Unindent(12);
      ImGui::Spacing();
    } else if (mode == Html) {
      html += "<p>" + m::mathml(n, level == 2) + "</p>";
    }
  }
  void text(const std::string& s, ImU32 col = 0) {
    if (mode == Screen) {
      if (col) ImGui::PushStyleColor(ImGuiCol_Text, col);
      ImGui::PushTextWrapPos(std::max(1.0f, ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x));
      ImGui::TextWrapped("%s", s.c_str());
      ImGui::PopTextWrapPos();
      if (col) ImGui::PopStyleColor();
    } else if (mode == Html) {
      html += "<p>" + m::escape(speakable(s)) + "</p>";
    }
  }
  void prose(const std::string& s) { text(s); }
  void dim(const std::string& s) { text(s, mode == Screen ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : 0); }
  void bad(const std::string& s) { text(s, kBad); }

  void table(const Table& t);
  void check(const Check& c);
  // "lhs = f₁ × f₂ ≈ r": records the product; returns the node of "f₁ × f₂ ≈ r".
  // The factors are shown to `factor_digits` (0: `digits`), the result to `digits`: more digits
  // in the factors make the result the one shown elsewhere.
  m::Node product(const std::vector<std::pair<double, ImU32>>& factors, int digits, ImU32 result_col, int factor_digits = 0) {
    Product p;
    std::vector<m::Node> items;
    double r = 1;
    const int fd = std::max(digits, factor_digits);
    for (size_t i = 0; i < factors.size(); ++i) {
      const double f = shown(factors[i].first, fd);
      r *= f;
      p.factors.push_back(m::format_number(f, fd));
      if (i) items.push_back(m::op("×"));
      items.push_back(factors[i].second ? m::color(m::num(f, fd), factors[i].second) : m::num(f, fd));
    }
    p.result = m::format_number(r, digits);
    items.push_back(m::op(std::isfinite(r) && shown(r, digits) == r ? "=" : "≈"));
    items.push_back(m::color(m::num(r, digits), result_col));
    p.digits = digits;
    products.push_back(p);
    return m::row(std::move(items));
  }
  // Records "(a − b) / d = r" with a, b, d as shown (`in_digits`; b NaN: none; d = 1: none) and
  // r computed from them; returns r.
  double quotient(double a, double b, double divisor, int in_digits, int digits) {
    Quotient q;
    const double sa = shown(a, in_digits), sb = std::isnan(b) ? 0.0 : shown(b, in_digits), sd = divisor == 1 ? 1.0 : shown(divisor, in_digits);
    q.minuend = m::format_number(sa, in_digits);
    if (!std::isnan(b)) q.subtrahend = m::format_number(sb, in_digits);
    if (divisor != 1) q.divisor = m::format_number(sd, in_digits);
    const double r = (sa - sb) / sd;
    q.result = m::format_number(r, digits);
    q.digits = digits;
    quotients.push_back(q);
    return r;
  }
};

// A check's verdict in words ("relative error … — they agree").
std::string verdict_text(const Check& c);

// SameLine when the next item, `width` wide, still fits on this line; a new line otherwise
// (a narrow embed wraps the toolbar instead of cutting it off at the right edge).
void same_line_if_room(float width, float spacing = -1.0f);
// The width of a widget with a label to its right: SetNextItemWidth(item_w), then the label.
float labeled_width(float item_w, const char* label);

// Where y comes from, in words.
const char* label_source_words(const Numbers& n);
// "Here L = 3 (the output layer), j = 7, y = the one-hot vector of 4 (...)".
void given(Out& o, int j);
// The screen's radio buttons for the output activation and the cost (the screen only).
void output_toggle(Out& o);
void cost_toggle(Out& o);

}  // namespace bplab::app::derivation

// The output layer's Jacobian ∂a(k)/∂z(j): diagonal for a sigmoid output (the chain rule's sum
// collapses to BP1), dense for softmax.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>
#include <imgui.h>

#include "engine/gradcheck.hpp"

namespace bplab::app::derivation {

namespace {

// The jacobian's cell text (two or three decimals, or the order of magnitude of tiny entries).
std::string jacobian_cell(double val) {
  char cell[16];
  if (val == 0) std::snprintf(cell, sizeof cell, "0");
  else if (std::abs(val) >= 0.01) std::snprintf(cell, sizeof cell, "%.2f", val);
  else if (std::abs(val) >= 0.001) std::snprintf(cell, sizeof cell, "%.3f", val);
  else std::snprintf(cell, sizeof cell, "%.0e", val);  // "-1e-13": tiny, but not zero
  std::string s;
  for (const char* c = cell; *c; ++c) s += *c == '-' ? std::string("−") : std::string(1, *c);
  return s;
}

void jacobian_grid(Out& o, int j) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  if (o.mode == Out::Html) {
    Table t;
    t.headers.push_back("k \\ j");
    for (int q = 0; q < n.nL; ++q) t.headers.push_back("j = " + str(q));
    for (int k = 0; k < n.nL; ++k) {
      std::vector<Cell> row{{str(k)}};
      for (int q = 0; q < n.nL; ++q) row.push_back({jacobian_cell(n.jac(k, q))});
      t.rows.push_back(row);
    }
    o.table(t);
    return;
  }
  if (!o.screen()) return;
  const float cell_w = 50, cell_h = 24;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 org = ImGui::GetCursorScreenPos();
  const float lw = 22;
  ImGui::Dummy(ImVec2(lw + cell_w * n.nL + 4, cell_h * (n.nL + 1) + 4));
  double scale = 1e-12;
  for (int k = 0; k < n.nL; ++k)
    for (int q = 0; q < n.nL; ++q) scale = std::max(scale, std::abs(n.jac(k, q)));
  const Fonts& f = fonts();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int q = 0; q < n.nL; ++q) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "j=%d", q);
    dl->AddText(ImVec2(org.x + lw + q * cell_w + 12, org.y), q == j ? kAccent : kDim, buf);
  }
  for (int k = 0; k < n.nL; ++k) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%d", k);
    const float y = org.y + cell_h * (k + 1);
    dl->AddText(ImVec2(org.x + 4, y + 4), kDim, buf);
    for (int q = 0; q < n.nL; ++q) {
      const double val = n.jac(k, q);
      // Colour on a log scale over 12 decades, so that a dense matrix of tiny entries still
      // looks dense; exact zeros stay grey.
      const float t = val == 0 ? 0.0f : float(std::clamp(1.0 + std::log10(std::abs(val) / scale) / 12.0, 0.15, 1.0));
      const ImVec2 a(org.x + lw + q * cell_w, y), b(a.x + cell_w - 2, a.y + cell_h - 2);
      const ImU32 bg = val != 0 ? ui::diverging(val > 0 ? t : -t, 1.0f) : ui::palette().zero;  // the theme's signed scale
      dl->AddRectFilled(a, b, bg, 2);
      const std::string s = jacobian_cell(val);
      if (f.mono.font)
        dl->AddText(f.mono.font, 12.0f, ImVec2(a.x + 4, a.y + 5), ui::text_on(bg), s.c_str());  // ≥ 4.5:1 on the cell
      if (ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y) {
        v.hover_next = neuron_tag(n.L, k);
        ImGui::SetTooltip("∂a(%d)/∂z(%d) = %s", k, q, m::format_number(val, 8).c_str());
      }
      if (v.highlight == neuron_tag(n.L, k) && q == j) dl->AddRect(a, b, ui::palette().highlight, 2, 0, 2);
    }
  }
  dl->AddRect(ImVec2(org.x + lw + j * cell_w - 1, org.y + cell_h - 1), ImVec2(org.x + lw + (j + 1) * cell_w - 1, org.y + cell_h * (n.nL + 1)), kAccent, 3, 0, 2);
}

// Column j of the Jacobian measured: nudge z^L_j, watch every a^L_k. Returns the check of the
// column (its largest error, relative to the column's largest entry).
Check jacobian_column_check(const Numbers& n, int j) {
  double worst = -1, shown_v = 0, meas = 0, scale = 0;
  Vector<double> col(n.nL);
  for (int k = 0; k < n.nL; ++k) {
    col(k) = central_difference([&](double h) {
      Vector<double> z = n.t.z[n.last];
      z(j) += h;
      Batch<double> a;
      activate<double>(n.net.output, z, a);
      return a(k, 0);
    });
    scale = std::max(scale, std::abs(col(k)));
  }
  for (int k = 0; k < n.nL; ++k)
    if (std::abs(n.jac(k, j) - col(k)) > worst) worst = std::abs(n.jac(k, j) - col(k)), shown_v = n.jac(k, j), meas = col(k);
  return make_check("column j of the Jacobian against ∂a(k)/∂z(j) measured (the entry furthest off)", shown_v, meas, 1.0);
}

}  // namespace

void step_jacobian(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  o.label("the Jacobian of the output layer");
  o.prose(is_elementwise(n.net.output)
              ? "(29) is a definition; BP1 is (29) evaluated by the chain rule, and the sum collapses because aᴸₖ depends only on zᴸₖ."
              : "(29) is a definition; BP1 is (29) evaluated by the chain rule, and for a sigmoid output the sum collapses because aᴸₖ depends only "
                "on zᴸₖ. A softmax aᴸₖ depends on every zᴸ, so here it does not collapse: δᴸ = Jᵀ∇ₐC.");
  o.math(m::row({m::sub(m::var("J"), m::row({m::var("k"), m::var("j")})), m::op("="), partial(aL("k"), zL("j"))}), 2);
  output_toggle(o);
  o.prose("Row k, column j: how much output activation k moves when z of neuron j moves. Column j (outlined) holds the second factors of step 2's sum.");
  given(o, j);
  jacobian_grid(o, j);
  o.dim("Blue: positive, orange: negative, grey: exactly 0; brightness on a log scale. Hover a cell for its digits.");
  o.prose("Measured: nudge z(j) by ±h, rerun the output layer, and watch every output a(k) move:");
  o.check(jacobian_column_check(n, j));
  o.prose("Step 2's paths z(j) → a(k) → C once more: a path carries a term only where column j of the Jacobian and ∂C/∂a(k) are both non-zero.");
  dependency_paths(o, j);
  if (is_elementwise(n.net.output)) {
    o.prose("The Jacobian of a sigmoid output is diagonal: a(k) = σ(z(k)) depends on z(k) alone, so moving z(j) moves no other output, "
            "and ∂a(k)/∂z(j) = 0 for every k ≠ j (measured: zero to rounding, as the check above shows). The diagonal entries are σ′(z(k)). "
            "So every term with k ≠ j in step 2 is zero, and the sum collapses to the single term k = j:");
    o.math(m::row({dL("j"), m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB),
                   m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::space(0.15f), m::color(sigma_prime(zL("j")), kFactorB)}));
    o.prose("That is BP1: the definition of δ, evaluated by the chain rule, with the sum collapsed to one term. "
            "(The book's proof of BP1, equations (36)–(39), takes exactly these steps.)");
    return;
  }
  o.prose("The Jacobian of a softmax output is dense: a(k) = exp z(k) / the sum of exp z(i) over i depends on every z, so ∂a(k)/∂z(j) = a(k)(1[k = j] − a(j)), "
          "which is not zero off the diagonal. The sum does not collapse, and BP1's product with one σ′ does not hold. What takes its place "
          "is the whole sum, the transposed Jacobian times ∇ₐC:");
  o.math(f_softmax_bp1());
  o.prose("With the log-likelihood cost (the book's partner for softmax, chapter 3) the whole sum simplifies to");
  o.math(f_a_minus_y());
  if (n.net.cost == Cost::LogLikelihood && j == n.label)
    o.prose("Here j is the label: with the log-likelihood cost only ∂C/∂a of the label is not zero, so the sum has one term, the diagonal one, "
            "and BP1's product agrees. Follow another output neuron j to see it miss.");
  else if (n.net.cost == Cost::LogLikelihood)
    o.prose("Here j is not the label: the one term left is off the diagonal (k = y), and BP1's product, which keeps only k = j, gives 0.");
  const double naive = n.t.dC_da(j) * n.jac(j, j);
  o.math(m::row({m::text("BP1's product alone (the k = j term)"), m::op("="), n4(naive), m::space(1.0f), m::text("the whole sum"), m::op("="),
                 n4(n.t.delta[n.last](j))}));
  o.check(delta_check(n, "BP1's product alone (the k = j term) against the measured δ(j)", naive, n.last, j));
  o.check(delta_check(n, "the whole sum Jᵀ∇ₐC against the measured δ(j)", n.t.delta[n.last](j), n.last, j));
}

}  // namespace bplab::app::derivation

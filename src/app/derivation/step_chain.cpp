// The chain rule: δ^L_j as a sum over the outputs, every term on this digit, and the paths
// z(j) → a(k) → C that carry one.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>
#include <imgui.h>

namespace bplab::app::derivation {

// Why there is a sum at all: z(j) reaches C only through the outputs a(0) … a(9). A picture of
// those paths, each bright where its term ∂C/∂a(k) · ∂a(k)/∂z(j) is not zero (one path survives
// for a sigmoid output, all of them for softmax, one again with log-likelihood), and the same
// in words for the transcript.
void dependency_paths(Out& o, int j) {
  const Numbers& n = o.v.n;
  std::vector<int> live;
  for (int k = 0; k < n.nL; ++k)
    if (n.jac(k, j) != 0 && n.t.dC_da(k) != 0) live.push_back(k);
  std::string words = "Paths from z(" + str(j) + ") to C that carry a non-zero term: ";
  if (live.empty()) words += "none";
  for (size_t i = 0; i < live.size(); ++i) words += (i ? ", " : "through ") + std::string("a(") + str(live[i]) + ")";
  words += " (" + str(int(live.size())) + " of " + str(n.nL) + ").";
  if (o.screen()) {
    const float w = std::clamp(ImGui::GetContentRegionAvail().x, 160.0f, 300.0f), row = 16, h = row * float(n.nL);
    const ImVec2 org = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(w, h + 8));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 zpos(org.x + 30, org.y + h * 0.5f), cpos(org.x + w - 20, org.y + h * 0.5f);
    for (int k = 0; k < n.nL; ++k) {
      const ImVec2 apos(org.x + w * 0.5f, org.y + row * (float(k) + 0.5f));
      const bool in = n.jac(k, j) != 0, out = n.t.dC_da(k) != 0;
      // A path without a term stays thin (and dim where it has no dependency at all): width is the
      // cue beside colour, and even the dim lines keep 3:1 on either theme.
      dl->AddLine(zpos, apos, in ? kFactorB : kDim, in && out ? 2.5f : 1.0f);
      dl->AddLine(apos, cpos, out ? kFactorA : kDim, in && out ? 2.5f : 1.0f);
      dl->AddCircleFilled(apos, 4, in && out ? kAccent : kDim);
      char buf[16];
      std::snprintf(buf, sizeof buf, "a(%d)", k);
      // On the window's colour, so that the lines to C do not cross the name out.
      const ImVec2 at(apos.x + 7, apos.y - 7), size = ImGui::CalcTextSize(buf);
      dl->AddRectFilled(at, ImVec2(at.x + size.x + 2, at.y + size.y), ImGui::GetColorU32(ImGuiCol_WindowBg));
      dl->AddText(ImVec2(at.x + 1, at.y), in && out ? kAccent : kDim, buf);
    }
    dl->AddCircleFilled(zpos, 6, kAccent);
    dl->AddText(ImVec2(org.x, zpos.y - 7), kAccent, ("z(" + str(j) + ")").c_str());
    dl->AddCircleFilled(cpos, 6, kMeasured);
    dl->AddText(ImVec2(cpos.x + 9, cpos.y - 7), kMeasured, "C");
  }
  o.dim(words + (o.screen() ? " Pink: z(j) moves a(k); teal: C depends on a(k); thick: a path that carries a term." : ""));
}

void step_chain(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  o.label("the chain rule");
  o.math(f_chain(), 2);
  o.prose("C depends on z(j) only through the output activations a(k), so the chain rule sums over every output neuron k. "
          "Every term, on this digit (hover a row to find its neuron in the sketch):");
  given(o, j);
  Table t;
  t.id = "terms";
  t.headers = {"k", "∂C/∂a(k)", "∂a(k)/∂z(j)", "product"};
  t.width = 480;
  double sum = 0;
  for (int k = 0; k < n.nL; ++k) {
    const double term = n.t.dC_da(k) * n.jac(k, j);
    sum += term;
    const double p = shown(n.t.dC_da(k), 5) * shown(n.jac(k, j), 5);
    o.products.push_back({{fmt(n.t.dC_da(k), 5), fmt(n.jac(k, j), 5)}, fmt(p, 5), 5});
    t.rows.push_back({{str(k)}, num_cell(n.t.dC_da(k), kFactorA), num_cell(n.jac(k, j), n.jac(k, j) == 0 ? kDim : kFactorB),
                      num_cell(p, k == j ? kAccent : (term == 0 ? kDim : 0))});
    t.row_tags.push_back(neuron_tag(n.L, k));
    t.bars.push_back(term);
    t.bar_scale = std::max(t.bar_scale, std::abs(term));
  }
  t.bar_row = j;
  o.table(t);
  o.math(m::row({m::text("sum of the terms"), m::op("="), n4(sum), m::space(1.5f), m::text("measured δ (step 1)"), m::op("="),
                 measured(n, n.last, j) ? m::color(n4(n.delta_def[n.last](j)), kMeasured) : m::text("checking…")}));
  o.check(delta_check(n, "the chain rule's sum against the measured δ(j)", sum, n.last, j));
  o.prose("Why a sum at all: C depends on z(j) only through the outputs, so every path z(j) → a(k) → C contributes a term. The paths on this digit:");
  dependency_paths(o, j);
  if (is_elementwise(n.net.output)) {
    o.prose("Look at the middle column: only the row k = j is not zero. The next step shows why.");
  } else if (n.net.cost == Cost::LogLikelihood) {
    o.prose("With a softmax output the middle column is dense, but with the log-likelihood cost C = −ln a_y only ∂C/∂a of the label (k = y = " +
            str(n.label) + ") is not zero: only that row contributes.");
    if (j == n.label)
      o.prose("Here j is the label, so the one term is the diagonal one: (−1/a_j) · a_j(1 − a_j) = a_j − 1.");
    else
      o.prose("Here j is not the label, so the whole of δ_j comes from one off-diagonal term, k = y: (−1/a_y) · (−a_y a_j) = a_j. "
              "BP1's product for neuron j alone, ∂C/∂a_j times ∂a_j/∂z_j, is 0 × a_j(1 − a_j) = 0, and it misses all of it: "
              "that is why a softmax output needs the whole sum.");
  } else {
    o.prose("With a softmax output every row contributes: the middle column is dense. The next step shows why.");
  }
}

}  // namespace bplab::app::derivation

// BP2 by the chain rule: the error of a hidden neuron from the errors of the next layer.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <imgui.h>

namespace bplab::app::derivation {

void step_bp2(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  o.label("BP2, by the chain rule");
  if (n.last < 1) {
    o.prose("This network has no hidden layer: there is no BP2 to show. Give it a hidden layer in the network panel.");
    return;
  }
  const int hi = n.last - 1;  // index of layer l = L − 1
  const int l = n.L - 1;
  int j = hidden_neuron(v);
  o.math(f_bp2_chain(), 2);
  o.prose("On this step j is a neuron of the hidden layer l = " + str(l) + " and k runs over the next layer, l + 1 = L = " + str(n.L) +
          ". z(j) of layer l moves every z(k) of layer l + 1 through the weights: ∂z(k)/∂z(j) = w(kj) σ′(z(j)), which in general is non-zero for every k: "
          "no term drops out, and this sum does not collapse. Each term, for one hidden neuron:");
  if (o.screen()) {
    ImGui::SetNextItemWidth(200);
    ui::SliderInt("hidden neuron j", &j, 0, int(n.t.z[hi].size()) - 1);
    if (ImGui::IsItemEdited()) v.hidden = j;
  } else {
    o.dim("Hidden neuron j = " + str(j) + " of layer " + str(l) + ".");
  }
  // σ′ as the (buggy) code computes it, and the δ^L it carries back (the table's column).
  const SigmaPrime how = bug_of(v).hidden_sigma_prime;
  const double sp = how == SigmaPrime::One ? 1.0
                    : how == SigmaPrime::OfA ? activation_prime(n.net.hidden, n.t.a[hi + 1](j))
                                             : activation_prime(n.net.hidden, n.t.z[hi](j));
  Table t;
  t.id = "bp2";
  t.width = 480;
  t.headers = {"k", "w(kj)", "δ(k) of layer l+1", "w·δ"};
  double sum = 0;
  for (int k = 0; k < n.nL; ++k) {
    const double w = n.net.weights[n.last](k, j), d = n.tb.delta[n.last](k);
    sum += w * d;
    const double p = shown(w, 5) * shown(d, 5);
    o.products.push_back({{fmt(w, 5), fmt(d, 5)}, fmt(p, 5), 5});
    t.rows.push_back({{str(k)}, num_cell(w), num_cell(d), num_cell(p)});
    t.row_tags.push_back(weight_tag(n.L, k, j));
    t.bars.push_back(w * d);
    t.bar_scale = std::max(t.bar_scale, std::abs(w * d));
  }
  o.table(t);
  const int tj = neuron_tag(l, j);
  o.math(m::row({m::tagged(m::idx("δ", "l", "j"), tj), m::op("="),
                 m::paren(m::row({m::bigop("Σ", m::var("k"), nullptr), m::subsup(m::var("w"), m::row({m::var("k"), m::var("j")}), m::var("L")), m::idx("δ", "L", "k")})),
                 m::space(0.1f), m::color(how == SigmaPrime::OfZ ? sigma_prime(m::idx("z", "l", "j")) : how == SigmaPrime::OfA ? sigma_prime(m::idx("a", "l", "j")) : m::sym("1"), kFactorB), m::op("="),
                 o.product({{sum, 0}, {sp, kFactorB}}, 4, kAccent, 6)}));
  o.math(m::row({m::text("backprop's δ"), m::op("="), m::color(n6(n.tb.delta[hi](j)), kAccent), m::space(1.0f), m::text("measured from the definition"), m::op("="),
                 measured(n, hi, j) ? m::color(n6(n.delta_def[hi](j)), kMeasured) : m::text("checking…")}));
  o.check(delta_check(n, "backprop's δ(j) of layer l against the measured δ(j)", n.tb.delta[hi](j), hi, j));
  if (bug_injected(v)) {
    // Which δ is wrong and why: δ^L (already wrong at step 5, carried back through wᵀ), BP2's own
    // factor, or nothing in this layer.
    auto apart = [&](const Vector<double>& a, const Vector<double>& b) {
      for (Eigen::Index q = 0; q < a.size(); ++q)
        if (!make_check("", a(q), b(q), n.t.cost).agree) return true;
      return false;
    };
    const bool output_wrong = apart(n.tb.delta[n.last], n.t.delta[n.last]), layer_wrong = apart(n.tb.delta[hi], n.t.delta[hi]);
    std::string words = std::string("Injected bug: ") + bug_of(v).name + ".";
    if (!layer_wrong) {
      words += " It changes nothing in this layer: the δ of the output layer it carries back is the right one, and BP2's factors are the book's.";
    } else {
      if (output_wrong)
        words += " The δ of the output layer is already wrong (step " + str(step_number("bp1a")) + "): the table's δ(k) column is the code's, not the "
                 "right one, and BP2 carries it back through wᵀ, so every hidden δ inherits the mistake.";
      const std::string note = bp2_bug_note(v, j);
      if (!note.empty()) words += (output_wrong && how != SigmaPrime::OfZ ? " On top of that, " : " ") + note;
    }
    if (layer_wrong) o.bad(words);
    else o.prose(words);
  }
  o.label("the error of a hidden layer", "(BP2)");
  o.math(f_bp2(), 2);
  o.prose("The sums over k for every hidden neuron at once: the transpose of w sends the errors backwards along the same weights the activations used forwards.");
  // The whole layer: its worst neuron.
  Check worst = pending_check("every neuron of layer " + str(l) + " against its measured δ (the furthest off)", n.tb.delta[hi](0));
  if (layer_measured(n, hi)) {
    for (int q = 0; q < int(n.t.z[hi].size()); ++q) {
      Check c = delta_check(n, worst.what, n.tb.delta[hi](q), hi, q);
      if (q == 0 || c.infinite || (!worst.infinite && c.error > worst.error)) worst = c;
    }
  }
  o.check(worst);
}

}  // namespace bplab::app::derivation

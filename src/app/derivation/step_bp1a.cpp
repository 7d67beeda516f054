// BP1 in matrix form: every output neuron at once, against the measured δ.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace bplab::app::derivation {

namespace {

std::string error_text(const Check& c) {
  return c.pending ? "checking…" : c.infinite ? "∞ cost" : m::format_number(c.error, 2);
}

}  // namespace

void step_bp1a(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const bool elementwise = is_elementwise(n.net.output);
  if (elementwise) {
    o.label("BP1 in matrix form", "(BP1a)");
    o.math(f_bp1a(), 2);
  } else {
    o.label("BP1 in matrix form, for a softmax output");
    o.math(f_softmax_bp1(), 2);
    o.prose("δᴸ = Jᵀ∇ₐC generalises the book's (33), δᴸ = Σ′(zᴸ)∇ₐC: the full Jacobian J of the softmax in place of the diagonal matrix "
            "Σ′(zᴸ) of a sigmoid output. The book's (BP1a) is the sigmoid's form, ∇ₐC ⊙ σ′(zᴸ).");
  }
  if (elementwise)
    o.prose("The same for all output neurons at once: ⊙ multiplies element by element (the Hadamard product). Click a row to follow that neuron.");
  else
    o.prose("For a softmax output the layer's δ is the transposed Jacobian times ∇ₐC: each δ_j sums over every output k (step 2's table, for every j). "
            "There is no element-by-element product here. Click a row to follow that neuron.");
  Table t;
  t.id = "bp1a";
  t.width = 640;
  const Bug& bug = bug_of(v);
  const bool ce_bug = bug.a_minus_y && elementwise;
  if (elementwise)
    t.headers = {"j", ce_bug ? "a − y (bug)" : "∂C/∂a", bug.output_sigma_prime == SigmaPrime::OfA ? "σ′(a) (bug)" : bug.output_sigma_prime == SigmaPrime::One ? "1 (bug)" : "σ′(z)",
                 "δ by BP1 (product)", "δ measured", "rel. error"};
  else
    t.headers = {"j", "∂C/∂a", "δ = (Jᵀ∇ₐC)_j", "δ measured", "rel. error"};
  const int sel = output_neuron(v);
  double worst = 0;
  bool all_agree = true, pending = false;
  std::vector<Check> row_checks;
  for (int j = 0; j < n.nL; ++j) {
    const Check c = delta_check(n, "δ(" + str(j) + ") by BP1 against the measured δ(" + str(j) + ")", n.tb.delta[n.last](j), n.last, j);
    row_checks.push_back(c);
    pending |= c.pending;
    all_agree &= c.agree;
    if (!c.pending) worst = std::max(worst, c.infinite ? INFINITY : c.error);
    const Cell meas = measured(n, n.last, j) ? num_cell(n.delta_def[n.last](j), kMeasured) : Cell{"checking…", kDim};
    const Cell err{error_text(c), c.pending ? kDim : c.agree ? kDim : kBad};
    if (elementwise) {
      const double p = shown(dC_da_shown(v, j), 5) * shown(sigma_prime_shown(v, j), 5);
      o.products.push_back({{fmt(dC_da_shown(v, j), 5), fmt(sigma_prime_shown(v, j), 5)}, fmt(p, 5), 5});
      t.rows.push_back({{str(j)}, num_cell(dC_da_shown(v, j), kFactorA), num_cell(sigma_prime_shown(v, j), kFactorB), num_cell(p, kAccent), meas, err});
    } else {
      t.rows.push_back({{str(j)}, num_cell(n.t.dC_da(j), kFactorA), num_cell(n.tb.delta[n.last](j), kAccent), meas, err});
    }
    t.row_tags.push_back(neuron_tag(n.L, j));
  }
  t.selected = sel;
  t.click_sets_neuron = true;
  o.table(t);
  for (const Check& c : row_checks) o.checks.push_back(c);  // in the table, one a row
  if (pending) o.dim("Largest over the layer: checking…");
  else if (all_agree) o.text("Largest relative error over the layer: " + fmt(worst, 2) + " — they agree", kMeasured);
  else o.bad("Largest relative error over the layer: " + fmt(worst, 2) + " — they DISAGREE");
  if (elementwise && bug.changes_bp1()) o.bad(bp1_bug_note(v, sel));
  if (elementwise) {
    o.label("the same with a matrix", "(33)");
    o.math(f_bp1_33());
    o.prose("Σ′(zᴸ) is the diagonal matrix of the σ′(zᴸⱼ): the Jacobian of step 3. It is (BP1a) written as a matrix product.");
  }
  // Why BP1 is worth having when δ can be measured (the book's "fast algorithm" section).
  long neurons = 0, weights = 0;
  for (size_t i = 1; i < n.net.sizes.size(); ++i) neurons += n.net.sizes[i], weights += long(n.net.sizes[i]) * n.net.sizes[i - 1];
  const long parameters = weights + neurons;
  o.prose("Why BP1 (and backprop) when δ can be measured, as step 1 does? Measuring takes two forward passes for every number: z nudged "
          "both ways and the rest of the net run again. The whole gradient of this net, " + std::to_string(weights) + " weights and " +
          std::to_string(neurons) + " biases, takes 2 × " + std::to_string(parameters) + " = " + std::to_string(2 * parameters) +
          " forward passes of up to " + std::to_string(weights) + " multiply-adds each, about " + fmt(2.0 * double(parameters) * double(weights), 2) +
          ". Backprop gets every δ and the whole gradient from one forward pass and one backward pass, about " + std::to_string(2 * weights) +
          " multiply-adds: the book's \"fast algorithm\". BP1 is where that backward pass starts.");
}

}  // namespace bplab::app::derivation

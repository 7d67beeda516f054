// BP1 for a given cost: the cost's own form of δ^L, and this digit's δ with each of the engine's
// costs.
#include "app/derivation/steps.hpp"

#include <string>
#include <vector>

namespace bplab::app::derivation {

namespace {

// δ^L of this digit with each cost of the engine's kCosts, once for the numbers. Only the cost
// changes, so only BP1 does: ∇_a C of each cost at the same a^L (no copy of the net and more
// passes, which cost the largest net a frame).
const std::vector<Vector<double>>& deltas_by_cost(Numbers& n) {
  if (n.delta_by_cost.empty())
    for (const CostDescription& c : kCosts)
      n.delta_by_cost.push_back(output_error_literal<double>(n.net.output, cost_gradient<double>(c.id, n.t.a.back(), n.t.y), n.t.z[n.last]));
  return n.delta_by_cost;
}

}  // namespace

double prepare_cost(DerivationView& v, double) {
  deltas_by_cost(v.n);
  return 0;
}

void step_cost(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const std::vector<Vector<double>>& deltas = deltas_by_cost(v.n);
  const bool elementwise = is_elementwise(n.net.output);
  const int j = output_neuron(v);
  o.label("BP1 for a given cost");
  cost_toggle(o);
  output_toggle(o);
  if (elementwise) {
    o.label("quadratic cost");
    o.prose("C = ½‖a − y‖², so ∇ₐC = a − y, and BP1 becomes");
    o.math(f_quadratic_delta());
    o.label("cross-entropy cost");
    o.prose("∂C/∂a = (a − y) / (a(1 − a)) and σ′(z) = σ(z)(1 − σ(z)) = a(1 − a): the σ′ cancels, and");
    o.math(m::row({f_a_minus_y(), m::text("   (no σ′: learning does not slow down when an output neuron saturates; hidden neurons keep σ′ through BP2)")}));
    o.label("log-likelihood cost");
    o.prose("C = −ln a_y is meant for a softmax output (chapter 3). With a sigmoid output ∂C/∂a_y = −1/a_y, so δ_y = −(1 − a_y) and δ = 0 elsewhere.");
  } else {
    o.prose("With a softmax output there is no σ′ to cancel: for every cost δ = Jᵀ∇ₐC (step 3). Only the log-likelihood cost gives the simple form, "
            "because the Jacobian cancels its 1/a_y:");
    o.math(f_a_minus_y());
    o.prose("Which cross-entropy: the cross-entropy column is the book's two-term cost (63), −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)], here with a softmax "
            "output, and its δ is not a − y. The \"categorical cross-entropy\" that gives a − y with softmax, −Σⱼ yⱼ ln aⱼ, is the log-likelihood "
            "cost (80) for a one-hot y: the last column.");
  }
  o.prose(std::string("The same digit with each cost (the same weights; only the cost differs), for a ") + to_string(n.net.output) + " output:");
  Table t;
  t.id = "costs";
  t.width = 620;
  t.headers = {"j", "a − y"};
  if (elementwise) t.headers.push_back("σ′(z)");
  for (const CostDescription& c : kCosts) t.headers.push_back(std::string("δ ") + c.name);
  for (int k = 0; k < n.nL; ++k) {
    std::vector<Cell> row{{str(k)}, num_cell(n.t.a.back()(k) - n.t.y(k))};
    if (elementwise) row.push_back(num_cell(n.jac(k, k), kFactorB));
    for (size_t c = 0; c < deltas.size(); ++c) row.push_back(num_cell(deltas[c](k), kCosts[c].id == n.net.cost ? kAccent : kDim));
    t.rows.push_back(row);
    t.row_tags.push_back(neuron_tag(n.L, k));
  }
  t.selected = j;
  o.table(t);
  o.dim(std::string("The column of the chosen cost (") + to_string(n.net.cost) + ") is highlighted; it is the cost of the copy this screen uses. "
        "Its δ for neuron j, as backprop computes it, against the measurement:");
  o.check(delta_check(n, "backprop's δ(j) for the chosen cost against the measured δ(j)", n.tb.delta[n.last](j), n.last, j));
  if (bug_of(v).a_minus_y) o.bad(bp1_bug_note(v, j));
}

}  // namespace bplab::app::derivation

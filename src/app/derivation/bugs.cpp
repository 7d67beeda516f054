// The classic mistakes the screen can inject (kBugs), how each is applied to backprop, and what
// each does to BP1 and BP2 in words.
#include <algorithm>
#include <iterator>
#include <string>

#include "app/derivation/typeset.hpp"
#ifdef BPLAB_DERIVATION_EXTRA_ROWS
#include "derivation_extra_rows.hpp"  // a test build's row more (tests/app)
#endif

namespace bplab::app::derivation {

namespace {

std::string bp1_sigma_prime_of_a(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const double z = n.t.z[n.last](j), a = n.t.a.back()(j);
  return "Injected bug: σ′(a) instead of σ′(z). The code multiplied by σ′(a_j) = σ′(" + fmt(a) + ") = " + fmt(activation_prime(n.net.output, a)) +
         " where BP1 needs σ′(z_j) = σ′(" + fmt(z) + ") = " + fmt(activation_prime(n.net.output, z)) + ".";
}

std::string bp1_no_sigma_prime(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  return "Injected bug: σ′ dropped. The code multiplied ∂C/∂a_j by 1 where BP1 needs σ′(z_j) = " +
         fmt(activation_prime(n.net.output, n.t.z[n.last](j))) + "." +
         (n.net.cost == Cost::Quadratic
              ? " With the quadratic cost that makes δ = a − y, which is the cross-entropy cost's δ (chapter 3): the right δ for another cost, "
                "not for this one."
              : "");
}

std::string bp1_sigma_prime_with_cross_entropy(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const double right = activation_prime(n.net.output, n.t.z[n.last](j));
  const double a = n.t.a.back()(j), y = n.t.y(j);
  if (n.net.cost == Cost::Quadratic)
    return "Injected bug: σ′ kept with cross-entropy, δ = (a − y) ⊙ σ′(z) whatever the cost. With the quadratic cost that is BP1 itself, so nothing "
           "is wrong here: choose the cross-entropy cost to see the mistake.";
  return std::string("Injected bug: σ′ kept with cross-entropy. The code computed (a_j − y_j) σ′(z_j), the quadratic cost's BP1, "
                     "whatever the cost: its first factor is a_j − y_j = ") + fmt(a - y) + ", but for the " + to_string(n.net.cost) +
         " cost ∂C/∂a_j = " + fmt(n.t.dC_da(j)) +
         (n.net.cost == Cost::CrossEntropy
              ? ". With cross-entropy ∂C/∂a_j = (a_j − y_j) / (a_j(1 − a_j)) and σ′(z_j) = a_j(1 − a_j) cancel, so the right δ is a_j − y_j itself: "
                "keeping σ′ makes δ too small by the factor σ′(z_j) = " + fmt(right) + ". (a − y) ⊙ σ′(z) is the quadratic cost's δ, so this bug "
                "brings back the learning slowdown the cross-entropy cost exists to remove (chapter 3): where an output neuron saturates, σ′(z) ≈ 0 "
                "and it learns slowly however wrong it is."
              : ".");
}

std::string bp1_no_transpose(const DerivationView&, int) { return "Injected bug: transpose dropped in BP2. BP1 is untouched: see step 7."; }

std::string bp2_sigma_prime_of_a(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const int hi = n.last - 1;
  const Activation f = n.net.hidden;
  return "BP2's own factor is wrong: the code multiplied by σ′(a(j)) = " + fmt(activation_prime(f, n.t.a[hi + 1](j))) +
         " where BP2 needs σ′(z(j)) = " + fmt(activation_prime(f, n.t.z[hi](j))) + ".";
}

std::string bp2_no_sigma_prime(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  return "BP2's own factor is wrong: the code multiplied by 1 where BP2 needs σ′(z(j)) = " +
         fmt(activation_prime(n.net.hidden, n.t.z[n.last - 1](j))) + ".";
}

std::string bp2_no_transpose(const DerivationView& v, int) {
  const Numbers& n = v.n;
  const Matrix<double>& w = n.net.weights[n.last];
  const std::string shape = str(int(w.rows())) + " × " + str(int(w.cols()));
  if (w.rows() == w.cols())
    return "The code computed w δ where BP2 needs wᵀ δ: it sums w(j, k) δ(k), the weights out of the wrong neurons.";
  return "The code computed w δ where BP2 needs wᵀ δ, with w the output layer's weights and δ its errors. w is " + shape + " and δ has " +
         str(int(w.rows())) + " entries: without the transpose the product is not even defined (numpy refuses: shapes not aligned). "
         "To run at all, this screen multiplies the " + str(int(std::min(w.rows(), w.cols()))) + " × " + str(int(std::min(w.rows(), w.cols()))) +
         " corner that exists, w(j, k) δ(k), and gives the other neurons of layer " + str(n.L - 1) + " δ = 0: invented numbers, and the checks say so.";
}

using S = SigmaPrime;

}  // namespace

// One row a bug; the first is "none". The order is the menu's.
const Bug kBugs[] = {
    {"none", "none", S::OfZ, S::OfZ, false, false, nullptr, nullptr},
    {"sigma-prime-of-a", "σ′(a) instead of σ′(z)", S::OfA, S::OfA, false, false, bp1_sigma_prime_of_a, bp2_sigma_prime_of_a},
    {"no-sigma-prime", "σ′ dropped", S::One, S::One, false, false, bp1_no_sigma_prime, bp2_no_sigma_prime},
    // δ^L = (a − y) ⊙ σ′(z^L) whatever the cost (right only for quadratic)
    {"sigma-prime-with-cross-entropy", "σ′ kept with cross-entropy", S::OfZ, S::OfZ, true, false, bp1_sigma_prime_with_cross_entropy, nullptr},
    {"no-transpose-bp2", "transpose dropped in BP2", S::OfZ, S::OfZ, false, true, bp1_no_transpose, bp2_no_transpose},
#ifdef BPLAB_DERIVATION_EXTRA_ROWS
    kExtraBug,
#endif
};
const int kBugCount = int(std::size(kBugs));

Trace<double> backprop_with_bug(const Network<double>& net, const Vector<double>& x, int label, const Bug& bug) {
  Trace<double> t = backprop(net, x, label);
  if (&bug == &kBugs[0]) return t;
  const int last = int(net.weights.size()) - 1;
  auto sp = [&](int i) {  // the σ′ factor of layer i + 2 as the buggy code computes it
    const Activation f = net.activation_of(i);
    const SigmaPrime how = i == last ? bug.output_sigma_prime : bug.hidden_sigma_prime;
    Vector<double> s(t.z[i].size());
    for (Eigen::Index j = 0; j < s.size(); ++j)
      s(j) = how == SigmaPrime::One   ? 1.0
             : how == SigmaPrime::OfA ? activation_prime(f, t.a[i + 1](j))
                                      : activation_prime(f, t.z[i](j));
    return s;
  };
  if (is_elementwise(net.output)) {
    if (bug.a_minus_y) t.delta[last] = (t.a.back() - t.y).cwiseProduct(sp(last));
    else if (bug.changes_bp1()) t.delta[last] = t.dC_da.cwiseProduct(sp(last));
  }
  for (int i = last - 1; i >= 0; --i) {
    const Matrix<double>& w = net.weights[i + 1];  // n_{l+1} × n_l
    Vector<double> back;
    if (bug.no_transpose) {
      // w δ^{l+1} is not defined when n_l ≠ n_{l+1} (numpy refuses the shapes). To run at all,
      // this multiplies the square corner that exists and leaves the other neurons at 0.
      back = Vector<double>::Zero(t.z[i].size());
      const Eigen::Index n = std::min({back.size(), w.rows(), w.cols()});
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index k = 0; k < n; ++k) back(j) += w(j, k) * t.delta[i + 1](k);
    } else {
      back = w.transpose() * t.delta[i + 1];
    }
    t.delta[i] = back.cwiseProduct(sp(i));
  }
  for (int i = 0; i <= last; ++i) {
    t.nabla_b[i] = t.delta[i];
    t.nabla_w[i] = t.delta[i] * t.a[i].transpose();
  }
  return t;
}

double sigma_prime_shown(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const Activation f = n.net.output;
  if (!is_elementwise(f)) return n.jac(j, j);
  switch (bug_of(v).output_sigma_prime) {
    case SigmaPrime::One: return 1.0;
    case SigmaPrime::OfA: return activation_prime(f, n.t.a.back()(j));
    case SigmaPrime::OfZ: break;
  }
  return activation_prime(f, n.t.z[n.last](j));
}

double dC_da_shown(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  if (bug_of(v).a_minus_y && is_elementwise(n.net.output)) return n.t.a.back()(j) - n.t.y(j);
  return n.t.dC_da(j);
}

std::string bp1_bug_note(const DerivationView& v, int j) {
  const Bug& bug = bug_of(v);
  if (!is_elementwise(v.n.net.output)) {
    if (bug.hidden_sigma_prime != SigmaPrime::OfZ)
      return std::string("Injected bug: ") + bug.name + ". A softmax output has no σ′ in BP1 (its δ is Jᵀ∇ₐC), so this bug only changes BP2 (step 7).";
    if (bug.a_minus_y)
      return std::string("Injected bug: ") + bug.name + ". A softmax output has no σ′ to keep (its δ is Jᵀ∇ₐC), and this bug never touches BP2: "
             "the mistake changes nothing here. Choose a sigmoid output and the cross-entropy cost to see it.";
    return "";
  }
  return bug.on_bp1 ? bug.on_bp1(v, j) : "";
}

std::string bp2_bug_note(const DerivationView& v, int j) {
  const Bug& bug = bug_of(v);
  return bug.on_bp2 ? bug.on_bp2(v, j) : "";
}

}  // namespace bplab::app::derivation

// BP1 for one output neuron: the two factors as the code computes them, against the measured δ.
#include "app/derivation/steps.hpp"

#include <string>

namespace bplab::app::derivation {

void step_bp1(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  const int tj = neuron_tag(n.L, j);
  if (is_elementwise(n.net.output)) {
    o.label("the error of output neuron j", "(BP1)");
    o.math(f_bp1(), 2);
  } else {
    // No σ′: the number used is ∂a_j/∂z_j, the Jacobian's diagonal (the k = j term of the chain rule).
    o.label("BP1's product for one neuron: the k = j term of the chain rule");
    o.math(m::row({m::color(partial(C(), aL("j")), kFactorA), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB)}), 2);
  }
  given(o, j);
  const Bug& bug = bug_of(v);
  const bool ce_bug = bug.a_minus_y && is_elementwise(n.net.output);
  const double da = dC_da_shown(v, j), sp = sigma_prime_shown(v, j);
  if (is_elementwise(n.net.output)) {
    // The factors as the code computes them (with the bug, if any), under their own names.
    const m::Node first = ce_bug ? m::paren(m::row({aL("j"), m::op("−"), m::sub(m::var("y"), m::var("j"))}))
                                 : partial(C(), aL("j"));
    const m::Node second = sigma_prime_as_coded(bug.output_sigma_prime);
    if (bug.changes_bp1())
      o.prose("What the code computes (the injected bug changes a factor):");
    o.math(m::row({m::tagged(dL("j"), tj), m::op("="), m::color(first, kFactorA), m::op("·"), m::color(second, kFactorB), m::op("="),
                   o.product({{da, kFactorA}, {sp, kFactorB}}, 4, kAccent)}));
    o.math(m::row({m::text("backprop's δ"), m::op("="), m::color(n6(n.tb.delta[n.last](j)), kAccent), m::space(1.0f),
                   m::text("measured from the definition (step 1)"), m::op("="),
                   measured(n, n.last, j) ? m::color(n6(n.delta_def[n.last](j)), kMeasured) : m::text("checking…")}));
    o.check(delta_check(n, "BP1's product against the measured δ(j)", n.tb.delta[n.last](j), n.last, j));
    const std::string note = bp1_bug_note(v, j);
    if (!note.empty()) o.bad(note);
    else
      o.prose("The first factor is how fast the cost changes with the activation; the second, how fast the activation changes with z. "
              "Their product is the measured derivative: BP1 is the definition, evaluated by the chain rule.");
    return;
  }
  o.prose("A softmax output has no σ′ of its own: the factor ∂a(j)/∂z(j) is the Jacobian's diagonal entry a(j)(1 − a(j)). BP1's product for neuron j alone:");
  o.math(m::row({m::color(partial(C(), aL("j")), kFactorA), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("="),
                 o.product({{da, kFactorA}, {sp, kFactorB}}, 4, kAccent, 6)}));
  o.check(delta_check(n, "BP1's product (the k = j term) against the measured δ(j)", da * sp, n.last, j));
  if (n.net.cost == Cost::LogLikelihood && j == n.label)
    o.prose("Here it agrees: with the log-likelihood cost and j = the label the sum has only this term (step 3). For any other j it misses.");
  else
    o.prose("The product misses the off-diagonal terms of step 3. The whole sum, Jᵀ∇ₐC, is what agrees:");
  o.math(m::row({f_softmax_bp1(), m::text("  for neuron j"), m::op("="), m::color(n6(n.tb.delta[n.last](j)), kAccent), m::space(1.0f),
                 m::text("measured"), m::op("="), measured(n, n.last, j) ? m::color(n6(n.delta_def[n.last](j)), kMeasured) : m::text("checking…")}));
  o.check(delta_check(n, "backprop's δ(j) = (Jᵀ∇ₐC)(j) against the measured δ(j)", n.tb.delta[n.last](j), n.last, j));
  const std::string note = bp1_bug_note(v, j);
  if (!note.empty()) o.bad(note);
}

}  // namespace bplab::app::derivation

// The definition of δ (29), measured: nudge z^L_j both ways and compare the costs.
#include "app/derivation/steps.hpp"

#include <cmath>
#include <string>

#include "engine/gradcheck.hpp"

namespace bplab::app::derivation {

void step_definition(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  o.label("definition of δ for the output layer", "(36)");
  o.math(f_definition(), 2);
  o.prose("The error of output neuron j is defined as how fast the cost C changes when that neuron's weighted input changes: "
          "the book defines δ this way for a neuron of any layer l, (29), and writes it for the output layer L as (36). "
          "Nothing in the definition mentions σ′: it is a derivative we can measure. Nudge z of neuron j by a small h both ways, "
          "run the rest of the forward pass, and compare the costs:");
  given(o, j);
  const double h = kFiniteDifferenceStep;
  const int tj = neuron_tag(n.L, j);
  auto Cof = [&](const char* sign) {
    return m::row({C(), m::paren(m::row({m::tagged(zL("j"), tj), m::op(sign), m::var("h")}))});
  };
  const bool ok = measured(n, n.last, j);
  const double d = n.delta_def[n.last](j);
  // The costs to 10 digits: their difference, divided by 2h as written, gives the result shown.
  const double three_point = o.quotient(n.c_plus(j), n.c_minus(j), 2 * h, 10, 4);
  o.math(m::row({m::tagged(dL("j"), tj), m::op("≈"), m::frac(m::row({Cof("+"), m::op("−"), Cof("−")}), m::row({m::sym("2"), m::var("h")})),
                 m::op("="), m::frac(m::row({m::num(n.c_plus(j), 10), m::op("−"), m::num(n.c_minus(j), 10)}), m::num(2 * h)),
                 m::op("≈"), n4(three_point)}));
  o.math(m::row({m::text("the five-point difference (measured δ)"), m::op("="), ok ? m::color(n6(d), kMeasured) : m::text("checking…")}));
  if (!std::isfinite(n.t.cost) || (ok && !std::isfinite(d)))
    o.bad("The cost is infinite on this digit: an output is saturated (a = 0 or 1 exactly in double precision) and the cost takes ln 0. "
          "The two costs above are infinite, their difference is ∞ − ∞, and no finite difference can measure δ here. Try another digit, "
          "the quadratic cost, or a net that is less sure of itself.");
  o.dim("(The screen uses the five-point version of this difference, exact to about 10⁻¹¹: that is the measured δ used from here on.)");
  o.prose("Why the book measures the error by ∂C/∂z and not ∂C/∂a: it imagines a demon sitting at the neuron, who adds a little Δz to its "
          "weighted input, so that the cost changes by about ∂C/∂z · Δz. Where ∂C/∂z is large the demon can lower the cost a lot by choosing Δz "
          "of the opposite sign; where it is close to 0 the neuron is already nearly optimal. The demon could change the activation a instead, "
          "and ∂C/∂a would serve as well, but the book notes that the algebra of backpropagation comes out a little more complicated that way.");
  o.prose("The numbers of neuron j on this digit:");
  o.math(m::row({m::tagged(zL("j"), tj), m::op("="), n4(n.t.z[n.last](j)), m::space(1.2f), m::tagged(aL("j"), tj), m::op("="),
                 n4(n.t.a.back()(j)), m::space(1.2f), m::sub(m::var("y"), m::var("j")), m::op("="), n4(n.t.y(j)), m::space(1.2f),
                 C(), m::op("="), n4(n.t.cost), m::space(1.2f), m::tagged(dL("j"), tj), m::op("="),
                 ok ? m::color(n6(d), kMeasured) : m::text("checking…"), m::text("  measured")}));
  if (is_elementwise(n.net.output))
    o.prose("BP1 will say that δ of neuron j is ∂C/∂a(j) · σ′(z(j)). That does not look like the definition. The next steps get from one to the other by the chain rule.");
  else
    o.prose("For a sigmoid output BP1 says that δ of neuron j is ∂C/∂a(j) · σ′(z(j)). A softmax output has no σ′ of its own: the next steps apply the chain rule "
            "to the definition and show what takes BP1's place.");
}

}  // namespace bplab::app::derivation

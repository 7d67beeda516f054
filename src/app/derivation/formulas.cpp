// The book's equations as math nodes, for the screen and the transcript alike.
#include "app/derivation/typeset.hpp"

namespace bplab::app::derivation {

m::Node partial(m::Node top, m::Node bottom) {
  return m::frac(m::row({m::sym("∂"), std::move(top)}), m::row({m::sym("∂"), std::move(bottom)}));
}
m::Node C() { return m::var("C"); }
m::Node zL(const std::string& j) { return m::idx("z", "L", j); }
m::Node aL(const std::string& j) { return m::idx("a", "L", j); }
m::Node dL(const std::string& j) { return m::idx("δ", "L", j); }
m::Node sigma_prime(m::Node arg) { return m::row({m::sym("σ′"), m::paren(std::move(arg))}); }
m::Node grad_a_C() { return m::row({m::sub(m::sym("∇"), m::var("a")), C()}); }
m::Node n4(double v) { return m::num(v, 4); }
m::Node n6(double v) { return m::num(v, 6); }

// definition of δ:  δ^L_j ≡ ∂C/∂z^L_j
m::Node f_definition(const std::string& layer) {
  return m::row({m::idx("δ", layer, "j"), m::op("≡"), partial(C(), m::idx("z", layer, "j"))});
}
// the chain rule:  δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j
m::Node f_chain() {
  return m::row({dL("j"), m::op("="), m::bigop("Σ", m::var("k"), nullptr),
                 m::color(partial(C(), aL("k")), kFactorA), m::op("·"),
                 m::color(partial(aL("k"), zL("j")), kFactorB)});
}
// BP1:  δ^L_j = ∂C/∂a^L_j σ′(z^L_j)
m::Node f_bp1() {
  return m::row({dL("j"), m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::space(0.15f),
                 m::color(sigma_prime(zL("j")), kFactorB)});
}
// BP1a:  δ^L = ∇_a C ⊙ σ′(z^L)
m::Node f_bp1a() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::color(grad_a_C(), kFactorA),
                 m::op("⊙"), m::color(sigma_prime(m::sup(m::var("z"), m::var("L"))), kFactorB)});
}
// (33):  δ^L = Σ′(z^L) ∇_a C
m::Node f_bp1_33() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::color(m::row({m::sym("Σ′"), m::paren(m::sup(m::var("z"), m::var("L")))}), kFactorB),
                 m::color(grad_a_C(), kFactorA)});
}
// softmax: δ^L = Jᵀ ∇_a C
m::Node f_softmax_bp1() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::sup(m::var("J"), m::sym("T")), grad_a_C()});
}
m::Node f_a_minus_y() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::sup(m::var("a"), m::var("L")), m::op("−"), m::var("y")});
}
m::Node f_quadratic_delta() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::paren(m::row({m::sup(m::var("a"), m::var("L")), m::op("−"), m::var("y")})),
                 m::op("⊙"), sigma_prime(m::sup(m::var("z"), m::var("L")))});
}
// BP2, by the chain rule, for one hidden neuron
m::Node f_bp2_chain() {
  const m::Node l = m::var("l"), l1 = m::row({m::var("l"), m::op("+"), m::sym("1")});
  auto z = [&](m::Node layer, const char* i) { return m::subsup(m::var("z"), m::var(i), layer); };
  return m::row({m::subsup(m::var("δ"), m::var("j"), l), m::op("="), m::bigop("Σ", m::var("k"), nullptr),
                 partial(C(), z(l1, "k")), m::op("·"), partial(z(l1, "k"), z(l, "j")), m::op("="),
                 m::bigop("Σ", m::var("k"), nullptr), m::subsup(m::var("w"), m::row({m::var("k"), m::var("j")}), l1), m::space(0.1f),
                 m::subsup(m::var("δ"), m::var("k"), l1), m::space(0.1f), sigma_prime(z(l, "j"))});
}
// BP2:  δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ′(z^l)
m::Node f_bp2() {
  const m::Node l1 = m::row({m::var("l"), m::op("+"), m::sym("1")});
  return m::row({m::sup(m::var("δ"), m::var("l")), m::op("="),
                 m::paren(m::row({m::sup(m::paren(m::sup(m::var("w"), l1)), m::sym("T")), m::sup(m::var("δ"), l1)})),
                 m::op("⊙"), sigma_prime(m::sup(m::var("z"), m::var("l")))});
}
m::Node f_bp3() {
  return m::row({partial(C(), m::idx("b", "l", "j")), m::op("="), m::idx("δ", "l", "j")});
}
m::Node f_bp4() {
  return m::row({partial(C(), m::subsup(m::var("w"), m::row({m::var("j"), m::var("k")}), m::var("l"))), m::op("="),
                 m::subsup(m::var("a"), m::var("k"), m::row({m::var("l"), m::op("−"), m::sym("1")})), m::space(0.1f), m::idx("δ", "l", "j")});
}
m::Node f_gd() {
  return m::row({m::sym("Δ"), C(), m::op("≈"), m::sym("∇"), C(), m::op("·"), m::sym("Δ"), m::var("w"), m::op("="),
                 m::op("−"), m::var("η"), m::space(0.1f), m::sup(m::paren(m::row({m::sym("∇"), C()}), "‖", "‖"), m::sym("2"))});
}

m::Node sigma_prime_as_coded(SigmaPrime how) {
  return how == SigmaPrime::OfA ? sigma_prime(aL("j")) : how == SigmaPrime::One ? m::sym("1") : sigma_prime(zL("j"));
}

}  // namespace bplab::app::derivation

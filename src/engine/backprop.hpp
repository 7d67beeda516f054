// Backpropagation for one training example, following chapter 2 of the book line by line.
//
//   BP1  δ^L = ∇_a C ⊙ σ'(z^L)                 error of the output layer
//   BP2  δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l)    error of a layer from the next one
//   BP3  ∂C/∂b^l_j = δ^l_j
//   BP4  ∂C/∂w^l_{jk} = a^{l-1}_k δ^l_j
//
// This is the readable, double-precision path used by the trace (`bplab backprop`), the
// gradient check and the derivation screen. Training uses the matrix path in trainer.hpp,
// which is tested against this one.
#pragma once

#include <string>
#include <vector>

#include "network.hpp"

namespace bplab {

// How δ^L is computed.
//  Literal:    BP1 as written, δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j, which for an elementwise σ
//              is ∇_a C ⊙ σ'(z^L); for softmax the Jacobian is dense and the sum is kept whole.
//  Simplified: δ^L = a^L − y, where σ' cancels: cross-entropy with a sigmoid output
//              (network2.py's CrossEntropyCost.delta) and log-likelihood with softmax (chapter 3).
//              Equal to Literal where it applies (tested); elsewhere Literal is used.
enum class OutputDelta { Literal, Simplified };

// True where the simplified δ^L = a − y equals BP1.
inline bool has_simplified_delta(Cost cost, Activation output) {
  return (cost == Cost::CrossEntropy && output == Activation::Sigmoid) ||
         (cost == Cost::LogLikelihood && output == Activation::Softmax);
}

// The δ^L the book's network2.py computes for a model: a − y for cross-entropy with a sigmoid
// output, BP1 as written otherwise.
inline OutputDelta book_output_delta(Cost cost, Activation output) {
  return has_simplified_delta(cost, output) ? OutputDelta::Simplified : OutputDelta::Literal;
}

// Every quantity of one forward and backward pass. Index note: a[0] is the input x = a^1;
// for i ≥ 0, z[i], delta[i], nabla_b[i], nabla_w[i] belong to layer i+2 and a[i+1] = σ(z[i]).
template <typename S>
struct Trace {
  S cost = 0;                        // C_x for this example
  Vector<S> y;                       // one-hot label
  std::vector<Vector<S>> z;          // weighted inputs z^l = w^l a^{l-1} + b^l
  std::vector<Vector<S>> a;          // activations a^l = σ(z^l), a[0] = x
  Vector<S> dC_da;                   // ∇_a C at the output
  std::vector<Vector<S>> delta;      // δ^l ≡ ∂C/∂z^l
  std::vector<Vector<S>> nabla_b;    // ∂C/∂b^l
  std::vector<Matrix<S>> nabla_w;    // ∂C/∂w^l
};

// Forward pass only: fills z, a (and y, cost) of `t`.
template <typename S>
void forward(const Network<S>& net, const Vector<S>& x, int label, Trace<S>& t) {
  const int layers = int(net.weights.size());
  t.y = one_hot<S>(label, net.sizes.back());
  t.z.assign(layers, Vector<S>());
  t.a.assign(layers + 1, Vector<S>());
  t.a[0] = x;
  Batch<S> act;
  for (int i = 0; i < layers; ++i) {
    t.z[i] = net.weights[i] * t.a[i] + net.biases[i];  // z^l = w^l a^{l-1} + b^l
    activate<S>(net.activation_of(i), t.z[i], act);     // a^l = σ(z^l)
    t.a[i + 1] = act.col(0);
  }
  t.cost = cost_value<S>(net.cost, t.a.back(), t.y);
}

// δ^L from ∇_a C and z^L: the literal BP1 (or its general chain-rule form for softmax).
template <typename S>
Vector<S> output_error_literal(Activation output, const Vector<S>& dC_da, const Vector<S>& zL) {
  if (is_elementwise(output)) {
    Vector<S> sp(zL.size());
    for (Eigen::Index j = 0; j < zL.size(); ++j) sp(j) = activation_prime(output, zL(j));
    return dC_da.cwiseProduct(sp);  // BP1: δ^L = ∇_a C ⊙ σ'(z^L)
  }
  // δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j: the sum does not collapse for softmax.
  return activation_jacobian<S>(output, zL).transpose() * dC_da;
}

// The full trace for one example: forward pass, BP1, BP2, BP3, BP4 (network.py's backprop).
template <typename S>
Trace<S> backprop(const Network<S>& net, const Vector<S>& x, int label, OutputDelta rule = OutputDelta::Literal) {
  Trace<S> t;
  forward(net, x, label, t);
  const int layers = int(net.weights.size()), last = layers - 1;
  t.dC_da = cost_gradient<S>(net.cost, t.a.back(), t.y);
  t.delta.assign(layers, Vector<S>());
  t.nabla_b.assign(layers, Vector<S>());
  t.nabla_w.assign(layers, Matrix<S>());

  // BP1: δ^L = ∇_a C ⊙ σ'(z^L) (a^L − y where σ' cancels, if asked)
  if (rule == OutputDelta::Simplified && has_simplified_delta(net.cost, net.output))
    t.delta[last] = t.a.back() - t.y;
  else
    t.delta[last] = output_error_literal(net.output, t.dC_da, t.z[last]);

  // BP2: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), from layer L − 1 back to layer 2
  for (int i = last - 1; i >= 0; --i) {
    const Vector<S> sp = t.z[i].unaryExpr([&](S z) { return activation_prime(net.activation_of(i), z); });
    t.delta[i] = (net.weights[i + 1].transpose() * t.delta[i + 1]).cwiseProduct(sp);
  }

  for (int i = 0; i < layers; ++i) {
    t.nabla_b[i] = t.delta[i];                       // BP3: ∂C/∂b^l_j = δ^l_j
    t.nabla_w[i] = t.delta[i] * t.a[i].transpose();  // BP4: ∂C/∂w^l_{jk} = a^{l-1}_k δ^l_j
  }
  return t;
}

}  // namespace bplab

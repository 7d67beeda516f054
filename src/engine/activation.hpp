// Activation functions, each beside its derivative (TensorFlow Playground's habit).
//
// Sigmoid, tanh and ReLU act on each neuron alone: a_j = σ(z_j), so ∂a_k/∂z_j is zero
// for k ≠ j and BP1 can be written with σ'(z). Softmax couples the whole layer:
// a_k = e^{z_k} / Σ_i e^{z_i}, and ∂a_k/∂z_j = a_k (1[k=j] − a_j) is a dense Jacobian.
#pragma once

#include <cmath>

#include "types.hpp"

namespace bplab {

// True for activations that act on each neuron alone (diagonal Jacobian).
inline bool is_elementwise(Activation f) { return f != Activation::Softmax; }

// σ(z) for one neuron. Softmax is not elementwise: use activate() on a whole layer.
template <typename S>
S activation_value(Activation f, S z) {
  switch (f) {
    case Activation::Sigmoid: return S(1) / (S(1) + std::exp(-z));
    case Activation::Tanh: return std::tanh(z);
    case Activation::ReLU: return z > S(0) ? z : S(0);
    case Activation::Softmax: break;
  }
  return z;  // not reached for elementwise activations
}

// σ'(z) for one neuron (ReLU's derivative at 0 is taken as 0).
template <typename S>
S activation_prime(Activation f, S z) {
  switch (f) {
    case Activation::Sigmoid: {
      const S s = S(1) / (S(1) + std::exp(-z));
      return s * (S(1) - s);  // σ'(z) = σ(z)(1 − σ(z))
    }
    case Activation::Tanh: {
      const S t = std::tanh(z);
      return S(1) - t * t;  // tanh' = 1 − tanh²
    }
    case Activation::ReLU: return z > S(0) ? S(1) : S(0);
    case Activation::Softmax: break;
  }
  return S(0);
}

// σ'(z) written in terms of a = σ(z), for the training loop, which keeps a but not σ(z) again.
template <typename S>
S activation_prime_from_output(Activation f, S a) {
  switch (f) {
    case Activation::Sigmoid: return a * (S(1) - a);
    case Activation::Tanh: return S(1) - a * a;
    case Activation::ReLU: return a > S(0) ? S(1) : S(0);
    case Activation::Softmax: break;
  }
  return S(0);
}

// a = σ(z) for a whole layer (or a whole mini-batch, one example per column).
template <typename S, typename Derived>
void activate(Activation f, const Eigen::MatrixBase<Derived>& z, Batch<S>& a) {
  a.resize(z.rows(), z.cols());
  if (f == Activation::Softmax) {
    for (Eigen::Index c = 0; c < z.cols(); ++c) {
      const S zmax = z.col(c).maxCoeff();  // shift for stability; softmax is shift-invariant
      a.col(c) = (z.col(c).array() - zmax).exp().matrix();
      a.col(c) /= a.col(c).sum();
    }
    return;
  }
  for (Eigen::Index c = 0; c < z.cols(); ++c)
    for (Eigen::Index r = 0; r < z.rows(); ++r) a(r, c) = activation_value(f, S(z(r, c)));
}

// The Jacobian J_{kj} = ∂a_k/∂z_j of one layer at z (diagonal unless softmax).
template <typename S>
Matrix<S> activation_jacobian(Activation f, const Vector<S>& z) {
  const Eigen::Index n = z.size();
  Matrix<S> jac = Matrix<S>::Zero(n, n);
  if (f == Activation::Softmax) {
    Batch<S> a;
    activate<S>(f, z, a);
    for (Eigen::Index k = 0; k < n; ++k)
      for (Eigen::Index j = 0; j < n; ++j) jac(k, j) = a(k, 0) * ((k == j ? S(1) : S(0)) - a(j, 0));
    return jac;
  }
  for (Eigen::Index j = 0; j < n; ++j) jac(j, j) = activation_prime(f, z(j));
  return jac;
}

}  // namespace bplab

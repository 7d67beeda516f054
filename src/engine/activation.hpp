// Activation functions: each is ONE description — its name, σ and σ' side by side, where it may
// be used — in one table (TensorFlow Playground's nn.ts habit). The engine, model files, the
// app's settings and its Train screen, bplab's flags and the tests all read the table, so a new
// activation is a value of `Activation` (types.hpp) and one row below.
//
// Sigmoid, tanh, ReLU and softplus act on each neuron alone: a_j = σ(z_j), so ∂a_k/∂z_j is
// zero for k ≠ j and BP1 can be written with σ'(z). Softmax couples the whole layer:
// a_k = e^{z_k} / Σ_i e^{z_i}, and ∂a_k/∂z_j = a_k (1[k=j] − a_j) is a dense Jacobian.
//
// Index
// [SECTION] The functions, each with its derivative
// [SECTION] The table
// [SECTION] Whole layers
#pragma once

#include <cmath>
#include <string>

#include "types.hpp"

namespace bplab {

// [SECTION] The functions, each with its derivative
// f(z) = σ(z); prime(z) = σ'(z); prime_from_output(a) = σ'(z) written with a = σ(z), for the
// training loop, which keeps a but not z.
namespace activations {

struct Sigmoid {  // σ(z) = 1 / (1 + e^−z)
  template <typename S> static S f(S z) { return S(1) / (S(1) + std::exp(-z)); }
  template <typename S> static S prime(S z) { const S s = f(z); return s * (S(1) - s); }  // σ(1 − σ)
  template <typename S> static S prime_from_output(S a) { return a * (S(1) - a); }
};

struct Tanh {  // tanh z
  template <typename S> static S f(S z) { return std::tanh(z); }
  template <typename S> static S prime(S z) { const S t = std::tanh(z); return S(1) - t * t; }  // 1 − tanh²
  template <typename S> static S prime_from_output(S a) { return S(1) - a * a; }
};

struct ReLU {  // max(0, z); its derivative at 0 is taken as 0
  template <typename S> static S f(S z) { return z > S(0) ? z : S(0); }
  template <typename S> static S prime(S z) { return z > S(0) ? S(1) : S(0); }
  template <typename S> static S prime_from_output(S a) { return a > S(0) ? S(1) : S(0); }
};

struct Softplus {  // ln(1 + e^z), a smooth ReLU; its derivative is the logistic sigmoid
  template <typename S> static S f(S z) { return z > S(30) ? z : std::log1p(std::exp(z)); }
  template <typename S> static S prime(S z) { return Sigmoid::f(z); }
  template <typename S> static S prime_from_output(S a) { return -std::expm1(-a); }  // σ(z) = 1 − e^−a
};

}  // namespace activations

// [SECTION] The table

// Where an activation may be used.
enum ActivationUse : unsigned { kHiddenLayers = 1, kOutputLayer = 2 };

template <typename S>
struct ActivationFunctions {
  S (*f)(S z) = nullptr;  // null for softmax, which is not elementwise
  S (*prime)(S z) = nullptr;
  S (*prime_from_output)(S a) = nullptr;
};

struct ActivationDescription {
  Activation id;
  const char* name;    // everywhere: the app and its URLs, bplab's flags, model files ("activation", "output")
  unsigned use;        // ActivationUse bits
  const char* formula;  // σ(z), as the help texts show it
  ActivationFunctions<float> f32;
  ActivationFunctions<double> f64;

  bool elementwise() const { return f32.f != nullptr; }
  template <typename S> const ActivationFunctions<S>& functions() const;
};
template <> inline const ActivationFunctions<float>& ActivationDescription::functions<float>() const { return f32; }
template <> inline const ActivationFunctions<double>& ActivationDescription::functions<double>() const { return f64; }

template <typename A>
constexpr ActivationDescription elementwise_activation(Activation id, const char* name, unsigned use, const char* formula) {
  return {id, name, use, formula,
          {&A::template f<float>, &A::template prime<float>, &A::template prime_from_output<float>},
          {&A::template f<double>, &A::template prime<double>, &A::template prime_from_output<double>}};
}

// One row an activation, in the order of `Activation`'s values.
inline const ActivationDescription kActivations[] = {
    elementwise_activation<activations::Sigmoid>(Activation::Sigmoid, "sigmoid", kHiddenLayers | kOutputLayer, "1/(1+e^-z)"),
    elementwise_activation<activations::Tanh>(Activation::Tanh, "tanh", kHiddenLayers, "tanh z"),
    elementwise_activation<activations::ReLU>(Activation::ReLU, "relu", kHiddenLayers, "max(0, z)"),
    {Activation::Softmax, "softmax", kOutputLayer, "e^z_j / sum_k e^z_k", {}, {}},
    elementwise_activation<activations::Softplus>(Activation::Softplus, "softplus", kHiddenLayers, "ln(1+e^z)"),
};

inline const ActivationDescription& describe(Activation f) { return kActivations[int(f)]; }
inline bool usable(Activation f, ActivationUse where) { return (describe(f).use & where) != 0; }
// The names of the activations usable there, "sigmoid, tanh, relu, softplus" (separator ", ").
std::string activation_names(ActivationUse where, const char* separator = ", ");

// True for activations that act on each neuron alone (diagonal Jacobian).
inline bool is_elementwise(Activation f) { return describe(f).elementwise(); }

// σ(z) for one neuron. Softmax is not elementwise: use activate() on a whole layer.
template <typename S>
S activation_value(Activation f, S z) {
  const ActivationFunctions<S>& fn = describe(f).template functions<S>();
  return fn.f ? fn.f(z) : z;
}

// σ'(z) for one neuron (0 for softmax: use activation_jacobian).
template <typename S>
S activation_prime(Activation f, S z) {
  const ActivationFunctions<S>& fn = describe(f).template functions<S>();
  return fn.prime ? fn.prime(z) : S(0);
}

// σ'(z) written in terms of a = σ(z), for the training loop, which keeps a but not σ(z) again.
template <typename S>
S activation_prime_from_output(Activation f, S a) {
  const ActivationFunctions<S>& fn = describe(f).template functions<S>();
  return fn.prime_from_output ? fn.prime_from_output(a) : S(0);
}

// [SECTION] Whole layers

// a = σ(z) for a whole layer (or a whole mini-batch, one example per column).
template <typename S, typename Derived>
void activate(Activation f, const Eigen::MatrixBase<Derived>& z, Batch<S>& a) {
  a.resize(z.rows(), z.cols());
  if (!is_elementwise(f)) {  // softmax
    for (Eigen::Index c = 0; c < z.cols(); ++c) {
      const S zmax = z.col(c).maxCoeff();  // shift for stability; softmax is shift-invariant
      a.col(c) = (z.col(c).array() - zmax).exp().matrix();
      a.col(c) /= a.col(c).sum();
    }
    return;
  }
  S (*const sigma)(S) = describe(f).template functions<S>().f;
  for (Eigen::Index c = 0; c < z.cols(); ++c)
    for (Eigen::Index r = 0; r < z.rows(); ++r) a(r, c) = sigma(S(z(r, c)));
}

// The Jacobian J_{kj} = ∂a_k/∂z_j of one layer at z (diagonal unless softmax).
template <typename S>
Matrix<S> activation_jacobian(Activation f, const Vector<S>& z) {
  const Eigen::Index n = z.size();
  Matrix<S> jac = Matrix<S>::Zero(n, n);
  if (!is_elementwise(f)) {  // softmax
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

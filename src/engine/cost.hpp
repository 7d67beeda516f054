// Costs for one example x: each is ONE description — its names, C and ∇_a C side by side, the
// output layer it goes with — in one table, read by the engine, model files (network2.py's
// class names), the app's settings and Train screen, bplab's flags and the tests.
//
//   quadratic       C = ½‖a − y‖²                          ∇_a C = a − y
//   cross-entropy   C = −Σ_j [y_j ln a_j + (1−y_j) ln(1−a_j)]   ∂C/∂a_j = (a_j − y_j) / (a_j (1 − a_j))
//   log-likelihood  C = −ln a_y                            ∂C/∂a_j = −y_j / a_j
//
// y is the one-hot vector of the label.
#pragma once

#include <cmath>
#include <string>

#include "types.hpp"

namespace bplab {

namespace costs {

struct Quadratic {
  template <typename S> static S value(const Vector<S>& a, const Vector<S>& y) { return S(0.5) * (a - y).squaredNorm(); }
  template <typename S> static Vector<S> gradient(const Vector<S>& a, const Vector<S>& y) { return a - y; }
};

struct CrossEntropy {
  template <typename S> static S value(const Vector<S>& a, const Vector<S>& y) {
    // network2.py wraps this in np.nan_to_num: a term whose factor y_j or (1 − y_j) is
    // zero counts as zero even where its logarithm is infinite. We skip those terms.
    S c = 0;
    for (Eigen::Index j = 0; j < a.size(); ++j) {
      const S aj = a(j), yj = y(j);
      if (yj != S(0)) c -= yj * std::log(aj);
      if (yj != S(1)) c -= (S(1) - yj) * std::log(S(1) - aj);
    }
    return c;
  }
  template <typename S> static Vector<S> gradient(const Vector<S>& a, const Vector<S>& y) {
    return ((a - y).array() / (a.array() * (S(1) - a.array()))).matrix();
  }
};

struct LogLikelihood {
  template <typename S> static S value(const Vector<S>& a, const Vector<S>& y) {
    S c = 0;
    for (Eigen::Index j = 0; j < a.size(); ++j)
      if (y(j) != S(0)) c -= y(j) * std::log(a(j));
    return c;
  }
  template <typename S> static Vector<S> gradient(const Vector<S>& a, const Vector<S>& y) {
    return (-y.array() / a.array()).matrix();
  }
};

}  // namespace costs

template <typename S>
struct CostFunctions {
  S (*value)(const Vector<S>& a, const Vector<S>& y);
  Vector<S> (*gradient)(const Vector<S>& a, const Vector<S>& y);  // ∇_a C
};

struct CostDescription {
  Cost id;
  const char* name;        // the app and its URLs, bplab's --cost ("cross-entropy")
  const char* class_name;  // in model files, as network2.py names it ("CrossEntropyCost")
  Activation output;       // the output layer it is meant for (its δ^L simplifies there, but quadratic's)
  bool with_sigmoid_output;  // makes sense over sigmoid outputs (the app's Train screen)
  CostFunctions<float> f32;
  CostFunctions<double> f64;
  template <typename S> const CostFunctions<S>& functions() const;
};
template <> inline const CostFunctions<float>& CostDescription::functions<float>() const { return f32; }
template <> inline const CostFunctions<double>& CostDescription::functions<double>() const { return f64; }

template <typename C>
constexpr CostDescription cost_description(Cost id, const char* name, const char* class_name, Activation output,
                                           bool with_sigmoid_output) {
  return {id, name, class_name, output, with_sigmoid_output,
          {&C::template value<float>, &C::template gradient<float>},
          {&C::template value<double>, &C::template gradient<double>}};
}

// One row a cost, in the order of `Cost`'s values.
inline const CostDescription kCosts[] = {
    cost_description<costs::Quadratic>(Cost::Quadratic, "quadratic", "QuadraticCost", Activation::Sigmoid, true),
    cost_description<costs::CrossEntropy>(Cost::CrossEntropy, "cross-entropy", "CrossEntropyCost", Activation::Sigmoid, true),
    cost_description<costs::LogLikelihood>(Cost::LogLikelihood, "log-likelihood", "LogLikelihoodCost", Activation::Softmax, false),
};

inline const CostDescription& describe(Cost c) { return kCosts[int(c)]; }
// "quadratic, cross-entropy" (only those usable over sigmoid outputs when `sigmoid_output_only`).
std::string cost_names(bool sigmoid_output_only, const char* separator = ", ");

template <typename S, typename DA, typename DY>
S cost_value(Cost cost, const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DY>& y) {
  return describe(cost).template functions<S>().value(Vector<S>(a), Vector<S>(y));
}

// ∇_a C, the first factor of BP1.
template <typename S, typename DA, typename DY>
Vector<S> cost_gradient(Cost cost, const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DY>& y) {
  return describe(cost).template functions<S>().gradient(Vector<S>(a), Vector<S>(y));
}

// The one-hot vector y(x) for a digit label.
template <typename S>
Vector<S> one_hot(int label, int n) {
  Vector<S> y = Vector<S>::Zero(n);
  if (label >= 0 && label < n) y(label) = S(1);
  return y;
}

}  // namespace bplab

// Costs for one example x, each beside its gradient ∇_a C (the book's C_x).
//
//   quadratic       C = ½‖a − y‖²                          ∇_a C = a − y
//   cross-entropy   C = −Σ_j [y_j ln a_j + (1−y_j) ln(1−a_j)]   ∂C/∂a_j = (a_j − y_j) / (a_j (1 − a_j))
//   log-likelihood  C = −ln a_y                            ∂C/∂a_j = −y_j / a_j
//
// y is the one-hot vector of the label.
#pragma once

#include <cmath>

#include "types.hpp"

namespace bplab {

template <typename S, typename DA, typename DY>
S cost_value(Cost cost, const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DY>& y) {
  switch (cost) {
    case Cost::Quadratic: return S(0.5) * (a - y).squaredNorm();
    case Cost::CrossEntropy: {
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
    case Cost::LogLikelihood: {
      S c = 0;
      for (Eigen::Index j = 0; j < a.size(); ++j)
        if (y(j) != S(0)) c -= y(j) * std::log(a(j));
      return c;
    }
  }
  return S(0);
}

// ∇_a C, the first factor of BP1.
template <typename S, typename DA, typename DY>
Vector<S> cost_gradient(Cost cost, const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DY>& y) {
  switch (cost) {
    case Cost::Quadratic: return a - y;
    case Cost::CrossEntropy:
      return ((a - y).array() / (a.array() * (S(1) - a.array()))).matrix();
    case Cost::LogLikelihood: return (-y.array() / a.array()).matrix();
  }
  return Vector<S>();
}

// The one-hot vector y(x) for a digit label.
template <typename S>
Vector<S> one_hot(int label, int n) {
  Vector<S> y = Vector<S>::Zero(n);
  if (label >= 0 && label < n) y(label) = S(1);
  return y;
}

}  // namespace bplab

// Finite-difference checks, in double: the derivatives backprop claims, measured by nudging.
//
// ∂C/∂z^l_j is measured by nudging z^l_j itself and running the rest of the forward pass:
// that is the definition of the error, δ^l_j ≡ ∂C/∂z^l_j (the book's (29)), taken literally.
//
// Derivatives use the five-point central stencil
//   f'(x) ≈ (−f(x+2h) + 8 f(x+h) − 8 f(x−h) + f(x−2h)) / 12h,
// whose error is O(h⁴); with h = 1e-3 it agrees with exact derivatives to about 1e-12.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "backprop.hpp"

namespace bplab {

constexpr double kFiniteDifferenceStep = 1e-3;

// d/dh of f at 0, by the five-point stencil.
inline double central_difference(const std::function<double(double)>& f, double h = kFiniteDifferenceStep) {
  return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
}

// |a − b| relative to the larger magnitude; magnitudes below `floor` count as `floor`.
// Why a floor: the stencil turns the rounding error of each cost into about 1.5 × that / h, a
// few 1e-12 on MNIST digits, so for a derivative of 1e-9 a pure relative error would report
// rounding noise as 1e-3. The floor is that resolution (1e-11) over the tolerance of the checks
// (1e-6): a derivative wrong by more than 1e-11 is caught however small it is. (It was 1e-4,
// which let a BP1 product 19% away from a δ of 1e-6 pass as "relative error 2.5e-7".)
inline double relative_error(double a, double b, double floor = 1e-5) {
  const double scale = std::max({std::abs(a), std::abs(b), floor});
  return std::abs(a - b) / scale;
}

// The larger of two errors, NaN if either is NaN (std::max(e, NaN) would drop the NaN of an
// infinite cost and report the check as passed).
inline double worst_of(double a, double b) { return std::isnan(a) || std::isnan(b) ? std::nan("") : std::max(a, b); }

// C_x after adding `nudge` to z^l_j (layer = i + 2 for z[i]) and running the rest of the pass.
inline double cost_with_z_nudged(const Network<double>& net, const Vector<double>& x, int label,
                                 int i, int j, double nudge) {
  Batch<double> a = x;
  for (int l = 0; l < int(net.weights.size()); ++l) {
    Batch<double> z = (net.weights[l] * a).colwise() + net.biases[l];
    if (l == i) z(j, 0) += nudge;
    activate<double>(net.activation_of(l), z, a);
  }
  return cost_value<double>(net.cost, a.col(0), one_hot<double>(label, net.sizes.back()));
}

inline double cost_of(const Network<double>& net, const Vector<double>& x, int label) {
  return cost_with_z_nudged(net, x, label, -1, 0, 0.0);
}

// δ^l_j measured from its definition (29): ∂C/∂z^l_j by finite differences.
inline double delta_by_definition(const Network<double>& net, const Vector<double>& x, int label, int i, int j) {
  return central_difference([&](double h) { return cost_with_z_nudged(net, x, label, i, j, h); });
}

// ∂C/∂w^l_{jk} (weights[i](j, k)) by finite differences.
inline double nabla_w_by_differences(Network<double> net, const Vector<double>& x, int label, int i, int j, int k) {
  const double w = net.weights[i](j, k);
  return central_difference([&](double h) {
    net.weights[i](j, k) = w + h;
    return cost_of(net, x, label);
  });
}

// ∂C/∂b^l_j (biases[i](j)) by finite differences.
inline double nabla_b_by_differences(Network<double> net, const Vector<double>& x, int label, int i, int j) {
  const double b = net.biases[i](j);
  return central_difference([&](double h) {
    net.biases[i](j) = b + h;
    return cost_of(net, x, label);
  });
}

// The largest relative error per layer between a trace's gradients and finite differences.
struct LayerCheck {
  int layer = 0;                // the book's l
  double max_error_w = 0, max_error_b = 0, max_error_delta = 0;
};

// Checks every weight, bias and δ of every layer (about 4 forward passes per parameter).
inline std::vector<LayerCheck> gradient_check(const Network<double>& net, const Vector<double>& x, int label,
                                              const Trace<double>& t) {
  std::vector<LayerCheck> out;
  Network<double> probe = net;  // nudged in place and restored, to avoid copying per parameter
  for (int i = 0; i < int(net.weights.size()); ++i) {
    LayerCheck c;
    c.layer = i + 2;
    for (int j = 0; j < int(net.weights[i].rows()); ++j) {
      for (int k = 0; k < int(net.weights[i].cols()); ++k) {
        if (t.a[i](k) == 0.0) {
          // w_jk multiplies a_k = 0 (a blank pixel, a silent ReLU): nudging it changes no
          // number in the forward pass, so the finite difference is exactly 0. Skip the passes.
          c.max_error_w = worst_of(c.max_error_w, relative_error(t.nabla_w[i](j, k), 0.0));
          continue;
        }
        const double w = probe.weights[i](j, k);
        const double fd = central_difference([&](double h) {
          probe.weights[i](j, k) = w + h;
          return cost_of(probe, x, label);
        });
        probe.weights[i](j, k) = w;
        c.max_error_w = worst_of(c.max_error_w, relative_error(t.nabla_w[i](j, k), fd));
      }
      const double b = probe.biases[i](j);
      const double fd_b = central_difference([&](double h) {
        probe.biases[i](j) = b + h;
        return cost_of(probe, x, label);
      });
      probe.biases[i](j) = b;
      c.max_error_b = worst_of(c.max_error_b, relative_error(t.nabla_b[i](j), fd_b));
      c.max_error_delta = worst_of(c.max_error_delta, relative_error(t.delta[i](j), delta_by_definition(net, x, label, i, j)));
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace bplab

// The derivation screen (see derivation.hpp and issue 4): BP1 from the definition of δ by the
// chain rule, then BP2–BP4 and a step of gradient descent, on the numbers of one digit.
//
//   [SECTION] View and cached numbers   what the screen remembers; what it computes per input
//   [SECTION] Formulas                  the book's equations as math nodes (screen and transcript)
//   [SECTION] Sketch                    the small picture of the net, with highlights
//   [SECTION] Steps                     one function per step of the derivation
//   [SECTION] Contract                  draw_derivation, derivation_state, set_derivation, transcript
//
// Index note: as in the engine, t.z[i] is the book's z^{i+2}; the output layer L is index
// `last` = L − 2. Output neuron j is the one the learner follows (default: the label).
#include "app/derivation.hpp"
#include "app/hasher.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "app/fonts.hpp"
#include "app/math.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"
#include "engine/backprop.hpp"
#include "engine/gradcheck.hpp"

namespace bplab::app {

namespace m = math;

// [SECTION] View and cached numbers

constexpr int kSteps = 9;
// A shown number agrees with its measurement when they differ by less than this fraction of the
// scale of their layer (see Check).
constexpr double kCheckTolerance = 1e-6;
// What the finite differences can resolve: the five-point stencil with h = 1e-3 turns the
// rounding error of each cost (a few ε times the size of its terms) into 1.5 × that / h: up to a
// few 1e-12 on MNIST digits (measured: 3.8e-12 for a cross-entropy net's first-layer weight).
// A difference smaller than kFdResolution·max(1, |C|) cannot be seen, so no scale is smaller
// than that divided by the tolerance.
constexpr double kFdResolution = 1e-11;

const char* const kStepTitles[kSteps + 1] = {
    "",
    "The definition of δ",
    "The chain rule",
    "The Jacobian: does the sum collapse?",
    "BP1, one neuron",
    "BP1 for the whole layer",
    "The cost's own form",
    "BP2: the error of a hidden neuron",
    "BP3 and BP4: the gradient",
    "One step of gradient descent",
};

// Classic mistakes, injected on purpose so that the screen can show its checks catching them.
// They live here, not in the engine: the engine's backprop() is the book's, and only that.
enum class Bug {
  None,
  SigmaPrimeOfA,              // σ′(a) where the equations say σ′(z), in BP1 and BP2
  NoSigmaPrime,               // σ′ dropped from BP1 and BP2
  SigmaPrimeWithCrossEntropy, // δ^L = (a − y) ⊙ σ′(z^L) whatever the cost (right only for quadratic)
  NoTransposeBP2,             // BP2 with w^{l+1} where it needs (w^{l+1})ᵀ (see bug_note)
};

const char* bug_name(Bug b) {
  switch (b) {
    case Bug::None: return "none";
    case Bug::SigmaPrimeOfA: return "σ′(a) instead of σ′(z)";
    case Bug::NoSigmaPrime: return "σ′ dropped";
    case Bug::SigmaPrimeWithCrossEntropy: return "σ′ kept with cross-entropy";
    case Bug::NoTransposeBP2: return "transpose dropped in BP2";
  }
  return "";
}

// Backprop with one of the mistakes above: the engine's trace, then BP1 and BP2 done again the
// wrong way, then BP3 and BP4 from the wrong δ.
Trace<double> backprop_with_bug(const Network<double>& net, const Vector<double>& x, int label, Bug bug) {
  Trace<double> t = backprop(net, x, label);
  if (bug == Bug::None) return t;
  const int last = int(net.weights.size()) - 1;
  auto sp = [&](int i) {  // the σ′ factor of layer i + 2 as the buggy code computes it
    const Activation f = net.activation_of(i);
    Vector<double> s(t.z[i].size());
    for (Eigen::Index j = 0; j < s.size(); ++j)
      s(j) = bug == Bug::NoSigmaPrime    ? 1.0
             : bug == Bug::SigmaPrimeOfA ? activation_prime(f, t.a[i + 1](j))
                                         : activation_prime(f, t.z[i](j));
    return s;
  };
  if (is_elementwise(net.output)) {
    if (bug == Bug::SigmaPrimeWithCrossEntropy) t.delta[last] = (t.a.back() - t.y).cwiseProduct(sp(last));
    else if (bug != Bug::NoTransposeBP2) t.delta[last] = t.dC_da.cwiseProduct(sp(last));
  }
  for (int i = last - 1; i >= 0; --i) {
    const Matrix<double>& w = net.weights[i + 1];  // n_{l+1} × n_l
    Vector<double> back;
    if (bug == Bug::NoTransposeBP2) {
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

// One comparison the screen shows: a number backprop (or a formula) gives against what finite
// differences measure. error = |shown − measured| / scale with scale = the larger of |shown| and
// |measured|, but never below what the finite differences resolve divided by the tolerance: a
// tiny number cannot pass by being tiny (0 against 10⁻⁷ is an error of 0.1, not 10⁻³), and
// rounding noise of the stencil (about 10⁻¹² |C|) cannot fail a right formula.
struct Check {
  std::string what;
  double shown = 0, measured = 0, error = 0, scale = 0;
  bool agree = false;
  bool pending = false;   // not measured yet (a big net's finite differences take several frames)
  bool infinite = false;  // the cost is infinite (a saturated output): nothing can be measured
  std::string scale_name; // "the larger of the two" or "the finite differences' resolution"
};

Check make_check(std::string what, double shown, double measured, double cost) {
  Check c;
  c.what = std::move(what);
  c.shown = shown;
  c.measured = measured;
  if (!std::isfinite(cost) || !std::isfinite(measured) || !std::isfinite(shown)) {
    c.infinite = true;
    c.error = NAN;
    c.scale = NAN;
    return c;
  }
  const double floor = kFdResolution * std::max(1.0, std::abs(cost)) / kCheckTolerance;
  c.scale = std::max({std::abs(shown), std::abs(measured), floor});
  c.scale_name = c.scale == floor ? "the finite differences' resolution" : "the larger of the two";
  c.error = std::abs(shown - measured) / c.scale;
  c.agree = c.error < kCheckTolerance;
  return c;
}

Check pending_check(std::string what, double shown) {
  Check c;
  c.what = std::move(what);
  c.shown = shown;
  c.measured = c.error = c.scale = NAN;
  c.pending = true;
  return c;
}

// A finite-difference measurement waiting to be made: ∂C/∂z^l_j (k < 0) or ∂C/∂w^l_{jk}, for
// z[i] / weights[i]. Both nudge z^l_j (a weight w_{jk} by h moves z_j by h a_k exactly), then
// run the rest of the forward pass from there.
struct Measure {
  int i = 0, j = 0, k = -1;
};

// Everything computed from (model, input, label, toggles). Recomputed only when its key changes.
struct Numbers {
  bool valid = false;
  uint64_t key = 0;                 // hash of the model, the input, the label and the toggles
  uint64_t toggles_key = 0;         // hash of the toggles alone
  uint64_t input_key = 0;           // hash of the input alone (the learner's label belongs to it)
  Network<double> net;              // the app's model with the screen's cost and output
  Activation model_output = Activation::Sigmoid;
  Cost model_cost = Cost::Quadratic;
  Vector<double> x;
  int label = 0;
  const char* label_source = "mnist";
  int prediction = 0;               // the net's own guess for this input
  int L = 0, last = 0, nL = 0;      // book's L, index of the output layer, its size
  Trace<double> t;                  // the engine's backprop: BP1–BP4
  Trace<double> tb;                 // with the injected bug (equal to t without one)
  Matrix<double> jac;               // J(k, j) = ∂a^L_k/∂z^L_j
  Vector<double> delta_by_cost[3];  // step 6: δ^L of this digit with the quadratic, cross-entropy, log-likelihood cost
  // Finite differences, a slice at a time: every δ (output layer first), then sampled weights.
  std::vector<Measure> queue;
  std::vector<int> first_of_layer;  // queue index of δ^l_0 for z[i]
  size_t done = 0;                  // queue[0, done) measured
  size_t weights_from = 0;          // queue index of the first weight (queue.size() if none queued)
  std::vector<Vector<double>> delta_def;  // δ by definition (29), every layer
  Vector<double> c_plus, c_minus;   // C with z^L_j nudged by ±h (step 1's central difference)
  Check worst_delta, worst_w;       // the furthest off of tb's δ and of the sampled ∂C/∂w
  bool weights_queued = false;
  double last_slice = 0;
  // Step 9: the cost after w → w − η g, for the right gradient and the buggy one, over η.
  double eta = 0, c_after = 0, predicted = 0, grad_norm2 = 0, grad_norm2_right = 0;
  std::vector<double> sweep_eta, sweep_right, sweep_bug;  // actual / predicted ΔC
  bool swept = false;
};

// Whether δ of z[i](j), or every δ of z[i], has been measured yet.
static bool measured(const Numbers& n, int i, int j) { return n.done > size_t(n.first_of_layer[i] + j); }
static bool layer_measured(const Numbers& n, int i) { return n.done >= size_t(n.first_of_layer[i] + n.t.z[i].size()); }

struct DerivationView {
  int step = 1;
  int neuron = -1;                  // output neuron j; −1 follows the label
  int hidden = -1;                  // step 7's hidden neuron; −1: the one with the largest |δ|
  std::optional<Network<double>> applied;  // step 9's "Apply this step", until the app takes it
  std::optional<Cost> cost;         // unset: the model's own
  std::optional<Activation> output; // unset: the model's own (sigmoid or softmax only)
  Bug bug = Bug::None;
  bool one_neuron = false;          // "one neuron per layer" mode
  float eta = 0.01f;                // step 9's learning rate ("apply" and the marked point of the sweep)
  int learner_label = -1;           // the learner's y for the input `learner_label_for` (−1: none)
  uint64_t learner_label_for = 0;
  int pick_j = -1, pick_k = -1;     // step 8: the weight w^2_{jk} checked (k = −1: the bias b^2_j)
  bool picked_by_learner = false;   // clicked (else the default, which follows the digit and net)
  uint64_t default_pick_for = 0;    // the numbers' key the default pick was chosen for
  double pick_fd = 0;
  uint64_t pick_key = 0;
  double last_update = -1e9;        // ImGui time of the last recompute while drawing
  int highlight = -1;               // tag under the mouse last frame (sketch ↔ symbols)
  int hover_next = -1;
  Numbers n;
  TextureMaker texture;             // the platform's (set_derivation_textures), or none
  std::uintptr_t gradient_texture = 0;  // step 8's images, 10 tiles to a row
  uint64_t gradient_texture_for = 0;    // the numbers' key (and image count) it was made for
};

DerivationView* create_derivation() { return new DerivationView(); }

std::optional<Network<double>> take_applied_step(DerivationView& v) {
  std::optional<Network<double>> net;
  net.swap(v.applied);
  return net;
}
void destroy_derivation(DerivationView* view) {
  if (view && view->gradient_texture && view->texture) view->texture(view->gradient_texture, 0, 0, nullptr, false);
  delete view;
}
void set_derivation_textures(DerivationView& view, TextureMaker maker) { view.texture = std::move(maker); }

DerivationProgress derivation_progress(const DerivationView& v) {
  return {long(v.n.done), long(v.n.queue.size()), v.n.last_slice};
}

namespace {
// What step 8's finite difference (pick_fd) was computed for: the numbers and the picked weight.
uint64_t pick_key_of(const DerivationView& v) {
  return v.n.key * 31 + uint64_t(v.pick_j) * 100003 + uint64_t(v.pick_k + 1);
}

int output_neuron(const DerivationView& v) {
  const int nL = v.n.nL > 0 ? v.n.nL : 10;
  if (v.neuron >= 0 && v.neuron < nL) return v.neuron;
  return std::clamp(v.n.label, 0, nL - 1);
}

int hidden_neuron(const DerivationView& v) {
  const Numbers& n = v.n;
  if (n.last < 1) return -1;
  const Vector<double>& d = n.t.delta[n.last - 1];
  if (v.hidden >= 0 && v.hidden < d.size()) return v.hidden;
  Eigen::Index i = 0;
  d.cwiseAbs().maxCoeff(&i);
  return int(i);
}

// ∂a^L_j/∂z^L_j as the (buggy) code computes it: σ′(z_j) for an elementwise output (σ′(a_j), 1
// with the bugs), the Jacobian's diagonal a_j(1 − a_j) for softmax.
double sigma_prime_shown(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const Activation f = n.net.output;
  if (!is_elementwise(f)) return n.jac(j, j);
  if (v.bug == Bug::NoSigmaPrime) return 1.0;
  if (v.bug == Bug::SigmaPrimeOfA) return activation_prime(f, n.t.a.back()(j));
  return activation_prime(f, n.t.z[n.last](j));
}

// The first factor of BP1 as the (buggy) code computes it: ∂C/∂a_j, or a_j − y_j with the
// "σ′ kept with cross-entropy" bug (which puts a − y where ∂C/∂a belongs).
double dC_da_shown(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  if (v.bug == Bug::SigmaPrimeWithCrossEntropy && is_elementwise(n.net.output)) return n.t.a.back()(j) - n.t.y(j);
  return n.t.dC_da(j);
}

// Up to `count` inputs k of a layer with the largest |a^{l−1}_k| (their weights matter most).
std::vector<int> strongest_inputs(const Vector<double>& a, int count) {
  std::vector<int> k(a.size());
  for (int i = 0; i < int(k.size()); ++i) k[i] = i;
  count = std::min<int>(count, int(k.size()));
  std::partial_sort(k.begin(), k.begin() + count, k.end(),
                    [&](int p, int q) { return std::abs(a(p)) > std::abs(a(q)); });
  k.resize(count);
  return k;
}

// C with z^l_j (l = i + 2) moved by `nudge`, running the forward pass from layer l on.
double cost_nudged(const Numbers& n, int i, int j, double nudge) {
  Vector<double> z = n.t.z[i];
  z(j) += nudge;
  Batch<double> a;
  activate<double>(n.net.activation_of(i), z, a);
  for (int l = i + 1; l < int(n.net.weights.size()); ++l) {
    Batch<double> zl = (n.net.weights[l] * a).colwise() + n.net.biases[l];
    activate<double>(n.net.activation_of(l), zl, a);
  }
  return cost_value<double>(n.net.cost, a.col(0), n.t.y);
}

// Multiply-adds of the forward passes one measurement of z[i] costs (4 passes of the stencil).
double work_of(const Numbers& n, int i) {
  double w = double(n.t.z[i].size());
  for (int l = i + 1; l < int(n.net.weights.size()); ++l) w += double(n.net.weights[l].size());
  return 4 * w;
}

void measure_one(Numbers& n) {
  const Measure& q = n.queue[n.done];
  const double a_k = q.k < 0 ? 1.0 : n.t.a[q.i](q.k);
  const double fd = central_difference([&](double h) { return cost_nudged(n, q.i, q.j, h * a_k); });
  if (q.k < 0) {
    n.delta_def[q.i](q.j) = fd;
  } else {
    const Check c = make_check("the gradient check's furthest-off weight, ∂C/∂w by backprop against finite differences",
                               n.tb.nabla_w[q.i](q.j, q.k), fd, n.t.cost);
    if (n.worst_w.what.empty() || c.infinite || (!n.worst_w.infinite && c.error > n.worst_w.error)) n.worst_w = c;
  }
  ++n.done;
  if (n.done == n.weights_from) {  // every δ measured: the largest error of tb's δ, layer by layer
    for (int i = 0; i < int(n.t.z.size()); ++i) {
      for (int j = 0; j < int(n.t.z[i].size()); ++j) {
        const Check c = make_check("the gradient check's furthest-off δ, by backprop against the definition", n.tb.delta[i](j),
                                   n.delta_def[i](j), n.t.cost);
        if (n.worst_delta.what.empty() || c.infinite || (!n.worst_delta.infinite && c.error > n.worst_delta.error)) n.worst_delta = c;
      }
    }
  }
}

// Every weight of the output layer, and for every neuron of the other layers its three strongest
// inputs (a full check of 24 000 weights would take seconds).
void queue_weights(Numbers& n) {
  if (n.weights_queued) return;
  n.weights_queued = true;
  for (int i = int(n.net.weights.size()) - 1; i >= 0; --i) {
    const int rows = int(n.net.weights[i].rows()), cols = int(n.net.weights[i].cols());
    const std::vector<int> ks = i == n.last ? strongest_inputs(n.t.a[i], cols) : strongest_inputs(n.t.a[i], 3);
    for (int j = 0; j < rows; ++j)
      for (int k : ks) n.queue.push_back({i, j, k});
  }
}

bool weights_checked(const Numbers& n) { return n.weights_queued && n.done == n.queue.size(); }

// Measures from the queue until `budget` multiply-adds are spent, `spent` of them already this
// slice (a slice that has done nothing else makes at least one measurement); budget < 0: all.
void advance(Numbers& n, double budget, double spent) {
  while (n.done < n.queue.size()) {
    const double w = work_of(n, n.queue[n.done].i);
    if (budget >= 0 && spent > 0 && spent + w > budget) break;
    measure_one(n);
    spent += w;
  }
  n.last_slice = spent;
}

// Step 9: C after w → w − η g for the gradient g of a trace (g = δ aᵀ layer by layer, so
// (w − η δ aᵀ) a' = w a' − η δ (a · a')), without copying the net.
double cost_after_step(const Numbers& n, const Trace<double>& g, double eta) {
  Vector<double> a = n.x;
  for (int i = 0; i < int(n.net.weights.size()); ++i) {
    Batch<double> z = n.net.weights[i] * a + n.net.biases[i] - eta * g.delta[i] * (g.a[i].dot(a) + 1.0);
    Batch<double> out;
    activate<double>(n.net.activation_of(i), z, out);
    a = out.col(0);
  }
  return cost_value<double>(n.net.cost, a, n.t.y);
}

double grad_norm2(const Trace<double>& g) {
  double s = 0;
  for (size_t i = 0; i < g.delta.size(); ++i) s += g.delta[i].squaredNorm() * (g.a[i].squaredNorm() + 1.0);
  return s;
}

// Step 9's sweep, η = 10⁻⁴ … 1 (four points a decade), a point at a time until `budget`
// multiply-adds are spent (budget < 0: all of it); sliced like the finite differences. `bug`:
// the buggy gradient tb differs from t, and has its own curve.
constexpr int kSweepPoints = 17;
double sweep(Numbers& n, double budget, bool bug) {
  double forward = 0, spent = 0;
  for (const auto& w : n.net.weights) forward += double(w.size());
  // Without a bug, tb is t: one forward pass a point instead of two.
  const double per_point = (bug ? 2 : 1) * forward;
  while (int(n.sweep_eta.size()) < kSweepPoints && (budget < 0 || spent == 0 || spent + per_point <= budget)) {
    const double eta = std::pow(10.0, (int(n.sweep_eta.size()) - 16) / 4.0);
    n.sweep_eta.push_back(eta);
    n.sweep_right.push_back((cost_after_step(n, n.t, eta) - n.t.cost) / (-eta * n.grad_norm2_right));
    n.sweep_bug.push_back(bug ? (cost_after_step(n, n.tb, eta) - n.t.cost) / (-eta * n.grad_norm2) : n.sweep_right.back());
    spent += per_point;
  }
  n.swept = int(n.sweep_eta.size()) == kSweepPoints;
  return spent;
}

void recompute(DerivationView& v, const Network<double>& model, const Vector<double>& x, int label, uint64_t key) {
  Numbers& n = v.n;
  n = Numbers{};
  n.key = key;
  n.net = model;
  n.model_cost = model.cost;
  n.model_output = model.output;
  if (v.cost) n.net.cost = *v.cost;
  if (v.output) n.net.output = *v.output;
  n.x = x;
  n.L = model.num_layers();
  n.last = n.L - 2;
  n.nL = model.sizes.back();
  n.label = std::clamp(label, 0, n.nL - 1);
  n.t = backprop(n.net, x, n.label);
  n.t.a.back().maxCoeff(&n.prediction);
  n.tb = backprop_with_bug(n.net, x, n.label, v.bug);
  n.jac = activation_jacobian<double>(n.net.output, n.t.z[n.last]);
  n.delta_def.resize(n.t.z.size());
  n.first_of_layer.assign(n.t.z.size(), 0);
  for (int i = n.last; i >= 0; --i) {
    n.delta_def[i] = Vector<double>::Zero(n.t.z[i].size());
    n.first_of_layer[i] = int(n.queue.size());
    for (int j = 0; j < int(n.t.z[i].size()); ++j) n.queue.push_back({i, j, -1});
  }
  n.weights_from = n.queue.size();
  n.c_plus.resize(n.nL);
  n.c_minus.resize(n.nL);
  for (int j = 0; j < n.nL; ++j) {
    n.c_plus(j) = cost_nudged(n, n.last, j, kFiniteDifferenceStep);
    n.c_minus(j) = cost_nudged(n, n.last, j, -kFiniteDifferenceStep);
  }
  // Only the cost changes, so only BP1 does: ∇_a C of each cost at the same a^L (no copy of the
  // net and three more passes, which cost the largest net a frame).
  const Cost step6_costs[3] = {Cost::Quadratic, Cost::CrossEntropy, Cost::LogLikelihood};
  for (int c = 0; c < 3; ++c)
    n.delta_by_cost[c] = output_error_literal<double>(n.net.output, cost_gradient<double>(step6_costs[c], n.t.a.back(), n.t.y), n.t.z[n.last]);
  // Step 9 at the screen's η: w → w − η ∇C (with the gradient backprop claims, bug included).
  n.eta = v.eta;
  n.grad_norm2 = grad_norm2(n.tb);
  n.grad_norm2_right = grad_norm2(n.t);
  n.predicted = -n.eta * n.grad_norm2;  // ∇C · Δw with Δw = −η ∇C
  n.c_after = cost_after_step(n, n.tb, n.eta);
  n.valid = true;
}

}  // namespace

namespace {

// While the model or the digit changes every frame (training, drawing), the screen follows at
// most this often; a change of a toggle is shown at once.
constexpr double kMinSecondsBetweenUpdates = 0.25;

uint64_t input_key_of(const Vector<double>& x) {
  Hasher h;
  h.bytes(x.data(), sizeof(double) * size_t(x.size()));
  return h.h;
}

// Recomputes v.n when (net, x, label, toggles) changed, then measures what is due. now < 0:
// always, and every measurement; else skips a change of the model or the input that comes sooner
// than kMinSecondsBetweenUpdates after the last one, and measures one slice.
void update(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source, double now,
            uint64_t net_key = 0) {
  if (net.weights.empty() || x.size() != net.sizes.front()) return;
  const uint64_t input_key = input_key_of(x);
  const char* label_source = source == LabelSource::Mnist ? "mnist" : source == LabelSource::Learner ? "learner" : "prediction";
  if (v.learner_label >= 0 && v.learner_label_for == 0) v.learner_label_for = input_key;  // set before any input
  if (v.learner_label >= 0 && v.learner_label_for == input_key && v.learner_label < net.sizes.back()) {
    label = v.learner_label;
    label_source = "learner";
  }
  Hasher data;
  for (int s : net.sizes) data.value(s);
  if (net_key != 0) {
    data.value(net_key);
  } else {
    for (const auto& w : net.weights) data.bytes(w.data(), sizeof(double) * size_t(w.size()));
    for (const auto& b : net.biases) data.bytes(b.data(), sizeof(double) * size_t(b.size()));
  }
  data.value(net.cost);
  data.value(net.output);
  data.value(net.hidden);
  data.value(input_key);
  data.value(label);
  Hasher toggles;
  const int cost = v.cost ? int(*v.cost) : -1, output = v.output ? int(*v.output) : -1;
  toggles.value(cost);
  toggles.value(output);
  toggles.value(v.bug);
  toggles.value(v.eta);
  toggles.value(v.learner_label);  // the learner's y is a choice on the screen: shown at once
  const uint64_t key = data.h ^ (toggles.h * 0x9E3779B97F4A7C15ull);
  Numbers& n = v.n;
  const bool rate_limited = now >= 0 && n.valid && n.key != key && n.toggles_key == toggles.h &&
                            n.net.sizes == net.sizes && now - v.last_update < kMinSecondsBetweenUpdates;
  if (!rate_limited && (!n.valid || n.key != key)) {
    recompute(v, net, x, label, key);
    n.toggles_key = toggles.h;
    n.input_key = input_key;
    n.label_source = label_source;
    v.last_update = now;
  }
  if (!n.valid) return;
  if (v.bug != Bug::None || v.step == 8) queue_weights(n);
  const double spent = v.step == 9 && !n.swept ? sweep(n, now < 0 ? -1.0 : kDerivationWorkPerSlice, v.bug != Bug::None) : 0;
  advance(n, now < 0 ? -1.0 : kDerivationWorkPerSlice, spent);
}

}  // namespace

void update_derivation(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source) {
  update(v, net, x, label, source, -1.0);
}

// [SECTION] Formulas

namespace {

// The app's palette (ui.hpp), following the theme.
const ImU32& kAccent = ui::palette().accent;      // the followed neuron j
const ImU32& kFactorA = ui::palette().factor_a;   // ∂C/∂a
const ImU32& kFactorB = ui::palette().factor_b;   // σ′(z), ∂a/∂z
const ImU32& kMeasured = ui::palette().good;      // by finite differences
const ImU32& kBad = ui::palette().warning;
const ImU32& kDim = ui::palette().dim;

int neuron_tag(int layer, int j) { return layer * 1000 + j; }
int weight_tag(int layer, int j, int k) { return 10'000'000 + layer * 1'000'000 + j * 1000 + k; }

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
m::Node f_definition(const std::string& layer = "L") {
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

// x rounded to the significant digits format_number(x, digits) shows.
double shown(double x, int digits) {
  if (!std::isfinite(x) || x == 0) return x;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", std::clamp(digits, 1, 17) - 1, x);
  return std::strtod(buf, nullptr);
}

// A product the screen writes out, "f₁ × f₂ ≈ r": every factor as shown, and r = the product of
// the shown factors to the same digits (so the arithmetic on the screen holds).
struct Product {
  std::vector<std::string> factors;
  std::string result;
  int digits = 5;
};

// The jacobian's cell text (two or three decimals, or the order of magnitude of tiny entries).
std::string jacobian_cell(double val) {
  char cell[16];
  if (val == 0) std::snprintf(cell, sizeof cell, "0");
  else if (std::abs(val) >= 0.01) std::snprintf(cell, sizeof cell, "%.2f", val);
  else if (std::abs(val) >= 0.001) std::snprintf(cell, sizeof cell, "%.3f", val);
  else std::snprintf(cell, sizeof cell, "%.0e", val);  // "-1e-13": tiny, but not zero
  std::string s;
  for (const char* c = cell; *c; ++c) s += *c == '-' ? std::string("−") : std::string(1, *c);
  return s;
}

// A table of numbers, drawn on the screen and written to the transcript from the same cells.
struct Cell {
  std::string text;
  ImU32 col = 0;
};
struct Table {
  const char* id = "table";
  std::vector<std::string> headers;     // the first column's cells are row headers
  std::vector<std::vector<Cell>> rows;
  std::vector<int> row_tags;            // sketch tags (hover), or empty
  std::vector<double> bars;             // a bar per row after the last column, or empty
  double bar_scale = 0;
  int bar_row = -1;                     // the row whose bar is in the accent colour
  int selected = -1;                    // a selected row
  bool click_sets_neuron = false;       // clicking row r follows output neuron r
  float width = 0;
};

Cell num_cell(double x, ImU32 col = 0, int digits = 5) { return {m::format_number(x, digits), col}; }

// What a step writes: to the screen (ImGui), to the transcript (HTML with MathML), or only its
// checks and products (for state()). The steps are written once, against this.
struct Out {
  enum Mode { Screen, Html, Collect } mode = Screen;
  DerivationView& v;
  std::string html;
  std::vector<Check> checks;
  std::vector<Product> products;
  Out(Mode mode, DerivationView& v) : mode(mode), v(v) {}
  bool screen() const { return mode == Screen; }

  void label(const char* name, const char* number = nullptr) {
    if (mode == Screen) {
      ImGui::TextColored(ImColor(ui::palette().heading), "%s", name);
      if (number) {
        ImGui::SameLine(0, 6);
        ImGui::TextDisabled("%s", number);
      }
    } else if (mode == Html) {
      html += "<h4>" + m::escape(name) + (number ? " " + m::escape(number) : std::string()) + "</h4>";
    }
  }
  void math(const m::Node& n, int level = 1) {
    if (mode == Screen) {
      ImGui::Indent(12);
      const int h = m::show(n, v.highlight, level);
      if (h >= 0) v.hover_next = h;
      ImGui::Unindent(12);
      ImGui::Spacing();
    } else if (mode == Html) {
      html += "<p>" + m::mathml(n, level == 2) + "</p>";
    }
  }
  void text(const std::string& s, ImU32 col = 0) {
    if (mode == Screen) {
      if (col) ImGui::PushStyleColor(ImGuiCol_Text, col);
      ImGui::PushTextWrapPos(std::max(1.0f, ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x));
      ImGui::TextWrapped("%s", s.c_str());
      ImGui::PopTextWrapPos();
      if (col) ImGui::PopStyleColor();
    } else if (mode == Html) {
      html += "<p>" + m::escape(s) + "</p>";
    }
  }
  void prose(const std::string& s) { text(s); }
  void dim(const std::string& s) { text(s, mode == Screen ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : 0); }
  void bad(const std::string& s) { text(s, kBad); }

  void table(const Table& t);
  void check(const Check& c);
  // "lhs = f₁ × f₂ ≈ r": records the product; returns the node of "f₁ × f₂ ≈ r".
  m::Node product(const std::vector<std::pair<double, ImU32>>& factors, int digits, ImU32 result_col) {
    Product p;
    std::vector<m::Node> items;
    double r = 1;
    for (size_t i = 0; i < factors.size(); ++i) {
      const double f = shown(factors[i].first, digits);
      r *= f;
      p.factors.push_back(m::format_number(f, digits));
      if (i) items.push_back(m::op("×"));
      items.push_back(factors[i].second ? m::color(m::num(f, digits), factors[i].second) : m::num(f, digits));
    }
    p.result = m::format_number(r, digits);
    items.push_back(m::op(std::isfinite(r) && shown(r, digits) == r ? "=" : "≈"));
    items.push_back(m::color(m::num(r, digits), result_col));
    p.digits = digits;
    products.push_back(p);
    return m::row(std::move(items));
  }
};

std::string verdict_text(const Check& c) {
  if (c.pending) return "checking… (the finite differences of a big net take a few frames)";
  if (c.infinite)
    return "cannot be checked: the cost is infinite on this digit (a saturated output gives ln 0), so the costs C(z ± h) "
           "are infinite and their difference means nothing (∞ − ∞). Finite differences cannot measure δ here.";
  return "relative error " + m::format_number(c.error, 2) + " (of " + c.scale_name + ", " + m::format_number(c.scale, 3) + ")" +
         (c.agree ? " — they agree" : " — they DISAGREE");
}

void Out::check(const Check& c) {
  checks.push_back(c);
  const std::string s = c.what + ": " + verdict_text(c);
  if (mode == Screen) {
    ImGui::PushStyleColor(ImGuiCol_Text, c.pending ? kDim : c.agree ? kMeasured : kBad);
    ImGui::PushTextWrapPos(std::max(1.0f, ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x));
    ImGui::TextWrapped("%s", s.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  } else if (mode == Html) {
    html += "<p>" + m::escape(c.what + ": " + (c.pending || c.infinite ? "" : m::format_number(c.shown, 6) + " against " + m::format_number(c.measured, 6) + " measured; ") +
                             verdict_text(c)) + "</p>";
  }
}

// A bar of a signed value, scaled by `scale`, for tables.
void value_bar(double value, double scale, ImU32 col) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = 60, h = ImGui::GetTextLineHeight() * 0.6f;
  ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
  const float mid = p.x + w * 0.5f;
  const float len = scale > 0 ? float(std::clamp(value / scale, -1.0, 1.0)) * w * 0.5f : 0;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + ImGui::GetTextLineHeight()), kDim);
  const float y = p.y + ImGui::GetTextLineHeight() * 0.2f;
  dl->AddRectFilled(ImVec2(std::min(mid, mid + len), y), ImVec2(std::max(mid, mid + len), y + h), col);
}

void Out::table(const Table& t) {
  if (mode == Html) {
    html += "<table><thead><tr>";
    for (const std::string& h : t.headers) html += "<th scope=\"col\">" + m::escape(h) + "</th>";
    html += "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
      html += "<tr>";
      for (size_t c = 0; c < row.size(); ++c)
        html += (c == 0 ? "<th scope=\"row\">" : "<td>") + m::escape(row[c].text) + (c == 0 ? "</th>" : "</td>");
      html += "</tr>";
    }
    html += "</tbody></table>";
    return;
  }
  if (mode != Screen) return;
  const int cols = int(t.headers.size()) + (t.bars.empty() ? 0 : 1);
  if (!ImGui::BeginTable(t.id, cols, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV,
                         ImVec2(t.width, 0)))
    return;
  for (const std::string& h : t.headers) ImGui::TableSetupColumn(h.c_str());
  if (!t.bars.empty()) ImGui::TableSetupColumn("");
  ImGui::TableHeadersRow();
  const Fonts& f = fonts();
  for (int r = 0; r < int(t.rows.size()); ++r) {
    ImGui::TableNextRow();
    const int tag = r < int(t.row_tags.size()) ? t.row_tags[r] : -1;
    if (tag >= 0 && v.highlight == tag) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 200, 60, 60));
    for (int c = 0; c < int(t.rows[r].size()); ++c) {
      ImGui::TableNextColumn();
      const Cell& cell = t.rows[r][c];
      if (c == 0) {
        ImGui::PushID(r);
        ImGui::Selectable(cell.text.c_str(), r == t.selected, ImGuiSelectableFlags_SpanAllColumns);
        {  // for the page: a row that follows its neuron is a button; others are the table's text
          mirror::Description d;
          d.role = t.click_sets_neuron ? mirror::Role::Button : mirror::Role::Hidden;
          d.name = t.click_sets_neuron ? "follow output neuron " + std::to_string(r) : "table row " + cell.text;
          ui::describe_last(std::move(d));
        }
        if (tag >= 0 && ImGui::IsItemHovered()) v.hover_next = tag;
        if (t.click_sets_neuron && ImGui::IsItemClicked()) v.neuron = r;
        ImGui::PopID();
        continue;
      }
      if (f.mono.font) ImGui::PushFont(f.mono.font);
      if (cell.col) ImGui::PushStyleColor(ImGuiCol_Text, cell.col);
      ImGui::TextUnformatted(cell.text.c_str());
      if (cell.col) ImGui::PopStyleColor();
      if (f.mono.font) ImGui::PopFont();
    }
    if (!t.bars.empty()) {
      ImGui::TableNextColumn();
      value_bar(t.bars[r], t.bar_scale, r == t.bar_row ? kAccent : IM_COL32(180, 180, 190, 255));
    }
  }
  ImGui::EndTable();
}

}  // namespace

// [SECTION] Sketch

namespace {

// The net as columns of circles, the input as its image. Neuron j of the output layer and
// whatever the mouse is on are highlighted; hovering a neuron reports its tag.
void draw_sketch(DerivationView& v, float width, float height) {
  const Numbers& n = v.n;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  const int j = output_neuron(v);
  const int hj = v.step == 7 ? hidden_neuron(v) : -1;
  const int layers = n.L;
  const float col_w = width / float(layers);
  const float top = o.y + 18, bottom = o.y + height - 8;
  dl->AddText(ImVec2(o.x, o.y), kDim, "input x");
  // Column positions of drawn neurons, per layer (layer 2..L), at most 30 drawn.
  std::vector<std::vector<ImVec2>> pos(layers + 1);
  for (int l = 2; l <= layers; ++l) {
    const int count = std::min(n.net.sizes[l - 1], 30);
    const float x = o.x + col_w * (l - 1) + col_w * 0.5f;
    const float step = std::min(22.0f, (bottom - top) / float(count));
    const float y0 = 0.5f * (top + bottom) - 0.5f * step * (count - 1);
    for (int k = 0; k < count; ++k) pos[l].push_back(ImVec2(x, y0 + step * k));
  }
  // The input image (a square input is drawn as its picture).
  const int n1 = n.net.sizes[0];
  const int side = int(std::lround(std::sqrt(double(n1))));
  if (side * side == n1) {
    const float cell = std::min(col_w * 0.8f, 120.0f) / float(side);
    const ImVec2 p(o.x + 2, 0.5f * (top + bottom) - 0.5f * cell * side);
    dl->AddRectFilled(p, ImVec2(p.x + cell * side, p.y + cell * side), IM_COL32(0, 0, 0, 255));
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) {
        const double a = n.x(r * side + c);
        if (a <= 0.02) continue;
        const int g = int(std::clamp(a, 0.0, 1.0) * 255);
        dl->AddRectFilled(ImVec2(p.x + c * cell, p.y + r * cell), ImVec2(p.x + (c + 1) * cell, p.y + (r + 1) * cell), IM_COL32(g, g, g, 255));
      }
  }
  // Connections into the output layer: to neuron j bright, the rest faint.
  for (int l = 3; l <= layers; ++l)
    for (int k = 0; k < int(pos[l].size()); ++k)
      for (int q = 0; q < int(pos[l - 1].size()); ++q) {
        const bool hot = (l == layers && k == j) || (l == layers && q == hj) ||
                         v.highlight == weight_tag(l, k, q);
        if (!hot && l == layers && (q % 2)) continue;  // thin out the faint ones
        dl->AddLine(pos[l - 1][q], pos[l][k], hot ? IM_COL32(255, 170, 60, v.highlight == weight_tag(l, k, q) ? 255 : 90) : IM_COL32(120, 120, 130, 25),
                    v.highlight == weight_tag(l, k, q) ? 3.0f : 1.0f);
      }
  // Neurons: filled by activation, outlined when followed or highlighted.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int l = 2; l <= layers; ++l) {
    const Vector<double>& a = n.t.a[l - 1];
    for (int k = 0; k < int(pos[l].size()); ++k) {
      const float r = l == layers ? 8.0f : 5.5f;
      const double act = std::clamp(a(k), 0.0, 1.0);
      const int g = 40 + int(act * 215);
      dl->AddCircleFilled(pos[l][k], r, IM_COL32(g, g, g, 255));
      const int tag = neuron_tag(l, k);
      const bool followed = (l == layers && k == j) || (l == layers - 1 && k == hj);
      if (followed) dl->AddCircle(pos[l][k], r + 3, kAccent, 0, 2.5f);
      if (v.highlight == tag) dl->AddCircle(pos[l][k], r + 6, IM_COL32(255, 220, 80, 255), 0, 2.0f);
      if (l == layers) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%d", k);
        dl->AddText(ImVec2(pos[l][k].x + 14, pos[l][k].y - 8), k == n.label ? kMeasured : kDim, buf);
      }
      const float dx = mouse.x - pos[l][k].x, dy = mouse.y - pos[l][k].y;
      if (ImGui::IsWindowHovered() && dx * dx + dy * dy < (r + 3) * (r + 3)) {
        v.hover_next = tag;
        ImGui::SetTooltip("layer %d, neuron %d\nz = %s\na = %s\nδ = %s", l, k, m::format_number(n.t.z[l - 2](k)).c_str(),
                          m::format_number(a(k)).c_str(), m::format_number(n.t.delta[l - 2](k)).c_str());
        if (l == layers && ImGui::IsMouseClicked(0)) v.neuron = k;
        if (l == layers - 1 && ImGui::IsMouseClicked(0)) v.hidden = k;
      }
    }
    char name[16];
    std::snprintf(name, sizeof name, l == layers ? "L = %d" : "l = %d", l);
    dl->AddText(ImVec2(pos[l][0].x - 14, o.y), kDim, name);
  }
  dl->AddText(ImVec2(o.x, bottom - 2), kDim, "click a neuron to follow it");
}

}  // namespace

// [SECTION] Steps

namespace {

// SameLine when the next item, `width` wide, still fits on this line; a new line otherwise
// (a narrow embed wraps the toolbar instead of cutting it off at the right edge).
void same_line_if_room(float width, float spacing = -1.0f) {
  ImGui::SameLine(0, spacing);
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// The width of a widget with a label to its right: SetNextItemWidth(item_w), then the label.
float labeled_width(float item_w, const char* label) {
  return item_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

// `shown` against the measured δ of z[i](j).
Check delta_check(const Numbers& n, std::string what, double shown_value, int i, int j) {
  if (!measured(n, i, j)) return pending_check(std::move(what), shown_value);
  return make_check(std::move(what), shown_value, n.delta_def[i](j), n.t.cost);
}

std::string str(int i) { return std::to_string(i); }
std::string fmt(double x, int digits = 4) { return m::format_number(x, digits); }

const char* label_source_words(const Numbers& n) {
  if (std::strcmp(n.label_source, "learner") == 0) return "the label you chose";
  if (std::strcmp(n.label_source, "prediction") == 0) return "the net's own prediction (a drawing has no label: choose the digit you meant above)";
  return "this MNIST digit's label";
}

// "Here L = 3 (the output layer), j = 7, y = the one-hot vector of 4 (...)".
void given(Out& o, int j) {
  const Numbers& n = o.v.n;
  o.dim("Here L = " + str(n.L) + " (the output layer), j = " + str(j) + ", and y is the one-hot vector of " + str(n.label) + ", " +
        label_source_words(n) + ". The net predicts " + str(n.prediction) + ".");
}

// The injected bug's effect on BP1 for neuron j, in words (empty when it has none there).
std::string bp1_bug_note(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  if (!is_elementwise(n.net.output)) return v.bug == Bug::None || v.bug == Bug::NoTransposeBP2 ? ""
      : std::string("Injected bug: ") + bug_name(v.bug) + ". A softmax output has no σ′ in BP1 (its δ is Jᵀ∇ₐC), so this bug only changes BP2 (step 7).";
  const double right = activation_prime(n.net.output, n.t.z[n.last](j));
  const double z = n.t.z[n.last](j), a = n.t.a.back()(j);
  switch (v.bug) {
    case Bug::SigmaPrimeOfA:
      return "Injected bug: σ′(a) instead of σ′(z). The code multiplied by σ′(a_j) = σ′(" + fmt(a) + ") = " + fmt(activation_prime(n.net.output, a)) +
             " where BP1 needs σ′(z_j) = σ′(" + fmt(z) + ") = " + fmt(right) + ".";
    case Bug::NoSigmaPrime:
      return "Injected bug: σ′ dropped. The code multiplied ∂C/∂a_j by 1 where BP1 needs σ′(z_j) = " + fmt(right) + ".";
    case Bug::SigmaPrimeWithCrossEntropy: {
      const double y = n.t.y(j);
      if (n.net.cost == Cost::Quadratic)
        return "Injected bug: σ′ kept with cross-entropy, δ = (a − y) ⊙ σ′(z) whatever the cost. With the quadratic cost that is BP1 itself, so nothing "
               "is wrong here: choose the cross-entropy cost to see the mistake.";
      return std::string("Injected bug: σ′ kept with cross-entropy. The code computed (a_j − y_j) σ′(z_j), the quadratic cost's BP1, "
                         "whatever the cost: its first factor is a_j − y_j = ") + fmt(a - y) + ", but for the " + to_string(n.net.cost) +
             " cost ∂C/∂a_j = " + fmt(n.t.dC_da(j)) +
             (n.net.cost == Cost::CrossEntropy
                  ? ". With cross-entropy ∂C/∂a_j = (a_j − y_j) / (a_j(1 − a_j)) and σ′(z_j) = a_j(1 − a_j) cancel, so the right δ is a_j − y_j itself: "
                    "keeping σ′ makes δ too small by the factor σ′(z_j) = " + fmt(right) + "."
                  : ".");
    }
    case Bug::NoTransposeBP2: return "Injected bug: transpose dropped in BP2. BP1 is untouched: see step 7.";
    case Bug::None: break;
  }
  return "";
}

void step_definition(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  o.label("definition of δ", "(29)");
  o.math(f_definition(), 2);
  o.prose("The error of output neuron j is defined as how fast the cost C changes when that neuron's weighted input changes. "
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
  o.math(m::row({m::tagged(dL("j"), tj), m::op("≈"), m::frac(m::row({Cof("+"), m::op("−"), Cof("−")}), m::row({m::sym("2"), m::var("h")})),
                 m::op("="), m::frac(m::row({m::num(n.c_plus(j), 8), m::op("−"), m::num(n.c_minus(j), 8)}), m::row({m::sym("2"), m::op("×"), m::num(h)})),
                 m::op("≈"), ok ? m::color(n4(d), kMeasured) : m::text("checking…")}));
  if (!std::isfinite(n.t.cost) || (ok && !std::isfinite(d)))
    o.bad("The cost is infinite on this digit: an output is saturated (a = 0 or 1 exactly in double precision) and the cost takes ln 0. "
          "The two costs above are infinite, their difference is ∞ − ∞, and no finite difference can measure δ here. Try another digit, "
          "the quadratic cost, or a net that is less sure of itself.");
  o.dim("(The screen uses the five-point version of this difference, exact to about 10⁻¹¹: that is the measured δ used from here on.)");
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

// Why there is a sum at all: z(j) reaches C only through the outputs a(0) … a(9). A picture of
// those paths, each bright where its term ∂C/∂a(k) · ∂a(k)/∂z(j) is not zero (one path survives
// for a sigmoid output, all of them for softmax, one again with log-likelihood), and the same
// in words for the transcript.
void dependency_paths(Out& o, int j) {
  const Numbers& n = o.v.n;
  std::vector<int> live;
  for (int k = 0; k < n.nL; ++k)
    if (n.jac(k, j) != 0 && n.t.dC_da(k) != 0) live.push_back(k);
  std::string words = "Paths from z(" + str(j) + ") to C that carry a non-zero term: ";
  if (live.empty()) words += "none";
  for (size_t i = 0; i < live.size(); ++i) words += (i ? ", " : "through ") + std::string("a(") + str(live[i]) + ")";
  words += " (" + str(int(live.size())) + " of " + str(n.nL) + ").";
  if (o.screen()) {
    const float w = std::clamp(ImGui::GetContentRegionAvail().x, 160.0f, 300.0f), row = 16, h = row * float(n.nL);
    const ImVec2 org = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(w, h + 8));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 zpos(org.x + 30, org.y + h * 0.5f), cpos(org.x + w - 20, org.y + h * 0.5f);
    for (int k = 0; k < n.nL; ++k) {
      const ImVec2 apos(org.x + w * 0.5f, org.y + row * (float(k) + 0.5f));
      const bool in = n.jac(k, j) != 0, out = n.t.dC_da(k) != 0;
      // A path without a term stays thin (and dim where it has no dependency at all): width is the
      // cue beside colour, and even the dim lines keep 3:1 on either theme.
      dl->AddLine(zpos, apos, in ? kFactorB : kDim, in && out ? 2.5f : 1.0f);
      dl->AddLine(apos, cpos, out ? kFactorA : kDim, in && out ? 2.5f : 1.0f);
      dl->AddCircleFilled(apos, 4, in && out ? kAccent : kDim);
      char buf[16];
      std::snprintf(buf, sizeof buf, "a(%d)", k);
      // On the window's colour, so that the lines to C do not cross the name out.
      const ImVec2 at(apos.x + 7, apos.y - 7), size = ImGui::CalcTextSize(buf);
      dl->AddRectFilled(at, ImVec2(at.x + size.x + 2, at.y + size.y), ImGui::GetColorU32(ImGuiCol_WindowBg));
      dl->AddText(ImVec2(at.x + 1, at.y), in && out ? kAccent : kDim, buf);
    }
    dl->AddCircleFilled(zpos, 6, kAccent);
    dl->AddText(ImVec2(org.x, zpos.y - 7), kAccent, ("z(" + str(j) + ")").c_str());
    dl->AddCircleFilled(cpos, 6, kMeasured);
    dl->AddText(ImVec2(cpos.x + 9, cpos.y - 7), kMeasured, "C");
  }
  o.dim(words + (o.screen() ? " Pink: z(j) moves a(k); teal: C depends on a(k); thick: a path that carries a term." : ""));
}

void step_chain(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  o.label("the chain rule");
  o.math(f_chain(), 2);
  o.prose("C depends on z(j) only through the output activations a(k), so the chain rule sums over every output neuron k. "
          "Every term, on this digit (hover a row to find its neuron in the sketch):");
  given(o, j);
  Table t;
  t.id = "terms";
  t.headers = {"k", "∂C/∂a(k)", "∂a(k)/∂z(j)", "product"};
  t.width = 480;
  double sum = 0;
  for (int k = 0; k < n.nL; ++k) {
    const double term = n.t.dC_da(k) * n.jac(k, j);
    sum += term;
    const double p = shown(n.t.dC_da(k), 5) * shown(n.jac(k, j), 5);
    o.products.push_back({{fmt(n.t.dC_da(k), 5), fmt(n.jac(k, j), 5)}, fmt(p, 5), 5});
    t.rows.push_back({{str(k)}, num_cell(n.t.dC_da(k), kFactorA), num_cell(n.jac(k, j), n.jac(k, j) == 0 ? kDim : kFactorB),
                      num_cell(p, k == j ? kAccent : (term == 0 ? kDim : 0))});
    t.row_tags.push_back(neuron_tag(n.L, k));
    t.bars.push_back(term);
    t.bar_scale = std::max(t.bar_scale, std::abs(term));
  }
  t.bar_row = j;
  o.table(t);
  o.math(m::row({m::text("sum of the terms"), m::op("="), n4(sum), m::space(1.5f), m::text("measured δ (step 1)"), m::op("="),
                 measured(n, n.last, j) ? m::color(n4(n.delta_def[n.last](j)), kMeasured) : m::text("checking…")}));
  o.check(delta_check(n, "the chain rule's sum against the measured δ(j)", sum, n.last, j));
  o.prose("Why a sum at all: C depends on z(j) only through the outputs, so every path z(j) → a(k) → C contributes a term. The paths on this digit:");
  dependency_paths(o, j);
  if (is_elementwise(n.net.output)) {
    o.prose("Look at the middle column: only the row k = j is not zero. The next step shows why.");
  } else if (n.net.cost == Cost::LogLikelihood) {
    o.prose("With a softmax output the middle column is dense, but with the log-likelihood cost C = −ln a_y only ∂C/∂a of the label (k = y = " +
            str(n.label) + ") is not zero: only that row contributes.");
    if (j == n.label)
      o.prose("Here j is the label, so the one term is the diagonal one: (−1/a_j) · a_j(1 − a_j) = a_j − 1.");
    else
      o.prose("Here j is not the label, so the whole of δ_j comes from one off-diagonal term, k = y: (−1/a_y) · (−a_y a_j) = a_j. "
              "BP1's product for neuron j alone, ∂C/∂a_j times ∂a_j/∂z_j, is 0 × a_j(1 − a_j) = 0, and it misses all of it: "
              "that is why a softmax output needs the whole sum.");
  } else {
    o.prose("With a softmax output every row contributes: the middle column is dense. The next step shows why.");
  }
}

void output_toggle(Out& o) {
  if (!o.screen()) return;
  DerivationView& v = o.v;
  const Activation cur = v.n.net.output;
  ImGui::TextUnformatted("Output layer:");
  ImGui::SameLine();
  if (ui::RadioButton("sigmoid", cur == Activation::Sigmoid)) v.output = Activation::Sigmoid;
  ImGui::SameLine();
  if (ui::RadioButton("softmax", cur == Activation::Softmax)) v.output = Activation::Softmax;
}

void jacobian_grid(Out& o, int j) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  if (o.mode == Out::Html) {
    Table t;
    t.headers.push_back("k \\ j");
    for (int q = 0; q < n.nL; ++q) t.headers.push_back("j = " + str(q));
    for (int k = 0; k < n.nL; ++k) {
      std::vector<Cell> row{{str(k)}};
      for (int q = 0; q < n.nL; ++q) row.push_back({jacobian_cell(n.jac(k, q))});
      t.rows.push_back(row);
    }
    o.table(t);
    return;
  }
  if (!o.screen()) return;
  const float cell_w = 50, cell_h = 24;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 org = ImGui::GetCursorScreenPos();
  const float lw = 22;
  ImGui::Dummy(ImVec2(lw + cell_w * n.nL + 4, cell_h * (n.nL + 1) + 4));
  double scale = 1e-12;
  for (int k = 0; k < n.nL; ++k)
    for (int q = 0; q < n.nL; ++q) scale = std::max(scale, std::abs(n.jac(k, q)));
  const Fonts& f = fonts();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int q = 0; q < n.nL; ++q) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "j=%d", q);
    dl->AddText(ImVec2(org.x + lw + q * cell_w + 12, org.y), q == j ? kAccent : kDim, buf);
  }
  for (int k = 0; k < n.nL; ++k) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%d", k);
    const float y = org.y + cell_h * (k + 1);
    dl->AddText(ImVec2(org.x + 4, y + 4), kDim, buf);
    for (int q = 0; q < n.nL; ++q) {
      const double val = n.jac(k, q);
      // Colour on a log scale over 12 decades, so that a dense matrix of tiny entries still
      // looks dense; exact zeros stay grey.
      const float t = val == 0 ? 0.0f : float(std::clamp(1.0 + std::log10(std::abs(val) / scale) / 12.0, 0.15, 1.0));
      const ImVec2 a(org.x + lw + q * cell_w, y), b(a.x + cell_w - 2, a.y + cell_h - 2);
      const ImU32 bg = val != 0 ? ui::diverging(val > 0 ? t : -t, 1.0f) : ui::palette().zero;  // the theme's signed scale
      dl->AddRectFilled(a, b, bg, 2);
      const std::string s = jacobian_cell(val);
      if (f.mono.font)
        dl->AddText(f.mono.font, 12.0f, ImVec2(a.x + 4, a.y + 5), ui::text_on(bg), s.c_str());  // ≥ 4.5:1 on the cell
      if (ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y) {
        v.hover_next = neuron_tag(n.L, k);
        ImGui::SetTooltip("∂a(%d)/∂z(%d) = %s", k, q, m::format_number(val, 8).c_str());
      }
      if (v.highlight == neuron_tag(n.L, k) && q == j) dl->AddRect(a, b, IM_COL32(255, 220, 80, 255), 2, 0, 2);
    }
  }
  dl->AddRect(ImVec2(org.x + lw + j * cell_w - 1, org.y + cell_h - 1), ImVec2(org.x + lw + (j + 1) * cell_w - 1, org.y + cell_h * (n.nL + 1)), kAccent, 3, 0, 2);
}

// Column j of the Jacobian measured: nudge z^L_j, watch every a^L_k. Returns the check of the
// column (its largest error, relative to the column's largest entry).
Check jacobian_column_check(const Numbers& n, int j) {
  double worst = -1, shown_v = 0, meas = 0, scale = 0;
  Vector<double> col(n.nL);
  for (int k = 0; k < n.nL; ++k) {
    col(k) = central_difference([&](double h) {
      Vector<double> z = n.t.z[n.last];
      z(j) += h;
      Batch<double> a;
      activate<double>(n.net.output, z, a);
      return a(k, 0);
    });
    scale = std::max(scale, std::abs(col(k)));
  }
  for (int k = 0; k < n.nL; ++k)
    if (std::abs(n.jac(k, j) - col(k)) > worst) worst = std::abs(n.jac(k, j) - col(k)), shown_v = n.jac(k, j), meas = col(k);
  return make_check("column j of the Jacobian against ∂a(k)/∂z(j) measured (the entry furthest off)", shown_v, meas, 1.0);
}

void step_jacobian(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  o.label("the Jacobian of the output layer");
  o.math(m::row({m::sub(m::var("J"), m::row({m::var("k"), m::var("j")})), m::op("="), partial(aL("k"), zL("j"))}), 2);
  output_toggle(o);
  o.prose("Row k, column j: how much output activation k moves when z of neuron j moves. Column j (outlined) holds the second factors of step 2's sum.");
  given(o, j);
  jacobian_grid(o, j);
  o.dim("Blue: positive, orange: negative, grey: exactly 0; brightness on a log scale. Hover a cell for its digits.");
  o.prose("Measured: nudge z(j) by ±h, rerun the output layer, and watch every output a(k) move:");
  o.check(jacobian_column_check(n, j));
  o.prose("Step 2's paths z(j) → a(k) → C once more: a path carries a term only where column j of the Jacobian and ∂C/∂a(k) are both non-zero.");
  dependency_paths(o, j);
  if (is_elementwise(n.net.output)) {
    o.prose("The Jacobian of a sigmoid output is diagonal: a(k) = σ(z(k)) depends on z(k) alone, so moving z(j) moves no other output, "
            "and ∂a(k)/∂z(j) = 0 for every k ≠ j (measured: exactly 0). The diagonal entries are σ′(z(k)). "
            "So every term with k ≠ j in step 2 is zero, and the sum collapses to the single term k = j:");
    o.math(m::row({dL("j"), m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB),
                   m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::space(0.15f), m::color(sigma_prime(zL("j")), kFactorB)}));
    o.prose("That is BP1: the definition of δ, evaluated by the chain rule, with the sum collapsed to one term. "
            "(The book's proof of BP1, equations (36)–(39), takes exactly these steps.)");
    return;
  }
  o.prose("The Jacobian of a softmax output is dense: a(k) = exp z(k) / the sum of exp z(i) over i depends on every z, so ∂a(k)/∂z(j) = a(k)(1[k = j] − a(j)), "
          "which is not zero off the diagonal. The sum does not collapse, and BP1's product with one σ′ does not hold. What takes its place "
          "is the whole sum, the transposed Jacobian times ∇ₐC:");
  o.math(f_softmax_bp1());
  o.prose("With the log-likelihood cost (the book's partner for softmax, chapter 3) the whole sum simplifies to");
  o.math(f_a_minus_y());
  if (n.net.cost == Cost::LogLikelihood && j == n.label)
    o.prose("Here j is the label: with the log-likelihood cost only ∂C/∂a of the label is not zero, so the sum has one term, the diagonal one, "
            "and BP1's product agrees. Follow another output neuron j to see it miss.");
  else if (n.net.cost == Cost::LogLikelihood)
    o.prose("Here j is not the label: the one term left is off the diagonal (k = y), and BP1's product, which keeps only k = j, gives 0.");
  const double naive = n.t.dC_da(j) * n.jac(j, j);
  o.math(m::row({m::text("BP1's product alone (the k = j term)"), m::op("="), n4(naive), m::space(1.0f), m::text("the whole sum"), m::op("="),
                 n4(n.t.delta[n.last](j))}));
  o.check(delta_check(n, "BP1's product alone (the k = j term) against the measured δ(j)", naive, n.last, j));
  o.check(delta_check(n, "the whole sum Jᵀ∇ₐC against the measured δ(j)", n.t.delta[n.last](j), n.last, j));
}

void step_bp1(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  const int tj = neuron_tag(n.L, j);
  o.label("the error of output neuron j", "(BP1)");
  o.math(f_bp1(), 2);
  given(o, j);
  const bool ce_bug = v.bug == Bug::SigmaPrimeWithCrossEntropy && is_elementwise(n.net.output);
  const double da = dC_da_shown(v, j), sp = sigma_prime_shown(v, j);
  if (is_elementwise(n.net.output)) {
    // The factors as the code computes them (with the bug, if any), under their own names.
    const m::Node first = ce_bug ? m::paren(m::row({aL("j"), m::op("−"), m::sub(m::var("y"), m::var("j"))}))
                                 : partial(C(), aL("j"));
    const m::Node second = v.bug == Bug::SigmaPrimeOfA ? sigma_prime(aL("j")) : v.bug == Bug::NoSigmaPrime ? m::sym("1") : sigma_prime(zL("j"));
    if (ce_bug || v.bug == Bug::SigmaPrimeOfA || v.bug == Bug::NoSigmaPrime)
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
                 o.product({{da, kFactorA}, {sp, kFactorB}}, 4, kAccent)}));
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

std::string error_text(const Check& c) {
  return c.pending ? "checking…" : c.infinite ? "∞ cost" : m::format_number(c.error, 2);
}

void step_bp1a(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const bool elementwise = is_elementwise(n.net.output);
  o.label("BP1 in matrix form", "(BP1a)");
  o.math(elementwise ? f_bp1a() : f_softmax_bp1(), 2);
  if (elementwise)
    o.prose("The same for all output neurons at once: ⊙ multiplies element by element (the Hadamard product). The book also writes it "
            "δ = Σ′(z) ∇ₐC (33), with Σ′(z) the diagonal matrix of the σ′(z(j)): the Jacobian of step 3. Click a row to follow that neuron.");
  else
    o.prose("For a softmax output the layer's δ is the transposed Jacobian times ∇ₐC: each δ_j sums over every output k (step 2's table, for every j). "
            "There is no element-by-element product here. Click a row to follow that neuron.");
  Table t;
  t.id = "bp1a";
  t.width = 640;
  const bool ce_bug = v.bug == Bug::SigmaPrimeWithCrossEntropy && elementwise;
  if (elementwise)
    t.headers = {"j", ce_bug ? "a − y (bug)" : "∂C/∂a", v.bug == Bug::SigmaPrimeOfA ? "σ′(a) (bug)" : v.bug == Bug::NoSigmaPrime ? "1 (bug)" : "σ′(z)",
                 "δ by BP1 (product)", "δ measured", "rel. error"};
  else
    t.headers = {"j", "∂C/∂a", "δ = (Jᵀ∇ₐC)_j", "δ measured", "rel. error"};
  const int sel = output_neuron(v);
  double worst = 0;
  bool all_agree = true, pending = false;
  std::vector<Check> row_checks;
  for (int j = 0; j < n.nL; ++j) {
    const Check c = delta_check(n, "δ(" + str(j) + ") by BP1 against the measured δ(" + str(j) + ")", n.tb.delta[n.last](j), n.last, j);
    row_checks.push_back(c);
    pending |= c.pending;
    all_agree &= c.agree;
    if (!c.pending) worst = std::max(worst, c.infinite ? INFINITY : c.error);
    const Cell meas = measured(n, n.last, j) ? num_cell(n.delta_def[n.last](j), kMeasured) : Cell{"checking…", kDim};
    const Cell err{error_text(c), c.pending ? kDim : c.agree ? kDim : kBad};
    if (elementwise) {
      const double p = shown(dC_da_shown(v, j), 5) * shown(sigma_prime_shown(v, j), 5);
      o.products.push_back({{fmt(dC_da_shown(v, j), 5), fmt(sigma_prime_shown(v, j), 5)}, fmt(p, 5), 5});
      t.rows.push_back({{str(j)}, num_cell(dC_da_shown(v, j), kFactorA), num_cell(sigma_prime_shown(v, j), kFactorB), num_cell(p, kAccent), meas, err});
    } else {
      t.rows.push_back({{str(j)}, num_cell(n.t.dC_da(j), kFactorA), num_cell(n.tb.delta[n.last](j), kAccent), meas, err});
    }
    t.row_tags.push_back(neuron_tag(n.L, j));
  }
  t.selected = sel;
  t.click_sets_neuron = true;
  o.table(t);
  for (const Check& c : row_checks) o.checks.push_back(c);  // in the table, one a row
  if (pending) o.dim("Largest over the layer: checking…");
  else if (all_agree) o.text("Largest relative error over the layer: " + fmt(worst, 2) + " — they agree", kMeasured);
  else o.bad("Largest relative error over the layer: " + fmt(worst, 2) + " — they DISAGREE");
  if (elementwise && v.bug != Bug::None && v.bug != Bug::NoTransposeBP2) o.bad(bp1_bug_note(v, sel));
}

void cost_toggle(Out& o) {
  if (!o.screen()) return;
  DerivationView& v = o.v;
  const Cost cur = v.n.net.cost;
  ImGui::TextUnformatted("Cost:");
  ImGui::SameLine();
  if (ui::RadioButton("quadratic", cur == Cost::Quadratic)) v.cost = Cost::Quadratic;
  ImGui::SameLine();
  if (ui::RadioButton("cross-entropy", cur == Cost::CrossEntropy)) v.cost = Cost::CrossEntropy;
  ImGui::SameLine();
  if (ui::RadioButton("log-likelihood", cur == Cost::LogLikelihood)) v.cost = Cost::LogLikelihood;
}

void step_cost(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  const bool elementwise = is_elementwise(n.net.output);
  const int j = output_neuron(v);
  o.label("BP1 for a given cost");
  cost_toggle(o);
  output_toggle(o);
  if (elementwise) {
    o.label("quadratic cost");
    o.prose("C = ½‖a − y‖², so ∇ₐC = a − y, and BP1 becomes");
    o.math(f_quadratic_delta());
    o.label("cross-entropy cost");
    o.prose("∂C/∂a = (a − y) / (a(1 − a)) and σ′(z) = σ(z)(1 − σ(z)) = a(1 − a): the σ′ cancels, and");
    o.math(m::row({f_a_minus_y(), m::text("   (no σ′: learning does not slow down when a neuron saturates)")}));
    o.label("log-likelihood cost");
    o.prose("C = −ln a_y is meant for a softmax output (chapter 3). With a sigmoid output ∂C/∂a_y = −1/a_y, so δ_y = −(1 − a_y) and δ = 0 elsewhere.");
  } else {
    o.prose("With a softmax output there is no σ′ to cancel: for every cost δ = Jᵀ∇ₐC (step 3). Only the log-likelihood cost gives the simple form, "
            "because the Jacobian cancels its 1/a_y:");
    o.math(f_a_minus_y());
  }
  o.prose(std::string("The same digit with each cost (the same weights; only the cost differs), for a ") + to_string(n.net.output) + " output:");
  Table t;
  t.id = "costs";
  t.width = 620;
  t.headers = {"j", "a − y"};
  if (elementwise) t.headers.push_back("σ′(z)");
  for (const char* h : {"δ quadratic", "δ cross-entropy", "δ log-likelihood"}) t.headers.push_back(h);
  const Cost costs[3] = {Cost::Quadratic, Cost::CrossEntropy, Cost::LogLikelihood};  // recompute's order
  for (int k = 0; k < n.nL; ++k) {
    std::vector<Cell> row{{str(k)}, num_cell(n.t.a.back()(k) - n.t.y(k))};
    if (elementwise) row.push_back(num_cell(n.jac(k, k), kFactorB));
    for (int c = 0; c < 3; ++c) row.push_back(num_cell(n.delta_by_cost[c](k), costs[c] == n.net.cost ? kAccent : kDim));
    t.rows.push_back(row);
    t.row_tags.push_back(neuron_tag(n.L, k));
  }
  t.selected = j;
  o.table(t);
  o.dim(std::string("The column of the chosen cost (") + to_string(n.net.cost) + ") is highlighted; it is the cost of the copy this screen uses. "
        "Its δ for neuron j, as backprop computes it, against the measurement:");
  o.check(delta_check(n, "backprop's δ(j) for the chosen cost against the measured δ(j)", n.tb.delta[n.last](j), n.last, j));
  if (v.bug == Bug::SigmaPrimeWithCrossEntropy) o.bad(bp1_bug_note(v, j));
}

// The injected bug's effect on BP2, in words (empty when it has none there).
std::string bp2_bug_note(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const int hi = n.last - 1;
  const Activation f = n.net.hidden;
  switch (v.bug) {
    case Bug::SigmaPrimeOfA:
      return "Injected bug: σ′(a) instead of σ′(z). The code multiplied by σ′(a(j)) = " + fmt(activation_prime(f, n.t.a[hi + 1](j))) +
             " where BP2 needs σ′(z(j)) = " + fmt(activation_prime(f, n.t.z[hi](j))) + ".";
    case Bug::NoSigmaPrime:
      return "Injected bug: σ′ dropped. The code multiplied by 1 where BP2 needs σ′(z(j)) = " + fmt(activation_prime(f, n.t.z[hi](j))) + ".";
    case Bug::NoTransposeBP2: {
      const Matrix<double>& w = n.net.weights[n.last];
      const std::string shape = str(int(w.rows())) + " × " + str(int(w.cols()));
      if (w.rows() == w.cols())
        return "Injected bug: transpose dropped in BP2. The code computed w δ where BP2 needs wᵀ δ: it sums w(j, k) δ(k), the weights out of "
               "the wrong neurons.";
      return "Injected bug: transpose dropped in BP2. The code computed w δ where BP2 needs wᵀ δ, with w the output layer's weights and δ its errors. w is " + shape + " and δ has " +
             str(int(w.rows())) + " entries: without the transpose the product is not even defined (numpy refuses: shapes not aligned). "
             "To run at all, this screen multiplies the " + str(int(std::min(w.rows(), w.cols()))) + " × " + str(int(std::min(w.rows(), w.cols()))) +
             " corner that exists, w(j, k) δ(k), and gives the other neurons of layer " + str(n.L - 1) + " δ = 0: invented numbers, and the checks say so.";
    }
    default: break;
  }
  return "";
}

void step_bp2(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  o.label("BP2, by the chain rule");
  if (n.last < 1) {
    o.prose("This network has no hidden layer: there is no BP2 to show. Give it a hidden layer in the network panel.");
    return;
  }
  const int hi = n.last - 1;  // index of layer l = L − 1
  const int l = n.L - 1;
  int j = hidden_neuron(v);
  o.math(f_bp2_chain(), 2);
  o.prose("On this step j is a neuron of the hidden layer l = " + str(l) + " and k runs over the next layer, l + 1 = L = " + str(n.L) +
          ". z(j) of layer l moves every z(k) of layer l + 1 through the weights: ∂z(k)/∂z(j) = w(kj) σ′(z(j)), which in general is non-zero for every k: "
          "no term drops out, and this sum does not collapse. Each term, for one hidden neuron:");
  if (o.screen()) {
    ImGui::SetNextItemWidth(200);
    ui::SliderInt("hidden neuron j", &j, 0, int(n.t.z[hi].size()) - 1);
    if (ImGui::IsItemEdited()) v.hidden = j;
  } else {
    o.dim("Hidden neuron j = " + str(j) + " of layer " + str(l) + ".");
  }
  const double sp = activation_prime(n.net.hidden, n.t.z[hi](j));
  Table t;
  t.id = "bp2";
  t.width = 480;
  t.headers = {"k", "w(kj)", "δ(k) of layer l+1", "w·δ"};
  double sum = 0;
  for (int k = 0; k < n.nL; ++k) {
    const double w = n.net.weights[n.last](k, j), d = n.t.delta[n.last](k);
    sum += w * d;
    const double p = shown(w, 5) * shown(d, 5);
    o.products.push_back({{fmt(w, 5), fmt(d, 5)}, fmt(p, 5), 5});
    t.rows.push_back({{str(k)}, num_cell(w), num_cell(d), num_cell(p)});
    t.row_tags.push_back(weight_tag(n.L, k, j));
    t.bars.push_back(w * d);
    t.bar_scale = std::max(t.bar_scale, std::abs(w * d));
  }
  o.table(t);
  const int tj = neuron_tag(l, j);
  o.math(m::row({m::tagged(m::idx("δ", "l", "j"), tj), m::op("="),
                 m::paren(m::row({m::bigop("Σ", m::var("k"), nullptr), m::subsup(m::var("w"), m::row({m::var("k"), m::var("j")}), m::var("L")), m::idx("δ", "L", "k")})),
                 m::space(0.1f), m::color(sigma_prime(m::idx("z", "l", "j")), kFactorB), m::op("="), o.product({{sum, 0}, {sp, kFactorB}}, 4, kAccent)}));
  o.math(m::row({m::text("backprop's δ"), m::op("="), m::color(n6(n.tb.delta[hi](j)), kAccent), m::space(1.0f), m::text("measured from the definition"), m::op("="),
                 measured(n, hi, j) ? m::color(n6(n.delta_def[hi](j)), kMeasured) : m::text("checking…")}));
  o.check(delta_check(n, "backprop's δ(j) of layer l against the measured δ(j)", n.tb.delta[hi](j), hi, j));
  const std::string note = bp2_bug_note(v, j);
  if (!note.empty()) o.bad(note);
  o.label("the error of a hidden layer", "(BP2)");
  o.math(f_bp2(), 2);
  o.prose("The sums over k for every hidden neuron at once: the transpose of w sends the errors backwards along the same weights the activations used forwards.");
  // The whole layer: its worst neuron.
  Check worst = pending_check("every neuron of layer " + str(l) + " against its measured δ (the furthest off)", n.tb.delta[hi](0));
  if (layer_measured(n, hi)) {
    for (int q = 0; q < int(n.t.z[hi].size()); ++q) {
      Check c = delta_check(n, worst.what, n.tb.delta[hi](q), hi, q);
      if (q == 0 || c.infinite || (!worst.infinite && c.error > worst.error)) worst = c;
    }
  }
  o.check(worst);
}

void step_gradient(Out& o) {
  DerivationView& v = o.v;
  Numbers& n = v.n;
  o.label("the gradient of a bias", "(BP3)");
  o.math(f_bp3());
  o.label("the gradient of a weight", "(BP4)");
  o.math(f_bp4());
  const int i = 0, l = 2;  // the first layer of weights, w^2
  const int rows = int(n.net.weights[i].rows()), cols = int(n.net.weights[i].cols());
  const int side = int(std::lround(std::sqrt(double(cols))));
  o.prose("∂C/∂w for layer " + str(l) + ": one image per neuron j of layer " + str(l) + ", pixel k = a(k) of the input times δ(j).");
  o.prose("Blank pixels of the digit (a = 0) get zero gradient: their weights cannot change the cost on this digit. Blue is positive (+), orange negative (−). Click a pixel to check it.");
  if (n.x.cwiseAbs().maxCoeff() == 0) o.text("The input is blank, so every one of these gradients is 0: draw a digit to see them.", kAccent);
  if (o.screen() && side * side == cols) {
    double scale = 1e-12;
    for (int j = 0; j < rows; ++j) scale = std::max(scale, n.tb.nabla_w[i].row(j).cwiseAbs().maxCoeff());
    // A gradient's colour: blue positive, orange negative (the palette's), stronger with √|g|;
    // blank where it is 0.
    const ImU32 blank = ui::palette().zero;
    auto colour = [&](double g) {
      if (g == 0) return blank;
      const float t = float(std::min(1.0, std::sqrt(std::abs(g) / scale)));
      return ui::diverging(g > 0 ? std::max(t, 0.15f) : -std::max(t, 0.15f), 1.0f);  // a sign shows, however small
    };
    const float cell = 2.0f, img = cell * side, gap = 8;
    const int per_row = std::max(1, int((ImGui::GetContentRegionAvail().x + gap) / (img + gap)));
    const int shown_images = std::min(rows, 30);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    constexpr int kTiles = 10;
    const int tex_w = kTiles * side, tex_h = (shown_images + kTiles - 1) / kTiles * side;
    const uint64_t texture_key = n.key * 64 + uint64_t(shown_images);
    if (v.texture && shown_images > 0 && v.gradient_texture_for != texture_key) {
      std::vector<unsigned char> rgba(size_t(tex_w) * size_t(tex_h) * 4, 0);
      for (int j = 0; j < shown_images; ++j)
        for (int k = 0; k < cols; ++k) {
          const int x = (j % kTiles) * side + k % side, y = (j / kTiles) * side + k / side;
          ui::put_rgba(&rgba[(size_t(y) * size_t(tex_w) + size_t(x)) * 4], colour(n.tb.nabla_w[i](j, k)));
        }
      const std::uintptr_t id = v.texture(v.gradient_texture, tex_w, tex_h, rgba.data(), false);
      v.gradient_texture = id;
      v.gradient_texture_for = id ? texture_key : 0;
    }
    const std::uintptr_t texture = v.texture ? v.gradient_texture : 0;
    for (int j = 0; j < shown_images; ++j) {
      if (j % per_row) ImGui::SameLine(0, gap);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::PushID(j);
      ImGui::InvisibleButton("img", ImVec2(img, img + 14));
      {
        mirror::Description d;
        d.role = mirror::Role::Image;
        d.name = "∂C/∂w of the weights into neuron " + std::to_string(j) + " of layer " + std::to_string(l) +
                 ", one pixel per input pixel";
        ui::describe_last(std::move(d));
      }
      const bool hovered = ImGui::IsItemHovered(), clicked = ImGui::IsItemClicked();
      ImGui::PopID();
      if (texture) {
        const ImVec2 uv0(float((j % kTiles) * side) / tex_w, float((j / kTiles) * side) / tex_h);
        dl->AddImage(ImTextureID(texture), p, ImVec2(p.x + img, p.y + img), uv0,
                     ImVec2(uv0.x + float(side) / tex_w, uv0.y + float(side) / tex_h));
      } else {
        dl->AddRectFilled(p, ImVec2(p.x + img, p.y + img), blank);
        for (int k = 0; k < cols; ++k) {
          const double g = n.tb.nabla_w[i](j, k);
          if (g == 0) continue;  // blank pixel: zero gradient
          const float x = p.x + (k % side) * cell, y = p.y + (k / side) * cell;
          dl->AddRectFilled(ImVec2(x, y), ImVec2(x + cell, y + cell), colour(g));
        }
      }
      if (v.pick_j == j && v.pick_k >= 0) {
        const float x = p.x + (v.pick_k % side) * cell, y = p.y + (v.pick_k / side) * cell;
        dl->AddRect(ImVec2(x - 2, y - 2), ImVec2(x + cell + 2, y + cell + 2), kAccent, 0, 0, 1.5f);
      }
      char buf[16];
      std::snprintf(buf, sizeof buf, "j=%d", j);
      dl->AddText(fonts().ui.font, 11.0f, ImVec2(p.x, p.y + img), v.highlight == neuron_tag(l, j) ? kAccent : kDim, buf);
      if (hovered) {
        v.hover_next = neuron_tag(l, j);
        const int k = std::clamp(int((mouse.y - p.y) / cell), 0, side - 1) * side + std::clamp(int((mouse.x - p.x) / cell), 0, side - 1);
        ImGui::SetTooltip("∂C/∂w(%d,%d) = a(%d) δ(%d) = %s × %s = %s", j, k, k, j, m::format_number(n.x(k)).c_str(),
                          m::format_number(n.tb.delta[i](j)).c_str(), m::format_number(n.tb.nabla_w[i](j, k)).c_str());
        if (clicked) {
          v.pick_j = j;
          v.pick_k = k;
          v.picked_by_learner = true;
        }
      }
    }
  }
  // The finite-difference check of the picked weight or bias; until the learner clicks, the
  // weight of the brightest pixel into the neuron with the largest |δ| for this digit and net
  // (chosen again when they change: the digit may arrive after the screen is first shown).
  if (o.screen() && rows > 0 && ((!v.picked_by_learner && v.default_pick_for != n.key) || v.pick_j >= rows || v.pick_k >= cols)) {
    Eigen::Index bj = 0, bk = 0;
    n.tb.delta[i].cwiseAbs().maxCoeff(&bj);
    n.x.maxCoeff(&bk);
    v.pick_j = int(bj);
    v.pick_k = int(bk);
    v.picked_by_learner = false;
    v.default_pick_for = n.key;
  }
  if (v.pick_j >= 0 && v.pick_j < rows && v.pick_k < cols) {
    const uint64_t key = pick_key_of(v);
    if (o.screen() && v.pick_key != key) {
      v.pick_fd = v.pick_k >= 0 ? central_difference([&](double h) { return cost_nudged(n, i, v.pick_j, h * n.t.a[i](v.pick_k)); })
                                : central_difference([&](double h) { return cost_nudged(n, i, v.pick_j, h); });
      v.pick_key = key;
    }
    if (v.pick_key == key) {
      const double bp = v.pick_k >= 0 ? n.tb.nabla_w[i](v.pick_j, v.pick_k) : n.tb.nabla_b[i](v.pick_j);
      const std::string jk = str(v.pick_j) + (v.pick_k >= 0 ? "," + str(v.pick_k) : "");
      const m::Node what = v.pick_k >= 0 ? m::subsup(m::var("w"), m::sym(jk), m::sym("2")) : m::subsup(m::var("b"), m::sym(jk), m::sym("2"));
      o.math(m::row({partial(C(), what), m::op("="), m::color(n6(bp), kAccent), m::text(" by backprop"), m::space(1.0f),
                     m::color(n6(v.pick_fd), kMeasured), m::text(" by nudging it and rerunning the net")}));
      o.check(make_check(std::string(v.pick_k >= 0 ? "∂C/∂w" : "∂C/∂b") + " of the picked parameter by backprop against finite differences", bp,
                         v.pick_fd, n.t.cost));
    }
    if (o.screen()) {
      // The same choice as clicking a pixel, by keyboard or a larger target (WCAG 2.5.8: the
      // images' pixels are 2 px).
      int pj = v.pick_j, pk = std::max(v.pick_k, 0);
      ImGui::SetNextItemWidth(140);
      if (ui::SliderInt("checked neuron j", &pj, 0, rows - 1)) {
        v.pick_j = pj;
        v.picked_by_learner = true;
      }
      ImGui::SameLine();
      ImGui::SetNextItemWidth(180);
      if (ui::SliderInt("checked pixel k", &pk, 0, cols - 1)) {
        v.pick_k = pk;
        v.picked_by_learner = true;
      }
      ImGui::SameLine();
    }
    if (o.screen() && v.pick_k >= 0 && ImGui::SmallButton("check its bias instead")) {
      v.pick_k = -1;
      v.picked_by_learner = true;
    }
  } else {
    o.dim("(no weight picked yet)");
  }
  o.prose("Gradient check (every δ, every output weight, the 3 strongest inputs of every other neuron):");
  if (weights_checked(n)) {
    o.check(n.worst_w.infinite || n.worst_w.error >= n.worst_delta.error ? n.worst_w : n.worst_delta);
  } else {
    o.check(pending_check("the gradient check", 0));
  }
}

// Step 9's experiment: actual / predicted ΔC against η on a log scale, for the right gradient
// and (with a bug) the one backprop claims.
void sweep_plot(Out& o) {
  const Numbers& n = o.v.n;
  if (!o.screen() || n.sweep_eta.empty()) return;
  const float pad = 30, w = std::clamp(ImGui::GetContentRegionAvail().x - pad - 20, 160.0f, 420.0f), h = 160;
  const ImVec2 org = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w + pad, h + pad));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float x0 = org.x + pad, y0 = org.y + 8;
  auto X = [&](double eta) { return x0 + float((std::log10(eta) + 4) / 4) * w; };
  auto Y = [&](double r) { return y0 + float((1.5 - std::clamp(r, -0.5, 1.5)) / 2.0) * h; };
  dl->AddRect(ImVec2(x0, y0), ImVec2(x0 + w, y0 + h), kDim);
  for (double r : {0.0, 1.0}) dl->AddLine(ImVec2(x0, Y(r)), ImVec2(x0 + w, Y(r)), kDim);  // 3:1 on either theme (a fixed grey was 2.8:1 on the dark one)
  dl->AddText(ImVec2(org.x, Y(1.0) - 7), kDim, "1");
  dl->AddText(ImVec2(org.x, Y(0.0) - 7), kDim, "0");
  for (int e = -4; e <= 0; ++e) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "1e%d", e);
    dl->AddText(ImVec2(X(std::pow(10.0, e)) - 12, y0 + h + 4), kDim, buf);
  }
  auto line = [&](const std::vector<double>& r, ImU32 col) {
    for (size_t k = 1; k < r.size(); ++k)
      if (std::isfinite(r[k - 1]) && std::isfinite(r[k]))
        dl->AddLine(ImVec2(X(n.sweep_eta[k - 1]), Y(r[k - 1])), ImVec2(X(n.sweep_eta[k]), Y(r[k])), col, 2);
  };
  line(n.sweep_right, kMeasured);
  if (o.v.bug != Bug::None) line(n.sweep_bug, kBad);
  const float mx = X(std::clamp(double(n.eta), 1e-4, 1.0));
  dl->AddLine(ImVec2(mx, y0), ImVec2(mx, y0 + h), kAccent);
  // The legend as wrapped text: a narrow embed keeps all of it.
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::max(w + pad, ImGui::GetContentRegionAvail().x));
  ImGui::TextDisabled("%s", o.v.bug != Bug::None ? "learning rate η (log scale); green: the right gradient; red: backprop with the bug"
                                                 : "learning rate η (log scale); green: backprop's gradient (no bug injected)");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
}

void step_descent(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  o.label("one step of gradient descent");
  o.prose("Move every weight and bias against its gradient, w → w − η ∂C/∂w, on this digit alone. To first order the cost changes by");
  o.math(f_gd(), 2);
  if (o.screen()) {
    ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - labeled_width(0, "learning rate η"), 100.0f, 240.0f));
    ui::SliderFloat("learning rate η", &v.eta, 0.0001f, 1.0f, "%.4f", ImGuiSliderFlags_Logarithmic);
  }
  if (o.screen()) {
    if (n.net.cost == n.model_cost && n.net.output == n.model_output) {
      same_line_if_room(ImGui::CalcTextSize("Apply this (buggy) step to the net").x + ImGui::GetStyle().FramePadding.x * 2);
      if (ImGui::Button(v.bug == Bug::None ? "Apply this step to the net" : "Apply this (buggy) step to the net")) {
        // w → w − η δ aᵀ and b → b − η δ, layer by layer, with the gradient shown (tb).
        Network<double> net = n.net;
        for (size_t i = 0; i < net.weights.size(); ++i) {
          net.weights[i] -= n.eta * n.tb.delta[i] * n.tb.a[i].transpose();
          net.biases[i] -= n.eta * n.tb.delta[i];
        }
        v.applied = std::move(net);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("The net takes this step: the Draw screen's prediction follows.");
    }
  }
  const double actual = n.c_after - n.t.cost;
  o.math(m::row({m::text("predicted: −η ‖∇C‖²"), m::op("="), o.product({{-n.eta, 0}, {n.grad_norm2, 0}}, 4, kAccent)}));
  o.math(m::row({m::text("actual: C after − C before"), m::op("="), n6(n.c_after), m::op("−"), n6(n.t.cost), m::op("="),
                 m::color(m::num(actual, 4), kMeasured)}));
  if (n.predicted != 0) o.text("actual / predicted = " + fmt(actual / n.predicted, 4) + " at η = " + fmt(n.eta, 3));
  o.prose("The experiment: the same step for every η from 10⁻⁴ to 1. For a small η the ratio of the actual change to the predicted one goes to 1 "
          "with the right gradient: that is what the gradient means. As η grows the curvature of C (the second-order terms) makes them differ, "
          "and a large enough step overshoots. With an injected bug, backprop's 'gradient' predicts a change the net does not make, at every η.");
  sweep_plot(o);
  Table t;
  t.id = "sweep";
  t.width = 720;
  t.headers = {"η", "actual / predicted, right gradient"};
  if (v.bug != Bug::None) t.headers.push_back(std::string("actual / predicted, with the bug (") + bug_name(v.bug) + ")");
  for (size_t k = 0; k < n.sweep_eta.size(); k += 2) {  // every other point: half a decade
    std::vector<Cell> row{{fmt(n.sweep_eta[k], 2)}, num_cell(n.sweep_right[k], kMeasured, 4)};
    if (v.bug != Bug::None) row.push_back(num_cell(n.sweep_bug[k], kBad, 4));
    t.rows.push_back(row);
  }
  o.table(t);
}

// The "one neuron per layer" view (3Blue1Brown's): the chain rule as a product of three
// numbers along one path, hidden neuron h → output neuron j → C.
struct OneNeuron {
  int h = 0, j = 0;
  double dz_dw = 0, da_dz = 0, dC_da = 0, product = 0, backprop = 0, measured = NAN;
  bool agree = false;
};

OneNeuron one_neuron_numbers(const DerivationView& v) {
  const Numbers& n = v.n;
  OneNeuron r;
  r.j = output_neuron(v);
  r.h = hidden_neuron(v);
  r.dz_dw = n.t.a[n.last](r.h);
  r.da_dz = n.jac(r.j, r.j);
  r.dC_da = n.t.dC_da(r.j);
  r.product = r.dz_dw * r.da_dz * r.dC_da;
  r.backprop = n.tb.nabla_w[n.last](r.j, r.h);
  if (measured(n, n.last, r.j)) r.measured = r.dz_dw * n.delta_def[n.last](r.j);
  const double floor = kFdResolution * std::max(1.0, std::abs(n.t.cost)) / kCheckTolerance;
  const double scale = std::max({std::abs(r.product), std::abs(r.backprop), floor});
  r.agree = std::isfinite(r.product) && std::isfinite(r.backprop) && std::abs(r.product - r.backprop) / scale < kCheckTolerance;
  return r;
}

// 3Blue1Brown's tree of sensitivities for the followed path, in the book's notation: w^L_jh,
// a^{L−1}_h and b^L_j feed z^L_j, which feeds a^L_j, which with y_j feeds C. Each edge carries its
// derivative on this digit; the chain of ∂C/∂w^L_jh is drawn thick in its factors' colours (the
// formulas' colours), the other edges thin and dim. Where the injected bug changes a factor, the
// bug's number stands under the right one. A softmax output adds the other outputs' paths, which
// the one-neuron picture leaves out. Drawn on the screen; the same in words everywhere.
void sensitivity_tree(Out& o, const OneNeuron& r) {
  const DerivationView& v = o.v;
  const Numbers& n = v.n;
  const bool softmax = !is_elementwise(n.net.output);
  const double w_jh = n.net.weights[n.last](r.j, r.h);
  // The factors as the (buggy) code computes them: with a bug they stand beside the right ones.
  const double code_da_dz = sigma_prime_shown(v, r.j), code_dC_da = dC_da_shown(v, r.j);
  const bool bug_da_dz = code_da_dz != r.da_dz, bug_dC_da = code_dC_da != r.dC_da;
  double others = 0;  // Σ over k ≠ j of ∂C/∂a_k ∂a_k/∂z_j: the paths through the other outputs
  for (int k = 0; k < n.nL; ++k)
    if (k != r.j) others += n.t.dC_da(k) * n.jac(k, r.j);
  const std::string da_dz_name = softmax ? "a(j)(1 − a(j))" : "σ′(z(j))";

  // In words (the transcript, the mirror), with the numbers as the edges show them.
  const double A = shown(r.dz_dw, 4), S = shown(r.da_dz, 4), D = shown(r.dC_da, 4), X = shown(others, 4);
  auto about = [](double x) { return std::string(shown(x, 4) == x ? "= " : "≈ ") + fmt(x); };  // as Out::product writes it
  std::string words = "The tree of sensitivities (3Blue1Brown's): w(jh), a(h) of layer L−1 and b(j) feed z(j); z(j) feeds a(j); a(j) and y(j) feed C. "
                      "On each edge its derivative on this digit: ∂z(j)/∂w(jh) = a(h) = " + fmt(r.dz_dw) + "; ∂z(j)/∂a(h) = w(jh) = " + fmt(w_jh) +
                      "; ∂z(j)/∂b(j) = 1; ∂a(j)/∂z(j) = " + da_dz_name + " = " + fmt(r.da_dz) + "; ∂C/∂a(j) = " + fmt(r.dC_da) + ". ";
  if (softmax)
    words += "z(j) also reaches C through the other " + str(n.nL - 1) + " outputs a(k), which add Σ over k ≠ j of ∂C/∂a(k) ∂a(k)/∂z(j) = " + fmt(others) +
             ". The followed chain, w(jh) → z(j) → C through every output: ∂C/∂w(jh) = " + fmt(r.dz_dw) + " × (" + fmt(r.da_dz) + " × " + fmt(r.dC_da) +
             (others < 0 ? " − " + fmt(-others) : " + " + fmt(others)) + ") " + about(A * (S * D + X)) + " (backprop: " + fmt(r.backprop) + ").";
  else
    words += "The followed chain, w(jh) → z(j) → a(j) → C: ∂C/∂w(jh) = " + fmt(r.dz_dw) + " × " + fmt(r.da_dz) + " × " + fmt(r.dC_da) + " " +
             about(A * S * D) + (bug_da_dz || bug_dC_da ? "." : " (backprop: " + fmt(r.backprop) + ").");
  if (!softmax && (bug_da_dz || bug_dC_da))
    words += " The injected bug (" + std::string(bug_name(v.bug)) + ") puts " +
             (bug_da_dz ? fmt(code_da_dz) + " on the edge z(j) → a(j)" : fmt(code_dC_da) + " on the edge a(j) → C") + " instead: " + fmt(r.dz_dw) +
             " × " + fmt(code_da_dz) + " × " + fmt(code_dC_da) + " " + about(A * shown(code_da_dz, 4) * shown(code_dC_da, 4)) +
             " (backprop with the bug: " + fmt(r.backprop) + ").";
  if (n.net.cost == Cost::Quadratic)
    words += " 3Blue1Brown's C₀ = (a − y)² would put 2(a − y) = " + fmt(2 * r.dC_da) + " on the last edge: the book's ½(a − y)² cancels that 2.";

  if (o.screen()) {
    // Three columns (the inputs of z), the chain in the middle one; in a narrow panel the edge
    // labels lose their symbolic middle part, then their fractions, so each stays in its column.
    const float width = std::clamp(ImGui::GetContentRegionAvail().x, 240.0f, 600.0f), col = width / 3;
    const float cx = width * 0.5f;
    const ImU32 chain_w = ImGui::GetColorU32(ImGuiCol_Text);  // ∂z/∂w = a^{L−1}: uncoloured, as the first factor of the formula
    auto fits = [&](const m::Node& node, float room) { return m::measure(node, 1).width <= room; };
    // The first candidate that fits `room`.
    auto label = [&](std::vector<m::Node> options, float room) {
      for (const m::Node& node : options)
        if (fits(node, room)) return node;
      return options.back();
    };
    // An edge's label in three degrees of detail: "∂z/∂w = a^{L−1} = 0.5", "∂z/∂w = 0.5", "0.5".
    using Options = std::array<m::Node, 3>;
    auto edge_options = [&](m::Node top, m::Node bottom, m::Node meaning, double value, ImU32 colour) {
      const m::Node d = partial(std::move(top), std::move(bottom)), x = m::num(value, 4);
      const m::Node short_form = m::color(m::row({d, m::op("="), x}), colour);
      return Options{meaning ? m::color(m::row({d, m::op("="), meaning, m::op("="), x}), colour) : short_form, short_form, m::color(x, colour)};
    };
    auto detail = [&](const Options& options, float room) {
      int i = 0;
      while (i < 2 && !fits(options[size_t(i)], room)) ++i;
      return i;
    };
    const m::Node z = zL("j"), a = aL("j");
    const m::Node w = m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L"));
    const m::Node a_prev = m::subsup(m::var("a"), m::var("h"), m::row({m::var("L"), m::op("−"), m::sym("1")}));
    const m::Node b = m::subsup(m::var("b"), m::var("j"), m::var("L"));
    const float room_top = col - 8, room_side = width - cx - 14;
    // The three inputs' labels with the same detail, the most that all of them have room for.
    const Options top_options[3] = {edge_options(z, w, a_prev, r.dz_dw, chain_w), edge_options(z, a_prev, w, w_jh, kDim),
                                    edge_options(z, b, nullptr, 1.0, kDim)};
    int top_detail = 0;
    for (const Options& t : top_options) top_detail = std::max(top_detail, detail(t, room_top));
    const m::Node top_labels[3] = {top_options[0][size_t(top_detail)], top_options[1][size_t(top_detail)], top_options[2][size_t(top_detail)]};
    auto edge_label = [&](m::Node top, m::Node bottom, m::Node meaning, double value, ImU32 colour, float room) {
      const Options options = edge_options(std::move(top), std::move(bottom), std::move(meaning), value, colour);
      return options[size_t(detail(options, room))];
    };
    const m::Node da_dz_label = edge_label(a, z, softmax ? m::row({aL("j"), m::paren(m::row({m::sym("1"), m::op("−"), aL("j")}))}) : sigma_prime(zL("j")),
                                           r.da_dz, kFactorB, room_side);
    const m::Node dC_da_label = edge_label(C(), a, nullptr, r.dC_da, kFactorA, room_side);
    const m::Node bug_value = m::num(bug_da_dz ? code_da_dz : code_dC_da, 4);
    const m::Node bug_long = v.bug == Bug::SigmaPrimeOfA ? m::row({m::text("the bug's code: "), sigma_prime(aL("j")), m::op("="), bug_value})
                             : v.bug == Bug::NoSigmaPrime ? m::row({m::text("the bug's code: "), bug_value})
                                                          : m::row({m::text("the bug's code: "), aL("j"), m::op("−"), m::sub(m::var("y"), m::var("j")),
                                                                    m::op("="), bug_value});
    const m::Node bug_label = m::color(label({bug_long, m::row({m::text("bug: "), bug_value})}, room_side), kBad);
    const m::Node others_label = m::color(m::row({m::text("+ "), m::num(others, 4)}), kDim);

    const float line = ImGui::GetTextLineHeight();
    float top_h = 0;
    for (const m::Node& l : top_labels) top_h = std::max(top_h, m::measure(l, 1).height());
    // Each vertical edge as long as its label, and the bug's under it where there is one.
    const float h_bug = m::measure(bug_label, 1).height() + 2;
    const float h_da = m::measure(da_dz_label, 1).height(), h_dc = m::measure(dC_da_label, 1).height();
    const float edge = std::max(2 * line + 6, std::max(h_da + (bug_da_dz ? h_bug : 0), h_dc + (bug_dC_da ? h_bug : 0)) + 8);
    const float name_h = line * 1.6f;
    // Rows: the names of z's inputs, their edges' labels, a gap for the edges, z, a, C.
    const float y_names = 0, y_labels = name_h, y_z = y_labels + top_h + line * 1.5f, y_a = y_z + name_h + edge, y_c = y_a + name_h + edge;
    const float height = y_c + name_h;
    const ImVec2 org = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, height));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto at = [&](float x, float y) { return ImVec2(org.x + x, org.y + y); };
    // A node's name centred on (x, row top); returns the box's top and bottom centres for edges.
    auto name = [&](const m::Node& node, float x, float y) {
      const m::Box bx = m::measure(node, 1);
      m::draw(dl, node, at(x - bx.width * 0.5f, y + (name_h - bx.height()) * 0.5f + bx.ascent), 1, -1, nullptr);
      return std::pair<ImVec2, ImVec2>{at(x, y + 1), at(x, y + name_h - 1)};
    };
    auto draw_label = [&](const m::Node& node, float x, float y, bool centred) {
      const m::Box bx = m::measure(node, 1);
      const float left = centred ? std::clamp(x - bx.width * 0.5f, 0.0f, std::max(0.0f, width - bx.width)) : x;
      m::draw(dl, node, at(left, y + bx.ascent), 1, -1, nullptr);
    };
    const float thick = 3.0f, thin = 1.0f;
    const float xs[3] = {cx - col, cx, cx + col};
    const m::Node names[3] = {m::color(w, kAccent), a_prev, b};
    for (int i = 0; i < 3; ++i) {
      name(names[i], xs[i], y_names);
      draw_label(top_labels[i], xs[i], y_labels, true);
      const bool chain = i == 0;
      dl->AddLine(at(xs[i], y_labels + top_h + 2), at(cx, y_z), chain ? chain_w : kDim, chain ? thick : thin);
    }
    name(z, cx, y_z);
    name(a, cx, y_a);
    name(m::color(C(), kAccent), cx, y_c);
    dl->AddLine(at(cx, y_z + name_h), at(cx, y_a), kFactorB, thick);
    dl->AddLine(at(cx, y_a + name_h), at(cx, y_c), kFactorA, thick);
    draw_label(da_dz_label, cx + 8, y_z + name_h + 4, false);
    draw_label(dC_da_label, cx + 8, y_a + name_h + 4, false);
    if (bug_da_dz || bug_dC_da)
      draw_label(bug_label, cx + 8, bug_da_dz ? y_z + name_h + 4 + h_da + 2 : y_a + name_h + 4 + h_dc + 2, false);
    // y feeds C from the right, along the C row.
    const m::Node y = m::sub(m::var("y"), m::var("j"));
    name(y, cx + col, y_c);
    const float y_half = m::measure(y, 1).width * 0.5f + 4, c_half = m::measure(C(), 1).width * 0.5f + 6;
    dl->AddLine(at(cx + col - y_half, y_c + name_h * 0.5f), at(cx + c_half, y_c + name_h * 0.5f), kDim, thin);
    if (softmax) {  // the other outputs, on the left: paths that one neuron per layer does not have
      const m::Node other = m::row({aL("k"), m::text(", "), m::var("k"), m::op("≠"), m::var("j")});
      name(m::color(other, kDim), cx - col, y_a);
      draw_label(others_label, cx - col, y_a + name_h + 2, true);
      dl->AddLine(at(cx - 4, y_z + name_h), at(cx - col, y_a), kDim, thin);
      dl->AddLine(at(cx - col, y_a + name_h + line + 4), at(cx - 4, y_c), kDim, thin);
    }
  }
  o.dim(words);
  if (o.screen()) o.dim("Thick: the chain of ∂C/∂w(jh), in the colours of its factors in the formulas; thin: the other edges.");
}

void one_neuron_panel(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  o.label("One neuron per layer");
  if (n.last < 1) {
    o.prose("(needs a hidden layer)");
    return;
  }
  const OneNeuron r = one_neuron_numbers(v);
  o.prose(std::string("Follow one path, as if each layer had one neuron: hidden neuron h → output neuron j → C. Then ") +
          (is_elementwise(n.net.output) ? "a(j) = σ(w a(h) + b)" : "z(j) = w a(h) + b and a(j) = softmax(z)(j)") +
          ", every derivative is a number, and the chain rule is a product" +
          (n.net.cost == Cost::Quadratic ? " (3Blue1Brown writes C₀ = (a − y)²; the book's quadratic cost is ½(a − y)², hence no factor 2 here):" : ":"));
  o.dim("h = " + str(r.h) + ", j = " + str(r.j));
  sensitivity_tree(o, r);
  const m::Node w = m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L"));
  const m::Node a_prev = m::subsup(m::var("a"), m::var("h"), m::row({m::var("L"), m::op("−"), m::sym("1")}));
  o.math(m::row({partial(C(), w), m::op("="), partial(zL("j"), w), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"),
                 m::color(partial(C(), aL("j")), kFactorA)}));
  o.math(m::row({m::op("="), a_prev, m::op("·"), m::color(is_elementwise(n.net.output) ? sigma_prime(zL("j")) : partial(aL("j"), zL("j")), kFactorB),
                 m::op("·"), m::color(partial(C(), aL("j")), kFactorA), m::op("="),
                 o.product({{r.dz_dw, 0}, {r.da_dz, kFactorB}, {r.dC_da, kFactorA}}, 4, kAccent)}));
  o.math(m::row({m::text("backprop (BP4 with BP1)"), m::op("="), m::color(n6(r.backprop), kAccent), m::space(1.0f), m::text("measured"), m::op("="),
                 std::isfinite(r.measured) ? m::color(n6(r.measured), kMeasured) : m::text("checking…")}));
  auto check = [&](const char* what, double value) {
    if (!measured(n, n.last, r.j)) return pending_check(what, value);
    return make_check(what, value, r.measured, n.t.cost);
  };
  o.check(check("one neuron: the path's product against the measured ∂C/∂w(jh)", r.product));
  o.check(check("one neuron: backprop's ∂C/∂w(jh) against the measured one", r.backprop));
  // The bias and the previous activation along the same path (3Blue1Brown's ∂C₀/∂b and
  // ∂C₀/∂a^(L−1)); the latter is where one path becomes a sum over paths.
  const m::Node b = m::subsup(m::var("b"), m::var("j"), m::var("L"));
  o.math(m::row({partial(C(), b), m::op("="), partial(zL("j"), b), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"),
                 m::color(partial(C(), aL("j")), kFactorA), m::op("="), o.product({{1.0, 0}, {r.da_dz, kFactorB}, {r.dC_da, kFactorA}}, 4, kAccent)}));
  const double w_jh = n.net.weights[n.last](r.j, r.h);
  o.math(m::row({partial(C(), a_prev), m::text(" along this path"), m::op("="), m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L")),
                 m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"), m::color(partial(C(), aL("j")), kFactorA), m::op("="),
                 o.product({{w_jh, 0}, {r.da_dz, kFactorB}, {r.dC_da, kFactorA}}, 4, kAccent)}));
  const double all_paths = n.net.weights[n.last].col(r.h).dot(n.t.delta[n.last]);
  o.prose("But a(h) reaches C along a path through every output neuron, and its derivative is the sum over all of them, Σ over j of w(jh) δ(j) = " +
          fmt(all_paths) + ": the sum of BP2 (step 7).");
  if (!is_elementwise(n.net.output)) {
    if (n.net.cost == Cost::LogLikelihood && r.j == n.label)
      o.prose("With a softmax output z_j moves every a_k, but with the log-likelihood cost and j = the label only ∂C/∂a_j is not zero: "
              "the single path is the only one that counts, and it is exact.");
    else
      o.bad("With a softmax output z_j also moves every other a_k, and C depends on them: this single path misses those paths (step 3), "
            "so its product is not the gradient. Widen to vectors: δ = Jᵀ∇ₐC.");
  } else if (!r.agree) {
    o.bad("Backprop's value is not the path's product: the injected bug (" + std::string(bug_name(v.bug)) + ") changed a factor.");
  }
  o.prose("Widened to vectors: the last two factors become BP1 (δ = ∇ₐC ⊙ σ′(z) for the output layer), the first becomes BP4 (∂C/∂w(jh) = a(h) δ(j)); "
          "going one layer further back, the single path becomes a sum over all paths through the next layer: BP2.");
  if (o.screen()) ImGui::Separator();
}

// The step's contents (and the one-neuron panel before it), to the screen, the transcript or
// the list of checks.
void step_contents(Out& o) {
  DerivationView& v = o.v;
  if (v.one_neuron && v.step <= 7) one_neuron_panel(o);
  switch (v.step) {
    case 1: step_definition(o); break;
    case 2: step_chain(o); break;
    case 3: step_jacobian(o); break;
    case 4: step_bp1(o); break;
    case 5: step_bp1a(o); break;
    case 6: step_cost(o); break;
    case 7: step_bp2(o); break;
    case 8: step_gradient(o); break;
    default: step_descent(o); break;
  }
}

}  // namespace

// [SECTION] Contract

namespace {

const Bug kBugs[] = {Bug::None, Bug::SigmaPrimeOfA, Bug::NoSigmaPrime, Bug::SigmaPrimeWithCrossEntropy, Bug::NoTransposeBP2};
const char* const kBugIds[] = {"none", "sigma-prime-of-a", "no-sigma-prime", "sigma-prime-with-cross-entropy", "no-transpose-bp2"};

// The step buttons and the step's title.
void step_bar(DerivationView& v) {
  const ImGuiStyle& style = ImGui::GetStyle();
  // For the page (the mirror): each button's name says what it does.
  auto name_last = [](mirror::Role role, std::string name, bool on = false) {
    mirror::Description d;
    d.role = role;
    d.name = std::move(name);
    d.on = on;
    ui::describe_last(std::move(d));
  };
  if (ImGui::ArrowButton("prev", ImGuiDir_Left) && v.step > 1) --v.step;
  name_last(mirror::Role::Button, "previous step");
  ImGui::SameLine();
  if (ImGui::ArrowButton("next", ImGuiDir_Right) && v.step < kSteps) ++v.step;
  name_last(mirror::Role::Button, "next step");
  for (int s = 1; s <= kSteps; ++s) {
    char id[8];
    std::snprintf(id, sizeof id, "%d", s);
    same_line_if_room(ImGui::CalcTextSize(id).x + style.FramePadding.x * 2);
    if (ui::ToggleButton(id, s == v.step)) v.step = s;
    name_last(mirror::Role::Toggle, "step " + std::string(id) + ": " + kStepTitles[s], s == v.step);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kStepTitles[s]);
  }
  char title[96];
  std::snprintf(title, sizeof title, "Step %d of %d: %s", v.step, kSteps, kStepTitles[v.step]);
  same_line_if_room(ImGui::CalcTextSize(title).x, 16);
  ImGui::TextWrapped("%s", title);
}

// A combo box of `options` (named by `name`) showing `value`: the index chosen, or -1.
template <typename T, size_t N, typename Name>
int choose(const char* label, T value, const T (&options)[N], Name name) {
  std::vector<std::string> names;
  int current = -1;
  for (size_t i = 0; i < N; ++i) {
    if (options[i] == value) current = int(i);
    names.emplace_back(name(options[i]));
  }
  return ui::Combo(label, &current, names) ? current : -1;
}

// The output neuron, y, cost, output activation, injected bug and one-neuron view.
void options(DerivationView& v) {
  const Numbers& n = v.n;
  if (v.step <= 6) {  // steps 7–9 do not follow an output neuron (step 7's j is a hidden one)
    int j = output_neuron(v);
    ImGui::SetNextItemWidth(110);
    if (ui::SliderInt("output neuron j", &j, 0, n.nL - 1)) v.neuron = j;
    same_line_if_room(labeled_width(60, "y (label)"));
  }
  ImGui::SetNextItemWidth(60);
  std::vector<std::string> digits;
  for (int k = 0; k < n.nL; ++k) digits.push_back(std::to_string(k));
  int y = n.label;
  if (ui::Combo("y (label)", &y, digits)) {
    v.learner_label = y;
    v.learner_label_for = n.input_key;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", std::strcmp(n.label_source, "prediction") == 0 ? "A drawing has no label: y is the net's prediction until you choose the digit you meant."
                            : std::strcmp(n.label_source, "learner") == 0 ? "Your choice of y for this digit."
                                                                          : "This MNIST digit's own label.");
  same_line_if_room(labeled_width(130, "cost"));
  ImGui::SetNextItemWidth(130);
  static constexpr Cost kCosts[] = {Cost::Quadratic, Cost::CrossEntropy, Cost::LogLikelihood};
  if (int c = choose("cost", n.net.cost, kCosts, [](Cost c) { return to_string(c); }); c >= 0) v.cost = kCosts[c];
  same_line_if_room(labeled_width(100, "output"));
  ImGui::SetNextItemWidth(100);
  static constexpr Activation kOutputs[] = {Activation::Sigmoid, Activation::Softmax};
  if (int a = choose("output", n.net.output, kOutputs, [](Activation a) { return to_string(a); }); a >= 0) v.output = kOutputs[a];
  same_line_if_room(labeled_width(220, "inject a classic bug"));
  // Narrower where even its own line is too short for it (a 320-pixel embed).
  ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - labeled_width(0, "inject a classic bug"), 100.0f, 220.0f));
  if (int b = choose("inject a classic bug", v.bug, kBugs, bug_name); b >= 0) v.bug = kBugs[b];
  same_line_if_room(labeled_width(ImGui::GetFrameHeight(), "one neuron per layer"));
  ImGui::Checkbox("one neuron per layer", &v.one_neuron);
}

// The gradient check of backprop (with the injected bug) as one line, or "" while it runs.
std::string gradient_check_line(const Numbers& n, bool* caught) {
  const Check& c = n.worst_w.infinite || n.worst_w.error >= n.worst_delta.error ? n.worst_w : n.worst_delta;
  *caught = !c.agree;
  if (c.infinite) return "cannot be made: the cost is infinite on this digit (a saturated output)";
  return "largest relative error " + m::format_number(c.error, 2) + " (of " + c.scale_name + ") — " +
         (c.agree ? "passes: on this net and cost the mistake changes nothing (try the cross-entropy cost, or a hidden layer)."
                  : "CAUGHT, backprop's gradient is wrong.");
}

// What differs from the model: another cost or output, another y, an injected bug and its check.
void notices(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  if (n.net.cost != n.model_cost || n.net.output != n.model_output) {
    const std::string s = std::string("This screen uses a copy of your network with the ") + to_string(n.net.cost) + " cost and a " +
                          to_string(n.net.output) + " output (same weights); your model is unchanged.";
    o.text(s, kBad);
    if (o.screen()) {
      same_line_if_room(ImGui::CalcTextSize("use the model's").x + ImGui::GetStyle().FramePadding.x * 2);
      if (ImGui::SmallButton("use the model's")) {
        v.cost.reset();
        v.output.reset();
      }
    }
  }
  if (std::strcmp(n.label_source, "prediction") == 0)
    o.text("y = " + str(n.label) + " is the net's own prediction: a drawing has no label. If you meant another digit, choose it as y above.",
           kBad);
  if (v.bug != Bug::None) {
    if (!weights_checked(n)) {
      o.dim(std::string("Injected bug: ") + bug_name(v.bug) + ". Gradient check of backprop against finite differences: checking…");
    } else {
      bool caught = false;
      const std::string line = gradient_check_line(n, &caught);
      o.text(std::string("Injected bug: ") + bug_name(v.bug) + ". Gradient check of backprop against finite differences: " + line,
             caught ? kBad : kMeasured);
    }
  }
}

json::Value finite(double x) { return std::isfinite(x) ? json::Value(x) : json::Value(); }

}  // namespace

void draw_derivation(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source,
                     uint64_t net_key) {
  update(v, net, x, label, source, ImGui::GetTime(), net_key);
  if (!v.n.valid) {
    ImGui::TextDisabled("The derivation needs a model and an input of the model's size.");
    return;
  }
  v.highlight = v.hover_next;  // what the mouse was on last frame: symbols and sketch light up together
  v.hover_next = -1;
  ImGui::PushID("derivation");
  Out o{Out::Screen, v};
  // The sketch beside the steps where both fit (narrowed a little so that step 3's grid fits
  // too); in a narrow frame (an embed) the steps take the whole width and the options and the
  // sketch fold into a header above them, closed at first.
  const float sketch_w = std::min(250.0f, ImGui::GetContentRegionAvail().x - 560);
  const bool wide = sketch_w >= 180;
  step_bar(v);
  if (wide) {
    options(v);
    notices(o);
  }
  ImGui::Separator();
  if (wide) {
    ImGui::BeginChild("sketch", ImVec2(sketch_w, 0), false);
    draw_sketch(v, sketch_w - 10, std::max(300.0f, ImGui::GetContentRegionAvail().y - 10));
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("content", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (!wide) {
    if (ImGui::CollapsingHeader("options and the net")) {
      options(v);
      draw_sketch(v, std::min(250.0f, ImGui::GetContentRegionAvail().x) - 10, 300);
    }
    notices(o);
  }
  step_contents(o);
  ImGui::Spacing();
  if (v.step > 1 && ImGui::Button("◀ previous")) --v.step;
  if (v.step > 1) ImGui::SameLine();
  if (v.step < kSteps && ImGui::Button("next ▶")) ++v.step;
  ImGui::EndChild();
  ImGui::PopID();
}

double derivation_gradient_check(DerivationView& v) {
  Numbers& n = v.n;
  if (!n.valid) return 0;
  queue_weights(n);
  advance(n, -1, 0);
  const Check& c = n.worst_w.infinite || n.worst_w.error >= n.worst_delta.error ? n.worst_w : n.worst_delta;
  return c.infinite ? INFINITY : c.error;
}

namespace {
json::Value check_json(const Check& c) {
  return json::Object{{"what", c.what},
                      {"shown", finite(c.shown)},
                      {"measured", finite(c.measured)},
                      {"error", finite(c.error)},
                      {"scale", finite(c.scale)},
                      {"agree", c.agree},
                      {"pending", c.pending}};
}
}  // namespace

json::Value derivation_state(const DerivationView& cv) {
  DerivationView& v = const_cast<DerivationView&>(cv);  // Out::Collect changes nothing
  const Numbers& n = v.n;
  json::Object o;
  o.emplace_back("step", v.step);
  o.emplace_back("layer", n.valid ? n.L : json::Value());
  o.emplace_back("neuron", output_neuron(v));
  const Cost cost = n.valid ? n.net.cost : v.cost.value_or(Cost::Quadratic);
  const Activation output = n.valid ? n.net.output : v.output.value_or(Activation::Sigmoid);
  o.emplace_back("cost", to_string(cost));
  o.emplace_back("output", to_string(output));
  o.emplace_back("label", n.valid ? json::Value(n.label) : json::Value());
  o.emplace_back("labelSource", n.valid ? json::Value(n.label_source) : json::Value());
  o.emplace_back("bug", kBugIds[int(v.bug)]);
  if (!n.valid) {
    o.emplace_back("values", json::Value());
    o.emplace_back("jacobian", json::Value());
    o.emplace_back("checks", json::Array{});
    o.emplace_back("one_neuron", json::Value());
    return o;
  }
  const int j = output_neuron(v);
  // delta_bp1: what backprop computes for δ^L_j: BP1's product for an elementwise output, the
  // sum Jᵀ∇C that replaces it for softmax (with the injected bug, if one is on).
  const double bp1 = n.tb.delta[n.last](j), def = n.delta_def[n.last](j);
  const Check c = delta_check(n, "", bp1, n.last, j);
  json::Object values;
  values.emplace_back("z", finite(n.t.z[n.last](j)));
  values.emplace_back("a", finite(n.t.a.back()(j)));
  values.emplace_back("y", finite(n.t.y(j)));
  values.emplace_back("dC_da", finite(n.t.dC_da(j)));
  values.emplace_back("sigma_prime", finite(sigma_prime_shown(v, j)));
  values.emplace_back("delta_bp1", finite(bp1));
  values.emplace_back("delta_definition", measured(n, n.last, j) ? finite(def) : json::Value());
  values.emplace_back("relative_error", finite(c.error));
  o.emplace_back("values", json::Value(std::move(values)));
  json::Array jac;
  for (int k = 0; k < n.nL; ++k) {
    json::Array row;
    for (int q = 0; q < n.nL; ++q) row.push_back(finite(n.jac(k, q)));
    jac.push_back(json::Value(std::move(row)));
  }
  o.emplace_back("jacobian", json::Value(std::move(jac)));
  // Step 8's check of one gradient of w^2 (or b^2) by finite differences, once it has been shown.
  const int rows = int(n.tb.nabla_w[0].rows()), cols = int(n.tb.nabla_w[0].cols());
  if (v.pick_j >= 0 && v.pick_j < rows && v.pick_k < cols && v.pick_key == pick_key_of(v)) {
    const double bp = v.pick_k >= 0 ? n.tb.nabla_w[0](v.pick_j, v.pick_k) : n.tb.nabla_b[0](v.pick_j);
    o.emplace_back("checked", json::Object{{"j", v.pick_j},
                                           {"k", v.pick_k >= 0 ? json::Value(v.pick_k) : json::Value()},
                                           {"backprop", finite(bp)},
                                           {"differences", finite(v.pick_fd)}});
  } else {
    o.emplace_back("checked", json::Value());
  }
  Out out{Out::Collect, v};
  step_contents(out);
  json::Array checks, products;
  for (const Check& k : out.checks) checks.push_back(check_json(k));
  for (const Product& p : out.products) {
    json::Array f;
    for (const std::string& s : p.factors) f.push_back(s);
    products.push_back(json::Object{{"factors", std::move(f)}, {"result", p.result}, {"digits", p.digits}});
  }
  o.emplace_back("checks", std::move(checks));
  o.emplace_back("products", std::move(products));
  if (v.one_neuron && n.last >= 1) {
    const OneNeuron r = one_neuron_numbers(v);
    o.emplace_back("one_neuron", json::Object{{"h", r.h},
                                              {"j", r.j},
                                              {"dz_dw", finite(r.dz_dw)},
                                              {"da_dz", finite(r.da_dz)},
                                              {"dC_da", finite(r.dC_da)},
                                              {"product", finite(r.product)},
                                              {"backprop", finite(r.backprop)},
                                              {"measured", finite(r.measured)},
                                              {"agree", r.agree}});
  } else {
    o.emplace_back("one_neuron", json::Value());
  }
  o.emplace_back("progress", json::Object{{"done", double(n.done)}, {"total", double(n.queue.size())}});
  if (!n.sweep_eta.empty()) {
    json::Array eta, right, bug;
    for (size_t k = 0; k < n.sweep_eta.size(); ++k) {
      eta.push_back(n.sweep_eta[k]);
      right.push_back(finite(n.sweep_right[k]));
      bug.push_back(finite(n.sweep_bug[k]));
    }
    o.emplace_back("sweep", json::Object{{"eta", std::move(eta)}, {"right", std::move(right)}, {"shown", std::move(bug)}});
  }
  return o;
}

std::string set_derivation(DerivationView& v, const json::Value& args) {
  if (!args.is_object()) return "setDerivation wants an object such as {step: 4, neuron: 7}";
  DerivationView next = v;  // validate everything before changing anything
  const int nL = v.n.valid ? v.n.nL : 10;
  auto integer = [](const json::Value& x, int lo, int hi, int& out) {
    if (!x.is_number()) return false;
    const double d = x.as_number();
    if (d != std::floor(d) || d < lo || d > hi) return false;
    out = int(d);
    return true;
  };
  for (const auto& [key, value] : args.as_object()) {
    if (key == "step") {
      if (!integer(value, 1, kSteps, next.step)) return "step: an integer from 1 to 9";
    } else if (key == "neuron") {
      if (!integer(value, 0, nL - 1, next.neuron)) return "neuron: an integer from 0 to " + std::to_string(nL - 1);
    } else if (key == "hidden") {
      if (!integer(value, 0, 1 << 20, next.hidden)) return "hidden: a neuron number of the last hidden layer";
    } else if (key == "label") {
      if (value.is_null()) {
        next.learner_label = -1;
      } else {
        if (!integer(value, 0, nL - 1, next.learner_label)) return "label: the digit y, an integer from 0 to " + std::to_string(nL - 1) + ", or null";
        next.learner_label_for = v.n.valid ? v.n.input_key : 0;  // 0: the next input shown
      }
    } else if (key == "cost") {
      Cost c;
      if (!value.is_string() || !parse(value.as_string(), c)) return "cost: \"quadratic\", \"cross-entropy\" or \"log-likelihood\"";
      next.cost = c;
    } else if (key == "output") {
      Activation a;
      if (!value.is_string() || !parse(value.as_string(), a) || (a != Activation::Sigmoid && a != Activation::Softmax))
        return "output: \"sigmoid\" or \"softmax\"";
      next.output = a;
    } else if (key == "bug") {
      bool found = false;
      for (int b = 0; b < 5; ++b)
        if (value.is_string() && value.as_string() == kBugIds[b]) next.bug = kBugs[b], found = true;
      if (!found) return "bug: one of none, sigma-prime-of-a, no-sigma-prime, sigma-prime-with-cross-entropy, no-transpose-bp2";
    } else if (key == "one_neuron") {
      if (!value.is_bool()) return "one_neuron: true or false";
      next.one_neuron = value.as_bool();
    } else if (key == "eta") {
      if (!value.is_number() || !(value.as_number() > 0 && value.as_number() <= 100)) return "eta: a learning rate in (0, 100]";
      next.eta = float(value.as_number());
    } else {
      return key + ": not a field of setDerivation (step, neuron, cost, output, hidden, bug, one_neuron, eta, label)";
    }
  }
  v = std::move(next);
  return "";
}

std::string derivation_transcript(const DerivationView& cv) {
  DerivationView& v = const_cast<DerivationView&>(cv);  // Out::Html changes nothing
  const Numbers& n = v.n;
  std::string h = "<h3>Derivation, step " + std::to_string(v.step) + " of 9: " + m::escape(kStepTitles[v.step]) + "</h3>";
  if (!n.valid) return h + "<p>No model or input yet.</p>";
  Out o{Out::Html, v};
  o.prose("Network of " + str(n.L) + " layers, cost " + to_string(n.net.cost) + ", output " + to_string(n.net.output) +
          (v.step <= 6 ? "; output neuron j = " + str(output_neuron(v)) : std::string()) + "; y = the one-hot vector of " + str(n.label) +
          " (" + label_source_words(n) + "); the net predicts " + str(n.prediction) + ".");
  notices(o);
  step_contents(o);
  return h + o.html;
}

}  // namespace bplab::app

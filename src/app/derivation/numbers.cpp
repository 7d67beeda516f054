// The derivation's numbers for one digit: backprop (and with the injected bug), the checks
// against finite differences, and the scheduler that measures them a slice at a time while
// drawing; update_derivation brings them up to date.
#include "app/derivation/view.hpp"
#include "app/hasher.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/gradcheck.hpp"

namespace bplab::app {

DerivationView* create_derivation() { return new DerivationView(); }

std::optional<Network<double>> take_applied_step(DerivationView& v, std::string* what) {
  std::optional<Network<double>> net;
  net.swap(v.applied);
  if (net && what) *what = v.applied_what;
  return net;
}
void set_derivation_model_info(DerivationView& v, DerivationModelInfo info) { v.model_info = std::move(info); }
bool take_undo_request(DerivationView& v) {
  const bool asked = v.undo_requested;
  v.undo_requested = false;
  return asked;
}
void destroy_derivation(DerivationView* view) {
  if (view && view->gradient_texture && view->texture) view->texture(view->gradient_texture, 0, 0, nullptr, false);
  delete view;
}
void set_derivation_textures(DerivationView& view, TextureMaker maker) { view.texture = std::move(maker); }

DerivationProgress derivation_progress(const DerivationView& v) {
  return {long(v.n.done), long(v.n.queue.size()), v.n.last_slice};
}

namespace derivation {

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

Check delta_check(const Numbers& n, std::string what, double shown_value, int i, int j) {
  if (!measured(n, i, j)) return pending_check(std::move(what), shown_value);
  return make_check(std::move(what), shown_value, n.delta_def[i](j), n.t.cost);
}

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

namespace {

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

}  // namespace

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

namespace {

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
  n.tb = backprop_with_bug(n.net, x, n.label, bug_of(v));
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
  n.valid = true;
}

// While the model or the digit changes every frame (training, drawing), the screen follows at
// most this often; a change of a toggle is shown at once.
constexpr double kMinSecondsBetweenUpdates = 0.25;

uint64_t input_key_of(const Vector<double>& x) {
  Hasher h;
  h.bytes(x.data(), sizeof(double) * size_t(x.size()));
  return h.h;
}

}  // namespace

void update(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source, double now,
            uint64_t net_key, double work) {
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
  if (bug_injected(v)) queue_weights(n);
  const double budget = now < 0 ? work : kDerivationWorkPerSlice;
  const Step& step = step_of(v);
  const double spent = step.prepare ? step.prepare(v, budget) : 0;
  advance(n, budget, spent);
}

void finish_gradient_check(Numbers& n) {
  queue_weights(n);
  advance(n, -1, 0);
}

}  // namespace derivation

void update_derivation(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source,
                       double work, uint64_t net_key) {
  derivation::update(v, net, x, label, source, -1.0, net_key, work);
}

}  // namespace bplab::app

#include "neuron.hpp"

#include <cmath>
#include <sstream>

#include "show.hpp"

namespace bplab {

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

NeuronPoint point(const NeuronRun& r, int epoch, double w, double b) {
  NeuronPoint p;
  p.epoch = epoch;
  p.w = w;
  p.b = b;
  p.a = sigmoid(w * r.x + b);
  p.sigma_prime = p.a * (1 - p.a);
  if (r.cost == Cost::Quadratic) {
    p.cost = (r.y - p.a) * (r.y - p.a) / 2;  // C = (y − a)²/2
  } else {
    // C = −[y ln a + (1 − y) ln(1 − a)]; a term whose factor is 0 is 0 (as network2.py's nan_to_num).
    p.cost = 0;
    if (r.y != 0) p.cost -= r.y * std::log(p.a);
    if (r.y != 1) p.cost -= (1 - r.y) * std::log(1 - p.a);
  }
  return p;
}

}  // namespace

std::string check_neuron_run(const NeuronRun& r) {
  if (r.cost != Cost::Quadratic && r.cost != Cost::CrossEntropy)
    return std::string("the single neuron's cost must be quadratic or cross-entropy, got ") + to_string(r.cost);
  if (!std::isfinite(r.w) || !std::isfinite(r.b) || !std::isfinite(r.x) || std::abs(r.w) > 1e6 ||
      std::abs(r.b) > 1e6 || std::abs(r.x) > 1e6)
    return "w, b and x must be numbers between -1e6 and 1e6";
  if (!std::isfinite(r.y) || r.y < 0 || r.y > 1) return "the target y must be a number from 0 to 1, got " + show(r.y);
  if (!std::isfinite(r.eta) || r.eta <= 0 || r.eta > 1e6)
    return "the learning rate eta must be a number > 0 and <= 1e6, got " + show(r.eta);
  if (r.epochs < 0 || r.epochs > kMaxNeuronEpochs)
    return "epochs must be between 0 and " + std::to_string(kMaxNeuronEpochs) + ", got " + std::to_string(r.epochs);
  return "";
}

std::vector<NeuronPoint> train_neuron(const NeuronRun& r) {
  std::vector<NeuronPoint> run;
  run.reserve(size_t(r.epochs) + 1);
  double w = r.w, b = r.b;
  run.push_back(point(r, 0, w, b));
  for (int e = 1; e <= r.epochs; ++e) {
    const NeuronPoint& p = run.back();
    // δ = ∂C/∂z: BP1 with one output neuron; σ′ cancels for the cross-entropy.
    const double delta = r.cost == Cost::Quadratic ? (p.a - r.y) * p.sigma_prime : p.a - r.y;
    w -= r.eta * r.x * delta;  // ∂C/∂w = x δ (BP4)
    b -= r.eta * delta;        // ∂C/∂b = δ (BP3)
    run.push_back(point(r, e, w, b));
  }
  return run;
}

}  // namespace bplab

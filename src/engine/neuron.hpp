// The book's single neuron of chapter 3 ("the cross-entropy cost function"): one sigmoid
// neuron with one input x, target y, trained by gradient descent on (w, b). With the quadratic
// cost its error carries the factor σ′(z), tiny when the neuron is saturated, so a badly wrong
// neuron learns slowly; with the cross-entropy σ′ cancels and it learns fastest when it is most
// wrong:
//
//   quadratic       C = (y − a)²/2                      δ = ∂C/∂z = (a − y) σ′(z)
//   cross-entropy   C = −[y ln a + (1 − y) ln(1 − a)]   δ = ∂C/∂z = a − y
//   ∂C/∂b = δ,  ∂C/∂w = x δ,  w ← w − η ∂C/∂w,  b ← b − η ∂C/∂b
#pragma once

#include <string>
#include <vector>

#include "types.hpp"

namespace bplab {

struct NeuronRun {
  double w = 2, b = 2;  // the start
  double eta = 0.15;
  int epochs = 300;
  Cost cost = Cost::Quadratic;
  double x = 1, y = 0;
};

// One point of the run: (w, b) after `epoch` steps (epoch 0 is the start), the output a = σ(wx + b),
// the cost, and σ′(z) = a(1 − a), the factor that the quadratic cost's gradient carries.
struct NeuronPoint {
  int epoch = 0;
  double w = 0, b = 0, a = 0, cost = 0, sigma_prime = 0;
};

constexpr int kMaxNeuronEpochs = 1'000'000;

// "" when the run makes sense, else what is wrong: the cost must be quadratic or cross-entropy,
// y in [0, 1], the numbers finite, η > 0, epochs in 0..kMaxNeuronEpochs.
std::string check_neuron_run(const NeuronRun& r);

// Epochs 0..r.epochs. r must pass check_neuron_run.
std::vector<NeuronPoint> train_neuron(const NeuronRun& r);

}  // namespace bplab

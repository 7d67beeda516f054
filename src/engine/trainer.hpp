// Stochastic gradient descent on mini-batches, in float, in slices.
//
// The whole mini-batch is one matrix (one example per column), the book's chapter 2
// exercise: the forward pass is one matrix product per layer, BP1 and BP2 act on whole
// matrices, and BP3/BP4 summed over the batch are applied to the weights in the same pass
// that computes them (kernels::fused_update), so ∂C/∂w is never stored.
//
// Training runs in slices — at most K mini-batches or T milliseconds, then it returns — so
// that an app can train inside its frame loop. A diverging run (a NaN or infinite cost)
// stops, says so, and keeps the last network that was finite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backprop.hpp"
#include "mnist.hpp"
#include "network.hpp"

namespace bplab {

// Examples as one column each, (dim × count) column-major, and their digits. The inputs are
// either floats (x) or image bytes (bytes, read as pixel_value(byte): MNIST as stored, a
// quarter of the memory); exactly one of the two is set.
struct DataView {
  const float* x = nullptr;
  const uint8_t* labels = nullptr;
  int count = 0;
  int dim = 0;
  const uint8_t* bytes = nullptr;
  // Examples [begin, begin + n), clipped to the view.
  DataView part(int begin, int n) const {
    DataView v = *this;
    begin = begin < 0 ? 0 : begin < count ? begin : count;
    if (x) v.x += std::ptrdiff_t(begin) * dim;
    if (bytes) v.bytes += std::ptrdiff_t(begin) * dim;
    v.labels += begin;
    v.count = n < count - begin ? (n < 0 ? 0 : n) : count - begin;
    return v;
  }
  // Example i's dim inputs: where they are (x), or made in `scratch` (dim floats; bytes).
  const float* example(int i, float* scratch) const;
};

// A data set as the trainer reads it: its image bytes, one example per column.
inline DataView view_of(const Dataset& d) {
  return {nullptr, d.labels.data(), d.size(), int(d.pixels.rows()), d.pixels.data()};
}

struct Hyperparameters {
  double eta = 3.0;        // learning rate η
  int batch = 10;          // mini-batch size m
  double lambda = 0.0;     // L2 regularisation λ (the book's λ/n scaling, n = training set size)
  double momentum = 0.0;   // μ; 0 is plain SGD
  OutputDelta output_delta = OutputDelta::Simplified;  // a − y where σ' cancels (network2.py)
};

// Limits on settings: enough for any sensible experiment, small enough to stay responsive.
constexpr double kMaxEta = 1e6;
constexpr int kMaxBatch = 60000;
// The largest counters a restored trainer state may hold (Trainer::restore): far past any real
// run (2^62 examples is a century at a billion a second), and far enough below the types'
// limits that training on cannot overflow them.
constexpr int kMaxEpochCounter = 1 << 30;
constexpr int64_t kMaxExamplesSeen = int64_t(1) << 62;

// An empty string when the settings make sense, else what is wrong ("η must be > 0, got -1").
std::string check_hyperparameters(const Hyperparameters& h);

// What one slice did.
struct SliceResult {
  int batches = 0;            // mini-batches trained in this slice
  bool epoch_finished = false;
  bool diverged = false;
};

struct Evaluation {
  int correct = 0;
  int total = 0;
  double mean_cost = 0;   // mean C_x over the examples (without the regularisation term)
  double accuracy() const { return total ? double(correct) / total : 0.0; }
};

// The net's answer for one example: the digit it picks (the largest output, the first of equal
// ones) and that output, its confidence.
struct Answer {
  int predicted = 0;
  float confidence = 0;
};

// Classification accuracy and mean cost of `net` on `data`; with `answers`, each example's
// answer appended to it too, in the data's order.
Evaluation evaluate(const Network<float>& net, DataView data, std::vector<Answer>* answers = nullptr);

class Trainer {
 public:
  // `net` must pass check_network, `h` check_hyperparameters, and data.dim == net.sizes[0].
  Trainer(Network<float> net, Hyperparameters h, DataView training, uint64_t seed);

  // Trains until `max_batches` mini-batches are done, `max_ms` milliseconds have passed
  // (by `clock`, checked after each mini-batch; ≤ 0 means no limit), or the epoch ends.
  SliceResult run(int max_batches, double max_ms = 0);
  // Milliseconds since any fixed time: the steady clock; tests give one of their own.
  std::function<double()> clock = steady_clock_ms;
  static double steady_clock_ms();
  // Trains to the end of the current epoch.
  SliceResult run_epoch() { return run(batches_per_epoch()); }

  const Network<float>& network() const { return net_; }
  const Hyperparameters& hyperparameters() const { return h_; }
  // Changes η, λ, μ or the batch size from the next mini-batch on.
  std::string set_hyperparameters(const Hyperparameters& h);

  int epoch() const { return epoch_; }                    // completed epochs
  int batch_in_epoch() const { return batch_in_epoch_; }  // mini-batches done in this epoch
  int batches_per_epoch() const { return (training_.count + h_.batch - 1) / h_.batch; }
  int64_t examples_seen() const { return examples_seen_; }
  double epoch_mean_cost() const { return epoch_examples_ ? epoch_cost_ / epoch_examples_ : 0.0; }
  double last_epoch_mean_cost() const { return last_epoch_cost_; }

  bool diverged() const { return !divergence_.empty(); }
  // When and where it started, and the likely cause: "training diverged in epoch 3, mini-batch
  // 120: the cost became infinite. It began in epoch 3, mini-batch 97: ‖δ^3‖ (layer 3 of 4) grew
  // 1000-fold ... (the learning rate eta = 40 is probably too large)".
  const std::string& divergence() const { return divergence_; }
  // The network at the start of the epoch in which training diverged (finite), or the current one.
  const Network<float>& last_finite_network() const { return diverged() ? snapshot_ : net_; }

  // The whole state — the net, the momentum, the hyperparameters, this epoch's shuffled order
  // and position, the random stream, the counters — as bytes (little-endian), so that training
  // can move to another thread or a Web Worker and back and go on exactly as if it had not moved.
  std::vector<uint8_t> save_state() const;
  // A trainer from save_state()'s bytes over `training`, which must be the data it was saved
  // with (only its size can be checked). Null, and *error says why, if the bytes are refused.
  static std::unique_ptr<Trainer> restore(const uint8_t* bytes, size_t size, DataView training, std::string* error);

  // One mini-batch with the given examples (column indices into the training data): the
  // building block of run(), public for tests and for the app's single step.
  void train_mini_batch(const int* indices, int m);

 private:
  Trainer() = default;
  void begin_epoch();
  std::string divergence_cause() const;
  std::string divergence_start() const;
  void watch_delta(int i, int m);
  void resize_buffers(int m);

  Network<float> net_, snapshot_;
  Hyperparameters h_;
  DataView training_;
  Rng rng_;
  std::vector<int> order_;
  int epoch_ = 0, batch_in_epoch_ = 0;
  int64_t examples_seen_ = 0;
  double epoch_cost_ = 0, last_epoch_cost_ = 0;
  int64_t epoch_examples_ = 0;
  std::string divergence_;
  // Where the errors first ran away: per layer, ‖δ^l‖ (the root mean square over the batch of
  // each example's ‖δ^{x,l}‖) at the first mini-batch this object trained, and the first
  // mini-batch where one was not finite or had grown kDeltaGrowth-fold. Diagnosis only, not in
  // the saved state: it starts again where a trainer is made or restored.
  std::vector<double> delta_first_;
  std::string delta_alarm_;
  // Mini-batch buffers, (n_l × m) column-major: A[i+1] = σ(Z[i]) (A[0] is unused: the input
  // layer is read from the training set through columns_[0]).
  std::vector<Batch<float>> A_, Z_, D_;
  std::vector<std::vector<const float*>> columns_;  // columns_[i][k]: example k's input to layer i+2
  std::vector<Matrix<float>> V_;       // momentum velocities of the weights
  std::vector<Vector<float>> Vb_;      // and of the biases
};

// The same mini-batch step written with plain Eigen matrix expressions and separate ∂C/∂w
// matrices: the reference the fused kernels are tested against (and a readable version).
void train_mini_batch_reference(Network<float>& net, const Hyperparameters& h, DataView training,
                                const int* indices, int m);

}  // namespace bplab

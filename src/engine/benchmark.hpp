// The benchmark: ONE run that every speed figure is measured with — `bplab bench`, the page's
// backpropLab.benchmark (web/bench.html) and the WebAssembly engine under Node (tests/wasm) —
// so that the figures in docs/performance.md compare.
//
// The run: a fresh [784, 30, 10] net (scaled init, seed 1), sigmoid, cross-entropy, η = 0.1,
// mini-batches of 10, epochs over the first 50,000 MNIST training images (as bytes, like the
// app), then evaluate() over them (what the app does after every epoch for its curves). Timings
// are figures to report, never something a test asserts.
#pragma once

#include <functional>
#include <vector>

#include "trainer.hpp"

namespace bplab {

struct BenchmarkRun {
  std::vector<int> sizes = {784, 30, 10};
  int batch = 10;
  double eta = 0.1;  // small enough that no sizes diverge in a few epochs
  Cost cost = Cost::CrossEntropy;
  Init init = Init::Scaled;
  uint64_t seed = 1;
  int epochs = 3;
};

constexpr int kBenchmarkExamples = 50000;

struct BenchmarkResult {
  std::vector<double> seconds_per_epoch;  // in the order run
  double best_seconds = 0, median_seconds = 0;
  int examples = 0;                    // per epoch
  double flops_per_example = 0;        // multiply-adds × 2: forward, BP2 (not the first layer), update
  double evaluation_seconds = 0;       // best evaluate() over the same examples
  Evaluation evaluation;               // of the trained net on the same examples
  Network<float> network;              // the trained net (to evaluate it elsewhere)
};

// Runs `run` over `data` (its first kBenchmarkExamples examples; data.dim must be sizes[0]).
// `clock` gives milliseconds (Trainer::steady_clock_ms; tests give their own).
BenchmarkResult benchmark(const BenchmarkRun& run, DataView data,
                          const std::function<double()>& clock = Trainer::steady_clock_ms);

// Random pixels with MNIST's sparsity (80% zero) and random labels, for sizes that do not fit
// MNIST: the time per epoch hardly depends on the values. `bytes` and `labels` hold the data.
DataView random_benchmark_data(int dim, int classes, int count, std::vector<uint8_t>& bytes,
                               std::vector<uint8_t>& labels);

}  // namespace bplab

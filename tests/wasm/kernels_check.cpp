// The engine's WebAssembly SIMD kernels against plain Eigen, compiled with em++ -msimd128
// and run under Node (tests/wasm/run.sh). GoogleTest is not built for WebAssembly here, so
// this is a small self-checking program: it prints each check and "N passed, M failed".
//
//   node kernels_check.js          the checks
//   node kernels_check.js bench [MNIST_DIR]   the engine's benchmark run (benchmark.hpp)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "engine/benchmark.hpp"
#include "engine/kernels.hpp"
#include "engine/mnist.hpp"
#include "engine/trainer.hpp"

using namespace bplab;

namespace {

int passed = 0, failed = 0;

void check(bool ok, const std::string& what, double value) {
  std::printf("%s %s (%.3g)\n", ok ? "ok  " : "FAIL", what.c_str(), value);
  (ok ? passed : failed)++;
}

Batch<float> random_batch(int rows, int cols, Rng& rng) {
  Batch<float> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.uniform() - 0.3);
  return m;
}

std::vector<const float*> columns(const Batch<float>& X) {
  std::vector<const float*> p;
  for (Eigen::Index k = 0; k < X.cols(); ++k) p.push_back(X.data() + k * X.rows());
  return p;
}

void kernels_against_eigen() {
  Rng rng(1);
  for (auto [rows, cols, m] : std::vector<std::tuple<int, int, int>>{
           {1, 1, 1}, {3, 5, 2}, {30, 784, 10}, {10, 30, 10}, {7, 17, 3}, {70, 20, 3}, {5, 33, 65}}) {
    const std::string shape = std::to_string(rows) + "x" + std::to_string(cols) + " m=" + std::to_string(m);
    Matrix<float> W = random_batch(rows, cols, rng);
    Vector<float> b = random_batch(rows, 1, rng);
    const Batch<float> X = random_batch(cols, m, rng), D = random_batch(rows, m, rng);
    const float tol = 1e-5f * float(cols + m);

    Batch<float> Z(rows, m);
    kernels::weighted_input(W.data(), b.data(), rows, cols, columns(X).data(), m, Z.data());
    const double e1 = (Z - ((W * X).colwise() + b)).cwiseAbs().maxCoeff();
    check(e1 < tol, "weighted_input " + shape, e1);

    Batch<float> out(cols, m);
    kernels::transpose_times(W.data(), rows, cols, D.data(), m, out.data());
    const double e2 = (out - W.transpose() * D).cwiseAbs().maxCoeff();
    check(e2 < tol, "transpose_times " + shape, e2);

    const Matrix<float> W_expected = 0.99f * W - 0.1f * D * X.transpose();
    const Vector<float> b_expected = b - 0.1f * D.rowwise().sum();
    kernels::fused_update(W.data(), b.data(), rows, cols, D.data(), columns(X).data(), m, 0.99f, -0.1f);
    const double e3 = std::max((W - W_expected).cwiseAbs().maxCoeff(), (b - b_expected).cwiseAbs().maxCoeff());
    check(e3 < tol, "fused_update " + shape, e3);
  }
}

void training_step_against_reference() {
  Rng rng(2);
  const int n = 200, dim = 50;
  Batch<float> x = random_batch(dim, n, rng);
  std::vector<uint8_t> labels(n);
  for (auto& l : labels) l = uint8_t(rng.below(10));
  Network<float> net = make_network<float>({dim, 20, 15, 10}, Init::Scaled, 3);
  net.cost = Cost::CrossEntropy;
  Hyperparameters h;
  h.eta = 0.5;
  h.lambda = 1.0;
  const DataView data{x.data(), labels.data(), n, dim};
  std::vector<int> idx = {5, 17, 3, 199, 0, 42, 42, 100, 150, 7, 8};
  Trainer t(net, h, data, 0);
  t.train_mini_batch(idx.data(), int(idx.size()));
  train_mini_batch_reference(net, h, data, idx.data(), int(idx.size()));
  double e = 0;
  for (size_t i = 0; i < net.weights.size(); ++i)
    e = std::max(e, double((t.network().weights[i] - net.weights[i]).cwiseAbs().maxCoeff()));
  check(e < 1e-5, "mini-batch step: fused kernels vs Eigen reference", e);
}

// The engine's benchmark run (benchmark.hpp), as `bplab bench` and the page time it, over
// MNIST from the host's files (-sNODERAWFS) when `data_dir` has them.
void bench(const char* data_dir) {
  std::string error;
  Mnist m = load_mnist(data_dir, &error, kBenchmarkExamples, 0, 0);
  std::vector<uint8_t> bytes, labels;
  const bool real = error.empty();
  const BenchmarkRun run;
  const DataView data = real ? view_of(m.training)
                             : random_benchmark_data(784, 10, kBenchmarkExamples, bytes, labels);
  const BenchmarkResult r = benchmark(run, data);
  std::printf("wasm (%s kernels): [784,30,10], batch %d, eta %g, %d %s examples: %.3f s per epoch (best of %d)\n",
              kernels::implementation(), run.batch, run.eta, r.examples, real ? "MNIST" : "random", r.best_seconds,
              run.epochs);
  std::printf("evaluate(): %.0f examples/s\n", r.examples / r.evaluation_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "bench") == 0) return bench(argc > 2 ? argv[2] : ""), 0;
  std::printf("kernels: %s\n", kernels::implementation());
  check(std::strcmp(kernels::implementation(), "wasm-simd128") == 0, "built with WebAssembly SIMD", 0);
  kernels_against_eigen();
  training_step_against_reference();
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

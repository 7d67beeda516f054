// The benchmark run (see benchmark.hpp).
#include "benchmark.hpp"

#include <algorithm>

#include "rng.hpp"

namespace bplab {

BenchmarkResult benchmark(const BenchmarkRun& run, DataView data, const std::function<double()>& clock) {
  BenchmarkResult r;
  const DataView all = data.part(0, kBenchmarkExamples);
  r.examples = all.count;
  for (size_t i = 1; i < run.sizes.size(); ++i) {
    const double macs = double(run.sizes[i]) * run.sizes[i - 1];
    r.flops_per_example += 2 * macs * (i == 1 ? 2 : 3);
  }
  Network<float> net = make_network<float>(run.sizes, run.init, run.seed);
  net.cost = run.cost;
  Hyperparameters h;
  h.eta = run.eta;
  h.batch = run.batch;
  Trainer trainer(net, h, all, run.seed);
  for (int e = 0; e < run.epochs; ++e) {
    const double start = clock();
    trainer.run_epoch();
    r.seconds_per_epoch.push_back((clock() - start) / 1000.0);
  }
  std::vector<double> sorted = r.seconds_per_epoch;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty()) r.best_seconds = sorted.front(), r.median_seconds = sorted[sorted.size() / 2];
  r.evaluation_seconds = 1e300;
  for (int e = 0; e < std::max(1, run.epochs); ++e) {
    const double start = clock();
    r.evaluation = evaluate(trainer.network(), all);
    r.evaluation_seconds = std::min(r.evaluation_seconds, (clock() - start) / 1000.0);
  }
  r.network = trainer.network();
  return r;
}

DataView random_benchmark_data(int dim, int classes, int count, std::vector<uint8_t>& bytes,
                               std::vector<uint8_t>& labels) {
  Rng rng(1);
  bytes.resize(size_t(dim) * size_t(count));
  for (uint8_t& b : bytes) b = rng.uniform() < 0.8 ? 0 : uint8_t(1 + rng.below(255));
  labels.resize(size_t(count));
  for (uint8_t& l : labels) l = uint8_t(rng.below(uint32_t(classes)));
  return {nullptr, labels.data(), count, dim, bytes.data()};
}

}  // namespace bplab

// The one benchmark run (benchmark.hpp) that bplab bench, the page's backpropLab.benchmark and
// tests/wasm time: what it trains and counts, on a clock of the test's own (timings are figures
// for docs/performance.md, never asserted).
#include <gtest/gtest.h>

#include <vector>

#include "engine/benchmark.hpp"

namespace bplab {
namespace {

TEST(Benchmark, TrainsTheRunsNetAndTimesEachEpochOnTheGivenClock) {
  std::vector<uint8_t> bytes, labels;
  const DataView data = random_benchmark_data(784, 10, 600, bytes, labels);
  EXPECT_EQ(data.count, 600);
  BenchmarkRun run;
  run.epochs = 2;
  double now = 0;
  const BenchmarkResult r = benchmark(run, data, [&now] { return now += 250; });  // 250 ms a reading
  EXPECT_EQ(r.examples, 600);
  ASSERT_EQ(r.seconds_per_epoch.size(), 2u);
  EXPECT_DOUBLE_EQ(r.seconds_per_epoch[0], 0.25);
  EXPECT_DOUBLE_EQ(r.best_seconds, 0.25);
  EXPECT_EQ(r.evaluation.total, 600);
  // [784,30,10]: 2·(784·30·2 + 30·10·3) flops an example.
  EXPECT_DOUBLE_EQ(r.flops_per_example, 2.0 * (784 * 30 * 2 + 30 * 10 * 3));

  // The same run is the same training: the trained net is that of a Trainer set up as the run says.
  Network<float> net = make_network<float>(run.sizes, run.init, run.seed);
  net.cost = run.cost;
  Hyperparameters h;
  h.eta = run.eta;
  h.batch = run.batch;
  Trainer t(net, h, data, run.seed);
  t.run_epoch();
  t.run_epoch();
  EXPECT_EQ(r.network.weights[0], t.network().weights[0]);
  EXPECT_EQ(r.network.biases[1], t.network().biases[1]);
  EXPECT_EQ(run.sizes, (std::vector<int>{784, 30, 10}));
  EXPECT_EQ(run.cost, Cost::CrossEntropy);
}

}  // namespace
}  // namespace bplab

// Mini-batch training: the matrix path against per-example backprop, determinism, learning,
// divergence.
#include <gtest/gtest.h>

#include "engine/backprop.hpp"
#include "engine/trainer.hpp"

namespace bplab {
namespace {

// A small classification problem: `classes` random prototypes in [0,1]^dim, examples are
// prototypes plus noise. Separable enough that a small net should learn it well.
struct Toy {
  std::vector<float> x;
  std::vector<uint8_t> labels;
  int dim = 0;
  DataView view() const { return {x.data(), labels.data(), int(labels.size()), dim}; }
};

Toy make_toy(int n, int dim, int classes, uint64_t seed, double noise = 0.15) {
  Rng proto_rng(999);
  std::vector<std::vector<double>> prototypes(classes, std::vector<double>(dim));
  for (auto& p : prototypes)
    for (double& v : p) v = proto_rng.uniform() < 0.5 ? 0.1 : 0.9;
  Rng rng(seed);
  Toy t;
  t.dim = dim;
  for (int e = 0; e < n; ++e) {
    const int c = int(rng.below(classes));
    t.labels.push_back(uint8_t(c));
    for (int i = 0; i < dim; ++i) t.x.push_back(float(prototypes[c][i] + noise * rng.normal()));
  }
  return t;
}

Network<float> toy_net(std::vector<int> sizes, Cost cost, Activation output, Activation hidden = Activation::Sigmoid) {
  Network<float> net = make_network<float>(sizes, Init::Scaled, 42);
  net.cost = cost;
  net.output = output;
  net.hidden = hidden;
  return net;
}

TEST(MiniBatch, EqualsTheSumOfPerExampleGradients) {
  const Toy toy = make_toy(40, 12, 5, 1);
  struct Case { Cost cost; Activation output; OutputDelta rule; double lambda; };
  for (Case c : {Case{Cost::Quadratic, Activation::Sigmoid, OutputDelta::Literal, 0.0},
                 Case{Cost::CrossEntropy, Activation::Sigmoid, OutputDelta::Simplified, 2.0},
                 Case{Cost::CrossEntropy, Activation::Sigmoid, OutputDelta::Literal, 0.0},
                 Case{Cost::LogLikelihood, Activation::Softmax, OutputDelta::Simplified, 0.0},
                 Case{Cost::Quadratic, Activation::Softmax, OutputDelta::Literal, 1.0}}) {
    const Network<float> start = toy_net({12, 9, 7, 5}, c.cost, c.output);
    Hyperparameters h;
    h.eta = 3.0;
    h.batch = 13;
    h.lambda = c.lambda;
    h.output_delta = c.rule;
    std::vector<int> indices = {3, 17, 0, 39, 21, 5, 5, 8, 30, 11, 2, 19, 27};

    // The expected step, from one double-precision trace per example.
    Network<double> expected = start.cast<double>();
    const double m = double(indices.size()), n = double(toy.labels.size());
    std::vector<Matrix<double>> sum_w;
    std::vector<Vector<double>> sum_b;
    for (size_t i = 0; i < expected.weights.size(); ++i) {
      sum_w.push_back(Matrix<double>::Zero(expected.weights[i].rows(), expected.weights[i].cols()));
      sum_b.push_back(Vector<double>::Zero(expected.biases[i].size()));
    }
    for (int idx : indices) {
      const Vector<double> x = Eigen::Map<const Vector<float>>(toy.x.data() + idx * toy.dim, toy.dim).cast<double>();
      const Trace<double> t = backprop(expected, x, toy.labels[idx], c.rule);
      for (size_t i = 0; i < sum_w.size(); ++i) sum_w[i] += t.nabla_w[i], sum_b[i] += t.nabla_b[i];
    }
    for (size_t i = 0; i < sum_w.size(); ++i) {
      expected.weights[i] = (1 - h.eta * h.lambda / n) * expected.weights[i] - (h.eta / m) * sum_w[i];
      expected.biases[i] -= (h.eta / m) * sum_b[i];
    }

    Trainer trainer(start, h, toy.view(), 0);
    trainer.train_mini_batch(indices.data(), int(indices.size()));
    Network<float> reference = start;
    train_mini_batch_reference(reference, h, toy.view(), indices.data(), int(indices.size()));
    for (size_t i = 0; i < sum_w.size(); ++i) {
      const Matrix<double> fused = trainer.network().weights[i].cast<double>();
      EXPECT_LT((fused - expected.weights[i]).cwiseAbs().maxCoeff(), 2e-5) << to_string(c.cost) << " layer " << i + 2;
      EXPECT_LT((reference.weights[i].cast<double>() - expected.weights[i]).cwiseAbs().maxCoeff(), 2e-5);
      EXPECT_LT((trainer.network().biases[i].cast<double>() - expected.biases[i]).cwiseAbs().maxCoeff(), 2e-5);
      // The step must actually move the weights, or the comparison above proves nothing.
      EXPECT_GT((expected.weights[i] - start.weights[i].cast<double>()).cwiseAbs().maxCoeff(), 1e-3);
    }
  }
}

TEST(Training, SameSeedSameResult) {
  const Toy toy = make_toy(300, 10, 4, 2);
  Hyperparameters h;
  h.batch = 7;
  auto train = [&](uint64_t seed) {
    Trainer t(toy_net({10, 8, 4}, Cost::Quadratic, Activation::Sigmoid), h, toy.view(), seed);
    t.run(1000000);
    t.run(1000000);
    return t.network();
  };
  const Network<float> a = train(5), b = train(5), c = train(6);
  for (size_t i = 0; i < a.weights.size(); ++i) {
    EXPECT_EQ(a.weights[i], b.weights[i]);
    EXPECT_EQ(a.biases[i], b.biases[i]);
  }
  EXPECT_NE(a.weights[0], c.weights[0]) << "a different seed should shuffle differently";
}

TEST(Training, InitialisationIsDeterministicAndScaled) {
  const Network<double> a = make_network<double>({400, 50, 10}, Init::Scaled, 3);
  const Network<double> b = make_network<double>({400, 50, 10}, Init::Scaled, 3);
  const Network<double> large = make_network<double>({400, 50, 10}, Init::Large, 3);
  EXPECT_EQ(a.weights[0], b.weights[0]);
  const double sd_scaled = std::sqrt(a.weights[0].squaredNorm() / double(a.weights[0].size()));
  const double sd_large = std::sqrt(large.weights[0].squaredNorm() / double(large.weights[0].size()));
  EXPECT_NEAR(sd_scaled, 1.0 / std::sqrt(400.0), 0.005);
  EXPECT_NEAR(sd_large, 1.0, 0.02);
}

TEST(Training, ASmallNetLearnsASmallProblem) {
  const Toy train_set = make_toy(2000, 16, 6, 3), test_set = make_toy(500, 16, 6, 4);
  for (Cost cost : {Cost::Quadratic, Cost::CrossEntropy, Cost::LogLikelihood}) {
    const Activation output = cost == Cost::LogLikelihood ? Activation::Softmax : Activation::Sigmoid;
    Hyperparameters h;
    h.eta = cost == Cost::Quadratic ? 3.0 : 0.5;
    h.batch = 10;
    Trainer t(toy_net({16, 12, 6}, cost, output), h, train_set.view(), 1);
    const double before = evaluate(t.network(), test_set.view()).accuracy();
    for (int e = 0; e < 10; ++e) t.run_epoch();
    EXPECT_EQ(t.epoch(), 10);
    const Evaluation after = evaluate(t.network(), test_set.view());
    EXPECT_GE(after.accuracy(), 0.95) << to_string(cost) << " (before: " << before << ")";
    EXPECT_LT(t.last_epoch_mean_cost(), 0.5);
  }
}

TEST(Training, MomentumAndTanhAndReluLearnToo) {
  const Toy train_set = make_toy(2000, 16, 6, 5), test_set = make_toy(500, 16, 6, 6);
  for (Activation hidden : {Activation::Tanh, Activation::ReLU}) {
    Hyperparameters h;
    h.eta = 0.05;
    h.momentum = 0.9;
    Trainer t(toy_net({16, 12, 6}, Cost::LogLikelihood, Activation::Softmax, hidden), h, train_set.view(), 2);
    for (int e = 0; e < 5; ++e) t.run_epoch();
    EXPECT_GE(evaluate(t.network(), test_set.view()).accuracy(), 0.95) << to_string(hidden);
  }
}

TEST(Training, SlicesStopAtTheirBudget) {
  const Toy toy = make_toy(1000, 10, 4, 7);
  Hyperparameters h;
  h.batch = 10;
  Trainer t(toy_net({10, 8, 4}, Cost::Quadratic, Activation::Sigmoid), h, toy.view(), 0);
  SliceResult r = t.run(7);
  EXPECT_EQ(r.batches, 7);
  EXPECT_FALSE(r.epoch_finished);
  EXPECT_EQ(t.batch_in_epoch(), 7);
  EXPECT_EQ(t.examples_seen(), 70);
  r = t.run(1000);  // stops at the end of the epoch
  EXPECT_EQ(r.batches, 93);
  EXPECT_TRUE(r.epoch_finished);
  EXPECT_EQ(t.epoch(), 1);
  EXPECT_EQ(t.batch_in_epoch(), 0);
}

TEST(Training, AHugeLearningRateStopsWithAMessageAndKeepsAFiniteNetwork) {
  const Toy toy = make_toy(500, 10, 4, 8);
  Hyperparameters h;
  h.eta = 1e6;
  Trainer t(toy_net({10, 30, 4}, Cost::LogLikelihood, Activation::Softmax, Activation::ReLU), h, toy.view(), 0);
  for (int i = 0; i < 20 && !t.diverged(); ++i) t.run(1000);
  ASSERT_TRUE(t.diverged());
  EXPECT_NE(t.divergence().find("diverged"), std::string::npos);
  EXPECT_EQ(check_network(t.last_finite_network()), "");
  const SliceResult r = t.run(10);
  EXPECT_TRUE(r.diverged);
  EXPECT_EQ(r.batches, 0);
}

TEST(Hyperparameters, AbsurdValuesAreRefused) {
  Hyperparameters h;
  EXPECT_EQ(check_hyperparameters(h), "");
  h.eta = 0;
  EXPECT_NE(check_hyperparameters(h), "");
  h.eta = -1;
  EXPECT_NE(check_hyperparameters(h), "");
  h.eta = std::nan("");
  EXPECT_NE(check_hyperparameters(h), "");
  h = Hyperparameters();
  h.batch = 0;
  EXPECT_NE(check_hyperparameters(h), "");
  h = Hyperparameters();
  h.lambda = -1;
  EXPECT_NE(check_hyperparameters(h), "");
  h = Hyperparameters();
  h.momentum = 1;
  EXPECT_NE(check_hyperparameters(h), "");
}

TEST(Sizes, AbsurdNetsAreRefused) {
  EXPECT_EQ(check_sizes({784, 30, 10}), "");
  EXPECT_NE(check_sizes({784}), "");
  EXPECT_NE(check_sizes({}), "");
  EXPECT_NE(check_sizes({784, 0, 10}), "");
  EXPECT_NE(check_sizes({784, -3, 10}), "");
  EXPECT_NE(check_sizes({784, 100000, 1000}), "");
  EXPECT_NE(check_sizes({2000000000, 2000000000, 10}), "");
}

}  // namespace
}  // namespace bplab

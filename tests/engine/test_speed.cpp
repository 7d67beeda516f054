// Chapter 5's speed of learning (speed.hpp), chapter 3's single neuron (neuron.hpp), and where a
// diverging run says it began (trainer.hpp).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/backprop.hpp"
#include "engine/neuron.hpp"
#include "engine/speed.hpp"
#include "engine/trainer.hpp"

namespace bplab {
namespace {

struct Data {
  std::vector<float> x;
  std::vector<uint8_t> bytes, labels;
  int dim = 0;
  DataView floats() const { return {x.data(), labels.data(), int(labels.size()), dim}; }
  DataView images() const { return {nullptr, labels.data(), int(labels.size()), dim, bytes.data()}; }
};

// n random "images" of dim pixels: bytes, and the same as floats (pixel_value), labels 0..classes-1.
Data random_data(int n, int dim, int classes, uint64_t seed) {
  Rng rng(seed);
  Data d;
  d.dim = dim;
  for (int e = 0; e < n; ++e) {
    d.labels.push_back(uint8_t(rng.below(classes)));
    for (int i = 0; i < dim; ++i) {
      const uint8_t b = rng.uniform() < 0.6 ? 0 : uint8_t(rng.below(256));
      d.bytes.push_back(b);
      d.x.push_back(pixel_value(b));
    }
  }
  return d;
}

Network<double> net_of(std::vector<int> sizes, Cost cost, Activation output, Activation hidden, uint64_t seed) {
  Network<double> net = make_network<double>(sizes, Init::Scaled, seed);
  net.cost = cost;
  net.output = output;
  net.hidden = hidden;
  return net;
}

TEST(SpeedOfLearning, IsTheNormOfTheMeanBiasGradientOfEachHiddenLayer) {
  const Data d = random_data(60, 20, 5, 1);
  struct Case { Cost cost; Activation output, hidden; };
  for (Case c : {Case{Cost::CrossEntropy, Activation::Sigmoid, Activation::Sigmoid},
                 Case{Cost::Quadratic, Activation::Sigmoid, Activation::Sigmoid},
                 Case{Cost::LogLikelihood, Activation::Softmax, Activation::ReLU},
                 Case{Cost::Quadratic, Activation::Softmax, Activation::Tanh}}) {
    const Network<double> net = net_of({20, 9, 8, 7, 5}, c.cost, c.output, c.hidden, 3);
    // BP3 per example with network2.py's δ^L (backprop.hpp), summed, averaged, normed.
    std::vector<Vector<double>> sum;
    for (int k = 0; k < 50; ++k) {
      const Vector<double> x = Eigen::Map<const Vector<float>>(d.x.data() + k * 20, 20).cast<double>();
      const Trace<double> t = backprop(net, x, d.labels[size_t(k)], book_output_delta(net.cost, net.output));
      if (sum.empty()) sum = t.nabla_b;
      else for (size_t l = 0; l < sum.size(); ++l) sum[l] += t.nabla_b[l];
    }
    const std::vector<double> s = speed_of_learning(net, d.floats(), 50);
    ASSERT_EQ(s.size(), 3u);
    for (size_t l = 0; l < 3; ++l) EXPECT_NEAR(s[l], (sum[l] / 50).norm(), 1e-14) << to_string(c.cost) << " layer " << l + 2;
    // Image bytes read as byte / 255 in double: within float rounding of the float inputs.
    const std::vector<double> from_bytes = speed_of_learning(net, d.images(), 50);
    for (size_t l = 0; l < 3; ++l) EXPECT_NEAR(from_bytes[l], s[l], 1e-6 * s[l]);
  }
}

TEST(SpeedOfLearning, ChunksAddUpToTheSameNumbers) {
  const Data d = random_data(130, 16, 10, 2);
  const Network<double> net = net_of({16, 12, 12, 10}, Cost::CrossEntropy, Activation::Sigmoid, Activation::Sigmoid, 4);
  const std::vector<double> whole = speed_of_learning(net, d.images(), 120);
  SpeedOfLearning s(net, d.images(), 120);
  int calls = 0;
  while (!s.add(7)) ++calls;
  EXPECT_EQ(calls, 120 / 7);  // 17 calls of 7, then the 18th finishes
  EXPECT_EQ(s.position(), 120);
  for (size_t l = 0; l < whole.size(); ++l) EXPECT_NEAR(s.speeds()[l], whole[l], 1e-15);
  // n is capped at the data, and a net without hidden layers has no speeds.
  EXPECT_EQ(SpeedOfLearning(net, d.images(), 1000).examples(), 130);
  EXPECT_TRUE(speed_of_learning(net_of({16, 10}, Cost::Quadratic, Activation::Sigmoid, Activation::Sigmoid, 1),
                                d.images(), 10).empty());
  EXPECT_EQ(speed_work_per_example({784, 30, 30, 10}), 784 * 30 + 30 * 30 + 300 + 30 * 30 + 300);
}

// A float net (the app's) is made double one layer per add(), then the examples follow: the
// same numbers as the double copy made at once.
TEST(SpeedOfLearning, AFloatNetIsMadeDoubleALayerACall) {
  const Data d = random_data(130, 16, 10, 3);
  const Network<float> net = net_of({16, 12, 12, 10}, Cost::Quadratic, Activation::Sigmoid, Activation::Sigmoid, 5).cast<float>();
  const std::vector<double> whole = speed_of_learning(net.cast<double>(), d.images(), 120);
  SpeedOfLearning s(net, d.images(), 120);
  EXPECT_EQ(s.sizes(), net.sizes);
  int calls = 0;
  while (!s.add(7)) {
    ++calls;
    if (calls <= 3) EXPECT_EQ(s.position(), 0) << "call " << calls << " makes layer " << calls << " double";
  }
  EXPECT_EQ(calls, 3 + 120 / 7);
  EXPECT_EQ(s.position(), 120);
  ASSERT_EQ(s.speeds().size(), whole.size());
  for (size_t l = 0; l < whole.size(); ++l) EXPECT_NEAR(s.speeds()[l], whole[l], 1e-15);  // sums in other chunks
}

TEST(Neuron, FollowsChapterThreesDefinitions) {
  NeuronRun r;  // (2, 2), eta 0.15, x 1, y 0
  for (Cost cost : {Cost::Quadratic, Cost::CrossEntropy}) {
    r.cost = cost;
    r.epochs = 300;
    ASSERT_EQ(check_neuron_run(r), "");
    const std::vector<NeuronPoint> run = train_neuron(r);
    ASSERT_EQ(run.size(), 301u);
    double w = 2, b = 2;
    for (const NeuronPoint& p : run) {
      const double a = 1 / (1 + std::exp(-(w + b)));
      EXPECT_NEAR(p.w, w, 1e-13);
      EXPECT_NEAR(p.a, a, 1e-15);
      EXPECT_NEAR(p.sigma_prime, a * (1 - a), 1e-15);
      EXPECT_NEAR(p.cost, cost == Cost::Quadratic ? a * a / 2 : -std::log(1 - a), 1e-15);
      const double delta = cost == Cost::Quadratic ? a * a * (1 - a) : a;  // (a − y) σ′ or a − y, y = 0
      w -= 0.15 * delta, b -= 0.15 * delta;
    }
    // The book: after 100 epochs the quadratic neuron still says 0.96, the cross-entropy one 0.04.
    EXPECT_NEAR(run[100].a, cost == Cost::Quadratic ? 0.96 : 0.04, 0.006);
  }
  r.cost = Cost::LogLikelihood;
  EXPECT_NE(check_neuron_run(r), "");
  r.cost = Cost::Quadratic;
  r.y = 1.5;
  EXPECT_NE(check_neuron_run(r).find("y"), std::string::npos);
  r.y = 0, r.eta = -1;
  EXPECT_NE(check_neuron_run(r).find("eta"), std::string::npos);
  r.eta = 0.1, r.w = NAN;
  EXPECT_NE(check_neuron_run(r), "");
}

// A ReLU net with a large η: the errors δ of the hidden layers run away before the cost is NaN;
// the message names the epoch, the mini-batch and the layer where it began, and the likely cause.
// Where a diverging run says it began, and the likely cause. In these nets the errors δ do not
// run away first (the output saturates, or a weighted input overflows, before any ‖δ^l‖ grows a
// hundred-fold); the message says so and names what did.
TEST(Divergence, SaysWhenWhereAndWhy) {
  const Data d = random_data(400, 16, 4, 5);
  Hyperparameters h;
  h.eta = 30;
  Network<float> net = make_network<float>({16, 20, 20, 20, 4}, Init::Scaled, 1);
  net.cost = Cost::CrossEntropy;
  Trainer t(net, h, d.floats(), 0);
  for (int i = 0; i < 5 && !t.diverged(); ++i) t.run(1000);
  ASSERT_TRUE(t.diverged());
  std::string m = t.divergence();
  EXPECT_EQ(m.rfind("training diverged in epoch 0, mini-batch 2: the cost became infinite", 0), 0u) << m;
  EXPECT_NE(m.find("the output saturated, an output activation rounded off to exactly 0 or 1"), std::string::npos) << m;
  EXPECT_NE(m.find("Likely cause: the learning rate eta = 30 is too large"), std::string::npos) << m;

  // Weight decay that flips the weights (1 − ηλ/n = −24): a weighted input overflows, in a named layer.
  h.eta = 1e6;
  h.lambda = 0.01;
  net.cost = Cost::Quadratic;
  Trainer decay(net, h, d.floats(), 0);
  for (int i = 0; i < 5 && !decay.diverged(); ++i) decay.run(1000);
  ASSERT_TRUE(decay.diverged());
  m = decay.divergence();
  EXPECT_NE(m.find("the cost became NaN"), std::string::npos) << m;
  EXPECT_NE(m.find("the weighted input z of layer "), std::string::npos) << m;
  EXPECT_NE(m.find("Likely cause: lambda*eta/n = 25 is above 1"), std::string::npos) << m;
  EXPECT_EQ(check_network(decay.last_finite_network()), "");
}

}  // namespace
}  // namespace bplab

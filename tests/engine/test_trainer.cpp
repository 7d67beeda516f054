// Mini-batch training: the matrix path against per-example backprop, determinism, learning,
// divergence.
#include <gtest/gtest.h>

#include <fstream>
#include <cstring>
#include <iterator>
#include <limits>

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

  // The time budget, on a clock of the test's own that moves 1 ms at each reading (once at the
  // start of a slice, once after each mini-batch): a slice of 9 ms stops after 9 mini-batches,
  // and no budget means no limit.
  double now = 1000;
  t.clock = [&now] { return now += 1; };
  r = t.run(1000, 9);
  EXPECT_EQ(r.batches, 9);
  EXPECT_FALSE(r.epoch_finished);
  EXPECT_EQ(t.batch_in_epoch(), 9);
  r = t.run(30, 0);
  EXPECT_EQ(r.batches, 30);
  r = t.run(1000, 1000);  // a budget longer than the rest of the epoch
  EXPECT_EQ(r.batches, 100 - 39);
  EXPECT_TRUE(r.epoch_finished);
}

// η = 10⁶ with a little weight decay: the decay factor 1 − ηλ/n is −19, so every mini-batch
// multiplies each weight by −19 before the gradient's step and the weights overflow within a few
// dozen mini-batches, whatever the rounding. (η = 10⁶ alone is chaotic: a ReLU net may blow up, or
// lose every hidden neuron and stay finite forever, depending on how the compiler rounds.)
TEST(Training, AHugeLearningRateStopsWithAMessageAndKeepsAFiniteNetwork) {
  const Toy toy = make_toy(500, 10, 4, 8);
  Hyperparameters h;
  h.eta = 1e6;
  h.lambda = 0.01;  // ηλ/n = 20
  Trainer t(toy_net({10, 30, 4}, Cost::LogLikelihood, Activation::Softmax, Activation::ReLU), h, toy.view(), 0);
  for (int i = 0; i < 20 && !t.diverged(); ++i) t.run(1000);
  ASSERT_TRUE(t.diverged());
  EXPECT_NE(t.divergence().find("diverged"), std::string::npos) << t.divergence();
  EXPECT_NE(t.divergence().find("weight decay 1 - eta*lambda/n = -19"), std::string::npos) << t.divergence();
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

// A trainer saved mid-epoch and restored goes on exactly as the one that was never saved:
// the app moves training into a Web Worker and back this way.
TEST(TrainerState, SaveAndRestoreGoesOnBitForBit) {
  const Toy toy = make_toy(230, 12, 5, 3);
  for (double momentum : {0.0, 0.5}) {
    Hyperparameters h;
    h.eta = 0.7;
    h.batch = 7;
    h.lambda = 0.5;
    h.momentum = momentum;
    const Network<float> start = toy_net({12, 9, 5}, Cost::CrossEntropy, Activation::Sigmoid, Activation::Tanh);
    Trainer straight(start, h, toy.view(), 11);
    for (int k = 0; k < 85; ++k) straight.run(1);

    Trainer first(start, h, toy.view(), 11);
    for (int k = 0; k < 40; ++k) first.run(1);  // 40 batches: one epoch (33) and 7 into the next
    const std::vector<uint8_t> bytes = first.save_state();
    std::string error;
    std::unique_ptr<Trainer> moved = Trainer::restore(bytes.data(), bytes.size(), toy.view(), &error);
    ASSERT_TRUE(moved) << error;
    EXPECT_EQ(moved->save_state(), bytes);
    EXPECT_EQ(moved->epoch(), 1);
    EXPECT_EQ(moved->batch_in_epoch(), 7);
    for (int k = 40; k < 85; ++k) moved->run(1);

    EXPECT_EQ(moved->epoch(), straight.epoch());
    EXPECT_EQ(moved->batch_in_epoch(), straight.batch_in_epoch());
    EXPECT_EQ(moved->examples_seen(), straight.examples_seen());
    EXPECT_EQ(moved->last_epoch_mean_cost(), straight.last_epoch_mean_cost());
    for (size_t i = 0; i < start.weights.size(); ++i) {
      EXPECT_TRUE(moved->network().weights[i] == straight.network().weights[i]) << "momentum " << momentum;
      EXPECT_TRUE(moved->network().biases[i] == straight.network().biases[i]);
    }
    EXPECT_EQ(moved->save_state(), straight.save_state());
  }
}

TEST(TrainerState, ADivergedTrainerKeepsItsMessageAndLastFiniteNet) {
  const Toy toy = make_toy(100, 12, 5, 4);
  Hyperparameters h;
  h.eta = 1e6;
  h.batch = 10;
  Trainer t(toy_net({12, 9, 5}, Cost::CrossEntropy, Activation::Sigmoid), h, toy.view(), 1);
  for (int k = 0; k < 50 && !t.diverged(); ++k) t.run(1);
  ASSERT_TRUE(t.diverged());
  const std::vector<uint8_t> bytes = t.save_state();
  std::string error;
  std::unique_ptr<Trainer> moved = Trainer::restore(bytes.data(), bytes.size(), toy.view(), &error);
  ASSERT_TRUE(moved) << error;
  EXPECT_EQ(moved->divergence(), t.divergence());
  EXPECT_TRUE(moved->last_finite_network().weights[0] == t.last_finite_network().weights[0]);
  EXPECT_TRUE(moved->run(5).diverged);
}

TEST(TrainerState, DamagedBytesAreRefusedWithAReason) {
  const Toy toy = make_toy(60, 12, 5, 5);
  Hyperparameters h;
  h.batch = 8;
  h.momentum = 0.3;
  Trainer t(toy_net({12, 6, 5}, Cost::Quadratic, Activation::Sigmoid), h, toy.view(), 2);
  t.run(3);
  const std::vector<uint8_t> good = t.save_state();
  std::string error;
  auto refused = [&](const std::vector<uint8_t>& b, DataView data) {
    error.clear();
    const bool r = !Trainer::restore(b.data(), b.size(), data, &error);
    return r && error.find("refused") != std::string::npos;
  };
  ASSERT_FALSE(refused(good, toy.view())) << error;
  for (size_t n = 0; n < good.size(); ++n)  // every truncation
    ASSERT_TRUE(refused(std::vector<uint8_t>(good.begin(), good.begin() + std::ptrdiff_t(n)), toy.view())) << n;
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_TRUE(refused(longer, toy.view()));
  EXPECT_NE(error.find("after the end"), std::string::npos) << error;
  std::vector<uint8_t> magic = good;
  magic[0] = 'X';
  EXPECT_TRUE(refused(magic, toy.view()));
  EXPECT_TRUE(refused(good, toy.view().part(0, 59)));  // other data
  EXPECT_NE(error.find("59"), std::string::npos) << error;
  // Every single byte flipped in the header and the order: refused or a valid trainer, never a crash.
  const size_t header = good.size() - size_t(12 * 6 + 6 + 6 * 5 + 5) * 4 * 3 - 1;
  for (size_t i = 0; i < header; ++i) {
    std::vector<uint8_t> b = good;
    b[i] ^= 0x5a;
    std::unique_ptr<Trainer> r = Trainer::restore(b.data(), b.size(), toy.view(), &error);
    if (r) r->run(2);
  }
}

// Issue 16's reproducers (tests/engine/data/trainer_state, found by fuzzing restore): states of
// a [4, 3] or [4, 5, 3] net over 8 examples. Each bad one is refused with a reason; the one
// saved just after a divergence is adopted.
std::vector<uint8_t> state_file(const std::string& name) {
  std::ifstream in(std::string(BPLAB_TEST_DATA_DIR) + "/trainer_state/" + name, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

TEST(TrainerState, HostileStatesFromTheFuzzerAreRefused) {
  const Toy toy = make_toy(8, 4, 3, 7);
  for (const auto& [file, reason] : std::vector<std::pair<std::string, std::string>>{
           {"state_zero_rng_infinite_loop.bin", "zero"},
           {"state_epoch_int_max.bin", "bad counters"},
           {"state_examples_seen_int64_max.bin", "bad counters"},
           {"state_softmax_hidden_nan_weight.bin", "softmax"},
           {"state_noncanonical_has_spare.bin", "random stream"}}) {
    SCOPED_TRACE(file);
    const std::vector<uint8_t> bytes = state_file(file);
    ASSERT_GT(bytes.size(), 100u);
    std::string error;
    std::unique_ptr<Trainer> t = Trainer::restore(bytes.data(), bytes.size(), toy.view(), &error);
    if (t) t->run(4);  // before the fix: an endless loop or UBSan's signed overflow
    EXPECT_FALSE(t);
    EXPECT_NE(error.find(reason), std::string::npos) << error;
  }
}

TEST(TrainerState, AStateSavedJustAfterADivergenceIsAdopted) {
  const Toy toy = make_toy(8, 4, 3, 7);
  const std::vector<uint8_t> bytes = state_file("state_diverged_last_batch_bad_counters.bin");
  std::string error;
  std::unique_ptr<Trainer> t = Trainer::restore(bytes.data(), bytes.size(), toy.view(), &error);
  ASSERT_TRUE(t) << error;
  EXPECT_TRUE(t->diverged()) << "its momentum is infinite: the next step would diverge";
  EXPECT_TRUE(t->last_finite_network().weights[0].allFinite());
  EXPECT_TRUE(t->run(3).diverged);
}

TEST(TrainerState, NaNWeightsMeanADivergenceAndANaNSnapshotIsRefused) {
  const Toy toy = make_toy(40, 6, 3, 3);
  Hyperparameters h;
  h.batch = 10;
  Trainer t(toy_net({6, 4, 3}, Cost::Quadratic, Activation::Sigmoid), h, toy.view(), 1);
  t.run(1);
  std::vector<uint8_t> bytes = t.save_state();
  // The last float of the net is the output bias b^3_3 ... the net comes before the snapshot:
  // find the net's first weight (the snapshot holds the same number until the epoch ends).
  const size_t net_floats = 4 * 6 + 4 + 3 * 4 + 3;
  const size_t net_at = bytes.size() - 1 - 2 * net_floats * sizeof(float);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<uint8_t> in_net = bytes, in_snapshot = bytes;
  std::memcpy(in_net.data() + net_at, &nan, sizeof nan);
  std::memcpy(in_snapshot.data() + net_at + net_floats * sizeof(float), &nan, sizeof nan);
  std::string error;
  std::unique_ptr<Trainer> diverged = Trainer::restore(in_net.data(), in_net.size(), toy.view(), &error);
  ASSERT_TRUE(diverged) << error;
  EXPECT_TRUE(diverged->diverged());
  EXPECT_NE(diverged->divergence().find("NaN"), std::string::npos);
  EXPECT_TRUE(diverged->last_finite_network().weights[0].allFinite());
  EXPECT_FALSE(Trainer::restore(in_snapshot.data(), in_snapshot.size(), toy.view(), &error));
  EXPECT_NE(error.find("NaN"), std::string::npos) << error;
  ASSERT_TRUE(Trainer::restore(bytes.data(), bytes.size(), toy.view(), &error)) << error;
}

// evaluate() against feedforward() one example at a time, on inputs like images (mostly zeros:
// the sparse product) and dense ones, with hidden layers whose activations are mostly zeros
// (ReLU, biased down) and dense (sigmoid).
TEST(Trainer, EvaluateEqualsFeedforward) {
  for (double background : {0.0, 0.8}) {
    for (Activation hidden : {Activation::Sigmoid, Activation::ReLU}) {
      Toy toy = make_toy(600, 49, 5, 11);
      Rng rng(12);
      for (float& v : toy.x)
        if (rng.uniform() < background) v = 0.f;
      Network<float> net = toy_net({49, 40, 33, 5}, Cost::CrossEntropy, Activation::Sigmoid, hidden);
      if (hidden == Activation::ReLU)
        for (size_t i = 0; i + 1 < net.biases.size(); ++i) net.biases[i].array() -= 1.f;
      std::vector<Answer> answers;
      const Evaluation e = evaluate(net, toy.view(), &answers);
      ASSERT_EQ(answers.size(), 600u);
      int correct = 0, answered_apart = 0;
      double cost = 0;
      for (int k = 0; k < toy.view().count; ++k) {
        const Vector<float> x = Eigen::Map<const Vector<float>>(toy.x.data() + std::ptrdiff_t(k) * toy.dim, toy.dim);
        const Vector<float> a = feedforward(net, x);
        correct += argmax(a) == toy.labels[size_t(k)];
        cost += cost_value<double>(net.cost, a.cast<double>(), one_hot<double>(toy.labels[size_t(k)], 5));
        // Each answer is the largest output and its value (a near-tie may round apart).
        const Answer& answer = answers[size_t(k)];
        ASSERT_TRUE(answer.predicted >= 0 && answer.predicted < 5);
        EXPECT_NEAR(answer.confidence, a(answer.predicted), 1e-5);
        EXPECT_NEAR(answer.confidence, a.maxCoeff(), 1e-5);
        answered_apart += answer.predicted != argmax(a);
      }
      EXPECT_LE(answered_apart, 1);
      EXPECT_EQ(e.total, 600);
      EXPECT_NEAR(e.correct, correct, 1) << "background " << background;  // a near-tie may round apart
      EXPECT_NEAR(e.mean_cost, cost / 600, 1e-5);
      EXPECT_GT(e.correct, 100);  // not a constant answer
    }
  }
}

// Image bytes (how the app holds MNIST: a quarter of the memory) train and evaluate exactly as
// the same pixels given as floats, byte / 255: the same networks bit for bit.
TEST(Trainer, ImageBytesTrainExactlyAsTheirFloats) {
  const int dim = 30, n = 257;
  Rng rng(21);
  std::vector<uint8_t> bytes(size_t(dim) * n), labels(n);
  std::vector<float> floats(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = uint8_t(rng.uniform() < 0.6 ? 0 : rng.below(256));
    floats[i] = pixel_value(bytes[i]);
  }
  for (int i = 0; i < n; ++i) labels[size_t(i)] = uint8_t(bytes[size_t(i) * dim + 3] % 4);
  const DataView as_floats{floats.data(), labels.data(), n, dim};
  DataView as_bytes{nullptr, labels.data(), n, dim, bytes.data()};
  float scratch[dim];
  EXPECT_EQ(as_floats.example(5, scratch), floats.data() + 5 * dim);  // floats are read in place
  ASSERT_EQ(as_bytes.example(5, scratch), scratch);
  EXPECT_EQ(scratch[7], floats[5 * dim + 7]);

  for (double momentum : {0.0, 0.5}) {
    Hyperparameters h;
    h.eta = 0.7;
    h.batch = 9;  // 257 = 28 batches of 9 and one of 5
    h.lambda = 0.3;
    h.momentum = momentum;
    Trainer a(toy_net({dim, 11, 4}, Cost::CrossEntropy, Activation::Sigmoid), h, as_floats, 3);
    Trainer b(toy_net({dim, 11, 4}, Cost::CrossEntropy, Activation::Sigmoid), h, as_bytes, 3);
    a.run(1000000);
    b.run(1000000);
    ASSERT_EQ(a.epoch(), 1);
    ASSERT_EQ(b.epoch(), 1);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(a.network().weights[i], b.network().weights[i]) << "momentum " << momentum;
      EXPECT_EQ(a.network().biases[i], b.network().biases[i]) << "momentum " << momentum;
    }
    EXPECT_NE(a.network().weights[0], toy_net({dim, 11, 4}, Cost::CrossEntropy, Activation::Sigmoid).weights[0]);
    const Evaluation ea = evaluate(a.network(), as_floats), eb = evaluate(a.network(), as_bytes);
    EXPECT_EQ(ea.total, n);
    EXPECT_EQ(ea.correct, eb.correct);
    EXPECT_EQ(ea.mean_cost, eb.mean_cost);
    // A part of each view is the same examples: evaluated in pieces, the counts add up.
    const DataView pf = as_floats.part(100, 50), pb = as_bytes.part(100, 50);
    ASSERT_EQ(pb.count, 50);
    EXPECT_EQ(pb.labels, labels.data() + 100);
    EXPECT_EQ(pf.example(0, scratch), floats.data() + 100 * dim);
    EXPECT_EQ(evaluate(a.network(), pf).correct, evaluate(a.network(), pb).correct);
    EXPECT_EQ(as_bytes.part(250, 50).count, 7);  // clipped to the end
    EXPECT_EQ(as_bytes.part(300, 5).count, 0);
    int pieces = 0;
    for (int k = 0; k < n; k += 100) pieces += evaluate(a.network(), as_bytes.part(k, 100)).correct;
    EXPECT_EQ(pieces, eb.correct);
  }

  // The reference (Eigen) mini-batch step reads bytes the same way.
  const int indices[] = {0, 256, 17, 17, 100};
  Hyperparameters h;
  h.eta = 1.0;
  Network<float> a = toy_net({dim, 6, 4}, Cost::Quadratic, Activation::Sigmoid), b = a;
  train_mini_batch_reference(a, h, as_floats, indices, 5);
  train_mini_batch_reference(b, h, as_bytes, indices, 5);
  EXPECT_EQ(a.weights[0], b.weights[0]);
  EXPECT_EQ(a.biases[1], b.biases[1]);
}

}  // namespace
}  // namespace bplab

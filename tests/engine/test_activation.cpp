// The tables of activations and costs (activation.hpp, cost.hpp): every row's derivative is its
// function's, names read back, and softplus — added as one row — reaches the engine and model
// files (the app's settings, its Train screen and bplab's flag: tests/app/test_settings.cpp,
// tests/app/test_lab.cpp, tests/cli/test_cli.py).
#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <set>
#include <string>

#include "engine/activation.hpp"
#include "engine/backprop.hpp"
#include "engine/cost.hpp"
#include "engine/gradcheck.hpp"
#include "engine/model_io.hpp"
#include "engine/network.hpp"

namespace bplab {
namespace {

TEST(ActivationTable, RowsAreInTheEnumsOrderWithUniqueNamesThatReadBack) {
  std::set<std::string> names;
  for (size_t i = 0; i < std::size(kActivations); ++i) {
    const ActivationDescription& d = kActivations[i];
    EXPECT_EQ(int(d.id), int(i)) << d.name;
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    Activation back;
    ASSERT_TRUE(parse(d.name, back)) << d.name;
    EXPECT_EQ(back, d.id);
    EXPECT_NE(d.use, 0u) << d.name << " is usable nowhere";
  }
  for (size_t i = 0; i < std::size(kCosts); ++i) {
    const CostDescription& d = kCosts[i];
    EXPECT_EQ(int(d.id), int(i)) << d.name;
    Cost back;
    ASSERT_TRUE(parse(d.name, back)) << d.name;
    EXPECT_EQ(back, d.id);
    EXPECT_STREQ(cost_class_name(d.id), d.class_name);
  }
}

// σ' against central differences of σ, and σ' from a = σ(z) against σ'(z), in double and float.
TEST(ActivationTable, EachDerivativeIsItsFunctions) {
  for (const ActivationDescription& d : kActivations) {
    if (!d.elementwise()) continue;  // softmax: its Jacobian is checked with backprop's
    for (double z : {-3.1, -0.7, -0.05, 0.3, 1.2, 4.5}) {
      const double h = 1e-6;
      const double numeric = (d.f64.f(z + h) - d.f64.f(z - h)) / (2 * h);
      EXPECT_NEAR(d.f64.prime(z), numeric, 1e-7) << d.name << " at " << z;
      EXPECT_NEAR(d.f64.prime_from_output(d.f64.f(z)), d.f64.prime(z), 1e-12) << d.name << " at " << z;
      EXPECT_NEAR(d.f32.f(float(z)), d.f64.f(z), 1e-6) << d.name << " at " << z;
      EXPECT_NEAR(d.f32.prime_from_output(d.f32.f(float(z))), d.f64.prime(z), 1e-5) << d.name << " at " << z;
    }
  }
}

// ∇_a C against central differences of C, for every cost.
TEST(CostTable, EachGradientIsItsCosts) {
  Vector<double> a(4), y = one_hot<double>(2, 4);
  a << 0.2, 0.35, 0.6, 0.1;
  for (const CostDescription& d : kCosts) {
    const Vector<double> g = d.f64.gradient(a, y);
    for (int j = 0; j < 4; ++j) {
      Vector<double> up = a, down = a;
      up(j) += 1e-6;
      down(j) -= 1e-6;
      EXPECT_NEAR(g(j), (d.f64.value(up, y) - d.f64.value(down, y)) / 2e-6, 1e-6) << d.name << " j=" << j;
    }
  }
}

TEST(Softplus, IsOneRowThatReachesTheEngineAndModelFiles) {
  // The function: ln(1 + e^z), whose derivative is the logistic sigmoid.
  Activation f;
  ASSERT_TRUE(parse("softplus", f));
  EXPECT_EQ(f, Activation::Softplus);
  EXPECT_STREQ(to_string(Activation::Softplus), "softplus");
  EXPECT_DOUBLE_EQ(activation_value(f, 0.0), std::log(2.0));
  EXPECT_DOUBLE_EQ(activation_prime(f, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(activation_value(f, 100.0), 100.0);  // no overflow
  EXPECT_TRUE(usable(f, kHiddenLayers));
  EXPECT_FALSE(usable(f, kOutputLayer));
  EXPECT_NE(activation_names(kHiddenLayers).find("softplus"), std::string::npos);

  // Backprop with softplus hidden layers equals finite differences.
  Network<double> net = make_network<double>({5, 6, 4, 3}, Init::Scaled, 17);
  net.hidden = Activation::Softplus;
  net.cost = Cost::CrossEntropy;
  Vector<double> x(5);
  x << 0.1, 0.9, 0.4, 0.0, 0.7;
  const Trace<double> t = backprop(net, x, 1);
  for (const LayerCheck& c : gradient_check(net, x, 1, t)) {
    EXPECT_LT(c.max_error_w, 1e-6) << "layer " << c.layer;
    EXPECT_LT(c.max_error_b, 1e-6) << "layer " << c.layer;
  }

  // Model files: written as "activation": "softplus" and read back as such; refused as an output.
  std::string error;
  const std::string text = model_to_json(net, &error);
  ASSERT_EQ(error, "");
  EXPECT_NE(text.find("\"activation\": \"softplus\""), std::string::npos) << text.substr(text.size() - 120);
  const LoadResult back = read_model_json(text);
  ASSERT_TRUE(back.ok()) << back.error;
  EXPECT_EQ(back.net.hidden, Activation::Softplus);
  EXPECT_EQ(back.net.weights[1], net.weights[1]);
  net.output = Activation::Softplus;
  EXPECT_EQ(model_to_json(net, &error), "");
  EXPECT_NE(error.find("output activation \"softplus\""), std::string::npos) << error;
}

}  // namespace
}  // namespace bplab

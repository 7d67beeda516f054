// The settings table: reading a URL or arguments (malformed values warn and keep the default),
// writing back.
#include <gtest/gtest.h>

#include "app/settings.hpp"

namespace bplab::app {
namespace {

TEST(Settings, ReadsAQueryAndWarnsOncePerBadValue) {
  Settings s;
  std::vector<std::string> warnings;
  read_query("?panel=train&sizes=784,100,10&eta=abc&batch=0&foo=1&cost=quadratic&theme=light&eta=<script>", s, &warnings);
  EXPECT_EQ(s.panel, Panel::Train);
  EXPECT_EQ(s.sizes, (std::vector<int>{784, 100, 10}));
  EXPECT_EQ(s.eta, Settings().eta);
  EXPECT_EQ(s.batch, Settings().batch);
  EXPECT_EQ(s.cost, Cost::Quadratic);
  EXPECT_FALSE(s.dark);
  EXPECT_EQ(warnings.size(), 4u);  // eta twice, batch, foo
}

// The costs and activations the app offers come from the engine's tables: softplus, one row of
// activation.hpp's, is a hidden activation in URLs, links, the Train screen's combo (which lists
// app_activations()) and the page's train({activation}); an output-only row is refused.
TEST(Settings, ActivationsAndCostsComeFromTheEnginesTables) {
  Settings s;
  std::vector<std::string> warnings;
  read_query("activation=softplus&cost=quadratic", s, &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(s.activation, Activation::Softplus);
  EXPECT_EQ(write_query(s), "cost=quadratic&activation=softplus");
  const std::vector<Activation> combo = app_activations();
  EXPECT_EQ(combo, (std::vector<Activation>{Activation::Sigmoid, Activation::Tanh, Activation::ReLU, Activation::Softplus}));
  EXPECT_EQ(app_costs(), (std::vector<Cost>{Cost::Quadratic, Cost::CrossEntropy}));
  for (const Param& p : params())
    if (std::string(p.name) == "activation") EXPECT_NE(std::string(p.help).find("softplus"), std::string::npos);
  read_query("activation=softmax&cost=log-likelihood", s, &warnings);
  EXPECT_EQ(warnings.size(), 1u) << "softmax is no hidden activation";
  EXPECT_EQ(s.activation, Activation::Softplus);
}

// cost=log-likelihood links the derivation's softmax + log-likelihood path: the derivation takes
// it, the training cost stays (the app trains sigmoid outputs), and the link keeps it.
TEST(Settings, LogLikelihoodIsTheDerivationsCost) {
  Settings s;
  std::vector<std::string> warnings;
  read_query("panel=derivation&digit=8&cost=log-likelihood&output=softmax", s, &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_EQ(s.derivation_cost, "log-likelihood");
  EXPECT_EQ(s.cost, Settings().cost);
  EXPECT_NE(write_query(s).find("cost=log-likelihood"), std::string::npos) << write_query(s);
  read_query("cost=quadratic", s, &warnings);
  EXPECT_EQ(s.cost, Cost::Quadratic);
  EXPECT_EQ(s.derivation_cost, "");
  read_query("cost=absurd", s, &warnings);
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(Settings, RefusesAbsurdSizes) {
  for (const char* q : {"sizes=784,10", "sizes=784,99999999,10", "sizes=3,30,10", "sizes=784,,10", "sizes=784,30,10,10,10,10,10,10"}) {
    Settings s;
    std::vector<std::string> w;
    read_query(q, s, &w);
    if (std::string(q) == "sizes=784,10") {
      EXPECT_TRUE(w.empty()) << q;  // a net with no hidden layer is fine
      continue;
    }
    EXPECT_EQ(s.sizes, Settings().sizes) << q;
    EXPECT_EQ(w.size(), 1u) << q;
  }
}

TEST(Settings, WriteThenReadRestoresTheSettings) {
  Settings s;
  s.panel = Panel::Network;
  s.sizes = {784, 50, 20, 10};
  s.eta = 0.25;
  s.lambda = 5;
  s.activation = Activation::ReLU;
  s.seed = 42;
  s.autoplay = true;
  const std::string q = write_query(s);
  Settings t;
  std::vector<std::string> w;
  read_query(q, t, &w);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(write_query(t), q);
  EXPECT_EQ(t.sizes, s.sizes);
  EXPECT_EQ(t.eta, 0.25);
  EXPECT_EQ(t.panel, Panel::Network);
}

TEST(Settings, EmbedParametersRoundTripAndRefuseOtherSites) {
  Settings s;
  std::vector<std::string> w;
  read_query("panel=derivation&step=4&neuron=3&output=softmax&hide=tabs,link&model=models/mine.json&embed=1", s, &w);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(s.step, 4);
  EXPECT_EQ(s.neuron, 3);
  EXPECT_EQ(s.output, "softmax");
  EXPECT_TRUE(s.hidden("tabs") && s.hidden("link") && !s.hidden("status"));
  EXPECT_EQ(s.model, "models/mine.json");
  Settings t;
  read_query(write_query(s), t, &w);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(write_query(t), write_query(s));
  // A model from anywhere but this site, or anything a URL parser could take for a scheme or a
  // host, is refused with one warning each.
  for (const char* q : {"model=javascript:alert(1)", "model=http://example.com/m.json", "model=//example.com/m.json",
                        "model=%5C%5Cexample.com/m.json", "model=", "step=0", "step=10", "neuron=-1", "output=relu",
                        "hide=menus", "hide=%3Cb%3E"}) {
    Settings u;
    std::vector<std::string> warnings;
    read_query(q, u, &warnings);
    EXPECT_EQ(warnings.size(), 1u) << q;
    EXPECT_EQ(write_query(u), "") << q;
  }
}

TEST(Settings, ReadsCommandLineArguments) {
  Settings s;
  std::vector<std::string> w;
  read_args({"--panel", "network", "--query", "eta=3&digit=12", "--bogus", "1"}, s, &w);
  EXPECT_EQ(s.panel, Panel::Network);
  EXPECT_EQ(s.eta, 3.0);
  EXPECT_EQ(s.digit, 12);
  EXPECT_EQ(w.size(), 1u);
}

}  // namespace
}  // namespace bplab::app

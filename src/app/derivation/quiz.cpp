// "Predict first" (quiz.hpp): each step's question from its numbers, the block that asks it,
// and the quiz's part of state().
//
//   [SECTION] Questions   one a step, from the numbers the step is about to show
//   [SECTION] Asking      the state of the session, the block before the step, answers
#include "app/derivation/quiz.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/derivation/steps.hpp"
#include "app/hasher.hpp"

namespace bplab::app::derivation {

// [SECTION] Questions

namespace {

// A change of C (or a derivative of it) too small to tell from zero: what finite differences
// resolve on this digit.
double still(const Numbers& n) { return kFdResolution * std::max(1.0, std::abs(n.t.cost)); }

// x and y equal to rounding (1e-9 of their size), or both too small to matter.
bool same(double x, double y, double floor) {
  return std::abs(x - y) <= 1e-9 * std::max(std::abs(x), std::abs(y)) || std::max(std::abs(x), std::abs(y)) <= floor;
}

std::string up(const std::string& base, const std::string& layer, int j) { return base + "^" + layer + "_" + str(j); }

// "because a^L_5 = 0.31 is below y_5 = 1" where the sign of δ^L_j is the sign of a − y (an
// elementwise output with the quadratic or cross-entropy cost, softmax with log-likelihood).
std::string because_of_target(const Numbers& n, int j) {
  const double a = n.t.a.back()(j), y = n.t.y(j);
  const bool sigmoid = is_elementwise(n.net.output);
  if ((sigmoid && n.net.cost != Cost::LogLikelihood) || (!sigmoid && n.net.cost == Cost::LogLikelihood))
    return " because " + up("a", "L", j) + " = " + fmt(a, 3) + " is " + (a < y ? "below" : "above") + " y_" + str(j) + " = " + fmt(y, 1);
  if (sigmoid && j == n.label)
    return " because the log-likelihood cost −ln " + up("a", "L", j) + " falls as " + up("a", "L", j) + " = " + fmt(a, 3) + " rises";
  return ", the sum of the ten terms of the chain rule on this digit";
}

}  // namespace

std::optional<Question> ask_definition(const DerivationView& v) {
  const Numbers& n = v.n;
  if (!std::isfinite(n.t.cost)) return std::nullopt;
  const int j = output_neuron(v);
  const double d = n.t.delta[n.last](j);
  Question q;
  q.text = "Nudge " + up("z", "L", j) + " up a little. What happens to the cost C on this digit?";
  q.choices = {"C goes up", "C goes down", "C does not change"};
  const std::string dj = up("δ", "L", j) + " = ∂C/∂" + up("z", "L", j) + " = " + fmt(d, 3);
  if (std::abs(d) <= still(n)) {
    q.answer = 2;
    q.why = dj + ": C does not depend on " + up("z", "L", j) + " here" +
            (is_elementwise(n.net.output) && n.net.cost == Cost::LogLikelihood && j != n.label
                 ? " (the log-likelihood cost looks only at " + up("a", "L", n.label) + ", and this output's " + up("a", "L", j) +
                       " depends on " + up("z", "L", j) + " alone)."
                 : ", or too little for a nudge to show.");
  } else {
    q.answer = d > 0 ? 0 : 1;
    q.why = dj + (d > 0 ? " > 0: raising " + up("z", "L", j) + " raises C" : " < 0: raising " + up("z", "L", j) + " lowers C") +
            because_of_target(n, j) + ".";
  }
  return q;
}

std::optional<Question> ask_chain(const DerivationView& v) {
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  int jac = 0, grad = 0;
  std::vector<int> live;
  for (int k = 0; k < n.nL; ++k) {
    jac += n.jac(k, j) != 0;
    grad += n.t.dC_da(k) != 0;
    if (n.jac(k, j) != 0 && n.t.dC_da(k) != 0) live.push_back(k);
  }
  Question q;
  q.text = "In " + up("δ", "L", j) + " = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂" + up("z", "L", j) +
           ", how many of the " + str(n.nL) + " terms are not zero for this cost and output?";
  q.choices = {"none", "just one", "some, but not all", "all " + str(n.nL)};
  const int count = int(live.size());
  q.answer = count == 0 ? 0 : count == 1 ? 1 : count == n.nL ? 3 : 2;
  std::string which;
  for (size_t i = 0; i < live.size() && i < 3; ++i) which += (i ? ", " : " (k = ") + str(live[i]);
  if (!live.empty()) which += live.size() > 3 ? ", …)" : ")";
  q.why = "∂a^L_k/∂" + up("z", "L", j) + " is not zero for " + str(jac) + " of the " + str(n.nL) + " outputs (" +
          (is_elementwise(n.net.output) ? "a sigmoid's a^L_k moves with z^L_k alone" : "softmax ties every a^L_k to every z^L_j") +
          ") and ∂C/∂a^L_k for " + str(grad) + ": " + str(count) + (count == 1 ? " term survives" : " terms survive") + which + ".";
  return q;
}

std::optional<Question> ask_bp1(const DerivationView& v) {
  const Numbers& n = v.n;
  if (!std::isfinite(n.t.cost)) return std::nullopt;
  const int j = output_neuron(v);
  const double d = n.t.delta[n.last](j), g = n.t.dC_da(j);
  Question q;
  q.text = "On this digit, how does |" + up("δ", "L", j) + "| (δ = ∂C/∂z) compare with |∂C/∂" + up("a", "L", j) + "|?";
  q.choices = {"|" + up("δ", "L", j) + "| is smaller", "they are the same size", "|" + up("δ", "L", j) + "| is larger"};
  const bool equal = same(std::abs(d), std::abs(g), still(n));
  q.answer = equal ? 1 : std::abs(d) < std::abs(g) ? 0 : 2;
  const std::string numbers = "∂C/∂" + up("a", "L", j) + " = " + fmt(g, 3) + " and " + up("δ", "L", j) + " = " + fmt(d, 3);
  if (is_elementwise(n.net.output)) {
    const double sp = activation_prime(n.net.output, n.t.z[n.last](j));
    q.why = numbers + ": BP1 multiplies by σ′(" + up("z", "L", j) + ") = " + fmt(sp, 3) +
            (g == 0 ? ", and zero times anything is zero." : ", and a sigmoid's σ′ is at most 1/4, so δ is always the smaller.");
  } else {
    q.why = numbers + ": with a softmax output δ is not one product but the sum Σ_k ∂C/∂a^L_k ∂a^L_k/∂" + up("z", "L", j) +
            " over all ten outputs, " + (q.answer == 0 ? "smaller here." : q.answer == 2 ? "larger here." : "the same size here.");
  }
  return q;
}

std::optional<Question> ask_bp1a(const DerivationView& v) {
  const Numbers& n = v.n;
  if (!std::isfinite(n.t.cost)) return std::nullopt;
  const Vector<double>& d = n.t.delta[n.last];
  Question q;
  if (bug_injected(v)) {
    int agree = 0;
    double worst = 0;
    for (int k = 0; k < n.nL; ++k) {
      const Check c = make_check("", n.tb.delta[n.last](k), d(k), n.t.cost);
      agree += c.agree;
      worst = std::max(worst, c.error);
    }
    q.text = std::string("With the bug “") + bug_of(v).name + "” injected, how many of the " + str(n.nL) +
             " δ^L_k that backprop computes will agree with their finite differences?";
    q.choices = {"all " + str(n.nL), "some of them", "none"};
    q.answer = agree == n.nL ? 0 : agree == 0 ? 2 : 1;
    q.why = str(agree) + " of " + str(n.nL) + " agree (largest relative error " + fmt(worst, 2) + "): " +
            (agree == n.nL ? "with this cost and output the bug does not change BP1." : "the bug changes BP1's δ^L.");
    return q;
  }
  // Which output has the largest error: among the largest, the label, the net's guess, the smallest.
  Eigen::Index big = 0, small = 0;
  d.cwiseAbs().maxCoeff(&big);
  d.cwiseAbs().minCoeff(&small);
  std::vector<int> ks = {int(big), n.label, n.prediction, int(small)};
  std::sort(ks.begin(), ks.end());
  ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
  q.text = "Which output neuron k has the largest |δ^L_k| on this digit?";
  for (size_t i = 0; i < ks.size(); ++i) {
    const int k = ks[i];
    q.choices.push_back("k = " + str(k) + (k == n.label ? " (y, the label)" : k == n.prediction ? " (the net's guess)" : ""));
    if (k == int(big)) q.answer = int(i);
  }
  double second = -1;
  int second_k = -1;
  for (int k = 0; k < n.nL; ++k)
    if (k != int(big) && std::abs(d(k)) > second) second = std::abs(d(k)), second_k = k;
  const int b = int(big);
  q.why = "|" + up("δ", "L", b) + "| = " + fmt(std::abs(d(b)), 3) + " is the largest (" + up("a", "L", b) + " = " + fmt(n.t.a.back()(b), 3) +
          " against y_" + str(b) + " = " + fmt(n.t.y(b), 1) + ")" +
          (second_k >= 0 ? "; the next is |" + up("δ", "L", second_k) + "| = " + fmt(second, 3) : std::string()) + ".";
  return q;
}

std::optional<Question> ask_cost(const DerivationView& v) {
  const Numbers& n = v.n;
  if (!std::isfinite(n.t.cost)) return std::nullopt;
  const int j = output_neuron(v);
  const double d = n.t.delta[n.last](j), a = n.t.a.back()(j), y = n.t.y(j);
  // σ′(z) of a sigmoid from z (a(1 − a) loses digits where a is near 1); softmax's ∂a_j/∂z_j.
  const double sp = is_elementwise(n.net.output) ? activation_prime(n.net.output, n.t.z[n.last](j)) : a * (1 - a);
  const double with_sp = (a - y) * sp, without = a - y;
  // The two forms differ by the factor σ′ ≤ 1/4: a match to 1e-6 is a match.
  auto match = [](double x, double form) { return std::abs(x - form) <= 1e-6 * std::max(std::abs(x), std::abs(form)); };
  const bool first = match(d, with_sp), second = match(d, without);
  if (first && second) return std::nullopt;  // a − y = 0: both forms are right
  Question q;
  q.text = std::string("With the ") + to_string(n.net.cost) + " cost and a " + to_string(n.net.output) + " output, which form does " +
           up("δ", "L", j) + " take on this digit?";
  q.choices = {"(a − y) · a(1 − a): the σ′ factor stays", "a − y: the σ′ factor cancels", "neither of these"};
  q.answer = first ? 0 : second ? 1 : 2;
  q.why = up("δ", "L", j) + " = " + fmt(d, 4) + ", (a − y) · a(1 − a) = " + fmt(with_sp, 4) + " and a − y = " + fmt(without, 4) + ": " +
          (first ? "σ′ = a(1 − a) stays, so δ shrinks wherever the output saturates."
                 : second ? "∂C/∂a cancels σ′, so δ is as large as the output is wrong."
                          : "this cost and output give δ a form of their own.");
  return q;
}

std::optional<Question> ask_bp2(const DerivationView& v) {
  const Numbers& n = v.n;
  if (n.last < 1 || !std::isfinite(n.t.cost)) return std::nullopt;
  const int h = hidden_neuron(v), hi = n.last - 1;
  const double wd = n.net.weights[n.last].col(h).dot(n.t.delta[n.last]);
  const double sp = activation_prime(n.net.hidden, n.t.z[hi](h)), d = n.t.delta[hi](h);
  const std::string dh = up("δ", str(n.L - 1), h);
  Question q;
  q.text = "BP2 gives the error of hidden neuron " + str(h) + ": is " + dh + " positive, negative or zero on this digit?";
  q.choices = {"positive", "negative", "zero"};
  q.answer = std::abs(d) <= still(n) ? 2 : d > 0 ? 0 : 1;
  q.why = "((w^L)ᵀ δ^L)_" + str(h) + " = " + fmt(wd, 3) + " and σ′(" + up("z", str(n.L - 1), h) + ") = " + fmt(sp, 3) + ", so " + dh + " = " +
          fmt(d, 3) + (q.answer == 2 ? ": this neuron does not move C." : q.answer == 0 ? " > 0: raising its z raises C." : " < 0: raising its z lowers C.");
  return q;
}

std::optional<Question> ask_gradient(const DerivationView& v) {
  const Numbers& n = v.n;
  if (!std::isfinite(n.t.cost)) return std::nullopt;
  const Vector<double>& x = n.t.a[0];
  Eigen::Index ink = 0, blank = 0, j = 0;
  x.maxCoeff(&ink);
  x.minCoeff(&blank);
  if (x(ink) == x(blank)) return std::nullopt;  // an even input: every weight's gradient alike
  n.tb.delta[0].cwiseAbs().maxCoeff(&j);
  const double dj = n.tb.delta[0](j);
  const double g_ink = n.tb.nabla_w[0](j, ink), g_blank = n.tb.nabla_w[0](j, blank);
  auto pixel = [&](Eigen::Index k) { return "pixel " + str(int(k)) + " (" + up("a", "1", int(k)) + " = " + fmt(x(k), 3) + ")"; };
  Question q;
  q.text = "BP4 gives ∂C/∂w^2_jk = a^1_k δ^2_j. Into neuron j = " + str(int(j)) + " of layer 2 come a weight from " + pixel(ink) +
           " and one from " + pixel(blank) + ". Which weight's gradient is larger in size?";
  q.choices = {"the one from pixel " + str(int(ink)), "the one from pixel " + str(int(blank)), "both the same"};
  q.answer = same(std::abs(g_ink), std::abs(g_blank), 0) ? 2 : std::abs(g_ink) > std::abs(g_blank) ? 0 : 1;
  q.why = "a^1_k δ^2_j: " + fmt(x(ink), 3) + " × " + fmt(dj, 3) + " = " + fmt(g_ink, 3) + " against " + fmt(x(blank), 3) + " × " + fmt(dj, 3) +
          " = " + fmt(g_blank, 3) + (x(blank) == 0 ? ": a blank pixel's weights do not learn from this digit." : ": the fainter pixel's weight learns less.");
  return q;
}

std::optional<Question> ask_descent(const DerivationView& v) {
  const Numbers& n = v.n;
  if (!std::isfinite(n.t.cost)) return std::nullopt;
  const double eta = v.eta, after = cost_after_step(n, n.tb, eta), change = after - n.t.cost;
  if (!std::isfinite(after)) return std::nullopt;
  Question q;
  q.text = "One step of gradient descent on this digit, w → w − η ∇C with η = " + fmt(eta, 3) +
           (bug_injected(v) ? std::string(" and the gradient backprop gives with the bug “") + bug_of(v).name + "”" : std::string()) +
           ": what happens to C on this digit?";
  q.choices = {"C goes down", "C goes up", "C does not change"};
  q.answer = std::abs(change) <= 1e-12 * std::max(1.0, std::abs(n.t.cost)) ? 2 : change < 0 ? 0 : 1;
  q.why = "C goes from " + fmt(n.t.cost, 6) + " to " + fmt(after, 6) + " (ΔC = " + fmt(change, 3) + ")" +
          (q.answer == 0 ? ": a small enough step against the gradient lowers the cost."
           : q.answer == 1 ? (bug_injected(v) ? ": the buggy gradient does not point downhill, or η overshoots." : ": η = " + fmt(eta, 3) + " overshoots.")
                           : ": the gradient is too small to move C at this η.");
  return q;
}

// [SECTION] Asking

namespace {

QuizState::Record& record_of(DerivationView& v) {
  QuizState& s = v.quiz_state;
  if (int(s.records.size()) < kStepCount) s.records.resize(size_t(kStepCount));
  return s.records[size_t(v.step - 1)];
}

// The shown step's question and its record (reset when the question's numbers changed).
std::optional<Question> question_and_record(DerivationView& v, QuizState::Record** r) {
  uint64_t key = 0;
  std::optional<Question> q = current_question(v, &key);
  *r = &record_of(v);
  if (q && (*r)->key != key) **r = QuizState::Record{key};
  return q;
}

std::string score_words(const QuizState& s) {
  return "Score this session: " + str(s.right) + " right of " + str(s.asked) + (s.asked == 1 ? " answer." : " answers.");
}

}  // namespace

std::optional<Question> current_question(const DerivationView& cv, uint64_t* key) {
  DerivationView& v = const_cast<DerivationView&>(cv);  // the cache only
  const Numbers& n = v.n;
  if (!n.valid || v.step < 1 || v.step > kStepCount || !step_of(v).ask) return std::nullopt;
  Hasher h;
  h.value(n.key);
  h.value(v.step);
  h.value(output_neuron(v));
  h.value(hidden_neuron(v));
  h.value(v.eta);
  h.value(v.bug);
  if (key) *key = h.h;
  QuizState& s = v.quiz_state;
  if (s.cached_for != h.h || h.h == 0) {
    s.cached = step_of(v).ask(v);
    s.cached_for = h.h;
  }
  return s.cached;
}

bool quiz_pending(const DerivationView& cv) {
  DerivationView& v = const_cast<DerivationView&>(cv);
  if (!v.quiz) return false;
  QuizState::Record* r = nullptr;
  const std::optional<Question> q = question_and_record(v, &r);
  return q && r->chosen < 0 && !r->revealed;
}

std::string answer_quiz(DerivationView& v, int choice) {
  if (!v.quiz) return "the quiz is off: setDerivation({quiz: true}) turns it on";
  QuizState::Record* r = nullptr;
  const std::optional<Question> q = question_and_record(v, &r);
  if (!q) return "step " + str(v.step) + " asks nothing here";
  if (r->chosen >= 0) return "this question is answered already";
  if (r->revealed) return "this step's numbers are shown already (Show me)";
  if (choice < 0 || choice >= int(q->choices.size())) return "answerQuiz wants a choice from 0 to " + str(int(q->choices.size()) - 1);
  QuizState& s = v.quiz_state;
  r->chosen = choice;
  const bool correct = choice == q->answer;
  ++s.asked;
  s.right += correct;
  Answer a;
  a.n = ++s.answers;
  a.step = v.step;
  a.question = q->text;
  a.choice = q->choices[size_t(choice)];
  a.chosen = choice;
  a.correct = correct;
  a.asked = s.asked;
  a.right = s.right;
  s.log.push_back(std::move(a));
  if (s.log.size() > kAnswerLog) s.log.erase(s.log.begin());
  return "";
}

void show_answer(DerivationView& v) {
  QuizState::Record* r = nullptr;
  if (v.quiz && question_and_record(v, &r) && r->chosen < 0) r->revealed = true;
}

bool quiz_block(Out& o) {
  DerivationView& v = o.v;
  if (!v.quiz) return true;
  QuizState::Record* r = nullptr;
  const std::optional<Question> q = question_and_record(v, &r);
  if (!q) return true;
  QuizState& s = v.quiz_state;
  const uint64_t key = r->key;
  if (r->chosen < 0 && !r->revealed) {
    o.label("Predict first");
    o.prose(q->text);
    if (o.screen()) {
      const int selected = s.selected_for == key ? s.selected : -1;
      ImGui::PushID("quiz");
      for (size_t i = 0; i < q->choices.size(); ++i) {
        ImGui::PushID(int(i));
        if (ui::RadioButton(q->choices[i].c_str(), selected == int(i), "Your prediction")) {
          s.selected = int(i);
          s.selected_for = key;
        }
        ImGui::PopID();
      }
      ImGui::BeginDisabled(selected < 0);
      if (ImGui::Button("Check")) answer_quiz(v, selected);
      ImGui::EndDisabled();
      ImGui::SameLine();
      if (ImGui::Button("Show me")) show_answer(v);
      ImGui::PopID();
    } else if (o.mode == Out::Html) {
      o.html += "<p>Your prediction:</p><ol>";
      for (const std::string& c : q->choices) o.html += "<li>" + m::escape(speakable(c)) + "</li>";
      o.html += "</ol>";
    }
    o.dim("Choose your prediction and press Check, or Show me to see the numbers. " + score_words(s));
    if (o.screen()) ImGui::Separator();
    return false;
  }
  o.label("Predict first");
  o.dim(q->text);
  const std::string right = q->choices[size_t(q->answer)];
  if (r->chosen >= 0) {
    const bool correct = r->chosen == q->answer;
    o.text((correct ? "Right: “" + right + "”. " : "Not quite: you chose “" + q->choices[size_t(r->chosen)] + "”, the answer is “" + right + "”. ") +
               q->why,
           correct ? kMeasured : kBad);
  } else {
    o.text("The answer: “" + right + "”. " + q->why);
  }
  o.dim(score_words(s));
  if (o.screen()) ImGui::Separator();
  return true;
}

json::Value quiz_json(const DerivationView& cv) {
  DerivationView& v = const_cast<DerivationView&>(cv);
  const QuizState& s = v.quiz_state;
  json::Object o;
  std::optional<Question> q;
  QuizState::Record* r = nullptr;
  if (v.quiz) q = question_and_record(v, &r);
  json::Array choices;
  if (q)
    for (const std::string& c : q->choices) choices.push_back(c);
  const bool answered = q && r->chosen >= 0;
  json::Value chosen;
  if (answered) chosen = r->chosen;
  else if (q && s.selected_for == r->key && s.selected >= 0) chosen = s.selected;
  o.emplace_back("on", v.quiz);
  o.emplace_back("question", q ? json::Value(q->text) : json::Value());
  o.emplace_back("choices", std::move(choices));
  o.emplace_back("answered", answered);
  o.emplace_back("chosen", chosen);
  o.emplace_back("answer", answered ? json::Value(q->answer) : json::Value());
  o.emplace_back("correct", answered ? json::Value(r->chosen == q->answer) : json::Value());
  o.emplace_back("score", json::Object{{"asked", s.asked}, {"right", s.right}});
  return o;
}

json::Value answers_json(const DerivationView& v) {
  json::Array out;
  for (const Answer& a : v.quiz_state.log)
    out.push_back(json::Object{{"n", double(a.n)},
                               {"step", a.step},
                               {"question", a.question},
                               {"choice", a.choice},
                               {"chosen", a.chosen},
                               {"correct", a.correct},
                               {"score", json::Object{{"asked", a.asked}, {"right", a.right}}}});
  return out;
}

}  // namespace bplab::app::derivation

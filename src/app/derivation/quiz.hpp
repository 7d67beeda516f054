// "Predict first": a step asks one question about the numbers it is about to show, the learner
// answers (or asks to be shown), then the step shows them with the verdict and why. A question
// and its right answer are computed from the step's numbers (the digit, neuron, cost, output,
// bug and mode), never from drawing: each step's row of kSteps names its question (quiz.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"

namespace bplab::app {

struct DerivationView;

namespace derivation {

struct Out;

// One question: the text, the choices, the index of the right one, and why it is right in one
// sentence built from the numbers.
struct Question {
  std::string text;
  std::vector<std::string> choices;
  int answer = 0;
  std::string why;
};

// One answer, as the page tells the course page around it (state().derivation.answers).
struct Answer {
  long n = 0;  // 1, 2, … in the order given
  int step = 0;
  std::string question, choice;
  int chosen = 0;
  bool correct = false;
  int asked = 0, right = 0;  // the score after it
};

// The learner's side of the quiz, for the session.
struct QuizState {
  // What happened to the question a step last asked (by the question's key: the numbers it was
  // computed from, so a new digit, neuron, cost, … asks again).
  struct Record {
    uint64_t key = 0;
    int chosen = -1;        // answered with this choice, else −1
    bool revealed = false;  // "Show me" without an answer
  };
  std::vector<Record> records;  // one a step
  int selected = -1;            // the radio button chosen before Check
  uint64_t selected_for = 0;    // the question it was chosen for
  int asked = 0, right = 0;
  std::vector<Answer> log;      // the latest answers (at most kAnswerLog)
  long answers = 0;             // answers given in the session
  uint64_t cached_for = 0;      // what `cached` was computed from
  std::optional<Question> cached;
};
constexpr size_t kAnswerLog = 32;

// The question the shown step asks (with quiz on or off), and the key of the numbers it comes
// from; nullopt where it asks nothing here (no numbers yet, a step without a question, a net
// without the layer it is about).
std::optional<Question> current_question(const DerivationView& v, uint64_t* key = nullptr);

// Whether the shown step holds its numbers back: the quiz is on, the step asks, and the learner
// has neither answered nor asked to be shown.
bool quiz_pending(const DerivationView& v);

// The question before the step (radio buttons "Your prediction", Check, Show me) or, once
// answered, the verdict and why: to the screen or the transcript. Returns whether the step's
// numbers follow (false while pending).
bool quiz_block(Out& o);

// Answers the shown step's question with choice i, as Check does: "" or why not.
std::string answer_quiz(DerivationView& v, int choice);
// "Show me": the shown step's numbers without an answer (the score does not change).
void show_answer(DerivationView& v);

// state().derivation.quiz: {on, question, choices, answered, chosen, answer, correct,
// score: {asked, right}}; and state().derivation.answers: the latest answers, oldest first.
json::Value quiz_json(const DerivationView& v);
json::Value answers_json(const DerivationView& v);

// The questions, one for each step's row of kSteps (nullopt: nothing to ask on these numbers).
std::optional<Question> ask_definition(const DerivationView& v);
std::optional<Question> ask_chain(const DerivationView& v);
std::optional<Question> ask_bp1(const DerivationView& v);
std::optional<Question> ask_bp1a(const DerivationView& v);
std::optional<Question> ask_cost(const DerivationView& v);
std::optional<Question> ask_bp2(const DerivationView& v);
std::optional<Question> ask_gradient(const DerivationView& v);
std::optional<Question> ask_descent(const DerivationView& v);

}  // namespace derivation
}  // namespace bplab::app

// What the net gets wrong on the test set: its answer for every test digit, the confusion
// matrix they make (rows the true digit, columns the answer) and the mistakes of a cell, most
// confident first. Pure C++ over the engine (no ImGui): the Lab makes the answers in the same
// chunks as the test accuracy, the Mistakes screen and the page's mistakes() read them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/trainer.hpp"

namespace bplab::app {

constexpr int kDigits = 10;
using ConfusionMatrix = std::array<std::array<int, kDigits>, kDigits>;  // [true digit][answer]

// The net's answers on the whole test set, for one model.
struct TestAnswers {
  std::vector<Answer> answers;   // one a test image, in the test set's order
  std::vector<uint8_t> labels;   // the test set's labels (the same order)
  ConfusionMatrix counts{};
  int epoch = -1;                // the epoch whose end it was measured at (-1: not in training)
  int correct() const;
  // The share of digit d's test images read as d (negative when the test set has none).
  double class_accuracy(int d) const;
};

// Counts and keeps the answers (answers.size() == labels.size()).
TestAnswers make_test_answers(std::vector<Answer> answers, std::vector<uint8_t> labels, int epoch);

// One test digit in a list of mistakes.
struct Mistake {
  int index = 0;          // in the MNIST test set (showTestDigit's index)
  int label = 0;          // the true digit
  int predicted = 0;      // the net's answer
  float confidence = 0;   // the net's output for its answer
};

// Which digits a list holds: those of label `label` (-1: any) read as `predicted` (-1: any),
// at most `limit` of them (-1: all). Correct answers are listed only when both are given and
// equal (a cell on the diagonal); otherwise only the mistakes.
struct MistakeQuery {
  int label = -1, predicted = -1;
  int limit = -1;
};

// Reads mistakes()'s arguments ({label, predicted, limit}, each optional; null or nothing for
// all): "" or what is wrong with them.
std::string read_mistake_query(const json::Value& args, MistakeQuery* query);

// The digits `query` asks for, most confident first (equal confidence: the lower index first).
std::vector<Mistake> find_mistakes(const TestAnswers& t, const MistakeQuery& query);

json::Value to_json(const ConfusionMatrix& m);
json::Value to_json(const std::vector<Mistake>& mistakes);

}  // namespace bplab::app

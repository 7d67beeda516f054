// The confusion matrix and its mistakes (see confusion.hpp).
#include "app/confusion.hpp"

#include <algorithm>
#include <cmath>

namespace bplab::app {

int TestAnswers::correct() const {
  int n = 0;
  for (int d = 0; d < kDigits; ++d) n += counts[size_t(d)][size_t(d)];
  return n;
}

double TestAnswers::class_accuracy(int d) const {
  if (d < 0 || d >= kDigits) return -1;
  int total = 0;
  for (int c : counts[size_t(d)]) total += c;
  return total ? double(counts[size_t(d)][size_t(d)]) / total : -1;
}

TestAnswers make_test_answers(std::vector<Answer> answers, std::vector<uint8_t> labels, int epoch) {
  TestAnswers t;
  t.answers = std::move(answers);
  t.labels = std::move(labels);
  t.epoch = epoch;
  const size_t n = std::min(t.answers.size(), t.labels.size());
  t.answers.resize(n);
  t.labels.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int label = t.labels[i], predicted = t.answers[i].predicted;
    if (label >= 0 && label < kDigits && predicted >= 0 && predicted < kDigits) ++t.counts[size_t(label)][size_t(predicted)];
  }
  return t;
}

std::string read_mistake_query(const json::Value& args, MistakeQuery* query) {
  MistakeQuery q;
  if (args.is_null()) {
    *query = q;
    return "";
  }
  if (!args.is_object()) return "mistakes wants an object: {label, predicted, limit}, each optional";
  auto integer = [](const json::Value& v, double lo, double hi, int* out) {
    if (v.is_null()) return true;  // no filter
    if (!v.is_number()) return false;
    const double d = v.as_number();
    if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi) return false;
    *out = int(d);
    return true;
  };
  for (const json::Member& m : args.as_object()) {
    const std::string& key = m.first;
    if (key == "label") {
      if (!integer(m.second, 0, kDigits - 1, &q.label)) return "mistakes: label must be a digit from 0 to 9";
    } else if (key == "predicted") {
      if (!integer(m.second, 0, kDigits - 1, &q.predicted)) return "mistakes: predicted must be a digit from 0 to 9";
    } else if (key == "limit") {
      if (!integer(m.second, 0, 1e9, &q.limit)) return "mistakes: limit must be a whole number, 0 or more";
    } else {
      return "mistakes: unknown argument \"" + key.substr(0, 40) + "\" (it takes label, predicted and limit)";
    }
  }
  *query = q;
  return "";
}

std::vector<Mistake> find_mistakes(const TestAnswers& t, const MistakeQuery& q) {
  const bool cell_on_diagonal = q.label >= 0 && q.label == q.predicted;
  std::vector<Mistake> out;
  for (size_t i = 0; i < t.answers.size(); ++i) {
    const int label = t.labels[i], predicted = t.answers[i].predicted;
    if (q.label >= 0 && label != q.label) continue;
    if (q.predicted >= 0 && predicted != q.predicted) continue;
    if (label == predicted && !cell_on_diagonal) continue;
    out.push_back({int(i), label, predicted, t.answers[i].confidence});
  }
  // NaN (which a finite net cannot answer) last rather than breaking the sort's order.
  auto key = [](float c) { return std::isnan(c) ? -INFINITY : c; };
  auto more_confident = [&](const Mistake& a, const Mistake& b) {
    return key(a.confidence) != key(b.confidence) ? key(a.confidence) > key(b.confidence) : a.index < b.index;
  };
  if (q.limit >= 0 && size_t(q.limit) < out.size()) {
    std::partial_sort(out.begin(), out.begin() + q.limit, out.end(), more_confident);
    out.resize(size_t(q.limit));
  } else {
    std::sort(out.begin(), out.end(), more_confident);
  }
  return out;
}

json::Value to_json(const ConfusionMatrix& m) {
  json::Array rows;
  for (const auto& row : m) {
    json::Array r;
    for (int c : row) r.push_back(c);
    rows.push_back(std::move(r));
  }
  return rows;
}

json::Value to_json(const std::vector<Mistake>& mistakes) {
  json::Array out;
  for (const Mistake& m : mistakes)
    out.push_back(json::Object{{"index", m.index}, {"label", m.label}, {"predicted", m.predicted},
                               {"confidence", std::isfinite(m.confidence) ? json::Value(double(m.confidence)) : json::Value()}});
  return out;
}

}  // namespace bplab::app

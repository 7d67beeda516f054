// My digits: the digits file (written, read back, every bad file refused whole with the set
// unchanged), the page's commands for it, the training mixes and train({data, from}).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "app/keep.hpp"
#include "app/lab.hpp"
#include "app/training_worker.hpp"
#include "engine/model_io.hpp"

namespace bplab::app {
namespace {

Example digit(int label, float seed) {
  Example e;
  e.label = label;
  for (int i = 0; i < kExamplePixels; ++i) e.pixels[size_t(i)] = (i * 7 + int(seed * 13)) % 11 == 0 ? float(i % 97) / 96.0f * seed : 0.0f;
  return e;
}

// A page command with its arguments as the page writes them (JSON text).
json::Value call_text(Lab& lab, const std::string& name, const std::string& args) {
  json::ParseResult p = json::parse(args);
  EXPECT_TRUE(p.ok()) << args;
  return lab.command(name, p.value);
}
bool ok(const json::Value& r) { return r.find("ok")->as_bool(); }
std::string error(const json::Value& r) {
  const json::Value* e = r.find("error");
  return e && e->is_string() ? e->as_string() : "";
}

std::string pixels_json(const Example& e) {
  std::string s = "[";
  for (int i = 0; i < kExamplePixels; ++i) s += (i ? "," : "") + json::format_number(e.pixels[size_t(i)], json::NumberFormat::Float);
  return s + "]";
}

TEST(DigitsFile, RoundTripsExactly) {
  std::vector<Example> set = {digit(7, 0.3f), digit(0, 1.0f), digit(9, 0.123456789f)};
  set[0].pixels[5] = 1.0f;
  set[1].pixels[6] = 1e-7f;
  const std::string text = write_digits(set);
  EXPECT_EQ(text.rfind("bplab-digits 1\ncount 3\n7 ", 0), 0u) << text.substr(0, 40);
  std::vector<Example> back;
  ASSERT_EQ(read_digits(text, kMaxExamples, &back), "");
  ASSERT_EQ(back.size(), set.size());
  for (size_t i = 0; i < set.size(); ++i) {
    EXPECT_EQ(back[i].label, set[i].label);
    EXPECT_EQ(back[i].pixels, set[i].pixels) << i;
  }
  // Windows line ends and a missing final newline read the same.
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  crlf.pop_back(), crlf.pop_back();
  std::vector<Example> again;
  ASSERT_EQ(read_digits(crlf, kMaxExamples, &again), "");
  EXPECT_EQ(again.size(), 3u);
  // An empty set is a file too.
  std::vector<Example> none;
  EXPECT_EQ(read_digits(write_digits({}), 10, &none), "");
  EXPECT_TRUE(none.empty());
}

TEST(DigitsFile, EveryBadFileIsRefusedWholeWithTheSetUnchanged) {
  const std::string good = write_digits({digit(3, 0.5f), digit(4, 0.7f)});
  const size_t second = good.find('\n', good.find("\n3 ") + 1) + 1;  // where digit 2's line begins
  auto with = [&](size_t at, size_t n, const std::string& s) { return std::string(good).replace(at, n, s); };
  std::string cut = good.substr(0, good.size() - 40);  // the last line cut after a number
  while (cut.back() == ' ') cut.pop_back();
  struct Case {
    std::string text, expect;
  } cases[] = {
      {"", "not a Backprop Lab digits file"},
      {"garbage\x01\xff", "not a Backprop Lab digits file"},
      {"{\"sizes\": [784, 30, 10]}", "not a Backprop Lab digits file"},
      {with(0, 14, "bplab-digits 2"), "version 2"},
      {with(0, 14, "bplab-digits x"), "version"},
      {with(15, 7, "count -1"), "count N"},
      {with(15, 7, "count 3"), "cut short: 2 of 3"},
      {cut, "784 pixels"},
      {good.substr(0, second), "cut short: 1 of 2"},               // a whole line lost
      {with(second, 1, "10"), "label must be a digit 0-9, got 10"},
      {with(second, 1, "-1"), "label must be a digit 0-9, got -1"},
      {with(second, 1, "3.5"), "label must be a digit"},
      {with(second + 1, 2, " nan"), "\"nan\" is not a number"},
      {with(second + 1, 2, " 1.5"), "pixel 0 (row 0, column 0) is 1.5"},
      {with(second + 1, 2, " -0.25"), "is -0.25, not in [0, 1]"},
      {with(second + 1, 2, " 1e999"), "not in [0, 1]"},
      {with(second + 1, 2, " 0 0"), "785 pixels"},
      {with(second + 1, 2, "  "), "\"\" is not a number"},
      {good + "5 0\n", "more after the 2 digits"},
      {with(15, 7, "count 10001"), "room for"},
  };
  for (const Case& c : cases) {
    std::vector<Example> set = {digit(1, 0.2f)};
    const std::vector<Example> before = set;
    const std::string e = read_digits(c.text, kMaxExamples - 1, &set);
    EXPECT_NE(e.find(c.expect), std::string::npos) << "error: " << e << "\nexpected: " << c.expect;
    EXPECT_EQ(e.rfind("digits file refused: ", 0), 0u) << e;
    ASSERT_EQ(set.size(), before.size()) << e;
    EXPECT_EQ(set[0].pixels, before[0].pixels);
  }
  // Over the room left: refused before a line is read.
  std::vector<Example> set;
  EXPECT_NE(read_digits(good, 1, &set).find("room for 1 more (at most 10000)"), std::string::npos);
  EXPECT_TRUE(set.empty());
}

TEST(DigitsCommands, AddRemoveClearListAndRefuseBadInput) {
  Lab lab;
  const Example a = digit(7, 0.4f);
  json::Value r = call_text(lab, "addExample", R"({"label": 7, "pixels": )" + pixels_json(a) + "}");
  ASSERT_TRUE(ok(r)) << error(r);
  EXPECT_EQ(r.find("value")->as_number(), 1);
  EXPECT_EQ(lab.examples()[0].pixels, a.pixels);  // taken as given
  // Each bad input is refused with a message naming the problem, the set kept.
  std::string many = "[";
  for (int i = 0; i < 785; ++i) many += i ? ",0" : "0";
  many += "]";
  std::string nan_pixel = pixels_json(a), high = pixels_json(a);
  nan_pixel.replace(1, 3, "\"NaN\"");
  high.replace(1, 3, "1.5");
  const std::pair<std::string, std::string> bad[] = {
      {R"({"label": 10, "pixels": [0]})", "label must be a digit 0-9, got 10"},
      {R"({"label": -1})", "got -1"},
      {R"({"label": 2.5})", "label must be an integer"},
      {R"({"label": "7"})", "label must be an integer"},
      {R"({"pixels": [0]})", "label must be a digit"},
      {R"({"label": 1, "pixels": [0, 0.5]})", "784 pixels (28x28), got 2"},
      {R"({"label": 1, "pixels": )" + many + "}", "got 785"},
      {R"({"label": 1, "pixels": )" + nan_pixel + "}", "pixels must be a list of numbers"},
      {R"({"label": 1, "pixels": )" + high + "}", "pixel 0 (row 0, column 0) is 1.5, not in [0, 1]"},
      {R"({"label": 1, "pixels": "abc"})", "pixels must be a list of numbers"},
      {R"({"label": 1})", "no drawing to keep"},
      {"[1, 2]", "addExample wants an object of label, pixels"},
  };
  for (const auto& [args, expect] : bad) {
    r = call_text(lab, "addExample", args);
    EXPECT_FALSE(ok(r)) << args;
    EXPECT_NE(error(r).find(expect), std::string::npos) << error(r) << " / expected " << expect;
    EXPECT_EQ(lab.examples().size(), 1u);
  }
  // Without pixels: the current drawing's input, and the label given.
  lab.begin_stroke(100, 60);
  lab.continue_stroke(110, 220);
  r = call_text(lab, "addExample", R"({"label": 1})");
  ASSERT_TRUE(ok(r)) << error(r);
  EXPECT_EQ(lab.examples()[1].pixels, lab.input());
  r = call_text(lab, "examples", "null");
  ASSERT_TRUE(ok(r));
  const json::Array& list = r.find("value")->as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].find("label")->as_number(), 7);
  EXPECT_EQ(list[1].find("label")->as_number(), 1);
  EXPECT_EQ(list[0].find("predicted")->as_number(), lab.answers()[0].predicted);
  // state().examples: count, correct, byLabel, limit.
  const json::Value s = lab.state_json();
  const json::Value* ex = s.find("examples");
  ASSERT_TRUE(ex);
  EXPECT_EQ(ex->find("count")->as_number(), 2);
  EXPECT_EQ(ex->find("limit")->as_number(), kMaxExamples);
  EXPECT_EQ(ex->find("byLabel")->as_array()[7].as_number(), 1);
  EXPECT_EQ(ex->find("correct")->as_number(), lab.examples_correct());
  EXPECT_EQ(s.find("limits")->find("examples")->as_number(), kMaxExamples);
  // Remove: a bad index is refused, the set kept.
  for (const char* bad_index : {"2", "-1", "1.5", "\"x\""}) {
    EXPECT_FALSE(ok(call_text(lab, "removeExample", bad_index))) << bad_index;
    EXPECT_EQ(lab.examples().size(), 2u);
  }
  EXPECT_TRUE(ok(call_text(lab, "removeExample", "0")));
  ASSERT_EQ(lab.examples().size(), 1u);
  EXPECT_EQ(lab.examples()[0].label, 1);
  // Export, clear, import: the same set.
  r = call_text(lab, "exportExamples", "null");
  const std::string text = r.find("value")->as_string();
  EXPECT_TRUE(ok(call_text(lab, "clearExamples", "null")));
  EXPECT_TRUE(lab.examples().empty());
  json::Object args{{"text", text}};
  r = lab.command("importExamples", json::Value(args));
  ASSERT_TRUE(ok(r)) << error(r);
  EXPECT_EQ(r.find("value")->as_number(), 1);
  r = lab.command("importExamples", json::Value(text));  // importing adds (a class's files merge)
  EXPECT_EQ(lab.examples().size(), 2u);
  r = lab.command("importExamples", json::Value(std::string("bplab-digits 9\n")));
  EXPECT_FALSE(ok(r));
  EXPECT_NE(error(r).find("version 9"), std::string::npos);
  EXPECT_EQ(lab.examples().size(), 2u);
}

TEST(DigitsCommands, TheLimitHoldsAndPredictChangesNothing) {
  Lab lab;
  std::vector<Example> full(kMaxExamples, digit(2, 0.5f));
  ASSERT_EQ(lab.import_examples(write_digits(full)), "");
  EXPECT_NE(lab.add_example(3, digit(3, 0.1f).pixels).find("at most 10000"), std::string::npos);
  EXPECT_NE(lab.import_examples(write_digits({digit(1, 0.5f)})).find("room for 0 more"), std::string::npos);
  EXPECT_EQ(lab.examples().size(), size_t(kMaxExamples));

  const Example e = digit(5, 0.9f);
  const auto input = lab.input();
  json::Value r = call_text(lab, "predict", pixels_json(e));
  ASSERT_TRUE(ok(r)) << error(r);
  const Vector<float> a = feedforward(lab.model(), Vector<float>(Eigen::Map<const Vector<float>>(e.pixels.data(), kExamplePixels)));
  EXPECT_EQ(r.find("value")->find("predicted")->as_number(), argmax(a));
  EXPECT_EQ(r.find("value")->find("activations")->as_array().size(), 10u);
  EXPECT_NEAR(r.find("value")->find("activations")->as_array()[3].as_number(), a(3), 1e-6);
  EXPECT_EQ(lab.input(), input);  // the screen's digit is unchanged
  EXPECT_FALSE(ok(call_text(lab, "predict", "[0.5]")));
  EXPECT_FALSE(ok(call_text(lab, "predict", "null")));
}

TEST(TrainingMix, MnistThenMineRepeated) {
  Dataset mnist;
  mnist.rows = mnist.cols = 28;
  mnist.pixels = Batch<uint8_t>::Constant(kExamplePixels, 5, 9);
  mnist.labels = {0, 1, 2, 3, 4};
  const Dataset mine = examples_dataset({digit(8, 1.0f), digit(6, 0.5f)});
  EXPECT_EQ(mine.pixels(0, 0), uint8_t(std::lround(digit(8, 1.0f).pixels[0] * 255)));
  TrainMix mix{TrainData::Both, 3, 4};
  const Dataset d = training_mix(mnist, mine, mix);
  ASSERT_EQ(d.size(), 3 + 2 * 4);
  EXPECT_EQ(d.labels[2], 2);
  EXPECT_EQ(d.labels[3], 8);
  EXPECT_EQ(d.labels[10], 6);
  EXPECT_TRUE(d.pixels.col(9) == mine.pixels.col(0));
  EXPECT_EQ(training_mix(mnist, mine, {TrainData::Mine, 3, 1}).size(), 2);
  EXPECT_EQ(training_mix(mnist, mine, {TrainData::Mnist, -1, 4}).size(), 5);
  // The worker reads the kept digits as IDX bytes and makes the same mix.
  std::vector<uint8_t> images, labels;
  write_idx(mine, &images, &labels);
  Dataset back;
  ASSERT_EQ(load_idx_from_memory(images.data(), images.size(), labels.data(), labels.size(), &back), "");
  EXPECT_TRUE(back.pixels == mine.pixels);
  EXPECT_EQ(back.labels, mine.labels);
}

// A Lab of its own (these tests change its set and model) with 2,000 MNIST training images.
Lab& teaching_lab() {
  static Lab* lab = [] {
    auto* l = new Lab;
    EXPECT_EQ(l->load_data_dir(find_mnist_dir(BPLAB_TEST_MNIST_DIR), 2000), "");
    return l;
  }();
  return *lab;
}

TEST(TrainCommand, DataAndFrom) {
  Lab& lab = teaching_lab();
  lab.clear_examples();
  json::Value r = call_text(lab, "train", R"({"data": "mine"})");
  EXPECT_FALSE(ok(r));
  EXPECT_NE(error(r).find("My digits is empty"), std::string::npos) << error(r);
  EXPECT_NE(error(call_text(lab, "train", R"({"data": "yours"})")).find("'mnist', 'mine' or 'both'"), std::string::npos);
  EXPECT_NE(error(call_text(lab, "train", R"({"from": "old"})")).find("'fresh' or 'current'"), std::string::npos);
  // from 'current' refuses sizes that contradict the model, and changes nothing.
  const std::string model = lab.export_model();
  r = call_text(lab, "train", R"({"from": "current", "sizes": [784, 12, 10]})");
  EXPECT_FALSE(ok(r));
  EXPECT_NE(error(r).find("its sizes are 784,30,10, not 784,12,10"), std::string::npos) << error(r);
  EXPECT_EQ(lab.export_model(), model);
  EXPECT_FALSE(lab.running());
  // from 'current' on my digits: the same net goes on learning them.
  for (int i = 0; i < 20; ++i) ASSERT_EQ(lab.add_example(i % 10, digit(i % 10, 0.1f * (i / 10 + 1)).pixels), "");
  r = call_text(lab, "train", R"({"from": "current", "data": "mine", "epochs": 2, "eta": 0.5})");
  ASSERT_TRUE(ok(r)) << error(r);
  EXPECT_EQ(lab.state_json().find("training")->find("data")->as_string(), "mine");
  for (int i = 0; i < 1000 && lab.running(); ++i) lab.tick(20);
  EXPECT_EQ(lab.epoch(), 2);
  EXPECT_NE(lab.export_model(), model);
  EXPECT_EQ(lab.model().sizes, (std::vector<int>{784, 30, 10}));
  lab.clear_examples();
}

// Teach it and training on from the current net change the model: Undo takes each back, the
// weights bit for bit; a refused teach leaves nothing to undo.
TEST(TeachCommand, UndoTakesItBack) {
  Lab& lab = teaching_lab();
  lab.clear_examples();
  lab.forget_undo();
  EXPECT_FALSE(ok(call_text(lab, "teach", "{}")));  // My digits is empty
  EXPECT_EQ(lab.undo_what(), "");
  for (int i = 0; i < 20; ++i) ASSERT_EQ(lab.add_example(i % 10, digit(i % 10, 0.1f * (i / 10 + 1)).pixels), "");
  const std::string before = lab.export_model();
  json::Value r = call_text(lab, "teach", R"({"epochs": 1, "mnist": 200})");
  ASSERT_TRUE(ok(r)) << error(r);
  EXPECT_NE(lab.undo_what().find("Teach it"), std::string::npos) << lab.undo_what();
  for (int i = 0; i < 2000 && lab.running(); ++i) lab.tick(20);
  const std::string taught = lab.export_model();
  EXPECT_NE(taught, before);
  EXPECT_NE(lab.undo().find("Teach it"), std::string::npos);
  EXPECT_EQ(lab.export_model(), before);
  r = call_text(lab, "train", R"({"from": "current", "data": "mine", "epochs": 1})");
  ASSERT_TRUE(ok(r)) << error(r);
  for (int i = 0; i < 2000 && lab.running(); ++i) lab.tick(20);
  EXPECT_NE(lab.export_model(), before);
  EXPECT_EQ(lab.undo(), "Train from the current net");
  EXPECT_EQ(lab.export_model(), before);
  lab.clear_examples();
}

// A model opened from a file (dropped, or Open) is a change Undo takes back; a digits file is not
// a change to the model.
TEST(OpenFile, AModelIsUndoable) {
  Lab lab;
  lab.forget_undo();
  const std::string before = lab.export_model();
  Network<double> other = lab.model().cast<double>();
  other.biases[0](0) += 1;
  ASSERT_EQ(open_text(lab, model_to_json(other), "other.json"), "");
  EXPECT_NE(lab.export_model(), before);
  EXPECT_EQ(lab.undo_what(), "Open other.json");
  lab.undo();
  EXPECT_EQ(lab.export_model(), before);
  ASSERT_EQ(lab.add_example(3, digit(3, 0.5f).pixels), "");
  const std::string digits = lab.export_examples();
  EXPECT_EQ(open_text(lab, digits, "mine.txt"), "");
  EXPECT_EQ(lab.examples().size(), 2u);
  EXPECT_EQ(lab.undo_what(), "");
}

}  // namespace
}  // namespace bplab::app

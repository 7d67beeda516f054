// The derivation's tables are the one place of a step and a bug: this test build adds a step and
// a bug as rows (derivation_extra_rows.hpp, compiled into kSteps and kBugs with
// BPLAB_DERIVATION_EXTRA_ROWS) and finds them in the step bar, the URL, setDerivation, the
// transcript, the mirror and state(), with nothing else changed.
#include <gtest/gtest.h>
#include <imgui.h>

#include <string>
#include <vector>

#include "app/app_internal.hpp"
#include "app/derivation.hpp"
#include "app/settings.hpp"
#include "engine/mnist.hpp"

namespace bplab::app {
namespace {

class ExtraRows : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    last_ = derivation_step_count();
    // The URL of a course page that links to the new step and bug's screen.
    app_ = create(Options{{"--query", "panel=derivation&step=" + std::to_string(last_)}});
    ASSERT_NE(app_, nullptr);
    if (app_->lab.test().size() == 0)
      if (const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR); !dir.empty()) app_->lab.load_data_dir(dir);
    app_->lab.show_test_digit(3);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    run_frame();
  }
  void TearDown() override {
    destroy(app_);
    ImGui::DestroyContext();
  }
  void run_frame() {
    prepare_frame(*app_, 0);
    ImGui::GetIO().DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app_);
    ImGui::Render();
  }
  json::Value command(const std::string& name, json::Value args = json::Object{}) {
    const json::Value r = app_command(*app_, name, args);
    EXPECT_TRUE(r.find("ok") && r.find("ok")->as_bool()) << name << ": " << json::write(r);
    const json::Value* v = r.find("value");
    return v ? *v : json::Value();
  }
  json::Value derivation() {
    const json::Value s = command("state");
    const json::Value* d = s.find("derivation");
    return d ? *d : json::Value();
  }
  const mirror::Node* node(const std::string& name) {
    for (const mirror::Node& n : app_->mirror.nodes())
      if (n.name == name) return &n;
    return nullptr;
  }
  App* app_ = nullptr;
  int last_ = 0;
};

TEST_F(ExtraRows, TheTablesHaveTheRowsAtTheirEnds) {
  const DerivationStepInfo step = derivation_step(last_);
  EXPECT_STREQ(step.id, "extra");
  EXPECT_STREQ(derivation_step(last_ - 1).id, "descent") << "the book's steps stay as they were";
  const std::vector<std::string> bugs = derivation_bug_ids();
  ASSERT_GE(bugs.size(), 2u);
  EXPECT_EQ(bugs.back(), "extra-bug");
  EXPECT_EQ(bugs.front(), "none");
}

TEST_F(ExtraRows, TheUrlReadsAndWritesTheLastStep) {
  Settings s;
  std::vector<std::string> warnings;
  read_query("panel=derivation&step=" + std::to_string(last_), s, &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_EQ(s.step, last_);
  read_query("step=" + std::to_string(last_ + 1), s, &warnings);
  ASSERT_EQ(warnings.size(), 1u) << "one past the last step is refused";
  EXPECT_NE(warnings[0].find("[1, " + std::to_string(last_) + "]"), std::string::npos) << warnings[0];
  // The app opened at the URL's step, and its link gives it back.
  EXPECT_EQ(derivation().find("step")->as_number(), last_);
  EXPECT_NE(command("copyLink").as_string().find("step=" + std::to_string(last_)), std::string::npos);
}

TEST_F(ExtraRows, SetDerivationStateAndTranscriptHaveTheStepAndTheBug) {
  command("setDerivation", json::Object{{"step", last_}, {"bug", "extra-bug"}});
  json::Value d = derivation();
  EXPECT_EQ(d.find("step")->as_number(), last_);
  EXPECT_EQ(d.find("steps")->as_number(), last_);
  EXPECT_EQ(d.find("bug")->as_string(), "extra-bug");
  bool own_check = false;
  for (const json::Value& c : d.find("checks")->as_array()) own_check |= c.find("what")->as_string() == "the extra step's own check";
  EXPECT_TRUE(own_check) << "state()'s checks are the new step's";
  const std::string html = command("derivationTranscript").as_string();
  EXPECT_NE(html.find("step " + std::to_string(last_) + " of " + std::to_string(last_) + ": The extra step"), std::string::npos) << html;
  EXPECT_NE(html.find("a row of kSteps and this function"), std::string::npos) << html;
  EXPECT_NE(html.find("Injected bug: the extra bug."), std::string::npos) << "the notices name the bug: " << html;
  // The bug is applied as its row says: σ′ dropped in BP2 only, so BP2's check disagrees, BP1's not.
  int bp2 = 0, bp1 = 0;
  for (int s = 1; s <= last_; ++s) {
    if (std::string(derivation_step(s).id) == "bp2") bp2 = s;
    if (std::string(derivation_step(s).id) == "bp1") bp1 = s;
  }
  ASSERT_GT(bp2, 0);
  ASSERT_GT(bp1, 0);
  command("setDerivation", json::Object{{"step", bp2}});
  for (int i = 0; i < 200 && derivation().find("progress")->find("done")->as_number() < derivation().find("progress")->find("total")->as_number(); ++i)
    run_frame();
  d = derivation();
  bool disagrees = false;
  for (const json::Value& c : d.find("checks")->as_array()) disagrees |= !c.find("agree")->as_bool() && !c.find("pending")->as_bool();
  EXPECT_TRUE(disagrees) << json::write(d.find("checks") ? *d.find("checks") : json::Value());
  EXPECT_NE(command("derivationTranscript").as_string().find("the extra bug, σ′ dropped in BP2 only"), std::string::npos);
  command("setDerivation", json::Object{{"step", bp1}});
  run_frame();
  d = derivation();
  for (const json::Value& c : d.find("checks")->as_array())
    if (!c.find("pending")->as_bool()) EXPECT_TRUE(c.find("agree")->as_bool()) << c.find("what")->as_string();
  // One step past the last, and a bug no row has, are refused by name.
  const json::Value refused = app_command(*app_, "setDerivation", json::Object{{"step", last_ + 1}});
  EXPECT_NE(refused.find("error")->as_string().find("1 to " + std::to_string(last_)), std::string::npos);
  const json::Value no_bug = app_command(*app_, "setDerivation", json::Object{{"bug", "no-such-bug"}});
  EXPECT_NE(no_bug.find("error")->as_string().find("extra-bug"), std::string::npos) << "the message lists every row's id";
}

TEST_F(ExtraRows, TheStepBarAndTheMirrorHaveTheStepAndTheBug) {
  command("setDerivation", json::Object{{"step", 1}});
  run_frame();
  run_frame();
  const mirror::Node* button = node("step " + std::to_string(last_) + ": The extra step");
  ASSERT_NE(button, nullptr) << "the step bar has a button for the new step";
  const mirror::Node* bug = nullptr;
  for (const mirror::Node& n : app_->mirror.nodes())
    if (n.name.rfind("inject a classic bug", 0) == 0) bug = &n;
  ASSERT_NE(bug, nullptr);
  bool listed = false;
  for (const std::string& option : bug->d.options) listed |= option == "the extra bug";
  EXPECT_TRUE(listed) << "the bug menu offers the new bug";
  // Pressing the step's button (as the page's mirror does) shows the step.
  json::Object press{{"id", std::to_string(button->id)}, {"action", "press"}};
  ASSERT_EQ(app_->mirror.act(json::Value(std::move(press))), "");
  for (int i = 0; i < 3; ++i) run_frame();
  EXPECT_EQ(derivation().find("step")->as_number(), last_);
  EXPECT_NE(node("next step"), nullptr);
}

}  // namespace
}  // namespace bplab::app

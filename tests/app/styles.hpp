// Handwriting styles that are not MNIST's, made through the app's own MNIST preprocessing, for
// measuring what "Teach it" learns (test_teach.cpp): a consistent style a learner might have.
//   SevenSegment   digits as a wide, slanted seven-segment display drawn with the canvas's pen
//   LeanNarrow     MNIST digits leaning hard right and squeezed to a narrow column
//   BackslantBold  MNIST digits leaning left with thick strokes
// Each digit varies (jitter, a different MNIST writer), the style stays the same.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "app/examples.hpp"
#include "app/preprocess.hpp"
#include "engine/mnist.hpp"
#include "engine/rng.hpp"

namespace bplab::app::test {

enum class Style { SevenSegment, LeanNarrow, BackslantBold };
inline const char* style_name(Style s) {
  return s == Style::SevenSegment ? "seven-segment" : s == Style::LeanNarrow ? "lean-narrow" : "backslant-bold";
}

// Segments a..g of each digit (a top, b top right, c bottom right, d bottom, e bottom left, f top
// left, g middle).
inline Example seven_segment(int digit, Rng& rng) {
  static const char* kSegments[10] = {"abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"};
  Canvas canvas;
  const float slant = 0.3f;
  auto jitter = [&] { return float(rng.uniform() - 0.5) * 0.05f; };
  auto point = [&](float x, float y) {
    const float jx = x + jitter(), jy = y + jitter();
    return std::array<float, 2>{(jx + slant * (0.5f - jy)) * canvas.size, jy * canvas.size};
  };
  const float l = 0.16f, r = 0.84f, t = 0.3f, m = 0.5f, b = 0.7f;  // wide, short digits
  for (const char* s = kSegments[digit]; *s; ++s) {
    std::array<float, 2> p, q;
    switch (*s) {
      case 'a': p = point(l, t), q = point(r, t); break;
      case 'b': p = point(r, t), q = point(r, m); break;
      case 'c': p = point(r, m), q = point(r, b); break;
      case 'd': p = point(l, b), q = point(r, b); break;
      case 'e': p = point(l, m), q = point(l, b); break;
      case 'f': p = point(l, t), q = point(l, m); break;
      default: p = point(l, m), q = point(r, m); break;
    }
    canvas.stroke(p[0], p[1], q[0], q[1], canvas.default_radius() * float(0.8 + 0.4 * rng.uniform()));
  }
  Example e;
  e.label = digit;
  e.pixels = preprocess_mnist(canvas);
  return e;
}

// MNIST digit `i` of `d` through a fixed affine map (lean, width) and optionally thickened, drawn
// on the app's canvas and preprocessed as a drawing is.
inline Example transformed(const Dataset& d, int i, float lean_radians, float width, int thicken) {
  std::array<float, 28 * 28> src{};
  for (int k = 0; k < 28 * 28; ++k) src[size_t(k)] = pixel_value(d.pixels(k, i));
  for (int pass = 0; pass < thicken; ++pass) {
    std::array<float, 28 * 28> out = src;
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x)
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int yy = y + dy, xx = x + dx;
            if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28 && std::abs(dx) + std::abs(dy) == 1)
              out[size_t(y * 28 + x)] = std::max(out[size_t(y * 28 + x)], 0.85f * src[size_t(yy * 28 + xx)]);
          }
    src = out;
  }
  auto at = [&](float x, float y) {  // bilinear, 0 outside
    const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    float v = 0;
    for (int dy = 0; dy <= 1; ++dy)
      for (int dx = 0; dx <= 1; ++dx) {
        const int xx = x0 + dx, yy = y0 + dy;
        if (xx < 0 || yy < 0 || xx >= 28 || yy >= 28) continue;
        v += src[size_t(yy * 28 + xx)] * (1 - std::abs(x - xx)) * (1 - std::abs(y - yy));
      }
    return v;
  };
  Canvas canvas(112);
  const float c = std::cos(lean_radians), s = std::sin(lean_radians);
  for (int v = 0; v < canvas.size; ++v)
    for (int u = 0; u < canvas.size; ++u) {
      // Canvas point, centred, in source pixels; undo the rotation, then the width.
      const float px = (u + 0.5f) / canvas.size * 28 - 14, py = (v + 0.5f) / canvas.size * 28 - 14;
      const float rx = c * px + s * py, ry = -s * px + c * py;
      canvas.ink[size_t(v * canvas.size + u)] = std::clamp(at(rx / width + 14 - 0.5f, ry + 14 - 0.5f), 0.0f, 1.0f);
    }
  Example e;
  e.label = d.labels[size_t(i)];
  e.pixels = preprocess_mnist(canvas);
  return e;
}

// `per_class` digits of each class in `style`; `pool` MNIST images (not the ones teaching mixes
// in) from `first` on; `seed` varies the seven-segment jitter.
inline std::vector<Example> style_digits(Style style, int per_class, const Dataset& pool, int first, uint64_t seed) {
  std::vector<Example> out;
  Rng rng(seed);
  int count[10] = {};
  if (style == Style::SevenSegment) {
    for (int k = 0; k < per_class; ++k)
      for (int digit = 0; digit < 10; ++digit) out.push_back(seven_segment(digit, rng));
    return out;
  }
  for (int i = first; i < pool.size() && int(out.size()) < 10 * per_class; ++i) {
    const int label = pool.labels[size_t(i)];
    if (count[label] >= per_class) continue;
    ++count[label];
    out.push_back(style == Style::LeanNarrow ? transformed(pool, i, -0.45f, 0.55f, 0)
                                             : transformed(pool, i, 0.4f, 1.0f, 1));
  }
  return out;
}

}  // namespace bplab::app::test

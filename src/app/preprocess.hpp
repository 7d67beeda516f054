// The drawing canvas and MNIST's own preprocessing of it, as LeCun, Cortes and Burges describe
// the making of MNIST: the ink's bounding box is scaled to fit a 20x20 box, keeping the aspect
// ratio, with anti-aliasing (grey levels by area averaging), then placed in a 28x28 image so that
// its centre of mass lies at the centre of the field. Pure C++: no ImGui, testable.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace bplab::app {

// A square grid of ink in [0, 1] (0 = paper, 1 = full ink), row by row.
struct Canvas {
  explicit Canvas(int size = 280) : size(size), ink(std::size_t(size) * size, 0.0f) {}
  int size;
  std::vector<float> ink;

  void clear();
  bool empty() const;
  // A stroke segment from (x0, y0) to (x1, y1) in canvas pixels with a round brush of radius r,
  // soft at its edge over about a third of r (like the anti-aliased pen strokes of MNIST).
  // Ink combines by max, so going over a line twice does not darken it further.
  void stroke(float x0, float y0, float x1, float y1, float r);
  // The brush radius that gives strokes about as thick as MNIST's when the digit fills the canvas.
  float default_radius() const { return size * 0.045f; }
};

constexpr int kSide = 28;  // MNIST images are 28x28
constexpr int kBox = 20;   // the digit is scaled to fit 20x20

// What preprocessing found, to show it to the learner.
struct PreprocessInfo {
  bool empty = true;
  // The ink's bounding box in canvas pixels: [x0, x1) x [y0, y1).
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  // The scaled digit's box in the 28x28 image after the shift, [bx0, bx1) x [by0, by1).
  int bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
  // The centre of mass in the 28x28 image, in pixel units (pixel i covers [i, i+1)): near (14, 14).
  float com_x = 0, com_y = 0;
  int shift_x = 0, shift_y = 0;  // the rounded shift that moved it there
};

// The 784 pixels in [0, 1] (row by row) that the net sees for `ink` (a w x h grid in [0, 1]).
// An empty grid gives all zeros.
std::array<float, kSide * kSide> preprocess_mnist(const float* ink, int w, int h, PreprocessInfo* info = nullptr);
inline std::array<float, kSide * kSide> preprocess_mnist(const Canvas& c, PreprocessInfo* info = nullptr) {
  return preprocess_mnist(c.ink.data(), c.size, c.size, info);
}

}  // namespace bplab::app

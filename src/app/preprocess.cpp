// MNIST's preprocessing of a drawing (see preprocess.hpp).
#include "app/preprocess.hpp"

#include <algorithm>
#include <cmath>

namespace bplab::app {

void Canvas::clear() { std::fill(ink.begin(), ink.end(), 0.0f); }

bool Canvas::empty() const {
  return std::none_of(ink.begin(), ink.end(), [](float v) { return v > 0.0f; });
}

void Canvas::stroke(float x0, float y0, float x1, float y1, float r) {
  // Far-off points (a pointer dragged a million pixels away, or hostile input) are ignored:
  // their squares would overflow a float, and their pixel indices an int.
  constexpr float kFar = 1e6f;
  for (const float v : {x0, y0, x1, y1})
    if (!(std::abs(v) <= kFar)) return;
  if (!(r > 0 && r <= kFar)) return;
  const float soft = std::max(1.0f, r / 3);  // width of the soft edge
  const float reach = r + soft;
  // Pixel bounds clamped as floats first: converting a float outside int's range is undefined.
  const auto pixel = [&](float v) { return int(std::clamp(v, -1.0f, float(size))); };
  const int ix0 = std::max(0, pixel(std::floor(std::min(x0, x1) - reach)));
  const int iy0 = std::max(0, pixel(std::floor(std::min(y0, y1) - reach)));
  const int ix1 = std::min(size - 1, pixel(std::ceil(std::max(x0, x1) + reach)));
  const int iy1 = std::min(size - 1, pixel(std::ceil(std::max(y0, y1) + reach)));
  const float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  for (int y = iy0; y <= iy1; ++y) {
    for (int x = ix0; x <= ix1; ++x) {
      // Distance from the pixel's centre to the segment.
      const float px = x + 0.5f - x0, py = y + 0.5f - y0;
      const float t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0f, 1.0f) : 0.0f;
      const float ex = px - t * dx, ey = py - t * dy;
      const float d = std::sqrt(ex * ex + ey * ey);
      // Full ink inside r - soft/2, none beyond r + soft/2, a linear ramp between.
      const float v = std::clamp((r - d) / soft + 0.5f, 0.0f, 1.0f);
      float& p = ink[size_t(y) * size + x];
      p = std::max(p, v);
    }
  }
}

namespace {

// Area-averaging resampling of n source samples onto m target samples along one axis: target
// sample u covers source interval [u*n/m, (u+1)*n/m) and takes the mean over it, each source
// sample weighted by how much of it lies inside. Returns weights as (source index, weight) lists.
std::vector<std::vector<std::pair<int, float>>> area_weights(int n, int m) {
  std::vector<std::vector<std::pair<int, float>>> out(m);
  const double scale = double(n) / m;  // source samples per target sample
  for (int u = 0; u < m; ++u) {
    const double a = u * scale, b = (u + 1) * scale;
    for (int i = int(std::floor(a)); i < n && i < b; ++i) {
      const double overlap = std::min(b, double(i + 1)) - std::max(a, double(i));
      if (overlap > 1e-9) out[u].push_back({i, float(overlap / scale)});
    }
  }
  return out;
}

}  // namespace

std::array<float, kSide * kSide> preprocess_mnist(const float* ink, int w, int h, PreprocessInfo* info) {
  std::array<float, kSide * kSide> out{};
  PreprocessInfo local;
  PreprocessInfo& in = info ? *info : local;
  in = PreprocessInfo{};

  // 1. The ink's bounding box.
  int x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (ink[size_t(y) * w + x] > 0.0f) {
        x0 = std::min(x0, x); x1 = std::max(x1, x);
        y0 = std::min(y0, y); y1 = std::max(y1, y);
      }
  if (x1 < 0) return out;  // no ink: all zeros
  const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  in.empty = false;
  in.x0 = x0; in.y0 = y0; in.x1 = x1 + 1; in.y1 = y1 + 1;

  // 2. Scale the box to fit 20x20 keeping its aspect ratio: the longer side becomes 20.
  const double s = double(kBox) / std::max(bw, bh);
  const int tw = std::clamp(int(std::lround(bw * s)), 1, kBox);
  const int th = std::clamp(int(std::lround(bh * s)), 1, kBox);
  const auto wx = area_weights(bw, tw), wy = area_weights(bh, th);
  std::vector<float> horiz(size_t(tw) * bh, 0.0f);  // rows resampled, columns not yet
  for (int y = 0; y < bh; ++y)
    for (int u = 0; u < tw; ++u) {
      float sum = 0;
      for (auto [i, wgt] : wx[u]) sum += wgt * ink[size_t(y0 + y) * w + x0 + i];
      horiz[size_t(y) * tw + u] = sum;
    }
  std::vector<float> box(size_t(tw) * th, 0.0f);
  for (int v = 0; v < th; ++v)
    for (int u = 0; u < tw; ++u) {
      float sum = 0;
      for (auto [j, wgt] : wy[v]) sum += wgt * horiz[size_t(j) * tw + u];
      box[size_t(v) * tw + u] = std::clamp(sum, 0.0f, 1.0f);
    }

  // 3. Centre of mass of the scaled digit, pixel u covering [u, u+1).
  double mass = 0, mx = 0, my = 0;
  for (int v = 0; v < th; ++v)
    for (int u = 0; u < tw; ++u) {
      const double m = box[size_t(v) * tw + u];
      mass += m; mx += m * (u + 0.5); my += m * (v + 0.5);
    }
  if (mass <= 0) { in.empty = true; return out; }
  mx /= mass; my /= mass;

  // 4. Place it so the centre of mass lands on (14, 14), shifting by the rounded offset.
  const int ox = int(std::lround(kSide / 2.0 - mx)), oy = int(std::lround(kSide / 2.0 - my));
  for (int v = 0; v < th; ++v)
    for (int u = 0; u < tw; ++u) {
      const int X = u + ox, Y = v + oy;
      if (X >= 0 && X < kSide && Y >= 0 && Y < kSide) out[size_t(Y) * kSide + X] = box[size_t(v) * tw + u];
    }
  in.shift_x = ox; in.shift_y = oy;
  in.bx0 = ox; in.by0 = oy; in.bx1 = ox + tw; in.by1 = oy + th;
  in.com_x = float(mx + ox); in.com_y = float(my + oy);
  return out;
}

}  // namespace bplab::app

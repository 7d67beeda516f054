// Digits as stroke polylines in the unit square (x right, y down), for the app tests.
#pragma once

#include <array>
#include <cmath>
#include <vector>

namespace bplab::app::test {

using Stroke = std::vector<std::array<float, 2>>;

inline std::vector<Stroke> digit_strokes(int d) {
  switch (d) {
    case 0: {
      Stroke s;
      for (int i = 0; i <= 40; ++i) {
        const float t = float(i) / 40 * 6.2831853f;
        s.push_back({0.5f + 0.2f * std::sin(t), 0.5f - 0.3f * std::cos(t)});
      }
      return {s};
    }
    case 1: return {{{0.52f, 0.18f}, {0.5f, 0.5f}, {0.48f, 0.82f}}};
    case 7: return {{{0.28f, 0.2f}, {0.72f, 0.2f}, {0.6f, 0.45f}, {0.46f, 0.82f}}};
    default: return {};
  }
}

// Densifies a polyline: points at most `step` apart (mouse events arrive like this).
inline Stroke densify(const Stroke& s, float step) {
  Stroke out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0) { out.push_back(s[0]); continue; }
    const float dx = s[i][0] - s[i - 1][0], dy = s[i][1] - s[i - 1][1];
    const int n = std::max(1, int(std::ceil(std::sqrt(dx * dx + dy * dy) / step)));
    for (int k = 1; k <= n; ++k) out.push_back({s[i - 1][0] + dx * k / n, s[i - 1][1] + dy * k / n});
  }
  return out;
}

}  // namespace bplab::app::test

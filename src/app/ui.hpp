// Small drawing helpers shared by the panels: colour maps and a few widgets. ImGui only.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace bplab::app::ui {

// Ink on a dark background, as the net sees it: 0 black, 1 white.
inline ImU32 grey(float v) {
  const int c = int(std::clamp(std::isfinite(v) ? v : 0.0f, 0.0f, 1.0f) * 255.0f + 0.5f);
  return IM_COL32(c, c, c, 255);
}

// Signed values (weights, δ) scaled by `scale`: blue for positive, orange for negative, dark at
// zero (TensorFlow Playground's colours).
inline ImU32 diverging(float v, float scale) {
  float t = scale > 0 && std::isfinite(v) ? std::clamp(v / scale, -1.0f, 1.0f) : 0.0f;
  const float base = 30.0f;
  if (t >= 0) return IM_COL32(int(base + t * (60 - base)), int(base + t * (140 - base)), int(base + t * (235 - base)), 255);
  t = -t;
  return IM_COL32(int(base + t * (240 - base)), int(base + t * (130 - base)), int(base + t * (40 - base)), 255);
}

// Activations in [0, 1]: dark blue-grey to warm yellow.
inline ImU32 activation(float a) {
  const float t = std::clamp(std::isfinite(a) ? a : 0.0f, 0.0f, 1.0f);
  return IM_COL32(int(40 + t * 215), int(44 + t * 181), int(52 + t * 28), 255);
}

// An ImGui colour as the four RGBA bytes of a texture pixel.
inline void put_rgba(unsigned char* px, ImU32 c) {
  px[0] = (c >> IM_COL32_R_SHIFT) & 0xFF;
  px[1] = (c >> IM_COL32_G_SHIFT) & 0xFF;
  px[2] = (c >> IM_COL32_B_SHIFT) & 0xFF;
  px[3] = (c >> IM_COL32_A_SHIFT) & 0xFF;
}

constexpr ImU32 kAccent = IM_COL32(110, 168, 254, 255);   // the predicted digit, the test curve
constexpr ImU32 kGreen = IM_COL32(120, 200, 120, 255);    // training accuracy
constexpr ImU32 kOrange = IM_COL32(240, 160, 60, 255);    // validation accuracy
constexpr ImU32 kRed = IM_COL32(255, 110, 100, 255);      // warnings, the cost curve

// A coloured line of text that wraps.
inline void warning_text(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kRed));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

// The largest |x| of n values (0 for none or non-finite).
template <typename It>
float max_abs(It begin, It end) {
  float m = 0;
  for (It i = begin; i != end; ++i)
    if (std::isfinite(float(*i))) m = std::max(m, std::abs(float(*i)));
  return m;
}

}  // namespace bplab::app::ui

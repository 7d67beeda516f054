// The small picture of the net beside the steps, with highlights.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>
#include <imgui.h>

namespace bplab::app::derivation {

// The net as columns of circles, the input as its image. Neuron j of the output layer and
// whatever the mouse is on are highlighted; hovering a neuron reports its tag.
void draw_sketch(DerivationView& v, float width, float height) {
  const Numbers& n = v.n;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  const int j = output_neuron(v);
  const int hj = step_of(v).follows_hidden_neuron ? hidden_neuron(v) : -1;
  const int layers = n.L;
  const float col_w = width / float(layers);
  const float top = o.y + 18, bottom = o.y + height - 8;
  dl->AddText(ImVec2(o.x, o.y), kDim, "input x");
  // Column positions of drawn neurons, per layer (layer 2..L), at most 30 drawn.
  std::vector<std::vector<ImVec2>> pos(layers + 1);
  for (int l = 2; l <= layers; ++l) {
    const int count = std::min(n.net.sizes[l - 1], 30);
    const float x = o.x + col_w * (l - 1) + col_w * 0.5f;
    const float step = std::min(22.0f, (bottom - top) / float(count));
    const float y0 = 0.5f * (top + bottom) - 0.5f * step * (count - 1);
    for (int k = 0; k < count; ++k) pos[l].push_back(ImVec2(x, y0 + step * k));
  }
  // The input image (a square input is drawn as its picture).
  const int n1 = n.net.sizes[0];
  const int side = int(std::lround(std::sqrt(double(n1))));
  if (side * side == n1) {
    const float cell = std::min(col_w * 0.8f, 120.0f) / float(side);
    const ImVec2 p(o.x + 2, 0.5f * (top + bottom) - 0.5f * cell * side);
    dl->AddRectFilled(p, ImVec2(p.x + cell * side, p.y + cell * side), ui::grey(0));  // as the net sees it, in either theme
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) {
        const double a = n.x(r * side + c);
        if (a <= 0.02) continue;
        dl->AddRectFilled(ImVec2(p.x + c * cell, p.y + r * cell), ImVec2(p.x + (c + 1) * cell, p.y + (r + 1) * cell), ui::grey(float(a)));
      }
  }
  // Connections into the output layer: to neuron j in the accent's colour, the one under the
  // pointer in the highlight's, the rest faint.
  const ui::Palette& pal = ui::palette();
  for (int l = 3; l <= layers; ++l)
    for (int k = 0; k < int(pos[l].size()); ++k)
      for (int q = 0; q < int(pos[l - 1].size()); ++q) {
        const bool hot = (l == layers && k == j) || (l == layers && q == hj) ||
                         v.highlight == weight_tag(l, k, q);
        if (!hot && l == layers && (q % 2)) continue;  // thin out the faint ones
        const bool pointed = v.highlight == weight_tag(l, k, q);
        dl->AddLine(pos[l - 1][q], pos[l][k], pointed ? pal.highlight : hot ? pal.accent : ui::with_alpha(pal.dim, 30),
                    pointed ? 3.0f : 1.0f);
      }
  // Neurons: filled by activation (the Network screen's colours), ringed when followed or
  // highlighted.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int l = 2; l <= layers; ++l) {
    const Vector<double>& a = n.t.a[l - 1];
    for (int k = 0; k < int(pos[l].size()); ++k) {
      const float r = l == layers ? 8.0f : 5.5f;
      const double act = std::clamp(a(k), 0.0, 1.0);
      dl->AddCircleFilled(pos[l][k], r, ui::activation(float(act)));
      const int tag = neuron_tag(l, k);
      const bool followed = (l == layers && k == j) || (l == layers - 1 && k == hj);
      if (followed) dl->AddCircle(pos[l][k], r + 3, kAccent, 0, 2.5f);
      if (v.highlight == tag) dl->AddCircle(pos[l][k], r + 6, pal.highlight, 0, 2.0f);
      if (l == layers) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%d", k);
        dl->AddText(ImVec2(pos[l][k].x + 14, pos[l][k].y - 8), k == n.label ? kMeasured : kDim, buf);
      }
      const float dx = mouse.x - pos[l][k].x, dy = mouse.y - pos[l][k].y;
      if (ImGui::IsWindowHovered() && dx * dx + dy * dy < (r + 3) * (r + 3)) {
        v.hover_next = tag;
        ImGui::SetTooltip("layer %d, neuron %d\nz = %s\na = %s\nδ = %s", l, k, m::format_number(n.t.z[l - 2](k)).c_str(),
                          m::format_number(a(k)).c_str(), m::format_number(n.t.delta[l - 2](k)).c_str());
        if (l == layers && ImGui::IsMouseClicked(0)) v.neuron = k;
        if (l == layers - 1 && ImGui::IsMouseClicked(0)) v.hidden = k;
      }
    }
    char name[16];
    std::snprintf(name, sizeof name, l == layers ? "L = %d" : "l = %d", l);
    dl->AddText(ImVec2(pos[l][0].x - 14, o.y), kDim, name);
  }
  dl->AddText(ImVec2(o.x, bottom - 2), kDim, "click a neuron to follow it");
}

}  // namespace bplab::app::derivation

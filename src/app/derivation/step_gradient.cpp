// BP3 and BP4: the gradient of the first layer's weights as images, and the check of one weight
// by finite differences.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>
#include <imgui.h>
#include "app/fonts.hpp"
#include "app/widgets.hpp"
#include "engine/gradcheck.hpp"

namespace bplab::app::derivation {

// The gradient check of every weight shown here runs while the step is shown.
double prepare_gradient(DerivationView& v, double) {
  queue_weights(v.n);
  return 0;
}

void step_gradient(Out& o) {
  DerivationView& v = o.v;
  Numbers& n = v.n;
  o.label("the gradient of a bias", "(BP3)");
  o.math(f_bp3());
  o.label("the gradient of a weight", "(BP4)");
  o.math(f_bp4());
  const int i = 0, l = 2;  // the first layer of weights, w^2
  const int rows = int(n.net.weights[i].rows()), cols = int(n.net.weights[i].cols());
  const int side = int(std::lround(std::sqrt(double(cols))));
  o.prose("∂C/∂w for layer " + str(l) + ": one image per neuron j of layer " + str(l) + ", pixel k = a(k) of the input times δ(j).");
  o.prose("Blank pixels of the digit (a = 0) get zero gradient: their weights cannot change the cost on this digit. Blue is positive (+), orange negative (−). Click a pixel to check it.");
  if (n.x.cwiseAbs().maxCoeff() == 0) o.text("The input is blank, so every one of these gradients is 0: draw a digit to see them.", kAccent);
  if (o.screen() && side * side == cols) {
    double scale = 1e-12;
    for (int j = 0; j < rows; ++j) scale = std::max(scale, n.tb.nabla_w[i].row(j).cwiseAbs().maxCoeff());
    // A gradient's colour: blue positive, orange negative (the palette's), stronger with √|g|;
    // blank where it is 0.
    const ImU32 blank = ui::palette().zero;
    auto colour = [&](double g) {
      if (g == 0) return blank;
      const float t = float(std::min(1.0, std::sqrt(std::abs(g) / scale)));
      return ui::diverging(g > 0 ? std::max(t, 0.15f) : -std::max(t, 0.15f), 1.0f);  // a sign shows, however small
    };
    const float cell = 2.0f, img = cell * side, gap = 8;
    const int per_row = std::max(1, int((ImGui::GetContentRegionAvail().x + gap) / (img + gap)));
    const int shown_images = std::min(rows, 30);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    constexpr int kTiles = 10;
    const int tex_w = kTiles * side, tex_h = (shown_images + kTiles - 1) / kTiles * side;
    const uint64_t texture_key = n.key * 64 + uint64_t(shown_images);
    if (v.texture && shown_images > 0 && v.gradient_texture_for != texture_key) {
      std::vector<unsigned char> rgba(size_t(tex_w) * size_t(tex_h) * 4, 0);
      for (int j = 0; j < shown_images; ++j)
        for (int k = 0; k < cols; ++k) {
          const int x = (j % kTiles) * side + k % side, y = (j / kTiles) * side + k / side;
          ui::put_rgba(&rgba[(size_t(y) * size_t(tex_w) + size_t(x)) * 4], colour(n.tb.nabla_w[i](j, k)));
        }
      const std::uintptr_t id = v.texture(v.gradient_texture, tex_w, tex_h, rgba.data(), false);
      v.gradient_texture = id;
      v.gradient_texture_for = id ? texture_key : 0;
    }
    const std::uintptr_t texture = v.texture ? v.gradient_texture : 0;
    for (int j = 0; j < shown_images; ++j) {
      if (j % per_row) ImGui::SameLine(0, gap);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::PushID(j);
      ImGui::InvisibleButton("img", ImVec2(img, img + 14));
      {
        mirror::Description d;
        d.role = mirror::Role::Image;
        d.name = "∂C/∂w of the weights into neuron " + std::to_string(j) + " of layer " + std::to_string(l) +
                 ", one pixel per input pixel";
        ui::describe_last(std::move(d));
      }
      const bool hovered = ImGui::IsItemHovered(), clicked = ImGui::IsItemClicked();
      ImGui::PopID();
      if (texture) {
        const ImVec2 uv0(float((j % kTiles) * side) / tex_w, float((j / kTiles) * side) / tex_h);
        dl->AddImage(ImTextureID(texture), p, ImVec2(p.x + img, p.y + img), uv0,
                     ImVec2(uv0.x + float(side) / tex_w, uv0.y + float(side) / tex_h));
      } else {
        dl->AddRectFilled(p, ImVec2(p.x + img, p.y + img), blank);
        for (int k = 0; k < cols; ++k) {
          const double g = n.tb.nabla_w[i](j, k);
          if (g == 0) continue;  // blank pixel: zero gradient
          const float x = p.x + (k % side) * cell, y = p.y + (k / side) * cell;
          dl->AddRectFilled(ImVec2(x, y), ImVec2(x + cell, y + cell), colour(g));
        }
      }
      if (v.pick_j == j && v.pick_k >= 0) {
        const float x = p.x + (v.pick_k % side) * cell, y = p.y + (v.pick_k / side) * cell;
        dl->AddRect(ImVec2(x - 2, y - 2), ImVec2(x + cell + 2, y + cell + 2), kAccent, 0, 0, 1.5f);
      }
      char buf[16];
      std::snprintf(buf, sizeof buf, "j=%d", j);
      dl->AddText(fonts().ui.font, 11.0f, ImVec2(p.x, p.y + img), v.highlight == neuron_tag(l, j) ? kAccent : kDim, buf);
      if (hovered) {
        v.hover_next = neuron_tag(l, j);
        const int k = std::clamp(int((mouse.y - p.y) / cell), 0, side - 1) * side + std::clamp(int((mouse.x - p.x) / cell), 0, side - 1);
        ImGui::SetTooltip("∂C/∂w(%d,%d) = a(%d) δ(%d) = %s × %s = %s", j, k, k, j, m::format_number(n.x(k)).c_str(),
                          m::format_number(n.tb.delta[i](j)).c_str(), m::format_number(n.tb.nabla_w[i](j, k)).c_str());
        if (clicked) {
          v.pick_j = j;
          v.pick_k = k;
          v.picked_by_learner = true;
        }
      }
    }
  }
  // The finite-difference check of the picked weight or bias; until the learner clicks, the
  // weight of an ink pixel into the neuron with the largest |δ| for this digit and net
  // (chosen again when they change: the digit may arrive after the screen is first shown).
  if (o.screen() && rows > 0 && ((!v.picked_by_learner && v.default_pick_for != n.key) || v.pick_j >= rows || v.pick_k >= cols)) {
    Eigen::Index bj = 0, bk = 0;
    n.tb.delta[i].cwiseAbs().maxCoeff(&bj);
    // The pixel whose a_k is nearest ½ (not a saturated 1), so that BP4's factor a_k shows.
    double best = 2;
    for (Eigen::Index k = 0; k < n.x.size(); ++k)
      if (n.x(k) > 0 && std::abs(n.x(k) - 0.5) < best) best = std::abs(n.x(k) - 0.5), bk = k;
    v.pick_j = int(bj);
    v.pick_k = int(bk);
    v.picked_by_learner = false;
    v.default_pick_for = n.key;
  }
  if (v.pick_j >= 0 && v.pick_j < rows && v.pick_k < cols) {
    const uint64_t key = pick_key_of(v);
    if (o.screen() && v.pick_key != key) {
      v.pick_fd = v.pick_k >= 0 ? central_difference([&](double h) { return cost_nudged(n, i, v.pick_j, h * n.t.a[i](v.pick_k)); })
                                : central_difference([&](double h) { return cost_nudged(n, i, v.pick_j, h); });
      v.pick_key = key;
    }
    if (v.pick_key == key) {
      const double bp = v.pick_k >= 0 ? n.tb.nabla_w[i](v.pick_j, v.pick_k) : n.tb.nabla_b[i](v.pick_j);
      const std::string jk = str(v.pick_j) + (v.pick_k >= 0 ? "," + str(v.pick_k) : "");
      const m::Node what = v.pick_k >= 0 ? m::subsup(m::var("w"), m::sym(jk), m::sym("2")) : m::subsup(m::var("b"), m::sym(jk), m::sym("2"));
      o.math(m::row({partial(C(), what), m::op("="), m::color(n6(bp), kAccent), m::text(" by backprop"), m::space(1.0f),
                     m::color(n6(v.pick_fd), kMeasured), m::text(" by nudging it and rerunning the net")}));
      o.check(make_check(std::string(v.pick_k >= 0 ? "∂C/∂w" : "∂C/∂b") + " of the picked parameter by backprop against finite differences", bp,
                         v.pick_fd, n.t.cost));
    }
    if (o.screen()) {
      // The same choice as clicking a pixel, by keyboard or a larger target (WCAG 2.5.8: the
      // images' pixels are 2 px).
      int pj = v.pick_j, pk = std::max(v.pick_k, 0);
      ImGui::SetNextItemWidth(140);
      if (ui::SliderInt("checked neuron j", &pj, 0, rows - 1)) {
        v.pick_j = pj;
        v.picked_by_learner = true;
      }
      ImGui::SameLine();
      ImGui::SetNextItemWidth(180);
      if (ui::SliderInt("checked pixel k", &pk, 0, cols - 1)) {
        v.pick_k = pk;
        v.picked_by_learner = true;
      }
      ImGui::SameLine();
    }
    if (o.screen() && v.pick_k >= 0 && ImGui::SmallButton("check its bias instead")) {
      v.pick_k = -1;
      v.picked_by_learner = true;
    }
  } else {
    o.dim("(no weight picked yet)");
  }
  o.prose("Gradient check (every δ, every output weight, the 3 strongest inputs of every other neuron):");
  if (weights_checked(n)) {
    o.check(worst_check(n));
  } else {
    o.check(pending_check("the gradient check", 0));
  }
}

}  // namespace bplab::app::derivation

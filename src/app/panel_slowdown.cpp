// The learning slowdown (the book's chapter 3): one sigmoid neuron, x = 1, y = 0, gradient
// descent with η = 0.15, from (w, b) = (0.6, 0.9) or (2, 2), the quadratic cost beside the
// cross-entropy: cost and output over 300 epochs, and the factor σ′(z) that makes the difference.
// The numbers are the engine's (engine/neuron.hpp, as `bplab neuron` prints them).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/app_internal.hpp"
#include "app/derivation.hpp"
#include "app/fonts.hpp"
#include "app/screens.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"
#include "app/text.hpp"
#include "engine/neuron.hpp"

namespace bplab::app {

namespace {

struct Start {
  double w, b;
};
constexpr Start kStarts[2] = {{0.6, 0.9}, {2, 2}};
constexpr int kEpochs = 300;

std::vector<NeuronPoint> run_of(int start, Cost cost) {
  NeuronRun r;
  r.w = kStarts[start].w;
  r.b = kStarts[start].b;
  r.eta = 0.15;
  r.epochs = kEpochs;
  r.cost = cost;
  return train_neuron(r);
}

// The two runs for the chosen start, made again only when it changes.
struct Runs {
  int start = -1;
  std::vector<NeuronPoint> quadratic, entropy;
};
const Runs& runs(int start) {
  static Runs r;
  if (r.start != start) {
    r.start = start;
    r.quadratic = run_of(start, Cost::Quadratic);
    r.entropy = run_of(start, Cost::CrossEntropy);
  }
  return r;
}

const char* eta_name() { return have_greek() ? "η" : "eta"; }
const char* sigma_prime_name() { return have_greek() ? "σ′(z)" : "sigma'(z)"; }

// One chart: the cost (solid) and the output a (dashed) over the epochs, y in [0, top], and a
// vertical line at the chosen epoch.
void chart(const char* id, const std::vector<NeuronPoint>& run, int epoch, ImVec2 size, double top) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  {
    mirror::Description d;
    d.role = mirror::Role::Image;
    d.name = std::string("Chart of the ") + id + " neuron's cost and output per epoch (the numbers are in the table of this screen)";
    ui::describe_last(std::move(d));
  }
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), ui::palette().outline, 4);
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float pad = 6, lh = ImGui::GetTextLineHeight();
  const float left = p.x + pad + ImGui::CalcTextSize("0.0").x + 4, right = p.x + size.x - pad;
  const float ttop = p.y + pad + lh, bottom = p.y + size.y - pad - lh;
  auto X = [&](int e) { return left + (right - left) * float(e) / kEpochs; };
  auto Y = [&](double v) { return bottom - float(std::clamp(v / top, 0.0, 1.0)) * (bottom - ttop); };
  char text[32];
  for (int k = 0; k <= 2; ++k) {
    const double v = top * k / 2;
    dl->AddLine(ImVec2(left, Y(v)), ImVec2(right, Y(v)), grid);
    std::snprintf(text, sizeof text, "%.1f", v);
    dl->AddText(ImVec2(p.x + pad, Y(v) - lh / 2), dim, text);
  }
  dl->AddText(ImVec2(left, bottom + 1), dim, "0");
  std::snprintf(text, sizeof text, "epoch %d", kEpochs);
  dl->AddText(ImVec2(right - ImGui::CalcTextSize(text).x, bottom + 1), dim, text);
  const ImU32 cost_c = ui::palette().train, out_c = ui::palette().positive, fac_c = ui::palette().factor_b;
  for (int series = 0; series < 3; ++series) {
    const ImU32 c = series == 0 ? cost_c : series == 1 ? out_c : fac_c;
    for (int e = 1; e <= kEpochs; ++e) {
      const NeuronPoint &a = run[size_t(e - 1)], &b = run[size_t(e)];
      const double va = series == 0 ? a.cost : series == 1 ? a.a : a.sigma_prime;
      const double vb = series == 0 ? b.cost : series == 1 ? b.a : b.sigma_prime;
      if (series == 1 && e % 4 >= 2) continue;  // the output dashed
      if (series == 2 && e % 4 == 3) continue;  // σ′ dotted-dashed
      dl->AddLine(ImVec2(X(e - 1), Y(va)), ImVec2(X(e), Y(vb)), c, series == 0 ? 2.5f : 1.5f);
    }
  }
  // Direct labels at the start of each curve, and the chosen epoch.
  dl->AddText(ImVec2(left + 4, std::max(ttop - lh, Y(run.front().cost) - lh - 1)), cost_c, "cost C");
  dl->AddText(ImVec2(left + 4 + ImGui::CalcTextSize("cost C  ").x, std::max(ttop - lh, Y(run.front().a) - lh - 1)), out_c,
              "output a");
  const std::string sp = std::string(sigma_prime_name());
  dl->AddText(ImVec2(right - ImGui::CalcTextSize(sp.c_str()).x - 2, Y(run.back().sigma_prime) - lh - 1), fac_c, sp.c_str());
  dl->AddLine(ImVec2(X(epoch), ttop), ImVec2(X(epoch), bottom), ImGui::GetColorU32(ImGuiCol_Text, 0.5f));
  const NeuronPoint& q = run[size_t(epoch)];
  dl->AddCircleFilled(ImVec2(X(epoch), Y(q.cost)), 4, cost_c);
  dl->AddCircleFilled(ImVec2(X(epoch), Y(q.a)), 4, out_c);
}

// One column: the cost's name, its chart, and this epoch's numbers with the gradient as a product.
void column(const char* name, bool quadratic, const std::vector<NeuronPoint>& run, int epoch, float width, float height) {
  ImGui::BeginGroup();
  ImGui::TextColored(ImColor(ui::palette().heading), "%s", name);
  ImGui::TextDisabled("%s", quadratic ? "C = (y - a)^2 / 2" : "C = -[y ln a + (1 - y) ln(1 - a)]");
  const double top = std::max(1.0, std::ceil(std::max(run.front().cost, run.back().cost) * 2) / 2);
  chart(quadratic ? "quadratic" : "cross-entropy", run, epoch, ImVec2(width, height), top);
  const NeuronPoint& q = run[size_t(epoch)];
  ImGui::Text("epoch %d: w = %.3f, b = %.3f", epoch, q.w, q.b);
  ImGui::Text("output a = %.3f, cost C = %.4f", q.a, q.cost);
  const double delta = quadratic ? q.a * q.sigma_prime : q.a;  // y = 0
  ImGui::TextColored(ImColor(ui::palette().factor_b), "%s = a(1 - a) = %.4f", sigma_prime_name(), q.sigma_prime);
  if (quadratic)
    ImGui::TextWrapped("dC/db = (a - y) %s = %.3f x %.4f = %.4f", sigma_prime_name(), q.a, q.sigma_prime, delta);
  else
    ImGui::TextWrapped("dC/db = a - y = %.4f: %s has cancelled", delta, sigma_prime_name());
  ImGui::EndGroup();
}

}  // namespace

void slowdown_panel(App& app) {
  auto& s = app.slowdown;
  ImGui::TextColored(ImColor(ui::palette().heading), "The learning slowdown (chapter 3)");
  ImGui::TextWrapped(
      "One sigmoid neuron learns to turn input x = 1 into y = 0 by gradient descent with %s = 0.15. "
      "By BP1 its error is dC/da times %s. With the quadratic cost that factor stays: when the neuron is badly "
      "wrong, a is near 1 and %s near 0, so it learns slowly. The cross-entropy cancels it.",
      eta_name(), sigma_prime_name(), sigma_prime_name());
  ImGui::TextUnformatted("Start (w, b):");
  ImGui::SameLine();
  if (ui::RadioButton("(0.6, 0.9)", s.start == 0)) s.start = 0;
  ImGui::SameLine();
  if (ui::RadioButton("(2, 2): saturated", s.start == 1)) s.start = 1;
  ImGui::SetNextItemWidth(std::min(320.0f, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("epoch ").x - 8));
  ui::SliderInt("epoch", &s.epoch, 0, kEpochs, "%d", ImGuiSliderFlags_AlwaysClamp);
  s.epoch = std::clamp(s.epoch, 0, kEpochs);
  const Runs& r = runs(std::clamp(s.start, 0, 1));

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
  const bool side_by_side = avail.x >= 560;
  const float w = side_by_side ? (avail.x - gap) / 2 : avail.x;
  const float text_h = ImGui::GetTextLineHeightWithSpacing() * 7;
  const float h = std::clamp((side_by_side ? avail.y : avail.y / 2) - text_h, 110.0f, 360.0f);
  column("Quadratic cost", true, r.quadratic, s.epoch, w, h);
  if (side_by_side) ImGui::SameLine(0, gap);
  column("Cross-entropy cost", false, r.entropy, s.epoch, w, h);
  ImGui::Spacing();
  if (ImGui::Button("Derivation: BP1 for each cost")) {
    app.lab.settings.panel = Panel::Derivation;
    if (app.derivation) set_derivation(*app.derivation, json::Object{{"step", 6}});
  }
}

void slowdown_words(App& app) {
  mirror::Mirror& m = app.mirror;
  auto& w = m.words();
  const int start = std::clamp(app.slowdown.start, 0, 1);
  const Runs& r = runs(start);
  w.push_back({"h2", "The learning slowdown", {}, {}});
  w.push_back({"p",
               "One sigmoid neuron, input x = 1, target y = 0, gradient descent with eta = 0.15 from (w, b) = (" +
                   fixed(kStarts[start].w, 1) + ", " + fixed(kStarts[start].b, 1) +
                   "), for 300 epochs, with the quadratic cost and with the cross-entropy cost. With the quadratic "
                   "cost the gradient dC/db = (a - y) sigma'(z) carries the factor sigma'(z) = a(1 - a), near 0 when "
                   "the neuron saturates; with the cross-entropy it cancels: dC/db = a - y.",
               {}, {}});
  w.push_back({"p",
               "After 100 epochs the quadratic neuron's output is " + fixed(r.quadratic[100].a, 3) + ", the cross-entropy "
                   "neuron's " + fixed(r.entropy[100].a, 3) + ".",
               {}, {}});
  mirror::Words t{"table", "Both neurons every 25 epochs",
                  {"epoch", "quadratic: output a", "quadratic: cost", "quadratic: sigma'(z)", "cross-entropy: output a",
                   "cross-entropy: cost", "cross-entropy: sigma'(z)"},
                  {}};
  for (int e = 0; e <= kEpochs; e += 25) {
    const NeuronPoint &q = r.quadratic[size_t(e)], &c = r.entropy[size_t(e)];
    t.rows.push_back({std::to_string(e), fixed(q.a, 3), fixed(q.cost, 4), fixed(q.sigma_prime, 4), fixed(c.a, 3),
                      fixed(c.cost, 4), fixed(c.sigma_prime, 4)});
  }
  w.push_back(std::move(t));
}

}  // namespace bplab::app

// One step of gradient descent on this digit: the predicted and the actual change of the cost,
// over the learning rate.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>
#include <imgui.h>
#include "app/widgets.hpp"

namespace bplab::app::derivation {

// Step 9: C after w → w − η g for the gradient g of a trace (g = δ aᵀ layer by layer, so
// (w − η δ aᵀ) a' = w a' − η δ (a · a')), without copying the net.
double cost_after_step(const Numbers& n, const Trace<double>& g, double eta) {
  Vector<double> a = n.x;
  for (int i = 0; i < int(n.net.weights.size()); ++i) {
    Batch<double> z = n.net.weights[i] * a + n.net.biases[i] - eta * g.delta[i] * (g.a[i].dot(a) + 1.0);
    Batch<double> out;
    activate<double>(n.net.activation_of(i), z, out);
    a = out.col(0);
  }
  return cost_value<double>(n.net.cost, a, n.t.y);
}

namespace {

double grad_norm2(const Trace<double>& g) {
  double s = 0;
  for (size_t i = 0; i < g.delta.size(); ++i) s += g.delta[i].squaredNorm() * (g.a[i].squaredNorm() + 1.0);
  return s;
}

// Step 9's sweep, η = 10⁻⁴ … 1 (four points a decade), a point at a time until `budget`
// multiply-adds are spent (budget < 0: all of it); sliced like the finite differences. `bug`:
// the buggy gradient tb differs from t, and has its own curve.
constexpr int kSweepPoints = 17;

double sweep(Numbers& n, double budget, bool bug) {
  double forward = 0, spent = 0;
  for (const auto& w : n.net.weights) forward += double(w.size());
  // Without a bug, tb is t: one forward pass a point instead of two.
  const double per_point = (bug ? 2 : 1) * forward;
  while (int(n.sweep_eta.size()) < kSweepPoints && (budget < 0 || spent == 0 || spent + per_point <= budget)) {
    const double eta = std::pow(10.0, (int(n.sweep_eta.size()) - 16) / 4.0);
    n.sweep_eta.push_back(eta);
    n.sweep_right.push_back((cost_after_step(n, n.t, eta) - n.t.cost) / (-eta * n.grad_norm2_right));
    n.sweep_bug.push_back(bug ? (cost_after_step(n, n.tb, eta) - n.t.cost) / (-eta * n.grad_norm2) : n.sweep_right.back());
    spent += per_point;
  }
  n.swept = int(n.sweep_eta.size()) == kSweepPoints;
  return spent;
}

// Step 9's experiment: actual / predicted ΔC against η on a log scale, for the right gradient
// and (with a bug) the one backprop claims.
void sweep_plot(Out& o) {
  const Numbers& n = o.v.n;
  if (!o.screen() || n.sweep_eta.empty()) return;
  const float pad = 30, w = std::clamp(ImGui::GetContentRegionAvail().x - pad - 20, 160.0f, 420.0f), h = 160;
  const ImVec2 org = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w + pad, h + pad));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float x0 = org.x + pad, y0 = org.y + 8;
  auto X = [&](double eta) { return x0 + float((std::log10(eta) + 4) / 4) * w; };
  auto Y = [&](double r) { return y0 + float((1.5 - std::clamp(r, -0.5, 1.5)) / 2.0) * h; };
  dl->AddRect(ImVec2(x0, y0), ImVec2(x0 + w, y0 + h), kDim);
  for (double r : {0.0, 1.0}) dl->AddLine(ImVec2(x0, Y(r)), ImVec2(x0 + w, Y(r)), kDim);  // 3:1 on either theme (a fixed grey was 2.8:1 on the dark one)
  dl->AddText(ImVec2(org.x, Y(1.0) - 7), kDim, "1");
  dl->AddText(ImVec2(org.x, Y(0.0) - 7), kDim, "0");
  for (int e = -4; e <= 0; ++e) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "1e%d", e);
    dl->AddText(ImVec2(X(std::pow(10.0, e)) - 12, y0 + h + 4), kDim, buf);
  }
  auto line = [&](const std::vector<double>& r, ImU32 col) {
    for (size_t k = 1; k < r.size(); ++k)
      if (std::isfinite(r[k - 1]) && std::isfinite(r[k]))
        dl->AddLine(ImVec2(X(n.sweep_eta[k - 1]), Y(r[k - 1])), ImVec2(X(n.sweep_eta[k]), Y(r[k])), col, 2);
  };
  line(n.sweep_right, kMeasured);
  if (bug_injected(o.v)) line(n.sweep_bug, kBad);
  const float mx = X(std::clamp(double(n.eta), 1e-4, 1.0));
  dl->AddLine(ImVec2(mx, y0), ImVec2(mx, y0 + h), kAccent);
  // The legend as wrapped text: a narrow embed keeps all of it.
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::max(w + pad, ImGui::GetContentRegionAvail().x));
  ImGui::TextDisabled("%s", bug_injected(o.v) ? "learning rate η (log scale); green: the right gradient; red: backprop with the bug"
                                                 : "learning rate η (log scale); green: backprop's gradient (no bug injected)");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
}

// The step at the screen's η, once for the numbers: w → w − η ∇C (with the gradient backprop
// claims, bug included).
void descent_numbers(DerivationView& v) {
  Numbers& n = v.n;
  if (n.descent_ready) return;
  n.descent_ready = true;
  n.eta = v.eta;
  n.grad_norm2 = grad_norm2(n.tb);
  n.grad_norm2_right = grad_norm2(n.t);
  n.predicted = -n.eta * n.grad_norm2;  // ∇C · Δw with Δw = −η ∇C
  n.c_after = cost_after_step(n, n.tb, n.eta);
  n.c_after_right = bug_injected(v) ? cost_after_step(n, n.t, n.eta) : n.c_after;
}

}  // namespace

double prepare_descent(DerivationView& v, double budget) {
  descent_numbers(v);
  return v.n.swept ? 0 : sweep(v.n, budget, bug_injected(v));
}

void step_descent(Out& o) {
  DerivationView& v = o.v;
  descent_numbers(v);
  const Numbers& n = v.n;
  o.label("one step of gradient descent");
  o.prose("Move every weight and bias against its gradient, w → w − η ∂C/∂w, on this digit alone. To first order the cost changes by");
  o.math(f_gd(), 2);
  if (o.screen()) {
    ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - labeled_width(0, "learning rate η"), 100.0f, 240.0f));
    ui::SliderFloat("learning rate η", &v.eta, 0.0001f, 1.0f, "%.4f", ImGuiSliderFlags_Logarithmic);
  }
  if (o.screen()) {
    if (n.net.cost == n.model_cost && n.net.output == n.model_output) {
      // A buggy step is offered only as what it is: damage, not gradient descent.
      const std::string apply = !bug_injected(v) ? "Apply this step to the net" : "Apply the buggy step (this damages the net)";
      // Narrower than its words (a phone): the button's words on two lines, its name the same.
      const float pad = ImGui::GetStyle().FramePadding.x * 2;
      std::string shown = apply;
      if (const size_t paren = apply.find(" (");
          paren != std::string::npos && ImGui::CalcTextSize(apply.c_str()).x + pad > ImGui::GetContentRegionAvail().x)
        shown.replace(paren, 2, "\n(");
      same_line_if_room(ImGui::CalcTextSize(shown.c_str()).x + pad);
      const bool pressed = ImGui::Button((shown + "###apply").c_str());
      {
        mirror::Description d;
        d.role = mirror::Role::Button;
        d.name = apply;
        ui::describe_last(std::move(d));
      }
      if (pressed) {
        // w → w − η δ aᵀ and b → b − η δ, layer by layer, with the gradient shown (tb).
        Network<double> net = n.net;
        for (size_t i = 0; i < net.weights.size(); ++i) {
          net.weights[i] -= n.eta * n.tb.delta[i] * n.tb.a[i].transpose();
          net.biases[i] -= n.eta * n.tb.delta[i];
        }
        v.applied = std::move(net);
        v.applied_what = !bug_injected(v) ? "Apply this step (η = " + fmt(n.eta, 3) + ")"
                                          : std::string("Apply the buggy step (") + bug_of(v).name + ", η = " + fmt(n.eta, 3) + ")";
        v.last_applied = v.applied_what;
        v.accuracy_before = v.model_info.test_accuracy;
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", !bug_injected(v) ? "The net takes this step: the Draw screen's prediction follows. Undo takes it back."
                                                 : "The net takes backprop's wrong 'gradient' as a step: it is not gradient descent. Undo takes it back.");
    }
  }
  // After a step applied from here: the test accuracy before and after, and its Undo while it is
  // the latest change to the model.
  if (!v.last_applied.empty() && v.model_info.undo == v.last_applied) {
    auto pct = [](double a) {
      char b[16];
      std::snprintf(b, sizeof b, "%.2f%%", a * 100);
      return a < 0 ? std::string("measuring…") : std::string(b);
    };
    const bool buggy = v.last_applied.rfind("Apply the buggy", 0) == 0;
    o.text(v.last_applied + ": test accuracy " + pct(v.accuracy_before) + " before, " + pct(v.model_info.test_accuracy) + " after.", buggy ? kBad : 0);
    if (o.screen()) {
      same_line_if_room(ImGui::CalcTextSize("Undo the buggy step").x + ImGui::GetStyle().FramePadding.x * 2);
      if (ImGui::Button(buggy ? "Undo the buggy step" : "Undo the step")) v.undo_requested = true;
    }
  }
  // The numbers as written: C to 10 digits, so that their difference is the one shown; the ratio
  // of the two changes as shown.
  o.math(m::row({m::text("predicted: −η ‖∇C‖²"), m::op("="), o.product({{-n.eta, 0}, {n.grad_norm2, 0}}, 4, kAccent)}));
  const double actual = o.quotient(n.c_after, n.t.cost, 1, 10, 4);
  o.math(m::row({m::text("actual: C after − C before"), m::op("="), m::num(n.c_after, 10), m::op("−"), m::num(n.t.cost, 10), m::op("≈"),
                 m::color(m::num(actual, 4), kMeasured)}));
  o.text(std::string(actual < 0 ? "so C fell" : actual > 0 ? "so C rose" : "so C did not change") + (bug_injected(v) ? ", with the buggy step." : "."));
  if (n.predicted != 0) {
    const double ratio = o.quotient(actual, NAN, shown(n.predicted, 4), 4, 4);
    o.text("actual / predicted = " + fmt(ratio, 4) + " at η = " + fmt(n.eta, 3));
  }
  o.prose("The experiment: the same step for every η from 10⁻⁴ to 1. For a small η the ratio of the actual change to the predicted one goes to 1 "
          "with the right gradient: that is what the gradient means.");
  if (n.swept) {
    // What the right gradient's curve does as η grows, from its own numbers.
    double first_negative = 0;
    for (size_t k = 0; k < n.sweep_eta.size(); ++k)
      if (first_negative == 0 && n.sweep_right[k] < 0) first_negative = n.sweep_eta[k];
    const double last = n.sweep_right.back();
    if (first_negative > 0)
      o.prose("As η grows the curvature of C makes them differ, and from η = " + fmt(first_negative, 2) +
              " the right step overshoots: C rises where the gradient promised a fall (the ratio is negative).");
    else if (n.grad_norm2_right > n.t.cost)
      o.prose("The ratio falls as η grows (" + fmt(last, 4) + " at η = 1), but C still falls for each η of the table: the straight line −η‖∇C‖² would take C "
              "below 0 from η = C / ‖∇C‖² = " + fmt(n.t.cost / n.grad_norm2_right, 3) + " on, and C ≥ 0, so C cannot fall by more than C itself.");
    else
      o.prose("As η grows the curvature of C makes them differ: at η = 1 the ratio is " + fmt(last, 4) +
              (last < 1 ? ", and C still falls." : ": C falls more than the straight line predicts."));
    if (bug_injected(v)) {
      bool equal = true;
      for (size_t k = 0; k < n.sweep_eta.size(); k += 2) equal = equal && fmt(n.sweep_right[k], 4) == fmt(n.sweep_bug[k], 4);
      if (equal) {
        o.prose("With the injected bug the gradient is the same on this net and cost: this bug changes nothing here: the two columns are equal.");
      } else {
        o.prose("With the injected bug, backprop's 'gradient' is not the gradient: even at η = 10⁻⁴ the ratio is " + fmt(n.sweep_bug.front(), 4) +
                ", not 1, because the predicted change −η‖g‖² is made of the wrong g.");
        if (n.c_after < n.t.cost)
          o.prose("Yet at η = " + fmt(n.eta, 3) + " the buggy step lowers C on this digit, to " + fmt(n.c_after, 4) + " (the right step: " +
                  fmt(n.c_after_right, 4) + "): a wrong direction can still lower the cost on one digit wherever it points downhill at all. "
                  "It is not the steepest way down, and what it does to the other digits is another matter: apply it and watch the test accuracy.");
      }
    }
  } else {
    o.dim("(the sweep over η: measuring…)");
  }
  sweep_plot(o);
  Table t;
  t.id = "sweep";
  t.width = 720;
  t.headers = {"η", "actual / predicted, right gradient"};
  if (bug_injected(v)) t.headers.push_back(std::string("actual / predicted, with the bug (") + bug_of(v).name + ")");
  for (size_t k = 0; k < n.sweep_eta.size(); k += 2) {  // every other point: half a decade
    std::vector<Cell> row{{fmt(n.sweep_eta[k], 2)}, num_cell(n.sweep_right[k], kMeasured, 4)};
    if (bug_injected(v)) row.push_back(num_cell(n.sweep_bug[k], kBad, 4));
    t.rows.push_back(row);
  }
  o.table(t);
}

}  // namespace bplab::app::derivation

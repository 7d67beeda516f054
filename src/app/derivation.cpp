// The derivation screen (see derivation.hpp and issue 4): BP1 from the definition of δ by the
// chain rule, then BP2–BP4 and a step of gradient descent, on the numbers of one digit.
//
//   [SECTION] View and cached numbers   what the screen remembers; what it computes per input
//   [SECTION] Formulas                  the book's equations as math nodes (screen and transcript)
//   [SECTION] Sketch                    the small picture of the net, with highlights
//   [SECTION] Steps                     one function per step of the derivation
//   [SECTION] Contract                  draw_derivation, derivation_state, set_derivation, transcript
//
// Index note: as in the engine, t.z[i] is the book's z^{i+2}; the output layer L is index
// `last` = L − 2. Output neuron j is the one the learner follows (default: the label).
#include "app/derivation.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "app/fonts.hpp"
#include "app/math.hpp"
#include "app/ui.hpp"
#include "engine/backprop.hpp"
#include "engine/gradcheck.hpp"

namespace bplab::app {

namespace m = math;

// [SECTION] View and cached numbers

constexpr int kSteps = 9;
constexpr double kCheckTolerance = 1e-6;  // relative error below which a gradient passes

const char* const kStepTitles[kSteps + 1] = {
    "",
    "The definition of δ",
    "The chain rule",
    "Why the sum collapses",
    "BP1, one neuron",
    "BP1 for the whole layer",
    "The cost's own form",
    "BP2: the error of a hidden neuron",
    "BP3 and BP4: the gradient",
    "One step of gradient descent",
};

const char* bug_name(Bug b) {
  switch (b) {
    case Bug::None: return "none";
    case Bug::SigmaPrimeOfA: return "σ′(a) instead of σ′(z)";
    case Bug::NoSigmaPrime: return "σ′ dropped";
    case Bug::SigmaPrimeWithCrossEntropy: return "σ′ kept with cross-entropy";
    case Bug::NoTransposeBP2: return "transpose dropped in BP2";
  }
  return "";
}

// Everything computed from (model, input, label, toggles). Recomputed only when its key changes.
struct Numbers {
  bool valid = false;
  uint64_t key = 0;                 // hash of the model, the input, the label and the toggles
  uint64_t toggles_key = 0;         // hash of the toggles alone
  Network<double> net;              // the app's model with the screen's cost and output
  Activation model_output = Activation::Sigmoid;
  Cost model_cost = Cost::Quadratic;
  Vector<double> x;
  int label = 0;
  int L = 0, last = 0, nL = 0;      // book's L, index of the output layer, its size
  Trace<double> t;                  // BP1 as written (literal), no bug
  Trace<double> tb;                 // with the injected bug (equal to t without one)
  Matrix<double> jac;               // J(k, j) = ∂a^L_k/∂z^L_j
  std::vector<Vector<double>> delta_def;  // δ by definition (29), every layer, by finite differences
  Vector<double> c_plus, c_minus;   // C with z^L_j nudged by ±h, for every j
  Trace<double> t_quad, t_ce;       // step 6: the same net with the quadratic and the cross-entropy cost
  // The gradient check of tb: largest relative errors against finite differences.
  double err_delta = 0, err_w = 0;
  bool checked_w = false;           // err_w computed (costly: only when shown)
  // Step 9.
  double eta = 0, c_after = 0, predicted = 0, grad_norm2 = 0;
};

struct DerivationView {
  int step = 1;
  int neuron = -1;                  // output neuron j; −1 follows the label
  int hidden = -1;                  // step 7's hidden neuron; −1: the one with the largest |δ|
  std::optional<Cost> cost;         // unset: the model's own
  std::optional<Activation> output; // unset: the model's own (sigmoid or softmax only)
  Bug bug = Bug::None;
  bool one_neuron = false;          // "one neuron per layer" mode
  float eta = 0.5f;                 // step 9's learning rate
  int pick_j = -1, pick_k = -1;     // step 8: the weight w^2_{jk} checked (k = −1: the bias b^2_j)
  bool picked_by_learner = false;   // clicked (else the default, which follows the digit and net)
  uint64_t default_pick_for = 0;    // the numbers' key the default pick was chosen for
  double pick_fd = 0;
  uint64_t pick_key = 0;
  double last_update = -1e9;        // ImGui time of the last recompute while drawing
  int highlight = -1;               // tag under the mouse last frame (sketch ↔ symbols)
  int hover_next = -1;
  Numbers n;
  TextureMaker texture;             // the platform's (set_derivation_textures), or none
  std::uintptr_t gradient_texture = 0;  // step 8's images, 10 tiles to a row
  uint64_t gradient_texture_for = 0;    // the numbers' key (and image count) it was made for
};

DerivationView* create_derivation() { return new DerivationView(); }
void destroy_derivation(DerivationView* view) {
  if (view && view->gradient_texture && view->texture) view->texture(view->gradient_texture, 0, 0, nullptr, false);
  delete view;
}
void set_derivation_textures(DerivationView& view, TextureMaker maker) { view.texture = std::move(maker); }

namespace {
// What step 8's finite difference (pick_fd) was computed for: the numbers and the picked weight.
uint64_t pick_key_of(const DerivationView& v) {
  return v.n.key * 31 + uint64_t(v.pick_j) * 100003 + uint64_t(v.pick_k + 1);
}


// FNV-1a over the bytes of everything the numbers depend on.
struct Hasher {
  uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  template <typename T>
  void value(const T& v) { bytes(&v, sizeof v); }
};

int output_neuron(const DerivationView& v) {
  const int nL = v.n.nL > 0 ? v.n.nL : 10;
  if (v.neuron >= 0 && v.neuron < nL) return v.neuron;
  return std::clamp(v.n.label, 0, nL - 1);
}

int hidden_neuron(const DerivationView& v) {
  const Numbers& n = v.n;
  if (n.last < 1) return -1;
  const Vector<double>& d = n.t.delta[n.last - 1];
  if (v.hidden >= 0 && v.hidden < d.size()) return v.hidden;
  Eigen::Index i = 0;
  d.cwiseAbs().maxCoeff(&i);
  return int(i);
}

// The σ′ factor of BP1 for output neuron j as the screen shows it (with the bug, if any).
double sigma_prime_shown(const DerivationView& v, int j) {
  const Numbers& n = v.n;
  const Activation f = n.net.output;
  if (!is_elementwise(f)) return n.jac(j, j);
  if (v.bug == Bug::NoSigmaPrime) return 1.0;
  if (v.bug == Bug::SigmaPrimeOfA) return activation_prime(f, n.t.a.back()(j));
  return activation_prime(f, n.t.z[n.last](j));
}

// Up to `count` inputs k of a layer with the largest |a^{l−1}_k| (their weights matter most).
std::vector<int> strongest_inputs(const Vector<double>& a, int count) {
  std::vector<int> k(a.size());
  for (int i = 0; i < int(k.size()); ++i) k[i] = i;
  count = std::min<int>(count, int(k.size()));
  std::partial_sort(k.begin(), k.begin() + count, k.end(),
                    [&](int p, int q) { return std::abs(a(p)) > std::abs(a(q)); });
  k.resize(count);
  return k;
}

// The sampled weight check: every weight of the output layer, and for every neuron of the
// other layers its three strongest inputs. A full check of 24 000 weights takes seconds.
double check_weights(const Numbers& n) {
  double worst = 0;
  Network<double> probe = n.net;
  auto check = [&](int i, int j, int k) {
    const double w = probe.weights[i](j, k);
    const double fd = central_difference([&](double h) {
      probe.weights[i](j, k) = w + h;
      return cost_of(probe, n.x, n.label);
    });
    probe.weights[i](j, k) = w;
    worst = std::max(worst, relative_error(n.tb.nabla_w[i](j, k), fd));
  };
  for (int i = 0; i < int(n.net.weights.size()); ++i) {
    const int rows = int(n.net.weights[i].rows()), cols = int(n.net.weights[i].cols());
    if (i == n.last) {
      for (int j = 0; j < rows; ++j)
        for (int k = 0; k < cols; ++k) check(i, j, k);
    } else {
      const std::vector<int> ks = strongest_inputs(n.t.a[i], 3);
      for (int j = 0; j < rows; ++j)
        for (int k : ks) check(i, j, k);
    }
  }
  return worst;
}

void recompute(DerivationView& v, const Network<double>& model, const Vector<double>& x, int label, uint64_t key) {
  Numbers& n = v.n;
  n = Numbers{};
  n.key = key;
  n.net = model;
  n.model_cost = model.cost;
  n.model_output = model.output;
  if (v.cost) n.net.cost = *v.cost;
  if (v.output) n.net.output = *v.output;
  n.x = x;
  n.L = model.num_layers();
  n.last = n.L - 2;
  n.nL = model.sizes.back();
  n.label = std::clamp(label, 0, n.nL - 1);
  n.t = backprop(n.net, x, n.label, OutputDelta::Literal);
  n.tb = v.bug == Bug::None ? n.t : backprop(n.net, x, n.label, OutputDelta::Literal, v.bug);
  n.jac = activation_jacobian<double>(n.net.output, n.t.z[n.last]);
  n.delta_def.resize(n.t.z.size());
  for (int i = 0; i < int(n.t.z.size()); ++i) {
    n.delta_def[i].resize(n.t.z[i].size());
    for (int j = 0; j < int(n.t.z[i].size()); ++j) n.delta_def[i](j) = delta_by_definition(n.net, x, n.label, i, j);
  }
  n.c_plus.resize(n.nL);
  n.c_minus.resize(n.nL);
  for (int j = 0; j < n.nL; ++j) {
    n.c_plus(j) = cost_with_z_nudged(n.net, x, n.label, n.last, j, kFiniteDifferenceStep);
    n.c_minus(j) = cost_with_z_nudged(n.net, x, n.label, n.last, j, -kFiniteDifferenceStep);
  }
  Network<double> q = n.net;
  q.cost = Cost::Quadratic;
  n.t_quad = backprop(q, x, n.label);
  q.cost = Cost::CrossEntropy;
  n.t_ce = backprop(q, x, n.label);
  for (int i = 0; i < int(n.t.z.size()); ++i)
    for (int j = 0; j < int(n.t.z[i].size()); ++j)
      n.err_delta = std::max(n.err_delta, relative_error(n.tb.delta[i](j), n.delta_def[i](j)));
  if (v.bug != Bug::None || v.step == 8) {
    n.err_w = check_weights(n);
    n.checked_w = true;
  }
  // Step 9: w → w − η ∇C (with the gradient backprop claims, bug included).
  n.eta = v.eta;
  Network<double> after = n.net;
  for (size_t i = 0; i < after.weights.size(); ++i) {
    after.weights[i] -= n.eta * n.tb.nabla_w[i];
    after.biases[i] -= n.eta * n.tb.nabla_b[i];
    n.grad_norm2 += n.tb.nabla_w[i].squaredNorm() + n.tb.nabla_b[i].squaredNorm();
  }
  n.predicted = -n.eta * n.grad_norm2;  // ∇C · Δw with Δw = −η ∇C
  n.c_after = cost_of(after, x, n.label);
  n.valid = true;
}

}  // namespace

namespace {

// While the model or the digit changes every frame (training, drawing), the screen follows at
// most this often; a change of a toggle is shown at once.
constexpr double kMinSecondsBetweenUpdates = 0.25;

// Recomputes v.n when (net, x, label, toggles) changed. now < 0: always; else skips a change of
// the model or the input that comes sooner than kMinSecondsBetweenUpdates after the last one.
void update(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, double now) {
  if (net.weights.empty() || x.size() != net.sizes.front()) return;
  Hasher data;
  for (int s : net.sizes) data.value(s);
  for (const auto& w : net.weights) data.bytes(w.data(), sizeof(double) * size_t(w.size()));
  for (const auto& b : net.biases) data.bytes(b.data(), sizeof(double) * size_t(b.size()));
  data.value(net.cost);
  data.value(net.output);
  data.value(net.hidden);
  data.bytes(x.data(), sizeof(double) * size_t(x.size()));
  data.value(label);
  Hasher toggles;
  const int cost = v.cost ? int(*v.cost) : -1, output = v.output ? int(*v.output) : -1;
  toggles.value(cost);
  toggles.value(output);
  toggles.value(v.bug);
  toggles.value(v.eta);
  const uint64_t key = data.h ^ (toggles.h * 0x9E3779B97F4A7C15ull);
  const bool want_w = v.bug != Bug::None || v.step == 8;
  Numbers& n = v.n;
  if (n.valid && n.key == key && (n.checked_w || !want_w)) return;
  if (now >= 0 && n.valid && n.key != key && n.toggles_key == toggles.h && n.net.sizes == net.sizes &&
      now - v.last_update < kMinSecondsBetweenUpdates)
    return;
  recompute(v, net, x, label, key);
  n.toggles_key = toggles.h;
  v.last_update = now;
}

}  // namespace

void update_derivation(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label) {
  update(v, net, x, label, -1.0);
}

// [SECTION] Formulas

namespace {

// The app's palette (ui.hpp), following the theme.
const ImU32& kAccent = ui::palette().accent;      // the followed neuron j
const ImU32& kFactorA = ui::palette().factor_a;   // ∂C/∂a
const ImU32& kFactorB = ui::palette().factor_b;   // σ′(z), ∂a/∂z
const ImU32& kMeasured = ui::palette().good;      // by finite differences
const ImU32& kBad = ui::palette().warning;
const ImU32& kDim = ui::palette().dim;

int neuron_tag(int layer, int j) { return layer * 1000 + j; }
int weight_tag(int layer, int j, int k) { return 10'000'000 + layer * 1'000'000 + j * 1000 + k; }

m::Node partial(m::Node top, m::Node bottom) {
  return m::frac(m::row({m::sym("∂"), std::move(top)}), m::row({m::sym("∂"), std::move(bottom)}));
}
m::Node C() { return m::var("C"); }
m::Node zL(const std::string& j) { return m::idx("z", "L", j); }
m::Node aL(const std::string& j) { return m::idx("a", "L", j); }
m::Node dL(const std::string& j) { return m::idx("δ", "L", j); }
m::Node sigma_prime(m::Node arg) { return m::row({m::sym("σ′"), m::paren(std::move(arg))}); }
m::Node n4(double v) { return m::num(v, 4); }

// definition of δ:  δ^L_j ≡ ∂C/∂z^L_j
m::Node f_definition(const std::string& layer = "L") {
  return m::row({m::idx("δ", layer, "j"), m::op("≡"), partial(C(), m::idx("z", layer, "j"))});
}
// the chain rule:  δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j
m::Node f_chain() {
  return m::row({dL("j"), m::op("="), m::bigop("Σ", m::var("k"), nullptr),
                 m::color(partial(C(), aL("k")), kFactorA), m::op("·"),
                 m::color(partial(aL("k"), zL("j")), kFactorB)});
}
// BP1:  δ^L_j = ∂C/∂a^L_j σ′(z^L_j)
m::Node f_bp1() {
  return m::row({dL("j"), m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::space(0.15f),
                 m::color(sigma_prime(zL("j")), kFactorB)});
}
// BP1a:  δ^L = ∇_a C ⊙ σ′(z^L)
m::Node f_bp1a() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::color(m::row({m::sub(m::sym("∇"), m::var("a")), C()}), kFactorA),
                 m::op("⊙"), m::color(sigma_prime(m::sup(m::var("z"), m::var("L"))), kFactorB)});
}
// softmax: δ^L = Jᵀ ∇_a C
m::Node f_softmax_bp1() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::sup(m::var("J"), m::sym("T")),
                 m::row({m::sub(m::sym("∇"), m::var("a")), C()})});
}
m::Node f_a_minus_y() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::sup(m::var("a"), m::var("L")), m::op("−"), m::var("y")});
}
m::Node f_quadratic_delta() {
  return m::row({m::sup(m::var("δ"), m::var("L")), m::op("="), m::paren(m::row({m::sup(m::var("a"), m::var("L")), m::op("−"), m::var("y")})),
                 m::op("⊙"), sigma_prime(m::sup(m::var("z"), m::var("L")))});
}
// BP2, by the chain rule, for one hidden neuron
m::Node f_bp2_chain() {
  const m::Node l = m::var("l"), l1 = m::row({m::var("l"), m::sym("+1")});
  auto z = [&](m::Node layer, const char* i) { return m::subsup(m::var("z"), m::var(i), layer); };
  return m::row({m::subsup(m::var("δ"), m::var("j"), l), m::op("="), m::bigop("Σ", m::var("k"), nullptr),
                 partial(C(), z(l1, "k")), m::op("·"), partial(z(l1, "k"), z(l, "j")), m::op("="),
                 m::bigop("Σ", m::var("k"), nullptr), m::subsup(m::var("w"), m::row({m::var("k"), m::var("j")}), l1), m::space(0.1f),
                 m::subsup(m::var("δ"), m::var("k"), l1), m::space(0.1f), sigma_prime(z(l, "j"))});
}
// BP2:  δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ′(z^l)
m::Node f_bp2() {
  const m::Node l1 = m::row({m::var("l"), m::sym("+1")});
  return m::row({m::sup(m::var("δ"), m::var("l")), m::op("="),
                 m::paren(m::row({m::sup(m::paren(m::sup(m::var("w"), l1)), m::sym("T")), m::sup(m::var("δ"), l1)})),
                 m::op("⊙"), sigma_prime(m::sup(m::var("z"), m::var("l")))});
}
m::Node f_bp3() {
  return m::row({partial(C(), m::idx("b", "l", "j")), m::op("="), m::idx("δ", "l", "j")});
}
m::Node f_bp4() {
  return m::row({partial(C(), m::subsup(m::var("w"), m::row({m::var("j"), m::var("k")}), m::var("l"))), m::op("="),
                 m::subsup(m::var("a"), m::var("k"), m::row({m::var("l"), m::sym("−1")})), m::space(0.1f), m::idx("δ", "l", "j")});
}
m::Node f_gd() {
  return m::row({m::sym("Δ"), C(), m::op("≈"), m::sym("∇"), C(), m::op("·"), m::sym("Δ"), m::var("w"), m::op("="),
                 m::sym("−"), m::var("η"), m::space(0.1f), m::sup(m::paren(m::row({m::sym("∇"), C()}), "‖", "‖"), m::sym("2"))});
}

// A label with its edition-dependent number beside it, e.g. "BP1" or "definition of δ (29)".
void equation_label(const char* name, const char* number = nullptr) {
  ImGui::TextColored(ImColor(ui::palette().heading), "%s", name);
  if (number) {
    ImGui::SameLine(0, 6);
    ImGui::TextDisabled("%s", number);
  }
}

// Wraps the next text at the right edge of what is visible. The steps scroll sideways for wide
// math and tables, and TextWrapped alone would wrap at their width instead (in a narrow embed,
// off the screen). Pair with ImGui::PopTextWrapPos().
void push_wrap_at_visible_edge() {
  ImGui::PushTextWrapPos(std::max(1.0f, ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x));
}

void prose(const char* s) {
  push_wrap_at_visible_edge();
  ImGui::TextWrapped("%s", s);
  ImGui::PopTextWrapPos();
}

// Prose in the dim colour of side remarks (a narrow embed has no room for one long line).
void dim_prose(const char* s) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  prose(s);
  ImGui::PopStyleColor();
}

void show(DerivationView& v, const m::Node& n, int level = 1) {
  ImGui::Indent(12);
  const int h = m::show(n, v.highlight, level);
  if (h >= 0) v.hover_next = h;
  ImGui::Unindent(12);
  ImGui::Spacing();
}

// "relative error 3.2×10⁻¹¹ ✓ agree" in green, or in red when the check fails.
void verdict(double err) {
  const bool ok = err < kCheckTolerance;
  ImGui::PushStyleColor(ImGuiCol_Text, ok ? kMeasured : kBad);
  ImGui::Text("relative error %s  %s", m::format_number(err, 2).c_str(),
              ok ? "— they agree" : "— they DISAGREE: the formula is wrong here");
  ImGui::PopStyleColor();
}

}  // namespace

// [SECTION] Sketch

namespace {

// The net as columns of circles, the input as its image. Neuron j of the output layer and
// whatever the mouse is on are highlighted; hovering a neuron reports its tag.
void draw_sketch(DerivationView& v, float width, float height) {
  const Numbers& n = v.n;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  const int j = output_neuron(v);
  const int hj = v.step == 7 ? hidden_neuron(v) : -1;
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
    dl->AddRectFilled(p, ImVec2(p.x + cell * side, p.y + cell * side), IM_COL32(0, 0, 0, 255));
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) {
        const double a = n.x(r * side + c);
        if (a <= 0.02) continue;
        const int g = int(std::clamp(a, 0.0, 1.0) * 255);
        dl->AddRectFilled(ImVec2(p.x + c * cell, p.y + r * cell), ImVec2(p.x + (c + 1) * cell, p.y + (r + 1) * cell), IM_COL32(g, g, g, 255));
      }
  }
  // Connections into the output layer: to neuron j bright, the rest faint.
  for (int l = 3; l <= layers; ++l)
    for (int k = 0; k < int(pos[l].size()); ++k)
      for (int q = 0; q < int(pos[l - 1].size()); ++q) {
        const bool hot = (l == layers && k == j) || (l == layers && q == hj) ||
                         v.highlight == weight_tag(l, k, q);
        if (!hot && l == layers && (q % 2)) continue;  // thin out the faint ones
        dl->AddLine(pos[l - 1][q], pos[l][k], hot ? IM_COL32(255, 170, 60, v.highlight == weight_tag(l, k, q) ? 255 : 90) : IM_COL32(120, 120, 130, 25),
                    v.highlight == weight_tag(l, k, q) ? 3.0f : 1.0f);
      }
  // Neurons: filled by activation, outlined when followed or highlighted.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int l = 2; l <= layers; ++l) {
    const Vector<double>& a = n.t.a[l - 1];
    for (int k = 0; k < int(pos[l].size()); ++k) {
      const float r = l == layers ? 8.0f : 5.5f;
      const double act = std::clamp(a(k), 0.0, 1.0);
      const int g = 40 + int(act * 215);
      dl->AddCircleFilled(pos[l][k], r, IM_COL32(g, g, g, 255));
      const int tag = neuron_tag(l, k);
      const bool followed = (l == layers && k == j) || (l == layers - 1 && k == hj);
      if (followed) dl->AddCircle(pos[l][k], r + 3, kAccent, 0, 2.5f);
      if (v.highlight == tag) dl->AddCircle(pos[l][k], r + 6, IM_COL32(255, 220, 80, 255), 0, 2.0f);
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

// A bar of a signed value, scaled by `scale`, for tables.
void value_bar(double value, double scale, ImU32 col) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = 60, h = ImGui::GetTextLineHeight() * 0.6f;
  ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
  const float mid = p.x + w * 0.5f;
  const float len = scale > 0 ? float(std::clamp(value / scale, -1.0, 1.0)) * w * 0.5f : 0;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + ImGui::GetTextLineHeight()), kDim);
  const float y = p.y + ImGui::GetTextLineHeight() * 0.2f;
  dl->AddRectFilled(ImVec2(std::min(mid, mid + len), y), ImVec2(std::max(mid, mid + len), y + h), col);
}

void mono_number(double v, ImU32 col = 0) {
  const Fonts& f = fonts();
  if (f.mono.font) ImGui::PushFont(f.mono.font);
  if (col) ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::TextUnformatted(m::format_number(v, 5).c_str());
  if (col) ImGui::PopStyleColor();
  if (f.mono.font) ImGui::PopFont();
}

}  // namespace

// [SECTION] Steps

namespace {

// "with j = 7" etc. as a small dim line.
void given(const Numbers& n, int j) {
  char line[128];
  std::snprintf(line, sizeof line, "Here L = %d (the output layer), j = %d, and this digit's label is %d (y = one-hot of %d).", n.L, j, n.label, n.label);
  dim_prose(line);
}

void step_definition(DerivationView& v) {
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  equation_label("definition of δ", "(29)");
  show(v, f_definition(), 2);
  prose("The error of output neuron j is defined as how fast the cost C changes when that neuron's weighted input changes. "
        "Nothing in the definition mentions σ′: it is a derivative we can measure. Nudge z of neuron j by a small h both ways, "
        "run the rest of the forward pass, and compare the costs:");
  given(n, j);
  const double h = kFiniteDifferenceStep;
  const int tj = neuron_tag(n.L, j);
  auto Cof = [&](const char* sign) {
    return m::row({C(), m::paren(m::row({m::tagged(zL("j"), tj), m::op(sign), m::var("h")}))});
  };
  show(v, m::row({m::tagged(dL("j"), tj), m::op("≈"), m::frac(m::row({Cof("+"), m::op("−"), Cof("−")}), m::row({m::sym("2"), m::var("h")})),
                  m::op("="), m::frac(m::row({m::num(n.c_plus(j), 8), m::op("−"), m::num(n.c_minus(j), 8)}), m::row({m::sym("2"), m::op("×"), m::num(h)})),
                  m::op("≈"), m::color(n4(n.delta_def[n.last](j)), kMeasured)}), 1);
  dim_prose("(The screen uses the five-point version of this difference, exact to about 10⁻¹²: that is the measured δ used from here on.)");
  ImGui::Spacing();
  prose("The numbers of neuron j on this digit:");
  show(v, m::row({m::tagged(zL("j"), tj), m::op("="), n4(n.t.z[n.last](j)), m::space(1.2f), m::tagged(aL("j"), tj), m::op("="),
                  n4(n.t.a.back()(j)), m::space(1.2f), m::sub(m::var("y"), m::var("j")), m::op("="), n4(n.t.y(j)), m::space(1.2f),
                  C(), m::op("="), n4(n.t.cost), m::space(1.2f), m::tagged(dL("j"), tj), m::op("="),
                  m::color(m::num(n.delta_def[n.last](j), 6), kMeasured), m::text("  measured")}));
  prose("BP1 will say δ = ∂C/∂a · σ′(z). That does not look like the definition. The next steps get from one to the other by the chain rule.");
}

void step_chain(DerivationView& v) {
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  equation_label("the chain rule");
  show(v, f_chain(), 2);
  prose("C depends on z of neuron j only through the output activations a of the layer, so the chain rule sums over every output neuron k. "
        "Every term, on this digit (hover a row to find its neuron in the sketch):");
  given(n, j);
  double sum = 0, scale = 0;
  for (int k = 0; k < n.nL; ++k) scale = std::max(scale, std::abs(n.t.dC_da(k) * n.jac(k, j)));
  if (ImGui::BeginTable("terms", 5, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV, ImVec2(480, 0))) {
    ImGui::TableSetupColumn("k");
    ImGui::TableSetupColumn("∂C/∂a(k)");
    ImGui::TableSetupColumn("∂a(k)/∂z(j)");
    ImGui::TableSetupColumn("term");
    ImGui::TableSetupColumn("");
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    ImGui::TableNextColumn();
    m::show(m::var("k"), -1, 0);
    ImGui::TableNextColumn();
    m::show(m::color(partial(C(), aL("k")), kFactorA), -1, 1);
    ImGui::TableNextColumn();
    m::show(m::color(partial(aL("k"), zL("j")), kFactorB), -1, 1);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("product");
    for (int k = 0; k < n.nL; ++k) {
      const double term = n.t.dC_da(k) * n.jac(k, j);
      sum += term;
      ImGui::TableNextRow();
      const int tag = neuron_tag(n.L, k);
      if (v.highlight == tag) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 200, 60, 60));
      ImGui::TableNextColumn();
      char id[16];
      std::snprintf(id, sizeof id, "%d##k", k);
      ImGui::Selectable(id, false, ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::IsItemHovered()) v.hover_next = tag;
      ImGui::TableNextColumn();
      mono_number(n.t.dC_da(k), kFactorA);
      ImGui::TableNextColumn();
      mono_number(n.jac(k, j), n.jac(k, j) == 0 ? kDim : kFactorB);
      ImGui::TableNextColumn();
      mono_number(term, k == j ? kAccent : (term == 0 ? kDim : 0));
      ImGui::TableNextColumn();
      value_bar(term, scale, k == j ? kAccent : IM_COL32(180, 180, 190, 255));
    }
    ImGui::EndTable();
  }
  show(v, m::row({m::text("sum of the terms"), m::op("="), n4(sum), m::space(1.5f), m::text("measured δ (step 1)"), m::op("="),
                  m::color(n4(n.delta_def[n.last](j)), kMeasured)}));
  verdict(relative_error(sum, n.delta_def[n.last](j)));
  if (is_elementwise(n.net.output))
    prose("Look at the middle column: only the row k = j is not zero. The next step shows why.");
  else
    prose("With a softmax output every row contributes: the middle column is dense. The next step shows why.");
}

void output_toggle(DerivationView& v) {
  const Activation cur = v.n.net.output;
  ImGui::TextUnformatted("Output layer:");
  ImGui::SameLine();
  if (ImGui::RadioButton("sigmoid", cur == Activation::Sigmoid)) v.output = Activation::Sigmoid;
  ImGui::SameLine();
  if (ImGui::RadioButton("softmax", cur == Activation::Softmax)) v.output = Activation::Softmax;
}

void step_jacobian(DerivationView& v) {
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  equation_label("the Jacobian of the output layer");
  show(v, m::row({m::sub(m::var("J"), m::row({m::var("k"), m::var("j")})), m::op("="), partial(aL("k"), zL("j"))}), 2);
  output_toggle(v);
  prose("Row k, column j: how much output activation k moves when z of neuron j moves. Column j (outlined) holds the second factors of step 2's sum.");
  // The grid.
  const float cell_w = 50, cell_h = 24;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float lw = 22;
  ImGui::Dummy(ImVec2(lw + cell_w * n.nL + 4, cell_h * (n.nL + 1) + 4));
  double scale = 1e-12;
  for (int k = 0; k < n.nL; ++k)
    for (int q = 0; q < n.nL; ++q) scale = std::max(scale, std::abs(n.jac(k, q)));
  const Fonts& f = fonts();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int q = 0; q < n.nL; ++q) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "j=%d", q);
    dl->AddText(ImVec2(o.x + lw + q * cell_w + 12, o.y), q == j ? kAccent : kDim, buf);
  }
  for (int k = 0; k < n.nL; ++k) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%d", k);
    const float y = o.y + cell_h * (k + 1);
    dl->AddText(ImVec2(o.x + 4, y + 4), kDim, buf);
    for (int q = 0; q < n.nL; ++q) {
      const double val = n.jac(k, q);
      // Colour on a log scale over 12 decades, so that a dense matrix of tiny entries still
      // looks dense; exact zeros stay grey.
      const float t = val == 0 ? 0.0f : float(std::clamp(1.0 + std::log10(std::abs(val) / scale) / 12.0, 0.15, 1.0));
      const ImVec2 a(o.x + lw + q * cell_w, y), b(a.x + cell_w - 2, a.y + cell_h - 2);
      const ImU32 bg = val != 0 ? ui::diverging(val > 0 ? t : -t, 1.0f, ui::kDarkPalette) : IM_COL32(40, 40, 46, 255);
      dl->AddRectFilled(a, b, bg, 2);
      // Two decimals where they say something; tiny entries by their order of magnitude (the
      // tooltip has the digits).
      char cell[16];
      if (val == 0) std::snprintf(cell, sizeof cell, "0");
      else if (std::abs(val) >= 0.01) std::snprintf(cell, sizeof cell, "%.2f", val);
      else if (std::abs(val) >= 0.001) std::snprintf(cell, sizeof cell, "%.3f", val);
      else std::snprintf(cell, sizeof cell, "%.0e", val);  // "-1e-13": tiny, but not zero
      std::string s;
      for (const char* c = cell; *c; ++c) s += *c == '-' ? std::string("−") : std::string(1, *c);
      if (f.mono.font)
        dl->AddText(f.mono.font, 12.0f, ImVec2(a.x + 4, a.y + 5), val == 0 ? kDim : IM_COL32(240, 240, 240, 255), s.c_str());
      if (ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y) {
        v.hover_next = neuron_tag(n.L, k);
        ImGui::SetTooltip("∂a(%d)/∂z(%d) = %s", k, q, m::format_number(val, 8).c_str());
      }
      if (v.highlight == neuron_tag(n.L, k) && q == j) dl->AddRect(a, b, IM_COL32(255, 220, 80, 255), 2, 0, 2);
    }
  }
  dl->AddRect(ImVec2(o.x + lw + j * cell_w - 1, o.y + cell_h - 1), ImVec2(o.x + lw + (j + 1) * cell_w - 1, o.y + cell_h * (n.nL + 1)), kAccent, 3, 0, 2);
  dim_prose("Orange: positive, blue: negative, grey: exactly 0; brightness on a log scale. Hover a cell for its digits.");
  if (is_elementwise(n.net.output)) {
    prose("A sigmoid output is diagonal: a of neuron k is σ of z of neuron k alone, so moving z of neuron j moves no other output. "
          "Every term with k ≠ j in step 2 is zero and the sum collapses to the single term k = j:");
    show(v, m::row({dL("j"), m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB),
                    m::op("="), m::color(partial(C(), aL("j")), kFactorA), m::space(0.15f), m::color(sigma_prime(zL("j")), kFactorB)}));
    prose("That is BP1. It has the form of a product, not of the definition, because of this collapse.");
  } else {
    prose("A softmax output is dense: a(k) = exp z(k) / Σ exp z(i) depends on every z, so ∂a(k)/∂z(j) = a(k)(1[k=j] − a(j)) is not zero off the diagonal. "
          "The sum does not collapse, and BP1 with a σ′ does not hold. What replaces it is the whole sum, the Jacobian transposed times the gradient:");
    show(v, f_softmax_bp1());
    prose("With the log-likelihood cost (the book's partner for softmax, chapter 3) the sum simplifies to");
    show(v, f_a_minus_y());
    const double naive = n.t.dC_da(j) * n.jac(j, j);
    if (n.net.cost == Cost::LogLikelihood && j == n.label)
      prose("(For j = the label the two agree by luck: with the log-likelihood cost only ∂C/∂a of the label is not zero, so the sum has "
            "one term here too. Follow another output neuron j to see BP1's product miss.)");
    show(v, m::row({m::text("BP1's product alone (the k = j term)"), m::op("="), n4(naive), m::space(1.0f), m::text("the whole sum"), m::op("="),
                    n4(n.t.delta[n.last](j)), m::space(1.0f), m::text("measured"), m::op("="), m::color(n4(n.delta_def[n.last](j)), kMeasured)}));
  }
}

void step_bp1(DerivationView& v) {
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  const int tj = neuron_tag(n.L, j);
  equation_label("BP1");
  show(v, f_bp1(), 2);
  given(n, j);
  // With the "σ′ kept with cross-entropy" bug the code multiplies a − y (not ∂C/∂a) by σ′.
  const bool ce_bug = v.bug == Bug::SigmaPrimeWithCrossEntropy && is_elementwise(n.net.output);
  const double da = ce_bug ? n.t.a.back()(j) - n.t.y(j) : n.t.dC_da(j), sp = sigma_prime_shown(v, j);
  const double product = is_elementwise(n.net.output) ? n.tb.delta[n.last](j) : da * sp;
  show(v, m::row({m::tagged(dL("j"), tj), m::op("="), m::color(n4(da), kFactorA), m::op("×"), m::color(n4(sp), kFactorB), m::op("="),
                  m::color(m::num(product, 6), kAccent)}));
  show(v, m::row({m::text("measured from the definition (step 1)"), m::op("="), m::color(m::num(n.delta_def[n.last](j), 6), kMeasured)}));
  verdict(relative_error(product, n.delta_def[n.last](j)));
  if (!is_elementwise(n.net.output)) {
    prose("With a softmax output the product misses the off-diagonal terms of step 3. The whole sum, Jᵀ∇C, is what agrees:");
    show(v, m::row({f_softmax_bp1(), m::text("  for neuron j"), m::op("="), m::color(m::num(n.tb.delta[n.last](j), 6), kAccent)}));
    verdict(relative_error(n.tb.delta[n.last](j), n.delta_def[n.last](j)));
  } else if (v.bug == Bug::SigmaPrimeOfA || v.bug == Bug::NoSigmaPrime || ce_bug) {
    const double right = activation_prime(n.net.output, n.t.z[n.last](j));
    ImGui::TextColored(ImColor(kBad), "Injected bug: %s. The code multiplied by %s where BP1 needs σ′(z) = %s; the check against the definition catches it.",
                       bug_name(v.bug), m::format_number(sp).c_str(), m::format_number(right).c_str());
  } else {
    prose("The first factor is how fast the cost changes with the activation; the second, how fast the activation changes with z. "
          "Their product is the measured derivative of the definition: BP1 is the definition, computed by the chain rule.");
  }
}

void step_bp1a(DerivationView& v) {
  const Numbers& n = v.n;
  equation_label("BP1 in matrix form (BP1a)");
  show(v, is_elementwise(n.net.output) ? f_bp1a() : f_softmax_bp1(), 2);
  prose("The same for all output neurons at once: ⊙ multiplies element by element (the Hadamard product).");
  double worst = 0;
  if (ImGui::BeginTable("bp1a", 6, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV, ImVec2(620, 0))) {
    for (const char* h : {"j", "∂C/∂a", "σ′(z)", "δ by BP1", "δ measured", "rel. error"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int j = 0; j < n.nL; ++j) {
      ImGui::TableNextRow();
      const int tag = neuron_tag(n.L, j);
      if (v.highlight == tag) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 200, 60, 60));
      ImGui::TableNextColumn();
      char id[16];
      std::snprintf(id, sizeof id, "%d##j", j);
      ImGui::Selectable(id, j == output_neuron(v), ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::IsItemHovered()) v.hover_next = tag;
      if (ImGui::IsItemClicked()) v.neuron = j;
      ImGui::TableNextColumn();
      mono_number(n.t.dC_da(j), kFactorA);
      ImGui::TableNextColumn();
      mono_number(sigma_prime_shown(v, j), kFactorB);
      ImGui::TableNextColumn();
      mono_number(n.tb.delta[n.last](j), kAccent);
      ImGui::TableNextColumn();
      mono_number(n.delta_def[n.last](j), kMeasured);
      ImGui::TableNextColumn();
      const double e = relative_error(n.tb.delta[n.last](j), n.delta_def[n.last](j));
      worst = std::max(worst, e);
      mono_number(e, e < kCheckTolerance ? kDim : kBad);
    }
    ImGui::EndTable();
  }
  ImGui::TextUnformatted("Largest over the layer:");
  ImGui::SameLine();
  verdict(worst);
}

void cost_toggle(DerivationView& v) {
  const Cost cur = v.n.net.cost;
  ImGui::TextUnformatted("Cost:");
  ImGui::SameLine();
  if (ImGui::RadioButton("quadratic", cur == Cost::Quadratic)) v.cost = Cost::Quadratic;
  ImGui::SameLine();
  if (ImGui::RadioButton("cross-entropy", cur == Cost::CrossEntropy)) v.cost = Cost::CrossEntropy;
  ImGui::SameLine();
  if (ImGui::RadioButton("log-likelihood", cur == Cost::LogLikelihood)) v.cost = Cost::LogLikelihood;
}

void step_cost(DerivationView& v) {
  const Numbers& n = v.n;
  equation_label("BP1 for a given cost");
  cost_toggle(v);
  if (!is_elementwise(n.net.output)) {
    prose("This step compares costs for a sigmoid output. With softmax, the log-likelihood cost gives δ = a − y (step 3).");
    output_toggle(v);
  }
  ImGui::Spacing();
  equation_label("quadratic cost", "(30)");
  prose("C = ½‖a − y‖², so ∇C = a − y, and BP1 becomes");
  show(v, f_quadratic_delta());
  equation_label("cross-entropy cost");
  prose("∂C/∂a = (a − y) / (a(1 − a)) and σ′(z) = σ(z)(1 − σ(z)) = a(1 − a): the σ′ cancels, and");
  show(v, m::row({f_a_minus_y(), m::text("   (no σ′: learning does not slow down when a neuron saturates)")}));
  prose("The same digit both ways (the network's weights are the same; only the cost differs):");
  if (ImGui::BeginTable("costs", 5, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV, ImVec2(560, 0))) {
    for (const char* h : {"j", "a − y", "σ′(z)", "δ quadratic", "δ cross-entropy"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    const bool quad = n.net.cost == Cost::Quadratic, ce = n.net.cost == Cost::CrossEntropy;
    for (int j = 0; j < n.nL; ++j) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", j);
      ImGui::TableNextColumn();
      mono_number(n.t.a.back()(j) - n.t.y(j));
      ImGui::TableNextColumn();
      mono_number(n.jac(j, j), kFactorB);
      ImGui::TableNextColumn();
      mono_number(n.t_quad.delta[n.last](j), quad ? kAccent : kDim);
      ImGui::TableNextColumn();
      mono_number(n.t_ce.delta[n.last](j), ce ? kAccent : kDim);
    }
    ImGui::EndTable();
  }
  dim_prose("The column of the cost chosen above is highlighted; that is the cost of the copy this screen uses.");
  if (v.bug == Bug::SigmaPrimeWithCrossEntropy)
    ImGui::TextColored(ImColor(kBad), "Injected bug: σ′ kept with cross-entropy, δ = (a − y) ⊙ σ′(z). Right for the quadratic cost, wrong for cross-entropy: switch the cost and watch the gradient check.");
}

void step_bp2(DerivationView& v) {
  const Numbers& n = v.n;
  equation_label("BP2, by the chain rule");
  if (n.last < 1) {
    prose("This network has no hidden layer: there is no BP2 to show. Give it a hidden layer in the network panel.");
    return;
  }
  const int hi = n.last - 1;  // index of layer l = L − 1
  const int l = n.L - 1;
  int j = hidden_neuron(v);
  show(v, f_bp2_chain(), 2);
  prose("A hidden neuron's z moves every z of the next layer (through the weights), so ∂z(k)/∂z(j) = w(kj) σ′(z(j)) is not zero for any k: "
        "this sum does not collapse. Each term, for one hidden neuron:");
  ImGui::SetNextItemWidth(200);
  ImGui::SliderInt("hidden neuron j", &j, 0, int(n.t.z[hi].size()) - 1);
  if (ImGui::IsItemEdited()) v.hidden = j;
  ImGui::TextDisabled("Here l = %d and l + 1 = L = %d.", l, n.L);
  const double sp = activation_prime(n.net.hidden, n.t.z[hi](j));
  double sum = 0, scale = 0;
  for (int k = 0; k < n.nL; ++k) scale = std::max(scale, std::abs(n.net.weights[n.last](k, j) * n.t.delta[n.last](k)));
  if (ImGui::BeginTable("bp2", 5, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV, ImVec2(480, 0))) {
    for (const char* h : {"k", "w(kj)", "δ(k) of layer l+1", "w·δ", ""}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int k = 0; k < n.nL; ++k) {
      const double w = n.net.weights[n.last](k, j), d = n.t.delta[n.last](k);
      sum += w * d;
      ImGui::TableNextRow();
      const int tag = weight_tag(n.L, k, j);
      if (v.highlight == tag) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 200, 60, 60));
      ImGui::TableNextColumn();
      char id[16];
      std::snprintf(id, sizeof id, "%d##bp2", k);
      ImGui::Selectable(id, false, ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::IsItemHovered()) v.hover_next = tag;
      ImGui::TableNextColumn();
      mono_number(w);
      ImGui::TableNextColumn();
      mono_number(d);
      ImGui::TableNextColumn();
      mono_number(w * d);
      ImGui::TableNextColumn();
      value_bar(w * d, scale, IM_COL32(180, 180, 190, 255));
    }
    ImGui::EndTable();
  }
  const int tj = neuron_tag(l, j);
  show(v, m::row({m::tagged(m::idx("δ", "l", "j"), tj), m::op("="), m::paren(m::row({m::bigop("Σ", m::var("k"), nullptr), m::subsup(m::var("w"), m::row({m::var("k"), m::var("j")}), m::var("L")),
                  m::idx("δ", "L", "k")})), m::space(0.1f), m::color(sigma_prime(m::idx("z", "l", "j")), kFactorB), m::op("="), n4(sum), m::op("×"),
                  m::color(n4(sp), kFactorB), m::op("="), m::color(m::num(sum * sp, 6), kAccent)}));
  show(v, m::row({m::text("backprop's δ"), m::op("="), m::color(m::num(n.tb.delta[hi](j), 6), kAccent), m::space(1.0f), m::text("measured from the definition"), m::op("="),
                  m::color(m::num(n.delta_def[hi](j), 6), kMeasured)}));
  verdict(relative_error(n.tb.delta[hi](j), n.delta_def[hi](j)));
  ImGui::Spacing();
  equation_label("BP2");
  show(v, f_bp2(), 2);
  prose("The sums over k for every hidden neuron at once: the transpose of w sends the errors backwards along the same weights the activations used forwards.");
  double worst = 0;
  for (int q = 0; q < int(n.t.z[hi].size()); ++q) worst = std::max(worst, relative_error(n.tb.delta[hi](q), n.delta_def[hi](q)));
  ImGui::Text("Every neuron of layer %d against its measured δ:", l);
  ImGui::SameLine();
  verdict(worst);
}

void step_gradient(DerivationView& v) {
  Numbers& n = v.n;
  equation_label("BP3");
  show(v, f_bp3());
  equation_label("BP4");
  show(v, f_bp4());
  const int i = 0, l = 2;  // the first layer of weights, w^2
  const int rows = int(n.net.weights[i].rows()), cols = int(n.net.weights[i].cols());
  const int side = int(std::lround(std::sqrt(double(cols))));
  push_wrap_at_visible_edge();
  ImGui::TextWrapped("∂C/∂w for layer %d: one image per neuron j of layer %d, pixel k = a(k) of the input times δ(j).", l, l);
  ImGui::PopTextWrapPos();
  prose("Blank pixels of the digit (a = 0) get zero gradient: their weights cannot change the cost on this digit. Blue is positive (+), orange negative (−). Click a pixel to check it.");
  if (n.x.cwiseAbs().maxCoeff() == 0)
    ImGui::TextColored(ImColor(kAccent), "The input is blank, so every one of these gradients is 0: draw a digit to see them.");
  double scale = 1e-12;
  for (int j = 0; j < rows; ++j) scale = std::max(scale, n.tb.nabla_w[i].row(j).cwiseAbs().maxCoeff());
  // A gradient's colour: blue positive, orange negative (the palette's), stronger with √|g|; blank where it is 0.
  const ImU32 blank = ui::palette().zero;
  auto colour = [&](double g) {
    if (g == 0) return blank;
    const float t = float(std::min(1.0, std::sqrt(std::abs(g) / scale)));
    return ui::diverging(g > 0 ? std::max(t, 0.15f) : -std::max(t, 0.15f), 1.0f);  // a sign shows, however small
  };
  if (side * side == cols) {
    const float cell = 2.0f, img = cell * side, gap = 8;
    const int per_row = std::max(1, int((ImGui::GetContentRegionAvail().x + gap) / (img + gap)));
    const int shown = std::min(rows, 30);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    // With textures: every image in one, made again only when the numbers change.
    constexpr int kTiles = 10;
    const int tex_w = kTiles * side, tex_h = (shown + kTiles - 1) / kTiles * side;
    const uint64_t texture_key = n.key * 64 + uint64_t(shown);
    if (v.texture && shown > 0 && v.gradient_texture_for != texture_key) {
      std::vector<unsigned char> rgba(size_t(tex_w) * size_t(tex_h) * 4, 0);
      for (int j = 0; j < shown; ++j)
        for (int k = 0; k < cols; ++k) {
          const int x = (j % kTiles) * side + k % side, y = (j / kTiles) * side + k / side;
          ui::put_rgba(&rgba[(size_t(y) * size_t(tex_w) + size_t(x)) * 4], colour(n.tb.nabla_w[i](j, k)));
        }
      const std::uintptr_t id = v.texture(v.gradient_texture, tex_w, tex_h, rgba.data(), false);
      v.gradient_texture = id;
      v.gradient_texture_for = id ? texture_key : 0;
    }
    const std::uintptr_t texture = v.texture ? v.gradient_texture : 0;
    for (int j = 0; j < shown; ++j) {
      if (j % per_row) ImGui::SameLine(0, gap);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::PushID(j);
      ImGui::InvisibleButton("img", ImVec2(img, img + 14));
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
  // weight of the brightest pixel into the neuron with the largest |δ| for this digit and net
  // (chosen again when they change: the digit may arrive after the screen is first shown).
  if (rows > 0 && ((!v.picked_by_learner && v.default_pick_for != n.key) || v.pick_j >= rows ||
                   v.pick_k >= cols)) {
    Eigen::Index bj = 0, bk = 0;
    n.tb.delta[i].cwiseAbs().maxCoeff(&bj);
    n.x.maxCoeff(&bk);
    v.pick_j = int(bj);
    v.pick_k = int(bk);
    v.picked_by_learner = false;
    v.default_pick_for = n.key;
  }
  if (v.pick_j >= 0 && v.pick_j < rows) {
    const uint64_t key = pick_key_of(v);
    if (v.pick_key != key) {
      v.pick_fd = v.pick_k >= 0 ? nabla_w_by_differences(n.net, n.x, n.label, i, v.pick_j, v.pick_k)
                                : nabla_b_by_differences(n.net, n.x, n.label, i, v.pick_j);
      v.pick_key = key;
    }
    const double bp = v.pick_k >= 0 ? n.tb.nabla_w[i](v.pick_j, v.pick_k) : n.tb.nabla_b[i](v.pick_j);
    const std::string jk = std::to_string(v.pick_j) + (v.pick_k >= 0 ? "," + std::to_string(v.pick_k) : "");
    const m::Node what = v.pick_k >= 0 ? m::subsup(m::var("w"), m::sym(jk), m::sym("2")) : m::subsup(m::var("b"), m::sym(jk), m::sym("2"));
    show(v, m::row({partial(C(), what), m::op("="), m::color(m::num(bp, 6), kAccent), m::text(" by backprop"), m::space(1.0f),
                    m::color(m::num(v.pick_fd, 6), kMeasured), m::text(" by nudging it and rerunning the net")}));
    verdict(relative_error(bp, v.pick_fd));
    if (v.pick_k >= 0 && ImGui::SmallButton("check its bias instead")) {
      v.pick_k = -1;
      v.picked_by_learner = true;
    }
  } else {
    ImGui::TextDisabled("(no weight picked yet)");
  }
  ImGui::Spacing();
  if (n.checked_w) {
    ImGui::TextUnformatted("Gradient check (every δ, every output weight, the 3 strongest inputs of every other neuron):");
    verdict(std::max(n.err_delta, n.err_w));
  }
}

void step_descent(DerivationView& v) {
  const Numbers& n = v.n;
  equation_label("one step of gradient descent");
  prose("Move every weight and bias against its gradient, w → w − η ∂C/∂w, on this digit alone. To first order the cost changes by");
  show(v, f_gd(), 2);
  ImGui::SetNextItemWidth(240);
  ImGui::SliderFloat("learning rate η", &v.eta, 0.001f, 5.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
  const double actual = n.c_after - n.t.cost;
  show(v, m::row({m::text("predicted"), m::op("="), m::sym("−"), m::num(n.eta, 3), m::op("×"), n4(n.grad_norm2), m::op("="), m::color(m::num(n.predicted, 5), kAccent)}));
  show(v, m::row({m::text("actual: C after − C before"), m::op("="), n4(n.c_after), m::op("−"), n4(n.t.cost), m::op("="),
                  m::color(m::num(actual, 5), kMeasured)}));
  if (n.predicted != 0) ImGui::Text("actual / predicted = %s", m::format_number(actual / n.predicted, 4).c_str());
  prose("For a small η the two agree: that is what the gradient means. As η grows the curvature of C (the second-order terms) makes them differ, "
        "and a large enough step overshoots and the cost goes up. With an injected bug, backprop's 'gradient' predicts a change the net does not make.");
}

// The "one neuron per layer" view: the same chain as a product of scalars, along one path.
void one_neuron_panel(DerivationView& v) {
  const Numbers& n = v.n;
  const int j = output_neuron(v);
  ImGui::TextColored(ImColor(ui::palette().heading), "One neuron per layer");
  if (n.last < 1) {
    prose("(needs a hidden layer)");
    return;
  }
  const int h = hidden_neuron(v);
  prose("Follow one path: hidden neuron h → output neuron j, as if each layer had one neuron. Then every derivative is a number and the chain rule is a product:");
  ImGui::TextDisabled("h = %d, j = %d", h, j);
  const m::Node w = m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L"));
  const double a_prev = n.t.a[n.last](h), sp = activation_prime(n.net.output, n.t.z[n.last](j)), da = n.t.dC_da(j);
  show(v, m::row({partial(C(), w), m::op("="), partial(zL("j"), w), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"),
                  m::color(partial(C(), aL("j")), kFactorA)}));
  show(v, m::row({m::op("="), m::idx("a", "L−1", "h"), m::op("·"), m::color(sigma_prime(zL("j")), kFactorB), m::op("·"), m::color(partial(C(), aL("j")), kFactorA),
                  m::op("="), n4(a_prev), m::op("×"), m::color(n4(sp), kFactorB), m::op("×"), m::color(n4(da), kFactorA), m::op("="),
                  m::color(m::num(a_prev * sp * da, 6), kAccent)}));
  show(v, m::row({m::text("backprop (BP4 with BP1)"), m::op("="), m::color(m::num(n.tb.nabla_w[n.last](j, h), 6), kAccent)}));
  if (!is_elementwise(n.net.output))
    ImGui::TextColored(ImColor(kBad), "With a softmax output the scalar chain misses the other outputs' terms; widen to vectors.");
  prose("Widened to vectors: the last two factors become BP1 (δ = ∇C ⊙ σ′(z)), the first becomes BP4 (∂C/∂w = a δ); "
        "going one layer further back, the single path becomes a sum over all paths through the next layer: BP2.");
  ImGui::Separator();
}

}  // namespace

// [SECTION] Contract

namespace {

const Bug kBugs[] = {Bug::None, Bug::SigmaPrimeOfA, Bug::NoSigmaPrime, Bug::SigmaPrimeWithCrossEntropy, Bug::NoTransposeBP2};
const char* const kBugIds[] = {"none", "sigma-prime-of-a", "no-sigma-prime", "sigma-prime-with-cross-entropy", "no-transpose-bp2"};

// SameLine when the next item, `width` wide, still fits on this line; a new line otherwise
// (a narrow embed wraps the toolbar instead of cutting it off at the right edge).
void same_line_if_room(float width, float spacing = -1.0f) {
  ImGui::SameLine(0, spacing);
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// The width of a widget with a label to its right: SetNextItemWidth(item_w), then the label.
float labeled_width(float item_w, const char* label) {
  return item_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

// The step buttons and the step's title.
void step_bar(DerivationView& v) {
  const ImGuiStyle& style = ImGui::GetStyle();
  if (ImGui::ArrowButton("prev", ImGuiDir_Left) && v.step > 1) --v.step;
  ImGui::SameLine();
  if (ImGui::ArrowButton("next", ImGuiDir_Right) && v.step < kSteps) ++v.step;
  for (int s = 1; s <= kSteps; ++s) {
    char id[8];
    std::snprintf(id, sizeof id, "%d", s);
    same_line_if_room(ImGui::CalcTextSize(id).x + style.FramePadding.x * 2);
    if (s == v.step) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(id)) v.step = s;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kStepTitles[s]);
    if (s == v.step) ImGui::PopStyleColor();
  }
  char title[96];
  std::snprintf(title, sizeof title, "Step %d of %d: %s", v.step, kSteps, kStepTitles[v.step]);
  same_line_if_room(ImGui::CalcTextSize(title).x, 16);
  ImGui::TextWrapped("%s", title);
}

// The output neuron, cost, output activation, injected bug and one-neuron view.
void options(DerivationView& v) {
  const Numbers& n = v.n;
  int j = output_neuron(v);
  ImGui::SetNextItemWidth(110);
  if (ImGui::SliderInt("output neuron j", &j, 0, n.nL - 1)) v.neuron = j;
  same_line_if_room(labeled_width(130, "cost"));
  ImGui::SetNextItemWidth(130);
  if (ImGui::BeginCombo("cost", to_string(n.net.cost))) {
    for (Cost c : {Cost::Quadratic, Cost::CrossEntropy, Cost::LogLikelihood})
      if (ImGui::Selectable(to_string(c), c == n.net.cost)) v.cost = c;
    ImGui::EndCombo();
  }
  same_line_if_room(labeled_width(100, "output"));
  ImGui::SetNextItemWidth(100);
  if (ImGui::BeginCombo("output", to_string(n.net.output))) {
    for (Activation a : {Activation::Sigmoid, Activation::Softmax})
      if (ImGui::Selectable(to_string(a), a == n.net.output)) v.output = a;
    ImGui::EndCombo();
  }
  same_line_if_room(labeled_width(220, "inject a classic bug"));
  // Narrower where even its own line is too short for it (a 320-pixel embed).
  ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - labeled_width(0, "inject a classic bug"), 100.0f, 220.0f));
  if (ImGui::BeginCombo("inject a classic bug", bug_name(v.bug))) {
    for (Bug b : kBugs)
      if (ImGui::Selectable(bug_name(b), b == v.bug)) v.bug = b;
    ImGui::EndCombo();
  }
  same_line_if_room(labeled_width(ImGui::GetFrameHeight(), "one neuron per layer"));
  ImGui::Checkbox("one neuron per layer", &v.one_neuron);
}

// What differs from the model: another cost or output, an injected bug and its check.
void notices(DerivationView& v) {
  const Numbers& n = v.n;
  if (n.net.cost != n.model_cost || n.net.output != n.model_output) {
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.4f, 1),
                       "This screen uses a copy of your network with the %s cost and a %s output (same weights); your model is unchanged.",
                       to_string(n.net.cost), to_string(n.net.output));
    ImGui::SameLine();
    if (ImGui::SmallButton("use the model's")) {
      v.cost.reset();
      v.output.reset();
    }
  }
  if (v.bug != Bug::None) {
    const double err = std::max(n.err_delta, n.err_w);
    const bool caught = err >= kCheckTolerance;
    ImGui::PushStyleColor(ImGuiCol_Text, caught ? kBad : kMeasured);
    push_wrap_at_visible_edge();
    ImGui::TextWrapped("Injected bug: %s. Gradient check of backprop against finite differences: largest relative error %s — %s",
                       bug_name(v.bug), m::format_number(err, 2).c_str(),
                       caught ? "CAUGHT, backprop's gradient is wrong."
                              : "passes: on this net and cost the mistake changes nothing (try the cross-entropy cost, or a hidden layer).");
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

json::Value finite(double x) { return std::isfinite(x) ? json::Value(x) : json::Value(); }

}  // namespace

void draw_derivation(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label) {
  update(v, net, x, label, ImGui::GetTime());
  if (!v.n.valid) {
    ImGui::TextDisabled("The derivation needs a model and an input of the model's size.");
    return;
  }
  v.highlight = v.hover_next;  // what the mouse was on last frame: symbols and sketch light up together
  v.hover_next = -1;
  ImGui::PushID("derivation");
  // The sketch beside the steps where both fit (narrowed a little so that step 3's grid fits
  // too); in a narrow frame (an embed) the steps take the whole width and the options and the
  // sketch fold into a header above them, closed at first.
  const float sketch_w = std::min(250.0f, ImGui::GetContentRegionAvail().x - 560);
  const bool wide = sketch_w >= 180;
  step_bar(v);
  if (wide) {
    options(v);
    notices(v);
  }
  ImGui::Separator();
  if (wide) {
    ImGui::BeginChild("sketch", ImVec2(sketch_w, 0), false);
    draw_sketch(v, sketch_w - 10, std::max(300.0f, ImGui::GetContentRegionAvail().y - 10));
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("content", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (!wide) {
    if (ImGui::CollapsingHeader("options and the net")) {
      options(v);
      draw_sketch(v, std::min(250.0f, ImGui::GetContentRegionAvail().x) - 10, 300);
    }
    notices(v);
  }
  if (v.one_neuron && v.step <= 7) one_neuron_panel(v);
  switch (v.step) {
    case 1: step_definition(v); break;
    case 2: step_chain(v); break;
    case 3: step_jacobian(v); break;
    case 4: step_bp1(v); break;
    case 5: step_bp1a(v); break;
    case 6: step_cost(v); break;
    case 7: step_bp2(v); break;
    case 8: step_gradient(v); break;
    default: step_descent(v); break;
  }
  ImGui::Spacing();
  if (v.step > 1 && ImGui::Button("◀ previous")) --v.step;
  if (v.step > 1) ImGui::SameLine();
  if (v.step < kSteps && ImGui::Button("next ▶")) ++v.step;
  ImGui::EndChild();
  ImGui::PopID();
}

double derivation_gradient_check(DerivationView& v) {
  Numbers& n = v.n;
  if (!n.valid) return 0;
  if (!n.checked_w) {
    n.err_w = check_weights(n);
    n.checked_w = true;
  }
  return std::max(n.err_delta, n.err_w);
}

json::Value derivation_state(const DerivationView& v) {
  const Numbers& n = v.n;
  json::Object o;
  o.emplace_back("step", v.step);
  o.emplace_back("layer", n.valid ? n.L : json::Value());
  o.emplace_back("neuron", output_neuron(v));
  const Cost cost = n.valid ? n.net.cost : v.cost.value_or(Cost::Quadratic);
  const Activation output = n.valid ? n.net.output : v.output.value_or(Activation::Sigmoid);
  o.emplace_back("cost", to_string(cost));
  o.emplace_back("output", to_string(output));
  if (!n.valid) {
    o.emplace_back("values", json::Value());
    o.emplace_back("jacobian", json::Value());
    return o;
  }
  const int j = output_neuron(v);
  // delta_bp1: what backprop computes for δ^L_j: BP1's product for an elementwise output, the
  // sum Jᵀ∇C that replaces it for softmax (with the injected bug, if one is on).
  const double bp1 = n.tb.delta[n.last](j), def = n.delta_def[n.last](j);
  json::Object values;
  values.emplace_back("z", finite(n.t.z[n.last](j)));
  values.emplace_back("a", finite(n.t.a.back()(j)));
  values.emplace_back("y", finite(n.t.y(j)));
  values.emplace_back("dC_da", finite(n.t.dC_da(j)));
  values.emplace_back("sigma_prime", finite(sigma_prime_shown(v, j)));
  values.emplace_back("delta_bp1", finite(bp1));
  values.emplace_back("delta_definition", finite(def));
  values.emplace_back("relative_error", finite(relative_error(bp1, def)));
  o.emplace_back("values", json::Value(std::move(values)));
  json::Array jac;
  for (int k = 0; k < n.nL; ++k) {
    json::Array row;
    for (int q = 0; q < n.nL; ++q) row.push_back(finite(n.jac(k, q)));
    jac.push_back(json::Value(std::move(row)));
  }
  o.emplace_back("jacobian", json::Value(std::move(jac)));
  // Step 8's check of one gradient of w^2 (or b^2) by finite differences, once it has been shown.
  const int rows = int(n.tb.nabla_w[0].rows()), cols = int(n.tb.nabla_w[0].cols());
  if (v.pick_j >= 0 && v.pick_j < rows && v.pick_k < cols && v.pick_key == pick_key_of(v)) {
    const double bp = v.pick_k >= 0 ? n.tb.nabla_w[0](v.pick_j, v.pick_k) : n.tb.nabla_b[0](v.pick_j);
    o.emplace_back("checked", json::Object{{"j", v.pick_j},
                                           {"k", v.pick_k >= 0 ? json::Value(v.pick_k) : json::Value()},
                                           {"backprop", finite(bp)},
                                           {"differences", finite(v.pick_fd)}});
  } else {
    o.emplace_back("checked", json::Value());
  }
  return o;
}

std::string set_derivation(DerivationView& v, const json::Value& args) {
  if (!args.is_object()) return "setDerivation wants an object such as {step: 4, neuron: 7}";
  DerivationView next = v;  // validate everything before changing anything
  const int nL = v.n.valid ? v.n.nL : 10;
  auto integer = [](const json::Value& x, int lo, int hi, int& out) {
    if (!x.is_number()) return false;
    const double d = x.as_number();
    if (d != std::floor(d) || d < lo || d > hi) return false;
    out = int(d);
    return true;
  };
  for (const auto& [key, value] : args.as_object()) {
    if (key == "step") {
      if (!integer(value, 1, kSteps, next.step)) return "step: an integer from 1 to 9";
    } else if (key == "neuron") {
      if (!integer(value, 0, nL - 1, next.neuron)) return "neuron: an integer from 0 to " + std::to_string(nL - 1);
    } else if (key == "hidden") {
      if (!integer(value, 0, 1 << 20, next.hidden)) return "hidden: a neuron number of the last hidden layer";
    } else if (key == "cost") {
      Cost c;
      if (!value.is_string() || !parse(value.as_string(), c)) return "cost: \"quadratic\", \"cross-entropy\" or \"log-likelihood\"";
      next.cost = c;
    } else if (key == "output") {
      Activation a;
      if (!value.is_string() || !parse(value.as_string(), a) || (a != Activation::Sigmoid && a != Activation::Softmax))
        return "output: \"sigmoid\" or \"softmax\"";
      next.output = a;
    } else if (key == "bug") {
      bool found = false;
      for (int b = 0; b < 5; ++b)
        if (value.is_string() && value.as_string() == kBugIds[b]) next.bug = kBugs[b], found = true;
      if (!found) return "bug: one of none, sigma-prime-of-a, no-sigma-prime, sigma-prime-with-cross-entropy, no-transpose-bp2";
    } else if (key == "one_neuron") {
      if (!value.is_bool()) return "one_neuron: true or false";
      next.one_neuron = value.as_bool();
    } else if (key == "eta") {
      if (!value.is_number() || !(value.as_number() > 0 && value.as_number() <= 100)) return "eta: a learning rate in (0, 100]";
      next.eta = float(value.as_number());
    } else {
      return key + ": not a field of setDerivation (step, neuron, cost, output, hidden, bug, one_neuron, eta)";
    }
  }
  v = std::move(next);
  return "";
}

std::string derivation_transcript(const DerivationView& v) {
  const Numbers& n = v.n;
  std::string h = "<h3>Derivation, step " + std::to_string(v.step) + " of 9: " + m::escape(kStepTitles[v.step]) + "</h3>";
  if (!n.valid) return h + "<p>No model or input yet.</p>";
  const int j = output_neuron(v);
  auto p = [&](const std::string& s) { h += "<p>" + m::escape(s) + "</p>"; };
  auto eq = [&](const char* label, const m::Node& f) {
    h += "<p>" + m::escape(label) + ": " + m::mathml(f, true) + "</p>";
  };
  auto fmt = [](double x) { return m::format_number(x, 6); };
  p("Network " + std::to_string(n.L) + " layers, cost " + to_string(n.net.cost) + ", output " + to_string(n.net.output) +
    "; output neuron j = " + std::to_string(j) + ", label " + std::to_string(n.label) + ".");
  const double def = n.delta_def[n.last](j), bp = n.tb.delta[n.last](j);
  switch (v.step) {
    case 1:
      eq("Definition of δ (29)", f_definition());
      p("Measured by nudging z of neuron j by ±h and rerunning the rest of the forward pass: δ ≈ " + fmt(def) +
        ". z = " + fmt(n.t.z[n.last](j)) + ", a = " + fmt(n.t.a.back()(j)) + ", y = " + fmt(n.t.y(j)) + ", C = " + fmt(n.t.cost) + ".");
      break;
    case 2: {
      eq("The chain rule", f_chain());
      std::string terms;
      for (int k = 0; k < n.nL; ++k)
        terms += "k = " + std::to_string(k) + ": " + fmt(n.t.dC_da(k)) + " × " + fmt(n.jac(k, j)) + (k + 1 < n.nL ? "; " : ".");
      p("Terms: " + terms);
      break;
    }
    case 3:
      eq("Jacobian of the output layer", m::row({m::sub(m::var("J"), m::row({m::var("k"), m::var("j")})), m::op("="), partial(aL("k"), zL("j"))}));
      if (is_elementwise(n.net.output)) {
        p("With a sigmoid output the Jacobian is diagonal: every term with k ≠ j vanishes, and the sum collapses to BP1.");
      } else {
        p("With a softmax output the Jacobian is dense and the sum does not collapse. BP1 is replaced by the whole sum:");
        eq("softmax", f_softmax_bp1());
        eq("with the log-likelihood cost", f_a_minus_y());
      }
      break;
    case 4:
      eq("BP1", f_bp1());
      p("∂C/∂a = " + fmt(n.t.dC_da(j)) + ", σ′(z) = " + fmt(sigma_prime_shown(v, j)) + ", backprop's δ = " + fmt(bp) +
        "; measured from the definition: " + fmt(def) + "; relative error " + m::format_number(relative_error(bp, def), 2) + ".");
      break;
    case 5: {
      eq("BP1a", f_bp1a());
      double worst = 0;
      for (int q = 0; q < n.nL; ++q) worst = std::max(worst, relative_error(n.tb.delta[n.last](q), n.delta_def[n.last](q)));
      p("Over all " + std::to_string(n.nL) + " output neurons, the largest relative error against the definition is " + m::format_number(worst, 2) + ".");
      break;
    }
    case 6:
      eq("Quadratic cost (30)", f_quadratic_delta());
      eq("Cross-entropy cost", f_a_minus_y());
      p("For neuron j: quadratic δ = " + fmt(n.t_quad.delta[n.last](j)) + ", cross-entropy δ = " + fmt(n.t_ce.delta[n.last](j)) + ".");
      break;
    case 7:
      eq("BP2 by the chain rule", f_bp2_chain());
      eq("BP2", f_bp2());
      if (n.last >= 1) {
        const int hj = hidden_neuron(v);
        p("Hidden neuron " + std::to_string(hj) + " of layer " + std::to_string(n.L - 1) + ": backprop's δ = " + fmt(n.tb.delta[n.last - 1](hj)) +
          ", measured " + fmt(n.delta_def[n.last - 1](hj)) + ".");
      }
      break;
    case 8:
      eq("BP3", f_bp3());
      eq("BP4", f_bp4());
      p("The gradient of the first layer's weights is shown as one image per hidden neuron; blank pixels get zero gradient.");
      break;
    default:
      eq("One step of gradient descent", f_gd());
      p("Learning rate " + fmt(n.eta) + ": predicted change of the cost " + fmt(n.predicted) + ", actual change " + fmt(n.c_after - n.t.cost) + ".");
      break;
  }
  if (v.bug != Bug::None)
    p(std::string("Injected bug: ") + bug_name(v.bug) + ". Largest relative error of the gradient check: " +
      m::format_number(std::max(n.err_delta, n.err_w), 2) + ".");
  return h;
}

}  // namespace bplab::app

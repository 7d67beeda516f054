// The "one neuron per layer" view (3Blue1Brown's): the chain rule as a product of three numbers
// along one path, hidden neuron h → output neuron j → C, and its tree of sensitivities.
#include "app/derivation/steps.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>
#include <imgui.h>

namespace bplab::app::derivation {

OneNeuron one_neuron_numbers(const DerivationView& v) {
  const Numbers& n = v.n;
  OneNeuron r;
  r.j = output_neuron(v);
  r.h = hidden_neuron(v);
  r.dz_dw = n.t.a[n.last](r.h);
  r.da_dz = n.jac(r.j, r.j);
  r.dC_da = n.t.dC_da(r.j);
  r.product = r.dz_dw * r.da_dz * r.dC_da;
  r.backprop = n.tb.nabla_w[n.last](r.j, r.h);
  if (measured(n, n.last, r.j)) r.measured = r.dz_dw * n.delta_def[n.last](r.j);
  const double floor = kFdResolution * std::max(1.0, std::abs(n.t.cost)) / kCheckTolerance;
  const double scale = std::max({std::abs(r.product), std::abs(r.backprop), floor});
  r.agree = std::isfinite(r.product) && std::isfinite(r.backprop) && std::abs(r.product - r.backprop) / scale < kCheckTolerance;
  return r;
}

namespace {

// 3Blue1Brown's tree of sensitivities for the followed path, in the book's notation: w^L_jh,
// a^{L−1}_h and b^L_j feed z^L_j, which feeds a^L_j, which with y_j feeds C. Each edge carries its
// derivative on this digit; the chain of ∂C/∂w^L_jh is drawn thick in its factors' colours (the
// formulas' colours), the other edges thin and dim. Where the injected bug changes a factor, the
// bug's number stands under the right one. A softmax output adds the other outputs' paths, which
// the one-neuron picture leaves out. Drawn on the screen; the same in words everywhere.
void sensitivity_tree(Out& o, const OneNeuron& r) {
  const DerivationView& v = o.v;
  const Numbers& n = v.n;
  const bool softmax = !is_elementwise(n.net.output);
  const double w_jh = n.net.weights[n.last](r.j, r.h);
  // The factors as the (buggy) code computes them: with a bug they stand beside the right ones.
  const double code_da_dz = sigma_prime_shown(v, r.j), code_dC_da = dC_da_shown(v, r.j);
  const bool bug_da_dz = code_da_dz != r.da_dz, bug_dC_da = code_dC_da != r.dC_da;
  double others = 0;  // Σ over k ≠ j of ∂C/∂a_k ∂a_k/∂z_j: the paths through the other outputs
  for (int k = 0; k < n.nL; ++k)
    if (k != r.j) others += n.t.dC_da(k) * n.jac(k, r.j);
  const std::string da_dz_name = softmax ? "a(j)(1 − a(j))" : "σ′(z(j))";

  // In words (the transcript, the mirror), with the numbers as the edges show them.
  // The factors to 6 digits, the products to 4: the product shown is then backprop's to its digits.
  const double A = shown(r.dz_dw, 6), S = shown(r.da_dz, 6), D = shown(r.dC_da, 6), X = shown(others, 6);
  auto f6 = [](double x) { return fmt(x, 6); };
  auto about = [](double x) { return std::string(shown(x, 4) == x ? "= " : "≈ ") + fmt(x); };  // as Out::product writes it
  std::string words = "The tree of sensitivities (3Blue1Brown's): w(jh), a(h) of layer L−1 and b(j) feed z(j); z(j) feeds a(j); a(j) and y(j) feed C. "
                      "On each edge its derivative on this digit: ∂z(j)/∂w(jh) = a(h) = " + fmt(r.dz_dw) + "; ∂z(j)/∂a(h) = w(jh) = " + fmt(w_jh) +
                      "; ∂z(j)/∂b(j) = 1; ∂a(j)/∂z(j) = " + da_dz_name + " = " + fmt(r.da_dz) + "; ∂C/∂a(j) = " + fmt(r.dC_da) + ". ";
  if (softmax)
    words += "z(j) also reaches C through the other " + str(n.nL - 1) + " outputs a(k), which add Σ over k ≠ j of ∂C/∂a(k) ∂a(k)/∂z(j) = " + fmt(others) +
             ". The followed chain, w(jh) → z(j) → C through every output: ∂C/∂w(jh) = " + f6(r.dz_dw) + " × (" + f6(r.da_dz) + " × " + f6(r.dC_da) +
             (others < 0 ? " − " + f6(-others) : " + " + f6(others)) + ") " + about(A * (S * D + X)) + " (backprop: " + fmt(r.backprop) + ").";
  else
    words += "The followed chain, w(jh) → z(j) → a(j) → C: ∂C/∂w(jh) = " + f6(r.dz_dw) + " × " + f6(r.da_dz) + " × " + f6(r.dC_da) + " " +
             about(A * S * D) + (bug_da_dz || bug_dC_da ? "." : " (backprop: " + fmt(r.backprop) + ").");
  if (!softmax && (bug_da_dz || bug_dC_da))
    words += " The injected bug (" + std::string(bug_of(v).name) + ") puts " +
             (bug_da_dz ? fmt(code_da_dz) + " on the edge z(j) → a(j)" : fmt(code_dC_da) + " on the edge a(j) → C") + " instead: " + f6(r.dz_dw) +
             " × " + f6(code_da_dz) + " × " + f6(code_dC_da) + " " + about(A * shown(code_da_dz, 6) * shown(code_dC_da, 6)) +
             " (backprop with the bug: " + fmt(r.backprop) + ").";
  if (n.net.cost == Cost::Quadratic)
    words += " 3Blue1Brown's C₀ = (a − y)² would put 2(a − y) = " + fmt(2 * r.dC_da) + " on the last edge: the book's ½(a − y)² cancels that 2.";

  if (o.screen()) {
    // Three columns (the inputs of z), the chain in the middle one; in a narrow panel the edge
    // labels lose their symbolic middle part, then their fractions, so each stays in its column.
    const float width = std::clamp(ImGui::GetContentRegionAvail().x, 240.0f, 600.0f), col = width / 3;
    const float cx = width * 0.5f;
    const ImU32 chain_w = ImGui::GetColorU32(ImGuiCol_Text);  // ∂z/∂w = a^{L−1}: uncoloured, as the first factor of the formula
    auto fits = [&](const m::Node& node, float room) { return m::measure(node, 1).width <= room; };
    // The first candidate that fits `room`.
    auto label = [&](std::vector<m::Node> options, float room) {
      for (const m::Node& node : options)
        if (fits(node, room)) return node;
      return options.back();
    };
    // An edge's label in three degrees of detail: "∂z/∂w = a^{L−1} = 0.5", "∂z/∂w = 0.5", "0.5".
    using Options = std::array<m::Node, 3>;
    auto edge_options = [&](m::Node top, m::Node bottom, m::Node meaning, double value, ImU32 colour) {
      const m::Node d = partial(std::move(top), std::move(bottom)), x = m::num(value, 4);
      const m::Node short_form = m::color(m::row({d, m::op("="), x}), colour);
      return Options{meaning ? m::color(m::row({d, m::op("="), meaning, m::op("="), x}), colour) : short_form, short_form, m::color(x, colour)};
    };
    auto detail = [&](const Options& options, float room) {
      int i = 0;
      while (i < 2 && !fits(options[size_t(i)], room)) ++i;
      return i;
    };
    const m::Node z = zL("j"), a = aL("j");
    const m::Node w = m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L"));
    const m::Node a_prev = m::subsup(m::var("a"), m::var("h"), m::row({m::var("L"), m::op("−"), m::sym("1")}));
    const m::Node b = m::subsup(m::var("b"), m::var("j"), m::var("L"));
    const float room_top = col - 8, room_side = width - cx - 14;
    // The three inputs' labels with the same detail, the most that all of them have room for.
    const Options top_options[3] = {edge_options(z, w, a_prev, r.dz_dw, chain_w), edge_options(z, a_prev, w, w_jh, kDim),
                                    edge_options(z, b, nullptr, 1.0, kDim)};
    int top_detail = 0;
    for (const Options& t : top_options) top_detail = std::max(top_detail, detail(t, room_top));
    const m::Node top_labels[3] = {top_options[0][size_t(top_detail)], top_options[1][size_t(top_detail)], top_options[2][size_t(top_detail)]};
    auto edge_label = [&](m::Node top, m::Node bottom, m::Node meaning, double value, ImU32 colour, float room) {
      const Options options = edge_options(std::move(top), std::move(bottom), std::move(meaning), value, colour);
      return options[size_t(detail(options, room))];
    };
    const m::Node da_dz_label = edge_label(a, z, softmax ? m::row({aL("j"), m::paren(m::row({m::sym("1"), m::op("−"), aL("j")}))}) : sigma_prime(zL("j")),
                                           r.da_dz, kFactorB, room_side);
    const m::Node dC_da_label = edge_label(C(), a, nullptr, r.dC_da, kFactorA, room_side);
    const m::Node bug_value = m::num(bug_da_dz ? code_da_dz : code_dC_da, 4);
    const SigmaPrime how = bug_of(v).output_sigma_prime;
    const m::Node bug_long = bug_da_dz && how == SigmaPrime::OfA ? m::row({m::text("the bug's code: "), sigma_prime(aL("j")), m::op("="), bug_value})
                             : bug_da_dz                        ? m::row({m::text("the bug's code: "), bug_value})
                                                                : m::row({m::text("the bug's code: "), aL("j"), m::op("−"), m::sub(m::var("y"), m::var("j")),
                                                                    m::op("="), bug_value});
    const m::Node bug_label = m::color(label({bug_long, m::row({m::text("bug: "), bug_value})}, room_side), kBad);
    const m::Node others_label = m::color(m::row({m::text("+ "), m::num(others, 4)}), kDim);

    const float line = ImGui::GetTextLineHeight();
    float top_h = 0;
    for (const m::Node& l : top_labels) top_h = std::max(top_h, m::measure(l, 1).height());
    // Each vertical edge as long as its label, and the bug's under it where there is one.
    const float h_bug = m::measure(bug_label, 1).height() + 2;
    const float h_da = m::measure(da_dz_label, 1).height(), h_dc = m::measure(dC_da_label, 1).height();
    const float edge = std::max(2 * line + 6, std::max(h_da + (bug_da_dz ? h_bug : 0), h_dc + (bug_dC_da ? h_bug : 0)) + 8);
    const float name_h = line * 1.6f;
    // Rows: the names of z's inputs, their edges' labels, a gap for the edges, z, a, C.
    const float y_names = 0, y_labels = name_h, y_z = y_labels + top_h + line * 1.5f, y_a = y_z + name_h + edge, y_c = y_a + name_h + edge;
    const float height = y_c + name_h;
    const ImVec2 org = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, height));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto at = [&](float x, float y) { return ImVec2(org.x + x, org.y + y); };
    // A node's name centred on (x, row top); returns the box's top and bottom centres for edges.
    auto name = [&](const m::Node& node, float x, float y) {
      const m::Box bx = m::measure(node, 1);
      m::draw(dl, node, at(x - bx.width * 0.5f, y + (name_h - bx.height()) * 0.5f + bx.ascent), 1, -1, nullptr);
      return std::pair<ImVec2, ImVec2>{at(x, y + 1), at(x, y + name_h - 1)};
    };
    auto draw_label = [&](const m::Node& node, float x, float y, bool centred) {
      const m::Box bx = m::measure(node, 1);
      const float left = centred ? std::clamp(x - bx.width * 0.5f, 0.0f, std::max(0.0f, width - bx.width)) : x;
      m::draw(dl, node, at(left, y + bx.ascent), 1, -1, nullptr);
    };
    const float thick = 3.0f, thin = 1.0f;
    const float xs[3] = {cx - col, cx, cx + col};
    const m::Node names[3] = {m::color(w, kAccent), a_prev, b};
    for (int i = 0; i < 3; ++i) {
      name(names[i], xs[i], y_names);
      draw_label(top_labels[i], xs[i], y_labels, true);
      const bool chain = i == 0;
      dl->AddLine(at(xs[i], y_labels + top_h + 2), at(cx, y_z), chain ? chain_w : kDim, chain ? thick : thin);
    }
    name(z, cx, y_z);
    name(a, cx, y_a);
    name(m::color(C(), kAccent), cx, y_c);
    dl->AddLine(at(cx, y_z + name_h), at(cx, y_a), kFactorB, thick);
    dl->AddLine(at(cx, y_a + name_h), at(cx, y_c), kFactorA, thick);
    draw_label(da_dz_label, cx + 8, y_z + name_h + 4, false);
    draw_label(dC_da_label, cx + 8, y_a + name_h + 4, false);
    if (bug_da_dz || bug_dC_da)
      draw_label(bug_label, cx + 8, bug_da_dz ? y_z + name_h + 4 + h_da + 2 : y_a + name_h + 4 + h_dc + 2, false);
    // y feeds C from the right, along the C row.
    const m::Node y = m::sub(m::var("y"), m::var("j"));
    name(y, cx + col, y_c);
    const float y_half = m::measure(y, 1).width * 0.5f + 4, c_half = m::measure(C(), 1).width * 0.5f + 6;
    dl->AddLine(at(cx + col - y_half, y_c + name_h * 0.5f), at(cx + c_half, y_c + name_h * 0.5f), kDim, thin);
    if (softmax) {  // the other outputs, on the left: paths that one neuron per layer does not have
      const m::Node other = m::row({aL("k"), m::text(", "), m::var("k"), m::op("≠"), m::var("j")});
      name(m::color(other, kDim), cx - col, y_a);
      draw_label(others_label, cx - col, y_a + name_h + 2, true);
      dl->AddLine(at(cx - 4, y_z + name_h), at(cx - col, y_a), kDim, thin);
      dl->AddLine(at(cx - col, y_a + name_h + line + 4), at(cx - 4, y_c), kDim, thin);
    }
  }
  o.dim(words);
  if (o.screen()) o.dim("Thick: the chain of ∂C/∂w(jh), in the colours of its factors in the formulas; thin: the other edges.");
}

}  // namespace

void one_neuron_panel(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  o.label("One neuron per layer");
  if (n.last < 1) {
    o.prose("(needs a hidden layer)");
    return;
  }
  const OneNeuron r = one_neuron_numbers(v);
  o.prose(std::string("Follow one path, as if each layer had one neuron: hidden neuron h → output neuron j → C. Then ") +
          (is_elementwise(n.net.output) ? "a(j) = σ(w a(h) + b)" : "z(j) = w a(h) + b and a(j) = softmax(z)(j)") +
          ", every derivative is a number, and the chain rule is a product" +
          (n.net.cost == Cost::Quadratic ? " (3Blue1Brown writes C₀ = (a − y)²; the book's quadratic cost is ½(a − y)², hence no factor 2 here):" : ":"));
  o.dim("h = " + str(r.h) + ", j = " + str(r.j));
  sensitivity_tree(o, r);
  const m::Node w = m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L"));
  const m::Node a_prev = m::subsup(m::var("a"), m::var("h"), m::row({m::var("L"), m::op("−"), m::sym("1")}));
  o.math(m::row({partial(C(), w), m::op("="), partial(zL("j"), w), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"),
                 m::color(partial(C(), aL("j")), kFactorA)}));
  o.math(m::row({m::op("="), a_prev, m::op("·"), m::color(is_elementwise(n.net.output) ? sigma_prime(zL("j")) : partial(aL("j"), zL("j")), kFactorB),
                 m::op("·"), m::color(partial(C(), aL("j")), kFactorA), m::op("="),
                 o.product({{r.dz_dw, 0}, {r.da_dz, kFactorB}, {r.dC_da, kFactorA}}, 4, kAccent)}));
  o.math(m::row({m::text(is_elementwise(n.net.output) ? "backprop (BP4 with BP1)" : "backprop (BP4 with δ = Jᵀ∇ₐC)"), m::op("="), m::color(n6(r.backprop), kAccent), m::space(1.0f), m::text("measured"), m::op("="),
                 std::isfinite(r.measured) ? m::color(n6(r.measured), kMeasured) : m::text("checking…")}));
  auto check = [&](const char* what, double value) {
    if (!measured(n, n.last, r.j)) return pending_check(what, value);
    return make_check(what, value, r.measured, n.t.cost);
  };
  o.check(check("one neuron: the path's product against the measured ∂C/∂w(jh)", r.product));
  o.check(check("one neuron: backprop's ∂C/∂w(jh) against the measured one", r.backprop));
  // The bias and the previous activation along the same path (3Blue1Brown's ∂C₀/∂b and
  // ∂C₀/∂a^(L−1)); the latter is where one path becomes a sum over paths.
  const m::Node b = m::subsup(m::var("b"), m::var("j"), m::var("L"));
  o.math(m::row({partial(C(), b), m::op("="), partial(zL("j"), b), m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"),
                 m::color(partial(C(), aL("j")), kFactorA), m::op("="), o.product({{1.0, 0}, {r.da_dz, kFactorB}, {r.dC_da, kFactorA}}, 4, kAccent)}));
  const double w_jh = n.net.weights[n.last](r.j, r.h);
  o.math(m::row({partial(C(), a_prev), m::text(" along this path"), m::op("="), m::subsup(m::var("w"), m::row({m::var("j"), m::var("h")}), m::var("L")),
                 m::op("·"), m::color(partial(aL("j"), zL("j")), kFactorB), m::op("·"), m::color(partial(C(), aL("j")), kFactorA), m::op("="),
                 o.product({{w_jh, 0}, {r.da_dz, kFactorB}, {r.dC_da, kFactorA}}, 4, kAccent)}));
  const double all_paths = n.net.weights[n.last].col(r.h).dot(n.t.delta[n.last]);
  o.prose("But a(h) reaches C along a path through every output neuron, and its derivative is the sum over all of them, Σ over j of w(jh) δ(j) = " +
          fmt(all_paths) + ": the sum of BP2 (step 7).");
  if (!is_elementwise(n.net.output)) {
    if (n.net.cost == Cost::LogLikelihood && r.j == n.label)
      o.prose("With a softmax output z_j moves every a_k, but with the log-likelihood cost and j = the label only ∂C/∂a_j is not zero: "
              "the single path is the only one that counts, and it is exact.");
    else
      o.bad("With a softmax output z_j also moves every other a_k, and C depends on them: this single path misses those paths (step 3), "
            "so its product is not the gradient. Widen to vectors: δ = Jᵀ∇ₐC.");
  } else if (!r.agree) {
    o.bad("Backprop's value is not the path's product: the injected bug (" + std::string(bug_of(v).name) + ") changed a factor.");
  }
  o.prose(std::string("Widened to vectors: the last two factors become ") +
          (is_elementwise(n.net.output) ? "BP1 (δ = ∇ₐC ⊙ σ′(z) for the output layer)"
                                        : "the sum δ = Jᵀ∇ₐC for the output layer (a softmax output has no element-by-element form)") +
          ", the first becomes BP4 (∂C/∂w(jh) = a(h) δ(j)); going one layer further back, the single path becomes a sum over all paths through "
          "the next layer: BP2.");
  if (o.screen()) ImGui::Separator();
}

}  // namespace bplab::app::derivation

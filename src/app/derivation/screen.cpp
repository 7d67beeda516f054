// The derivation screen as the app sees it (derivation.hpp): the step bar, the options and the
// notices around the step shown, state(), setDerivation and the transcript.
#include "app/derivation.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "app/derivation/steps.hpp"
#include "app/speech.hpp"
#include "app/widgets.hpp"

namespace bplab::app {

namespace derivation {

namespace {

// The step's contents (and the one-neuron panel before it), to the screen, the transcript or
// the list of checks.
void step_contents(Out& o) {
  const Step& step = step_of(o.v);
  if (o.v.one_neuron && step.one_neuron_view) one_neuron_panel(o);
  step.draw(o);
}

// The step buttons and the step's title.
void step_bar(DerivationView& v) {
  const ImGuiStyle& style = ImGui::GetStyle();
  // For the page (the mirror): each button's name says what it does.
  auto name_last = [](mirror::Role role, std::string name, bool on = false) {
    mirror::Description d;
    d.role = role;
    d.name = std::move(name);
    d.on = on;
    if (role == mirror::Role::Tab) d.group = "Derivation steps";
    ui::describe_last(std::move(d));
  };
  if (ImGui::ArrowButton("prev", ImGuiDir_Left) && v.step > 1) --v.step;
  name_last(mirror::Role::Button, "previous step");
  ImGui::SameLine();
  if (ImGui::ArrowButton("next", ImGuiDir_Right) && v.step < kStepCount) ++v.step;
  name_last(mirror::Role::Button, "next step");
  for (int s = 1; s <= kStepCount; ++s) {
    char id[12];
    std::snprintf(id, sizeof id, "%d", s);
    same_line_if_room(ImGui::CalcTextSize(id).x + style.FramePadding.x * 2);
    if (ui::ToggleButton(id, s == v.step)) v.step = s;
    // A tab list for the page: a screen reader lets ← → through to it (they choose the step).
    name_last(mirror::Role::Tab, "step " + std::string(id) + ": " + kSteps[s - 1].title, s == v.step);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kSteps[s - 1].title);
  }
  char title[160];
  std::snprintf(title, sizeof title, "Step %d of %d: %s", v.step, kStepCount, step_of(v).title);
  same_line_if_room(ImGui::CalcTextSize(title).x, 16);
  ImGui::TextWrapped("%s", title);
}

// A combo box of `count` options named by name(i) showing option `current` (−1: none): the
// index chosen, or -1.
template <typename Name>
int choose(const char* label, int current, int count, Name name) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.emplace_back(name(i));
  return ui::Combo(label, &current, names) ? current : -1;
}

// The output neuron, y, cost, output activation, injected bug and one-neuron view.
void options(DerivationView& v) {
  const Numbers& n = v.n;
  if (step_of(v).follows_output_neuron) {
    int j = output_neuron(v);
    ImGui::SetNextItemWidth(110);
    if (ui::SliderInt("output neuron j", &j, 0, n.nL - 1)) v.neuron = j;
    same_line_if_room(labeled_width(60, "y (label)"));
  }
  ImGui::SetNextItemWidth(60);
  std::vector<std::string> digits;
  for (int k = 0; k < n.nL; ++k) digits.push_back(std::to_string(k));
  int y = n.label;
  if (ui::Combo("y (label)", &y, digits)) {
    v.learner_label = y;
    v.learner_label_for = n.input_key;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", std::strcmp(n.label_source, "prediction") == 0 ? "A drawing has no label: y is the net's prediction until you choose the digit you meant."
                            : std::strcmp(n.label_source, "learner") == 0 ? "Your choice of y for this digit."
                                                                          : "This MNIST digit's own label.");
  same_line_if_room(labeled_width(130, "cost"));
  ImGui::SetNextItemWidth(130);
  const int cost_count = int(std::size(kCosts));
  const int cost = int(std::find_if(kCosts, kCosts + cost_count, [&](const CostDescription& c) { return c.id == n.net.cost; }) - kCosts);
  if (int c = choose("cost", cost < cost_count ? cost : -1, cost_count, [](int i) { return kCosts[i].name; }); c >= 0) v.cost = kCosts[c].id;
  same_line_if_room(labeled_width(100, "output"));
  ImGui::SetNextItemWidth(100);
  static constexpr Activation kOutputs[] = {Activation::Sigmoid, Activation::Softmax};
  const int output = int(std::find(std::begin(kOutputs), std::end(kOutputs), n.net.output) - std::begin(kOutputs));
  if (int a = choose("output", output < int(std::size(kOutputs)) ? output : -1, int(std::size(kOutputs)), [](int i) { return to_string(kOutputs[i]); });
      a >= 0)
    v.output = kOutputs[a];
  same_line_if_room(labeled_width(220, "inject a classic bug"));
  // Narrower where even its own line is too short for it (a 320-pixel embed).
  ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - labeled_width(0, "inject a classic bug"), 100.0f, 220.0f));
  if (int b = choose("inject a classic bug", v.bug, kBugCount, [](int i) { return kBugs[i].name; }); b >= 0) v.bug = b;
  same_line_if_room(labeled_width(ImGui::GetFrameHeight(), "one neuron per layer"));
  ImGui::Checkbox("one neuron per layer", &v.one_neuron);
}

// The gradient check of backprop (with the injected bug) as one line, or "" while it runs.
std::string gradient_check_line(const Numbers& n, const Bug& bug, bool* caught) {
  const Check& c = worst_check(n);
  *caught = !c.agree;
  if (c.infinite) return "cannot be made: the cost is infinite on this digit (a saturated output)";
  // Why a bug can change nothing: the one that puts a − y in BP1 is BP1 itself with the
  // quadratic cost, and has no σ′ to keep with softmax; it never touches a hidden layer.
  std::string why_nothing;
  if (bug.a_minus_y && !is_elementwise(n.net.output))
    why_nothing = " (a softmax output has no σ′ to keep, and this bug never touches BP2: choose a sigmoid output and the cross-entropy cost to see it)";
  else if (bug.a_minus_y && n.net.cost == Cost::Quadratic)
    why_nothing = " (with the quadratic cost a − y is ∂C/∂a, so keeping σ′ is BP1 itself: choose the cross-entropy cost to see the mistake)";
  return "largest relative error " + m::format_number(c.error, 2) + " (of " + c.scale_name + ") — " +
         (c.agree ? "passes: on this net and cost the mistake changes nothing" + why_nothing + "."
                  : "CAUGHT, backprop's gradient is wrong.");
}

// What differs from the model: another cost or output, another y, an injected bug and its check.
void notices(Out& o) {
  DerivationView& v = o.v;
  const Numbers& n = v.n;
  if (n.net.cost != n.model_cost || n.net.output != n.model_output) {
    const std::string s = std::string("This screen uses a copy of your network with the ") + to_string(n.net.cost) + " cost and a " +
                          to_string(n.net.output) + " output (same weights); your model is unchanged.";
    o.text(s, kBad);
    if (o.screen()) {
      same_line_if_room(ImGui::CalcTextSize("use the model's").x + ImGui::GetStyle().FramePadding.x * 2);
      if (ImGui::SmallButton("use the model's")) {
        v.cost.reset();
        v.output.reset();
      }
    }
  }
  if (std::strcmp(n.label_source, "prediction") == 0)
    o.text("y = " + str(n.label) + " is the net's own prediction: a drawing has no label. If you meant another digit, choose it as y above.",
           kBad);
  if (bug_injected(v)) {
    if (!weights_checked(n)) {
      o.dim(std::string("Injected bug: ") + bug_of(v).name + ". Gradient check of backprop against finite differences: checking…");
    } else {
      bool caught = false;
      const std::string line = gradient_check_line(n, bug_of(v), &caught);
      o.text(std::string("Injected bug: ") + bug_of(v).name + ". Gradient check of backprop against finite differences: " + line,
             caught ? kBad : kMeasured);
    }
  }
}

json::Value finite(double x) { return std::isfinite(x) ? json::Value(x) : json::Value(); }

// "\"quadratic\", \"cross-entropy\" or \"log-likelihood\"": the names of a table's rows.
template <typename Row, size_t N>
std::string quoted_choices(const Row (&rows)[N], const char* last_separator) {
  std::string s;
  for (size_t i = 0; i < N; ++i) s += (i == 0 ? "" : i + 1 == N ? last_separator : ", ") + ("\"" + std::string(rows[i].name) + "\"");
  return s;
}

// "none, sigma-prime-of-a, …".
std::string bug_ids(const char* separator) {
  std::string s;
  for (int b = 0; b < kBugCount; ++b) s += (b ? separator : "") + std::string(kBugs[b].id);
  return s;
}

json::Value check_json(const Check& c) {
  return json::Object{{"what", c.what},
                      {"shown", finite(c.shown)},
                      {"measured", finite(c.measured)},
                      {"error", finite(c.error)},
                      {"scale", finite(c.scale)},
                      {"agree", c.agree},
                      {"pending", c.pending}};
}

}  // namespace

}  // namespace derivation

using namespace derivation;

void draw_derivation(DerivationView& v, const Network<double>& net, const Vector<double>& x, int label, LabelSource source,
                     uint64_t net_key) {
  update(v, net, x, label, source, ImGui::GetTime(), net_key);
  if (!v.n.valid) {
    ImGui::TextDisabled("The derivation needs a model and an input of the model's size.");
    return;
  }
  v.highlight = v.hover_next;  // what the mouse was on last frame: symbols and sketch light up together
  v.hover_next = -1;
  ImGui::PushID("derivation");
  Out o{Out::Screen, v};
  // The sketch beside the steps where both fit (narrowed a little so that step 3's grid fits
  // too); in a narrow frame (an embed) the steps take the whole width and the options and the
  // sketch fold into a header above them, closed at first.
  const float sketch_w = std::min(250.0f, ImGui::GetContentRegionAvail().x - 560);
  const bool wide = sketch_w >= 180;
  step_bar(v);
  if (wide) {
    options(v);
    notices(o);
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
    notices(o);
  }
  step_contents(o);
  ImGui::Spacing();
  // The arrows are for the eye; the page names the buttons by what they do.
  const int step = v.step;
  if (step > 1) {
    if (ImGui::Button("◀ previous")) --v.step;
    mirror::Description d;
    d.name = "previous step";
    ui::describe_last(std::move(d));
    if (step < kStepCount) ImGui::SameLine();
  }
  if (step < kStepCount) {
    if (ImGui::Button("next ▶")) ++v.step;
    mirror::Description d;
    d.name = "next step";
    ui::describe_last(std::move(d));
  }
  ImGui::EndChild();
  ImGui::PopID();
}

double derivation_gradient_check(DerivationView& v) {
  Numbers& n = v.n;
  if (!n.valid) return 0;
  finish_gradient_check(n);
  const Check& c = worst_check(n);
  return c.infinite ? INFINITY : c.error;
}

json::Value derivation_state(const DerivationView& cv) {
  DerivationView& v = const_cast<DerivationView&>(cv);  // Out::Collect changes nothing
  const Numbers& n = v.n;
  json::Object o;
  o.emplace_back("step", v.step);
  o.emplace_back("steps", kStepCount);
  o.emplace_back("layer", n.valid ? n.L : json::Value());
  o.emplace_back("neuron", output_neuron(v));
  const Cost cost = n.valid ? n.net.cost : v.cost.value_or(Cost::Quadratic);
  const Activation output = n.valid ? n.net.output : v.output.value_or(Activation::Sigmoid);
  o.emplace_back("cost", to_string(cost));
  o.emplace_back("output", to_string(output));
  o.emplace_back("label", n.valid ? json::Value(n.label) : json::Value());
  o.emplace_back("labelSource", n.valid ? json::Value(n.label_source) : json::Value());
  o.emplace_back("bug", bug_of(v).id);
  if (!n.valid) {
    o.emplace_back("values", json::Value());
    o.emplace_back("jacobian", json::Value());
    o.emplace_back("checks", json::Array{});
    o.emplace_back("one_neuron", json::Value());
    return o;
  }
  const int j = output_neuron(v);
  // delta_bp1: what backprop computes for δ^L_j: BP1's product for an elementwise output, the
  // sum Jᵀ∇C that replaces it for softmax (with the injected bug, if one is on).
  const double bp1 = n.tb.delta[n.last](j), def = n.delta_def[n.last](j);
  const Check c = delta_check(n, "", bp1, n.last, j);
  json::Object values;
  values.emplace_back("z", finite(n.t.z[n.last](j)));
  values.emplace_back("a", finite(n.t.a.back()(j)));
  values.emplace_back("y", finite(n.t.y(j)));
  values.emplace_back("dC_da", finite(n.t.dC_da(j)));
  values.emplace_back("sigma_prime", finite(sigma_prime_shown(v, j)));
  values.emplace_back("delta_bp1", finite(bp1));
  values.emplace_back("delta_definition", measured(n, n.last, j) ? finite(def) : json::Value());
  values.emplace_back("relative_error", finite(c.error));
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
  Out out{Out::Collect, v};
  step_contents(out);
  json::Array checks, products;
  for (const Check& k : out.checks) checks.push_back(check_json(k));
  for (const Product& p : out.products) {
    json::Array f;
    for (const std::string& s : p.factors) f.push_back(s);
    products.push_back(json::Object{{"factors", std::move(f)}, {"result", p.result}, {"digits", p.digits}});
  }
  o.emplace_back("checks", std::move(checks));
  o.emplace_back("products", std::move(products));
  json::Array quotients;
  for (const Quotient& q : out.quotients)
    quotients.push_back(json::Object{{"minuend", q.minuend},
                                     {"subtrahend", q.subtrahend.empty() ? json::Value() : json::Value(q.subtrahend)},
                                     {"divisor", q.divisor.empty() ? json::Value() : json::Value(q.divisor)},
                                     {"result", q.result},
                                     {"digits", q.digits}});
  o.emplace_back("quotients", std::move(quotients));
  if (v.one_neuron && n.last >= 1) {
    const OneNeuron r = one_neuron_numbers(v);
    o.emplace_back("one_neuron", json::Object{{"h", r.h},
                                              {"j", r.j},
                                              {"dz_dw", finite(r.dz_dw)},
                                              {"da_dz", finite(r.da_dz)},
                                              {"dC_da", finite(r.dC_da)},
                                              {"product", finite(r.product)},
                                              {"backprop", finite(r.backprop)},
                                              {"measured", finite(r.measured)},
                                              {"agree", r.agree}});
  } else {
    o.emplace_back("one_neuron", json::Value());
  }
  o.emplace_back("progress", json::Object{{"done", double(n.done)}, {"total", double(n.queue.size())}});
  if (!n.sweep_eta.empty()) {
    json::Array eta, right, bug;
    for (size_t k = 0; k < n.sweep_eta.size(); ++k) {
      eta.push_back(n.sweep_eta[k]);
      right.push_back(finite(n.sweep_right[k]));
      bug.push_back(finite(n.sweep_bug[k]));
    }
    o.emplace_back("sweep", json::Object{{"eta", std::move(eta)}, {"right", std::move(right)}, {"shown", std::move(bug)},
                                         {"at", finite(n.eta)}, {"cost_before", finite(n.t.cost)}, {"cost_after", finite(n.c_after)},
                                         {"cost_after_right", finite(n.c_after_right)}});
  }
  return o;
}

std::string set_derivation(DerivationView& v, const json::Value& args) {
  if (!args.is_object()) return "setDerivation wants an object such as {step: 4, neuron: 7}";
  ViewSettings next = v;  // validate everything before changing anything
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
      if (!integer(value, 1, kStepCount, next.step)) return "step: an integer from 1 to " + std::to_string(kStepCount);
    } else if (key == "neuron") {
      if (!integer(value, 0, nL - 1, next.neuron)) return "neuron: an integer from 0 to " + std::to_string(nL - 1);
    } else if (key == "hidden") {
      if (!integer(value, 0, 1 << 20, next.hidden)) return "hidden: a neuron number of the last hidden layer";
    } else if (key == "label") {
      if (value.is_null()) {
        next.learner_label = -1;
      } else {
        if (!integer(value, 0, nL - 1, next.learner_label)) return "label: the digit y, an integer from 0 to " + std::to_string(nL - 1) + ", or null";
        next.learner_label_for = v.n.valid ? v.n.input_key : 0;  // 0: the next input shown
      }
    } else if (key == "cost") {
      Cost c;
      if (!value.is_string() || !parse(value.as_string(), c)) return "cost: " + quoted_choices(kCosts, " or ");
      next.cost = c;
    } else if (key == "output") {
      Activation a;
      if (!value.is_string() || !parse(value.as_string(), a) || (a != Activation::Sigmoid && a != Activation::Softmax))
        return "output: \"sigmoid\" or \"softmax\"";
      next.output = a;
    } else if (key == "bug") {
      bool found = false;
      for (int b = 0; b < kBugCount; ++b)
        if (value.is_string() && value.as_string() == kBugs[b].id) next.bug = b, found = true;
      if (!found) return "bug: one of " + bug_ids(", ");
    } else if (key == "one_neuron") {
      if (!value.is_bool()) return "one_neuron: true or false";
      next.one_neuron = value.as_bool();
    } else if (key == "eta") {
      if (!value.is_number() || !(value.as_number() > 0 && value.as_number() <= 100)) return "eta: a learning rate in (0, 100]";
      next.eta = float(value.as_number());
    } else {
      return key + ": not a field of setDerivation (step, neuron, cost, output, hidden, bug, one_neuron, eta, label)";
    }
  }
  static_cast<ViewSettings&>(v) = next;
  return "";
}

std::string derivation_transcript(const DerivationView& cv) {
  DerivationView& v = const_cast<DerivationView&>(cv);  // Out::Html changes nothing
  const Numbers& n = v.n;
  std::string h = "<h3>Derivation, step " + std::to_string(v.step) + " of " + std::to_string(kStepCount) + ": " + m::escape(speakable(step_of(v).title)) + "</h3>";
  if (!n.valid) return h + "<p>No model or input yet.</p>";
  Out o{Out::Html, v};
  o.prose("Network of " + str(n.L) + " layers, cost " + to_string(n.net.cost) + ", output " + to_string(n.net.output) +
          (step_of(v).follows_output_neuron ? "; output neuron j = " + str(output_neuron(v)) : std::string()) + "; y = the one-hot vector of " + str(n.label) +
          " (" + label_source_words(n) + "); the net predicts " + str(n.prediction) + ".");
  notices(o);
  step_contents(o);
  return h + o.html;
}

int derivation_step_count() { return kStepCount; }

DerivationStepInfo derivation_step(int step) {
  const Step& s = kSteps[std::clamp(step, 1, kStepCount) - 1];
  return {s.id, s.title, s.shows, s.follows_output_neuron, s.one_neuron_view};
}

std::vector<std::string> derivation_bug_ids() {
  std::vector<std::string> ids;
  for (int b = 0; b < kBugCount; ++b) ids.emplace_back(kBugs[b].id);
  return ids;
}

}  // namespace bplab::app

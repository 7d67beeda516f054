// Each screen in words, for the accessibility mirror (mirror.hpp): what a sighted learner reads
// off the Draw, Train and Network screens, as headings, sentences and tables, and the short
// announcements a screen reader speaks when they change (the prediction once the drawing is
// still, training once per epoch). Each is its screen's `words` in the screens' table
// (screens.cpp); the derivation has its own transcript (derivation.cpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "app/app_internal.hpp"
#include "app/mirror.hpp"
#include "app/panel_draw_digits.hpp"
#include "app/settings.hpp"
#include "engine/backprop.hpp"

namespace bplab::app {

namespace {

std::string fixed(double v, int digits) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string percent(double v) { return v < 0 || !std::isfinite(v) ? "not measured" : fixed(v * 100, 1) + "%"; }

std::string sizes_text(const std::vector<int>& sizes) {
  std::string s;
  for (int n : sizes) s += (s.empty() ? "" : ", ") + std::to_string(n);
  return "[" + s + "]";
}

mirror::Words para(std::string text) { return {"p", std::move(text), {}, {}}; }

// The net's answer as one sentence: "The net says 7, 98%." (and whether a test digit's label agrees).
std::string prediction_sentence(const Lab& lab) {
  if (!lab.has_input()) return "Nothing drawn yet: the net has no answer.";
  const Vector<float>& a = lab.prediction();
  const int d = lab.predicted();
  std::string s = "The net says " + std::to_string(d);
  if (d >= 0 && d < a.size()) s += ", " + fixed(std::clamp(a(d), 0.0f, 1.0f) * 100, 0) + "%";
  s += ".";
  if (lab.showing_test_digit())
    s += d == lab.test_label() ? " Correct: the label is " + std::to_string(lab.test_label()) + "."
                               : " Wrong: the label is " + std::to_string(lab.test_label()) + ".";
  return s;
}

// The 28x28 input in a sentence: where the ink is and how much of it.
std::string input_sentence(const Lab& lab) {
  const auto& px = lab.input();
  int inked = 0, x0 = kSide, y0 = kSide, x1 = -1, y1 = -1;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      if (px[size_t(y * kSide + x)] > 0.1f) {
        ++inked;
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      }
  if (inked == 0) return "What the net sees: a blank 28 by 28 image.";
  return "What the net sees: a 28 by 28 grey image with " + std::to_string(inked) +
         " inked pixels, the ink in columns " + std::to_string(x0) + " to " + std::to_string(x1) + " and rows " +
         std::to_string(y0) + " to " + std::to_string(y1) + " (MNIST's preprocessing fits the digit in 20 by 20 "
         "and centres it by its centre of mass).";
}

}  // namespace

void draw_words(App& app) {
  mirror::Mirror& m = app.mirror;
  const Lab& lab = app.lab;
  auto& w = m.words();
  w.push_back({"h2", "Draw a digit", {}, {}});
  w.push_back(para("Draw a digit in the drawing area with a mouse, a finger or a pen, or show a test digit "
                   "from MNIST. The net's answer follows the drawing."));
  w.push_back(para(prediction_sentence(lab)));
  if (lab.has_input()) {
    w.push_back(para(input_sentence(lab)));
    mirror::Words t{"table", "Output activations a^L, one per digit", {"digit", "activation", "the answer"}, {}};
    const Vector<float>& a = lab.prediction();
    for (int d = 0; d < int(a.size()); ++d)
      t.rows.push_back({std::to_string(d), fixed(a(d), 3), d == lab.predicted() ? "yes" : ""});
    w.push_back(std::move(t));
  }
  w.push_back(para("Model: " + sizes_text(lab.model().sizes) + ", " + lab.model_name() + "."));
  // Said when the learner has stopped drawing (or shown a test digit) and the answer is a new
  // one: a new drawing or a new digit, not each small change while the net trains.
  if (lab.has_input() && !ImGui::IsAnyItemActive()) {
    const auto& px = lab.input();
    const double ink = std::accumulate(px.begin(), px.end(), 0.0);
    const std::string key = std::to_string(lab.predicted()) + "/" + fixed(ink, 2) + "/" + std::to_string(lab.test_index());
    if (key != app.announced_key) {
      app.announced_key = key;
      m.announce(prediction_sentence(lab));
    }
  }
  my_digits_words(app);
}

void train_words(App& app) {
  mirror::Mirror& m = app.mirror;
  const Lab& lab = app.lab;
  const Settings& s = lab.settings;
  auto& w = m.words();
  w.push_back({"h2", "Train a net", {}, {}});
  std::string doing = lab.running() ? "Training" : lab.has_trainer() ? "Paused" : "Not started";
  // In steps of 10%: the words change a few times an epoch, not every frame.
  std::string status = doing + ": epoch " + std::to_string(std::min(lab.epoch() + 1, s.epochs)) + " of " +
                       std::to_string(s.epochs) + ", " + fixed(std::floor(lab.epoch_progress() * 10) * 10, 0) +
                       "% through it.";
  w.push_back(para(status));
  w.push_back(para("Accuracy: training " + percent(lab.accuracy_train) + ", validation " +
                   percent(lab.accuracy_validation) + ", test " + percent(lab.accuracy_test) + "."));
  if (!lab.divergence().empty())
    w.push_back(para("Training diverged: " + lab.divergence() + ". The last finite net is kept."));
  if (!lab.data_error.empty()) w.push_back(para("Data: " + lab.data_error));
  w.push_back(para("Data: " + std::to_string(lab.training().size()) + " training, " +
                   std::to_string(lab.validation().size()) + " validation, " + std::to_string(lab.test().size()) +
                   " test images."));
  if (!lab.curves().empty()) {
    mirror::Words t{"table", "Accuracy and cost per epoch",
                    {"epoch", "training accuracy", "validation accuracy", "test accuracy", "mean training cost"}, {}};
    for (const EpochRecord& r : lab.curves())
      t.rows.push_back({std::to_string(r.epoch), percent(r.train), percent(r.validation), percent(r.test),
                        r.cost < 0 || !std::isfinite(r.cost) ? "not measured" : fixed(r.cost, 4)});
    w.push_back(std::move(t));
  }
  // Said once an epoch (the latest row of the curves), and when training stops or diverges.
  std::string said;
  if (!lab.divergence().empty()) said = "Training diverged: " + lab.divergence() + ".";
  else if (!lab.curves().empty()) {
    const EpochRecord& r = lab.curves().back();
    said = "Epoch " + std::to_string(r.epoch) + " done: test accuracy " + percent(r.test) + ", validation " +
           percent(r.validation) + ".";
  }
  if (!lab.running() && lab.has_trainer()) said += (said.empty() ? "" : " ") + std::string("Paused.");
  m.announce(said);
}

void network_words(App& app) {
  mirror::Mirror& m = app.mirror;
  const Lab& lab = app.lab;
  const Network<float>& net = lab.model();
  auto& w = m.words();
  w.push_back({"h2", "The network", {}, {}});
  const int L = net.num_layers();
  std::string layers = "Layers " + sizes_text(net.sizes) + ": " + std::to_string(net.sizes.front()) +
                       " inputs (the 28 by 28 pixels), ";
  for (int l = 1; l + 1 < L; ++l) layers += std::to_string(net.sizes[size_t(l)]) + " hidden neurons, ";
  layers += std::to_string(net.sizes.back()) + " outputs (the digits 0 to 9); " + to_string(net.cost) + " cost.";
  w.push_back(para(layers));
  if (!lab.has_input()) {
    w.push_back(para("Draw a digit (or show a test digit) to see the activations."));
    return;
  }
  Trace<float> t;
  const Vector<float> x = Eigen::Map<const Vector<float>>(lab.input().data(), kSide * kSide);
  forward(net, x, std::clamp(lab.target_label(), 0, net.sizes.back() - 1), t);
  mirror::Words table{"table", "The most active neurons of each layer for this digit",
                      {"layer", "neurons", "most active (neuron: activation)", "mean activation"}, {}};
  for (int l = 1; l < L; ++l) {
    const Vector<float>& a = t.a[size_t(l)];
    std::vector<int> order(size_t(a.size()));
    std::iota(order.begin(), order.end(), 0);
    const size_t top = std::min<size_t>(3, order.size());
    std::partial_sort(order.begin(), order.begin() + long(top), order.end(), [&](int i, int j) { return a(i) > a(j); });
    std::string best;
    for (size_t k = 0; k < top; ++k)
      best += (k ? ", " : "") + std::to_string(order[k]) + ": " + fixed(a(order[k]), 3);
    table.rows.push_back({l + 1 == L ? "output" : "hidden " + std::to_string(l), std::to_string(a.size()), best,
                          fixed(a.size() ? a.mean() : 0.0f, 3)});
  }
  w.push_back(std::move(table));
  w.push_back(para("The first layer's weights are shown as one 28 by 28 image per hidden neuron: blue where a "
                   "weight is positive, orange where it is negative."));
}

}  // namespace bplab::app

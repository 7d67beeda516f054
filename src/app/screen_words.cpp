// Each screen in words, for the accessibility mirror (mirror.hpp): what a sighted learner reads
// off the Draw, Train and Network screens, as headings, sentences and tables, and the short
// announcements a screen reader speaks when they change (the prediction once the drawing is
// still, training once per epoch). Each is its screen's `words` in the screens' table
// (screens.cpp); the derivation has its own transcript (derivation/screen.cpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "app/app_internal.hpp"
#include "app/mirror.hpp"
#include "app/panel_draw_digits.hpp"
#include "app/screens.hpp"
#include "app/settings.hpp"
#include "app/text.hpp"
#include "engine/backprop.hpp"

namespace bplab::app {

namespace {

std::string percent(double v) { return v < 0 || !std::isfinite(v) ? "not measured" : fixed(v * 100, 1) + "%"; }

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

// The latest epoch whose test accuracy is measured, or null.
const EpochRecord* last_measured(const Lab& lab) {
  for (auto r = lab.curves().rbegin(); r != lab.curves().rend(); ++r)
    if (r->test >= 0 && std::isfinite(r->test)) return &*r;
  return nullptr;
}

// What training is doing, in a sentence: as the screen shows it.
std::string training_status(const Lab& lab) {
  const Settings& s = lab.settings;
  const std::string of = " of " + std::to_string(s.epochs);
  if (!lab.divergence().empty()) return "Diverged: see below.";
  if (lab.finished()) {
    const EpochRecord* r = last_measured(lab);
    return "Finished: " + counted(lab.epoch(), "epoch") +
           (r ? ", test accuracy " + percent(r->test) + " after epoch " + std::to_string(r->epoch) : std::string()) + ".";
  }
  if (!lab.has_trainer()) return "Not started.";
  // In steps of 10%: the words change a few times an epoch, not every frame.
  return std::string(lab.running() ? "Training" : "Paused") + ": epoch " +
         std::to_string(std::min(lab.epoch() + 1, s.epochs)) + of + ", " +
         fixed(std::floor(lab.epoch_progress() * 10) * 10, 0) + "% through it.";
}

// The speed of learning of each hidden layer per epoch (chapter 5), as a sentence and a table.
void speed_words(const Lab& lab, std::vector<mirror::Words>& w) {
  const int hidden = lab.model().num_layers() - 2;
  const EpochRecord* latest = nullptr;
  for (const EpochRecord& r : lab.curves())
    if (!r.speed.empty()) latest = &r;
  if (hidden < 1 || !latest) return;
  auto sci = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", v);
    return std::string(text);
  };
  std::string s = "Speed of learning after epoch " + std::to_string(latest->epoch) + " (the length of the mean "
                  "gradient of each hidden layer's biases over the first 1000 training images): ";
  for (size_t l = 0; l < latest->speed.size(); ++l)
    s += (l ? ", " : "") + std::string("layer ") + std::to_string(l + 2) + " " + sci(latest->speed[l]);
  s += ".";
  if (latest->speed.size() >= 2 && latest->speed.front() > 0)
    s += " The first hidden layer learns " + sci(latest->speed.back() / latest->speed.front()) +
         " times slower than the last.";
  w.push_back(para(s));
  mirror::Words t{"table", "Speed of learning per hidden layer and epoch", {"epoch"}, {}};
  for (int l = 0; l < hidden; ++l) t.header.push_back("layer " + std::to_string(l + 2));
  for (const EpochRecord& r : lab.curves()) {
    if (r.speed.empty()) continue;
    std::vector<std::string> row{std::to_string(r.epoch)};
    for (double v : r.speed) row.push_back(sci(v));
    t.rows.push_back(std::move(row));
  }
  w.push_back(std::move(t));
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
  auto& w = m.words();
  w.push_back({"h2", "Train a net", {}, {}});
  w.push_back(para(training_status(lab)));
  w.push_back(para("Accuracy: training " + percent(lab.accuracy_train) + ", validation " +
                   percent(lab.accuracy_validation) + ", test " + percent(lab.accuracy_test) + "."));
  if (!lab.divergence().empty())
    w.push_back(para(capitalized(lab.divergence()) + ". The last finite net (from the start of that epoch) is kept."));
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
  speed_words(lab, w);
}

void training_speech(App& app) {
  auto& t = app.training_speech;
  const Lab& lab = app.lab;
  const double now = ImGui::GetTime();
  const std::string of = " of " + std::to_string(lab.settings.epochs);
  const EpochRecord* measured = last_measured(lab);
  const std::string accuracy = measured ? ", test accuracy " + percent(measured->test) : std::string();
  if (lab.running() && !t.running) {
    // Start or Resume: the button now says Pause.
    t.end_pending = false;
    t.said_at = now;
    t.said_epoch = measured ? measured->epoch : -1;
    app.mirror.announce(lab.epoch() == 0 ? "Training started, " + std::to_string(lab.settings.epochs) +
                                               " epochs. The button now says Pause."
                                         : "Training resumed at epoch " + std::to_string(lab.epoch() + 1) + of +
                                               ". The button now says Pause.");
  } else if (lab.running()) {
    // At most one word every kTrainingSpeechSeconds: a new measured epoch, or (slow epochs) how
    // far the current one is.
    if (now - t.said_at >= kTrainingSpeechSeconds) {
      if (measured && measured->epoch > t.said_epoch && measured->epoch > 0) {
        t.said_at = now;
        t.said_epoch = measured->epoch;
        app.mirror.announce("Epoch " + std::to_string(measured->epoch) + of + ": test accuracy " +
                            percent(measured->test) + ".");
      } else if (now - t.said_at >= 4 * kTrainingSpeechSeconds) {
        t.said_at = now;
        app.mirror.announce("Still training: epoch " + std::to_string(std::min(lab.epoch() + 1, lab.settings.epochs)) +
                            of + ", " + fixed(std::floor(lab.epoch_progress() * 10) * 10, 0) + "% through.");
      }
    }
  } else if (t.running) {
    if (!lab.divergence().empty())
      app.mirror.announce(capitalized(lab.divergence()) + ". The last finite net is kept.");
    else if (lab.finished())
      t.end_pending = true;  // said when the last epoch's accuracy is in
    else if (lab.has_trainer())
      app.mirror.announce("Paused at epoch " + std::to_string(lab.epoch()) + of + accuracy +
                          ". The button now says Resume.");
  }
  if (t.end_pending && lab.finished() && !lab.running()) {
    const bool in = lab.test().size() == 0 || (measured && measured->epoch == lab.epoch()) || !lab.evaluating();
    if (in) {
      t.end_pending = false;
      app.mirror.announce("Training finished after " + counted(lab.epoch(), "epoch") + accuracy + ".");
    }
  }
  if (!lab.finished()) t.end_pending = t.end_pending && lab.has_trainer();
  t.running = lab.running();
}

void screen_speech(App& app) {
  const int panel = int(app.lab.settings.panel);
  if (panel == app.shown_panel) return;
  const bool first = app.shown_panel < 0;
  app.shown_panel = panel;
  if (!first && size_t(panel) < screens().size())
    app.mirror.announce(std::string(screens()[size_t(panel)].title) + " screen.");
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

void mistakes_words(App& app) {
  mirror::Mirror& m = app.mirror;
  const Lab& lab = app.lab;
  auto& w = m.words();
  w.push_back({"h2", "What the net gets wrong", {}, {}});
  const TestAnswers* t = lab.test_answers();
  if (!t) {
    const double p = lab.test_answers_progress();
    w.push_back(para(p >= 0 ? "The net is reading the 10,000 test digits: " + fixed(std::floor(p * 10) * 10, 0) + "% done."
                            : lab.test_answers_missing() + "."));
    return;
  }
  const int total = int(t->answers.size()), right = t->correct();
  w.push_back(para("The net reads " + std::to_string(right) + " of the " + std::to_string(total) +
                   " test digits right (" + percent(total ? double(right) / total : -1) + "). Model: " +
                   sizes_text(lab.model().sizes) + ", " + lab.model_name() + "."));
  mirror::Words table{"table", "Confusion matrix: rows the true digit, columns the net's answer, and the share of each digit read right",
                      {"true digit"}, {}};
  for (int c = 0; c < kDigits; ++c) table.header.push_back("read as " + std::to_string(c));
  table.header.push_back("right");
  for (int r = 0; r < kDigits; ++r) {
    std::vector<std::string> row{std::to_string(r)};
    for (int c = 0; c < kDigits; ++c) row.push_back(std::to_string(t->counts[size_t(r)][size_t(c)]));
    row.push_back(percent(t->class_accuracy(r)));
    table.rows.push_back(std::move(row));
  }
  w.push_back(std::move(table));
  // The open list, as the screen shows it (its first page).
  MistakeQuery q{app.mistakes.label, app.mistakes.predicted, -1};
  if (q.label < 0 || q.predicted < 0) q = MistakeQuery{-1, -1, 20};
  const std::vector<Mistake> list = find_mistakes(*t, q);
  const std::string what = q.label < 0 ? "The net's " + std::to_string(list.size()) + " most confident mistakes"
                                       : std::to_string(q.label) + " read as " + std::to_string(q.predicted) + ": " +
                                             std::to_string(list.size()) + " test digits";
  mirror::Words digits{"table", what + ", most confident first. Each opens in the derivation with its label.",
                       {"test digit", "true digit", "the net's answer", "confidence"}, {}};
  for (size_t k = 0; k < list.size() && k < 40; ++k)
    digits.rows.push_back({std::to_string(list[k].index), std::to_string(list[k].label),
                           std::to_string(list[k].predicted), fixed(list[k].confidence * 100, 1) + "%"});
  w.push_back(std::move(digits));
  // Said when a cell is opened, and when its count changes (once an epoch while training).
  m.announce(what + ".");
}

}  // namespace bplab::app

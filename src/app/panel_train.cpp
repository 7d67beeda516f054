// The Train screen: the settings of the net and of SGD, start / pause / step / reset, the
// epoch's progress, and curves of cost and accuracy per epoch, and of the speed of learning of
// each hidden layer (chapter 5) on a log scale.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/app_internal.hpp"
#include "app/ui.hpp"
#include "app/widgets.hpp"

#include "app/fonts.hpp"
#include "app/text.hpp"

namespace bplab::app {

namespace {

// A curve's second cue beside its colour (the palette's meaning): its marker and its dash.
enum class Marker { Circle, Square, Triangle };
struct Series {
  const char* name;
  ImU32 ui::Palette::*colour;
  double EpochRecord::*field;
  Marker marker;
  bool dashed;
};

void marker(ImDrawList* dl, ImVec2 q, Marker m, ImU32 c) {
  const float r = 3.5f;
  switch (m) {
    case Marker::Circle: dl->AddCircleFilled(q, r, c, 12); break;
    case Marker::Square: dl->AddRectFilled(ImVec2(q.x - r, q.y - r), ImVec2(q.x + r, q.y + r), c); break;
    case Marker::Triangle:
      dl->AddTriangleFilled(ImVec2(q.x, q.y - r - 1), ImVec2(q.x + r + 1, q.y + r), ImVec2(q.x - r - 1, q.y + r), c);
      break;
  }
}

// A line from a to b, solid or in 6-px dashes.
void line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 c, bool dashed) {
  if (!dashed) {
    dl->AddLine(a, b, c, 2);
    return;
  }
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  for (float t = 0; t < len; t += 10) {
    const float u = t / len, v = std::min(t + 6, len) / len;
    dl->AddLine(ImVec2(a.x + dx * u, a.y + dy * u), ImVec2(a.x + dx * v, a.y + dy * v), c, 2);
  }
}

// A line chart of some fields of the curves, y in [lo, hi] (hi < lo: from the data). Hovering
// shows the values of the nearest epoch.
void chart(const char* id, const std::vector<EpochRecord>& curves, const Series* series, int n_series, ImVec2 size,
           double lo, double hi, const char* format) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  {
    mirror::Description d;
    d.role = mirror::Role::Image;
    d.name = std::string("Chart of ") + id + " per epoch (the numbers are in the table of this screen)";
    ui::describe_last(std::move(d));
  }
  const bool hovered = ImGui::IsItemHovered();
  // A border only, on the window's own background: with software WebGL (SwiftShader) a filled
  // background for the two charts was half the cost of every frame at 1280x800.
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), ui::palette().outline, 4);
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);  // either theme
  if (hi < lo) {  // from the data
    lo = 1e300; hi = -1e300;
    for (const EpochRecord& r : curves)
      for (int s = 0; s < n_series; ++s) {
        const double v = r.*(series[s].field);
        if (v >= 0 && std::isfinite(v)) { lo = std::min(lo, v); hi = std::max(hi, v); }
      }
    if (lo > hi) { lo = 0; hi = 1; }
    lo = std::min(lo, 0.0);
    if (hi - lo < 1e-9) hi = lo + 1;
  }
  const float pad = 6, left = p.x + pad + ImGui::CalcTextSize("0.000").x, right = p.x + size.x - pad;
  const float top = p.y + pad, bottom = p.y + size.y - pad - ImGui::GetTextLineHeight();
  char text[64];
  for (int k = 0; k <= 2; ++k) {  // three gridlines with labels
    const double v = lo + (hi - lo) * k / 2;
    const float y = bottom - float((v - lo) / (hi - lo)) * (bottom - top);
    dl->AddLine(ImVec2(left, y), ImVec2(right, y), grid);
    std::snprintf(text, sizeof text, format, v);
    dl->AddText(ImVec2(p.x + pad, y - ImGui::GetTextLineHeight() / 2), dim, text);
  }
  int max_epoch = 1;
  for (const EpochRecord& r : curves) max_epoch = std::max(max_epoch, r.epoch);
  auto X = [&](int e) { return left + (right - left) * float(e) / max_epoch; };
  auto Y = [&](double v) { return bottom - float((std::clamp(v, lo, hi) - lo) / (hi - lo)) * (bottom - top); };
  std::snprintf(text, sizeof text, "epoch %d", max_epoch);
  dl->AddText(ImVec2(right - ImGui::CalcTextSize(text).x, bottom + 1), dim, text);
  dl->AddText(ImVec2(left, bottom + 1), dim, "0");
  // Each curve in its colour with its marker and dash, and its name at its last point (a direct
  // label, so that no colour has to be matched with the legend).
  float label_y[8] = {-1e9f, -1e9f, -1e9f, -1e9f, -1e9f, -1e9f, -1e9f, -1e9f};
  for (int s = 0; s < n_series; ++s) {
    const ImU32 colour = ui::palette().*(series[s].colour);
    ImVec2 prev;
    bool have = false;
    for (const EpochRecord& r : curves) {
      const double v = r.*(series[s].field);
      if (!(v >= 0) || !std::isfinite(v)) continue;
      const ImVec2 q(X(r.epoch), Y(v));
      if (have) line(dl, prev, q, colour, series[s].dashed);
      marker(dl, q, series[s].marker, colour);
      prev = q;
      have = true;
    }
    if (!have || s >= 8) continue;
    // Left of the last point, below it for a curve near the top; moved down past the labels
    // already placed where they would overlap.
    const ImVec2 t = ImGui::CalcTextSize(series[s].name);
    float y = prev.y + (prev.y < top + 2 * t.y ? 4 : -t.y - 4);
    for (int o = 0; o < s; ++o)
      if (std::abs(y - label_y[o]) < t.y) y = label_y[o] + t.y;
    label_y[s] = y;
    dl->AddText(ImVec2(std::max(left + 2, prev.x - t.x - 6), y), colour, series[s].name);
  }
  // Legend: marker, dash and name.
  float lx = left + 6;
  for (int s = 0; s < n_series; ++s) {
    const ImU32 colour = ui::palette().*(series[s].colour);
    const float ly = top + ImGui::GetTextLineHeight() / 2;
    line(dl, ImVec2(lx, ly), ImVec2(lx + 22, ly), colour, series[s].dashed);
    marker(dl, ImVec2(lx + 11, ly), series[s].marker, colour);
    dl->AddText(ImVec2(lx + 26, top), ImGui::GetColorU32(ImGuiCol_Text), series[s].name);
    lx += 38 + ImGui::CalcTextSize(series[s].name).x;
  }
  if (hovered && !curves.empty()) {
    const float mx = ImGui::GetIO().MousePos.x;
    const EpochRecord* best = &curves.front();
    for (const EpochRecord& r : curves)
      if (std::abs(X(r.epoch) - mx) < std::abs(X(best->epoch) - mx)) best = &r;
    dl->AddLine(ImVec2(X(best->epoch), top), ImVec2(X(best->epoch), bottom), ImGui::GetColorU32(ImGuiCol_Text, 0.45f));
    ImGui::BeginTooltip();
    ImGui::Text("epoch %d", best->epoch);
    for (int s = 0; s < n_series; ++s) {
      const double v = best->*(series[s].field);
      if (v >= 0 && std::isfinite(v)) ImGui::Text("%s: %.4f", series[s].name, v);
      else ImGui::Text("%s: -", series[s].name);
    }
    ImGui::EndTooltip();
  }
}

// The speed of learning of each hidden layer per epoch (EpochRecord::speed), on a log scale: one
// curve a layer, each with its colour, marker and name at its last point. Hovering shows the
// epoch's numbers.
void speed_chart(const std::vector<EpochRecord>& curves, int hidden_layers, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("speed of learning", size);
  {
    mirror::Description d;
    d.role = mirror::Role::Image;
    d.name = "Chart of the speed of learning of each hidden layer per epoch, on a log scale (the numbers are in "
             "the table of this screen)";
    ui::describe_last(std::move(d));
  }
  const bool hovered = ImGui::IsItemHovered();
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), ui::palette().outline, 4);
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float line_h = ImGui::GetTextLineHeight(), pad = 6;
  // Decades that hold every measured value.
  double lo = 1e300, hi = -1e300;
  int max_epoch = 1;
  for (const EpochRecord& r : curves) {
    if (r.speed.empty()) continue;
    max_epoch = std::max(max_epoch, r.epoch);
    for (double v : r.speed)
      if (v > 0 && std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  const char* title = "speed of learning ||dC/db|| per hidden layer (log scale)";
  dl->AddText(ImVec2(p.x + pad, p.y + 2), ImGui::GetColorU32(ImGuiCol_Text), title);
  if (lo > hi) {
    const char* empty = hidden_layers > 0 ? "measured on 1000 training images after each epoch, from epoch 0"
                                          : "this net has no hidden layer";
    dl->AddText(ImVec2(p.x + pad, p.y + 4 + line_h), dim, empty);
    return;
  }
  const double d0 = std::floor(std::log10(lo)), d1 = std::max(d0 + 1, std::ceil(std::log10(hi)));
  const float left = p.x + pad + ImGui::CalcTextSize("1e-10").x + 4, right = p.x + size.x - pad;
  const float top = p.y + 4 + line_h * 1.5f, bottom = p.y + size.y - pad - line_h;
  auto X = [&](int e) { return left + (right - left) * float(e) / max_epoch; };
  auto Y = [&](double v) { return bottom - float((std::log10(v) - d0) / (d1 - d0)) * (bottom - top); };
  char text[64];
  const int step = int(std::ceil((d1 - d0) / std::max(1.0f, (bottom - top) / (line_h * 1.5f))));
  for (double d = d0; d <= d1; d += std::max(step, 1)) {
    const float y = Y(std::pow(10.0, d));
    dl->AddLine(ImVec2(left, y), ImVec2(right, y), grid);
    std::snprintf(text, sizeof text, "1e%d", int(d));
    dl->AddText(ImVec2(p.x + pad, y - line_h / 2), dim, text);
  }
  std::snprintf(text, sizeof text, "epoch %d", max_epoch);
  dl->AddText(ImVec2(right - ImGui::CalcTextSize(text).x, bottom + 1), dim, text);
  dl->AddText(ImVec2(left, bottom + 1), dim, "0");
  // Layer l's colour and marker; the first hidden layer (slowest) first.
  static ImU32 ui::Palette::*const colours[] = {&ui::Palette::negative, &ui::Palette::validation, &ui::Palette::test,
                                                &ui::Palette::train, &ui::Palette::positive, &ui::Palette::accent};
  static const Marker markers[] = {Marker::Circle, Marker::Square, Marker::Triangle};
  for (int l = 0; l < hidden_layers; ++l) {
    const ImU32 colour = ui::palette().*colours[l % 6];
    ImVec2 prev;
    bool have = false;
    for (const EpochRecord& r : curves) {
      if (int(r.speed.size()) <= l || !(r.speed[size_t(l)] > 0) || !std::isfinite(r.speed[size_t(l)])) continue;
      const ImVec2 q(X(r.epoch), Y(r.speed[size_t(l)]));
      if (have) line(dl, prev, q, colour, l % 2 == 1);
      marker(dl, q, markers[l % 3], colour);
      prev = q;
      have = true;
    }
    if (!have) continue;
    std::snprintf(text, sizeof text, "layer %d", l + 2);
    const ImVec2 t = ImGui::CalcTextSize(text);
    dl->AddText(ImVec2(std::max(left + 2, prev.x - t.x - 6), std::max(top, prev.y - t.y - 2)), colour, text);
  }
  if (hovered) {
    const float mx = ImGui::GetIO().MousePos.x;
    const EpochRecord* best = nullptr;
    for (const EpochRecord& r : curves)
      if (!r.speed.empty() && (!best || std::abs(X(r.epoch) - mx) < std::abs(X(best->epoch) - mx))) best = &r;
    if (best) {
      dl->AddLine(ImVec2(X(best->epoch), top), ImVec2(X(best->epoch), bottom), ImGui::GetColorU32(ImGuiCol_Text, 0.45f));
      ImGui::BeginTooltip();
      ImGui::Text("epoch %d", best->epoch);
      for (size_t l = 0; l < best->speed.size(); ++l) ImGui::Text("layer %d: %.3g", int(l) + 2, best->speed[l]);
      ImGui::EndTooltip();
    }
  }
}

template <typename E>
bool combo(const char* label, E& value, const std::vector<E>& options) {
  std::vector<std::string> names;
  int current = -1;
  for (E o : options) {
    if (o == value) current = int(names.size());
    names.emplace_back(to_string(o));
  }
  if (!ui::Combo(label, &current, names) || current < 0) return false;
  value = options[size_t(current)];
  return true;
}

void settings_column(App& app, float width) {
  Lab& lab = app.lab;
  Settings& s = lab.settings;
  ImGui::PushItemWidth(std::max(80.0f, width - ImGui::CalcTextSize("activation ").x - 10));
  if (app.sizes_text.empty()) app.sizes_text = params()[1].write(s);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s", app.sizes_text.c_str());
  if (ui::InputText("sizes", buf, sizeof buf)) {
    app.sizes_text = buf;
    Settings t = s;
    app.sizes_error = params()[1].read(t, app.sizes_text);
    if (app.sizes_error.empty()) s.sizes = t.sizes;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Layer sizes: 784 inputs, hidden layers, 10 outputs");
  if (!app.sizes_error.empty()) ui::warning_text(app.sizes_error.c_str());

  bool hyper = false;
  float eta = float(s.eta);
  if (ui::SliderFloat(have_greek() ? "η (eta)" : "eta", &eta, 0.001f, float(kMaxEtaSetting), "%.3f",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    s.eta = std::clamp(double(eta), 0.001, kMaxEtaSetting);
    hyper = true;
  }
  if (ui::SliderInt("batch", &s.batch, 1, 1000, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    hyper = true;
  ui::SliderInt("epochs", &s.epochs, 1, kMaxEpochs, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  float lambda = float(s.lambda);
  if (ui::SliderFloat(have_greek() ? "λ (lambda)" : "lambda", &lambda, 0.0f, 50.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) {
    s.lambda = std::clamp(double(lambda), 0.0, kMaxLambda);
    hyper = true;
  }
  combo("cost", s.cost, app_costs());
  combo("activation", s.activation, app_activations());
  combo("init", s.init, std::vector<Init>{Init::Scaled, Init::Large});
  int seed = int(std::min<uint64_t>(s.seed, 2147483647));
  if (ui::InputInt("seed", &seed)) s.seed = uint64_t(std::max(0, seed));
  // What Start trains on and from: My digits (kept on the Draw screen) and the net as it is.
  int data = int(lab.train_data);
  if (ui::Combo("data", &data, {"MNIST", "my digits", "both"})) lab.train_data = TrainData(data);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("MNIST's training images, the digits you kept (%d), or both", int(lab.examples().size()));
  int from = lab.from_current ? 1 : 0;
  if (ui::Combo("start from", &from, {"a new net", "the current net"})) lab.from_current = from == 1;
  ImGui::PopItemWidth();
  // Chapter 5's deep net: four hidden layers whose speeds of learning differ a hundredfold.
  if (ImGui::Button("Deep net (chapter 5)")) {
    apply_deep_net_preset(s);
    app.sizes_text.clear();
    app.sizes_error.clear();
    lab.reset();
  }
  if (ImGui::IsItemHovered()) {  // the preset's own values, as the sliders name them
    Settings p = s;
    apply_deep_net_preset(p);
    char values[96];
    std::snprintf(values, sizeof values, "%s %g, %s %g", have_greek() ? "η" : "eta", p.eta, have_greek() ? "λ" : "lambda", p.lambda);
    ImGui::SetTooltip("%s, %s, %s, %s init, %s:\nwatch the first hidden layer learn about a hundred times slower than the last",
                      sizes_text(p.sizes).c_str(), to_string(p.activation), to_string(p.cost), to_string(p.init), values);
  }
  ImGui::SameLine();
  if (ImGui::Button("Learning slowdown")) s.panel = Panel::Slowdown;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Why a saturated neuron learns slowly with the quadratic cost (chapter 3)");
  if (hyper) {
    if (std::string e = lab.apply_hyperparameters(); !e.empty()) lab.note(e);
  }
  ImGui::TextDisabled("Sizes, cost, activation, init and seed\napply to the next new net (Reset).");

  ImGui::Spacing();
  // One button that relabels itself (Start, Pause, Resume): one id ("###run"), so that the
  // page's focus stays on it.
  const char* run = lab.running() ? "Pause###run" : lab.has_trainer() && !lab.finished() ? "Resume###run" : "Start###run";
  if (ImGui::Button(run)) {
    if (lab.running()) lab.pause();
    else if (std::string e = lab.start(); !e.empty()) {
      lab.note(e);
      app.mirror.announce("Not started: " + e + ".");
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Step")) {
    if (std::string e = lab.step(); !e.empty()) {
      lab.note(e);
      app.mirror.announce("No step: " + e + ".");
    } else {
      app.mirror.announce("Trained one mini-batch: " + std::to_string(lab.examples_seen()) + " examples seen.");
    }
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Train on one mini-batch");
  ImGui::SameLine();
  if (ImGui::Button("Reset")) {
    lab.reset();
    app.mirror.announce("Reset: a new untrained net, " + params()[1].write(s) + ".");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A new untrained net from these settings");
  ImGui::SameLine();
  if (ImGui::Button("Pretrained")) {
    std::string e = lab.restore_pretrained();
    if (!e.empty()) lab.note(e);
    app.mirror.announce(e.empty() ? "Back to the pretrained model." : "Not restored: " + e + ".");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the shipped [784, 30, 10] model (96.5%%)");
}

// What training is doing: a divergence warning, the epoch's progress, rates and accuracies.
void status_block(App& app) {
  Lab& lab = app.lab;
  if (!lab.divergence().empty()) {
    ui::warning_text((capitalized(lab.divergence()) +
                      ". The last finite net (from the start of that epoch) is kept.").c_str());
    if (ImGui::Button("Reset to a new net")) {
      lab.reset();
      app.mirror.announce("Reset: a new untrained net.");
    }
    ImGui::Separator();
  }
  const int e = lab.epoch();
  char overlay[96];
  // A finished run is done, not paused at 0% of an epoch after its last.
  if (lab.finished())
    std::snprintf(overlay, sizeof overlay, "finished: %d of %s", e, counted(lab.settings.epochs, "epoch").c_str());
  else
    std::snprintf(overlay, sizeof overlay, "epoch %d of %d: %.0f%%", std::min(e + 1, lab.settings.epochs),
                  lab.settings.epochs, lab.epoch_progress() * 100);
  ImGui::ProgressBar(lab.finished() ? 1.0f : float(lab.epoch_progress()), ImVec2(-1, 0),
                     lab.has_trainer() ? overlay : "not training");
  const char* doing = lab.running() ? (lab.training_in_worker() ? "training in a worker" : "training")
                     : lab.finished() ? "finished" : lab.has_trainer() ? "paused" : "not started";
  // Rates change twice a second at most (examples/s once a second, in Lab), and with the
  // other numbers (Lab::numbers_may_change): readable, and a still frame is not drawn again on
  // the web (src/platform/main.cpp).
  if ((ImGui::GetTime() - app.shown_fps_time >= 0.5 && lab.numbers_may_change()) || app.shown_fps_time < 0) {
    app.shown_fps = ImGui::GetIO().Framerate;
    app.shown_fps_time = ImGui::GetTime();
  }
  ImGui::TextWrapped("%s  |  %lld examples seen  |  %.0f examples/s  |  %.0f fps", doing,
                     static_cast<long long>(lab.examples_seen()), lab.examples_per_second(), app.shown_fps);
  auto pct = [](double a) { return a < 0 ? std::string("-") : std::to_string(a * 100).substr(0, 5) + "%"; };
  ImGui::TextWrapped("Accuracy: training %s, validation %s, test %s", pct(lab.accuracy_train).c_str(),
                     pct(lab.accuracy_validation).c_str(), pct(lab.accuracy_test).c_str());
}

// The data the net trains on, and the button that loads the full 60,000 (web).
void data_block(App& app) {
  Lab& lab = app.lab;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("Data: %d training, %d validation, %d test images", lab.training().size(),
                     lab.validation().size(), lab.test().size());
  ImGui::PopStyleColor();
  if (!lab.full_data()) {
    if (lab.data_progress >= 0) {
      ImGui::ProgressBar(float(lab.data_progress), ImVec2(-1, 0), "loading the full 60,000");
    } else if (lab.full_data_requested) {
      ImGui::TextDisabled("requesting the full 60,000...");
    } else if (app.options.web && ImGui::Button("Load the full 60,000 (47 MB)")) {
      lab.full_data_requested = true;
      app.mirror.announce("Loading the full 60,000 training images.");
    }
  }
  if (!lab.data_error.empty()) {
    ui::warning_text(lab.data_error.c_str());
    // The page fetches again whatever failed (web/backprop-lab-api.js, loadFull).
    if (app.options.web && !lab.full_data_requested && lab.data_progress < 0 && ImGui::Button("Retry loading the data"))
      lab.full_data_requested = true;
  }
}

// The accuracy, cost and speed-of-learning curves, one above the other, each `size`.
void curves(const Lab& lab, ImVec2 size) {
  static const Series acc[] = {{"training", &ui::Palette::train, &EpochRecord::train, Marker::Circle, false},
                               {"validation", &ui::Palette::validation, &EpochRecord::validation, Marker::Square, true},
                               {"test", &ui::Palette::test, &EpochRecord::test, Marker::Triangle, true}};
  static const Series cost[] = {{"mean training cost", &ui::Palette::train, &EpochRecord::cost, Marker::Circle, false}};
  chart("accuracy", lab.curves(), acc, 3, size, 0, 1, "%.2f");
  chart("cost", lab.curves(), cost, 1, size, 1, 0, "%.3f");
  speed_chart(lab.curves(), std::max(0, lab.model().num_layers() - 2), size);
}

}  // namespace

void train_panel(App& app) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (avail.x >= 640) {
    // Wide: the settings in a column on the left, what training does and its curves beside.
    const float left_w = std::min(360.0f, avail.x * 0.4f);
    ImGui::BeginChild("settings", ImVec2(left_w, avail.y));
    settings_column(app, left_w);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("progress", ImVec2(0, 0));
    status_block(app);
    data_block(app);
    const ImVec2 rest = ImGui::GetContentRegionAvail();
    curves(app.lab, ImVec2(rest.x, std::max(80.0f, (rest.y - ImGui::GetStyle().ItemSpacing.y * 4) / 3)));
    ImGui::EndChild();
    return;
  }
  // Narrow (an embed, a phone): what training does first, so that it shows without scrolling,
  // then the settings, the data and the curves; the panel scrolls.
  status_block(app);
  ImGui::Separator();
  settings_column(app, avail.x);
  ImGui::Separator();
  data_block(app);
  curves(app.lab, ImVec2(avail.x, std::clamp(avail.x * 0.6f, 100.0f, std::max(100.0f, avail.y * 0.8f))));
}

}  // namespace bplab::app

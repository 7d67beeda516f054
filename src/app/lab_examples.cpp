// The Lab's side of My digits and of teaching (lab.hpp: "My digits", "Teaching"), and the page's
// commands for them (rows of Lab::commands(), lab.cpp).
//
// Index
// [SECTION] My digits
// [SECTION] Training data and runs
// [SECTION] Teaching
// [SECTION] The page's API
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/hasher.hpp"
#include "app/lab.hpp"
#include "app/lab_examples.hpp"
#include "app/reply.hpp"

namespace bplab::app {

// [SECTION] My digits

std::string Lab::add_example(int label, const std::array<float, kSide * kSide>& pixels) {
  if (std::string e = check_label(label); !e.empty()) return e;
  std::array<double, kSide * kSide> values;
  std::copy(pixels.begin(), pixels.end(), values.begin());
  if (std::string e = check_pixels(values.data(), values.size()); !e.empty()) return e;
  if (examples_.size() >= size_t(kMaxExamples))
    return "My digits is full: it holds at most " + std::to_string(kMaxExamples) + " digits";
  Example e;
  e.label = label;
  e.pixels = pixels;
  examples_.push_back(e);
  ++examples_serial_;
  return "";
}

std::string Lab::remove_example(int index) {
  if (index < 0 || size_t(index) >= examples_.size())
    return "there is no kept digit " + std::to_string(index) + " (there are " + std::to_string(examples_.size()) + ")";
  examples_.erase(examples_.begin() + index);
  if (example_shown_ == index) example_shown_ = -1;
  else if (example_shown_ > index) --example_shown_;
  ++examples_serial_;
  return "";
}

void Lab::clear_examples() {
  examples_.clear();
  example_shown_ = -1;
  ++examples_serial_;
}

std::string Lab::import_examples(std::string_view text, int* added) {
  const size_t before = examples_.size();
  if (std::string e = read_digits(text, size_t(kMaxExamples) - before, &examples_); !e.empty()) return e;
  if (added) *added = int(examples_.size() - before);
  ++examples_serial_;
  return "";
}

uint64_t Lab::model_key() const {
  const Network<float>& net = model();
  Hasher h;
  for (int s : net.sizes) h.value(s);
  h.value(net.output);
  h.value(net.hidden);
  h.value(net.cost);
  for (const auto& w : net.weights) h.bytes(w.data(), sizeof(float) * size_t(w.size()));
  for (const auto& b : net.biases) h.bytes(b.data(), sizeof(float) * size_t(b.size()));
  return h.h;
}

const std::vector<Lab::ExampleAnswer>& Lab::answers(bool fresh) const {
  const Network<float>& net = model();
  auto& c = example_answers_;
  if (!fresh && running_ && c.serial == examples_serial_ && now_ms() - c.made_ms < 1000) return c.answers;
  const uint64_t key = model_key();
  const bool changed = c.model_key != key || c.serial != examples_serial_;
  const double now = now_ms();
  // While training, the model changes with every state: a second between refreshes (unless asked).
  if (!changed) return c.answers;
  c.answers.resize(examples_.size());
  for (size_t i = 0; i < examples_.size(); ++i) {
    const Vector<float> a = feedforward(net, Vector<float>(Eigen::Map<const Vector<float>>(examples_[i].pixels.data(), kExamplePixels)));
    ExampleAnswer& r = c.answers[i];
    r.predicted = a.allFinite() ? argmax(a) : 0;
    r.confidence = a.allFinite() ? a(r.predicted) : 0.0f;
  }
  c.model_key = key;
  c.serial = examples_serial_;
  c.made_ms = now;
  return c.answers;
}

int Lab::examples_correct(bool fresh) const {
  const std::vector<ExampleAnswer>& a = answers(fresh);
  int n = 0;
  for (size_t i = 0; i < a.size() && i < examples_.size(); ++i) n += a[i].predicted == examples_[i].label;
  return n;
}

std::string Lab::show_example(int index) {
  if (index < 0 || size_t(index) >= examples_.size())
    return "there is no kept digit " + std::to_string(index) + " (there are " + std::to_string(examples_.size()) + ")";
  canvas.clear();
  strokes.clear();
  test_index_ = test_label_ = -1;
  info_ = PreprocessInfo{};
  input_ = examples_[size_t(index)].pixels;
  drawing_label = examples_[size_t(index)].label;
  example_shown_ = index;
  update_prediction();
  return "";
}

// [SECTION] Training data and runs

DataView Lab::training_view() const { return view(mix_.data == TrainData::Mnist ? training_ : mixed_); }

std::string Lab::set_mix(const TrainMix& mix) {
  if (mix.data != TrainData::Mnist && examples_.empty())
    return "My digits is empty: keep some digits on the Draw screen first";
  mix_ = mix;
  mixed_ = mix.data == TrainData::Mnist ? Dataset() : training_mix(training_, examples_dataset(examples_), mix);
  return "";
}

int Lab::run_epochs() const { return teach_.active ? teach_epochs_ : settings.epochs; }

std::string Lab::start_from_current() {
  if (std::string e = data_missing(false); !e.empty()) return e;
  const Network<float> current = model();
  if (settings.sizes != current.sizes) {
    std::string want, have;
    for (int n : settings.sizes) want += (want.empty() ? "" : ",") + std::to_string(n);
    for (int n : current.sizes) have += (have.empty() ? "" : ",") + std::to_string(n);
    return "from the current net: its sizes are " + have + ", not " + want +
           " (start from a new net to change the sizes)";
  }
  if (settings.activation != current.hidden && current.sizes.size() > 2)
    return std::string("from the current net: its hidden neurons are ") + to_string(current.hidden) + ", not " +
           to_string(settings.activation) + " (start from a new net to change them)";
  pause();
  push_undo("Train from the current net");
  const std::string name = model_name_;
  teach_.active = false;
  trainer_.reset();
  net_ = current;
  net_.cost = settings.cost;
  clear_run();
  if (std::string e = make_trainer(false); !e.empty()) {
    undo();  // refused: the model as it was
    update_prediction();
    return e;
  }
  trained_settings_ = settings;
  model_name_ = name + ", trained on";
  queue_evaluation(0);
  run_now();
  return "";
}

double Lab::test_accuracy_now(int images) const {
  const Evaluation e = evaluate(model(), view(test_).part(0, images));
  return e.total ? e.accuracy() : -1;
}

// [SECTION] Teaching

// The default recipe (TeachOptions) was chosen by measurement: tests/app/test_teach.cpp.
std::string Lab::teach(const TeachOptions& o) {
  if (examples_.empty()) return "My digits is empty: draw a digit, say what it is and keep it first";
  if (o.mnist > 0)
    if (std::string e = data_missing(false); !e.empty()) return e;
  Hyperparameters h;
  h.eta = o.eta;
  h.batch = 10;
  h.lambda = 0;
  if (std::string e = check_hyperparameters(h); !e.empty()) return "teach: " + e;
  if (o.epochs < 1 || o.epochs > 100) return "teach: epochs must be 1 to 100";
  if (o.repeats < 1 || o.repeats > 1000) return "teach: repeats must be 1 to 1000";
  pause();
  push_undo("Teach it (the net fine-tuned on My digits)");
  TeachRecord r;
  r.active = true;
  // The before figures on at most a second's worth of test images (all 10,000 for small nets).
  r.test_images = int(std::min<int64_t>(
      test_.size(), std::max<int64_t>(500, 40 * kEvaluationWork / std::max<int64_t>(parameter_count(model().sizes), 1))));
  r.mine_before = double(examples_correct()) / double(examples_.size());
  r.test_before = test_.size() ? test_accuracy_now(r.test_images) : -1;
  r.started_ms = now_ms();
  const Network<float> current = model();
  TrainMix mix;
  mix.data = o.mnist > 0 ? TrainData::Both : TrainData::Mine;
  mix.mnist_count = o.mnist;
  mix.repeats = o.repeats;
  trainer_.reset();
  if (std::string e = set_mix(mix); !e.empty()) {
    undo();  // nothing changed: the model as it was, and no entry to undo
    return e;
  }
  net_ = current;
  net_.cost = Cost::CrossEntropy;  // the recipe's cost (a sigmoid output: the app's nets have one)
  clear_run();
  h.batch = std::min(h.batch, training_view().count);
  ++model_version_;  // a new trainer counts its examples from 0
  trainer_ = std::make_unique<Trainer>(net_, h, training_view(), settings.seed);
  trained_settings_ = settings;
  teach_ = r;
  teach_epochs_ = o.epochs;
  model_name_ = "taught your digits";
  queue_evaluation(0);
  run_now();
  return "";
}

void Lab::finish_teaching() {
  teach_.active = false;
  teach_.done = true;
  teach_.seconds = (now_ms() - teach_.started_ms) / 1000;
  update_prediction();
  teach_.mine_after = double(examples_correct()) / double(std::max<size_t>(examples_.size(), 1));
  teach_.test_after = teach_.test_images ? test_accuracy_now(teach_.test_images) : -1;
  char text[200];
  std::snprintf(text, sizeof text, "taught in %.1f s: My digits %.0f%% -> %.0f%%, MNIST test %.1f%% -> %.1f%%",
                teach_.seconds, teach_.mine_before * 100, teach_.mine_after * 100, teach_.test_before * 100,
                teach_.test_after * 100);
  note(text);
}

// [SECTION] The page's API

namespace {

using reply::fail;
using reply::maybe;
using reply::ok;

// 784 pixels from a JSON list: "" or what is wrong (`what` names the command).
std::string read_pixels(const json::Value& list, const char* what, std::array<float, kSide * kSide>* out) {
  if (!list.is_array()) return std::string(what) + ": pixels must be a list of 784 numbers in [0, 1]";
  const json::Array& a = list.as_array();
  std::vector<double> values(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_number()) return std::string(what) + ": pixel " + std::to_string(i) + " is not a number";
    values[i] = a[i].as_number();
  }
  if (std::string e = check_pixels(values.data(), values.size()); !e.empty()) return std::string(what) + ": " + e;
  for (size_t i = 0; i < values.size(); ++i) (*out)[i] = float(values[i]);
  return "";
}

// args itself, or its member `key` when args is an object.
const json::Value* arg(const json::Value& args, const char* key) {
  return args.is_object() ? args.find(key) : &args;
}

}  // namespace

json::Value Lab::examples_json() const {
  json::Array by_label;
  int counts[10] = {};
  for (const Example& e : examples_) ++counts[e.label];
  for (int c : counts) by_label.push_back(c);
  return json::Object{{"count", double(examples_.size())},
                      {"correct", examples_correct()},
                      {"byLabel", by_label},
                      {"limit", kMaxExamples}};
}

json::Value Lab::files_json() const {
  char key[24];
  std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(model_key()));
  return json::Object{{"examples", examples_serial_},
                      {"model", std::string(key)},
                      {"modelRunning", running_},
                      {"requests", file_requests},
                      {"request", file_request}};
}

json::Value Lab::teach_json() const {
  const TeachRecord& t = teach_;
  if (!t.active && !t.done) return json::Value();
  return json::Object{{"running", t.active},
                      {"done", t.done},
                      {"seconds", t.done ? json::Value(t.seconds) : json::Value()},
                      {"testImages", t.test_images},
                      {"mine", json::Object{{"before", maybe(t.mine_before)}, {"after", maybe(t.mine_after)}}},
                      {"test", json::Object{{"before", maybe(t.test_before)}, {"after", maybe(t.test_after)}}}};
}

namespace commands {

json::Value add_example(Lab& lab, const json::Value& args) {
  if (!args.is_object()) return fail("addExample wants {label, pixels}");
  const json::Value* label = args.find("label");
  if (!label || !label->is_number()) return fail("addExample: the label must be a digit 0-9");
  if (std::string e = check_label(label->as_number()); !e.empty()) return fail("addExample: " + e);
  std::array<float, kSide * kSide> pixels = lab.input();
  if (const json::Value* p = args.find("pixels"); p && !p->is_null()) {
    if (std::string e = read_pixels(*p, "addExample", &pixels); !e.empty()) return fail(e);
  } else if (!lab.has_input()) {
    return fail("addExample: there is no drawing to keep (draw a digit or give pixels)");
  }
  if (std::string e = lab.add_example(int(label->as_number()), pixels); !e.empty()) return fail("addExample: " + e);
  return ok(double(lab.examples().size()));
}

json::Value remove_example(Lab& lab, const json::Value& args) {
  const json::Value* i = arg(args, "index");
  if (!i || !i->is_number() || i->as_number() != std::floor(i->as_number()))
    return fail("removeExample wants the index of a kept digit");
  std::string e = lab.remove_example(int(std::clamp(i->as_number(), -1.0, 1e9)));
  return e.empty() ? ok(double(lab.examples().size())) : fail("removeExample: " + e);
}

json::Value clear_examples(Lab& lab, const json::Value&) {
  lab.clear_examples();
  return ok(0.0);
}

json::Value examples(Lab& lab, const json::Value&) {
  json::Array list;
  const std::vector<Lab::ExampleAnswer>& a = lab.answers();
  for (size_t i = 0; i < lab.examples().size(); ++i)
    list.push_back(json::Object{{"label", lab.examples()[i].label},
                                {"predicted", a[i].predicted},
                                {"confidence", double(a[i].confidence)}});
  return ok(list);
}

json::Value export_examples(Lab& lab, const json::Value&) { return ok(lab.export_examples()); }

json::Value import_examples(Lab& lab, const json::Value& args) {
  const json::Value* t = arg(args, "text");
  if (!t || !t->is_string()) return fail("importExamples wants a digits file's text");
  int added = 0;
  if (std::string e = lab.import_examples(t->as_string(), &added); !e.empty()) {
    lab.note(e);
    return fail(e);
  }
  return ok(added);
}

json::Value show_example(Lab& lab, const json::Value& args) {
  const json::Value* i = arg(args, "index");
  if (!i || !i->is_number() || i->as_number() != std::floor(i->as_number()))
    return fail("showExample wants the index of a kept digit");
  std::string e = lab.show_example(int(std::clamp(i->as_number(), -1.0, 1e9)));
  return e.empty() ? ok() : fail("showExample: " + e);
}

json::Value predict(Lab& lab, const json::Value& args) {
  const json::Value* p = arg(args, "pixels");
  if (!p) return fail("predict wants pixels: a list of 784 numbers in [0, 1]");
  std::array<float, kSide * kSide> pixels;
  if (std::string e = read_pixels(*p, "predict", &pixels); !e.empty()) return fail(e);
  if (lab.model().sizes.front() != kExamplePixels) return fail("predict: the model does not take 784 inputs");
  const Vector<float> x = Eigen::Map<const Vector<float>>(pixels.data(), kExamplePixels);
  const Vector<float> out = feedforward(lab.model(), x);
  json::Array activations;
  for (Eigen::Index i = 0; i < out.size(); ++i) activations.push_back(std::isfinite(out(i)) ? double(out(i)) : 0.0);
  return ok(json::Object{{"predicted", out.allFinite() ? argmax(out) : 0}, {"activations", activations}});
}

json::Value label(Lab& lab, const json::Value& args) {
  const json::Value* l = arg(args, "label");
  if (l && l->is_null()) {
    lab.drawing_label = -1;
    return ok();
  }
  if (!l || !l->is_number()) return fail("setLabel wants a digit 0-9 (or null)");
  if (std::string e = check_label(l->as_number()); !e.empty()) return fail("setLabel: " + e);
  lab.drawing_label = int(l->as_number());
  return ok();
}

json::Value note(Lab& lab, const json::Value& args) {
  const json::Value* m = arg(args, "message");
  if (!m || !m->is_string()) return fail("note wants {message}");
  lab.note(m->as_string().substr(0, 300));
  return ok();
}

json::Value teach(Lab& lab, const json::Value& args) {
  Lab::TeachOptions o;
  if (!args.is_null() && !args.is_object()) return fail("teach wants nothing or {eta, epochs, mnist, repeats}");
  if (args.is_object()) {
    for (const json::Member& m : args.as_object()) {
      if (!m.second.is_number() || !std::isfinite(m.second.as_number()))
        return fail("teach: " + m.first.substr(0, 40) + " must be a number");
      const double v = m.second.as_number();
      const bool whole = v == std::floor(v) && std::abs(v) < 1e9;
      if (m.first == "eta") o.eta = v;
      else if (m.first == "epochs" && whole) o.epochs = int(v);
      else if (m.first == "mnist" && whole && v >= 0) o.mnist = int(v);
      else if (m.first == "repeats" && whole) o.repeats = int(v);
      else return fail("teach: \"" + m.first.substr(0, 40) + "\" is not one of eta, epochs, mnist (>= 0), repeats (whole numbers)");
    }
  }
  std::string e = lab.teach(o);
  if (!e.empty()) lab.note(e);
  return e.empty() ? ok() : fail(e);
}

}  // namespace commands

}  // namespace bplab::app

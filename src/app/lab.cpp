// The app's logic (see lab.hpp).
//
// Index
// [SECTION] Model
// [SECTION] Data
// [SECTION] Drawing and prediction
// [SECTION] Training and evaluation
// [SECTION] The page's API
// [SECTION] The commands
#include "app/lab.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/app_internal.hpp"  // the commands that need the whole app
#include "app/lab_examples.hpp"
#include "app/screens.hpp"
#include "app/reply.hpp"
#include "app/text.hpp"
#include "engine/benchmark.hpp"
#include "engine/model_io.hpp"

namespace bplab::app {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

Lab::Lab() {
  net_ = make_network<float>(settings.sizes, settings.init, settings.seed);
  model_name_ = "untrained";
  update_prediction();
}

// At most n bytes of s, cut before a UTF-8 character rather than inside one.
static std::string clip_utf8(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// "" if the examples are in, else why not: still loading, or the download failed.
std::string Lab::data_missing(bool test) const {
  if ((test ? test_.size() : training_.size()) > 0) return "";
  const std::string what = test ? "the test images" : "the training images";
  if (!data_error.empty()) return what + " could not be loaded (" + data_error + ")";
  return what + " are still loading";
}

void Lab::note(std::string message) {
  messages.push_back(std::move(message));
  if (messages.size() > 20) messages.erase(messages.begin());
}

// [SECTION] Model

std::string Lab::load_model(std::string_view text, const std::string& undo) {
  LoadResult r = read_model_json(text);
  if (!r.ok()) return "model refused: " + r.error;
  if (std::string e = check_app_sizes(r.net.sizes); !e.empty()) return "model refused: " + e;
  if (r.net.output != Activation::Sigmoid || r.net.cost == Cost::LogLikelihood)
    return "model refused: the app trains sigmoid outputs with the quadratic or cross-entropy cost";
  if (!undo.empty()) push_undo(undo);
  running_ = false;
  stop_worker();
  trainer_.reset();
  teach_.active = false;
  net_ = r.net.cast<float>();
  ++model_version_;
  settings.sizes = net_.sizes;
  settings.activation = net_.hidden;
  settings.cost = net_.cost;
  trained_settings_ = settings;
  curves_.clear();
  divergence_.clear();
  finished_ = false;
  epoch_offset_ = 0;
  accuracy_train = accuracy_validation = accuracy_test = -1;
  evals_.clear();
  queue_evaluation(-1);
  update_prediction();
  return "";
}

std::string Lab::load_model_file(const std::string& path) {
  LoadResult r = bplab::load_model_file(path);
  if (!r.ok()) return "cannot load " + path + ": " + r.error;
  std::string text = model_to_json(r.net);
  return load_model(text);
}

void Lab::push_undo(std::string what) {
  Snapshot s;
  s.what = std::move(what);
  s.net = model();
  s.model_name = model_name_;
  s.trained_settings = trained_settings_;
  s.curves = curves_;
  s.train = accuracy_train;
  s.validation = accuracy_validation;
  s.test = accuracy_test;
  undo_.push_back(std::move(s));
  // The oldest go first, past kUndoDepth changes or kUndoBytes of weights (the newest stays).
  size_t bytes = 0;
  for (const Snapshot& u : undo_) bytes += size_t(parameter_count(u.net.sizes)) * sizeof(float);
  while (undo_.size() > 1 && (undo_.size() > kUndoDepth || bytes > kUndoBytes)) {
    bytes -= size_t(parameter_count(undo_.front().net.sizes)) * sizeof(float);
    undo_.erase(undo_.begin());
  }
}

std::string Lab::undo() {
  if (undo_.empty()) return "";
  Snapshot s = std::move(undo_.back());
  undo_.pop_back();
  running_ = false;
  stop_worker();
  trainer_.reset();
  teach_.active = false;
  net_ = std::move(s.net);
  model_name_ = std::move(s.model_name);
  settings.sizes = net_.sizes;
  settings.activation = net_.hidden;
  settings.cost = net_.cost;
  trained_settings_ = s.trained_settings;
  curves_ = std::move(s.curves);
  epoch_offset_ = curves_.empty() ? 0 : curves_.back().epoch;
  divergence_.clear();
  finished_ = false;
  evals_.clear();
  evaluated_.clear();
  accuracy_train = s.train;
  accuracy_validation = s.validation;
  accuracy_test = s.test;
  if (accuracy_test < 0) queue_evaluation(-1);
  update_prediction();
  note("undid: " + s.what);
  return s.what;
}

std::string Lab::export_model() const {
  std::string error;
  std::string text = model_to_json(model(), &error);
  return text;
}

// [SECTION] Data

DataView Lab::view(const Dataset& d) const { return view_of(d); }

std::string Lab::load_data(DataPart part, const uint8_t* images, size_t images_size, const uint8_t* labels,
                           size_t labels_size) {
  Dataset a, b;
  if (std::string e = read_data_part(part, images, images_size, labels, labels_size, &a, &b); !e.empty()) {
    data_error = "could not read the MNIST data: " + e;
    note(data_error);
    return data_error;
  }
  if (part == DataPart::Test) {
    test_ = std::move(a);
    answers_.reset();  // of other test images
    if (training_.size() > 0) data_error.clear();  // a retry that succeeded
    if (settings.digit >= 0 && !has_input()) show_test_digit(settings.digit);
    if (!running_) queue_evaluation(-1);
    return "";
  }
  // New training data: a running trainer points into the old data, so it is rebuilt around
  // its current net (the curves go on).
  const bool had_trainer = bool(trainer_);
  Network<float> current = model();
  const int done = epoch();
  stop_worker();
  trainer_.reset();
  training_ = std::move(a);
  if (mix_.data != TrainData::Mnist) mixed_ = training_mix(training_, examples_dataset(examples_), mix_);
  if (test_.size() > 0) data_error.clear();  // a retry that succeeded
  if (part == DataPart::FullTraining) {
    validation_ = std::move(b);
    full_data_ = true;
    data_progress = -1;
    full_data_requested = false;
    note("loaded the full MNIST training set: 50,000 training and 10,000 validation images");
  }
  if (had_trainer) {
    net_ = std::move(current);
    ++model_version_;  // the same net, in a new trainer that counts its examples from 0
    epoch_offset_ = done;
    if (std::string err = make_trainer(false); !err.empty()) { running_ = false; note(err); }
    launch_worker();
  }
  if (settings.autoplay && !running_ && !had_trainer && curves_.empty()) {
    settings.autoplay = false;
    if (std::string err = start(); !err.empty()) note(err);
  }
  return "";
}

std::string Lab::load_data_dir(const std::string& dir, int max_training) {
  std::string e;
  Mnist m = load_mnist(dir, &e, max_training, 10000, 10000);
  if (!e.empty()) {
    data_error = "could not read MNIST from " + dir + ": " + e;
    return data_error;
  }
  test_ = std::move(m.test);
  training_ = std::move(m.training);
  validation_ = std::move(m.validation);
  full_data_ = training_.size() >= 50000;
  if (settings.digit >= 0 && !has_input()) show_test_digit(settings.digit);
  queue_evaluation(-1);
  if (settings.autoplay) {
    settings.autoplay = false;
    if (std::string err = start(); !err.empty()) note(err);
  }
  return "";
}

// [SECTION] Drawing and prediction

void Lab::clear_drawing() {
  drawing_label = -1;
  example_shown_ = -1;
  canvas.clear();
  strokes.clear();
  test_index_ = test_label_ = -1;
  update_input_from_canvas();
}

void Lab::begin_stroke(float x, float y) {
  if (showing_test_digit() || showing_example()) clear_drawing();
  strokes.push_back({{x, y}});
  canvas.stroke(x, y, x, y, canvas.default_radius());
  update_input_from_canvas();
}

void Lab::continue_stroke(float x, float y) {
  if (strokes.empty()) return begin_stroke(x, y);
  auto& s = strokes.back();
  const auto last = s.back();
  if (std::abs(last[0] - x) + std::abs(last[1] - y) < 0.5f) return;
  s.push_back({x, y});
  canvas.stroke(last[0], last[1], x, y, canvas.default_radius());
  update_input_from_canvas();
}

std::string Lab::show_test_digit(int index) {
  if (std::string e = data_missing(true); !e.empty()) return e;
  if (index < 0 || index >= test_.size()) return "there is no test image " + std::to_string(index);
  canvas.clear();
  strokes.clear();
  drawing_label = -1;
  example_shown_ = -1;
  const Vector<float> image = test_.image(index);
  std::copy(image.data(), image.data() + input_.size(), input_.begin());
  info_ = PreprocessInfo{};
  test_index_ = index;
  test_label_ = test_.labels[index];
  update_prediction();
  return "";
}

void Lab::update_input_from_canvas() {
  input_ = preprocess_mnist(canvas, &info_);
  update_prediction();
}

void Lab::update_prediction() {
  const Network<float>& net = model();
  Vector<float> x = Eigen::Map<const Vector<float>>(input_.data(), kSide * kSide);
  prediction_ = feedforward(net, x);
  if (!prediction_.allFinite()) prediction_ = Vector<float>::Zero(prediction_.size());
  predicted_ = argmax(prediction_);
}

// [SECTION] Training and evaluation

int Lab::epoch() const { return epoch_offset_ + (trainer_ ? trainer_->epoch() : 0); }

double Lab::epoch_progress() const {
  if (!trainer_ || trainer_->batches_per_epoch() == 0) return 0;
  return double(trainer_->batch_in_epoch()) / trainer_->batches_per_epoch();
}

int64_t Lab::examples_seen() const { return trainer_ ? trainer_->examples_seen() : 0; }

std::string Lab::make_trainer(bool new_net) {
  if (std::string e = data_missing(false); !e.empty()) return e;
  if (std::string e = check_app_sizes(settings.sizes); !e.empty()) return e;
  Hyperparameters h;
  h.eta = settings.eta;
  h.batch = std::min(settings.batch, training_.size());
  h.lambda = settings.lambda;
  if (std::string e = check_hyperparameters(h); !e.empty()) return e;
  if (new_net) {
    net_ = make_network<float>(settings.sizes, settings.init, settings.seed);
    net_.hidden = settings.activation;
    net_.output = Activation::Sigmoid;
    net_.cost = settings.cost;
    trained_settings_ = settings;
    model_name_ = "trained in the app";
  }
  TrainMix mix;
  mix.data = train_data;
  mix.repeats = train_data == TrainData::Both ? TeachOptions().repeats : 1;
  if (std::string e = set_mix(mix); !e.empty()) return e;
  h.batch = std::min(settings.batch, training_view().count);
  ++model_version_;  // a new trainer counts its examples from 0
  trainer_ = std::make_unique<Trainer>(net_, h, training_view(), settings.seed);
  return "";
}

std::string Lab::start() {
  const Settings& t = trained_settings_;
  const bool same_net = trainer_ && !finished_ && t.sizes == settings.sizes && t.cost == settings.cost &&
                        t.activation == settings.activation && t.init == settings.init && t.seed == settings.seed &&
                        mix_.data == train_data;
  if (same_net) {
    if (std::string e = apply_hyperparameters(); !e.empty()) return e;
  } else if (from_current) {
    return start_from_current();
  } else {
    // Refused before reset(): a refused run must not replace the current model.
    if (std::string e = data_missing(false); !e.empty()) return e;
    if (trainer_ || model_name_ != "untrained") push_undo("Start (a new net from the settings)");
    reset_net();
    if (std::string e = make_trainer(true); !e.empty()) return e;
    queue_evaluation(0);
  }
  run_now();
  return "";
}

void Lab::run_now() {
  running_ = true;
  rate_time_ms_ = -1;
  launch_worker();
}

void Lab::clear_run() {
  finished_ = false;
  epoch_offset_ = 0;
  divergence_.clear();
  curves_.clear();
  evals_.clear();
  evaluated_.clear();
}

void Lab::pause() {
  running_ = false;
  stop_worker();
}

void Lab::launch_worker() {
  if (!worker || !trainer_ || !running_) return;
  if (!worker->set_mix(mix_, mix_.data == TrainData::Mnist ? Dataset() : examples_dataset(examples_))) {
    if (mix_.data != TrainData::Mnist) return;  // this worker trains MNIST alone: the slices do it
  }
  worker->run(++run_id_, trainer_->save_state(), run_epochs() - epoch_offset_);
  in_worker_ = true;
}

// Fewer states from the worker where drawing the changes they bring is slow (FrameCostMeter).
void Lab::pace_worker(double now_ms) {
  frame_cost_.frame(now_ms, numbers_may_change_);
  const double interval = state_interval_for(frame_cost_.cost_ms());
  if (std::abs(interval - state_interval_ms_) < 0.1 * state_interval_ms_) return;
  state_interval_ms_ = interval;
  worker->set_send_interval(interval);
}

void Lab::stop_worker() {
  if (!in_worker_) return;
  worker->stop();
  ++run_id_;  // whatever the stopped run still sends is dropped
  in_worker_ = false;
}

bool Lab::adopt_worker_states(double budget_ms) {
  const double t0 = now_ms();
  bool adopted_any = false;
  TrainingWorker::Message m;
  while (in_worker_ && worker->poll(&m)) {
    if (m.id != run_id_ && (m.id >= 0 || m.error.empty())) continue;  // a stopped run's
    std::string error = m.error;
    std::unique_ptr<Trainer> adopted;
    if (error.empty()) adopted = Trainer::restore(m.state.data(), m.state.size(), training_view(), &error);
    if (!adopted) {
      // The trainer here is the last state adopted, so nothing is lost but the worker's last
      // few mini-batches: training goes on in the frame loop.
      note("training goes on in the page: " + error.substr(0, 160));
      worker->stop();
      worker.reset();
      in_worker_ = false;
      return true;
    }
    const int before = trainer_ ? trainer_->epoch() : 0;
    trainer_ = std::move(adopted);
    adopted_any = true;
    SliceResult r;
    r.diverged = trainer_->diverged();
    r.epoch_finished = trainer_->epoch() > before;
    after_slice(r);
    if (now_ms() - t0 > budget_ms) break;
  }
  return adopted_any;
}

std::string Lab::step() {
  if (!trainer_) {
    if (std::string e = data_missing(false); !e.empty()) return e;
    if (model_name_ != "untrained") push_undo("Step (a new net from the settings)");
    reset_net();
    if (std::string e = make_trainer(true); !e.empty()) return e;
    queue_evaluation(0);
  }
  pause();
  after_slice(trainer_->run(1));
  update_prediction();
  return "";
}

void Lab::reset() {
  push_undo("Reset (a new untrained net)");
  reset_net();
}

void Lab::reset_net() {
  pause();
  teach_.active = false;
  trainer_.reset();
  clear_run();
  examples_per_second_ = 0;
  accuracy_train = accuracy_validation = accuracy_test = -1;
  net_ = make_network<float>(settings.sizes, settings.init, settings.seed);
  net_.hidden = settings.activation;
  net_.cost = settings.cost;
  ++model_version_;
  trained_settings_ = settings;
  model_name_ = "untrained";
  update_prediction();
}

std::string Lab::restore_pretrained(bool undoable) {
  if (pretrained_json.empty()) return "no pretrained model was loaded at start";
  std::string e = load_model(pretrained_json, undoable ? "Pretrained (the shipped model)" : "");
  if (e.empty()) model_name_ = "pretrained";
  return e;
}

std::string Lab::apply_hyperparameters() {
  if (!trainer_) return "";
  Hyperparameters h = trainer_->hyperparameters();
  h.eta = settings.eta;
  h.batch = std::min(settings.batch, std::max(1, training_.size()));
  h.lambda = settings.lambda;
  // A run in the worker goes on from the last state it sent, with the new values.
  const bool relaunch = in_worker_;
  stop_worker();
  std::string e = trainer_->set_hyperparameters(h);
  if (relaunch) launch_worker();
  return e;
}

void Lab::tick(double budget_ms) {
  const double t0 = now_ms();
  numbers_may_change_ = true;
  if (running_ && trainer_) {
    if (rate_time_ms_ < 0) { rate_time_ms_ = t0; rate_examples_ = trainer_->examples_seen(); }
    if (in_worker_) {
      numbers_may_change_ = adopt_worker_states(budget_ms) || !running_ || !in_worker_;
      if (in_worker_) pace_worker(t0);
    } else {
      // While an evaluation is pending it gets a third of the budget, so that the curves keep
      // up with training (an epoch's evaluation costs about half an epoch of the small set).
      after_slice(trainer_->run(1 << 30, evals_.empty() ? budget_ms : budget_ms * 0.65));
    }
    // Examples per second of wall-clock time while running, over windows of about a second.
    const double now = now_ms();
    if (trainer_ && now - rate_time_ms_ >= 1000 && numbers_may_change_) {
      examples_per_second_ = double(trainer_->examples_seen() - rate_examples_) * 1000.0 / (now - rate_time_ms_);
      rate_time_ms_ = now;
      rate_examples_ = trainer_->examples_seen();
    }
  } else {
    rate_time_ms_ = -1;
  }
  follow_model();
  // Evaluation gets the rest of the budget (at least 1 ms while training here; 4 ms otherwise).
  evaluate_chunk(std::max(running_ && !in_worker_ ? 1.0 : 4.0, budget_ms - (now_ms() - t0)));
  if (numbers_may_change_) show_evaluations();
  update_prediction();
}

// What the Lab does after trainer_ trained a slice (here or in the worker).
void Lab::after_slice(const SliceResult& r) {
  if (r.diverged) {
    divergence_ = trainer_->divergence();
    note("training diverged (the Train screen says where)");
    pause();
    net_ = trainer_->last_finite_network();  // finite, so nothing shows NaN
    trainer_.reset();
    ++model_version_;
  } else if (r.epoch_finished) {
    EpochRecord r;
    r.epoch = epoch();
    r.cost = trainer_->last_epoch_mean_cost();
    curves_.push_back(std::move(r));
    queue_evaluation(epoch());
    if (epoch() >= run_epochs() && running_) {
      pause();
      finished_ = true;
      if (teach_.active) finish_teaching();
      else note("finished " + counted(epoch(), "epoch"));
    }
  }
}

void Lab::queue_evaluation(int epoch) {
  if (test_.size() == 0 && validation_.size() == 0 && training_.size() == 0) return;
  // If training outruns evaluation, skip the points in between (the first is in progress).
  while (evals_.size() >= 2) evals_.erase(evals_.begin() + 1);
  EvalJob job;
  job.epoch = epoch;
  job.net = model();
  job.stamp = model_stamp();
  evals_.push_back(std::move(job));
}

void Lab::follow_model() {
  if (running_ || test_.size() == 0) return;
  const ModelStamp now = model_stamp();
  // Answers for a model that is gone are not finished (an epoch's evaluation is: the curves).
  evals_.erase(std::remove_if(evals_.begin(), evals_.end(),
                              [&](const EvalJob& j) { return j.answers_only && !(j.stamp == now); }),
               evals_.end());
  if (answers_ && answers_stamp_ == now) return;
  for (const EvalJob& j : evals_)
    if (j.stamp == now && j.part == 0) return;  // on its way
  EvalJob job;
  job.epoch = -1;
  job.net = model();
  job.stamp = now;
  job.answers_only = true;
  evals_.push_back(std::move(job));
}

const TestAnswers* Lab::test_answers() const {
  if (!answers_ || test_.size() == 0 || answers_->answers.size() != size_t(test_.size())) return nullptr;
  if (answers_stamp_ == model_stamp()) return answers_.get();
  if (running_ && answers_stamp_.version == model_version_) return answers_.get();  // the latest epoch's
  return nullptr;
}

double Lab::test_answers_progress() const {
  for (auto j = evals_.rbegin(); j != evals_.rend(); ++j)
    if (j->stamp.version == model_version_ && j->part == 0 && test_.size() > 0)
      return double(j->position) / test_.size();
  return -1;
}

std::string Lab::test_answers_missing() const {
  if (test_answers()) return "";
  if (std::string e = data_missing(true); !e.empty()) return e;
  const double p = test_answers_progress();
  if (p >= 0) return "the net is still reading the test set (" + std::to_string(int(p * 100)) + "% done)";
  return "the net's answers on the test set are not in yet";
}

int evaluation_chunk(const std::vector<int>& sizes) {
  return int(std::clamp<int64_t>(kEvaluationWork / std::max<int64_t>(parameter_count(sizes), 1), 1, 250));
}

int speed_chunk(const std::vector<int>& sizes) {
  return int(std::clamp<int64_t>(kEvaluationWork / 4 / std::max<int64_t>(speed_work_per_example(sizes), 1), 1, 250));
}

void Lab::evaluate_chunk(double budget_ms) {
  const double t0 = now_ms();
  while (!evals_.empty() && now_ms() - t0 < budget_ms) {
    EvalJob& job = evals_.front();
    const int chunk = evaluation_chunk(job.net.sizes);
    const Dataset* sets[3] = {&test_, &validation_, &training_};
    if (job.part == 3) {
      // The speed of learning of each hidden layer, for the curves of epochs (not for a loaded model).
      if (!job.speed) {
        if (job.epoch < 0 || job.net.sizes.size() < 3 || training_.size() == 0) {
          ++job.part;
          continue;
        }
        // The job's net is not needed after part 2: it becomes the speed's double copy, a layer
        // a chunk (the largest net's copy alone would take a frame).
        job.speed = std::make_unique<SpeedOfLearning>(std::move(job.net), view(training_), kSpeedExamples);
      }
      if (job.speed->add(speed_chunk(job.speed->sizes()))) {
        evaluated_.push_back({job.epoch, 3, 0, job.speed->speeds()});
        ++job.part;
      }
      continue;
    }
    if (job.part >= 4) {
      evals_.erase(evals_.begin());
      continue;
    }
    const Dataset& d = *sets[job.part];
    const int total = job.part == 2 ? std::min(d.size(), 5000) : d.size();
    if (job.position < total) {
      const DataView v = view(d).part(job.position, std::min(chunk, total - job.position));
      const Evaluation e = evaluate(job.net, v, job.part == 0 ? &job.answers : nullptr);
      job.sum.correct += e.correct;
      job.sum.total += e.total;
      job.position += v.count;
      continue;
    }
    if (job.part == 0 && total > 0 && job.answers.size() == size_t(total)) {
      answers_ = std::make_unique<TestAnswers>(make_test_answers(std::move(job.answers), d.labels, job.epoch));
      answers_stamp_ = job.stamp;
    }
    if (total > 0 && !job.answers_only) evaluated_.push_back({job.epoch, job.part, job.sum.accuracy(), {}});
    job.part = job.answers_only ? 4 : job.part + 1;  // answers only: done
    job.position = 0;
    job.sum = Evaluation{};
  }
}

void Lab::show_evaluations() {
  for (const Evaluated& e : evaluated_) {
    double* latest[3] = {&accuracy_test, &accuracy_validation, &accuracy_train};
    if (e.part < 3) *latest[e.part] = e.accuracy;
    auto set = [&](EpochRecord& r) {
      if (e.part == 3) r.speed = e.speed;
      else (e.part == 0 ? r.test : e.part == 1 ? r.validation : r.train) = e.accuracy;
    };
    for (EpochRecord& r : curves_)
      if (r.epoch == e.epoch) set(r);
    if (e.epoch == 0 && (curves_.empty() || curves_.front().epoch != 0)) {
      EpochRecord r;
      r.epoch = 0;
      set(r);
      curves_.insert(curves_.begin(), r);
    }
  }
  evaluated_.clear();
}

// [SECTION] The page's API

namespace {

using reply::fail;
using reply::maybe;
using reply::ok;

// [{"epoch": 0, "speed": [s_2, …, s_{L−1}]}, …]: the speed of learning of each epoch measured.
json::Value speed_json(const std::vector<EpochRecord>& curves) {
  json::Array list;
  for (const EpochRecord& r : curves) {
    if (r.speed.empty()) continue;
    json::Array s;
    for (double v : r.speed) s.push_back(maybe(v));
    list.push_back(json::Object{{"epoch", r.epoch}, {"speed", std::move(s)}});
  }
  return list;
}

}  // namespace

json::Value Lab::state_json() const {
  json::Array sizes, prediction, input;
  for (int n : model().sizes) sizes.push_back(n);
  for (Eigen::Index i = 0; i < prediction_.size(); ++i) prediction.push_back(prediction_(i));
  for (float p : input_) input.push_back(p);
  json::Value rect;
  if (draw_rect_visible)
    rect = json::Object{{"x", double(draw_rect.x)}, {"y", double(draw_rect.y)}, {"width", double(draw_rect.w)},
                        {"height", double(draw_rect.h)}};
  json::Object settings_json;
  for (const Param& p : params()) settings_json.push_back({p.name, p.write(settings)});
  return json::Object{
      {"panel", to_string(settings.panel)},
      {"sizes", sizes},
      {"settings", settings_json},
      {"model", model_name_},
      {"training",
       json::Object{{"running", running_},
                    {"finished", finished_},
                    {"epoch", epoch()},
                    {"epochs", settings.epochs},
                    {"epochProgress", epoch_progress()},
                    {"examplesSeen", double(examples_seen())},
                    {"examplesPerSecond", examples_per_second_},
                    {"inWorker", in_worker_},
                    {"stateIntervalMs", state_interval_ms_},
                    {"diverged", divergence_.empty() ? json::Value() : json::Value(divergence_)},
                    {"data", to_string(mix_.data)},
                    {"teach", teach_json()},
                    {"speed", speed_json(curves_)}}},
      {"examples", examples_json()},
      {"files", files_json()},
      {"accuracy", json::Object{{"train", maybe(accuracy_train)},
                                {"validation", maybe(accuracy_validation)},
                                {"test", maybe(accuracy_test)}}},
      {"prediction", prediction},
      {"predicted", predicted_},
      {"input", input},
      {"testDigit", showing_test_digit() ? json::Value(json::Object{{"index", test_index_}, {"label", test_label_}})
                                         : json::Value()},
      {"drawRect", rect},
      {"data", json::Object{{"training", training_.size()},
                            {"validation", validation_.size()},
                            {"test", test_.size()},
                            {"full", full_data_},
                            {"requestFull", full_data_requested},
                            {"progress", maybe(data_progress)},
                            {"error", data_error.empty() ? json::Value() : json::Value(data_error)}}},
      {"message", messages.empty() ? json::Value() : json::Value(messages.back())},
      {"undo", undo_.empty() ? json::Value() : json::Value(undo_.back().what)},
      {"derivation", derivation_state_},
      {"confusion", test_answers() ? to_json(test_answers()->counts) : json::Value()},
      // The engine's limit, for the page's early checks (embed.js, loadModel): one number, one place.
      {"limits", json::Object{{"modelTextBytes", double(kMaxModelTextBytes)}, {"examples", kMaxExamples}}},
  };
}

// [SECTION] The commands

const std::vector<Lab::Command>& Lab::commands() {
  // One row a command; the web build reads each row's first line (its name, access and
  // arguments) between the marker lines, so those three stay on it.
  static const std::vector<Command> table = {
  // commands begin
  {"state", Access::Embed, "", app_state},
  {"setPanel", Access::Embed, "panel: string", [](Lab& lab, const json::Value& p) -> json::Value {
    Panel panel;
    if (!p.is_string() || !parse(p.as_string(), panel)) return fail("setPanel wants one of " + screen_names());
    lab.settings.panel = panel;
    return ok();
  }},
  {"clearDrawing", Access::Embed, "", [](Lab& lab, const json::Value&) -> json::Value { lab.clear_drawing(); return ok(); }},
  {"pause", Access::Embed, "", [](Lab& lab, const json::Value&) -> json::Value { lab.pause(); return ok(); }},
  {"step", Access::Api, "", [](Lab& lab, const json::Value&) -> json::Value { std::string e = lab.step(); return e.empty() ? ok() : fail(e); }},
  {"reset", Access::Api, "", [](Lab& lab, const json::Value&) -> json::Value { lab.reset(); return ok(); }},
  // Undoes the latest change to the model (state().undo names it): what it undid, or null when
  // there was nothing to undo.
  {"undo", Access::Embed, "", [](Lab& lab, const json::Value&) -> json::Value {
    std::string what = lab.undo();
    return what.empty() ? ok() : ok(what);
  }},
  {"exportModel", Access::Api, "", [](Lab& lab, const json::Value&) -> json::Value {
    std::string text = lab.export_model();
    return text.empty() ? fail("the model cannot be written (NaN?)") : ok(text);
  }},
  {"loadModel", Access::Embed, "json: text", [](Lab& lab, const json::Value& t) -> json::Value {
    if (!t.is_string()) return fail("loadModel wants the model's JSON text");
    std::string e = lab.load_model(t.as_string());
    if (e.empty()) lab.model_name_ = "loaded";
    else lab.note(e);
    return e.empty() ? ok() : fail(e);
  }},
  {"showTestDigit", Access::Api, "index: integer", [](Lab& lab, const json::Value& i) -> json::Value {
    if (!i.is_number()) return fail("showTestDigit wants an image index");
    std::string e = lab.show_test_digit(int(std::clamp(i.as_number(), -1.0, 1e9)));
    return e.empty() ? ok() : fail(e);
  }},
  // The engine's benchmark run (engine/benchmark.hpp, as bplab bench and tests/wasm time it) over
  // the training set (its first 50,000 images once the full set is loaded), nothing else
  // running: the call blocks the page. One epoch unless told.
  {"benchmark", Access::Api, "epochs: number", [](Lab& lab, const json::Value& e) -> json::Value {
    BenchmarkRun run;
    run.epochs = e.is_number() ? int(std::clamp(e.as_number(), 1.0, 5.0)) : 1;
    if (std::string missing = lab.data_missing(false); !missing.empty()) return fail(missing);
    const BenchmarkResult r = benchmark(run, lab.view(lab.training_), now_ms);
    json::Array seconds;
    for (double s : r.seconds_per_epoch) seconds.push_back(s);
    const Evaluation test = evaluate(r.network, lab.view(lab.test_));
    return ok(json::Object{{"examples", r.examples}, {"secondsPerEpoch", seconds},
                           {"testAccuracy", lab.test_.size() ? json::Value(test.accuracy()) : json::Value()}});
  }},
  // The current model's test digits of a confusion matrix's cell, or its mistakes, most
  // confident first (confusion.hpp).
  {"mistakes", Access::Embed, "{label: integer|null, predicted: integer|null, limit: integer|null}", [](Lab& lab, const json::Value& args) -> json::Value {
    MistakeQuery query;
    if (std::string e = read_mistake_query(args, &query); !e.empty()) return fail(e);
    const TestAnswers* answers = lab.test_answers();
    if (!answers) return fail("mistakes: " + lab.test_answers_missing());
    return ok(to_json(find_mistakes(*answers, query)));
  }},
  {"loadFullData", Access::Api, "", [](Lab& lab, const json::Value&) -> json::Value {
    if (!lab.full_data_) lab.full_data_requested = true;
    return ok();
  }},
  {"dataProgress", Access::Page, "{fraction: number}", [](Lab& lab, const json::Value& args) -> json::Value {
    const json::Value* f = args.find("fraction");
    if (!f) return fail("dataProgress wants {fraction}");
    lab.data_progress = std::clamp(f->as_number(), 0.0, 1.0);
    return ok();
  }},
  {"dataError", Access::Page, "{message: text}", [](Lab& lab, const json::Value& args) -> json::Value {
    const json::Value* m = args.find("message");
    if (!m) return fail("dataError wants {message}");
    lab.data_error = clip_utf8(m->as_string(), 300);
    lab.data_progress = -1;
    lab.full_data_requested = false;
    lab.note(lab.data_error);
    return ok();
  }},
  // My digits and teaching (lab_examples.cpp). A kept digit's pixels: 784 numbers in [0, 1].
  {"addExample", Access::Api, "{label: integer, pixels: number[]|null}", commands::add_example},
  {"removeExample", Access::Api, "index: integer", commands::remove_example},
  {"clearExamples", Access::Api, "", commands::clear_examples},
  {"examples", Access::Api, "", commands::examples},
  {"exportExamples", Access::Api, "", commands::export_examples},
  {"importExamples", Access::Api, "text: text", commands::import_examples},
  {"showExample", Access::Api, "index: integer", commands::show_example},
  {"setLabel", Access::Api, "label: integer|null", commands::label},
  {"predict", Access::Embed, "pixels: number[]", commands::predict},
  {"teach", Access::Embed, "{eta: number, epochs: integer, mnist: integer, repeats: integer}", commands::teach},
  {"note", Access::Page, "{message: text}", commands::note},
  // The settings of the Train screen (settings.cpp's parameters of these names); a new net if
  // any is given. data: what it trains on ('mnist', 'mine', 'both'); from: 'fresh' (a new net)
  // or 'current' (goes on training the model, refusing sizes that contradict it).
  {"train", Access::Embed, "{sizes: integer[]|string, eta: number, batch: number, epochs: number, cost: string, activation: string, lambda: number, init: string, seed: number, data: string, from: string}", [](Lab& lab, const json::Value& args) -> json::Value {
    Settings s = lab.settings;
    TrainData data = lab.train_data;
    bool from_current = false;
    for (const json::Member& member : args.as_object()) {
      const std::string& key = member.first;
      const json::Value& value = member.second;
      if (key == "data") {
        if (!parse(value.as_string(), data)) return fail("train: data must be 'mnist', 'mine' or 'both'");
        continue;
      }
      if (key == "from") {
        if (value.as_string() != "fresh" && value.as_string() != "current") return fail("train: from must be 'fresh' or 'current'");
        from_current = value.as_string() == "current";
        continue;
      }
      const Param* param = nullptr;
      for (const Param& p : params())
        if (key == p.name) param = &p;
      if (!param) return fail("train: \"" + key + "\" is not a setting");  // a row naming no parameter
      std::string text;
      if (value.is_number()) text = json::format_number(value.as_number(), value.number_format());
      else if (value.is_string()) text = value.as_string();
      else
        for (const json::Value& v : value.as_array())
          text += (text.empty() ? "" : ",") + json::format_number(v.as_number(), v.number_format());
      if (std::string e = param->read(s, text); !e.empty()) return fail("train: " + e);
      if (key == "cost" && !s.derivation_cost.empty())
        return fail("train: the app trains sigmoid outputs with the quadratic or cross-entropy cost (" + s.derivation_cost +
                    " is for the derivation screen's softmax output)");
    }
    if (std::string e = lab.data_missing(false); !e.empty()) return fail(e);  // before reset() drops the model
    if (data != TrainData::Mnist && lab.examples().empty())
      return fail("train: My digits is empty (keep some digits on the Draw screen, or train on 'mnist')");
    if (from_current) {
      const Settings before = lab.settings;
      const TrainData data_before = lab.train_data;
      lab.settings = s;
      lab.train_data = data;
      if (std::string e = lab.start_from_current(); !e.empty()) {
        lab.settings = before;  // refused: nothing changes
        lab.train_data = data_before;
        return fail("train: " + e);
      }
      return ok();
    }
    lab.settings = s;
    const bool new_data = data != lab.train_data;
    lab.train_data = data;
    if (!args.as_object().empty() || new_data) {
      lab.push_undo("train() with new settings (a new net)");
      lab.reset_net();
    }
    std::string e = lab.start();
    return e.empty() ? ok() : fail(e);
  }},
  // The derivation screen (derivation.hpp's set_derivation): the URL's step, neuron, cost and
  // output settings are applied through it too.
  {"setDerivation", Access::Embed, "{step: integer, neuron: integer, cost: string, output: string, hidden: integer, bug: string, one_neuron: boolean, eta: number, label: integer|null, quiz: boolean}", app_set_derivation},
  // The derivation's "Predict first" question, answered with choice i (0, 1, …) as Check does.
  {"answerQuiz", Access::Embed, "choice: integer", app_answer_quiz},
  {"derivationTranscript", Access::Page, "", app_derivation_transcript},
  // The accessibility mirror (web/mirror.js): the frame's controls and words, or null when
  // nothing changed since version `since`; and what the page's controls did.
  {"mirror", Access::Page, "{since: number}", app_mirror},
  {"mirrorAct", Access::Page, "{id: string, action: string, value: string|number|boolean}", app_mirror_act},
  {"copyLink", Access::Api, "", app_copy_link},
  // This table as the C++ reads it, for the tests of the page's copy (web/backprop-lab-api.js).
  {"commands", Access::Page, "", [](Lab&, const json::Value&) -> json::Value {
    json::Array rows;
    for (const Command& c : commands()) {
      json::Array fields;
      for (const auto& [name, type] : c.fields()) fields.push_back(json::Array{name, type});
      const char* kinds[] = {"none", "value", "object"};
      rows.push_back(json::Object{{"name", c.name}, {"access", access_name(c.access)}, {"args", c.args},
                                  {"kind", kinds[int(c.kind())]}, {"fields", std::move(fields)}});
    }
    return ok(std::move(rows));
  }},
  // commands end
  };
  return table;
}

const Lab::Command* Lab::find_command(const std::string& name) {
  for (const Command& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

const char* Lab::access_name(Access a) { return a == Access::Embed ? "embed" : a == Access::Api ? "api" : "page"; }

Lab::Command::Kind Lab::Command::kind() const {
  const std::string_view s(args);
  return s.empty() ? Kind::None : s.front() == '{' ? Kind::Object : Kind::Value;
}

std::vector<std::pair<std::string, std::string>> Lab::Command::fields() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view s(args);
  if (kind() == Kind::Object) s = s.substr(1, s.size() - 2);
  auto trim = [](std::string_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return std::string(t);
  };
  while (!s.empty()) {
    const size_t comma = std::min(s.find(','), s.size()), colon = s.find(':');
    if (colon < comma) out.emplace_back(trim(s.substr(0, colon)), trim(s.substr(colon + 1, comma - colon - 1)));
    s.remove_prefix(std::min(comma + 1, s.size()));
  }
  return out;
}

namespace {

// Whether x is of TYPE (one of a row's types, joined by |), and the type in words.
bool of_type(const json::Value& x, std::string_view types) {
  while (!types.empty()) {
    const size_t bar = std::min(types.find('|'), types.size());
    const std::string_view t = types.substr(0, bar);
    const bool integer = x.is_number() && x.as_number() == std::floor(x.as_number());
    if ((t == "number" && x.is_number()) || (t == "integer" && integer) || ((t == "string" || t == "text") && x.is_string()) ||
        (t == "boolean" && x.is_bool()) || (t == "null" && x.is_null()))
      return true;
    if (t == "number[]" && x.is_array() &&
        std::all_of(x.as_array().begin(), x.as_array().end(), [](const json::Value& v) { return v.is_number(); }))
      return true;
    if (t == "integer[]" && x.is_array() &&
        std::all_of(x.as_array().begin(), x.as_array().end(),
                    [](const json::Value& v) { return v.is_number() && v.as_number() == std::floor(v.as_number()); }))
      return true;
    types.remove_prefix(std::min(bar + 1, types.size()));
  }
  return false;
}

std::string type_words(const std::string& types) {
  std::string out;
  for (size_t at = 0; at <= types.size();) {
    const size_t bar = std::min(types.find('|', at), types.size());
    const std::string t = types.substr(at, bar - at);
    const std::string w = t == "integer" ? "an integer" : t == "number" ? "a number" : t == "boolean" ? "true or false"
                        : t == "integer[]" ? "a list of integers" : t == "number[]" ? "a list of numbers" : t == "null" ? "null" : "a string";
    out += (out.empty() ? "" : " or ") + w;
    at = bar + 1;
  }
  return out;
}

}  // namespace

std::string Lab::Command::check(json::Value& a) const {
  const std::string what = name;
  const auto f = fields();
  auto names = [&] {
    std::string n;
    for (const auto& field : f) n += (n.empty() ? "" : ", ") + field.first;
    return n;
  };
  const bool empty = a.is_null() || (a.is_object() && a.as_object().empty());
  switch (kind()) {
    case Kind::None:
      return empty ? "" : what + " takes no arguments";
    case Kind::Value: {
      if (a.is_object() && a.as_object().size() == 1 && a.as_object().front().first == f[0].first) {
        json::Value inner = a.as_object().front().second;
        a = std::move(inner);
      }
      if (a.is_null() || of_type(a, f[0].second)) return "";
      return what + " wants " + f[0].first + ", " + type_words(f[0].second);
    }
    case Kind::Object:
      if (a.is_null()) a = json::Object{};
      if (!a.is_object()) return what + " wants an object of " + names();
      for (const json::Member& m : a.as_object()) {
        auto field = std::find_if(f.begin(), f.end(), [&](const auto& x) { return x.first == m.first; });
        if (field == f.end()) return what + ": unknown field \"" + clip_utf8(m.first, 40) + "\" (" + names() + ")";
        if (!of_type(m.second, field->second)) return what + ": " + m.first + " must be " + type_words(field->second);
      }
      return "";
  }
  return "";
}

json::Value Lab::command(const std::string& name, const json::Value& args) {
  const Command* c = find_command(name);
  if (!c) return fail("unknown command \"" + clip_utf8(name, 40) + "\"");
  json::Value a = args;
  if (std::string e = c->check(a); !e.empty()) return fail(e);
  if (!c->run) return fail(name + " needs the whole app (app_command)");
  return c->run(*this, a);
}

}  // namespace bplab::app

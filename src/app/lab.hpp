// The app's logic without its windows: the model, the data, the drawing and its preprocessing,
// training in slices, evaluation, and the page's API (state() and commands as JSON). The panels
// (panel_*.cpp) draw it with ImGui; tests drive it directly.
//
// Index
// [SECTION] Records
// [SECTION] Lab
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/examples.hpp"
#include "app/confusion.hpp"
#include "app/preprocess.hpp"
#include "app/settings.hpp"
#include "app/training_worker.hpp"
#include "engine/json.hpp"
#include "engine/mnist.hpp"
#include "engine/network.hpp"
#include "engine/speed.hpp"
#include "engine/trainer.hpp"

namespace bplab::app {

struct App;  // app_internal.hpp: the whole app, for the commands that need it

// [SECTION] Records

// One point of the curves: the mean training cost of an epoch and the accuracies measured after
// it (negative: not measured). Epoch 0 is the net before training.
struct EpochRecord {
  int epoch = 0;
  double cost = -1;
  double train = -1, validation = -1, test = -1;
  // The speed of learning of each hidden layer, l = 2..L−1 (chapter 5, engine/speed.hpp), on the
  // first 1000 training images after the epoch; empty: not measured.
  std::vector<double> speed;
};

// A rectangle in ImGui coordinates (CSS pixels on the web).
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool contains(float px, float py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

// [SECTION] Lab
class Lab {
 public:
  Lab();

  Settings settings;          // what the Train screen edits; the net is made from it on Start/Reset
  std::vector<std::string> messages;  // for the status line: the latest last

  // ---- The model
  const Network<float>& model() const { return trainer_ ? trainer_->network() : net_; }
  // Loads a network2-format model; "" or why it was refused (the current model is kept then).
  // `undo`: what the change is called by Undo (empty: not undoable, as the model at start).
  std::string load_model(std::string_view json_text, const std::string& undo = "Load a model");
  std::string load_model_file(const std::string& path);
  std::string export_model() const;
  const std::string& model_name() const { return model_name_; }
  void rename_model(std::string name) { model_name_ = std::move(name); }

  // ---- Data
  // Takes IDX bytes for one part; "" or what is wrong (the current data is kept then).
  std::string load_data(DataPart part, const uint8_t* images, size_t images_size, const uint8_t* labels,
                        size_t labels_size);
  // Loads the three sets from a folder (native); "" or what is wrong.
  std::string load_data_dir(const std::string& dir, int max_training = 50000);
  const Dataset& training() const { return training_; }
  const Dataset& validation() const { return validation_; }
  const Dataset& test() const { return test_; }
  bool full_data() const { return full_data_; }
  bool full_data_requested = false;  // the learner asked for the full 60,000 (the page polls it)
  double data_progress = -1;         // 0..1 while the page downloads the full set, else -1
  std::string data_error;
  // "" if the training (or test) examples are in, else why not (loading, or the download failed).
  std::string data_missing(bool test) const;

  // ---- Drawing and prediction
  Canvas canvas;
  std::vector<std::vector<std::array<float, 2>>> strokes;  // in canvas pixels, to draw them smoothly
  void clear_drawing();
  void begin_stroke(float x, float y);           // canvas pixels
  void continue_stroke(float x, float y);
  // Shows test image `index` instead of a drawing; "" or why not.
  std::string show_test_digit(int index);
  bool showing_test_digit() const { return test_index_ >= 0; }
  int test_index() const { return test_index_; }
  int test_label() const { return test_label_; }
  const std::array<float, kSide * kSide>& input() const { return input_; }
  const PreprocessInfo& preprocess_info() const { return info_; }
  const Vector<float>& prediction() const { return prediction_; }
  int predicted() const { return predicted_; }
  bool has_input() const { return showing_test_digit() || showing_example() || !info_.empty; }
  // The label to use for a backward pass: the test label, else the learner's, else the predicted digit.
  int target_label() const {
    return showing_test_digit() ? test_label_ : drawing_label >= 0 ? drawing_label : predicted_;
  }
  bool showing_example() const { return example_shown_ >= 0; }

  // ---- Training
  // Starts (or resumes) training with `settings`; a new net if the settings of the net changed
  // or the last run finished. "" or why not.
  std::string start();
  void pause();
  std::string step();   // one mini-batch
  void reset();         // a new untrained net from the settings, curves cleared (undoable)
  std::string restore_pretrained(bool undoable = true);
  std::string pretrained_json;  // the shipped model's text, for restore_pretrained()
  // Applies η, m, λ while training; "" or why they were refused.
  std::string apply_hyperparameters();
  // Work for one frame: trains for at most `budget_ms` while running, then evaluates a chunk.
  void tick(double budget_ms);
  bool running() const { return running_; }
  // The last run trained all its epochs (the next Start makes a new net).
  bool finished() const { return finished_; }
  bool evaluating() const { return !evals_.empty() || !evaluated_.empty(); }
  bool has_trainer() const { return bool(trainer_); }
  int epoch() const;                 // completed epochs of the current run
  double epoch_progress() const;     // 0..1 through the current epoch
  int64_t examples_seen() const;
  double examples_per_second() const { return examples_per_second_; }
  const std::vector<EpochRecord>& curves() const { return curves_; }
  const std::string& divergence() const { return divergence_; }
  double train_budget_ms = 8;        // adapted to the frame rate by the app (8..14 ms)
  // Where training runs: in tick()'s slices, or in `worker` when there is one (the web page's
  // Web Worker; training_worker.hpp). If the worker fails, training goes on in the slices.
  std::shared_ptr<TrainingWorker> worker;
  bool training_in_worker() const { return in_worker_; }
  // Whether this frame may show new numbers. While the worker trains, the numbers the screen
  // shows change together when one of its states arrives (up to five times a second), not each on its
  // own clock: every frame that changes is drawn, and drawing takes the CPU training needs.
  bool numbers_may_change() const { return numbers_may_change_; }
  // How often the worker was last asked to send its state (ms; 0 before the first run): 200,
  // or longer where drawing a changed frame is slow (pace_worker).
  double state_interval_ms() const { return state_interval_ms_; }

  // The latest measured accuracies (negative: not measured).
  double accuracy_train = -1, accuracy_validation = -1, accuracy_test = -1;

  // ---- My digits (examples.hpp; lab_examples.cpp)
  // "This is a ...": the learner's label for the drawing (-1: none chosen). The derivation takes
  // it as y (labelSource 'learner'); a new drawing clears it.
  int drawing_label = -1;
  const std::vector<Example>& examples() const { return examples_; }
  // Adds a digit: "" or why not (the set unchanged).
  std::string add_example(int label, const std::array<float, kSide * kSide>& pixels);
  std::string remove_example(int index);
  void clear_examples();
  // Adds a digits file's digits: "" (and *added) or why the file was refused (the set unchanged).
  std::string import_examples(std::string_view text, int* added = nullptr);
  std::string export_examples() const { return write_digits(examples_); }
  // Counts changes of the set (persistence: the page saves it when this moves).
  int examples_serial() const { return examples_serial_; }
  // The current model's answer for each kept digit. While training runs they are refreshed at
  // most once a second (`fresh`: now, whatever it costs).
  struct ExampleAnswer {
    int predicted = 0;
    float confidence = 0;  // the predicted output's activation
  };
  const std::vector<ExampleAnswer>& answers(bool fresh = true) const;
  int examples_correct(bool fresh = true) const;
  // A digit shown on the Draw screen (its input, its label as the learner's choice).
  std::string show_example(int index);
  // A hash of the current model's numbers (the page saves the model when it changes).
  uint64_t model_key() const;
  // Files the page is asked to handle (state().fileRequest): "digits" or "model" to download,
  // "open" to let the learner choose a file; `file_requests` counts the asks.
  int file_requests = 0;
  std::string file_request;
  void request_file(std::string kind) {
    file_request = std::move(kind);
    ++file_requests;
  }

  // ---- Teaching: fine-tuning the current model on My digits mixed with MNIST
  // The defaults were chosen by measurement (docs/performance.md, tests/app/test_teach.cpp).
  struct TeachOptions {
    double eta = 0.1;
    int epochs = 3;
    int mnist = 10000;   // MNIST training images mixed in (the first ones)
    int repeats = 20;    // times each kept digit is shown an epoch
  };
  // Before and after, on My digits and on (the first images of) the MNIST test set.
  struct TeachRecord {
    bool active = false, done = false;
    int test_images = 0;
    double mine_before = -1, mine_after = -1, test_before = -1, test_after = -1;
    double started_ms = 0, seconds = 0;
  };
  std::string teach(const TeachOptions& options);
  const TeachRecord& teaching() const { return teach_; }
  // What the Train screen trains on (train({data})) and whether Start goes on from the current
  // net (train({from: 'current'})).
  TrainData train_data = TrainData::Mnist;
  bool from_current = false;
  // Starts a run from the current net with `settings` over `train_data`; "" or why not (sizes
  // or activation that contradict the model).
  std::string start_from_current();
  // ---- What the net gets wrong (confusion.hpp): its answer for every test digit, made in the
  // same chunks as the test accuracy, after each epoch and whenever the model changes otherwise
  // (a load, a reset, a step, a pause in mid-epoch). Null until the test set is in and read by
  // the current model; while training runs, the latest epoch's.
  const TestAnswers* test_answers() const;
  // How far the current model's answers are (0..1), or -1 when none are being made.
  double test_answers_progress() const;
  // Why test_answers() is null ("" when it is not).
  std::string test_answers_missing() const;

  // ---- The page's API
  Rect draw_rect;             // where the Draw screen's canvas is, when it is shown
  bool draw_rect_visible = false;
  json::Value state_json() const;
  json::Value examples_json() const;  // state().examples
  json::Value teach_json() const;     // state().training.teach
  json::Value files_json() const;     // state().files: what the page saves, and files asked for
  void set_derivation_state(json::Value v) { derivation_state_ = std::move(v); }
  // Runs one command of the table below; returns {"ok": true, "value": ...} or
  // {"ok": false, "error": "..."}. The rows that need the whole app (run_app) are answered by
  // app_command (app_internal.hpp), which runs every row.
  json::Value command(const std::string& name, const json::Value& args);

  // The page's commands: ONE table, one row a command (as settings.cpp's parameters and
  // screens.cpp's screens). A row is its name (what the page calls), who may call it, its
  // arguments and what it does; the web build writes backprop-lab-api.js's methods and
  // embed.js's postMessage allow-list from the rows (cmake/commands_js.cmake), so a new command
  // is one row, whose first line holds its name, access and arguments.
  enum class Access {
    Embed,  // a method of window.backpropLab, and a message an embedding page may post
    Api,    // a method of window.backpropLab
    Page,   // the page's own scripts only (backpropLab._call)
  };
  struct Command {
    const char* name;
    Access access;
    // Its arguments: "" none; "NAME: TYPE" one value (also taken as {NAME: value}); or
    // "{NAME: TYPE, ...}" an object whose fields are each optional. TYPE is number, integer,
    // string, text (a string of any length: postMessage allows 64 characters of a string),
    // boolean or integer[], or several joined by | (integer|null). Checked before `run`.
    const char* args;
    json::Value (*run)(Lab& lab, const json::Value& args) = nullptr;
    json::Value (*run_app)(App& app, const json::Value& args) = nullptr;  // needs the app

    Command(const char* n, Access a, const char* spec, json::Value (*r)(Lab&, const json::Value&))
        : name(n), access(a), args(spec), run(r) {}
    Command(const char* n, Access a, const char* spec, json::Value (*r)(App&, const json::Value&))
        : name(n), access(a), args(spec), run_app(r) {}
    // `args` read: kind and the fields' names and types, in order.
    enum class Kind { None, Value, Object };
    Kind kind() const;
    std::vector<std::pair<std::string, std::string>> fields() const;
    // "" if `args` fits the row (null and {} count as none; a value is also taken as
    // {NAME: value}, which is then unwrapped), else what is wrong.
    std::string check(json::Value& args) const;
  };
  static const std::vector<Command>& commands();
  static const Command* find_command(const std::string& name);
  static const char* access_name(Access a);

  void note(std::string message);

  // ---- Undo: every change to the model from a screen (Apply a step, Teach, Load, Reset,
  // Pretrained, a new net) first pushes the model as it was, with the change's name. undo()
  // pauses training and restores the model exactly (weights bit for bit), its name, its
  // settings, curves and accuracies; it says what it undid, or "" when there is nothing.
  void push_undo(std::string what);
  std::string undo();
  // What undo() would undo ("" when nothing): state().undo.
  std::string undo_what() const { return undo_.empty() ? std::string() : undo_.back().what; }
  void forget_undo() { undo_.clear(); }

 private:
  DataView training_view() const;  // what the current run trains on (mix_)
  std::string set_mix(const TrainMix& mix);
  int run_epochs() const;          // the epoch count at which the current run ends
  void finish_teaching();
  void clear_run();   // a new run's bookkeeping: no curves, evaluations, divergence or epochs yet
  void run_now();     // starts the trainer: in the worker if there is one, else in tick()'s slices
  double test_accuracy_now(int images) const;
  void update_prediction();
  void update_input_from_canvas();
  std::string make_trainer(bool new_net);
  void after_slice(const SliceResult& r);
  void launch_worker();
  void stop_worker();
  bool adopt_worker_states(double budget_ms);  // whether one was adopted
  void pace_worker(double now_ms);
  void queue_evaluation(int epoch);
  void follow_model();      // queues the current model's answers on the test set if missing
  void evaluate_chunk(double budget_ms);
  void show_evaluations();  // puts the finished evaluations on the curves
  DataView view(const Dataset& d) const;

  void reset_net();

  Network<float> net_;
  std::string model_name_;
  // The models before each undoable change, the latest last (at most kUndoBytes of weights:
  // the largest net's 30 MB fits twice).
  struct Snapshot {
    std::string what;
    Network<float> net;
    std::string model_name;
    Settings trained_settings;
    std::vector<EpochRecord> curves;
    double train = -1, validation = -1, test = -1;
  };
  std::vector<Snapshot> undo_;
  static constexpr size_t kUndoDepth = 20;
  static constexpr size_t kUndoBytes = size_t(64) << 20;
  std::unique_ptr<Trainer> trainer_;
  Settings trained_settings_;  // the settings the current run's net was made from
  bool running_ = false;
  bool finished_ = false;
  bool in_worker_ = false;  // the current run trains in `worker`
  FrameCostMeter frame_cost_;  // what drawing a changed frame costs (pacing the worker)
  double state_interval_ms_ = 0;  // what the worker was last told (set_send_interval)
  int run_id_ = 0;          // the worker's run whose states are adopted (older ones are dropped)
  int epoch_offset_ = 0;  // epochs done before the trainer was rebuilt (new data)
  std::string divergence_;
  std::vector<EpochRecord> curves_;
  double examples_per_second_ = 0;
  double rate_time_ms_ = -1;
  int64_t rate_examples_ = 0;
  bool numbers_may_change_ = true;

  // Which model a result is of: the net made, loaded or replaced `version`-th, trained on
  // `examples` examples since.
  struct ModelStamp {
    int64_t version = -1, examples = -1;
    bool operator==(const ModelStamp& o) const { return version == o.version && examples == o.examples; }
  };
  ModelStamp model_stamp() const { return {model_version_, examples_seen()}; }
  int64_t model_version_ = 0;  // one more each time the model is replaced other than by training

  // Evaluation in chunks, on a copy of the net at the end of an epoch.
  struct EvalJob {
    int epoch = 0;
    Network<float> net;
    int part = 0;  // 0: test, 1: validation, 2: training (first 5,000), 3: speed of learning, 4: done
    int position = 0;
    Evaluation sum;
    std::unique_ptr<SpeedOfLearning> speed;  // part 3's, made when it begins
    ModelStamp stamp;                // of `net`
    bool answers_only = false;       // only the test set's answers (no accuracy for the curves)
    std::vector<Answer> answers;     // on the test set, so far
  };
  std::vector<EvalJob> evals_;
  struct Evaluated {
    int epoch, part;
    double accuracy;
    std::vector<double> speed;  // part 3
  };
  std::vector<Evaluated> evaluated_;  // finished, not yet on the curves (show_evaluations)
  std::unique_ptr<TestAnswers> answers_;  // the latest answers on the test set, of answers_stamp_
  ModelStamp answers_stamp_;

  Dataset training_, validation_, test_;
  bool full_data_ = false;

  std::vector<Example> examples_;
  int examples_serial_ = 0;
  TrainMix mix_;       // what the current run trains on
  Dataset mixed_;      // ... when it is not MNIST alone (training_mix)
  TeachRecord teach_;
  int teach_epochs_ = 0;
  mutable struct {
    uint64_t model_key = 0;
    int serial = -1;
    double made_ms = -1e9;
    std::vector<ExampleAnswer> answers;
  } example_answers_;

  std::array<float, kSide * kSide> input_{};
  PreprocessInfo info_;
  int test_index_ = -1, test_label_ = -1;
  int example_shown_ = -1;  // show_example's index while its input is shown
  Vector<float> prediction_;
  int predicted_ = 0;
  json::Value derivation_state_;
};

double now_ms();

// How many images the page evaluates between two looks at the clock: about kEvaluationWork
// multiply-adds (a few ms in WebAssembly), so a frame overruns its budget by that much at most,
// whatever the net (250 images for [784,30,10], 1 for the largest net: 250 of those took ~1 s).
constexpr int64_t kEvaluationWork = 6'000'000;
int evaluation_chunk(const std::vector<int>& sizes);
// How many images a chunk of the speed of learning takes: a quarter of kEvaluationWork, since it
// runs in double with Eigen (scalar in WebAssembly): 50 for [784,30,30,30,30,10], 1 for the largest net.
int speed_chunk(const std::vector<int>& sizes);

}  // namespace bplab::app

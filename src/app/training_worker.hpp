// Training outside the frame loop. On the web, the page trains in a Web Worker that runs its own
// copy of the engine (src/platform/train_worker.cpp): the Lab hands it the trainer's whole state
// (Trainer::save_state), the worker trains and sends states back — at every epoch's end and
// about five times a second — and the Lab adopts them. Nothing is shared, so no
// SharedArrayBuffer and no COOP/COEP headers are needed; the main thread draws and measures
// the accuracies for the curves.
//
// Index
// [SECTION] TrainingWorker: the Lab's side
// [SECTION] WorkerLoop: the worker's side
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/examples.hpp"
#include "engine/mnist.hpp"
#include "engine/trainer.hpp"

namespace bplab::app {

// Which data set a page hands over (bplab_load_data, and the worker's "data" message).
enum class DataPart { Test = 0, SmallTraining = 1, FullTraining = 2 };

// Reads one part's IDX bytes: the full training file gives its first 50,000 images as
// `training` and the rest as `validation`. "" or what is wrong.
std::string read_data_part(DataPart part, const uint8_t* images, size_t images_size, const uint8_t* labels,
                           size_t labels_size, Dataset* training, Dataset* validation);

// "" if images of `bytes` bytes can be held now, else why not ("not enough memory for ...").
// read_data_part asks first, so that running out of memory (a phone, a 32-bit browser) is a
// message and the data loaded before is kept, not the page stopping.
std::string room_for_images(size_t bytes);

// [SECTION] TrainingWorker: the Lab's side
class TrainingWorker {
 public:
  struct Message {
    int id = 0;                  // the run it belongs to
    std::vector<uint8_t> state;  // Trainer::save_state bytes, or empty with an error
    std::string error;           // the worker failed (could not start, refused the state, ...)
  };
  virtual ~TrainingWorker() = default;
  // Starts run `id` from `state`: trains until the trainer has done `max_epochs` epochs (or
  // diverges, or stop() comes), sending states back. A new run replaces the current one.
  virtual void run(int id, std::vector<uint8_t> state, int max_epochs) = 0;
  virtual void stop() = 0;
  // The next message, oldest first; false when there is none.
  virtual bool poll(Message* message) = 0;
  // How often the worker sends a state besides every epoch's end (WorkerLoop::send_every_ms).
  virtual void set_send_interval(double ms) { (void)ms; }
  // What the next runs train on (examples.hpp): the worker's MNIST and/or the kept digits in
  // `mine`. False if this worker cannot (the Lab then trains such runs in the frame loop).
  virtual bool set_mix(const TrainMix& mix, const Dataset& mine) {
    (void)mix, (void)mine;
    return false;
  }
};

// [SECTION] Pacing: how often the worker's states come
// Each state the app adopts changes the screen, and a changed frame must be drawn. Where drawing
// is slow (software WebGL in a large window: ~40 ms a drawn frame on this project's test
// machines), five states a second cost a quarter of the frames; fewer keep the page smooth.
// The browser works on a drawn frame while the next one runs, so the delay shows a frame or two
// later (in Chromium with software WebGL: 18 ms, 20 ms, then 80 ms). The meter compares the
// time of the kWindow frames after a frame whose numbers changed with kWindow quiet frames; the
// difference is what drawing a change costs.
class FrameCostMeter {
 public:
  static constexpr int kWindow = 3;
  // A frame began at now_ms; `changed`: this frame's numbers changed (it will be drawn).
  void frame(double now_ms, bool changed);
  double cost_ms() const;  // what a changed frame costs beyond quiet ones (0 until measured)

 private:
  double last_ms_ = -1;
  int since_change_ = kWindow;  // frames since the last change (kWindow and more: quiet)
  double window_ms_ = 0;        // the time so far of the window after the last change
  double after_change_ = -1, quiet_ = -1;  // moving averages: a window's time, a quiet frame's
};

constexpr double kMinStateIntervalMs = 200, kMaxStateIntervalMs = 1000;
// The interval that keeps drawing the states to about an eighth of the time: 200 ms when a
// drawn frame costs 25 ms or less, up to 1 s.
double state_interval_for(double drawn_frame_cost_ms);

// [SECTION] WorkerLoop: the worker's side
// Portable, so the same loop runs in the browser's worker and in native tests.
class WorkerLoop {
 public:
  // The worker's own copy of the training data (test data is ignored). "" or what is wrong.
  std::string load_data(DataPart part, const uint8_t* images, size_t images_size, const uint8_t* labels,
                        size_t labels_size);
  // What the following runs train on: `mine` is the kept digits as IDX bytes (the data message's
  // form). "" or what is wrong (the mix is unchanged then).
  std::string set_mix(const TrainMix& mix, const uint8_t* images, size_t images_size, const uint8_t* labels,
                      size_t labels_size);
  // Begins run `id` from a saved state over this worker's training data. "" or why not.
  std::string begin(int id, const uint8_t* state, size_t size, int max_epochs);
  void stop() { trainer_.reset(); }
  bool running() const { return bool(trainer_); }
  int id() const { return id_; }

  enum class Status {
    Idle,      // not running
    Working,   // keep calling work()
    Send,      // send state() now, then keep calling work()
    SendLast,  // send state() now: the run is over (all epochs done, or diverged)
  };
  // Trains for at most `budget_ms`, never past the end of an epoch.
  Status work(double budget_ms);
  std::vector<uint8_t> state() const { return trainer_ ? trainer_->save_state() : last_state_; }

  double send_every_ms = 200;

 private:
  Dataset training_;
  TrainMix mix_;
  Dataset mine_, mixed_;  // the kept digits; what a run trains on when mix_ is not MNIST alone
  std::unique_ptr<Trainer> trainer_;
  std::vector<uint8_t> last_state_;
  int id_ = 0;
  int max_epochs_ = 0;
  double last_send_ms_ = 0;
};

}  // namespace bplab::app

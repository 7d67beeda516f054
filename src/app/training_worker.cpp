// Training outside the frame loop (see training_worker.hpp).
#include "app/training_worker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace bplab::app {

namespace {
double clock_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

std::string read_data_part(DataPart part, const uint8_t* images, size_t images_size, const uint8_t* labels,
                           size_t labels_size, Dataset* training, Dataset* validation) {
  std::string e = room_for_images(images_size);
  if (!e.empty()) return e;
  if (part == DataPart::FullTraining) {
    e = load_idx_from_memory(images, images_size, labels, labels_size, training, 0, 50000);
    if (e.empty()) e = load_idx_from_memory(images, images_size, labels, labels_size, validation, 50000, -1);
  } else {
    e = load_idx_from_memory(images, images_size, labels, labels_size, training);
  }
  if (e.empty() && (training->rows != 28 || training->cols != 28)) e = "the images are not 28x28";
  return e;
}

std::string room_for_images(size_t bytes) {
  constexpr size_t kMargin = 16u << 20;  // for what else the load makes (labels, the set's other part)
  const std::string no = "not enough memory for " + std::to_string(bytes >> 20) + " MB of images";
  if (bytes > SIZE_MAX - kMargin) return no;
  // Through a volatile pointer: the compiler may not drop a malloc whose result only meets free.
  void* volatile room = std::malloc(bytes + kMargin);
  if (!room) return no;
  std::free(room);
  return "";
}

void FrameCostMeter::frame(double now_ms, bool changed) {
  const auto update = [](double& average, double x) { average = average < 0 ? x : 0.9 * average + 0.1 * x; };
  if (last_ms_ >= 0) {
    const double dt = std::min(now_ms - last_ms_, 1000.0);  // a hidden tab's pause is no frame
    if (since_change_ < kWindow) {
      window_ms_ += dt;
      if (since_change_ == kWindow - 1) update(after_change_, window_ms_);
    } else {
      update(quiet_, dt);
    }
  }
  last_ms_ = now_ms;
  if (changed) since_change_ = 0, window_ms_ = 0;  // a change inside a window starts a new one
  else if (since_change_ < kWindow) ++since_change_;
}

double FrameCostMeter::cost_ms() const {
  if (after_change_ < 0 || quiet_ < 0) return 0;
  return std::max(0.0, after_change_ - kWindow * quiet_);
}

double state_interval_for(double drawn_frame_cost_ms) {
  return std::round(std::clamp(drawn_frame_cost_ms * 8, kMinStateIntervalMs, kMaxStateIntervalMs));
}

std::string WorkerLoop::load_data(DataPart part, const uint8_t* images, size_t images_size, const uint8_t* labels,
                                  size_t labels_size) {
  if (part == DataPart::Test) return "";
  Dataset training, validation;
  if (std::string e = read_data_part(part, images, images_size, labels, labels_size, &training, &validation);
      !e.empty())
    return "the training worker could not read the MNIST data: " + e;
  trainer_.reset();  // it points into the old data
  training_ = std::move(training);
  if (mix_.data != TrainData::Mnist) mixed_ = training_mix(training_, mine_, mix_);
  return "";
}

std::string WorkerLoop::set_mix(const TrainMix& mix, const uint8_t* images, size_t images_size, const uint8_t* labels,
                                size_t labels_size) {
  Dataset mine;
  if (mix.data != TrainData::Mnist) {
    if (std::string e = load_idx_from_memory(images, images_size, labels, labels_size, &mine); !e.empty())
      return "the training worker could not read the kept digits: " + e;
    if (mine.rows != 28 || mine.cols != 28) return "the training worker: the kept digits are not 28x28";
  }
  trainer_.reset();  // it points into the old data
  mix_ = mix;
  mine_ = std::move(mine);
  mixed_ = mix.data == TrainData::Mnist ? Dataset() : training_mix(training_, mine_, mix_);
  return "";
}

std::string WorkerLoop::begin(int id, const uint8_t* state, size_t size, int max_epochs) {
  trainer_.reset();
  id_ = id;
  max_epochs_ = max_epochs;
  std::string error;
  trainer_ = Trainer::restore(state, size, view_of(mix_.data == TrainData::Mnist ? training_ : mixed_), &error);
  if (!trainer_) return "the training worker " + error.substr(0, 300);
  last_send_ms_ = clock_ms();
  return "";
}

WorkerLoop::Status WorkerLoop::work(double budget_ms) {
  if (!trainer_) return Status::Idle;
  SliceResult r;
  if (trainer_->epoch() < max_epochs_) r = trainer_->run(1 << 30, budget_ms);
  if (trainer_->diverged() || trainer_->epoch() >= max_epochs_ || (r.batches == 0 && !r.epoch_finished)) {
    last_state_ = trainer_->save_state();
    trainer_.reset();
    return Status::SendLast;
  }
  const double now = clock_ms();
  if (r.epoch_finished || now - last_send_ms_ >= send_every_ms) {
    last_send_ms_ = now;
    return Status::Send;
  }
  return Status::Working;
}

}  // namespace bplab::app

// Training in a worker (training_worker.hpp): the Lab hands its trainer's state to a worker and
// adopts the states sent back. Here the worker runs inline — each poll() trains a little, as the
// browser's worker does between two frames — so the tests are exact and repeatable.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <fstream>
#include <iterator>

#include "app/lab.hpp"

namespace bplab::app {
namespace {

class InlineWorker : public TrainingWorker {
 public:
  WorkerLoop loop;
  std::deque<Message> outbox;
  int runs = 0, stops = 0;
  bool hold = false;  // nothing arrives (the browser's worker between two of its messages)

  InlineWorker() { loop.send_every_ms = 3; }
  void run(int id, std::vector<uint8_t> state, int max_epochs) override {
    ++runs;
    if (std::string e = loop.begin(id, state.data(), state.size(), max_epochs); !e.empty())
      outbox.push_back({id, {}, e});
  }
  void stop() override {
    ++stops;
    loop.stop();
  }
  // Recorded, not applied: these tests want states every few milliseconds.
  std::vector<double> intervals;
  void set_send_interval(double ms) override { intervals.push_back(ms); }
  // The kept digits go over as IDX bytes, as the page's worker gets them.
  bool mixes = true;
  bool set_mix(const TrainMix& mix, const Dataset& mine) override {
    if (!mixes) return false;
    std::vector<uint8_t> images, labels;
    if (mix.data != TrainData::Mnist) write_idx(mine, &images, &labels);
    return loop.set_mix(mix, images.data(), images.size(), labels.data(), labels.size()).empty();
  }
  bool poll(Message* m) override {
    if (hold) return false;
    for (int i = 0; i < 100 && outbox.empty() && loop.running(); ++i) {
      const WorkerLoop::Status s = loop.work(1);
      if (s == WorkerLoop::Status::Send || s == WorkerLoop::Status::SendLast) outbox.push_back({loop.id(), loop.state(), ""});
    }
    if (outbox.empty()) return false;
    *m = std::move(outbox.front());
    outbox.pop_front();
    return true;
  }
};

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// The first `n` items of an IDX file, with its count rewritten (as build-wasm.sh cuts the small set).
std::vector<uint8_t> idx_prefix(const std::vector<uint8_t>& file, int n) {
  const size_t header = file.at(3) == 3 ? 16 : 8, item = file.at(3) == 3 ? 28 * 28 : 1;
  std::vector<uint8_t> out(file.begin(), file.begin() + std::ptrdiff_t(header + item * size_t(n)));
  out[4] = uint8_t(n >> 24), out[5] = uint8_t(n >> 16), out[6] = uint8_t(n >> 8), out[7] = uint8_t(n);
  return out;
}

struct Data {
  std::vector<uint8_t> images, labels, test_images, test_labels;
};

const Data& data() {
  static const Data d = [] {
    const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR);
    EXPECT_FALSE(dir.empty()) << "MNIST not found: npm ci";
    Data d;
    d.images = idx_prefix(read_file(dir + "/train-images-idx3-ubyte"), 1500);
    d.labels = idx_prefix(read_file(dir + "/train-labels-idx1-ubyte"), 1500);
    d.test_images = idx_prefix(read_file(dir + "/t10k-images-idx3-ubyte"), 1000);
    d.test_labels = idx_prefix(read_file(dir + "/t10k-labels-idx1-ubyte"), 1000);
    return d;
  }();
  return d;
}

// A Lab with the data, and (if `worker`) a worker that has the same training data.
void give_data(Lab& lab, InlineWorker* worker) {
  const Data& d = data();
  ASSERT_EQ(lab.load_data(DataPart::Test, d.test_images.data(), d.test_images.size(), d.test_labels.data(),
                          d.test_labels.size()), "");
  ASSERT_EQ(lab.load_data(DataPart::SmallTraining, d.images.data(), d.images.size(), d.labels.data(), d.labels.size()), "");
  if (worker)
    ASSERT_EQ(worker->loop.load_data(DataPart::SmallTraining, d.images.data(), d.images.size(), d.labels.data(),
                                     d.labels.size()), "");
}

void configure(Lab& lab) {
  lab.settings.sizes = {784, 20, 10};
  lab.settings.eta = 1.0;
  lab.settings.batch = 10;
  lab.settings.epochs = 3;
  lab.settings.cost = Cost::CrossEntropy;
}

// A Lab with the data, set up by configure(), that trains in an InlineWorker.
struct LabWithWorker {
  Lab lab;
  std::shared_ptr<InlineWorker> worker = std::make_shared<InlineWorker>();
  LabWithWorker() {
    give_data(lab, worker.get());
    lab.worker = worker;
    configure(lab);
  }
};

void run_to_end(Lab& lab) {
  for (int i = 0; i < 5000 && (lab.running() || lab.evaluating()); ++i) lab.tick(2);
}

// "Teach it" (My digits mixed with MNIST) in the worker: the worker makes the same mix from its
// own MNIST and the kept digits it is sent, and trains exactly the net the frame loop trains.
TEST(Worker, TeachesExactlyWhatTheFrameLoopTeaches) {
  Lab here, there;
  auto worker = std::make_shared<InlineWorker>();
  give_data(here, nullptr);
  give_data(there, worker.get());
  there.worker = worker;
  for (Lab* lab : {&here, &there}) {
    configure(*lab);
    lab->reset();
    for (int i = 0; i < 30; ++i) {
      std::array<float, kSide * kSide> pixels{};
      for (int k = 0; k < 60; ++k) pixels[size_t((i * 37 + k * 13) % 784)] = float(k % 7) / 6;
      ASSERT_EQ(lab->add_example(i % 10, pixels), "");
    }
  }
  Lab::TeachOptions o;
  o.mnist = 1000;
  o.repeats = 5;
  o.epochs = 2;
  ASSERT_EQ(here.teach(o), "");
  ASSERT_EQ(there.teach(o), "");
  EXPECT_FALSE(here.training_in_worker());
  EXPECT_TRUE(there.training_in_worker());
  run_to_end(here);
  run_to_end(there);
  EXPECT_TRUE(here.teaching().done && there.teaching().done);
  EXPECT_EQ(there.epoch(), 2);
  EXPECT_EQ(there.examples_seen(), 2 * (1000 + 30 * 5));
  EXPECT_EQ(there.examples_seen(), here.examples_seen());
  EXPECT_EQ(there.export_model(), here.export_model());
  EXPECT_EQ(there.teaching().mine_after, here.teaching().mine_after);
  // A worker that cannot mix: the frame loop teaches instead.
  worker->mixes = false;
  ASSERT_EQ(there.teach(o), "");
  EXPECT_FALSE(there.training_in_worker());
  run_to_end(there);
  EXPECT_TRUE(there.teaching().done);
}

TEST(Worker, TrainsExactlyTheNetTheFrameLoopTrains) {
  Lab here, there;
  auto worker = std::make_shared<InlineWorker>();
  give_data(here, nullptr);
  give_data(there, worker.get());
  there.worker = worker;
  configure(here);
  configure(there);
  ASSERT_EQ(here.start(), "");
  ASSERT_EQ(there.start(), "");
  EXPECT_TRUE(there.training_in_worker());
  EXPECT_FALSE(here.training_in_worker());
  run_to_end(here);
  int64_t seen = 0;
  bool grew = false;
  for (int i = 0; i < 5000 && (there.running() || there.evaluating()); ++i) {
    there.tick(2);
    grew |= there.examples_seen() > seen && seen > 0;  // the states arrive as it trains
    seen = there.examples_seen();
  }
  EXPECT_TRUE(grew);
  EXPECT_EQ(worker->runs, 1);
  EXPECT_FALSE(there.running());
  EXPECT_FALSE(there.training_in_worker());
  EXPECT_EQ(there.epoch(), 3);
  EXPECT_EQ(there.examples_seen(), here.examples_seen());
  EXPECT_EQ(there.export_model(), here.export_model());
  ASSERT_EQ(there.curves().size(), here.curves().size());
  for (size_t i = 0; i < here.curves().size(); ++i) {
    EXPECT_EQ(there.curves()[i].epoch, here.curves()[i].epoch);
    EXPECT_EQ(there.curves()[i].cost, here.curves()[i].cost);
  }
  EXPECT_GT(there.accuracy_test, 0.75);
}

TEST(Worker, PauseStepAndResumeDropWhatAStoppedRunStillSends) {
  LabWithWorker setup;
  Lab& lab = setup.lab;
  const auto& worker = setup.worker;
  lab.settings.epochs = 20;
  ASSERT_EQ(lab.start(), "");
  for (int i = 0; i < 3; ++i) lab.tick(2);
  ASSERT_TRUE(lab.running());
  lab.pause();
  EXPECT_EQ(worker->stops, 1);
  EXPECT_FALSE(lab.training_in_worker());
  // A state the stopped run sent before it saw the stop: trained further, never adopted.
  const int64_t paused_at = lab.examples_seen();
  ASSERT_EQ(lab.step(), "");
  EXPECT_EQ(lab.examples_seen(), paused_at + 10);
  worker->loop.stop();
  worker->outbox.push_back({1, {1, 2, 3}, ""});
  lab.tick(2);
  EXPECT_EQ(lab.examples_seen(), paused_at + 10);
  EXPECT_TRUE(lab.messages.empty() || lab.messages.back().find("page") == std::string::npos);
  // Resume goes on from the stepped state, in the worker again, with the new η.
  lab.settings.eta = 0.5;
  ASSERT_EQ(lab.start(), "");
  EXPECT_EQ(worker->runs, 2);
  EXPECT_TRUE(lab.training_in_worker());
  run_to_end(lab);
  EXPECT_EQ(lab.epoch(), 20);
  EXPECT_EQ(lab.examples_seen(), 20 * 1500);
}

TEST(Worker, AFailingWorkerHandsTrainingBackToTheFrameLoop) {
  Lab lab;
  auto worker = std::make_shared<InlineWorker>();
  give_data(lab, nullptr);  // the worker has no data: it refuses every state
  lab.worker = worker;
  configure(lab);
  ASSERT_EQ(lab.start(), "");
  lab.tick(2);
  ASSERT_FALSE(lab.messages.empty());
  EXPECT_NE(lab.messages.back().find("training goes on in the page"), std::string::npos) << lab.messages.back();
  EXPECT_FALSE(lab.training_in_worker());
  EXPECT_FALSE(lab.worker);
  EXPECT_TRUE(lab.running());
  run_to_end(lab);
  EXPECT_EQ(lab.epoch(), 3);
  EXPECT_GT(lab.accuracy_test, 0.75);
}

TEST(Worker, DivergenceInTheWorkerStopsWithAWarningAndAFiniteNet) {
  Lab lab;
  auto worker = std::make_shared<InlineWorker>();
  give_data(lab, worker.get());
  lab.worker = worker;
  configure(lab);
  lab.settings.activation = Activation::ReLU;
  lab.settings.init = Init::Large;
  lab.settings.eta = 100;
  ASSERT_EQ(lab.start(), "");
  for (int i = 0; i < 500 && lab.running(); ++i) lab.tick(2);
  EXPECT_FALSE(lab.running());
  EXPECT_FALSE(lab.divergence().empty());
  EXPECT_EQ(check_network(lab.model()), "");
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(std::isfinite(lab.prediction()(i)));
}

// While the worker trains, what the screen shows (curves, accuracies, rates) changes only on
// the frames that adopt one of its states, so that a frame that changes is drawn five times a
// second, not on every clock of its own; an evaluation that finishes in between waits for the
// next state.
TEST(Worker, TheNumbersChangeOnlyWhenAStateArrives) {
  Lab lab;
  auto worker = std::make_shared<InlineWorker>();
  give_data(lab, worker.get());
  // The full test set: its evaluation takes many frames, never only the one that ends the epoch.
  const std::string dir = find_mnist_dir(BPLAB_TEST_MNIST_DIR);
  const auto images = read_file(dir + "/t10k-images-idx3-ubyte"), labels = read_file(dir + "/t10k-labels-idx1-ubyte");
  ASSERT_EQ(lab.load_data(DataPart::Test, images.data(), images.size(), labels.data(), labels.size()), "");
  ASSERT_EQ(lab.test().size(), 10000);
  lab.worker = worker;
  configure(lab);
  lab.settings.epochs = 10;  // still running after the tick that ends the first epoch(s)
  ASSERT_EQ(lab.start(), "");
  for (int i = 0; i < 5000 && lab.epoch() < 1; ++i) lab.tick(2);
  // One tick may adopt states past more than one epoch end (a fast or a loaded machine: CI saw
  // 0 -> 2): what follows holds after any of them.
  ASSERT_GE(lab.epoch(), 1);
  ASSERT_TRUE(lab.running());
  ASSERT_TRUE(lab.evaluating()) << "the first epoch's evaluation is under way";
  EXPECT_TRUE(lab.numbers_may_change());
  worker->hold = true;
  const auto curves = lab.curves();
  const double test = lab.accuracy_test, rate = lab.examples_per_second();
  const int64_t seen = lab.examples_seen();
  // Ticks enough to finish every evaluation even on a loaded machine (a tick with nothing left to
  // evaluate returns at once).
  for (int i = 0; i < 3000; ++i) {
    lab.tick(5);
    ASSERT_FALSE(lab.numbers_may_change()) << "tick " << i;
  }
  EXPECT_EQ(lab.accuracy_test, test);
  EXPECT_EQ(lab.examples_per_second(), rate);
  EXPECT_EQ(lab.examples_seen(), seen);
  ASSERT_EQ(lab.curves().size(), curves.size());
  for (size_t i = 0; i < curves.size(); ++i) EXPECT_EQ(lab.curves()[i].test, curves[i].test) << "epoch " << i;
  EXPECT_TRUE(lab.evaluating()) << "finished, waiting to be shown";
  // The next state shows everything at once: the epoch's accuracies are on the curve.
  worker->hold = false;
  lab.tick(5);
  EXPECT_TRUE(lab.numbers_may_change());
  ASSERT_GE(lab.curves().size(), 2u);
  EXPECT_EQ(lab.curves()[1].epoch, 1);
  // The latest evaluated epoch on the curve (when one tick jumped past two epoch ends, only the
  // model the page saw, the later one, was evaluated).
  const EpochRecord* latest = nullptr;
  for (const EpochRecord& r : lab.curves())
    if (r.epoch >= 1 && r.test >= 0) latest = &r;
  ASSERT_NE(latest, nullptr) << "no epoch's accuracies on the curve";
  EXPECT_GT(latest->test, 0.5);
  EXPECT_GT(latest->train, 0.5);
  EXPECT_EQ(lab.accuracy_test, latest->test);
  // Paused, the frame may change at any time.
  lab.pause();
  lab.tick(5);
  EXPECT_TRUE(lab.numbers_may_change());
}

// Data too large for the memory left is refused before anything is read or allocated, with a
// message, and the data loaded before is kept (the page and the worker both load this way).
TEST(Worker, DataTooLargeForMemoryIsRefusedAndTheOldDataKept) {
  EXPECT_EQ(room_for_images(1 << 20), "");
  EXPECT_NE(room_for_images(SIZE_MAX / 2).find("not enough memory"), std::string::npos);
  EXPECT_NE(room_for_images(SIZE_MAX).find("not enough memory"), std::string::npos);
  Lab lab;
  auto worker = std::make_shared<InlineWorker>();
  give_data(lab, worker.get());
  const Data& d = data();
  // The size says more than the buffer holds: refused before a byte of it is read.
  const size_t absurd = SIZE_MAX / 2;
  const std::string e = lab.load_data(DataPart::FullTraining, d.images.data(), absurd, d.labels.data(), d.labels.size());
  EXPECT_NE(e.find("not enough memory"), std::string::npos) << e;
  EXPECT_EQ(lab.data_error, e);
  EXPECT_EQ(lab.training().size(), 1500);
  EXPECT_EQ(lab.test().size(), 1000);
  EXPECT_NE(worker->loop.load_data(DataPart::FullTraining, d.images.data(), absurd, d.labels.data(), d.labels.size())
                .find("not enough memory"),
            std::string::npos);
  // Training still works on what was there, in the worker.
  lab.worker = worker;
  configure(lab);
  ASSERT_EQ(lab.start(), "");
  run_to_end(lab);
  EXPECT_EQ(lab.epoch(), 3);
  EXPECT_GT(lab.accuracy_test, 0.75);
}

// Pacing: what drawing a changed frame costs is the time after such a frame beyond the time
// after a quiet one; the worker is asked for fewer states when that is large.
TEST(Worker, FrameCostIsTheTimeAChangedFrameAdds) {
  FrameCostMeter meter;
  EXPECT_EQ(meter.cost_ms(), 0);  // nothing measured yet
  double t = 0;
  for (int i = 0; i < 200; ++i) {  // 60 fps, and every 12th frame changes and takes 60 ms
    const bool changed = i % 12 == 0;
    meter.frame(t, changed);
    t += changed ? 60 : 16.7;
  }
  EXPECT_NEAR(meter.cost_ms(), 60 - 16.7, 1.0);
  for (int i = 0; i < 600; ++i) {  // drawing became cheap: the cost follows, within 50 changes
    const bool changed = i % 12 == 0;
    meter.frame(t, changed);
    t += changed ? 18 : 16.7;
  }
  EXPECT_NEAR(meter.cost_ms(), 1.3, 0.5);
  meter.frame(t + 60000, false);  // a hidden tab's minute is not one long frame
  EXPECT_LT(meter.cost_ms(), 200);

  // As Chromium shows it with software WebGL: the frame after a drawn one comes on time, the
  // one after that late (18*, 20, 80, 11, 16, 16, ...).
  FrameCostMeter browser;
  const double pattern[] = {18, 20, 80, 11, 16, 16, 17, 16, 17, 16, 17, 16};
  t = 0;
  for (int i = 0; i < 600; ++i) {
    browser.frame(t, i % 12 == 0);
    t += pattern[i % 12];
  }
  const double quiet = (11 + 16 + 16 + 17 + 16 + 17 + 16 + 17 + 16) / 9.0;
  EXPECT_NEAR(browser.cost_ms(), 18 + 20 + 80 - 3 * quiet, 1.0);
  // Every frame changing (drawing a digit): no quiet frames to compare with, no cost claimed.
  FrameCostMeter drawing;
  for (int i = 0; i < 100; ++i) drawing.frame(i * 40.0, true);
  EXPECT_EQ(drawing.cost_ms(), 0);

  EXPECT_EQ(state_interval_for(0), kMinStateIntervalMs);
  EXPECT_EQ(state_interval_for(5), kMinStateIntervalMs);
  EXPECT_EQ(state_interval_for(43.3), 346);  // whole milliseconds
  EXPECT_EQ(state_interval_for(400), kMaxStateIntervalMs);
}

TEST(Worker, TheAppTellsTheWorkerHowOftenToSendItsState) {
  LabWithWorker setup;
  Lab& lab = setup.lab;
  const auto& worker = setup.worker;
  EXPECT_EQ(lab.state_interval_ms(), 0);
  ASSERT_EQ(lab.start(), "");
  lab.tick(2);
  ASSERT_TRUE(lab.training_in_worker());
  // No frame has been measured yet: the shortest interval, five states a second.
  ASSERT_EQ(worker->intervals.size(), 1u);
  EXPECT_EQ(worker->intervals[0], kMinStateIntervalMs);
  EXPECT_EQ(lab.state_interval_ms(), kMinStateIntervalMs);
  EXPECT_EQ(lab.state_json().find("training")->find("stateIntervalMs")->as_number(), kMinStateIntervalMs);
  // Here a tick with a new state costs about what one without does: the worker is not told
  // again on every frame, and never anything out of bounds.
  for (int i = 0; i < 50 && lab.running(); ++i) lab.tick(2);
  EXPECT_LE(worker->intervals.size(), 2u);
  for (double ms : worker->intervals) {
    EXPECT_GE(ms, kMinStateIntervalMs);
    EXPECT_LE(ms, kMaxStateIntervalMs);
  }
}

}  // namespace
}  // namespace bplab::app

// The engine in a Web Worker (Emscripten only): train-engine.js + train-engine.wasm, driven by
// web/train-worker.js. A C API over app::WorkerLoop; no SDL, GL or ImGui.
//
//   tw_load_data(part, images, size, labels, size)   "" or what is wrong (DataPart numbering)
//   tw_set_mix(data, mnist, repeats, images, size, labels, size)
//                                                    what the next runs train on (app::TrainMix;
//                                                    the kept digits as IDX bytes); "" or why not
//   tw_begin(id, state, size, max_epochs)            "" or why the state was refused
//   tw_work(ms)                                      0 keep working, 1 send the state and go on,
//                                                    2 send the state: the run is over, -1 idle
//   tw_state() / tw_state_size()                     the state to send (after tw_work said so)
//   tw_stop()
//   tw_set_interval(ms)                              send a state every ms (50..5000), besides
//                                                    every epoch's end
#include <emscripten.h>

#include <string>

#include "app/training_worker.hpp"

namespace {
bplab::app::WorkerLoop g_loop;
std::string g_error;
std::vector<uint8_t> g_state;
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* tw_load_data(int part, const unsigned char* images, int images_size,
                                              const unsigned char* labels, int labels_size) {
  if (part < 0 || part > 2 || images_size < 0 || labels_size < 0) return g_error = "bad data part", g_error.c_str();
  g_error = g_loop.load_data(bplab::app::DataPart(part), images, size_t(images_size), labels, size_t(labels_size));
  return g_error.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* tw_set_mix(int data, int mnist, int repeats, const unsigned char* images,
                                            int images_size, const unsigned char* labels, int labels_size) {
  if (data < 0 || data > 2 || images_size < 0 || labels_size < 0) return g_error = "bad mix", g_error.c_str();
  bplab::app::TrainMix mix{bplab::app::TrainData(data), mnist, repeats};
  g_error = g_loop.set_mix(mix, images, size_t(images_size), labels, size_t(labels_size));
  return g_error.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* tw_begin(int id, const unsigned char* state, int size, int max_epochs) {
  g_error = size < 0 ? "bad state" : g_loop.begin(id, state, size_t(size), max_epochs);
  return g_error.c_str();
}

EMSCRIPTEN_KEEPALIVE int tw_work(double ms) {
  using Status = bplab::app::WorkerLoop::Status;
  switch (g_loop.work(ms)) {
    case Status::Idle: return -1;
    case Status::Working: return 0;
    case Status::Send: g_state = g_loop.state(); return 1;
    case Status::SendLast: g_state = g_loop.state(); return 2;
  }
  return -1;
}

EMSCRIPTEN_KEEPALIVE const unsigned char* tw_state() { return g_state.data(); }
EMSCRIPTEN_KEEPALIVE int tw_state_size() { return int(g_state.size()); }
EMSCRIPTEN_KEEPALIVE void tw_stop() { g_loop.stop(); }
EMSCRIPTEN_KEEPALIVE void tw_set_interval(double ms) {
  if (ms == ms) g_loop.send_every_ms = ms < 50 ? 50 : ms > 5000 ? 5000 : ms;  // NaN is ignored
}

}  // extern "C"

// The web page's training worker, seen from the app (see web_worker.hpp).
#include "platform/web_worker.hpp"

#include <emscripten.h>

#include <cstdlib>

// Module.bplabWorker (web/backprop-lab-api.js): run(id, bytes, maxEpochs), stop(), interval(ms), inbox, the
// worker's messages — {type: "state", id, bytes} or {type: "error", id, message}, oldest first —
// and take(), which removes the oldest (and tells the worker, which waits when 3 are untaken).
EM_JS(int, bplab_worker_available, (), {
  return Module.bplabWorker && Module.bplabWorker.available() ? 1 : 0;
});
EM_JS(void, bplab_worker_run, (int id, const unsigned char* state, int size, int max_epochs), {
  Module.bplabWorker.run(id, HEAPU8.slice(state, state + size), max_epochs);
});
EM_JS(void, bplab_worker_stop, (), { Module.bplabWorker.stop(); });
EM_JS(void, bplab_worker_mix, (int data, int mnist, int repeats, const unsigned char* images, int images_size,
                               const unsigned char* labels, int labels_size), {
  Module.bplabWorker.mix(data, mnist, repeats, HEAPU8.slice(images, images + images_size),
                         HEAPU8.slice(labels, labels + labels_size));
});
EM_JS(void, bplab_worker_interval, (double ms), { Module.bplabWorker.interval(ms); });
// The next message's size in bytes (its run id in *id), 0 for an error, -1 when there is none.
EM_JS(int, bplab_worker_peek, (int* id), {
  const m = Module.bplabWorker.inbox[0];
  if (!m) return -1;
  HEAP32[id >> 2] = m.id;
  return m.type === 'state' ? m.bytes.byteLength : 0;
});
// Takes the next message: a state's bytes into `out`, or an error's text (malloc'ed) as the result.
EM_JS(char*, bplab_worker_take, (unsigned char* out), {
  const m = Module.bplabWorker.take();
  if (m.type === 'state') {
    HEAPU8.set(new Uint8Array(m.bytes), out);
    return 0;
  }
  const text = String(m.message || 'the training worker failed');
  const size = lengthBytesUTF8(text) + 1;
  const p = _malloc(size);
  stringToUTF8(text, p, size);
  return p;
});

namespace bplab::platform {

namespace {

class WebWorker : public app::TrainingWorker {
 public:
  void run(int id, std::vector<uint8_t> state, int max_epochs) override {
    bplab_worker_run(id, state.data(), int(state.size()), max_epochs);
  }
  void stop() override { bplab_worker_stop(); }
  bool set_mix(const app::TrainMix& mix, const Dataset& mine) override {
    std::vector<uint8_t> images, labels;
    if (mix.data != app::TrainData::Mnist) app::write_idx(mine, &images, &labels);
    bplab_worker_mix(int(mix.data), mix.mnist_count, mix.repeats, images.data(), int(images.size()), labels.data(),
                     int(labels.size()));
    return true;
  }
  void set_send_interval(double ms) override { bplab_worker_interval(ms); }
  bool poll(Message* m) override {
    int id = 0;
    const int size = bplab_worker_peek(&id);
    if (size < 0) return false;
    m->id = id;
    m->state.resize(size_t(size));
    m->error.clear();
    if (char* error = bplab_worker_take(m->state.data())) {
      m->error = error;
      std::free(error);
    }
    return true;
  }
};

}  // namespace

std::shared_ptr<app::TrainingWorker> make_web_worker() {
  if (!bplab_worker_available()) return nullptr;
  return std::make_shared<WebWorker>();
}

}  // namespace bplab::platform

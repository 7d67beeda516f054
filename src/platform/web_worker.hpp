// The web page's training worker, seen from the app (Emscripten only): web/backprop-lab-api.js
// runs web/train-worker.js in a Web Worker and keeps its messages in Module.bplabWorker; this
// class posts runs and stops to it and takes the states it sent back.
#pragma once

#include <memory>

#include "app/training_worker.hpp"

namespace bplab::platform {

// Null when the page offers no worker (no Worker support, or a page without our script).
std::shared_ptr<app::TrainingWorker> make_web_worker();

}  // namespace bplab::platform

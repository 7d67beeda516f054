// Backprop Lab's training worker: the engine (train-engine.js + .wasm, src/platform/train_worker.cpp)
// training off the page's main thread, so that the page keeps drawing at its own pace.
// web/backprop-lab-api.js starts it and talks to it:
//
//   page -> worker  {type: 'data', part, images, labels}   IDX bytes (ArrayBuffers) of a training set
//                   {type: 'mix', data, mnistCount, repeats, images, labels}
//                                                           what the next runs train on: MNIST (data 0),
//                                                           the kept digits (IDX bytes; 1) or both (2)
//                   {type: 'run', id, state, maxEpochs}     go on from this trainer state
//                   {type: 'stop'}
//                   {type: 'interval', ms}                  send states every ms (besides epochs' ends)
//                   {type: 'ack'}                            the app took one state
//   worker -> page  {type: 'state', id, bytes, last}        the trainer's state, at every epoch's end
//                                                           and about five times a second (or as
//                                                           'interval' says)
//                   {type: 'error', id, message}            id -1: the worker itself failed
'use strict';

let engine = null;
const queue = [];  // messages that came before the engine was ready
let runId = 0;
// States sent and not yet taken by the app. Past kMaxInFlight the worker waits: when the page
// stops drawing (a hidden tab), training pauses instead of piling up states.
let inFlight = 0;
const kMaxInFlight = 3;

function fail(id, error) {
  postMessage({ type: 'error', id, message: String(error && error.message ? error.message : error) });
}

try {
  importScripts('train-engine.js');
  createTrainEngine().then((m) => {
    engine = m;
    for (const message of queue.splice(0)) handle(message);
  }, (error) => fail(-1, 'the training engine did not start: ' + error));
} catch (error) {
  fail(-1, 'the training engine did not load: ' + error);
}

onmessage = (event) => {
  if (engine) handle(event.data);
  else queue.push(event.data);
};

// Copies bytes into the engine's memory for the duration of `use(pointer)`.
function withBytes(bytes, use) {
  const p = engine._malloc(Math.max(1, bytes.length));
  if (!p) throw new Error('out of memory');
  try {
    engine.HEAPU8.set(bytes, p);
    return use(p);
  } finally {
    engine._free(p);
  }
}

function handle(message) {
  try {
    if (message.type === 'data') {
      const images = new Uint8Array(message.images), labels = new Uint8Array(message.labels);
      const error = withBytes(images, (pi) => withBytes(labels, (pl) =>
        engine.UTF8ToString(engine._tw_load_data(message.part, pi, images.length, pl, labels.length))));
      if (error) fail(-1, error);
    } else if (message.type === 'mix') {
      const images = new Uint8Array(message.images), labels = new Uint8Array(message.labels);
      const error = withBytes(images, (pi) => withBytes(labels, (pl) =>
        engine.UTF8ToString(engine._tw_set_mix(message.data, message.mnistCount, message.repeats, pi, images.length,
                                               pl, labels.length))));
      if (error) fail(-1, error);
    } else if (message.type === 'run') {
      const state = new Uint8Array(message.state);
      runId = message.id;
      const error = withBytes(state, (p) =>
        engine.UTF8ToString(engine._tw_begin(message.id, p, state.length, message.maxEpochs)));
      if (error) fail(message.id, error);
      else schedule();
    } else if (message.type === 'stop') {
      engine._tw_stop();
    } else if (message.type === 'interval') {
      engine._tw_set_interval(Number(message.ms));
    } else if (message.type === 'ack') {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight < kMaxInFlight) schedule();
    }
  } catch (error) {
    fail(message.type === 'run' ? message.id : -1, error);
  }
}

// Trains in slices of 20 ms, yielding between them so that 'stop' and new runs get in. A
// MessageChannel yields without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
let scheduled = false;
function schedule() {
  if (!scheduled && inFlight < kMaxInFlight) { scheduled = true; channel.port2.postMessage(0); }
}
channel.port1.onmessage = () => {
  scheduled = false;
  let status;
  try {
    status = engine._tw_work(20);
  } catch (error) {
    fail(runId, 'training stopped: ' + error);
    return;
  }
  if (status > 0) {
    const p = engine._tw_state(), n = engine._tw_state_size();
    const bytes = engine.HEAPU8.slice(p, p + n).buffer;
    postMessage({ type: 'state', id: runId, bytes, last: status === 2 }, [bytes]);
    ++inFlight;
  }
  if (status === 0 || status === 1) schedule();
};

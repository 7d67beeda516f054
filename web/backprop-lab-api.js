// window.backpropLab's API, over the app's two C functions (src/app/app.cpp):
//   bplab_call(command, argsJson) -> '{"ok": true, "value": ...}' | '{"ok": false, "error": "..."}'
//   bplab_load_data(part, images, imagesSize, labels, labelsSize) -> "" | error
// Also: passes the page's URL parameters to the app, fetches MNIST from data/ and hands it over
// (the small set first, the full 60,000 when the app asks), and keeps an accessible transcript
// of the derivation screen in #transcript. Loaded after backprop-lab.js, before app.js.
//
// The methods are the rows of the app's command table (Lab::commands() in src/app/lab.cpp),
// which the web build writes into COMMANDS below (cmake/commands_js.cmake): every row that is
// not the page's own is a method taking its arguments as the row says, checked here and again
// by the app. Each is done when it returns: state() right after shows all of its effect.
//
//   backpropLab.ready            Promise: first frame drawn, default model loaded
//   backpropLab.commands         the table: {name: {access, args}} (docs/embedding.md lists them)
//   backpropLab.state()          a plain object (see Lab::state_json in src/app/lab.cpp)
//   backpropLab.loadModel(text)  throws (and keeps the current model) if the model is refused
//   My digits (docs/digits-format.md):
//   backpropLab.addExample({label, pixels})  -> the set's size; without pixels, the drawing's input
//   backpropLab.removeExample(i), clearExamples(), examples() -> [{label, predicted, confidence}]
//   backpropLab.exportExamples() -> text; importExamples(text) -> the number added
//   backpropLab.predict(pixels)    -> {predicted, activations} (the screen is unchanged)
//   backpropLab.teach(options?)    starts "Teach it"; state().training.teach says how it went
//   backpropLab.train({..., data: 'mnist' | 'mine' | 'both', from: 'fresh' | 'current'})
//   backpropLab.answerQuiz(i)    answers the derivation's "Predict first" question with choice i
//   backpropLab.copyLink()       the URL that restores this screen and its settings
//   backpropLab.modelTextLimit() the largest model text loadModel takes, in bytes
// Commands that are refused throw an Error whose message says why.
'use strict';

(function () {
  const lab = window.backpropLab;
  if (!lab || !window.Module) throw new Error('load backprop-lab.js first');

  // [SECTION] URL parameters: read by the app's settings table (src/app/settings.cpp), which
  // warns once (console.warn) per unknown or malformed one.
  const query = [location.search.slice(1), location.hash.slice(1)].filter(Boolean).join('&');
  if (query) window.Module.arguments = ['--query', query.slice(0, 4000)];

  // [SECTION] Calls into the app
  // Strings go into WebAssembly through the heap, never the stack: ccall's 'string' copies an
  // argument onto the 5 MiB stack unchecked (4 bytes a character), so a 1.3 MB model text
  // overwrote the app's static data and every later call trapped.
  function heapString(M, text) {
    const size = M.lengthBytesUTF8(text) + 1;
    const p = M._malloc(size);
    if (!p) throw new Error('out of memory for a text of ' + size + ' bytes');
    M.stringToUTF8(text, p, size);
    return p;
  }
  function call(command, args) {
    const M = lab.module;
    if (!M) throw new Error('Backprop Lab is still loading');
    const json = JSON.stringify(args === undefined ? null : args);
    const pc = heapString(M, String(command));
    let pa = 0, answer;
    try {
      pa = heapString(M, json);
      answer = M.UTF8ToString(M._bplab_call(pc, pa));
    } finally {
      M._free(pc);
      if (pa) M._free(pa);
    }
    const result = JSON.parse(answer);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  }
  // [SECTION] The commands
  // The app's command table: name -> {access: 'embed' | 'api' | 'page', args}, where args is ''
  // (none), 'NAME: TYPE' (one value) or '{NAME: TYPE, ...}' (an object of optional fields).
  const COMMANDS = { /* commands from lab.cpp */ };
  const TYPES = {
    number: (x) => typeof x === 'number' && Number.isFinite(x),
    integer: (x) => Number.isInteger(x),
    string: (x) => typeof x === 'string',
    text: (x) => typeof x === 'string',
    boolean: (x) => typeof x === 'boolean',
    'integer[]': (x) => Array.isArray(x) && x.every((n) => Number.isInteger(n)),
    'number[]': (x) => Array.isArray(x) && x.every((n) => typeof n === 'number' && Number.isFinite(n)),
    null: (x) => x === null,
  };
  const WORDS = { number: 'a number', integer: 'an integer', string: 'a string', text: 'a string', boolean: 'true or false',
                  'integer[]': 'a list of integers', 'number[]': 'a list of finite numbers', null: 'null' };
  for (const c of Object.values(COMMANDS)) {
    const spec = c.args.trim();
    c.kind = !spec ? 'none' : spec[0] === '{' ? 'object' : 'value';
    c.fields = {};
    for (const part of (c.kind === 'object' ? spec.slice(1, -1) : spec).split(',')) {
      const at = part.indexOf(':');
      if (at > 0) c.fields[part.slice(0, at).trim()] = part.slice(at + 1).trim().split('|');
    }
    Object.freeze(c.fields);
    Object.freeze(c);
  }
  Object.freeze(COMMANDS);
  const has = (o, key) => Object.prototype.hasOwnProperty.call(o, key);
  const ofType = (types, x) => types.some((t) => has(TYPES, t) && TYPES[t](x));
  const words = (types) => types.map((t) => WORDS[t]).join(' or ');
  // The app's own check of a command's arguments (Lab::Command::check): true or what is wrong.
  // `limit(type, value)` adds the caller's own limits (embed.js: the length of strings).
  function checkArgs(name, args, limit) {
    const c = COMMANDS[name];
    const names = Object.keys(c.fields);
    const empty = args === undefined || args === null ||
                  (typeof args === 'object' && !Array.isArray(args) && Object.keys(args).length === 0);
    const fits = (types, x) => ofType(types, x) && (!limit || limit(types, x));
    if (c.kind === 'none') return empty || name + ' takes no arguments';
    if (c.kind === 'value') {
      const types = c.fields[names[0]];
      return args === undefined || args === null || fits(types, args) || name + ' wants ' + names[0] + ', ' + words(types);
    }
    if (args === undefined || args === null) return true;
    if (typeof args !== 'object' || Array.isArray(args) || Object.getPrototypeOf(args) !== Object.prototype)
      return name + ' wants an object of ' + names.join(', ');
    for (const [key, value] of Object.entries(args)) {
      if (!has(c.fields, key)) return name + ': unknown field ' + JSON.stringify(key.slice(0, 40)) + ' (' + names.join(', ') + ')';
      if (!fits(c.fields[key], value)) return name + ': ' + key + ' must be ' + words(c.fields[key]);
    }
    return true;
  }

  // The engine's limit on a model's text (kMaxModelTextBytes in src/engine/model_io.hpp), as
  // the app's state reports it. Checked here too so that a larger text is not copied first.
  let modelTextBytes = 0;
  const modelTextLimit = () => modelTextBytes || (modelTextBytes = call('state').limits.modelTextBytes);

  // A typed array (or another list-like object) as a plain Array; anything else unchanged.
  const pixelList = (p) => (ArrayBuffer.isView(p) ? Array.from(p) : p);

  // A method a row: its arguments checked (a TypeError says what is wrong), then the app's call.
  const methods = {};
  for (const [name, c] of Object.entries(COMMANDS)) {
    if (c.access === 'page') continue;
    methods[name] = (args) => {
      const ok = checkArgs(name, args);
      if (ok !== true) throw new TypeError(ok);
      const value = call(name, args);
      return value === null ? undefined : value;
    };
  }
  const rowMethod = { predict: methods.predict, addExample: methods.addExample };
  // The few that do more than the call.
  Object.assign(methods, {
    // Pixels may come as any list of numbers (a Float32Array from a canvas too).
    predict: (pixels) => rowMethod.predict(pixelList(pixels)),
    addExample: (args) => rowMethod.addExample(args && typeof args === 'object' && !Array.isArray(args) && args.pixels
                                                   ? Object.assign({}, args, { pixels: pixelList(args.pixels) }) : args),
    loadModel: (text) => {
      if (typeof text !== 'string') throw new TypeError('loadModel(jsonText): the text must be a string');
      if (text.length > modelTextLimit()) throw new Error('the model text is larger than the limit of ' + modelTextLimit() + ' bytes');
      call('loadModel', text);
    },
    setDerivation: (args) => {
      const ok = checkArgs('setDerivation', args);
      if (ok !== true) throw new TypeError(ok);
      call('setDerivation', args || {});
      try { showTranscript(call('state').panel === 'derivation'); } catch (_) { /* stopped */ }
      updateTranscript();
    },
    answerQuiz: (choice) => {
      const ok = checkArgs('answerQuiz', choice);
      if (ok !== true) throw new TypeError(ok);
      call('answerQuiz', choice);
      updateTranscript();
    },
    copyLink: () => {
      const query = call('copyLink');
      return location.origin + location.pathname + (query ? '?' + query : '');
    },
  });
  Object.assign(lab, methods, { commands: COMMANDS, checkArgs, modelTextLimit, _call: call });
  // Ready once the first frame is drawn and the default model is in (app.data is loaded before
  // main(), which loads the model before the first frame).
  lab.ready = lab.ready.then(() => {
    const s = call('state');
    if (!s.sizes || s.sizes.length < 2) throw new Error('no model loaded');
    // A page whose copy of the table is not the app's (a stale build) says so.
    const rows = call('commands').map((c) => c.name + '(' + c.args + ')').join();
    if (rows !== Object.entries(COMMANDS).map(([name, c]) => name + '(' + c.args + ')').join())
      console.warn("Backprop Lab: this page's command table is not the app's: build the page again (./build-wasm.sh)");
    return lab;
  });

  // [SECTION] The training worker
  // The app trains in web/train-worker.js (src/platform/web_worker.cpp reaches this object as
  // Module.bplabWorker), so that training does not take the frames' time. The worker starts
  // with the first data it gets, after the first frame. Training data goes to the worker before
  // the app gets it: a run the app starts on new data then finds that data in the worker.
  const trainer = {
    worker: null,
    inbox: [],  // the worker's messages, until the app takes them
    available: () => typeof Worker === 'function',
    start() {
      if (this.worker) return this.worker;
      try {
        this.worker = new Worker('train-worker.js');
      } catch (error) {
        this.inbox.push({ type: 'error', id: -1, message: 'no training worker: ' + error.message });
        return null;
      }
      this.worker.onmessage = (event) => this.inbox.push(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.inbox.push({ type: 'error', id: -1,
                          message: 'the training worker failed: ' + (event.message || 'train-worker.js did not load') });
      };
      return this.worker;
    },
    post(message, transfer) {
      const worker = this.start();
      if (worker) worker.postMessage(message, transfer || []);
    },
    run(id, bytes, maxEpochs) { this.post({ type: 'run', id, state: bytes.buffer, maxEpochs }, [bytes.buffer]); },
    stop() { if (this.worker) this.worker.postMessage({ type: 'stop' }); },
    interval(ms) { this.post({ type: 'interval', ms }); },  // how often it sends states
    take() {  // the app takes the oldest message; the worker hears of each state taken
      const message = this.inbox.shift();
      if (message && message.type === 'state' && this.worker) this.worker.postMessage({ type: 'ack' });
      return message;
    },
    mix(data, mnistCount, repeats, images, labels) {
      this.post({ type: 'mix', data, mnistCount, repeats, images: images.buffer, labels: labels.buffer },
                [images.buffer, labels.buffer]);
    },
    data(part, images, labels) {  // copies: the app gets the same bytes
      if (this.available() && call('state').settings.worker === '1') this.post({ type: 'data', part, images, labels });
    },
  };
  window.Module.bplabWorker = trainer;

  // [SECTION] MNIST
  // Bytes of one file, reporting progress (0..1) when the server says the length.
  async function fetchBytes(url, onProgress) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body || !total || !onProgress) return new Uint8Array(await response.arrayBuffer());
    const bytes = new Uint8Array(total);
    const reader = response.body.getReader();
    let got = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (got + value.length > total) throw new Error(url + ': longer than its Content-Length');
      bytes.set(value, got);
      got += value.length;
      onProgress(got / total);
    }
    if (got !== total) throw new Error(url + ': truncated');
    return bytes;
  }

  function handOver(part, images, labels) {
    const M = lab.module;
    const pi = M._malloc(images.length), pl = M._malloc(labels.length);
    if (!pi || !pl) throw new Error('out of memory for the MNIST data');
    try {
      M.HEAPU8.set(images, pi);  // HEAPU8 after malloc: memory may have grown
      M.HEAPU8.set(labels, pl);
      const error = M.ccall('bplab_load_data', 'string', ['number', 'number', 'number', 'number', 'number'],
                            [part, pi, images.length, pl, labels.length]);
      if (error) throw new Error(error);
    } finally {
      M._free(pi);
      M._free(pl);
    }
  }

  // A failed download says so on the Train screen, and how to try again: the "Load the full
  // 60,000" button (or backpropLab.loadFullData()) fetches whatever is missing.
  function dataError(error) {
    const why = error && error.message ? error.message : String(error);
    const what = /^could not/i.test(why) ? why[0].toUpperCase() + why.slice(1) : 'Could not load the MNIST data (' + why + ')';
    const message = what + '. Press "Load the full 60,000" to try again.';
    console.warn(message);
    try { call('dataError', { message }); } catch (_) { /* not running */ }
  }

  const files = (stem) => {
    const both = Promise.all([fetchBytes('data/' + stem + '-images-idx3-ubyte'),
                              fetchBytes('data/' + stem + '-labels-idx1-ubyte')]);
    both.catch(() => {});  // each caller reports its own failure; none is left unhandled
    return both;
  };
  // Downloaded once the first frame is drawn, not before: an embed of one screen must
  // not wait for 15 MB it may never use. The test set and the small set each on their own: one
  // failing does not drop the other (the app trains without a test set, and says so).
  async function loadTestSet() {
    const [ti, tl] = await files('t10k');
    handOver(0, ti, tl);
  }
  lab.ready.then(() => {
    const testSet = loadTestSet();
    testSet.catch(dataError);
    const smallSet = files('train-10k');
    smallSet.then(([si, sl]) => {
      if (!call('state').data.full) {
        trainer.data(1, si, sl);
        handOver(1, si, sl);
      }
    }).catch(dataError);
  }, () => {});

  // The full 60,000 when the app asks for it (its button, or backpropLab.loadFullData()), and
  // the test set again if it had failed.
  let fullLoading = false;
  async function loadFull() {
    fullLoading = true;
    try {
      if (!call('state').data.test) await loadTestSet();
      let lastReport = 0;
      const labels = fetchBytes('data/train-labels-idx1-ubyte');
      labels.catch(() => {});  // awaited below; reported once, by the catch
      const images = await fetchBytes('data/train-images-idx3-ubyte', (f) => {
        const now = performance.now();
        if (now - lastReport > 100) { lastReport = now; call('dataProgress', { fraction: f }); }
      });
      const labelBytes = await labels;
      trainer.data(2, images, labelBytes);
      handOver(2, images, labelBytes);
    } catch (error) {
      dataError(error);
    }
    fullLoading = false;
  }

  // [SECTION] Accessible transcript of the derivation screen
  // The transcript is HTML + MathML made by our own code (derivation_transcript, every number
  // and name escaped). Still, only an allow-list of elements and attributes is kept.
  const transcript = document.getElementById('transcript');
  const ALLOWED_TAGS = new Set(['p', 'div', 'span', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'code',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'sub', 'sup', 'math', 'mrow', 'mi', 'mn', 'mo', 'msub', 'msup',
    'msubsup', 'mfrac', 'msqrt', 'mroot', 'mtext', 'mspace', 'munder', 'mover', 'munderover', 'mtable', 'mtr', 'mtd',
    'mstyle', 'mpadded', 'mphantom', 'semantics', 'annotation']);
  const ALLOWED_ATTRS = new Set(['class', 'scope', 'mathvariant', 'display', 'aria-label', 'role', 'stretchy', 'fence',
    'separator', 'form', 'accent', 'accentunder', 'columnalign', 'lspace', 'rspace', 'scriptlevel', 'displaystyle',
    'xmlns', 'encoding', 'linethickness', 'largeop', 'movablelimits', 'lang']);
  function sanitize(node) {
    for (const child of Array.from(node.children)) {
      if (!ALLOWED_TAGS.has(child.localName)) { child.remove(); continue; }
      for (const attr of Array.from(child.attributes))
        if (!ALLOWED_ATTRS.has(attr.name)) child.removeAttribute(attr.name);
      sanitize(child);
    }
  }
  // The transcript is in the accessibility tree only while the derivation screen is shown, and is
  // not a live region: its numbers change with every training update. A small polite live region
  // beside it announces the step's heading ("Derivation, step 4 of N: BP1, one neuron") when the
  // step changes, and nothing else.
  if (transcript) {
    transcript.removeAttribute('aria-live');
    transcript.hidden = true;
  }
  let announcer = document.getElementById('transcript-status');
  if (transcript && !announcer) {
    announcer = document.createElement('div');
    announcer.id = 'transcript-status';
    announcer.className = 'visually-hidden';
    announcer.setAttribute('role', 'status');
    announcer.setAttribute('aria-live', 'polite');
    transcript.after(announcer);
  }
  let lastTranscript = null, lastHeading = null;
  function updateTranscript() {
    if (!transcript || !lab.module) return;
    let text = '';
    try { text = call('derivationTranscript'); } catch (_) { return; }
    if (text === lastTranscript) return;
    lastTranscript = text;
    const doc = new DOMParser().parseFromString('<!doctype html><body>' + text, 'text/html');
    sanitize(doc.body);
    const heading = doc.body.querySelector('h3');
    const title = heading ? heading.textContent : '';
    transcript.replaceChildren(...Array.from(doc.body.childNodes));
    if (title !== lastHeading) {
      lastHeading = title;
      if (announcer && !transcript.hidden) announcer.textContent = title;
    }
  }
  function showTranscript(shown) {
    if (!transcript || transcript.hidden === !shown) return;
    transcript.hidden = !shown;
    if (!shown) { lastHeading = null; if (announcer) announcer.textContent = ''; }
  }

  // [SECTION] Polling: the app's requests to the page (full data, transcript)
  lab.ready.then(() => {
    setInterval(() => {
      try {
        const s = call('state');
        if (s.data.requestFull && !fullLoading && !s.data.full) loadFull();
        showTranscript(s.panel === 'derivation');
        if (s.panel === 'derivation') updateTranscript();
      } catch (_) { /* stopped */ }
    }, 300);
  }, () => {});
})();

// Backprop Lab inside a course page: everything the page does for embedding, over
// window.backpropLab (web/backprop-lab.js, web/backprop-lab-api.js). Loaded after them and
// before app.js.
//
//   - a static poster of the chosen panel and a progress bar until the first frame;
//   - the `model` URL parameter: a model JSON file on this origin, fetched and handed to
//     loadModel once the app runs (the app's settings table has already refused anything that
//     is not a plain relative URL; the origin is checked again here);
//   - "Copy link": the app's button asks, this copies the URL (or shows it to copy by hand);
//   - postMessage with the page around the frame:
//       out  {type: "backprop-lab:ready", state}      once, when ready
//            {type: "backprop-lab:state", state}      when the state changed (at most 4 a second)
//            {type: "backprop-lab:result", id, command, value}   a command's answer
//            {type: "backprop-lab:error", id, command, message}  a refused message or command
//            {type: "backprop-lab:link", url}          after "Copy link"
//            {type: "backprop-lab:answer", step, question, choice, chosen, correct, score}
//                                                      each answer to a "Predict first" question
//       in   {type: "backprop-lab:command", command, args, id?}
//            command: a row of the app's command table open to embedding pages (access
//            'embed' in src/app/lab.cpp: state, setPanel, clearDrawing, pause, loadModel, train,
//            setDerivation, answerQuiz, undo), with that row's arguments
//   - touch: a touch in the drawing area draws; any other swipe scrolls the page around the frame.
//
// Nothing from a URL or a message is evaluated or put into the page as HTML: text goes in with
// textContent or as an input's value, and every message is checked against an allow-list.
'use strict';

(function () {
  const lab = window.backpropLab;
  if (!lab || !window.Module || !lab.state) throw new Error('load backprop-lab-api.js first');
  const canvas = document.getElementById('canvas');
  const framed = window.parent !== window;
  const params = new URLSearchParams([location.search.slice(1), location.hash.slice(1)].filter(Boolean).join('&'));
  // The app's screens and their posters, from src/app/screens.cpp's table (the web build writes
  // them here: cmake/screens_js.cmake).
  const SCREENS = { /* screens from screens.cpp */ };
  const PANELS = Object.keys(SCREENS);
  lab.screens = Object.freeze(PANELS.slice());  // the names setPanel takes, in the switcher's order
  // The URL's own values are shown on the poster only if they are among these constants (the
  // app warns about the others): nothing of the URL reaches the page as such.
  const panel = PANELS.includes(params.get('panel')) ? params.get('panel') : 'draw';
  // A step is any small number here: the app checks it against its table of steps.
  const step = /^[1-9][0-9]?$/.test(params.get('step') || '') ? Number(params.get('step')) : 0;
  const theme = params.get('theme') === 'light' ? 'light' : 'dark';
  document.documentElement.dataset.theme = theme;
  if (params.get('embed') === '1') document.documentElement.dataset.embed = '1';

  // [SECTION] Poster and progress until the first frame
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const poster = el('div', 'poster poster-' + panel);
  poster.setAttribute('aria-hidden', 'true');
  const sheet = el('div', 'poster-sheet');
  sheet.append(el('div', 'poster-title', SCREENS[panel].title + (panel === 'derivation' && step ? ' · step ' + step : '')),
               el('div', 'poster-subtitle', SCREENS[panel].subtitle));
  const art = el('div', 'poster-art');
  const shapes = SCREENS[panel].shapes.split(' ');
  for (const s of shapes) art.append(el('div', 'poster-shape poster-' + s));
  sheet.append(art);
  const bar = el('div', 'poster-progress');
  const fill = el('div', 'poster-progress-fill');
  bar.append(fill);
  sheet.append(bar);
  poster.append(sheet);
  const landmark = document.getElementById('app') || document.body;  // index.html's <main>
  landmark.append(poster);

  // Progress: Emscripten's run dependencies (wasm, app.data) and the bytes of app.data.
  let maxDeps = 0, fraction = 0.05;
  const showProgress = (f) => {
    fraction = Math.max(fraction, Math.min(1, f));
    fill.style.width = (fraction * 100).toFixed(1) + '%';
  };
  showProgress(0.05);
  const M = window.Module;
  const setStatus = M.setStatus;
  M.setStatus = (text) => {
    setStatus(text);
    const m = /\((\d+)\/(\d+)\)/.exec(text || '');
    if (m && Number(m[2]) > 0) showProgress(0.1 + 0.6 * Number(m[1]) / Number(m[2]));
  };
  const monitor = M.monitorRunDependencies;
  M.monitorRunDependencies = (left) => {
    if (monitor) monitor(left);
    maxDeps = Math.max(maxDeps, left);
    if (maxDeps) showProgress(0.1 + 0.8 * (maxDeps - left) / maxDeps);
  };
  lab.ready.then(() => poster.remove(), () => poster.classList.add('poster-failed'));

  // [SECTION] Touch and the context menu
  // A touch that starts in the drawing area (state().drawRect, in CSS pixels of the canvas)
  // draws: the app gets it and the page does not scroll or zoom (preventDefault, non-passive).
  // Any other touch belongs to the page: the app (SDL) does not see its touch events, so the
  // browser pans the page (or, in a frame, the course page around it: backprop-lab.css sets
  // touch-action: manipulation on the canvas) and turns a tap into mouse events, which the
  // app's buttons answer. Listened for on the window, capturing, so it runs before SDL's own
  // listeners on the canvas. Standalone (not in a frame) the page has nothing to scroll: every
  // touch goes to the app, where a drag that starts on no control scrolls a long panel
  // (ui::drag_to_scroll).
  let drawRect = null;  // refreshed by poll() below and on every touchstart
  const touchesForPage = new Set();
  const inDrawRect = (touch) => {
    if (!drawRect) return false;
    const box = canvas.getBoundingClientRect();
    const x = touch.clientX - box.left, y = touch.clientY - box.top;
    return x >= drawRect.x && y >= drawRect.y && x < drawRect.x + drawRect.width && y < drawRect.y + drawRect.height;
  };
  const onTouch = (event) => {
    if (!framed || event.target !== canvas) return;
    if (event.type === 'touchstart') {
      try { drawRect = lab.module ? lab.state().drawRect || null : null; } catch (_) { drawRect = null; }
      for (const t of event.changedTouches) if (!inDrawRect(t)) touchesForPage.add(t.identifier);
    }
    const forPage = [...event.changedTouches].every((t) => touchesForPage.has(t.identifier));
    if (event.type === 'touchend' || event.type === 'touchcancel')
      for (const t of event.changedTouches) touchesForPage.delete(t.identifier);
    if (forPage) {
      event.stopImmediatePropagation();  // not to SDL: the browser handles it
    } else if (event.type === 'touchstart' || event.type === 'touchmove') {
      event.preventDefault();  // drawing: no scroll, no zoom
    }
  };
  for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel'])
    window.addEventListener(type, onTouch, { capture: true, passive: false });
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());

  // [SECTION] The model URL parameter
  async function loadModelParam(state) {
    const wanted = state && state.settings && state.settings.model;
    if (!wanted) return;
    let url;
    try {
      url = new URL(wanted, location.href);
    } catch (_) {
      url = null;
    }
    if (!url || url.origin !== location.origin || !/^https?:$/.test(url.protocol)) {
      console.warn('Backprop Lab: model must be a URL on this site; using the default model');
      return;
    }
    try {
      const response = await fetch(url.href, { credentials: 'same-origin', redirect: 'error' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const text = await response.text();
      if (text.length > lab.modelTextLimit()) throw new Error('the file is larger than the limit of ' + lab.modelTextLimit() + ' bytes');
      lab.loadModel(text);
    } catch (error) {
      console.warn('Backprop Lab: could not load the model ' + url.pathname + ': ' +
                   (error && error.message ? error.message : error) + '; using the default model');
    }
  }

  // [SECTION] Copy link
  // The URL of this page that restores the app's current state (the app's settings table writes
  // the query: backpropLab.copyLink()).
  lab.link = () => location.origin + location.pathname + (lab.state().link ? '?' + lab.state().link : '');
  let toast = null;
  function showLink(url) {
    if (!toast) {
      toast = el('div', 'link-toast');
      toast.setAttribute('role', 'status');
      toast.append(el('span', 'link-toast-text'), el('input', 'link-toast-url'));
      toast.lastChild.readOnly = true;
      toast.lastChild.setAttribute('aria-label', 'Link to this screen');
      landmark.append(toast);
    }
    toast.firstChild.textContent = 'Link to this screen:';
    toast.lastChild.value = url;
    toast.hidden = false;
    const copied = () => { toast.firstChild.textContent = 'Link copied:'; };
    try {
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(copied, () => {});
    } catch (_) { /* no clipboard here: the link stays shown to copy by hand */ }
    toast.lastChild.select();
    clearTimeout(showLink.timer);
    showLink.timer = setTimeout(() => { toast.hidden = true; }, 8000);
  }

  // [SECTION] Messages with the page around the frame
  const PREFIX = 'backprop-lab:';
  const post = (message) => {
    // The embedding page may be on any origin (a course site embedding our folder); the state
    // holds nothing private.
    if (framed) window.parent.postMessage(message, '*');
  };

  const isPlainObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x) &&
                               Object.getPrototypeOf(x) === Object.prototype;
  const isFiniteNumber = (x) => typeof x === 'number' && Number.isFinite(x);
  const isShortString = (x) => typeof x === 'string' && x.length <= 64;
  // The allow-list: the rows of the app's command table that an embedding page may post
  // (access 'embed', backpropLab.commands: written by the web build from src/app/lab.cpp), each
  // with the row's own fields and types. A message's strings are short (64 characters), but for
  // a text field (a model), which has the engine's own limit; lists at most 64 numbers, but for a
  // list of numbers (number[]: a digit's 784 pixels).
  const limit = (types, x) => (typeof x === 'string' ? x.length <= (types.includes('text') ? lab.modelTextLimit() : 64)
                                                     : !Array.isArray(x) || x.length <= (types.includes('number[]') ? 784 : 64));
  const COMMANDS = Object.keys(lab.commands).filter((name) => lab.commands[name].access === 'embed');

  let running = false;
  // Runs one message of the protocol; returns the answer (result or error), never throws.
  function handle(data) {
    if (!isPlainObject(data) || typeof data.type !== 'string' || !data.type.startsWith(PREFIX)) return null;
    const id = isShortString(data.id) || isFiniteNumber(data.id) ? data.id : undefined;
    const error = (message) => ({ type: PREFIX + 'error', id, command: isShortString(data.command) ? data.command : undefined, message });
    if (data.type !== PREFIX + 'command') return error('unknown message type (send backprop-lab:command)');
    if (typeof data.command !== 'string' || !COMMANDS.includes(data.command))
      return error('unknown command; one of ' + COMMANDS.join(', '));
    if (!running) return error('Backprop Lab is still loading');
    const ok = lab.checkArgs(data.command, data.args, limit);
    if (ok !== true) return error(ok);
    try {
      const value = lab[data.command](data.args === null ? undefined : data.args);
      return { type: PREFIX + 'result', id, command: data.command, value: value === undefined ? null : value };
    } catch (e) {
      return error(String(e && e.message ? e.message : e));
    }
  }
  lab.handleMessage = handle;  // for tests and for a page that drives the app in the same window

  window.addEventListener('message', (event) => {
    // Only the page that embeds us may drive the app.
    if (!framed || event.source !== window.parent) return;
    const answer = handle(event.data);
    if (!answer) return;
    event.source.postMessage(answer, event.origin && event.origin !== 'null' ? event.origin : '*');
  });

  // State changes: polled, compared as JSON, posted at most 4 times a second.
  const STATE_INTERVAL_MS = 250;
  let lastState = '', lastLinkRequests = 0, lastPoll = 0, lastAnswer = 0;
  // Each answer to a "Predict first" question, once, in order (state().derivation.answers keeps
  // the latest few, numbered).
  function postAnswers(state) {
    const answers = state.derivation && Array.isArray(state.derivation.answers) ? state.derivation.answers : [];
    for (const a of answers) {
      if (a.n <= lastAnswer) continue;
      lastAnswer = a.n;
      post({ type: PREFIX + 'answer', step: a.step, question: a.question, choice: a.choice, chosen: a.chosen,
             correct: a.correct, score: { asked: a.score.asked, right: a.score.right } });
    }
  }
  function poll() {
    let state;
    try {
      state = lab.state();
    } catch (_) {
      return;  // the app stopped (its message is on the page)
    }
    if (state.linkRequests > lastLinkRequests) {
      lastLinkRequests = state.linkRequests;
      const url = location.origin + location.pathname + (state.link ? '?' + state.link : '');
      showLink(url);
      post({ type: PREFIX + 'link', url });
    }
    postAnswers(state);
    const text = JSON.stringify(state);
    if (text !== lastState) {
      lastState = text;
      post({ type: PREFIX + 'state', state });
    }
  }

  lab.ready.then(async () => {
    await loadModelParam(lab.state());
    running = true;
    const state = lab.state();
    lastState = JSON.stringify(state);
    lastLinkRequests = state.linkRequests || 0;
    for (const a of (state.derivation && state.derivation.answers) || []) lastAnswer = Math.max(lastAnswer, a.n);
    post({ type: PREFIX + 'ready', state });
    const tick = () => {
      const now = performance.now();
      if (now - lastPoll >= STATE_INTERVAL_MS) {
        lastPoll = now;
        poll();
      }
    };
    setInterval(tick, 50);
  }, () => {});
})();

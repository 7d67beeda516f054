// The page's side of Backprop Lab: sets up Emscripten's `Module` for app.js, shows loading and
// errors, and offers `window.backpropLab` to the page and to tests:
//
//   backpropLab.ready    a Promise, resolved once the app has drawn its first frame and
//                        rejected if loading fails
//   backpropLab.module   Emscripten's Module (ccall, cwrap, UTF8ToString, stringToNewUTF8)
//   backpropLab.preferences  the reader's, from the browser, read by the app when it starts
//                        (src/platform/main.cpp): {fontScale, reducedMotion}
//
// The C++ side (src/platform/main.cpp) calls backpropLab._firstFrameDrawn() after its first
// frame. Must be loaded before app.js.
'use strict';

(function () {
  const canvas = document.getElementById('canvas');
  const status = document.getElementById('status');
  const statusText = document.getElementById('status-text');

  // Loading messages are for the eye only (Emscripten's "Running...", "Downloading data...
  // (437069/437069)" would be read out one after another): the page says "Backprop Lab is
  // ready." once instead (web/mirror.js). An error is an alert, said at once.
  function showStatus(text, isError) {
    statusText.textContent = text;
    status.classList.toggle('error', !!isError);
    if (isError) status.setAttribute('role', 'alert');
    status.hidden = false;
  }

  // The spinner turns only if loading takes long (the stylesheet says why).
  const slowTimer = setTimeout(() => status.classList.add('slow'), 2000);

  let resolveReady, rejectReady;
  const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  ready.catch(() => {}); // the failure is shown on the page; not also an unhandled rejection
  let failed = false;

  function fail(text) {
    if (failed) return;
    failed = true;
    showStatus(text, true);
    rejectReady(new Error(text));
  }

  // The reader's preferences. fontScale: the browser's default font size (the root element's,
  // 16 px unless the reader changed it) over 16 px; the app's text is that much larger.
  // reducedMotion: prefers-reduced-motion, under which the app does not autoplay (and the
  // spinner does not turn: backprop-lab.css).
  const rootFontPx = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const preferences = {
    fontScale: rootFontPx > 0 ? Math.min(4, Math.max(0.5, rootFontPx / 16)) : 1,
    reducedMotion: !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches),
  };

  window.backpropLab = {
    ready,
    module: null,
    preferences,
    // Called from C++ once the first frame is drawn; resolves on the next animation frame so
    // that the frame has been composited by then.
    _firstFrameDrawn() {
      requestAnimationFrame(() => {
        if (failed) return;
        status.hidden = true;
        clearTimeout(slowTimer);
        status.classList.remove('slow');
        resolveReady(window.backpropLab);
      });
    },
  };

  // WebGL context loss (GPU reset, too many contexts, a driver crash): say so instead of
  // leaving a blank canvas. preventDefault() lets the browser try to restore it, but the app's
  // GL objects are gone, so a reload is what brings it back.
  canvas.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    failed = true;
    showStatus('The graphics context was lost (WebGL). Reload the page to continue.', true);
  });

  if (typeof WebAssembly !== 'object') {
    fail('This browser has no WebAssembly: Backprop Lab cannot run here.');
  }

  // Emscripten reads this object when app.js starts.
  window.Module = {
    canvas,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    setStatus: (text) => { if (text && !failed) showStatus(text, false); },
    monitorRunDependencies: () => {},
    onAbort: (what) => fail('Backprop Lab stopped: ' + what),
    onRuntimeInitialized() { window.backpropLab.module = window.Module; },
  };

  window.addEventListener('error', (event) => {
    if (event.target && event.target.tagName === 'SCRIPT') {
      fail('Could not load ' + event.target.getAttribute('src') + '.');
    } else if (!window.backpropLab.module && event.message) {
      // Before the app runs, an uncaught error means it cannot start: app.data missing (its
      // loader throws "Not Found : .../app.data" in an XHR handler), say. Say so rather than
      // spin on "Downloading data..." forever.
      fail('Backprop Lab could not start: ' + event.message.replace(/^Uncaught (Error: )?/, '') + '. Reload to try again.');
    }
  }, true);

  // ImGui's text fields take keys from the canvas (SDL listens on it alone): focus it when it is
  // touched. It is not a tab stop: the keyboard uses the mirror's controls (web/mirror.js).
  canvas.addEventListener('pointerdown', () => canvas.focus({ preventScroll: true }));
})();

// Embedding in a course page (issue 5), in headless Chromium: the built folder served from a
// sub-path (/course/lab/) by a plain static server that sends the CSP header of docs/embedding.md.
//   - the derivation embed alone: what it fetches before its first frame (gzip sizes, ≤ 1.5 MB);
//   - web/embed-example.html: its three embeds each show their panel, a command sent with
//     postMessage round-trips (result + state messages), bad messages get an error answer;
//   - keyboard: no key capture outside the focused canvas, no Tab taken on it; touch in the drawing area never scrolls;
//   - no console errors, no CSP violations, no page errors, no request leaves 127.0.0.1.
//
//   node tests/web/embed.mjs [DIST]     (DIST: default build-wasm/dist, made by ./build-wasm.sh)
//
// Prints a line per check and ends with `N passed, M failed`; exits 1 if any check failed.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, waitReady } from './lib-browser.mjs';
import { frameOf, gzipSize, runCourseTest, watch } from './lib-embed.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const BUDGET_BYTES = 1.5e6;
const { check, counts } = checker();

async function derivationAlone(browser, server) {
  const page = await browser.newPage({ viewport: { width: 720, height: 480 } });
  const w = await watch(page, server);
  // The time of the first frame: when the app calls backpropLab._firstFrameDrawn.
  await page.addInitScript(() => {
    let lab;
    Object.defineProperty(window, 'backpropLab', {
      configurable: true,
      get: () => lab,
      set: (v) => {
        const first = v._firstFrameDrawn;
        v._firstFrameDrawn = function () {
          if (window.__firstFrameAt === undefined) window.__firstFrameAt = performance.now();
          return first.apply(this, arguments);
        };
        lab = v;
      },
    });
  });
  const url = server.url + 'index.html?panel=derivation&step=4&embed=1';
  await page.goto(url);
  await waitReady(page);
  // What the page asked for before its first frame: the page, then every resource started before.
  const before = [new URL(url).pathname, ...await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.startTime < window.__firstFrameAt).map((e) => new URL(e.name).pathname))];
  const state = await page.evaluate(() => window.backpropLab.state());
  check('derivation embed: the derivation panel at step 4',
        state.panel === 'derivation' && state.derivation && state.derivation.step === 4,
        `${state.panel} ${JSON.stringify(state.derivation && state.derivation.step)}`);
  let total = 0;
  const rows = [];
  for (const path of before) {
    const size = gzipSize(dist, path);
    total += size;
    rows.push(`${path} ${size}`);
  }
  console.log(`# fetched before the first frame (gzip bytes): ${rows.join(', ')}`);
  console.log(`# total ${total} bytes`);
  check('derivation embed: ≤ 1.5 MB compressed before its first frame', total > 0 && total <= BUDGET_BYTES,
        `${total} bytes`);
  check('derivation embed: no MNIST file needed before its first frame',
        !before.some((p) => p.includes('/data/')), before.filter((p) => p.includes('/data/')).join(' '));
  check('derivation embed: no errors or CSP violations', w.errors.length === 0, w.errors.join(' | '));
  await page.close();
}

async function examplePage(browser, server) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const w = await watch(page, server);
  // Every message the embeds send to the course page.
  await page.addInitScript(() => {
    window.__messages = [];
    window.addEventListener('message', (e) => {
      const from = Array.from(document.querySelectorAll('iframe')).find((f) => f.contentWindow === e.source);
      window.__messages.push({ from: from ? from.id : null, data: e.data });
    });
  });
  await page.goto(server.url + 'embed-example.html');
  const expected = { 'lab-draw': 'draw', 'lab-train': 'train', 'lab-derivation': 'derivation' };
  const frames = {};
  for (const id of Object.keys(expected)) {
    const src = await page.getAttribute(`#${id}`, 'src');
    frames[id] = await frameOf(page, src.split('?')[1]);
  }
  for (const [id, panel] of Object.entries(expected)) {
    let state = null, error = '';
    try {
      await waitReady(frames[id]);
      state = await frames[id].evaluate(() => window.backpropLab.state());
    } catch (e) {
      error = String(e.message || e).split('\n')[0];
    }
    check(`example page: ${id} shows the ${panel} panel`, state && state.panel === panel, error || (state && state.panel));
    if (id === 'lab-derivation' && state)
      check('example page: the derivation embed starts at step 4', state.derivation && state.derivation.step === 4,
            JSON.stringify(state.derivation && state.derivation.step));
  }
  // Each embed says it is ready, with its state.
  await page.waitForFunction(() => new Set(window.__messages.filter((m) => m.data && m.data.type === 'backprop-lab:ready')
    .map((m) => m.from)).size === 3, null, { timeout: 30_000 }).catch(() => {});
  const readies = await page.evaluate(() => window.__messages.filter((m) => m.data.type === 'backprop-lab:ready')
    .map((m) => `${m.from}:${m.data.state && m.data.state.panel}`));
  check('example page: each embed posts backprop-lab:ready with its state',
        ['lab-derivation:derivation', 'lab-draw:draw', 'lab-train:train'].every((r) => readies.includes(r)), readies.join(' '));

  // The autoplay embed trains.
  let training = null;
  try {
    await frames['lab-train'].waitForFunction(() => window.backpropLab.state().training.examplesSeen > 0, null,
                                               { timeout: 90_000, polling: 500 });
    training = await frames['lab-train'].evaluate(() => window.backpropLab.state().training);
  } catch { /* reported below */ }
  check('example page: the [784,30,10] embed trains on its own (autoplay)', training && training.examplesSeen > 0,
        JSON.stringify(training));

  // The page's button drives the derivation embed through postMessage.
  await page.click('#next-step');
  let step = null;
  try {
    await frames['lab-derivation'].waitForFunction(() => window.backpropLab.state().derivation.step === 5, null,
                                                    { timeout: 10_000 });
    step = 5;
  } catch { step = await frames['lab-derivation'].evaluate(() => window.backpropLab.state().derivation.step); }
  check('example page: "Next step" moves the derivation embed to step 5 (postMessage)', step === 5, String(step));
  const steps = await frames['lab-derivation'].evaluate(() => window.backpropLab.state().derivation.steps);
  await page.waitForFunction((n) => document.getElementById('step-label').textContent.includes(`Step 5 of ${n}`), steps,
                             { timeout: 10_000 }).catch(() => {});
  check('example page: the state message comes back to the page',
        (await page.textContent('#step-label')).includes(`Step 5 of ${steps}`), await page.textContent('#step-label'));

  // A command round-trips: result with its id, and a state message with the change.
  const roundTrip = await page.evaluate(async () => {
    const frame = document.getElementById('lab-derivation').contentWindow;
    const answer = (id) => new Promise((resolveAnswer) => {
      const t = setTimeout(() => resolveAnswer(null), 10_000);
      window.addEventListener('message', function on(e) {
        if (e.source === frame && e.data && e.data.id === id) {
          clearTimeout(t);
          window.removeEventListener('message', on);
          resolveAnswer(e.data);
        }
      });
    });
    const send = (m) => { const a = answer(m.id); frame.postMessage(m, '*'); return a; };
    const n = window.__messages.length;
    const out = {};
    out.setPanel = await send({ type: 'backprop-lab:command', command: 'setPanel', args: 'network', id: 'a1' });
    out.state = await send({ type: 'backprop-lab:command', command: 'state', id: 'a2' });
    await new Promise((r) => setTimeout(r, 700));
    out.stateMessage = window.__messages.slice(n).some((m) => m.from === 'lab-derivation' &&
      m.data.type === 'backprop-lab:state' && m.data.state.panel === 'network');
    out.unknown = await send({ type: 'backprop-lab:command', command: 'eval', args: 'alert(1)', id: 'b1' });
    out.badArgs = await send({ type: 'backprop-lab:command', command: 'setPanel', args: '<img src=x onerror=alert(1)>', id: 'b2' });
    out.badType = await send({ type: 'backprop-lab:hello', id: 'b3' });
    out.badTrain = await send({ type: 'backprop-lab:command', command: 'train', args: { sizes: 'x' }, id: 'b4' });
    out.badModel = await send({ type: 'backprop-lab:command', command: 'loadModel', args: '{"sizes": [1]}', id: 'b5' });
    out.pause = await send({ type: 'backprop-lab:command', command: 'pause', id: 'b6' });
    out.back = await send({ type: 'backprop-lab:command', command: 'setPanel', args: 'derivation', id: 'b7' });
    // Recent state messages: at most 4 a second.
    const t0 = performance.now();
    const stamps = [];
    await new Promise((r) => {
      window.addEventListener('message', function on(e) {
        if (e.source === frame && e.data.type === 'backprop-lab:state') stamps.push(performance.now() - t0);
      });
      setTimeout(r, 100);
    });
    for (let k = 0; k < 12; k++) {
      frame.postMessage({ type: 'backprop-lab:command', command: 'setDerivation', args: { step: 1 + (k % 9) } }, '*');
      await new Promise((r) => setTimeout(r, 80));
    }
    await new Promise((r) => setTimeout(r, 400));
    out.stateStamps = stamps;
    return out;
  });
  check('postMessage: setPanel answers with a result', roundTrip.setPanel && roundTrip.setPanel.type === 'backprop-lab:result',
        JSON.stringify(roundTrip.setPanel));
  check('postMessage: state answers with the state', roundTrip.state && roundTrip.state.value &&
        roundTrip.state.value.panel === 'network', JSON.stringify(roundTrip.state && roundTrip.state.type));
  check('postMessage: a backprop-lab:state message follows the change', roundTrip.stateMessage);
  for (const k of ['unknown', 'badArgs', 'badType', 'badTrain', 'badModel'])
    check(`postMessage: refused (${k}) with a backprop-lab:error`, roundTrip[k] && roundTrip[k].type === 'backprop-lab:error' &&
          typeof roundTrip[k].message === 'string', JSON.stringify(roundTrip[k]));
  check('postMessage: pause and setPanel back work', roundTrip.pause && roundTrip.pause.type === 'backprop-lab:result' &&
        roundTrip.back && roundTrip.back.type === 'backprop-lab:result');
  const others = [await frames['lab-draw'].evaluate(() => window.backpropLab.state().panel),
                  await frames['lab-train'].evaluate(() => window.backpropLab.state().panel)];
  check('independent embeds: a command to one leaves the others as they were', others.join() === 'draw,train', others.join());
  const s = roundTrip.stateStamps;
  const maxPerSecond = s.length ? Math.max(...s.map((t) => s.filter((u) => u >= t && u < t + 1000).length)) : 0;
  check('postMessage: state messages throttled (≤ 4 a second)', s.length > 0 && maxPerSecond <= 5,
        `${s.length} messages, ${maxPerSecond} in one second`);

  // Keyboard: a key pressed outside a focused canvas is not taken by an embed.
  await page.focus('#next-step');
  const keys = await frames['lab-draw'].evaluate(() => {
    const ev = new KeyboardEvent('keydown', { key: 'ArrowDown', code: 'ArrowDown', keyCode: 40, bubbles: true, cancelable: true });
    window.dispatchEvent(ev);
    const c = document.getElementById('canvas');
    // SDL's key handler is on the canvas (for ImGui's text fields after a click): it takes an
    // arrow sent there, but never a Tab, which moves the browser's focus (web/mirror.js: no trap).
    const key = (k, code) => {
      const ev = new KeyboardEvent('keydown', { key: k, code: k, keyCode: code, cancelable: true });
      c.dispatchEvent(ev);
      c.dispatchEvent(new KeyboardEvent('keyup', { key: k, code: k, keyCode: code, cancelable: true }));
      return ev.defaultPrevented;
    };
    return { window: ev.defaultPrevented, arrow: key('ArrowLeft', 37), tab: key('Tab', 9),
             tabindex: c.getAttribute('tabindex'), touchAction: getComputedStyle(c).touchAction };
  });
  check('keyboard: no key capture on the embed\'s window (only its canvas listens)', !keys.window && keys.arrow,
        JSON.stringify(keys));
  check('keyboard: a Tab on the canvas is left to the browser (no keyboard trap)', !keys.tab, JSON.stringify(keys));
  check('keyboard: the canvas is not a tab stop (the mirror\'s controls are)', keys.tabindex === '-1', String(keys.tabindex));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.focus('#prev-step');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.keyboard.press('PageDown');
  await page.waitForTimeout(500);  // scrolling may be animated
  const scrolled = await page.evaluate(() => window.scrollY);
  check('keyboard: the course page still scrolls with its own keys', scrolled > 0, String(scrolled));
  // Touch: a touch that starts in the drawing area is the app's (touchstart and touchmove
  // cancelled: no scroll); others scroll the course page (tests/web/a11y-page.mjs, on a phone).
  const touch = await frames['lab-draw'].evaluate(() => {
    const c = document.getElementById('canvas');
    const r = window.backpropLab.state().drawRect;
    const t = new Touch({ identifier: 1, target: c, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 });
    const init = { touches: [t], targetTouches: [t], changedTouches: [t], bubbles: true, cancelable: true };
    const start = new TouchEvent('touchstart', init), move = new TouchEvent('touchmove', init);
    c.dispatchEvent(start);
    c.dispatchEvent(move);
    c.dispatchEvent(new TouchEvent('touchend', { changedTouches: [t], bubbles: true, cancelable: true }));
    return start.defaultPrevented && move.defaultPrevented;
  }).catch((e) => `no TouchEvent here: ${e.message}`);
  check('touch: drawing on the canvas never scrolls the page', keys.touchAction === 'manipulation' && touch === true,
        `${keys.touchAction} ${touch}`);

  check('example page: no console errors, page errors or CSP violations', w.errors.length === 0, w.errors.join(' | '));
  check('example page: no request leaves 127.0.0.1', w.outside.length === 0, w.outside.join(' '));
  await page.close();
}

await runCourseTest({ what: 'embed test', dist, files: ['index.html', 'embed.js', 'embed-example.html', 'app.js', 'app.wasm'], check, counts }, async (server, browser) => {
  await derivationAlone(browser, server);
  await examplePage(browser, server);
});

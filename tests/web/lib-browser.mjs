// Shared by the browser tests: Chromium with the flags of shared/TOOLCHAIN.md, a page that
// records console errors and refuses requests leaving 127.0.0.1, waiting for the app, checks.
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

// Debian's chromium-headless-shell: the same Blink, V8 and ANGLE as its chromium, without the
// browser's user interface. A new page and its load of the app (ready, then MNIST in) took
// about 2.3 core-seconds there against 4.6 in `chromium --headless` (the browser tests: 291
// core-seconds instead of 393). BPLAB_CHROMIUM chooses another. Orca's test reads a real
// Chromium window (orca.mjs).
export const CHROMIUM = process.env.BPLAB_CHROMIUM || '/usr/bin/chromium-headless-shell';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions',
];

// The shared Chromium of the test run when there is one (BPLAB_CHROMIUM_WS_FILE names the file
// lib-chromium-server.mjs wrote), else a Chromium of this test's own. Either way each page gets
// a context of its own; close() leaves a shared one running.
export async function launch() {
  const file = process.env.BPLAB_CHROMIUM_WS_FILE;
  if (file && existsSync(file)) {
    try {
      return await chromium.connect(readFileSync(file, 'utf8').split('\n')[0], { timeout: 30_000 });
    } catch (e) {
      console.log(`# the shared Chromium did not answer (${e.message.split('\n')[0]}): starting one`);
    }
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// A page whose console errors, page errors and outside requests are collected in `problems`.
export async function openPage(browser, server, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  const warnings = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('data:')) return route.continue();
    problems.push(`outside request: ${url}`);
    return route.abort();
  });
  return { page, problems, warnings };
}

export async function waitReady(page, ms = 120_000) {
  await page.waitForFunction(() => window.backpropLab && window.backpropLab.ready, null, { timeout: ms });
  await page.evaluate((t) => Promise.race([
    window.backpropLab.ready.then(() => true),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`not ready in ${t} ms`)), t)),
  ]), ms);
}

// Waits until `predicate(state)` holds (checked here in Node, polling the page: the page's
// Content-Security-Policy forbids evaluating strings in it) and returns that state.
export async function waitState(page, predicate, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const s = await page.evaluate(() => window.backpropLab.state());
    if (predicate(s)) return s;
    if (Date.now() > end) {
      // What the state was, so that a timeout says why (training stalled, an error, a status).
      const seen = JSON.stringify({ training: s.training, message: s.message, panel: s.panel, data: s.data });
      throw new Error(`state not reached in ${ms} ms: ${predicate}\n  last state: ${seen.slice(0, 1500)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const frames = (page, n = 3) => page.evaluate((k) => new Promise((resolve) => {
  const step = () => (k-- <= 0 ? resolve() : requestAnimationFrame(step));
  requestAnimationFrame(step);
}), n);

// Each check prints `ok - name` or `not ok - name: detail`; finish() prints `N passed, M failed`
// and exits 1 when a check failed, when none ran, or when fewer than `atLeast` ran (a test
// that stops early must not pass).
export function checker() {
  const counts = { passed: 0, failed: 0 };
  const check = (name, ok, detail = '') => {
    if (ok) { counts.passed++; console.log(`ok - ${name}`); } else {
      counts.failed++;
      console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
    }
    return ok;
  };
  return { check, counts };
}

// Runs a test's main(): an exception is one failed check named `what`; then finish().
export async function run(what, main, check, counts, atLeast = 1) {
  try {
    await main();
  } catch (e) {
    check(`${what} ran`, false, String(e.stack || e));
  }
  finish(counts, atLeast);
}

export function finish(counts, atLeast = 1) {
  const ran = counts.passed + counts.failed;
  if (ran < atLeast) console.log(`not ok - only ${ran} checks ran, ${atLeast} expected`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed > 0 || counts.passed === 0 || ran < atLeast ? 1 : 0);
}

// Draws `strokes` (polylines in the unit square) on the Draw screen's canvas with real mouse
// events, inside state().drawRect, about 8 px apart: a mouse moved at 500 px/s sends that at
// 60 Hz. (A fixed 12 events a segment sent 480 for a 0 of 41 points, each a frame drawn:
// 15 s of the browser tests.)
export async function drawDigit(page, strokes) {
  const s = await page.evaluate(() => window.backpropLab.state());
  const box = await page.locator('#canvas').boundingBox();
  const r = s.drawRect;
  const at = ([x, y]) => [box.x + r.x + x * r.width, box.y + r.y + y * r.height];
  for (const stroke of strokes) {
    const [x0, y0] = at(stroke[0]);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i < stroke.length; ++i) {
      const [xa, ya] = at(stroke[i - 1]);
      const [x, y] = at(stroke[i]);
      await page.mouse.move(x, y, { steps: Math.max(1, Math.ceil(Math.hypot(x - xa, y - ya) / 8)) });
    }
    await page.mouse.up();
  }
  await frames(page, 3);
}

// Smoke test of the web build in headless Chromium (Debian's, driven by playwright-core):
// serves the built folder on 127.0.0.1, loads the page, waits for window.backpropLab.ready
// (the first frame is drawn), fails on any console error, page error or request leaving
// 127.0.0.1, and saves a screenshot.
//
//   node tests/web/smoke.mjs [DIST] [SCREENSHOT]
//     DIST        the built site (default build-wasm/dist, made by ./build-wasm.sh)
//     SCREENSHOT  where to save the page (default build/screenshots/web-smoke.png)
//
// Prints a line per check and ends with `N passed, M failed`; exits 1 if any check failed.
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, launch, run } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const shot = resolve(process.argv[3] || join(repo, 'build', 'screenshots', 'web-smoke.png'));
const READY_TIMEOUT_MS = 120_000; // a loaded 2-core machine compiles the wasm slowly

const { check, counts } = checker();

async function main() {
  for (const f of ['index.html', 'backprop-lab.js', 'app.js', 'app.wasm']) {
    if (!check(`dist has ${f}`, existsSync(join(dist, f)), `run ./build-wasm.sh first (${dist})`)) {
      return;
    }
  }
  const server = await serve(dist);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    const outside = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      if (req.url().startsWith(server.url)) errors.push(`request failed: ${req.url()}`);
    });
    // Only our own server may be asked for anything.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort();
    });

    const start = Date.now();
    await page.goto(server.url, { waitUntil: 'load' });
    let readyError = '';
    try {
      await page.waitForFunction(() => window.backpropLab && window.backpropLab.ready, null,
                                 { timeout: READY_TIMEOUT_MS });
      await page.evaluate((ms) => Promise.race([
        window.backpropLab.ready.then(() => true),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`not ready in ${ms} ms`)), ms)),
      ]), READY_TIMEOUT_MS);
    } catch (e) {
      readyError = String(e.message || e).split('\n')[0];
    }
    check('backpropLab.ready resolves after the first frame', !readyError, readyError);
    if (!readyError) console.log(`# ready after ${Date.now() - start} ms`);
    if (!readyError) {
      // Where start-up time went: the app's User Timing marks (src/platform/main.cpp), in ms
      // from navigation start. Figures only; tests/web/bench.mjs reports medians over loads.
      const marks = await page.evaluate(() => performance.getEntriesByType('mark')
        .filter((e) => e.name.startsWith('bplab: '))
        .map((e) => `${e.name.slice(7)} ${Math.round(e.startTime)}`).join(', '));
      console.log(`# start-up marks: ${marks}`);
    }

    const info = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      const gl = window.Module && window.Module.ctx; // the app's context (Emscripten's GL)
      return {
        width: c.width,
        height: c.height,
        cssWidth: c.clientWidth,
        cssHeight: c.clientHeight,
        ratio: window.devicePixelRatio,
        webgl2: !!gl && gl instanceof WebGL2RenderingContext && !gl.isContextLost(),
        statusHidden: document.getElementById('status').hidden,
        ccall: !!(window.backpropLab.module && typeof window.backpropLab.module.ccall === 'function'),
      };
    });
    check('the app draws with WebGL2', info.webgl2);
    check('the canvas fills the window', info.cssWidth === 1280 && info.cssHeight === 800,
          `${info.cssWidth}x${info.cssHeight}`);
    check('the canvas has one pixel per device pixel',
          info.width === Math.floor(info.cssWidth * info.ratio) &&
          info.height === Math.floor(info.cssHeight * info.ratio),
          `${info.width}x${info.height} for ${info.cssWidth}x${info.cssHeight} at ${info.ratio}`);
    check('the loading indicator is gone', info.statusHidden);
    check('the page can call C++ (Module.ccall)', info.ccall);

    // index.html preloads app.js, app.wasm and app.data so that they download while the page's
    // own scripts run. A preload that does not match app.js's own request is fetched twice.
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname.split('/').pop()));
    for (const f of ['app.js', 'app.wasm', 'app.data']) {
      const times = fetched.filter((name) => name === f).length;
      check(`${f} is fetched once (its preload is used)`, times === 1, `${times} times`);
    }

    mkdirSync(dirname(shot), { recursive: true });
    const png = await page.screenshot({ path: shot });
    // The ImGui window is on the screenshot: count the pixels of the active title bar's colour
    // (Dear ImGui's dark style). Read from the PNG: the WebGL canvas is cleared once composited.
    const titlePixels = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const near = (i, r, g, b) =>
        Math.abs(d[i] - r) < 8 && Math.abs(d[i + 1] - g) < 8 && Math.abs(d[i + 2] - b) < 8;
      // The app's full-window ImGui window has no title bar: look for its background (dark
      // style WindowBg over the clear colour) and its buttons (the panel switcher).
      let bg = 0, button = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (near(i, 15, 15, 15)) bg++;
        // ui::set_theme's dark buttons: plain (0.17, 0.20, 0.27) and the current screen's (0.16, 0.40, 0.75).
        if (near(i, 43, 51, 69) || near(i, 41, 102, 191)) button++;
      }
      return { bg, button };
    }, png.toString('base64'));
    check('the canvas shows an ImGui window', titlePixels.bg > 20000 && titlePixels.button > 500,
          `${titlePixels.bg} pixels of window background, ${titlePixels.button} of button blue`);
    console.log(`# screenshot ${shot}`);

    check('no console errors or page errors', errors.length === 0, errors.join(' | '));
    check('no requests leave 127.0.0.1', outside.length === 0, outside.join(' '));

    // Last, as it ends the app: a lost WebGL context shows a message, not a blank page.
    const lost = await page.evaluate(async () => {
      const gl = window.Module && window.Module.ctx;
      const ext = gl && gl.getExtension('WEBGL_lose_context');
      if (!ext) return gl ? 'no WEBGL_lose_context' : 'the app has no GL context';
      ext.loseContext();
      await new Promise((r) => setTimeout(r, 200));
      const status = document.getElementById('status');
      return status.hidden ? 'status hidden' : status.textContent;
    });
    check('a lost WebGL context shows a message', /lost/i.test(lost), lost);
  } finally {
    await browser.close();
    await server.close();
  }
}

await run('smoke test', main, check, counts);

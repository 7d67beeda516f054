// The embed's canvas follows its frame (issue 5), in headless Chromium, served from
// /course/lab/ with the CSP header of docs/embedding.md: one iframe on a course page is resized from
// 320x240 to 800x600 to 1280x800 after load (the derivation at devicePixelRatio 1, the Draw
// screen at 2, the Train screen with the screen buttons); each time the canvas
// buffer is CSS size × devicePixelRatio on both axes (sharp, not stretched) and the app keeps
// drawing. Screenshots of the frame at the three sizes are saved for review:
//   build/screenshots/embed-<panel>-<w>x<h>@<dpr>x.png
//
//   node tests/web/embed-resize.mjs [DIST] [SCREENSHOT_DIR]
//
// Prints a line per check and ends with `N passed, M failed`; exits 1 if any check failed.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, waitReady } from './lib-browser.mjs';
import { CSP, canvasInfo, frameOf, runCourseTest, sharp, watch } from './lib-embed.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const shots = resolve(process.argv[3] || join(repo, 'build', 'screenshots'));
const SIZES = [[320, 240], [800, 600], [1280, 800]];
const { check, counts } = checker();

// Waits for a few animation frames inside the frame: the app resizes on its next frame.
const frames = (target, n = 4) => target.evaluate((k) => new Promise((r) => {
  const step = () => (k-- <= 0 ? r() : requestAnimationFrame(step));
  requestAnimationFrame(step);
}), n);

async function run(browser, server, { panel, query, dpr }) {
  const context = await browser.newContext({ viewport: { width: 1320, height: 840 }, deviceScaleFactor: dpr });
  const page = await context.newPage();
  const w = await watch(page, server);
  // A course page on the same origin holding one frame, under the same CSP.
  await page.route(server.url + 'host.html', (route) => route.fulfill({
    contentType: 'text/html', headers: { 'Content-Security-Policy': CSP }, body: '<!doctype html><title>host</title><body></body>',
  }));
  await page.goto(server.url + 'host.html');
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.id = 'lab';
    f.src = src;
    Object.assign(f.style, { border: '0', display: 'block', width: '320px', height: '240px', maxWidth: 'none' });
    document.body.replaceChildren(f);
  }, 'index.html?' + query);
  const frame = await frameOf(page, query);
  await waitReady(frame);
  for (const [width, height] of SIZES) {
    await page.evaluate(([fw, fh]) => {
      const f = document.getElementById('lab');
      f.style.width = fw + 'px';
      f.style.height = fh + 'px';
    }, [width, height]);
    await frames(frame);
    const info = await canvasInfo(frame);
    const label = `${panel} ${width}x${height} at dpr ${dpr}`;
    check(`${label}: the canvas fills the frame`, info.cssWidth === width && info.cssHeight === height,
          `${info.cssWidth}x${info.cssHeight}`);
    check(`${label}: one buffer pixel per device pixel, no distortion`, sharp(info),
          `buffer ${info.width}x${info.height} for ${info.cssWidth}x${info.cssHeight} css at ${info.ratio}`);
    const state = await frame.evaluate(() => window.backpropLab.state());
    check(`${label}: still the ${panel} panel`, state.panel === panel, state.panel);
    const file = join(shots, `embed-${panel}-${width}x${height}@${dpr}x.png`);
    await page.locator('#lab').screenshot({ path: file });
    console.log(`# screenshot ${file}`);
  }
  check(`${panel} at dpr ${dpr}: no errors, CSP violations or outside requests`,
        w.errors.length === 0 && w.outside.length === 0, [...w.errors, ...w.outside].join(' | '));
  await context.close();
}

await runCourseTest({ what: 'resize test', dist, files: ['index.html', 'embed.js', 'app.js', 'app.wasm'], check, counts }, async (server, browser) => {
  mkdirSync(shots, { recursive: true });
  await run(browser, server, { panel: 'derivation', query: 'panel=derivation&step=4&embed=1', dpr: 1 });
  await run(browser, server, { panel: 'draw', query: 'panel=draw&embed=1', dpr: 2 });
  await run(browser, server, { panel: 'train', query: 'panel=train', dpr: 1 });  // not embedded: with the buttons
});

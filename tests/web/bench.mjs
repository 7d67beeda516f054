// Performance figures (not pass/fail): the WASM engine's seconds per epoch on the benchmark page
// (bench.html: [784, 30, 10], batch 10, 50,000 images, nothing else running), then training speed
// and frame rate inside the app while its UI runs.
//
//   node tests/web/bench.mjs [DIST] [SECONDS]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, openPage, waitReady, waitState } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const seconds = Number(process.argv[3]) || 10;

const fpsFor = (page, ms) => page.evaluate((t) => new Promise((resolve) => {
  let n = 0;
  const t0 = performance.now();
  const step = () => {
    n++;
    if (performance.now() - t0 < t) requestAnimationFrame(step);
    else resolve(n / ((performance.now() - t0) / 1000));
  };
  requestAnimationFrame(step);
}), ms);

const server = await serve(dist);
const browser = await launch();
try {
  // 1. The benchmark page.
  const bench = await openPage(browser, server);
  await bench.page.goto(server.url + 'bench.html');
  await bench.page.waitForFunction(() => window.benchResult, null, { timeout: 300_000 });
  const r = await bench.page.evaluate(() => window.benchResult);
  if (r.error) throw new Error(r.error);
  const best = Math.min(...r.secondsPerEpoch);
  console.log(`bench page: [784,30,10] batch 10, ${r.examples} images: ${r.secondsPerEpoch.map((s) => s.toFixed(3)).join(' ')} s/epoch` +
              ` (best ${best.toFixed(3)} s = ${Math.round(r.examples / best)} examples/s), test accuracy ${r.testAccuracy}`);
  await bench.page.close();

  // 2. The app with its UI running, at three window sizes: training in the Web Worker (the
  // default), and in the frame loop's slices (worker=0).
  const runs = [];
  for (const worker of [1, 0])
    for (const viewport of [{ width: 1280, height: 800 }, { width: 640, height: 400 }, { width: 320, height: 240 }])
      runs.push({ worker, viewport });
  for (const { worker, viewport } of runs) {
    const { page } = await openPage(browser, server, viewport);
    await page.goto(server.url + '?panel=train&worker=' + worker);
    await waitReady(page);
    await page.evaluate(() => window.backpropLab.loadFullData());
    await waitState(page, (s) => s.data.full, 300_000);
    const idle = await fpsFor(page, 3000);
    await page.evaluate(() => window.backpropLab.train({ sizes: [784, 30, 10], eta: 0.5, batch: 10, epochs: 100 }));
    await fpsFor(page, 2000);  // let the budget settle
    const s0 = await page.evaluate(() => window.backpropLab.state().training);
    const t0 = Date.now();
    const fps = await fpsFor(page, seconds * 1000);
    const s1 = await page.evaluate(() => window.backpropLab.state().training);
    const rate = (s1.examplesSeen - s0.examplesSeen) / ((Date.now() - t0) / 1000);
    console.log(`app ${viewport.width}x${viewport.height}, ${worker ? 'in the worker' : 'in the frames'}, train panel: idle ${idle.toFixed(1)} fps; training ` +
                `${fps.toFixed(1)} fps, ${Math.round(rate)} examples/s = ${(100 * rate / (r.examples / best)).toFixed(0)}% of the bench page`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

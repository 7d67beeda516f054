// Peer comparison (not pass/fail): TF.js with its WebAssembly backend (npm dev dependencies
// @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm) training the same net with the same
// settings as bench.html — [784, 30, 10], sigmoid, cross-entropy, SGD η = 0.5, batch 10 — on the
// same 50,000 MNIST images, in the same headless Chromium. Prints seconds per epoch.
//
//   node tests/web/bench-tfjs.mjs [DIST] [EPOCHS]
import { mkdtempSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, openPage } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const epochs = Number(process.argv[3]) || 1;

// A folder of its own: the page, MNIST from the web build, TF.js from node_modules.
const site = mkdtempSync(join(tmpdir(), 'bplab-tfjs-'));
symlinkSync(join(dist, 'data'), join(site, 'data'));
const tf = join(repo, 'node_modules', '@tensorflow');
symlinkSync(join(tf, 'tfjs', 'dist', 'tf.min.js'), join(site, 'tf.min.js'));
for (const f of ['tf-backend-wasm.min.js', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm',
                 'tfjs-backend-wasm-threaded-simd.wasm'])
  symlinkSync(join(tf, 'tfjs-backend-wasm', 'dist', f), join(site, f));
writeFileSync(join(site, 'index.html'), `<!doctype html><meta charset="utf-8"><title>TF.js bench</title>
<script src="tf.min.js"></script><script src="tf-backend-wasm.min.js"></script>
<script src="bench.js"></script>`);
writeFileSync(join(site, 'bench.js'), `
(async () => {
  try {
    tf.wasm.setWasmPaths('./');
    await tf.setBackend('wasm');
    await tf.ready();
    const [img, lab] = await Promise.all(['data/train-images-idx3-ubyte', 'data/train-labels-idx1-ubyte']
      .map((u) => fetch(u).then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b))));
    const n = 50000;
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n * 784; i++) x[i] = img[16 + i] / 255;
    const y = new Float32Array(n * 10);
    for (let i = 0; i < n; i++) y[i * 10 + lab[8 + i]] = 1;
    const xs = tf.tensor2d(x, [n, 784]), ys = tf.tensor2d(y, [n, 10]);
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [784], units: 30, activation: 'sigmoid' }));
    model.add(tf.layers.dense({ units: 10, activation: 'sigmoid' }));
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const seconds = [];
    for (let e = 0; e < ${epochs}; e++) {
      const t0 = performance.now();
      await model.fit(xs, ys, { batchSize: 10, epochs: 1, shuffle: true, verbose: 0 });
      seconds.push((performance.now() - t0) / 1000);
    }
    window.benchResult = { backend: tf.getBackend(), seconds };
  } catch (e) {
    window.benchResult = { error: String(e && e.stack || e) };
  }
})();`);

const server = await serve(site);
const browser = await launch();
try {
  const { page } = await openPage(browser, server);
  await page.goto(server.url);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 600_000 });
  const r = await page.evaluate(() => window.benchResult);
  if (r.error) throw new Error(r.error);
  console.log(`TF.js (${r.backend} backend) [784,30,10] batch 10, 50000 images: ${r.seconds.map((s) => s.toFixed(2)).join(' ')} s/epoch`);
} finally {
  await browser.close();
  await server.close();
  rmSync(site, { recursive: true, force: true });
}

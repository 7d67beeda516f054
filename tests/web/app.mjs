// End-to-end test of the app in headless Chromium: the page loads with no console errors, digits
// drawn with real mouse events are recognised, training raises test accuracy, bad models are
// refused, and every screen is saved as a PNG for review (build-wasm/screenshots/).
//
//   node tests/web/app.mjs [DIST]      (DIST: build-wasm/dist, made by ./build-wasm.sh)
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, drawDigit, frames, launch, openPage, run, waitReady, waitState } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const shots = join(repo, 'build-wasm', 'screenshots');
mkdirSync(shots, { recursive: true });
const { check, counts } = checker();

// Digits as strokes in the unit square (as tests/app/strokes.hpp).
const DIGITS = {
  1: [[[0.52, 0.18], [0.5, 0.5], [0.48, 0.82]]],
  0: [Array.from({ length: 41 }, (_, i) => {
    const t = (i / 40) * 2 * Math.PI;
    return [0.5 + 0.2 * Math.sin(t), 0.5 - 0.3 * Math.cos(t)];
  })],
  7: [[[0.28, 0.2], [0.72, 0.2], [0.6, 0.45], [0.46, 0.82]]],
};

async function main() {
  const server = await serve(dist);
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser, server);
    const t0 = Date.now();
    await page.goto(server.url);
    await waitReady(page);
    const readyValue = await page.evaluate(() => window.backpropLab.ready.then((lab) => ({
      same: lab === window.backpropLab, sizes: lab.state().sizes, frames: window.Module._bplab_frames(1) })));
    check('backpropLab.ready resolves to backpropLab, with a model and a frame drawn',
          readyValue.same && readyValue.sizes.length >= 2 && readyValue.frames >= 1, JSON.stringify(readyValue));
    console.log(`# ready after ${Date.now() - t0} ms`);
    let s = await page.evaluate(() => window.backpropLab.state());
    check('state() has the default model', JSON.stringify(s.sizes) === '[784,30,10]', JSON.stringify(s.sizes));
    check('state() has the documented fields',
          ['panel', 'training', 'accuracy', 'prediction', 'predicted', 'input', 'drawRect', 'derivation']
            .every((k) => k in s) && s.prediction.length === 10 && s.input.length === 784);
    check('the app starts on the Draw panel with a drawing area', s.panel === 'draw' && s.drawRect &&
          s.drawRect.width > 100, JSON.stringify(s.drawRect));
    s = await waitState(page, (st) => st.data.test === 10000 && st.data.training > 0);
    check('MNIST arrives (10,000 test, small training set)', s.data.training === 10000, JSON.stringify(s.data));
    await frames(page, 5);
    await page.screenshot({ path: join(shots, 'draw-empty.png') });

    for (const d of [1, 0, 7]) {
      await page.evaluate(() => window.backpropLab.clearDrawing());
      await frames(page, 2);
      await drawDigit(page, DIGITS[d]);
      s = await page.evaluate(() => window.backpropLab.state());
      const ink = s.input.reduce((a, b) => a + b, 0);
      check(`a drawn ${d} is predicted as ${d}`, s.predicted === d,
            `predicted ${s.predicted}, prediction ${s.prediction.map((p) => p.toFixed(2))}, ink ${ink.toFixed(1)}`);
      check(`the input of the drawn ${d} is in [0, 1]`, s.input.every((v) => v >= 0 && v <= 1) && ink > 20);
      await page.screenshot({ path: join(shots, `draw-${d}.png`) });
    }

    // A test digit, then the Network screen for it with δ.
    await page.evaluate(() => window.backpropLab.showTestDigit(3));
    await frames(page, 2);
    s = await page.evaluate(() => window.backpropLab.state());
    check('a test digit shows with its label', s.testDigit && s.testDigit.index === 3, JSON.stringify(s.testDigit));
    await page.screenshot({ path: join(shots, 'draw-test-digit.png') });
    await page.evaluate(() => window.backpropLab.setPanel('network'));
    await frames(page, 3);
    await page.screenshot({ path: join(shots, 'network.png') });
    await page.evaluate(() => window.backpropLab.setPanel('derivation'));
    await frames(page, 3);
    await page.screenshot({ path: join(shots, 'derivation.png') });

    // A bad model is refused, the current one kept.
    const before = await page.evaluate(() => window.backpropLab.exportModel());
    const refusals = await page.evaluate(() => {
      const out = [];
      for (const text of ['{garbage', '{"sizes": [784, 30, 5]}', '', '<script>alert(1)</script>']) {
        try { window.backpropLab.loadModel(text); out.push('accepted'); } catch (e) { out.push(e.message); }
      }
      return out;
    });
    const after = await page.evaluate(() => window.backpropLab.exportModel());
    check('bad models are refused with a message', refusals.every((m) => m !== 'accepted' && m.length > 5),
          refusals.join(' | '));
    check('the current model is kept', before === after);
    check('the exported model loads back', await page.evaluate((t) => {
      window.backpropLab.loadModel(t);
      return true;
    }, before));

    // Training for some seconds raises test accuracy. Drawing keeps working meanwhile, and its
    // prediction follows the model as it learns. Frame rates are printed, not checked (timings
    // are figures: tests/web/bench.mjs).
    await page.evaluate(() => window.backpropLab.setPanel('train'));
    const fpsFor = (ms) => page.evaluate((t) => new Promise((resolve) => {
      let n = 0;
      const t0 = performance.now();
      const step = () => { n++; if (performance.now() - t0 < t) requestAnimationFrame(step); else resolve(n / ((performance.now() - t0) / 1000)); };
      requestAnimationFrame(step);
    }), ms);
    const idleFps = await fpsFor(2000);
    // Epochs enough to outlast the test on any machine (it pauses the run below): 60 epochs of
    // the small training set took 3.5 s and once ended while the 7 was drawn, before `seen` was
    // read, so that the wait for more examples could never end.
    await page.evaluate(() => window.backpropLab.train({ sizes: [784, 30, 10], eta: 0.5, batch: 10, epochs: 1000 }));
    s = await page.evaluate(() => window.backpropLab.state());
    check('train() starts training', s.training.running, JSON.stringify(s.training));
    check('training runs in the Web Worker', s.training.inWorker === true, JSON.stringify(s.training));
    await page.evaluate(() => { window.backpropLab.setPanel('draw'); window.backpropLab.clearDrawing(); });
    await frames(page, 2);
    await drawDigit(page, DIGITS[7]);
    const drawn = await page.evaluate(() => window.backpropLab.state());
    const seen = drawn.training.examplesSeen;
    const later = await waitState(page, (st) => st.training.examplesSeen >= seen + 20000 ||
                                                (!st.training.running && st.training.examplesSeen > seen), 90_000);
    check('drawing works while it trains', drawn.training.running && drawn.input.some((v) => v > 0.5) &&
          drawn.prediction.every(Number.isFinite), JSON.stringify(drawn.training));
    // Any change at all: a net sure of the 7 (its outputs saturated, some below 1e-6) can move
    // each output by less than 1e-6 in two epochs, and the training may be far along by now.
    check('the prediction follows the model as it learns',
          later.prediction.some((p, i) => p !== drawn.prediction[i]) &&
          later.input.every((v, i) => v === drawn.input[i]),
          `${drawn.prediction.map((p) => p.toExponential(3))} -> ${later.prediction.map((p) => p.toExponential(3))}`);
    await page.evaluate(() => window.backpropLab.setPanel('train'));
    const fps = await fpsFor(4000);

    s = await waitState(page, (st) => st.accuracy.test !== null && st.accuracy.test > 0.85 && st.training.epoch >= 2, 90_000);
    check('training raises test accuracy above 85%', s.accuracy.test > 0.85, JSON.stringify(s.accuracy));
    console.log(`# idle ${idleFps.toFixed(1)} frames/s; while training: ${fps.toFixed(1)} frames/s, ${Math.round(s.training.examplesPerSecond)} examples/s, epoch ${s.training.epoch}, test ${s.accuracy.test}`);
    await page.screenshot({ path: join(shots, 'train.png') });
    await page.evaluate(() => window.backpropLab.pause());
    s = await page.evaluate(() => window.backpropLab.state());
    check('pause() stops training', !s.training.running);

    // A frame that would look exactly like the last one is not drawn again (main.cpp's
    // StillFrames); a change is.
    const drawnFrames = () => page.evaluate(() => window.backpropLab.module._bplab_frames(1));
    await frames(page, 10);
    const d0 = await drawnFrames();
    await frames(page, 40);
    const d1 = await drawnFrames();
    check('a still screen is not drawn again', d1 - d0 < 20, `${d1 - d0} of 40 frames drawn`);
    await page.evaluate(() => window.backpropLab.setPanel('network'));
    await frames(page, 3);
    check('a change is drawn', (await drawnFrames()) > d1);
    await page.evaluate(() => window.backpropLab.setPanel('train'));
    check('bad train() settings are refused', await page.evaluate(() => {
      try { window.backpropLab.train({ eta: -1 }); return false; } catch (e) { return /eta/.test(e.message); }
    }));

    // The same app in a small frame (an embed): still usable.
    await page.setViewportSize({ width: 320, height: 240 });
    await page.evaluate(() => window.backpropLab.setPanel('draw'));
    await frames(page, 5);
    await page.screenshot({ path: join(shots, 'draw-320x240.png') });
    await page.evaluate(() => window.backpropLab.setPanel('train'));
    await frames(page, 5);
    await page.screenshot({ path: join(shots, 'train-320x240.png') });

    // The device pixel ratio changes (browser zoom, another screen): the fonts are made again
    // at the new resolution. (Set through DevTools: page.screenshot would reset it.)
    s = await page.evaluate(() => window.backpropLab.state());
    check('fonts are made at the page\'s pixel ratio', s.fontPixelRatio === 1, String(s.fontPixelRatio));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 320, height: 240, deviceScaleFactor: 2, mobile: false });
    await page.evaluate(() => window.backpropLab.setPanel('derivation'));
    await frames(page, 5);
    s = await page.evaluate(() => window.backpropLab.state());
    check('after a change of pixel ratio, the fonts are made again', s.fontPixelRatio === 2, String(s.fontPixelRatio));
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
    writeFileSync(join(shots, 'derivation-320x240-dpr2.png'), Buffer.from(shot.data, 'base64'));
    await cdp.send('Emulation.clearDeviceMetricsOverride');

    // Data larger than the memory a page can have (as on a phone): refused with a message before
    // a byte is read, and the data loaded before kept. (The size says 2047 MB: more than is left
    // of the 2 GB a page's WebAssembly memory may grow to.)
    const oom = await page.evaluate(() => {
      const M = window.backpropLab.module, before = window.backpropLab.state().data;
      const p = M._malloc(64);
      const error = M.ccall('bplab_load_data', 'string', ['number', 'number', 'number', 'number', 'number'],
                            [2, p, 2047 * 1024 * 1024, p, 60]);
      M._free(p);
      return { error, before, after: window.backpropLab.state().data };
    });
    check('data too large for memory is refused with a message, the data kept',
          /not enough memory/.test(oom.error) && oom.after.training === oom.before.training && oom.after.training > 0,
          JSON.stringify(oom));
    check('no console errors, page errors or outside requests', problems.length === 0, problems.join(' | '));

    // URL parameters: a malformed one warns and is ignored; good ones apply.
    const second = await openPage(browser, server);
    await second.page.goto(server.url + '?panel=network&eta=abc&sizes=784,1e9,10&theme=light&foo=<b>x</b>');
    await waitReady(second.page);
    s = await second.page.evaluate(() => window.backpropLab.state());
    check('URL parameters apply (panel, theme)', s.panel === 'network' && s.settings.theme === 'light',
          `${s.panel} ${s.settings.theme}`);
    check('malformed URL parameters warn once each and keep defaults',
          second.warnings.filter((w) => /warning/.test(w)).length === 3 && s.settings.eta === '0.5',
          second.warnings.join(' | '));
    check('nothing from the URL is injected into the page', await second.page.evaluate(() => !document.querySelector('b')));
    await second.page.screenshot({ path: join(shots, 'network-light.png') });
    check('no errors with malformed URL parameters', second.problems.length === 0, second.problems.join(' | '));

    // Without a working training worker (its wasm missing here), training goes on in the
    // page's frames, and says so.
    const broken = mkdtempSync(join(tmpdir(), 'bplab-noworker-'));
    for (const f of readdirSync(dist)) if (f !== 'train-engine.wasm') symlinkSync(join(dist, f), join(broken, f));
    const brokenServer = await serve(broken);
    try {
      const third = await openPage(browser, brokenServer);
      await third.page.goto(brokenServer.url + '?panel=train');
      await waitReady(third.page);
      await waitState(third.page, (st) => st.data.training > 0);
      // The message is read from the state that shows the hand-back, while it trains ("finished
      // N epochs" replaces it at the end).
      await third.page.evaluate(() => window.backpropLab.train({ sizes: [784, 30, 10], epochs: 5 }));
      s = await waitState(third.page, (st) => st.training.examplesSeen > 2000 && !st.training.inWorker, 60_000);
      check('a failing worker hands training back to the page', s.training.running || s.training.epoch > 0,
            JSON.stringify(s.training));
      check('and says so', /training goes on in the page/.test(s.message || ''), s.message);
      s = await waitState(third.page, (st) => st.training.epoch === 5 && !st.training.running, 120_000);
      check('it finishes its epochs', s.training.epoch === 5, JSON.stringify(s.training));
    } finally {
      await brokenServer.close();
      rmSync(broken, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await run('app test', main, check, counts);

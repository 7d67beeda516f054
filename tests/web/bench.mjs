// Performance figures (not pass/fail): the app's start-up (the first frame, from navigation, over
// several cold loads), the WASM engine's seconds per epoch on the benchmark page (bench.html:
// [784, 30, 10], batch 10, 50,000 images, nothing else running), the browser's own ceiling (a
// page that only clears a canvas every frame: tests/web/ceiling), then training speed and frame
// rate inside the app while its UI runs, the frames of the largest net on every screen, what
// measuring the speed of learning after an epoch costs, and "Teach it" on 100 kept digits (its
// time in the page, before -> after).
//
// This machine's speed drifts by tens of percent from minute to minute (it is shared), so the
// benchmark page runs three times, before, between and after the app's runs, and the app's
// speed is given against the best and the median of those; and, closer in time, against the
// same engine timed in the app's own page just before and after each of three 5-second runs.
//
//   node tests/web/bench.mjs [DIST] [SECONDS] [LOADS]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, openPage, waitReady, waitState } from './lib-browser.mjs';
import { styleDigits } from './lib-styles.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const seconds = Number(process.argv[3]) || 10;
const loads = Number(process.argv[4]) || 7;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// Frames per second over `ms`: `fps` counts animation frames (the app runs one each, so this is
// how soon it answers input), `drawn` the frames it drew (a frame that would look exactly like
// the last is not drawn again: src/platform/main.cpp).
// `longest`: the three longest frames, in ms; `app`: the longest time the app itself took in one
// frame (the rest of a long frame is the browser's: its rendering, its garbage collection).
const fpsFor = (page, ms) => page.evaluate((t) => new Promise((resolve) => {
  const drawn = () => window.backpropLab.module._bplab_frames(1);
  let n = 0;
  const t0 = performance.now(), d0 = drawn(), gaps = [];
  window.backpropLab.module._bplab_frames(4);  // the app's longest frame is counted from here
  let last = t0;
  const step = () => {
    n++;
    const now = performance.now(), dt = (now - t0) / 1000;
    gaps.push(now - last);
    last = now;
    if (dt * 1000 < t) requestAnimationFrame(step);
    else resolve({ fps: n / dt, drawn: (drawn() - d0) / dt, vertices: window.backpropLab.module._bplab_frames(2),
                   calls: window.backpropLab.module._bplab_frames(3), longest: gaps.sort((a, b) => b - a).slice(0, 3),
                   app: window.backpropLab.module._bplab_frames(4) });
  };
  requestAnimationFrame(step);
}), ms);
const show = (f) => `${f.fps.toFixed(1)} fps (${f.drawn.toFixed(1)} drawn, ${f.vertices} vertices in ${f.calls} draw calls)`;
const viewports = [{ width: 1280, height: 800 }, { width: 640, height: 400 }, { width: 320, height: 240 }];

const server = await serve(dist);
const browser = await launch();
try {
  // 0. Start-up: each load in a new browser context (nothing cached). The app's User Timing
  // marks (src/platform/main.cpp) say where the time goes; times are from navigation start.
  const marks = {};
  for (let i = 0; i < loads; i++) {
    const { page } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    const m = await page.evaluate(() => performance.getEntriesByType('mark')
      .filter((e) => e.name.startsWith('bplab: ')).map((e) => [e.name.slice(7), e.startTime]));
    for (const [name, t] of m) (marks[name] ||= []).push(t);
    await page.close();
  }
  const first = marks['first frame drawn'] || [];
  console.log(`start-up, ${loads} cold loads at 1280x800: first frame drawn after ${Math.round(median(first))} ms median ` +
              `(${Math.round(Math.min(...first))}–${Math.round(Math.max(...first))} ms); medians: ` +
              Object.entries(marks).map(([k, v]) => `${k} ${Math.round(median(v))}`).join(', '));

  // 1. The benchmark page: examples per second, best of its three epochs.
  const benchRates = [];
  const benchPage = async () => {
    const { page } = await openPage(browser, server);
    await page.goto(server.url + 'bench.html');
    await page.waitForFunction(() => window.benchResult, null, { timeout: 300_000 });
    const r = await page.evaluate(() => window.benchResult);
    await page.close();
    if (r.error) throw new Error(r.error);
    const best = Math.min(...r.secondsPerEpoch);
    benchRates.push(r.examples / best);
    console.log(`bench page: [784,30,10] batch 10, ${r.examples} images: ${r.secondsPerEpoch.map((t) => t.toFixed(3)).join(' ')} s/epoch` +
                ` (best ${best.toFixed(3)} s = ${Math.round(r.examples / best)} examples/s), test accuracy ${r.testAccuracy}`);
  };
  await benchPage();

  // 2. The ceiling: what this browser gives a page that does nothing but clear its canvas every
  // frame, alone and with a worker keeping one core busy (as training does).
  const ceiling = await serve(join(here, 'ceiling'));
  try {
    for (const viewport of viewports) {
      const line = [];
      for (const hash of ['', '#busy']) {
        const page = await browser.newPage({ viewport });
        await page.goto(ceiling.url + hash);
        await page.waitForTimeout(1000);
        const f0 = await page.evaluate(() => window.ceilingFrames), t0 = Date.now();
        await page.waitForTimeout(3000);
        const f1 = await page.evaluate(() => window.ceilingFrames);
        line.push(`${((f1 - f0) / ((Date.now() - t0) / 1000)).toFixed(1)} fps ${hash ? 'with one core busy' : 'alone'}`);
        await page.close();
      }
      console.log(`ceiling ${viewport.width}x${viewport.height}, a canvas cleared every frame: ${line.join(', ')}`);
    }
  } finally {
    await ceiling.close();
  }

  // 3. The app with its UI running, at three window sizes: training in the Web Worker (the
  // default), and in the frame loop's slices (worker=0).
  const runs = [];
  for (const worker of [1, 0])
    for (const viewport of viewports) runs.push({ worker, viewport });
  const results = [];
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
    results.push({ worker, viewport, idle, fps, rate });
    console.log(`app ${viewport.width}x${viewport.height}, ${worker ? 'in the worker' : 'in the frames'}, train panel: idle ${show(idle)}; training ` +
                `${show(fps)}, ${Math.round(rate)} examples/s`);
    if (worker) {
      // The worst case: every frame differs, as while drawing a digit (strokes in a circle).
      await page.evaluate(() => window.backpropLab.setPanel('draw'));
      const { drawRect: rect } = await waitState(page, (s) => s.panel === 'draw' && s.drawRect);
      const cx = rect.x + rect.width / 2, cy = rect.y + rect.height / 2, rad = rect.width / 4;
      let drawing = true;
      const strokes = (async () => {
        for (let i = 0; drawing; i++) {
          if (i % 40 === 0) { await page.mouse.up(); await page.mouse.move(cx + rad, cy); await page.mouse.down(); }
          await page.mouse.move(cx + rad * Math.cos(i / 6), cy + rad * Math.sin(i / 6));
        }
        await page.mouse.up();
      })();
      const busy = await fpsFor(page, 3000);
      drawing = false;
      await strokes;
      console.log(`  ... drawing on the draw panel while it trains: ${show(busy)}`);
      // The network panel: every weight image changes as it learns.
      await page.evaluate(() => window.backpropLab.setPanel('network'));
      await fpsFor(page, 1000);
      console.log(`  ... the network panel while it trains: ${show(await fpsFor(page, 3000))}`);
    }
    if (worker) {
      // Paired: this machine's speed can halve within a minute, so the app's speed is also
      // given against the same engine timed in the same page just before and just after
      // (backpropLab.benchmark: the benchmark page's call, with the worker paused and the page
      // blocked, its second epoch once the browser has compiled the code for speed).
      const epochRate = () => page.evaluate(() => {
        const r = window.backpropLab.benchmark(2);
        return r.examples / r.secondsPerEpoch[1];
      });
      await page.evaluate(() => window.backpropLab.setPanel('train'));
      const ratios = [];
      const fpss = [];
      for (let round = 0; round < 3; round++) {
        await page.evaluate(() => window.backpropLab.pause());
        await fpsFor(page, 300);
        const before = await epochRate();
        await page.evaluate(() => window.backpropLab.train({ sizes: [784, 30, 10], eta: 0.5, batch: 10, epochs: 100 }));
        await fpsFor(page, 1500);
        const a = await page.evaluate(() => window.backpropLab.state().training), ta = Date.now();
        const f = await fpsFor(page, 5000);
        const b = await page.evaluate(() => window.backpropLab.state().training);
        const appRate = (b.examplesSeen - a.examplesSeen) / ((Date.now() - ta) / 1000);
        await page.evaluate(() => window.backpropLab.pause());
        await fpsFor(page, 300);
        const after = await epochRate();
        ratios.push(appRate / ((before + after) / 2));
        fpss.push(f.fps);
        console.log(`  ... paired round ${round + 1}: the engine alone in this page ${Math.round(before)} then ` +
                    `${Math.round(after)} examples/s; the app ${Math.round(appRate)} examples/s at ${f.fps.toFixed(1)} fps ` +
                    `= ${(100 * ratios[round]).toFixed(0)}%`);
      }
      results[results.length - 1].paired = { ratio: median(ratios), fps: median(fpss) };
    }
    await page.close();
    if (worker && viewport === viewports[viewports.length - 1]) await benchPage();  // between
  }
  await benchPage();  // after

  const best = Math.max(...benchRates), mid = median(benchRates);
  console.log(`training speed in the app against the bench page (best ${Math.round(best)}, median ${Math.round(mid)} examples/s):`);
  for (const { worker, viewport, fps, rate, paired } of results)
    console.log(`  ${viewport.width}x${viewport.height} ${worker ? 'worker' : 'frames'}: ${(100 * rate / best).toFixed(0)}% of the best, ` +
                `${(100 * rate / mid).toFixed(0)}% of the median, at ${fps.fps.toFixed(1)} fps` +
                (paired ? `; paired with the engine in the same page: ${(100 * paired.ratio).toFixed(0)}% at ` +
                          `${paired.fps.toFixed(1)} fps (median of 3 rounds)` : ''));

  // The largest net the app allows, on every screen: frames per second and the longest frames
  // (its evaluation, finite differences and η sweep are sliced across frames).
  {
    const { page } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    await waitState(page, (s) => s.data.training > 0 && s.data.test > 0);
    const largest = [784, 1000, 1000, 1000, 1000, 10];
    await page.evaluate((sizes) => {
      const lab = window.backpropLab;
      lab.train({ sizes, epochs: 1, batch: 10 });
      lab.pause();
      lab.showTestDigit(3);
    }, largest);
    const line = [];
    // mistakes: while it reads the test set for this net (one image a chunk: frames <= 50 ms).
    for (const [panel, step] of [['train'], ['draw'], ['network'], ['derivation', 1], ['derivation', 8], ['derivation', 9],
                                 ['mistakes']]) {
      await page.evaluate(([p, k]) => {
        window.backpropLab.setPanel(p);
        if (k) window.backpropLab.setDerivation({ step: k });
      }, [panel, step]);
      const f = await fpsFor(page, 4000);
      line.push(`${panel}${step ? ' step ' + step : ''}: ${f.fps.toFixed(0)} fps, longest ${f.longest.map(Math.round).join(' ')} ms ` +
                `(the app's own longest frame ${Math.round(f.app)} ms)`);
    }
    const exportMs = await page.evaluate(() => {
      const t0 = performance.now();
      window.backpropLab.exportModel();
      return performance.now() - t0;
    });
    console.log(`the largest net, [${largest}], 1280x800: ${line.join('; ')}; exportModel ${Math.round(exportMs)} ms`);
  }

  // "Teach it" with 100 kept digits (10 a class of a seven-segment style, tests/web/lib-styles.mjs)
  // from the pretrained [784,30,10], in the page at 1280x800: its time from the command to the
  // end (in the worker), and before -> after on held-out digits of the style, the kept digits and
  // the MNIST test set. Three runs, each in a fresh page.
  for (let round = 0; round < 3; round++) {
    const { page } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    await waitState(page, (s) => s.data.training >= 10000 && s.data.test === 10000);
    const kept = styleDigits(10, 1 + round), held = styleDigits(30, 100 + round);
    const accuracy = (ds) => page.evaluate((xs) => xs.filter((d) => window.backpropLab.predict(d.pixels).predicted === d.label).length / xs.length, ds);
    await page.evaluate((ds) => { for (const d of ds) window.backpropLab.addExample(d); }, kept);
    const heldBefore = await accuracy(held);
    const t0 = Date.now();
    await page.evaluate(() => window.backpropLab.teach());
    const s = await waitState(page, (st) => st.training.teach && st.training.teach.done, 120_000);
    const wall = (Date.now() - t0) / 1000;
    const heldAfter = await accuracy(held);
    const t = s.training.teach, pc = (x) => (100 * x).toFixed(1) + '%';
    console.log(`Teach it, 100 kept digits (round ${round + 1}): ${wall.toFixed(1)} s in the page (${t.seconds.toFixed(1)} s ` +
                `by the app); held-out ${pc(heldBefore)} -> ${pc(heldAfter)}, kept ${pc(t.mine.before)} -> ${pc(t.mine.after)}, ` +
                `MNIST test ${pc(t.test.before)} -> ${pc(t.test.after)}`);
    await page.close();
  }

  // The speed of learning of each hidden layer (chapter 5), measured after every epoch on the first
  // 1000 training images, on the main thread in chunks (src/app/lab.cpp, speed_chunk) after the
  // epoch's accuracies: how long until epoch 0's numbers are in, and the frames meanwhile on the
  // Train screen, for the book's deep net and the largest net.
  {
    const { page } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    await waitState(page, (s) => s.data.training > 0 && s.data.test > 0);
    const line = [];
    for (const sizes of [[784, 30, 30, 30, 30, 10], [784, 1000, 1000, 1000, 1000, 10]]) {
      await page.evaluate((s) => {
        const lab = window.backpropLab;
        lab.setPanel('train');
        lab.train({ sizes: s, epochs: 1, cost: 'cross-entropy', eta: 0.1 });
        lab.pause();
      }, sizes);
      const t0 = Date.now();
      const during = fpsFor(page, 4000);
      let inMs = -1;
      try {
        await waitState(page, (s) => s.training.speed.length > 0, 180_000);
        inMs = Date.now() - t0;
      } catch { /* reported below */ }
      const f = await during;
      line.push(`[${sizes}]: epoch 0's speeds in ${inMs < 0 ? 'more than 180000' : inMs} ms (after its accuracies), ` +
                `frames meanwhile ${f.fps.toFixed(0)} fps, longest ${f.longest.map(Math.round).join(' ')} ms`);
    }
    console.log(`speed of learning after an epoch, 1280x800: ${line.join('; ')}`);
  }
} finally {
  await browser.close();
  await server.close();
}

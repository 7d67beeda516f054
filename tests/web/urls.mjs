// URL parameters of the embed (issue 5), in headless Chromium, served from /course/lab/ with the
// CSP header of docs/embedding.md:
//   - malformed URLs (bad numbers, unknown panels and parts, huge sizes, script-like strings,
//     javascript: and cross-origin model URLs) load the default app with one console warning per
//     bad value, no page error, no dialog, nothing injected into the DOM;
//   - parameters in the hash work like the query's;
//   - "copy link": the link the app writes restores the screen it was made on;
//   - model=<same-origin URL> loads that model.
//
//   node tests/web/urls.mjs [DIST]     (DIST: default build-wasm/dist, made by ./build-wasm.sh)
//
// Prints a line per check and ends with `N passed, M failed`; exits 1 if any check failed.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, waitReady } from './lib-browser.mjs';
import { leave, runCourseTest, watch } from './lib-embed.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const { check, counts } = checker();

// [query, how many parameters in it are bad]. Each bad one must warn exactly once.
const MALFORMED = [
  ['eta=abc&batch=0&epochs=-3&seed=1.5&lambda=NaN&digit=99999', 6],
  ['panel=<img src=x onerror=alert(1)>&step=<script>alert(1)</script>', 2],
  ['panel=' + encodeURIComponent('"><svg onload=alert(1)>') + '&theme=javascript:alert(1)&hide=<b>x</b>', 3],
  ['sizes=784,100000,1000&neuron=1e9&output=relu&cost=eval(1)', 4],
  ['model=javascript:alert(1)&autoplay=maybe&embed=2', 3],
  ['model=http://example.com/evil.json&sizes=784,30,10,10,10,10,10,10,10', 2],
  ['model=//example.com/evil.json&%3Cimg%3E=1&constructor=1&__proto__=1', 4],
  ['activation=' + 'a'.repeat(1000) + '&init=%ZZ&step=0', 3],
];

// Our scripts: the ones web/index.html itself loads.
const OUR_SCRIPTS = Array.from(
  readFileSync(fileURLToPath(new URL('../../web/index.html', import.meta.url)), 'utf8')
    .matchAll(/<script src="([^"]+)"/g), (m) => m[1]);

const DOM_CHECK = (ok) => {
  // What the page should hold: the canvas, the status, the transcript region, our scripts and
  // the link notice; no element from a URL (img, svg, iframe, object, script with other src...).
  const foreign = Array.from(document.querySelectorAll('img, svg, iframe, object, embed, a, b, form'));
  const handlers = Array.from(document.querySelectorAll('*')).filter((e) =>
    Array.from(e.attributes).some((a) => /^on/i.test(a.name)));
  const scripts = Array.from(document.scripts).map((s) => s.getAttribute('src'));
  return {
    foreign: foreign.map((e) => e.outerHTML.slice(0, 80)),
    handlers: handlers.map((e) => e.tagName),
    scripts: scripts.filter((s) => !ok.includes(s)),
    title: document.title,
  };
};

// Opens the app at `query` (and `hash`) in `opened.page` when given (the same page, a new load:
// starting a page costs more than loading it again), else in a new page; `w` then holds this
// load's warnings and errors only.
async function openApp(browser, server, query, hash = '', opened = null) {
  const page = opened ? opened.page : await browser.newPage({ viewport: { width: 800, height: 600 } });
  const w = opened ? opened.w : await watch(page, server);
  if (opened) await leave(page, w);
  await page.goto(server.url + 'index.html' + (query ? '?' + query : '') + (hash ? '#' + hash : ''));
  await waitReady(page);
  // Warnings of the app (its settings table) and of the page (the model URL) are written as
  // the page starts; give the page's own tasks a moment.
  await page.waitForTimeout(500);
  return { page, w };
}

// The malformed URLs, one after the other in one page.
async function malformed(browser, server) {
  const opened = await openApp(browser, server, '');
  const defaults = await opened.page.evaluate(() => window.backpropLab.state());
  for (const [query, bad] of MALFORMED) {
    const name = query.length > 70 ? query.slice(0, 67) + '...' : query;
    let result = null, error = '';
    const w = opened.w;
    try {
      await openApp(browser, server, query, '', opened);
      result = {
        state: await opened.page.evaluate(() => window.backpropLab.state()),
        dom: await opened.page.evaluate(DOM_CHECK, OUR_SCRIPTS),
      };
    } catch (e) {
      error = String(e.message || e).split('\n')[0];
    }
    if (!check(`${name}: the app starts`, result, error)) continue;
    const { state, dom } = result;
    const settings = JSON.stringify(state.settings), want = JSON.stringify(defaults.settings);
    check(`${name}: default settings and panel`, state.panel === 'draw' && settings === want,
          `${state.panel} ${settings}`);
    const appWarnings = w.warnings.filter((t) => /warning:|Backprop Lab: model/.test(t));
    check(`${name}: ${bad} warnings, one per bad value`, appWarnings.length === bad, appWarnings.join(' | '));
    check(`${name}: nothing injected into the DOM`,
          dom.foreign.length === 0 && dom.handlers.length === 0 && dom.scripts.length === 0 && dom.title === 'Backprop Lab',
          JSON.stringify(dom));
    check(`${name}: no errors, dialogs or outside requests`, w.errors.length === 0 && w.outside.length === 0,
          [...w.errors, ...w.outside].join(' | '));
  }
  await opened.page.close();
}

async function goodLinks(browser, server) {
  // Parameters in the hash, the derivation's own, the theme.
  const { page, w } = await openApp(browser, server, '', 'panel=derivation&step=6&neuron=3&theme=light&embed=1&hide=status&digit=7');
  // digit: the MNIST test image, once the test set is in (it is fetched after the first frame).
  await page.waitForFunction(() => window.backpropLab.state().testDigit, null, { timeout: 60_000 }).catch(() => {});
  const s = await page.evaluate(() => window.backpropLab.state());
  check('digit=7: the test image 7 is the input', s.testDigit && s.testDigit.index === 7 &&
        s.input.some((p) => p > 0.5), JSON.stringify(s.testDigit));
  check('hash parameters: panel, step, neuron, theme, embed, hide',
        s.panel === 'derivation' && s.derivation.step === 6 && s.derivation.neuron === 3 &&
        s.settings.theme === 'light' && s.settings.embed === '1' && s.settings.hide === 'status',
        JSON.stringify({ panel: s.panel, step: s.derivation.step, neuron: s.derivation.neuron, ...s.settings }));
  check('hash parameters: no warnings', w.warnings.filter((t) => /warning:/.test(t)).length === 0, w.warnings.join(' | '));

  // "Copy link" writes a URL that restores the screen.
  await page.evaluate(() => window.backpropLab.setDerivation({ step: 7, neuron: 2 }));
  const link = await page.evaluate(() => window.backpropLab._call('copyLink'));
  const url = await page.evaluate(() => window.backpropLab.link());
  check('copy link: the query names the screen', /panel=derivation/.test(link) && /step=7/.test(link) && /neuron=2/.test(link) &&
        /digit=7/.test(link),
        link);
  check('copy link: a URL of this page', url.startsWith(server.url + 'index.html?'), url);
  await page.close();
  const again = await browser.newPage({ viewport: { width: 800, height: 600 } });
  const w2 = await watch(again, server);
  await again.goto(url);
  await waitReady(again);
  const t = await again.evaluate(() => window.backpropLab.state());
  check('copy link: the link restores panel, step, neuron, theme, embed, hide, digit',
        t.panel === 'derivation' && t.derivation.step === 7 && t.derivation.neuron === 2 && t.settings.digit === '7' &&
        t.settings.theme === 'light' && t.settings.embed === '1' && t.settings.hide === 'status',
        JSON.stringify({ panel: t.panel, step: t.derivation.step, neuron: t.derivation.neuron, ...t.settings }));
  check('copy link: no errors', w2.errors.length === 0, w2.errors.join(' | '));
  await again.close();

  // A model on the same origin (served by the test at models/tiny.json), and the same model
  // refused when it does not fit the app: the default model stays.
  // The pretrained model cut to [784, 16, 10]: its first 16 hidden neurons.
  const parsed = JSON.parse(readFileSync(join(repo, 'assets', 'model-784-30-10.json'), 'utf8'));
  parsed.sizes = [784, 16, 10];
  parsed.weights = [parsed.weights[0].slice(0, 16), parsed.weights[1].map((row) => row.slice(0, 16))];
  parsed.biases = [parsed.biases[0].slice(0, 16), parsed.biases[1]];
  const model = JSON.stringify(parsed);
  const page3 = await browser.newPage({ viewport: { width: 800, height: 600 } });
  const w3 = await watch(page3, server);
  await page3.route('**/course/lab/models/*.json', (route) => {
    const bad = route.request().url().endsWith('bad.json');
    return route.fulfill({ contentType: 'application/json', body: bad ? '{"sizes": [3, 2]}' : model });
  });
  await page3.goto(server.url + 'index.html?model=models/good.json&panel=network');
  await waitReady(page3);
  await page3.waitForFunction(() => window.backpropLab.state().model === 'loaded', null, { timeout: 10_000 }).catch(() => {});
  const m = await page3.evaluate(() => window.backpropLab.state());
  check('model=models/good.json: loaded from this origin', JSON.stringify(m.sizes) === JSON.stringify(parsed.sizes) &&
        m.settings.model === 'models/good.json', `${m.model} ${JSON.stringify(m.sizes)}`);
  check('model=models/good.json: no warnings or errors', w3.errors.length === 0 &&
        w3.warnings.filter((t) => /warning:|Backprop Lab:/.test(t)).length === 0, [...w3.errors, ...w3.warnings].join(' | '));
  await page3.goto(server.url + 'index.html?model=models/bad.json');
  await waitReady(page3);
  await page3.waitForTimeout(1000);
  const b = await page3.evaluate(() => window.backpropLab.state());
  check('model=models/bad.json: refused with a warning, the default model kept',
        JSON.stringify(b.sizes) === '[784,30,10]' && w3.warnings.some((t) => /could not load the model/.test(t)),
        w3.warnings.join(' | '));
  await page3.close();
}

await runCourseTest({ what: 'URL test', dist, files: ['index.html', 'embed.js', 'app.js', 'app.wasm'], check, counts }, async (server, browser) => {
  await malformed(browser, server);
  await goodLinks(browser, server);
});

// Hostile input and faults in headless Chromium (issue 16):
//   - the largest net the app allows, [784,1000,1000,1000,1000,10] (3.8 M parameters, 51 MB
//     of text), round-trips exportModel -> loadModel (strings cross into WebAssembly on the heap,
//     not the 5 MiB stack), and the app then still predicts a known test digit;
//   - a page on another origin embeds the app and posts it a few thousand randomised messages
//     (every JSON type, huge and deep values, __proto__ keys, hostile models and settings):
//     no page error, the app still predicts a known digit, memory bounded, nothing polluted;
//   - faults: the test set missing (the training set is still used, and everything that needs
//     the test set says it failed), app.data missing (a message, not an endless spinner), the
//     full set offline (a message, no unhandled rejection).
//
//   node tests/web/hostile.mjs [DIST] [MESSAGES]   (DIST: build-wasm/dist; MESSAGES: default 3000)
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, launch, openPage, run, waitReady, waitState } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const MESSAGES = Number(process.argv[3]) || 3000;
const LARGEST = [784, 1000, 1000, 1000, 1000, 10];
const { check, counts } = checker();

// Shows test image 0 and reads the prediction back (the pretrained net says 7).
const testDigit = (page) => page.evaluate(() => {
  const lab = window.backpropLab;
  lab.showTestDigit(0);
  const s = lab.state();
  return { predicted: s.predicted, label: s.testDigit && s.testDigit.label };
});

async function largestNetRoundTrip(browser, server) {
  const { page, problems } = await openPage(browser, server);
  await page.goto(server.url + '?worker=0');
  await waitReady(page);
  await waitState(page, (s) => s.data.training > 0 && s.data.test > 0);
  const pretrained = await page.evaluate(() => window.backpropLab.exportModel());
  // A net of the largest allowed sizes (trained for one step so its numbers are not the seed's).
  const result = await page.evaluate((sizes) => {
    const lab = window.backpropLab;
    lab.train({ sizes, epochs: 1, batch: 10 });
    lab.pause();
    lab.step();
    const t0 = performance.now();
    const text = lab.exportModel();
    const t1 = performance.now();
    lab.loadModel(text);
    const t2 = performance.now();
    const again = lab.exportModel();
    return { length: text.length, same: again === text, sizes: lab.state().sizes,
             exportMs: t1 - t0, loadMs: t2 - t1, limit: lab.modelTextLimit() };
  }, LARGEST);
  console.log(`# largest net: ${(result.length / 1e6).toFixed(1)} MB of text, export ${result.exportMs.toFixed(0)} ms, ` +
              `load ${result.loadMs.toFixed(0)} ms, limit ${result.limit} bytes`);
  check('the largest allowed net exports, loads back and exports the same text',
        result.same && JSON.stringify(result.sizes) === JSON.stringify(LARGEST) && result.length > 1.3e6,
        JSON.stringify({ ...result, same: result.same }));
  check('its text is within the engine\'s limit', result.length < result.limit, `${result.length} / ${result.limit}`);
  // Long strings everywhere else too (they used to overwrite the stack's neighbours).
  const refused = await page.evaluate(() => {
    const lab = window.backpropLab;
    const out = [];
    for (const f of [() => lab.setPanel('x'.repeat(2e6)), () => lab.loadModel('['.repeat(1335000)),
                     () => lab.loadModel(' '.repeat(3e6) + 'x')]) {
      try { f(); out.push('accepted'); } catch (e) { out.push(String(e.message).slice(0, 80)); }
    }
    return out;
  });
  check('a 2 MB panel name and 1.3 M nested lists are refused with a message',
        refused.every((m) => m !== 'accepted' && !/out of bounds|unreachable/.test(m)), refused.join(' | '));
  await page.evaluate((text) => window.backpropLab.loadModel(text), pretrained);
  const digit = await testDigit(page);
  check('then the pretrained net loads again and predicts test digit 0', digit.label === 7 && digit.predicted === 7,
        JSON.stringify(digit));
  check('no page errors', problems.length === 0, problems.join(' | '));
  await page.close();
}

// [SECTION] Randomised messages from another origin

// A host page on a second server (another port: another origin) that embeds the app.
function hostFolder(appUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-host-'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>host</title>
<iframe id="lab" src="${appUrl}index.html?embed=1" width="800" height="600"></iframe>
<script>
  window.makeGenerator = ${generator.toString().replace(/<\//g, '<\\/')};
  window.answers = [];
  window.addEventListener('message', (e) => { if (e.data && e.data.type !== 'backprop-lab:state') window.answers.push(e.data); });
</script>`);
  return dir;
}

// Deterministic random values (the seed is printed, so a failure can be replayed).
function generator(seed) {
  let s = seed >>> 0;
  const rand = () => ((s = (s + 0x6D2B79F5) >>> 0), (((s ^ (s >>> 15)) * (1 | s)) >>> 0) / 2 ** 32);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const int = (n) => Math.floor(rand() * n);
  const deep = (n, open = '[', close = ']', middle = '') => JSON.parse(open.repeat(n) + middle + close.repeat(n));
  const COMMANDS = ['setPanel', 'setDerivation', 'train', 'pause', 'clearDrawing', 'loadModel', 'state', 'mistakes',
                    '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'eval', '', 'x'.repeat(300)];
  const models = [
    '{"sizes":[50000,999],"weights":[[' + '[],'.repeat(998) + '[]]],"biases":[[[0]]],"cost":"QuadraticCost"}',
    '{"sizes":[784,' + '1,'.repeat(150) + '10],"weights":[],"biases":[],"cost":"QuadraticCost"}',
    '{"sizes":[784,30,10],"weights":' + '['.repeat(70) + ']'.repeat(70) + ',"biases":[],"cost":"QuadraticCost"}',
    '{"__proto__":{"polluted":1},"sizes":[784,10],"weights":[],"biases":[],"cost":"QuadraticCost"}',
    '{"sizes":[784,10],"weights":[[' + ('[' + '1e308,'.repeat(783) + '1e308],').repeat(9) + '[' + '0,'.repeat(783) + '0]]],' +
      '"biases":[[' + '[0],'.repeat(9) + '[0]]],"cost":"CrossEntropyCost"}',
    'null', '', '\u0000', '"\ud800"', '{"sizes":[784,10]}',
  ];
  const value = (depth = 0) => {
    switch (int(depth > 2 ? 6 : 11)) {
      case 0: return null;
      case 1: return rand() < 0.5;
      case 2: return pick([0, -0, 1, -1, 7, 784, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 53 + 1, NaN, Infinity, 0.5]);
      case 3: return pick(['', 'train', 'derivation', '<script>alert(1)</script>', '\ud800', '\u0000', 'é'.repeat(40)]);
      case 4: return undefined;
      case 5: return pick([() => 'x'.repeat(2e6), () => deep(1e4), () => deep(200, '{"a":', '}', '1'),
                           () => pick(models)])();
      case 6: return Array.from({ length: int(5) }, () => value(depth + 1));
      case 7: return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
      case 8: {
        const o = {};
        for (let i = 0; i < int(4); ++i) o[pick(['sizes', 'eta', 'batch', 'epochs', 'cost', 'activation', 'lambda', 'init',
                                                'seed', 'step', 'neuron', 'output', 'panel', 'json', 'label', 'predicted',
                                                'limit', 'x'])] = value(depth + 1);
        return o;
      }
      case 9: return { sizes: pick([[784, 30, 10], [784, 1000, 1000, 1000, 1000, 10], [784, 1e9, 10], [784], [784, 0, 10],
                                    [784, 10.5, 10], ['784', '10']]),
                       epochs: pick([1, 0, 1e9]), eta: pick([3, 1e9, -1, 0]), batch: pick([10, 0, 1e9]) };
      default: return new Array(int(3) + 1).fill(0).map(() => value(depth + 1));
    }
  };
  return () => {
    const r = rand();
    if (r < 0.05) return pick([null, 7, 'backprop-lab:command', [1, 2], { type: 'other' }, { type: 'backprop-lab:evil' }]);
    const command = pick(COMMANDS);
    const args = command === 'loadModel' && rand() < 0.5 ? pick(models) : value();
    const m = { type: 'backprop-lab:command', command, args, id: pick([1, 'a', null, {}, 'x'.repeat(100)]) };
    return m;
  };
}

async function randomMessages(browser, server) {
  const host = hostFolder(server.url);
  const hostServer = await serve(host);
  const { page, problems } = await openPage(browser, { url: 'http://127.0.0.1:' });  // both servers are ours
  try {
    await page.goto(hostServer.url);
    const frame = await (await page.waitForSelector('#lab')).contentFrame();
    await waitReady(frame);
    await waitState(frame, (s) => s.data.training > 0 && s.data.test > 0);
    const pretrained = await frame.evaluate(() => window.backpropLab.exportModel());
    const before = await frame.evaluate(() => ({ heap: window.backpropLab.module.HEAPU8.length,
                                                 protoKeys: Object.getOwnPropertyNames(Object.prototype).length }));
    const seed = 16;
    console.log(`# posting ${MESSAGES} messages from ${hostServer.url} (seed ${seed}), heap ${before.heap} bytes`);
    // Sent from the host page in batches; each batch waits for the answers to come back.
    // Made and sent in the host page (the generator is in its script): deep values cannot
    // cross from Node.
    await page.evaluate((sd) => { window.next = window.makeGenerator(sd); }, seed);
    const BATCH = 50;
    for (let sent = 0; sent < MESSAGES; sent += BATCH) {
      await page.evaluate((n) => {
        const target = document.getElementById('lab').contentWindow;
        for (let i = 0; i < n; ++i) {
          try { target.postMessage(window.next(), '*'); } catch (_) { /* not cloneable: not sent */ }
        }
      }, Math.min(BATCH, MESSAGES - sent));
      await page.evaluate(() => new Promise((r) => setTimeout(r, 20)));
    }
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
    const answers = await page.evaluate(() => window.answers.length);
    console.log(`# ${answers} answers`);
    check('the embedded app answers the messages', answers > MESSAGES / 2, `${answers}`);
    const after = await frame.evaluate((text) => {
      const lab = window.backpropLab;
      lab.pause();
      lab.loadModel(text);
      lab.showTestDigit(0);
      const s = lab.state();
      const proto = Object.getOwnPropertyNames(Object.prototype);
      return { predicted: s.predicted, label: s.testDigit && s.testDigit.label, heap: lab.module.HEAPU8.length,
               polluted: ({}).polluted !== undefined || [].polluted !== undefined || proto.includes('polluted'),
               protoKeys: proto.length };
    }, pretrained);
    const hostPolluted = await page.evaluate(() => ({}).polluted !== undefined);
    console.log(`# after: heap ${after.heap} bytes`);
    check('then it still predicts test digit 0 as 7', after.label === 7 && after.predicted === 7, JSON.stringify(after));
    check('its WebAssembly memory stays bounded (< 1 GB)', after.heap < 1 << 30, `${after.heap}`);
    check('nothing is polluted (Object.prototype, the host page)',
          !after.polluted && after.protoKeys === before.protoKeys && !hostPolluted, JSON.stringify(after));
    check('no page errors in the host or the app', problems.length === 0, problems.slice(0, 5).join(' | '));
  } finally {
    await page.close();
    await hostServer.close();
    rmSync(host, { recursive: true, force: true });
  }
}

// [SECTION] Faults

async function withFolder(fn, without) {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-fault-'));
  for (const f of readdirSync(dist)) if (f !== 'data' && !without.includes(f)) symlinkSync(join(dist, f), join(dir, f));
  const data = join(dir, 'data');
  try {
    symlinkSync(join(dist, 'data'), data);
    const server = await serve(dir);
    try { await fn(server); } finally { await server.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function faults(browser, server) {
  // The test set missing (404): the training set still arrives and is used.
  {
    const { page, problems } = await openPage(browser, server);
    await page.route('**/data/t10k-images-idx3-ubyte', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(server.url + '?worker=0');
    await waitReady(page);
    const s = await waitState(page, (st) => st.data.training > 0 && st.data.error);
    check('without the test set, the training set is still loaded, and the error shown',
          s.data.training === 10000 && /t10k-images/.test(s.data.error) && /try again/.test(s.data.error), JSON.stringify(s.data));
    const said = await page.evaluate(() => {
      try { window.backpropLab.showTestDigit(0); return 'shown'; } catch (e) { return e.message; }
    });
    check('"show me a test digit" says the test set failed to load', /could not be loaded/.test(said), said);
    const trained = await page.evaluate(() => {
      try { window.backpropLab.train({ sizes: [784, 20, 10], epochs: 1 }); return 'ok'; } catch (e) { return e.message; }
    });
    check('training works without the test set', trained === 'ok', trained);
    await page.evaluate(() => window.backpropLab.pause());
    // Retry, as a learner would, by keyboard: the Train screen's "Retry loading the data" (the
    // page fetches again what failed, the test set, now served, with the full training set).
    await page.unroute('**/data/t10k-images-idx3-ubyte');
    await page.evaluate(() => window.backpropLab.setPanel('train'));
    const retry = page.getByRole('button', { name: 'Retry loading the data' });
    await retry.waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {});
    check('the Train screen offers to retry', await retry.count() === 1);
    if (await retry.count() === 1) {
      await retry.focus();
      await page.keyboard.press('Enter');
    }
    const full = await waitState(page, (st) => st.data.full && st.data.test === 10000, 120_000).catch((e) => ({ data: String(e) }));
    check('a retry loads what failed', full.data && full.data.test === 10000 && !full.data.error, JSON.stringify(full.data));
    const unexpected = problems.filter((p) => !/Failed to load resource.*404/.test(p));
    check('no page errors (test set missing)', unexpected.length === 0, unexpected.join(' | '));
    await page.close();
  }
  // The full set offline: the message, and no unhandled rejection.
  {
    const { page, problems } = await openPage(browser, server);
    await page.goto(server.url + '?worker=0');
    await waitReady(page);
    await waitState(page, (st) => st.data.training > 0 && st.data.test > 0);
    await page.route('**/data/train-*', (route) => route.abort('internetdisconnected'));
    await page.evaluate(() => window.backpropLab.loadFullData());
    const s = await waitState(page, (st) => st.data.error, 30_000);
    check('"Load the full 60,000" offline says it failed', /Could not load/.test(s.data.error), JSON.stringify(s.data));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    const refused = problems.filter((p) => !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p));
    check('no unhandled rejection or page error (offline)', refused.length === 0, refused.join(' | '));
    await page.close();
  }
  // app.data missing: a message instead of an endless "Downloading data...".
  await withFolder(async (broken) => {
    const { page } = await openPage(browser, broken);
    await page.goto(broken.url);
    const text = await page.waitForFunction(() => {
      const s = document.getElementById('status');
      return s && s.classList.contains('error') && document.getElementById('status-text').textContent;
    }, null, { timeout: 30_000 }).then((h) => h.jsonValue()).catch(() => null);
    check('app.data missing: the page says the app could not start', !!text && /could not start/i.test(text), String(text));
    await page.close();
  }, ['app.data']);
}

async function main() {
  const server = await serve(dist);
  const browser = await launch();
  try {
    await largestNetRoundTrip(browser, server);
    await randomMessages(browser, server);
    await faults(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }
}

await run('hostile test', main, check, counts, 10);

// The app with a real screen reader: Orca (Debian's) reading Chromium under Xvfb, real key
// presses (xdotool, through X as a person's keys reach Orca), and what Orca says taken from its
// own log. Asserts what a blind learner hears:
//   - "Backprop Lab is ready." once when the app has loaded, and none of the loader's messages;
//   - Clear answered ("Drawing cleared."), a screen change answered ("Train screen."), with the
//     focus kept on the screen's button;
//   - a slider's NEW value on each press (η and batch);
//   - Start answered with "Pause", then a paced summary of the run: no two words about it
//     within a few seconds, never "not measured", and at the end the test accuracy that
//     state() measured, said once;
//   - the derivation's steps without leaving browse mode: → on the step tabs, Enter on
//     "next step"; names without symbols a synthesiser misreads (▶ ◀ ∂ ^).
//
//   node tests/web/orca.mjs [DIST]      (DIST: build-wasm/dist, made by ./build-wasm.sh)
//
// It starts Xvfb, a session bus, the AT-SPI bus, openbox, speech-dispatcher, Orca and Chromium
// (tests/web/screen-reader/session.sh) and runs itself inside as the driver (--driver). Needs
// the Debian packages of `scripts/deps.sh screen-reader`. Waits on Orca's log, not on fixed
// sleeps, so that a loaded machine only makes it slower.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { checker, run } from './lib-browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '..', '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// [SECTION] Outside: the session around the driver
async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
    s.on('error', rej);
  });
}

async function outside() {
  const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
  const missing = ['xvfb-run', 'dbus-run-session', 'xdotool', 'orca', 'speech-dispatcher', 'openbox', 'chromium']
    .filter((tool) => { try { execFileSync('which', [tool], { stdio: 'ignore' }); return false; } catch { return true; } });
  if (missing.length) {
    console.log(`not ok - the screen reader's tools are installed: missing ${missing.join(', ')} (scripts/deps.sh screen-reader)`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const server = await serve(dist);
  const dir = mkdtempSync(join(tmpdir(), 'bplab-orca-'));
  const port = await freePort();
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x1024x24', 'dbus-run-session', '--',
    'bash', join(here, 'screen-reader', 'session.sh'), dir, server.url,
    process.execPath, fileURLToPath(import.meta.url), '--driver', dir, String(port)],
  { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, BPLAB_CDP_PORT: String(port) } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const code = await new Promise((res) => child.on('exit', (c) => res(c ?? 1)));
  await server.close();
  if (code !== 0) {
    console.log(`(session folder ${dir}: orca.log has all Orca said)`);
    if (stderr.trim()) console.log(stderr.trim().split('\n').filter((l) => !/dbus-daemon|AccessDenied/.test(l)).slice(-10).join('\n'));
  } else {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(code);
}

// [SECTION] Inside: Orca's log
// Lines "HH:MM:SS.micro - SPEECH OUTPUT: 'text'{...}" (and "WEB SAY ALL:"), Latin-1 in the log:
// the text is UTF-8 bytes. Read as it grows (the debug log grows by megabytes).
function speechReader(log) {
  const said = [];
  let offset = 0, rest = '', sayAlls = 0, sayAllsDone = 0;
  const read = () => {
    let fd;
    try { fd = openSync(log, 'r'); } catch { return; }
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const bytes = Buffer.alloc(size - offset);
      readSync(fd, bytes, 0, bytes.length, offset);
      offset = size;
      const lines = (rest + bytes.toString('latin1')).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        if (line.includes('WEB: Doing SayAll')) ++sayAlls;
        if (line.includes('textLines complete')) ++sayAllsDone;
        const m = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?) - (?:SPEECH OUTPUT|WEB SAY ALL): '(.*)'\s*(?:\{|$)/.exec(line);
        if (m) {
          said.push({ t: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]),
                      text: Buffer.from(m[4], 'latin1').toString('utf8') });
        }
      }
    } finally {
      closeSync(fd);
    }
  };
  return {
    all: () => { read(); return said; },
    sayAllDone: () => { read(); return sayAlls <= sayAllsDone; },
  };
}

async function inside(dir, port, check) {
  const orca = speechReader(join(dir, 'orca.log'));
  const key = (name) => execFileSync('xdotool', ['key', '--clearmodifiers', name]);
  // What Orca said after mark `since` (an index into everything said).
  const mark = () => orca.all().length;
  const saidSince = (since) => orca.all().slice(since);
  // Waits until Orca says something matching `re` after `since`; that utterance, or null.
  async function hear(re, since, ms = 15_000) {
    const end = Date.now() + ms;
    for (;;) {
      const hit = saidSince(since).find((u) => re.test(u.text));
      if (hit || Date.now() > end) return hit || null;
      await sleep(100);
    }
  }
  // Waits until Orca has been quiet for `ms` (it finished speaking about the last change).
  async function quiet(ms = 1200, max = 10_000) {
    const end = Date.now() + max;
    let n = mark(), since = Date.now();
    while (Date.now() < end) {
      await sleep(100);
      const m = mark();
      if (m !== n) { n = m; since = Date.now(); } else if (Date.now() - since >= ms) return;
    }
  }
  const show = (list) => list.map((u) => JSON.stringify(u.text)).join(' | ');

  // Chromium's DevTools: to read the page's state and move the focus before a key press (the
  // keys themselves go through X).
  let browser;
  for (let i = 0; i < 240 && !browser; ++i) {
    try { browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`); } catch { await sleep(500); }
  }
  if (!browser) throw new Error('Chromium did not open its DevTools port');
  let page;
  for (let i = 0; i < 240 && !page; ++i) {
    page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith('http://127.0.0.1'));
    if (!page) await sleep(250);
  }
  if (!page) throw new Error('no page of the app in Chromium');
  const state = () => page.evaluate(() => window.backpropLab.state());
  async function waitState(pred, ms = 60_000) {
    const end = Date.now() + ms;
    for (;;) {
      let s = null;
      try { s = await state(); } catch { /* loading */ }
      if (s && pred(s)) return s;
      if (Date.now() > end) return s;
      await sleep(200);
    }
  }
  // Focuses the mirror's control whose accessible name matches `pattern` (a RegExp source).
  async function focus(pattern, selector = '.mirror-item') {
    const ok = await page.evaluate(([src, sel]) => {
      const re = new RegExp(src);
      const el = Array.from(document.querySelectorAll(sel)).find((e) => re.test((e.getAttribute('aria-label') || e.textContent || '').trim()));
      if (el) el.focus();
      return !!el;
    }, [pattern, selector]);
    if (!ok) throw new Error(`no control named /${pattern}/`);
    await quiet();
  }
  const focusedName = () => page.evaluate(() => {
    const el = document.activeElement;
    return el ? (el.getAttribute('aria-label') || el.textContent || '').trim() : '';
  });

  // [SECTION] Loading: "Backprop Lab is ready." once, no loader messages
  const ready = await hear(/Backprop Lab is ready/, 0, 180_000);
  check('Orca says "Backprop Lab is ready" when the app has loaded', !!ready, show(saidSince(0)));
  await waitState((s) => s.data && s.data.test === 10000 && s.data.training >= 10000, 120_000);
  await page.waitForFunction(() => document.querySelectorAll('.mirror-item').length > 4, null, { timeout: 60_000 });
  // Orca reads the page aloud when it has loaded (say-all), and keeps the arrows for that
  // meanwhile: the keys wait until it is done.
  for (let i = 0; i < 600 && !orca.sayAllDone(); ++i) await sleep(100);
  // The window gets the focus from a click (on the status line: no control, no drawing there).
  const box = await page.evaluate(() => ({ x: window.screenX + window.innerWidth - 12, y: window.screenY + window.outerHeight - window.innerHeight + 10 }));
  execFileSync('xdotool', ['mousemove', String(box.x), String(box.y), 'click', '1']);
  await quiet();

  // [SECTION] Draw: Clear is answered
  await focus('^Show me a test digit$');
  let at = mark();
  key('Return');
  const prediction = await hear(/The net says \d/, at);
  check('Enter on "Show me a test digit": Orca says the prediction', !!prediction, show(saidSince(at)));
  await quiet();
  await focus('^Clear$');
  at = mark();
  key('Return');
  const cleared = await hear(/cleared/i, at, 10_000);
  check('Enter on Clear: Orca says the drawing was cleared', !!cleared, show(saidSince(at)));
  await quiet();

  // [SECTION] A screen change is answered, and the focus stays on the screen's button
  await focus('^Train$');
  at = mark();
  key('Return');
  const screen = await hear(/Train screen/, at, 10_000);
  check('Enter on the Train button: Orca says "Train screen"', !!screen, show(saidSince(at)));
  check('the focus stays on the Train button', (await focusedName()) === 'Train', await focusedName());
  await quiet();

  // [SECTION] Sliders: the new value, once a press
  async function slider(name, pressKey, field, times) {
    await focus(name);
    for (let i = 0; i < times; ++i) {
      const before = (await state()).settings[field];
      at = mark();
      key(pressKey);
      const s = await waitState((st) => st.settings[field] !== before, 10_000);
      await hear(/./, at, 5000);
      await quiet(1500, 6000);
      const text = await page.evaluate(() => document.activeElement.getAttribute('aria-valuetext'));
      const after = saidSince(at).filter((u) => !/^(left|right|up|down)\s*$/i.test(u.text.trim()));
      const hit = after.filter((u) => u.text.includes(text));
      check(`${pressKey} on ${field} (${before} -> ${s.settings[field]}): Orca says the new value "${text}", once`,
            s.settings[field] !== before && after.length > 0 && after[0].text.includes(text) && hit.length === 1,
            show(after));
    }
  }
  await slider('^η', 'Right', 'eta', 2);
  await slider('^batch$', 'Left', 'batch', 1);

  // [SECTION] Start -> Pause, and a paced summary of the run
  await focus('^Start$');
  at = mark();
  const t0 = Date.now();
  key('Return');
  const pause = await hear(/\bPause\b/, at, 15_000);
  check('Enter on Start: Orca says "Pause"', !!pause, show(saidSince(at)));
  const end = await hear(/finished/i, at, 400_000);
  const seconds = (Date.now() - t0) / 1000;
  await quiet(2000, 8000);
  const s = await state();
  const talk = saidSince(at).filter((u) => /epoch|training|accuracy|finished|Pause/i.test(u.text));
  check('the run ends: Orca says that training finished', !!end && s.training.finished === true, show(talk));
  const measured = s.accuracy.test === null ? null : (s.accuracy.test * 100).toFixed(1) + '%';
  check(`at the end Orca says the measured test accuracy (${measured})`,
        !!end && measured !== null && end.text.includes('test accuracy ' + measured), end ? end.text : show(talk));
  check('never "not measured" while training', !talk.some((u) => /not measured/.test(u.text)), show(talk));
  const gaps = [];
  for (let i = 1; i < talk.length; ++i) gaps.push(talk[i].t - talk[i - 1].t);
  const progress = talk.filter((u) => u !== end && u !== pause);
  const spaced = talk.slice(1, -1).every((u, i) => u.t - talk[i].t >= 4);
  check(`training speech is paced: ${talk.length} utterances in ${seconds.toFixed(0)} s, at least 4 s apart`,
        spaced && talk.length <= 3 + seconds / 5 && talk.filter((u) => /finished/i.test(u.text)).length === 1,
        `${show(talk)}; gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}; progress ${progress.length}`);
  const words = await page.evaluate(() => document.getElementById('screen-words').textContent);
  check('the Train screen says the run finished, not "paused"', /Finished/.test(words) && !/Paused/.test(words), words.slice(0, 300));

  // [SECTION] The derivation: steps in browse mode, names without symbols
  await focus('^Derivation$');
  at = mark();
  key('Return');
  await hear(/Derivation/, at, 10_000);
  await quiet();
  let step0 = (await state()).derivation.step;
  await focus('^step ' + step0 + ':', '[role="tab"], .mirror-item[aria-pressed="true"]');
  at = mark();
  key('Right');
  let d = await waitState((st) => st.derivation.step === step0 + 1, 8000);
  const stepSaid = await hear(new RegExp('step ' + (step0 + 1)), at, 8000);
  check(`→ on the step bar goes to step ${step0 + 1}, and Orca says so (browse mode)`,
        d.derivation.step === step0 + 1 && !!stepSaid, `step ${d.derivation.step}: ${show(saidSince(at))}`);
  await quiet();
  step0 = d.derivation.step;
  await focus('^next');
  const name = saidSince(mark() - 3).map((u) => u.text).join(' | ');
  at = mark();
  key('Return');
  d = await waitState((st) => st.derivation.step === step0 + 1, 8000);
  const next = await hear(new RegExp('step ' + (step0 + 1)), at, 8000);
  check(`Enter on "next step" goes to step ${step0 + 1}, and Orca says so`, d.derivation.step === step0 + 1 && !!next,
        `step ${d.derivation.step}: ${show(saidSince(at))}`);
  const names = await page.evaluate(() => Array.from(document.querySelectorAll('.mirror-item')).map((e) => (e.getAttribute('aria-label') || e.textContent)).join(' | '));
  check('the controls\' names have no ▶ ◀ ∂ ^ (Orca said: ' + name + ')', !/[▶◀∂^]/.test(names + name), names);
  const prose = await page.evaluate(() => {
    const t = document.getElementById('transcript').cloneNode(true);
    t.querySelectorAll('math').forEach((m) => m.remove());
    return t.textContent;
  });
  check('the transcript\'s words (outside its MathML) have no ∂ or ^', prose.length > 200 && !/[∂^]/.test(prose),
        (prose.match(/.{0,40}[∂^].{0,40}/) || [prose.slice(0, 200)])[0]);

  // [SECTION] Once
  const readies = saidSince(0).filter((u) => /Backprop Lab is ready/.test(u.text)).length;
  const loader = saidSince(0).filter((u) => /Running|Downloading|Preparing/i.test(u.text));
  check(`"Backprop Lab is ready" said once (${readies}), no loader messages`, readies === 1 && loader.length === 0, show(loader));
  await browser.close().catch(() => {});
}

if (process.argv[2] === '--driver') {
  const { check, counts } = checker();
  await run('screen reader test', () => inside(process.argv[3], Number(process.argv[4]), check), check, counts, 15);
} else {
  await outside();
}

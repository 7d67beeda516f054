// "Predict first" in a course page on another origin, in headless Chromium: the app's folder is
// served with the README's CSP from one origin, a course page that records the answers it hears
// from another (another port). With the keyboard only — Tab to the radio group "Your
// prediction", Space (and ↓) on a choice, Tab to Check, Enter, → to the next step — the learner
// answers every question of every step; the course page receives one backprop-lab:answer
// for each, with the same step, question, choice, correct and score as state() says.
// Also: setDerivation({quiz}) and answerQuiz through postMessage, and screenshots of a question
// before and after Check, on both themes and at 320 px (written to a folder, printed; look at them).
//
//   node tests/web/quiz.mjs [DIST]     (DIST: default build-wasm/dist, made by ./build-wasm.sh)
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, frames, waitReady } from './lib-browser.mjs';
import { frameOf, leave, runCourseTest, watch } from './lib-embed.mjs';
import { serve } from './serve.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const { check, counts } = checker();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The course page: an iframe of the lab on the other origin, and a script that keeps every
// answer it hears (no inline script: the course page has a CSP of its own too).
function coursePage(labUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-course-'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Predict, then see</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; frame-src ${new URL(labUrl).origin}">
</head><body><main><h1>Predict, then see</h1>
<iframe id="lab" title="Backprop Lab: predict, then see" width="720" height="560"
        src="${labUrl}"></iframe>
<p>Score: <output id="score">no answers yet</output></p><ol id="answers"></ol>
<script src="course.js"></script></main></body></html>`);
  writeFileSync(join(dir, 'course.js'), `'use strict';
window.answers = [];
const frame = document.getElementById('lab');
window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow || !event.data || event.data.type !== 'backprop-lab:answer') return;
  const a = event.data;
  window.answers.push({ origin: event.origin, ...a });
  const li = document.createElement('li');
  li.textContent = 'Step ' + a.step + ': ' + a.question + ' ' + a.choice + ' ' + (a.correct ? 'right' : 'not quite');
  document.getElementById('answers').append(li);
  document.getElementById('score').textContent = a.score.right + ' right of ' + a.score.asked;
});
`);
  return dir;
}

const stateOf = (frame) => frame.evaluate(() => window.backpropLab.state());
const active = (frame) => frame.evaluate(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const group = a.closest('[role=radiogroup]');
  return { tag: a.tagName, role: a.dataset.role || '', name: a.getAttribute('aria-label') || a.textContent,
           group: group ? group.getAttribute('aria-label') : null, disabled: a.getAttribute('aria-disabled') === 'true',
           index: group ? Array.from(group.querySelectorAll('[data-role=radio]')).indexOf(a) : -1 };
});

async function until(what, fn, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not in ${ms} ms`);
    await sleep(100);
  }
}

// Tab (in the course page) until the frame's focused control satisfies `want`.
async function tabTo(page, frame, want, what) {
  for (let i = 0; i < 120; ++i) {
    const a = await active(frame);
    if (a && want(a)) return a;
    await page.keyboard.press('Tab');
    await sleep(60);
  }
  throw new Error(`Tab never reached ${what}`);
}

async function keyboardOnly(browser, labServer) {
  const labUrl = labServer.url + 'index.html?panel=derivation&digit=0&quiz=1&embed=1&step=1';
  const course = await serve(coursePage(labUrl));
  check('the course page is on another origin', new URL(course.url).origin !== new URL(labServer.url).origin, course.url);
  const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
  const w = { errors: [] };
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()); });
  await page.goto(course.url + 'index.html');
  const frame = await frameOf(page, 'quiz=1');
  await waitReady(frame);
  await until('MNIST digit 0 shown', async () => (await stateOf(frame)).testDigit);
  let s = await stateOf(frame);
  check('quiz=1: the quiz is on, step 1 asks', s.derivation.quiz.on && typeof s.derivation.quiz.question === 'string',
        JSON.stringify(s.derivation.quiz));
  let asked = 0, agreeing = 0;
  const seen = [];
  const steps = s.derivation.steps;
  for (let step = 1; step <= steps; ++step) {
    s = await until(`step ${step}`, async () => { const t = await stateOf(frame); return t.derivation.step === step && t; });
    const q = s.derivation.quiz;
    if (q.question !== null) {
      ++asked;
      const n = q.choices.length;
      const pick = step % n;
      const radio = await tabTo(page, frame, (a) => a.role === 'radio' && a.group === 'Your prediction', 'a choice');
      check(`step ${step}: the choices are a radio group named "Your prediction"`, radio.group === 'Your prediction', JSON.stringify(radio));
      // Space chooses the focused choice (Tab may land on any of them: after → the focus stays
      // where the previous step's control was), then the arrows walk to the one to pick.
      await page.keyboard.press('Space');
      let c = (await until(`step ${step}: a choice chosen`, async () => {
        const chosen = (await stateOf(frame)).derivation.quiz.chosen;
        return Number.isInteger(chosen) && chosen >= 0 && { chosen };
      })).chosen;
      if (c !== radio.index) check(`step ${step}: Space chose the focused choice`, false, `choice ${c}, focus on ${radio.index}`);
      while (c !== pick) {
        const next = c < pick ? c + 1 : c - 1;
        await page.keyboard.press(c < pick ? 'ArrowDown' : 'ArrowUp');
        await until(`step ${step}: choice ${next}`, async () => (await stateOf(frame)).derivation.quiz.chosen === next);
        c = next;
      }
      const before = await page.evaluate(() => window.answers.length);
      await tabTo(page, frame, (a) => a.role === 'button' && a.name === 'Check' && !a.disabled, 'Check');
      await page.keyboard.press('Enter');
      await until(`step ${step}: the course page hears the answer`, () => page.evaluate((b) => window.answers.length > b, before));
      const answer = (await page.evaluate(() => window.answers))[before];
      const after = (await stateOf(frame)).derivation.quiz;
      const same = after.answered && after.chosen === pick && answer.step === step && answer.question === q.question &&
                   answer.choice === q.choices[pick] && answer.correct === after.correct && answer.correct === (pick === after.answer) &&
                   answer.score.asked === after.score.asked && answer.score.right === after.score.right &&
                   answer.origin === new URL(labServer.url).origin;
      agreeing += same;
      check(`step ${step}: answered by keyboard; the course page's answer matches state()`, same,
            JSON.stringify({ answer, after }));
      seen.push(`${step}:${answer.correct ? 'right' : 'wrong'}`);
    }
    if (step === steps) break;
    // → to the next step, from a control that is not a text or radio input.
    await tabTo(page, frame, (a) => a.tag === 'BUTTON', 'a button');
    await page.keyboard.press('ArrowRight');
  }
  console.log(`# answers: ${seen.join(' ')}`);
  const final = (await stateOf(frame)).derivation.quiz.score;
  const heard = await page.evaluate(() => window.answers.length);
  check('at least six of the steps asked, and every answer reached the course page once',
        asked >= 6 && heard === asked && agreeing === asked && final.asked === asked, `asked ${asked}, heard ${heard}, score ${JSON.stringify(final)}`);
  const shown = await page.evaluate(() => document.getElementById('score').textContent);
  check('the course page shows the score it heard', shown === `${final.right} right of ${final.asked}`, shown);
  // The same through postMessage: setDerivation({quiz}) and answerQuiz from the course page.
  const results = await page.evaluate(async () => {
    const frame = document.getElementById('lab');
    const replies = [];
    const listen = (e) => { if (e.source === frame.contentWindow && e.data && e.data.id) replies.push(e.data); };
    window.addEventListener('message', listen);
    const send = (command, args, id) => frame.contentWindow.postMessage({ type: 'backprop-lab:command', command, args, id }, '*');
    send('setDerivation', { step: 1, neuron: 3 }, 'a');
    await new Promise((r) => setTimeout(r, 400));
    send('answerQuiz', 1, 'b');
    send('answerQuiz', 'one', 'c');
    send('setDerivation', { quiz: 'yes' }, 'd');
    await new Promise((r) => setTimeout(r, 1200));
    window.removeEventListener('message', listen);
    return replies.map((m) => ({ id: m.id, type: m.type, message: m.message }));
  });
  const by = (id) => results.find((r) => r.id === id) || {};
  check('postMessage answerQuiz(1) answers', by('b').type === 'backprop-lab:result', JSON.stringify(results));
  check('postMessage answerQuiz("one") and setDerivation({quiz: "yes"}) are refused',
        by('c').type === 'backprop-lab:error' && by('d').type === 'backprop-lab:error', JSON.stringify(results));
  const last = (await page.evaluate(() => window.answers)).at(-1);
  const q1 = (await stateOf(frame)).derivation.quiz;
  check('the answer given by postMessage reached the course page too',
        last && last.step === 1 && last.score.asked === q1.score.asked && last.correct === q1.correct, JSON.stringify({ last, q1 }));
  check('no errors in the course page or the embed', w.errors.length === 0, w.errors.join(' | '));
  await page.close();
  await course.close();
}

// A question before and after Check, on both themes and at 320 px.
async function screenshots(browser, server) {
  const out = process.env.BPLAB_SHOTS || join(tmpdir(), 'bplab-quiz-shots');
  mkdirSync(out, { recursive: true });
  // One page, loaded again for each (starting a page costs twice what loading one does).
  const page = await browser.newPage();
  const w = await watch(page, server);
  for (const [name, width, height, theme] of [['wide-dark', 1280, 800, 'dark'], ['wide-light', 1280, 800, 'light'], ['phone-light', 320, 640, 'light'], ['phone-dark', 320, 640, 'dark']]) {
    await page.setViewportSize({ width, height });
    await leave(page, w);
    await page.goto(`${server.url}index.html?panel=derivation&digit=0&quiz=1&step=1&theme=${theme}${width < 400 ? '&embed=1' : ''}`);
    await waitReady(page);
    await until('digit', async () => (await page.evaluate(() => window.backpropLab.state())).testDigit);
    await frames(page, 4);
    await page.screenshot({ path: join(out, `quiz-${name}-question.png`) });
    const text = await page.evaluate(() => window.backpropLab.state().derivation.quiz);
    await page.evaluate(() => window.backpropLab.answerQuiz(0));
    await frames(page, 4);
    await page.screenshot({ path: join(out, `quiz-${name}-answered.png`) });
    const after = await page.evaluate(() => window.backpropLab.state().derivation.quiz);
    const transcript = await page.evaluate(() => document.getElementById('transcript').textContent);
    check(`${name}: the transcript holds the question (in spoken words) and the verdict`,
          typeof text.question === 'string' && transcript.includes('Predict first') && /Right:|Not quite:/.test(transcript),
          transcript.slice(0, 300));
    check(`${name}: answered, no errors`, after.answered && w.errors.length === 0, w.errors.join(' | '));
  }
  await page.close();
  console.log(`# screenshots in ${out}`);
}

await runCourseTest({ what: 'quiz.mjs', dist, files: ['index.html', 'app.wasm'], check, counts }, async (server, browser) => {
  await keyboardOnly(browser, server);
  await screenshots(browser, server);
});

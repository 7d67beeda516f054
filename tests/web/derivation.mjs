// In headless Chromium: after a digit is drawn with real mouse events, every number of
// state().derivation equals the native engine's double-precision trace of the same model and
// the same 784 pixels (`bplab backprop`), for every cost × output layer and several neurons.
//
//   node tests/web/derivation.mjs [DIST]    (bplab from $BPLAB or build/src/cli/bplab)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { checker, drawDigit, finish, frames, launch, openPage, waitReady, waitState } from './lib-browser.mjs';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] || join(repo, 'build-wasm', 'dist'));
const bplab = process.env.BPLAB || join(repo, 'build', 'src', 'cli', 'bplab');
const { check, counts } = checker();
const shots = join(repo, 'build-wasm', 'screenshots');  // for review
mkdirSync(shots, { recursive: true });

const SEVEN = [[[0.28, 0.2], [0.72, 0.2], [0.6, 0.45], [0.46, 0.82]]];
const COST_CLASS = { quadratic: 'QuadraticCost', 'cross-entropy': 'CrossEntropyCost', 'log-likelihood': 'LogLikelihoodCost' };

const relErr = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-4);

async function main() {
  if (!check(`bplab is at ${bplab}`, existsSync(bplab), 'build it, or set BPLAB')) finish(counts);
  const server = await serve(dist);
  const browser = await launch();
  const work = mkdtempSync(join(tmpdir(), 'bplab-derivation-'));
  try {
    const { page, problems } = await openPage(browser, server);
    await page.goto(server.url);
    await waitReady(page);
    await page.evaluate(() => window.backpropLab.setPanel('draw'));
    await frames(page, 2);
    await drawDigit(page, SEVEN);
    const drawn = await page.evaluate(() => window.backpropLab.state());
    check('the drawing is recognised as a 7', drawn.predicted === 7, `predicted ${drawn.predicted}`);
    // The app's model and pixels are floats, written as the shortest text of each float; read
    // as doubles that text is not the float itself, so round back (Math.fround) to give the
    // native engine exactly the numbers the app computes with.
    const fround = (v) => (Array.isArray(v) ? v.map(fround) : Math.fround(v));
    const exported = JSON.parse(await page.evaluate(() => window.backpropLab.exportModel()));
    const model = { ...exported, weights: fround(exported.weights), biases: fround(exported.biases) };
    await page.evaluate(() => window.backpropLab.setPanel('derivation'));
    await frames(page, 2);

    for (const [cost, output] of [['quadratic', 'sigmoid'], ['cross-entropy', 'sigmoid'],
      ['log-likelihood', 'softmax'], ['quadratic', 'softmax']]) {
      for (const neuron of [7, 2]) {
        const name = `${cost}/${output}, neuron ${neuron}`;
        // state() in the same turn as the command, with no frame between: a command is done
        // when it returns.
        const s = await page.evaluate((a) => { window.backpropLab.setDerivation(a); return window.backpropLab.state(); },
                                      { step: 4, neuron, cost, output });
        const d = s.derivation;
        if (!check(`${name}: state().derivation has values`, d && d.values && d.jacobian, JSON.stringify(d))) continue;
        check(`${name}: step, neuron, cost and output as set`, d.step === 4 && d.neuron === neuron && d.cost === cost &&
          d.output === output && d.layer === 3, JSON.stringify({ step: d.step, neuron: d.neuron, cost: d.cost, output: d.output, layer: d.layer }));

        // The same model with the screen's cost and output, and the same pixels, in the native engine.
        const label = s.predicted;
        const file = join(work, 'model.json');
        writeFileSync(file, JSON.stringify({ ...model, cost: COST_CLASS[cost], output }));
        writeFileSync(join(work, 'x.json'), JSON.stringify({ x: fround(s.input), y: label }));
        const t = JSON.parse(execFileSync(bplab, ['backprop', '--model', file, '--input', join(work, 'x.json')]).toString());
        const L = t.z.length - 1;
        const a = t.a[t.a.length - 1];
        const v = d.values;
        const y = neuron === label ? 1 : 0;
        const dCda = cost === 'quadratic' ? a[neuron] - y
          : cost === 'cross-entropy' ? (a[neuron] - y) / (a[neuron] * (1 - a[neuron])) : -y / a[neuron];
        const pairs = [['z', v.z, t.z[L][neuron]], ['a', v.a, a[neuron]], ['y', v.y, y], ['dC_da', v.dC_da, dCda],
          ['delta_bp1', v.delta_bp1, t.delta[L][neuron]]];
        const worst = pairs.map(([k, ours, engine]) => [k, relErr(ours, engine)]).sort((p, q) => q[1] - p[1])[0];
        check(`${name}: values equal the engine's trace (worst ${worst[0]} ${worst[1].toExponential(1)})`, worst[1] < 1e-9,
          JSON.stringify(pairs));
        const defErr = relErr(v.delta_definition, t.delta[L][neuron]);
        check(`${name}: delta_definition (finite difference of (29)) equals the engine's δ (${defErr.toExponential(1)})`,
          defErr < 1e-6, `${v.delta_definition} vs ${t.delta[L][neuron]}`);
        check(`${name}: relative_error of BP1 vs the definition < 1e-6`, v.relative_error < 1e-6, String(v.relative_error));
        let jacWorst = 0;
        for (let k = 0; k < 10; ++k) {
          for (let q = 0; q < 10; ++q) {
            const expected = output === 'softmax' ? a[k] * ((k === q ? 1 : 0) - a[q]) : (k === q ? a[k] * (1 - a[k]) : 0);
            jacWorst = Math.max(jacWorst, Math.abs(d.jacobian[k][q] - expected));
          }
        }
        check(`${name}: the Jacobian equals ∂a_k/∂z_j from the engine's a (max diff ${jacWorst.toExponential(1)})`, jacWorst < 1e-9);
      }
    }

    // Every field of setDerivation at once: the state right after the call has all of them and
    // the numbers and checks they give, the same as after the next frames (it was torn: step,
    // neuron and bug new, the cost, the output, the label and every number still the old ones).
    const torn = await page.evaluate(() => {
      window.backpropLab.setDerivation({ step: 5, neuron: 9, cost: 'quadratic', output: 'softmax', bug: 'no-sigma-prime', label: 9 });
      return window.backpropLab.state().derivation;
    });
    await frames(page, 3);
    const settled = (await page.evaluate(() => window.backpropLab.state())).derivation;
    check('setDerivation is done when it returns: every field at once', torn.step === 5 && torn.neuron === 9 &&
      torn.cost === 'quadratic' && torn.output === 'softmax' && torn.bug === 'no-sigma-prime' && torn.label === 9 &&
      torn.labelSource === 'learner', JSON.stringify({ ...torn, checks: undefined, products: undefined, jacobian: undefined }));
    check('... and every number and check as the next frames show them', JSON.stringify(torn) === JSON.stringify(settled));
    await page.evaluate(() => window.backpropLab.setDerivation({ bug: 'none', label: null }));

    // A drawing's y is the net's prediction, said so; the learner sets another. Every
    // check of the step is in state().derivation.checks.
    await page.evaluate(() => window.backpropLab.setDerivation({ step: 4, neuron: 7, cost: 'quadratic', output: 'sigmoid' }));
    await frames(page, 2);
    let d4 = (await page.evaluate(() => window.backpropLab.state())).derivation;
    check('a drawing\'s y is the prediction, and says so', d4.label === drawn.predicted && d4.labelSource === 'prediction',
      JSON.stringify({ label: d4.label, labelSource: d4.labelSource }));
    check('step 4\'s checks are listed and agree', Array.isArray(d4.checks) && d4.checks.length > 0 &&
      d4.checks.every((c) => c.agree === true && typeof c.shown === 'number' && typeof c.measured === 'number'), JSON.stringify(d4.checks));
    await page.evaluate(() => window.backpropLab.setDerivation({ label: 1 }));
    await frames(page, 2);
    d4 = (await page.evaluate(() => window.backpropLab.state())).derivation;
    check('setDerivation({label}) sets the learner\'s y', d4.label === 1 && d4.labelSource === 'learner' && d4.values.y === 0,
      JSON.stringify({ label: d4.label, labelSource: d4.labelSource, y: d4.values.y }));
    await page.evaluate(() => window.backpropLab.setDerivation({ label: null }));

    // The transcript: present while the derivation is shown, not a live region as a
    // whole; a small status region announces the step when it changes; real tables.
    await page.evaluate(() => window.backpropLab.setDerivation({ step: 5 }));
    await frames(page, 2);
    const t5 = await page.evaluate(() => {
      const t = document.getElementById('transcript'), a = document.getElementById('transcript-status');
      return { hidden: t.hidden, live: t.getAttribute('aria-live'), status: a && a.textContent, live2: a && a.getAttribute('aria-live'),
        tables: t.querySelectorAll('table th[scope="col"]').length, math: t.querySelectorAll('math').length };
    });
    check('the transcript is shown with the derivation, and is not aria-live', !t5.hidden && t5.live === null, JSON.stringify(t5));
    const steps = await page.evaluate(() => window.backpropLab.state().derivation.steps);
    check('the step is announced by a polite status region', (t5.status || '').includes(`step 5 of ${steps}`) && t5.live2 === 'polite',
          JSON.stringify(t5));
    check('step 5\'s transcript has a table with column headers and MathML', t5.tables >= 5 && t5.math > 0, JSON.stringify(t5));
    await page.evaluate(() => window.backpropLab.setPanel('draw'));
    await frames(page, 2);
    await new Promise((r) => setTimeout(r, 700));  // the page polls every 300 ms
    const hiddenOff = await page.evaluate(() => document.getElementById('transcript').hidden);
    check('the transcript leaves the accessibility tree off the derivation screen', hiddenOff === true);
    await page.evaluate(() => window.backpropLab.setPanel('derivation'));
    await frames(page, 2);

    // Step 8 checks one gradient of w^2 by finite differences: until the learner clicks one, the
    // weight of an ink pixel whose a_k is nearest ½ (so that BP4's factor a_k shows), and
    // backprop's number is the engine's.
    await page.evaluate(() => window.backpropLab.setDerivation({ step: 8, cost: 'quadratic', output: 'sigmoid' }));
    await frames(page, 3);
    const s8 = await page.evaluate(() => window.backpropLab.state());
    const c = s8.derivation.checked;
    if (check('step 8 says which weight it checks', c && Number.isInteger(c.j) && Number.isInteger(c.k), JSON.stringify(c))) {
      const nearest = Math.min(...s8.input.filter((a) => a > 0).map((a) => Math.abs(a - 0.5)));
      check('step 8 checks the weight of the ink pixel nearest ½', s8.input[c.k] > 0 && Math.abs(s8.input[c.k] - 0.5) <= nearest + 1e-6,
        `pixel ${c.k} = ${s8.input[c.k]}`);
      const file = join(work, 'model.json');
      writeFileSync(file, JSON.stringify({ ...model, cost: COST_CLASS.quadratic, output: 'sigmoid' }));
      writeFileSync(join(work, 'x.json'), JSON.stringify({ x: fround(s8.input), y: s8.predicted }));
      const t = JSON.parse(execFileSync(bplab, ['backprop', '--model', file, '--input', join(work, 'x.json')]).toString());
      const engine = t.nabla_w[0][c.j][c.k];
      check(`step 8: backprop's ∂C/∂w equals the engine's (${relErr(c.backprop, engine).toExponential(1)})`,
        engine !== 0 && relErr(c.backprop, engine) < 1e-9, `${c.backprop} vs ${engine}`);
      check(`step 8: finite differences agree (${relErr(c.backprop, c.differences).toExponential(1)})`,
        relErr(c.backprop, c.differences) < 1e-5, `${c.backprop} vs ${c.differences}`);
    }
    // Step 9 with a bug: the button says it damages the net, pressing it (through the
    // accessibility mirror, as a screen reader or the keyboard does) shows the test accuracy
    // before and after, and Undo brings the model back bit for bit, with its accuracy.
    // (The button is there with the model's own cost and output.)
    await page.evaluate(() => window.backpropLab.setDerivation({ step: 9, cost: window.backpropLab.state().settings.cost, output: 'sigmoid',
                                                                 bug: 'no-sigma-prime' }));
    await frames(page, 3);
    const before = await page.evaluate(() => ({ model: window.backpropLab.exportModel(), s: window.backpropLab.state() }));
    const apply = page.getByRole('button', { name: 'Apply the buggy step (this damages the net)' });
    if (check('step 9 with a bug offers "Apply the buggy step (this damages the net)"', await apply.count() === 1,
              (await page.locator('body').ariaSnapshot()).split('\n').filter((l) => /button/.test(l)).join('\n'))) {
      await page.screenshot({ path: join(shots, 'derivation-step9-bug-before.png') });
      await apply.focus();  // the canvas above takes the mouse; the keyboard presses the mirror's button
      await page.keyboard.press('Enter');
      const damaged = await waitState(page, (st) => st.undo && st.accuracy.test !== null &&
                                                 st.accuracy.test !== before.s.accuracy.test, 60_000);
      // The page writes the transcript every 300 ms: wait for the one with the accuracy after.
      const afterText = `${(damaged.accuracy.test * 100).toFixed(2)}% after`;
      await page.waitForFunction((t) => document.getElementById('transcript').textContent.includes(t), afterText, { timeout: 10_000 })
        .catch(() => {});
      const said = await page.evaluate(() => document.getElementById('transcript').textContent);
      check('the buggy step is named as such, never gradient descent, and Undo names it',
            /^Apply the buggy step \(/.test(damaged.undo) && !/gradient descent on this digit/.test(said), damaged.undo);
      check(`the transcript says the test accuracy before and after (${before.s.accuracy.test} → ${damaged.accuracy.test})`,
            said.includes(`${(before.s.accuracy.test * 100).toFixed(2)}% before`) &&
            said.includes(afterText), said.slice(said.indexOf('test accuracy') - 80, said.indexOf('test accuracy') + 120));
      await page.screenshot({ path: join(shots, 'derivation-step9-bug-applied.png') });
      await page.getByRole('button', { name: 'Undo the buggy step' }).focus();
      await page.keyboard.press('Enter');
      const undone = await waitState(page, (st) => st.undo !== damaged.undo && st.accuracy.test !== null, 60_000);
      const after = await page.evaluate(() => window.backpropLab.exportModel());
      check('Undo restores the model bit for bit (exportModel identical)', after === before.model && after !== '');
      check('... and the test accuracy', undone.accuracy.test === before.s.accuracy.test,
            `${before.s.accuracy.test} → ${damaged.accuracy.test} → ${undone.accuracy.test}`);
      await frames(page, 3);
      await page.screenshot({ path: join(shots, 'derivation-step9-bug-undone.png') });
    }
    check('no console errors, page errors or outside requests', problems.length === 0, problems.join('; '));
  } catch (e) {
    check(`no exception: ${e.message}`, false);
  } finally {
    await browser.close();
    await server.close();
  }
  // bplab, the 7, 4 costs x outputs x 2 neurons x 6 checks, step 8's 4, step 9's 5 and the page's problems.
  finish(counts, 1 + 1 + 4 * 2 * 6 + 4 + 5 + 1);
}

main();

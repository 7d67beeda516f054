// The benchmark page's script (bench.html): loads the full training set into the app, then times
// the engine's benchmark run (src/engine/benchmark.hpp: a fresh [784, 30, 10] net, batch 10,
// eta 0.1, cross-entropy, 50,000 images), as `bplab bench` and tests/wasm do. Results in #out and in
// window.benchResult ({secondsPerEpoch: [...], examples, testAccuracy}).
'use strict';

(async function () {
  const out = document.getElementById('out');
  const lab = window.backpropLab;
  const say = (text) => { out.textContent = text; };
  try {
    await lab.ready;
    say('Loading the full MNIST training set...');
    lab.loadFullData();
    while (!lab.state().data.full) {
      const s = lab.state();
      if (s.data.error) throw new Error(s.data.error);
      await new Promise((r) => setTimeout(r, 200));
    }
    lab.pause();
    say('Timing 3 epochs...');
    await new Promise((r) => setTimeout(r, 100));
    const result = lab.benchmark(3);
    const best = Math.min(...result.secondsPerEpoch);
    window.benchResult = result;
    say('[784, 30, 10], batch 10, eta 0.1, cross-entropy, ' + result.examples + ' images: ' +
        result.secondsPerEpoch.map((s) => s.toFixed(3)).join(', ') + ' s per epoch (best ' + best.toFixed(3) +
        ' s, ' + Math.round(result.examples / best) + ' examples/s); test accuracy after 3 epochs ' +
        (result.testAccuracy * 100).toFixed(2) + '%');
  } catch (error) {
    window.benchResult = { error: String(error && error.message || error) };
    say('Benchmark failed: ' + window.benchResult.error);
  }
})();

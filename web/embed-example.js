// The sample course page's script (web/embed-example.html): listens to the derivation embed's
// messages and moves it through the steps with {type: "backprop-lab:command"}. Messages are
// accepted only from our own frames; their text is shown with textContent, never as HTML.
'use strict';

(function () {
  const frame = document.getElementById('lab-derivation');
  const label = document.getElementById('step-label');
  let step = 0, steps = 1;

  function send(command, args) {
    frame.contentWindow.postMessage({ type: 'backprop-lab:command', command, args, id: Date.now() },
                                    location.origin);
  }

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
    const m = event.data;
    if (!m || typeof m.type !== 'string') return;
    if ((m.type === 'backprop-lab:ready' || m.type === 'backprop-lab:state') && m.state && m.state.derivation) {
      step = Number(m.state.derivation.step) || 0;
      steps = Number(m.state.derivation.steps) || step;
      label.textContent = 'Step ' + step + ' of ' + steps;
    } else if (m.type === 'backprop-lab:error') {
      label.textContent = 'The app said: ' + String(m.message);
    }
  });

  document.getElementById('next-step').addEventListener('click', () => send('setDerivation', { step: Math.min(steps, step + 1) }));
  document.getElementById('prev-step').addEventListener('click', () => send('setDerivation', { step: Math.max(1, step - 1) }));
})();

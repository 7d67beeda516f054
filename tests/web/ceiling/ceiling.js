// See index.html.
'use strict';

const canvas = document.getElementById('canvas');
canvas.width = Math.round(canvas.clientWidth * devicePixelRatio);
canvas.height = Math.round(canvas.clientHeight * devicePixelRatio);
const gl = canvas.getContext('webgl2', { alpha: false, antialias: false, depth: false, stencil: false });
if (location.hash === '#busy') new Worker('busy.js').postMessage('go');

window.ceilingFrames = 0;
function frame() {
  window.ceilingFrames++;
  gl.clearColor((window.ceilingFrames % 60) / 60, 0.3, 0.5, 1);
  gl.clear(gl.COLOR_BUFFER_BIT);
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

// Keeps one core busy (ceiling.js) in slices of 20 ms, yielding between them through a
// MessageChannel, as the app's training worker does (web/train-worker.js).
'use strict';

let sink = 0;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const end = performance.now() + 20;
  while (performance.now() < end) for (let i = 0; i < 10000; i++) sink += Math.sqrt(i);
  channel.port2.postMessage(0);
};
onmessage = () => channel.port2.postMessage(0);

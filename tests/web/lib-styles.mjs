// A handwriting style that is not MNIST's, for the browser tests and the benchmark of "Teach it"
// (the native test, tests/app/styles.hpp, measures three): seven-segment digits, slanted, with
// jitter, rasterised straight into 28x28 the way MNIST lays digits out (ink in a 20x20 box at
// the centre), as addExample's pixels (0 background .. 1 ink).
const SEGMENTS = ['abcdef', 'bc', 'abged', 'abgcd', 'fgbc', 'afgcd', 'afgedc', 'abc', 'abcdefg', 'abcdfg'];

// A small seeded generator (mulberry32), so that every run sees the same digits.
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Distance from (px, py) to the segment (ax, ay)-(bx, by).
function distance(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function sevenSegment(digit, rand) {
  const jitter = () => (rand() - 0.5) * 1.2;
  const slant = 0.2;
  const point = (x, y) => {
    const jx = x + jitter(), jy = y + jitter();
    return [jx + slant * (14 - jy), jy];
  };
  const l = 9.5, r = 18.5, t = 4.5, m = 14, b = 23.5;
  const ends = { a: [[l, t], [r, t]], b: [[r, t], [r, m]], c: [[r, m], [r, b]], d: [[l, b], [r, b]],
                 e: [[l, m], [l, b]], f: [[l, t], [l, m]], g: [[l, m], [r, m]] };
  const lines = [...SEGMENTS[digit]].map((s) => [...point(...ends[s][0]), ...point(...ends[s][1])]);
  const radius = 1.1 + 0.4 * rand();
  const pixels = new Array(784).fill(0);
  for (let y = 0; y < 28; ++y) {
    for (let x = 0; x < 28; ++x) {
      let d = Infinity;
      for (const [ax, ay, bx, by] of lines) d = Math.min(d, distance(x + 0.5, y + 0.5, ax, ay, bx, by));
      pixels[y * 28 + x] = Math.max(0, Math.min(1, radius + 0.5 - d));  // anti-aliased edge
    }
  }
  return pixels;
}

// `perClass` digits of each class: [{label, pixels}], classes interleaved.
export function styleDigits(perClass, seed) {
  const rand = random(seed);
  const out = [];
  for (let k = 0; k < perClass; ++k) for (let d = 0; d < 10; ++d) out.push({ label: d, pixels: sevenSegment(d, rand) });
  return out;
}

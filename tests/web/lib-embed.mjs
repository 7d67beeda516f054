// Shared by the embedding tests (embed*.mjs, urls.mjs): the Content-Security-Policy docs/embedding.md
// documents, a server that serves the built folder from a sub-path with that policy, and pages
// whose frames are watched for errors, warnings, CSP violations and requests leaving 127.0.0.1.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { finish, launch } from './lib-browser.mjs';
import { serve } from './serve.mjs';

// The policy of docs/embedding.md ("Content-Security-Policy"). 'wasm-unsafe-eval' lets the page compile
// app.wasm; nothing else is relaxed (no inline script or style, no eval, no other host).
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const SUBPATH = '/course/lab/';

// Serves `dist` at SUBPATH with the CSP header.
export function serveCourse(dist) {
  return serve(dist, 0, { prefix: SUBPATH, headers: { 'Content-Security-Policy': CSP } });
}

export function distHas(dist, files, check) {
  let ok = true;
  for (const f of files) ok = check(`dist has ${f}`, existsSync(join(dist, f)), `run ./build-wasm.sh first (${dist})`) && ok;
  return ok;
}

// The compressed size of a served file (what a host that gzips would send).
export function gzipSize(dist, path) {
  const rel = decodeURIComponent(path.slice(SUBPATH.length)) || 'index.html';
  try {
    return gzipSync(readFileSync(join(dist, rel)), { level: 9 }).length;
  } catch {
    return 0;
  }
}

// Watches a page and all its frames: errors (console errors, page errors, CSP violations,
// failed requests to our server), warnings (console.warn texts) and requests to other hosts
// (refused). Dialogs (alert) count as errors: nothing from a URL may run.
export function watch(page, server) {
  const w = { errors: [], warnings: [], outside: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.errors.push(`console: ${msg.text()}`);
    if (msg.type() === 'warning') w.warnings.push(msg.text());
  });
  page.on('pageerror', (err) => w.errors.push(`page error: ${err.message}`));
  page.on('dialog', (dialog) => {
    w.errors.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('requestfailed', (req) => {
    if (req.url().startsWith(server.url)) w.errors.push(`request failed: ${req.url()}`);
  });
  const origin = new URL(server.url).origin;
  return page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    w.outside.push(url);
    return route.abort();
  }).then(() => w);
}

// Leaves the page's current load and empties `w`'s lists (watch), so that they then hold the
// next load's alone: the last load's requests still under way fail as it goes.
export async function leave(page, w) {
  await page.goto('about:blank');
  for (const list of Object.values(w)) list.length = 0;
}

// The frame of `page` whose URL contains `part`, once it exists.
export async function frameOf(page, part, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const f = page.frames().find((fr) => fr.url().includes(part));
    if (f) return f;
    if (Date.now() > until) throw new Error(`no frame with ${part}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The canvas's CSS size, buffer size and the device pixel ratio in a page or frame.
export const canvasInfo = (target) => target.evaluate(() => {
  const c = document.getElementById('canvas');
  const r = c.getBoundingClientRect();
  return { cssWidth: r.width, cssHeight: r.height, width: c.width, height: c.height, ratio: window.devicePixelRatio };
});

// One pixel of buffer per device pixel (SDL rounds down), the same scale on both axes.
export function sharp(info) {
  const wantW = Math.floor(info.cssWidth * info.ratio), wantH = Math.floor(info.cssHeight * info.ratio);
  return Math.abs(info.width - wantW) <= 1 && Math.abs(info.height - wantH) <= 1;
}

// Runs a test file's body: checks that `files` are in `dist`, serves it from SUBPATH with the
// CSP, starts Chromium, runs body(server, browser), prints `N passed, M failed` and exits 1 on
// any failure (or when nothing was checked).
export async function runCourseTest({ what, dist, files, check, counts }, body) {
  try {
    if (distHas(dist, files, check)) {
      const server = await serveCourse(dist);
      const browser = await launch();
      try {
        await body(server, browser);
      } finally {
        await browser.close();
        await server.close();
      }
    }
  } catch (e) {
    check(`${what} ran`, false, String(e.stack || e));
  }
  finish(counts);
}

// A static file server for the browser tests, bound to 127.0.0.1 only. Node's standard library
// only: no extra npm package.
//
//   node tests/web/serve.mjs [DIR] [PORT]     serve DIR (default build-wasm/dist), port 0 = any free
//
//   import { serve } from './serve.mjs';
//   const { url, close } = await serve(dir);  // url is http://127.0.0.1:<free port>/
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', // needed for WebAssembly.instantiateStreaming
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.data': 'application/octet-stream',
};

// Resolves to { url, port, close } once the server listens. Options: `prefix` serves the folder
// under a sub-path (e.g. '/course/lab/'; url then ends with it), `headers` are added to every
// answer (e.g. a Content-Security-Policy), `onRequest(path)` hears every request.
export function serve(dir, port = 0, { prefix = '/', headers = {}, onRequest = null } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (onRequest) onRequest(path);
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...headers }).end('not found');
      return;
    }
    path = '/' + path.slice(prefix.length);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let stat;
    try {
      stat = statSync(file);
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...headers }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
      ...headers,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolvePromise({
        url: `http://127.0.0.1:${actual}${prefix}`,
        port: actual,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dir = process.argv[2] || join(here, '..', '..', 'build-wasm', 'dist');
  const { url } = await serve(dir, Number(process.argv[3] || 0));
  console.log(`serving ${resolve(dir)} on ${url}`);
}

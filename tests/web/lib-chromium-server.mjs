// One headless Chromium for the browser tests (ctest's fixture web_chromium): started once,
// each test connects to it (lib-browser.mjs launch(), through BPLAB_CHROMIUM_WS_FILE) in a
// context of its own, instead of starting a Chromium of its own; stopped after the last test.
//
//   node tests/web/lib-chromium-server.mjs start FILE   starts it; FILE gets its endpoint and pid
//   node tests/web/lib-chromium-server.mjs stop FILE
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './lib-browser.mjs';

const [what, file] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (_) { return false; } };

async function stop() {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[1]);
  rmSync(file, { force: true });
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); ++i) await sleep(100);
}

if (what === 'start') {
  await stop();  // one left by a run that was stopped
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', file], { detached: true, stdio: 'ignore' });
  child.unref();
  for (let i = 0; i < 600 && !existsSync(file); ++i) await sleep(100);
  if (!existsSync(file)) { console.log('Chromium did not start'); process.exit(1); }
  console.log('Chromium for the browser tests: ' + readFileSync(file, 'utf8').split('\n')[0]);
} else if (what === 'serve') {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
  });
  const quit = async () => { await server.close().catch(() => {}); process.exit(0); };
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
  setTimeout(quit, 3 * 3600 * 1000).unref();  // never outlives a forgotten stop by much
  writeFileSync(file + '.new', server.wsEndpoint() + '\n' + process.pid + '\n');
  writeFileSync(file, readFileSync(file + '.new'));
  rmSync(file + '.new');
} else if (what === 'stop') {
  await stop();
} else {
  console.log('usage: lib-chromium-server.mjs start|stop FILE');
  process.exit(2);
}

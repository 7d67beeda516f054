// The page's copy of the command table: web/backprop-lab-api.js as the web build writes it
// (cmake/commands_js.cmake) holds every row of src/app/lab.cpp's table with the same name,
// access and fields of the same types as the app reads them (commands_table), so neither the
// page's methods nor embed.js's postMessage allow-list (the rows of access 'embed') can
// disagree with the app; and a new row reaches the page with nothing else changed. Run by ctest
// (commands_js):
//
//   node tests/app/commands_js_test.mjs REPO OUT CMAKE COMMANDS_TABLE
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

const [repo, out, cmake, tableTool] = process.argv.slice(2);
let failed = 0, passed = 0;
const check = (what, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : ': ' + detail}`);
  ok ? passed++ : failed++;
};
mkdirSync(out, { recursive: true });

// The page's script with the table filled in, run in a bare window: its backpropLab.commands.
function pageTable(labCpp) {
  const js = join(out, 'backprop-lab-api.js');
  execFileSync(cmake, [`-DLAB_CPP=${labCpp}`, `-DAPI_JS_IN=${join(repo, 'web', 'backprop-lab-api.js')}`,
                       `-DAPI_JS_OUT=${js}`, '-P', join(repo, 'cmake', 'commands_js.cmake')], { stdio: 'inherit' });
  const lab = { ready: new Promise(() => {}) };
  const window = { backpropLab: lab, Module: {} };
  const context = { window, location: { search: '', hash: '', origin: '', pathname: '/' },
                    document: { getElementById: () => null }, setInterval, console };
  vm.createContext(context);
  vm.runInContext(readFileSync(js, 'utf8'), context, { filename: js });
  // Arguments made in the page's own realm, as postMessage makes them there.
  lab.inPage = (x) => vm.runInContext('JSON.parse', context)(JSON.stringify(x));
  return lab;
}

const app = JSON.parse(execFileSync(tableTool, { encoding: 'utf8' }));
const lab = pageTable(join(repo, 'src', 'app', 'lab.cpp'));
const page = lab.commands;
check('the app has commands', app.length > 0);
check('the page has the same commands, in order', JSON.stringify(Object.keys(page)) === JSON.stringify(app.map((c) => c.name)),
      Object.keys(page).join(',') + ' vs ' + app.map((c) => c.name).join(','));
for (const c of app) {
  const p = page[c.name];
  if (!p) continue;
  const fields = Object.entries(p.fields).map(([name, types]) => [name, types.join('|')]);
  check(`${c.name}: access, kind and fields as the app reads them`,
        p.access === c.access && p.kind === c.kind && JSON.stringify(fields) === JSON.stringify(c.fields),
        JSON.stringify({ page: [p.access, p.kind, fields], app: [c.access, c.kind, c.fields] }));
  // Each field of its declared type passes the page's check; an unknown field does not.
  const sample = { number: 1.5, integer: 2, string: 'x', text: 'x', boolean: true, 'integer[]': [1, 2], 'number[]': [0.5, 1], null: null };
  for (const [name, types] of Object.entries(p.fields)) {
    const value = sample[types[0]];
    const args = lab.inPage(c.kind === 'value' ? value : { [name]: value });
    check(`${c.name}: ${name} as ${types[0]} passes the page's check`, lab.checkArgs(c.name, args) === true, lab.checkArgs(c.name, args));
  }
  if (c.kind === 'object')
    check(`${c.name}: an unknown field is refused`, typeof lab.checkArgs(c.name, lab.inPage({ notAField: 1 })) === 'string');
  const isMethod = typeof lab[c.name] === 'function';
  check(`${c.name}: ${c.access === 'page' ? 'no method' : 'a method'} of backpropLab`, isMethod === (c.access !== 'page'));
}
const embed = readFileSync(join(repo, 'web', 'embed.js'), 'utf8');
check("embed.js's allow-list is the table's rows of access 'embed'",
      /Object\.keys\(lab\.commands\)\.filter\(\(name\) => lab\.commands\[name\]\.access === 'embed'\)/.test(embed) &&
      !/_FIELDS\s*=/.test(embed));

// A new row of the table reaches the page with nothing else changed.
const cpp = readFileSync(join(repo, 'src', 'app', 'lab.cpp'), 'utf8').replace('  // commands end',
  '  {"answerQuizz", Access::Embed, "{digit: integer, sure: boolean|null}", [](Lab&, const json::Value&) -> json::Value {\n' +
  '    return ok();\n  }},\n  // commands end');
writeFileSync(join(out, 'lab.cpp'), cpp);
const grown = pageTable(join(out, 'lab.cpp')).commands.answerQuizz;
check('a new row is a command of the page', grown && grown.access === 'embed' && grown.kind === 'object' &&
      JSON.stringify(grown.fields) === JSON.stringify({ digit: ['integer'], sure: ['boolean', 'null'] }), JSON.stringify(grown));

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

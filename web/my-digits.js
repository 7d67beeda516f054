// Keeping the learner's work in the browser: My digits and the current model survive a reload
// (IndexedDB, per origin), files are downloaded and opened when the app asks (state().files),
// and a file dropped on the page is opened by its kind (a digits file, docs/digits-format.md, or
// a model, network2 JSON). Loaded after backprop-lab-api.js.
//
// Storage unavailable (private mode, a sandboxed frame) or full: the app keeps working in memory
// and says so once on its status line.
'use strict';

(function () {
  const lab = window.backpropLab;
  if (!lab) throw new Error('load backprop-lab-api.js first');
  const call = lab._call;

  // [SECTION] IndexedDB: one store, two records ('digits': the digits file's text, 'model': the
  // model's JSON). Every operation resolves (null on failure) and reports failure once.
  const DB_NAME = 'backprop-lab', STORE = 'kept';
  let dbPromise = null, storageSaid = false;
  function storageProblem(why) {
    if (storageSaid) return;
    storageSaid = true;
    const message = 'My digits and the model are kept in memory only: the browser\'s storage is ' + why;
    console.warn(message);
    try { call('note', { message }); } catch (_) { /* stopped */ }
  }
  function db() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise((resolve) => {
      let request;
      try {
        request = window.indexedDB.open(DB_NAME, 1);
      } catch (error) {
        storageProblem('unavailable (' + (error && error.name || error) + ')');
        resolve(null);
        return;
      }
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { storageProblem('unavailable (' + (request.error && request.error.name) + ')'); resolve(null); };
      request.onblocked = () => { storageProblem('blocked by another tab'); resolve(null); };
    });
    return dbPromise;
  }
  async function get(key) {
    const d = await db();
    if (!d) return null;
    return new Promise((resolve) => {
      try {
        const r = d.transaction(STORE, 'readonly').objectStore(STORE).get(key);
        r.onsuccess = () => resolve(r.result === undefined ? null : r.result);
        r.onerror = () => resolve(null);
      } catch (_) { resolve(null); }
    });
  }
  async function put(key, value) {
    const d = await db();
    if (!d) return false;
    return new Promise((resolve) => {
      try {
        const t = d.transaction(STORE, 'readwrite');
        t.objectStore(STORE).put(value, key);
        t.oncomplete = () => resolve(true);
        t.onabort = t.onerror = () => {
          const name = t.error && t.error.name;
          storageProblem(name === 'QuotaExceededError' ? 'full' : 'unavailable (' + name + ')');
          resolve(false);
        };
      } catch (error) {
        storageProblem('unavailable (' + (error && error.name || error) + ')');
        resolve(false);
      }
    });
  }

  // [SECTION] Files: download what the app asks for, open what the learner chooses or drops
  function download(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  // A file's text, opened by its kind; "" or why not (also on the app's status line).
  function openText(text, name) {
    const body = String(text).trimStart();
    try {
      if (body.startsWith('bplab-digits')) {
        const added = call('importExamples', text);
        call('note', { message: 'opened ' + name + ': ' + added + ' digits added to My digits' });
      } else if (body.startsWith('{')) {
        lab.loadModel(text);
        call('note', { message: 'opened the model ' + name });
      } else {
        throw new Error(name + ': not a digits file ("bplab-digits 1") or a model (network2 JSON)');
      }
      return '';
    } catch (error) {
      const message = String(error && error.message || error);
      try { call('note', { message: message.startsWith(name) ? message : name + ': ' + message }); } catch (_) { /* stopped */ }
      return message;
    }
  }
  async function openFile(file) {
    if (file.size > 400 * 1024 * 1024) return openText('', file.name + ' (too large)');
    return openText(await file.text(), file.name);
  }
  lab.openFile = openFile;  // for tests and for a page that hands the app a File
  let picker = null;
  function choose() {
    if (!picker) {
      picker = document.createElement('input');
      picker.type = 'file';
      picker.accept = '.txt,.json,text/plain,application/json';
      picker.hidden = true;
      picker.addEventListener('change', () => {
        for (const f of Array.from(picker.files || [])) openFile(f);
        picker.value = '';
      });
      document.body.append(picker);
    }
    picker.click();
  }
  document.addEventListener('dragover', (event) => {
    if (event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files')) event.preventDefault();
  });
  document.addEventListener('drop', (event) => {
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    for (const f of Array.from(event.dataTransfer.files)) openFile(f);
  });

  // [SECTION] Restore at start, save on change
  const params = new URLSearchParams([location.search.slice(1), location.hash.slice(1)].filter(Boolean).join('&'));
  // A course page that chooses the net (model=, sizes=, autoplay=) gets that net, not the saved one.
  const restoreModel = !params.has('model') && !params.has('sizes') && !params.has('autoplay');
  let saved = null;  // what was last saved: {examples, model}
  let requests = 0;
  lab.ready.then(async () => {
    const first = call('state').files;
    requests = first.requests;
    const [digits, model] = await Promise.all([get('digits'), get('model')]);
    try {
      if (typeof model === 'string' && restoreModel) {
        lab.loadModel(model);
        call('note', { message: 'the model from your last visit is back' });
      }
    } catch (error) {
      console.warn('the saved model was not restored: ' + error.message);
    }
    try {
      if (typeof digits === 'string' && call('state').examples.count === 0) call('importExamples', digits);
    } catch (error) {
      console.warn('My digits were not restored: ' + error.message);
    }
    const now = call('state').files;
    saved = { examples: now.examples, model: now.model };
    setInterval(tick, 500);
  }, () => {});

  let saving = false;
  async function tick() {
    let files;
    try { files = call('state').files; } catch (_) { return; }
    if (files.requests !== requests) {
      requests = files.requests;
      try {
        if (files.request === 'digits') download(call('exportExamples'), 'my-digits.txt', 'text/plain');
        else if (files.request === 'model') download(lab.exportModel(), 'backprop-lab-model.json', 'application/json');
        else if (files.request === 'open') choose();
      } catch (error) {
        try { call('note', { message: String(error.message || error) }); } catch (_) { /* stopped */ }
      }
    }
    if (saving || storageSaid || !saved) return;
    const digitsChanged = files.examples !== saved.examples;
    const modelChanged = !files.modelRunning && files.model !== saved.model;
    if (!digitsChanged && !modelChanged) return;
    saving = true;
    try {
      if (digitsChanged && await put('digits', call('exportExamples'))) saved.examples = files.examples;
      if (modelChanged && await put('model', lab.exportModel())) saved.model = files.model;
    } catch (_) { /* stopped */ }
    saving = false;
  }
  lab.saveNow = tick;  // tests: save without waiting for the next half second
})();

// The accessibility mirror's page side (src/app/mirror.hpp is the app's): real, named DOM
// controls laid over the canvas, one per interactive ImGui item of the frame, in reading order,
// and the current screen in words (headings, sentences, tables) with a polite live region.
//
// - The browser owns the tab order: the canvas is not a tab stop, Tab walks through these
//   controls and then leaves the app (and its iframe). Keys typed on a control stay with it.
// - Each control sits over its widget (transparent, no pointer events: the mouse still draws
//   and clicks on the canvas), so the focus ring and screen magnifiers land on the widget.
// - Activating a control acts in the app ("mirrorAct": press, set, focus), which draws the
//   change in the next frames; the app scrolls a focused widget into view.
// - Shortcuts, outside text fields: ← and → go to the previous and next derivation step.
//
// Loaded after backprop-lab-api.js.
'use strict';

(function () {
  const lab = window.backpropLab;
  const canvas = document.getElementById('canvas');
  const layer = document.getElementById('mirror');
  const top = document.getElementById('mirror-top');
  const words = document.getElementById('screen-words');
  const panel = document.getElementById('mirror-panel');
  const announcer = document.getElementById('announce');
  if (!lab || !canvas || !layer || !top || !words || !panel || !announcer) return;

  const elements = new Map();  // node id -> element
  const groups = new Map();    // tab list name -> its container (role tablist)
  let version = -1;
  let lastWords = '';
  let lastAnnounce = -1;
  let lastPanel = null;

  const act = (id, action, value) => {
    try {
      lab._call('mirrorAct', value === undefined ? { id, action } : { id, action, value });
    } catch (_) { /* the item is gone: the next mirror says what is there */ }
  };

  // [SECTION] Logarithmic sliders: a range input over the 1-2-5 values between min and max.
  function ladder(min, max) {
    const values = [min];
    let decade = Math.pow(10, Math.floor(Math.log10(min)));
    for (let guard = 0; guard < 60; ++guard, decade *= 10) {
      for (const m of [1, 2, 5]) {
        const v = +(m * decade).toPrecision(6);
        if (v > values[values.length - 1] * 1.0001 && v < max * 0.9999) values.push(v);
      }
      if (decade > max) break;
    }
    values.push(max);
    return values;
  }
  function nearest(values, v) {
    let best = 0;
    for (let i = 1; i < values.length; ++i) {
      if (Math.abs(Math.log(values[i] / v)) < Math.abs(Math.log(values[best] / v))) best = i;
    }
    return best;
  }

  // [SECTION] One element per node
  let radioGroup = 0;

  function make(node) {
    let el;
    switch (node.role) {
      case 'checkbox':
        el = document.createElement('input');
        el.type = 'checkbox';
        el.addEventListener('change', () => act(el.dataset.id, 'press'));
        break;
      case 'radio':
        el = document.createElement('input');
        el.type = 'radio';
        el.addEventListener('change', () => { if (el.checked) act(el.dataset.id, 'press'); });
        break;
      case 'slider':
        el = document.createElement('input');
        el.type = 'range';
        el.addEventListener('input', () => {
          const value = el._ladder ? el._ladder[Number(el.value)] : Number(el.value);
          // The new value's words now, in the same task as the value: the browser tells the
          // screen reader once, and it must hear the new text, not the last frame's.
          if (el._text !== undefined) setAttr(el, 'aria-valuetext', valueText(el._text, value));
          el._pending = value;
          el._pendingUntil = performance.now() + 1000;
          act(el.dataset.id, 'set', value);
        });
        break;
      case 'number':
        el = document.createElement('input');
        el.type = 'number';
        el.addEventListener('change', () => { if (el.value !== '') act(el.dataset.id, 'set', Number(el.value)); });
        break;
      case 'text':
        el = document.createElement('input');
        el.type = 'text';
        el.spellcheck = false;
        el.addEventListener('input', () => act(el.dataset.id, 'set', el.value));
        break;
      case 'select':
        el = document.createElement('select');
        el.addEventListener('change', () => act(el.dataset.id, 'set', el.selectedIndex));
        break;
      case 'image':
        el = document.createElement('div');
        el.setAttribute('role', 'img');
        break;
      case 'tab':
        el = document.createElement('button');
        el.type = 'button';
        el.setAttribute('role', 'tab');
        el.addEventListener('click', () => { focusOn(el); act(el.dataset.id, 'press'); });
        el.addEventListener('keydown', (event) => tabKey(el, event));
        break;
      default:  // button, toggle, expander
        el = document.createElement('button');
        el.type = 'button';
        // A press keeps (or puts) the focus on the button: a screen reader's browse mode
        // presses it without focusing it, and then follows whatever changed instead.
        el.addEventListener('click', () => { focusOn(el); act(el.dataset.id, 'press'); });
    }
    el.className = 'mirror-item';
    el.dataset.id = node.id;
    el.dataset.role = node.role;
    if (node.role !== 'image') {
      el.addEventListener('focus', () => act(el.dataset.id, 'focus'));
      el.addEventListener('blur', () => act(el.dataset.id, 'blur'));
    }
    return el;
  }

  function focusOn(el) {
    if (document.activeElement !== el && el.isConnected) el.focus({ preventScroll: true });
  }

  // The words of a slider's value `v`, in the format of its last words ("0.500", "20", "1.0e-3"):
  // the digits after the point as there, the rest of the text kept.
  function valueText(last, v) {
    const m = /-?\d+(?:\.(\d+))?(?:e[-+]?\d+)?/i.exec(last);
    if (!m) return String(v);
    const digits = m[1] ? m[1].length : 0;
    const shown = /e/i.test(m[0]) ? v.toExponential(digits) : v.toFixed(digits);
    return last.slice(0, m.index) + shown + last.slice(m.index + m[0].length);
  }

  // A tab list (the derivation's steps): ← → Home End move to a tab and choose it, as in any
  // tab list; a screen reader passes these keys to a tab list without leaving browse mode.
  function tabKey(el, event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const tabs = Array.from(el.parentElement.querySelectorAll('[role="tab"]'));
    const i = tabs.indexOf(el);
    const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = tabs[Math.max(0, Math.min(tabs.length - 1, to))];
    if (!next || next === el) return;
    next.focus({ preventScroll: true });
    act(next.dataset.id, 'press');
  }

  function setAttr(el, name, value) {
    if (value === null || value === undefined || value === false) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== String(value)) {
      el.setAttribute(name, String(value));
    }
  }

  function update(el, node) {
    const [x, y, w, h] = node.rect;
    const style = `left:${x}px;top:${y}px;width:${w}px;height:${h}px`;
    if (el._style !== style) {
      el._style = style;
      el.style.left = x + 'px'; el.style.top = y + 'px';
      el.style.width = w + 'px'; el.style.height = h + 'px';
    }
    setAttr(el, 'aria-disabled', node.disabled ? 'true' : null);
    setAttr(el, 'aria-description', node.hint || null);
    const focused = document.activeElement === el;
    switch (node.role) {
      case 'tab':
        if (el.textContent !== node.name) el.textContent = node.name;
        setAttr(el, 'aria-selected', String(!!node.on));
        el.tabIndex = node.on ? 0 : -1;  // one tab stop for the list: the chosen tab
        break;
      case 'button': case 'toggle': case 'expander':
        if (el.textContent !== node.name) el.textContent = node.name;
        setAttr(el, 'aria-pressed', node.role === 'toggle' ? String(!!node.on) : null);
        setAttr(el, 'aria-expanded', node.role === 'expander' ? String(!!node.expanded) : null);
        break;
      case 'checkbox': case 'radio':
        setAttr(el, 'aria-label', node.name);
        el.checked = !!node.on;
        break;
      case 'slider':
        setAttr(el, 'aria-label', node.name);
        // A value set from here and not yet in the app's frame: keep it (an older frame would
        // move the slider back and forth, and the screen reader would say both).
        if (el._pending !== undefined) {
          if (performance.now() < el._pendingUntil && Math.abs(node.value - el._pending) > 1e-6 * Math.max(1e-3, Math.abs(el._pending))) break;
          el._pending = undefined;
        }
        if (node.log && node.min > 0) {
          const key = node.min + ':' + node.max;
          if (el._ladderKey !== key) { el._ladderKey = key; el._ladder = ladder(node.min, node.max); }
          el.min = 0; el.max = el._ladder.length - 1; el.step = 1;
          el.value = nearest(el._ladder, node.value);
        } else {
          el._ladder = null;
          el.min = node.min; el.max = node.max; el.step = node.step || 'any';
          el.value = node.value;
        }
        setAttr(el, 'aria-valuetext', node.text);
        el._text = node.text;
        break;
      case 'number':
        setAttr(el, 'aria-label', node.name);
        el.min = node.min; el.max = node.max; el.step = node.step || 'any';
        if (!focused) el.value = node.value;
        break;
      case 'text':
        setAttr(el, 'aria-label', node.name);
        if (!focused && el.value !== node.text) el.value = node.text;
        break;
      case 'select': {
        setAttr(el, 'aria-label', node.name);
        const names = node.options.join('\n');
        if (el._options !== names) {
          el._options = names;
          el.replaceChildren(...node.options.map((o) => new Option(o)));
        }
        if (el.selectedIndex !== node.value) el.selectedIndex = node.value;
        break;
      }
      case 'image':
        setAttr(el, 'aria-label', node.name);
        break;
    }
  }

  // [SECTION] The frame's nodes, in order
  function renderNodes(nodes) {
    const active = document.activeElement;
    const hadFocus = active && active.classList && active.classList.contains('mirror-item');
    const focusIndex = hadFocus ? Array.from(layer.querySelectorAll('.mirror-item')).indexOf(active) : -1;
    const seen = new Set();
    const want = { top: [], panel: [] };
    const lists = new Map();  // tab list name -> [container, its tabs]
    radioGroup = 0;
    let lastRole = '';
    for (const node of nodes) {
      seen.add(node.id);
      let el = elements.get(node.id);
      if (el && el.dataset.role !== node.role) { el.remove(); el = null; }
      if (!el) { el = make(node); elements.set(node.id, el); }
      if (node.role === 'radio') {
        if (lastRole !== 'radio') ++radioGroup;
        el.name = 'mirror-radio-' + radioGroup;
      }
      lastRole = node.role;
      update(el, node);
      if (node.role === 'tab') {
        const name = node.group || 'tabs';
        if (!lists.has(name)) {
          let box = groups.get(name);
          if (!box) {
            box = document.createElement('div');
            box.setAttribute('role', 'tablist');
            box.setAttribute('aria-label', name);
            groups.set(name, box);
          }
          lists.set(name, [box, []]);
          want[node.panel ? 'panel' : 'top'].push(box);
        }
        lists.get(name)[1].push(el);
        continue;
      }
      want[node.panel ? 'panel' : 'top'].push(el);
    }
    for (const [id, el] of elements) {
      if (!seen.has(id)) { el.remove(); elements.delete(id); }
    }
    for (const [name, box] of groups) {
      if (!lists.has(name)) { box.remove(); groups.delete(name); }
    }
    for (const [parent, list] of [[top, want.top], [panel, want.panel], ...lists.values()]) {
      // Reorder only where needed: moving the focused element would blur it.
      let i = 0;
      for (const el of list) {
        if (parent.children[i] !== el) parent.insertBefore(el, parent.children[i] || null);
        ++i;
      }
    }
    // The focused control went away (a screen changed, a button hid): focus the one that took
    // its place, so that keyboard users are not thrown back to the start of the page.
    if (hadFocus && !active.isConnected) {
      const all = layer.querySelectorAll('.mirror-item:not([role="img"])');
      const next = all[Math.min(focusIndex, all.length - 1)];
      if (next) next.focus({ preventScroll: true });
    }
  }

  // [SECTION] The screen in words
  function renderWords(list) {
    const json = JSON.stringify(list);
    if (json === lastWords) return;
    lastWords = json;
    const out = [];
    for (const w of list) {
      if (w.kind === 'table') {
        const table = document.createElement('table');
        const caption = table.createCaption();
        caption.textContent = w.text;
        const head = table.createTHead().insertRow();
        for (const h of w.header) {
          const th = document.createElement('th');
          th.scope = 'col';
          th.textContent = h;
          head.appendChild(th);
        }
        const body = table.createTBody();
        for (const row of w.rows) {
          const tr = body.insertRow();
          row.forEach((c, i) => {
            const cell = document.createElement(i === 0 ? 'th' : 'td');
            if (i === 0) cell.scope = 'row';
            cell.textContent = c;
            tr.appendChild(cell);
          });
        }
        out.push(table);
      } else {
        const el = document.createElement(w.kind === 'h2' ? 'h2' : 'p');
        el.textContent = w.text;
        out.push(el);
      }
    }
    words.replaceChildren(...out);
    words.hidden = out.length === 0;
  }

  // Says `text` in the polite live region, even when it is what was said last ("Drawing
  // cleared." twice): a repeated text differs by a no-break space, so that it is a change.
  function say(text) {
    if (announcer.textContent.replace(/\u00a0$/, '') === text && !announcer.textContent.endsWith('\u00a0')) text += '\u00a0';
    announcer.textContent = text;
  }

  function render(m) {
    renderNodes(m.nodes);
    renderWords(m.words);
    if (m.announceCount !== lastAnnounce) {
      const first = lastAnnounce < 0;
      lastAnnounce = m.announceCount;
      if (!first && m.announce) say(m.announce);
    }
  }

  function poll() {
    requestAnimationFrame(poll);
    let m;
    try { m = lab._call('mirror', { since: version }); } catch (_) { return; }
    if (!m) return;
    version = m.version;
    render(m);
    if (m.panel !== lastPanel) {
      lastPanel = m.panel;
      layer.dataset.panel = m.panel;
      document.documentElement.dataset.panel = m.panel;  // the stylesheet shows that screen's text
    }
  }
  // Once, when the app can be used (the loading messages before it are not spoken).
  lab.ready.then(() => {
    say('Backprop Lab is ready.');
    requestAnimationFrame(poll);
  }, () => {});

  // [SECTION] Keyboard
  // The canvas keeps the keys only for ImGui's own text editing after a click; Tab always
  // moves the browser's focus (SDL would otherwise take it: it listens on the canvas).
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Tab' && event.target === canvas) event.stopPropagation();
  }, true);

  // ← and → step through the derivation, where no control needs the arrows.
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const t = event.target;
    if (t === canvas || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    let s;
    try { s = lab.state(); } catch (_) { return; }
    if (s.panel !== 'derivation' || !s.derivation) return;
    const step = s.derivation.step + (event.key === 'ArrowRight' ? 1 : -1);
    try { lab.setDerivation({ step }); event.preventDefault(); } catch (_) { /* first or last step */ }
  });
})();

// logomill web app: plain ES module, no framework, no build step, no external requests.
// It talks to the HTTP API described in docs/API.md: GET /api/variations to build the form,
// POST /api/jobs to start a job, Server-Sent Events (or polling) to follow it.

const KEY_STORAGE = 'logomill.apiKey';
const FINAL_JOB_STATES = new Set(['completed', 'failed', 'cancelled']);
/** Media types a browser shows in an <img>. */
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml']);
/** Images with a side longer than this are previewed from their SVG twin when there is one. */
const LARGE_SIDE = 2400;
const POLL_MS = 1000;
/** Previews shown per variation before a "+N more" tile. */
const PER_VARIATION = 6;
/** Options shown outside "More options": the first few in schema order plus every colour. */
const VISIBLE_OPTIONS = 3;
const MAX_VISIBLE_OPTIONS = 4;

const $ = (id) => document.getElementById(id);

const state = {
  /** @type {{ id: string, file: File, url: string }[]} */
  files: [],
  variations: [],
  presets: [],
  /** @type {Map<string, object>} variation id → variation */
  byId: new Map(),
  /** @type {Set<string>} ticked variation ids */
  selected: new Set(),
  /** @type {Map<string, { group: HTMLElement, fields: Field[] }>} */
  optionGroups: new Map(),
  job: null,
  /** Increases with every new job, so that late answers for an old job are ignored. */
  jobSeq: 0,
  es: null,
  pollTimer: 0,
  items: new Map(),
  variationsLoaded: false,
  fileSeq: 0,
};

// ---------------------------------------------------------------------------------------------
// Small DOM helper

/**
 * Creates an element. `props`: `class`, `text`, `dataset`, `on<event>` listeners, booleans and
 * `value` as properties, everything else as attributes. Children: nodes or strings.
 */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (typeof v === 'boolean' || k === 'value') node[k] = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

function svgIcon(path, cls = 'icon') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', cls);
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  p.setAttribute('fill', 'currentColor');
  svg.append(p);
  return svg;
}

const ICON_DOWNLOAD = 'M11 4h2v8.2l3.3-3.3 1.4 1.4L12 16l-5.7-5.7 1.4-1.4 3.3 3.3V4ZM5 18h14v2H5v-2Z';
const ICON_CLOSE =
  'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4 6.4 5Z';
const ICON_ZIP = 'M3 4h18v4H3V4Zm1 5h16v11H4V9Zm5 3v2h6v-2H9Z';

function formatBytes(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "widthMm" → "Width (mm)", "maxInks" → "Max inks". */
function humanize(key) {
  const unit = /Mm$/.test(key) ? ' (mm)' : '';
  const base = key.replace(/Mm$/, '');
  const words = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

// ---------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

function apiKey() {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

/** A same-origin URL with extra query parameters and the API key as `?key=` (for links and EventSource). */
function withKey(url, extra = {}) {
  const u = new URL(url, location.href);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  const key = apiKey();
  if (key) u.searchParams.set('key', key);
  return u.origin === location.origin ? u.pathname + u.search : u.href;
}

async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  const key = apiKey();
  if (key) headers.set('X-API-Key', key);
  let res;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'E_NETWORK', 'Could not reach the server. Check the connection and try again.');
  }
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = body?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `HTTP ${res.status}`,
      err?.message ?? `The server answered ${res.status} ${res.statusText}.`.replace(' .', '.'),
      res.headers.get('Retry-After'),
    );
  }
  return body;
}

function describeError(err) {
  if (!(err instanceof ApiError)) return String(err?.message ?? err);
  let msg = err.message;
  if (err.status === 401) msg += ' Enter the API key for this server (top right) and try again.';
  if (err.retryAfter) msg += ` Try again in ${err.retryAfter} s.`;
  return msg;
}

// ---------------------------------------------------------------------------------------------
// API key

function setupApiKey() {
  const details = $('apikey');
  const input = $('apikey-input');
  input.value = apiKey();
  updateKeyState();
  $('apikey-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = input.value.trim();
    try {
      if (v) localStorage.setItem(KEY_STORAGE, v);
      else localStorage.removeItem(KEY_STORAGE);
    } catch {
      // storage may be disabled; the key then lasts until the page is closed
    }
    updateKeyState();
    details.open = false;
    hideFormError();
    if (!state.variationsLoaded) loadVariations();
  });
}

function updateKeyState() {
  $('apikey-state').textContent = apiKey() ? ' · set' : '';
}

function askForKey() {
  const details = $('apikey');
  details.open = true;
  $('apikey-input').focus();
}

// ---------------------------------------------------------------------------------------------
// Files

function setupFiles() {
  const input = $('file-input');
  const zone = $('dropzone');
  input.addEventListener('change', () => {
    addFiles(input.files);
    input.value = '';
  });
  zone.addEventListener('click', (e) => {
    if (e.target === zone || e.target.closest('.dropzone-text, .dropzone-icon, .hint')) input.click();
  });
  // Dropping anywhere on the page adds the files; the drop zone lights up while dragging.
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    zone.classList.add('is-dragging');
  });
  window.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('is-dragging');
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    zone.classList.remove('is-dragging');
    addFiles(e.dataTransfer.files);
  });
}

function addFiles(list) {
  const known = new Set(state.files.map((f) => `${f.file.name}\0${f.file.size}\0${f.file.lastModified}`));
  for (const file of list ?? []) {
    const sig = `${file.name}\0${file.size}\0${file.lastModified}`;
    if (known.has(sig)) continue;
    known.add(sig);
    state.files.push({ id: `f${++state.fileSeq}`, file, url: URL.createObjectURL(file) });
  }
  renderFiles();
  hideFormError();
}

function removeFile(id) {
  const i = state.files.findIndex((f) => f.id === id);
  if (i < 0) return;
  URL.revokeObjectURL(state.files[i].url);
  state.files.splice(i, 1);
  renderFiles();
  const buttons = document.querySelectorAll('#file-list .file-remove');
  (buttons[Math.min(i, buttons.length - 1)] ?? $('file-input')).focus();
}

function renderFiles() {
  const list = $('file-list');
  list.replaceChildren(
    ...state.files.map(({ id, file, url }) => {
      const img = el('img', { src: url, alt: '', loading: 'lazy', decoding: 'async' });
      const thumb = el('span', { class: 'file-thumb' }, img);
      img.addEventListener('error', () => {
        img.remove();
        thumb.textContent = (file.name.split('.').pop() ?? '').slice(0, 4).toUpperCase() || 'FILE';
        thumb.classList.add('file-thumb-text');
      });
      return el(
        'li',
        { class: 'file', dataset: { testid: 'file' } },
        thumb,
        el(
          'span',
          { class: 'file-text' },
          el('span', { class: 'file-name', text: file.name, title: file.name }),
          el('span', { class: 'file-meta muted', text: formatBytes(file.size) }),
        ),
        el(
          'button',
          {
            type: 'button',
            class: 'btn-icon file-remove',
            'aria-label': `Remove ${file.name}`,
            title: 'Remove',
            onclick: () => removeFile(id),
          },
          svgIcon(ICON_CLOSE),
        ),
      );
    }),
  );
  updateSummary();
}

// ---------------------------------------------------------------------------------------------
// Variations and presets

async function loadVariations() {
  const status = $('variations-status');
  status.textContent = 'Loading variations…';
  status.hidden = false;
  try {
    const data = await api('/api/variations');
    state.variations = data.variations ?? [];
    state.presets = data.presets ?? [];
    state.byId = new Map(state.variations.map((v) => [v.id, v]));
    state.variationsLoaded = true;
    status.hidden = true;
    renderVariations();
    const first = state.presets.find((p) => p.id === 'web') ?? state.presets[0];
    applySelection(first ? first.variations : state.variations.slice(0, 1).map((v) => v.id));
  } catch (err) {
    status.replaceChildren(
      el('span', { class: 'error-text', text: `Could not load the variations: ${describeError(err)}` }),
      ' ',
      el('button', { type: 'button', class: 'btn btn-small', text: 'Retry', onclick: loadVariations }),
    );
    if (err instanceof ApiError && err.status === 401) askForKey();
  }
}

function renderVariations() {
  const presets = $('presets');
  for (const b of presets.querySelectorAll('button')) b.remove();
  presets.append(
    ...state.presets.map((p) =>
      el('button', {
        type: 'button',
        class: 'preset',
        text: p.label ?? p.id,
        title: p.description ?? p.variations.map((id) => state.byId.get(id)?.label ?? id).join(', '),
        'aria-pressed': 'false',
        dataset: { testid: `preset-${p.id}`, preset: p.id },
        onclick: () => applySelection(p.variations),
      }),
    ),
    el('button', {
      type: 'button',
      class: 'link-button preset-clear',
      text: 'Clear',
      dataset: { testid: 'preset-clear' },
      onclick: () => applySelection([]),
    }),
  );

  const box = $('variations');
  for (const node of box.querySelectorAll('.variation')) node.remove();
  for (const v of state.variations) {
    const id = `var-${v.id}`;
    box.append(
      el(
        'div',
        { class: 'variation' },
        el('input', {
          type: 'checkbox',
          id,
          name: 'variation',
          value: v.id,
          'aria-describedby': `${id}-desc`,
          dataset: { testid: `variation-${v.id}` },
          onchange: (e) => toggleVariation(v.id, e.target.checked),
        }),
        el(
          'label',
          { for: id },
          el('span', { class: 'variation-label', text: v.label ?? v.id }),
          el('span', {
            class: 'variation-desc',
            id: `${id}-desc`,
            text: v.description ?? '',
            title: v.outputs ?? '',
          }),
        ),
      ),
    );
  }

  const options = $('options');
  options.replaceChildren();
  state.optionGroups.clear();
  for (const v of state.variations) {
    const group = renderOptionGroup(v);
    options.append(group.group);
    state.optionGroups.set(v.id, group);
  }
}

function applySelection(ids) {
  state.selected = new Set(ids.filter((id) => state.byId.has(id)));
  for (const box of document.querySelectorAll('#variations input[name=variation]')) {
    box.checked = state.selected.has(box.value);
  }
  syncSelection();
}

function toggleVariation(id, on) {
  if (on) state.selected.add(id);
  else state.selected.delete(id);
  syncSelection();
}

function syncSelection() {
  for (const [id, g] of state.optionGroups) g.group.hidden = !state.selected.has(id);
  $('options-empty').hidden = state.selected.size > 0;
  for (const b of document.querySelectorAll('#presets .preset[data-preset]')) {
    const p = state.presets.find((x) => x.id === b.dataset.preset);
    const same =
      p && p.variations.length === state.selected.size && p.variations.every((id) => state.selected.has(id));
    b.setAttribute('aria-pressed', same ? 'true' : 'false');
  }
  updateSummary();
  hideFormError();
}

function updateSummary() {
  const n = state.files.length;
  const m = state.selected.size;
  $('submit-summary').textContent =
    n && m
      ? `${plural(n, 'logo')} × ${plural(m, 'variation')}`
      : n
        ? 'Tick at least one variation.'
        : 'Add at least one logo.';
}

// ---------------------------------------------------------------------------------------------
// Options, rendered from each variation's JSON Schema

/**
 * @typedef {{ key: string, schema: object, node: HTMLElement, read: () => unknown,
 *   set: (v: unknown) => void, check: () => string | null, changed: () => boolean, focus: () => void }} Field
 */

function renderOptionGroup(v) {
  const props = Object.entries(v.options?.properties ?? {});
  const fields = props.map(([key, schema]) => renderField(v, key, schema));
  // the variation names its key options; older servers did not, so fall back to the first few + colours
  const visible = new Set(v.keyOptions ?? props.slice(0, VISIBLE_OPTIONS).map(([k]) => k));
  for (const [k, s] of props) {
    if (v.keyOptions || visible.size >= MAX_VISIBLE_OPTIONS) break;
    if (s['x-kind'] === 'color' || s['x-kind'] === 'background') visible.add(k);
  }
  const main = el('div', { class: 'fields' });
  const more = el('div', { class: 'fields' });
  for (const f of fields) (visible.has(f.key) ? main : more).append(f.node);

  const reset = el('button', {
    type: 'button',
    class: 'link-button',
    text: 'Reset',
    hidden: true,
    'aria-label': `Reset ${v.label ?? v.id} options`,
    onclick: () => {
      for (const f of fields) f.set(f.schema.default);
      reset.hidden = true;
    },
  });
  const group = el(
    'fieldset',
    { class: 'option-group', hidden: true, dataset: { variation: v.id, testid: `options-${v.id}` } },
    el('legend', {}, el('span', { text: v.label ?? v.id }), reset),
    fields.length ? main : el('p', { class: 'muted small', text: 'No options: it just works.' }),
    more.childElementCount
      ? el(
          'details',
          { class: 'more-options' },
          el('summary', { text: `More options (${more.childElementCount})` }),
          more,
        )
      : null,
  );
  group.addEventListener('input', () => {
    reset.hidden = !fields.some((f) => f.changed());
  });
  group.addEventListener('change', () => {
    reset.hidden = !fields.some((f) => f.changed());
  });
  return { group, fields };
}

function choicesOf(schema) {
  return Array.isArray(schema?.anyOf) && schema.anyOf.every((s) => 'const' in s)
    ? schema.anyOf.map((s) => s.const)
    : null;
}

/** Words a colour pattern allows besides hex colours: `^transparent$|^auto$` → ["transparent", "auto"]. */
function colorKeywords(schema) {
  return [...String(schema.pattern ?? '').matchAll(/\^([a-z]+)\$/g)].map((m) => m[1]);
}

function expandHex(v) {
  const m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
  return (m ? `#${m[1]}${m[1]}${m[2]}${m[2]}${m[3]}${m[3]}` : v).toLowerCase();
}

/** Why `value` does not fit `schema`, or null. */
function check(schema, value, label) {
  const choices = choicesOf(schema);
  if (choices) return choices.includes(value) ? null : `${label}: choose one of ${choices.join(', ')}.`;
  switch (schema.type) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${label}: enter a number.`;
      if (schema.type === 'integer' && !Number.isInteger(value)) return `${label}: enter a whole number.`;
      if (schema.minimum !== undefined && value < schema.minimum)
        return `${label}: at least ${schema.minimum}.`;
      if (schema.maximum !== undefined && value > schema.maximum)
        return `${label}: at most ${schema.maximum}.`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${label}: yes or no.`;
    case 'array': {
      if (!Array.isArray(value)) return `${label}: a comma-separated list.`;
      if (schema.minItems && value.length < schema.minItems) return `${label}: at least ${schema.minItems}.`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return `${label}: at most ${schema.maxItems} entries.`;
      if (schema.uniqueItems && new Set(value).size !== value.length) return `${label}: no repeats.`;
      for (const item of value) {
        const why = schema.items ? check(schema.items, item, `${label} "${item}"`) : null;
        if (why) return why;
      }
      return null;
    }
    default: {
      if (typeof value !== 'string') return `${label}: enter text.`;
      if (schema.minLength && value.length < schema.minLength) return `${label}: must not be empty.`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return `${label}: at most ${schema.maxLength} characters.`;
      if (schema.pattern) {
        let re = null;
        try {
          re = new RegExp(schema.pattern);
        } catch {
          re = null;
        }
        if (re && !re.test(value)) {
          const kind = schema['x-kind'];
          const want =
            kind === 'color' || kind === 'background'
              ? ['a colour like #1a2b3c', ...colorKeywords(schema)].join(' or ')
              : kind === 'length'
                ? 'a length like 3mm, 0.125in or 12px'
                : `text like ${schema.default}`;
          return `${label}: enter ${want}.`;
        }
      }
      return null;
    }
  }
}

function sameValue(a, b, schema) {
  const norm = (v) =>
    schema['x-kind'] === 'color' || schema['x-kind'] === 'background'
      ? expandHex(String(v))
      : JSON.stringify(v ?? null);
  return norm(a) === norm(b);
}

function parseList(text, itemSchema) {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (itemSchema?.type === 'integer' || itemSchema?.type === 'number') {
    return parts.map((s) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : s));
  }
  return parts;
}

function renderField(v, key, schema) {
  const id = `opt-${v.id}-${key}`;
  const label = humanize(key);
  const descId = `${id}-desc`;
  const errId = `${id}-err`;
  const choices = choicesOf(schema);
  const kind = schema['x-kind'];
  const dflt = schema.default;
  const error = el('p', { class: 'field-error', id: errId, hidden: true });
  const desc = [schema.description ?? ''];
  /** @type {HTMLElement} */
  let control;
  /** @type {() => unknown} */
  let read;
  /** @type {(x: unknown) => void} */
  let set;
  /** @type {HTMLElement[]} elements that get aria-invalid */
  let inputs;

  if (choices) {
    control = el(
      'select',
      { id, 'aria-describedby': descId },
      choices.map((c) => el('option', { value: String(c), text: String(c) })),
    );
    read = () => choices[control.selectedIndex];
    set = (x) => {
      control.selectedIndex = Math.max(0, choices.indexOf(x));
    };
    inputs = [control];
  } else if (schema.type === 'boolean') {
    control = el('input', { type: 'checkbox', id, 'aria-describedby': descId });
    read = () => control.checked;
    set = (x) => {
      control.checked = x === true;
    };
    inputs = [control];
  } else if (schema.type === 'integer' || schema.type === 'number') {
    control = el('input', {
      type: 'number',
      id,
      inputmode: schema.type === 'integer' ? 'numeric' : 'decimal',
      min: schema.minimum,
      max: schema.maximum,
      step: schema.type === 'integer' ? 1 : 'any',
      'aria-describedby': descId,
    });
    read = () => (control.value.trim() === '' ? Number.NaN : Number(control.value));
    set = (x) => {
      control.value = x === undefined ? '' : String(x);
    };
    inputs = [control];
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      desc.push(`${schema.minimum}–${schema.maximum}`);
    }
  } else if (schema.type === 'array') {
    const long = JSON.stringify(dflt ?? []).length > 60;
    control = el(long ? 'textarea' : 'input', {
      id,
      type: long ? undefined : 'text',
      rows: long ? 3 : undefined,
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: (dflt ?? []).length ? undefined : 'e.g. a, b',
      'aria-describedby': descId,
    });
    read = () => parseList(control.value, schema.items);
    set = (x) => {
      control.value = Array.isArray(x) ? x.join(', ') : '';
    };
    inputs = [control];
    const itemChoices = choicesOf(schema.items);
    desc.push(
      itemChoices && itemChoices.length <= 8
        ? `Comma-separated; any of: ${itemChoices.join(', ')}.`
        : itemChoices
          ? 'Comma-separated.'
          : 'Comma-separated; empty for none.',
    );
    if (itemChoices) control.title = `Any of: ${itemChoices.join(', ')}`;
  } else if (kind === 'color' || kind === 'background') {
    const words = colorKeywords(schema);
    const start = /^#/.test(String(dflt)) ? expandHex(String(dflt)) : '#ffffff';
    const picker = el('input', {
      type: 'color',
      id: `${id}-picker`,
      value: start,
      'aria-label': `${label} colour`,
    });
    const hex = el('input', {
      type: 'text',
      id,
      class: 'hex',
      value: start,
      size: 8,
      maxlength: 7,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': descId,
      'aria-label': words.length ? `${label} hex colour` : undefined,
    });
    const mode = words.length
      ? el(
          'select',
          { id: `${id}-mode`, 'aria-label': `${label} kind`, 'aria-describedby': descId },
          words.map((w) => el('option', { value: w, text: w.charAt(0).toUpperCase() + w.slice(1) })),
          el('option', { value: '#', text: 'Colour' }),
        )
      : null;
    const swatch = el('span', { class: 'color-inputs' }, picker, hex);
    const showMode = () => {
      swatch.hidden = mode ? mode.value !== '#' : false;
    };
    picker.addEventListener('input', () => {
      hex.value = picker.value;
      hex.dispatchEvent(new Event('input', { bubbles: true }));
    });
    hex.addEventListener('input', () => {
      const x = hex.value.trim();
      if (/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(x)) picker.value = expandHex(x);
    });
    mode?.addEventListener('change', () => {
      showMode();
      if (mode.value === '#') hex.focus();
    });
    control = el('span', { class: 'color-field' }, mode, swatch);
    read = () => (mode && mode.value !== '#' ? mode.value : hex.value.trim());
    set = (x) => {
      const s = String(x ?? '');
      if (mode && words.includes(s)) {
        mode.value = s;
      } else {
        if (mode) mode.value = '#';
        if (/^#/.test(s)) {
          hex.value = s;
          picker.value = expandHex(s);
        }
      }
      showMode();
    };
    inputs = [hex];
  } else {
    control = el('input', {
      type: 'text',
      id,
      maxlength: schema.maxLength,
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: kind === 'length' ? 'e.g. 3mm, 0.125in' : undefined,
      'aria-describedby': descId,
    });
    read = () => control.value;
    set = (x) => {
      control.value = x === undefined ? '' : String(x);
    };
    inputs = [control];
  }
  set(dflt);

  const isBool = schema.type === 'boolean' && !choices;
  const labelNode = el('label', { for: id, class: 'field-label', text: label });
  const node = el(
    'div',
    { class: `field${isBool ? ' field-bool' : ''}`, dataset: { option: key } },
    isBool ? [control, labelNode] : [labelNode, control],
    el('p', { class: 'field-desc', id: descId, text: desc.filter(Boolean).join(' · ') }),
    error,
  );

  /** @type {Field} */
  const field = {
    key,
    schema,
    node,
    read,
    set: (x) => {
      set(x);
      validate();
    },
    check: () => check(schema, read(), `${v.label ?? v.id} › ${label}`),
    changed: () => !sameValue(read(), dflt, schema),
    focus: () => {
      const d = node.closest('details');
      if (d) d.open = true;
      const target = inputs[0].closest('[hidden]') ? node.querySelector('select, input') : inputs[0];
      target?.focus();
    },
  };
  function validate() {
    const why = field.changed() ? check(schema, read(), label) : null;
    error.hidden = !why;
    error.textContent = why ?? '';
    node.classList.toggle('is-changed', field.changed());
    for (const i of inputs) {
      if (why) {
        i.setAttribute('aria-invalid', 'true');
        i.setAttribute('aria-errormessage', errId);
      } else {
        i.removeAttribute('aria-invalid');
        i.removeAttribute('aria-errormessage');
      }
    }
  }
  node.addEventListener('input', validate);
  node.addEventListener('change', validate);
  return field;
}

/** Options the user changed from the defaults, for the ticked variations only. */
function collectOptions() {
  const options = {};
  const problems = [];
  for (const id of state.selected) {
    const g = state.optionGroups.get(id);
    if (!g) continue;
    for (const f of g.fields) {
      if (!f.changed()) continue;
      const why = f.check();
      if (why) problems.push({ field: f, why });
      options[id] ??= {};
      options[id][f.key] = f.read();
    }
  }
  return { options, problems };
}

// ---------------------------------------------------------------------------------------------
// Submit

function showFormError(message) {
  const box = $('form-error');
  box.textContent = message;
  box.hidden = false;
}

function hideFormError() {
  const box = $('form-error');
  box.hidden = true;
  box.textContent = '';
}

function setupSubmit() {
  $('job-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    hideFormError();
    if (!state.variationsLoaded) {
      showFormError('The variations have not loaded yet.');
      return;
    }
    if (!state.files.length) {
      showFormError('Add at least one logo: drop it on the box above or choose it.');
      $('file-input').focus();
      return;
    }
    if (!state.selected.size) {
      showFormError('Tick at least one variation.');
      document.querySelector('#variations input')?.focus();
      return;
    }
    const { options, problems } = collectOptions();
    if (problems.length) {
      showFormError(`Check this option: ${problems[0].why}`);
      problems[0].field.focus();
      return;
    }
    const body = new FormData();
    for (const f of state.files) body.append('files', f.file, f.file.name);
    const order = state.variations.map((v) => v.id).filter((id) => state.selected.has(id));
    body.append('variations', order.join(','));
    if (Object.keys(options).length) body.append('options', JSON.stringify(options));

    const button = $('submit');
    button.disabled = true;
    button.textContent = 'Uploading…';
    try {
      const created = await api('/api/jobs', { method: 'POST', body });
      startJob(created);
    } catch (err) {
      showFormError(
        `${err.code && !String(err.code).startsWith('HTTP') ? `[${err.code}] ` : ''}${describeError(err)}`,
      );
      if (err instanceof ApiError && err.status === 401) askForKey();
    } finally {
      button.disabled = false;
      button.textContent = 'Make files';
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Following a job

function stopFollowing() {
  if (state.es) {
    state.es.close();
    state.es = null;
  }
  clearTimeout(state.pollTimer);
  state.pollTimer = 0;
}

function startJob(created) {
  stopFollowing();
  const seq = ++state.jobSeq;
  state.job = null;
  state.items.clear();
  const job = $('job');
  job.replaceChildren(
    el('div', { class: 'job-waiting', role: 'status', text: 'Job created. Waiting for the first update…' }),
  );
  $('results').setAttribute('aria-busy', 'true');
  if (matchMedia('(max-width: 860px)').matches) $('results').scrollIntoView({ behavior: 'smooth' });

  // the job's id in the address: a reload, a bookmark or a shared link shows the same results
  if (created.id) history.replaceState(null, '', `#job=${encodeURIComponent(created.id)}`);
  const statusUrl = created.url ?? `/api/jobs/${created.id}`;
  const poll = () => {
    state.pollTimer = setTimeout(async () => {
      if (seq !== state.jobSeq) return;
      try {
        const s = await api(statusUrl);
        if (seq !== state.jobSeq) return;
        showJob(s);
        if (FINAL_JOB_STATES.has(s.state)) return;
      } catch (err) {
        if (seq !== state.jobSeq) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
          showJobError(describeError(err));
          return;
        }
      }
      poll();
    }, POLL_MS);
  };

  if (typeof EventSource !== 'function' || !created.eventsUrl) {
    poll();
    return;
  }
  const es = new EventSource(withKey(created.eventsUrl));
  state.es = es;
  const onStatus = (e) => {
    if (seq !== state.jobSeq) return;
    try {
      showJob(JSON.parse(e.data));
    } catch {
      // a malformed event is skipped; the next one carries the full status again
    }
  };
  es.addEventListener('job', onStatus);
  es.addEventListener('end', (e) => {
    onStatus(e);
    if (state.es === es) stopFollowing();
    es.close();
  });
  es.addEventListener('error', () => {
    es.close();
    if (state.es !== es || seq !== state.jobSeq) return;
    state.es = null;
    if (!state.job || !FINAL_JOB_STATES.has(state.job.state)) poll();
  });
}

function showJobError(message) {
  const job = $('job');
  job.prepend(el('div', { class: 'alert alert-error', role: 'alert', text: message }));
  $('results').setAttribute('aria-busy', 'false');
}

function label(variationId) {
  return state.byId.get(variationId)?.label ?? variationId;
}

function showJob(s) {
  state.job = s;
  const job = $('job');
  let head = job.querySelector('.job-head');
  if (!head) {
    job.replaceChildren();
    head = el(
      'div',
      { class: 'job-head' },
      el(
        'div',
        { class: 'job-title' },
        el('span', { class: 'badge', dataset: { testid: 'job-state' } }),
        el('span', { class: 'job-text', role: 'status' }),
      ),
      el('progress', {
        class: 'bar bar-job',
        max: 1,
        value: 0,
        'aria-label': 'Overall progress',
        dataset: { testid: 'job-progress' },
      }),
      el('div', { class: 'job-actions' }),
    );
    job.append(head, el('div', { class: 'items' }));
  }
  const final = FINAL_JOB_STATES.has(s.state);
  const badge = head.querySelector('.badge');
  badge.textContent = s.state;
  badge.dataset.state = s.state;
  const p = s.progress ?? { done: 0, total: 0, fraction: 0 };
  const bar = head.querySelector('progress');
  bar.value = final ? 1 : Math.max(0, Math.min(1, p.fraction ?? 0));
  bar.dataset.state = s.state;
  const items = s.items ?? [];
  const outputs = items.reduce((n, it) => n + (it.outputs?.length ?? 0), 0);
  let text = `${p.done ?? 0} of ${plural(p.total ?? 0, 'task')} done · ${plural(items.length, 'logo')}`;
  if (final) {
    const secs =
      s.finishedAt && s.createdAt ? (Date.parse(s.finishedAt) - Date.parse(s.createdAt)) / 1000 : Number.NaN;
    text = `${plural(outputs, 'file')} from ${plural(items.length, 'logo')}${
      Number.isFinite(secs) ? ` in ${secs.toFixed(1)} s` : ''
    }`;
  }
  head.querySelector('.job-text').textContent = text;
  document.title = final ? 'logomill' : `${Math.round((p.fraction ?? 0) * 100)}% · logomill`;
  $('results').setAttribute('aria-busy', final ? 'false' : 'true');

  const actions = head.querySelector('.job-actions');
  if (final && outputs > 0 && s.archiveUrl && !actions.querySelector('[data-testid=zip-link]')) {
    actions.append(
      el(
        'a',
        {
          class: 'btn btn-primary',
          href: withKey(s.archiveUrl),
          download: '',
          dataset: { testid: 'zip-link' },
        },
        svgIcon(ICON_ZIP),
        el('span', { text: 'Download all (zip)' }),
      ),
    );
  }

  const list = job.querySelector('.items');
  for (const item of items) {
    let card = state.items.get(item.index);
    if (!card) {
      card = createItemCard(item);
      state.items.set(item.index, card);
      list.append(card.root);
    }
    updateItemCard(card, item);
  }
}

function createItemCard(item) {
  const thumb = el('img', {
    src: item.inputUrl ? withKey(item.inputUrl) : undefined,
    alt: '',
    loading: 'lazy',
    decoding: 'async',
  });
  const root = el('article', {
    class: 'item',
    dataset: { testid: 'item', item: String(item.index) },
    'aria-label': `Logo ${item.name}`,
  });
  const card = {
    root,
    badge: el('span', { class: 'badge' }),
    meta: el('p', { class: 'item-meta muted' }),
    progress: el('progress', {
      class: 'bar',
      max: 1,
      value: 0,
      'aria-label': `Progress of ${item.name}`,
      dataset: { testid: 'item-progress', item: String(item.index) },
    }),
    progressText: el('span', { class: 'bar-text muted' }),
    chips: el('ul', { class: 'chips', 'aria-label': `Tasks of ${item.name}` }),
    chipMap: new Map(),
    decision: el('div', { class: 'item-decision', hidden: true, dataset: { testid: 'decision' } }),
    decisionKey: '',
    alerts: el('div', { class: 'item-alerts' }),
    gallery: el('div', { class: 'gallery', dataset: { testid: 'gallery', item: String(item.index) } }),
    tiles: new Map(),
    expanded: new Set(),
    item,
    files: el('details', { class: 'files', hidden: true }),
    filesKey: '',
    alertsKey: '',
  };
  thumb.addEventListener('error', () => thumb.remove());
  root.append(
    el(
      'header',
      { class: 'item-head' },
      el('span', { class: 'item-thumb' }, thumb),
      el(
        'div',
        { class: 'item-title' },
        el('h3', {}, el('span', { class: 'item-name', text: item.name }), card.badge),
        card.meta,
      ),
    ),
    el('div', { class: 'progress-row' }, card.progress, card.progressText),
    card.decision,
    card.chips,
    card.alerts,
    card.gallery,
    card.files,
  );
  return card;
}

function updateItemCard(card, item) {
  card.item = item;
  card.badge.textContent = item.state;
  card.badge.dataset.state = item.state;
  card.root.dataset.state = item.state;

  const meta = [];
  if (item.input) {
    meta.push(
      `${String(item.input.format ?? '').toUpperCase()} ${item.input.width}×${item.input.height}`,
      formatBytes(item.input.bytes),
    );
  }
  card.meta.textContent = meta.join(' · ');
  updateDecision(card, item);

  const tasks = Object.entries(item.tasks ?? {});
  const finished = tasks.filter(([, t]) => t === 'done' || t === 'failed').length;
  const whole = item.state === 'failed' || item.state === 'completed';
  card.progress.value = whole ? 1 : tasks.length ? finished / tasks.length : 0;
  card.progress.dataset.state = item.state;
  card.progressText.textContent = whole && !tasks.length ? item.state : `${finished}/${tasks.length}`;

  for (const [variation, t] of tasks) {
    let chip = card.chipMap.get(variation);
    if (!chip) {
      chip = el(
        'li',
        { class: 'chip', dataset: { testid: 'task-chip', variation } },
        el('span', { class: 'chip-dot', 'aria-hidden': 'true' }),
        el('span', { text: label(variation) }),
        el('span', { class: 'visually-hidden chip-state' }),
      );
      card.chipMap.set(variation, chip);
      card.chips.append(chip);
    }
    chip.dataset.state = t;
    chip.title = `${label(variation)}: ${t}`;
    chip.querySelector('.chip-state').textContent = `: ${t}`;
  }

  const alertsKey = JSON.stringify([item.error, item.warnings, item.failures]);
  if (alertsKey !== card.alertsKey) {
    card.alertsKey = alertsKey;
    const nodes = [];
    if (item.error) {
      nodes.push(
        el(
          'div',
          { class: 'alert alert-error', role: 'alert' },
          el('strong', { text: 'This logo could not be processed. ' }),
          `${item.error.message ?? ''}${item.error.code ? ` (${item.error.code})` : ''}`,
        ),
      );
    }
    for (const f of item.failures ?? []) {
      nodes.push(
        el(
          'div',
          { class: 'alert alert-error' },
          el('strong', { text: `${label(f.variation)} failed. ` }),
          `${f.message ?? ''}${f.code ? ` (${f.code})` : ''}`,
        ),
      );
    }
    for (const w of item.warnings ?? []) {
      const text =
        typeof w === 'string' ? w : `${w.variation ? `${label(w.variation)}: ` : ''}${w.message ?? ''}`;
      nodes.push(
        el('div', {
          class: 'alert alert-warn',
          text,
          title: w?.code ?? '',
          dataset: { testid: 'warning', code: w?.code ?? '' },
        }),
      );
    }
    card.alerts.replaceChildren(...nodes);
  }

  updateGallery(card, item);
  updateFiles(card, item);
}

// ---------------------------------------------------------------------------------------------
// The art analysis's background decision, shown and reversible

/** The background decision in a few words (the CLI's describeBackground, src/analysis/index.ts). */
function describeDecision(a) {
  const b = a.background;
  const holes = a.holes?.cleared ? `, ${a.holes.cleared} hole${a.holes.cleared > 1 ? 's' : ''} cleared` : '';
  const frame = b.frame ? ` and a ${b.frame.width} px frame` : '';
  if (b.decision === 'none') return 'Transparent input: nothing to remove';
  if (b.decision === 'removed') {
    const what =
      b.kind === 'gradient' && b.gradient
        ? `${b.gradient.type} gradient ${b.gradient.from}→${b.gradient.to}`
        : `${b.kind} ${b.color}`;
    return `Background removed: ${what}${frame}${b.boxKept ? ' (the box kept)' : ''}${holes}`;
  }
  if (b.requested === 'keep') return 'Background kept, as asked';
  return b.color ? `Kept the box (${b.color}) as part of the art` : 'Kept: the art fills the canvas';
}

/** The opposite reading: what `--background` re-runs the logo with. */
function flippedBackground(a) {
  const b = a.background;
  if (b.decision === 'removed') return { value: 'keep', text: 'Keep the background instead' };
  if (b.decision === 'kept') return { value: 'remove', text: 'Remove the background instead' };
  return null;
}

function updateDecision(card, item) {
  const a = item.analysis;
  const key = JSON.stringify(a?.background ?? null);
  if (key === card.decisionKey) return;
  card.decisionKey = key;
  if (!a?.background) {
    card.decision.hidden = true;
    return;
  }
  const flip = flippedBackground(a);
  const sure = a.background.confidence >= 0.75;
  const text = el('span', {
    class: sure ? '' : 'unsure',
    text: `${describeDecision(a)}${sure ? '' : ' — a guess'}`,
    title: a.background.reason,
    dataset: { testid: 'decision-text' },
  });
  const button = flip
    ? el('button', {
        type: 'button',
        class: 'link-button',
        text: flip.text,
        dataset: { testid: 'flip-background' },
        onclick: () => rerunWithBackground(item, flip.value, button),
      })
    : null;
  card.decision.replaceChildren(text, ...(button ? [' ', button] : []));
  card.decision.hidden = false;
}

/** Runs the same logo again with the background decision overturned (a new job, followed here). */
async function rerunWithBackground(item, value, button) {
  button.disabled = true;
  try {
    const res = await fetch(withKey(item.inputUrl));
    if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, 'The original upload is gone.');
    const blob = await res.blob();
    const body = new FormData();
    body.append('files', blob, item.name);
    const variations = state.job?.variations ?? [...state.selected];
    body.append('variations', variations.join(','));
    const { options } = collectOptions();
    options.transparent = { ...(options.transparent ?? {}), background: value };
    body.append('options', JSON.stringify(options));
    startJob(await api('/api/jobs', { method: 'POST', body }));
  } catch (err) {
    showFormError(describeError(err));
    button.disabled = false;
  }
}

/** Outputs worth an <img>: one per variation and file stem (logo.png, not also logo.jpg and logo.webp). */
function pickPreviews(outputs) {
  const rank = (o) => {
    const large = Math.max(o.width ?? 0, o.height ?? 0) > LARGE_SIDE;
    const order = large
      ? ['image/svg+xml', 'image/png', 'image/webp', 'image/jpeg', 'image/gif']
      : ['image/png', 'image/svg+xml', 'image/webp', 'image/jpeg', 'image/gif'];
    return order.indexOf(o.mediaType);
  };
  const best = new Map();
  for (const o of outputs) {
    if (!PREVIEW_TYPES.has(o.mediaType)) continue;
    const key = `${o.variation}\0${String(o.name).replace(/\.[^.]+$/, '')}`;
    const prev = best.get(key);
    if (!prev || rank(o) < rank(prev)) best.set(key, o);
  }
  const keep = new Set(best.values());
  return outputs.filter((o) => keep.has(o));
}

function updateGallery(card, item) {
  const previews = [];
  if (item.inputUrl) {
    previews.push({
      key: `${item.inputUrl}|${item.input ? 'decoded' : ''}`,
      variation: 'original',
      label: 'Original',
      name: item.name,
      url: item.inputUrl,
      width: item.input?.width,
      height: item.input?.height,
      bytes: item.input?.bytes,
      mediaType: item.input?.format === 'svg' ? 'image/svg+xml' : '',
    });
  }
  for (const o of pickPreviews(item.outputs ?? []))
    previews.push({ ...o, key: o.url, label: label(o.variation) });

  // At most PER_VARIATION previews of a variation until its "more" tile is pressed (social makes 20).
  const count = new Map();
  for (const p of previews) count.set(p.variation, (count.get(p.variation) ?? 0) + 1);
  const seen = new Map();
  const nodes = [];
  for (const p of previews) {
    const n = (seen.get(p.variation) ?? 0) + 1;
    seen.set(p.variation, n);
    const total = count.get(p.variation);
    const folded = total > PER_VARIATION + 1 && !card.expanded.has(p.variation);
    if (folded && n > PER_VARIATION) {
      if (n === total) nodes.push(moreTile(card, p, total - PER_VARIATION));
      continue;
    }
    let tile = card.tiles.get(p.key);
    if (!tile) {
      tile = createTile(p);
      card.tiles.set(p.key, tile);
    }
    nodes.push(tile);
  }
  const current = [...card.gallery.children];
  if (nodes.length !== current.length || nodes.some((n, i) => n !== current[i])) {
    card.gallery.replaceChildren(...nodes);
  }
}

function moreTile(card, p, hidden) {
  const key = `more|${p.variation}|${hidden}`;
  let tile = card.tiles.get(key);
  if (!tile) {
    tile = el(
      'button',
      {
        type: 'button',
        class: 'tile tile-more',
        dataset: { variation: p.variation },
        onclick: () => {
          card.expanded.add(p.variation);
          updateGallery(card, card.item);
          card.gallery
            .querySelectorAll(`.tile[data-variation="${CSS.escape(p.variation)}"] a`)
            [PER_VARIATION]?.focus();
        },
      },
      el('span', { class: 'tile-more-count', text: `+${hidden}` }),
      el('span', { text: `more ${p.label}` }),
    );
    card.tiles.set(key, tile);
  }
  return tile;
}

function createTile(p) {
  const isSvg = p.mediaType === 'image/svg+xml';
  const img = el('img', {
    src: withKey(p.url),
    alt: `${p.label}: ${p.name}`,
    loading: 'lazy',
    decoding: 'async',
    class: isSvg ? 'is-svg' : undefined,
    dataset: { testid: 'gallery-image', variation: p.variation, name: p.name },
  });
  const box = el('span', { class: 'tile-img' }, img);
  img.addEventListener('error', () => {
    box.classList.add('tile-noimg');
    img.hidden = true;
    box.append(el('span', { class: 'muted small', text: 'No preview' }));
  });
  const size = [p.width && p.height ? `${p.width}×${p.height}` : '', formatBytes(p.bytes)].filter(Boolean);
  const isOriginal = p.variation === 'original';
  return el(
    'figure',
    { class: `tile${isOriginal ? ' tile-original' : ''}`, dataset: { variation: p.variation } },
    el(
      'a',
      {
        class: 'tile-link',
        href: withKey(p.url),
        target: '_blank',
        rel: 'noopener',
        title: `Open ${p.name}`,
      },
      box,
    ),
    el(
      'figcaption',
      {},
      el(
        'span',
        { class: 'tile-text' },
        el('span', { class: 'tile-label', text: p.label }),
        el('span', { class: 'tile-name', text: p.name, title: p.name }),
        el(
          'span',
          { class: 'tile-meta muted' },
          size.flatMap((x, i) => [i ? ' · ' : '', el('span', { class: 'nowrap', text: x })]),
        ),
      ),
      el(
        'a',
        {
          class: 'btn-icon',
          href: withKey(p.url, { download: '1' }),
          download: isOriginal ? '' : p.name,
          'aria-label': `Download ${p.name}`,
          title: 'Download',
          dataset: { testid: 'download-link' },
        },
        svgIcon(ICON_DOWNLOAD),
      ),
    ),
  );
}

function updateFiles(card, item) {
  const outputs = item.outputs ?? [];
  const key = outputs.map((o) => o.url).join('\n');
  if (key === card.filesKey) return;
  card.filesKey = key;
  card.files.hidden = outputs.length === 0;
  if (!outputs.length) return;
  const groups = new Map();
  for (const o of outputs) {
    if (!groups.has(o.variation)) groups.set(o.variation, []);
    groups.get(o.variation).push(o);
  }
  const open = card.files.open;
  card.files.replaceChildren(
    el('summary', { text: `All ${plural(outputs.length, 'file')}` }),
    el(
      'div',
      { class: 'file-groups' },
      [...groups].map(([variation, list]) =>
        el(
          'section',
          { class: 'file-group' },
          el('h4', { text: label(variation) }),
          el(
            'ul',
            {},
            list.map((o) =>
              el(
                'li',
                {},
                el(
                  'a',
                  {
                    href: withKey(o.url, { download: '1' }),
                    download: o.name,
                    dataset: { testid: 'file-link', variation },
                  },
                  svgIcon(ICON_DOWNLOAD),
                  el('span', { text: o.name }),
                ),
                el('span', {
                  class: 'muted',
                  text: formatBytes(o.bytes),
                  title: o.width && o.height ? `${o.width}×${o.height} px` : undefined,
                }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  card.files.open = open;
}

// ---------------------------------------------------------------------------------------------
// Preview background

function setupPreviewBackground() {
  const job = $('job');
  for (const r of document.querySelectorAll('input[name=preview-bg]')) {
    r.addEventListener('change', () => {
      job.classList.remove('bg-checker', 'bg-light', 'bg-dark');
      job.classList.add(`bg-${r.value}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** Follows the job named in the address (`#job=<id>`), if any: after a reload the results come back. */
function resumeFromAddress() {
  const id = /^#job=([A-Za-z0-9_-]{1,64})$/.exec(location.hash)?.[1];
  if (!id) return;
  const base = `/api/jobs/${id}`;
  startJob({ id, url: base, eventsUrl: `${base}/events` });
}

setupApiKey();
setupFiles();
setupSubmit();
setupPreviewBackground();
// labels come from the variations, so the job is resumed once they are in (or have failed to load)
loadVariations().finally(resumeFromAddress);

// @ts-check
// ---------------------------------------------------------------------------------------------
// One option's field: a control chosen from its JSON Schema (select, checkbox, number, list,
// colour, text), whether it still holds the default, and the server's word on its value
// (POST /api/options/check): the page keeps no copy of the rules. A field sends what the user
// typed; the server reads "20" or "512, 1024" as the CLI does.

import { api } from './api.js';
import { el, humanize } from './dom.js';

/**
 * @typedef {import('./types.js').Schema} Schema
 * @typedef {import('./types.js').Variation} Variation
 */

/**
 * @typedef {{ key: string, schema: Schema, node: HTMLElement, read: () => unknown,
 *   set: (v: unknown) => void, changed: () => boolean, showProblem: (why: string | null) => void,
 *   focus: () => void }} Field
 * @typedef {{ variation: string, option: string, message: string }} OptionProblem
 */

/** Wait this long after the last keystroke before asking the server about a field. */
const CHECK_DELAY_MS = 150;

/**
 * The options a job would refuse, with the server's messages. An unreachable server refuses
 * nothing here: the job's own request then says what is wrong.
 * @param {Record<string, Record<string, unknown>>} options
 * @returns {Promise<OptionProblem[]>}
 */
export async function checkOptions(options) {
  if (!Object.keys(options).length) return [];
  try {
    const r = await api('/api/options/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ options }),
    });
    return r.problems ?? [];
  } catch {
    return [];
  }
}

/**
 * The values of an enum schema (`anyOf` of `const`s), or null.
 * @param {Schema | undefined} schema
 */
function choicesOf(schema) {
  return Array.isArray(schema?.anyOf) && schema.anyOf.every((s) => 'const' in s)
    ? schema.anyOf.map((s) => s.const)
    : null;
}

/** Words a colour pattern allows besides hex colours: `^transparent$|^auto$` → ["transparent", "auto"]. */
/** @param {Schema} schema */
function colorKeywords(schema) {
  return [...String(schema.pattern ?? '').matchAll(/\^([a-z]+)\$/g)].map((m) => m[1]);
}

/** @param {string} v */
function expandHex(v) {
  const m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
  return (m ? `#${m[1]}${m[1]}${m[2]}${m[2]}${m[3]}${m[3]}` : v).toLowerCase();
}

/**
 * Whether what the user typed is the default: only then is an option left out of the job.
 * @param {unknown} typed
 * @param {unknown} dflt
 * @param {Schema} schema
 */
function isDefault(typed, dflt, schema) {
  const kind = schema['x-kind'];
  if (kind === 'color' || kind === 'background') return expandHex(String(typed)) === expandHex(String(dflt));
  if (schema.type === 'integer' || schema.type === 'number') {
    return String(typed).trim() !== '' && Number(typed) === dflt;
  }
  if (schema.type === 'array') {
    const items = String(typed)
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return items.join(',') === (Array.isArray(dflt) ? dflt.join(',') : '');
  }
  return typed === dflt;
}

/**
 * One option's label, control, description and error line.
 * @param {Variation} v
 * @param {string} key
 * @param {Schema} schema
 * @returns {Field}
 */
export function renderField(v, key, schema) {
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
    const select = el(
      'select',
      { id, 'aria-describedby': descId },
      choices.map((c) => el('option', { value: String(c), text: String(c) })),
    );
    control = select;
    read = () => choices[select.selectedIndex];
    set = (x) => {
      select.selectedIndex = Math.max(0, choices.indexOf(x));
    };
    inputs = [select];
  } else if (schema.type === 'boolean') {
    const box = el('input', { type: 'checkbox', id, 'aria-describedby': descId });
    control = box;
    read = () => box.checked;
    set = (x) => {
      box.checked = x === true;
    };
    inputs = [box];
  } else if (schema.type === 'integer' || schema.type === 'number') {
    const input = el('input', {
      type: 'number',
      id,
      inputmode: schema.type === 'integer' ? 'numeric' : 'decimal',
      min: schema.minimum,
      max: schema.maximum,
      step: schema.type === 'integer' ? 1 : 'any',
      'aria-describedby': descId,
    });
    control = input;
    read = () => input.value.trim();
    set = (x) => {
      input.value = x === undefined ? '' : String(x);
    };
    inputs = [input];
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      desc.push(`${schema.minimum}–${schema.maximum}`);
    }
  } else if (schema.type === 'array') {
    const long = JSON.stringify(dflt ?? []).length > 60;
    const text = el(long ? 'textarea' : 'input', {
      id,
      type: long ? undefined : 'text',
      rows: long ? 3 : undefined,
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: Array.isArray(dflt) && dflt.length ? undefined : 'e.g. a, b',
      'aria-describedby': descId,
    });
    control = text;
    read = () => text.value.trim();
    set = (x) => {
      text.value = Array.isArray(x) ? x.join(', ') : '';
    };
    inputs = [text];
    const itemChoices = choicesOf(schema.items);
    desc.push(
      itemChoices && itemChoices.length <= 8
        ? `Comma-separated; any of: ${itemChoices.join(', ')}.`
        : itemChoices
          ? 'Comma-separated.'
          : 'Comma-separated; empty for none.',
    );
    if (itemChoices) text.title = `Any of: ${itemChoices.join(', ')}`;
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
      if (mode?.value === '#') hex.focus();
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
    const input = el('input', {
      type: 'text',
      id,
      maxlength: schema.maxLength,
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: kind === 'length' ? 'e.g. 3mm, 0.125in' : undefined,
      'aria-describedby': descId,
    });
    control = input;
    read = () => input.value;
    set = (x) => {
      input.value = x === undefined ? '' : String(x);
    };
    inputs = [input];
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
    changed: () => !isDefault(read(), dflt, schema),
    showProblem,
    focus: () => {
      // open every fold around the field: the variation's and "More options"
      for (let d = node.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
      const target = inputs[0].closest('[hidden]')
        ? /** @type {HTMLElement | null} */ (node.querySelector('select, input'))
        : inputs[0];
      target?.focus();
    },
  };
  /** @param {string | null} why */
  function showProblem(why) {
    error.hidden = !why;
    error.textContent = why ?? '';
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
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let asked = 0;
  function validate() {
    node.classList.toggle('is-changed', field.changed());
    clearTimeout(timer);
    if (!field.changed()) {
      asked++; // an answer still on its way is for an older value
      showProblem(null);
      return;
    }
    timer = setTimeout(async () => {
      const mine = ++asked;
      const problems = await checkOptions({ [v.id]: { [key]: read() } });
      if (mine === asked) showProblem(problems[0]?.message ?? null);
    }, CHECK_DELAY_MS);
  }
  node.addEventListener('input', validate);
  node.addEventListener('change', validate);
  return field;
}

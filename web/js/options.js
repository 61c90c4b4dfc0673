// @ts-check
// ---------------------------------------------------------------------------------------------
// Options, rendered from each variation's JSON Schema

import { el, humanize, plural } from './dom.js';
import { state } from './state.js';

/**
 * @typedef {import('./types.js').Schema} Schema
 * @typedef {import('./types.js').Variation} Variation
 */

/** Options shown outside "More options": the first few in schema order plus every colour. */
const VISIBLE_OPTIONS = 3;
const MAX_VISIBLE_OPTIONS = 4;

/**
 * @typedef {{ key: string, schema: Schema, node: HTMLElement, read: () => unknown,
 *   set: (v: unknown) => void, check: () => string | null, changed: () => boolean, focus: () => void }} Field
 */

/**
 * A variation's options, folded: a <details> closed by default whose summary names the variation
 * and counts its options (and the changed ones); inside, the key options first and the rest under
 * "More options". The Everything preset ticks fifteen variations: open, they make a page 6,000 px long.
 * @param {Variation} v
 * @returns {{ group: HTMLElement, fields: Field[] }}
 */
export function renderOptionGroup(v) {
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

  const name = v.label ?? v.id;
  const count = el('span', { class: 'option-count', dataset: { testid: 'option-count' } });
  const reset = el('button', {
    type: 'button',
    class: 'link-button option-reset',
    text: 'Reset',
    hidden: true,
    'aria-label': `Reset ${name} options`,
    onclick: () => {
      for (const f of fields) f.set(f.schema.default);
      update();
    },
  });
  const update = () => {
    const changed = fields.filter((f) => f.changed()).length;
    reset.hidden = changed === 0;
    count.textContent = fields.length
      ? `${plural(fields.length, 'option')}${changed ? ` · ${changed} changed` : ''}`
      : 'no options';
    count.classList.toggle('is-changed', changed > 0);
  };
  const group = el(
    'details',
    { class: 'option-group', hidden: true, dataset: { variation: v.id, testid: `options-${v.id}` } },
    el('summary', {}, el('span', { class: 'option-title', text: name }), count),
    el(
      'fieldset',
      { class: 'option-body', 'aria-label': `${name} options` },
      el('div', { class: 'option-tools' }, reset),
      fields.length ? main : el('p', { class: 'muted small', text: 'No options: it just works.' }),
      more.childElementCount
        ? el(
            'details',
            { class: 'more-options' },
            el('summary', { text: `More options (${more.childElementCount})` }),
            more,
          )
        : null,
    ),
  );
  group.addEventListener('input', update);
  group.addEventListener('change', update);
  update();
  return { group, fields };
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
 * Why `value` does not fit `schema`, or null.
 * @param {Schema} schema
 * @param {unknown} value
 * @param {string} label
 * @returns {string | null}
 */
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
        const kind = schema['x-kind'];
        // a CSS colour name (navy, gold…) is a colour too: the server turns it into its hex
        const named =
          (kind === 'color' || kind === 'background') &&
          /^[a-z]+$/i.test(value) &&
          !/^(currentcolor|inherit|initial|unset|revert)$/i.test(value) &&
          CSS.supports('color', value);
        if (re && !re.test(value) && !named) {
          const want =
            kind === 'color' || kind === 'background'
              ? ['a colour like #1a2b3c or navy', ...colorKeywords(schema)].join(' or ')
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

/**
 * @param {unknown} a
 * @param {unknown} b
 * @param {Schema} schema
 */
function sameValue(a, b, schema) {
  /** @param {unknown} v */
  const norm = (v) =>
    schema['x-kind'] === 'color' || schema['x-kind'] === 'background'
      ? expandHex(String(v))
      : JSON.stringify(v ?? null);
  return norm(a) === norm(b);
}

/**
 * @param {string} text
 * @param {Schema | undefined} itemSchema
 */
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

/**
 * One option's label, control, description and error line.
 * @param {Variation} v
 * @param {string} key
 * @param {Schema} schema
 * @returns {Field}
 */
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
    read = () => (input.value.trim() === '' ? Number.NaN : Number(input.value));
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
    read = () => parseList(text.value, schema.items);
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
    check: () => check(schema, read(), `${v.label ?? v.id} › ${label}`),
    changed: () => !sameValue(read(), dflt, schema),
    focus: () => {
      // open every fold around the field: the variation's and "More options"
      for (let d = node.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
      const target = inputs[0].closest('[hidden]')
        ? /** @type {HTMLElement | null} */ (node.querySelector('select, input'))
        : inputs[0];
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
export function collectOptions() {
  /** @type {Record<string, Record<string, unknown>>} */
  const options = {};
  /** @type {{ field: Field, why: string }[]} */
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

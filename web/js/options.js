// @ts-check
// ---------------------------------------------------------------------------------------------
// Options: each ticked variation's fields (option-field.js) in a folded group, and what the
// user changed, as a job sends it

import { el, plural } from './dom.js';
import { renderField } from './option-field.js';
import { state } from './state.js';

/**
 * @typedef {import('./types.js').Variation} Variation
 * @typedef {import('./option-field.js').Field} Field
 * @typedef {import('./option-field.js').OptionProblem} OptionProblem
 */

export { checkOptions } from './option-field.js';

/** Options shown outside "More options": the first few in schema order plus every colour. */
const VISIBLE_OPTIONS = 3;
const MAX_VISIBLE_OPTIONS = 4;

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

/** Options the user changed from the defaults, for the ticked variations only, as typed. */
export function collectOptions() {
  /** @type {Record<string, Record<string, unknown>>} */
  const options = {};
  for (const id of state.selected) {
    for (const f of state.optionGroups.get(id)?.fields ?? []) {
      if (!f.changed()) continue;
      options[id] ??= {};
      options[id][f.key] = f.read();
    }
  }
  return options;
}

/**
 * The field a problem is about, for focus and its message.
 * @param {OptionProblem} p
 * @returns {Field | undefined}
 */
export function fieldOf(p) {
  return state.optionGroups.get(p.variation)?.fields.find((f) => f.key === p.option);
}

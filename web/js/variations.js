// @ts-check
// ---------------------------------------------------------------------------------------------
// Variations and presets: the checkboxes, the preset buttons, and which option groups show

import { ApiError, api, describeError } from './api.js';
import { askForKey } from './apikey.js';
import { $, el } from './dom.js';
import { hideFormError, updateSummary } from './form.js';
import { renderOptionGroup } from './options.js';
import { state } from './state.js';

/** Fetches GET /api/variations and builds the form from it; on failure, says why and offers a retry. */
export async function loadVariations() {
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

/** Draws the preset buttons, the variation checkboxes and every variation's (hidden) options. */
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
          onchange: (/** @type {Event} */ e) =>
            toggleVariation(v.id, /** @type {HTMLInputElement} */ (e.currentTarget).checked),
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

/** @param {string[]} ids */
function applySelection(ids) {
  state.selected = new Set(ids.filter((id) => state.byId.has(id)));
  for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (
    document.querySelectorAll('#variations input[name=variation]')
  )) {
    box.checked = state.selected.has(box.value);
  }
  syncSelection();
}

/**
 * @param {string} id
 * @param {boolean} on
 */
function toggleVariation(id, on) {
  if (on) state.selected.add(id);
  else state.selected.delete(id);
  syncSelection();
}

function syncSelection() {
  for (const [id, g] of state.optionGroups) g.group.hidden = !state.selected.has(id);
  $('options-empty').hidden = state.selected.size > 0;
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll('#presets .preset[data-preset]')
  )) {
    const p = state.presets.find((x) => x.id === b.dataset.preset);
    const same =
      p && p.variations.length === state.selected.size && p.variations.every((id) => state.selected.has(id));
    b.setAttribute('aria-pressed', same ? 'true' : 'false');
  }
  updateSummary();
  hideFormError();
}

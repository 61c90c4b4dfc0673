// @ts-check
// ---------------------------------------------------------------------------------------------
// Submit: the form becomes POST /api/jobs; a card's "… instead" button re-runs its logo

import { ApiError, api, describeError, withKey } from './api.js';
import { askForKey } from './apikey.js';
import { FLIP_EVENT } from './decision.js';
import { $ } from './dom.js';
import { hideFormError, showFormError } from './form.js';
import { checkOptions, collectOptions, fieldOf } from './options.js';
import { startJob } from './progress.js';
import { state } from './state.js';

/** @typedef {import('./decision.js').FlipRequest} FlipRequest */

export function setupSubmit() {
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
      /** @type {HTMLElement | null} */ (document.querySelector('#variations input'))?.focus();
      return;
    }
    const options = collectOptions();
    const problems = await checkOptions(options);
    if (problems.length) {
      showFormError(`Check this option: ${problems[0].message}`);
      const field = fieldOf(problems[0]);
      field?.showProblem(problems[0].message);
      field?.focus();
      return;
    }
    const body = new FormData();
    for (const f of state.files) body.append('files', f.file, f.file.name);
    const order = state.variations.map((v) => v.id).filter((id) => state.selected.has(id));
    body.append('variations', order.join(','));
    if (Object.keys(options).length) body.append('options', JSON.stringify(options));

    const button = /** @type {HTMLButtonElement} */ ($('submit'));
    button.disabled = true;
    button.textContent = 'Uploading…';
    try {
      const created = await api('/api/jobs', { method: 'POST', body });
      startJob(created);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      showFormError(`${code && !code.startsWith('HTTP') ? `[${code}] ` : ''}${describeError(err)}`);
      if (err instanceof ApiError && err.status === 401) askForKey();
    } finally {
      button.disabled = false;
      button.textContent = 'Make files';
    }
  });
  $('job').addEventListener(FLIP_EVENT, (e) => {
    const { item, value, button } = /** @type {CustomEvent<FlipRequest>} */ (e).detail;
    rerunWithBackground(item, value, button);
  });
}

/**
 * Runs the same logo again with the background decision overturned (a new job, followed here).
 * @param {import('./types.js').Item} item
 * @param {string} value
 * @param {HTMLButtonElement} button
 */
async function rerunWithBackground(item, value, button) {
  button.disabled = true;
  try {
    if (!item.inputUrl) throw new ApiError(404, 'HTTP_404', 'The original upload is gone.');
    const res = await fetch(withKey(item.inputUrl));
    if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, 'The original upload is gone.');
    const blob = await res.blob();
    const body = new FormData();
    body.append('files', blob, item.name);
    const variations = state.job?.variations ?? [...state.selected];
    body.append('variations', variations.join(','));
    const options = collectOptions();
    options.transparent = { ...(options.transparent ?? {}), background: value };
    body.append('options', JSON.stringify(options));
    startJob(await api('/api/jobs', { method: 'POST', body }));
  } catch (err) {
    showFormError(describeError(err));
    button.disabled = false;
  }
}

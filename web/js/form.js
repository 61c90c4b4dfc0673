// @ts-check
// The form's own messages: the error box and the summary line under the submit button.

import { $, plural } from './dom.js';
import { state } from './state.js';

/** @param {string} message */
export function showFormError(message) {
  const box = $('form-error');
  box.textContent = message;
  box.hidden = false;
}

export function hideFormError() {
  const box = $('form-error');
  box.hidden = true;
  box.textContent = '';
}

export function updateSummary() {
  const n = state.files.length;
  const m = state.selected.size;
  $('submit-summary').textContent =
    n && m
      ? `${plural(n, 'logo')} × ${plural(m, 'variation')}`
      : n
        ? 'Tick at least one variation.'
        : 'Add at least one logo.';
}

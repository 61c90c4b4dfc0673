// @ts-check
// ---------------------------------------------------------------------------------------------
// API key: the field in the top bar, kept in localStorage

import { apiKey, saveApiKey } from './api.js';
import { $ } from './dom.js';

/**
 * Wires the key form; `onSave` runs after a key is saved.
 * @param {() => void} onSave
 */
export function setupApiKey(onSave) {
  const details = /** @type {HTMLDetailsElement} */ ($('apikey'));
  const input = /** @type {HTMLInputElement} */ ($('apikey-input'));
  input.value = apiKey();
  updateKeyState();
  $('apikey-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveApiKey(input.value.trim());
    updateKeyState();
    details.open = false;
    onSave();
  });
}

function updateKeyState() {
  $('apikey-state').textContent = apiKey() ? ' · set' : '';
}

/** Opens the key field (after a 401). */
export function askForKey() {
  const details = /** @type {HTMLDetailsElement} */ ($('apikey'));
  details.open = true;
  $('apikey-input').focus();
}

// @ts-check
// ---------------------------------------------------------------------------------------------
// Preview background: checker, light or dark behind the previews

import { $ } from './dom.js';

export function setupPreviewBackground() {
  const job = $('job');
  for (const r of /** @type {NodeListOf<HTMLInputElement>} */ (
    document.querySelectorAll('input[name=preview-bg]')
  )) {
    r.addEventListener('change', () => {
      job.classList.remove('bg-checker', 'bg-light', 'bg-dark');
      job.classList.add(`bg-${r.value}`);
    });
  }
}

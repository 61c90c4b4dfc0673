// @ts-check
// ---------------------------------------------------------------------------------------------
// Files: the file input, the drop zone (the whole page takes drops) and the list of chosen logos

import { $, el, formatBytes, ICON_CLOSE, svgIcon } from './dom.js';
import { hideFormError, showFormError, updateSummary } from './form.js';
import { state } from './state.js';

export function setupFiles() {
  const input = /** @type {HTMLInputElement} */ ($('file-input'));
  const zone = $('dropzone');
  input.addEventListener('change', () => {
    addFiles(input.files);
    input.value = '';
  });
  zone.addEventListener('click', (e) => {
    const target = /** @type {Element} */ (e.target);
    if (target === zone || target.closest('.dropzone-text, .dropzone-icon, .hint')) input.click();
  });
  // Dropping anywhere on the page adds the files; the drop zone lights up while dragging.
  let depth = 0;
  /** @param {DragEvent} e */
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
    if (!hasFiles(e) || !e.dataTransfer) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    zone.classList.remove('is-dragging');
    addFiles(e.dataTransfer?.files ?? null);
  });
}

/**
 * Whether the file input's `accept` list takes this file (by media type or by extension): a drop
 * is held to the same list as the picker.
 * @param {File} file
 */
function accepted(file) {
  const accept = /** @type {HTMLInputElement} */ ($('file-input')).accept.split(',');
  const dot = file.name.lastIndexOf('.');
  const ext = dot > 0 ? file.name.slice(dot).toLowerCase() : '';
  return accept.includes(file.type) || (ext !== '' && accept.includes(ext));
}

/** @param {FileList | null} list */
function addFiles(list) {
  /** @type {string[]} */
  const refused = [];
  const known = new Set(state.files.map((f) => `${f.file.name}\0${f.file.size}\0${f.file.lastModified}`));
  for (const file of list ?? []) {
    const sig = `${file.name}\0${file.size}\0${file.lastModified}`;
    if (known.has(sig)) continue;
    if (!accepted(file)) {
      refused.push(file.name);
      continue;
    }
    known.add(sig);
    state.files.push({ id: `f${++state.fileSeq}`, file, url: URL.createObjectURL(file) });
  }
  renderFiles();
  if (refused.length) {
    const formats = String($('dropzone-formats').textContent).split(' —')[0];
    showFormError(`Left out, not an image this app reads (${formats}): ${refused.join(', ')}.`);
  } else {
    hideFormError();
  }
}

/** @param {string} id */
function removeFile(id) {
  const i = state.files.findIndex((f) => f.id === id);
  if (i < 0) return;
  URL.revokeObjectURL(state.files[i].url);
  state.files.splice(i, 1);
  renderFiles();
  const buttons = /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll('#file-list .file-remove')
  );
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

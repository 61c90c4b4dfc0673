// @ts-check
// ---------------------------------------------------------------------------------------------
// The viewer: a preview opened in a dialog on the page, with zoom and, beside it, the original

import { withKey } from './api.js';
import { el, ICON_CLOSE, ICON_DOWNLOAD, svgIcon } from './dom.js';

/**
 * What the viewer shows: one file, and the logo it was made from (none for the original itself).
 * @typedef {{ url: string, name: string, label: string, width?: number, height?: number,
 *   film?: boolean, original?: { url: string, name: string } }} ViewerFile
 */

/** Zoom steps (1 = the image's own pixels); "fit" shows the whole image in the pane. */
const ZOOMS = [0.125, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];

/** @type {{ dialog: HTMLDialogElement, title: HTMLElement, zoomText: HTMLElement,
 *   compare: HTMLButtonElement, open: HTMLAnchorElement, download: HTMLAnchorElement,
 *   stage: HTMLElement, main: Pane, side: Pane } | null} */
let ui = null;
/** @type {ViewerFile | null} */
let current = null;
/** @type {number | 'fit'} */
let zoom = 'fit';
let comparing = false;
/** @type {HTMLElement | null} */
let opener = null;

/**
 * @typedef {{ root: HTMLElement, caption: HTMLElement, img: HTMLImageElement, width: number }} Pane
 */

/**
 * @param {string} role
 * @returns {Pane}
 */
function pane(role) {
  const img = el('img', { alt: '', decoding: 'async', dataset: { testid: `viewer-${role}-image` } });
  const caption = el('span', { class: 'viewer-caption' });
  const root = el(
    'figure',
    { class: 'viewer-pane', dataset: { testid: `viewer-${role}` } },
    el('div', { class: 'viewer-scroll' }, img),
    el('figcaption', {}, caption),
  );
  /** @type {Pane} */
  const p = { root, caption, img, width: 0 };
  img.addEventListener('load', () => {
    // the file's own pixel width when the status gave one: an SVG's drawing, whose natural
    // width is its print size at 96 px per inch
    p.width ||= img.naturalWidth;
    applyZoom();
  });
  return p;
}

function build() {
  if (ui) return ui;
  const button = (
    /** @type {string} */ text,
    /** @type {string} */ label,
    /** @type {() => void} */ onclick,
  ) =>
    el('button', {
      type: 'button',
      class: 'btn btn-small',
      text,
      'aria-label': label,
      title: label,
      onclick,
    });
  const title = el('h2', { class: 'viewer-title', id: 'viewer-title' });
  const zoomText = el('output', {
    class: 'viewer-zoom',
    'aria-live': 'polite',
    dataset: { testid: 'viewer-zoom' },
  });
  const compare = el('button', {
    type: 'button',
    class: 'btn btn-small',
    text: 'Compare with original',
    'aria-pressed': 'false',
    dataset: { testid: 'viewer-compare' },
    onclick: () => setCompare(!comparing),
  });
  const open = el('a', {
    class: 'btn btn-small',
    target: '_blank',
    rel: 'noopener',
    text: 'Open in new tab',
  });
  const download = el(
    'a',
    { class: 'btn-icon', title: 'Download', dataset: { testid: 'viewer-download' } },
    svgIcon(ICON_DOWNLOAD),
  );
  const close = el(
    'button',
    {
      type: 'button',
      class: 'btn-icon',
      'aria-label': 'Close',
      title: 'Close (Esc)',
      dataset: { testid: 'viewer-close' },
      onclick: () => dialog.close(),
    },
    svgIcon(ICON_CLOSE),
  );
  const main = pane('main');
  const side = pane('original');
  const stage = el('div', { class: 'viewer-stage' }, side.root, main.root);
  const dialog = el(
    'dialog',
    { class: 'viewer', 'aria-labelledby': 'viewer-title', dataset: { testid: 'viewer' } },
    el(
      'header',
      { class: 'viewer-head' },
      title,
      el(
        'div',
        { class: 'viewer-tools', role: 'toolbar', 'aria-label': 'Zoom and compare' },
        button('−', 'Zoom out', () => step(-1)),
        zoomText,
        button('+', 'Zoom in', () => step(1)),
        button('Fit', 'Fit to the window', () => setZoom('fit')),
        button('1:1', 'Actual pixels', () => setZoom(1)),
        compare,
        open,
        download,
        close,
      ),
    ),
    stage,
  );
  dialog.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === '+' || e.key === '=') step(1);
    else if (e.key === '-') step(-1);
    else if (e.key === '0') setZoom('fit');
    else return;
    e.preventDefault();
  });
  // a click on the backdrop (outside the dialog's box) closes it
  dialog.addEventListener('click', (e) => {
    const r = dialog.getBoundingClientRect();
    const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
    if (!inside && e.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    main.img.removeAttribute('src');
    side.img.removeAttribute('src');
    opener?.focus();
    opener = null;
  });
  // compared side by side, the two panes scroll together
  syncScroll(main, side);
  syncScroll(side, main);
  document.body.append(dialog);
  ui = { dialog, title, zoomText, compare, open, download, stage, main, side };
  return ui;
}

/**
 * @param {Pane} from
 * @param {Pane} to
 */
function syncScroll(from, to) {
  const a = /** @type {HTMLElement} */ (from.root.firstElementChild);
  const b = /** @type {HTMLElement} */ (to.root.firstElementChild);
  a.addEventListener('scroll', () => {
    if (!comparing) return;
    const x = a.scrollWidth > a.clientWidth ? a.scrollLeft / (a.scrollWidth - a.clientWidth) : 0;
    const y = a.scrollHeight > a.clientHeight ? a.scrollTop / (a.scrollHeight - a.clientHeight) : 0;
    const left = Math.round(x * (b.scrollWidth - b.clientWidth));
    const top = Math.round(y * (b.scrollHeight - b.clientHeight));
    // only when it differs, or the two would bounce the event back and forth
    if (Math.abs(b.scrollLeft - left) > 1 || Math.abs(b.scrollTop - top) > 1) b.scrollTo(left, top);
  });
}

/**
 * Opens the viewer on a file; focus returns to `from` when it closes.
 * @param {ViewerFile} file
 * @param {HTMLElement} [from]
 */
export function openViewer(file, from) {
  const v = build();
  current = file;
  opener = from ?? null;
  v.title.textContent = `${file.label}: ${file.name}`;
  v.open.href = withKey(file.url);
  v.download.href = withKey(file.url, { download: '1' });
  v.download.setAttribute('download', file.original ? file.name : '');
  v.download.setAttribute('aria-label', `Download ${file.name}`);
  v.main.width = file.width ?? 0;
  v.main.img.alt = `${file.label}: ${file.name}`;
  v.main.caption.textContent = file.original ? file.label : 'Original';
  v.main.img.src = withKey(file.url);
  v.main.root.classList.toggle('is-film', file.film === true);
  v.compare.hidden = !file.original;
  // the preview background the page shows (checker, light or dark) is the viewer's too
  const bg = document.querySelector('input[name=preview-bg]:checked');
  v.stage.dataset.bg = bg instanceof HTMLInputElement ? bg.value : 'checker';
  zoom = 'fit';
  setCompare(false);
  if (!v.dialog.open) v.dialog.showModal();
}

/** @param {boolean} on */
function setCompare(on) {
  const v = build();
  comparing = on && Boolean(current?.original);
  v.compare.setAttribute('aria-pressed', String(comparing));
  v.stage.classList.toggle('is-comparing', comparing);
  v.side.root.hidden = !comparing;
  if (comparing && current?.original) {
    v.side.img.alt = `Original: ${current.original.name}`;
    v.side.caption.textContent = `Original: ${current.original.name}`;
    const src = withKey(current.original.url);
    if (v.side.img.getAttribute('src') !== src) {
      v.side.width = 0;
      v.side.img.src = src;
    }
  }
  applyZoom();
}

/** @param {number | 'fit'} z */
function setZoom(z) {
  zoom = z;
  applyZoom();
}

/**
 * One zoom step in or out, from what is shown now (in "fit", the scale the pane gives).
 * @param {1 | -1} dir
 */
function step(dir) {
  const now = zoom === 'fit' ? shownScale() : zoom;
  const next = dir > 0 ? ZOOMS.find((z) => z > now * 1.01) : [...ZOOMS].reverse().find((z) => z < now * 0.99);
  setZoom(next ?? (dir > 0 ? ZOOMS[ZOOMS.length - 1] : ZOOMS[0]));
}

/** The scale at which the main image is shown now (1 when it is not loaded yet). */
function shownScale() {
  const v = build();
  const natural = v.main.width || v.main.img.naturalWidth;
  return natural && v.main.img.clientWidth ? v.main.img.clientWidth / natural : 1;
}

function applyZoom() {
  if (!ui) return;
  const v = ui;
  for (const p of [v.main, v.side]) {
    p.root.classList.toggle('is-fit', zoom === 'fit');
    // each image at its own pixels times the zoom: side by side, the two are at the same scale
    const natural = p.width || p.img.naturalWidth;
    p.img.style.width = zoom === 'fit' || !natural ? '' : `${Math.round(natural * zoom)}px`;
  }
  // in "fit", the scale the pane gives (the main image's)
  v.zoomText.textContent = `${Math.round((zoom === 'fit' ? shownScale() : zoom) * 100)}%`;
  v.dialog.dataset.zoom = String(zoom);
}

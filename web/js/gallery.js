// @ts-check
// ---------------------------------------------------------------------------------------------
// The gallery: a preview tile per picked output (the original first), and the list of every file

import { withKey } from './api.js';
import { el, formatBytes, ICON_DOWNLOAD, plural, svgIcon } from './dom.js';
import { label } from './state.js';
import { openViewer } from './viewer.js';

/**
 * @typedef {import('./types.js').Item} Item
 * @typedef {import('./types.js').Card} Card
 * @typedef {import('./types.js').Output} Output
 * @typedef {Output & { key: string, label: string }} Preview
 */

/** Media types a browser shows in an <img>. */
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml']);
/** Images with a side longer than this are previewed from their SVG twin when there is one. */
const LARGE_SIDE = 2400;
/** Previews shown per variation before a "+N more" tile. */
const PER_VARIATION = 6;

/** Outputs worth an <img>: one per variation and file stem (logo.png, not also logo.jpg and logo.webp). */
/** @param {Output[]} outputs */
function pickPreviews(outputs) {
  /** @param {Output} o */
  const rank = (o) => {
    const large = Math.max(o.width ?? 0, o.height ?? 0) > LARGE_SIDE;
    const order = large
      ? ['image/svg+xml', 'image/png', 'image/webp', 'image/jpeg', 'image/gif']
      : ['image/png', 'image/svg+xml', 'image/webp', 'image/jpeg', 'image/gif'];
    return order.indexOf(o.mediaType ?? '');
  };
  /** @type {Map<string, Output>} */
  const best = new Map();
  for (const o of outputs) {
    if (!PREVIEW_TYPES.has(o.mediaType ?? '')) continue;
    const key = `${o.variation}\0${String(o.name).replace(/\.[^.]+$/, '')}`;
    const prev = best.get(key);
    if (!prev || rank(o) < rank(prev)) best.set(key, o);
  }
  const keep = new Set(best.values());
  return outputs.filter((o) => keep.has(o));
}

/**
 * Draws the item's tiles, reusing the ones already there (an <img> is never loaded twice).
 * @param {Card} card
 * @param {Item} item
 */
export function updateGallery(card, item) {
  /** @type {Preview[]} */
  const previews = [];
  if (item.inputUrl) {
    previews.push({
      key: `${item.inputUrl}|${item.input ? 'decoded' : ''}`,
      variation: 'original',
      label: 'Original',
      name: item.name,
      url: item.inputUrl,
      width: item.input?.width,
      height: item.input?.height,
      bytes: item.input?.bytes,
      mediaType: item.input?.format === 'svg' ? 'image/svg+xml' : '',
    });
  }
  for (const o of pickPreviews(item.outputs ?? []))
    previews.push({ ...o, key: o.url, label: label(o.variation) });

  // At most PER_VARIATION previews of a variation until its "more" tile is pressed (social makes 20).
  /** @type {Map<string, number>} */
  const count = new Map();
  for (const p of previews) count.set(p.variation, (count.get(p.variation) ?? 0) + 1);
  /** @type {Map<string, number>} */
  const seen = new Map();
  /** @type {HTMLElement[]} */
  const nodes = [];
  for (const p of previews) {
    const n = (seen.get(p.variation) ?? 0) + 1;
    seen.set(p.variation, n);
    const total = count.get(p.variation) ?? 0;
    const folded = total > PER_VARIATION + 1 && !card.expanded.has(p.variation);
    if (folded && n > PER_VARIATION) {
      if (n === total) nodes.push(moreTile(card, p, total - PER_VARIATION));
      continue;
    }
    let tile = card.tiles.get(p.key);
    if (!tile) {
      tile = createTile(p, item);
      card.tiles.set(p.key, tile);
    }
    nodes.push(tile);
  }
  const current = [...card.gallery.children];
  if (nodes.length !== current.length || nodes.some((n, i) => n !== current[i])) {
    card.gallery.replaceChildren(...nodes);
  }
}

/**
 * @param {Card} card
 * @param {Preview} p
 * @param {number} hidden
 */
function moreTile(card, p, hidden) {
  const key = `more|${p.variation}|${hidden}`;
  let tile = card.tiles.get(key);
  if (!tile) {
    tile = el(
      'button',
      {
        type: 'button',
        class: 'tile tile-more',
        dataset: { variation: p.variation },
        onclick: () => {
          card.expanded.add(p.variation);
          updateGallery(card, card.item);
          const links = /** @type {NodeListOf<HTMLElement>} */ (
            card.gallery.querySelectorAll(`.tile[data-variation="${CSS.escape(p.variation)}"] a`)
          );
          links[PER_VARIATION]?.focus();
        },
      },
      el('span', { class: 'tile-more-count', text: `+${hidden}` }),
      el('span', { text: `more ${p.label}` }),
    );
    card.tiles.set(key, tile);
  }
  return tile;
}

/**
 * A preview: a click opens it in the viewer (a new tab with Ctrl, Cmd, Shift or the middle button).
 * @param {Preview} p
 * @param {Item} item
 */
function createTile(p, item) {
  const isSvg = p.mediaType === 'image/svg+xml';
  const img = el('img', {
    src: withKey(p.url),
    alt: `${p.label}: ${p.name}`,
    loading: 'lazy',
    decoding: 'async',
    class: isSvg ? 'is-svg' : undefined,
    dataset: { testid: 'gallery-image', variation: p.variation, name: p.name },
  });
  const box = el('span', { class: 'tile-img' }, img);
  img.addEventListener('error', () => {
    box.classList.add('tile-noimg');
    img.hidden = true;
    box.append(el('span', { class: 'muted small', text: 'No preview' }));
  });
  const size = [p.width && p.height ? `${p.width}×${p.height}` : '', formatBytes(p.bytes)].filter(Boolean);
  const isOriginal = p.variation === 'original';
  // a separation film is black art on clear film: on a light table, whatever the preview background
  const isFilm = p.variation === 'separations' && /^film-/.test(p.name);
  const kind = isOriginal ? ' tile-original' : isFilm ? ' tile-film' : '';
  const link = el(
    'a',
    {
      class: 'tile-link',
      href: withKey(p.url),
      target: '_blank',
      rel: 'noopener',
      title: `Open ${p.name}`,
    },
    box,
  );
  link.addEventListener('click', (e) => {
    if (
      e.button !== 0 ||
      e.ctrlKey ||
      e.metaKey ||
      e.shiftKey ||
      e.altKey ||
      box.classList.contains('tile-noimg')
    )
      return;
    e.preventDefault();
    const original = !isOriginal && item.inputUrl ? { url: item.inputUrl, name: item.name } : undefined;
    openViewer({ url: p.url, name: p.name, label: p.label, width: p.width, film: isFilm, original }, link);
  });
  return el(
    'figure',
    { class: `tile${kind}`, dataset: { variation: p.variation } },
    link,
    el(
      'figcaption',
      {},
      el(
        'span',
        { class: 'tile-text' },
        el('span', { class: 'tile-label', text: p.label }),
        el('span', { class: 'tile-name', text: p.name, title: p.name }),
        el(
          'span',
          { class: 'tile-meta muted' },
          size.flatMap((x, i) => [i ? ' · ' : '', el('span', { class: 'nowrap', text: x })]),
        ),
      ),
      el(
        'a',
        {
          class: 'btn-icon',
          href: withKey(p.url, { download: '1' }),
          download: isOriginal ? '' : p.name,
          'aria-label': `Download ${p.name}`,
          title: 'Download',
          dataset: { testid: 'download-link' },
        },
        svgIcon(ICON_DOWNLOAD),
      ),
    ),
  );
}

/**
 * The "All N files" list, grouped by variation, each a download link.
 * @param {Card} card
 * @param {Item} item
 */
export function updateFiles(card, item) {
  const outputs = item.outputs ?? [];
  const key = outputs.map((o) => o.url).join('\n');
  if (key === card.filesKey) return;
  card.filesKey = key;
  card.files.hidden = outputs.length === 0;
  if (!outputs.length) return;
  /** @type {Map<string, Output[]>} */
  const groups = new Map();
  for (const o of outputs) {
    const list = groups.get(o.variation) ?? [];
    list.push(o);
    groups.set(o.variation, list);
  }
  const open = card.files.open;
  card.files.replaceChildren(
    el('summary', { text: `All ${plural(outputs.length, 'file')}` }),
    el(
      'div',
      { class: 'file-groups' },
      [...groups].map(([variation, list]) =>
        el(
          'section',
          { class: 'file-group' },
          el('h4', { text: label(variation) }),
          el(
            'ul',
            {},
            list.map((o) =>
              el(
                'li',
                {},
                el(
                  'a',
                  {
                    href: withKey(o.url, { download: '1' }),
                    download: o.name,
                    dataset: { testid: 'file-link', variation },
                  },
                  svgIcon(ICON_DOWNLOAD),
                  el('span', { text: o.name }),
                ),
                el('span', {
                  class: 'muted',
                  text: formatBytes(o.bytes),
                  title: o.width && o.height ? `${o.width}×${o.height} px` : undefined,
                }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  card.files.open = open;
}

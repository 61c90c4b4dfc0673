// @ts-check
// ---------------------------------------------------------------------------------------------
// Following a job: Server-Sent Events (polling when the stream fails), the job's head and one card per logo

import { ApiError, api, describeError, withKey } from './api.js';
import { updateDecision } from './decision.js';
import { $, el, formatBytes, ICON_ZIP, plural, svgIcon } from './dom.js';
import { updateFiles, updateGallery } from './gallery.js';
import { updatePreflight } from './preflight.js';
import { label, state } from './state.js';

/**
 * @typedef {import('./types.js').Job} Job
 * @typedef {import('./types.js').Item} Item
 * @typedef {import('./types.js').Card} Card
 * @typedef {import('./types.js').CreatedJob} CreatedJob
 */

const FINAL_JOB_STATES = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 1000;

function stopFollowing() {
  if (state.es) {
    state.es.close();
    state.es = null;
  }
  clearTimeout(state.pollTimer);
  state.pollTimer = 0;
}

/**
 * Shows a new job and follows it to the end; an older job's late answers are ignored.
 * @param {CreatedJob} created
 */
export function startJob(created) {
  stopFollowing();
  const seq = ++state.jobSeq;
  state.job = null;
  state.items.clear();
  const job = $('job');
  job.replaceChildren(
    el('div', { class: 'job-waiting', role: 'status', text: 'Job created. Waiting for the first update…' }),
  );
  $('results').setAttribute('aria-busy', 'true');
  if (matchMedia('(max-width: 860px)').matches) $('results').scrollIntoView({ behavior: 'smooth' });

  // the job's id in the address: a reload, a bookmark or a shared link shows the same results
  if (created.id) history.replaceState(null, '', `#job=${encodeURIComponent(created.id)}`);
  const statusUrl = created.url ?? `/api/jobs/${created.id}`;
  const poll = () => {
    state.pollTimer = window.setTimeout(async () => {
      if (seq !== state.jobSeq) return;
      try {
        const s = await api(statusUrl);
        if (seq !== state.jobSeq) return;
        showJob(s);
        if (FINAL_JOB_STATES.has(s.state)) return;
      } catch (err) {
        if (seq !== state.jobSeq) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
          showJobError(describeError(err));
          return;
        }
      }
      poll();
    }, POLL_MS);
  };

  if (typeof EventSource !== 'function' || !created.eventsUrl) {
    poll();
    return;
  }
  const es = new EventSource(withKey(created.eventsUrl));
  state.es = es;
  /** @param {Event} e */
  const onStatus = (e) => {
    if (seq !== state.jobSeq) return;
    try {
      showJob(JSON.parse(/** @type {MessageEvent} */ (e).data));
    } catch {
      // a malformed event is skipped; the next one carries the full status again
    }
  };
  es.addEventListener('job', onStatus);
  es.addEventListener('end', (e) => {
    onStatus(e);
    if (state.es === es) stopFollowing();
    es.close();
  });
  es.addEventListener('error', () => {
    es.close();
    if (state.es !== es || seq !== state.jobSeq) return;
    state.es = null;
    if (!state.job || !FINAL_JOB_STATES.has(state.job.state)) poll();
  });
}

/** @param {string} message */
function showJobError(message) {
  const job = $('job');
  job.prepend(el('div', { class: 'alert alert-error', role: 'alert', text: message }));
  $('results').setAttribute('aria-busy', 'false');
}

/** @param {Job} s */
function showJob(s) {
  state.job = s;
  const job = $('job');
  let head = job.querySelector('.job-head');
  if (!head) {
    job.replaceChildren();
    head = el(
      'div',
      { class: 'job-head' },
      el(
        'div',
        { class: 'job-title' },
        el('span', { class: 'badge', dataset: { testid: 'job-state' } }),
        el('span', { class: 'job-text', role: 'status' }),
      ),
      el('progress', {
        class: 'bar bar-job',
        max: 1,
        value: 0,
        'aria-label': 'Overall progress',
        dataset: { testid: 'job-progress' },
      }),
      el('div', { class: 'job-actions' }),
    );
    job.append(head, el('div', { class: 'items' }));
  }
  const final = FINAL_JOB_STATES.has(s.state);
  const badge = /** @type {HTMLElement} */ (head.querySelector('.badge'));
  badge.textContent = s.state;
  badge.dataset.state = s.state;
  const p = s.progress ?? { done: 0, total: 0, fraction: 0 };
  const bar = /** @type {HTMLProgressElement} */ (head.querySelector('progress'));
  bar.value = final ? 1 : Math.max(0, Math.min(1, p.fraction ?? 0));
  bar.dataset.state = s.state;
  const items = s.items ?? [];
  const outputs = items.reduce((n, it) => n + (it.outputs?.length ?? 0), 0);
  let text = `${p.done ?? 0} of ${plural(p.total ?? 0, 'task')} done · ${plural(items.length, 'logo')}`;
  if (final) {
    const secs =
      s.finishedAt && s.createdAt ? (Date.parse(s.finishedAt) - Date.parse(s.createdAt)) / 1000 : Number.NaN;
    text = `${plural(outputs, 'file')} from ${plural(items.length, 'logo')}${
      Number.isFinite(secs) ? ` in ${secs.toFixed(1)} s` : ''
    }`;
  }
  /** @type {HTMLElement} */ (head.querySelector('.job-text')).textContent = text;
  document.title = final ? 'logomill' : `${Math.round((p.fraction ?? 0) * 100)}% · logomill`;
  $('results').setAttribute('aria-busy', final ? 'false' : 'true');

  const actions = /** @type {HTMLElement} */ (head.querySelector('.job-actions'));
  if (final && outputs > 0 && s.archiveUrl && !actions.querySelector('[data-testid=zip-link]')) {
    actions.append(
      el(
        'a',
        {
          class: 'btn btn-primary',
          href: withKey(s.archiveUrl),
          download: '',
          dataset: { testid: 'zip-link' },
        },
        svgIcon(ICON_ZIP),
        el('span', { text: 'Download all (zip)' }),
      ),
    );
  }

  const list = /** @type {HTMLElement} */ (job.querySelector('.items'));
  for (const item of items) {
    let card = state.items.get(item.index);
    if (!card) {
      card = createItemCard(item);
      state.items.set(item.index, card);
      list.append(card.root);
    }
    updateItemCard(card, item);
  }
}

/**
 * @param {Item} item
 * @returns {Card}
 */
function createItemCard(item) {
  const thumb = el('img', {
    src: item.inputUrl ? withKey(item.inputUrl) : undefined,
    alt: '',
    loading: 'lazy',
    decoding: 'async',
  });
  const root = el('article', {
    class: 'item',
    dataset: { testid: 'item', item: String(item.index) },
    'aria-label': `Logo ${item.name}`,
  });
  const card = {
    root,
    badge: el('span', { class: 'badge' }),
    meta: el('p', { class: 'item-meta muted' }),
    progress: el('progress', {
      class: 'bar',
      max: 1,
      value: 0,
      'aria-label': `Progress of ${item.name}`,
      dataset: { testid: 'item-progress', item: String(item.index) },
    }),
    progressText: el('span', { class: 'bar-text muted' }),
    chips: el('ul', { class: 'chips', 'aria-label': `Tasks of ${item.name}` }),
    chipMap: new Map(),
    decision: el('div', { class: 'item-decision', hidden: true, dataset: { testid: 'decision' } }),
    decisionKey: '',
    preflight: el('section', { class: 'item-preflight', hidden: true, dataset: { testid: 'preflight' } }),
    preflightKey: '',
    alerts: el('div', { class: 'item-alerts' }),
    gallery: el('div', { class: 'gallery', dataset: { testid: 'gallery', item: String(item.index) } }),
    tiles: new Map(),
    expanded: new Set(),
    item,
    files: el('details', { class: 'files', hidden: true }),
    filesKey: '',
    alertsKey: '',
  };
  thumb.addEventListener('error', () => thumb.remove());
  root.append(
    el(
      'header',
      { class: 'item-head' },
      el('span', { class: 'item-thumb' }, thumb),
      el(
        'div',
        { class: 'item-title' },
        el('h3', {}, el('span', { class: 'item-name', text: item.name }), card.badge),
        card.meta,
      ),
    ),
    el('div', { class: 'progress-row' }, card.progress, card.progressText),
    card.preflight,
    card.decision,
    card.chips,
    card.alerts,
    card.gallery,
    card.files,
  );
  return card;
}

/**
 * @param {Card} card
 * @param {Item} item
 */
function updateItemCard(card, item) {
  card.item = item;
  card.badge.textContent = item.state;
  card.badge.dataset.state = item.state;
  card.root.dataset.state = item.state;

  const meta = [];
  if (item.input) {
    meta.push(
      `${String(item.input.format ?? '').toUpperCase()} ${item.input.width}×${item.input.height}`,
      formatBytes(item.input.bytes),
    );
  }
  card.meta.textContent = meta.join(' · ');
  updatePreflight(card, item);
  updateDecision(card, item);

  const tasks = Object.entries(item.tasks ?? {});
  const finished = tasks.filter(([, t]) => t === 'done' || t === 'failed').length;
  const whole = item.state === 'failed' || item.state === 'completed';
  card.progress.value = whole ? 1 : tasks.length ? finished / tasks.length : 0;
  card.progress.dataset.state = item.state;
  card.progressText.textContent = whole && !tasks.length ? item.state : `${finished}/${tasks.length}`;

  for (const [variation, t] of tasks) {
    let chip = card.chipMap.get(variation);
    if (!chip) {
      chip = el(
        'li',
        { class: 'chip', dataset: { testid: 'task-chip', variation } },
        el('span', { class: 'chip-dot', 'aria-hidden': 'true' }),
        el('span', { text: label(variation) }),
        el('span', { class: 'visually-hidden chip-state' }),
      );
      card.chipMap.set(variation, chip);
      card.chips.append(chip);
    }
    chip.dataset.state = t;
    chip.title = `${label(variation)}: ${t}`;
    /** @type {HTMLElement} */ (chip.querySelector('.chip-state')).textContent = `: ${t}`;
  }

  const alertsKey = JSON.stringify([item.error, item.warnings, item.failures]);
  if (alertsKey !== card.alertsKey) {
    card.alertsKey = alertsKey;
    const nodes = [];
    if (item.error) {
      nodes.push(
        el(
          'div',
          { class: 'alert alert-error', role: 'alert' },
          el('strong', { text: 'This logo could not be processed. ' }),
          `${item.error.message ?? ''}${item.error.code ? ` (${item.error.code})` : ''}`,
        ),
      );
    }
    for (const f of item.failures ?? []) {
      nodes.push(
        el(
          'div',
          { class: 'alert alert-error' },
          el('strong', { text: `${label(f.variation)} failed. ` }),
          `${f.message ?? ''}${f.code ? ` (${f.code})` : ''}`,
        ),
      );
    }
    for (const w of item.warnings ?? []) {
      const text =
        typeof w === 'string' ? w : `${w.variation ? `${label(w.variation)}: ` : ''}${w.message ?? ''}`;
      const code = typeof w === 'string' ? '' : (w.code ?? '');
      nodes.push(
        el('div', {
          class: 'alert alert-warn',
          text,
          title: code,
          dataset: { testid: 'warning', code },
        }),
      );
    }
    card.alerts.replaceChildren(...nodes);
  }

  updateGallery(card, item);
  updateFiles(card, item);
}

// @ts-check
// ---------------------------------------------------------------------------------------------
// The preflight, first on a logo's card: the verdict, each finding, the page to send the customer

import { api, withKey } from './api.js';
import { el } from './dom.js';

/**
 * @typedef {import('./types.js').Item} Item
 * @typedef {import('./types.js').Card} Card
 * @typedef {{ code: string, severity: 'error' | 'warning' | 'info', message: string }} Finding
 * @typedef {{ verdict: 'ready' | 'check' | 'fix', summary: string, findings: Finding[] }} Report
 */

/**
 * Shows the item's preflight once its preflight.json is there (read once per file).
 * @param {Card} card
 * @param {Item} item
 */
export function updatePreflight(card, item) {
  const outputs = (item.outputs ?? []).filter((o) => o.variation === 'preflight');
  const json = outputs.find((o) => o.name === 'preflight.json');
  if (!json || card.preflightKey === json.url) return;
  card.preflightKey = json.url;
  const pdf = outputs.find((o) => o.name === 'preflight.pdf');
  const png = outputs.find((o) => o.name === 'preflight.png');
  api(json.url)
    .then((/** @type {Report} */ report) => {
      if (card.preflightKey !== json.url) return;
      const links = [
        pdf &&
          el('a', {
            href: withKey(pdf.url),
            target: '_blank',
            rel: 'noopener',
            text: 'Page for the customer (PDF)',
          }),
        png && el('a', { href: withKey(png.url), target: '_blank', rel: 'noopener', text: 'as PNG' }),
      ].filter((x) => x !== undefined);
      card.preflight.replaceChildren(
        el('p', {
          class: 'preflight-verdict',
          dataset: { verdict: report.verdict, testid: 'preflight-verdict' },
          text: report.summary,
        }),
        el(
          'ul',
          { class: 'preflight-findings' },
          ...report.findings.map((f) =>
            el(
              'li',
              { dataset: { severity: f.severity, code: f.code } },
              el('strong', { text: `${f.severity}: ` }),
              f.message,
            ),
          ),
        ),
        el('p', { class: 'preflight-links' }, ...links),
      );
      card.preflight.hidden = false;
    })
    .catch(() => {
      // the report could not be read: the files list still offers it
      card.preflightKey = '';
    });
}

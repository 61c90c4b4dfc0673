// @ts-check
// ---------------------------------------------------------------------------------------------
// The art analysis's background decision, shown and reversible

import { el } from './dom.js';

/**
 * @typedef {import('./types.js').Analysis} Analysis
 * @typedef {import('./types.js').BackgroundDecision} BackgroundDecision
 * @typedef {import('./types.js').Item} Item
 * @typedef {import('./types.js').Card} Card
 */

/**
 * What a card's "… instead" button asks for: the same logo again with `--background value`. It
 * bubbles from the button; the submit module (which starts jobs) answers it.
 * @typedef {{ item: Item, value: string, button: HTMLButtonElement }} FlipRequest
 */
export const FLIP_EVENT = 'logomill:flip-background';

/**
 * The background decision in a few words (the CLI's describeBackground, src/analysis/index.ts).
 * @param {Analysis & { background: BackgroundDecision }} a
 */
function describeDecision(a) {
  const b = a.background;
  const holes = a.holes?.cleared ? `, ${a.holes.cleared} hole${a.holes.cleared > 1 ? 's' : ''} cleared` : '';
  const frame = b.frame ? ` and a ${b.frame.width} px frame` : '';
  if (b.decision === 'none') return 'Transparent input: nothing to remove';
  if (b.decision === 'removed') {
    const what =
      b.kind === 'gradient' && b.gradient
        ? `${b.gradient.type} gradient ${b.gradient.from}→${b.gradient.to}`
        : `${b.kind} ${b.color}`;
    return `Background removed: ${what}${frame}${b.boxKept ? ' (the box kept)' : ''}${holes}`;
  }
  if (b.requested === 'keep') return 'Background kept, as asked';
  return b.color ? `Kept the box (${b.color}) as part of the art` : 'Kept: the art fills the canvas';
}

/** The opposite reading: what `--background` re-runs the logo with. */
/**
 * The opposite reading: what `--background` re-runs the logo with.
 * @param {BackgroundDecision} b
 */
function flippedBackground(b) {
  if (b.decision === 'removed') return { value: 'keep', text: 'Keep the background instead' };
  if (b.decision === 'kept') return { value: 'remove', text: 'Remove the background instead' };
  return null;
}

/**
 * Shows the item's background decision (once it is known) with a button to overturn it.
 * @param {Card} card
 * @param {Item} item
 */
export function updateDecision(card, item) {
  const a = item.analysis;
  const key = JSON.stringify(a?.background ?? null);
  if (key === card.decisionKey) return;
  card.decisionKey = key;
  if (!a?.background) {
    card.decision.hidden = true;
    return;
  }
  const flip = flippedBackground(a.background);
  const sure = a.background.confidence >= 0.75;
  const text = el('span', {
    class: sure ? '' : 'unsure',
    text: `${describeDecision({ ...a, background: a.background })}${sure ? '' : ' — a guess'}`,
    title: a.background.reason,
    dataset: { testid: 'decision-text' },
  });
  if (!flip) {
    card.decision.replaceChildren(text);
    card.decision.hidden = false;
    return;
  }
  const button = el('button', {
    type: 'button',
    class: 'link-button',
    text: flip.text,
    dataset: { testid: 'flip-background' },
    onclick: () => {
      /** @type {FlipRequest} */
      const detail = { item, value: flip.value, button };
      button.dispatchEvent(new CustomEvent(FLIP_EVENT, { bubbles: true, detail }));
    },
  });
  card.decision.replaceChildren(text, ' ', button);
  card.decision.hidden = false;
}

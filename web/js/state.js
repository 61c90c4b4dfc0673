// @ts-check
// The page's one state object, shared by the modules.

/**
 * @typedef {import('./types.js').Variation} Variation
 * @typedef {import('./types.js').Preset} Preset
 * @typedef {import('./types.js').Job} Job
 * @typedef {import('./types.js').Card} Card
 * @typedef {import('./options.js').Field} Field
 */

export const state = {
  /** @type {{ id: string, file: File, url: string }[]} */
  files: [],
  /** @type {Variation[]} */
  variations: [],
  /** @type {Preset[]} */
  presets: [],
  /** @type {Map<string, Variation>} variation id → variation */
  byId: new Map(),
  /** @type {Set<string>} ticked variation ids */
  selected: new Set(),
  /** @type {Map<string, { group: HTMLElement, fields: Field[] }>} */
  optionGroups: new Map(),
  /** @type {Job | null} */
  job: null,
  /** Increases with every new job, so that late answers for an old job are ignored. */
  jobSeq: 0,
  /** @type {EventSource | null} */
  es: null,
  pollTimer: 0,
  /** @type {Map<number, Card>} item index → its card */
  items: new Map(),
  variationsLoaded: false,
  fileSeq: 0,
};

/**
 * A variation's label, or its id before the variations are in.
 * @param {string} variationId
 */
export function label(variationId) {
  return state.byId.get(variationId)?.label ?? variationId;
}

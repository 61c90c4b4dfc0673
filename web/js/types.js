// @ts-check
// The shapes the web app reads from the HTTP API (docs/API.md), as JSDoc types only.

/**
 * A variation's options as GET /api/variations sends them: a JSON Schema fragment.
 * @typedef {{
 *   type?: string, default?: unknown, description?: string, pattern?: string,
 *   minimum?: number, maximum?: number, minItems?: number, maxItems?: number, uniqueItems?: boolean,
 *   minLength?: number, maxLength?: number, items?: Schema, anyOf?: Schema[], const?: unknown,
 *   properties?: Record<string, Schema>, 'x-kind'?: string
 * }} Schema
 */

/**
 * @typedef {{ id: string, label?: string, description?: string, outputs?: string,
 *   options?: Schema, keyOptions?: string[] }} Variation
 * @typedef {{ id: string, label?: string, description?: string, variations: string[] }} Preset
 */

/**
 * @typedef {{ variation: string, name: string, url: string, mediaType?: string,
 *   width?: number, height?: number, bytes?: number }} Output
 * @typedef {{ code?: string, message?: string, variation?: string }} Problem
 * @typedef {{ decision: 'none' | 'removed' | 'kept', kind?: string, color?: string,
 *   gradient?: { type: string, from: string, to: string }, frame?: { width: number },
 *   boxKept?: boolean, requested?: string, confidence: number, reason?: string }} BackgroundDecision
 * @typedef {{ background?: BackgroundDecision, holes?: { cleared?: number } }} Analysis
 * @typedef {{ index: number, name: string, state: string, inputUrl?: string,
 *   input?: { format?: string, width?: number, height?: number, bytes?: number },
 *   tasks?: Record<string, string>, outputs?: Output[], error?: Problem, failures?: (Problem & { variation: string })[],
 *   warnings?: (string | Problem)[], analysis?: Analysis }} Item
 * @typedef {{ id: string, state: string, variations?: string[], items?: Item[], archiveUrl?: string,
 *   progress?: { done?: number, total?: number, fraction?: number },
 *   createdAt?: string, finishedAt?: string }} Job
 * @typedef {{ id?: string, url?: string, eventsUrl?: string }} CreatedJob
 */

export {};

/**
 * One logo's card in the results: its nodes and what was last drawn into them.
 * @typedef {{ root: HTMLElement, badge: HTMLElement, meta: HTMLElement, progress: HTMLProgressElement,
 *   progressText: HTMLElement, chips: HTMLElement, chipMap: Map<string, HTMLElement>,
 *   decision: HTMLElement, decisionKey: string, preflight: HTMLElement, preflightKey: string,
 *   alerts: HTMLElement, alertsKey: string,
 *   gallery: HTMLElement, tiles: Map<string, HTMLElement>, expanded: Set<string>, item: Item,
 *   files: HTMLDetailsElement, filesKey: string }} Card
 */

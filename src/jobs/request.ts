/**
 * A job request as a client sends it (variations or a preset, options per variation, a
 * webhook) checked into what the store keeps: known variation ids, options that validate,
 * an http(s) webhook. Every refusal is E_BAD_OPTION with one sentence.
 */
import { planJob } from '../engine/run-job.js';
import { LogomillError } from '../errors.js';
import { findPreset, PRESETS } from '../variations/presets.js';
import type { JobRequest } from './types.js';

/** What a client asks for, before it is checked. */
export interface JobAsk {
  variations?: string[] | 'all' | string;
  preset?: string;
  options?: unknown;
  webhook?: string;
}

/** Checks a request: variations (or preset), options and webhook; throws 400-class errors. */
export function checkJobRequest(ask: JobAsk): JobRequest {
  const variations = variationsOf(ask);
  const options = checkOptions(ask.options ?? {});
  const plan = planJob({ variations, options });
  if (ask.webhook) checkWebhookUrl(ask.webhook);
  return {
    variations: plan.variations.map((v) => v.variation.id),
    options,
    ...(ask.webhook ? { webhook: ask.webhook } : {}),
  };
}

function variationsOf(ask: JobAsk): string[] | 'all' {
  if (ask.preset !== undefined && ask.preset !== '') {
    const preset = findPreset(ask.preset);
    if (!preset) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Unknown preset "${ask.preset}"; known presets: ${PRESETS.map((p) => p.id).join(', ')}.`,
      );
    }
    return preset.variations;
  }
  if (ask.variations === undefined || ask.variations === 'all') return 'all';
  if (typeof ask.variations !== 'string') return ask.variations;
  return ask.variations
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkOptions(options: unknown): Record<string, Record<string, unknown>> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new LogomillError('E_BAD_OPTION', 'Expected an object of options per variation id.');
  }
  for (const [id, o] of Object.entries(options)) {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      throw new LogomillError('E_BAD_OPTION', `Expected an object of options for ${id}.`);
    }
  }
  return options as Record<string, Record<string, unknown>>;
}

function checkWebhookUrl(webhook: string): void {
  let u: URL | null = null;
  try {
    u = new URL(webhook);
  } catch {}
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
    throw new LogomillError('E_BAD_OPTION', `The webhook ${JSON.stringify(webhook)} is not an http(s) URL.`);
  }
}

/**
 * Runs one job: one logo, the chosen variations. Options are validated before
 * anything is decoded; the logo is decoded once; shared intermediates are made
 * once; variations run costliest first, a few at a time (sharp work overlaps on
 * libuv threads); one failing variation does not sink the others.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ArtAnalysis } from '../analysis/index.js';
import { type Rgb, toHex } from '../color/color.js';
import { LogomillError, toLogomillError } from '../errors.js';
import { type DecodedLogo, type DecodeLimits, decodeLogo } from '../io/decode.js';
import { parseOptions } from '../options.js';
import { findVariation, VARIATIONS } from '../variations/registry.js';
import { transparentSchema } from '../variations/transparent.js';
import {
  type CutoutSettings,
  MEDIA_TYPES,
  type OutputFile,
  type OutputFormat,
  type Variation,
} from '../variations/types.js';
import type { Warning } from '../warnings.js';
import { createLogoContext } from './logo-context.js';

export interface JobOptions {
  /** Variation ids, or 'all' (the default). */
  variations?: readonly string[] | 'all';
  /** Options per variation id, e.g. `{ recolor: { color: '#c00' } }`. */
  options?: Readonly<Record<string, Record<string, unknown> | undefined>>;
  limits?: Partial<DecodeLimits>;
  /** Variations run at once (default: available cores). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Run on this engine (worker threads, scheduler, cache) instead of in-process. */
  engine?: JobEngine;
  /** Scheduling class on an engine: interactive jobs go before batch jobs (default interactive). */
  priority?: 'interactive' | 'batch';
  /** Told when a variation starts running and when it is done or failed (progress for the service). */
  onTask?: TaskListener;
}

/** A variation's progress; `done` comes with its files, so that a service can show them at once. */
export type TaskListener = (
  variation: string,
  state: 'running' | 'done' | 'failed',
  files?: readonly OutputFile[],
) => void;

/** What runJob needs of an engine (src/engine/engine.ts implements it). */
export interface JobEngine {
  /** Waits until the job's memory fits, before decoding; resolves to the release function. */
  admit(input: Uint8Array): Promise<() => void>;
  runPlanned(
    decoded: DecodedLogo,
    inputBytes: number,
    plan: PlannedJob,
    opts: { signal?: AbortSignal; priority?: 'interactive' | 'batch'; onTask?: TaskListener },
  ): Promise<JobResult>;
}

export interface OutputRecord {
  variation: string;
  name: string;
  format: OutputFormat;
  mediaType: string;
  width?: number;
  height?: number;
  bytes: number;
  sha256: string;
  data: Buffer;
}

export interface VariationFailure {
  variation: string;
  code: string;
  message: string;
}

export interface JobResult {
  input: { format: string; width: number; height: number; bytes: number; sha256: string };
  background: { color: string | null; removed: boolean } | null;
  /** The art analysis (when a variation needed the cutout): every background and hole decision, with reasons. */
  analysis: ArtAnalysis | null;
  outputs: OutputRecord[];
  failures: VariationFailure[];
  /** The analysis's warnings, then each variation's (with its id), all with stable codes. */
  warnings: Warning[];
  durationMs: number;
}

export interface PlannedJob {
  variations: { variation: Variation; options: Record<string, unknown> }[];
  cutoutSettings: CutoutSettings;
}

/** What one variation gave: its files and anything it warned about. */
export interface VariationOutput {
  files: OutputFile[];
  warnings: Warning[];
}

/** Validates the variation list and every option; throws E_UNKNOWN_VARIATION / E_BAD_OPTION. */
export function planJob(opts: JobOptions = {}): PlannedJob {
  const given = opts.options ?? {};
  // every option given is checked, also for variations not chosen: a typo must not pass silently
  for (const [id, o] of Object.entries(given)) {
    const variation = findVariation(id);
    if (!variation) throw unknownVariation(id);
    parseOptions(variation.schema, o, id);
  }
  const ids =
    !opts.variations || opts.variations === 'all'
      ? VARIATIONS.map((v) => v.id)
      : [...new Set(opts.variations)];
  if (ids.length === 0)
    throw new LogomillError('E_BAD_OPTION', 'Expected at least one variation but received none');
  const variations = ids.map((id) => {
    const variation = findVariation(id);
    if (!variation) throw unknownVariation(id);
    return { variation, options: parseOptions(variation.schema, given[id], id) as Record<string, unknown> };
  });
  return { variations, cutoutSettings: parseOptions(transparentSchema, given.transparent, 'transparent') };
}

function unknownVariation(id: string): LogomillError {
  const known = VARIATIONS.map((v) => v.id).join(', ');
  return new LogomillError('E_UNKNOWN_VARIATION', `Unknown variation "${id}"; known variations: ${known}.`);
}

/** Runs a planned job on already-decoded input. */
export async function runPlannedJob(
  decoded: DecodedLogo,
  inputBytes: number,
  plan: PlannedJob,
  opts: Pick<JobOptions, 'concurrency' | 'signal' | 'onTask'> = {},
): Promise<JobResult> {
  const started = performance.now();
  const logo = createLogoContext(decoded, plan.cutoutSettings);
  const size = { width: decoded.image.width, height: decoded.image.height };
  const order = [...plan.variations].sort(
    (a, b) => b.variation.cost(size, b.options) - a.variation.cost(size, a.options),
  );
  const results = new Map<string, VariationOutput | VariationFailure>();

  // Shared intermediates first, once, so that variations running side by side do not race to build
  // them. One that fails (E_NO_ART) fails each variation that needs it, as on the engine.
  const needsCutout = order.some((v) => v.variation.needs.includes('cutout'));
  let cutoutError: LogomillError | null = null;
  if (needsCutout) {
    try {
      logo.cutout();
    } catch (err) {
      cutoutError = toLogomillError(err);
    }
  }

  const queue = [...order];
  const workers = Math.max(1, Math.min(opts.concurrency ?? availableParallelism(), queue.length));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { variation, options } = next;
        try {
          if (opts.signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
          if (cutoutError && variation.needs.includes('cutout')) throw cutoutError;
          opts.onTask?.(variation.id, 'running');
          const warnings: Warning[] = [];
          const warn = (code: Warning['code'], message: string) =>
            warnings.push({ code, message, variation: variation.id });
          const files = await variation.run({ logo, options, signal: opts.signal, warn });
          results.set(variation.id, { files, warnings });
          opts.onTask?.(variation.id, 'done', files);
        } catch (err) {
          const e = toLogomillError(err);
          results.set(variation.id, { variation: variation.id, code: e.code, message: e.message });
          opts.onTask?.(variation.id, 'failed');
        }
      }
    }),
  );

  const cutout = needsCutout && !cutoutError ? logo.cutout() : null;
  return assembleResult(decoded, inputBytes, plan, results, cutout, started);
}

/** What a job's shared cutout says about the background (for the result and the CLI line). */
export interface CutoutSummary {
  background: Rgb | null;
  removed: boolean;
  analysis: ArtAnalysis;
}

/** A variation's file as the result lists it: media type, size and content hash added. */
export function outputRecord(variation: string, f: OutputFile): OutputRecord {
  return {
    variation,
    name: f.name,
    format: f.format,
    mediaType: MEDIA_TYPES[f.format],
    width: f.width,
    height: f.height,
    bytes: f.data.length,
    sha256: createHash('sha256').update(f.data).digest('hex'),
    data: f.data,
  };
}

/** Builds the JobResult from each variation's files or failure, in the plan's order. */
export function assembleResult(
  decoded: DecodedLogo,
  inputBytes: number,
  plan: PlannedJob,
  results: Map<string, VariationOutput | VariationFailure>,
  cutout: CutoutSummary | null,
  started: number,
): JobResult {
  const outputs: OutputRecord[] = [];
  const failures: VariationFailure[] = [];
  const warnings: Warning[] = cutout ? [...cutout.analysis.warnings] : [];
  for (const { variation } of plan.variations) {
    const r = results.get(variation.id);
    if (!r) continue;
    if ('code' in r) {
      failures.push(r);
      continue;
    }
    for (const f of r.files) outputs.push(outputRecord(variation.id, f));
    warnings.push(...r.warnings);
  }
  return {
    input: {
      format: decoded.format,
      width: decoded.image.width,
      height: decoded.image.height,
      bytes: inputBytes,
      sha256: decoded.sha256,
    },
    background: cutout
      ? {
          color: cutout.background ? toHex(cutout.background) : null,
          removed: cutout.removed,
        }
      : null,
    analysis: cutout?.analysis ?? null,
    outputs,
    failures,
    warnings,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Validates, decodes and runs. Input errors throw a LogomillError; variation errors land in `failures`. */
export async function runJob(input: Uint8Array, opts: JobOptions = {}): Promise<JobResult> {
  const plan = planJob(opts);
  if (opts.engine) {
    const release = await opts.engine.admit(input);
    try {
      const decoded = await decodeLogo(input, opts.limits);
      return await opts.engine.runPlanned(decoded, input.length, plan, opts);
    } finally {
      release();
    }
  }
  const decoded = await decodeLogo(input, opts.limits);
  return runPlannedJob(decoded, input.length, plan, opts);
}

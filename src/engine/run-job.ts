/**
 * Runs one job: one logo, the chosen variations. Options are validated before
 * anything is decoded; the logo is decoded once; then the one executor
 * (executor.ts) runs the job's graph — in this thread, or on an engine's
 * worker pool when one is given.
 */
import { availableParallelism } from 'node:os';
import type { ArtAnalysis } from '../analysis/index.js';
import type { Rgb } from '../color/color.js';
import { LogomillError } from '../errors.js';
import { type DecodedLogo, type DecodeLimits, decodeLogo } from '../io/decode.js';
import { parseOptions } from '../options.js';
import { findVariation, VARIATIONS } from '../variations/registry.js';
import { cutoutSettingsSchema } from '../variations/shared/cutout-settings.js';
import type { CutoutSettings, OutputFile, OutputFormat, Variation } from '../variations/types.js';
import type { Warning } from '../warnings.js';
import { executePlan, INLINE_RUNNER, type IntermediateListener } from './executor.js';
import { checkMemoryFit, JOB_MEMORY } from './memory-fit.js';

export { outputRecord } from './executor.js';

export interface JobOptions {
  /** Variation ids, or 'all' (the default). */
  variations?: readonly string[] | 'all';
  /** Options per variation id, e.g. `{ recolor: { color: '#c00' } }`. */
  options?: Readonly<Record<string, Record<string, unknown> | undefined>>;
  /** The shared cutout's settings (default: the `transparent` options, which govern it). */
  cutout?: Partial<CutoutSettings>;
  limits?: Partial<DecodeLimits>;
  /**
   * Refuse with E_TOO_LARGE, from the header, an image whose job cannot fit in this many MB
   * (memory-fit.ts). Default: the engine's MEMORY_LIMIT_MB; none without an engine.
   */
  memoryLimitMb?: number;
  /** Variations run at once (default: available cores). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Run on this engine (worker threads, scheduler, cache) instead of in-process. */
  engine?: JobEngine;
  /** Scheduling class on an engine: interactive jobs go before batch jobs (default interactive). */
  priority?: 'interactive' | 'batch';
  /** Told when a variation starts running and when it is done or failed (progress for the service). */
  onTask?: TaskListener;
  /** Told of each shared intermediate (cutout, traces) as it is computed: once per logo. */
  onIntermediate?: IntermediateListener;
}

/** A variation's progress; `done` comes with its files, so that a service can show them at once. */
export type TaskListener = (
  variation: string,
  state: 'running' | 'done' | 'failed',
  files?: readonly OutputFile[],
) => void;

/** What runJob needs of an engine (src/engine/engine.ts implements it). */
export interface JobEngine {
  /** Its settings; MEMORY_LIMIT_MB is the default `memoryLimitMb` of its jobs. */
  readonly config?: { readonly MEMORY_LIMIT_MB: number };
  /** Waits until the job's memory fits, before decoding; resolves to the release function. */
  admit(input: Uint8Array): Promise<() => void>;
  /** A job whose every file is cached, answered without decoding; null when anything is missing. */
  fromCache?(
    input: Uint8Array,
    plan: PlannedJob,
    limits?: Partial<DecodeLimits>,
    onTask?: TaskListener,
  ): Promise<JobResult | null>;
  runPlanned(
    decoded: DecodedLogo,
    inputBytes: number,
    plan: PlannedJob,
    opts: Pick<JobOptions, 'signal' | 'priority' | 'onTask' | 'onIntermediate' | 'limits'>,
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
  const cutoutSettings = opts.cutout
    ? parseOptions(cutoutSettingsSchema, opts.cutout, 'cutout')
    : parseOptions(cutoutSettingsSchema, given.transparent, 'transparent');
  return { variations, cutoutSettings };
}

/** E_UNKNOWN_VARIATION with the list of known ids. */
export function unknownVariation(id: string): LogomillError {
  const known = VARIATIONS.map((v) => v.id).join(', ');
  return new LogomillError('E_UNKNOWN_VARIATION', `Unknown variation "${id}"; known variations: ${known}.`);
}

/** Runs a planned job on already-decoded input, in this thread. */
export function runPlannedJob(
  decoded: DecodedLogo,
  inputBytes: number,
  plan: PlannedJob,
  opts: Pick<JobOptions, 'concurrency' | 'signal' | 'onTask' | 'onIntermediate'> = {},
): Promise<JobResult> {
  return executePlan(decoded, inputBytes, plan, {
    runner: INLINE_RUNNER,
    concurrency: opts.concurrency ?? availableParallelism(),
    signal: opts.signal,
    onTask: opts.onTask,
    onIntermediate: opts.onIntermediate,
  });
}

/** What a job's shared cutout says about the background (for the result and the CLI line). */
export interface CutoutSummary {
  background: Rgb | null;
  removed: boolean;
  analysis: ArtAnalysis;
}

/** Validates, decodes and runs. Input errors throw a LogomillError; variation errors land in `failures`. */
export async function runJob(input: Uint8Array, opts: JobOptions = {}): Promise<JobResult> {
  const plan = planJob(opts);
  const memoryLimitMb = opts.memoryLimitMb ?? opts.engine?.config?.MEMORY_LIMIT_MB;
  if (memoryLimitMb) await checkMemoryFit(input, memoryLimitMb, JOB_MEMORY, opts.limits);
  if (opts.engine) {
    const release = await opts.engine.admit(input);
    try {
      const cached = await opts.engine.fromCache?.(input, plan, opts.limits, opts.onTask);
      if (cached) return cached;
      const decoded = await decodeLogo(input, opts.limits);
      return await opts.engine.runPlanned(decoded, input.length, plan, opts);
    } finally {
      release();
    }
  }
  const decoded = await decodeLogo(input, opts.limits);
  return runPlannedJob(decoded, input.length, plan, opts);
}

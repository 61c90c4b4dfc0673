/**
 * Runs one item (one logo of a job) on an engine and stores its files: the
 * one piece of work that the in-process runner and the queue workers share.
 *
 * An input the engine refuses (not an image, too large…) is the item's
 * final answer, returned as `{ error }`; anything else thrown (a crashed
 * worker, a full disk, a cancelled run) propagates so that the runner can
 * retry or hand the item back.
 */
import { logoManifest } from '../engine/manifest.js';
import { type JobEngine, outputRecord, runJob, type TaskListener } from '../engine/run-job.js';
import { LogomillError, toLogomillError, USER_ERROR_CODES } from '../errors.js';
import { DEFAULT_DECODE_LIMITS } from '../io/decode.js';
import { safeSegment } from '../io/write.js';
import type { OutputFile } from '../variations/types.js';
import type { ArtifactStore } from './artifacts.js';
import type { ErrorInfo, ItemResult, ItemWork, StoredOutput, TaskState } from './types.js';

export interface ProcessItemContext {
  engine: JobEngine;
  artifacts: ArtifactStore;
  /** Largest accepted input (bytes). */
  maxInputBytes: number;
}

/** Artifact key of an item's output file. */
export function outputKey(jobId: string, item: string, variation: string, name: string): string {
  return `${jobId}/${item}/${safeSegment(variation)}/${safeSegment(name, 'file')}`;
}

/** An item's progress: a variation's state, and with `done` its stored files. */
export type ItemTaskListener = (
  variation: string,
  state: Exclude<TaskState, 'pending'>,
  outputs?: StoredOutput[],
) => void;

function stored(key: string, variation: string, f: OutputFile): StoredOutput {
  const { data: _data, ...meta } = outputRecord(variation, f);
  return { ...meta, key };
}

export async function processItem(
  ctx: ProcessItemContext,
  work: ItemWork,
  onTask: ItemTaskListener,
  signal?: AbortSignal,
): Promise<{ result: ItemResult } | { error: ErrorInfo }> {
  const input = await ctx.artifacts.get(work.inputKey);
  if (!input) {
    return { error: { code: 'E_INPUT_NOT_FOUND', message: 'The uploaded logo is no longer stored.' } };
  }
  // each variation's files are stored as soon as it is done, so a client sees them while the rest run
  const writes: Promise<StoredOutput[]>[] = [];
  const onEngineTask: TaskListener = (variation, state, files) => {
    if (state !== 'done' || !files) {
      onTask(variation, state);
      return;
    }
    const write = Promise.all(
      files.map(async (f) => {
        // a job deleted while it ran must not leave files behind it
        if (signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
        const key = outputKey(work.jobId, work.name, variation, f.name);
        await ctx.artifacts.put(key, f.data);
        return stored(key, variation, f);
      }),
    );
    write.then((outputs) => onTask(variation, 'done', outputs)).catch(() => {});
    writes.push(write);
  };
  let job: Awaited<ReturnType<typeof runJob>>;
  try {
    job = await runJob(input, {
      variations: work.variations,
      options: work.options,
      engine: ctx.engine,
      limits: { ...DEFAULT_DECODE_LIMITS, maxInputBytes: ctx.maxInputBytes },
      signal,
      onTask: onEngineTask,
    });
  } catch (err) {
    await Promise.allSettled(writes);
    const e = toLogomillError(err);
    if (USER_ERROR_CODES.has(e.code)) return { error: { code: e.code, message: e.message } };
    throw e;
  }
  try {
    await Promise.all(writes);
  } catch (err) {
    throw await dropFilesOnNoSpace(ctx, work, err);
  }
  if (signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
  const outputs: StoredOutput[] = job.outputs.map(({ data: _data, ...meta }) => ({
    ...meta,
    key: outputKey(work.jobId, work.name, meta.variation, meta.name),
  }));
  const result: ItemResult = {
    input: job.input,
    background: job.background,
    analysis: job.analysis,
    warnings: job.warnings,
    outputs,
    failures: job.failures,
  };
  try {
    await ctx.artifacts.put(
      `${work.jobId}/${work.name}/manifest.json`,
      Buffer.from(`${JSON.stringify(itemManifest(work.name, result), null, 2)}\n`),
    );
  } catch (err) {
    throw await dropFilesOnNoSpace(ctx, work, err);
  }
  return { result };
}

/**
 * A full disk while storing results: the item's files so far are removed (a partial set is
 * worth nothing and holds the space) and the error becomes E_NO_SPACE, which runners do not retry.
 */
async function dropFilesOnNoSpace(ctx: ProcessItemContext, work: ItemWork, err: unknown): Promise<unknown> {
  const e = toLogomillError(err);
  if (e.code !== 'E_NO_SPACE') return err;
  await ctx.artifacts.deletePrefix(`${work.jobId}/${work.name}`).catch(() => {});
  return e;
}

/** The item's manifest.json, the same shape the CLI writes (src/engine/manifest.ts). */
export function itemManifest(name: string, r: ItemResult): Record<string, unknown> {
  return logoManifest(name, r);
}

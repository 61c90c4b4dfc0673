/**
 * Long file: the whole job graph (cache, intermediates, fan-out, results) in one place is the
 * point of the one executor.
 *
 * The one executor: runs a planned job's graph, for the library (in-process),
 * the CLI, the service and the queue workers (on the engine's worker pool)
 * alike. What differs is only the TaskRunner that runs each task.
 *
 * The graph: cache look-ups (when there is a cache) → the shared intermediates
 * the variations that missed declare (the cutout, then each distinct trace of
 * it: intermediates.ts), each one task, computed once → one task per variation,
 * or several subtasks for a variation that splits into parts (Variation.split)
 * when the runner has workers to spread them on. A variation waits only for the
 * intermediates it reads; the others start at once. Costliest first, at most
 * `concurrency` tasks of the job at a time; one failing variation does not sink
 * the others, and an intermediate that fails fails exactly its readers.
 */
import { createHash } from 'node:crypto';
import { cacheKey, type ResultCache } from '../cache/index.js';
import { toHex } from '../color/color.js';
import { LogomillError, toLogomillError } from '../errors.js';
import { DEFAULT_DECODE_LIMITS, type DecodedLogo, type DecodeLimits } from '../io/decode.js';
import { traceCost } from '../variations/shared/vector-files.js';
import { MEDIA_TYPES, type OutputFile } from '../variations/types.js';
import type { VectorImage } from '../vector/path.js';
import type { Warning } from '../warnings.js';
import { CUTOUT, type Intermediate, needsCutout, tracesOf } from './intermediates.js';
import { limiter } from './limiter.js';
import type {
  CutoutSummary,
  JobResult,
  OutputRecord,
  PlannedJob,
  TaskListener,
  VariationFailure,
  VariationOutput,
} from './run-job.js';
import { planFanOut } from './scheduler.js';
import { type SharedCutout, share, unshare } from './shared-image.js';
import { type PartsReply, runTask, type WorkerTask } from './tasks.js';

/** What the executor tells a runner about a task. */
export interface TaskSpec {
  /** For logs and stats, e.g. "1a2b3c4d/vector-color". */
  label: string;
  /** Estimated cost (≈ ms on one core). */
  cost: number;
  /** Estimated peak memory (MB). */
  memoryMb: number;
  signal?: AbortSignal;
  /** Called when the task actually starts (after queueing). */
  onStart?: () => void;
}

/** Runs tasks: in-process (INLINE_RUNNER) or on the engine's scheduler and worker pool. */
export interface TaskRunner {
  /** How many subtasks one variation may fan out into now (1: it runs whole). */
  fanOutWidth(): number;
  /** Resolves to the task's value; rejects with a LogomillError. */
  run<T>(task: WorkerTask, spec: TaskSpec): Promise<T>;
}

/** Told once per intermediate computed for a logo (its sha256). */
export type IntermediateListener = (intermediate: Intermediate, logo: string) => void;

export interface ExecuteOptions {
  runner: TaskRunner;
  /** With a cache: the key under which to note the decoded input (see resultFromCache). */
  inputNoteKey?: string;
  /** Tasks of this job running at once. */
  concurrency: number;
  cache?: ResultCache | null;
  signal?: AbortSignal;
  onTask?: TaskListener;
  onIntermediate?: IntermediateListener;
}

/** Runs every task in this thread, one after the other as the job's concurrency allows. */
export const INLINE_RUNNER: TaskRunner = {
  fanOutWidth: () => 1,
  async run<T>(task: WorkerTask, spec: TaskSpec): Promise<T> {
    if (spec.signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
    spec.onStart?.();
    const reply = await runTask(task);
    if (reply.ok) return reply.value as T;
    throw new LogomillError(reply.code as never, reply.message);
  },
};

/** Peak memory of a task from the image size and the task's bytes per pixel, plus a fixed 16 MB. */
export function memoryEstimateMb(width: number, height: number, bytesPerPixel: number): number {
  return 16 + (width * height * bytesPerPixel) / 1048576;
}

/** Background removal keeps about a dozen full-size planes (distances, labels, queues, the result). */
export const CUTOUT_BYTES_PER_PIXEL = 40;
/** The colour tracer's planes (labels, masks, the planar map). */
const TRACE_BYTES_PER_PIXEL = 28;

const toBuffer = (d: Uint8Array): Buffer =>
  Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.length);

/** Parts of a fanned-out variation may each raise the same warning: keep one. */
function dedupe(warnings: Warning[]): Warning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const k = `${w.code}\n${w.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A variation's warnings travel in its cache entry as one trailing JSON record with this name. */
const WARNINGS_RECORD = '.warnings.json';

function toCacheEntry(out: VariationOutput): OutputFile[] {
  if (!out.warnings.length) return out.files;
  const data = Buffer.from(JSON.stringify(out.warnings));
  return [...out.files, { name: WARNINGS_RECORD, format: 'json', data }];
}

function fromCacheEntry(files: OutputFile[]): VariationOutput {
  const last = files.at(-1);
  if (last?.name !== WARNINGS_RECORD) return { files, warnings: [] };
  return { files: files.slice(0, -1), warnings: JSON.parse(last.data.toString('utf8')) as Warning[] };
}

export async function executePlan(
  decoded: DecodedLogo,
  inputBytes: number,
  plan: PlannedJob,
  o: ExecuteOptions,
): Promise<JobResult> {
  const started = performance.now();
  const onTask = o.onTask ?? (() => {});
  const { width, height } = decoded.image;
  const size = { width, height };
  const settings = plan.cutoutSettings;
  const tag = decoded.sha256.slice(0, 8);
  const announce = (i: Intermediate) => o.onIntermediate?.({ name: i.name, key: i.key }, decoded.sha256);

  if (o.cache && o.inputNoteKey) await o.cache.set(o.inputNoteKey, [inputNote(decoded)]);
  const results = new Map<string, VariationOutput | VariationFailure>();
  const keys = new Map<string, string>();
  const misses: PlannedJob['variations'] = [];
  for (const v of plan.variations) {
    const key = cacheKey(decoded.sha256, v.variation.id, v.options, settings);
    keys.set(v.variation.id, key);
    const hit = o.cache ? await o.cache.get(key) : null;
    if (hit) {
      const out = fromCacheEntry(hit);
      results.set(v.variation.id, out);
      onTask(v.variation.id, 'done', out.files);
    } else misses.push(v);
  }
  const cost = (v: PlannedJob['variations'][number]) => v.variation.cost(size, v.options);
  // costliest first, so that the per-job limit lets the longest tasks start first
  misses.sort((a, b) => cost(b) - cost(a));
  const limit = limiter(Math.max(1, o.concurrency));
  const image = share(decoded.image);
  // from here on the job reads the shared copy only, so the decoder's buffer can be freed
  decoded.image = unshare(image);

  // The cutout: one task that its readers wait for. Its cost counts its readers', so that it
  // is scheduled early: it is on the critical path.
  const readers = misses.filter((v) => needsCutout(v.variation, v.options));
  const summaryKey = cacheKey(decoded.sha256, '_cutout', {}, settings);
  let summary: CutoutSummary | null = null;
  let cutoutReady: Promise<SharedCutout | LogomillError | null> = Promise.resolve(null);
  if (plan.variations.some((v) => needsCutout(v.variation, v.options))) {
    // all hits: the cached summary is enough for the result's background line
    const cached = o.cache && misses.length === 0 ? await o.cache.get(summaryKey) : null;
    if (cached?.[0]) summary = JSON.parse(cached[0].data.toString('utf8')) as CutoutSummary;
    else {
      cutoutReady = limit(() => {
        announce(CUTOUT);
        return o.runner.run<SharedCutout>(
          { kind: 'cutout', image, settings },
          {
            label: `${tag}/cutout`,
            cost: (width * height) / 20000 + readers.reduce((n, v) => n + cost(v), 0),
            memoryMb: memoryEstimateMb(width, height, CUTOUT_BYTES_PER_PIXEL),
            signal: o.signal,
          },
        );
      }).then(
        async (c) => {
          summary = { background: c.background, removed: c.removed, analysis: c.analysis };
          await o.cache?.set(summaryKey, [
            { name: 'cutout.json', format: 'json', data: Buffer.from(JSON.stringify(summary)) },
          ]);
          return c;
        },
        (err) => toLogomillError(err),
      );
    }
  }

  // Each distinct trace of the cutout: one task once the cutout is there.
  const traces = new Map<string, Promise<VectorImage | LogomillError>>();
  for (const v of readers) {
    for (const it of tracesOf(v.variation, v.options)) {
      if (traces.has(it.key)) continue;
      const its = readers.filter((r) => tracesOf(r.variation, r.options).some((t) => t.key === it.key));
      traces.set(
        it.key,
        cutoutReady.then((c) => {
          if (!(c && 'full' in c)) return c ?? new LogomillError('E_INTERNAL', 'The cutout is missing.');
          return limit(() => {
            announce(it);
            return o.runner.run<VectorImage>(
              { kind: 'trace', cutout: c, options: it.trace ?? {} },
              {
                label: `${tag}/${it.name}`,
                cost:
                  traceCost(size, it.name === 'colorTrace' ? 4 : 1) + its.reduce((n, r) => n + cost(r), 0),
                memoryMb: memoryEstimateMb(width, height, TRACE_BYTES_PER_PIXEL),
                signal: o.signal,
              },
            );
          }).catch((err) => toLogomillError(err));
        }),
      );
    }
  }

  await Promise.all(
    misses.map(async ({ variation, options }) => {
      try {
        // without an intermediate it reads, a variation fails with that intermediate's error
        let cutout: SharedCutout | null = null;
        const ready: [string, VectorImage][] = [];
        if (needsCutout(variation, options)) {
          const c = await cutoutReady;
          if (c instanceof LogomillError) throw c;
          cutout = c;
          for (const it of tracesOf(variation, options)) {
            const t = await traces.get(it.key);
            if (t instanceof LogomillError) throw t;
            if (t) ready.push([it.key, t]);
          }
        }
        // a variation that splits fans out into subtasks, as wide as its cost and the runner allow
        const width = o.runner.fanOutWidth();
        const parts = variation.split && width > 1 ? variation.split(options) : [options];
        const costs = parts.map((p) => variation.cost(size, p));
        const groups = planFanOut(costs, width);
        const perPart: OutputFile[][] = [];
        const warnings: Warning[] = [];
        let running = false;
        const onStart = () => {
          if (!running) onTask(variation.id, 'running');
          running = true;
        };
        await Promise.all(
          groups.map(async (group, g) => {
            const reply = await limit(() =>
              o.runner.run<PartsReply>(
                {
                  kind: 'variation',
                  image,
                  sourceFormat: decoded.format,
                  settings,
                  cutout,
                  traces: ready,
                  variation: variation.id,
                  parts: group.map((i) => parts[i]),
                },
                {
                  label: `${tag}/${variation.id}${groups.length > 1 ? `#${g + 1}` : ''}`,
                  cost: group.reduce((n, i) => n + costs[i], 0),
                  memoryMb: memoryEstimateMb(width, height, variation.memoryPerPixel ?? 12),
                  signal: o.signal,
                  onStart,
                },
              ),
            );
            group.forEach((i, k) => {
              perPart[i] = reply.files[k];
            });
            warnings.push(...reply.warnings);
            for (const i of reply.computed) announce(i);
          }),
        );
        const files = perPart.flat().map((f) => ({ ...f, data: toBuffer(f.data) }));
        const out = { files, warnings: dedupe(warnings) };
        results.set(variation.id, out);
        await o.cache?.set(keys.get(variation.id) as string, toCacheEntry(out));
        onTask(variation.id, 'done', files);
      } catch (err) {
        const e = toLogomillError(err);
        results.set(variation.id, { variation: variation.id, code: e.code, message: e.message });
        onTask(variation.id, 'failed');
      }
    }),
  );
  return assembleResult(decoded, inputBytes, plan, results, summary, started);
}

/** What the cache keeps about a decoded input: enough to answer a fully cached job without decoding. */
interface InputNote {
  format: string;
  width: number;
  height: number;
}

function inputNote(decoded: DecodedLogo): OutputFile {
  const note: InputNote = {
    format: decoded.format,
    width: decoded.image.width,
    height: decoded.image.height,
  };
  return { name: 'input.json', format: 'json', data: Buffer.from(JSON.stringify(note)) };
}

/**
 * The key of an input's note: its bytes and the decode limits it was decoded under (the same
 * bytes under other limits may decode otherwise, or not at all).
 */
export function inputNoteKey(sha256: string, limits: Partial<DecodeLimits> = {}): string {
  return cacheKey(sha256, '_input', { ...DEFAULT_DECODE_LIMITS, ...limits }, null);
}

/**
 * A job whose every file is in the cache, answered without decoding the input or starting a
 * worker: the input's note, each variation's entry and (when a variation reads it) the cutout's
 * summary must all be there. Null as soon as one is missing; the job then runs as usual.
 */
export async function resultFromCache(
  input: Uint8Array,
  plan: PlannedJob,
  cache: ResultCache,
  limits: Partial<DecodeLimits> | undefined,
  onTask?: TaskListener,
): Promise<JobResult | null> {
  const started = performance.now();
  const sha256 = createHash('sha256').update(input).digest('hex');
  const note = await cache.get(inputNoteKey(sha256, limits));
  if (!note?.[0]) return null;
  const { format, width, height } = JSON.parse(note[0].data.toString('utf8')) as InputNote;
  const settings = plan.cutoutSettings;
  let summary: CutoutSummary | null = null;
  if (plan.variations.some((v) => needsCutout(v.variation, v.options))) {
    const s = await cache.get(cacheKey(sha256, '_cutout', {}, settings));
    if (!s?.[0]) return null;
    summary = JSON.parse(s[0].data.toString('utf8')) as CutoutSummary;
  }
  const results = new Map<string, VariationOutput>();
  for (const v of plan.variations) {
    const hit = await cache.get(cacheKey(sha256, v.variation.id, v.options, settings));
    if (!hit) return null;
    results.set(v.variation.id, fromCacheEntry(hit));
  }
  for (const [id, out] of results) onTask?.(id, 'done', out.files);
  const decoded = { format, sha256, image: { width, height, data: new Uint8Array(0) } } as DecodedLogo;
  return assembleResult(decoded, input.length, plan, results, summary, started);
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
function assembleResult(
  decoded: DecodedLogo,
  inputBytes: number,
  plan: PlannedJob,
  results: ReadonlyMap<string, VariationOutput | VariationFailure>,
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
      ? { color: cutout.background ? toHex(cutout.background) : null, removed: cutout.removed }
      : null,
    analysis: cutout?.analysis ?? null,
    outputs,
    failures,
    warnings,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * The engine: jobs become tasks on a worker-thread pool, ordered and admitted
 * by the scheduler, watched by the monitor, short-circuited by the result
 * cache.
 *
 * A job's graph: decode (main thread, libvips) → cutout (one worker task, when
 * a variation needs it) → one task per variation that missed the cache, or
 * several subtasks for a variation that splits into parts (Variation.split). The
 * decoded pixels and the cutout travel to workers in SharedArrayBuffers. Every
 * variation's files are cached under a content key; a job whose every
 * variation hits the cache runs no task at all.
 *
 * @example
 *   const engine = new Engine();
 *   const result = await runJob(bytes, { variations: ['transparent', 'vector'], engine });
 *   console.log(engine.stats().score);
 *   await engine.close();
 */
import { EventEmitter } from 'node:events';
import sharp from 'sharp';
import { cacheKey, type ResultCache } from '../cache/index.js';
import { type EngineConfig, resolveConfig } from '../config.js';
import { LogomillError, toLogomillError } from '../errors.js';
import type { DecodedLogo } from '../io/decode.js';
import type { OutputFile } from '../variations/types.js';
import type { Warning } from '../warnings.js';
import { limiter } from './limiter.js';
import { type EngineSample, Monitor } from './monitor.js';
import { WorkerPool } from './pool.js';
import type {
  CutoutSummary,
  JobEngine,
  JobResult,
  PlannedJob,
  TaskListener,
  VariationFailure,
  VariationOutput,
} from './run-job.js';
import { assembleResult } from './run-job.js';
import { type Priority, planFanOut, Scheduler } from './scheduler.js';
import { type SharedCutout, share, unshare } from './shared-image.js';
import type { WorkerTask } from './worker.js';

export interface EngineOptions {
  config?: EngineConfig;
  cache?: ResultCache | null;
  /** Log lines (worker-count changes, retries, cache trouble); default: none. */
  log?: (message: string) => void;
  /** Worker module; default: worker.js next to this file (tests under tsx pass the .ts). */
  workerFile?: string;
}

export interface EngineStats {
  maxWorkers: number;
  effectiveWorkers: number;
  threads: number;
  queueDepth: number;
  running: number;
  tasksDone: number;
  tasksFailed: number;
  tasksRetried: number;
  /** Median and 95th percentile of task wall times (ms). */
  taskMs: { p50: number; p95: number };
  cache: ReturnType<ResultCache['stats']> | null;
  peakRssMb: number;
  sample: EngineSample | null;
  score: number | null;
}

/** Peak memory of a task from the image size and the task's bytes per pixel, plus a fixed 16 MB. */
function memoryEstimateMb(width: number, height: number, bytesPerPixel: number): number {
  return 16 + (width * height * bytesPerPixel) / 1048576;
}

/** Background removal keeps about a dozen full-size planes (distances, labels, queues, the result). */
const CUTOUT_BYTES_PER_PIXEL = 40;

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

export class Engine extends EventEmitter implements JobEngine {
  readonly config: EngineConfig;
  private readonly pool: WorkerPool;
  private readonly scheduler: Scheduler;
  private readonly monitor: Monitor;
  private readonly cache: ResultCache | null;
  private readonly log: (message: string) => void;
  private jobSeq = 0;
  private done = 0;
  private failed = 0;
  private readonly durations: number[] = [];

  constructor(opts: EngineOptions = {}) {
    super();
    this.config = opts.config ?? resolveConfig().config;
    this.cache = opts.cache ?? null;
    this.log = opts.log ?? (() => {});
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    this.pool = new WorkerPool({
      filename: opts.workerFile ?? new URL(`./worker${ext}`, import.meta.url).href,
      threads: this.config.MAX_WORKERS,
      timeoutMs: this.config.TASK_TIMEOUT_MS,
      log: this.log,
    });
    this.scheduler = new Scheduler({
      maxWorkers: this.config.MAX_WORKERS,
      memoryLimitMb: this.config.MEMORY_LIMIT_MB,
      minFreeMemoryPct: this.config.MIN_FREE_MEMORY_PCT,
      log: this.log,
    });
    this.scheduler.on('workers', (e) => this.emit('workers', e));
    this.scheduler.on('start', (label: string) => this.emit('task-start', label));
    this.scheduler.on('done', (label: string) => this.emit('task-done', label));
    this.monitor = new Monitor({
      queueDepth: () => this.scheduler.queueDepth,
      running: () => this.scheduler.runningCount,
      effectiveWorkers: () => this.scheduler.effectiveWorkers,
      finished: () => this.done + this.failed,
      troubled: () => this.failed + this.pool.retried,
      memoryLimitMb: this.config.MEMORY_LIMIT_MB,
      tick: () => this.scheduler.tick(),
    });
    this.monitor.on('sample', (s: EngineSample) => this.emit('sample', s));
  }

  /** Runs one task through scheduler and pool, counting and timing it. */
  private async task<T>(
    label: string,
    priority: Priority,
    jobSeq: number,
    cost: number,
    memoryMb: number,
    work: WorkerTask,
    signal?: AbortSignal,
    onStart?: () => void,
  ): Promise<T> {
    this.monitor.start();
    return this.scheduler.submit({
      label,
      priority,
      jobSeq,
      cost,
      memoryMb,
      run: async () => {
        onStart?.();
        const t = performance.now();
        try {
          const v = await this.pool.run<T>(work, label, signal);
          this.done++;
          return v;
        } catch (err) {
          this.failed++;
          throw err;
        } finally {
          this.durations.push(performance.now() - t);
          if (this.durations.length > 2000) this.durations.splice(0, 1000);
          if (this.scheduler.queueDepth === 0 && this.scheduler.runningCount <= 1) this.monitor.sample();
        }
      },
    });
  }

  async runPlanned(
    decoded: DecodedLogo,
    inputBytes: number,
    plan: PlannedJob,
    opts: { signal?: AbortSignal; priority?: Priority; onTask?: TaskListener } = {},
  ): Promise<JobResult> {
    const started = performance.now();
    const onTask = opts.onTask ?? (() => {});
    const jobSeq = this.jobSeq++;
    const priority = opts.priority ?? 'interactive';
    const { width, height } = decoded.image;
    const settings = plan.cutoutSettings;
    const results = new Map<string, VariationOutput | VariationFailure>();
    const keys = new Map<string, string>();
    const misses: PlannedJob['variations'] = [];
    for (const v of plan.variations) {
      const key = cacheKey(decoded.sha256, v.variation.id, v.options, settings);
      keys.set(v.variation.id, key);
      const hit = this.cache ? await this.cache.get(key) : null;
      if (hit) {
        const out = fromCacheEntry(hit);
        results.set(v.variation.id, out);
        onTask(v.variation.id, 'done', out.files);
      } else misses.push(v);
    }
    const needsCutout = plan.variations.some((v) => v.variation.needs.includes('cutout'));
    const summaryKey = cacheKey(decoded.sha256, '_cutout', {}, settings);
    let summary: CutoutSummary | null = null;
    const limit = limiter(this.config.CONCURRENT_TASKS);
    // costliest first, so that the per-job limit lets the longest tasks start first
    misses.sort(
      (a, b) =>
        b.variation.cost({ width, height }, b.options) - a.variation.cost({ width, height }, a.options),
    );
    const image = share(decoded.image);
    // from here on the job reads the shared copy only, so the decoder's buffer can be freed
    decoded.image = unshare(image);
    // The cutout is a task of its own that the variations needing it wait for; the others
    // start at once. Its cost counts its dependents', so that it is scheduled early.
    const dependents = misses.filter((v) => v.variation.needs.includes('cutout'));
    let cutoutReady: Promise<SharedCutout | LogomillError | null> = Promise.resolve(null);
    if (needsCutout) {
      const cached = this.cache && misses.length === 0 ? await this.cache.get(summaryKey) : null;
      if (cached?.[0]) summary = JSON.parse(cached[0].data.toString('utf8')) as CutoutSummary;
      else {
        const cost =
          (width * height) / 20000 +
          dependents.reduce((n, v) => n + v.variation.cost({ width, height }, v.options), 0);
        cutoutReady = limit(() =>
          this.task<SharedCutout>(
            `${decoded.sha256.slice(0, 8)}/cutout`,
            priority,
            jobSeq,
            cost,
            memoryEstimateMb(width, height, CUTOUT_BYTES_PER_PIXEL),
            { kind: 'cutout', image, settings },
            opts.signal,
          ),
        ).then(
          async (c) => {
            summary = { background: c.background, removed: c.removed, analysis: c.analysis };
            await this.cache?.set(summaryKey, [
              { name: 'cutout.json', format: 'json', data: Buffer.from(JSON.stringify(summary)) },
            ]);
            return c;
          },
          (err) => toLogomillError(err),
        );
      }
    }
    await Promise.all(
      misses.map(async ({ variation, options }) => {
        let shared: SharedCutout | null = null;
        if (variation.needs.includes('cutout')) {
          const c = await cutoutReady;
          if (c instanceof LogomillError) {
            // without the cutout, every variation that needs it fails with the cutout's error
            results.set(variation.id, { variation: variation.id, code: c.code, message: c.message });
            onTask(variation.id, 'failed');
            return;
          }
          shared = c;
        }
        try {
          // a variation that splits fans out into subtasks, as wide as its cost and the free workers allow
          const size = { width, height };
          const parts =
            variation.split && this.config.SUBTASK_WORKERS > 1 ? variation.split(options) : [options];
          const costs = parts.map((o) => variation.cost(size, o));
          const groups = planFanOut(
            costs,
            Math.min(this.config.SUBTASK_WORKERS, this.scheduler.effectiveWorkers),
          );
          const perPart: OutputFile[][] = [];
          const warnings: Warning[] = [];
          let started = false;
          const onStart = () => {
            if (!started) onTask(variation.id, 'running');
            started = true;
          };
          await Promise.all(
            groups.map(async (group, g) => {
              const label = `${decoded.sha256.slice(0, 8)}/${variation.id}${groups.length > 1 ? `#${g + 1}` : ''}`;
              const reply = await limit(() =>
                this.task<{ files: OutputFile[][]; warnings: Warning[] }>(
                  label,
                  priority,
                  jobSeq,
                  group.reduce((n, i) => n + costs[i], 0),
                  memoryEstimateMb(width, height, variation.memoryPerPixel ?? 12),
                  {
                    kind: 'variation',
                    image,
                    sourceFormat: decoded.format,
                    settings,
                    cutout: shared,
                    variation: variation.id,
                    parts: group.map((i) => parts[i]),
                  },
                  opts.signal,
                  onStart,
                ),
              );
              group.forEach((i, k) => {
                perPart[i] = reply.files[k];
              });
              warnings.push(...reply.warnings);
            }),
          );
          const files = perPart.flat();
          const fixed = files.map((f) => ({ ...f, data: toBuffer(f.data) }));
          const out = { files: fixed, warnings: dedupe(warnings) };
          results.set(variation.id, out);
          await this.cache?.set(keys.get(variation.id) as string, toCacheEntry(out));
          onTask(variation.id, 'done', fixed);
        } catch (err) {
          const e = err instanceof LogomillError ? err : toLogomillError(err);
          results.set(variation.id, { variation: variation.id, code: e.code, message: e.message });
          onTask(variation.id, 'failed');
        }
      }),
    );
    return assembleResult(decoded, inputBytes, plan, results, summary, started);
  }

  /**
   * Reserves a job's memory before it is decoded (see Scheduler.reserve): the
   * pixel count comes from the header; the job holds the decoded image and its
   * shared cutout (4 + 4 bytes per pixel) plus, at worst, the cutout task's
   * working memory.
   */
  async admit(input: Uint8Array): Promise<() => void> {
    // SVGs (text starting with "<") are rasterised at 2048 px on their longest side; they are
    // not handed to libvips before the decoder has sanitised them
    let pixels = 2048 * 2048;
    const head = Buffer.from(input.subarray(0, 512))
      .toString('latin1')
      .trimStart()
      .replace(/^\uFEFF/, '');
    if (!head.startsWith('<')) {
      try {
        const meta = await sharp(input, { limitInputPixels: false }).metadata();
        pixels = (meta.width ?? 1000) * (meta.height ?? 1000);
      } catch {
        pixels = 1_000_000; // unreadable: decoding will say why, with the proper error
      }
    }
    return this.scheduler.reserve(
      memoryEstimateMb(Math.sqrt(pixels), Math.sqrt(pixels), 8 + CUTOUT_BYTES_PER_PIXEL),
    );
  }

  /**
   * Starts every worker thread and loads its modules (sharp, the variations),
   * so that the first job does not pay for it. Services call this at start-up.
   */
  async warmUp(): Promise<void> {
    await Promise.all(
      Array.from({ length: this.config.MAX_WORKERS }, (_, k) =>
        this.pool.run({ kind: 'ping' }, `warm-up ${k}`),
      ),
    );
  }

  stats(): EngineStats {
    const sorted = [...this.durations].sort((a, b) => a - b);
    const q = (p: number) =>
      sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]) : 0;
    const sample = this.monitor.last;
    return {
      maxWorkers: this.config.MAX_WORKERS,
      effectiveWorkers: this.scheduler.effectiveWorkers,
      threads: this.pool.threads,
      queueDepth: this.scheduler.queueDepth,
      running: this.scheduler.runningCount,
      tasksDone: this.done,
      tasksFailed: this.failed,
      tasksRetried: this.pool.retried,
      taskMs: { p50: q(0.5), p95: q(0.95) },
      cache: this.cache?.stats() ?? null,
      peakRssMb: Math.round(this.monitor.peakRssMb),
      sample,
      score: sample?.score ?? null,
    };
  }

  async close(): Promise<void> {
    this.monitor.stop();
    await this.pool.close();
    await this.cache?.close();
  }
}

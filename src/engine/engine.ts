/**
 * The engine: jobs become tasks on a worker-thread pool, ordered and admitted
 * by the scheduler, watched by the monitor, short-circuited by the result
 * cache. The job's graph itself is the one executor's (executor.ts); the
 * engine is its TaskRunner. The decoded pixels and the cutout travel to
 * workers in SharedArrayBuffers.
 *
 * Events: `intermediate` ({ logo, name, key }) for each shared intermediate
 * computed, `task-start` / `task-done` (label), `workers`, `sample`.
 *
 * @example
 *   const engine = new Engine();
 *   const result = await runJob(bytes, { variations: ['transparent', 'vector'], engine });
 *   console.log(engine.stats().score);
 *   await engine.close();
 */
import { EventEmitter } from 'node:events';
import sharp from 'sharp';
import type { ResultCache } from '../cache/index.js';
import { type EngineConfig, resolveConfig } from '../config.js';
import type { DecodedLogo, DecodeLimits } from '../io/decode.js';
import {
  CUTOUT_BYTES_PER_PIXEL,
  executePlan,
  inputNoteKey,
  memoryEstimateMb,
  resultFromCache,
  type TaskRunner,
  type TaskSpec,
} from './executor.js';
import type { IntermediateName } from './intermediates.js';
import { type EngineSample, Monitor } from './monitor.js';
import { WorkerPool } from './pool.js';
import type { JobEngine, JobOptions, JobResult, PlannedJob, TaskListener } from './run-job.js';
import { type Priority, Scheduler } from './scheduler.js';
import type { WorkerTask } from './tasks.js';

/** The `intermediate` event's payload. */
export interface IntermediateEvent {
  /** sha256 of the logo's input bytes. */
  logo: string;
  name: IntermediateName;
  key: string;
}

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

export class Engine extends EventEmitter implements JobEngine {
  readonly config: EngineConfig;
  private readonly pool: WorkerPool;
  private readonly scheduler: Scheduler;
  private readonly monitor: Monitor;
  private readonly cache: ResultCache | null;
  private readonly log: (message: string) => void;
  private jobSeq = 0;
  private prestarted = false;
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
    // without a cache every job needs the workers: start them now
    if (!this.cache) this.prestart();
  }

  /** Runs one task through scheduler and pool, counting and timing it. */
  private async task<T>(work: WorkerTask, spec: TaskSpec, priority: Priority, jobSeq: number): Promise<T> {
    this.monitor.start();
    return this.scheduler.submit({
      label: spec.label,
      priority,
      jobSeq,
      cost: spec.cost,
      memoryMb: spec.memoryMb,
      run: async () => {
        spec.onStart?.();
        const t = performance.now();
        try {
          const v = await this.pool.run<T>(work, spec.label, spec.signal);
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

  /** Runs a planned job on already-decoded input: the executor's graph, on this engine's workers. */
  runPlanned(
    decoded: DecodedLogo,
    inputBytes: number,
    plan: PlannedJob,
    opts: Pick<JobOptions, 'signal' | 'priority' | 'onTask' | 'onIntermediate' | 'limits'> = {},
  ): Promise<JobResult> {
    this.prestart();
    const jobSeq = this.jobSeq++;
    const priority = opts.priority ?? 'interactive';
    const runner: TaskRunner = {
      fanOutWidth: () =>
        this.config.SUBTASK_WORKERS > 1
          ? Math.min(this.config.SUBTASK_WORKERS, this.scheduler.effectiveWorkers)
          : 1,
      run: (task, spec) => this.task(task, spec, priority, jobSeq),
    };
    return executePlan(decoded, inputBytes, plan, {
      runner,
      inputNoteKey: inputNoteKey(decoded.sha256, opts.limits),
      concurrency: this.config.CONCURRENT_TASKS,
      cache: this.cache,
      signal: opts.signal,
      onTask: opts.onTask,
      onIntermediate: (i, logo) => {
        this.emit('intermediate', { logo, name: i.name, key: i.key } satisfies IntermediateEvent);
        opts.onIntermediate?.(i, logo);
      },
    });
  }

  /** A job whose every file is cached, from the cache alone (no decoding, no worker); else null. */
  fromCache(
    input: Uint8Array,
    plan: PlannedJob,
    limits?: Partial<DecodeLimits>,
    onTask?: TaskListener,
  ): Promise<JobResult | null> {
    return this.cache ? resultFromCache(input, plan, this.cache, limits, onTask) : Promise.resolve(null);
  }

  /**
   * Starts the workers (loading their modules) without waiting for them, so that they are ready
   * by the time the main thread has decoded the logo. Called when work is sure to come: at once
   * without a cache, else when a job misses it.
   */
  prestart(): void {
    if (this.prestarted) return;
    this.prestarted = true;
    this.warmUp().catch(() => {}); // a worker that cannot start fails the task that needs it, with its error
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

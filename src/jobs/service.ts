/**
 * The job service: what the HTTP API calls. It puts together the parts of the job domain —
 * intake (intake.ts: checks, stores and commits new jobs), the runner's sink (sink.ts: records
 * what a runner reports), store writes that wait out a full disk (store-writes.ts), timing
 * (timing.ts) and retention (retention.ts) — and tells listeners about every change:
 * `change` (jobId, or jobId and the deleted job's record), `finished` (jobId, state),
 * `task-time` (variation, seconds, state) and `writable` (the disk has room again).
 *
 * @example
 *   const service = new JobService({ store, artifacts, config });
 *   service.useRunner(new LocalRunner(service.sink, ctx, 2));
 *   await service.start();
 *   const id = await service.intake.create([{ name: 'acme.png', data }], { variations: ['favicon'], options: {} });
 */
import { EventEmitter } from 'node:events';
import { statfs } from 'node:fs/promises';
import { LogomillError } from '../errors.js';
import type { ArtifactStore } from './artifacts.js';
import { JobIntake, type ServiceConfig, type UrlFetcher } from './intake.js';
import { sweep } from './retention.js';
import type { Runner, RunnerSink } from './runner.js';
import { serviceSink } from './sink.js';
import type { JobStore } from './store.js';
import { StoreWrites } from './store-writes.js';
import { JobTiming } from './timing.js';
import type { JobRecord, JobRequest } from './types.js';

export type { ServiceConfig, Submitter } from './intake.js';

const SWEEP_MS = 10 * 60_000;

export class JobService extends EventEmitter {
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly sink: RunnerSink;
  readonly intake: JobIntake;
  /** Store writes; they wait while the disk is full (no new work starts meanwhile). */
  readonly writes: StoreWrites;
  private runner: Runner | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly requests = new Map<string, JobRequest>();
  private readonly log: (message: string) => void;

  constructor(
    private readonly opts: {
      store: JobStore;
      artifacts: ArtifactStore;
      config: ServiceConfig;
      /** Fetches logo URLs (none: jobs from URLs are refused). */
      http?: UrlFetcher | null;
      log?: (message: string) => void;
      /** The data folder, whose free space readiness and new uploads check (none: not checked). */
      dataDir?: string;
    },
  ) {
    super();
    this.setMaxListeners(0);
    this.store = opts.store;
    this.artifacts = opts.artifacts;
    this.log = opts.log ?? (() => {});
    this.writes = new StoreWrites(this.log);
    this.writes.on('writable', () => {
      this.emit('writable');
      this.runner?.resume?.();
    });
    const timing = new JobTiming((variation, seconds, state) =>
      this.emit('task-time', variation, seconds, state),
    );
    this.sink = serviceSink({
      store: this.store,
      artifacts: this.artifacts,
      writes: this.writes,
      timing,
      requests: this.requests,
      changed: (jobId) => this.emit('change', jobId),
      finished: (jobId, state) => this.emit('finished', jobId, state),
      log: this.log,
    });
    this.intake = new JobIntake({
      store: this.store,
      artifacts: this.artifacts,
      config: opts.config,
      http: opts.http ?? null,
      requests: this.requests,
      runner: () => this.runner,
      checkSpace: () => this.checkSpace(),
      retryAfterS: () => timing.retryAfterSeconds(this.store.counts().queuedItems),
      log: this.log,
    });
  }

  useRunner(runner: Runner): void {
    this.runner = runner;
  }

  /** Starts the runner (it recovers what a previous process left) and the retention sweep. */
  async start(): Promise<void> {
    if (!this.runner) throw new Error('JobService.start() needs a runner');
    await this.runner.start();
    const sweep = () =>
      this.sweep().catch((err) =>
        this.log(`sweep failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    this.sweeper = setInterval(sweep, SWEEP_MS).unref();
    void sweep();
  }

  get(id: string): JobRecord | null {
    return this.store.get(id);
  }

  /** Deletes a job: what has not run is dropped, what runs is stopped, its files go. */
  async delete(id: string): Promise<boolean> {
    const job = this.store.get(id);
    if (!job) return false;
    this.store.delete(id);
    this.requests.delete(id);
    await this.runner?.cancel(id, job.items.length);
    await this.artifacts.deletePrefix(id);
    this.emit('change', id, job);
    return true;
  }

  /** Deletes finished jobs past JOB_TTL_H and orphaned files (retention.ts). */
  sweep(now = Date.now()): Promise<number> {
    const deps = { store: this.store, artifacts: this.artifacts, ttlHours: this.opts.config.JOB_TTL_H };
    return sweep({ ...deps, deleteJob: (id) => this.delete(id) }, now);
  }

  async ready(): Promise<boolean> {
    return (await this.readiness()).ready;
  }

  /** Each readiness check on its own, for /readyz: store, artifacts, runner, disk space. */
  async readiness(): Promise<{
    ready: boolean;
    store: boolean;
    artifacts: boolean;
    runner: boolean;
    space: { ok: boolean; freeMb: number | null };
  }> {
    const safely = async (f: () => boolean | Promise<boolean>) => {
      try {
        return await f();
      } catch {
        return false;
      }
    };
    const store = await safely(() => this.store.ping());
    const artifacts = await safely(() => this.artifacts.ping());
    const runner = await safely(() => this.runner?.ready() ?? false);
    const space = await this.space();
    return { ready: store && artifacts && runner && space.ok, store, artifacts, runner, space };
  }

  /** Refuses new uploads while the disk is (nearly) full: 507 E_NO_SPACE instead of a failed write. */
  async checkSpace(): Promise<void> {
    const s = await this.space();
    if (!s.ok) {
      throw new LogomillError(
        'E_NO_SPACE',
        `The server's disk is full${s.freeMb === null ? '' : ` (${s.freeMb} MB free)`}; try again later.`,
      );
    }
  }

  async runnerStats() {
    return this.runner?.stats() ?? null;
  }

  /** Queue workers alive now (empty when embedded). */
  async workers() {
    return (await this.runner?.workers?.()) ?? [];
  }

  /** Stops taking work, lets running items finish for up to graceMs, and closes what it opened. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.writes.close();
    await this.runner?.close(graceMs);
  }

  /**
   * Whether the data folder has room for one more upload and its results (twice the largest
   * upload) and no store write is waiting for space.
   */
  private async space(): Promise<{ ok: boolean; freeMb: number | null }> {
    let freeMb: number | null = null;
    if (this.opts.dataDir) {
      try {
        const s = await statfs(this.opts.dataDir);
        freeMb = Math.floor((s.bavail * s.bsize) / (1024 * 1024));
      } catch {}
    }
    const room = freeMb === null || freeMb >= 2 * this.opts.config.MAX_UPLOAD_MB;
    return { ok: room && !this.writes.waiting, freeMb };
  }
}

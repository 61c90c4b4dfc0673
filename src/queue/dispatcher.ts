/**
 * The API side of scale-out: each item of a job becomes a BullMQ job on
 * Redis, with a deterministic id (`<job>.<index>`), so that dispatching it
 * twice adds it once. Any number of `logomill worker` processes consume the
 * queue; their progress, results and failures come back as QueueEvents and
 * are recorded in the job store.
 *
 * The store stays the record: on start, every unfinished item is reconciled
 * with its BullMQ job (added when missing, its result read when it finished
 * while the API was down), so nothing is lost across API restarts.
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { Runner, RunnerSink, RunnerStats } from '../jobs/runner.js';
import { MAX_ATTEMPTS } from '../jobs/runner.js';
import type { ErrorInfo, ItemRecord, ItemResult, StoredOutput, TaskState } from '../jobs/types.js';
import { readBeats, type WorkerBeat } from './heartbeat.js';

/** What a worker returns for an item (the BullMQ job's return value). */
export type ItemOutcome = { result: ItemResult } | { error: ErrorInfo };

/** What a worker reports as progress. */
export interface ItemProgress {
  tasks: Record<string, TaskState>;
  /** Files of the variations done so far. */
  outputs?: StoredOutput[];
}

export const bullJobId = (jobId: string, index: number) => `${jobId}.${index}`;

/** The Redis channel on which a deleted job's id is announced to the workers. */
export const cancelChannel = (queue: string) => `logomill:cancel:${queue}`;

function parseBullId(id: string): { jobId: string; index: number } | null {
  const dot = id.lastIndexOf('.');
  if (dot < 0) return null;
  const index = Number(id.slice(dot + 1));
  return Number.isInteger(index) ? { jobId: id.slice(0, dot), index } : null;
}

export interface QueueOptions {
  redisUrl: string;
  /** Queue name (tests use their own). */
  name: string;
  /** How often the dispatcher checks that Redis still holds the queue (default 5000 ms). */
  checkMs?: number;
}

/** A key the dispatcher keeps in Redis: its absence means Redis lost the queue (restarted empty, flushed). */
export const queueMarker = (queue: string) => `logomill:queue-marker:${queue}`;

export class QueueDispatcher implements Runner {
  readonly kind = 'queue';
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private closed = false;
  private beats: Redis | null = null;
  private checker: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;

  constructor(
    private readonly sink: RunnerSink,
    private readonly opts: QueueOptions,
  ) {
    const connection = { url: opts.redisUrl, maxRetriesPerRequest: null };
    this.queue = new Queue(opts.name, { connection });
    this.events = new QueueEvents(opts.name, { connection });
    this.queue.on('error', (err) => sink.log(`queue: ${err.message}`));
    this.events.on('error', (err) => sink.log(`queue events: ${err.message}`));
  }

  async start(): Promise<void> {
    this.events.on('active', ({ jobId }) => {
      const id = parseBullId(jobId);
      if (id) this.sink.claim(id.jobId, id.index);
    });
    this.events.on('progress', ({ jobId, data }) => {
      const id = parseBullId(jobId);
      const p = data as unknown as ItemProgress;
      if (id && p && typeof p === 'object' && p.tasks)
        this.sink.tasks(id.jobId, id.index, p.tasks, p.outputs);
    });
    this.events.on('completed', ({ jobId, returnvalue }) => {
      const id = parseBullId(jobId);
      if (id) this.applyOutcome(id.jobId, id.index, returnvalue as unknown);
    });
    this.events.on('failed', ({ jobId, failedReason }) => {
      const id = parseBullId(jobId);
      if (id) void this.onFailed(id.jobId, id.index, jobId, failedReason);
    });
    // listen first, then reconcile: an item finishing in between is seen by one or the other
    await this.events.waitUntilReady();
    await this.queue.waitUntilReady();
    await this.redis().set(queueMarker(this.opts.name), String(Date.now()));
    await this.reconcile();
    this.checker = setInterval(() => void this.check(), this.opts.checkMs ?? 5000);
    this.checker.unref();
  }

  /**
   * Redis restarted empty (or flushed) drops every queued and running item: workers then find
   * their job's keys gone and their results are lost. The marker's absence tells; the store, which
   * is the record, is reconciled with the queue again, so every unfinished item is added back
   * within one check interval. A check that cannot reach Redis does nothing: the next one retries.
   */
  private async check(): Promise<void> {
    if (this.closed || this.reconciling) return;
    try {
      const redis = this.redis();
      if (await redis.exists(queueMarker(this.opts.name))) return;
      this.sink.log('the queue is gone from Redis (restarted empty or flushed): re-adding unfinished logos');
      await redis.set(queueMarker(this.opts.name), String(Date.now()));
      this.reconciling = this.reconcile();
      await this.reconciling;
    } catch (err) {
      this.sink.log(`queue check failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.reconciling = null;
    }
  }

  /** Brings the store and the queue into agreement for every unfinished item. */
  private async reconcile(): Promise<void> {
    const missing: ItemRecord[] = [];
    for (const item of this.sink.unfinished()) {
      const job = await Job.fromId(this.queue, bullJobId(item.jobId, item.index));
      if (!job) {
        missing.push(item);
        continue;
      }
      const state = await job.getState();
      if (state === 'completed') this.applyOutcome(item.jobId, item.index, job.returnvalue);
      else if (state === 'failed') this.fail(item.jobId, item.index, job.failedReason);
    }
    await this.add(missing);
  }

  private async add(items: ItemRecord[]): Promise<void> {
    const jobs = items.flatMap((item) => {
      const data = this.sink.work(item);
      return data
        ? [
            {
              name: 'item',
              data,
              opts: {
                jobId: bullJobId(item.jobId, item.index),
                // round-robin across jobs, as the embedded runner: every job's first logo goes
                // before any job's second (BullMQ runs lower numbers first, FIFO within one)
                priority: Math.min(item.index + 1, 2_000_000),
                attempts: MAX_ATTEMPTS,
                backoff: { type: 'exponential', delay: 1000 },
                removeOnComplete: { age: 24 * 3600 },
                removeOnFail: { age: 7 * 24 * 3600 },
              },
            },
          ]
        : [];
    });
    if (jobs.length) await this.queue.addBulk(jobs);
  }

  private applyOutcome(jobId: string, index: number, value: unknown): void {
    const outcome = (typeof value === 'string' ? JSON.parse(value) : value) as ItemOutcome | null;
    if (!this.sink.exists(jobId)) {
      this.sink.forget(jobId); // deleted while it ran: what the worker wrote since goes too
      return;
    }
    if (outcome && ('result' in outcome || 'error' in outcome)) this.sink.finish(jobId, index, outcome);
  }

  private async onFailed(jobId: string, index: number, bullId: string, reason: string): Promise<void> {
    // 'failed' is also sent for an attempt that will be retried; only a job in the failed set is final
    const job = await Job.fromId(this.queue, bullId);
    if (job && (await job.getState()) === 'failed') this.fail(jobId, index, reason);
  }

  private fail(jobId: string, index: number, reason: string): void {
    if (!this.sink.exists(jobId)) return;
    this.sink.finish(jobId, index, {
      error: { code: 'E_WORKER_FAILED', message: `The logo failed ${MAX_ATTEMPTS} times: ${reason}` },
    });
  }

  async submitted(jobId: string): Promise<void> {
    await this.add(this.sink.unfinished().filter((i) => i.jobId === jobId));
  }

  async cancel(jobId: string, items: number): Promise<void> {
    // waiting items are removed by their known ids; running ones are stopped by their worker,
    // told on the queue's cancel channel (a result that still arrives has its files dropped)
    for (let i = 0; i < items; i++) {
      const job = await Job.fromId(this.queue, bullJobId(jobId, i));
      if (job && (await job.getState()) !== 'active') await job.remove().catch(() => {});
    }
    await this.redis().publish(cancelChannel(this.opts.name), jobId);
  }

  async ready(): Promise<boolean> {
    if (this.closed) return false;
    // one round trip to Redis, bounded: a Redis that does not answer makes the API unready
    const answer = this.queue.getJobCounts('waiting').then(() => true);
    const late = new Promise<boolean>((r) => setTimeout(r, 2000, false).unref());
    return Promise.race([answer, late]).catch(() => false);
  }

  async stats(): Promise<RunnerStats> {
    const c = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
    return {
      kind: 'queue',
      waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
    };
  }

  /** A plain Redis connection for heartbeats and cancellations, opened on first use. */
  private redis(): Redis {
    if (!this.beats) {
      // a command times out while Redis is down: a check or a cancel must not hang
      this.beats = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
      this.beats.on('error', () => {});
    }
    return this.beats;
  }

  /** The live workers' last heartbeats. */
  async workers(): Promise<WorkerBeat[]> {
    return readBeats(this.redis(), this.opts.name).catch(() => []);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.checker) clearInterval(this.checker);
    await this.beats?.quit().catch(() => this.beats?.disconnect());
    await this.events.close();
    await this.queue.close();
  }
}

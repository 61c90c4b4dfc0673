/**
 * A queue worker (`logomill worker --redis URL`): takes items from the BullMQ
 * queue, runs them on this machine's engine, writes their files to the
 * shared artifact store and returns the item's result. Progress (each
 * variation's state) goes back through BullMQ's progress events.
 *
 * If this process dies, its lock on the item lapses after QUEUE_LOCK_MS and
 * BullMQ hands the item to another worker (the stalled-job check); a worker
 * stopped gracefully finishes what it runs first.
 */
import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { EngineStats } from '../engine/engine.js';
import { toLogomillError } from '../errors.js';
import { type ItemTaskListener, type ProcessItemContext, processItem } from '../jobs/process-item.js';
import type { ItemWork, StoredOutput, TaskState } from '../jobs/types.js';
import { cancelChannel, type ItemOutcome, type ItemProgress, type QueueOptions } from './dispatcher.js';
import { beatFromEngine, Heartbeat } from './heartbeat.js';

export interface QueueWorkerOptions extends QueueOptions {
  /** Items this worker runs at once. */
  concurrency: number;
  lockMs: number;
  log?: (message: string) => void;
  /** The engine's figures, published as this worker's heartbeat (src/queue/heartbeat.ts). */
  stats?: () => EngineStats;
}

export class QueueWorker {
  private readonly worker: Worker;
  private readonly heartbeat: Heartbeat | null;
  private processed = 0;
  private active = 0;
  /** BullMQ ids of the logos running here, for cancellation. */
  private readonly running = new Set<string>();
  private readonly cancels: Redis;
  /** `<host>#<pid>`: BullMQ's processedBy and the heartbeat's name. */
  readonly name = `${hostname()}#${process.pid}`;

  constructor(ctx: ProcessItemContext, opts: QueueWorkerOptions) {
    const log = opts.log ?? (() => {});
    this.worker = new Worker(
      opts.name,
      async (job: Job<ItemWork>, _token?: string, signal?: AbortSignal): Promise<ItemOutcome> => {
        const work = job.data;
        const tasks: Record<string, TaskState> = Object.fromEntries(
          work.variations.map((v) => [v, 'pending']),
        );
        const outputs: StoredOutput[] = [];
        let timer: NodeJS.Timeout | null = null;
        const report = () => {
          timer = null;
          const progress: ItemProgress = { tasks: { ...tasks }, outputs: [...outputs] };
          void job.updateProgress(progress as unknown as object).catch(() => {});
        };
        const onTask: ItemTaskListener = (variation, state, done) => {
          tasks[variation] = state;
          if (done) outputs.push(...done);
          timer ??= setTimeout(report, 100);
        };
        this.active++;
        if (job.id) this.running.add(job.id);
        try {
          const outcome = await processItem(ctx, work, onTask, signal);
          this.processed++;
          return outcome;
        } catch (err) {
          // cancelled because its job was deleted: not a failure to retry
          if (signal?.aborted) throw new UnrecoverableError('The job was deleted while this logo ran.');
          // a full disk is the item's answer (its files are already removed): retrying would fill it again
          const e = toLogomillError(err);
          if (e.code === 'E_NO_SPACE') return { error: { code: e.code, message: e.message } };
          throw err;
        } finally {
          this.active--;
          if (job.id) this.running.delete(job.id);
          if (timer) clearTimeout(timer);
        }
      },
      {
        connection: { url: opts.redisUrl, maxRetriesPerRequest: null },
        // shows as the job's processedBy: which machine and process ran it
        name: this.name,
        concurrency: opts.concurrency,
        lockDuration: opts.lockMs,
        stalledInterval: Math.max(1000, Math.round(opts.lockMs / 2)),
        maxStalledCount: 2,
      },
    );
    const stats = opts.stats;
    this.heartbeat = stats
      ? new Heartbeat(opts.redisUrl, opts.name, () =>
          beatFromEngine(this.name, stats(), { processed: this.processed, active: this.active }),
        )
      : null;
    // a deleted job is announced on a channel; the worker running one of its logos stops it
    this.cancels = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    this.cancels.on('error', () => {});
    void this.cancels.subscribe(cancelChannel(opts.name)).catch(() => {});
    this.cancels.on('message', (_channel: string, jobId: string) => {
      for (const id of this.running) if (id.startsWith(`${jobId}.`)) this.worker.cancelJob(id, 'deleted');
    });
    this.worker.on('error', (err) => log(`worker: ${err.message}`));
    this.worker.on('failed', (job, err) => log(`item ${job?.id} failed: ${err.message}`));
  }

  get itemsProcessed(): number {
    return this.processed;
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
    this.heartbeat?.start();
  }

  /** Stops taking items and waits for the running ones (graceful); `force` abandons them to the lock expiry. */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
    await this.heartbeat?.stop();
    await this.cancels.quit().catch(() => this.cancels.disconnect());
  }
}

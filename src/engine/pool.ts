/**
 * The worker-thread pool (piscina) with the engine's fault rules: a worker
 * that dies mid-task (crash, process.exit) or a task that runs past its time
 * limit is retried once on a fresh worker, then reported as E_WORKER_FAILED or
 * E_TIMEOUT. Errors a task reports itself are final: retrying a bad input
 * would fail the same way. Worker files return `{ ok: false, code, message }`
 * for their own errors, so any rejection from piscina means the worker died
 * or was stopped.
 */
import { Piscina } from 'piscina';
import { LogomillError } from '../errors.js';

export interface PoolOptions {
  /** Worker module (absolute path or file URL). */
  filename: string;
  threads: number;
  timeoutMs: number;
  /** Retries after a crash or a timeout (default 1). */
  retries?: number;
  log?: (message: string) => void;
}

export type WorkerReply<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export class WorkerPool {
  private readonly piscina: Piscina;
  /** Tasks that had to be retried, and tasks that failed for good after retrying. */
  retried = 0;
  lost = 0;

  constructor(private readonly o: PoolOptions) {
    this.piscina = new Piscina({
      filename: o.filename,
      minThreads: 0,
      maxThreads: o.threads,
      idleTimeout: 2000,
      // the scheduler decides what runs; piscina's own queue only ever holds what it was given
      maxQueue: 'auto',
    });
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  /** Runs one task; see the file comment for what is retried. */
  async run<T>(task: unknown, label: string, signal?: AbortSignal): Promise<T> {
    const attempts = 1 + (this.o.retries ?? 1);
    let last: LogomillError | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
      const timeout = AbortSignal.timeout(this.o.timeoutMs);
      const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const reply = (await this.piscina.run(task, { signal: both })) as WorkerReply<T>;
        if (reply.ok) return reply.value;
        throw new LogomillError(reply.code as never, reply.message);
      } catch (err) {
        if (err instanceof LogomillError) throw err;
        if (signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
        last = timeout.aborted
          ? new LogomillError(
              'E_TIMEOUT',
              `${label} ran longer than TASK_TIMEOUT_MS (${this.o.timeoutMs} ms).`,
            )
          : new LogomillError(
              'E_WORKER_FAILED',
              `The worker running ${label} stopped: ${err instanceof Error ? err.message : String(err)}`,
            );
        if (attempt < attempts) {
          this.retried++;
          this.o.log?.(`${last.message} Retrying on a fresh worker.`);
        }
      }
    }
    this.lost++;
    throw last as LogomillError;
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}

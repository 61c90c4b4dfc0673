/**
 * The worker-thread pool (piscina) with the engine's fault rules: a worker
 * that dies mid-task (crash, process.exit) or a task that runs past its time
 * limit is retried once on a fresh worker, then reported as E_WORKER_FAILED or
 * E_TIMEOUT. Errors a task reports itself are final: retrying a bad input
 * would fail the same way. Worker files return `{ ok: false, code, message }`
 * for their own errors, so any rejection from piscina means the worker died
 * or was stopped.
 *
 * The time limit counts from the moment the worker starts the task, not from
 * when it was queued: a fresh worker first loads its modules, which must not
 * count against the task. Each task travels in an envelope with a message port
 * on which the worker says "started" (`taskStarted`, called first thing by
 * every worker module).
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { LogomillError } from '../errors.js';
import type { WorkerReply } from './tasks.js';

export type { WorkerReply };

/** What the pool hands a worker: the task, and the port to say it started on. */
export interface PoolEnvelope<T> {
  task: T;
  started: MessagePort;
}

/** Worker side: reports the start (the time limit runs from now) and unwraps the task. */
export function taskStarted<T>(envelope: PoolEnvelope<T>): T {
  envelope.started.postMessage(0);
  envelope.started.close();
  return envelope.task;
}

/** A worker that never starts a task (stuck loading its modules) is given up on after this. */
const START_LIMIT_MS = 60_000;

export interface PoolOptions {
  /** Worker module (absolute path or file URL). */
  filename: string;
  threads: number;
  timeoutMs: number;
  /** Retries after a crash or a timeout (default 1). */
  retries?: number;
  log?: (message: string) => void;
}

export class WorkerPool {
  private readonly piscina: Piscina;
  /** Tasks that had to be retried, and tasks that failed for good after retrying. */
  retried = 0;
  lost = 0;

  constructor(private readonly o: PoolOptions) {
    this.piscina = new Piscina({
      filename: o.filename,
      // workers start on demand (the engine starts them early, see Engine.prestart) and stay a
      // while when idle, so that a batch's next logo finds them ready
      minThreads: 0,
      maxThreads: o.threads,
      idleTimeout: 10_000,
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
      const clock = new TaskClock(this.o.timeoutMs);
      const both = signal ? AbortSignal.any([signal, clock.signal]) : clock.signal;
      try {
        const envelope: PoolEnvelope<unknown> = { task, started: clock.port };
        const reply = (await this.piscina.run(envelope, {
          signal: both,
          transferList: [clock.port] as never,
        })) as WorkerReply<T>;
        if (reply.ok) return reply.value;
        throw new LogomillError(reply.code as never, reply.message);
      } catch (err) {
        if (err instanceof LogomillError) throw err;
        if (signal?.aborted) throw new LogomillError('E_ABORTED', 'The job was cancelled.');
        last = clock.timedOut
          ? new LogomillError(
              'E_TIMEOUT',
              `${label} ran longer than TASK_TIMEOUT_MS (${this.o.timeoutMs} ms).`,
            )
          : clock.neverStarted
            ? new LogomillError(
                'E_WORKER_FAILED',
                `The worker for ${label} did not start it within ${START_LIMIT_MS / 1000} s.`,
              )
            : new LogomillError(
                'E_WORKER_FAILED',
                `The worker running ${label} stopped: ${err instanceof Error ? err.message : String(err)}`,
              );
      } finally {
        clock.stop();
      }
      if (attempt < attempts) {
        this.retried++;
        this.o.log?.(`${last.message} Retrying on a fresh worker.`);
      }
    }
    this.lost++;
    throw last as LogomillError;
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}

/** One attempt's time limit: armed when the worker reports the start, aborting the task when it runs out. */
class TaskClock {
  private readonly controller = new AbortController();
  private readonly channel = new MessageChannel();
  private timer: NodeJS.Timeout;
  timedOut = false;
  neverStarted = false;

  constructor(timeoutMs: number) {
    this.timer = setTimeout(
      () => {
        this.neverStarted = true;
        this.controller.abort();
      },
      Math.max(START_LIMIT_MS, timeoutMs),
    );
    this.channel.port1.once('message', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutMs);
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The end handed to the worker. */
  get port(): MessagePort {
    return this.channel.port2;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.channel.port1.close();
  }
}

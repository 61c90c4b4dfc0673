/**
 * A runner takes queued items to completion: in this process on the engine
 * (LocalRunner, the embedded default) or through a BullMQ queue that worker
 * processes on any machine consume (QueueDispatcher, src/queue/). Both report
 * through the same sink, so the service does not care which one runs.
 */
import type { ErrorInfo, ItemRecord, ItemResult, ItemWork, StoredOutput, TaskState } from './types.js';

/** What a runner tells the service; the service persists it and tells listeners. */
export interface RunnerSink {
  /** Items waiting to run, oldest first. */
  queued(limit: number): ItemRecord[];
  /** Items not yet final. */
  unfinished(): ItemRecord[];
  /** What an item's run needs (its logo, the job's variations and options); null once deleted. */
  work(item: ItemRecord): ItemWork | null;
  /** Marks an item running; false when it is no longer queued. */
  claim(jobId: string, index: number): boolean;
  /** A variation's new state; with `done`, the files it stored. */
  task(jobId: string, index: number, variation: string, state: TaskState, outputs?: StoredOutput[]): void;
  /** The whole task map and the files stored so far (queue workers report both). */
  tasks(jobId: string, index: number, tasks: Record<string, TaskState>, outputs?: StoredOutput[]): void;
  finish(jobId: string, index: number, outcome: { result: ItemResult } | { error: ErrorInfo }): void;
  /** Puts a running item back in the queue. */
  requeue(jobId: string, index: number): void;
  /** Puts every running item back (what a crashed process was running); returns how many. */
  requeueAll(): number;
  /** Whether the job still exists (it may have been deleted while it ran). */
  exists(jobId: string): boolean;
  /** Deletes the files of a job that no longer exists (written by a worker after the delete). */
  forget(jobId: string): void;
  log(message: string): void;
}

/** A queue worker's live figures, as its heartbeat reports them (src/queue/heartbeat.ts). */
export interface WorkerBeat {
  /** `<host>#<pid>`, as in BullMQ's processedBy. */
  name: string;
  at: number;
  itemsProcessed: number;
  itemsActive: number;
  maxWorkers: number;
  effectiveWorkers: number;
  cpuPct: number | null;
  rssMb: number;
  score: number | null;
}

export interface RunnerStats {
  kind: 'local' | 'queue';
  /** Items waiting in the runner's queue. */
  waiting: number;
  /** Items running now. */
  active: number;
}

export interface Runner {
  readonly kind: 'local' | 'queue';
  /** Recovers what a previous process left (running items) and starts taking work. */
  start(): Promise<void>;
  /** A job was stored: its items are ready to run. */
  submitted(jobId: string): Promise<void>;
  /** The job was deleted: drop what has not run, stop what runs if possible. */
  cancel(jobId: string, items: number): Promise<void>;
  ready(): Promise<boolean>;
  stats(): Promise<RunnerStats>;
  /** Queue mode: the live workers' heartbeats (src/queue/heartbeat.ts). */
  workers?(): Promise<WorkerBeat[]>;
  /** Takes work again after the service paused it (the disk was full and has room again). */
  resume?(): void;
  /** Stops taking work; waits up to `graceMs` for running items, then hands the rest back. */
  close(graceMs: number): Promise<void>;
}

/** An item that failed this many times (its process crashing included) fails for good. */
export const MAX_ATTEMPTS = 3;

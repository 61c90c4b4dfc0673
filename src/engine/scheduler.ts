/**
 * The scheduler: which task runs next, and whether it may start now.
 *
 * Order: interactive jobs before batch jobs, then older jobs first, then the
 * costliest task of a job first (it is the likeliest to be on the critical
 * path). A task starts only while fewer than `effectiveWorkers` tasks run and
 * process RSS + the running tasks' memory estimates + its own stay under the
 * memory limit. A task larger than the whole limit runs alone, with a warning,
 * rather than waiting for ever.
 *
 * Memory governor: on every admission check and every `tick` (the monitor
 * calls it every 500 ms) the scheduler reads memory. Under pressure — RSS above
 * the limit or system available memory below its floor — the effective worker
 * count halves; once pressure is gone it recovers one worker per tick. Each
 * change is logged with its reason.
 */
import { EventEmitter } from 'node:events';
import { freemem, totalmem } from 'node:os';

export type Priority = 'interactive' | 'batch';

export interface TaskSpec<T> {
  /** For logs and stats, e.g. "logo.png/vector-color". */
  label: string;
  priority: Priority;
  /** Jobs submitted earlier go first among equal priorities. */
  jobSeq: number;
  /** Estimated cost (≈ ms on one core); larger first within a job. */
  cost: number;
  /** Estimated peak memory of the task in MB. */
  memoryMb: number;
  run(): Promise<T>;
}

export interface MemoryReading {
  rssMb: number;
  /** System memory available, as a share of the total, 0–100. */
  systemAvailablePct: number;
}

export interface SchedulerOptions {
  maxWorkers: number;
  memoryLimitMb: number;
  minFreeMemoryPct: number;
  /** Reads memory; replaced in tests to simulate pressure. */
  readMemory?: () => MemoryReading;
  log?: (message: string) => void;
}

interface Queued {
  spec: TaskSpec<unknown>;
  seq: number;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export function readProcessMemory(): MemoryReading {
  return {
    rssMb: process.memoryUsage.rss() / 1048576,
    systemAvailablePct: (100 * freemem()) / totalmem(),
  };
}

const RANK: Record<Priority, number> = { interactive: 0, batch: 1 };

export class Scheduler extends EventEmitter {
  private readonly queue: Queued[] = [];
  private readonly running = new Set<Queued>();
  private seq = 0;
  private effective: number;
  private readonly readMemory: () => MemoryReading;
  private readonly log: (message: string) => void;
  private jobsInFlight = 0;
  private reservedJobMb = 0;
  private idleRssMb = 0;
  private readonly jobWaiters: (() => void)[] = [];

  constructor(private readonly o: SchedulerOptions) {
    super();
    this.effective = o.maxWorkers;
    this.readMemory = o.readMemory ?? readProcessMemory;
    this.log = o.log ?? (() => {});
  }

  get effectiveWorkers(): number {
    return this.effective;
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Queues a task; resolves or rejects with the task's own outcome. */
  submit<T>(spec: TaskSpec<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ spec, seq: this.seq++, resolve: resolve as (v: unknown) => void, reject });
      this.queue.sort(
        (a, b) =>
          RANK[a.spec.priority] - RANK[b.spec.priority] ||
          a.spec.jobSeq - b.spec.jobSeq ||
          b.spec.cost - a.spec.cost ||
          a.seq - b.seq,
      );
      this.pump();
    });
  }

  /**
   * Job admission: a job reserves its estimated memory (decoded image, shared
   * copies, its largest task) before it is decoded, and waits while the jobs
   * in flight have reserved too much — so a batch of huge logos holds one at a
   * time while a batch of small ones keeps several going. A job is always let
   * in when none is in flight. Resolves to the release function.
   */
  async reserve(memoryMb: number): Promise<() => void> {
    for (;;) {
      if (this.jobsInFlight === 0) {
        this.idleRssMb = this.readMemory().rssMb;
        break;
      }
      if (this.idleRssMb + this.reservedJobMb + memoryMb <= this.o.memoryLimitMb) break;
      await new Promise<void>((r) => this.jobWaiters.push(r));
    }
    this.jobsInFlight++;
    this.reservedJobMb += memoryMb;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.jobsInFlight--;
      this.reservedJobMb -= memoryMb;
      for (const wake of this.jobWaiters.splice(0)) wake();
    };
  }

  /** Re-reads memory, adjusts the effective worker count, starts what may start. */
  tick(): void {
    this.govern(this.readMemory());
    this.pump();
  }

  private govern(m: MemoryReading): void {
    const pressure =
      m.rssMb > this.o.memoryLimitMb
        ? `RSS ${Math.round(m.rssMb)} MB is over MEMORY_LIMIT_MB ${this.o.memoryLimitMb}`
        : m.systemAvailablePct < this.o.minFreeMemoryPct
          ? `system memory available ${m.systemAvailablePct.toFixed(0)} % is under MIN_FREE_MEMORY_PCT ${this.o.minFreeMemoryPct}`
          : null;
    const before = this.effective;
    if (pressure) this.effective = Math.max(1, Math.floor(this.effective / 2));
    else if (this.effective < this.o.maxWorkers) this.effective++;
    if (this.effective !== before) {
      const why = pressure ?? 'memory pressure is gone';
      this.log(`effective workers ${before} → ${this.effective}: ${why}`);
      this.emit('workers', { from: before, to: this.effective, reason: why });
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running.size < this.effective) {
      const next = this.queue[0];
      const m = this.readMemory();
      const reserved = [...this.running].reduce((n, q) => n + q.spec.memoryMb, 0);
      if (this.running.size > 0) {
        if (m.rssMb + reserved + next.spec.memoryMb > this.o.memoryLimitMb) break; // wait for memory
      } else if (next.spec.memoryMb > this.o.memoryLimitMb) {
        this.log(
          `${next.spec.label} needs ≈ ${Math.round(next.spec.memoryMb)} MB, more than MEMORY_LIMIT_MB ${this.o.memoryLimitMb}: running it alone`,
        );
      }
      this.queue.shift();
      this.start(next);
    }
  }

  private start(q: Queued): void {
    this.running.add(q);
    this.emit('start', q.spec.label);
    q.spec.run().then(
      (v) => this.finish(q, () => q.resolve(v)),
      (e) => this.finish(q, () => q.reject(e)),
    );
  }

  private finish(q: Queued, settle: () => void): void {
    this.running.delete(q);
    settle();
    this.emit('done', q.spec.label);
    this.pump();
  }
}

/** Below this estimated cost (≈ ms) a subtask costs more in hand-offs than it saves. */
export const MIN_SUBTASK_COST = 15;

/**
 * Groups a task's parts into subtasks: as many as `maxWidth` allows (the
 * smaller of SUBTASK_WORKERS and the workers free to take them), but no more
 * than the total cost fills at MIN_SUBTASK_COST each — so a few large films
 * spread over every worker while many tiny favicons stay in one or two
 * subtasks. Parts go costliest first to the least-loaded group (LPT), so the
 * groups finish together. Returns part indices per group, each ascending.
 */
export function planFanOut(costs: readonly number[], maxWidth: number): number[][] {
  const total = costs.reduce((a, b) => a + b, 0);
  const width = Math.max(1, Math.min(costs.length, maxWidth, Math.floor(total / MIN_SUBTASK_COST)));
  const groups = Array.from({ length: width }, () => ({ load: 0, parts: [] as number[] }));
  const order = costs.map((c, i) => ({ c, i })).sort((a, b) => b.c - a.c || a.i - b.i);
  for (const { c, i } of order) {
    let least = groups[0];
    for (const g of groups) if (g.load < least.load) least = g;
    least.load += c;
    least.parts.push(i);
  }
  return groups.map((g) => g.parts.sort((a, b) => a - b)).filter((g) => g.length > 0);
}

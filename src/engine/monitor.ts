/**
 * Live monitoring: every 500 ms while work is queued or running, sample the
 * process (CPU % over all threads, RSS, heap), the system (available memory)
 * and the engine (queue depth, running tasks, effective workers, task times),
 * and compute a 0–100 performance score. docs/ENGINE.md gives the formula with
 * a worked example:
 *
 *   utilisation U = CPU time used ÷ (wall time × effective workers), capped at 1,
 *                   counted only while work waits or runs (an idle engine with
 *                   nothing to do is not "slow"; one with queued work is)
 *   headroom    H = min(1, (1 − RSS / MEMORY_LIMIT_MB) / 0.2)   (full marks from 20 % free)
 *   reliability R = 1 − (retried + failed tasks) ÷ tasks finished (1 with none finished)
 *   score = round(100 × (0.6 U + 0.25 H + 0.15 R))
 */
import { EventEmitter } from 'node:events';
import { freemem, totalmem } from 'node:os';

export interface EngineSample {
  at: number;
  cpuPct: number;
  rssMb: number;
  heapMb: number;
  systemAvailablePct: number;
  queueDepth: number;
  running: number;
  effectiveWorkers: number;
  score: number;
}

export interface ScoreInput {
  cpuSeconds: number;
  wallSeconds: number;
  effectiveWorkers: number;
  busy: boolean;
  rssMb: number;
  memoryLimitMb: number;
  finished: number;
  troubled: number;
}

/** The performance score; see the file comment. */
export function performanceScore(s: ScoreInput): number {
  const u =
    s.busy && s.wallSeconds > 0
      ? Math.min(1, s.cpuSeconds / (s.wallSeconds * Math.max(1, s.effectiveWorkers)))
      : 1;
  const h = Math.max(0, Math.min(1, (1 - s.rssMb / s.memoryLimitMb) / 0.2));
  const r = s.finished > 0 ? Math.max(0, 1 - s.troubled / s.finished) : 1;
  return Math.round(100 * (0.6 * u + 0.25 * h + 0.15 * r));
}

export interface MonitorSource {
  queueDepth(): number;
  running(): number;
  effectiveWorkers(): number;
  finished(): number;
  troubled(): number;
  memoryLimitMb: number;
  /** Called on every sample (the scheduler's memory governor). */
  tick(): void;
}

export class Monitor extends EventEmitter {
  private timer: NodeJS.Timeout | null = null;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  last: EngineSample | null = null;
  /** Highest RSS seen while sampling (MB). */
  peakRssMb = 0;

  constructor(
    private readonly source: MonitorSource,
    readonly intervalMs = 500,
  ) {
    super();
  }

  /** Starts sampling (idempotent); the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.lastCpu = process.cpuUsage();
    this.lastAt = performance.now();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sample(): EngineSample {
    this.source.tick();
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallSeconds = (now - this.lastAt) / 1000;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const mem = process.memoryUsage();
    const rssMb = mem.rss / 1048576;
    this.peakRssMb = Math.max(this.peakRssMb, rssMb);
    const busy = this.source.queueDepth() > 0 || this.source.running() > 0;
    const s: EngineSample = {
      at: Date.now(),
      cpuPct: wallSeconds > 0 ? (100 * cpuSeconds) / wallSeconds : 0,
      rssMb,
      heapMb: mem.heapUsed / 1048576,
      systemAvailablePct: (100 * freemem()) / totalmem(),
      queueDepth: this.source.queueDepth(),
      running: this.source.running(),
      effectiveWorkers: this.source.effectiveWorkers(),
      score: performanceScore({
        cpuSeconds,
        wallSeconds,
        effectiveWorkers: this.source.effectiveWorkers(),
        busy,
        rssMb,
        memoryLimitMb: this.source.memoryLimitMb,
        finished: this.source.finished(),
        troubled: this.source.troubled(),
      }),
    };
    this.last = s;
    this.emit('sample', s);
    return s;
  }
}

/**
 * Prometheus metrics (prom-client), read when /metrics is scraped: the job
 * store's counts, the runner's queue, the engine's workers, CPU, memory,
 * performance score and cache, plus a histogram of task times by variation.
 * Process CPU and memory come from prom-client's default collectors.
 */
import { createHash } from 'node:crypto';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineStats } from '../engine/engine.js';
import type { WorkerBeat } from '../jobs/runner.js';
import type { JobService } from '../jobs/service.js';

export function createMetrics(opts: {
  service: JobService;
  engineStats?: () => EngineStats | null;
  /**
   * Label queue workers with their name (host name and pid; default true). Off
   * (METRICS_WORKER_LABELS=0), a worker is a stable opaque id: a hash of its name.
   */
  workerNames?: boolean;
}): Registry {
  const workerLabel = (name: string) =>
    opts.workerNames === false ? `w-${createHash('sha256').update(name).digest('hex').slice(0, 10)}` : name;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'logomill_' });
  const { service } = opts;
  const engine = opts.engineStats ?? (() => null);

  new Gauge({
    name: 'logomill_jobs',
    help: 'Jobs in the store by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const c = service.store.counts();
      for (const [state, n] of Object.entries(c.jobs)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'logomill_queue_depth',
    help: 'Logos waiting to run (in the store, or in the BullMQ queue)',
    registers: [registry],
    async collect() {
      const s = await service.runnerStats();
      this.set(s?.waiting ?? 0);
    },
  });
  new Gauge({
    name: 'logomill_items_running',
    help: 'Logos being processed now',
    registers: [registry],
    async collect() {
      const s = await service.runnerStats();
      this.set(s?.active ?? 0);
    },
  });
  const fromEngine = (name: string, help: string, read: (s: EngineStats) => number | null | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = engine();
        const v = s ? read(s) : null;
        if (v !== null && v !== undefined) this.set(v);
      },
    });
  fromEngine(
    'logomill_effective_workers',
    'Worker threads the scheduler lets run now',
    (s) => s.effectiveWorkers,
  );
  fromEngine('logomill_max_workers', 'Worker threads configured', (s) => s.maxWorkers);
  fromEngine('logomill_engine_tasks_queued', 'Engine tasks waiting for a worker', (s) => s.queueDepth);
  fromEngine(
    'logomill_cpu_percent',
    'Process CPU use over the last sample (100 = one core)',
    (s) => s.sample?.cpuPct,
  );
  fromEngine('logomill_memory_rss_mb', 'Resident memory at the last sample (MB)', (s) => s.sample?.rssMb);
  fromEngine(
    'logomill_system_memory_available_percent',
    'System memory available',
    (s) => s.sample?.systemAvailablePct,
  );
  fromEngine('logomill_performance_score', 'Engine performance score, 0–100', (s) => s.score);
  fromEngine('logomill_cache_hit_ratio', 'Result cache hits / lookups', (s) =>
    s.cache && s.cache.hits + s.cache.misses > 0 ? s.cache.hits / (s.cache.hits + s.cache.misses) : null,
  );
  // queue mode: every live worker's heartbeat, one series per worker (dead ones drop out)
  const perWorker = (name: string, help: string, read: (b: WorkerBeat) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['worker'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of await service.workers()) {
          const v = read(b);
          if (v !== null) this.set({ worker: workerLabel(b.name) }, v);
        }
      },
    });
  new Gauge({
    name: 'logomill_queue_workers',
    help: 'Queue workers alive (heartbeat in the last 15 s)',
    registers: [registry],
    async collect() {
      this.set((await service.workers()).length);
    },
  });
  perWorker(
    'logomill_worker_items_processed',
    'Logos a worker has processed since it started',
    (b) => b.itemsProcessed,
  );
  perWorker('logomill_worker_items_active', 'Logos a worker is processing now', (b) => b.itemsActive);
  perWorker('logomill_worker_effective_threads', 'Threads a worker lets run now', (b) => b.effectiveWorkers);
  perWorker('logomill_worker_cpu_percent', 'A worker process CPU (100 = one core)', (b) => b.cpuPct);
  perWorker('logomill_worker_memory_rss_mb', 'A worker process resident memory (MB)', (b) => b.rssMb);
  perWorker('logomill_worker_performance_score', 'A worker engine performance score, 0–100', (b) => b.score);
  const tasks = new Histogram({
    name: 'logomill_task_duration_seconds',
    help: 'Wall time of a variation task of one logo',
    labelNames: ['variation', 'state'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const finished = new Counter({
    name: 'logomill_jobs_finished_total',
    help: 'Jobs that finished, by final state',
    labelNames: ['state'],
    registers: [registry],
  });
  service.on('finished', (_id: string, state: string) => finished.inc({ state }));
  service.on('task-time', (variation: string, seconds: number, state: string) =>
    tasks.observe({ variation, state }, seconds),
  );
  return registry;
}

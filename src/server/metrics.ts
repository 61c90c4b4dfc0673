/**
 * Prometheus metrics (prom-client), read when /metrics is scraped: the job
 * store's counts, the runner's queue, the engine's workers, CPU, memory,
 * performance score and cache, plus a histogram of task times by variation.
 * Process CPU and memory come from prom-client's default collectors.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineStats } from '../engine/engine.js';
import type { JobService } from '../jobs/service.js';

export function createMetrics(opts: {
  service: JobService;
  engineStats?: () => EngineStats | null;
}): Registry {
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

/**
 * Worker heartbeats: every queue worker writes its live figures (logos done,
 * CPU, memory, effective threads, performance score) to Redis every few
 * seconds under `logomill:worker:<queue>:<name>`, expiring after three
 * beats. The API reads them for /metrics, so one scrape shows every machine
 * working the queue, and a worker that died drops out on its own.
 */
import { Redis } from 'ioredis';
import type { EngineStats } from '../engine/engine.js';
import type { WorkerBeat } from '../jobs/runner.js';

export type { WorkerBeat };

export const BEAT_MS = 5000;
const key = (queue: string, name: string) => `logomill:worker:${queue}:${name}`;

export class Heartbeat {
  private readonly redis: Redis;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    redisUrl: string,
    private readonly queue: string,
    private readonly read: () => WorkerBeat,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => {});
  }

  start(): void {
    const beat = () =>
      void this.redis
        .set(key(this.queue, this.read().name), JSON.stringify(this.read()), 'PX', BEAT_MS * 3)
        .catch(() => {});
    beat();
    this.timer = setInterval(beat, BEAT_MS).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis.del(key(this.queue, this.read().name)).catch(() => {});
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A worker's figures from its engine. */
export function beatFromEngine(
  name: string,
  stats: EngineStats,
  items: { processed: number; active: number },
): WorkerBeat {
  return {
    name,
    at: Date.now(),
    itemsProcessed: items.processed,
    itemsActive: items.active,
    maxWorkers: stats.maxWorkers,
    effectiveWorkers: stats.effectiveWorkers,
    cpuPct: stats.sample?.cpuPct ?? null,
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
    score: stats.score,
  };
}

/** Every live worker's last beat. */
export async function readBeats(redis: Redis, queue: string): Promise<WorkerBeat[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: key(queue, '*'), count: 200 }) as AsyncIterable<
    string[]
  >)
    keys.push(...batch);
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  return values.flatMap((v) => (v ? [JSON.parse(v) as WorkerBeat] : []));
}

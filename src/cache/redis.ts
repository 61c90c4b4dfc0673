/**
 * Redis cache backend (ioredis): entries under `logomill:cache:<key>` with a
 * TTL; entries above the size cap are not stored. One connection per process,
 * created on first use (ioredis itself is loaded then too: a CLI run that never
 * touches Redis does not pay for it); commands fail fast (no offline queue) so
 * that a Redis that is down makes the cache turn off instead of stalling the job.
 */
import type { Redis } from 'ioredis';
import type { CacheBackend } from './types.js';

export class RedisCache implements CacheBackend {
  readonly name = 'redis';
  private redis: Promise<Redis> | null = null;

  constructor(
    private readonly url: string,
    readonly ttlSeconds: number,
    readonly maxEntryBytes = 64 * 1024 * 1024,
    readonly prefix = 'logomill:cache:',
  ) {}

  private ready(): Promise<Redis> {
    this.redis ??= import('ioredis').then(async ({ Redis }) => {
      const redis = new Redis(this.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        retryStrategy: (times) => (times > 2 ? null : 200),
      });
      // errors surface through the commands; keep them off the process's unhandled list
      redis.on('error', () => {});
      return redis;
    });
    return this.redis.then(async (redis) => {
      if (redis.status === 'wait') await redis.connect();
      return redis;
    });
  }

  async get(key: string): Promise<Buffer | null> {
    const redis = await this.ready();
    return redis.getBuffer(this.prefix + key);
  }

  async set(key: string, value: Buffer): Promise<void> {
    if (value.length > this.maxEntryBytes) return;
    const redis = await this.ready();
    await redis.set(this.prefix + key, value, 'EX', this.ttlSeconds);
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    const redis = await this.redis;
    if (redis.status === 'wait' || redis.status === 'end') return;
    await redis.quit().catch(() => redis.disconnect());
  }
}

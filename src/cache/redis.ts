/**
 * Redis cache backend (ioredis): entries under `logomill:cache:<key>` with a
 * TTL; entries above the size cap are not stored. One connection per process,
 * created lazily; commands fail fast (no offline queue) so that a Redis that
 * is down makes the cache turn off instead of stalling the job.
 */
import { Redis } from 'ioredis';
import type { CacheBackend } from './types.js';

export class RedisCache implements CacheBackend {
  readonly name = 'redis';
  private readonly redis: Redis;

  constructor(
    url: string,
    readonly ttlSeconds: number,
    readonly maxEntryBytes = 64 * 1024 * 1024,
    readonly prefix = 'logomill:cache:',
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times) => (times > 2 ? null : 200),
    });
    // errors surface through the commands; keep them off the process's unhandled list
    this.redis.on('error', () => {});
  }

  private async ready(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
  }

  async get(key: string): Promise<Buffer | null> {
    await this.ready();
    return this.redis.getBuffer(this.prefix + key);
  }

  async set(key: string, value: Buffer): Promise<void> {
    if (value.length > this.maxEntryBytes) return;
    await this.ready();
    await this.redis.set(this.prefix + key, value, 'EX', this.ttlSeconds);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * The result cache the engine talks to: whole variation results by content
 * key, over a filesystem or Redis backend. A backend that fails turns the
 * cache off for the rest of the run with one warning; it never fails a job.
 */
import type { EngineConfig } from '../config.js';
import type { OutputFile } from '../variations/types.js';
import { packEntry, unpackEntry } from './entry.js';
import { FsCache } from './fs.js';
import { RedisCache } from './redis.js';
import type { CacheBackend, CacheStats } from './types.js';

export { cacheKey } from './key.js';
export type { CacheBackend, CacheStats } from './types.js';
export { FsCache, RedisCache };

export class ResultCache {
  private readonly stats_: CacheStats;

  constructor(
    private readonly backend: CacheBackend,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.stats_ = { backend: backend.name, hits: 0, misses: 0, writes: 0, evictions: 0, enabled: true };
  }

  private fail(err: unknown): void {
    if (!this.stats_.enabled) return;
    this.stats_.enabled = false;
    this.warn(
      `The ${this.backend.name} result cache failed (${err instanceof Error ? err.message : String(err)}); going on without a cache.`,
    );
  }

  async get(key: string): Promise<OutputFile[] | null> {
    if (!this.stats_.enabled) return null;
    try {
      const buf = await this.backend.get(key);
      const files = buf ? unpackEntry(buf) : null;
      if (files) this.stats_.hits++;
      else this.stats_.misses++;
      return files;
    } catch (err) {
      this.fail(err);
      return null;
    }
  }

  async set(key: string, files: OutputFile[]): Promise<void> {
    if (!this.stats_.enabled) return;
    try {
      await this.backend.set(key, packEntry(files));
      this.stats_.writes++;
    } catch (err) {
      this.fail(err);
    }
  }

  stats(): CacheStats {
    const evictions = this.backend instanceof FsCache ? this.backend.evictions : 0;
    return { ...this.stats_, evictions };
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/** The cache the settings ask for: Redis when REDIS_URL is set, else CACHE_DIR, or none when CACHE_DIR is "off". */
export function openCache(config: EngineConfig, warn?: (message: string) => void): ResultCache | null {
  if (config.REDIS_URL) return new ResultCache(new RedisCache(config.REDIS_URL, config.CACHE_TTL_S), warn);
  if (!config.CACHE_DIR || config.CACHE_DIR === 'off') return null;
  return new ResultCache(new FsCache(config.CACHE_DIR, config.CACHE_MAX_MB * 1024 * 1024), warn);
}

/** What every result-cache backend offers: opaque bytes by key. */
export interface CacheBackend {
  /** "filesystem" or "redis", for messages and stats. */
  readonly name: string;
  /** The stored bytes, or null on a miss. */
  get(key: string): Promise<Buffer | null>;
  set(key: string, value: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface CacheStats {
  backend: string;
  hits: number;
  misses: number;
  writes: number;
  /** Entries removed to stay under the size cap (filesystem). */
  evictions: number;
  /** False once the backend failed and the cache turned itself off for this run. */
  enabled: boolean;
}

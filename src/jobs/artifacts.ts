/**
 * Where uploaded logos and results live, by key (`<job>/<item>/<variation>/<name>`,
 * `<job>/_inputs/<n>`). Two backends with one contract:
 *
 * - `fs` (default): files under `<DATA_DIR>/artifacts`. Queue workers on
 *   other machines need the same folder mounted (NFS, a shared volume): no
 *   size limit, files stream from disk, nothing expires by itself.
 * - `redis`: bytes in Redis under `logomill:artifact:<key>` with the job TTL.
 *   Nothing to share but Redis, which suits small deployments; every byte
 *   sits in Redis's memory, so large or many jobs need a large Redis.
 *
 * Writes are atomic (temporary name, then rename), so a reader never sees
 * half a file.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Redis } from 'ioredis';
import { LogomillError } from '../errors.js';
import { writeFileAtomic } from '../io/write.js';

export interface ArtifactStore {
  readonly kind: 'fs' | 'redis';
  /** Stores bytes; `durable`: on disk before this resolves (uploads, which cannot be made again). */
  put(key: string, data: Uint8Array, opts?: { durable?: boolean }): Promise<void>;
  /** The bytes, or null when there is no such artifact. */
  get(key: string): Promise<Buffer | null>;
  /** A stream of the bytes and their length, or null. */
  open(key: string): Promise<{ stream: Readable; bytes: number } | null>;
  /** Deletes every artifact whose key starts with `<prefix>/`. */
  deletePrefix(prefix: string): Promise<void>;
  /** Top-level prefixes (job ids) with their last change, for the orphan sweep; Redis expires its own. */
  listPrefixes(): Promise<{ prefix: string; modifiedMs: number }[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Keys are made by the service from sanitised segments; this refuses anything else outright. */
function checkKey(key: string): void {
  const parts = key.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
    throw new LogomillError('E_INTERNAL', `Refused artifact key ${JSON.stringify(key)}.`);
  }
}

export class FsArtifacts implements ArtifactStore {
  readonly kind = 'fs';
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'artifacts');
  }

  private path(key: string): string {
    checkKey(key);
    const p = normalize(join(this.root, ...key.split('/')));
    if (!p.startsWith(this.root + sep)) throw new LogomillError('E_INTERNAL', `Refused artifact key ${key}.`);
    return p;
  }

  async put(key: string, data: Uint8Array, opts: { durable?: boolean } = {}): Promise<void> {
    await writeFileAtomic(this.path(key), data, opts);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async open(key: string): Promise<{ stream: Readable; bytes: number } | null> {
    const p = this.path(key);
    try {
      const s = await stat(p);
      if (!s.isFile()) return null;
      return { stream: createReadStream(p), bytes: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.path(prefix), { recursive: true, force: true });
  }

  async listPrefixes(): Promise<{ prefix: string; modifiedMs: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const out: { prefix: string; modifiedMs: number }[] = [];
    for (const prefix of names) {
      const s = await stat(join(this.root, prefix)).catch(() => null);
      if (s?.isDirectory()) out.push({ prefix, modifiedMs: s.mtimeMs });
    }
    return out;
  }

  async ping(): Promise<boolean> {
    await mkdir(this.root, { recursive: true });
    return true;
  }

  async close(): Promise<void> {}
}

export class RedisArtifacts implements ArtifactStore {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(
    url: string,
    readonly ttlSeconds: number,
    readonly prefix = 'logomill:artifact:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
    this.redis.on('error', () => {});
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    checkKey(key);
    await this.redis.set(this.prefix + key, Buffer.from(data), 'EX', this.ttlSeconds);
  }

  async get(key: string): Promise<Buffer | null> {
    checkKey(key);
    return this.redis.getBuffer(this.prefix + key);
  }

  async open(key: string): Promise<{ stream: Readable; bytes: number } | null> {
    const data = await this.get(key);
    return data ? { stream: Readable.from([data]), bytes: data.length } : null;
  }

  async deletePrefix(prefix: string): Promise<void> {
    checkKey(prefix);
    const stream = this.redis.scanStream({ match: `${this.prefix}${prefix}/*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length) await this.redis.unlink(...keys);
    }
  }

  async listPrefixes(): Promise<{ prefix: string; modifiedMs: number }[]> {
    return []; // every key carries a TTL
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The artifact store the configuration names. */
export function openArtifacts(config: {
  ARTIFACTS: string;
  DATA_DIR: string;
  REDIS_URL: string;
  JOB_TTL_H: number;
}): ArtifactStore {
  if (config.ARTIFACTS === 'redis') {
    if (!config.REDIS_URL) {
      throw new LogomillError('E_BAD_OPTION', 'ARTIFACTS=redis needs REDIS_URL (or --redis).');
    }
    return new RedisArtifacts(config.REDIS_URL, config.JOB_TTL_H * 3600 + 3600);
  }
  return new FsArtifacts(config.DATA_DIR);
}

/**
 * Filesystem cache backend: one file per entry under `<dir>/<2 hex>/<key>`.
 * Writes go to a temporary file that is renamed into place, so a crash mid-
 * write never leaves a half entry under the real name (and unpackEntry checks
 * every file's hash anyway). Hits touch the entry's mtime; when the total size
 * passes the cap, the least recently used entries are removed down to 90 %.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheBackend } from './types.js';

export class FsCache implements CacheBackend {
  readonly name = 'filesystem';
  evictions = 0;
  private size: number | null = null;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), key);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const data = await readFile(this.path(key));
      const now = new Date();
      await utimes(this.path(key), now, now).catch(() => {});
      return data;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async set(key: string, value: Buffer): Promise<void> {
    if (value.length > this.maxBytes) return;
    const final = this.path(key);
    const tmpDir = join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const tmp = join(tmpDir, `${key}.${process.pid}.${randomBytes(4).toString('hex')}`);
    await writeFile(tmp, value);
    await rename(tmp, final);
    this.size = (this.size ?? (await this.measure())) + value.length;
    if (this.size > this.maxBytes) await this.evict();
  }

  /** Every entry with its size and last use, oldest first. */
  private async entries(): Promise<{ path: string; bytes: number; used: number }[]> {
    const out: { path: string; bytes: number; used: number }[] = [];
    let shards: string[];
    try {
      shards = await readdir(this.dir);
    } catch {
      return out;
    }
    for (const shard of shards) {
      if (shard === 'tmp' || shard.length !== 2) continue;
      for (const name of await readdir(join(this.dir, shard)).catch(() => [] as string[])) {
        const path = join(this.dir, shard, name);
        const s = await stat(path).catch(() => null);
        if (s?.isFile()) out.push({ path, bytes: s.size, used: s.mtimeMs });
      }
    }
    return out.sort((a, b) => a.used - b.used || (a.path < b.path ? -1 : 1));
  }

  private async measure(): Promise<number> {
    return (await this.entries()).reduce((n, e) => n + e.bytes, 0);
  }

  private async evict(): Promise<void> {
    const entries = await this.entries();
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    for (const e of entries) {
      if (total <= this.maxBytes * 0.9) break;
      await rm(e.path, { force: true });
      total -= e.bytes;
      this.evictions++;
    }
    this.size = total;
  }

  async close(): Promise<void> {}
}

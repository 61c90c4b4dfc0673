/**
 * The result cache on both backends: the filesystem (hit, miss, LRU eviction,
 * a torn write never served) and a real Redis (REDIS_URL, default
 * redis://127.0.0.1:6379; under CI=true a missing Redis fails the suite).
 * A backend that fails turns the cache off; the job still succeeds.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { packEntry, unpackEntry } from '../src/cache/entry.js';
import { cacheKey, FsCache, RedisCache, ResultCache } from '../src/cache/index.js';
import { canonicalJson, OUTPUT_REVISION } from '../src/cache/key.js';
import { processLogo } from '../src/index.js';
import type { OutputFile } from '../src/variations/types.js';
import { example, withTempDir } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function files(seed: string, size = 1000): OutputFile[] {
  return [
    { name: 'a.png', format: 'png', width: 10, height: 5, data: Buffer.from(`${seed}`.repeat(size)) },
    { name: 'b.svg', format: 'svg', data: Buffer.from(`<svg>${seed}</svg>`) },
  ];
}

describe('cache keys and entries', () => {
  test('keys follow input, variation, options (in any key order) and shared settings', () => {
    const k = cacheKey('aa', 'raster', { quality: 90, sizes: [512] }, { tolerance: 10 });
    assert.equal(k, cacheKey('aa', 'raster', { sizes: [512], quality: 90 }, { tolerance: 10 }));
    assert.notEqual(k, cacheKey('ab', 'raster', { quality: 90, sizes: [512] }, { tolerance: 10 }));
    assert.notEqual(k, cacheKey('aa', 'black', { quality: 90, sizes: [512] }, { tolerance: 10 }));
    assert.notEqual(k, cacheKey('aa', 'raster', { quality: 91, sizes: [512] }, { tolerance: 10 }));
    assert.notEqual(k, cacheKey('aa', 'raster', { quality: 90, sizes: [512] }, { tolerance: 11 }));
    assert.equal(
      canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } }),
      '{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}',
    );
  });

  test('an entry round-trips byte for byte; any damage reads as a miss', () => {
    const packed = packEntry(files('x'));
    const back = unpackEntry(packed);
    assert.ok(back);
    assert.equal(back.length, 2);
    assert.ok(back[0].data.equals(files('x')[0].data));
    assert.deepEqual({ ...back[0], data: null }, { ...files('x')[0], data: null });
    assert.equal(unpackEntry(packed.subarray(0, packed.length - 1)), null, 'truncated');
    const flipped = Buffer.from(packed);
    flipped[flipped.length - 3] ^= 0xff;
    assert.equal(unpackEntry(flipped), null, 'a changed byte');
    assert.equal(unpackEntry(Buffer.from('nonsense')), null);
  });
});

describe('output revision', () => {
  test('outputs change only with a new OUTPUT_REVISION (a cache filled before must miss)', async () => {
    const r = await processLogo(example('leaf-mark.png'), {
      variations: ['transparent', 'black', 'vector', 'raster'],
      options: { raster: { formats: ['png', 'jpeg'], sizes: [] } },
    });
    const lines = r.outputs.map((o) => `${o.variation}/${o.name} ${o.sha256}`).sort();
    assert.equal(lines.length, 8);
    const digest = createHash('sha256').update(lines.join('\n')).digest('hex');
    // the digest of these outputs at this revision: both move together
    assert.deepEqual(
      [OUTPUT_REVISION, digest],
      [20, 'a0f30889019f0d0005599cc291fb1688059df31e89756f97a609b9313ad8f672'],
      'the outputs changed: bump OUTPUT_REVISION in src/cache/key.ts and record the new digest here',
    );
  });
});

describe('filesystem cache', () => {
  test('miss, then hit with identical bytes', () =>
    withTempDir(async (dir) => {
      const cache = new ResultCache(new FsCache(dir, 10 * 1024 * 1024));
      assert.equal(await cache.get('k1'.padEnd(64, '0')), null);
      await cache.set('k1'.padEnd(64, '0'), files('one'));
      const hit = await cache.get('k1'.padEnd(64, '0'));
      assert.ok(hit?.[0].data.equals(files('one')[0].data));
      assert.deepEqual(
        { hits: cache.stats().hits, misses: cache.stats().misses, writes: cache.stats().writes },
        { hits: 1, misses: 1, writes: 1 },
      );
    }));

  test('over the size cap the least recently used entries go first', () =>
    withTempDir(async (dir) => {
      const backend = new FsCache(dir, 50_000); // each entry ≈ 10 KB: four fit
      const cache = new ResultCache(backend);
      const key = (n: number) => `${n}`.padStart(64, 'a');
      for (let n = 0; n < 3; n++) await cache.set(key(n), files(`${n}`, 10_000));
      // touch entry 0 so that it is the most recently used
      await new Promise((r) => setTimeout(r, 20));
      assert.ok(await cache.get(key(0)));
      for (let n = 3; n < 6; n++) {
        await new Promise((r) => setTimeout(r, 20));
        await cache.set(key(n), files(`${n}`, 10_000));
      }
      assert.ok(backend.evictions > 0, 'something was evicted');
      assert.equal(await cache.get(key(1)), null, 'the oldest untouched entry went');
      assert.ok(await cache.get(key(5)), 'the newest stayed');
      assert.ok(await cache.get(key(0)), 'the recently used one stayed');
    }));

  test('a write killed half-way is never served', () =>
    withTempDir(async (dir) => {
      const key = 'f'.repeat(64);
      const whole = packEntry(files('torn', 5000));
      // what a crash could leave: a partial temp file (never under the real name)…
      await mkdir(join(dir, 'tmp'), { recursive: true });
      await writeFile(join(dir, 'tmp', `${key}.123.abcd`), whole.subarray(0, 100));
      const cache = new ResultCache(new FsCache(dir, 1e7));
      assert.equal(await cache.get(key), null);
      // …or, were a file ever cut short in place, the entry check turns it into a miss
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      await writeFile(join(dir, key.slice(0, 2), key), whole.subarray(0, whole.length - 10));
      assert.equal(await cache.get(key), null);
      await cache.set(key, files('torn', 5000));
      assert.ok(await cache.get(key));
      assert.deepEqual(
        await readdir(join(dir, 'tmp')),
        [`${key}.123.abcd`],
        'writes leave no temp files of their own',
      );
    }));

  test('a backend that fails turns the cache off with one warning', async () => {
    const warnings: string[] = [];
    const broken = {
      name: 'filesystem',
      get: async () => {
        throw new Error('disk on fire');
      },
      set: async () => {
        throw new Error('disk on fire');
      },
      close: async () => {},
    };
    const cache = new ResultCache(broken, (w) => warnings.push(w));
    assert.equal(await cache.get('x'), null);
    await cache.set('x', files('y'));
    assert.equal(await cache.get('x'), null);
    assert.equal(cache.stats().enabled, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /disk on fire.*going on without a cache/);
  });
});

describe('Redis cache (real server)', () => {
  let probe: Redis;
  let up = false;
  before(async () => {
    probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      up = (await probe.ping()) === 'PONG';
    } catch {
      up = false;
    }
    if (!up && process.env.CI === 'true') throw new Error(`CI=true but no Redis answers at ${REDIS_URL}`);
  });
  after(async () => {
    if (up) await probe.quit();
  });

  test('miss, hit with identical bytes, TTL set, entry size cap', async (t) => {
    if (!up) return t.skip(`no Redis at ${REDIS_URL}`);
    const prefix = `logomill-test:${randomBytes(6).toString('hex')}:`;
    const backend = new RedisCache(REDIS_URL, 60, 50_000, prefix);
    const cache = new ResultCache(backend);
    try {
      const key = 'b'.repeat(64);
      assert.equal(await cache.get(key), null);
      await cache.set(key, files('redis'));
      const hit = await cache.get(key);
      assert.ok(hit?.[0].data.equals(files('redis')[0].data));
      const ttl = await probe.ttl(prefix + key);
      assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
      await cache.set('c'.repeat(64), files('big', 60_000));
      assert.equal(await probe.exists(`${prefix}${'c'.repeat(64)}`), 0, 'too big to store');
      assert.equal(cache.stats().backend, 'redis');
    } finally {
      const keys = await probe.keys(`${prefix}*`);
      if (keys.length) await probe.del(...keys);
      await cache.close();
    }
  });

  test('Redis down: the cache turns off, nothing throws', async () => {
    const warnings: string[] = [];
    const cache = new ResultCache(new RedisCache('redis://127.0.0.1:1', 60), (w) => warnings.push(w));
    assert.equal(await cache.get('d'.repeat(64)), null);
    await cache.set('d'.repeat(64), files('z'));
    assert.equal(cache.stats().enabled, false);
    assert.equal(warnings.length, 1);
    await cache.close();
  });
});

describe('cache keys: properties (fast-check)', () => {
  /** An object with its keys in a random order, at every level. */
  const shuffled = (v: unknown, order: number[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => shuffled(x, order));
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      const perm = keys.map((k, i) => [order[i % order.length] ?? i, k] as const).sort((a, b) => a[0] - b[0]);
      return Object.fromEntries(perm.map(([, k]) => [k, shuffled((v as Record<string, unknown>)[k], order)]));
    }
    return v;
  };
  const options = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.oneof(
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
    ),
    { maxKeys: 6 },
  );

  test('the same options in any key order give the same key', () => {
    fc.assert(
      fc.property(
        options,
        options,
        fc.array(fc.nat(100), { minLength: 1, maxLength: 8 }),
        (o, shared, order) => {
          assert.equal(
            cacheKey('abc', 'raster', o, shared),
            cacheKey('abc', 'raster', shuffled(o, order), shuffled(shared, order)),
          );
        },
      ),
      { numRuns: 300, seed: 1501 },
    );
  });

  test('different options, variation or input give different keys', () => {
    fc.assert(
      fc.property(options, options, (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        assert.notEqual(cacheKey('abc', 'raster', a, {}), cacheKey('abc', 'raster', b, {}));
        assert.notEqual(cacheKey('abc', 'raster', a, {}), cacheKey('abd', 'raster', a, {}));
        assert.notEqual(cacheKey('abc', 'raster', a, {}), cacheKey('abc', 'vector', a, {}));
      }),
      { numRuns: 300, seed: 1502 },
    );
  });
});

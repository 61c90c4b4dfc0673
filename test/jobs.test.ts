/**
 * The service's parts without HTTP: the artifact stores (one contract, run
 * against the folder and a real Redis), the job store's state rules (a job
 * becomes final exactly once; an item is recorded once; running items go
 * back to the queue), and the retention sweep.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type ArtifactStore, FsArtifacts, RedisArtifacts } from '../src/jobs/artifacts.js';
import { JobService } from '../src/jobs/service.js';
import { deriveJobState, JobStore } from '../src/jobs/store.js';
import { JobTiming } from '../src/jobs/timing.js';
import type { ItemResult } from '../src/jobs/types.js';
import { REDIS_URL, redisUp } from './service-helpers.js';

async function contract(store: ArtifactStore, job: string): Promise<void> {
  const data = randomBytes(5000);
  await store.put(`${job}/item/vector/vector.svg`, data);
  await store.put(`${job}/item/manifest.json`, Buffer.from('{}'));
  await store.put(`${job}x/item/other.png`, Buffer.from('keep me'));
  assert.ok((await store.get(`${job}/item/vector/vector.svg`))?.equals(data));
  assert.equal(await store.get(`${job}/item/vector/missing.svg`), null);
  const opened = await store.open(`${job}/item/vector/vector.svg`);
  assert.equal(opened?.bytes, 5000);
  const chunks: Buffer[] = [];
  for await (const c of opened?.stream ?? []) chunks.push(Buffer.from(c));
  assert.ok(Buffer.concat(chunks).equals(data));
  assert.equal(await store.open(`${job}/nothing`), null);
  // keys that could leave the store are refused outright
  for (const bad of [`${job}/../escape`, `${job}//x`, '../x', `${job}/a\\b`]) {
    await assert.rejects(store.put(bad, data), /Refused artifact key/);
  }
  await store.deletePrefix(job);
  assert.equal(await store.get(`${job}/item/vector/vector.svg`), null);
  assert.equal(await store.get(`${job}/item/manifest.json`), null);
  assert.equal(
    (await store.get(`${job}x/item/other.png`))?.toString(),
    'keep me',
    'a sibling prefix survives',
  );
  await store.deletePrefix(`${job}x`);
  assert.equal(await store.ping(), true);
}

describe('artifact stores: one contract', () => {
  test('fs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logomill-art-'));
    try {
      await contract(new FsArtifacts(dir), 'job1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('redis', async (t) => {
    if (!(await redisUp())) return t.skip(`no Redis at ${REDIS_URL}`);
    const store = new RedisArtifacts(REDIS_URL, 60, `logomill:test-art-${randomBytes(4).toString('hex')}:`);
    try {
      await contract(store, 'job1');
    } finally {
      await store.close();
    }
  });
});

const result = (failed: string[] = []): ItemResult => ({
  input: { format: 'png', width: 10, height: 10, bytes: 100, sha256: 'x' },
  background: null,
  warnings: [],
  outputs: [],
  failures: failed.map((v) => ({ variation: v, code: 'E_INTERNAL', message: 'boom' })),
});

describe('job store', () => {
  test('job state follows its items', () => {
    const s = (...states: string[]) => deriveJobState(states.map((state) => ({ state: state as never })));
    assert.equal(s('queued', 'queued'), 'queued');
    assert.equal(s('running', 'queued'), 'running');
    assert.equal(s('completed', 'queued'), 'running');
    assert.equal(s('completed', 'failed'), 'completed');
    assert.equal(s('failed', 'failed'), 'failed');
  });

  test('an item is recorded once; the job becomes final exactly once; running items go back', () => {
    const store = new JobStore(':memory:');
    const request = { variations: ['black', 'white'], options: {} };
    store.create('j1', request, [
      { name: 'a', inputKey: 'j1/_inputs/0' },
      { name: 'b', inputKey: 'j1/_inputs/1' },
    ]);
    assert.equal(store.get('j1')?.state, 'queued');
    assert.deepEqual(
      store.queuedItems(10).map((i) => i.index),
      [0, 1],
    );
    assert.equal(store.claim('j1', 0), true);
    assert.equal(store.claim('j1', 0), false, 'a running item cannot be claimed again');
    assert.equal(store.get('j1')?.state, 'running');
    store.setTask('j1', 0, 'black', 'running');
    assert.equal(store.get('j1')?.items[0].tasks.black, 'running');
    assert.equal(store.finishItem('j1', 0, { result: result(['white']) }), null);
    assert.deepEqual(store.get('j1')?.items[0].tasks, { black: 'done', white: 'failed' });
    // a late second report of the same item changes nothing
    assert.equal(store.finishItem('j1', 0, { error: { code: 'E_INTERNAL', message: 'late' } }), null);
    assert.equal(store.get('j1')?.items[0].state, 'completed');

    // a crash while item 1 runs: it goes back to the queue and counts the attempt
    assert.equal(store.claim('j1', 1), true);
    assert.equal(store.requeueRunning(), 1);
    const back = store.queuedItems(10);
    assert.deepEqual(
      back.map((i) => [i.index, i.attempts]),
      [[1, 1]],
    );
    assert.equal(store.claim('j1', 1), true);
    assert.equal(
      store.finishItem('j1', 1, { error: { code: 'E_CORRUPT_INPUT', message: 'bad' } }),
      'completed',
    );
    assert.equal(store.finishItem('j1', 1, { error: { code: 'E_CORRUPT_INPUT', message: 'bad' } }), null);
    const job = store.get('j1');
    assert.equal(job?.state, 'completed');
    assert.ok(job?.finishedAt);
    assert.deepEqual(job?.items[1].tasks, { black: 'failed', white: 'failed' });
    assert.equal(store.counts().jobs.completed, 1);
    assert.equal(store.unfinishedJobs(), 0);
    store.close();
  });

  test('the retention sweep deletes finished jobs older than JOB_TTL_H with their files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logomill-sweep-'));
    const store = new JobStore(dir);
    const artifacts = new FsArtifacts(dir);
    const service = new JobService({
      store,
      artifacts,
      config: { MAX_UPLOAD_MB: 1, MAX_FILES_PER_JOB: 5, MAX_QUEUED_JOBS: 10, JOB_TTL_H: 1 },
    });
    try {
      const request = { variations: ['black'], options: {} };
      const old = await service.intake.create([{ name: 'old.png', data: Buffer.from('x') }], request);
      const fresh = await service.intake.create([{ name: 'new.png', data: Buffer.from('y') }], request);
      const running = await service.intake.create([{ name: 'run.png', data: Buffer.from('z') }], request);
      const t0 = Date.now();
      store.claim(old, 0);
      store.finishItem(old, 0, { result: result() }, t0 - 2 * 3600_000);
      store.claim(fresh, 0);
      store.finishItem(fresh, 0, { result: result() }, t0);
      // files of no job: an upload cut off an hour ago goes, one in progress stays
      await artifacts.put('cutoff/_inputs/0.png', Buffer.from('a'));
      await artifacts.put('uploading/_inputs/0.png', Buffer.from('b'));
      const hourAgo = new Date(t0 - 2 * 3600_000);
      await utimes(join(dir, 'artifacts', 'cutoff'), hourAgo, hourAgo);
      assert.equal(await service.sweep(t0), 2);
      assert.equal(await artifacts.get('cutoff/_inputs/0.png'), null);
      assert.ok(await artifacts.get('uploading/_inputs/0.png'));
      assert.equal(service.get(old), null);
      assert.equal(await artifacts.get(`${old}/_inputs/0.png`), null);
      assert.ok(service.get(fresh));
      assert.ok(service.get(running), 'unfinished jobs are never swept');
      assert.ok(await artifacts.get(`${running}/_inputs/0.png`));
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('job timing', () => {
  test('Retry-After: a guess of 2 s per item until items ran, then the median item time, capped at 120 s', () => {
    const timing = new JobTiming(() => {});
    assert.equal(timing.retryAfterSeconds(0), 1);
    assert.equal(timing.retryAfterSeconds(10), 5);
    assert.equal(timing.retryAfterSeconds(1000), 120);
    // items that took no time at all: never less than a second
    for (let i = 0; i < 3; i++) {
      timing.itemStarted('j', i);
      timing.itemFinished('j', i);
    }
    assert.equal(timing.retryAfterSeconds(10), 1);
  });

  test('a task is timed from the first running report to done or failed, once', () => {
    const ends: [string, string][] = [];
    const timing = new JobTiming((variation, seconds, state) => {
      assert.ok(seconds >= 0);
      ends.push([variation, state]);
    });
    timing.task('j', 0, 'favicon', 'running');
    timing.task('j', 0, 'favicon', 'running'); // a repeated report does not restart the clock
    timing.task('j', 0, 'favicon', 'done');
    timing.task('j', 0, 'favicon', 'done'); // nor is an end reported twice
    timing.task('j', 0, 'black', 'failed'); // not seen running here (another process ran it)
    timing.task('j', 1, 'vector', 'running');
    timing.itemFinished('j', 1); // the item ended: its open tasks are forgotten
    timing.task('j', 1, 'vector', 'done');
    assert.deepEqual(ends, [['favicon', 'done']]);
  });
});

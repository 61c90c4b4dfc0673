/**
 * The queue when Redis itself fails: a Redis of the test's own (a real
 * redis-server on a free port, no persistence) is restarted empty while jobs
 * wait in it, and stopped while a job is posted. Jobs must neither be lost
 * nor duplicated; Idempotency-Key makes a client's retry safe.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { example } from './helpers.js';
import {
  freePort,
  getJson,
  postJob,
  spawnCli,
  startTestServer,
  type TestServer,
  waitForJob,
} from './service-helpers.js';

/** A redis-server on `port` without persistence; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

describe('Redis restarted empty, Redis down, retried POSTs', () => {
  let port: number;
  let redisUrl: string;
  let redis: ChildProcess | null = null;
  let srv: TestServer;
  let worker: ChildProcess | null = null;
  let workerDir: string;
  let logo: Buffer;
  const queueName = `recovery-${process.pid}`;

  before(async () => {
    logo = await readFile(example('acme-badge-transparent.png'));
    port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port);
    // the API only queues (no worker of its own), checking the queue every 200 ms
    srv = await startTestServer(
      { REDIS_URL: redisUrl },
      { queueName, localWorker: false, queueCheckMs: 200 },
    );
    workerDir = await mkdtemp(join(tmpdir(), 'logomill-recovery-'));
  });
  after(async () => {
    if (worker && worker.exitCode === null) {
      const gone = new Promise((r) => worker?.once('exit', r));
      worker.kill('SIGKILL');
      await gone;
    }
    await srv?.stop();
    await stopRedis(redis);
    await rm(workerDir, { recursive: true, force: true });
  });

  test('jobs queued in a Redis that restarts empty are added back and complete', async () => {
    const a = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'black' });
    const b = await postJob(srv.url, [{ name: 'b.png', data: logo }], { variations: 'white' });
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    // Redis restarts with nothing in it: the two waiting items are gone from the queue
    await stopRedis(redis);
    redis = await startRedis(port);
    // a worker now finds work only if the API noticed and added the items back
    worker = (
      await spawnCli([
        'worker',
        '--redis',
        redisUrl,
        '--queue',
        queueName,
        '--data-dir',
        srv.dir,
        '--no-cache',
        '--max-workers',
        '1',
      ])
    ).child;
    for (const id of [a.body.id, b.body.id]) {
      const job = await waitForJob(srv.url, id, 120_000);
      assert.equal(job.state, 'completed', JSON.stringify(job.items[0].error));
    }
  });

  test('a POST while Redis is down is answered 202 at once and runs when Redis is back; Idempotency-Key makes the retry safe', async () => {
    await stopRedis(redis);
    const headers = { 'idempotency-key': 'retry-me-1' };
    const first = await postJob(
      srv.url,
      [{ name: 'c.png', data: logo }],
      { variations: 'grayscale' },
      headers,
    );
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const ready = await getJson(`${srv.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(ready.body.runner, false);
    // the client, unsure, sends the same request again: the same job, not a second one
    const retry = await postJob(
      srv.url,
      [{ name: 'c.png', data: logo }],
      { variations: 'grayscale' },
      headers,
    );
    assert.equal(retry.status, 202);
    assert.equal(retry.body.id, first.body.id);
    // the same key with another request is an error, not a silent replay
    const other = await postJob(srv.url, [{ name: 'c.png', data: logo }], { variations: 'black' }, headers);
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'E_IDEMPOTENCY_MISMATCH');
    redis = await startRedis(port);
    const job = await waitForJob(srv.url, first.body.id, 120_000);
    assert.equal(job.state, 'completed');
    const counts = srv.service.store.counts();
    assert.equal(counts.queuedItems + counts.runningItems, 0);
  });
});

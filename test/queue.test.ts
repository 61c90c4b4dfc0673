/**
 * Scale-out on a real Redis (BullMQ): the API queues each logo, two
 * `logomill worker` processes run them; one is SIGKILLed while it holds a
 * logo, and the logo completes on the other once its lock lapses. Results
 * are read back through the API. The API restarting mid-job loses nothing
 * either: it reconciles the store with the queue.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { RedisArtifacts } from '../src/jobs/artifacts.js';
import { example } from './helpers.js';
import {
  dropQueue,
  exited,
  getJson,
  postJob,
  REDIS_URL,
  redisUp,
  spawnCli,
  startTestServer,
  stopChildren,
  testQueueName,
  until,
  unzip,
  waitForJob,
} from './service-helpers.js';

/** `logomill worker` on a test queue: one thread, no cache, the API's data folder. */
/** A small logo: a square of `color` on white (a solid image has no art: E_NO_ART). */
async function tinyLogo(width: number, height: number, color: string): Promise<Buffer> {
  const square = await sharp({
    create: { width: width >> 1, height: height >> 1, channels: 3, background: color },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: square, left: width >> 2, top: height >> 2 }])
    .png()
    .toBuffer();
}

const workerArgs = (queueName: string, dataDir: string, ...extra: string[]) => [
  'worker',
  '--redis',
  REDIS_URL,
  '--queue',
  queueName,
  '--data-dir',
  dataDir,
  '--no-cache',
  '--max-workers',
  '1',
  ...extra,
];

test('two queue workers; one killed mid-job: the job completes on the other', {
  timeout: 180_000,
}, async (t) => {
  if (!(await redisUp())) return t.skip(`no Redis at ${REDIS_URL}`);
  const queueName = testQueueName();
  const api = await startTestServer({ REDIS_URL, QUEUE_LOCK_MS: 2000 }, { queueName, localWorker: false });
  const args = workerArgs(queueName, api.dir, '--batch-size', '1');
  const env = { QUEUE_LOCK_MS: '2000' };
  const workers = await Promise.all([spawnCli(args, env), spawnCli(args, env)]);
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  try {
    const logos = await Promise.all(
      ['acme-badge-transparent.png', 'harbor-on-white.png', 'leaf-mark.png', 'peak-on-white.jpg'].map((n) =>
        readFile(example(n)),
      ),
    );
    const r = await postJob(
      api.url,
      logos.map((data, i) => ({ name: `logo-${i}.png`, data })),
      { variations: 'transparent,vector,vector-color,favicon' },
    );
    assert.equal(r.status, 202);
    const id = r.body.id;

    // wait until the first worker holds a logo, then kill it without warning
    const victim = workers[0];
    const pid = victim.child.pid as number;
    let held = '';
    for (let i = 0; i < 600 && !held; i++) {
      const active = await queue.getActive();
      held = active.find((j) => j.processedBy?.endsWith(`#${pid}`))?.id ?? '';
      if (!held) await new Promise((res) => setTimeout(res, 25));
    }
    assert.ok(held, 'the first worker took a logo');
    const status = await getJson(`${api.url}/api/jobs/${id}`);
    assert.notEqual(status.body.state, 'completed');
    victim.child.kill('SIGKILL');
    await exited(victim.child);

    const job = await waitForJob(api.url, id, 120_000);
    assert.equal(job.state, 'completed');
    for (const item of job.items) {
      assert.equal(item.state, 'completed', `${item.name}: ${JSON.stringify(item.error)}`);
      assert.deepEqual(Object.values(item.tasks), ['done', 'done', 'done', 'done']);
    }
    // the killed worker's logo was finished by the survivor
    const redone = await queue.getJob(held);
    assert.ok(
      redone?.processedBy?.endsWith(`#${workers[1].child.pid}`),
      `processed by ${redone?.processedBy}`,
    );

    // results are served by the API from the shared data folder
    const png = job.items[0].outputs.find((o: { name: string }) => o.name === 'transparent.png');
    assert.ok(png);
    const bytes = Buffer.from(await (await fetch(api.url + png.url)).arrayBuffer());
    assert.equal((await sharp(bytes).metadata()).width, png.width);
    const zip = await unzip(Buffer.from(await (await fetch(api.url + job.archiveUrl)).arrayBuffer()));
    assert.equal(
      zip.size,
      job.items.reduce((n: number, i: { outputs: unknown[] }) => n + i.outputs.length + 1, 0),
    );

    // metrics of the queue mode
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(metrics, /logomill_queue_depth 0\b/);
  } finally {
    await stopChildren(workers.map((w) => w.child));
    await dropQueue(queue);
    await api.stop();
  }
});

test('the API restarts mid-job: the store and the queue are reconciled (results in Redis)', {
  timeout: 120_000,
}, async (t) => {
  if (!(await redisUp())) return t.skip(`no Redis at ${REDIS_URL}`);
  const queueName = testQueueName();
  // ARTIFACTS=redis: the worker shares nothing with the API but Redis (its own data folder)
  const first = await startTestServer({ REDIS_URL, ARTIFACTS: 'redis' }, { queueName, localWorker: false });
  const dir = first.dir;
  const workerDir = await mkdtemp(join(tmpdir(), 'logomill-worker-'));
  const tiny = await tinyLogo(40, 40, '#224488');
  // no worker yet: the job waits in the queue while the API goes away
  const r = await postJob(
    first.url,
    [0, 1, 2].map((i) => ({ name: `t${i}.png`, data: tiny })),
    {
      variations: 'black,white',
    },
  );
  assert.equal(r.status, 202);
  await first.close(); // keeps the data folder
  const worker = await spawnCli(
    ['worker', '--redis', REDIS_URL, '--queue', queueName, '--data-dir', workerDir, '--no-cache'],
    { ARTIFACTS: 'redis' },
  );
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  try {
    // logos are queued round-robin across jobs: a job's n-th logo has priority n
    assert.deepEqual(
      await Promise.all([0, 1, 2].map(async (i) => (await queue.getJob(`${r.body.id}.${i}`))?.opts.priority)),
      [1, 2, 3],
    );
    // the worker finishes everything while no API listens
    for (let i = 0; i < 400; i++) {
      const c = await queue.getJobCounts('completed');
      if (c.completed === 3) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const second = await startTestServer(
      { REDIS_URL, ARTIFACTS: 'redis', DATA_DIR: dir },
      { queueName, localWorker: false },
    );
    try {
      const job = await waitForJob(second.url, r.body.id, 30_000);
      assert.equal(job.state, 'completed');
      assert.deepEqual(
        job.items.map((i: { outputs: unknown[] }) => i.outputs.length),
        [2, 2, 2],
      );
      const png = job.items[2].outputs.find((o: { name: string }) => o.name === 'white.png');
      assert.ok(png);
      const bytes = Buffer.from(await (await fetch(second.url + png.url)).arrayBuffer());
      assert.equal((await sharp(bytes).metadata()).width, png.width);
      // deleting the job deletes its files from Redis too
      assert.equal((await fetch(`${second.url}/api/jobs/${job.id}`, { method: 'DELETE' })).status, 204);
      const store = new RedisArtifacts(REDIS_URL, 60);
      assert.equal(await store.get(`${job.id}/_inputs/0.png`), null);
      await store.close();
    } finally {
      await second.close();
    }
  } finally {
    worker.child.kill('SIGTERM');
    assert.equal(await exited(worker.child), 0);
    await dropQueue(queue);
    await rm(dir, { recursive: true, force: true });
    await rm(workerDir, { recursive: true, force: true });
  }
});

test('serve --redis works the queue itself; a worker started beside it shares the load', {
  timeout: 120_000,
}, async (t) => {
  if (!(await redisUp())) return t.skip(`no Redis at ${REDIS_URL}`);
  const queueName = testQueueName();
  const api = await startTestServer({ REDIS_URL, BATCH_SIZE: 1, MAX_WORKERS: 1 }, { queueName });
  const worker = await spawnCli(workerArgs(queueName, api.dir, '--batch-size', '1'));
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  try {
    const logo = await readFile(example('leaf-mark.png'));
    const r = await postJob(
      api.url,
      Array.from({ length: 6 }, (_, i) => ({ name: `l${i}.png`, data: logo })),
      { variations: 'transparent,vector-color' },
    );
    const job = await waitForJob(api.url, r.body.id, 100_000);
    assert.equal(job.state, 'completed');
    const by = new Set<string>();
    for (const j of await queue.getJobs(['completed'])) by.add(j.processedBy?.split('#')[1] ?? '');
    assert.ok(by.has(String(process.pid)), `the API processed some: ${[...by]}`);
    assert.ok(by.has(String(worker.child.pid)), `the worker processed some: ${[...by]}`);
    // both heartbeats reach the API's metrics, with what each did (a beat every 5 s)
    const processed = (metrics: string, pid: number | undefined) =>
      Number(
        new RegExp(`^logomill_worker_items_processed\\{worker="[^"]+#${pid}"\\} (\\d+)$`, 'm').exec(
          metrics,
        )?.[1] ?? 0,
      );
    let metrics = '';
    await until(async () => {
      metrics = await (await fetch(`${api.url}/metrics`)).text();
      return [process.pid, worker.child.pid].every((pid) => processed(metrics, pid) > 0);
    });
    assert.match(metrics, /^logomill_queue_workers 2$/m);
    assert.match(metrics, /^logomill_worker_memory_rss_mb\{worker="[^"]+"\} \d+/m);
  } finally {
    worker.child.kill('SIGTERM');
    await exited(worker.child);
    await dropQueue(queue);
    await api.stop();
  }
});

test('serve --redis --no-worker only queues: nothing runs until a worker comes', {
  timeout: 60_000,
}, async (t) => {
  if (!(await redisUp())) return t.skip(`no Redis at ${REDIS_URL}`);
  const queueName = testQueueName();
  const dir = await mkdtemp(join(tmpdir(), 'logomill-noworker-'));
  const common = ['--redis', REDIS_URL, '--queue', queueName, '--data-dir', dir, '--no-cache'];
  const api = await spawnCli(['serve', '--port', '0', '--no-worker', ...common]);
  assert.match(api.line, /worked by logomill worker processes/);
  const url = /http:\/\/[\d.:]+/.exec(api.line)?.[0] as string;
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  let worker: Awaited<ReturnType<typeof spawnCli>> | null = null;
  try {
    const tiny = await tinyLogo(32, 32, '#883322');
    const r = await postJob(url, [{ name: 't.png', data: tiny }], { variations: 'black' });
    // waiting in the queue (prioritised: logos carry their index as priority), and nobody runs it
    let counts: Record<string, number> = {};
    await until(async () => {
      counts = await queue.getJobCounts('waiting', 'prioritized', 'active');
      return (counts.waiting ?? 0) + (counts.prioritized ?? 0) > 0;
    });
    assert.equal((await getJson(`${url}/api/jobs/${r.body.id}`)).body.state, 'queued');
    assert.equal((counts.waiting ?? 0) + (counts.prioritized ?? 0), 1);
    assert.equal(counts.active ?? 0, 0);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^logomill_queue_depth 1$/m);
    worker = await spawnCli(['worker', ...common]);
    assert.equal((await waitForJob(url, r.body.id, 30_000)).state, 'completed');
  } finally {
    for (const p of [worker, api]) {
      if (!p) continue;
      p.child.kill('SIGTERM');
      assert.equal(await exited(p.child), 0);
    }
    await dropQueue(queue);
    await rm(dir, { recursive: true, force: true });
  }
});

test('deleting a job stops its logo on the worker running it, on another process', {
  timeout: 90_000,
}, async (t) => {
  if (!(await redisUp())) return t.skip(`no Redis at ${REDIS_URL}`);
  const queueName = testQueueName();
  const api = await startTestServer({ REDIS_URL }, { queueName, localWorker: false });
  const worker = await spawnCli(workerArgs(queueName, api.dir));
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  try {
    const logo = await readFile(example('harbor-on-white.png'));
    const r = await postJob(api.url, [{ name: 'slow.png', data: logo }], {
      variations: 'separations,vector-color',
      options: JSON.stringify({ separations: { mode: 'process' } }),
    });
    const id = r.body.id;
    for (let i = 0; i < 400; i++) {
      const job = (await getJson(`${api.url}/api/jobs/${id}`)).body;
      if (job.items[0].state === 'running') break;
      await new Promise((res) => setTimeout(res, 25));
    }
    assert.equal((await fetch(`${api.url}/api/jobs/${id}`, { method: 'DELETE' })).status, 204);
    // the worker stops the logo: it fails once, for good, instead of running to the end
    let state = '';
    let bull: Awaited<ReturnType<typeof queue.getJob>>;
    for (let i = 0; i < 200 && state !== 'failed' && state !== 'completed'; i++) {
      bull = await queue.getJob(`${id}.0`);
      state = bull ? await bull.getState() : '';
      if (state !== 'failed' && state !== 'completed') await new Promise((res) => setTimeout(res, 25));
    }
    assert.equal(state, 'failed');
    bull = await queue.getJob(`${id}.0`); // read again: the copy above may predate the failure
    assert.match(String(bull?.failedReason), /deleted/);
    assert.equal(bull?.attemptsMade, 1, 'not retried');
    // and the worker is free for the next job
    const tiny = await tinyLogo(32, 32, '#336699');
    const next = await postJob(api.url, [{ name: 'next.png', data: tiny }], { variations: 'black' });
    assert.equal((await waitForJob(api.url, next.body.id, 30_000)).state, 'completed');
  } finally {
    await stopChildren([worker.child]);
    await dropQueue(queue);
    await api.stop();
  }
});

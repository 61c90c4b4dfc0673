/**
 * The service under faults, measured: `npm run bench:service-faults [-- --runs N]`.
 *
 *   L  300 uploads posted at once from one address: with the defaults (UPLOADS_PER_CLIENT 4, so
 *      most are 429) and as if from many clients (per-client cap lifted): how many were accepted,
 *      refused (429, 503), failed (5xx) or reset, and the p50/p95 time to an answer.
 *   S  8 slow clients (a byte a second) holding every upload slot, then 50 normal uploads: every
 *      normal one must be answered (503 + Retry-After while the slots are held, never a reset),
 *      and with retries after Retry-After all are accepted once the slow ones are cut (408 after
 *      REQUEST_TIMEOUT_MS, 20 s here).
 *   R  Redis flushed while ten logos wait in the queue (the API with --no-worker, a redis-server of
 *      the benchmark's own): seconds from the flush until the items are back in the queue, and
 *      until all ten jobs are done once a worker starts.
 *
 * Prints medians and writes bench/results/service-faults-<date>.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { freePort } from '../test/service-helpers.js';
import { median, post, quantile, start, stop, waitAll } from './service-lib.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;

const tiny = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } })
  .composite([
    { input: { create: { width: 30, height: 20, channels: 3, background: '#c01020' } }, left: 17, top: 14 },
  ])
  .png()
  .toBuffer();

interface Answer {
  status: number | 'reset';
  ms: number;
  retryAfter: number;
}

async function upload(url: string, i: number): Promise<Answer> {
  const t = performance.now();
  try {
    const form = new FormData();
    form.append('variations', 'black');
    form.append('files', new Blob([tiny]), `t${i}.png`);
    const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
    await res.arrayBuffer();
    return {
      status: res.status,
      ms: performance.now() - t,
      retryAfter: Number(res.headers.get('retry-after')),
    };
  } catch {
    return { status: 'reset', ms: performance.now() - t, retryAfter: 0 };
  }
}

const count = (xs: Answer[], f: (a: Answer) => boolean) => xs.filter(f).length;

async function server(env: Record<string, string>, extra: string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'logomill-bench-faults-'));
  const srv = await start(
    ['serve', '--port', '0', '--data-dir', dir, '--no-cache', '--max-workers', '2', ...extra],
    {
      MAX_QUEUED_JOBS: '1000',
      RATE_LIMIT_PER_MIN: '100000',
      ...env,
    },
  );
  return {
    ...srv,
    dir,
    close: async () => {
      await stop(srv.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function scenarioL(perClient: string) {
  const srv = await server({ UPLOADS_PER_CLIENT: perClient });
  try {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => upload(srv.url, i)));
    return {
      accepted: count(answers, (a) => a.status === 202),
      r429: count(answers, (a) => a.status === 429),
      r503: count(answers, (a) => a.status === 503),
      r5xxOther: count(answers, (a) => typeof a.status === 'number' && a.status >= 500 && a.status !== 503),
      resets: count(answers, (a) => a.status === 'reset'),
      p50Ms: quantile(
        answers.map((a) => a.ms),
        0.5,
      ),
      p95Ms: quantile(
        answers.map((a) => a.ms),
        0.95,
      ),
    };
  } finally {
    await srv.close();
  }
}

/** A client that sends an upload's first bytes, then one byte a second. */
function slowClient(url: string): Socket {
  const { hostname, port } = new URL(url);
  const s = connect(Number(port), hostname);
  s.on('error', () => {});
  s.write(
    'POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n',
  );
  const timer = setInterval(() => s.write('x'), 1000);
  s.once('close', () => clearInterval(timer));
  return s;
}

async function scenarioS() {
  const srv = await server({ UPLOADS_PER_CLIENT: '1000', REQUEST_TIMEOUT_MS: '20000' });
  const slow = Array.from({ length: 8 }, () => slowClient(srv.url));
  try {
    // the slots are taken once /readyz says so
    for (;;) {
      const r = (await (await fetch(`${srv.url}/readyz`)).json()) as { uploads: { active: number } };
      if (r.uploads.active === 8) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const t = performance.now();
    const first = await Promise.all(Array.from({ length: 50 }, (_, i) => upload(srv.url, i)));
    const firstAnswerS = Math.max(...first.map((a) => a.ms)) / 1000;
    // clients that honour Retry-After until they are accepted
    const finals = await Promise.all(
      first.map(async (a, i) => {
        let answer = a;
        let tries = 1;
        while (answer.status === 503 || answer.status === 429) {
          await new Promise((res) => setTimeout(res, answer.retryAfter * 1000));
          answer = await upload(srv.url, i);
          tries++;
        }
        return { answer, tries };
      }),
    );
    return {
      firstAnswered: count(first, (a) => a.status !== 'reset'),
      first503: count(first, (a) => a.status === 503),
      firstResets: count(first, (a) => a.status === 'reset'),
      firstAnswerS,
      allAcceptedS: (performance.now() - t) / 1000,
      accepted: finals.filter((f) => f.answer.status === 202).length,
      maxTries: Math.max(...finals.map((f) => f.tries)),
    };
  } finally {
    for (const s of slow) s.destroy();
    await srv.close();
  }
}

async function scenarioR() {
  const port = await freePort();
  const redisUrl = `redis://127.0.0.1:${port}`;
  const redisServer: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queueName = `faults-${process.pid}`;
  const queue = new Queue(queueName, { connection: { url: redisUrl } });
  const common = ['--redis', redisUrl, '--queue', queueName];
  const srv = await server({}, ['--no-worker', ...common]);
  let worker: ChildProcess | null = null;
  try {
    const ids = [];
    for (let i = 0; i < 10; i++)
      ids.push((await post(srv.url, [{ name: `t${i}.png`, data: tiny }], 'black')).body.id);
    const waiting = async () => {
      const c = await queue.getJobCounts('waiting', 'prioritized');
      return (c.waiting ?? 0) + (c.prioritized ?? 0);
    };
    while ((await waiting()) < 10) await new Promise((r) => setTimeout(r, 20));
    const t = performance.now();
    await redis.flushall();
    while ((await waiting()) < 10) await new Promise((r) => setTimeout(r, 20));
    const requeuedS = (performance.now() - t) / 1000;
    worker = (
      await start(['worker', ...common, '--data-dir', srv.dir, '--no-cache', '--max-workers', '1'], {})
    ).child;
    await waitAll(srv.url, ids);
    return { requeuedS, allDoneS: (performance.now() - t) / 1000 };
  } finally {
    if (worker) await stop(worker);
    await srv.close();
    await queue.close();
    redis.disconnect();
    redisServer.kill('SIGKILL');
  }
}

const runs: Record<string, number[]> = {};
const add = (prefix: string, o: Record<string, number>) => {
  for (const [k, v] of Object.entries(o)) {
    runs[`${prefix}.${k}`] ??= [];
    runs[`${prefix}.${k}`].push(v);
  }
};
for (let r = 0; r < RUNS; r++) {
  add('L.defaults', await scenarioL('4'));
  add('L.many_clients', await scenarioL('1000'));
  add('S', await scenarioS());
  add('R', await scenarioR());
  process.stderr.write(`run ${r + 1}/${RUNS} done\n`);
}
const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
for (const [k, v] of Object.entries(medians))
  console.log(`${k.padEnd(28)} ${v.toFixed(2)}   runs: ${runs[k].map((x) => x.toFixed(2)).join(' ')}`);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(
  path.join(HERE, 'results', `service-faults-${date}.json`),
  `${JSON.stringify({ date, machine, runs: RUNS, medians, all: runs }, null, 2)}\n`,
);

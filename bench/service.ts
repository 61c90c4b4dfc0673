/**
 * The service, measured: `npm run bench:service [-- --runs N]`.
 *
 *   A  ten logos (the five examples twice, as ten one-logo jobs posted at once) with the web kit's
 *      core variations (transparent, raster, vector, favicon) through the embedded server over
 *      HTTP, against the peer: the same logos through `logomill batch` (the same engine, no HTTP,
 *      no store). Both with 2 worker threads and no cache.
 *   B  the same through the BullMQ queue on the local Redis with 1 and then 2 `logomill worker`
 *      processes of one thread each: does a second worker share the load?
 *   C  200 tiny uploads posted at once (the `black` variation): latency of the 202s, time until
 *      every job is done, 5xx count, the server's peak RSS (VmHWM).
 *
 * Every run starts fresh processes and data folders. Prints medians and writes
 * bench/results/service-<date>.json.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { CLI, median, peakRssMb, post, quantile, start, stop, waitAll } from './service-lib.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['A', 'B', 'C'];
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const VARIATIONS = 'transparent,raster,vector,favicon';

const examples = readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => /\.(png|jpe?g)$/.test(f))
  .sort();
const logos = [...examples, ...examples].map((f, i) => ({
  name: `${i}-${f}`,
  data: readFileSync(path.join(ROOT, 'examples', f)),
}));

/** Ten one-logo jobs at once through a running API; seconds until all are done. */
async function tenJobs(url: string): Promise<number> {
  const t = performance.now();
  const ids = await Promise.all(logos.map(async (l) => (await post(url, [l], VARIATIONS)).body.id));
  await waitAll(url, ids);
  return (performance.now() - t) / 1000;
}

async function scenarioA(): Promise<{ apiS: number; batchS: number; apiRssMb: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'logomill-bench-svc-'));
  try {
    const srv = await start(
      ['serve', '--port', '0', '--data-dir', dir, '--no-cache', '--max-workers', '2'],
      {},
    );
    const apiS = await tenJobs(srv.url);
    const apiRssMb = peakRssMb(srv.child.pid as number);
    await stop(srv.child);
    // the peer: the same ten logos through `logomill batch` (its clock includes the engine's start)
    const input = path.join(dir, 'in');
    mkdirSync(input);
    for (const l of logos) writeFileSync(path.join(input, l.name), l.data);
    const t = performance.now();
    execFileSync(
      process.execPath,
      [
        CLI,
        'batch',
        input,
        '-o',
        path.join(dir, 'out'),
        '--variations',
        VARIATIONS,
        '--no-cache',
        '--max-workers',
        '2',
      ],
      { stdio: 'ignore', env: { ...process.env, MALLOC_ARENA_MAX: '2' } },
    );
    const batchS = (performance.now() - t) / 1000;
    return { apiS, batchS, apiRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scenarioB(workers: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'logomill-bench-q-'));
  const queue = `logomill-bench-${process.pid}-${Date.now()}`;
  const common = ['--data-dir', dir, '--no-cache', '--queue', queue, '--redis', REDIS_URL];
  const procs: ChildProcess[] = [];
  try {
    const srv = await start(['serve', '--port', '0', '--no-worker', ...common], {});
    procs.push(srv.child);
    for (let w = 0; w < workers; w++) {
      procs.push((await start(['worker', ...common, '--max-workers', '1', '--batch-size', '1'], {})).child);
    }
    return await tenJobs(srv.url);
  } finally {
    for (const p of procs.reverse()) await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scenarioC(): Promise<{
  p50Ms: number;
  p95Ms: number;
  allDoneS: number;
  errors5xx: number;
  rssMb: number;
}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'logomill-bench-load-'));
  const tiny = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } })
    .composite([
      { input: { create: { width: 30, height: 20, channels: 3, background: '#c01020' } }, left: 17, top: 14 },
    ])
    .png()
    .toBuffer();
  try {
    const srv = await start(['serve', '--port', '0', '--data-dir', dir, '--no-cache', '--max-workers', '2'], {
      MAX_QUEUED_JOBS: '1000',
      RATE_LIMIT_PER_MIN: '100000',
    });
    const t = performance.now();
    const latencies: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const t0 = performance.now();
        const r = await post(srv.url, [{ name: `t${i}.png`, data: tiny }], 'black');
        latencies.push(performance.now() - t0);
        return r;
      }),
    );
    await waitAll(
      srv.url,
      results.filter((r) => r.status === 202).map((r) => r.body.id),
    );
    const allDoneS = (performance.now() - t) / 1000;
    const rssMb = peakRssMb(srv.child.pid as number);
    await stop(srv.child);
    return {
      p50Ms: quantile(latencies, 0.5),
      p95Ms: quantile(latencies, 0.95),
      allDoneS,
      errors5xx: results.filter((r) => r.status >= 500).length,
      rssMb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs: Record<string, number[]> = {};
const add = (k: string, v: number) => {
  runs[k] ??= [];
  runs[k].push(v);
};
for (let r = 0; r < RUNS; r++) {
  if (ONLY.includes('A')) {
    const a = await scenarioA();
    add('A.api_s', a.apiS);
    add('A.batch_s', a.batchS);
    add('A.api_peak_rss_mb', a.apiRssMb);
  }
  if (ONLY.includes('B')) {
    add('B.queue_1_worker_s', await scenarioB(1));
    add('B.queue_2_workers_s', await scenarioB(2));
  }
  if (ONLY.includes('C')) {
    const c = await scenarioC();
    add('C.accept_p50_ms', c.p50Ms);
    add('C.accept_p95_ms', c.p95Ms);
    add('C.all_done_s', c.allDoneS);
    add('C.5xx', c.errors5xx);
    add('C.peak_rss_mb', c.rssMb);
  }
  process.stderr.write(`run ${r + 1}/${RUNS} done\n`);
}
const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
const ratios = {
  'A.api_over_batch': medians['A.api_s'] / medians['A.batch_s'],
  'B.speedup_2_workers': medians['B.queue_1_worker_s'] / medians['B.queue_2_workers_s'],
};
const partial = ONLY.length < 3;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
for (const [k, v] of Object.entries(medians))
  console.log(`${k.padEnd(24)} ${v.toFixed(2)}   runs: ${runs[k].map((x) => x.toFixed(2)).join(' ')}`);
for (const [k, v] of Object.entries(ratios)) console.log(`${k.padEnd(24)} ${v.toFixed(2)}`);
const date = new Date().toISOString().slice(0, 10);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(
  path.join(HERE, 'results', `service-${date}${partial ? '-partial' : ''}.json`),
  `${JSON.stringify({ date, machine, runs: RUNS, variations: VARIATIONS, medians, ratios, all: runs }, null, 2)}\n`,
);

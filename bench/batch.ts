/**
 * `logomill batch` end to end, start-up included: `npm run bench:batch [-- --runs N]`.
 *
 * The engine benchmark's ten 1024 px logos in a folder, `--variations
 * transparent,raster,vector-color` (raster at its default formats), run as a
 * user runs it: `node dist/cli/main.js batch <dir> -o <out>`. Measured:
 * - cold (`--no-cache`) with MAX_WORKERS=1 pinned to one core (`taskset -c 0`,
 *   so that decoding and libvips cannot borrow the second core: an honest
 *   1-worker baseline) and with MAX_WORKERS=2 on both cores;
 * - warm: the same command a second time on a filled cache;
 * - the same ten logos at 4096 px: peak RSS against MEMORY_LIMIT_MB, and the
 *   1 → 2 worker speed-up.
 * Runs are interleaved; medians are printed and written to
 * bench/results/batch-<date>.json. Peak RSS is the process's maximum resident
 * set (GNU time), worker threads included.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { engineLogos, loadCorpus, ROOT } from './corpus.js';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 5;
const MEMORY_LIMIT_MB = 1024;
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const VARIATIONS = 'transparent,raster,vector-color';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Measure {
  wallS: number;
  peakRssMb: number;
}

/** Runs the CLI once under GNU time; returns wall seconds and peak RSS. */
function once(dir: string, out: string, workers: number, extra: string[], pin: boolean): Measure {
  const timeFile = path.join(out, '..', `time-${process.pid}.txt`);
  const cmd = [
    ...(pin ? ['taskset', '-c', '0'] : []),
    '/usr/bin/time',
    '-f',
    '%e %M',
    '-o',
    timeFile,
    process.execPath,
    CLI,
    'batch',
    dir,
    '-o',
    out,
    '--variations',
    VARIATIONS,
    ...extra,
  ];
  execFileSync(cmd[0], cmd.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      MAX_WORKERS: String(workers),
      MEMORY_LIMIT_MB: String(MEMORY_LIMIT_MB),
      LOGOMILL_CONFIG: '',
    },
  });
  const [wall, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(' ') ?? [];
  return { wallS: Number(wall), peakRssMb: Number(rssKb) / 1024 };
}

const work = mkdtempSync(path.join(tmpdir(), 'logomill-bench-batch-'));
try {
  const logos = engineLogos(await loadCorpus());
  const sets: Record<string, string> = {};
  for (const size of [1024, 4096]) {
    const dir = path.join(work, `in-${size}`);
    mkdirSync(dir);
    for (const [k, l] of logos.entries()) {
      const bytes = readFileSync(path.join(ROOT, l));
      const png =
        size === 1024 ? bytes : await sharp(bytes).resize(size, size, { fit: 'inside' }).png().toBuffer();
      writeFileSync(path.join(dir, `logo-${k}.png`), png);
    }
    sets[size] = dir;
  }
  const cases = [
    { id: '1024 cold, 1 worker (1 core)', set: '1024', workers: 1, pin: true, cache: 'cold' },
    { id: '1024 cold, 2 workers', set: '1024', workers: 2, pin: false, cache: 'cold' },
    { id: '1024 warm, 2 workers', set: '1024', workers: 2, pin: false, cache: 'warm' },
    { id: '4096 cold, 1 worker (1 core)', set: '4096', workers: 1, pin: true, cache: 'cold' },
    { id: '4096 cold, 2 workers', set: '4096', workers: 2, pin: false, cache: 'cold' },
  ] as const;
  const runs: Record<string, Measure[]> = Object.fromEntries(cases.map((c) => [c.id, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const c of cases) {
      const out = path.join(work, 'out');
      const cacheDir = path.join(work, 'cache');
      rmSync(out, { recursive: true, force: true });
      const extra = c.cache === 'cold' ? ['--no-cache'] : ['--cache-dir', cacheDir];
      if (c.cache === 'warm') {
        rmSync(cacheDir, { recursive: true, force: true });
        once(sets[c.set], out, c.workers, extra, c.pin); // fills the cache
        rmSync(out, { recursive: true, force: true });
      }
      runs[c.id].push(once(sets[c.set], out, c.workers, extra, c.pin));
    }
  }
  const rows = cases.map((c) => ({
    case: c.id,
    wallS: median(runs[c.id].map((m) => m.wallS)),
    peakRssMb: Math.round(Math.max(...runs[c.id].map((m) => m.peakRssMb))),
    runs: runs[c.id].map((m) => m.wallS),
  }));
  const wall = (id: string) => rows.find((r) => r.case === id)?.wallS ?? Number.NaN;
  const speedup1024 = wall('1024 cold, 1 worker (1 core)') / wall('1024 cold, 2 workers');
  const speedup4096 = wall('4096 cold, 1 worker (1 core)') / wall('4096 cold, 2 workers');
  const machine = `${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`machine: ${machine}; ${RUNS} runs each, medians; MEMORY_LIMIT_MB=${MEMORY_LIMIT_MB}\n`);
  console.log('| case | wall (s) | peak RSS (MB) | runs (s) |\n|---|---:|---:|---|');
  for (const r of rows)
    console.log(`| ${r.case} | ${r.wallS.toFixed(2)} | ${r.peakRssMb} | ${r.runs.join(', ')} |`);
  console.log(
    `\nspeed-up 1 → 2 workers: ${speedup1024.toFixed(2)}× at 1024 px, ${speedup4096.toFixed(2)}× at 4096 px`,
  );
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(
    path.join(ROOT, 'bench', 'results', `batch-${date}.json`),
    `${JSON.stringify({ date, machine, runs: RUNS, memoryLimitMb: MEMORY_LIMIT_MB, rows, speedup1024, speedup4096 }, null, 2)}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

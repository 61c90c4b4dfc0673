/**
 * The seed's benchmark, on this machine: `npm run bench [-- --runs N] [-- --only 1,2]`.
 *
 * Ten 1024 px logos from the benchmark corpus (5 multi-colour on transparent,
 * 5 on white; 1–6 colours) and five scenarios:
 *   1  one logo, 5 formats: transparent PNG, JPEG, WebP, PDF, colour SVG trace
 *   2  a batch of the 10 logos, the same 5 formats
 *   3  complex effects on one logo: colour vector trace + screen-print separations (13×19 in films at 300 DPI)
 *      (the separations variation does not exist yet; it joins when it lands)
 *   4  every variation on one logo
 *   5  a batch of the 10 logos at 4096 px, the same 5 formats
 * each with MAX_WORKERS=1 pinned to one core (taskset; `--no-pin` to let it use all) and the
 * default (all cores), cold cache (cache off);
 * 1 and 2 also warm (everything already cached). Every measurement runs in a
 * fresh child process (so peak RSS is that run's own); the engine is started
 * and its workers warmed before the clock starts, as in a running service.
 * Children run with MALLOC_ARENA_MAX=2 (unless set), as `logomill batch` does.
 * Prints medians and writes bench/results/engine-<date>.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineLogos, loadCorpus, ROOT } from './corpus.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 5;
/** `--no-pin`: the 1-worker runs may use every core (the figures before 2026-12-03 were taken so). */
const PIN = !args.includes('--no-pin') && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;

interface Measure {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  files: number;
  failures: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function once(
  scenario: string,
  workers: number,
  cache: 'cold' | 'warm',
  logos: string[],
  size: number,
): Measure {
  const dir = mkdtempSync(path.join(tmpdir(), 'logomill-bench-'));
  try {
    // the 1-worker baseline runs on one core (taskset), libvips threads and the main thread
    // included, so that 1 → N workers compares one core with N (as bench/batch.ts does)
    const pin = workers === 1 && PIN;
    const out = execFileSync(
      pin ? 'taskset' : process.execPath,
      [
        ...(pin ? ['-c', '0', process.execPath] : []),
        '--import',
        'tsx',
        path.join(HERE, 'engine-run.ts'),
        JSON.stringify({ scenario, workers, cache, logos, size, dir }),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        // glibc's per-thread malloc arenas fragment under many threads (see docs/ENGINE.md)
        env: { MALLOC_ARENA_MAX: '2', ...process.env, LOGOMILL_CONFIG: '' },
      },
    );
    return JSON.parse(out.trim().split('\n').pop() as string) as Measure;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ten = engineLogos(await loadCorpus());

const SCENARIOS = [
  { id: '1', label: 'single logo, 5 formats', logos: ten.slice(0, 1), size: 1024, warm: true },
  { id: '2', label: 'batch of 10 logos, 5 formats', logos: ten, size: 1024, warm: true },
  {
    id: '3',
    label: 'complex effects (colour vector + separations)',
    logos: ten.slice(1, 2),
    size: 1024,
    warm: false,
  },
  { id: '4', label: 'every variation, one logo', logos: ten.slice(0, 1), size: 1024, warm: false },
  { id: '5', label: 'batch of 10 logos at 4096 px, 5 formats', logos: ten, size: 4096, warm: false },
];

const cores = availableParallelism();
const rows: Record<string, unknown>[] = [];
console.log(
  `machine: ${cpus()[0]?.model ?? 'cpu'} × ${cores}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} runs each\n`,
);
for (const s of SCENARIOS) {
  if (ONLY && !ONLY.includes(s.id)) continue;
  const variants: [number, 'cold' | 'warm'][] = [
    [1, 'cold'],
    [cores, 'cold'],
  ];
  if (s.warm) variants.push([cores, 'warm']);
  const med: Record<string, Measure> = {};
  for (const [workers, cache] of variants) {
    const runs: Measure[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(once(s.id, workers, cache, s.logos, s.size));
    const m: Measure = {
      wallMs: median(runs.map((x) => x.wallMs)),
      cpuMs: median(runs.map((x) => x.cpuMs)),
      peakRssMb: Math.max(...runs.map((x) => x.peakRssMb)),
      files: runs[0].files,
      failures: Math.max(...runs.map((x) => x.failures)),
    };
    med[`${workers}-${cache}`] = m;
    const speedup = cache === 'cold' && workers > 1 ? med[`1-cold`].wallMs / m.wallMs : null;
    const row = {
      scenario: s.id,
      label: s.label,
      workers,
      cache,
      ...m,
      speedup,
      runs: runs.map((x) => Math.round(x.wallMs)),
    };
    rows.push(row);
    console.log(
      `${s.id} ${s.label.padEnd(42)} workers ${workers} ${cache}  wall ${(m.wallMs / 1000).toFixed(3)} s  cpu ${(m.cpuMs / 1000).toFixed(2)} s  ` +
        `peak rss ${m.peakRssMb.toFixed(0)} MB  files ${m.files}${m.failures ? ` FAILURES ${m.failures}` : ''}${speedup ? `  speedup ${speedup.toFixed(2)}×` : ''}`,
    );
  }
}
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  path.join(ROOT, 'bench', 'results', `engine-${date}${ONLY ? '-partial' : ''}.json`),
  `${JSON.stringify({ date, machine: { cpu: cpus()[0]?.model, cores, memGiB: totalmem() / 2 ** 30, node: process.version }, runs: RUNS, rows }, null, 2)}\n`,
);

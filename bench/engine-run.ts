/**
 * One measurement for bench/engine.ts, in its own process: start the engine,
 * warm its workers, then time one scenario. Prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { FsCache, ResultCache } from '../src/cache/index.js';
import { resolveConfig } from '../src/config.js';
import { Engine } from '../src/engine/engine.js';
import { runJob } from '../src/engine/run-job.js';
import { ROOT } from './corpus.js';

const { scenario, workers, cache, logos, size, dir } = JSON.parse(process.argv[2]) as {
  scenario: string;
  workers: number;
  cache: 'cold' | 'warm';
  logos: string[];
  size: number;
  dir: string;
};

const FIVE = {
  variations: ['transparent', 'raster', 'vector-color'],
  options: { raster: { formats: ['jpeg', 'webp', 'pdf'] } },
};
const JOBS: Record<
  string,
  { variations: string[] | 'all'; options?: Record<string, Record<string, unknown>> }
> = {
  '1': FIVE,
  '2': FIVE,
  '3': { variations: ['vector-color', 'separations'] },
  '4': { variations: 'all' },
  '5': FIVE,
};

// inputs prepared before the clock: read (and for scenario 5 upscaled to 4096 px) once
const inputs: Buffer[] = [];
for (const l of logos) {
  const bytes = await readFile(path.join(ROOT, l));
  inputs.push(
    size === 1024
      ? bytes
      : await sharp(bytes).resize(size, size, { fit: 'inside', kernel: 'lanczos3' }).png().toBuffer(),
  );
}

const { config } = resolveConfig({
  env: {},
  flags: { MAX_WORKERS: workers, CACHE_DIR: dir, BATCH_SIZE: Number(process.env.BENCH_BATCH_SIZE) || 2 },
});
const engine = new Engine({
  config,
  cache: cache === 'warm' ? new ResultCache(new FsCache(dir, 1e10)) : null,
});
await engine.warmUp();
const job = JOBS[scenario];
const runAll = async () => {
  // a batch keeps BATCH_SIZE logos in flight, like `logomill batch`
  let next = 0;
  let files = 0;
  let failures = 0;
  const lane = async () => {
    for (let i = next++; i < inputs.length; i = next++) {
      const r = await runJob(inputs[i], {
        ...job,
        engine,
        priority: inputs.length > 1 ? 'batch' : 'interactive',
      });
      files += r.outputs.length;
      failures += r.failures.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.BATCH_SIZE, inputs.length) }, lane));
  return { files, failures };
};
// warm the workers' code (JIT) on a logo of its own, as a running service would be
const warmBytes = await sharp(await readFile(path.join(ROOT, 'examples', 'harbor-on-white.png')))
  .resize(size, size, { fit: 'inside' })
  .png()
  .toBuffer();
await runJob(warmBytes, { ...job, engine });
if (cache === 'warm') await runAll(); // fill the cache first
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { files, failures } = await runAll();
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await engine.close();
console.log(
  JSON.stringify({
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    files,
    failures,
  }),
);

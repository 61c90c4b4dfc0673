/**
 * How close each separation mode prints gradient art on a dark garment: `npm run bench:seps`.
 *
 * Inputs: the corpus's gradient and shaded art (test/fixtures/customer: gradart-rocket,
 * gradart-apple, gradient-linear-vw, gradient-radial-toyota) and two flat logos for contrast
 * (harbor, acme). Each is separated for a black garment (#111111), 6 in wide at 200 DPI, 55 LPI,
 * in one process with the product's own path (processLogo, `separations`):
 * - sim-process: up to 6 colour inks + highlight white on one 22.5° screen, tonal underbase;
 * - process: CMYK on a solid white underbase (the usual answer, and the peer);
 * - spot: the art's flat inks, solid (what a flat-art separation does with a gradient);
 * - index: the sim-process inks as 150-per-inch squares by Floyd–Steinberg diffusion, and the
 *   same squares each given its nearest ink (index-nearest: the yardstick for the diffusion).
 * Every figure is predicted from the films themselves (src/print/simulate.ts): the print they
 * make on the garment, averaged over ≈ 1 mm blocks (two halftone cells) in linear light, against
 * the art on the garment: CIEDE2000 mean and 95th percentile. Time per logo and per film
 * (median of `--runs`, default 3). Results in bench/results/seps-<date>.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processLogo } from '../src/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const inputs = [
  ['gradart-rocket', 'test/fixtures/customer/gradart-rocket.png'],
  ['gradart-apple', 'test/fixtures/customer/gradart-apple.png'],
  ['gradient-linear-vw', 'test/fixtures/customer/gradient-linear-vw.png'],
  ['gradient-radial-toyota', 'test/fixtures/customer/gradient-radial-toyota.jpg'],
  ['harbor (flat)', 'examples/harbor-on-white.png'],
  ['acme (flat)', 'examples/acme-badge-transparent.png'],
] as const;
const MODES = ['sim-process', 'process', 'spot', 'index', 'index-nearest'] as const;
/** The options of each column: index-nearest is index without diffusion, each square its nearest ink. */
const OPTIONS: Record<(typeof MODES)[number], Record<string, unknown>> = {
  'sim-process': { mode: 'sim-process' },
  process: { mode: 'process' },
  spot: { mode: 'spot' },
  index: { mode: 'index' },
  'index-nearest': { mode: 'index', dither: 'none' },
};

interface Row {
  logo: string;
  mode: string;
  mean: number;
  p95: number;
  films: number;
  ms: number;
}
const rows: Row[] = [];
for (const [logo, file] of inputs) {
  const bytes = readFileSync(path.join(ROOT, file));
  for (const mode of MODES) {
    const times: number[] = [];
    let report: { predicted: { deltaE2000Mean: number; deltaE2000P95: number }; films: unknown[] } | null =
      null;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const result = await processLogo(bytes, {
        variations: ['separations'],
        options: {
          separations: { ...OPTIONS[mode], garment: '#111111', printWidth: 6, artboard: '8x8', dpi: 200 },
        },
      });
      times.push(performance.now() - t);
      if (result.failures.length) throw new Error(`${logo} ${mode}: ${JSON.stringify(result.failures)}`);
      report = JSON.parse(String(result.outputs.find((o) => o.name === 'separations.json')?.data));
    }
    if (!report) continue;
    rows.push({
      logo,
      mode,
      mean: report.predicted.deltaE2000Mean,
      p95: report.predicted.deltaE2000P95,
      films: report.films.length,
      ms: median(times),
    });
    console.error(logo, mode, report.predicted);
  }
}

console.log(
  `Black garment (#111111), 6 in at 200 DPI, 55 LPI; ΔE2000 of the print the films make vs the art (≈ 1 mm blocks); median of ${RUNS} runs\n`,
);
console.log(
  '| logo | sim-process mean / p95 | process (CMYK) mean / p95 | spot mean / p95 | index mean / p95 | index, nearest ink | films (sim / cmyk / spot / index) | ms per logo (sim / cmyk / spot / index) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [logo] of inputs) {
  const r = (mode: string) => rows.find((x) => x.logo === logo && x.mode === mode) as Row;
  const [a, b, c, d, e] = MODES.map(r);
  console.log(
    `| ${logo} | ${a.mean} / ${a.p95} | ${b.mean} / ${b.p95} | ${c.mean} / ${c.p95} | ${d.mean} / ${d.p95} | ${e.mean} / ${e.p95} | ${a.films} / ${b.films} / ${c.films} / ${d.films} | ${Math.round(a.ms)} / ${Math.round(b.ms)} / ${Math.round(c.ms)} / ${Math.round(d.ms)} |`,
  );
}
const gradients = rows.filter((r) => !r.logo.includes('flat'));
for (const mode of MODES) {
  const own = gradients.filter((r) => r.mode === mode);
  console.log(
    `\n${mode}: gradient art median ΔE2000 mean ${median(own.map((r) => r.mean))}, p95 ${median(own.map((r) => r.p95))}; ${Math.round(median(own.map((r) => r.ms / r.films)))} ms per film`,
  );
}
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  path.join(HERE, 'results', `seps-${date}.json`),
  `${JSON.stringify({ date, rows }, null, 2)}\n`,
);

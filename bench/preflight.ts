/**
 * What the preflight costs per logo: `npm run bench:preflight [-- --runs N]`.
 *
 * For each logo (the 5 examples, the customer corpus, and the example SVGs
 * rendered 2048 px wide), in one process: the shared work the preflight reads
 * (decode, cutout, colour trace — the peer: what `vector-color` costs anyway),
 * then the preflight's own parts, each the median of N runs (default 5,
 * interleaved): measuring (lines, gaps, dots, fidelity), the pictures and PDF,
 * and the PNG page. Prints a markdown table and writes
 * bench/results/preflight-<date>.json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createLogoContext } from '../src/engine/logo-context.js';
import { decodeLogo } from '../src/io/decode.js';
import { parseOptions } from '../src/options.js';
import { preflight } from '../src/preflight/index.js';
import { layoutToPdf, layoutToPng, preflightLayout, preflightPictures } from '../src/preflight/page.js';
import { processLimits } from '../src/preflight/processes.js';
import { colorTraceOptions, vectorColor } from '../src/variations/vector-color.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const args = process.argv.slice(2);
const RUNS = Math.max(3, Number(args[args.indexOf('--runs') + 1]) || 5);
const TRACE = colorTraceOptions(parseOptions(vectorColor.schema, {}, 'vector-color'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: number) => performance.now() - t0;

const logos: { name: string; bytes: Buffer }[] = [];
for (const f of readdirSync(path.join(ROOT, 'examples')).filter((f) => /\.(png|jpg)$/.test(f)))
  logos.push({ name: f, bytes: readFileSync(path.join(ROOT, 'examples', f)) });
const customer = path.join(ROOT, 'test', 'fixtures', 'customer');
for (const f of readdirSync(customer).filter((f) => /\.(png|jpg)$/.test(f) && !f.endsWith('.ref.png')))
  logos.push({ name: f, bytes: readFileSync(path.join(customer, f)) });
for (const f of readdirSync(path.join(ROOT, 'examples', 'src')).filter((f) => f.endsWith('.svg'))) {
  const svg = readFileSync(path.join(ROOT, 'examples', 'src', f));
  const png = await sharp(svg, { density: 300 })
    .resize(2048)
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
  logos.push({ name: `${f.replace('.svg', '')}@2048.png`, bytes: png });
}

interface Row {
  name: string;
  px: string;
  shared: number;
  trace: number;
  measure: number;
  page: number;
  png: number;
  findings: number;
}
const rows: Row[] = [];
for (const logo of logos) {
  const decoded = await decodeLogo(logo.bytes);
  const settings = { tolerance: 10, holes: 'auto' as const, background: 'auto', trim: true, padding: 0 };
  const runs: Omit<Row, 'name' | 'px' | 'findings'>[] = [];
  let findings = 0;
  let px = '';
  for (let r = 0; r < RUNS; r++) {
    const ctx = createLogoContext(decoded, settings);
    let t = performance.now();
    const cutout = ctx.cutout();
    const shared = ms(t);
    t = performance.now();
    const trace = ctx.trace(TRACE);
    const traceMs = ms(t);
    t = performance.now();
    const result = preflight(cutout, trace, {
      limits: processLimits('screen', { mesh: 230, lpi: 0 }),
      widthMm: 254,
      garment: 'none',
    });
    const measure = ms(t);
    t = performance.now();
    const pictures = await preflightPictures(cutout.art, result);
    const layout = preflightLayout(result.report, pictures.art, pictures.heat, '#ffffff');
    layoutToPdf(layout);
    const page = ms(t);
    t = performance.now();
    await layoutToPng(layout, 2);
    const png = ms(t);
    runs.push({ shared, trace: traceMs, measure, page, png });
    findings = result.report.findings.length;
    px = `${cutout.art.width}×${cutout.art.height}`;
  }
  const row: Row = {
    name: logo.name,
    px,
    shared: median(runs.map((x) => x.shared)),
    trace: median(runs.map((x) => x.trace)),
    measure: median(runs.map((x) => x.measure)),
    page: median(runs.map((x) => x.page)),
    png: median(runs.map((x) => x.png)),
    findings,
  };
  rows.push(row);
  console.error(`${row.name}: measure ${row.measure.toFixed(0)} ms`);
}

const f0 = (v: number) => v.toFixed(0);
const own = (r: Row) => r.measure + r.page + r.png;
console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${RUNS} runs, medians, ms\n`,
);
console.log(
  '| logo | art px | cutout | colour trace (peer) | measure | page + PDF | PNG page | preflight total | ÷ trace |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.px} | ${f0(r.shared)} | ${f0(r.trace)} | ${f0(r.measure)} | ${f0(r.page)} | ${f0(r.png)} | ${f0(own(r))} | ${(own(r) / r.trace).toFixed(2)} |`,
  );
}
const totals = rows.map(own);
console.log(
  `\nMedian preflight cost per logo: ${f0(median(totals))} ms (of which measuring ${f0(median(rows.map((r) => r.measure)))} ms); median ratio to the colour trace ${median(rows.map((r) => own(r) / r.trace)).toFixed(2)}.`,
);
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  path.join(HERE, 'results', `preflight-${date}.json`),
  `${JSON.stringify({ date, runs: RUNS, rows }, null, 2)}\n`,
);

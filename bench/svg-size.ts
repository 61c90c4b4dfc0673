/**
 * How small and clean the SVGs are: `npm run bench:svg-size`.
 *
 * Inputs: the 23 reference cutouts of the customer corpus (test/fixtures/customer/*.ref.png:
 * clean art on transparency, so every tracer sees the same thing) and the 5 example SVGs
 * rendered 1024 px wide on transparency. For each, in one process:
 * - logomill: the colour trace (`mode: 'color'`) written by toSvg;
 * - SVGO (npm `svgo`, multipass, default preset) run over logomill's file: what a general
 *   optimiser still finds to take out (a benchmark peer only, not a dependency of the product);
 * - VTracer (@neplex/vectorizer, its default colour config) on the same pixels.
 * Bytes, nodes (bench/score.ts: drawing segments, primitives as their segments) and bad-ink %
 * (ΔE76 > 10 against the input, bench/score.ts). Medians; results in bench/results/svg-size-<date>.json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vectorizeRaw } from '@neplex/vectorizer';
import sharp from 'sharp';
import { optimize } from 'svgo';
import { decodeLogo } from '../src/io/decode.js';
import { traceImage } from '../src/trace/index.js';
import { toSvg } from '../src/vector/svg.js';
import { countSegments, scoreSvg } from './score.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const inputs: { name: string; png: Buffer }[] = [];
const customer = path.join(ROOT, 'test', 'fixtures', 'customer');
for (const f of readdirSync(customer)
  .filter((f) => f.endsWith('.ref.png'))
  .sort())
  inputs.push({ name: f.replace('.ref.png', ''), png: readFileSync(path.join(customer, f)) });
for (const f of readdirSync(path.join(ROOT, 'examples', 'src'))
  .filter((f) => f.endsWith('.svg'))
  .sort()) {
  const png = await sharp(readFileSync(path.join(ROOT, 'examples', 'src', f)), { density: 300 })
    .resize(1024)
    .png()
    .toBuffer();
  inputs.push({ name: f.replace('.svg', ''), png });
}

interface Entry {
  bytes: number;
  nodes: number;
  badInk: number;
}
const rows: { name: string; logomill: Entry; svgo: Entry; vtracer: Entry }[] = [];
for (const { name, png } of inputs) {
  const { image } = await decodeLogo(png);
  const entry = (svg: string): Entry => ({
    bytes: Buffer.byteLength(svg),
    nodes: countSegments(svg),
    badInk: scoreSvg(image, svg, 'color').badInkPct,
  });
  const ours = toSvg(traceImage(image, { mode: 'color' }));
  const optimised = optimize(ours, { multipass: true }).data;
  const raw = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  const vt = await vectorizeRaw(raw, { width: image.width, height: image.height });
  rows.push({ name, logomill: entry(ours), svgo: entry(optimised), vtracer: entry(vt) });
  console.error(name);
}

const col = (k: 'logomill' | 'svgo' | 'vtracer', f: keyof Entry) => median(rows.map((r) => r[k][f]));
const ratio = (k: 'svgo' | 'vtracer') => median(rows.map((r) => r.logomill.bytes / r[k].bytes));
console.log(`${rows.length} logos (23 customer reference cutouts, 5 example SVGs at 1024 px), medians\n`);
console.log('| | bytes | nodes | bad-ink % | logomill bytes ÷ these |');
console.log('|---|---|---|---|---|');
for (const k of ['logomill', 'svgo', 'vtracer'] as const) {
  const label =
    k === 'logomill'
      ? 'logomill colour trace'
      : k === 'svgo'
        ? 'the same through SVGO (multipass)'
        : 'VTracer (colour, defaults)';
  console.log(
    `| ${label} | ${col(k, 'bytes')} | ${col(k, 'nodes')} | ${col(k, 'badInk').toFixed(2)} | ${k === 'logomill' ? '1' : ratio(k).toFixed(2)} |`,
  );
}
const untouched = rows.filter((r) => r.logomill.bytes <= r.svgo.bytes).length;
const most = Math.max(...rows.map((r) => r.logomill.bytes - r.svgo.bytes));
console.log(
  `\nSVGO finds nothing to take out of ${untouched} of ${rows.length} (at most ${most} bytes of the rest); logomill smaller than VTracer on ${rows.filter((r) => r.logomill.bytes < r.vtracer.bytes).length} of ${rows.length}.`,
);
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  path.join(HERE, 'results', `svg-size-${date}.json`),
  `${JSON.stringify({ date, rows }, null, 2)}\n`,
);

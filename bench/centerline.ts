/**
 * Centerline tracing against ground truth: `npm run bench:centerline [-- --icons N]`.
 *
 * Lucide's icons (`lucide-static`, ISC; a devDependency) are drawn with a pen: every icon is
 * stroked paths, so the true centre line of each rendered icon is its own SVG paths. Every k-th
 * icon by name (N, default 60) is rendered with resvg at SIZE px (stroke 2 of 24 units → ≈ 10.7
 * px) in black on transparent, and traced with `traceImage(…, { mode: 'centerline' })`, the
 * product's path. The truth centre line is the same SVG drawn with a 1 px stroke.
 *
 * Per icon:
 * - off-centre: the mean distance (px) from our centre line (flattened within 0.1 px) to the
 *   nearest pixel of the true one (exact distance transform);
 * - recall: the share of the true centre line's pixels within 1.5 px of ours;
 * - bad-ink %: our strokes drawn back with their estimated widths (resvg) against the icon,
 *   pixels on one side of 50 % coverage and not the other, per ink pixel;
 * - nodes: path segments.
 * The peer, measured in the same run: the fill trace (`mode: 'mono'`) of the same icon, bad-ink %
 * and nodes (it outlines each stroke: two curves per stroke where a plotter wants one).
 * Prints a markdown table of medians and writes bench/results/centerline-<date>.json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { distanceTransform } from '../src/raster/distance.js';
import { traceImage } from '../src/trace/index.js';
import { segmentCount, type VectorImage } from '../src/vector/path.js';
import { toSvg } from '../src/vector/svg.js';
import { flatten } from '../src/vector/transform.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const ICONS = path.join(ROOT, 'node_modules', 'lucide-static', 'icons');
const args = process.argv.slice(2);
const COUNT = Number(args[args.indexOf('--icons') + 1]) || 60;
const SIZE = 128;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function render(svg: string): Uint8Array {
  const img = new Resvg(svg, {
    fitTo: { mode: 'width', value: SIZE },
    font: { loadSystemFonts: false },
  }).render();
  return new Uint8Array(img.pixels);
}

function alphaMask(rgba: Uint8Array): Uint8Array {
  const m = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < m.length; i++) m[i] = rgba[i * 4 + 3] >= 128 ? 1 : 0;
  return m;
}

/** Pixels where one picture is at least half covered and the other is not, per ink pixel of the icon. */
function badInkPct(icon: Uint8Array, drawn: Uint8Array): number {
  let ink = 0;
  let bad = 0;
  for (let i = 0; i < icon.length; i++) {
    if (icon[i]) ink++;
    if (icon[i] !== drawn[i]) bad++;
  }
  return (100 * bad) / Math.max(1, ink);
}

const files = readdirSync(ICONS)
  .filter((f) => f.endsWith('.svg'))
  .sort();
const k = Math.max(1, Math.floor(files.length / COUNT));
const chosen = files.filter((_, i) => i % k === Math.floor(k / 2)).slice(0, COUNT);

interface Row {
  icon: string;
  strokes: number;
  offCentre: number;
  recall: number;
  badInk: number;
  nodes: number;
  fillBadInk: number;
  fillNodes: number;
  ms: number;
}
const rows: Row[] = [];
const skipped: string[] = [];
for (const f of chosen) {
  const source = readFileSync(path.join(ICONS, f), 'utf8')
    .replace(/width="24"/, `width="${SIZE}"`)
    .replace(/height="24"/, `height="${SIZE}"`);
  const rgba = render(source);
  const image = { width: SIZE, height: SIZE, data: rgba };
  const icon = alphaMask(rgba);
  // the true centre line: the same paths with a 1 px stroke (24 units across SIZE px)
  const thin = source.replace(/stroke-width="[^"]*"/, `stroke-width="${(24 / SIZE).toFixed(4)}"`);
  const truth = alphaMask(render(thin.replace(/stroke="currentColor"/, 'stroke="#000"')));
  let t = performance.now();
  let centre: VectorImage;
  try {
    centre = traceImage(image, { mode: 'centerline' });
  } catch {
    continue;
  }
  const ms = performance.now() - t;
  const toTruth = distanceTransform(truth, SIZE, SIZE, { metric: 'euclidean' });
  const ours = new Uint8Array(SIZE * SIZE);
  const dists: number[] = [];
  for (const s of centre.shapes) {
    for (const sp of s.subpaths) {
      const pts = flatten(sp, 0.1);
      for (let a = 0; a < pts.length; a++) {
        const p = pts[a];
        const q = pts[Math.min(pts.length - 1, a + 1)];
        const steps = Math.max(1, Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) * 2));
        for (let j = 0; j < steps; j++) {
          const x = p.x + ((q.x - p.x) * j) / steps;
          const y = p.y + ((q.y - p.y) * j) / steps;
          const i =
            Math.min(SIZE - 1, Math.max(0, Math.floor(y))) * SIZE +
            Math.min(SIZE - 1, Math.max(0, Math.floor(x)));
          ours[i] = 1;
          dists.push(Math.sqrt(toTruth[i]));
        }
      }
    }
  }
  const toOurs = distanceTransform(ours, SIZE, SIZE, { metric: 'euclidean' });
  let truthPx = 0;
  let found = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!truth[i]) continue;
    truthPx++;
    if (toOurs[i] <= 1.5 * 1.5) found++;
  }
  // a dot's true centre line is a point a 1 px stroke barely draws: nothing to score against
  if (truthPx < 3) {
    skipped.push(f);
    continue;
  }
  const drawn = alphaMask(render(toSvg(centre)));
  t = performance.now();
  const fill = traceImage(image, { mode: 'mono' });
  rows.push({
    icon: f.replace('.svg', ''),
    strokes: centre.shapes.length,
    offCentre: dists.reduce((s, d) => s + d, 0) / Math.max(1, dists.length),
    recall: (100 * found) / Math.max(1, truthPx),
    badInk: badInkPct(icon, drawn),
    nodes: segmentCount(centre),
    fillBadInk: badInkPct(icon, alphaMask(render(toSvg(fill)))),
    fillNodes: segmentCount(fill),
    ms,
  });
}

const f2 = (v: number) => v.toFixed(2);
const f1 = (v: number) => v.toFixed(1);
console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${rows.length} Lucide icons at ${SIZE} px (stroke ≈ ${((2 * SIZE) / 24).toFixed(1)} px)\n`,
);
console.log('| | off-centre (px) | recall within 1.5 px | bad-ink % | nodes | trace ms |');
console.log('|---|---|---|---|---|---|');
console.log(
  `| centerline (median) | ${f2(median(rows.map((r) => r.offCentre)))} | ${f1(median(rows.map((r) => r.recall)))} % | ${f1(median(rows.map((r) => r.badInk)))} | ${median(rows.map((r) => r.nodes))} | ${f1(median(rows.map((r) => r.ms)))} |`,
);
console.log(
  `| fill trace, mono (peer) | — | — | ${f1(median(rows.map((r) => r.fillBadInk)))} | ${median(rows.map((r) => r.fillNodes))} | — |`,
);
const worst = [...rows].sort((a, b) => a.recall - b.recall).slice(0, 5);
if (skipped.length) console.log(`\nNot scored (a dot: no centre line to compare): ${skipped.join(', ')}`);
console.log(`\nLowest recall: ${worst.map((r) => `${r.icon} ${f1(r.recall)} %`).join(', ')}`);
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  path.join(HERE, 'results', `centerline-${date}.json`),
  `${JSON.stringify({ date, size: SIZE, rows }, null, 2)}\n`,
);

/**
 * Tracer benchmark: `npm run bench:trace [-- --limit N] [-- --only name,name]`.
 *
 * For every corpus logo × variant (clean / on white / JPEG q75, see corpus.ts)
 * it runs each tracer that fits the logo — mono tracers on the 30 mono marks
 * (simple-icons), colour tracers on all 60 logos — scores the SVG against the
 * clean render (score.ts), prints one table of medians per tracer × variant
 * and writes the raw numbers to bench/results/trace-<date>.json (runs narrowed
 * with --limit / --only write trace-<date>-partial.json instead).
 * It also renders two contact sheets into bench/.corpus/ for a person to look
 * at (sheet-mono.png: truth | potrace | vtracer-binary | vtracer-color on the
 * JPEG variant; sheet-color.png: truth | vtracer-color on clean | white | JPEG)
 * and keeps those traced SVGs in bench/.corpus/traced/.
 *
 * Tracers run one at a time, so the ms column is not skewed by a neighbour.
 *
 * Options:
 *   --limit N     only the first N logos of each set (quick runs)
 *   --only a,b    only the tracers with these names
 * Environment:
 *   BENCH_TRACER_MODULE  module to load logomill's tracer from (default ../src/trace/index.js)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import sharp, { type OverlayOptions } from 'sharp';
import { CORPUS_DIR, type CorpusLogo, loadCorpus, loadVariant, ROOT } from './corpus.js';
import { peers } from './peers.js';
import { type Score, scoreSvg } from './score.js';
import { type RgbaImage, type TraceMode, type Tracer, VARIANTS, type Variant } from './types.js';

// ════════════════════════════════════════════════════════════════════════════
// LOGOMILL TRACER HOOK — logomill's own tracers are registered here.
// Guess at the API (adapt when the tracer lands): src/trace/index.ts exports
//   traceToSvg(image: RgbaImage, options: { mode: 'mono' | 'color' }): string | Promise<string>
// returning a whole SVG document at the image's pixel size. When it does,
// `logomill-mono` and `logomill-color` join the run; until then the bench runs
// the peers only and says why.
// ════════════════════════════════════════════════════════════════════════════
const LOGOMILL_TRACE_MODULE = process.env.BENCH_TRACER_MODULE ?? '../src/trace/index.js';

type TraceToSvg = (
  image: RgbaImage,
  options: { mode: TraceMode; stacking?: 'stacked' | 'cutout' },
) => string | Promise<string>;

async function logomillTracers(log: (line: string) => void): Promise<Tracer[]> {
  let mod: { traceToSvg?: TraceToSvg };
  try {
    // A non-literal specifier, so the typecheck passes before the module exists.
    mod = await import(LOGOMILL_TRACE_MODULE);
  } catch (err) {
    log(
      `logomill tracer: cannot import ${LOGOMILL_TRACE_MODULE} (${(err as Error).message.split('\n')[0]}); peers only`,
    );
    return [];
  }
  const traceToSvg = mod.traceToSvg;
  if (typeof traceToSvg !== 'function') {
    log(
      `logomill tracer: ${LOGOMILL_TRACE_MODULE} exports no traceToSvg(image, { mode }); peers only (see bench/trace.ts)`,
    );
    return [];
  }
  return [
    ...(['mono', 'color'] as const).map((mode) => ({
      name: `logomill-${mode}`,
      mode,
      trace: async (_file: Buffer, rgba: RgbaImage) => traceToSvg(rgba, { mode }),
    })),
    {
      name: 'logomill-cutout',
      mode: 'color' as const,
      trace: async (_file: Buffer, rgba: RgbaImage) =>
        traceToSvg(rgba, { mode: 'color', stacking: 'cutout' }),
    },
  ];
}
// ═══════════════════════════════ end of hook ════════════════════════════════

interface RunRecord extends Partial<Score> {
  logo: string;
  set: CorpusLogo['set'];
  variant: Variant;
  tracer: string;
  mode: TraceMode;
  ms: number;
  error?: string;
}

function args(argv: string[]): { limit: number; only: string[] | null } {
  let limit = Number.POSITIVE_INFINITY;
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--limit') limit = Number(argv[++i]);
    else if (argv[i] === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else throw new Error(`unknown argument ${argv[i]} (expected --limit N or --only a,b)`);
  }
  if (!(limit > 0)) throw new Error('--limit needs a positive number');
  return { limit, only };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Row {
  tracer: string;
  variant: Variant;
  logos: string;
  n: number;
  failed: number;
  badInkPct: number;
  meanDeltaE: number;
  nodes: number;
  bytes: number;
  ms: number;
}

function summarise(records: RunRecord[], tracers: Tracer[]): Row[] {
  const rows: Row[] = [];
  for (const t of tracers) {
    // Colour tracers: all logos, then the multi-colour logos alone (the mono marks are easy for them).
    const subsets: [string, (r: RunRecord) => boolean][] =
      t.mode === 'mono'
        ? [['mono', () => true]]
        : [
            ['all', () => true],
            ['colour', (r) => r.set === 'color'],
          ];
    for (const [logos, keep] of subsets) {
      for (const variant of VARIANTS) {
        const rs = records.filter((r) => r.tracer === t.name && r.variant === variant && keep(r));
        const ok = rs.filter((r) => r.error === undefined);
        const med = (k: keyof Score) => median(ok.map((r) => r[k] as number));
        rows.push({
          tracer: t.name,
          variant,
          logos,
          n: rs.length,
          failed: rs.length - ok.length,
          badInkPct: med('badInkPct'),
          meanDeltaE: med('meanDeltaE'),
          nodes: med('nodes'),
          bytes: med('bytes'),
          ms: median(ok.map((r) => r.ms)),
        });
      }
    }
  }
  return rows;
}

function table(rows: Row[]): string {
  const head = ['tracer', 'variant', 'logos', 'n', 'fail', 'bad-ink %', 'mean ΔE', 'nodes', 'bytes', 'ms'];
  const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const body = rows.map((r) => [
    r.tracer,
    r.variant,
    r.logos,
    String(r.n),
    String(r.failed),
    fmt(r.badInkPct, 2),
    fmt(r.meanDeltaE, 2),
    fmt(r.nodes, 0),
    fmt(r.bytes, 0),
    fmt(r.ms, 1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ─── contact sheets ─────────────────────────────────────────────────────────

const CELL = 320;

async function cellFromPng(png: Buffer): Promise<Buffer> {
  return sharp(png)
    .flatten({ background: '#ffffff' })
    .resize(CELL - 16, CELL - 16, { fit: 'contain', background: '#ffffff' })
    .png()
    .toBuffer();
}

async function cellFromSvg(svg: string | undefined, width: number): Promise<Buffer> {
  if (svg === undefined) {
    return sharp({ create: { width: CELL - 16, height: CELL - 16, channels: 3, background: '#f4c7c7' } })
      .png()
      .toBuffer();
  }
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: 'white',
    font: { loadSystemFonts: false },
  })
    .render()
    .asPng();
  return cellFromPng(png);
}

async function label(text: string): Promise<Buffer | null> {
  try {
    return await sharp({
      text: { text: `<span foreground="black">${text}</span>`, width: CELL - 16, dpi: 110, rgba: true },
    })
      .png()
      .toBuffer();
  } catch {
    return null; // no fonts: the sheet goes without captions
  }
}

async function sheet(file: string, columns: string[], rows: Buffer[][]): Promise<void> {
  const top = 36;
  const comps: OverlayOptions[] = [];
  for (const [c, name] of columns.entries()) {
    const l = await label(name);
    if (l) comps.push({ input: l, left: c * CELL + 8, top: 4 });
  }
  for (const [r, cells] of rows.entries()) {
    for (const [c, input] of cells.entries())
      comps.push({ input, left: c * CELL + 8, top: top + r * CELL + 8 });
  }
  await sharp({
    create: {
      width: columns.length * CELL,
      height: top + rows.length * CELL,
      channels: 3,
      background: '#d8d8d8',
    },
  })
    .composite(comps)
    .png()
    .toFile(file);
}

// ─── main ───────────────────────────────────────────────────────────────────

function versionOf(cmd: string, argv: string[]): string | null {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { limit, only } = args(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const manifest = await loadCorpus(log);
  let tracers = [...peers(log), ...(await logomillTracers(log))];
  if (only) tracers = tracers.filter((t) => only.includes(t.name));
  if (tracers.length === 0) throw new Error('no tracers to run');
  const perSet = { mono: 0, color: 0 };
  const logos = manifest.logos.filter((l) => ++perSet[l.set] <= limit);

  const monoIds = logos.filter((l) => l.set === 'mono').map((l) => l.id);
  const colorIds = logos.filter((l) => l.set === 'color').map((l) => l.id);
  const pick = (ids: string[]) => [3, 13, 23].map((i) => ids[i % ids.length]).filter(Boolean);
  const sheetMono = new Set(pick(monoIds));
  const sheetColor = new Set(pick(colorIds));
  const kept = new Map<string, string>();

  log(
    `tracers: ${tracers.map((t) => `${t.name} (${t.mode})`).join(', ')}; ` +
      `${logos.length} logos × ${VARIANTS.length} variants`,
  );
  // Warm-up, untimed: loads native code and page cache so the first timed call isn't an outlier.
  {
    const { file, rgba } = await loadVariant(logos[0], 'white');
    for (const t of tracers) await t.trace(file, rgba).catch(() => '');
  }

  const records: RunRecord[] = [];
  for (const [li, logo] of logos.entries()) {
    const truth = (await loadVariant(logo, 'clean')).rgba;
    for (const variant of VARIANTS) {
      const { file, rgba } = await loadVariant(logo, variant);
      for (const t of tracers) {
        if (t.mode === 'mono' && logo.set !== 'mono') continue;
        const rec: RunRecord = { logo: logo.id, set: logo.set, variant, tracer: t.name, mode: t.mode, ms: 0 };
        try {
          const s = performance.now();
          const svg = await t.trace(file, rgba);
          rec.ms = performance.now() - s;
          Object.assign(rec, scoreSvg(truth, svg, t.mode));
          if (sheetMono.has(logo.id) || sheetColor.has(logo.id))
            kept.set(`${logo.id}|${variant}|${t.name}`, svg);
        } catch (err) {
          rec.error = (err as Error).message;
        }
        records.push(rec);
      }
    }
    if (process.stdout.isTTY) process.stdout.write(`\r${li + 1}/${logos.length} logos`);
    else if ((li + 1) % 10 === 0 || li + 1 === logos.length) log(`${li + 1}/${logos.length} logos`);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');

  const rows = summarise(records, tracers);
  const elapsed = (performance.now() - t0) / 1000;
  console.log(`\nMedians per tracer × variant (scored against the clean render; see bench/score.ts)\n`);
  console.log(table(rows));
  const failures = records.filter((r) => r.error !== undefined);
  for (const f of failures.slice(0, 10))
    console.log(`failed: ${f.tracer} ${f.logo} ${f.variant}: ${f.error}`);

  // Raw numbers.
  const date = new Date().toISOString().slice(0, 10);
  const resultsDir = path.join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  // Quick runs (--limit / --only) never overwrite a full run's numbers.
  const partial = only !== null || Number.isFinite(limit);
  const out = path.join(resultsDir, `trace-${date}${partial ? '-partial' : ''}.json`);
  const vectorizer = JSON.parse(
    await readFile(path.join(ROOT, 'node_modules', '@neplex', 'vectorizer', 'package.json'), 'utf8'),
  ).version;
  const round = (v: number | undefined, d = 3) => (v === undefined ? v : Number(v.toFixed(d)));
  await writeFile(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        elapsedSeconds: round(elapsed, 1),
        machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
        peers: { potrace: versionOf('potrace', ['--version']), '@neplex/vectorizer': vectorizer },
        corpus: { packages: manifest.packages, size: manifest.size, logos: logos.length },
        medians: rows,
        records: records.map((r) => ({
          ...r,
          ms: round(r.ms, 2),
          badInkPct: round(r.badInkPct),
          meanDeltaE: round(r.meanDeltaE),
        })),
      },
      null,
      1,
    )}\n`,
  );

  // Contact sheets and the SVGs behind them.
  const tracedDir = path.join(CORPUS_DIR, 'traced');
  await mkdir(tracedDir, { recursive: true });
  for (const [key, svg] of kept)
    await writeFile(path.join(tracedDir, `${key.replaceAll('|', '.')}.svg`), svg);
  const byId = new Map(logos.map((l) => [l.id, l]));
  const truthCell = async (l: CorpusLogo) =>
    cellFromPng(await readFile(path.join(CORPUS_DIR, l.files.clean)));
  const monoCols = ['truth', 'potrace (jpeg)', 'vtracer-binary (jpeg)', 'vtracer-color (jpeg)'];
  const monoRows: Buffer[][] = [];
  for (const id of sheetMono) {
    const l = byId.get(id)!;
    const row = [await truthCell(l)];
    for (const t of ['potrace', 'vtracer-binary', 'vtracer-color']) {
      row.push(await cellFromSvg(kept.get(`${id}|jpeg|${t}`), l.width));
    }
    monoRows.push(row);
  }
  const colorCols = ['truth', 'vtracer-color (clean)', 'vtracer-color (white)', 'vtracer-color (jpeg)'];
  const colorRows: Buffer[][] = [];
  for (const id of sheetColor) {
    const l = byId.get(id)!;
    const row = [await truthCell(l)];
    for (const v of VARIANTS) row.push(await cellFromSvg(kept.get(`${id}|${v}|vtracer-color`), l.width));
    colorRows.push(row);
  }
  if (monoRows.length) await sheet(path.join(CORPUS_DIR, 'sheet-mono.png'), monoCols, monoRows);
  if (colorRows.length) await sheet(path.join(CORPUS_DIR, 'sheet-color.png'), colorCols, colorRows);

  console.log(
    `\n${records.length} traces (${failures.length} failed) in ${elapsed.toFixed(1)} s; ` +
      `raw numbers: ${path.relative(ROOT, out)}; sheets: ${path.relative(ROOT, CORPUS_DIR)}/sheet-{mono,color}.png ` +
      `(missing tracer = pink cell)`,
  );
}

await main();

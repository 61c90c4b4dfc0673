/**
 * Customer-file benchmark: runs logomill on every case of
 * test/fixtures/customer/ (built by `npm run corpus:customer`) and scores what
 * comes out against the case's clean reference.
 *
 *   npm run bench:customer
 *   npm run bench:customer -- --only offwhite-hbo,box-opel --out /tmp/customer
 *
 * Each case goes through the library API, with trim off so that the outputs
 * keep the input's pixel size and line up with the reference:
 *   processLogo(bytes, { variations: ['transparent', 'vector-color', 'vector'],
 *                        options: { transparent: { trim: false } } })
 *
 * Measures (all ΔE are CIE76 in CIELAB D65, src/color/color.ts):
 * - edge band: the reference's anti-aliased pixels (0 < alpha < 255) and their
 *   8 neighbours. Edges a pixel off are not errors, so the cutout and colour
 *   trace scores leave the band out; the halo looks at nothing else.
 * - cutout `bad %`: transparent.png and the reference are composited on white
 *   AND on black; a pixel off the band is bad when its ΔE76 > 10 on either.
 *   bad % = bad pixels (anywhere off the band: a kept background patch counts)
 *   ÷ the reference's ink pixels (alpha > 0, band included) × 100, so it can
 *   exceed 100. `meanDE`: mean of the larger of the two ΔE over the union of
 *   both images' ink pixels, off the band.
 * - `halo`: mean over the band of the larger ΔE76 of the two backdrops — a
 *   fringe of the old background shows on one or the other (a white fringe on
 *   black, a navy one on white); `haloBlack` / `haloWhite` are in the JSON.
 * - colour trace (`trace`): vector-color.svg rendered with resvg at the
 *   input's size, scored exactly like the cutout; `nodes` by bench/score.ts's
 *   countSegments.
 * - mono trace (`mono`): vector.svg rendered; its alpha against the
 *   reference's alpha; bad = coverage differs by more than 50 % (anywhere, band
 *   included), ÷ the reference's ink pixels × 100. Where the art has white or
 *   light parts inside it (full-bleed boxes, app icons, badges, white strokes)
 *   a one-colour trace rightly knocks them out, and they count here: read mono %
 *   there as "knock-out area", not as failure.
 * - `ms`: median of 3 timed processLogo calls (one untimed warm-up call first).
 * - peers (bench/peers.ts): VTracer colour on the decoded input, scored like
 *   the colour trace; potrace (when its binary is on PATH) and VTracer binary on
 *   the same binarised bitmap, scored like the mono trace.
 * - `EMPTY`: a PNG with no visible pixel, or an SVG with no path or shape (or
 *   one that renders to nothing).
 *
 * The files produced are kept in bench/.customer/out/<id>/ (git-ignored;
 * `--out <dir>` elsewhere) for scripts/customer-sheet.ts; raw numbers go to
 * bench/results/customer-<date>.json (`-partial` with --only).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { type CustomerCase, loadCustomerManifest } from '../scripts/make-customer-corpus.js';
import { deltaE76, type Lab } from '../src/color/color.js';
import { processLogo } from '../src/index.js';
import { CUSTOMER_DIR, DEFAULT_OUT } from './customer-paths.js';
import { POTRACE_MISSING, potrace, potraceAvailable, vtracerBinary, vtracerColor } from './peers.js';
import { BAD_DELTA_E, countSegments, LabCache, renderSvg } from './score.js';
import type { RgbaImage } from './types.js';

const ROOT = path.resolve(CUSTOMER_DIR, '..', '..', '..');

// ─── Pixels ───────────────────────────────────────────────────────────────────

/** Decodes any image file to straight-alpha RGBA. */
async function decode(file: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/** An SVG rendered at width × height (resvg), as straight-alpha RGBA. */
function renderStraight(svg: string, width: number, height: number): RgbaImage {
  const pre = renderSvg(svg, width, height);
  const data = new Uint8Array(pre.length);
  for (let i = 0; i < pre.length; i += 4) {
    const a = pre[i + 3];
    data[i + 3] = a;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, Math.round((pre[i + c] * 255) / a));
  }
  return { width, height, data };
}

/** The reference's edge band: anti-aliased pixels and their 8 neighbours. */
function edgeBand(ref: RgbaImage): Uint8Array {
  const { width, height, data } = ref;
  const band = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = data[(y * width + x) * 4 + 3];
      if (a === 0 || a === 255) continue;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < width) band[yy * width + xx] = 1;
        }
      }
    }
  }
  return band;
}

const visible = (img: RgbaImage) => {
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] > 0) return true;
  return false;
};

export interface CutoutScore {
  badPct: number;
  meanDE: number;
  /** Mean over the edge band of max(ΔE on white, ΔE on black). */
  halo: number;
  haloBlack: number;
  haloWhite: number;
  bad: number;
  inkPixels: number;
  bandPixels: number;
}

/** Scores a straight-alpha image against the reference (see the module comment). */
function scoreCutout(ref: RgbaImage, out: RgbaImage, band: Uint8Array, cache: LabCache): CutoutScore {
  const r = ref.data;
  const o = out.data;
  const p: Lab = { L: 0, a: 0, b: 0 };
  const q: Lab = { L: 0, a: 0, b: 0 };
  const onWhite = (c: number, a: number) => Math.round((c * a) / 255 + 255 - a);
  const onBlack = (c: number, a: number) => Math.round((c * a) / 255);
  let ink = 0;
  let bad = 0;
  let union = 0;
  let sumUnion = 0;
  let sumBandMax = 0;
  let sumBandBlack = 0;
  let sumBandWhite = 0;
  for (let i = 0, px = 0; i < r.length; i += 4, px++) {
    const ra = r[i + 3];
    const oa = o[i + 3];
    if (ra > 0) ink++;
    if (ra === 0 && oa === 0) continue;
    cache.get(onWhite(r[i], ra), onWhite(r[i + 1], ra), onWhite(r[i + 2], ra), p);
    cache.get(onWhite(o[i], oa), onWhite(o[i + 1], oa), onWhite(o[i + 2], oa), q);
    const dW = deltaE76(p, q);
    cache.get(onBlack(r[i], ra), onBlack(r[i + 1], ra), onBlack(r[i + 2], ra), p);
    cache.get(onBlack(o[i], oa), onBlack(o[i + 1], oa), onBlack(o[i + 2], oa), q);
    const dB = deltaE76(p, q);
    const d = Math.max(dW, dB);
    if (band[px]) {
      sumBandMax += d;
      sumBandBlack += dB;
      sumBandWhite += dW;
      continue;
    }
    union++;
    sumUnion += d;
    if (d > BAD_DELTA_E) bad++;
  }
  // Band pixels where both are transparent were skipped above but belong to the band's mean (ΔE 0).
  let bandAll = 0;
  for (let px = 0; px < band.length; px++) bandAll += band[px];
  return {
    badPct: ink ? (100 * bad) / ink : Number.NaN,
    meanDE: union ? sumUnion / union : 0,
    halo: bandAll ? sumBandMax / bandAll : 0,
    haloBlack: bandAll ? sumBandBlack / bandAll : 0,
    haloWhite: bandAll ? sumBandWhite / bandAll : 0,
    bad,
    inkPixels: ink,
    bandPixels: bandAll,
  };
}

export interface MonoScore {
  badPct: number;
  bad: number;
  inkPixels: number;
}

function scoreMono(ref: RgbaImage, out: RgbaImage): MonoScore {
  let ink = 0;
  let bad = 0;
  for (let i = 3; i < ref.data.length; i += 4) {
    if (ref.data[i] > 0) ink++;
    if (Math.abs(ref.data[i] - out.data[i]) > 127.5) bad++;
  }
  return { badPct: ink ? (100 * bad) / ink : Number.NaN, bad, inkPixels: ink };
}

const SHAPES = /<(?:path|rect|circle|ellipse|polygon|polyline|line)\b/;

interface SvgScore<S> {
  score: S;
  nodes: number;
  bytes: number;
  empty: boolean;
}

function svgScore<S>(svg: string, ref: RgbaImage, score: (img: RgbaImage) => S): SvgScore<S> {
  const img = renderStraight(svg, ref.width, ref.height);
  return {
    score: score(img),
    nodes: countSegments(svg),
    bytes: Buffer.byteLength(svg, 'utf8'),
    empty: !SHAPES.test(svg) || !visible(img),
  };
}

// ─── Running ──────────────────────────────────────────────────────────────────

/** What the benchmark reads of result.analysis (arriving in src/; optional until then). */
interface AnalysisLike {
  background?: { kind?: string; decision?: string; boxKept?: boolean; frame?: unknown };
  warnings?: ({ code?: string } | string)[];
}

const VARIATIONS = ['transparent', 'vector-color', 'vector'];
const PROCESS_OPTIONS = { variations: VARIATIONS, options: { transparent: { trim: false } } };

interface CaseResult {
  id: string;
  class: string;
  width: number;
  height: number;
  bgKind: string | null;
  /** Where the analysis disagrees with the case's `expect` (background kind, box, frame). */
  expectMisses: string[];
  warnings: string[];
  failures: { variation: string; code: string; message: string }[];
  ms: number;
  msRuns: number[];
  cutout: (CutoutScore & { empty: boolean }) | null;
  trace: (SvgScore<CutoutScore> & { ms?: number }) | null;
  mono: SvgScore<MonoScore> | null;
  vtracer: (SvgScore<CutoutScore> & { ms: number }) | null;
  vtracerBinary: (SvgScore<MonoScore> & { ms: number }) | null;
  potrace: (SvgScore<MonoScore> & { ms: number }) | null;
  error?: string;
}

const median = (xs: number[]) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

/** Compares the analysis's decisions with the case's `expect` (holes are judged by the pixels instead). */
function expectMisses(c: CustomerCase, a: AnalysisLike): string[] {
  const bg = a.background ?? {};
  const e = c.expect;
  const misses: string[] = [];
  const kindOk =
    e.background === 'none' ? bg.kind === 'none' || bg.decision === 'kept' : bg.kind === e.background;
  if (!kindOk) misses.push(`background ${bg.kind}/${bg.decision}, expected ${e.background}`);
  if (e.boxKept && bg.decision === 'removed' && bg.boxKept === false) misses.push('box not kept');
  if (e.frame && !bg.frame) misses.push('frame not found');
  if (!e.frame && bg.frame) misses.push('frame found where there is none');
  return misses;
}

const codeOf = (w: unknown): string =>
  typeof w === 'string' ? w : ((w as { code?: string })?.code ?? JSON.stringify(w));

async function runCase(c: CustomerCase, outDir: string, withPotrace: boolean): Promise<CaseResult> {
  const bytes = await readFile(path.join(CUSTOMER_DIR, c.input));
  const ref = await decode(await readFile(path.join(CUSTOMER_DIR, c.reference)));
  const input = await decode(bytes);
  const band = edgeBand(ref);
  const cache = new LabCache();
  const dir = path.join(outDir, c.id);
  await mkdir(dir, { recursive: true });

  const msRuns: number[] = [];
  let result: Awaited<ReturnType<typeof processLogo>> | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = await processLogo(bytes, PROCESS_OPTIONS);
    msRuns.push(performance.now() - t0);
  }
  if (!result) throw new Error('unreachable');
  const analysis = (result as unknown as { analysis?: AnalysisLike }).analysis;
  // result.warnings: strings before the analysis landed, { code, … } objects (analysis + variations) since.
  const warnings = [...((result.warnings as unknown[]) ?? []), ...(analysis?.warnings ?? [])].map(codeOf);
  const res: CaseResult = {
    id: c.id,
    class: c.class,
    width: c.width,
    height: c.height,
    bgKind: analysis?.background?.kind ?? null,
    expectMisses: analysis ? expectMisses(c, analysis) : [],
    warnings: [...new Set(warnings)],
    failures: result.failures.map(({ variation, code, message }) => ({ variation, code, message })),
    ms: median(msRuns),
    msRuns,
    cutout: null,
    trace: null,
    mono: null,
    vtracer: null,
    vtracerBinary: null,
    potrace: null,
  };

  const file = (variation: string, name: string) =>
    result?.outputs.find((o) => o.variation === variation && o.name === name)?.data;
  const png = file('transparent', 'transparent.png');
  if (png) {
    await writeFile(path.join(dir, 'transparent.png'), png);
    const img = await decode(png);
    if (img.width !== ref.width || img.height !== ref.height) {
      res.error = `transparent.png is ${img.width}×${img.height}, reference ${ref.width}×${ref.height}`;
    } else {
      res.cutout = { ...scoreCutout(ref, img, band, cache), empty: !visible(img) };
    }
  }
  const colorSvg = file('vector-color', 'vector-color.svg');
  if (colorSvg) {
    await writeFile(path.join(dir, 'vector-color.svg'), colorSvg);
    res.trace = svgScore(colorSvg.toString('utf8'), ref, (img) => scoreCutout(ref, img, band, cache));
  }
  const monoSvg = file('vector', 'vector.svg');
  if (monoSvg) {
    await writeFile(path.join(dir, 'vector.svg'), monoSvg);
    res.mono = svgScore(monoSvg.toString('utf8'), ref, (img) => scoreMono(ref, img));
  }

  // Peers, on the same input bytes.
  let t0 = performance.now();
  const vt = await vtracerColor.trace(bytes, input);
  let ms = performance.now() - t0;
  await writeFile(path.join(dir, 'vtracer-color.svg'), vt);
  res.vtracer = { ...svgScore(vt, ref, (img) => scoreCutout(ref, img, band, cache)), ms };
  t0 = performance.now();
  const vb = await vtracerBinary.trace(bytes, input);
  ms = performance.now() - t0;
  await writeFile(path.join(dir, 'vtracer-binary.svg'), vb);
  res.vtracerBinary = { ...svgScore(vb, ref, (img) => scoreMono(ref, img)), ms };
  if (withPotrace) {
    t0 = performance.now();
    const pt = await potrace.trace(bytes, input);
    ms = performance.now() - t0;
    await writeFile(path.join(dir, 'potrace.svg'), pt);
    res.potrace = { ...svgScore(pt, ref, (img) => scoreMono(ref, img)), ms };
  }

  await writeFile(
    path.join(dir, 'result.json'),
    `${JSON.stringify({ case: c, analysis: analysis ?? null, warnings: result.warnings, failures: res.failures, scores: res }, null, 2)}\n`,
  );
  return res;
}

// ─── Table ────────────────────────────────────────────────────────────────────

const f1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1));
const cell = (s: { empty: boolean } | null, v: number | undefined) => (!s ? '–' : s.empty ? 'EMPTY' : f1(v));

const COLUMNS: [string, number][] = [
  ['id', 27],
  ['class', 20],
  ['bg', 11],
  ['cut%', 7],
  ['halo', 6],
  ['trace%', 7],
  ['nodes', 6],
  ['mono%', 7],
  ['vtrace%', 8],
  ['vtbin%', 7],
  ['potrace%', 9],
  ['ms', 6],
];

function row(values: string[]): string {
  return values.map((v, i) => (i < 3 ? v.padEnd(COLUMNS[i][1]) : v.padStart(COLUMNS[i][1]))).join(' ');
}

function caseRow(r: CaseResult): string {
  return row([
    r.id,
    r.class,
    r.bgKind ?? '?',
    cell(r.cutout, r.cutout?.badPct),
    cell(r.cutout, r.cutout?.halo),
    cell(r.trace, r.trace?.score.badPct),
    r.trace ? String(r.trace.nodes) : '–',
    cell(r.mono, r.mono?.score.badPct),
    cell(r.vtracer, r.vtracer?.score.badPct),
    cell(r.vtracerBinary, r.vtracerBinary?.score.badPct),
    r.potrace ? cell(r.potrace, r.potrace.score.badPct) : 'skip',
    r.ms.toFixed(0),
  ]);
}

function medianRow(label: string, group: string, rs: CaseResult[]): string {
  const m = (pick: (r: CaseResult) => number | undefined) => f1(median(rs.map((r) => pick(r) ?? Number.NaN)));
  return row([
    label,
    group,
    '',
    m((r) => r.cutout?.badPct),
    m((r) => r.cutout?.halo),
    m((r) => r.trace?.score.badPct),
    m((r) => r.trace?.nodes).replace(/\.0$/, ''),
    m((r) => r.mono?.score.badPct),
    m((r) => r.vtracer?.score.badPct),
    m((r) => r.vtracerBinary?.score.badPct),
    m((r) => r.potrace?.score.badPct),
    m((r) => r.ms).replace(/\.\d$/, ''),
  ]);
}

// ─── Main ─────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  });
  const manifest = await loadCustomerManifest().catch(() => {
    throw new Error('test/fixtures/customer/manifest.json missing: run `npm run corpus:customer` first');
  });
  const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
  const cases = only ? manifest.cases.filter((c) => only.has(c.id)) : manifest.cases;
  if (only) {
    const unknown = [...only].filter((id) => !manifest.cases.some((c) => c.id === id));
    if (unknown.length) throw new Error(`unknown case id(s): ${unknown.join(', ')}`);
  }
  const outDir = path.resolve(values.out ?? DEFAULT_OUT);
  const withPotrace = potraceAvailable();
  if (!withPotrace) console.log(POTRACE_MISSING);

  // One untimed call first, so the first case's time does not carry module and thread-pool start-up.
  if (cases.length)
    await processLogo(await readFile(path.join(CUSTOMER_DIR, cases[0].input)), PROCESS_OPTIONS);

  console.log(row(COLUMNS.map(([name]) => name)));
  const results: CaseResult[] = [];
  for (const c of cases) {
    let r: CaseResult;
    try {
      r = await runCase(c, outDir, withPotrace);
    } catch (err) {
      console.log(`${c.id}: ERROR ${(err as Error).stack ?? err}`);
      continue;
    }
    results.push(r);
    console.log(caseRow(r));
    const notes = [
      r.expectMisses.length ? `expect ✗ ${r.expectMisses.join('; ')}` : '',
      r.warnings.length ? `warnings: ${r.warnings.join(', ')}` : '',
      r.failures.length ? `FAILED: ${r.failures.map((f) => `${f.variation} ${f.code}`).join(', ')}` : '',
      r.error ?? '',
    ].filter(Boolean);
    if (notes.length) console.log(`${''.padEnd(COLUMNS[0][1])} ${notes.join('; ')}`);
  }

  console.log('\nmedians');
  const classes = [...new Set(results.map((r) => r.class))];
  for (const k of classes) {
    const rs = results.filter((r) => r.class === k);
    console.log(medianRow(`(${rs.length})`, k, rs));
  }
  console.log(medianRow(`(${results.length})`, 'all', results));
  console.log(
    '\ncut% / trace%: pixels off the edge band with ΔE76 > 10 on white or black, per 100 reference ink pixels; ' +
      'halo: mean max-ΔE76 on the edge band; mono% / vtbin% / potrace%: coverage off by > 50 %, per 100 ink pixels.',
  );

  const date = new Date().toISOString().slice(0, 10);
  const name = `customer-${date}${only ? '-partial' : ''}.json`;
  const resultsDir = path.join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    path.join(resultsDir, name),
    `${JSON.stringify(
      {
        date,
        manifestVersion: manifest.version,
        packages: manifest.packages,
        options: PROCESS_OPTIONS,
        potrace: withPotrace,
        cases: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `raw numbers → ${path.relative(ROOT, path.join(resultsDir, name))}; files → ${path.relative(ROOT, outDir)}/`,
  );
}

await main();

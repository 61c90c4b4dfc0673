/**
 * Long file: the tracer's public entry points and option checks; the stages themselves live in
 * their own files.
 *
 * The tracer's front door: picks the ink mask (mono) or the art to colour-trace
 * (color) from a decoded logo, runs the tracer, and hands back the shared path
 * model. Used by the `vector` / `vector-color` variations, `logomill trace`
 * and the benchmark.
 *
 * The art analysis (src/analysis/) runs first: it removes the background —
 * flat, gradient or textured, a screenshot's frame — keeps art that fills
 * the canvas, and decides counters one by one, so that every trace agrees
 * with the transparent PNG. The tracer then reads the cutout, on which a
 * background is always transparent. (`prepared: true` skips the analysis
 * for callers that hand over a cutout already, such as the variations.)
 *
 * Which pixels are ink (mono):
 *   - `threshold` given      → luminance (composited on white) below threshold × 255;
 *   - transparent background → as if printed on white (below), or the alpha
 *                              silhouette when the art is (nearly) all white;
 *   - flat opaque background → ink where a pixel is at least half-way from the
 *                              background colour to its nearest ink: the edge
 *                              lands where the anti-aliasing says it is,
 *                              whatever the ink colours (backgroundMask);
 *   - anything else          → luminance below Otsu's automatic threshold.
 * docs/TRACING.md explains the choices.
 */

import { analyzeArt, type HoleMode } from '../analysis/index.js';
import { luminance, parseColor, type Rgb, toHex } from '../color/color.js';
import { extractPalette } from '../color/palette.js';
import { LogomillError } from '../errors.js';
import type { RgbaImage } from '../io/image.js';
import { inkCoverage, type OneColorStyle, resolveStyle } from '../print/keyline.js';
import { detectBackground } from '../raster/background.js';
import type { VectorImage } from '../vector/path.js';
import { type SvgOptions, toSvg } from '../vector/svg.js';
import { type Bitmap, createBitmap } from './bitmap.js';
import { centerlineStrokes, strokesToVector } from './centerline/index.js';
import { type ColorTraceOptions, DEFAULT_COLOR_OPTIONS, type Stacking, traceColor } from './color/index.js';
import { traceBitmap } from './mono.js';

export type TraceMode = 'mono' | 'color' | 'centerline';
export type { Stacking };

export interface TraceOptions extends Partial<ColorTraceOptions> {
  /** mono (one colour), color (full colour) or centerline (single strokes for plotters); default mono. */
  mode?: TraceMode;
  /** Luminance threshold 0–1 for the mono mask; null/undefined = automatic. */
  threshold?: number | null;
  /** Fill of the mono trace (default #000000). */
  color?: string;
  /** ΔE76 within which a pixel counts as the background colour (default 10). */
  tolerance?: number;
  /** The art analysis's `--background`: auto (default), keep, remove or a colour. */
  background?: string;
  /** The art analysis's `--holes`: auto (default), none or all. */
  holes?: HoleMode;
  /** The image is a cutout already (background transparent): trace it as it is. */
  prepared?: boolean;
  /** Mono: every visible pixel is ink, light ones too (art made for a dark background). */
  silhouette?: boolean;
  /**
   * Mono, on a prepared cutout: how several colours become one (print/keyline.ts), as the
   * one-colour PNGs do it, so the trace and the PNG agree. Absent or silhouette: the mask above.
   */
  oneColor?: { style: OneColorStyle; gapPx: number; allInk?: boolean };
}

export type MaskSource = 'alpha' | 'background' | 'luminance' | 'threshold';

/** Background decisions shared by both modes: is there a flat background to take away? */
function flatBackground(image: RgbaImage, tolerance: number): Rgb | null {
  const bg = detectBackground(image, tolerance);
  return bg.color && bg.borderShare >= 0.4 ? bg.color : null;
}

/** Luminance 0–255 (Rec. 709 on sRGB values, composited on white): fast and monotone, enough to threshold. */
function lumaOnWhite(image: RgbaImage): Uint8Array {
  const { data } = image;
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * 4;
    const a = data[p + 3] / 255;
    const y = 0.2126 * data[p] + 0.7152 * data[p + 1] + 0.0722 * data[p + 2];
    out[i] = Math.round(y * a + 255 * (1 - a));
  }
  return out;
}

/** Otsu's threshold: the grey level that best splits the histogram into two classes. */
export function otsu(values: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < values.length; i++) hist[values[i]]++;
  const total = values.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * hist[t];
  let wB = 0;
  let sumB = 0;
  let best = 127;
  let bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best; // ink: luma ≤ best
}

/**
 * Ink on a flat opaque background, without a full background removal: an edge
 * pixel that covers a share a of ink F mixes to B + a·(F − B), so its RGB
 * distance from the background B is a·|F − B|. The nearest ink's |F − B| is
 * the largest distance within two pixels, so "distance ≥ half the local
 * maximum" puts the edge at 50 % coverage for every ink colour; pixels whose
 * neighbourhood never leaves the background's noise are paper. A weaker pixel
 * with no paper within two pixels is not a blend with paper at all but a
 * lighter ink beside a darker one, and stays ink. Enclosed areas
 * of the background colour (inside an "O") are paper too.
 *
 * `bits` (and `coverage`) arrive cleared; only ink is written. Each row is
 * worked on between its first and last pixel off the background (the rest is
 * paper). Returns the number of ink pixels and of opaque ones (alpha ≥ 128).
 */
function backgroundMask(
  image: RgbaImage,
  B: Rgb,
  bits: Uint8Array,
  coverage?: Uint8Array,
): { ink: number; opaque: number } {
  const { width, height, data } = image;
  const n = width * height;
  const dist = new Uint16Array(n);
  // each row's first and last pixel off the background (−1: none); everything else is 0
  const first = new Int32Array(height).fill(-1);
  const last = new Int32Array(height).fill(-1);
  const tally = paperDistances(data, B, width, height, dist, first, last);
  const faint = tally[0]; // pixels just off the background: a few in clean art, many around JPEG edges
  const strong = tally[1];
  if (faint > COMPRESSED_FAINT_SHARE * strong) {
    smooth121(dist, width, height);
    // the blur reaches one pixel further each way
    const f0 = first.slice();
    const l0 = last.slice();
    for (let y = 0; y < height; y++) {
      let f = width;
      let l = -1;
      for (let k = Math.max(0, y - 1); k <= Math.min(height - 1, y + 1); k++) {
        if (f0[k] < 0) continue;
        if (f0[k] < f) f = f0[k];
        if (l0[k] > l) l = l0[k];
      }
      first[y] = l < 0 ? -1 : Math.max(0, f - 1);
      last[y] = l < 0 ? -1 : Math.min(width - 1, l + 1);
    }
  }
  const paper = PAPER_NOISE;
  // Along rows, 5 wide: the running maximum (as two 3-wide passes) and whether paper is near.
  const max3 = new Uint16Array(width); // one row's, reused
  const rowMax = new Uint16Array(n);
  const rowPaper = new Uint8Array(n);
  for (let y = 0; y < height; y++) rowMaxima(dist, width, y, first[y], last[y], max3, rowMax, rowPaper);
  const candidate = paper / 2; // below half the paper noise a pixel can never be ink
  let ink = 0;
  for (let y = 0; y < height; y++) {
    if (first[y] < 0) continue;
    ink += inkRow(dist, rowMax, rowPaper, width, height, y, first[y], last[y], candidate, bits, coverage);
  }
  return { ink, opaque: tally[2] };
}

/**
 * Each pixel's RGB distance from B, composited on B first (so stray
 * transparency reads as paper), and each row's first and last pixel off it.
 * Returns [faint pixels (3 ≤ d < PAPER_NOISE), strong ones, opaque ones (alpha ≥ 128)].
 * A pixel the same as the one before it takes its distance without the arithmetic.
 */
function paperDistances(
  data: Uint8Array,
  B: Rgb,
  width: number,
  height: number,
  dist: Uint16Array,
  first: Int32Array,
  last: Int32Array,
): Int32Array {
  const words = data.byteOffset & 3 ? null : new Uint32Array(data.buffer, data.byteOffset, width * height);
  let faint = 0;
  let strong = 0;
  let opaque = 0;
  // (a word no pixel before the first can match)
  let prevWord = words?.length ? ~(words[0] | 0) : 0;
  let prevD = 0;
  let prevA = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let f = -1;
    let l = -1;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const p = i * 4;
      const w = words ? words[i] | 0 : -1;
      let d: number;
      let a: number;
      if (words && w === prevWord) {
        d = prevD;
        a = prevA;
      } else {
        const dr = data[p] - B.r;
        const dg = data[p + 1] - B.g;
        const db = data[p + 2] - B.b;
        const m = Math.sqrt(dr * dr + dg * dg + db * db);
        a = data[p + 3];
        d = Math.round(a === 255 ? m : (m * a) / 255);
        prevWord = w;
        prevD = d;
        prevA = a;
      }
      if (a >= 128) opaque++;
      if (d === 0) continue;
      dist[i] = d;
      if (f < 0) f = x;
      l = x;
      if (d >= PAPER_NOISE) strong++;
      else if (d >= 3) faint++;
    }
    first[y] = f;
    last[y] = l;
  }
  return Int32Array.of(faint, strong, opaque);
}

/**
 * One row's 5-wide running maximum of the distances (as two 3-wide passes) and
 * whether paper lies within 2 px, given that the row is 0 (paper) outside
 * f … l (f < 0: the whole row is paper).
 */
function rowMaxima(
  dist: Uint16Array,
  width: number,
  y: number,
  f: number,
  l: number,
  max3: Uint16Array,
  rowMax: Uint16Array,
  rowPaper: Uint8Array,
): void {
  const row = y * width;
  const endRow = row + width - 1;
  const paper = PAPER_NOISE;
  if (f < 0) {
    rowPaper.fill(1, row, endRow + 1);
    return;
  }
  // beyond f − 2 … l + 2 every maximum is 0, and every pixel off f … l is paper; max3 holds
  // this row's 3-wide maxima at x (clear around a … b, where they are 0)
  const last = width - 1;
  const a = Math.max(0, f - 1);
  const b = Math.min(last, l + 1);
  for (let x = Math.max(0, a - 2); x < a; x++) max3[x] = 0;
  for (let x = b + 1; x <= Math.min(last, b + 2); x++) max3[x] = 0;
  for (let x = a; x <= b; x++) {
    const i = row + x;
    let m = dist[i];
    if (x > 0 && dist[i - 1] > m) m = dist[i - 1];
    if (x < last && dist[i + 1] > m) m = dist[i + 1];
    max3[x] = m;
  }
  for (let x = Math.max(0, f - 2); x <= Math.min(last, l + 2); x++) {
    let m = max3[x];
    if (x > 0 && max3[x - 1] > m) m = max3[x - 1];
    if (x < last && max3[x + 1] > m) m = max3[x + 1];
    rowMax[row + x] = m;
  }
  rowPaper.fill(1, row, row + f);
  rowPaper.fill(1, row + l + 1, endRow + 1);
  let lastPaper = f > 0 ? row + f - 1 : -3;
  for (let i = row + f; i <= row + l; i++) {
    if (dist[i] < paper) lastPaper = i;
    if (i - lastPaper <= 2) rowPaper[i] = 1;
  }
  lastPaper = row + l < endRow ? row + l + 1 : endRow + 3;
  for (let i = row + l; i >= row + f; i--) {
    if (dist[i] < paper) lastPaper = i;
    if (lastPaper - i <= 2) rowPaper[i] = 1;
  }
}

/** One row's ink decisions (see backgroundMask) over f … l; returns how many pixels are ink. */
function inkRow(
  dist: Uint16Array,
  rowMax: Uint16Array,
  rowPaper: Uint8Array,
  width: number,
  height: number,
  y: number,
  f: number,
  l: number,
  candidate: number,
  bits: Uint8Array,
  coverage: Uint8Array | undefined,
): number {
  const paper = PAPER_NOISE;
  const y0 = y >= 2 ? y - 2 : 0;
  const y1 = y < height - 2 ? y + 2 : height - 1;
  let ink = 0;
  for (let x = f; x <= l; x++) {
    const i = y * width + x;
    const v = dist[i];
    if (v < candidate) continue;
    let m = 0;
    for (let k = y0; k <= y1; k++) {
      const r = rowMax[k * width + x];
      if (r > m) m = r;
    }
    if (m < paper) continue;
    if (2 * v >= m) {
      bits[i] = 1;
      ink++;
      if (coverage) coverage[i] = v >= m ? 255 : Math.round((255 * v) / m);
      continue;
    }
    // Less than half the local maximum: a blend with paper — unless no paper is near,
    // as for light ink beside dark ink (pink letters on purple), which is ink.
    let paperNear = 0;
    for (let k = y0; k <= y1 && !paperNear; k++) paperNear = rowPaper[k * width + x];
    if (!paperNear) {
      bits[i] = 1;
      ink++;
      if (coverage) coverage[i] = 255;
    }
  }
  return ink;
}

/**
 * In-place [1 2 1] ⊗ [1 2 1] / 16 blur. JPEG ringing makes a compressed logo's
 * edges ragged pixel by pixel; a straight or round edge keeps its 50 % line
 * under this symmetric blur while the ringing averages out.
 */
function smooth121(v: Uint16Array, width: number, height: number): void {
  const tmp = new Uint32Array(v.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const l = x > 0 ? v[i - 1] : v[i];
      const r = x < width - 1 ? v[i + 1] : v[i];
      tmp[i] = l + 2 * v[i] + r;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = y > 0 ? row - width : row;
    const down = y < height - 1 ? row + width : row;
    for (let x = 0; x < width; x++) v[row + x] = (tmp[up + x] + 2 * tmp[row + x] + tmp[down + x] + 8) >> 4;
  }
}

/** RGB distance below which a whole neighbourhood counts as background noise (≈ ΔE 10). */
const PAPER_NOISE = 28;
/**
 * Faint off-background pixels per strong one above which the art is treated
 * as compressed (JPEG) and smoothed first: clean renders of the benchmark
 * corpus stay below 0.009, its JPEG q75 versions above 0.008 (median 0.09).
 */
const COMPRESSED_FAINT_SHARE = 0.01;
const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** The mono ink mask and where it came from. */
export function inkMask(
  image: RgbaImage,
  options: TraceOptions = {},
): { bitmap: Bitmap; source: MaskSource } {
  const { width, height } = image;
  const n = width * height;
  const bm = createBitmap(width, height);
  const bits = bm.bits;
  if (options.threshold !== undefined && options.threshold !== null) {
    const luma = lumaOnWhite(image);
    const t = options.threshold * 255;
    for (let i = 0; i < n; i++) bits[i] = luma[i] < t ? 1 : 0;
    return { bitmap: bm, source: 'threshold' };
  }
  if (options.silhouette) {
    for (let i = 0; i < n; i++) bits[i] = image.data[i * 4 + 3] >= 128 ? 1 : 0;
    return { bitmap: bm, source: 'alpha' };
  }
  const tolerance = options.tolerance ?? 10;
  // a prepared cutout has no background left, even when its art fills the canvas
  const bg = options.prepared
    ? { color: null, borderShare: 0, noise: 0 }
    : detectBackground(image, tolerance);
  if (!bg.color) {
    // Transparent background: trace it as it would print on white paper, so
    // white parts of the art (a ring, a knocked-out star) stay see-through…
    const { ink: onWhite, opaque } = backgroundMask(image, WHITE, bits);
    if (onWhite >= 0.1 * opaque) return { bitmap: bm, source: 'alpha' };
    // …unless the art is (nearly) all white: then its silhouette is the ink.
    for (let i = 0; i < n; i++) bits[i] = image.data[i * 4 + 3] >= 128 ? 1 : 0;
    return { bitmap: bm, source: 'alpha' };
  }
  if (bg.borderShare >= 0.4) {
    backgroundMask(image, bg.color, bits);
    return { bitmap: bm, source: 'background' };
  }
  const luma = lumaOnWhite(image);
  const t = otsu(luma);
  for (let i = 0; i < n; i++) bits[i] = luma[i] <= t ? 1 : 0;
  return { bitmap: bm, source: 'luminance' };
}

/**
 * The art to colour-trace: the logo with any flat background taken away —
 * paper becomes transparent and ink-on-paper edge blends are un-mixed to their
 * ink colour (the same ink mask as mono, so the colours' union is the mono trace).
 */
export function colorArt(image: RgbaImage, options: TraceOptions = {}): RgbaImage {
  const tolerance = options.tolerance ?? 10;
  const B = flatBackground(image, tolerance);
  if (!B) return image;
  const { width, height, data } = image;
  const n = width * height;
  const bits = new Uint8Array(n);
  const coverage = new Uint8Array(n);
  backgroundMask(image, B, bits, coverage);
  const out = new Uint8Array(n * 4);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    if (!bits[i]) continue; // paper: transparent
    out[p + 3] = 255;
    const a = coverage[i] / 255;
    if (a < 0.9 && touchesPaper(bits, i, width, height)) {
      // an edge blend C = B + a·(F − B) of ink and paper: un-mix it to the ink colour F,
      // so that the palette step sees the ink, not a lighter cousin of it
      for (let c = 0; c < 3; c++) {
        const b = c === 0 ? B.r : c === 1 ? B.g : B.b;
        out[p + c] = Math.max(0, Math.min(255, Math.round(b + (data[p + c] - b) / a)));
      }
    } else {
      out[p] = data[p];
      out[p + 1] = data[p + 1];
      out[p + 2] = data[p + 2];
    }
  }
  return { width, height, data: out };
}

/** Whether any 8-neighbour of pixel i is paper (blends between two inks are left alone). */
function touchesPaper(bits: Uint8Array, i: number, width: number, height: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx >= 0 && xx < width && !bits[yy * width + xx]) return true;
    }
  }
  return false;
}

/**
 * The tracer options' limits and defaults: written here once; the variations' and the trace
 * command's option schemas are built from them (variations/shared/vector-files.ts).
 */
export const TRACER_LIMITS = {
  turdSize: { min: 0, max: 100_000, default: 2 },
  alphaMax: { min: 0, max: 1.3334, default: 1 },
  optTolerance: { min: 0, max: 5, default: 0.2 },
} as const;

function checkOptions(o: TraceOptions): void {
  const bad = (msg: string) => new LogomillError('E_BAD_OPTION', msg);
  if (o.holes !== undefined && o.holes !== 'auto' && o.holes !== 'none' && o.holes !== 'all')
    throw bad(`Expected holes "auto", "none" or "all" but received ${JSON.stringify(o.holes)}`);
  if (o.mode !== undefined && o.mode !== 'mono' && o.mode !== 'color' && o.mode !== 'centerline')
    throw bad(`Expected mode "mono", "color" or "centerline" but received ${JSON.stringify(o.mode)}`);
  if (o.threshold != null && !(o.threshold >= 0 && o.threshold <= 1))
    throw bad(`Expected threshold between 0 and 1 but received ${o.threshold}`);
  if (o.turdSize !== undefined && !(Number.isInteger(o.turdSize) && o.turdSize >= 0))
    throw bad(`Expected turdsize to be a whole number of at least 0 but received ${o.turdSize}`);
  const { alphaMax: a, optTolerance: t } = TRACER_LIMITS;
  if (o.alphaMax !== undefined && !(o.alphaMax >= a.min && o.alphaMax <= a.max))
    throw bad(`Expected alphamax between ${a.min} and ${a.max} but received ${o.alphaMax}`);
  if (o.optTolerance !== undefined && !(o.optTolerance >= t.min && o.optTolerance <= t.max))
    throw bad(`Expected opttolerance between ${t.min} and ${t.max} but received ${o.optTolerance}`);
  if (o.colors !== undefined && !(Number.isInteger(o.colors) && o.colors >= 0 && o.colors <= 64))
    throw bad(`Expected colors to be a whole number between 0 and 64 but received ${o.colors}`);
  if (o.stacking !== undefined && o.stacking !== 'stacked' && o.stacking !== 'cutout')
    throw bad(`Expected stacking "stacked" or "cutout" but received ${JSON.stringify(o.stacking)}`);
}

/**
 * Traces a decoded logo into the shared path model.
 *
 * @example
 *   const vector = traceImage(logo, { mode: 'color', colors: 3 });
 */
export function traceImage(image: RgbaImage, options: TraceOptions = {}): VectorImage {
  checkOptions(options);
  const { width, height } = image;
  let o = options;
  if (!o.prepared && (o.threshold === undefined || o.threshold === null)) {
    const art = analyzeArt(image, {
      tolerance: o.tolerance ?? 10,
      holes: o.holes ?? 'auto',
      background: o.background ?? 'auto',
      cutoutOnly: true,
    });
    image = art.cutout;
    o = { ...o, prepared: true, silhouette: o.silhouette ?? onDarkGround(art.removedColor) };
  }
  if (o.mode === 'color') {
    const source = o.prepared ? image : colorArt(image, o);
    return traceColor(source, { ...DEFAULT_COLOR_OPTIONS, ...defined(o) });
  }
  const fill = toHex(parseColor(o.color ?? '#000000'));
  const { bitmap } = inkMask(image, o);
  if (o.mode === 'centerline') {
    // the mono ink mask, thinned to its centre lines
    return strokesToVector(centerlineStrokes(bitmap.bits, width, height), width, height, { color: fill });
  }
  if (o.oneColor && o.prepared && (o.threshold === undefined || o.threshold === null)) {
    const palette = extractPalette(image);
    const style = resolveStyle(o.oneColor.style, image, palette);
    if (style !== 'silhouette') {
      const cover = inkCoverage(image, palette, style, o.oneColor);
      for (let i = 0; i < cover.length; i++)
        bitmap.bits[i] = image.data[i * 4 + 3] >= 128 && cover[i] >= 128 ? 1 : 0;
    }
  }
  const subpaths = traceBitmap(bitmap, defined(o));
  return { width, height, shapes: subpaths.length ? [{ fill, subpaths }] : [] };
}

/**
 * Art that was made for a dark background (white or light parts on navy,
 * black…) is all ink in one colour: its light parts are the design, not
 * paper showing through.
 */
export function onDarkGround(removed: Rgb | null): boolean {
  return removed !== null && luminance(removed.r, removed.g, removed.b) < 0.2;
}

/** A whole SVG document of the trace, at the image's pixel size. */
export function traceToSvg(image: RgbaImage, options: TraceOptions & SvgOptions = {}): string {
  return toSvg(traceImage(image, options), options);
}

/** Drops undefined values so that they do not override defaults when spread. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

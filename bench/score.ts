/**
 * Scores one traced SVG against the corpus ground truth.
 *
 * The ground truth is the logo's clean render (variant `clean`: straight-alpha
 * RGBA on transparent), whatever variant the tracer was fed. The traced SVG is
 * rendered with resvg at the same pixel size; both images are composited on
 * white (in 8-bit sRGB, the usual "over" blend) and compared pixel by pixel in
 * CIELAB (D65) with ΔE76, using src/color/color.ts.
 *
 * Definitions (all exact):
 * - ink area: the truth's pixels with alpha > 0 (anti-aliased edge pixels included).
 * - bad-ink %: 100 × (number of pixels ANYWHERE in the image whose ΔE76 > 10)
 *   ÷ (number of ink pixels). Wrong pixels outside the ink (stray specks, a
 *   filled background) count in the numerator too, so the figure can exceed 100.
 *   `badInside` / `badOutside` in the raw results split the numerator.
 * - mean ΔE: the mean ΔE76 over the ink pixels only.
 * - nodes: path segments in the SVG (see countSegments): every drawing segment
 *   of path data (L/H/V/C/S/Q/T/A, including implicit repeats and the implicit
 *   lines after the first pair of an M), not M or Z; basic shapes count as their
 *   segments (rect/circle/ellipse 4, line 1, polygon n, polyline n−1).
 * - bytes: UTF-8 length of the SVG as returned.
 *
 * Mono tracers: the truth becomes the logo's silhouette in black — every pixel
 * black with the truth's alpha as its coverage (so alpha > 0 is black ink, and
 * anti-aliased edges stay grey instead of being forced to full black, which
 * would count every edge pixel of a perfect trace as bad). The traced output is
 * judged by its shape alone: its rendered alpha is used as black coverage and
 * its fill colours are ignored (a mono tracer may keep the brand colour).
 */
import { Resvg } from '@resvg/resvg-js';
import { deltaE76, type Lab, rgbToLab } from '../src/color/color.js';
import type { RgbaImage, TraceMode } from './types.js';

/** ΔE76 above which a pixel counts as wrong. */
export const BAD_DELTA_E = 10;

export interface Score {
  /** Bad pixels (ΔE76 > 10, anywhere) as a percentage of the ink area. */
  badInkPct: number;
  /** Mean ΔE76 over the ink area. */
  meanDeltaE: number;
  nodes: number;
  bytes: number;
  inkPixels: number;
  badInside: number;
  badOutside: number;
}

/**
 * Renders an SVG to premultiplied RGBA (resvg-js hands back premultiplied
 * pixels) at exactly width × height. The SVG is scaled to the width; a height
 * off by a pixel or two from rounding is cropped or padded with transparency.
 */
export function renderSvg(svg: string, width: number, height: number): Uint8Array {
  const img = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
  }).render();
  const px = img.pixels;
  if (img.width === width && img.height === height)
    return new Uint8Array(px.buffer, px.byteOffset, px.length);
  if (img.width !== width || Math.abs(img.height - height) > 2) {
    throw new Error(`traced SVG renders at ${img.width}×${img.height}, expected ${width}×${height}`);
  }
  const out = new Uint8Array(width * height * 4);
  out.set(px.subarray(0, Math.min(img.height, height) * width * 4));
  return out;
}

/** Caches the Lab of 24-bit colours in a direct-mapped table (logos have few colours). */
export class LabCache {
  private readonly keys = new Int32Array(1 << 16).fill(-1);
  private readonly L = new Float64Array(1 << 16);
  private readonly A = new Float64Array(1 << 16);
  private readonly B = new Float64Array(1 << 16);
  private readonly tmp: Lab = { L: 0, a: 0, b: 0 };

  get(r: number, g: number, b: number, out: Lab): Lab {
    const key = (r << 16) | (g << 8) | b;
    const slot = (key ^ (key >>> 16)) & 0xffff;
    if (this.keys[slot] !== key) {
      rgbToLab(r, g, b, this.tmp);
      this.keys[slot] = key;
      this.L[slot] = this.tmp.L;
      this.A[slot] = this.tmp.a;
      this.B[slot] = this.tmp.b;
    }
    out.L = this.L[slot];
    out.a = this.A[slot];
    out.b = this.B[slot];
    return out;
  }
}

/** Straight-alpha channel value composited over white. */
const overWhite = (c: number, a: number) => Math.round((c * a) / 255 + 255 - a);

export function scoreSvg(truth: RgbaImage, svg: string, mode: TraceMode): Score {
  const { width, height } = truth;
  const t = truth.data;
  const r = renderSvg(svg, width, height);
  const cache = new LabCache();
  const p: Lab = { L: 0, a: 0, b: 0 };
  const q: Lab = { L: 0, a: 0, b: 0 };
  const grey: Lab[] = [];
  for (let v = 0; v < 256; v++) grey.push(rgbToLab(v, v, v));
  let ink = 0;
  let badInside = 0;
  let badOutside = 0;
  let sumInk = 0;
  for (let i = 0; i < t.length; i += 4) {
    const ta = t[i + 3];
    let d: number;
    if (mode === 'mono') {
      // Black at the truth's coverage vs black at the render's coverage, both over white.
      d = deltaE76(grey[255 - ta], grey[255 - r[i + 3]]);
    } else {
      cache.get(overWhite(t[i], ta), overWhite(t[i + 1], ta), overWhite(t[i + 2], ta), p);
      // Premultiplied over white: c + (255 − a).
      const ra = 255 - r[i + 3];
      cache.get(Math.min(255, r[i] + ra), Math.min(255, r[i + 1] + ra), Math.min(255, r[i + 2] + ra), q);
      d = deltaE76(p, q);
    }
    if (ta > 0) {
      ink++;
      sumInk += d;
      if (d > BAD_DELTA_E) badInside++;
    } else if (d > BAD_DELTA_E) {
      badOutside++;
    }
  }
  return {
    badInkPct: ink ? (100 * (badInside + badOutside)) / ink : Number.NaN,
    meanDeltaE: ink ? sumInk / ink : Number.NaN,
    nodes: countSegments(svg),
    bytes: Buffer.byteLength(svg, 'utf8'),
    inkPixels: ink,
    badInside,
    badOutside,
  };
}

// ─── Node count ──────────────────────────────────────────────────────────────

/** Arguments per segment of each path command (lower case). */
const ARITY: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const FLAG = /[01]/y;
const SEPARATORS = /[\s,]*/y;

/**
 * Segments drawn by one path-data string: each argument group of
 * L/H/V/C/S/Q/T/A (absolute or relative) is one segment, implicit repeats
 * included; M's first pair is a move and its further pairs are implicit lines;
 * Z closes without counting. Handles compact forms ("1.5.5", "-1-2", "1e-3")
 * and arc flags written without separators ("a1 1 0 011 1"). Throws on
 * malformed data so a broken tracer output can't pass for a small one.
 */
export function countPathSegments(d: string): number {
  let i = 0;
  let segments = 0;
  const skip = () => {
    SEPARATORS.lastIndex = i;
    SEPARATORS.exec(d);
    i = SEPARATORS.lastIndex;
  };
  const read = (re: RegExp): boolean => {
    skip();
    re.lastIndex = i;
    if (!re.exec(d)) return false;
    i = re.lastIndex;
    return true;
  };
  skip();
  while (i < d.length) {
    const cmd = d[i].toLowerCase();
    const arity = ARITY[cmd];
    if (arity === undefined) throw new Error(`path data: unexpected ${JSON.stringify(d[i])} at ${i}`);
    i++;
    if (arity === 0) {
      skip();
      continue;
    }
    let groups = 0;
    for (;;) {
      let k = 0;
      while (k < arity && read(cmd === 'a' && (k === 3 || k === 4) ? FLAG : NUMBER)) k++;
      if (k === 0) break;
      if (k < arity) throw new Error(`path data: ${cmd} needs ${arity} arguments, got ${k} before ${i}`);
      groups++;
    }
    skip();
    if (groups === 0 || (i < d.length && !/[a-z]/i.test(d[i]))) {
      throw new Error(`path data: bad arguments for ${cmd} before ${i}`);
    }
    segments += cmd === 'm' ? groups - 1 : groups;
  }
  return segments;
}

/** Node count of a whole SVG document (see the module comment). */
export function countSegments(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<path\b[^>]*?\sd\s*=\s*(["'])([\s\S]*?)\1/g)) n += countPathSegments(m[2]);
  for (const m of svg.matchAll(/<(polygon|polyline)\b[^>]*?\spoints\s*=\s*(["'])([\s\S]*?)\2/g)) {
    const pairs = Math.floor((m[3].match(NUMBER_G) ?? []).length / 2);
    n += m[1] === 'polygon' ? pairs : Math.max(0, pairs - 1);
  }
  n += 4 * (svg.match(/<(?:rect|circle|ellipse)\b/g) ?? []).length;
  n += (svg.match(/<line\b/g) ?? []).length;
  return n;
}
const NUMBER_G = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/g;

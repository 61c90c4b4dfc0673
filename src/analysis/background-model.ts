/**
 * Long file: flat, gradient, textured and framed backgrounds are read from the same border samples.
 *
 * The background model: what lies behind the art, read from the canvas border.
 *
 * 1. frame: a thin (1–4 px) ring of one colour around a different border, as
 *    left by a screenshot crop, is recognised and set aside;
 * 2. the border ring inside it is sampled; mostly transparent → `transparent`;
 * 3. a smooth surface (quadratic per RGB channel) is fitted to the ring by
 *    iteratively re-weighted least squares, so that art touching the border
 *    drops out as outliers; the share of ring pixels that fit is `share`;
 * 4. the fitted surface's spread across the canvas tells `flat` from
 *    `gradient` (linear or radial), and the residual noise of the inliers
 *    tells a clean background from a `texture` (paper, fabric, heavy JPEG);
 *    too few inliers → `none`: no consistent background, the art fills the canvas.
 *
 * The surface is also what background removal compares each pixel with, so a
 * gradient is removed as a gradient. docs/ART_ANALYSIS.md explains the choices.
 */
import { deltaE76, type Lab, type Rgb, rgbToLab } from '../color/color.js';
import type { RgbaImage } from '../io/image.js';

/**
 * rgbToLab of an integer colour through a small cache kept across calls: the
 * border ring, its samples and the fitted surface repeat a few colours over and
 * over. (Same values as rgbToLab; integer channels only.)
 */
const LAB_SLOTS = 1 << 12;
const labKeys = new Int32Array(LAB_SLOTS).fill(-1);
const labVals = new Float64Array(LAB_SLOTS * 3);
function labOf(r: number, g: number, b: number, out: Lab): Lab {
  const key = (r << 16) | (g << 8) | b;
  const slot = (key ^ (key >>> 12) ^ (key >>> 20)) & (LAB_SLOTS - 1);
  if (labKeys[slot] === key) {
    out.L = labVals[slot * 3];
    out.a = labVals[slot * 3 + 1];
    out.b = labVals[slot * 3 + 2];
    return out;
  }
  rgbToLab(r, g, b, out);
  labKeys[slot] = key;
  labVals[slot * 3] = out.L;
  labVals[slot * 3 + 1] = out.a;
  labVals[slot * 3 + 2] = out.b;
  return out;
}

export type BackgroundKind = 'transparent' | 'flat' | 'gradient' | 'texture' | 'none';

export interface Frame {
  /** Frame width in pixels (1–4). */
  width: number;
  color: Rgb;
}

export interface GradientInfo {
  type: 'linear' | 'radial';
  /** Colours at the two ends (linear: along `angle`; radial: centre, then corners). */
  from: Rgb;
  to: Rgb;
  /** Direction of a linear gradient in degrees (0 = left to right, 90 = top to bottom). */
  angle: number;
}

export interface BackgroundModel {
  kind: BackgroundKind;
  /** Mean colour of the background samples (null when transparent or none). */
  color: Rgb | null;
  /** 3 × 6 coefficients of c = k0 + k1·u + k2·v + k3·u² + k4·uv + k5·v² per channel (u, v in 0–1), or null. */
  coeffs: Float64Array | null;
  /** 95th percentile of the inliers' ΔE76 to the surface: the background's own noise. */
  noise: number;
  /** Share (0–1) of the sampled ring that fits the surface. */
  share: number;
  frame: Frame | null;
  gradient: GradientInfo | null;
}

/** ΔE76 across the canvas above which a fitted surface is a gradient, not a flat colour. */
const GRADIENT_SPREAD = 4;
/** Inlier noise (ΔE76, 95th percentile) above which a background is a texture. */
const TEXTURE_NOISE = 4.5;
/**
 * Spread (ΔE76, standard deviation) of the background's mean lightness over
 * patches of 1/32 of the canvas, above which it is a texture: paper and fabric
 * vary patch to patch (0.7–1.1 on the corpus's paper), while compression noise
 * averages out within a patch (≤ 0.25 on its JPEGs).
 */
const TEXTURE_BLOTCH = 0.5;
/** Share of the ring that must fit for a background to exist at all. */
const MIN_SHARE = 0.35;

interface Sample {
  u: number;
  v: number;
  r: number;
  g: number;
  b: number;
}

/** Pixels at chessboard depth [from, to) from the canvas edge, row by row (only the band is visited). */
function ringIndices(width: number, height: number, from: number, to: number): Int32Array {
  let size = 0;
  for (let pass = 0; pass < 2; pass++) {
    const out = pass ? new Int32Array(size) : null;
    let k = 0;
    for (let y = 0; y < height; y++) {
      const dy = Math.min(y, height - 1 - y);
      if (dy < from) continue;
      const row = y * width;
      if (dy < to) {
        // a whole row of the band, minus what lies nearer the left and right edges
        for (let x = from; x < width - from; x++)
          if (out) out[k++] = row + x;
          else k++;
        continue;
      }
      for (let x = from; x < Math.min(to, width - from); x++)
        if (out) out[k++] = row + x;
        else k++;
      for (let x = Math.max(width - to, to); x < width - from; x++)
        if (out) out[k++] = row + x;
        else k++;
    }
    if (out) return out;
    size = k;
  }
  return new Int32Array(0);
}

/** Pixel counts per 5-bit bucket, reused by modeColor (cleared after each use). */
const bucketCounts = new Int32Array(1 << 15);

/** Most common 5-bit bucket among opaque pixels, its exact mean and its share of all pixels. */
function modeColor(image: RgbaImage, idx: ArrayLike<number>): { color: Rgb; share: number } | null {
  const { data } = image;
  const counts = bucketCounts;
  const used: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    const p = idx[k] * 4;
    if (data[p + 3] < 128) continue;
    const key = ((data[p] >> 3) << 10) | ((data[p + 1] >> 3) << 5) | (data[p + 2] >> 3);
    if (counts[key]++ === 0) used.push(key);
  }
  // the largest count, the smallest bucket among equals
  let best = -1;
  let bestN = 0;
  for (const k of used) {
    const c = counts[k];
    if (c > bestN || (c === bestN && k < best)) {
      best = k;
      bestN = c;
    }
    counts[k] = 0;
  }
  if (best < 0) return null;
  const centre = rgbToLab(((best >> 10) << 3) + 4, (((best >> 5) & 31) << 3) + 4, ((best & 31) << 3) + 4);
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let n = 0;
  const lab: Lab = { L: 0, a: 0, b: 0 };
  // the test's answer for the last colour seen (rings repeat one colour for long stretches)
  let lastKey = -1;
  let lastNear = false;
  for (let k = 0; k < idx.length; k++) {
    const p = idx[k] * 4;
    if (data[p + 3] < 128) continue;
    const key = (data[p] << 16) | (data[p + 1] << 8) | data[p + 2];
    if (key !== lastKey) {
      lastKey = key;
      lastNear = deltaE76(labOf(data[p], data[p + 1], data[p + 2], lab), centre) <= 10;
    }
    if (lastNear) {
      sr += data[p];
      sg += data[p + 1];
      sb += data[p + 2];
      n++;
    }
  }
  if (!n) return null;
  return { color: { r: sr / n, g: sg / n, b: sb / n }, share: n / idx.length };
}

/**
 * A frame: rings 0…f−1 are one colour, ring f is mostly another. Only widths
 * of 1–4 px count, and only when the canvas is large enough for a frame to be
 * a frame (not the art's own outline).
 */
export function detectFrame(image: RgbaImage): Frame | null {
  const { width, height } = image;
  if (Math.min(width, height) < 40) return null;
  const rings = Array.from({ length: 6 }, (_, d) => modeColor(image, ringIndices(width, height, d, d + 1)));
  const r0 = rings[0];
  if (!r0 || r0.share < 0.9) return null;
  const lab0 = rgbToLab(r0.color.r, r0.color.g, r0.color.b);
  for (let f = 1; f <= 4; f++) {
    const inner = rings[f];
    const next = rings[f + 1];
    if (!inner || !next) return null;
    const labIn = rgbToLab(inner.color.r, inner.color.g, inner.color.b);
    if (deltaE76(labIn, lab0) <= 12) {
      if (inner.share < 0.9) return null;
      continue; // still the frame
    }
    const labNext = rgbToLab(next.color.r, next.color.g, next.color.b);
    if (inner.share >= 0.6 && next.share >= 0.6 && deltaE76(labIn, labNext) < 8) {
      return { width: f, color: roundRgb(r0.color) };
    }
    return null;
  }
  return null;
}

const roundRgb = (c: Rgb): Rgb => ({ r: Math.round(c.r), g: Math.round(c.g), b: Math.round(c.b) });

/** Solves the 6×6 (or smaller) normal equations by Gaussian elimination with pivoting. */
function solve(a: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const m = a.map((row, i) => [...row, rhs[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (Math.abs(m[piv][c]) < 1e-9) return null;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** Least-squares surface through the samples with weight 1 (terms: 1 flat, 3 plane, 6 quadratic). */
function fit(samples: readonly Sample[], terms: number): Float64Array | null {
  // the normal equations' sums, flat (row-major), in the same order of additions
  const sums = new Float64Array(terms * terms);
  const rhs = new Float64Array(3 * terms);
  const f = new Float64Array(6);
  for (const s of samples) {
    f[0] = 1;
    f[1] = s.u;
    f[2] = s.v;
    f[3] = s.u * s.u;
    f[4] = s.u * s.v;
    f[5] = s.v * s.v;
    for (let i = 0; i < terms; i++) {
      const fi = f[i];
      for (let j = 0; j < terms; j++) sums[i * terms + j] += fi * f[j];
      rhs[i] += fi * s.r;
      rhs[terms + i] += fi * s.g;
      rhs[2 * terms + i] += fi * s.b;
    }
  }
  const ata = Array.from({ length: terms }, (_, i) => Array.from(sums.subarray(i * terms, (i + 1) * terms)));
  const out = new Float64Array(18);
  for (let c = 0; c < 3; c++) {
    const k = solve(ata, Array.from(rhs.subarray(c * terms, (c + 1) * terms)));
    if (!k) return null;
    for (let i = 0; i < terms; i++) out[c * 6 + i] = k[i];
  }
  return out;
}

/** The surface's colour at (u, v), clamped to 0–255. */
export function surfaceAt(coeffs: Float64Array, u: number, v: number): Rgb {
  const f = [1, u, v, u * u, u * v, v * v];
  const ch = (c: number) => {
    let s = 0;
    for (let i = 0; i < 6; i++) s += coeffs[c * 6 + i] * f[i];
    return Math.max(0, Math.min(255, s));
  };
  return { r: ch(0), g: ch(1), b: ch(2) };
}

/** surfaceAt's channel c at (u, v), clamped, without allocating (same arithmetic). */
function surfaceChannel(coeffs: Float64Array, c: number, u: number, v: number): number {
  let s = 0;
  s += coeffs[c * 6] * 1;
  s += coeffs[c * 6 + 1] * u;
  s += coeffs[c * 6 + 2] * v;
  s += coeffs[c * 6 + 3] * (u * u);
  s += coeffs[c * 6 + 4] * (u * v);
  s += coeffs[c * 6 + 5] * (v * v);
  return Math.max(0, Math.min(255, s));
}

function residual(coeffs: Float64Array, s: Sample, lab: Lab, ref: Lab): number {
  labOf(
    Math.round(surfaceChannel(coeffs, 0, s.u, s.v)),
    Math.round(surfaceChannel(coeffs, 1, s.u, s.v)),
    Math.round(surfaceChannel(coeffs, 2, s.u, s.v)),
    ref,
  );
  labOf(s.r, s.g, s.b, lab);
  return deltaE76(lab, ref);
}

/**
 * Robust surface fit: start from the samples near the ring's most common
 * colour, then alternately fit and keep the samples within max(6, 3 × the
 * median residual) of the surface.
 */
function robustFit(
  samples: readonly Sample[],
  seed: Rgb,
  terms: number,
): { coeffs: Float64Array; inliers: Sample[]; residuals: number[] } | null {
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const ref: Lab = { L: 0, a: 0, b: 0 };
  const seedLab = rgbToLab(Math.round(seed.r), Math.round(seed.g), Math.round(seed.b));
  const m = samples.length;
  let isIn = new Uint8Array(m);
  for (let i = 0; i < m; i++)
    isIn[i] = deltaE76(labOf(samples[i].r, samples[i].g, samples[i].b, lab), seedLab) <= 15 ? 1 : 0;
  let coeffs: Float64Array | null = null;
  let residuals: number[] = [];
  let inliers: Sample[] = [];
  const all = new Float64Array(m);
  for (let iter = 0; iter < 4; iter++) {
    inliers = pick(samples, isIn);
    if (inliers.length < terms * 4) return null;
    coeffs = fit(inliers, terms);
    if (!coeffs) return null;
    let kept = 0;
    for (let i = 0; i < m; i++) {
      all[i] = residual(coeffs, samples[i], lab, ref);
      kept += isIn[i];
    }
    const sorted = new Float64Array(kept);
    for (let i = 0, k = 0; i < m; i++) if (isIn[i]) sorted[k++] = all[i];
    sorted.sort();
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
    const limit = Math.max(6, 3 * median);
    const next = new Uint8Array(m);
    residuals = [];
    let changed = false;
    for (let i = 0; i < m; i++) {
      next[i] = all[i] <= limit ? 1 : 0;
      if (next[i]) residuals.push(all[i]);
      if (next[i] !== isIn[i]) changed = true;
    }
    isIn = next;
    inliers = pick(samples, isIn);
    if (!changed) break;
  }
  if (!coeffs) return null;
  return { coeffs, inliers, residuals };
}

function pick(samples: readonly Sample[], keep: Uint8Array): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < samples.length; i++) if (keep[i]) out.push(samples[i]);
  return out;
}

/** Largest ΔE76 between the surface and its mean over a 9×9 grid of the canvas. */
function spread(coeffs: Float64Array, mean: Rgb): number {
  const m = rgbToLab(Math.round(mean.r), Math.round(mean.g), Math.round(mean.b));
  let worst = 0;
  for (let j = 0; j <= 8; j++) {
    for (let i = 0; i <= 8; i++) {
      const c = surfaceAt(coeffs, i / 8, j / 8);
      worst = Math.max(worst, deltaE76(rgbToLab(Math.round(c.r), Math.round(c.g), Math.round(c.b)), m));
    }
  }
  return worst;
}

/** Describes a gradient surface for people: linear (with its angle) or radial. */
function describeGradient(coeffs: Float64Array, samples: readonly Sample[]): GradientInfo {
  const plane = fit(samples, 3);
  const quadraticPart = (() => {
    if (!plane) return Number.POSITIVE_INFINITY;
    let worst = 0;
    for (let j = 0; j <= 4; j++) {
      for (let i = 0; i <= 4; i++) {
        const a = surfaceAt(coeffs, i / 4, j / 4);
        const b = surfaceAt(plane, i / 4, j / 4);
        worst = Math.max(worst, Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
      }
    }
    return worst;
  })();
  if (plane && quadraticPart < 4) {
    // direction of steepest luminance change of the plane
    const du = 0.2126 * plane[1] + 0.7152 * plane[7] + 0.0722 * plane[13];
    const dv = 0.2126 * plane[2] + 0.7152 * plane[8] + 0.0722 * plane[14];
    const angle = Math.round((Math.atan2(dv, du) * 180) / Math.PI);
    const len = Math.hypot(du, dv) || 1;
    const [ux, uy] = [du / len, dv / len];
    // the ends: where the direction line through the centre leaves the unit square
    const t = 0.5 / Math.max(Math.abs(ux), Math.abs(uy));
    const from = roundRgb(surfaceAt(coeffs, 0.5 - ux * t, 0.5 - uy * t));
    const to = roundRgb(surfaceAt(coeffs, 0.5 + ux * t, 0.5 + uy * t));
    return { type: 'linear', from, to, angle };
  }
  const centre = roundRgb(surfaceAt(coeffs, 0.5, 0.5));
  const corners = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ].map(([u, v]) => surfaceAt(coeffs, u, v));
  const edge = roundRgb({
    r: corners.reduce((s, c) => s + c.r, 0) / 4,
    g: corners.reduce((s, c) => s + c.g, 0) / 4,
    b: corners.reduce((s, c) => s + c.b, 0) / 4,
  });
  return { type: 'radial', from: centre, to: edge, angle: 0 };
}

/**
 * Models the background from the canvas border.
 *
 * @example
 *   const model = modelBackground(image);
 *   if (model.kind === 'gradient') console.log(model.gradient);
 */
export function modelBackground(image: RgbaImage): BackgroundModel {
  const { width, height, data } = image;
  const frame = detectFrame(image);
  const inset = frame?.width ?? 0;
  const depth = Math.max(2, Math.min(6, Math.round(Math.min(width, height) * 0.01)));
  const ring = ringIndices(
    width,
    height,
    inset,
    Math.min(inset + depth, Math.ceil(Math.min(width, height) / 2)),
  );
  const none: BackgroundModel = {
    kind: 'none',
    color: null,
    coeffs: null,
    noise: 0,
    share: 0,
    frame,
    gradient: null,
  };
  if (!ring.length) return none;
  let transparent = 0;
  const samples: Sample[] = [];
  const su = 1 / Math.max(1, width - 1);
  const sv = 1 / Math.max(1, height - 1);
  // at most ~6000 samples: the fit is statistics, the ring of a large image is long
  const step = Math.max(1, Math.floor(ring.length / 6000));
  for (let k = 0; k < ring.length; k++) {
    const i = ring[k];
    if (data[i * 4 + 3] < 128) {
      transparent++;
      continue;
    }
    if (k % step) continue;
    const x = i % width;
    samples.push({
      u: x * su,
      v: ((i - x) / width) * sv,
      r: data[i * 4],
      g: data[i * 4 + 1],
      b: data[i * 4 + 2],
    });
  }
  if (transparent >= ring.length / 2)
    return { ...none, kind: 'transparent', share: transparent / ring.length };
  const seed = modeColor(image, ring);
  if (!seed) return none;
  const sampled = ring.length / step;
  // a quadratic needs samples spread along all four sides; a plane, then a flat colour, otherwise
  const result =
    robustFit(samples, seed.color, 6) ??
    robustFit(samples, seed.color, 3) ??
    robustFit(samples, seed.color, 1);
  if (!result) return none;
  const share = Math.min(1, result.inliers.length / sampled);
  const mean = {
    r: result.inliers.reduce((s, p) => s + p.r, 0) / result.inliers.length,
    g: result.inliers.reduce((s, p) => s + p.g, 0) / result.inliers.length,
    b: result.inliers.reduce((s, p) => s + p.b, 0) / result.inliers.length,
  };
  const sortedRes = Float64Array.from(result.residuals).sort();
  const noise = sortedRes.length
    ? sortedRes[Math.min(sortedRes.length - 1, Math.floor(sortedRes.length * 0.95))]
    : 0;
  if (share < MIN_SHARE) return { ...none, share };
  const color = roundRgb(mean);
  const isGradient = spread(result.coeffs, mean) >= GRADIENT_SPREAD;
  let kind: BackgroundKind = isGradient ? 'gradient' : 'flat';
  const blotch = blotchiness(result.coeffs, result.inliers);
  if (noise >= TEXTURE_NOISE || blotch >= TEXTURE_BLOTCH) kind = 'texture';
  return {
    kind,
    color,
    coeffs: isGradient || kind === 'texture' ? result.coeffs : null,
    noise,
    share,
    frame,
    gradient: isGradient ? describeGradient(result.coeffs, result.inliers) : null,
  };
}

/** A flat model of one given colour (for `--background #hex` and the corner rule). */
export function flatModel(color: Rgb, frame: Frame | null = null): BackgroundModel {
  return { kind: 'flat', color, coeffs: null, noise: 0, share: 1, frame, gradient: null };
}

/**
 * The background colour expected at every pixel, 3 bytes a pixel: the model's
 * surface, or its one colour. Null for transparent / none.
 */
export function backgroundField(model: BackgroundModel, width: number, height: number): Uint8Array | null {
  if (!model.color) return null;
  const out = new Uint8Array(width * height * 3);
  if (!model.coeffs) {
    const { r, g, b } = model.color;
    if (!out.length) return out;
    out[0] = r;
    out[1] = g;
    out[2] = b;
    // doubling copies: a handful of native calls instead of a loop over every pixel
    for (let filled = 3; filled < out.length; filled *= 2)
      out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
    return out;
  }
  const k = model.coeffs;
  const su = 1 / Math.max(1, width - 1);
  const sv = 1 / Math.max(1, height - 1);
  for (let y = 0; y < height; y++) {
    const v = y * sv;
    for (let c = 0; c < 3; c++) {
      // per row the surface is a quadratic in u: evaluate its three coefficients once
      const a0 = k[c * 6] + k[c * 6 + 2] * v + k[c * 6 + 5] * v * v;
      const a1 = k[c * 6 + 1] + k[c * 6 + 4] * v;
      const a2 = k[c * 6 + 3];
      for (let x = 0; x < width; x++) {
        const u = x * su;
        const val = a0 + a1 * u + a2 * u * u;
        out[(y * width + x) * 3 + c] = val < 0 ? 0 : val > 255 ? 255 : Math.round(val);
      }
    }
  }
  return out;
}

/**
 * Refits the surface to the background pixels a flood found (sampled on a
 * grid), so that it also fits the middle of the canvas. Null when too few.
 */
export function refitSurface(image: RgbaImage, isBg: Uint8Array): Float64Array | null {
  const { width, height, data } = image;
  const step = Math.max(1, Math.round(Math.sqrt((width * height) / 8000)));
  const samples: Sample[] = [];
  const su = 1 / Math.max(1, width - 1);
  const sv = 1 / Math.max(1, height - 1);
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const i = y * width + x;
      if (!isBg[i] || data[i * 4 + 3] < 255) continue;
      samples.push({ u: x * su, v: y * sv, r: data[i * 4], g: data[i * 4 + 1], b: data[i * 4 + 2] });
    }
  }
  return samples.length >= 60 ? fit(samples, 6) : null;
}

/** Standard deviation of the mean lightness residual over 1/32-canvas patches of the samples. */
function blotchiness(coeffs: Float64Array, samples: readonly Sample[]): number {
  // per cell of a 32×32 grid: the sum and count of the lightness residual, cells in the order met
  const sums = new Float64Array(32 * 32);
  const counts = new Int32Array(32 * 32);
  const order: number[] = [];
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const ref: Lab = { L: 0, a: 0, b: 0 };
  for (const s of samples) {
    labOf(
      Math.round(surfaceChannel(coeffs, 0, s.u, s.v)),
      Math.round(surfaceChannel(coeffs, 1, s.u, s.v)),
      Math.round(surfaceChannel(coeffs, 2, s.u, s.v)),
      ref,
    );
    labOf(s.r, s.g, s.b, lab);
    const key = Math.min(31, Math.floor(s.u * 32)) * 32 + Math.min(31, Math.floor(s.v * 32));
    if (counts[key] === 0) order.push(key);
    sums[key] += lab.L - ref.L;
    counts[key]++;
  }
  const means: number[] = [];
  for (const key of order) if (counts[key] >= 4) means.push(sums[key] / counts[key]);
  if (means.length < 8) return 0;
  const m = means.reduce((a, b) => a + b, 0) / means.length;
  return Math.sqrt(means.reduce((a, b) => a + (b - m) * (b - m), 0) / means.length);
}

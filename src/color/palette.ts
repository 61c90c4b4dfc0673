/**
 * An anti-alias-aware palette: the logo's true flat colours, not the blends
 * along its edges. Only "flat" pixels vote — opaque pixels whose 3×3
 * neighbourhood is nearly uniform — so edge blends and JPEG ringing never
 * become colours of their own. Votes are bucketed, clustered greedily in
 * CIELAB, refined by a few k-means steps, and near-duplicates are merged.
 */

import type { RgbaImage } from '../io/image.js';
import { deltaE76, type Lab, type Rgb, rgbToLab } from './color.js';

export interface PaletteOptions {
  /** Exactly this many colours (0 = automatic). */
  colors: number;
  /** Clusters closer than this (ΔE76) are one colour (default 12). */
  mergeDistance: number;
  /** Automatic mode keeps colours covering at least this share of the flat pixels (default 0.2 %). */
  minShare: number;
  /** Upper bound in automatic mode (default 16). */
  maxColors: number;
}

/** A colour under minShare is kept when it covers this many flat pixels… */
const SMALL_COLOUR_PIXELS = 8;
/** …and lies at least this far (ΔE76) from every colour kept. */
const SMALL_COLOUR_CONTRAST = 40;

export const DEFAULT_PALETTE_OPTIONS: PaletteOptions = {
  colors: 0,
  mergeDistance: 12,
  minShare: 0.002,
  maxColors: 16,
};

interface Bucket {
  r: number;
  g: number;
  b: number;
  n: number;
  lab: Lab;
}

/**
 * Collects flat, opaque pixels into 5-bit-per-channel buckets (sums, so means
 * stay exact). Flat = every 8-neighbour is opaque and within `flatness` per
 * RGB channel: cheap, and strict enough to exclude anti-aliased edge blends.
 */
function flatBuckets(image: RgbaImage, flatness: number): Bucket[] {
  const { width, height, data } = image;
  // 32768 buckets as flat typed arrays (no Map per pixel); large images are
  // sampled every other pixel each way: votes are statistics, a quarter is plenty.
  const sr = new Float64Array(32768);
  const sg = new Float64Array(32768);
  const sb = new Float64Array(32768);
  const count = new Uint32Array(32768);
  const step = width * height > 250_000 ? 2 : 1;
  const row = width * 4;
  const offsets = [-row - 4, -row, -row + 4, -4, 4, row - 4, row, row + 4];
  for (let y = 1; y < height - 1; y += step) {
    for (let x = 1; x < width - 1; x += step) {
      const p = (y * width + x) * 4;
      if (data[p + 3] < 255) continue;
      const r = data[p];
      const g = data[p + 1];
      const b = data[p + 2];
      let flat = true;
      for (const o of offsets) {
        const q = p + o;
        if (
          data[q + 3] < 255 ||
          Math.abs(data[q] - r) > flatness ||
          Math.abs(data[q + 1] - g) > flatness ||
          Math.abs(data[q + 2] - b) > flatness
        ) {
          flat = false;
          break;
        }
      }
      if (!flat) continue;
      const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      sr[key] += r;
      sg[key] += g;
      sb[key] += b;
      count[key]++;
    }
  }
  const out: Bucket[] = [];
  for (let k = 0; k < 32768; k++) {
    const c = count[k];
    if (!c) continue;
    const w = step * step; // each sample stands for w pixels
    const lab = rgbToLab(Math.round(sr[k] / c), Math.round(sg[k] / c), Math.round(sb[k] / c));
    out.push({ r: sr[k] * w, g: sg[k] * w, b: sb[k] * w, n: c * w, lab });
  }
  return out;
}

/** Falls back to every visible pixel when the art has no flat area (tiny or very noisy images). */
function allBuckets(image: RgbaImage): Bucket[] {
  const { data } = image;
  const sums = new Map<number, Bucket>();
  for (let p = 0; p < data.length; p += 4) {
    if (data[p + 3] < 128) continue;
    const key = ((data[p] >> 3) << 10) | ((data[p + 1] >> 3) << 5) | (data[p + 2] >> 3);
    let b = sums.get(key);
    if (!b) {
      b = { r: 0, g: 0, b: 0, n: 0, lab: { L: 0, a: 0, b: 0 } };
      sums.set(key, b);
    }
    b.r += data[p];
    b.g += data[p + 1];
    b.b += data[p + 2];
    b.n++;
  }
  const out = [...sums.values()];
  for (const b of out) b.lab = rgbToLab(Math.round(b.r / b.n), Math.round(b.g / b.n), Math.round(b.b / b.n));
  return out;
}

interface Cluster {
  r: number;
  g: number;
  b: number;
  n: number;
  lab: Lab;
}

function mean(c: Cluster): Rgb {
  return { r: Math.round(c.r / c.n), g: Math.round(c.g / c.n), b: Math.round(c.b / c.n) };
}

/** Greedy: the heaviest remaining bucket seeds a cluster that takes every bucket within `radius`. */
function greedyClusters(buckets: Bucket[], radius: number, limit: number): Cluster[] {
  const left = [...buckets].sort((a, b) => b.n - a.n || a.lab.L - b.lab.L);
  const taken = new Uint8Array(left.length);
  const clusters: Cluster[] = [];
  for (let s = 0; s < left.length && clusters.length < limit; s++) {
    if (taken[s]) continue;
    const seed = left[s].lab;
    const c: Cluster = { r: 0, g: 0, b: 0, n: 0, lab: seed };
    for (let k = s; k < left.length; k++) {
      if (taken[k] || deltaE76(left[k].lab, seed) > radius) continue;
      taken[k] = 1;
      c.r += left[k].r;
      c.g += left[k].g;
      c.b += left[k].b;
      c.n += left[k].n;
    }
    const m = mean(c);
    c.lab = rgbToLab(m.r, m.g, m.b);
    clusters.push(c);
  }
  return clusters;
}

/** A few Lloyd iterations over the buckets, keeping the number of clusters. */
function refine(buckets: Bucket[], clusters: Cluster[], rounds: number): Cluster[] {
  let current = clusters;
  for (let r = 0; r < rounds; r++) {
    const next: Cluster[] = current.map(() => ({ r: 0, g: 0, b: 0, n: 0, lab: { L: 0, a: 0, b: 0 } }));
    for (const b of buckets) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      current.forEach((c, k) => {
        const d = deltaE76(b.lab, c.lab);
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      });
      next[best].r += b.r;
      next[best].g += b.g;
      next[best].b += b.b;
      next[best].n += b.n;
    }
    current = next
      .map((c, k) => {
        if (c.n === 0) return current[k];
        const m = mean(c);
        return { ...c, lab: rgbToLab(m.r, m.g, m.b) };
      })
      .filter((c) => c.n > 0);
  }
  return current;
}

/** The palette of a (background-removed) logo, most used colour first. */
export function extractPalette(image: RgbaImage, options: Partial<PaletteOptions> = {}): Rgb[] {
  const o = { ...DEFAULT_PALETTE_OPTIONS, ...options };
  let buckets = flatBuckets(image, 10);
  const total = buckets.reduce((s, b) => s + b.n, 0);
  if (total < 16) buckets = allBuckets(image);
  if (buckets.length === 0) return [];
  let clusters: Cluster[];
  if (o.colors > 0) {
    // exactly N: shrink the merge radius until there are enough distinct clusters
    let radius = o.mergeDistance;
    clusters = greedyClusters(buckets, radius, o.colors);
    while (clusters.length < o.colors && radius > 1) {
      radius /= 2;
      clusters = greedyClusters(buckets, radius, o.colors);
    }
    clusters = refine(buckets, clusters, 4);
  } else {
    const sum = buckets.reduce((s, b) => s + b.n, 0);
    const all = greedyClusters(buckets, o.mergeDistance, o.maxColors * 2);
    clusters = all.filter((c) => c.n >= o.minShare * sum).slice(0, o.maxColors);
    // Small but high-contrast colours stay (a bird's black eye, a thin dark stroke on yellow):
    // contrast matters more than area. JPEG noise never is both flat and far from every colour.
    for (const c of all) {
      if (clusters.length >= o.maxColors) break;
      if (c.n >= o.minShare * sum || c.n < SMALL_COLOUR_PIXELS) continue;
      if (clusters.every((k) => deltaE76(k.lab, c.lab) >= SMALL_COLOUR_CONTRAST)) clusters.push(c);
    }
    clusters = refine(buckets, clusters, 4);
    // merge near-duplicates that refinement moved together
    const merged: Cluster[] = [];
    for (const c of clusters.sort((a, b) => b.n - a.n)) {
      const same = merged.find((m) => deltaE76(m.lab, c.lab) < o.mergeDistance / 2);
      if (same) {
        same.r += c.r;
        same.g += c.g;
        same.b += c.b;
        same.n += c.n;
      } else merged.push({ ...c });
    }
    clusters = merged;
  }
  return clusters.sort((a, b) => b.n - a.n).map(mean);
}

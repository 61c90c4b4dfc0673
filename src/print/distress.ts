/**
 * Long file: to be split along its banners (noise field, wear, edges) with the rooms work of issue
 * #15.
 *
 * Seeded screen-print grunge: which pixels of a logo's ink to knock out so
 * that it looks worn — fBm wear patches broken up by grain, speckle clusters,
 * a few scratches, chipped edges — while the logo stays legible. The result is
 * one mask, so that every film of a separation (underbase included) can be
 * knocked out by the same distress and the colours stay in register.
 *
 * Legibility rules, in the order they are applied (docs/DISTRESS.md):
 *   - thin strokes are protected: the removal score is scaled down where the
 *     local stroke width (the widest inscribed square covering the pixel) is
 *     small, so hairlines and small text keep nearly all their ink;
 *   - every connected part of the art (per colour region when `regions` is
 *     given) loses at most `capShare(intensity)` of its area, and parts too
 *     small to wear convincingly are left whole;
 *   - nothing unprintable is made: knocked-out slivers narrower than the
 *     minimum feature are filled back, ink slivers between holes are removed,
 *     and no hole or surviving ink speck is smaller than a disc of diameter
 *     `minSpeckPx` (a part of the art that was already that small is kept).
 *
 * Pure and deterministic: the same inputs and seed give the same bytes on any
 * platform (src/print/noise.ts hashes integers; no Math.random).
 */
import { distanceTransform } from '../raster/distance.js';
import { labelComponents, neighbour4 } from '../raster/mask.js';
import { closeOctagon, openOctagon } from '../raster/morphology.js';
import { createRng, fbmField, mix32, type Rng, seed32 } from './noise.js';

export interface DistressOptions {
  /** How worn: 0 = untouched, 1 = heavily worn (default 0.5 removes ≈ 15 % of thick areas). */
  intensity: number;
  /** Texture size relative to the art (1 = default; 2 = twice as coarse). Never finer than `minSpeckPx`. */
  scale: number;
  /** Any integer or text; the same seed gives the same distress. */
  seed: number | string;
  /**
   * The smallest printable feature, in pixels (e.g. 0.3 mm at the print size):
   * no knocked-out hole or surviving ink speck is smaller than a disc this wide.
   */
  minSpeckPx: number;
  /**
   * Optional flat-colour id per pixel (e.g. palette index). Parts and stroke
   * widths are then measured per colour region, so that a thin white ring on
   * a navy disc counts as thin and keeps its ink.
   */
  regions?: ArrayLike<number> | null;
}

/** Share of ink removed from thick areas (before the legibility rules) at an intensity. */
export function targetShare(intensity: number): number {
  return 0.3 * intensity;
}

/** Most of any one part of the art that may be knocked out: 35 % at intensity 0.5. */
export function capShare(intensity: number): number {
  return 0.2 + 0.3 * intensity;
}

/** Ink coverage at or above this (of 255) counts as ink. */
const INK = 128;
/** Scores of forced marks (speckle dots, scratches): above any texture score. */
const MARK = 1.5;
/** Resolution of the score histogram used to find the intensity's threshold. */
const BINS = 4096;
const SCORE_MAX = 2;

/**
 * The knock-out mask of a seeded distress over `ink` (coverage 0–255 of all
 * inks together, width × height; ≥ 128 counts as ink): 255 where ink is to be
 * removed, 0 elsewhere (always 0 where there is no ink).
 *
 * For separations: compute it once over the composite art, at the resolution
 * the films are made at (or scale the mask nearest-neighbour), clear every
 * ink's map with it (`applyKnockout`), and derive the underbase from the
 * knocked-out inks, so that its choke pulls back around the holes as well.
 *
 * @example
 *   const knock = distressKnockout(w, h, alpha, { intensity: 0.5, scale: 1, seed: 7, minSpeckPx: 3.5 });
 *   for (const film of films) applyKnockout(film, knock);
 */
export function distressKnockout(
  width: number,
  height: number,
  ink: Uint8Array,
  options: DistressOptions,
): Uint8Array {
  const n = width * height;
  if (ink.length !== n) throw new RangeError(`ink has ${ink.length} values for ${width}×${height} pixels`);
  const out = new Uint8Array(n);
  const intensity = Math.max(0, Math.min(1, options.intensity));
  const box = inkBounds(ink, width, height);
  if (intensity === 0 || !box) return out;

  const member = new Uint8Array(n);
  for (let i = 0; i < n; i++) member[i] = ink[i] >= INK ? 1 : 0;
  const regions = options.regions ?? null;
  const minSpeck = Math.max(1, options.minSpeckPx);
  const minArea = Math.ceil((Math.PI / 4) * minSpeck * minSpeck);
  const longSide = Math.max(box.width, box.height);
  const seed = seed32(options.seed);
  const scale = Math.max(0.05, options.scale);

  // texture sizes, in pixels: relative to the art, never finer than printable
  const grainPx = Math.max(4 * minSpeck, 0.022 * longSide * scale);
  const wearPx = Math.max(8 * minSpeck, 0.28 * longSide * scale);
  const edgePx = Math.max(2 * minSpeck, 0.012 * longSide * scale);
  // strokes narrower than thinPx are barely touched; from thickPx on, fully
  const thinPx = 2 * minSpeck;
  const thickPx = Math.max(6 * minSpeck, 1.5 * grainPx);

  const edgeSource = regionEdges(member, regions, width, height);
  // half-widths worth telling apart: the sliver test's, then thin → thick in about 5 steps
  const r = Math.max(1, Math.floor(minSpeck / 2));
  const top = Math.min(64, Math.ceil(thickPx / 2) + 1);
  const first = Math.floor(thinPx / 2) + 1;
  const step = Math.max(1, Math.ceil((top - first) / 5));
  const levels = [r + 2];
  for (let k = first; k < top + step; k += step) levels.push(Math.min(k, top));
  const dist = distanceTransform(edgeSource, width, height, {
    metric: 'chessboard',
    max: Math.max(top, Math.ceil(edgePx) + 1),
  });
  const half = halfWidths(dist, member, edgeSource, regions, width, height, levels);
  const parts = labelParts(member, regions, width, height);

  // --- the texture score: higher = knocked out first
  const score = textureScore(width, height, member, dist, seed, { grainPx, wearPx, edgePx });
  addMarks(score, member, width, height, box, seed, intensity, { minSpeck, grainPx, longSide });

  // --- intensity → threshold over the unprotected score, so that thin art is spared, not compensated for
  const threshold = quantileAbove(score, member, targetShare(intensity));
  const tinyArea = 8 * minArea;
  let knock: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!member[i] || parts.areas[parts.labels[i]] < tinyArea) continue;
    const w = 2 * half[i] - 1; // stroke width in px (chessboard: side of the inscribed square)
    const t = w <= thinPx ? 0 : w >= thickPx ? 1 : (w - thinPx) / (thickPx - thinPx);
    // thin strokes keep under half their score: only forced marks (scratches, specks) nick them
    const protectedScore = score[i] * (0.45 + 0.55 * t * t * (3 - 2 * t));
    if (protectedScore > threshold) {
      knock[i] = 1;
      score[i] = protectedScore;
    }
  }

  // --- legibility: cap each part, then make every feature printable
  const cap = capShare(intensity);
  capPerPart(knock, score, parts, 0.9 * cap);
  const capped = knock.slice();
  knock = openOctagon(knock, width, height, r); // no knocked-out slivers
  addInkSlivers(knock, member, half, width, height, r); // no ink slivers between holes in thick areas
  fillSmallHoles(knock, width, height, minArea);
  removeInkSpecks(knock, member, parts, width, height, minArea);
  guardParts(knock, capped, parts, cap + 0.05);

  for (let i = 0; i < n; i++) if (knock[i] && member[i]) out[i] = 255;
  return out;
}

/** Clears `map` (a film's coverage or 0/1 map, the mask's size) wherever `knock` is set, in place; returns it. */
export function applyKnockout<T extends Uint8Array>(map: T, knock: Uint8Array): T {
  if (map.length !== knock.length) throw new RangeError(`map has ${map.length} values, mask ${knock.length}`);
  for (let i = 0; i < map.length; i++) if (knock[i]) map[i] = 0;
  return map;
}

// ---------------------------------------------------------------- geometry of the ink

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inkBounds(ink: Uint8Array, width: number, height: number): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (ink[i] < INK) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** 1 where a pixel is not ink, or is ink touching (4-neighbour) ink of another region: where widths are measured from. */
function regionEdges(
  member: Uint8Array,
  regions: ArrayLike<number> | null,
  width: number,
  height: number,
): Uint8Array {
  const n = width * height;
  const edge = new Uint8Array(n);
  for (let i = 0; i < n; i++) edge[i] = member[i] ? 0 : 1;
  if (!regions) return edge;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!member[i]) continue;
      const r = regions[i];
      if (
        (x > 0 && member[i - 1] && regions[i - 1] !== r) ||
        (x < width - 1 && member[i + 1] && regions[i + 1] !== r) ||
        (y > 0 && member[i - width] && regions[i - width] !== r) ||
        (y < height - 1 && member[i + width] && regions[i + width] !== r)
      )
        edge[i] = 1;
    }
  }
  return edge;
}

/**
 * Half the local stroke width per ink pixel: the largest k of `levels` such
 * that a (2k − 1)-wide square free of edges covers the pixel — the
 * morphological opening of the ink at each size (1 when none does). Values
 * between two levels round down, to the more protective side. Pixels on a
 * colour boundary take the value of a neighbour in their region.
 */
function halfWidths(
  dist: Uint8Array,
  member: Uint8Array,
  edge: Uint8Array,
  regions: ArrayLike<number> | null,
  width: number,
  height: number,
  levels: readonly number[],
): Uint8Array {
  const n = width * height;
  const half = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (member[i] && !edge[i]) half[i] = 1;
  // Each level's core (dist ≥ k) reaches only k − 1 pixels beyond its bounding box: the
  // chessboard distance is computed in that window alone (exact: a rectangle holds the
  // straight 8-connected paths), from one pass that finds every core's box.
  const sorted = [...new Set(levels)].sort((a, b) => a - b);
  const L = sorted.length;
  const levelOf = new Int8Array(256).fill(-1); // the highest level index whose core holds a distance
  for (let d = 0; d < 256; d++) for (let l = 0; l < L; l++) if (d >= sorted[l]) levelOf[d] = l;
  const bx0 = new Int32Array(L).fill(width);
  const by0 = new Int32Array(L).fill(height);
  const bx1 = new Int32Array(L).fill(-1);
  const by1 = new Int32Array(L).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const l = levelOf[dist[i]];
      if (l < 0) continue;
      if (x < bx0[l]) bx0[l] = x;
      if (x > bx1[l]) bx1[l] = x;
      if (y < by0[l]) by0[l] = y;
      if (y > by1[l]) by1[l] = y;
    }
  }
  for (let l = L - 2; l >= 0; l--) {
    // a level's core holds every higher level's
    if (bx0[l + 1] < bx0[l]) bx0[l] = bx0[l + 1];
    if (bx1[l + 1] > bx1[l]) bx1[l] = bx1[l + 1];
    if (by0[l + 1] < by0[l]) by0[l] = by0[l + 1];
    if (by1[l + 1] > by1[l]) by1[l] = by1[l + 1];
  }
  let core: Uint8Array | null = null;
  let reach: Uint8Array | null = null;
  let queue: Int32Array | null = null;
  for (let l = 0; l < L; l++) {
    if (bx1[l] < 0) break;
    const k = sorted[l];
    const x0 = Math.max(0, bx0[l] - (k - 1));
    const x1 = Math.min(width - 1, bx1[l] + (k - 1));
    const y0 = Math.max(0, by0[l] - (k - 1));
    const y1 = Math.min(height - 1, by1[l] + (k - 1));
    const ww = x1 - x0 + 1;
    const wh = y1 - y0 + 1;
    core ??= new Uint8Array(n);
    reach ??= new Uint8Array(n);
    queue ??= new Int32Array(n);
    for (let y = y0, j = 0; y <= y1; y++) {
      for (let x = x0, i = y * width + x0; x <= x1; x++, i++, j++) core[j] = dist[i] >= k ? 1 : 0;
    }
    distanceTransform(core.subarray(0, ww * wh), ww, wh, {
      metric: 'chessboard',
      max: k - 1,
      out: reach,
      queue,
    });
    for (let y = y0, j = 0; y <= y1; y++) {
      for (let x = x0, i = y * width + x0; x <= x1; x++, i++, j++)
        if (reach[j] <= k - 1 && member[i]) half[i] = k;
    }
  }
  if (regions) {
    for (let y = 0; y < height; y++) {
      for (let x = 0, i = y * width; x < width; x++, i++) {
        if (!member[i] || !edge[i]) continue;
        let best = 1;
        const r = regions[i];
        if (x > 0 && regions[i - 1] === r && half[i - 1] > best) best = half[i - 1];
        if (x < width - 1 && regions[i + 1] === r && half[i + 1] > best) best = half[i + 1];
        if (y > 0 && regions[i - width] === r && half[i - width] > best) best = half[i - width];
        if (y < height - 1 && regions[i + width] === r && half[i + width] > best) best = half[i + width];
        half[i] = best;
      }
    }
  }
  return half;
}

interface Parts {
  labels: Int32Array;
  areas: number[];
}

/** 4-connected parts of the ink; with regions, of equal region id. */
function labelParts(
  member: Uint8Array,
  regions: ArrayLike<number> | null,
  width: number,
  height: number,
): Parts {
  if (!regions) return labelComponents(member, width, height);
  const n = width * height;
  const labels = new Int32Array(n);
  const areas: number[] = [0];
  const queue = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!member[start] || labels[start]) continue;
    const label = areas.length;
    const r = regions[start];
    let tail = 0;
    labels[start] = label;
    queue[tail++] = start;
    // breadth-first, written out without a closure: this loop runs for every pixel
    for (let head = 0; head < tail; head++) {
      const i = queue[head];
      for (let k = 0; k < 4; k++) {
        const j = neighbour4(i, k, width, n);
        if (j >= 0 && member[j] && !labels[j] && regions[j] === r) {
          labels[j] = label;
          queue[tail++] = j;
        }
      }
    }
    areas.push(tail);
  }
  return { labels, areas };
}

// ---------------------------------------------------------------- texture

/**
 * Per ink pixel, how worn it is (about 0–1.3): large fBm wear patches plus a
 * finer grain, so that the threshold cuts grainy holes where the print is
 * worn and leaves solid ink elsewhere (not even salt and pepper), plus edge
 * chipping that fades over `edgePx` from the shape's boundary.
 */
function textureScore(
  width: number,
  height: number,
  member: Uint8Array,
  dist: Uint8Array,
  seed: number,
  px: { grainPx: number; wearPx: number; edgePx: number },
): Float32Array {
  const wear = fbmField(width, height, mix32(seed ^ 0x57ea), { period: px.wearPx, octaves: 3 }, member);
  // grain: slightly stretched along a seeded direction, like a worn screen or a dry squeegee
  const rng = createRng(mix32(seed ^ 0x6a1));
  const direction = unitVector(rng);
  const grain = fbmField(
    width,
    height,
    mix32(seed ^ 0x62a1),
    { period: px.grainPx, octaves: 3, gain: 0.6, stretch: 1.6, direction },
    member,
  );
  const chips = fbmField(width, height, mix32(seed ^ 0xed6e), { period: px.edgePx * 2, octaves: 2 }, member);
  const score = new Float32Array(width * height);
  for (let i = 0; i < score.length; i++) {
    if (!member[i]) continue;
    const w = 0.5 + 0.5 * wear[i];
    const g = 0.5 + 0.5 * grain[i];
    const near = dist[i] <= 1 ? 1 : Math.max(0, 1 - (dist[i] - 1) / px.edgePx);
    const chip = near * Math.max(0, chips[i] + 0.1);
    score[i] = 0.6 * w + 0.45 * g + 0.5 * chip;
  }
  return score;
}

/** A seeded unit vector (rejection sampling; sqrt is exact in IEEE arithmetic, unlike sin and cos). */
function unitVector(rng: Rng): { x: number; y: number } {
  for (;;) {
    const x = rng.range(-1, 1);
    const y = rng.range(-1, 1);
    const d = x * x + y * y;
    if (d > 0.01 && d <= 1) {
      const s = Math.sqrt(d);
      return { x: x / s, y: y / s };
    }
  }
}

/**
 * Forced marks: speckle dots clustered in worn areas and a few scratches.
 * Mark k is drawn from its own seeded stream and kept when its number falls
 * under the intensity, so a higher intensity only ever adds marks.
 */
function addMarks(
  score: Float32Array,
  member: Uint8Array,
  width: number,
  height: number,
  box: Box,
  seed: number,
  intensity: number,
  px: { minSpeck: number; grainPx: number; longSide: number },
): void {
  const wear = (x: number, y: number) => {
    const i = y * width + x;
    return member[i] ? score[i] : 0;
  };
  // speckle: dots of radius 0.15–0.4 grain, candidates ∝ area, kept more often where the score is high
  const area = box.width * box.height;
  const dotCandidates = Math.min(20000, Math.round((area / (px.grainPx * px.grainPx)) * 0.25));
  for (let k = 0; k < dotCandidates; k++) {
    const rng = createRng(mix32(seed ^ Math.imul(k + 1, 0x2545f491)));
    const x = Math.floor(box.x + rng.next() * box.width);
    const y = Math.floor(box.y + rng.next() * box.height);
    const radius = Math.max(px.minSpeck * 0.75, px.grainPx * rng.range(0.15, 0.4));
    const keep = rng.next();
    if (keep > intensity * 1.2 * Math.max(0, wear(x, y) - 0.3)) continue;
    stamp(score, member, width, height, x, y, radius);
  }
  // scratches: up to 8, around a shared seeded direction, nearly straight, tapered and broken
  const base = unitVector(createRng(mix32(seed ^ 0x5c7a)));
  const scratches = Math.round(8 * intensity);
  for (let k = 0; k < scratches; k++) {
    const rng = createRng(mix32(seed ^ Math.imul(k + 1, 0x68e31da4)));
    let x = box.x + rng.next() * box.width;
    let y = box.y + rng.next() * box.height;
    const jitter = unitVector(rng);
    let dx = base.x + 0.5 * jitter.x;
    let dy = base.y + 0.5 * jitter.y;
    const len = px.longSide * rng.range(0.1, 0.45);
    const width0 = Math.max(px.minSpeck * 0.65, px.grainPx * rng.range(0.08, 0.2));
    const bend = rng.range(-0.006, 0.006);
    const step = Math.max(1, width0 * 0.7);
    const gapEvery = rng.range(0.15, 0.4) * len;
    for (let s = 0; s < len; s += step) {
      const d = Math.sqrt(dx * dx + dy * dy);
      dx /= d;
      dy /= d;
      // taper at both ends; short gaps make the scratch look dragged, not drawn
      const along = s / len;
      const taper = Math.min(1, 4 * along, 4 * (1 - along));
      const inGap = (s % gapEvery) / gapEvery > 0.85;
      if (!inGap) stamp(score, member, width, height, x, y, Math.max(px.minSpeck * 0.65, width0 * taper));
      x += dx * step;
      y += dy * step;
      const turn = bend + rng.range(-0.03, 0.03);
      dx -= dy * turn;
      dy += dx * turn;
    }
  }
}

/** Marks a disc of ink pixels as forced knock-outs. */
function stamp(
  score: Float32Array,
  member: Uint8Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  radius: number,
): void {
  const r2 = radius * radius;
  const x0 = Math.max(0, Math.floor(cx - radius));
  const x1 = Math.min(width - 1, Math.ceil(cx + radius));
  const y0 = Math.max(0, Math.floor(cy - radius));
  const y1 = Math.min(height - 1, Math.ceil(cy + radius));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const ddx = x + 0.5 - cx;
      const ddy = y + 0.5 - cy;
      const i = y * width + x;
      // ragged, not round: the local texture swells or shrinks the disc
      if (member[i] && ddx * ddx + ddy * ddy <= r2 * Math.min(1.4, Math.max(0.4, 0.3 + score[i])))
        score[i] = MARK;
    }
  }
}

/** The score above which `share` of the ink lies (from a histogram: deterministic, linear time). */
function quantileAbove(score: Float32Array, member: Uint8Array, share: number): number {
  const hist = new Int32Array(BINS + 1);
  let total = 0;
  for (let i = 0; i < score.length; i++) {
    if (!member[i]) continue;
    hist[binOf(score[i])]++;
    total++;
  }
  const want = share * total;
  let above = 0;
  for (let b = BINS; b >= 0; b--) {
    if (above + hist[b] > want) return (b + 1) * (SCORE_MAX / BINS);
    above += hist[b];
  }
  return 0;
}

function binOf(s: number): number {
  return Math.max(0, Math.min(BINS, Math.floor((s / SCORE_MAX) * BINS)));
}

// ---------------------------------------------------------------- legibility

/** Un-knocks the least-worn pixels of every part that lost more than `cap` of its area. */
function capPerPart(knock: Uint8Array, score: Float32Array, parts: Parts, cap: number): void {
  const { labels, areas } = parts;
  const removed = new Int32Array(areas.length);
  for (let i = 0; i < knock.length; i++) if (knock[i]) removed[labels[i]]++;
  const start = new Int32Array(areas.length + 1);
  let total = 0;
  for (let l = 1; l < areas.length; l++) {
    start[l] = total;
    if (removed[l] > Math.floor(cap * areas[l])) total += removed[l];
  }
  if (total === 0) return;
  const fill = start.slice();
  const order = new Int32Array(total);
  for (let i = 0; i < knock.length; i++) {
    const l = labels[i];
    if (knock[i] && removed[l] > Math.floor(cap * areas[l])) order[fill[l]++] = i;
  }
  for (let l = 1; l < areas.length; l++) {
    const keep = Math.floor(cap * areas[l]);
    if (removed[l] <= keep) continue;
    const group = order.subarray(start[l], start[l] + removed[l]);
    group.sort((a, b) => score[b] - score[a] || a - b);
    for (let k = keep; k < group.length; k++) knock[group[k]] = 0;
  }
}

/**
 * Knocks out ink left narrower than 2r + 1 pixels between holes (a closing of
 * the knock-out with the same octagon), only where the art itself is wider
 * than that: the art's own hairlines stay.
 */
function addInkSlivers(
  knock: Uint8Array,
  member: Uint8Array,
  half: Uint8Array,
  width: number,
  height: number,
  r: number,
): void {
  const closed = closeOctagon(knock, width, height, r);
  for (let i = 0; i < knock.length; i++) {
    if (!knock[i] && member[i] && closed[i] && half[i] > r + 1) knock[i] = 1;
  }
}

/** Fills knocked-out holes smaller than `minArea` pixels. */
function fillSmallHoles(knock: Uint8Array, width: number, height: number, minArea: number): void {
  const { labels, areas } = labelComponents(knock, width, height);
  for (let i = 0; i < knock.length; i++) if (knock[i] && areas[labels[i]] < minArea) knock[i] = 0;
}

/**
 * Knocks out surviving ink specks smaller than `minArea` pixels, unless a
 * speck holds a whole part of the art (a dot that was that small to begin with).
 */
function removeInkSpecks(
  knock: Uint8Array,
  member: Uint8Array,
  parts: Parts,
  width: number,
  height: number,
  minArea: number,
): void {
  const n = knock.length;
  const left = new Uint8Array(n);
  for (let i = 0; i < n; i++) left[i] = member[i] && !knock[i] ? 1 : 0;
  const specks = labelComponents(left, width, height);
  // how many pixels of each part sit in small specks: all of them = a whole part
  const inSpecks = new Int32Array(parts.areas.length);
  for (let i = 0; i < n; i++)
    if (left[i] && specks.areas[specks.labels[i]] < minArea) inSpecks[parts.labels[i]]++;
  const whole = new Uint8Array(specks.areas.length);
  for (let i = 0; i < n; i++) {
    if (!left[i]) continue;
    const p = parts.labels[i];
    if (inSpecks[p] === parts.areas[p]) whole[specks.labels[i]] = 1;
  }
  for (let i = 0; i < n; i++) {
    const s = specks.labels[i];
    if (left[i] && specks.areas[s] < minArea && !whole[s]) knock[i] = 1;
  }
}

/** Where clean-up pushed a part past `hardCap` removed, takes back what clean-up added there. */
function guardParts(knock: Uint8Array, capped: Uint8Array, parts: Parts, hardCap: number): void {
  const { labels, areas } = parts;
  const removed = new Int32Array(areas.length);
  for (let i = 0; i < knock.length; i++) if (knock[i]) removed[labels[i]]++;
  for (let i = 0; i < knock.length; i++) {
    const l = labels[i];
    if (knock[i] && (removed[l] > hardCap * areas[l] || removed[l] === areas[l]) && !capped[i]) knock[i] = 0;
  }
}

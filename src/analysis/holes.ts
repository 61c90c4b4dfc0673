/**
 * Enclosed regions of the background's colour — the inside of an "O", or a
 * white glyph inside a coloured badge? Each region is decided on its own
 * evidence, not by one global flag:
 *
 * - colour: a counter shows the paper itself, so its mean colour equals the
 *   background expected there (means average the noise away, so the test can
 *   be tight); pure white art on off-white paper differs and stays;
 * - texture: on a textured background a counter shows the texture too; a flat
 *   fill of the same mean colour is art;
 * - paper that is not plain white or black (off-white, cream, navy): an area of
 *   exactly its colour is the paper showing through — art is rarely drawn in
 *   the paper's own tint. On plain white or black the shape has to decide:
 * - neighbours: a counter is bounded by art of one colour; a region that
 *   touches parts of two or more colours (a white keyline between two inks,
 *   a skull's white face around its dark eyes) belongs to the design;
 * - the box: inside art that fills the canvas (an app icon), it is design;
 * - depth: a counter sits in a stroke about as thick as itself — the ink
 *   between it and the nearest other background (outside, or the next
 *   counter, as between two overlapping rings); a thin region deep inside a
 *   large shape (a white glyph in a badge) is art.
 *
 * `--holes all` clears every enclosed region of the colour (the old flag),
 * `none` keeps them all.
 */
import { deltaE76, type Lab, rgbToLab } from '../color/color.js';
import type { RgbaImage } from '../io/image.js';
import { boundedDistance, labelComponents } from '../raster/mask.js';

export type HoleMode = 'auto' | 'none' | 'all';
export const HOLE_MODES = ['auto', 'none', 'all'] as const;

export interface HoleDecision {
  x: number;
  y: number;
  width: number;
  height: number;
  area: number;
  decision: 'cleared' | 'kept';
  reason:
    | 'counter'
    | 'colour differs'
    | 'flat fill'
    | 'touches several colours'
    | 'inside a shape'
    | 'inside the box'
    | 'asked';
  /** 0.5 (a coin toss) to 1 (clear-cut). */
  confidence: number;
}

/** Mean ΔE76 between a region's mean colour and the background's beyond which it is not paper. */
const SAME_COLOUR = 4;
/** ΔE76 from pure white or black within which paper is "plain": art is drawn in those colours too. */
const PLAIN = 4;
const WHITE_LAB = rgbToLab(255, 255, 255);
const BLACK_LAB = rgbToLab(0, 0, 0);
/** A counter's surrounding stroke is at most this many times its own half-width. */
const DEPTH_RATIO = 2.5;

interface Stats {
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  sum: [number, number, number];
  fieldSum: [number, number, number];
  dE: number;
  dE2: number;
  halfWidth: number;
  depth: number;
  inks: Set<number>;
  /** Significant parts of the art it touches, and whether their colours differ. */
  parts: number;
  colours: number;
}

/**
 * Decides every enclosed near-background region and marks the cleared ones in
 * `isBg`. Returns the decisions, largest regions first.
 */
export function decideHoles(
  image: RgbaImage,
  field: Uint8Array,
  dE: Float32Array,
  near: Uint8Array,
  isBg: Uint8Array,
  mode: HoleMode,
  backgroundNoise: number,
  queue: Int32Array,
  /** The art's own box or badge fills the canvas: what it encloses is its design. */
  insideBox = false,
): HoleDecision[] {
  const { width, height, data } = image;
  const n = width * height;
  const minHole = Math.max(4, Math.round(n * 2e-5));
  const enclosed = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    enclosed[i] = near[i] && !isBg[i] ? 1 : 0;
    any ||= enclosed[i] === 1;
  }
  if (!any) return [];
  const { labels, areas } = labelComponents(enclosed, width, height, queue);
  const stats: (Stats | null)[] = areas.map((a, l) =>
    l && a >= minHole
      ? {
          area: a,
          minX: width,
          minY: height,
          maxX: -1,
          maxY: -1,
          sum: [0, 0, 0],
          fieldSum: [0, 0, 0],
          dE: 0,
          dE2: 0,
          halfWidth: 0,
          depth: 255,
          inks: new Set<number>(),
          parts: 0,
          colours: 0,
        }
      : null,
  );
  // the art's parts (everything neither background nor enclosed), and how deep each pixel lies in it
  const ink = new Uint8Array(n);
  for (let i = 0; i < n; i++) ink[i] = near[i] ? 0 : 1;
  const partsOf = mode === 'auto' ? labelComponents(ink, width, height, new Int32Array(n)) : null;
  const parts = partsOf?.labels ?? null;
  const notEnclosed = new Uint8Array(n);
  for (let i = 0; i < n; i++) notEnclosed[i] = enclosed[i] ? 0 : 1;
  const halfWidth = mode === 'auto' ? boundedDistance(notEnclosed, width, height, 254) : null;
  const depth = mode === 'auto' ? inkBetween(labels, isBg, width, height, stats.length, queue) : null;
  for (let i = 0; i < n; i++) {
    const s = stats[labels[i]];
    if (!s) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (x < s.minX) s.minX = x;
    if (x > s.maxX) s.maxX = x;
    if (y < s.minY) s.minY = y;
    if (y > s.maxY) s.maxY = y;
    if (mode !== 'auto' || !parts || !halfWidth) continue;
    s.sum[0] += data[i * 4];
    s.sum[1] += data[i * 4 + 1];
    s.sum[2] += data[i * 4 + 2];
    s.fieldSum[0] += field[i * 3];
    s.fieldSum[1] += field[i * 3 + 1];
    s.fieldSum[2] += field[i * 3 + 2];
    s.dE += dE[i];
    s.dE2 += dE[i] * dE[i];
    if (halfWidth[i] > s.halfWidth) s.halfWidth = halfWidth[i];
    if (s.inks.size < 16) {
      if (x > 0 && parts[i - 1]) s.inks.add(parts[i - 1]);
      if (x < width - 1 && parts[i + 1]) s.inks.add(parts[i + 1]);
      if (y > 0 && parts[i - width]) s.inks.add(parts[i - width]);
      if (y < height - 1 && parts[i + width]) s.inks.add(parts[i + width]);
    }
  }
  if (partsOf) {
    // a part counts when it is more than a speck; its colour is its pixels' mean
    const significant = Math.max(30, n * 1e-4);
    const sums = new Float64Array(partsOf.areas.length * 3);
    const counts = new Uint32Array(partsOf.areas.length);
    for (let i = 0; i < n; i++) {
      const p = partsOf.labels[i];
      if (!p || partsOf.areas[p] < significant) continue;
      // the part's own colour, not its edge blends: interior pixels only
      const x = i % width;
      const L = partsOf.labels;
      if (x === 0 || x === width - 1 || i < width || i >= n - width) continue;
      if (L[i - 1] !== p || L[i + 1] !== p || L[i - width] !== p || L[i + width] !== p) continue;
      counts[p]++;
      sums[p * 3] += data[i * 4];
      sums[p * 3 + 1] += data[i * 4 + 1];
      sums[p * 3 + 2] += data[i * 4 + 2];
    }
    const labOf = (p: number) => {
      const a = Math.max(1, counts[p]);
      return rgbToLab(
        Math.round(sums[p * 3] / a),
        Math.round(sums[p * 3 + 1] / a),
        Math.round(sums[p * 3 + 2] / a),
      );
    };
    for (const s of stats) {
      if (!s) continue;
      // only parts that are clearly ink count: compression blotches near the background colour do not
      const bgLab = rgbToLab(
        Math.round(s.fieldSum[0] / s.area),
        Math.round(s.fieldSum[1] / s.area),
        Math.round(s.fieldSum[2] / s.area),
      );
      const labs: Lab[] = [...s.inks]
        .filter((p) => partsOf.areas[p] >= significant && counts[p] > 0)
        .map(labOf)
        .filter((l) => deltaE76(l, bgLab) > 25);
      s.parts = labs.length;
      // distinct colours among them (ΔE76 > 15 from every colour counted so far)
      const distinct: Lab[] = [];
      for (const l of labs) if (distinct.every((d) => deltaE76(d, l) > 15)) distinct.push(l);
      s.colours = distinct.length;
    }
  }
  if (depth) for (let l = 1; l < stats.length; l++) if (stats[l]) (stats[l] as Stats).depth = depth[l];
  const decisions: { label: number; d: HoleDecision }[] = [];
  for (let l = 1; l < stats.length; l++) {
    const s = stats[l];
    if (!s) continue;
    const box = {
      x: s.minX,
      y: s.minY,
      width: s.maxX - s.minX + 1,
      height: s.maxY - s.minY + 1,
      area: s.area,
    };
    let d: HoleDecision;
    if (mode !== 'auto') {
      d = { ...box, decision: mode === 'all' ? 'cleared' : 'kept', reason: 'asked', confidence: 1 };
    } else {
      d = { ...box, ...judge(s, backgroundNoise, insideBox) };
    }
    decisions.push({ label: l, d });
  }
  const clear = new Uint8Array(stats.length);
  for (const { label, d } of decisions) if (d.decision === 'cleared') clear[label] = 1;
  for (let i = 0; i < n; i++) if (clear[labels[i]]) isBg[i] = 1;
  return decisions.map((x) => x.d).sort((a, b) => b.area - a.area);
}

/** The auto rule for one region, with how sure it is. */
function judge(
  s: Stats,
  backgroundNoise: number,
  insideBox: boolean,
): Pick<HoleDecision, 'decision' | 'reason' | 'confidence'> {
  const mean = (v: [number, number, number]) =>
    v.map((c) => Math.round(c / s.area)) as [number, number, number];
  const [r, g, b] = mean(s.sum);
  const [fr, fg, fb] = mean(s.fieldSum);
  const colourGap = deltaE76(rgbToLab(r, g, b), rgbToLab(fr, fg, fb));
  const sameColour = Math.max(SAME_COLOUR, backgroundNoise);
  // how far a measure is past its threshold, as a confidence from 0.5 to 1
  const sure = (margin: number) => Math.min(1, 0.5 + Math.abs(margin) / 2);
  if (colourGap > sameColour) {
    return {
      decision: 'kept',
      reason: 'colour differs',
      confidence: sure((colourGap - sameColour) / sameColour),
    };
  }
  const mean1 = s.dE / s.area;
  const sd = Math.sqrt(Math.max(0, s.dE2 / s.area - mean1 * mean1));
  if (backgroundNoise >= 4 && s.area >= 50 && sd < 0.3 * backgroundNoise) {
    return { decision: 'kept', reason: 'flat fill', confidence: sure(1 - sd / (0.3 * backgroundNoise)) };
  }
  if (insideBox) return { decision: 'kept', reason: 'inside the box', confidence: 0.85 };
  // Paper that is not plain white or black (off-white, cream, navy) is a colour art is rarely
  // drawn in: an enclosed area of exactly that colour is the paper showing through.
  const bgLab = rgbToLab(fr, fg, fb);
  const plain = deltaE76(bgLab, WHITE_LAB) <= PLAIN || deltaE76(bgLab, BLACK_LAB) <= PLAIN;
  if (!plain) {
    return {
      decision: 'cleared',
      reason: 'counter',
      confidence: sure((sameColour - colourGap) / sameColour),
    };
  }
  const ratio = s.depth / Math.max(1, s.halfWidth);
  if (ratio > DEPTH_RATIO) {
    return {
      decision: 'kept',
      reason: 'inside a shape',
      confidence: sure((ratio - DEPTH_RATIO) / DEPTH_RATIO),
    };
  }
  // a white area between inks of different colours (a keyline, a face with eyes) is design
  if (s.colours >= 2) return { decision: 'kept', reason: 'touches several colours', confidence: 0.7 };
  return {
    decision: 'cleared',
    reason: 'counter',
    confidence: Math.min(
      sure((DEPTH_RATIO - ratio) / DEPTH_RATIO),
      sure((sameColour - colourGap) / sameColour),
    ),
  };
}

/**
 * For every enclosed region, the thinnest ink between it and any other
 * background-coloured area (the outside or another region): one breadth-first
 * pass from all of them at once (8-neighbour steps); where two fronts from
 * different areas meet, the ink between them is the sum of their steps.
 */
function inkBetween(
  labels: Int32Array,
  isBg: Uint8Array,
  width: number,
  height: number,
  count: number,
  queue: Int32Array,
): Float64Array {
  const n = width * height;
  const OUTSIDE = count; // the outer background's id
  const src = new Int32Array(n).fill(-1);
  const steps = new Uint16Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    const id = isBg[i] ? OUTSIDE : labels[i] ? labels[i] : -1;
    if (id >= 0) {
      src[i] = id;
      queue[tail++] = i;
    }
  }
  const best = new Float64Array(count).fill(255);
  const meet = (i: number, j: number) => {
    const a = src[i];
    const b = src[j];
    if (a === b || b < 0) return;
    const t = steps[i] + steps[j] + 1;
    if (a < count && t < best[a]) best[a] = t;
    if (b < count && t < best[b]) best[b] = t;
  };
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
        const j = yy * width + xx;
        if (src[j] < 0) {
          if (steps[i] >= 254) continue;
          src[j] = src[i];
          steps[j] = steps[i] + 1;
          queue[tail++] = j;
        } else meet(i, j);
      }
    }
  }
  return best;
}

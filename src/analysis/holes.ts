/**
 * Long file: each enclosed region is decided from statistics gathered in shared run-based passes;
 * split, the passes would be repeated.
 *
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
 * - islands: a region that frames art of another colour lying wholly inside
 *   it (a skull's white face around its dark eyes, a white keyline around a
 *   star) belongs to the design; a gap between a bird's legs frames nothing;
 * - the box: inside art that fills the canvas (an app icon), it is design;
 * - the badge: inside the logo's one main shape — most of the art, and solid
 *   (at least 75 % of its outline's area) like a coin or a badge — it is design;
 * - depth: a counter sits in a stroke about as thick as itself — the ink
 *   between it and the nearest other background (outside, or the next
 *   counter, as between two overlapping rings); a thin region deep inside a
 *   large shape (a white glyph in a badge) is art.
 *
 * `--holes all` clears every enclosed region of the colour (the old flag),
 * `none` keeps them all.
 */
import { deltaE76, rgbToLab } from '../color/color.js';
import type { RgbaImage } from '../io/image.js';
import { distanceTransform } from '../raster/distance.js';
import { fillLabels, intersectRuns, type RunComponents, runComponents } from '../raster/mask.js';

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
    | 'frames other art'
    | 'inside a shape'
    | 'inside the box'
    | 'asked';
  /** 0.5 (a coin toss) to 1 (clear-cut). */
  confidence: number;
  /** The thinnest ink between it and other background, over its own half-width (auto only). */
  depthRatio?: number;
}

/** Mean ΔE76 between a region's mean colour and the background's beyond which it is not paper. */
const SAME_COLOUR = 4;
/** ΔE76 from pure white or black within which paper is "plain": art is drawn in those colours too. */
const PLAIN = 4;
const HIST_BINS = 64;
/** Regions under this many pixels are judged without the colour test. */
const TINY_REGION = 40;
/** The main shape of a badge holds this share of the art… */
const BADGE_SHARE = 0.6;
/** …and this share of its own outline's area (the rest is what is knocked into it). */
const BADGE_SOLIDITY = 0.75;
const WHITE_LAB = rgbToLab(255, 255, 255);
const BLACK_LAB = rgbToLab(0, 0, 0);
/** A counter's surrounding stroke is at most this many times its own half-width. */
const DEPTH_RATIO = 2.5;

/** What the auto rule reads of one region. */
interface Stats {
  area: number;
  /** Colour sums weighted towards the interior, and the total weight. */
  sum: [number, number, number];
  fieldSum: [number, number, number];
  weight: number;
  /** Histogram of its pixels' ΔE76 to the background (HIST_BINS bins over 0…tolerance). */
  hist: Uint32Array;
  dE: number;
  dE2: number;
  halfWidth: number;
  depth: number;
  /** Parts of the art, of another colour than its surround, that lie wholly inside it. */
  islands: number;
  /** Its largest neighbour is the logo's main shape: most of the art, solid (a badge, a disc). */
  inBadge: boolean;
}

/** The judged regions' measurements, one entry (or 3, or HIST_BINS) per region. */
interface RegionTable {
  x0: Int32Array;
  y0: Int32Array;
  x1: Int32Array;
  y1: Int32Array;
  sum: Float64Array;
  fieldSum: Float64Array;
  weight: Float64Array;
  dE: Float64Array;
  dE2: Float64Array;
  hist: Uint32Array;
  halfWidth: Int32Array;
  /** Neighbouring parts of the art, in the order met (at most 64 once full, as before). */
  inks: Set<number>[];
}

/** A pixel box: columns x0…x1, rows y0…y1 (inclusive). */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Decides every enclosed near-background region and marks the cleared ones in
 * `isBg`. Returns the decisions, largest regions first.
 *
 * The regions and the art's parts are read as runs of pixels (mask.ts
 * runComponents), so passes visit the pixels they are about, not the canvas.
 * `isBg` is the flood of `near` (every background pixel is near): what is
 * neither near nor enclosed is taken as ink.
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
  /** ΔE76 within which a pixel counted as background. */
  tolerance: number,
  /** The art's own box or badge fills the canvas: what it encloses is its design. */
  insideBox = false,
): HoleDecision[] {
  const { width, height, data } = image;
  const n = width * height;
  const minHole = Math.max(4, Math.round(n * 2e-5));
  // the enclosed regions: near-background pixels the background flood did not reach
  const regions = runComponents(near, width, height, false, isBg);
  if (!regions.count) return [];
  const auto = mode === 'auto';
  const { areas } = regions;
  const count = areas.length;
  const labels = fillLabels(regions, n);
  // the regions judged (at least minHole pixels), numbered in label order
  const statOf = new Int32Array(count).fill(-1);
  const big: number[] = [];
  for (let l = 1; l < count; l++) {
    if (areas[l] >= minHole) {
      statOf[l] = big.length;
      big.push(l);
    }
  }
  const k = big.length;
  const t: RegionTable = {
    x0: new Int32Array(k).fill(width),
    y0: new Int32Array(k).fill(height),
    x1: new Int32Array(k).fill(-1),
    y1: new Int32Array(k).fill(-1),
    sum: new Float64Array(k * 3),
    fieldSum: new Float64Array(k * 3),
    weight: new Float64Array(k),
    dE: new Float64Array(k),
    dE2: new Float64Array(k),
    hist: new Uint32Array(k * HIST_BINS),
    halfWidth: new Int32Array(k),
    inks: big.map(() => new Set<number>()),
  };
  const box = regionBoxes(regions, statOf, width, t);
  const islands = new Int32Array(k);
  const inBadge = new Uint8Array(k);
  let depth: Float64Array | null = null;
  if (auto) {
    // the art's parts (everything neither background nor enclosed); a part counts when it is
    // more than a speck
    const partRuns = runComponents(near, width, height, true);
    const parts = fillLabels(partRuns, n);
    const partAreas = partRuns.areas;
    const significant = Math.max(30, n * 1e-4);
    const isPart = new Uint8Array(partAreas.length);
    for (let p = 1; p < partAreas.length; p++) isPart[p] = partAreas[p] >= significant ? 1 : 0;
    // each enclosed pixel's distance from the region's edge, over the box around them (one pixel
    // wider, so that everything beyond it is nearer the edge than anything inside)
    const X0 = Math.max(0, box.x0 - 1);
    const Y0 = Math.max(0, box.y0 - 1);
    const boxW = Math.min(width - 1, box.x1 + 1) - X0 + 1;
    const boxH = Math.min(height - 1, box.y1 + 1) - Y0 + 1;
    const notEnclosed = new Uint8Array(boxW * boxH).fill(1);
    for (let r = 0; r < regions.count; r++) {
      const s = regions.start[r];
      const y = (s / width) | 0;
      const from = (y - Y0) * boxW - X0 - y * width;
      notEnclosed.fill(0, s + from, regions.end[r] + from);
    }
    const halfWidth = distanceTransform(notEnclosed, boxW, boxH, { metric: 'chessboard', max: 254 });
    depth = inkBetween(regions, partRuns, width, height, count, queue);
    regionStats(regions, statOf, width, data, field, dE, tolerance, halfWidth, X0, Y0, boxW, t);
    regionInks(regions, statOf, width, height, parts, isPart, t);
    // each part's colour is its interior pixels' mean
    const sums = new Float64Array(partAreas.length * 3);
    const counts = new Uint32Array(partAreas.length);
    partColours(partRuns, parts, isPart, data, width, height, sums, counts);
    const labOf = (p: number) => {
      const a = Math.max(1, counts[p]);
      return rgbToLab(
        Math.round(sums[p * 3] / a),
        Math.round(sums[p * 3 + 1] / a),
        Math.round(sums[p * 3 + 2] / a),
      );
    };
    // the main shape: the largest part touching each region; solidity: its area over its area
    // with the regions it encloses filled in
    let artArea = 0;
    for (let p = 1; p < partAreas.length; p++) artArea += partAreas[p];
    const encloser = t.inks.map((set) => {
      let best = 0;
      for (const p of set) if (!best || partAreas[p] > partAreas[best]) best = p;
      return best;
    });
    const filled = new Map<number, number>();
    for (let s = 0; s < k; s++) {
      const e = encloser[s];
      if (e) filled.set(e, (filled.get(e) ?? partAreas[e]) + areas[big[s]]);
    }
    for (let s = 0; s < k; s++) {
      const p = encloser[s];
      if (!p) continue;
      const area = partAreas[p];
      inBadge[s] = area >= BADGE_SHARE * artArea && area / (filled.get(p) ?? area) >= BADGE_SOLIDITY ? 1 : 0;
    }
    // islands: parts that touch no background but this one region (the eyes in a skull's face,
    // the star inside a keyline ring); the region frames them
    const home = new Int32Array(partAreas.length); // 0 none yet, -1 several or the outside
    partHomes(partRuns, isPart, isBg, labels, width, height, home);
    for (let s = 0; s < k; s++) {
      const e = encloser[s];
      if (!e || !counts[e]) continue;
      const outer = labOf(e);
      const l = big[s];
      for (const p of t.inks[s]) {
        // an island of another colour than what surrounds the region (not JPEG blotches)
        if (home[p] === l && counts[p] > 0 && deltaE76(labOf(p), outer) > 25) islands[s]++;
      }
    }
  }
  const decisions: { label: number; d: HoleDecision }[] = [];
  for (let s = 0; s < k; s++) {
    const l = big[s];
    const where = {
      x: t.x0[s],
      y: t.y0[s],
      width: t.x1[s] - t.x0[s] + 1,
      height: t.y1[s] - t.y0[s] + 1,
      area: areas[l],
    };
    let d: HoleDecision;
    if (!auto) {
      d = { ...where, decision: mode === 'all' ? 'cleared' : 'kept', reason: 'asked', confidence: 1 };
    } else {
      const stats: Stats = {
        area: areas[l],
        sum: [t.sum[s * 3], t.sum[s * 3 + 1], t.sum[s * 3 + 2]],
        fieldSum: [t.fieldSum[s * 3], t.fieldSum[s * 3 + 1], t.fieldSum[s * 3 + 2]],
        weight: t.weight[s],
        hist: t.hist.subarray(s * HIST_BINS, (s + 1) * HIST_BINS),
        dE: t.dE[s],
        dE2: t.dE2[s],
        halfWidth: t.halfWidth[s],
        depth: depth ? depth[l] : 255,
        islands: islands[s],
        inBadge: inBadge[s] === 1,
      };
      d = {
        ...where,
        ...judge(stats, backgroundNoise, insideBox, tolerance),
        depthRatio: Math.round((100 * stats.depth) / Math.max(1, stats.halfWidth)) / 100,
      };
    }
    decisions.push({ label: l, d });
  }
  const clear = new Uint8Array(count);
  for (const { label, d } of decisions) if (d.decision === 'cleared') clear[label] = 1;
  // slivers under the minimum size that touch the outside through a neck the flood would not
  // pass (a notch where two letters meet) are the outside too
  clearSlivers(regions, statOf, clear, isBg, width, height);
  for (let r = 0; r < regions.count; r++)
    if (clear[regions.label[r]]) isBg.fill(1, regions.start[r], regions.end[r]);
  return decisions.map((x) => x.d).sort((a, b) => b.area - a.area);
}

/** Each judged region's bounding box, from its runs; returns the box around all regions. */
function regionBoxes(regions: RunComponents, statOf: Int32Array, width: number, t: RegionTable): Box {
  const { x0, y0, x1, y1 } = t;
  const all: Box = { x0: width, y0: Number.MAX_SAFE_INTEGER, x1: -1, y1: -1 };
  for (let r = 0; r < regions.count; r++) {
    const start = regions.start[r];
    const y = (start / width) | 0;
    const a = start - y * width;
    const b = regions.end[r] - 1 - y * width;
    if (a < all.x0) all.x0 = a;
    if (b > all.x1) all.x1 = b;
    if (y < all.y0) all.y0 = y;
    if (y > all.y1) all.y1 = y;
    const s = statOf[regions.label[r]];
    if (s < 0) continue;
    if (a < x0[s]) x0[s] = a;
    if (b > x1[s]) x1[s] = b;
    if (y < y0[s]) y0[s] = y;
    if (y > y1[s]) y1[s] = y;
  }
  return all;
}

/** Each judged region's colour and ΔE sums, ΔE histogram and half-width (pixels in raster order). */
function regionStats(
  regions: RunComponents,
  statOf: Int32Array,
  width: number,
  data: Uint8Array,
  field: Uint8Array,
  dE: Float32Array,
  tolerance: number,
  halfWidth: Uint8Array,
  X0: number,
  Y0: number,
  boxW: number,
  t: RegionTable,
): void {
  const { sum, fieldSum, weight, hist } = t;
  const sumDe = t.dE;
  const sumDe2 = t.dE2;
  const halfWidths = t.halfWidth;
  for (let r = 0; r < regions.count; r++) {
    const s = statOf[regions.label[r]];
    if (s < 0) continue;
    const start = regions.start[r];
    const y = (start / width) | 0;
    // index into the half-width box
    const shift = (y - Y0) * boxW - X0 - y * width;
    const s3 = s * 3;
    for (let i = start; i < regions.end[r]; i++) {
      // the colour of its interior (2 px in from its edge) where it has one: JPEG ringing
      // colours the pixels along the edge of a narrow counter
      const hw = halfWidth[i + shift];
      const w = hw >= 2 ? 1 : 0.001;
      const p4 = i * 4;
      const p3 = i * 3;
      sum[s3] += w * data[p4];
      sum[s3 + 1] += w * data[p4 + 1];
      sum[s3 + 2] += w * data[p4 + 2];
      fieldSum[s3] += w * field[p3];
      fieldSum[s3 + 1] += w * field[p3 + 1];
      fieldSum[s3 + 2] += w * field[p3 + 2];
      weight[s] += w;
      const d = dE[i];
      sumDe[s] += d;
      sumDe2[s] += d * d;
      hist[s * HIST_BINS + Math.min(HIST_BINS - 1, Math.floor((d / tolerance) * HIST_BINS))]++;
      if (hw > halfWidths[s]) halfWidths[s] = hw;
    }
  }
}

/**
 * Each judged region's neighbours among the art's parts (specks of compression
 * noise are not parts), in the order its pixels meet them (raster order; left,
 * right, up, down), until it has 64.
 */
function regionInks(
  regions: RunComponents,
  statOf: Int32Array,
  width: number,
  height: number,
  parts: Int32Array,
  isPart: Uint8Array,
  t: RegionTable,
): void {
  const n = width * height;
  for (let r = 0; r < regions.count; r++) {
    const s = statOf[regions.label[r]];
    if (s < 0) continue;
    const set = t.inks[s];
    if (set.size >= 64) continue;
    const start = regions.start[r];
    const end = regions.end[r];
    const row = ((start / width) | 0) * width;
    const hasUp = row > 0;
    const hasDown = row + width < n;
    for (let i = start; i < end; i++) {
      // along the row only the run's ends can touch a part
      const a = i === start && i > row ? parts[i - 1] : 0;
      const b = i === end - 1 && i < row + width - 1 ? parts[i + 1] : 0;
      const c = hasUp ? parts[i - width] : 0;
      const d = hasDown ? parts[i + width] : 0;
      if (!(a | b | c | d)) continue;
      if (a && isPart[a]) set.add(a);
      if (b && isPart[b]) set.add(b);
      if (c && isPart[c]) set.add(c);
      if (d && isPart[d]) set.add(d);
      if (set.size >= 64) break;
    }
  }
}

/** Sums of each significant part's interior pixels' colour (4-neighbours all in the part). */
function partColours(
  partRuns: RunComponents,
  parts: Int32Array,
  isPart: Uint8Array,
  data: Uint8Array,
  width: number,
  height: number,
  sums: Float64Array,
  counts: Uint32Array,
): void {
  for (let r = 0; r < partRuns.count; r++) {
    const p = partRuns.label[r];
    if (!isPart[p]) continue;
    const start = partRuns.start[r];
    const y = (start / width) | 0;
    if (y === 0 || y === height - 1) continue;
    // the part's own colour, not its edge blends: interior pixels only (the run's ends have
    // something else beside them, or the canvas edge)
    for (let i = start + 1; i < partRuns.end[r] - 1; i++) {
      if (parts[i - width] !== p || parts[i + width] !== p) continue;
      counts[p]++;
      sums[p * 3] += data[i * 4];
      sums[p * 3 + 1] += data[i * 4 + 1];
      sums[p * 3 + 2] += data[i * 4 + 2];
    }
  }
}

/**
 * The one region each significant part touches (4-neighbours), -1 when it
 * touches several or the outside background, 0 when none. (The answer does not
 * depend on the order the contacts are met in.)
 */
function partHomes(
  partRuns: RunComponents,
  isPart: Uint8Array,
  isBg: Uint8Array,
  labels: Int32Array,
  width: number,
  height: number,
  home: Int32Array,
): void {
  const n = width * height;
  for (let r = 0; r < partRuns.count; r++) {
    const p = partRuns.label[r];
    if (!isPart[p] || home[p] === -1) continue;
    const start = partRuns.start[r];
    const end = partRuns.end[r];
    const row = ((start / width) | 0) * width;
    if (start > row) touch(home, p, isBg, labels, start - 1);
    if (end < row + width) touch(home, p, isBg, labels, end);
    if (row > 0) for (let i = start; i < end && home[p] !== -1; i++) touch(home, p, isBg, labels, i - width);
    if (row + width < n)
      for (let i = start; i < end && home[p] !== -1; i++) touch(home, p, isBg, labels, i + width);
  }
}

/** Part p touches pixel j: the outside background (-1), a region (its label) or neither. */
function touch(home: Int32Array, p: number, isBg: Uint8Array, labels: Int32Array, j: number): void {
  const r = isBg[j] ? -1 : labels[j];
  if (!r) return;
  if (r === -1 || (home[p] && home[p] !== r)) home[p] = -1;
  else home[p] = r;
}

/** Regions too small to judge that touch the outside background (4-neighbours) are cleared too. */
function clearSlivers(
  regions: RunComponents,
  statOf: Int32Array,
  clear: Uint8Array,
  isBg: Uint8Array,
  width: number,
  height: number,
): void {
  const n = width * height;
  for (let r = 0; r < regions.count; r++) {
    const l = regions.label[r];
    if (statOf[l] >= 0 || clear[l]) continue;
    const start = regions.start[r];
    const end = regions.end[r];
    const row = ((start / width) | 0) * width;
    let touches = (start > row && isBg[start - 1] !== 0) || (end < row + width && isBg[end] !== 0);
    for (let i = start; i < end && !touches; i++) {
      if ((row > 0 && isBg[i - width]) || (row + width < n && isBg[i + width])) touches = true;
    }
    if (touches) clear[l] = 1;
  }
}

/** The auto rule for one region, with how sure it is. */
function judge(
  s: Stats,
  backgroundNoise: number,
  insideBox: boolean,
  tolerance: number,
): Pick<HoleDecision, 'decision' | 'reason' | 'confidence'> {
  const mean = (v: [number, number, number]) =>
    v.map((c) => Math.round(c / Math.max(1e-9, s.weight))) as [number, number, number];
  const [r, g, b] = mean(s.sum);
  const [fr, fg, fb] = mean(s.fieldSum);
  // the gap of the mean colours, or the median pixel's if smaller: the ringing along a narrow
  // counter's edges shifts its mean, not its median
  let seen = s.hist[0];
  let bin = 0;
  while (bin < HIST_BINS - 1 && seen < s.area / 2) seen += s.hist[++bin];
  const medianDe = ((bin + 0.5) / HIST_BINS) * tolerance;
  const colourGap = Math.min(deltaE76(rgbToLab(r, g, b), rgbToLab(fr, fg, fb)), medianDe);
  const sameColour = Math.max(SAME_COLOUR, backgroundNoise);
  // how far a measure is past its threshold, as a confidence from 0.5 to 1
  const sure = (margin: number) => Math.min(1, 0.5 + Math.abs(margin) / 2);
  // a few dozen pixels (a notch where two letters touch) carry no colour evidence: compression
  // tints them all; they follow the paper's colour rule below
  const tiny = s.area < TINY_REGION;
  if (colourGap > sameColour && !tiny) {
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
  // an area framing art of another colour (a face around its eyes, a keyline around a star)
  if (s.islands > 0) return { decision: 'kept', reason: 'frames other art', confidence: 0.75 };
  const ratio = s.depth / Math.max(1, s.halfWidth);
  // a glyph knocked into the logo's one solid shape (a coin, a badge) is its design — when it
  // sits deep in it, not behind a thin stroke (the gap between a bird's legs)
  if (s.inBadge && ratio >= 1.5) return { decision: 'kept', reason: 'inside a shape', confidence: 0.65 };
  if (ratio > DEPTH_RATIO) {
    return {
      decision: 'kept',
      reason: 'inside a shape',
      confidence: sure((ratio - DEPTH_RATIO) / DEPTH_RATIO),
    };
  }
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
  regions: RunComponents,
  partRuns: RunComponents,
  width: number,
  height: number,
  count: number,
  queue: Int32Array,
): Float64Array {
  const n = width * height;
  // each row's areas: the outside background (id `count`: what neither a part nor a region
  // covers) and the regions (their labels); the ink is the rest
  const areas = areaRuns(regions, partRuns, width, height, count);
  const src = new Int32Array(n).fill(-1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let k = areas.first[y]; k < areas.first[y + 1]; k++)
      src.fill(areas.id[k], row + areas.xs[k], row + areas.xe[k]);
  }
  // the canvas's edge pixels, where neighbours need bounds checks
  const rim = new Uint8Array(n);
  rim.fill(1, 0, width);
  rim.fill(1, n - width, n);
  for (let y = 0; y < height; y++) {
    rim[y * width] = 1;
    rim[y * width + width - 1] = 1;
  }
  // only the areas' edge pixels start the search: inside an area every neighbour is taken already
  const tail = areaEdges(areas, width, height, queue);
  const best = new Float64Array(count).fill(255);
  growFronts(src, rim, width, n, count, queue, tail, best);
  return best;
}

/** Runs of areas, row by row: x from xs to xe (exclusive) is area `id`; row y's runs are first[y] … first[y+1] − 1. */
interface AreaRuns {
  xs: Int32Array;
  xe: Int32Array;
  id: Int32Array;
  first: Int32Array;
}

function areaRuns(
  regions: RunComponents,
  partRuns: RunComponents,
  width: number,
  height: number,
  outside: number,
): AreaRuns {
  const cap = regions.count * 2 + partRuns.count + height + 1;
  const xs = new Int32Array(cap);
  const xe = new Int32Array(cap);
  const id = new Int32Array(cap);
  const first = new Int32Array(height + 1);
  let k = 0;
  let a = 0;
  let b = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const rowEnd = row + width;
    first[y] = k;
    let x = 0;
    for (;;) {
      const ra = a < regions.count && regions.start[a] < rowEnd;
      const rb = b < partRuns.count && partRuns.start[b] < rowEnd;
      if (!ra && !rb) break;
      const region = ra && (!rb || regions.start[a] < partRuns.start[b]);
      const s = (region ? regions.start[a] : partRuns.start[b]) - row;
      const e = (region ? regions.end[a] : partRuns.end[b]) - row;
      if (s > x) {
        xs[k] = x;
        xe[k] = s;
        id[k++] = outside;
      }
      if (region) {
        xs[k] = s;
        xe[k] = e;
        id[k++] = regions.label[a++];
      } else b++;
      x = e;
    }
    if (x < width) {
      xs[k] = x;
      xe[k] = width;
      id[k++] = outside;
    }
  }
  first[height] = k;
  return { xs, xe, id, first };
}

/**
 * Queues, in raster order, the area pixels with an 8-neighbour in another area
 * or in the ink: a run's pixels except those whose row neighbours are in the
 * run and whose rows above and below hold the same area over x − 1 … x + 1.
 */
function areaEdges(areas: AreaRuns, width: number, height: number, queue: Int32Array): number {
  const { xs, xe, id, first } = areas;
  let tail = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let up = y > 0 ? first[y - 1] : 0;
    const upEnd = y > 0 ? first[y] : 0;
    let down = y < height - 1 ? first[y + 1] : 0;
    const downEnd = y < height - 1 ? first[y + 2] : 0;
    for (let k = first[y]; k < first[y + 1]; k++) {
      const s = xs[k];
      const e = xe[k];
      const a = id[k];
      let inner: number[] = [];
      const lo = s === 0 ? 0 : s + 1;
      const hi = e === width ? e : e - 1;
      if (lo < hi) inner = [lo, hi];
      if (inner.length && y > 0) {
        while (up < upEnd && xe[up] <= s) up++;
        inner = intersectRuns(inner, sameArea(areas, up, upEnd, a, e, width));
      }
      if (inner.length && y < height - 1) {
        while (down < downEnd && xe[down] <= s) down++;
        inner = intersectRuns(inner, sameArea(areas, down, downEnd, a, e, width));
      }
      let x = s;
      for (let q = 0; q < inner.length; q += 2) {
        for (; x < inner[q]; x++) queue[tail++] = row + x;
        x = inner[q + 1];
      }
      for (; x < e; x++) queue[tail++] = row + x;
    }
  }
  return tail;
}

/** The x where a neighbouring row holds area `a` over x − 1 … x + 1, among its runs from `from` starting before `before`. */
function sameArea(
  areas: AreaRuns,
  from: number,
  to: number,
  a: number,
  before: number,
  width: number,
): number[] {
  const out: number[] = [];
  for (let k = from; k < to && areas.xs[k] < before; k++) {
    if (areas.id[k] !== a) continue;
    const lo = areas.xs[k] === 0 ? 0 : areas.xs[k] + 1;
    const hi = areas.xe[k] === width ? width : areas.xe[k] - 1;
    if (lo < hi) out.push(lo, hi);
  }
  return out;
}

/** The breadth-first growth into the ink (at most 254 steps) and the fronts' meetings. */
function growFronts(
  src: Int32Array,
  rim: Uint8Array,
  width: number,
  n: number,
  count: number,
  queue: Int32Array,
  seeds: number,
  best: Float64Array,
): void {
  const steps = new Uint8Array(n); // at most 254
  const last = width - 1;
  const offsets = new Int32Array([-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1]);
  const dxs = new Int32Array([-1, 0, 1, -1, 1, -1, 0, 1]);
  let tail = seeds;
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const a = src[i];
    const si = steps[i];
    const grow = si < 254;
    const next = si + 1;
    if (rim[i] === 1) {
      // the canvas edge needs bounds checks
      const x = i % width;
      for (let k = 0; k < 8; k++) {
        const j = i + offsets[k];
        const xx = x + dxs[k];
        if (j < 0 || j >= n || xx < 0 || xx > last) continue;
        const b = src[j];
        if (b < 0) {
          if (!grow) continue;
          src[j] = a;
          steps[j] = next;
          queue[tail++] = j;
        } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
      }
      continue;
    }
    // everywhere else the 8 neighbours, in the same order, without checks
    let j: number;
    let b: number;
    j = i - width - 1;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i - width;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i - width + 1;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i - 1;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i + 1;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i + width - 1;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i + width;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
    j = i + width + 1;
    b = src[j];
    if (b < 0) {
      if (grow) {
        src[j] = a;
        steps[j] = next;
        queue[tail++] = j;
      }
    } else if (b !== a) meet(best, count, a, b, si + steps[j] + 1);
  }
}

/** Two fronts meet: the ink between their areas is as thick as their steps together (t). */
function meet(best: Float64Array, count: number, a: number, b: number, t: number): void {
  if (a < count && t < best[a]) best[a] = t;
  if (b < count && t < best[b]) best[b] = t;
}

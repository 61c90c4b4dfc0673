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
import { boundedDistance, labelComponents, neighbour4 } from '../raster/mask.js';

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

interface Stats {
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
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
  inks: Set<number>;
  /** Parts of the art, of another colour than its surround, that lie wholly inside it. */
  islands: number;
  /** Its largest neighbour is the logo's main shape: most of the art, solid (a badge, a disc). */
  inBadge: boolean;
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
  /** ΔE76 within which a pixel counted as background. */
  tolerance: number,
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
          weight: 0,
          hist: new Uint32Array(HIST_BINS),
          dE: 0,
          dE2: 0,
          halfWidth: 0,
          depth: 255,
          inks: new Set<number>(),
          islands: 0,
          inBadge: false,
        }
      : null,
  );
  // the art's parts (everything neither background nor enclosed), and how deep each pixel lies in it
  const ink = new Uint8Array(n);
  for (let i = 0; i < n; i++) ink[i] = near[i] ? 0 : 1;
  const partsOf = mode === 'auto' ? labelComponents(ink, width, height, new Int32Array(n)) : null;
  const parts = partsOf?.labels ?? null;
  const partAreas = partsOf?.areas ?? [];
  // a part counts when it is more than a speck
  const significant = Math.max(30, n * 1e-4);
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
    // the colour of its interior (2 px in from its edge) where it has one: JPEG ringing
    // colours the pixels along the edge of a narrow counter
    const w = halfWidth[i] >= 2 ? 1 : 0.001;
    s.sum[0] += w * data[i * 4];
    s.sum[1] += w * data[i * 4 + 1];
    s.sum[2] += w * data[i * 4 + 2];
    s.fieldSum[0] += w * field[i * 3];
    s.fieldSum[1] += w * field[i * 3 + 1];
    s.fieldSum[2] += w * field[i * 3 + 2];
    s.weight += w;
    s.dE += dE[i];
    s.dE2 += dE[i] * dE[i];
    s.hist[Math.min(HIST_BINS - 1, Math.floor((dE[i] / tolerance) * HIST_BINS))]++;
    if (halfWidth[i] > s.halfWidth) s.halfWidth = halfWidth[i];
    // its neighbours among the art's parts (specks of compression noise are not parts)
    if (s.inks.size < 64) {
      // 4-neighbours, written out: this runs for every pixel of every region
      let p = x > 0 ? parts[i - 1] : 0;
      if (p && partAreas[p] >= significant) s.inks.add(p);
      p = x < width - 1 ? parts[i + 1] : 0;
      if (p && partAreas[p] >= significant) s.inks.add(p);
      p = i >= width ? parts[i - width] : 0;
      if (p && partAreas[p] >= significant) s.inks.add(p);
      p = i < n - width ? parts[i + width] : 0;
      if (p && partAreas[p] >= significant) s.inks.add(p);
    }
  }
  if (partsOf) {
    // each part's colour is its interior pixels' mean
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
    // the main shape: the largest part touching each region; solidity: its area over its area
    // with the regions it encloses filled in
    let artArea = 0;
    for (let p = 1; p < partsOf.areas.length; p++) artArea += partsOf.areas[p];
    const encloser = stats.map((s) => {
      let best = 0;
      for (const p of s?.inks ?? []) if (!best || partsOf.areas[p] > partsOf.areas[best]) best = p;
      return best;
    });
    const filled = new Map<number, number>();
    stats.forEach((s, l) => {
      if (s && encloser[l])
        filled.set(encloser[l], (filled.get(encloser[l]) ?? partsOf.areas[encloser[l]]) + s.area);
    });
    stats.forEach((s, l) => {
      const p = encloser[l];
      if (!s || !p) return;
      const area = partsOf.areas[p];
      s.inBadge = area >= BADGE_SHARE * artArea && area / (filled.get(p) ?? area) >= BADGE_SOLIDITY;
    });
    // islands: parts that touch no background but this one region (the eyes in a skull's face,
    // the star inside a keyline ring); the region frames them
    const home = new Int32Array(partsOf.areas.length); // 0 none yet, -1 several or the outside
    for (let i = 0; i < n; i++) {
      const p = partsOf.labels[i];
      if (!p || partsOf.areas[p] < significant || home[p] === -1) continue;
      for (let k = 0; k < 4; k++) {
        const j = neighbour4(i, k, width, n);
        if (j < 0) continue;
        const r = isBg[j] ? -1 : labels[j];
        if (!r) continue;
        if (r === -1 || (home[p] && home[p] !== r)) home[p] = -1;
        else home[p] = r;
      }
    }
    stats.forEach((s, l) => {
      if (!s || !encloser[l] || !counts[encloser[l]]) return;
      const outer = labOf(encloser[l]);
      for (const p of s.inks) {
        // an island of another colour than what surrounds the region (not JPEG blotches)
        if (home[p] === l && counts[p] > 0 && deltaE76(labOf(p), outer) > 25) s.islands++;
      }
    });
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
      d = {
        ...box,
        ...judge(s, backgroundNoise, insideBox, tolerance),
        depthRatio: Math.round((100 * s.depth) / Math.max(1, s.halfWidth)) / 100,
      };
    }
    decisions.push({ label: l, d });
  }
  const clear = new Uint8Array(stats.length);
  for (const { label, d } of decisions) if (d.decision === 'cleared') clear[label] = 1;
  // slivers under the minimum size that touch the outside through a neck the flood would not
  // pass (a notch where two letters meet) are the outside too
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!l || stats[l] || clear[l]) continue;
    const x = i % width;
    if (
      (x > 0 && isBg[i - 1]) ||
      (x < width - 1 && isBg[i + 1]) ||
      (i >= width && isBg[i - width]) ||
      (i < n - width && isBg[i + width])
    )
      clear[l] = 1;
  }
  for (let i = 0; i < n; i++) if (clear[labels[i]]) isBg[i] = 1;
  return decisions.map((x) => x.d).sort((a, b) => b.area - a.area);
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
  for (let i = 0; i < n; i++) src[i] = isBg[i] ? OUTSIDE : labels[i] ? labels[i] : -1;
  // only the areas' edge pixels start the search: inside an area every neighbour is taken already
  for (let i = 0; i < n; i++) {
    if (src[i] < 0) continue;
    const x = i % width;
    if (
      (x > 0 && src[i - 1] !== src[i]) ||
      (x < width - 1 && src[i + 1] !== src[i]) ||
      (i >= width && src[i - width] !== src[i]) ||
      (i < n - width && src[i + width] !== src[i]) ||
      (x > 0 && i >= width && src[i - width - 1] !== src[i]) ||
      (x < width - 1 && i >= width && src[i - width + 1] !== src[i]) ||
      (x > 0 && i < n - width && src[i + width - 1] !== src[i]) ||
      (x < width - 1 && i < n - width && src[i + width + 1] !== src[i])
    )
      queue[tail++] = i;
  }
  const best = new Float64Array(count).fill(255);
  const offsets = [-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1];
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const a = src[i];
    const si = steps[i];
    const x = i % width;
    // the canvas edge needs bounds checks; everywhere else the 8 offsets are safe
    const edge = x === 0 || x === width - 1 || i < width || i >= n - width;
    for (let k = 0; k < 8; k++) {
      const j = i + offsets[k];
      if (edge && (j < 0 || j >= n || Math.abs((j % width) - x) > 1)) continue;
      const b = src[j];
      if (b < 0) {
        if (si >= 254) continue;
        src[j] = a;
        steps[j] = si + 1;
        queue[tail++] = j;
      } else if (b !== a) {
        // two fronts meet: the ink between their areas is as thick as their steps together
        const t = si + steps[j] + 1;
        if (a < count && t < best[a]) best[a] = t;
        if (b < count && t < best[b]) best[b] = t;
      }
    }
  }
  return best;
}

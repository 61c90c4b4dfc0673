/**
 * Long file: finding gradient areas walks the labels once; their boundaries, merging and output
 * share that walk.
 *
 * Gradient areas of the colour trace. The palette step turns a smooth
 * gradient into bands of flat colour; here, after the labels are assigned,
 * bands whose shared boundaries are *soft* in the source image are put back
 * together and, when one linear or radial gradient explains their pixels,
 * become one area painted with that gradient.
 *
 * 1. Soft boundaries. Every place where two 4-neighbours carry different
 *    colours is a sample, read along a line across the boundary and along a
 *    line at right angles to it through the same pixel (a slanted edge that
 *    one line crosses at a grazing angle is a step on the other). A line is
 *    hard where the largest change over three pixels at the boundary is
 *    2.5× the typical one farther out (plus noise) — a step of any contrast,
 *    crisp, anti-aliased or JPEG-blurred — or where its 14 pixels (each
 *    averaged with its two neighbours across) stray from a straight ramp.
 *    Windows that reach within 3 px of the art's edge (JPEG rings there) or
 *    meet another edge are no reading.
 * 2. Candidates. Two neighbouring regions (4-connected runs of one label) of
 *    at least 64 px are joined when most (≥ 50 %, ≥ 4) samples along their
 *    common boundary are soft; each union of two or more regions is a
 *    candidate.
 * 3. Fit (gradient-fit.ts). A candidate becomes a gradient only if the fit is
 *    good (mean ΔE76 < 4), clearly better than flat bands (≤ 0.8 × the error
 *    of each band at its own mean colour: flat facets leave only noise
 *    there), really varies (span > 10) and has no step in its ramp (no knot
 *    to knot change ≥ half the span). Art shaded by several gradients fails
 *    as a whole: pieces are then grown from its largest band, adding soft
 *    neighbours while a quick fit stays good on the piece and on the band
 *    added, and each piece is judged as above. Small slivers of the area's
 *    band colours along its edge (JPEG rings) join an accepted area.
 *    Whatever is not accepted keeps its flat bands.
 *
 * Flat art never gets past step 2 or 3: its boundaries are hard, and its
 * colours are flat.
 */
import { deltaE76, type Lab, type Rgb, rgbToLab } from '../../color/color.js';
import type { RgbaImage } from '../../io/image.js';
import { colorAt } from '../../vector/gradient.js';
import type { Gradient } from '../../vector/path.js';
import { type FitInput, fitGradient, type GradientFit } from './gradient-fit.js';
import { regions } from './regions.js';

export type GradientMode = 'keep' | 'flatten';

/** One accepted gradient area: its pixels carry `label` in the colour map. */
export interface GradientArea {
  label: number;
  gradient: Gradient;
  /** Mean colour of its pixels: the flat fallback. */
  mean: Rgb;
  /** Pixels (indices) of the area. */
  pixels: Int32Array;
  fit: GradientFit;
  /** Mean ΔE76 of its pixels from the mean colour of the band they were in. */
  flatDE: number;
}

const NONE = 255;
/** Half-width of the window a boundary sample is read over (pixels on each side). */
const WINDOW = 6;
/** Windows keep this far (pixels) from the art's edge (compression rings there). */
const EDGE_MARGIN = 3;
/** Across three pixels, a soft boundary changes by less than this share of its two colours' distance… */
const STEP_SHARE = 0.5;
/** …plus this much noise (RGB distance). */
const NOISE = 10;
/**
 * An edge: the largest change across three pixels at the boundary exceeds
 * this many times the typical one farther out in the window (in a ramp they
 * are all alike)…
 */
const EDGE_FACTOR = 2.5;
/** …plus this much noise (RGB distance: JPEG blocks step by about this much in a smooth gradient). */
const EDGE_NOISE = 10;
/** The window's colours stay within this share of its change from a straight line… */
const LINE_SHARE = 0.2;
/** …plus this much noise. */
const LINE_NOISE = 10;
/** Two regions join when at least this many samples of their boundary are soft… */
const MIN_SOFT = 4;
/** …and at least this share of them. */
const SOFT_SHARE = 0.5;
/** Regions smaller than this (pixels) join nothing: specks of noise, not bands of a gradient (edge slivers are absorbed later). */
const MIN_BAND = 64;
/** At most this many samples go into one fit (a regular subsample of the area). */
const MAX_SAMPLES = 40_000;

/** Acceptance: the fit's mean error (ΔE76)… */
const MAX_MEAN_DE = 4;
/** …is at most this share of the flat bands' error (each band at its own mean colour)… */
const FLAT_ADVANTAGE = 0.8;
/** …the gradient spans more than this (ΔE76)… */
const MIN_SPAN = 10;
/** …and no step between two neighbouring knots takes this share of the span. */
const MAX_STEP = 0.5;

/** Samples in each quick fit while a piece grows, … */
const TRIAL_SAMPLES = 3000;
/** …at most this many quick fits per candidate… */
const MAX_TRIALS = 64;
/** …and a region joins a growing piece only if the piece's gradient explains it within this mean ΔE76. */
const REGION_DE = 6;
/** A neighbouring region joins an accepted area when it is at most this share of its size… */
const ABSORB_SHARE = 0.1;
/**
 * …and the gradient explains its colours within this mean ΔE76 — and, unless
 * the region has one of the area's own band colours, within ABSORB_SLACK of
 * how well its flat colour does.
 */
const ABSORB_DE = 12;
const ABSORB_SLACK = 4;

const SKIP = 0;
const HARD = 1;
const SOFT = 2;

function rgbDistance(d: Uint8Array, p: number, q: number): number {
  const r = d[p] - d[q];
  const g = d[p + 1] - d[q + 1];
  const b = d[p + 2] - d[q + 2];
  return Math.sqrt(r * r + g * g + b * b);
}

/** Scratch space of one profile: the window's colours (averaged across) and its 3-pixel changes. */
interface Scratch {
  window: Float64Array;
  steps: Float64Array;
}

/**
 * Reads the image along one line through the boundary between pixel i and
 * i + s (s = ±1: along x, ±width: along y; `along` is i's coordinate on that
 * axis, `size` the image's extent on it, `lateral` the step across it):
 * HARD where it crosses an edge, SOFT where the colour changes steadily or
 * not at all, SKIP where the window leaves the opaque art or meets another
 * edge away from the boundary.
 */
function profile(
  d: Uint8Array,
  i: number,
  s: number,
  along: number,
  size: number,
  lateral: number,
  scratch: Scratch,
): number {
  const reach = WINDOW + EDGE_MARGIN;
  if (along - reach < 0 || along + reach + 1 >= size) return SKIP;
  for (let k = -reach; k <= reach + 1; k++) if (d[(i + k * s) * 4 + 3] < 255) return SKIP;
  const { window, steps } = scratch;
  const len = 2 * WINDOW + 2;
  for (let k = 0; k < len; k++) {
    const c = i + (k - WINDOW) * s;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let q = c - lateral; q <= c + lateral; q += lateral) {
      const p = q * 4;
      if (d[p + 3] < 255) return SKIP;
      r += d[p];
      g += d[p + 1];
      b += d[p + 2];
    }
    window[k * 3] = r / 3;
    window[k * 3 + 1] = g / 3;
    window[k * 3 + 2] = b / 3;
  }
  // changes across three pixels on the line itself (averaging across would blur a slanted edge):
  // those covering the boundary against the typical one farther out
  let central = 0;
  let n = 0;
  for (let k = -WINDOW; k + 3 <= WINDOW + 1; k++) {
    const v = rgbDistance(d, (i + k * s) * 4, (i + (k + 3) * s) * 4);
    if (k >= -2 && k <= 0) central = Math.max(central, v);
    else if (k < -4 || k > 2) steps[n++] = v;
  }
  const typical = median(steps, n);
  if (central > EDGE_FACTOR * typical + EDGE_NOISE) return HARD;
  // a jump away from the boundary is another edge in the window: no reading here
  for (let k = 0; k < n; k++) if (steps[k] > EDGE_FACTOR * typical + EDGE_NOISE + central) return SKIP;
  // the window's colours lie on a straight ramp
  const last = (len - 1) * 3;
  const dr = window[last] - window[0];
  const dg = window[last + 1] - window[1];
  const db = window[last + 2] - window[2];
  const allowed = LINE_SHARE * Math.sqrt(dr * dr + dg * dg + db * db) + LINE_NOISE;
  for (let k = 1; k < len - 1; k++) {
    const f = k / (len - 1);
    const er = window[k * 3] - (window[0] + f * dr);
    const eg = window[k * 3 + 1] - (window[1] + f * dg);
    const eb = window[k * 3 + 2] - (window[2] + f * db);
    if (er * er + eg * eg + eb * eb > allowed * allowed) return HARD;
  }
  return SOFT;
}

/** Median of the first n values (partially sorts them). */
function median(v: Float64Array, n: number): number {
  if (!n) return 0;
  const a = Array.from(v.subarray(0, n)).sort((p, q) => p - q);
  return n % 2 ? a[n >> 1] : (a[(n >> 1) - 1] + a[n >> 1]) / 2;
}

/**
 * Classifies the boundary between pixel (x, y) and its neighbour to the
 * right (`horizontal`) or below: HARD, SOFT, or SKIP (no reading). A quick
 * look at the three pixels across it first (a step takes nearly all of the
 * two colours' distance); then the line across it and the line along it
 * through the same pixel must both be soft — a slanted edge that a line
 * crosses at a grazing angle still shows as a step on the other one.
 */
function boundaryKind(
  image: RgbaImage,
  x: number,
  y: number,
  horizontal: boolean,
  paletteDistance: number,
  scratch: Scratch,
): number {
  const { width, height, data } = image;
  const i = y * width + x;
  const s = horizontal ? 1 : width;
  const along = horizontal ? x : y;
  if (along < 1 || along + 2 >= (horizontal ? width : height)) return SKIP;
  const p0 = (i - s) * 4;
  const p3 = (i + 2 * s) * 4;
  if (data[p0 + 3] < 255 || data[p3 + 3] < 255) return SKIP;
  if (rgbDistance(data, p0, p3) > STEP_SHARE * paletteDistance + NOISE) return HARD;
  const across = horizontal
    ? profile(data, i, 1, x, width, width, scratch)
    : profile(data, i, width, y, height, 1, scratch);
  if (across !== SOFT) return across;
  const other = horizontal
    ? profile(data, i, width, y, height, 1, scratch)
    : profile(data, i, 1, x, width, width, scratch);
  return other === HARD ? HARD : SOFT;
}

/** Union–find with path halving; the root is the smallest member. */
function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/**
 * The fit's input for the area (the pixels with mark === token): interior opaque
 * pixels (no 4-neighbour outside the area, so no blend with a neighbouring
 * ink) as a regular subsample, and the outline pixels for the extent.
 */
function fitInput(
  image: RgbaImage,
  pixels: Int32Array,
  mark: Int32Array,
  token: number,
  labLookup: (r: number, g: number, b: number) => Lab,
  maxSamples: number,
): FitInput {
  const { width, height, data } = image;
  const interior: number[] = [];
  const edge: number[] = [];
  const lastRow = width * (height - 1);
  for (const i of pixels) {
    const x = i % width;
    const inside =
      x > 0 &&
      x < width - 1 &&
      i >= width &&
      i < lastRow &&
      mark[i - 1] === token &&
      mark[i + 1] === token &&
      mark[i - width] === token &&
      mark[i + width] === token;
    if (!inside) edge.push(i);
    else if (data[i * 4 + 3] === 255) interior.push(i);
  }
  // a thin area has no interior: use its opaque pixels
  let use = interior;
  if (use.length < 0.25 * pixels.length) use = [...pixels].filter((i) => data[i * 4 + 3] === 255);
  const stride = Math.max(1, Math.ceil(use.length / maxSamples));
  const m = Math.ceil(use.length / stride);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const rgb = new Float64Array(m * 3);
  const lab: Lab[] = [];
  for (let k = 0, s = 0; s < m; k += stride, s++) {
    const i = use[k];
    x[s] = (i % width) + 0.5;
    y[s] = Math.floor(i / width) + 0.5;
    const p = i * 4;
    rgb[s * 3] = data[p];
    rgb[s * 3 + 1] = data[p + 1];
    rgb[s * 3 + 2] = data[p + 2];
    lab.push(labLookup(data[p], data[p + 1], data[p + 2]));
  }
  const edgeX = new Float64Array(edge.length);
  const edgeY = new Float64Array(edge.length);
  edge.forEach((i, k) => {
    edgeX[k] = (i % width) + 0.5;
    edgeY[k] = Math.floor(i / width) + 0.5;
  });
  const contains = (px: number, py: number): boolean => {
    const xi = Math.floor(px);
    const yi = Math.floor(py);
    return xi >= 0 && yi >= 0 && xi < width && yi < height && mark[yi * width + xi] === token;
  };
  return { x, y, rgb, lab, edgeX, edgeY, contains };
}

/**
 * Finds the gradient areas of a colour map and relabels their pixels in
 * place: the k-th area accepted gets label `firstLabel + k` (at most
 * `maxAreas` of them). Returns the areas in the order of their first pixel.
 */
export function findGradientAreas(
  image: RgbaImage,
  labels: Uint8Array,
  palette: readonly Rgb[],
  firstLabel: number,
  maxAreas: number,
): GradientArea[] {
  const { width, height, data } = image;
  const n = width * height;
  if (maxAreas <= 0 || palette.length < 2) return [];
  const dist = new Float64Array(palette.length * palette.length);
  palette.forEach((p, a) => {
    palette.forEach((q, b) => {
      dist[a * palette.length + b] = Math.hypot(p.r - q.r, p.g - q.g, p.b - q.b);
    });
  });
  // 1. boundary samples between different labels: where, which way, soft or hard
  const scratch: Scratch = {
    window: new Float64Array((2 * WINDOW + 2) * 3),
    steps: new Float64Array(2 * WINDOW),
  };
  const at: number[] = [];
  const dir: number[] = [];
  const kind: number[] = [];
  let softCount = 0;
  const sample = (x: number, y: number, horizontal: boolean, a: number, b: number) => {
    const k = boundaryKind(image, x, y, horizontal, dist[a * palette.length + b], scratch);
    if (k === SKIP) return;
    at.push(y * width + x);
    dir.push(horizontal ? 1 : width);
    kind.push(k);
    if (k === SOFT) softCount++;
  };
  // (the outermost rows and columns never have a window around them)
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const a = labels[i];
      if (a === NONE) continue;
      const right = labels[i + 1];
      if (right !== NONE && right !== a) sample(x, y, true, a, right);
      const below = labels[i + width];
      if (below !== NONE && below !== a) sample(x, y, false, a, below);
    }
  }
  if (softCount < MIN_SOFT) return [];
  // 2. regions joined across boundaries that are mostly soft
  const { ids, areas, starts, pixels } = regions(labels, width, height);
  const regionCount = areas.length;
  const pairs = new Map<number, [number, number]>();
  for (let s = 0; s < at.length; s++) {
    const ra = ids[at[s]];
    const rb = ids[at[s] + dir[s]];
    const key = ra < rb ? ra * regionCount + rb : rb * regionCount + ra;
    let c = pairs.get(key);
    if (!c) {
      c = [0, 0];
      pairs.set(key, c);
    }
    c[1]++;
    if (kind[s] === SOFT) c[0]++;
  }
  // soft neighbours: both regions large enough to be bands, most samples between them soft
  const parent = new Int32Array(regionCount);
  for (let r = 0; r < regionCount; r++) parent[r] = r;
  const joined = new Uint8Array(regionCount);
  const neighbours = new Map<number, number[]>();
  for (const [key, [soft, total]] of pairs) {
    if (soft < MIN_SOFT || soft < SOFT_SHARE * total) continue;
    const ra = Math.floor(key / regionCount);
    const rb = key - ra * regionCount;
    if (areas[ra] < MIN_BAND || areas[rb] < MIN_BAND) continue;
    union(parent, ra, rb);
    joined[ra] = 1;
    joined[rb] = 1;
    for (const [p, q] of [
      [ra, rb],
      [rb, ra],
    ]) {
      const list = neighbours.get(p);
      if (list) list.push(q);
      else neighbours.set(p, [q]);
    }
  }
  const groups = new Map<number, number[]>();
  for (let r = 0; r < regionCount; r++) {
    if (!joined[r]) continue;
    const root = find(parent, r);
    const g = groups.get(root);
    if (g) g.push(r);
    else groups.set(root, [r]);
  }
  if (!groups.size) return [];
  // 3. fit each candidate; keep the good ones — and where one gradient does not explain a whole
  //    candidate (art shaded by several), grow pieces from it region by region that one does
  const labCache = new Map<number, Lab>();
  const labLookup = (r: number, g: number, b: number): Lab => {
    const key = (r << 16) | (g << 8) | b;
    let lab = labCache.get(key);
    if (!lab) {
      lab = rgbToLab(r, g, b);
      labCache.set(key, lab);
    }
    return lab;
  };
  const paletteLab = palette.map((c) => rgbToLab(c.r, c.g, c.b));
  const map = { ids, areas, starts, pixels };
  // mark[i] === token: pixel i belongs to the set being fitted
  const mark = new Int32Array(n).fill(-1);
  let token = 0;
  const evaluate = (members: readonly number[], quick: boolean) => {
    token++;
    let size = 0;
    for (const r of members) size += areas[r];
    const areaPixels = new Int32Array(size);
    let o = 0;
    for (const r of members) {
      for (let p = starts[r], end = p + areas[r]; p < end; p++) {
        areaPixels[o++] = pixels[p];
        mark[pixels[p]] = token;
      }
    }
    areaPixels.sort();
    const t = token;
    const input = fitInput(image, areaPixels, mark, t, labLookup, quick ? TRIAL_SAMPLES : MAX_SAMPLES);
    return { areaPixels, input, fit: fitGradient(input, quick), token: t };
  };
  const out: GradientArea[] = [];
  /** Fits `members` as one area and, when the gradient is good enough, relabels it. */
  const accept = (members: readonly number[]): boolean => {
    const { areaPixels, input, fit, token: t } = evaluate(members, false);
    if (!fit) return false;
    const flatDE = flatError(input, ids, width);
    if (
      !(fit.meanDE < MAX_MEAN_DE) ||
      !(fit.meanDE <= FLAT_ADVANTAGE * flatDE) ||
      !(fit.span > MIN_SPAN) ||
      !(fit.maxStep < MAX_STEP)
    )
      return false;
    const absorbed = absorbNeighbours(
      image,
      labels,
      firstLabel,
      areaPixels,
      t,
      mark,
      joined,
      fit.gradient,
      map,
      paletteLab,
      labLookup,
    );
    let all = areaPixels;
    if (absorbed.length) {
      all = new Int32Array(areaPixels.length + absorbed.length);
      all.set(areaPixels);
      all.set(absorbed, areaPixels.length);
      all.sort();
    }
    let sr = 0;
    let sg = 0;
    let sb = 0;
    for (const i of all) {
      sr += data[i * 4];
      sg += data[i * 4 + 1];
      sb += data[i * 4 + 2];
    }
    const label = firstLabel + out.length;
    for (const i of all) labels[i] = label;
    const size = all.length;
    out.push({
      label,
      gradient: fit.gradient,
      mean: { r: Math.round(sr / size), g: Math.round(sg / size), b: Math.round(sb / size) },
      pixels: all,
      fit,
      flatDE,
    });
    return true;
  };
  const byArea = (p: number, q: number) => areas[q] - areas[p] || p - q;
  // groups in the order of their root region, i.e. of their first pixel in scan order
  for (const [, members] of [...groups].sort((p, q) => p[0] - q[0])) {
    if (out.length >= maxAreas) break;
    if (accept(members)) continue;
    // grow pieces: from the largest region left, add soft neighbours (largest first) while a
    // quick fit of the piece stays good, also on the region added
    const left = new Set(members);
    let trials = 0;
    while (left.size >= 2 && out.length < maxAreas && trials < MAX_TRIALS) {
      const seed = [...left].sort(byArea)[0];
      const piece = [seed];
      const inPiece = new Set(piece);
      const rejected = new Set<number>();
      for (;;) {
        const next = piece
          .flatMap((r) => neighbours.get(r) ?? [])
          .filter((r) => left.has(r) && !inPiece.has(r) && !rejected.has(r))
          .sort(byArea)[0];
        if (next === undefined || trials >= MAX_TRIALS) break;
        trials++;
        const trial = evaluate([...piece, next], true);
        const ok =
          trial.fit !== null &&
          trial.fit.meanDE < MAX_MEAN_DE &&
          trial.fit.maxStep < MAX_STEP &&
          regionError(image, trial.fit.gradient, map, next, labLookup) < REGION_DE;
        if (ok) {
          piece.push(next);
          inPiece.add(next);
        } else rejected.add(next);
      }
      for (const r of piece) left.delete(r);
      if (piece.length >= 2) accept(piece.sort((p, q) => p - q));
    }
  }
  return out;
}

/**
 * Small regions beside an accepted area that its gradient explains — slivers
 * of its band colours along the art's edge, where compression rings left no
 * soft boundary to join them by — join the area (marked in `group` as
 * `root`). Returns their pixels.
 */
function absorbNeighbours(
  image: RgbaImage,
  labels: Uint8Array,
  firstLabel: number,
  areaPixels: Int32Array,
  root: number,
  group: Int32Array,
  joined: Uint8Array,
  gradient: Gradient,
  map: { ids: Int32Array; areas: number[]; starts: number[]; pixels: Int32Array },
  paletteLab: Lab[],
  labLookup: (r: number, g: number, b: number) => Lab,
): number[] {
  const { width, height, data } = image;
  const { ids, areas, starts, pixels } = map;
  const limit = ABSORB_SHARE * areaPixels.length;
  // the band colours the gradient was cut into
  const bands = new Set<number>();
  for (const i of areaPixels) bands.add(labels[i]);
  const seen = new Set<number>();
  const candidates: number[] = [];
  const lastRow = width * (height - 1);
  const look = (j: number) => {
    const l = labels[j];
    if (l === NONE || l >= firstLabel || group[j] === root) return;
    const r = ids[j];
    if (seen.has(r) || joined[r]) return;
    seen.add(r);
    if (areas[r] <= limit) candidates.push(r);
  };
  for (const i of areaPixels) {
    const x = i % width;
    if (x > 0) look(i - 1);
    if (x < width - 1) look(i + 1);
    if (i >= width) look(i - width);
    if (i < lastRow) look(i + width);
  }
  // the gradient's colours, 256 steps along it
  const lut = Array.from({ length: 256 }, (_, k) => {
    const [r, g, b] = colorAt(gradient.stops, k / 255);
    return rgbToLab(Math.round(r * 255), Math.round(g * 255), Math.round(b * 255));
  });
  const out: number[] = [];
  for (const r of candidates.sort((a, b) => a - b)) {
    let fromGradient = 0;
    let fromFlat = 0;
    let count = 0;
    for (let p = starts[r], end = p + areas[r]; p < end; p++) {
      const i = pixels[p];
      if (data[i * 4 + 3] < 128) continue;
      const lab = labLookup(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]);
      fromGradient += deltaE76(lab, lut[Math.round(offsetOf(gradient, i, width) * 255)]);
      fromFlat += deltaE76(lab, paletteLab[labels[i]]);
      count++;
    }
    const ownBand = bands.has(labels[pixels[starts[r]]]);
    if (!count || fromGradient > ABSORB_DE * count) continue;
    if (!ownBand && fromGradient > fromFlat + ABSORB_SLACK * count) continue;
    for (let p = starts[r], end = p + areas[r]; p < end; p++) {
      group[pixels[p]] = root;
      out.push(pixels[p]);
    }
  }
  return out;
}

/**
 * The error of the best flat model: every sample against the mean colour (in
 * CIELAB) of its own region. Flat facets of similar colours (JPEG-blurred
 * edges can look soft) leave only noise here, which no gradient beats; the
 * bands of a real gradient leave the colour change inside each band.
 */
function flatError(input: FitInput, ids: Int32Array, width: number): number {
  const n = input.x.length;
  const sums = new Map<number, [number, number, number, number]>();
  const region = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const r = ids[Math.floor(input.y[s]) * width + Math.floor(input.x[s])];
    region[s] = r;
    let m = sums.get(r);
    if (!m) {
      m = [0, 0, 0, 0];
      sums.set(r, m);
    }
    m[0] += input.lab[s].L;
    m[1] += input.lab[s].a;
    m[2] += input.lab[s].b;
    m[3]++;
  }
  let sum = 0;
  for (let s = 0; s < n; s++) {
    const m = sums.get(region[s]) as [number, number, number, number];
    sum += deltaE76(input.lab[s], { L: m[0] / m[3], a: m[1] / m[3], b: m[2] / m[3] });
  }
  return n ? sum / n : 0;
}

/** Mean ΔE76 of region r's opaque pixels (at most 2000 of them) from the gradient. */
function regionError(
  image: RgbaImage,
  gradient: Gradient,
  map: { areas: number[]; starts: number[]; pixels: Int32Array },
  r: number,
  labLookup: (r: number, g: number, b: number) => Lab,
): number {
  const { width, data } = image;
  const stride = Math.max(1, Math.ceil(map.areas[r] / 2000));
  const c = [0, 0, 0];
  let sum = 0;
  let count = 0;
  for (let p = map.starts[r], end = p + map.areas[r]; p < end; p += stride) {
    const i = map.pixels[p];
    if (data[i * 4 + 3] < 255) continue;
    const [cr, cg, cb] = colorAt(gradient.stops, offsetOf(gradient, i, width));
    c[0] = Math.round(cr * 255);
    c[1] = Math.round(cg * 255);
    c[2] = Math.round(cb * 255);
    sum += deltaE76(labLookup(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]), labLookup(c[0], c[1], c[2]));
    count++;
  }
  return count ? sum / count : Number.POSITIVE_INFINITY;
}

/** Where pixel i lies along the gradient: 0 at its start (centre), 1 at its end (radius). */
export function offsetOf(g: Gradient, i: number, width: number): number {
  const x = (i % width) + 0.5;
  const y = Math.floor(i / width) + 0.5;
  if (g.type === 'linear') {
    const dx = g.x2 - g.x1;
    const dy = g.y2 - g.y1;
    const len2 = dx * dx + dy * dy;
    return len2 > 0 ? Math.min(1, Math.max(0, ((x - g.x1) * dx + (y - g.y1) * dy) / len2)) : 0;
  }
  return g.r > 0 ? Math.min(1, Math.hypot(x - g.cx, y - g.cy) / g.r) : 0;
}

/**
 * An area cut into `steps` flat bands of equal width along its gradient
 * (for cutters and screen printers): pixels relabelled `firstLabel + band`,
 * each band coloured like the gradient at its middle. Returns the bands'
 * colours (some bands may have no pixels).
 */
export function flattenArea(
  area: GradientArea,
  labels: Uint8Array,
  width: number,
  steps: number,
  firstLabel: number,
): Rgb[] {
  for (const i of area.pixels) {
    const band = Math.min(steps - 1, Math.floor(offsetOf(area.gradient, i, width) * steps));
    labels[i] = firstLabel + band;
  }
  return Array.from({ length: steps }, (_, k) => {
    const [r, g, b] = colorAt(area.gradient.stops, (k + 0.5) / steps);
    return { r: Math.round(r * 255), g: Math.round(g * 255), b: Math.round(b * 255) };
  });
}

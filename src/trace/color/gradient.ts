/**
 * Gradient areas of the colour trace. The palette step turns a smooth
 * gradient into bands of flat colour; here, after the labels are assigned,
 * bands whose shared boundaries are *soft* in the source image are put back
 * together and, when one linear or radial gradient explains their pixels,
 * become one area painted with that gradient.
 *
 * 1. Soft boundaries. Every place where two 4-neighbours carry different
 *    colours is a sample. Across a hard edge between flat inks (crisp,
 *    anti-aliased or JPEG-blurred) the colour jumps within a pixel or two; in
 *    a gradient it changes steadily over many. A sample is soft when the
 *    colour over the three pixels across the boundary changes by less than
 *    half the two palette colours' distance, and the colours over a 14-pixel
 *    window across it lie on a straight ramp (each within 20 % of the ramp's
 *    change, plus noise, of the straight line between the window's ends).
 * 2. Areas. Two neighbouring regions (4-connected runs of one label) are
 *    joined when most samples along their common boundary are soft; each
 *    union of two or more regions is a candidate.
 * 3. Fit (gradient-fit.ts). A candidate becomes a gradient only if the fit is
 *    good (mean ΔE76 < 4), clearly better than the flat bands it replaces,
 *    really varies (span > 10), and has no step in its ramp; otherwise its
 *    bands stay as they are.
 *
 * Flat art never gets this far: its boundaries are hard.
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
  /** Mean ΔE76 of its pixels from the flat bands they had. */
  flatDE: number;
}

const NONE = 255;
/** Half-width of the window a boundary sample's ramp is checked over (pixels on each side). */
const WINDOW = 6;
/** Windows keep this far (pixels) from the art's edge. */
const EDGE_MARGIN = 3;
/** Colour noise (RGB distance) allowed on top of the shares below. */
const NOISE = 6;
/** Noise allowed around the window's straight line (JPEG blocks and rings reach further than a step). */
const LINE_NOISE = 10;
/** Across three pixels, a soft boundary changes by less than this share of its two colours' distance… */
const STEP_SHARE = 0.5;
/** …and the window's colours stay within this share of the ramp's change from a straight line. */
const LINE_SHARE = 0.2;
/** Two regions join when at least this many samples of their boundary are soft… */
const MIN_SOFT = 4;
/** …and at least this share of them. */
const SOFT_SHARE = 0.6;
/** At most this many samples go into one fit (a regular subsample of the area). */
const MAX_SAMPLES = 40_000;

/** Acceptance: the fit's mean error (ΔE76)… */
const MAX_MEAN_DE = 4;
/** …is at most this share of the flat bands' error… */
const FLAT_ADVANTAGE = 0.8;
/** …the gradient spans more than this (ΔE76)… */
const MIN_SPAN = 10;
/** …and no step between two neighbouring knots takes this share of the span. */
const MAX_STEP = 0.5;

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

/**
 * Classifies the boundary between pixel i and i + s (s = 1: across a
 * vertical boundary; s = width: across a horizontal one): SOFT, HARD, or SKIP
 * when the window leaves the image or the opaque art.
 */
function boundaryKind(
  image: RgbaImage,
  i: number,
  s: number,
  along: number,
  alongMax: number,
  lateral: number,
  paletteDistance: number,
  window: Float64Array,
): number {
  const d = image.data;
  if (along - 1 < 0 || along + 2 > alongMax) return SKIP;
  const p0 = (i - s) * 4;
  const p3 = (i + 2 * s) * 4;
  if (d[p0 + 3] < 255 || d[p3 + 3] < 255) return SKIP;
  // 1. across three pixels: a step is (nearly) the whole distance, a gradient a small part of it
  if (rgbDistance(d, p0, p3) > STEP_SHARE * paletteDistance + NOISE) {
    if (process.env.GT_DEBUG2 && i % image.width === 100)
      console.error('step', i, rgbDistance(d, p0, p3).toFixed(1), paletteDistance.toFixed(1));
    return HARD;
  }
  // 2. the window's colours (each averaged with its two lateral neighbours) lie on a straight ramp;
  // a window within EDGE_MARGIN of the art's edge is skipped (compression rings there)
  const reach = WINDOW + EDGE_MARGIN;
  if (along - reach < 0 || along + reach + 1 > alongMax) return SKIP;
  for (let k = WINDOW + 1; k <= reach; k++) {
    if (d[(i - k * s) * 4 + 3] < 255 || d[(i + (k + 1) * s) * 4 + 3] < 255) return SKIP;
  }
  const len = 2 * WINDOW + 2;
  for (let k = 0; k < len; k++) {
    const c = i + (k - WINDOW) * s;
    let r = 0;
    let g = 0;
    let b = 0;
    for (const q of [c - lateral, c, c + lateral]) {
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
  // a jump away from the boundary is another edge in the window: no reading here
  const jump = STEP_SHARE * paletteDistance + NOISE;
  for (let k = 0; k < len - 1; k++) {
    if (k >= WINDOW - 1 && k <= WINDOW + 1) continue;
    const er = window[k * 3 + 3] - window[k * 3];
    const eg = window[k * 3 + 4] - window[k * 3 + 1];
    const eb = window[k * 3 + 5] - window[k * 3 + 2];
    if (er * er + eg * eg + eb * eb > jump * jump) return SKIP;
  }
  const last = (len - 1) * 3;
  const dr = window[last] - window[0];
  const dg = window[last + 1] - window[1];
  const db = window[last + 2] - window[2];
  const change = Math.sqrt(dr * dr + dg * dg + db * db);
  const allowed = LINE_SHARE * change + LINE_NOISE;
  for (let k = 1; k < len - 1; k++) {
    const f = k / (len - 1);
    const er = window[k * 3] - (window[0] + f * dr);
    const eg = window[k * 3 + 1] - (window[1] + f * dg);
    const eb = window[k * 3 + 2] - (window[2] + f * db);
    if (er * er + eg * eg + eb * eb > allowed * allowed) {
      if (process.env.GT_DEBUG2 && i % image.width === 100)
        console.error(
          'lin',
          i,
          k,
          change.toFixed(1),
          Math.sqrt(er * er + eg * eg + eb * eb).toFixed(1),
          allowed.toFixed(1),
          [...window].map(Math.round).join(','),
        );
      return HARD;
    }
  }
  return SOFT;
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
 * The fit's input for the area `inArea` (pixel → member): interior opaque
 * pixels (no 4-neighbour outside the area, so no blend with a neighbouring
 * ink) as a regular subsample, and the outline pixels for the extent.
 */
function fitInput(
  image: RgbaImage,
  pixels: Int32Array,
  inArea: (i: number) => boolean,
  labLookup: (r: number, g: number, b: number) => Lab,
): FitInput {
  const { width, height, data } = image;
  const interior: number[] = [];
  const edge: number[] = [];
  for (const i of pixels) {
    const x = i % width;
    const inside =
      x > 0 &&
      x < width - 1 &&
      i >= width &&
      i < width * (height - 1) &&
      inArea(i - 1) &&
      inArea(i + 1) &&
      inArea(i - width) &&
      inArea(i + width);
    if (!inside) edge.push(i);
    else if (data[i * 4 + 3] === 255) interior.push(i);
  }
  // a thin area has no interior: use its opaque pixels
  let use = interior;
  if (use.length < 0.25 * pixels.length) use = [...pixels].filter((i) => data[i * 4 + 3] === 255);
  const stride = Math.max(1, Math.ceil(use.length / MAX_SAMPLES));
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
    return xi >= 0 && yi >= 0 && xi < width && yi < height && inArea(yi * width + xi);
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
  const window = new Float64Array((2 * WINDOW + 2) * 3);
  const at: number[] = [];
  const dir: number[] = [];
  const kind: number[] = [];
  let softCount = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = labels[i];
      if (a === NONE) continue;
      if (x + 1 < width) {
        const b = labels[i + 1];
        if (b !== NONE && b !== a && y > 0 && y < height - 1) {
          const k = boundaryKind(image, i, 1, x, width - 1, width, dist[a * palette.length + b], window);
          if (k !== SKIP) {
            at.push(i);
            dir.push(1);
            kind.push(k);
            if (k === SOFT) softCount++;
          }
        }
      }
      if (y + 1 < height) {
        const b = labels[i + width];
        if (b !== NONE && b !== a && x > 0 && x < width - 1) {
          const k = boundaryKind(image, i, width, y, height - 1, 1, dist[a * palette.length + b], window);
          if (k !== SKIP) {
            at.push(i);
            dir.push(width);
            kind.push(k);
            if (k === SOFT) softCount++;
          }
        }
      }
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
  const parent = new Int32Array(regionCount);
  for (let r = 0; r < regionCount; r++) parent[r] = r;
  const joined = new Uint8Array(regionCount);
  for (const [key, [soft, total]] of pairs) {
    if (process.env.GT_DEBUG) {
      const ra0 = Math.floor(key / regionCount);
      const rb0 = key - ra0 * regionCount;
      console.error(
        'pair',
        ra0,
        rb0,
        labels[pixels[starts[ra0]]],
        labels[pixels[starts[rb0]]],
        areas[ra0],
        areas[rb0],
        soft,
        total,
      );
    }
    if (soft < MIN_SOFT || soft < SOFT_SHARE * total) continue;
    const ra = Math.floor(key / regionCount);
    const rb = key - ra * regionCount;
    union(parent, ra, rb);
    joined[ra] = 1;
    joined[rb] = 1;
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
  // 3. fit each candidate; keep the good ones
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
  const group = new Int32Array(n).fill(-1);
  const out: GradientArea[] = [];
  // groups in the order of their root region, i.e. of their first pixel in scan order
  for (const [root, members] of [...groups].sort((p, q) => p[0] - q[0])) {
    if (out.length >= maxAreas) break;
    let size = 0;
    for (const r of members) size += areas[r];
    let areaPixels = new Int32Array(size);
    let o = 0;
    for (const r of members) {
      for (let p = starts[r], end = p + areas[r]; p < end; p++) {
        areaPixels[o++] = pixels[p];
        group[pixels[p]] = root;
      }
    }
    areaPixels.sort();
    const input = fitInput(image, areaPixels, (i) => group[i] === root, labLookup);
    const fit = fitGradient(input);
    if (!fit) continue;
    // the flat bands' error over the same samples
    let flatSum = 0;
    for (let s = 0; s < input.x.length; s++) {
      const i = Math.floor(input.y[s]) * width + Math.floor(input.x[s]);
      flatSum += deltaE76(input.lab[s], paletteLab[labels[i]]);
    }
    const flatDE = input.x.length ? flatSum / input.x.length : 0;
    if (process.env.GT_DEBUG)
      console.error(
        'fit',
        members.length,
        size,
        fit.gradient.type,
        fit.meanDE.toFixed(2),
        flatDE.toFixed(2),
        fit.span.toFixed(1),
        fit.maxStep.toFixed(2),
        fit.gradient.stops.length,
      );
    if (
      !(fit.meanDE < MAX_MEAN_DE) ||
      !(fit.meanDE <= FLAT_ADVANTAGE * flatDE) ||
      !(fit.span > MIN_SPAN) ||
      !(fit.maxStep < MAX_STEP)
    )
      continue;
    const absorbed = absorbNeighbours(
      image,
      labels,
      firstLabel,
      areaPixels,
      root,
      group,
      fit.gradient,
      {
        ids,
        areas,
        starts,
        pixels,
      },
      paletteLab,
      labLookup,
    );
    if (absorbed.length) {
      const all = new Int32Array(areaPixels.length + absorbed.length);
      all.set(areaPixels);
      all.set(absorbed, areaPixels.length);
      all.sort();
      areaPixels = all;
      size = all.length;
    }
    let sr = 0;
    let sg = 0;
    let sb = 0;
    for (const i of areaPixels) {
      sr += data[i * 4];
      sg += data[i * 4 + 1];
      sb += data[i * 4 + 2];
    }
    const label = firstLabel + out.length;
    for (const i of areaPixels) labels[i] = label;
    out.push({
      label,
      gradient: fit.gradient,
      mean: { r: Math.round(sr / size), g: Math.round(sg / size), b: Math.round(sb / size) },
      pixels: areaPixels,
      fit,
      flatDE,
    });
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
    if (seen.has(r)) return;
    seen.add(r);
    if (areas[r] <= limit) candidates.push(r);
    else if (process.env.GT_DEBUG) console.error('too big', r, areas[r], l);
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
    if (process.env.GT_DEBUG) {
      let x0 = 1e9,
        x1 = -1,
        y0 = 1e9,
        y1 = -1;
      for (let p = starts[r], end = p + areas[r]; p < end; p++) {
        const i = pixels[p];
        const x = i % width,
          y = Math.floor(i / width);
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
      console.error('bbox', x0, x1, y0, y1);
    }
    if (process.env.GT_DEBUG)
      console.error(
        'absorb?',
        r,
        areas[r],
        labels[pixels[starts[r]]],
        count,
        (fromGradient / count).toFixed(1),
        (fromFlat / count).toFixed(1),
      );
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

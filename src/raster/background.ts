/**
 * Long file: background removal's steps (flood, speckles, edge unmixing) share masks and distance
 * maps built once per logo.
 *
 * Background removal for logos on a flat or near-flat background.
 *
 * 1. detect the background colour from the image border;
 * 2. flood the background region from the border (ΔE76 ≤ tolerance), optionally
 *    also clearing enclosed regions of the background colour ("holes");
 * 3. drop speckles: small foreground islands that are close to the background
 *    colour (JPEG noise), never small islands of real ink;
 * 4. recover anti-aliased edge alpha by un-mixing the background colour: each
 *    edge pixel C is modelled as a·F + (1−a)·B, with F the colour of the nearest
 *    solid ink pixel, and gets colour F with alpha a. Compositing the result on
 *    any backdrop then shows no halo of the old background.
 * docs/BACKGROUND_REMOVAL.md explains the choices.
 */
import { deltaE76, deltaEMap, type Lab, type Rgb, rgbToLab } from '../color/color.js';
import { createImage, type RgbaImage } from '../io/image.js';
import { distanceTransform } from './distance.js';
import {
  borderConnected,
  fillRuns,
  intersectRuns,
  labelComponents,
  RowRuns,
  type RunComponents,
  rowRuns,
  runComponents,
  shrinkRuns,
  unionRuns,
  xorRuns,
} from './mask.js';

export interface BackgroundInfo {
  /** The detected background colour, or null when the border is mostly transparent already. */
  color: Rgb | null;
  /** Share (0–1) of border pixels that match the background colour within the tolerance. */
  borderShare: number;
  /** 95th percentile of the border pixels' ΔE to the background colour: the noise level. */
  noise: number;
}

export interface RemoveBackgroundOptions {
  /** ΔE76 within which a pixel counts as background (default 10). */
  tolerance: number;
  /** Also clear enclosed regions of the background colour, e.g. the inside of an "O". */
  holes: boolean;
}

export interface BackgroundRemoval {
  image: RgbaImage;
  background: BackgroundInfo;
  /** False when nothing was removed: input already transparent, or no background found. */
  removed: boolean;
  warnings: string[];
}

/** Border ring width in pixels used to sample the background. */
const RING = 2;

function borderIndices(width: number, height: number): Int32Array {
  const ring = Math.max(1, Math.min(RING, Math.floor(Math.min(width, height) / 2)));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < ring || y < ring || x >= width - ring || y >= height - ring) out.push(y * width + x);
    }
  }
  return Int32Array.from(out);
}

/**
 * Finds the background colour: the most common 5-bit-per-channel bucket of
 * opaque border pixels, averaged exactly within that bucket.
 */
export function detectBackground(image: RgbaImage, tolerance = 10): BackgroundInfo {
  const { width, height, data } = image;
  const border = borderIndices(width, height);
  let transparent = 0;
  const counts = new Map<number, number>();
  for (const i of border) {
    if (data[i * 4 + 3] < 128) {
      transparent++;
      continue;
    }
    const key = ((data[i * 4] >> 3) << 10) | ((data[i * 4 + 1] >> 3) << 5) | (data[i * 4 + 2] >> 3);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (transparent >= border.length / 2 || counts.size === 0) {
    return { color: null, borderShare: transparent / border.length, noise: 0 };
  }
  let bestKey = 0;
  let bestCount = -1;
  for (const [k, c] of counts) {
    if (c > bestCount || (c === bestCount && k < bestKey)) {
      bestKey = k;
      bestCount = c;
    }
  }
  // Average the pixels within tolerance of the bucket centre, not only the bucket,
  // so that JPEG noise straddling bucket edges still counts.
  const centre = {
    r: ((bestKey >> 10) << 3) + 4,
    g: (((bestKey >> 5) & 31) << 3) + 4,
    b: ((bestKey & 31) << 3) + 4,
  };
  const centreLab = rgbToLab(centre.r, centre.g, centre.b);
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let n = 0;
  for (const i of border) {
    if (data[i * 4 + 3] < 128) continue;
    if (deltaE76(rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]), centreLab) <= tolerance) {
      sr += data[i * 4];
      sg += data[i * 4 + 1];
      sb += data[i * 4 + 2];
      n++;
    }
  }
  const color = n ? { r: Math.round(sr / n), g: Math.round(sg / n), b: Math.round(sb / n) } : centre;
  const colorLab = rgbToLab(color.r, color.g, color.b);
  const des: number[] = [];
  let matching = 0;
  for (const i of border) {
    if (data[i * 4 + 3] < 128) continue;
    const d = deltaE76(rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]), colorLab);
    if (d <= tolerance) {
      matching++;
      des.push(d);
    }
  }
  des.sort((a, b) => a - b);
  const noise = des.length ? des[Math.min(des.length - 1, Math.floor(des.length * 0.95))] : 0;
  return { color, borderShare: matching / border.length, noise };
}

/**
 * ΔE76 of every pixel to the background expected at that pixel (`field`, 3
 * bytes a pixel: a flat colour or a gradient surface). Both Lab conversions
 * go through 15-bit colour caches: logos and smooth backgrounds have few
 * distinct colours; a pixel that repeats the one before it over the same
 * background colour repeats its value.
 */
export function deltaEToField(data: Uint8Array, field: Uint8Array): Float32Array {
  const n = data.length >> 2;
  const out = new Float32Array(n);
  const lab: Lab = { L: 0, a: 0, b: 0 };
  // the caches hold Lab as float32, as they always have: the values are part of the result
  const keysC = new Int32Array(1 << 15).fill(-1);
  const keysB = new Int32Array(1 << 15).fill(-1);
  const valsC = new Float32Array(3 << 15);
  const valsB = new Float32Array(3 << 15);
  let prevC = -1;
  let prevB = -1;
  let prevVal = 0;
  for (let i = 0; i < n; i++) {
    const cKey = (data[i * 4] << 16) | (data[i * 4 + 1] << 8) | data[i * 4 + 2];
    const bKey = (field[i * 3] << 16) | (field[i * 3 + 1] << 8) | field[i * 3 + 2];
    // the same pixel colour over the same background colour as the pixel before: the same ΔE
    if (cKey === prevC && bKey === prevB) {
      out[i] = prevVal;
      continue;
    }
    const cs = (cKey ^ (cKey >>> 15)) & 0x7fff;
    const p = cs * 3;
    if (keysC[cs] !== cKey) {
      rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2], lab);
      keysC[cs] = cKey;
      valsC[p] = lab.L;
      valsC[p + 1] = lab.a;
      valsC[p + 2] = lab.b;
    }
    const bs = (bKey ^ (bKey >>> 15)) & 0x7fff;
    const q = bs * 3;
    if (keysB[bs] !== bKey) {
      rgbToLab(field[i * 3], field[i * 3 + 1], field[i * 3 + 2], lab);
      keysB[bs] = bKey;
      valsB[q] = lab.L;
      valsB[q + 1] = lab.a;
      valsB[q + 2] = lab.b;
    }
    const dL = valsC[p] - valsB[q];
    const da = valsC[p + 1] - valsB[q + 1];
    const db = valsC[p + 2] - valsB[q + 2];
    out[i] = Math.sqrt(dL * dL + da * da + db * db);
    prevC = cKey;
    prevB = bKey;
    prevVal = out[i];
  }
  return out;
}

/** Step 2: pixels close enough to the background to be it (transparent ones too). */
export function nearBackground(data: Uint8Array, dE: Float32Array, tolerance: number): Uint8Array {
  const n = dE.length;
  const near = new Uint8Array(n);
  for (let i = 0; i < n; i++) near[i] = dE[i] <= tolerance || data[i * 4 + 3] === 0 ? 1 : 0;
  return near;
}

/**
 * Step 3: speckles — small islands of "art" whose every pixel is still close
 * to the background (JPEG noise, paper grain). Real small details (the dot of
 * an i, an eye) have at least one pixel far from the background and stay.
 * Updates `isBg` and returns the foreground mask and the number of specks dropped.
 * (The art's parts are read run by run: the background's pixels are not visited.)
 */
export function dropSpeckles(
  isBg: Uint8Array,
  dE: Float32Array,
  width: number,
  height: number,
  noiseCeiling: number,
  tolerance: number,
  queue: Int32Array,
): { fg: Uint8Array; specks: number } {
  const n = width * height;
  const speckleArea = Math.max(6, Math.round(n * 1e-5));
  const parts = runComponents(isBg, width, height, true);
  const { count, start, end, label, areas } = parts;
  const fg = new Uint8Array(n);
  for (let r = 0; r < count; r++) fg.fill(1, start[r], end[r]);
  // per part: any pixel far from the background (strong), any pixel 2 px deep in it (thick:
  // its whole 3×3 neighbourhood is art), and its mean ΔE
  const parts1 = areas.length;
  const strong = new Uint8Array(parts1);
  const thick = new Uint8Array(parts1);
  const sumDe = new Float64Array(parts1);
  partStrength(parts, fg, dE, noiseCeiling, width, height, strong, thick, sumDe);
  // Weak-only parts no thicker than 2 px are compression ringing (the lines JPEG draws along
  // block edges around dark art), not art: a faint ink that thin would not show either. So are
  // weak-only parts barely past the tolerance on average (JPEG block patterns on a dark
  // background); a pale ink sits well past it.
  const dropped = new Uint8Array(parts1);
  let specks = 0;
  for (let l = 1; l < parts1; l++) {
    const faint = sumDe[l] < 1.5 * tolerance * areas[l];
    if (!strong[l] && (areas[l] <= speckleArea || !thick[l] || faint)) {
      dropped[l] = 1;
      specks++;
    }
  }
  if (specks) {
    for (let r = 0; r < count; r++) {
      if (!dropped[label[r]]) continue;
      fg.fill(0, start[r], end[r]);
      isBg.fill(1, start[r], end[r]);
    }
  }
  // Blotches: compression leaves patches just past the tolerance that cling to the art's edges
  // (8×8 blocks around yellow on black). Weak pixels (within the noise ceiling, beyond the
  // tolerance) more than 2 px from any strong pixel of their part are blotch candidates; a
  // small patch of them goes, a large one (a light gradient of the art itself) stays.
  const strongPx = new Uint8Array(n);
  const candidates = queue.length >= n ? queue : new Int32Array(n);
  const found = strongPixels(parts, dropped, strong, dE, noiseCeiling, tolerance, strongPx, candidates);
  if (!found) return { fg, specks };
  const weak = new Uint8Array(n);
  let anyWeak = false;
  if (found <= n >> 4) {
    // few candidates: look for strong pixels in each one's 5×5 window
    for (let k = 0; k < found; k++) {
      const i = candidates[k];
      if (!anyWithin(strongPx, i, 2, width, height)) {
        weak[i] = 1;
        anyWeak = true;
      }
    }
  } else {
    const reach = distanceTransform(strongPx, width, height, { metric: 'chessboard', max: 2 });
    for (let k = 0; k < found; k++) {
      const i = candidates[k];
      if (reach[i] > 2) {
        weak[i] = 1;
        anyWeak = true;
      }
    }
  }
  if (!anyWeak) return { fg, specks };
  const patches = labelComponents(weak, width, height);
  const blotchArea = Math.max(64, Math.round(n * 1e-3));
  // a patch goes when it is small, or a line at most 2 px thick whatever its length (JPEG draws
  // such lines along block edges near dark art)
  const thickPatch = new Uint8Array(patches.areas.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const l = patches.labels[i];
      if (l && !thickPatch[l] && isInterior(weak, i, x, y, width, height)) thickPatch[l] = 1;
    }
  }
  const goes = new Uint8Array(patches.areas.length);
  for (let l = 1; l < goes.length; l++) goes[l] = patches.areas[l] <= blotchArea || !thickPatch[l] ? 1 : 0;
  for (let i = 0; i < n; i++) {
    if (goes[patches.labels[i]]) {
      fg[i] = 0;
      isBg[i] = 1;
    }
  }
  return { fg, specks };
}

/** Per part, in raster order: strong (a pixel past the noise ceiling), thick (an interior pixel), ΔE sum. */
function partStrength(
  parts: RunComponents,
  fg: Uint8Array,
  dE: Float32Array,
  noiseCeiling: number,
  width: number,
  height: number,
  strong: Uint8Array,
  thick: Uint8Array,
  sumDe: Float64Array,
): void {
  const { count, start, end, label } = parts;
  for (let r = 0; r < count; r++) {
    const l = label[r];
    const s = start[r];
    const e = end[r];
    const y = (s / width) | 0;
    const row = y * width;
    let sum = sumDe[l];
    let isStrong = strong[l];
    for (let i = s; i < e; i++) {
      const d = dE[i];
      if (d > noiseCeiling) isStrong = 1;
      sum += d;
    }
    sumDe[l] = sum;
    strong[l] = isStrong;
    if (!thick[l]) {
      // only a pixel with art on both sides along the row can be interior
      for (let i = s + 1; i < e - 1; i++) {
        if (isInterior(fg, i, i - row, y, width, height)) {
          thick[l] = 1;
          break;
        }
      }
      if (!thick[l] && (s === row || e === row + width)) {
        // …or one at the canvas edge, beyond which nothing counts
        if (
          isInterior(fg, s, s - row, y, width, height) ||
          isInterior(fg, e - 1, e - 1 - row, y, width, height)
        )
          thick[l] = 1;
      }
    }
  }
}

/**
 * Marks the kept parts' pixels past the noise ceiling in `strongPx` and lists
 * (in raster order) the weak candidates: past the tolerance, within the
 * ceiling, in a part that has strong pixels. Returns how many.
 */
function strongPixels(
  parts: RunComponents,
  dropped: Uint8Array,
  strong: Uint8Array,
  dE: Float32Array,
  noiseCeiling: number,
  tolerance: number,
  strongPx: Uint8Array,
  candidates: Int32Array,
): number {
  const { count, start, end, label } = parts;
  let found = 0;
  for (let r = 0; r < count; r++) {
    const l = label[r];
    if (dropped[l]) continue;
    const weakToo = strong[l] === 1;
    for (let i = start[r]; i < end[r]; i++) {
      const d = dE[i];
      if (d > noiseCeiling) strongPx[i] = 1;
      else if (weakToo && d > tolerance) candidates[found++] = i;
    }
  }
  return found;
}

/** Whether `mask` is set within chessboard distance r of pixel i (on the canvas). */
function anyWithin(mask: Uint8Array, i: number, r: number, width: number, height: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  const x0 = Math.max(0, x - r);
  const x1 = Math.min(width - 1, x + r);
  for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
    const row = yy * width;
    for (let xx = x0; xx <= x1; xx++) if (mask[row + xx]) return true;
  }
  return false;
}

/** Whether pixel i (at x, y) and its every 8-neighbour on the canvas are set in `mask`. */
function isInterior(
  mask: Uint8Array,
  i: number,
  x: number,
  y: number,
  width: number,
  height: number,
): boolean {
  if (!mask[i]) return false;
  const x0 = x > 0 ? -1 : 0;
  const x1 = x < width - 1 ? 1 : 0;
  if (y > 0) for (let dx = x0; dx <= x1; dx++) if (!mask[i - width + dx]) return false;
  if (y < height - 1) for (let dx = x0; dx <= x1; dx++) if (!mask[i + width + dx]) return false;
  return !!(mask[i + x0] && mask[i + x1]);
}

/**
 * Step 4: edge alpha by un-mixing the background expected at each pixel
 * (`field`): C = a·F + (1−a)·B, F the nearest solid ink. Returns the cutout.
 * `fg` is the complement of `isBg` (as dropSpeckles leaves them).
 *
 * Only the band along the art's edges (and faint pixels) is un-mixed; the rest
 * is copied or cleared. The band and the distances that define it grow
 * breadth-first from the edge, so the cost follows the outline, not the area.
 */
export function unmixEdges(
  image: RgbaImage,
  field: Uint8Array,
  dE: Float32Array,
  isBg: Uint8Array,
  fg: Uint8Array,
  noiseFloor: number,
  queue: Int32Array,
  /** Art pixels with ΔE76 in (weakAbove, weakBelow] are un-mixed wherever they are (0 = only near the background). */
  weakAbove = 0,
  weakBelow = 0,
): RgbaImage {
  const { width, height, data } = image;
  const n = width * height;
  const unmixFaint = weakBelow > 0;
  // how far from the background a distance is needed: the band (≤ 3), the core (> 2) and, when
  // faint pixels are un-mixed, "near the real background" (≤ 6)
  const reachBg = unmixFaint ? NEAR_BG : BAND;
  // art pixels away from the edge keep their colour: start from a copy, background cleared
  const out = createImage(width, height, data.slice());
  const o32 = new Uint32Array(out.data.buffer, out.data.byteOffset, n);
  const faint = new Uint8Array(n);
  // distance to the background (art side) and to the art (background side): 0 = farther than
  // needed; the edge pixels on either side start the two breadth-first growths
  const toBg = new Uint8Array(n);
  const toFg = new Uint8Array(n);
  const qBg = queue.length >= n ? queue : new Int32Array(n);
  const qFg = new Int32Array(n);
  const faintList: number[] = [];
  const counts = new Int32Array(3);
  markEdges(
    isBg,
    dE,
    weakAbove,
    weakBelow,
    width,
    height,
    o32,
    faint,
    toBg,
    toFg,
    qBg,
    qFg,
    faintList,
    counts,
  );
  const tailBg = growBand(isBg, toBg, qBg, counts[0], reachBg, width, height);
  const tailFg = growBand(fg, toFg, qFg, counts[1], 2, width, height);
  const faintCount = faintList.length;
  // the pixels to un-mix: art within BAND of the background, faint art near solid ink and the
  // real background (a large faint area is a pale ink), background within 2 px of the art
  const band = new Int32Array(tailBg + faintCount + tailFg);
  let bandSize = 0;
  for (let k = 0; k < tailBg; k++) {
    const i = qBg[k];
    if (!isBg[i] && toBg[i] <= BAND) band[bandSize++] = i;
  }
  for (let k = 0; k < faintCount; k++) {
    const i = faintList[k];
    // (within BAND they are in the band already; beyond NEAR_BG they are blends of two inks)
    if (toBg[i] > BAND && nearSolid(faint, isBg, i, width, height)) band[bandSize++] = i;
  }
  for (let k = 0; k < tailFg; k++) {
    const i = qFg[k];
    if (!fg[i] && dE[i] > 1) band[bandSize++] = i;
  }
  // solid ink to un-mix against (the core): art farther than 2 px from the background and, when
  // faint pixels are un-mixed too, not faint itself, so that a pale JPEG tint never passes for
  // an ink. Each band pixel takes the nearest core pixel within BAND + 3 steps.
  const nearest = nearestCore(isBg, faint, toBg, qBg, tailBg, faintList, faintCount, width, height);
  unmixBand(
    band,
    bandSize,
    nearest,
    isBg,
    faint,
    toBg,
    data,
    field,
    fg,
    dE,
    noiseFloor,
    width,
    height,
    out.data,
  );
  return out;
}

const BAND = 3;
const NEAR_BG = 6;

/**
 * From the background's runs: clears the background in the output, queues the
 * background pixels beside art and the art pixels beside background
 * (4-neighbours; marked 255 in toBg / toFg) and lists the faint art pixels.
 * counts ← [background edge pixels, art edge pixels].
 */
function markEdges(
  isBg: Uint8Array,
  dE: Float32Array,
  weakAbove: number,
  weakBelow: number,
  width: number,
  height: number,
  o32: Uint32Array,
  faint: Uint8Array,
  toBg: Uint8Array,
  toFg: Uint8Array,
  qBg: Int32Array,
  qFg: Int32Array,
  faintList: number[],
  counts: Int32Array,
): void {
  counts[0] = 0;
  counts[1] = 0;
  const runs = rowRuns(isBg, width, height);
  const unmixFaint = weakBelow > 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const r = runs.row(y);
    let x = 0;
    for (let k = 0; k <= r.length; k += 2) {
      // the art between background runs: its faint pixels
      const artEnd = k < r.length ? r[k] : width;
      if (unmixFaint) {
        for (let i = row + x; i < row + artEnd; i++) {
          const d = dE[i];
          if (d > weakAbove && d <= weakBelow) {
            faint[i] = 1;
            faintList.push(i);
          }
        }
      }
      if (k === r.length) break;
      const s = r[k];
      const e = r[k + 1];
      o32.fill(0, row + s, row + e);
      if (s > 0) pair(row + s, row + s - 1, toBg, toFg, qBg, qFg, counts);
      if (e < width) pair(row + e - 1, row + e, toBg, toFg, qBg, qFg, counts);
      x = e;
    }
    if (y === 0) continue;
    // where the row above differs
    const change = xorRuns(runs.row(y - 1), r);
    for (let k = 0; k < change.length; k += 2) {
      for (let i = row + change[k]; i < row + change[k + 1]; i++) {
        if (isBg[i]) pair(i, i - width, toBg, toFg, qBg, qFg, counts);
        else pair(i - width, i, toBg, toFg, qBg, qFg, counts);
      }
    }
  }
}

/** Queues a background pixel and the art pixel beside it (each once); counts ← the queues' lengths. */
function pair(
  bg: number,
  art: number,
  toBg: Uint8Array,
  toFg: Uint8Array,
  qBg: Int32Array,
  qFg: Int32Array,
  counts: Int32Array,
): void {
  if (!toBg[bg]) {
    toBg[bg] = 255;
    qBg[counts[0]++] = bg;
  }
  if (!toFg[art]) {
    toFg[art] = 255;
    qFg[counts[1]++] = art;
  }
}

/**
 * Breadth-first growth (8-neighbour steps, at most maxDist) from the queued
 * pixels of `source` over the others: dist ← the chessboard distance to the
 * source where it is at most maxDist. Returns the queue's length.
 */
function growBand(
  source: Uint8Array,
  dist: Uint8Array,
  q: Int32Array,
  seeds: number,
  maxDist: number,
  width: number,
  height: number,
): number {
  const n = width * height;
  const last = width - 1;
  const lastRow = n - width;
  let tail = seeds;
  for (let head = 0; head < tail; head++) {
    const i = q[head];
    const s = (source[i] ? 0 : dist[i]) + 1;
    if (s > maxDist) continue;
    const x = i % width;
    if (x > 0 && x < last && i >= width && i < lastRow) {
      let j = i - width - 1;
      for (let r = 0; r < 3; r++, j += width - 3) {
        for (let c = 0; c < 3; c++, j++) {
          if (!source[j] && dist[j] === 0) {
            dist[j] = s;
            q[tail++] = j;
          }
        }
      }
      continue;
    }
    const y = (i - x) / width;
    for (let yy = y > 0 ? y - 1 : 0; yy <= y + 1 && yy < height; yy++) {
      for (let xx = x > 0 ? x - 1 : 0; xx <= x + 1 && xx < width; xx++) {
        const j = yy * width + xx;
        if (!source[j] && dist[j] === 0) {
          dist[j] = s;
          q[tail++] = j;
        }
      }
    }
  }
  return tail;
}

/** Whether solid (not faint) art lies within 2 px (chessboard) of pixel i. */
function nearSolid(faint: Uint8Array, isBg: Uint8Array, i: number, width: number, height: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  for (let yy = Math.max(0, y - 2); yy <= Math.min(height - 1, y + 2); yy++) {
    for (let xx = Math.max(0, x - 2); xx <= Math.min(width - 1, x + 2); xx++) {
      const j = yy * width + xx;
      if (!isBg[j] && !faint[j]) return true;
    }
  }
  return false;
}

/** A core pixel: art, not faint, farther than 2 px from the background (toBg 0 = beyond reach). */
function isCore(isBg: Uint8Array, faint: Uint8Array, toBg: Uint8Array, j: number): boolean {
  return !isBg[j] && !faint[j] && (toBg[j] === 0 || toBg[j] > 2);
}

/**
 * Each pixel's nearest core pixel within BAND + 3 steps (index + 1; 0 = none or
 * a core pixel itself): breadth-first from the core pixels that border
 * non-core ones, taken in raster order, neighbours row by row — the same ties
 * as mask.ts's nearestSource over the whole core. Those border pixels lie
 * 3 px from the background (the growth's third ring) or beside a faint pixel.
 */
function nearestCore(
  isBg: Uint8Array,
  faint: Uint8Array,
  toBg: Uint8Array,
  q: Int32Array,
  tailBg: number,
  faintList: number[],
  faintCount: number,
  width: number,
  height: number,
): Int32Array {
  const n = width * height;
  const cand = new Int32Array(tailBg + 8 * faintCount);
  let c = 0;
  for (let k = 0; k < tailBg; k++) {
    const i = q[k];
    if (!isBg[i] && toBg[i] === 3 && !faint[i]) cand[c++] = i;
  }
  for (let k = 0; k < faintCount; k++) {
    const i = faintList[k];
    const x = i % width;
    const y = (i - x) / width;
    for (let yy = y > 0 ? y - 1 : 0; yy <= y + 1 && yy < height; yy++) {
      for (let xx = x > 0 ? x - 1 : 0; xx <= x + 1 && xx < width; xx++) {
        const j = yy * width + xx;
        if (isCore(isBg, faint, toBg, j)) cand[c++] = j;
      }
    }
  }
  const sorted = cand.subarray(0, c).sort();
  let tail = 0;
  for (let k = 0; k < c; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) q[tail++] = sorted[k];
  const nearest = new Int32Array(n);
  const steps = new Uint8Array(n);
  const maxSteps = BAND + 3;
  for (let head = 0; head < tail; head++) {
    const i = q[head];
    const s = steps[i] + 1;
    if (s > maxSteps) continue;
    const src = nearest[i] || i + 1;
    const x = i % width;
    const y = (i - x) / width;
    if (x > 0 && x < width - 1 && y > 0 && y < height - 1) {
      // away from the canvas edge: the 3×3 block row by row, without bounds checks
      let j = i - width - 1;
      for (let r = 0; r < 3; r++, j += width - 3) {
        for (let c = 0; c < 3; c++, j++) {
          if (nearest[j] === 0 && (isBg[j] || faint[j] || (toBg[j] !== 0 && toBg[j] <= 2))) {
            nearest[j] = src;
            steps[j] = s;
            q[tail++] = j;
          }
        }
      }
      continue;
    }
    for (let yy = y > 0 ? y - 1 : 0; yy <= y + 1 && yy < height; yy++) {
      for (let xx = x > 0 ? x - 1 : 0; xx <= x + 1 && xx < width; xx++) {
        const j = yy * width + xx;
        if (nearest[j] === 0 && !isCore(isBg, faint, toBg, j)) {
          nearest[j] = src;
          steps[j] = s;
          q[tail++] = j;
        }
      }
    }
  }
  return nearest;
}

/** Un-mixes the band's pixels into `o` (RGBA), each as a blend of its nearest ink and the background. */
function unmixBand(
  band: Int32Array,
  bandSize: number,
  nearest: Int32Array,
  isBg: Uint8Array,
  faint: Uint8Array,
  toBg: Uint8Array,
  data: Uint8Array,
  field: Uint8Array,
  fg: Uint8Array,
  dE: Float32Array,
  noiseFloor: number,
  width: number,
  height: number,
  o: Uint8Array,
): void {
  const fLab: Lab = { L: 0, a: 0, b: 0 };
  const bLab: Lab = { L: 0, a: 0, b: 0 };
  // ΔE76 between an ink and the background behind it, cached by the pair: few pairs recur
  const pairF = new Int32Array(PAIR_CACHE).fill(-1);
  const pairB = new Int32Array(PAIR_CACHE);
  const pairDe = new Float64Array(PAIR_CACHE);
  for (let k = 0; k < bandSize; k++) {
    const i = band[k];
    const p = i * 4;
    const isFg = fg[i];
    o[p] = 0;
    o[p + 1] = 0;
    o[p + 2] = 0;
    o[p + 3] = 0;
    const srcA = data[p + 3];
    const Br = field[i * 3];
    const Bg = field[i * 3 + 1];
    const Bb = field[i * 3 + 2];
    const Cr = data[p];
    const Cg = data[p + 1];
    const Cb = data[p + 2];
    let Fr: number;
    let Fg: number;
    let Fb: number;
    // its nearest core pixel (a core pixel is its own: a pale ink keeps its colour)
    const c = isCore(isBg, faint, toBg, i) ? i : nearest[i] - 1;
    if (c >= 0) {
      Fr = data[c * 4];
      Fg = data[c * 4 + 1];
      Fb = data[c * 4 + 2];
    } else {
      // thin feature without solid ink nearby: take the most ink-like pixel around it
      const m = strongestNeighbour(i, width, height, fg, dE);
      if (m < 0) continue;
      Fr = data[m * 4];
      Fg = data[m * 4 + 1];
      Fb = data[m * 4 + 2];
    }
    const vr = Fr - Br;
    const vg = Fg - Bg;
    const vb = Fb - Bb;
    const len2 = vr * vr + vg * vg + vb * vb;
    let a: number;
    if (len2 < 64) {
      a = isFg ? 1 : 0; // ink too close to the background colour to un-mix
    } else {
      a = ((Cr - Br) * vr + (Cg - Bg) * vg + (Cb - Bb) * vb) / len2;
      a = Math.max(0, Math.min(1, a));
      // Far off the B–F line means a mix of two inks, not of ink and background.
      const rr = Cr - Br - a * vr;
      const rg = Cg - Bg - a * vg;
      const rb = Cb - Bb - a * vb;
      // (Only for pixels at least half-way from the background: off-line pixels close to
      // it are compression ringing, whose forced opacity would leave light specks.)
      const cb2 = (Cr - Br) ** 2 + (Cg - Bg) ** 2 + (Cb - Bb) ** 2;
      if (isFg && rr * rr + rg * rg + rb * rb > 0.09 * len2 && cb2 > 0.25 * len2) a = 1;
    }
    if (!isFg && a > 0) {
      // background side: ignore mixes no stronger than the background's own noise
      const fKey = (Fr << 16) | (Fg << 8) | Fb;
      const bKey = (Br << 16) | (Bg << 8) | Bb;
      const slot = (fKey ^ (fKey >>> 12) ^ Math.imul(bKey, 0x9e3779b1) ^ (bKey >>> 7)) & (PAIR_CACHE - 1);
      let inkDe: number;
      if (pairF[slot] === fKey && pairB[slot] === bKey) inkDe = pairDe[slot];
      else {
        inkDe = deltaE76(rgbToLab(Fr, Fg, Fb, fLab), rgbToLab(Br, Bg, Bb, bLab));
        pairF[slot] = fKey;
        pairB[slot] = bKey;
        pairDe[slot] = inkDe;
      }
      if (a * inkDe <= noiseFloor + 0.5) a = 0;
    }
    if (a >= 0.985) {
      o[p] = Cr;
      o[p + 1] = Cg;
      o[p + 2] = Cb;
      o[p + 3] = srcA;
    } else if (a > 0) {
      o[p] = Fr;
      o[p + 1] = Fg;
      o[p + 2] = Fb;
      o[p + 3] = Math.round(a * srcA);
    }
  }
}

/** Slots of unmixBand's ink-and-background ΔE cache (a power of two). */
const PAIR_CACHE = 1 << 12;

/**
 * Removes a flat background found on the border (the low-level form; the
 * engine uses the art analysis, src/analysis/, which also handles gradients,
 * textures, frames, full-bleed art and decides holes one by one). Returns a
 * new full-size image; the input is not modified.
 *
 * @example
 *   const { image } = removeBackground(logo, { tolerance: 10, holes: false });
 */
export function removeBackground(image: RgbaImage, options: RemoveBackgroundOptions): BackgroundRemoval {
  const { width, height, data } = image;
  const n = width * height;
  const bg = detectBackground(image, options.tolerance);
  const warnings: string[] = [];
  if (!bg.color) return { image, background: bg, removed: false, warnings };
  if (bg.borderShare < 0.4) {
    warnings.push(
      `Only ${Math.round(bg.borderShare * 100)} % of the border matches the background colour; removal may be incomplete.`,
    );
  }
  const B = bg.color;
  const field = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    field[i * 3] = B.r;
    field[i * 3 + 1] = B.g;
    field[i * 3 + 2] = B.b;
  }
  const dE = deltaEMap(data, B);
  const near = nearBackground(data, dE, options.tolerance);
  // one breadth-first queue for every flood and labelling below: at 16 MP each would be 64 MB
  const queue = new Int32Array(n);
  const isBg = floodBackground(near, width, height, queue);
  if (options.holes) clearEnclosed(near, isBg, width, height, queue);
  const noiseCeiling = Math.max(2 * options.tolerance, 3 * bg.noise);
  const { fg } = dropSpeckles(isBg, dE, width, height, noiseCeiling, options.tolerance, queue);
  if (!fg.some((v) => v === 1)) {
    warnings.push('Everything matched the background colour; the image was kept as it is.');
    return { image, background: bg, removed: false, warnings };
  }
  const out = unmixEdges(image, field, dE, isBg, fg, bg.noise, queue);
  return { image: out, background: bg, removed: true, warnings };
}

/** Marks every enclosed near-background area of at least a minimum size as background (holes: all). */
export function clearEnclosed(
  near: Uint8Array,
  isBg: Uint8Array,
  width: number,
  height: number,
  /** Unused (labelling needs no queue); kept for callers that pass one. */
  _queue?: Int32Array,
): void {
  const n = width * height;
  const minHole = Math.max(4, Math.round(n * 2e-5));
  const enclosed = new Uint8Array(n);
  for (let i = 0; i < n; i++) enclosed[i] = near[i] && !isBg[i] ? 1 : 0;
  const { labels, areas } = labelComponents(enclosed, width, height);
  for (let i = 0; i < n; i++) if (labels[i] && areas[labels[i]] >= minHole) isBg[i] = 1;
}

/**
 * Floods the background from the border, but not through necks of 1–2 px: a
 * white element that touches the background at one anti-aliased point (a
 * snowcap at a mountain's apex, a white star touching the badge rim in a JPEG)
 * must not leak away. The flood runs on the 3×3-eroded mask, then grows back
 * two pixels within the unrestricted mask to recover the edges it lost.
 *
 * All of it is set algebra on each row's runs of near pixels (erosion and
 * dilation by a square are separable: along the row, then across rows), so
 * the pixels are read once and written by `fill`.
 */
export function floodBackground(
  near: Uint8Array,
  width: number,
  height: number,
  _queue?: Int32Array,
): Uint8Array {
  const n = width * height;
  const rows = rowRuns(near, width, height);
  // the 3×3 erosion: each run loses a pixel at each end (not at the canvas edge, beyond which
  // counts as near), then only what the rows above and below keep too
  const shrunk = shrinkRuns(rows, width, height);
  const eroded = new RowRuns(height);
  for (let y = 0; y < height; y++) {
    let cur = shrunk.row(y);
    if (y > 0) cur = intersectRuns(cur, shrunk.row(y - 1));
    if (y < height - 1) cur = intersectRuns(cur, shrunk.row(y + 1));
    eroded.setRow(y, cur);
  }
  const core = borderConnected(eroded, width, height);
  const out = new Uint8Array(n);
  if (core.total === 0) {
    // a background strip only 1–2 px wide along the border has no eroded core: flood it plainly
    const plain = borderConnected(rows, width, height);
    fillRuns(out, plain, width, height);
    return out;
  }
  // grow the core back by two pixels (5×5 dilation: across rows, then along them) within near
  for (let y = 0; y < height; y++) {
    let grown: number[] = [];
    for (let dy = -2; dy <= 2; dy++) {
      const yy = y + dy;
      if (yy >= 0 && yy < height) grown = unionRuns(grown, core.row(yy));
    }
    const wide: number[] = [];
    for (let k = 0; k < grown.length; k += 2) {
      const s = Math.max(0, grown[k] - 2);
      const e = Math.min(width, grown[k + 1] + 2);
      if (wide.length && s <= wide[wide.length - 1])
        wide[wide.length - 1] = Math.max(wide[wide.length - 1], e);
      else wide.push(s, e);
    }
    const keep = intersectRuns(wide, rows.row(y));
    const row = y * width;
    for (let k = 0; k < keep.length; k += 2) out.fill(1, row + keep[k], row + keep[k + 1]);
  }
  return out;
}

/** Index of the foreground pixel with the largest ΔE to the background within a 5×5 window, or -1. */
function strongestNeighbour(
  i: number,
  width: number,
  height: number,
  fg: Uint8Array,
  dE: Float32Array,
): number {
  const x = i % width;
  const y = (i - x) / width;
  let best = -1;
  let bestDe = -1;
  for (let yy = Math.max(0, y - 2); yy <= Math.min(height - 1, y + 2); yy++) {
    for (let xx = Math.max(0, x - 2); xx <= Math.min(width - 1, x + 2); xx++) {
      const j = yy * width + xx;
      if (fg[j] && dE[j] > bestDe) {
        bestDe = dE[j];
        best = j;
      }
    }
  }
  return best;
}

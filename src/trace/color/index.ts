/**
 * Full-colour tracing: palette → per-pixel colour labels → cleanup → one mono
 * trace per colour layer.
 *
 * `stacked` (default): colours are layered largest first, and each layer's
 * mask is its own pixels *plus every pixel of the layers above it*. Lower
 * layers therefore run on underneath upper ones, so no backdrop can show
 * between two colours at any zoom or in any renderer — the seam-free choice.
 * `cutout`: shapes abut and meet exactly — the colour map is traced as a
 * planar map whose every boundary is fitted once and shared by the two
 * colours on either side (planar.ts); for cutters and editors that want
 * non-overlapping shapes. Renderers that anti-alias each shape separately may
 * still show a faint seam where two shapes meet; stacked never does.
 *
 * Gradients (gradient.ts): after the labels are assigned, bands of a smooth
 * gradient are found by their soft boundaries and, when one linear or radial
 * gradient fits their pixels, relabelled as one area, traced as one shape
 * filled with that gradient (or as N flat bands with `gradientSteps`).
 */
import { deltaE76, type Lab, type Rgb, rgbToLab, toHex } from '../../color/color.js';
import { extractPalette } from '../../color/palette.js';
import { LogomillError } from '../../errors.js';
import type { RgbaImage } from '../../io/image.js';
import { distanceTransform } from '../../raster/distance.js';
import type { Gradient, Shape, VectorImage } from '../../vector/path.js';
import { createBitmap } from '../bitmap.js';
import { DEFAULT_MONO_OPTIONS, type MonoTraceOptions, traceBitmap } from '../mono.js';
import { findGradientAreas, flattenArea, type GradientMode } from './gradient.js';
import { PlanarMap } from './planar.js';
import { regionRuns } from './regions.js';

export type Stacking = 'stacked' | 'cutout';

export interface ColorTraceOptions extends MonoTraceOptions {
  /** Exactly this many colours (0 = automatic). */
  colors: number;
  /** Snap to these colours instead of detecting a palette. */
  palette: Rgb[] | null;
  stacking: Stacking;
  /** keep (default): smooth gradients become one gradient-filled shape each; flatten: flat bands (gradient.ts). */
  gradients: GradientMode;
  /** With `keep`: 0 = smooth (default); N ≥ 1 = each gradient as N flat bands of equal width along it. */
  gradientSteps: number;
}

export const DEFAULT_COLOR_OPTIONS: ColorTraceOptions = {
  ...DEFAULT_MONO_OPTIONS,
  colors: 0,
  palette: null,
  stacking: 'stacked',
  gradients: 'keep',
  gradientSteps: 0,
};

/** Most flat bands a gradient can be cut into. */
export const MAX_GRADIENT_STEPS = 32;

const NONE = 255;
/** How far (px) lower stacked layers keep from the art's outer edge under upper colours. */
const OUTER_MARGIN = 2;

/** Nearest palette index per pixel (NONE where alpha < 128). */
function assign(image: RgbaImage, palette: Rgb[]): Uint8Array {
  const n = image.width * image.height;
  const labels = new Uint8Array(n).fill(NONE);
  const labs = palette.map((c) => rgbToLab(c.r, c.g, c.b));
  const cache = new Map<number, number>();
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const d = image.data;
  let lastKey = -1;
  let lastBest = 0;
  // the pixels as whole words where the bytes are aligned: one load compares a pixel with the last one
  const words = d.byteOffset % 4 === 0 ? new Uint32Array(d.buffer, d.byteOffset, n) : null;
  let lastWord = -1;
  for (let i = 0; i < n; i++) {
    if (d[i * 4 + 3] < 128) continue;
    // flat art repeats its neighbour's colour most of the time: skip the map lookup then
    if (words !== null) {
      const w = words[i];
      if (w === lastWord) {
        labels[i] = lastBest;
        continue;
      }
      lastWord = w;
    }
    const key = (d[i * 4] << 16) | (d[i * 4 + 1] << 8) | d[i * 4 + 2];
    if (key === lastKey) {
      labels[i] = lastBest;
      continue;
    }
    let best = cache.get(key);
    if (best === undefined) {
      rgbToLab(d[i * 4], d[i * 4 + 1], d[i * 4 + 2], lab);
      let bestD = Number.POSITIVE_INFINITY;
      best = 0;
      for (let k = 0; k < labs.length; k++) {
        const e = deltaE76(lab, labs[k]);
        if (e < bestD) {
          bestD = e;
          best = k;
        }
      }
      cache.set(key, best);
    }
    labels[i] = best;
    lastKey = key;
    lastBest = best;
  }
  return labels;
}

/**
 * Slivers and specks: every coloured region of at most `minArea` pixels takes
 * the colour most common along its border (anti-aliasing and JPEG noise must
 * not become shapes); so do enclosed pin-holes of transparency. Transparent
 * regions that reach the image border are the outside and stay.
 */
function absorbSmallRegions(
  labels: Uint8Array,
  width: number,
  height: number,
  minArea: number,
  paletteSize: number,
): void {
  const { count, start, end, root, area, edge } = regionRuns(labels, width, height);
  // transparent regions touching the border are the outside; enclosed specks of
  // transparency (pin-holes) are cleaned up like any speck. slot[root]: the small region's number + 1
  const slot = new Int32Array(count);
  let small = 0;
  for (let r = 0; r < count; r++) {
    if (root[r] !== r) continue;
    if (area[r] <= minArea && !(labels[start[r]] === NONE && edge[r])) slot[r] = ++small;
  }
  if (small === 0) return;
  // the small regions' runs, grouped by region
  const first = new Int32Array(small + 1);
  for (let r = 0; r < count; r++) {
    const s = slot[root[r]];
    if (s) first[s]++;
  }
  for (let s = 1; s <= small; s++) first[s] += first[s - 1];
  const runs = new Int32Array(first[small]);
  const fill = first.slice(0, small);
  for (let r = 0; r < count; r++) {
    const s = slot[root[r]];
    if (s) runs[fill[s - 1]++] = r;
  }
  // each small region takes the colour most frequent along its border (lowest index on ties);
  // all are decided before any is repainted, so that the order of regions does not matter.
  // A 4-neighbour of another region is one of another value: equal neighbours are one region.
  const votes = new Uint32Array(paletteSize);
  const target = new Int32Array(small).fill(-1);
  const lastRow = width * (height - 1);
  for (let s = 0; s < small; s++) {
    votes.fill(0);
    const v = labels[start[runs[first[s]]]];
    for (let k = first[s]; k < first[s + 1]; k++) {
      const r = runs[k];
      const e = end[r];
      let x = start[r] % width;
      for (let i = start[r]; i < e; i++, x++) {
        if (x > 0) {
          const l = labels[i - 1];
          if (l !== v && l !== NONE) votes[l]++;
        }
        if (x < width - 1) {
          const l = labels[i + 1];
          if (l !== v && l !== NONE) votes[l]++;
        }
        if (i >= width) {
          const l = labels[i - width];
          if (l !== v && l !== NONE) votes[l]++;
        }
        if (i < lastRow) {
          const l = labels[i + width];
          if (l !== v && l !== NONE) votes[l]++;
        }
      }
    }
    let bestN = 0;
    for (let c = 0; c < paletteSize; c++) {
      if (votes[c] > bestN) {
        bestN = votes[c];
        target[s] = c;
      }
    }
  }
  for (let s = 0; s < small; s++) {
    const t = target[s];
    if (t < 0) continue;
    for (let k = first[s]; k < first[s + 1]; k++) labels.fill(t, start[runs[k]], end[runs[k]]);
  }
}

/** Label of transparent pixels in a colour map. */
export const TRANSPARENT_LABEL = NONE;

/**
 * The art's colour map: the nearest palette index per pixel (TRANSPARENT_LABEL
 * where alpha < 128), then regions of at most `minArea` pixels absorbed by
 * their surroundings. Shared by the colour tracer and the separations.
 */
export function colorLabels(image: RgbaImage, palette: Rgb[], minArea: number): Uint8Array {
  const labels = assign(image, palette);
  absorbSmallRegions(labels, image.width, image.height, minArea, palette.length);
  return labels;
}

/** Speckle size the colour map absorbs: the turd size, or 4 pixels per megapixel if larger. */
export function specklePixels(width: number, height: number, turdSize: number): number {
  return Math.max(turdSize, Math.round(width * height * 4e-6));
}

/**
 * Abutting shapes of a colour map, one per label in `labels` (listed in that
 * order): the map is traced as a planar map, every boundary fitted once and
 * used by both sides (planar.ts). Empty labels give empty subpath lists.
 */
export function planarOutlines(
  colorMap: Uint8Array,
  width: number,
  height: number,
  labels: readonly number[],
  options: Partial<MonoTraceOptions> = {},
): Shape['subpaths'][] {
  const map = new PlanarMap(colorMap, width, height, { ...DEFAULT_MONO_OPTIONS, ...options });
  return labels.map((label) => {
    const inside = new Uint8Array(NONE + 1);
    inside[label] = 1;
    return map.outlines(inside);
  });
}

function checkGradientOptions(o: ColorTraceOptions): void {
  if (o.gradients !== 'keep' && o.gradients !== 'flatten')
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected gradients "keep" or "flatten" but received ${JSON.stringify(o.gradients)}`,
    );
  if (!(Number.isInteger(o.gradientSteps) && o.gradientSteps >= 0 && o.gradientSteps <= MAX_GRADIENT_STEPS))
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected gradient-steps to be a whole number between 0 and ${MAX_GRADIENT_STEPS} but received ${o.gradientSteps}`,
    );
}

/** What a colour label is painted with: a flat colour, or a gradient (with its mean colour as `fill`). */
interface Paint {
  fill: string;
  gradient?: Gradient;
}

/**
 * The paint of every label of the colour map: the palette's colours, then
 * (gradients `keep`) one label per gradient area found — relabelled in place
 * — or, with `gradientSteps`, one per flat band of each area.
 */
function paints(image: RgbaImage, labels: Uint8Array, palette: Rgb[], o: ColorTraceOptions): Paint[] {
  const out: Paint[] = palette.map((c) => ({ fill: toHex(c) }));
  if (o.gradients !== 'keep') return out;
  const steps = o.gradientSteps;
  // labels stop below TRANSPARENT_LABEL: each area takes one, and its bands one each
  const maxAreas = Math.floor((NONE - palette.length) / (1 + steps));
  const areas = findGradientAreas(image, labels, palette, palette.length, maxAreas);
  for (const a of areas) out.push({ fill: toHex(a.mean), gradient: a.gradient });
  if (steps > 0) {
    for (const a of areas) {
      const bands = flattenArea(a, labels, image.width, steps, out.length);
      for (const c of bands) out.push({ fill: toHex(c) });
    }
  }
  return out;
}

/** Traces a (background-removed) logo in colour. Shapes are listed bottom first. */
export function traceColor(image: RgbaImage, options: Partial<ColorTraceOptions> = {}): VectorImage {
  const o = { ...DEFAULT_COLOR_OPTIONS, ...options };
  checkGradientOptions(o);
  const { width, height } = image;
  const palette = o.palette?.length ? o.palette : extractPalette(image, { colors: o.colors });
  if (palette.length === 0) return { width, height, shapes: [] };
  const labels = colorLabels(image, palette, specklePixels(width, height, o.turdSize));
  const paint = paints(image, labels, palette, o);
  const shape = (label: number, subpaths: Shape['subpaths']): Shape => {
    const p = paint[label];
    return p.gradient ? { fill: p.fill, subpaths, gradient: p.gradient } : { fill: p.fill, subpaths };
  };
  const n = width * height;
  const hist = new Int32Array(NONE + 1);
  for (let i = 0; i < n; i++) hist[labels[i]]++;
  const area = paint.map((_, k) => hist[k]);
  const order = paint.map((_, k) => k).filter((k) => area[k] > 0);
  order.sort((a, b) => area[b] - area[a] || a - b); // largest at the bottom
  // rank[i]: the layer of pixel i's colour (bottom = 0); NONE for transparent pixels
  const layerOf = new Uint8Array(NONE + 1).fill(NONE);
  order.forEach((k, layer) => {
    layerOf[k] = layer;
  });
  const shapes: Shape[] = [];
  if (o.stacking === 'cutout') {
    // abutting shapes: every boundary between two colours is fitted once and used by both
    planarOutlines(labels, width, height, order, o).forEach((subpaths, layer) => {
      if (subpaths.length) shapes.push(shape(order[layer], subpaths));
    });
    return { width, height, shapes };
  }
  // stacked: each layer is its colour plus what lies above it, traced as one smooth outline —
  // but not where an upper colour forms the art's outer edge: there the lower colour would
  // tint the upper one's anti-aliased edge, so it stops two pixels short, hidden under it
  const rank = new Uint8Array(n);
  const clear = new Uint8Array(n);
  // each layer's bounding box (x0, y0, x1, y1 inclusive), then grown to cover every layer above it:
  // a layer's mask lies within its own pixels and those of the layers above
  const layers = order.length;
  const box = new Int32Array(4 * layers);
  for (let l = 0; l < layers; l++) {
    box[4 * l] = width;
    box[4 * l + 1] = height;
    box[4 * l + 2] = -1;
    box[4 * l + 3] = -1;
  }
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const r = layerOf[labels[i]];
      rank[i] = r;
      if (r === NONE) {
        clear[i] = 1;
        continue;
      }
      const b = 4 * r;
      if (x < box[b]) box[b] = x;
      if (y < box[b + 1]) box[b + 1] = y;
      if (x > box[b + 2]) box[b + 2] = x;
      if (y > box[b + 3]) box[b + 3] = y;
    }
  }
  for (let l = layers - 2; l >= 0; l--) {
    const b = 4 * l;
    const a = b + 4;
    if (box[a] < box[b]) box[b] = box[a];
    if (box[a + 1] < box[b + 1]) box[b + 1] = box[a + 1];
    if (box[a + 2] > box[b + 2]) box[b + 2] = box[a + 2];
    if (box[a + 3] > box[b + 3]) box[b + 3] = box[a + 3];
  }
  const fromClear = distanceTransform(clear, width, height, { metric: 'chessboard', max: OUTER_MARGIN });
  for (let layer = 0; layer < layers; layer++) {
    const bm = createBitmap(width, height);
    const bits = bm.bits;
    const b = 4 * layer;
    const x0 = box[b];
    const x1 = box[b + 2];
    for (let y = box[b + 1], y1 = box[b + 3]; y <= y1; y++) {
      for (let i = y * width + x0, end = y * width + x1; i <= end; i++) {
        const r = rank[i];
        bits[i] = r === layer || (r > layer && r !== NONE && fromClear[i] > OUTER_MARGIN) ? 1 : 0;
      }
    }
    const subpaths = traceBitmap(bm, o);
    if (subpaths.length) shapes.push(shape(order[layer], subpaths));
  }
  return { width, height, shapes };
}

/**
 * Long file: the offset region (closing, holes, bridges) and the snapping of the traced path onto
 * the exact offset share one fine grid (W, H, S, workPad) and its distance fields.
 *
 * The geometry of a sticker's cut path (the `cutline` variation): one smooth
 * closed path at a set distance around the art, holes filled (or kept), gaps
 * bridged so that the sticker comes off the sheet in one piece.
 *
 * Method (docs/CUTLINE.md): on a grid up to twice as fine as the art, exact
 * Euclidean distance transforms give the offset region, closed (inner corners
 * rounded, narrow gaps merged), holes filled unless wanted, parts still apart
 * bridged along a minimum spanning tree. The potrace-method tracer
 * (src/trace/mono.ts) finds its outline to within its pixel rounding; every
 * point then moves onto the exact offset (or fillet) computed from the art's
 * anti-aliased contour, and the fewest tangent-continuous Béziers are fitted
 * through them (vector/fit-curve.ts): within ±0.3 px of the offset on test shapes.
 */
import { LogomillError } from '../errors.js';
import type { RgbaImage } from '../io/image.js';
import { distanceTransform } from '../raster/distance.js';
import { floodFromBorder, labelComponents } from '../raster/mask.js';
import { traceBitmap } from '../trace/mono.js';
import { fitClosedCurve, resampleClosed } from '../vector/fit-curve.js';
import { firstCrossing, insidePolygon, removeLoops, signedArea } from '../vector/geometry.js';
import type { Point, Segment, Subpath } from '../vector/path.js';
import { flatten } from '../vector/transform.js';

export interface CutlineOptions {
  /** Distance from the art to the cut, in the art's pixels. */
  offsetPx: number;
  /** Also cut the holes (inside an "O"); default false: one outer path. */
  holes?: boolean;
  /**
   * Radius of the closing, in pixels (default: the offset, at least 2): inner
   * corners get at least this radius, and outlines less than twice it apart merge.
   */
  closePx?: number;
  /** Radius of the closing for holes (default `closePx`): holes narrower than twice it are not cut. */
  holeClosePx?: number;
  /** Half-width of the bridges between parts that are still apart (default: the offset, at least 2 px). */
  bridgePx?: number;
  /** Join parts that are still apart with bridges into one piece (default true); false: a cut per part. */
  bridges?: boolean;
  /** With `holes`: holes of less area than a disc this wide (px) are not cut (default 0). */
  minHolePx?: number;
  /** Space between the cut and the canvas edge, in pixels (default 2). */
  marginPx?: number;
  /** Alpha from which a pixel is art (default 128: half covered). */
  alphaThreshold?: number;
  /** Grid refinement for the region and the trace (default 2, or 1 for large work areas). */
  supersample?: number;
}

export interface Cutline {
  /** The canvas: the art plus `pad` pixels on every side. */
  width: number;
  height: number;
  /** Where the art's top-left corner lies on the canvas (both axes). */
  pad: number;
  /** The cut: one closed subpath per piece (one with bridges), and with `holes` their holes; canvas pixels. */
  subpaths: Subpath[];
}

/**
 * Work areas up to this many art pixels are computed on the 2× grid (≈ 60 bytes
 * per art pixel at the peak); larger ones on the 1× grid, where the tracer
 * rounds to ±1.4 px but the plain offset is still corrected to the exact distance.
 */
const FINE_GRID_MAX_PIXELS = 600_000;

/** Traces the cut path around the art of `art` (its alpha channel). */
export function cutlinePath(art: RgbaImage, options: CutlineOptions): Cutline {
  const r = options.offsetPx;
  if (!(Number.isFinite(r) && r >= 0)) {
    throw new LogomillError('E_BAD_OPTION', `Expected an offset of at least 0 px but received ${r}`);
  }
  const close = options.closePx ?? Math.max(2, r);
  const holeClose = Math.min(close, options.holeClosePx ?? close);
  const bridge = options.bridgePx ?? Math.max(2, r);
  const margin = options.marginPx ?? 2;
  const threshold = options.alphaThreshold ?? 128;
  // the canvas shows the cut plus a margin; the work area also holds the closing's dilation
  const pad = Math.ceil(r + margin);
  const workPad = Math.ceil(r + close) + 2;
  const S =
    options.supersample ??
    ((art.width + 2 * workPad) * (art.height + 2 * workPad) <= FINE_GRID_MAX_PIXELS ? 2 : 1);
  const W = (art.width + 2 * workPad) * S;
  const H = (art.height + 2 * workPad) * S;

  const ink = inkAt(art, S, workPad, threshold);
  if (!ink) throw new LogomillError('E_EMPTY_IMAGE', 'The logo has no visible art to cut around.');

  // The offset region, closed (see closing()); with holes, the holes come from a
  // second closing with a smaller radius, so that they are not filled in.
  const toArt = distanceTransform(ink, W, H, { metric: 'euclidean', to: 'squares' });
  const outer = closing(toArt, W, H, r * S, close * S);
  const region = outer.region;
  fillHoles(region, W, H);
  const inner = options.holes ? closing(toArt, W, H, r * S, holeClose * S) : null;
  if (inner) cutHoles(region, inner.region, W, H, null);
  const c2 = (close * S + 0.5) ** 2;
  const { labels, areas } = labelComponents(region, W, H);
  let near: Uint8Array | null = null;
  if (areas.length > 2 && options.bridges !== false) {
    // Parts still apart get bridges; the same closing rounds their joints, but
    // only near the bridges, so that everywhere else the region stays as exact as it was.
    near = bridgeParts(region, labels, areas.length - 1, W, H, bridge * S, (bridge + 2 * close) * S);
    joinBridges(region, near, W, H, close * S, c2);
    fillHoles(region, W, H);
    if (inner) cutHoles(region, inner.region, W, H, near);
  }
  splitDiagonals(region, W, H);

  const subpaths = traceBitmap(
    { width: W, height: H, bits: region },
    {
      // holes smaller than about the offset are no use to cut
      turdSize: Math.round((S * Math.max(2, r / 2)) ** 2),
      alphaMax: 1.3334,
      optTolerance: 0.4,
      turnPolicy: 'minority',
    },
  );

  // The traced outline is right to the tracer's rounding (±0.4 px on the 2×
  // grid, ±1.4 on the 1× grid); each point then moves onto the exact closing,
  // computed from the art's outline (exact distances, art pixels from here).
  // With f the point's nearest outline point, z = f pushed out to r + c is the
  // nearest point of the dilation's boundary — unless other art is nearer to z
  // than r + c, i.e. the offsets of two parts meet there. Plain stretches go to
  // f pushed out to r; where parts meet, the fillet is the arc of radius c
  // around the cusp where the (r + c)-offsets cross (seeded by the nearest
  // pixel of O, refined onto the exact offset). Points on or near a bridge, or
  // that would move farther than the rounding, stay as traced.
  const outline = new SegmentIndex(alphaContour(art, threshold), Math.max(8, Math.ceil((r + close + 2) / 2)));
  const snap = 1 + 2 / S; // well above the rounding measured (±0.4 px on the 2× grid, ±1.4 on the 1× grid)
  const toFine = (v: number) => Math.min(W - 1, Math.max(0, Math.floor((v + workPad) * S)));
  const along = (from: Point, to: Point, distance: number): Point => {
    const d = Math.hypot(to.x - from.x, to.y - from.y);
    return d < 1e-9
      ? to
      : { x: from.x + ((to.x - from.x) * distance) / d, y: from.y + ((to.y - from.y) * distance) / d };
  };
  const fillet = (p: Point, c: number, nearestOutside: Int32Array): Point | null => {
    const k = nearestOutside[toFine(p.y) * W + toFine(p.x)];
    if (k < 0) return null;
    const q0 = { x: ((k % W) + 0.5) / S - workPad, y: (Math.floor(k / W) + 0.5) / S - workPad };
    const foot = outline.nearest(q0, r + c + 2);
    if (!foot) return null;
    const f = along(along(foot.foot, q0, r + c), p, c);
    const d = outline.nearest(f, r);
    return d && d.distance < r - 1e-6 ? null : f; // a fillet never dips into the plain offset
  };
  const exact = (p: Point, c: number, nearestOutside: Int32Array): Point => {
    if (near?.[toFine(p.y) * W + toFine(p.x)]) return p; // bridges and their joints: as traced
    const foot = outline.nearest(p, r + c + 2);
    if (!foot) return p;
    let q = along(foot.foot, p, r);
    const z = outline.nearest(along(foot.foot, p, r + c), r + c);
    // (the outline's tiny waves tilt its normals by a few hundredths of a radian,
    // which at distance r + c looks like a shortfall of 0.006 (r + c): not a cusp)
    if (z && z.distance < (r + c) * 0.994 - 0.05) q = fillet(p, c, nearestOutside) ?? q;
    return Math.hypot(q.x - p.x, q.y - p.y) <= snap ? q : p;
  };
  const minHoleArea = Math.PI * ((options.minHolePx ?? 0) / 2) ** 2;
  const traced = subpaths.map((sp) =>
    flatten(sp, 0.02 * S).map((p) => ({ x: p.x / S - workPad, y: p.y / S - workPad })),
  );
  const fitted: Subpath[] = [];
  for (const [k, outline] of traced.entries()) {
    // a hole lies inside an odd number of the other outlines (the tracer orients both alike)
    const hole =
      inner !== null && traced.filter((o, j) => j !== k && insidePolygon(o, outline[0])).length % 2 === 1;
    // a hole too small to weed is left uncut
    if (hole && Math.abs(signedArea(outline)) / 2 < minHoleArea) continue;
    // holes come from the inner closing
    const { c, nearest } =
      hole && inner
        ? { c: holeClose, nearest: inner.nearestOutside }
        : { c: close, nearest: outer.nearestOutside };
    // corrected points can zigzag where a fillet meets the plain offset: cut such loops out
    const points = removeLoops(
      resampleClosed(outline, 0.5).map((p) => exact(p, c, nearest)),
      LOOP_WINDOW,
    );
    fitted.push(simpleFit(points));
  }
  const map = (p: Point): Point => ({ x: p.x + pad, y: p.y + pad });
  return {
    width: art.width + 2 * pad,
    height: art.height + 2 * pad,
    pad,
    subpaths: fitted.map((sp) => ({
      start: map(sp.start),
      segments: sp.segments.map(
        (s): Segment =>
          s.kind === 'line'
            ? { kind: 'line', to: map(s.to) }
            : { kind: 'cubic', c1: map(s.c1), c2: map(s.c2), to: map(s.to) },
      ),
    })),
  };
}

/** Loops are looked for between points (0.5 px apart) at most this far apart along the path. */
const LOOP_WINDOW = 400;

/**
 * The fitted cut through `points`, never crossing itself: a Bézier that overshoots into a loop at
 * a sharp fillet is fitted again four times tighter, and failing that the cut follows the points
 * themselves (straight segments, loops already cut out).
 */
function simpleFit(points: Point[]): Subpath {
  for (const tolerance of [FIT_TOLERANCE, FIT_TOLERANCE / 4]) {
    const fitted = fitClosedCurve(points, tolerance);
    if (!firstCrossing(flatten(fitted, 0.05), 4 * LOOP_WINDOW)) return fitted;
  }
  return {
    start: points[0],
    segments: [...points.slice(1), points[0]].map((to): Segment => ({ kind: 'line', to })),
  };
}

/**
 * How far (art pixels) the fitted path may stray from the corrected points:
 * with their own ±0.1 px of interpolation ripple, the cut stays within
 * ±0.3 px of the exact offset on the test shapes, in 3 Béziers for a disc.
 */
const FIT_TOLERANCE = 0.25;

/**
 * The art's outline where the alpha crosses the threshold, as loose segments
 * (x0, y0, x1, y1, … in art pixels): marching squares between pixel centres
 * with linear interpolation, so an anti-aliased edge is placed to a small
 * fraction of a pixel. Saddles follow the cell's mean.
 */
export function alphaContour(art: RgbaImage, threshold = 128): Float64Array {
  const { width, height } = art;
  const level = threshold - 0.5;
  // the alpha with a border of zeros: value (x, y) at a[(y + 1) · stride + x + 1]
  const a = paddedAlpha(art);
  const stride = width + 2;
  const value = (x: number, y: number) => a[(y + 1) * stride + x + 1];
  const out: number[] = [];
  const v = [0, 0, 0, 0];
  const inside = [false, false, false, false];
  const xs = [0, 0, 0, 0];
  const ys = [0, 0, 0, 0];
  // corners a (i, j), b (i+1, j), c (i+1, j+1), d (i, j+1) as offsets; pixel centres at +0.5
  const cx = [0, 1, 1, 0];
  const cy = [0, 0, 1, 1];
  for (let j = -1; j < height; j++) {
    for (let i = -1, top = (j + 1) * stride; i < width; i++, top++) {
      // cells wholly inside or wholly outside have no crossing
      const a0 = a[top] > level;
      if (a[top + 1] > level === a0 && a[top + stride] > level === a0 && a[top + stride + 1] > level === a0)
        continue;
      v[0] = value(i, j);
      v[1] = value(i + 1, j);
      v[2] = value(i + 1, j + 1);
      v[3] = value(i, j + 1);
      let count = 0;
      for (let k = 0; k < 4; k++) {
        inside[k] = v[k] > level;
        if (inside[k]) count++;
      }
      if (count === 0 || count === 4) continue;
      // crossings on edges top (a–b), right (b–c), bottom (c–d), left (d–a); NaN where none
      let crossings = 0;
      for (let e = 0; e < 4; e++) {
        const f = (e + 1) & 3;
        if (inside[e] === inside[f]) {
          xs[e] = Number.NaN;
          continue;
        }
        const t = (v[e] - level) / (v[e] - v[f]);
        xs[e] = i + cx[e] + 0.5 + t * (cx[f] - cx[e]);
        ys[e] = j + cy[e] + 0.5 + t * (cy[f] - cy[e]);
        crossings++;
      }
      if (crossings === 2) {
        let first = -1;
        for (let e = 0; e < 4; e++) {
          if (Number.isNaN(xs[e])) continue;
          if (first < 0) first = e;
          else out.push(xs[first], ys[first], xs[e], ys[e]);
        }
        continue;
      }
      // saddle: cut off the two corners that disagree with the cell's mean
      const middle = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
      for (let k = 0; k < 4; k++) {
        if (inside[k] === middle) continue;
        const before = (k + 3) & 3; // the edge ending at corner k
        out.push(xs[before], ys[before], xs[k], ys[k]);
      }
    }
  }
  return Float64Array.from(out);
}

/**
 * Segments bucketed on a square grid, for nearest-point queries within a
 * radius: per cell (row-major over the cells the segments touch) the
 * segments' offsets in ascending order, as flat arrays.
 */
class SegmentIndex {
  /** Cell coordinates of the grid's first cell, and its size in cells. */
  private readonly x0: number;
  private readonly y0: number;
  private readonly cols: number;
  private readonly rows: number;
  /** Cell k's segments are list[start[k]] … list[start[k + 1] − 1]. */
  private readonly start: Int32Array;
  private readonly list: Int32Array;
  /** Per cell, the box of its segments: min x, max x, min y, max y. */
  private readonly bounds: Float64Array;
  constructor(
    private readonly segments: Float64Array,
    private readonly size: number,
  ) {
    const count = segments.length >> 2;
    const box = new Int32Array(4 * count);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let s = 0; s < segments.length; s += 4) {
      const x0 = Math.floor(Math.min(segments[s], segments[s + 2]) / size);
      const x1 = Math.floor(Math.max(segments[s], segments[s + 2]) / size);
      const y0 = Math.floor(Math.min(segments[s + 1], segments[s + 3]) / size);
      const y1 = Math.floor(Math.max(segments[s + 1], segments[s + 3]) / size);
      box[s] = x0;
      box[s + 1] = x1;
      box[s + 2] = y0;
      box[s + 3] = y1;
      if (x0 < minX) minX = x0;
      if (x1 > maxX) maxX = x1;
      if (y0 < minY) minY = y0;
      if (y1 > maxY) maxY = y1;
    }
    this.x0 = count ? minX : 0;
    this.y0 = count ? minY : 0;
    this.cols = count ? maxX - minX + 1 : 0;
    this.rows = count ? maxY - minY + 1 : 0;
    const cells = this.cols * this.rows;
    const start = new Int32Array(cells + 1);
    for (let s = 0; s < segments.length; s += 4) {
      for (let y = box[s + 2]; y <= box[s + 3]; y++) {
        for (let x = box[s]; x <= box[s + 1]; x++) start[(y - this.y0) * this.cols + (x - this.x0) + 1]++;
      }
    }
    for (let k = 0; k < cells; k++) start[k + 1] += start[k];
    const fill = start.slice(0, cells);
    const list = new Int32Array(start[cells]);
    const bounds = new Float64Array(4 * cells);
    for (let k = 0; k < cells; k++) {
      bounds[4 * k] = bounds[4 * k + 2] = Infinity;
      bounds[4 * k + 1] = bounds[4 * k + 3] = -Infinity;
    }
    for (let s = 0; s < segments.length; s += 4) {
      const sx0 = Math.min(segments[s], segments[s + 2]);
      const sx1 = Math.max(segments[s], segments[s + 2]);
      const sy0 = Math.min(segments[s + 1], segments[s + 3]);
      const sy1 = Math.max(segments[s + 1], segments[s + 3]);
      for (let y = box[s + 2]; y <= box[s + 3]; y++) {
        for (let x = box[s]; x <= box[s + 1]; x++) {
          const k = (y - this.y0) * this.cols + (x - this.x0);
          list[fill[k]++] = s;
          if (sx0 < bounds[4 * k]) bounds[4 * k] = sx0;
          if (sx1 > bounds[4 * k + 1]) bounds[4 * k + 1] = sx1;
          if (sy0 < bounds[4 * k + 2]) bounds[4 * k + 2] = sy0;
          if (sy1 > bounds[4 * k + 3]) bounds[4 * k + 3] = sy1;
        }
      }
    }
    this.bounds = bounds;
    this.start = start;
    this.list = list;
  }

  /** The nearest point of any segment within `radius` of p, or null. */
  nearest(p: Point, radius: number): { distance: number; foot: Point } | null {
    const { segments, size, start, list, cols, rows, bounds } = this;
    const reach = Math.ceil(radius / size);
    const cx = Math.floor(p.x / size) - this.x0;
    const cy = Math.floor(p.y / size) - this.y0;
    const px = p.x;
    const py = p.y;
    let best = radius * radius;
    let found = false;
    let footX = 0;
    let footY = 0;
    const yFrom = Math.max(0, cy - reach);
    const yTo = Math.min(rows - 1, cy + reach);
    const xFrom = Math.max(0, cx - reach);
    const xTo = Math.min(cols - 1, cx + reach);
    for (let y = yFrom; y <= yTo; y++) {
      for (let x = xFrom; x <= xTo; x++) {
        const cell = y * cols + x;
        // a cell whose segments all lie (by their boxes) farther than the best so far
        // cannot improve it: skipped, with a margin far above the rounding
        const gx = Math.max(0, bounds[4 * cell] - px, px - bounds[4 * cell + 1]);
        const gy = Math.max(0, bounds[4 * cell + 2] - py, py - bounds[4 * cell + 3]);
        if (gx * gx + gy * gy > best * (1 + 1e-9) + 1e-9) continue;
        for (let e = start[cell], end = start[cell + 1]; e < end; e++) {
          const s = list[e];
          const ax = segments[s];
          const ay = segments[s + 1];
          const dx = segments[s + 2] - ax;
          const dy = segments[s + 3] - ay;
          const l2 = dx * dx + dy * dy;
          const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2));
          const fx = ax + t * dx;
          const fy = ay + t * dy;
          const d2 = (px - fx) ** 2 + (py - fy) ** 2;
          if (d2 <= best) {
            best = d2;
            found = true;
            footX = fx;
            footY = fy;
          }
        }
      }
    }
    return found ? { distance: Math.sqrt(best), foot: { x: footX, y: footY } } : null;
  }
}

/**
 * The art on the fine grid (with `pad` art pixels of border), null when there is none.
 * A fine pixel is art where the alpha, interpolated bilinearly between pixel
 * centres, reaches the threshold: the anti-aliasing places the edge to a
 * fraction of a pixel, so a slanted edge is straight here and not a staircase
 * of whole pixels (whose offset would follow the steps). Art pixels that
 * interpolation loses (hairlines, lone pixels) keep their whole square.
 */
function inkAt(art: RgbaImage, S: number, pad: number, threshold: number): Uint8Array | null {
  const { width, height } = art;
  const W = (width + 2 * pad) * S;
  const ink = new Uint8Array(W * (height + 2 * pad) * S);
  // the alpha with a border of zeros, and per pixel whether it or a neighbour in its row is non-zero
  const stride = width + 2;
  const a2 = paddedAlpha(art);
  const rowAny = new Uint8Array(a2.length);
  for (let k = 1; k + 1 < a2.length; k++) rowAny[k] = a2[k - 1] | a2[k] | a2[k + 1];
  const alpha = (x: number, y: number) => a2[(y + 1) * stride + x + 1];
  let any = false;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = (y + 1) * stride + x + 1;
      const a = a2[k];
      // bilinear values here mix in neighbours; only pixels next to art can reach the threshold
      if (a === 0 && threshold > 0 && (rowAny[k - stride] | rowAny[k] | rowAny[k + stride]) === 0) continue;
      let set = 0;
      const top = (y + pad) * S * W + (x + pad) * S;
      for (let j = 0; j < S; j++) {
        // fine pixel centre relative to this pixel's centre, in pixels
        const v = (j + 0.5) / S - 0.5;
        const y1 = v < 0 ? y - 1 : y + 1;
        const fy = Math.abs(v);
        for (let i = 0; i < S; i++) {
          const u = (i + 0.5) / S - 0.5;
          const x1 = u < 0 ? x - 1 : x + 1;
          const fx = Math.abs(u);
          const value =
            (1 - fy) * ((1 - fx) * a + fx * alpha(x1, y)) +
            fy * ((1 - fx) * alpha(x, y1) + fx * alpha(x1, y1));
          if (value >= threshold) {
            ink[top + j * W + i] = 1;
            set++;
          }
        }
      }
      if (a >= threshold && set === 0) {
        for (let j = 0; j < S; j++) ink.fill(1, top + j * W, top + j * W + S);
        set = 1;
      }
      if (set) any = true;
    }
  }
  return any ? ink : null;
}

/** The alpha channel with a border of zeros one pixel wide: (width + 2) × (height + 2), row by row. */
function paddedAlpha(art: RgbaImage): Uint8Array {
  const { width, height, data } = art;
  const stride = width + 2;
  const a = new Uint8Array(stride * (height + 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0, p = y * width * 4 + 3, k = (y + 1) * stride + 1; x < width; x++, p += 4, k++)
      a[k] = data[p];
  }
  return a;
}

/**
 * The offset region {distance to the art ≤ r}, closed with radius c (fine
 * pixels): dilated to r + c, then eroded by c, i.e. every pixel farther than c
 * from the outside O of the dilation, plus the plain offset itself. Also the
 * nearest pixel of O for every pixel, which seeds the exact fillets later.
 * `toArt` holds squared distances to the art.
 */
function closing(
  toArt: Float32Array,
  W: number,
  H: number,
  r: number,
  c: number,
): { region: Uint8Array; nearestOutside: Int32Array } {
  const n = W * H;
  const r2 = r * r;
  const rc2 = (r + c) ** 2;
  const region = new Uint8Array(n);
  const outside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    region[i] = toArt[i] <= r2 ? 1 : 0;
    outside[i] = toArt[i] <= rc2 ? 0 : 1;
  }
  const nearestOutside = new Int32Array(n);
  const toOutside = distanceTransform(outside, W, H, { metric: 'euclidean', nearest: nearestOutside });
  // centre to centre: half a fine pixel more than the edge-to-centre distance meant
  const c2 = (c + 0.5) ** 2;
  for (let i = 0; i < n; i++) if (toOutside[i] > c2) region[i] = 1;
  return { region, nearestOutside };
}

/** Clears from `region` the holes of `from` (its outside not 4-connected to the border), except where `keep`. */
function cutHoles(region: Uint8Array, from: Uint8Array, W: number, H: number, keep: Uint8Array | null): void {
  const outside = new Uint8Array(region.length);
  for (let i = 0; i < region.length; i++) outside[i] = from[i] ^ 1;
  const reached = floodFromBorder(outside, W, H);
  for (let i = 0; i < region.length; i++) if (outside[i] && !reached[i] && !keep?.[i]) region[i] = 0;
}

/** Sets every pixel not 4-connected to the border through the outside: a region without holes. */
function fillHoles(region: Uint8Array, W: number, H: number): void {
  const outside = new Uint8Array(region.length);
  for (let i = 0; i < region.length; i++) outside[i] = region[i] ^ 1;
  const reached = floodFromBorder(outside, W, H);
  for (let i = 0; i < region.length; i++) region[i] = reached[i] ^ 1;
}

/**
 * Joins `count` separate parts with straight bridges of half-width `half`:
 * each pixel's nearest part (one nearest-pixel transform) splits the plane
 * into zones; where two zones meet lies the shortest link between those two
 * parts, and a minimum spanning tree over the links (Kruskal) says which to
 * build. Returns the pixels within `around` of the bridges built.
 */
function bridgeParts(
  region: Uint8Array,
  labels: Int32Array,
  count: number,
  W: number,
  H: number,
  half: number,
  around: number,
): Uint8Array {
  const nearest = new Int32Array(W * H);
  const d2 = distanceTransform(region, W, H, { metric: 'euclidean', nearest });
  const best = new Map<number, { length: number; a: number; b: number }>();
  const consider = (i: number, j: number) => {
    const ni = nearest[i];
    const nj = nearest[j];
    const la = labels[ni];
    const lb = labels[nj];
    if (la === lb) return;
    const length = Math.sqrt(d2[i]) + Math.sqrt(d2[j]) + 1;
    const key = la < lb ? la * (count + 1) + lb : lb * (count + 1) + la;
    const seen = best.get(key);
    if (!seen || length < seen.length) best.set(key, { length, a: ni, b: nj });
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (x + 1 < W) consider(i, i + 1);
      if (y + 1 < H) consider(i, i + W);
    }
  }
  // Kruskal with union-find over the parts; `near` marks the surroundings of each bridge built
  const near = new Uint8Array(W * H);
  const parent = Int32Array.from({ length: count + 1 }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  const links = [...best.values()].sort((p, q) => p.length - q.length || p.a - q.a || p.b - q.b);
  for (const link of links) {
    const ra = find(labels[link.a]);
    const rb = find(labels[link.b]);
    if (ra === rb) continue;
    parent[ra] = rb;
    paintCapsule(region, W, H, link.a, link.b, half);
    paintCapsule(near, W, H, link.a, link.b, around);
  }
  return near;
}

/**
 * Rounds the bridges' joints: sets the pixels of `near` farther than √c2 from
 * the outside of the region dilated by `c` (the closing, only there). Both
 * distance transforms run over windows around the box of `near`, wide enough
 * for every distance compared to be the exact one: the region within c + ½ of
 * the far side, and the far side within √c2 of `near`. Values farther out
 * only fail the comparisons, as they would over the whole grid.
 */
function joinBridges(
  region: Uint8Array,
  near: Uint8Array,
  W: number,
  H: number,
  c: number,
  c2: number,
): void {
  let x0 = W;
  let x1 = -1;
  let y0 = H;
  let y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0, i = y * W; x < W; x++, i++) {
      if (!near[i]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return;
  // the far side is needed within √c2 of near's box, the region within c + ½ of that
  const m1 = Math.ceil(Math.sqrt(c2)) + 1;
  const m2 = Math.ceil(c + 0.5) + 1;
  const fx0 = Math.max(0, x0 - m1);
  const fx1 = Math.min(W - 1, x1 + m1);
  const fy0 = Math.max(0, y0 - m1);
  const fy1 = Math.min(H - 1, y1 + m1);
  const rx0 = Math.max(0, fx0 - m2);
  const rx1 = Math.min(W - 1, fx1 + m2);
  const ry0 = Math.max(0, fy0 - m2);
  const ry1 = Math.min(H - 1, fy1 + m2);
  const rw = rx1 - rx0 + 1;
  const rh = ry1 - ry0 + 1;
  const sub = new Uint8Array(rw * rh);
  for (let y = ry0; y <= ry1; y++) sub.set(region.subarray(y * W + rx0, y * W + rx1 + 1), (y - ry0) * rw);
  const toRegion = distanceTransform(sub, rw, rh, { metric: 'euclidean', to: 'squares' });
  const fw = fx1 - fx0 + 1;
  const fh = fy1 - fy0 + 1;
  const far = new Uint8Array(fw * fh);
  const cc = c ** 2;
  for (let y = fy0; y <= fy1; y++) {
    for (let x = fx0, k = (y - fy0) * fw, t = (y - ry0) * rw + (fx0 - rx0); x <= fx1; x++, k++, t++)
      far[k] = toRegion[t] <= cc ? 0 : 1;
  }
  const d = distanceTransform(far, fw, fh, { metric: 'euclidean' });
  for (let y = y0; y <= y1; y++) {
    for (let x = x0, i = y * W + x0, k = (y - fy0) * fw + (x0 - fx0); x <= x1; x++, i++, k++)
      if (near[i] && d[k] > c2) region[i] = 1;
  }
}

/** Sets every pixel whose centre is within `half` of the segment between pixel centres a and b. */
function paintCapsule(region: Uint8Array, W: number, H: number, a: number, b: number, half: number): void {
  const ax = a % W;
  const ay = (a - ax) / W;
  const bx = b % W;
  const by = (b - bx) / W;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - half));
  const x1 = Math.min(W - 1, Math.ceil(Math.max(ax, bx) + half));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - half));
  const y1 = Math.min(H - 1, Math.ceil(Math.max(ay, by) + half));
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const h2 = half * half;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
      const ex = x - ax - t * dx;
      const ey = y - ay - t * dy;
      if (ex * ex + ey * ey <= h2) region[y * W + x] = 1;
    }
  }
}

/**
 * Fills 2×2 blocks whose set pixels touch only diagonally: there the tracer
 * could split the outline in two (or leave a pinhole), and a cut path must be one loop.
 */
function splitDiagonals(region: Uint8Array, W: number, H: number): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (let y = 0; y + 1 < H; y++) {
      for (let x = 0; x + 1 < W; x++) {
        const i = y * W + x;
        const a = region[i];
        const b = region[i + 1];
        const c = region[i + W];
        const d = region[i + W + 1];
        if (a === d && b === c && a !== b) {
          region[i] = region[i + 1] = region[i + W] = region[i + W + 1] = 1;
          changed = true;
        }
      }
    }
  }
}

/**
 * Centerline (single-line) tracing for pen plotters, lasers and engravers: the
 * ink's skeleton (skeleton.ts) as strokes, each with its width estimated from
 * the distance transform, fitted with smooth open Béziers (vector/fit-curve.ts)
 * that keep sharp corners as corners. The result is the shared path model with
 * stroked, open subpaths, so the SVG, PDF, EPS and DXF writers take it as it is;
 * plotter.ts writes G-code and HPGL from it. docs/TRACING.md, "Centerline".
 */
import { distanceTransform } from '../../raster/distance.js';
import { fitClosedCurve, fitOpenCurve } from '../../vector/fit-curve.js';
import type { Point, Shape, Subpath, VectorImage } from '../../vector/path.js';
import { PT_PER_PX } from '../../vector/transform.js';
import { reverseSegments } from '../chain.js';
import { type Chain, pruneGraph, skeletonGraph, thin } from './skeleton.js';

export interface CenterlineOptions {
  /** Stroke colour (default black). */
  color?: string;
  /** Every stroke this wide, px (0 = each stroke its estimated width). */
  penWidthPx?: number;
  /** Spurs shorter than this many stroke widths are pruned (default 1.5). */
  spur?: number;
  /** How far the fitted curve may stray from the smoothed skeleton, px (default 0.6). */
  tolerance?: number;
}

export interface Stroke {
  subpath: Subpath;
  /** Estimated stroke width, px (2 × the median distance to the ink's edge along it). */
  widthPx: number;
}

/** Turn (radians) between the skeleton's directions before and after a point above which it is a corner. */
const CORNER = (65 * Math.PI) / 180;

/** The strokes of `mask` (width × height, 1 = ink): the skeleton fitted, with widths. */
export function centerlineStrokes(
  mask: Uint8Array,
  width: number,
  height: number,
  o: CenterlineOptions = {},
): Stroke[] {
  const n = width * height;
  // distance from each ink pixel to the nearest clear pixel (centres), for widths
  const clear = new Uint8Array(n);
  for (let i = 0; i < n; i++) clear[i] = mask[i] ? 0 : 1;
  const d2 = distanceTransform(clear, width, height, { metric: 'euclidean' });
  const skeleton = mask.slice();
  thin(skeleton, width, height);
  let median = 0;
  {
    const ds: number[] = [];
    for (let i = 0; i < n; i++) if (skeleton[i]) ds.push(Math.sqrt(d2[i]));
    ds.sort((a, b) => a - b);
    median = ds.length ? ds[ds.length >> 1] : 0;
  }
  const stroke = Math.max(2, 2 * median);
  const graph = pruneGraph(skeletonGraph(skeleton, width, height), (o.spur ?? 1.5) * stroke, stroke);
  const tolerance = o.tolerance ?? 0.6;
  const strokes: Stroke[] = [];
  for (const chain of graph.chains) {
    if (chain.points.length < 2) continue;
    strokes.push({ subpath: fitChain(chain, tolerance), widthPx: chainWidth(chain, d2, width) });
  }
  return orderForTravel(strokes);
}

/** The median width along a chain: 2 × distance to the edge − ½ (pixel centres; within ½ px). */
function chainWidth(chain: Chain, d2: Float32Array, width: number): number {
  const ds = chain.points
    .map((p) => Math.sqrt(d2[Math.floor(p.y) * width + Math.floor(p.x)]))
    .filter((d) => Number.isFinite(d))
    .sort((a, b) => a - b);
  return ds.length ? Math.max(1, 2 * ds[ds.length >> 1] - 0.5) : 1;
}

/** A chain fitted as curves, split at its corners so they stay sharp. */
function fitChain(chain: Chain, tolerance: number): Subpath {
  const pts = chain.points;
  if (chain.closed && pts.length >= 8) {
    const corners = cornerIndices(pts, true);
    if (!corners.length) return { ...fitClosedCurve(smoothed(pts, true), tolerance), closed: true };
    // start at a corner and fit the open pieces between corners
    const k0 = corners[0];
    const ring = [...pts.slice(k0), ...pts.slice(0, k0), pts[k0]];
    const subpath = fitPieces(ring, cornerIndices(ring, false), tolerance);
    return { ...subpath, closed: true };
  }
  return fitPieces(pts, cornerIndices(pts, false), tolerance);
}

function fitPieces(pts: Point[], corners: number[], tolerance: number): Subpath {
  const cuts = [0, ...corners.filter((k) => k > 0 && k < pts.length - 1), pts.length - 1];
  const segments: Subpath['segments'] = [];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const piece = smoothed(pts.slice(cuts[c], cuts[c + 1] + 1), false);
    segments.push(...fitOpenCurve(piece, tolerance).segments);
  }
  return { start: pts[0], segments, closed: false };
}

/**
 * The skeleton's pixel staircase (±½ px) averaged out: each point the [1 2 3 2 1] / 9 mean of
 * its neighbours along the chain; an open piece keeps its two ends (junctions, corners, tips).
 */
function smoothed(pts: Point[], closed: boolean): Point[] {
  const n = pts.length;
  if (n < 5) return pts;
  const w = [1, 2, 3, 2, 1];
  return pts.map((p, i) => {
    if (!closed && (i === 0 || i === n - 1)) return p;
    let x = 0;
    let y = 0;
    let sum = 0;
    for (let k = -2; k <= 2; k++) {
      const j = closed ? (((i + k) % n) + n) % n : Math.min(n - 1, Math.max(0, i + k));
      x += pts[j].x * w[k + 2];
      y += pts[j].y * w[k + 2];
      sum += w[k + 2];
    }
    return { x: x / sum, y: y / sum };
  });
}

/** Where the polyline turns by more than CORNER between its directions a few points before and after. */
function cornerIndices(pts: Point[], closed: boolean): number[] {
  const n = pts.length;
  const at = (i: number) => (closed ? pts[((i % n) + n) % n] : pts[Math.min(n - 1, Math.max(0, i))]);
  const turn = (i: number, reach = 3) => {
    const a = at(i - reach);
    const b = at(i);
    const c = at(i + reach);
    const u = Math.atan2(b.y - a.y, b.x - a.x);
    const v = Math.atan2(c.y - b.y, c.x - b.x);
    let t = Math.abs(v - u);
    if (t > Math.PI) t = 2 * Math.PI - t;
    return t;
  };
  const out: number[] = [];
  for (let i = closed ? 0 : 3; i < (closed ? n : n - 3); i++) {
    const t = turn(i);
    // a corner is the sharpest point of its neighbourhood, and still a turn seen from twice as
    // far (a pixel staircase's step is not)
    if (t > CORNER && t >= turn(i - 1) && t > turn(i + 1) && turn(i, 6) > 0.75 * CORNER) out.push(i);
  }
  return out;
}

/**
 * Strokes in plotting order: from the origin, each time the nearest stroke end (a stroke is
 * reversed when its far end is nearer), so the pen travels little between strokes.
 */
function orderForTravel(strokes: Stroke[]): Stroke[] {
  const left = [...strokes];
  const out: Stroke[] = [];
  let at: Point = { x: 0, y: 0 };
  while (left.length) {
    let best = 0;
    let reverse = false;
    let bestD = Number.POSITIVE_INFINITY;
    left.forEach((s, k) => {
      const start = s.subpath.start;
      const end = s.subpath.segments[s.subpath.segments.length - 1].to;
      const ds = Math.hypot(start.x - at.x, start.y - at.y);
      const de = s.subpath.closed ? Number.POSITIVE_INFINITY : Math.hypot(end.x - at.x, end.y - at.y);
      if (ds < bestD) {
        bestD = ds;
        best = k;
        reverse = false;
      }
      if (de < bestD) {
        bestD = de;
        best = k;
        reverse = true;
      }
    });
    const [s] = left.splice(best, 1);
    const sp = reverse ? reversed(s.subpath) : s.subpath;
    out.push({ ...s, subpath: sp });
    at = sp.segments[sp.segments.length - 1].to;
  }
  return out;
}

function reversed(sp: Subpath): Subpath {
  const end = sp.segments[sp.segments.length - 1].to;
  return { start: end, segments: reverseSegments(sp.start, sp.segments), closed: sp.closed };
}

/**
 * The strokes as a picture: one stroked shape per stroke (its own width, or the pen's), in
 * plotting order. Widths are in points at 300 DPI, as every writer's default scale.
 */
export function strokesToVector(
  strokes: Stroke[],
  width: number,
  height: number,
  o: CenterlineOptions = {},
): VectorImage {
  const fill = o.color ?? '#000000';
  const shapes: Shape[] = strokes.map((s) => ({
    fill,
    stroke: { widthPt: (o.penWidthPx && o.penWidthPx > 0 ? o.penWidthPx : s.widthPx) * PT_PER_PX },
    subpaths: [s.subpath],
  }));
  return { width, height, shapes };
}

/**
 * The strokes' widths for a print size: traced widths (points at 300 DPI) scaled to `ptPerPx`
 * points per trace pixel, or every stroke `penPt` wide when that is above 0.
 */
export function strokesAtSize(image: VectorImage, ptPerPx: number, penPt = 0): VectorImage {
  return {
    ...image,
    shapes: image.shapes.map((s) => ({
      ...s,
      stroke: { widthPt: penPt > 0 ? penPt : ((s.stroke?.widthPt ?? 0) / PT_PER_PX) * ptPerPx },
    })),
  };
}

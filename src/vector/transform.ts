/**
 * What the vector writers share: the pixel → output-unit placement (uniform
 * scale, optional y flip for bottom-left-origin formats), compact number
 * formatting, and Bézier flattening for formats that only take straight lines.
 */
import { PRINT_DPI } from '../io/resolution.js';
import type { Point, Subpath, VectorImage } from './path.js';

/** When no output size is given, traced pixels are print pixels at PRINT_DPI (300). */
export const PT_PER_PX = 72 / PRINT_DPI;
export const MM_PER_PX = 25.4 / PRINT_DPI;

/** Maps image pixels to output units: uniform `scale`, y flipped when `flipY` (origin bottom-left). */
export interface Placement {
  /** Output units per pixel. */
  scale: number;
  /** Output size in units. */
  width: number;
  height: number;
  x(p: Point): number;
  y(p: Point): number;
}

/** Placement for `image` with `width` output units across (default `image.width * defaultScale`). */
export function place(image: VectorImage, defaultScale: number, width?: number, flipY = true): Placement {
  const scale = width !== undefined && width > 0 ? width / image.width : defaultScale;
  const height = image.height * scale;
  return {
    scale,
    width: image.width * scale,
    height,
    x: (p) => p.x * scale,
    y: flipY ? (p) => height - p.y * scale : (p) => p.y * scale,
  };
}

/** Formats `v` with at most `decimals` decimals: no exponent, no trailing zeros, no "-0". */
export function fmt(v: number, decimals: number): string {
  const f = 10 ** decimals;
  const r = Math.round(v * f) / f;
  if (r === 0) return '0';
  const s = r.toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * The subpath as a closed polygon (first point not repeated at the end), with
 * every cubic replaced by chords that stay within `tolerance` of the curve
 * (adaptive subdivision: a piece is flat enough once both control points lie
 * within `tolerance` of its chord; the curve stays inside the control hull).
 */
export function flatten(sp: Subpath, tolerance: number): Point[] {
  const out: Point[] = [sp.start];
  let from = sp.start;
  for (const seg of sp.segments) {
    if (seg.kind === 'cubic') subdivide(from, seg.c1, seg.c2, seg.to, tolerance, out, 0);
    else out.push(seg.to);
    from = seg.to;
  }
  const last = out[out.length - 1];
  if (out.length > 1 && last.x === sp.start.x && last.y === sp.start.y) out.pop();
  return out;
}

function subdivide(
  p0: Point,
  p1: Point,
  p2: Point,
  p3: Point,
  tol: number,
  out: Point[],
  depth: number,
): void {
  if (depth >= 16 || (distToLine(p1, p0, p3) <= tol && distToLine(p2, p0, p3) <= tol)) {
    out.push(p3);
    return;
  }
  const [left, right] = halveCubic(p0, p1, p2, p3);
  subdivide(...left, tol, out, depth + 1);
  subdivide(...right, tol, out, depth + 1);
}

/** A cubic cut in two at t = ½ (de Casteljau): the control points of each half. */
export function halveCubic(
  p0: Point,
  p1: Point,
  p2: Point,
  p3: Point,
): [[Point, Point, Point, Point], [Point, Point, Point, Point]] {
  const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const a1 = mid(p0, p1);
  const b1 = mid(p1, p2);
  const c1 = mid(p2, p3);
  const a2 = mid(a1, b1);
  const b2 = mid(b1, c1);
  const m = mid(a2, b2);
  return [
    [p0, a1, a2, m],
    [m, b2, c1, p3],
  ];
}

/** Distance from p to segment a–b. */
export function distToLine(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

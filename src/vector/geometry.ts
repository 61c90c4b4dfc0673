/**
 * Whole-picture geometry on the path model: bounds, translation, and the
 * canvases the variations present traces on (cropped to the art with a
 * margin, or centred on a square for icons). A shape's gradient fill moves
 * and scales with its outlines.
 */
import { mapGradient } from './gradient.js';
import type { Point, Shape, Subpath, VectorImage } from './path.js';
import { flatten } from './transform.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Parameters in (0, 1) where one coordinate of a cubic a→b→c→d has a turning point. */
function extremaT(a: number, b: number, c: number, d: number): number[] {
  // derivative / 3 = qa·t² + qb·t + qc
  const qa = -a + 3 * b - 3 * c + d;
  const qb = 2 * (a - 2 * b + c);
  const qc = b - a;
  const out: number[] = [];
  if (Math.abs(qa) < 1e-12) {
    if (Math.abs(qb) > 1e-12) out.push(-qc / qb);
  } else {
    const disc = qb * qb - 4 * qa * qc;
    if (disc >= 0) {
      const r = Math.sqrt(disc);
      out.push((-qb + r) / (2 * qa), (-qb - r) / (2 * qa));
    }
  }
  return out.filter((t) => t > 0 && t < 1);
}

function cubicAt(a: number, b: number, c: number, d: number, t: number): number {
  const u = 1 - t;
  return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
}

/** The exact bounds of the painted outlines (curves' turning points included, control points not); null when empty. */
export function vectorBounds(image: VectorImage): Box | null {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  const see = (p: Point) => {
    if (p.x < x0) x0 = p.x;
    if (p.x > x1) x1 = p.x;
    if (p.y < y0) y0 = p.y;
    if (p.y > y1) y1 = p.y;
  };
  for (const shape of image.shapes) {
    for (const sp of shape.subpaths) {
      see(sp.start);
      let from = sp.start;
      for (const s of sp.segments) {
        if (s.kind === 'cubic') {
          for (const t of [
            ...extremaT(from.x, s.c1.x, s.c2.x, s.to.x),
            ...extremaT(from.y, s.c1.y, s.c2.y, s.to.y),
          ]) {
            see({
              x: cubicAt(from.x, s.c1.x, s.c2.x, s.to.x, t),
              y: cubicAt(from.y, s.c1.y, s.c2.y, s.to.y, t),
            });
          }
        }
        see(s.to);
        from = s.to;
      }
    }
  }
  return x0 <= x1 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** A subpath with every point (anchors and control points) mapped by `f`. */
function mapPoints(sp: Subpath, f: (p: Point) => Point): Subpath {
  return {
    ...sp,
    start: f(sp.start),
    segments: sp.segments.map((s) =>
      s.kind === 'line'
        ? { kind: 'line', to: f(s.to) }
        : { kind: 'cubic', c1: f(s.c1), c2: f(s.c2), to: f(s.to) },
    ),
  };
}

function moved(sp: Subpath, dx: number, dy: number): Subpath {
  return mapPoints(sp, (p) => ({ x: p.x + dx, y: p.y + dy }));
}

/** Subpaths scaled by `k` about the origin (Bézier curves scale exactly through their points). */
export function scaleSubpaths(subpaths: readonly Subpath[], k: number): Subpath[] {
  return subpaths.map((sp) => mapPoints(sp, (p) => ({ x: p.x * k, y: p.y * k })));
}

/** A shape scaled by `k` about the origin: its outlines and its gradient's coordinates. */
export function scaleShape(shape: Shape, k: number): Shape {
  return mapShape(shape, (p) => ({ x: p.x * k, y: p.y * k }), k);
}

/**
 * A shape with every point mapped by `f`, a similarity that scales lengths by `k` (turns by
 * quarter turns, mirror images, moves): its outlines and its gradient's coordinates.
 */
export function mapShape(shape: Shape, f: (p: Point) => Point, k: number): Shape {
  const out: Shape = { ...shape, subpaths: shape.subpaths.map((sp) => mapPoints(sp, f)) };
  if (shape.gradient) out.gradient = mapGradient(shape.gradient, f, k);
  return out;
}

/** Subpaths with every point mapped by `f`. */
export function mapSubpaths(subpaths: readonly Subpath[], f: (p: Point) => Point): Subpath[] {
  return subpaths.map((sp) => mapPoints(sp, f));
}

/** The picture moved by (dx, dy) on a canvas of the given size. */
export function translate(
  image: VectorImage,
  dx: number,
  dy: number,
  width: number,
  height: number,
): VectorImage {
  return {
    width,
    height,
    // spread: spot, stroke and overprint travel with the shape; a gradient moves with it
    shapes: image.shapes.map((s) => {
      const shape: Shape = { ...s, subpaths: s.subpaths.map((sp) => moved(sp, dx, dy)) };
      if (s.gradient) shape.gradient = mapGradient(s.gradient, (p) => ({ x: p.x + dx, y: p.y + dy }), 1);
      return shape;
    }),
  };
}

/**
 * Crops the canvas to the art (whole pixels, so that the art keeps its
 * pixel grid) plus `margin` pixels on every side. An empty picture is kept as it is.
 */
export function cropToArt(image: VectorImage, margin: number): VectorImage {
  const b = vectorBounds(image);
  if (!b) return image;
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(image.width, Math.ceil(b.x + b.width));
  const y1 = Math.min(image.height, Math.ceil(b.y + b.height));
  return translate(image, margin - x0, margin - y0, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin);
}

/** The art centred on a square canvas (icons), with `margin` as a share of the side on each edge. */
export function centreOnSquare(image: VectorImage, margin = 0): VectorImage {
  const art = cropToArt(image, 0);
  const side = Math.max(art.width, art.height) / (1 - 2 * margin);
  return translate(art, (side - art.width) / 2, (side - art.height) / 2, side, side);
}

/** Where segments ab and cd cross (proper crossings only: not at shared ends, not collinear), or null. */
function crossing(a: Point, b: Point, c: Point, d: Point): Point | null {
  const rx = b.x - a.x;
  const ry = b.y - a.y;
  const sx = d.x - c.x;
  const sy = d.y - c.y;
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
  const u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
  if (t <= 1e-9 || t >= 1 - 1e-9 || u <= 1e-9 || u >= 1 - 1e-9) return null;
  return { x: a.x + t * rx, y: a.y + t * ry };
}

/**
 * The first crossing of a closed polyline with itself between segments at most `window`
 * apart along it: [i, j, point] (segment i runs from point i to i + 1, indices mod n), or null.
 */
export function firstCrossing(
  points: readonly Point[],
  window: number,
  from = 0,
): [number, number, Point] | null {
  const n = points.length;
  const at = (i: number) => points[i % n];
  // the loop is the shorter side of the crossing
  const reach = Math.min(window, Math.floor(n / 2));
  for (let i = from; i < n; i++) {
    for (let k = 2; k <= reach; k++) {
      if ((i + k + 1) % n === i) continue; // the segment before i shares its point
      const p = crossing(at(i), at(i + 1), at(i + k), at(i + k + 1));
      if (p) return [i, i + k, p];
    }
  }
  return null;
}

/**
 * The closed polyline with every small loop cut out (segments crossing within `window` of each
 * other along it: the points between them are replaced by the crossing). A cut path must never
 * cross itself: a blade would go round the loop and cut a sliver out of the sticker.
 */
export function removeLoops(points: readonly Point[], window: number): Point[] {
  let out = [...points];
  let from = 0;
  for (let guard = 0; guard < points.length; guard++) {
    const found = firstCrossing(out, window, from);
    if (!found) break;
    const [i, j, p] = found;
    const n = out.length;
    // keep points 0..i, the crossing, then j+1.. (indices mod n); the loop i+1..j goes
    if (j < n) out = [...out.slice(0, i + 1), p, ...out.slice(j + 1)];
    else out = [p, ...out.slice(j - n + 1, i + 1)];
    from = Math.max(0, Math.min(i, out.length - 1) - window);
  }
  return out;
}

/** Even-odd: whether p lies inside the closed polygon. */
export function insidePolygon(polygon: readonly Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Twice the signed area of a closed polygon (positive clockwise on screen, y down). */
export function signedArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    sum += points[j].x * points[i].y - points[i].x * points[j].y;
  }
  return sum;
}

/**
 * The area of the even-odd interior of closed subpaths (outlines that do not cross): each
 * outline adds its area, or takes it away when it lies inside an odd number of the others.
 */
export function regionArea(subpaths: readonly Subpath[], tolerance: number): number {
  const polygons = subpaths.map((sp) => flatten(sp, tolerance));
  let area = 0;
  for (const [k, poly] of polygons.entries()) {
    if (poly.length < 3) continue;
    const depth = polygons.filter((o, j) => j !== k && insidePolygon(o, poly[0])).length;
    area += ((depth % 2 === 0 ? 1 : -1) * Math.abs(signedArea(poly))) / 2;
  }
  return area;
}

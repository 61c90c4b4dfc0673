/**
 * The one path model every tracer produces and every writer consumes.
 * Coordinates are in pixels of the traced image, origin top-left, y down
 * (writers convert to their own conventions). Subpaths are closed and every
 * shape is filled with the even-odd rule, so holes are simply further subpaths
 * and winding direction does not matter.
 */

export interface Point {
  x: number;
  y: number;
}

/** A straight segment to `to`. */
export interface LineSegment {
  kind: 'line';
  to: Point;
}

/** A cubic Bézier to `to` with control points c1, c2. */
export interface CubicSegment {
  kind: 'cubic';
  c1: Point;
  c2: Point;
  to: Point;
}

export type Segment = LineSegment | CubicSegment;

/** A closed subpath: starts at `start`, follows `segments`, and the last segment ends at `start`. */
export interface Subpath {
  start: Point;
  segments: Segment[];
}

/** One filled shape: all its subpaths (outlines and holes) are filled together with the even-odd rule. */
export interface Shape {
  /** sRGB fill colour as #rrggbb. */
  fill: string;
  subpaths: Subpath[];
}

/** A traced picture: shapes painted in order, bottom first, on a transparent canvas. */
export interface VectorImage {
  width: number;
  height: number;
  shapes: Shape[];
}

/** Number of segments (the "node count" the benchmarks report). */
export function segmentCount(image: VectorImage): number {
  let n = 0;
  for (const s of image.shapes) for (const p of s.subpaths) n += p.segments.length;
  return n;
}

/**
 * The one path model every tracer produces and every writer consumes.
 * Coordinates are in pixels of the traced image, origin top-left, y down
 * (writers convert to their own conventions). Subpaths are closed and every
 * shape is filled with the even-odd rule, so holes are simply further subpaths
 * and winding direction does not matter.
 *
 * For print, a shape may also be painted as a named spot ink (a PDF/EPS
 * /Separation: a cut contour, a Pantone colour, one screen-print film), be
 * stroked instead of filled (then its subpaths may be open), and overprint
 * what lies beneath. Traces never set these; writers that cannot express them
 * fall back to `fill` as the on-screen colour.
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
  /**
   * false: an open subpath (only meaningful on stroked shapes; a fill closes it
   * anyway). Absent or true: closed, the last segment ending at `start`.
   */
  closed?: boolean;
}

/** A named spot ink, e.g. `{ name: 'CutContour', cmyk: [0, 1, 0, 0] }`. */
export interface SpotColor {
  /** The ink's name exactly as RIPs and separations see it (any text; writers escape it). */
  name: string;
  /** The CMYK alternate (0..1 each) that devices without the ink print, and viewers show. */
  cmyk: [number, number, number, number];
  /** Tint of the ink, 0..1 (default 1 = solid). */
  tint?: number;
}

/** Paint the outline instead of the inside. */
export interface Stroke {
  /** Line width in points at the output's print size (PDF, EPS; converted for SVG). Joins and caps are round. */
  widthPt: number;
}

/** One filled shape: all its subpaths (outlines and holes) are filled together with the even-odd rule. */
export interface Shape {
  /** sRGB colour as #rrggbb: the fill, the stroke, or a spot ink's on-screen preview. */
  fill: string;
  subpaths: Subpath[];
  /** Paint in this spot ink (PDF/EPS /Separation; SVG data-spot; DXF layer named after it). */
  spot?: SpotColor;
  /** Stroke the subpaths with this line instead of filling them. */
  stroke?: Stroke;
  /** Overprint (do not knock out) the inks beneath (PDF/EPS). */
  overprint?: boolean;
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

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
 *
 * A shape may also be filled with a smooth gradient (`gradient`, from the
 * colour tracer's gradient areas): its coordinates are in the same image
 * pixels as the outlines, and `fill` then holds the gradient's mean colour, so
 * writers that cannot paint gradients (DXF) fall back to it.
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

/** One colour of a gradient ramp: `offset` 0..1 along the gradient, `color` #rrggbb (sRGB). */
export interface GradientStop {
  offset: number;
  color: string;
}

/**
 * A linear gradient from (x1, y1) (offset 0) to (x2, y2) (offset 1), constant
 * across; outside the ends the end colours continue (pad). Colours are
 * interpolated in sRGB between stops, as SVG, PDF and PostScript do.
 */
export interface LinearGradient {
  type: 'linear';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** At least two, offsets increasing from 0 to 1. */
  stops: GradientStop[];
}

/** A radial gradient: offset 0 at the centre (cx, cy), 1 at distance `r`, padded beyond. */
export interface RadialGradient {
  type: 'radial';
  cx: number;
  cy: number;
  r: number;
  /** At least two, offsets increasing from 0 to 1. */
  stops: GradientStop[];
}

export type Gradient = LinearGradient | RadialGradient;

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
  /**
   * Fill with this gradient instead of `fill` (SVG, PDF, EPS; `fill` is its
   * mean colour for DXF and other flat-only consumers). Ignored on spot or
   * stroked shapes.
   */
  gradient?: Gradient;
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

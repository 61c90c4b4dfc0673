/**
 * The screen's dots as outlines (index.ts), in the path model: each dot's
 * outline (clipped to its cell once it outgrows it) and the line screen's
 * bands.
 */
import type { Point, Segment, Subpath } from '../../vector/path.js';
import { type Dot, type DotShape, ELLIPSE_RATIO, type ScreenGrid } from './lattice.js';
import { limitTable, spotLimit } from './spot.js';

/** The metric limit of a dot, in cells: radius (round), semi-major axis (ellipse), half side (square), half width (line). */
export function dotExtent(shape: DotShape, tint: number): number {
  // dots' tints are whole levels of 255: their limits are in the shared table
  const level = Math.round(tint * 255);
  const limit = Math.abs(tint * 255 - level) < 1e-9 ? limitTable(shape)[level] : spotLimit(shape, tint);
  if (!Number.isFinite(limit)) return shape === 'round' || shape === 'ellipse' ? Infinity : 0.5;
  return shape === 'round' || shape === 'ellipse' ? Math.sqrt(limit) : limit;
}

/** Whether the dot lies wholly inside its cell (a round one can then be written as a plain circle). */
export function dotIsWhole(shape: DotShape, tint: number): boolean {
  const e = dotExtent(shape, tint);
  return shape === 'line' ? false : e <= 0.5;
}

/** Cubic Bézier control factor for a circular arc of `span` radians (≤ π/2). */
function arcK(span: number): number {
  return (4 / 3) * Math.tan(span / 4);
}

/**
 * Outline of one dot in image pixels (path model: closed, lines and cubics).
 * Round and elliptical dots that outgrow their cell are clipped to it (four
 * arcs joined by pieces of the cell's sides); a line dot is its cell's piece
 * of the band (`lineBands` joins neighbours into one outline).
 */
export function dotOutline(grid: ScreenGrid, dot: Dot, shape: DotShape): Subpath {
  const at = (u: number, v: number) => grid.toImage(dot.i + u, dot.j + v);
  const polygon = (pts: [number, number][]): Subpath => ({
    start: at(pts[0][0], pts[0][1]),
    segments: pts.slice(1).map(([u, v]): Segment => ({ kind: 'line', to: at(u, v) })),
  });
  if (dot.tint >= 1) {
    return polygon([
      [-0.5, -0.5],
      [0.5, -0.5],
      [0.5, 0.5],
      [-0.5, 0.5],
    ]);
  }
  if (shape === 'square' || shape === 'line') {
    const e = dotExtent(shape, dot.tint);
    const h = shape === 'square' ? e : 0.5;
    return polygon([
      [-h, -e],
      [h, -e],
      [h, e],
      [-h, e],
    ]);
  }
  const k = shape === 'ellipse' ? ELLIPSE_RATIO : 1;
  const r = dotExtent(shape, dot.tint);
  // the dot in the stretched frame (u, v/k) is a circle of radius r in a 1 × 1/k box
  const hu = 0.5;
  const hv = 0.5 / k;
  // arcs between the box's sides: each quadrant's arc runs from where the circle leaves one side to where it meets the next
  const a0 = r > hu ? Math.acos(hu / r) : 0; // angle (from the u axis) where the circle crosses u = hu
  const a1 = r > hv ? Math.asin(hv / r) : Math.PI / 2; // angle where it crosses v = hv
  const segments: Segment[] = [];
  const pt = (angle: number, rr: number): [number, number] => [
    rr * Math.cos(angle),
    rr * Math.sin(angle) * k,
  ];
  const tangent = (angle: number, rr: number): [number, number] => [
    -rr * Math.sin(angle),
    rr * Math.cos(angle) * k,
  ];
  let start: Point | null = null;
  for (let q = 0; q < 4; q++) {
    // quadrant q spans angles [q·π/2, (q+1)·π/2]; mirror the first quadrant's arc [a0, a1]
    const base = (q * Math.PI) / 2;
    const from = base + (q % 2 === 0 ? a0 : Math.PI / 2 - a1);
    const to = base + (q % 2 === 0 ? a1 : Math.PI / 2 - a0);
    const p0 = pt(from, r);
    const p0i = at(p0[0], p0[1]);
    if (start === null) start = p0i;
    else segments.push({ kind: 'line', to: p0i }); // along a side of the cell (a zero-length line when unclipped)
    const span = to - from;
    const pieces = Math.max(1, Math.ceil(span / (Math.PI / 2) - 1e-9));
    for (let n = 0; n < pieces; n++) {
      const s0 = from + (span * n) / pieces;
      const s1 = from + (span * (n + 1)) / pieces;
      const kk = arcK(s1 - s0);
      const [x0, y0] = pt(s0, r);
      const [x1, y1] = pt(s1, r);
      const [tx0, ty0] = tangent(s0, r);
      const [tx1, ty1] = tangent(s1, r);
      segments.push({
        kind: 'cubic',
        c1: at(x0 + kk * tx0, y0 + kk * ty0),
        c2: at(x1 - kk * tx1, y1 - kk * ty1),
        to: at(x1, y1),
      });
    }
  }
  const s = start as Point;
  // drop zero-length joins (an unclipped dot is four arcs end to end)
  const kept = segments.filter(
    (seg, n) => seg.kind === 'cubic' || !samePoint(seg.to, n === 0 ? s : segments[n - 1].to),
  );
  return { start: s, segments: kept };
}

function samePoint(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < 1e-9 && Math.abs(a.y - b.y) < 1e-9;
}

/**
 * The line screen as outlines: consecutive dots along a screen row (same j,
 * i + 1) whose `groupOf` agrees are joined into one stepped band, so that no
 * seam shows between them. Returns the bands with the dots they hold.
 */
export function lineBands(
  grid: ScreenGrid,
  dots: readonly Dot[],
  groupOf: (dot: Dot) => number | string = () => 0,
): { dots: Dot[]; outline: Subpath }[] {
  const bands: { dots: Dot[]; outline: Subpath }[] = [];
  let run: Dot[] = [];
  const flush = () => {
    if (run.length > 0) bands.push({ dots: run, outline: bandOutline(grid, run) });
    run = [];
  };
  for (const d of dots) {
    const prev = run[run.length - 1];
    if (prev && !(prev.j === d.j && prev.i + 1 === d.i && groupOf(prev) === groupOf(d))) flush();
    run.push(d);
  }
  flush();
  return bands;
}

/** Stepped outline of a run of line dots: along the top edge, then back along the bottom one. */
function bandOutline(grid: ScreenGrid, run: readonly Dot[]): Subpath {
  const j = run[0].j;
  const half = run.map((d) => dotExtent('line', d.tint));
  const pts: [number, number][] = [];
  const first = run[0].i;
  pts.push([first - 0.5, j - half[0]]);
  for (let n = 1; n < run.length; n++) {
    if (half[n] === half[n - 1]) continue;
    pts.push([run[n].i - 0.5, j - half[n - 1]], [run[n].i - 0.5, j - half[n]]);
  }
  const lastI = run[run.length - 1].i;
  pts.push([lastI + 0.5, j - half[run.length - 1]], [lastI + 0.5, j + half[run.length - 1]]);
  for (let n = run.length - 2; n >= 0; n--) {
    if (half[n] === half[n + 1]) continue;
    pts.push([run[n].i + 0.5, j + half[n + 1]], [run[n].i + 0.5, j + half[n]]);
  }
  pts.push([first - 0.5, j + half[0]]);
  const [p0, ...rest] = pts.map(([u, v]) => grid.toImage(u, v));
  return { start: p0, segments: rest.map((to): Segment => ({ kind: 'line', to })) };
}

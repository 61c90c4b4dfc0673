/**
 * Stages 3 and 4 (Selinger 2003, §2.3–2.4): vertex adjustment, then corners
 * and smoothing.
 *
 * Each polygon vertex moves to the point that best fits the two edges meeting
 * there — the least-squares lines through their path points — without leaving
 * the unit square around its lattice point. Then every vertex becomes either a
 * corner (two straight halves) or a cubic Bézier from the midpoint of the
 * incoming edge to the midpoint of the outgoing one, with control points at
 * fraction α of the way to the vertex. α grows with how far the vertex stands
 * out from its neighbours, measured against the unit square around it; above
 * `alphaMax` the vertex is a corner.
 */
import type { Point } from '../vector/path.js';
import type { LatticePath } from './decompose.js';
import { type PathSums, pathSums, rangeSums } from './polygon.js';

/** One piece of a smoothed closed curve, running from the previous piece's end to `end`. */
export interface CurvePiece {
  kind: 'corner' | 'curve';
  /** The polygon vertex this piece belongs to. */
  vertex: Point;
  /** Start (midpoint of the incoming edge) and end (midpoint of the outgoing edge). */
  start: Point;
  end: Point;
  /** Bézier control points (curves only). */
  c1: Point;
  c2: Point;
  /** The smoothing parameter used (curves); corners keep the raw value. */
  alpha: number;
}

interface Line {
  cx: number;
  cy: number;
  /** unit normal */
  nx: number;
  ny: number;
}

/** Least-squares line through path points i..j (unwrapped indices). */
function fitLine(s: PathSums, i: number, j: number): Line {
  const [sx, sy, sxx, sxy, syy, n] = rangeSums(s, i, j);
  const mx = sx / n;
  const my = sy / n;
  const a = sxx / n - mx * mx;
  const b = sxy / n - mx * my;
  const c = syy / n - my * my;
  // principal direction of the covariance [[a b][b c]]: largest eigenvalue's eigenvector
  const lambda = (a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + b * b);
  let dx: number;
  let dy: number;
  if (Math.abs(a - lambda) >= Math.abs(c - lambda)) {
    dx = -b;
    dy = a - lambda;
  } else {
    dx = c - lambda;
    dy = -b;
  }
  let len = Math.hypot(dx, dy);
  if (len < 1e-12) {
    // degenerate (all points equal along one axis): use the chord direction
    dx = 1;
    dy = 0;
    len = 1;
  }
  // direction (dx, dy) is an eigenvector of the largest eigenvalue; the normal is perpendicular
  return { cx: mx + s.x0, cy: my + s.y0, nx: -dy / len, ny: dx / len };
}

/** Adjusted polygon vertices (§2.3). */
export function adjustVertices(path: LatticePath, polygon: number[]): Point[] {
  const s = pathSums(path);
  const n = path.xs.length;
  const m = polygon.length;
  const lines: Line[] = [];
  for (let k = 0; k < m; k++) {
    const i = polygon[k];
    let j = polygon[(k + 1) % m];
    if (j <= i) j += n;
    lines.push(fitLine(s, i, j));
  }
  const out: Point[] = [];
  for (let k = 0; k < m; k++) {
    const L1 = lines[(k - 1 + m) % m];
    const L2 = lines[k];
    const px = path.xs[polygon[k]];
    const py = path.ys[polygon[k]];
    // Q(z) = Σ (n·z − n·c)²  =  zᵀAz − 2bᵀz + const
    const axx = L1.nx * L1.nx + L2.nx * L2.nx;
    const axy = L1.nx * L1.ny + L2.nx * L2.ny;
    const ayy = L1.ny * L1.ny + L2.ny * L2.ny;
    const d1 = L1.nx * L1.cx + L1.ny * L1.cy;
    const d2 = L2.nx * L2.cx + L2.ny * L2.cy;
    const bx = L1.nx * d1 + L2.nx * d2;
    const by = L1.ny * d1 + L2.ny * d2;
    const q = (x: number, y: number) => axx * x * x + 2 * axy * x * y + ayy * y * y - 2 * bx * x - 2 * by * y;
    const det = axx * ayy - axy * axy;
    if (det > 1e-9) {
      const x = (ayy * bx - axy * by) / det;
      const y = (axx * by - axy * bx) / det;
      if (Math.abs(x - px) <= 0.5 && Math.abs(y - py) <= 0.5) {
        out.push({ x, y });
        continue;
      }
    }
    // minimum on the boundary of the unit square around the lattice point
    let best = { x: px, y: py };
    let bestQ = Number.POSITIVE_INFINITY;
    const consider = (x: number, y: number) => {
      const v = q(x, y);
      if (v < bestQ) {
        bestQ = v;
        best = { x, y };
      }
    };
    for (const sx of [-0.5, 0.5]) {
      const x = px + sx;
      if (ayy > 1e-12) consider(x, clamp((by - axy * x) / ayy, py - 0.5, py + 0.5));
      consider(x, py - 0.5);
      consider(x, py + 0.5);
    }
    for (const sy of [-0.5, 0.5]) {
      const y = py + sy;
      if (axx > 1e-12) consider(clamp((bx - axy * y) / axx, px - 0.5, px + 0.5), y);
    }
    out.push(best);
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const lerp = (a: Point, b: Point, t: number): Point => ({
  x: a.x + t * (b.x - a.x),
  y: a.y + t * (b.y - a.y),
});

/** Corners and Bézier pieces for a closed polygon of adjusted vertices (§2.4). */
export function smooth(vertices: Point[], alphaMax: number): CurvePiece[] {
  const m = vertices.length;
  const pieces: CurvePiece[] = [];
  for (let k = 0; k < m; k++) {
    const a = vertices[(k - 1 + m) % m];
    const b = vertices[k];
    const c = vertices[(k + 1) % m];
    const start = mid(a, b);
    const end = mid(b, c);
    // how far b stands out from the line a–c, in units of the unit square's half-extent there
    const denom = Math.abs(c.x - a.x) + Math.abs(c.y - a.y);
    const dd = denom > 0 ? Math.abs((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / denom : 0;
    let alpha = dd > 1 ? (4 / 3) * (1 - 1 / dd) : 0;
    if (alpha >= alphaMax) {
      pieces.push({ kind: 'corner', vertex: b, start, end, c1: b, c2: b, alpha });
      continue;
    }
    alpha = clamp(alpha, 0.55, 1);
    pieces.push({
      kind: 'curve',
      vertex: b,
      start,
      end,
      c1: lerp(start, b, alpha),
      c2: lerp(end, b, alpha),
      alpha,
    });
  }
  return pieces;
}

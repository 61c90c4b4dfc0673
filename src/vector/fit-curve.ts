/**
 * Fits a closed, smooth (G1: tangent-continuous everywhere) path of cubic
 * Béziers to a closed polyline, within a tolerance: the fewest nodes a cutter
 * needs for a path that is itself smooth, such as an offset outline.
 *
 * P. J. Schneider, "An algorithm for automatically fitting digitized curves",
 * Graphics Gems (1990), written from the paper: per run of points, chord-length
 * parameters, least-squares handle lengths along fixed end tangents, a few
 * Newton steps on the parameters, and a split at the worst point when the
 * error stays above tolerance. The tracer's own optimiser (trace/optimize.ts)
 * cannot merge across inflections, which gently wavy outlines are full of;
 * this one can. A final pass merges neighbouring pieces that fit as one.
 */
import type { CubicSegment, Point, Subpath } from './path.js';

/** The closed polyline resampled every `spacing` along its length (at least 8 points). */
export function resampleClosed(points: readonly Point[], spacing: number): Point[] {
  const n = points.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = points[i];
    const b = points[(i + 1) % n];
    total += Math.hypot(b.x - a.x, b.y - a.y);
  }
  const count = Math.max(8, Math.round(total / spacing));
  const step = total / count;
  const out: Point[] = [];
  let i = 0;
  let into = 0; // distance already walked along edge i
  for (let k = 0; k < count; k++) {
    let want = k === 0 ? 0 : step;
    for (;;) {
      const a = points[i % n];
      const b = points[(i + 1) % n];
      const edge = Math.hypot(b.x - a.x, b.y - a.y);
      if (into + want <= edge || i >= 2 * n) {
        into += want;
        const t = edge > 0 ? into / edge : 0;
        out.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
        break;
      }
      want -= edge - into;
      into = 0;
      i++;
    }
  }
  return out;
}

interface Piece {
  /** Index of the first and last point (the last may be `n`, i.e. point 0 again). */
  a: number;
  b: number;
  c1: Point;
  c2: Point;
}

/**
 * The points as flat coordinates, their unit tangents and scratch space for
 * the fits (no per-point objects in the inner loops). Indices wrap around.
 */
class Polyline {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Unit tangent at each point (see fitClosedCurve). */
  readonly tx: Float64Array;
  readonly ty: Float64Array;
  /** Parameters of the run being fitted. */
  readonly u: Float64Array;
  /** An open polyline: indices clamp at the ends (one-sided tangents there) instead of wrapping. */
  readonly open: boolean;
  constructor(points: readonly Point[], reach: number, open = false) {
    const n = points.length;
    this.n = n;
    this.open = open;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.x[i] = points[i].x;
      this.y[i] = points[i].y;
    }
    this.tx = new Float64Array(n);
    this.ty = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = this.index(i + reach);
      const b = this.index(i - reach);
      const dx = this.x[f] - this.x[b];
      const dy = this.y[f] - this.y[b];
      const l = Math.hypot(dx, dy);
      if (l > 0) {
        this.tx[i] = dx / l;
        this.ty[i] = dy / l;
      } else {
        this.tx[i] = 1;
        this.ty[i] = 0;
      }
    }
    this.u = new Float64Array(2 * n + 2);
  }

  index(i: number): number {
    const n = this.n;
    if (this.open) return Math.min(n - 1, Math.max(0, i));
    return ((i % n) + n) % n;
  }
}

/**
 * Fits a closed path to `points` (closed polyline, roughly evenly spaced) so
 * that every point lies within `tolerance` of it. Returns one closed subpath of cubics.
 */
export function fitClosedCurve(points: readonly Point[], tolerance: number): Subpath {
  const n = points.length;
  const at = (i: number): Point => points[((i % n) + n) % n];
  // Direction of travel at each point: the chord between neighbours `reach`
  // away on either side, exact on lines and circles and steady against the
  // small waves of pixel-derived outlines (a tangent off by a degree costs a
  // long piece its fit).
  const reach = Math.max(2, Math.min(6, Math.floor(n / 8)));
  const line = new Polyline(points, reach);
  // a fit depends only on where its run starts (modulo n) and its length: failures are remembered
  const failed = new Set<number>();
  const fits = (a: number, b: number): Piece | null => {
    const key = line.index(a) * (2 * n + 2) + (b - a);
    if (failed.has(key)) return null;
    const piece = fitPiece(line, a, b, tolerance);
    if (!piece) failed.add(key);
    return piece;
  };
  const start = sharpestPoint(line);
  const pieces = greedyPieces(line, start, start + n, fits);
  // merge neighbours that fit as one piece (the split points are greedy)
  for (let merged = true; merged && pieces.length > 1; ) {
    merged = false;
    for (let k = 0; k < pieces.length && pieces.length > 1; k++) {
      const p = pieces[k];
      const q = pieces[(k + 1) % pieces.length];
      const a = p.a;
      const b = q.b > p.a ? q.b : q.b + n;
      if (b - a >= n) continue;
      const one = fits(a, b);
      if (!one) continue;
      if (k + 1 < pieces.length) pieces.splice(k, 2, one);
      else {
        pieces.splice(k, 1, { ...one });
        pieces.shift();
      }
      merged = true;
    }
  }
  const segments: CubicSegment[] = pieces.map((p) => ({ kind: 'cubic', c1: p.c1, c2: p.c2, to: at(p.b) }));
  return { start: at(pieces[0].a), segments };
}

/**
 * Fits an open path of cubic Béziers through `points` (a polyline, roughly evenly spaced), from
 * the first point to the last, every point within `tolerance`: the closed method without the
 * wrap (one-sided tangents at the ends). For centre lines and other strokes.
 */
export function fitOpenCurve(points: readonly Point[], tolerance: number): Subpath {
  const n = points.length;
  if (n < 3) {
    const to = points[n - 1] ?? points[0];
    return { start: points[0], segments: [{ kind: 'line', to }], closed: false };
  }
  const reach = Math.max(1, Math.min(6, Math.floor(n / 8)));
  const line = new Polyline(points, reach, true);
  const pieces = greedyPieces(line, 0, n - 1, (a, b) => fitPiece(line, a, b, tolerance));
  // merge neighbours that fit as one piece
  for (let k = 0; k + 1 < pieces.length; ) {
    const one = fitPiece(line, pieces[k].a, pieces[k + 1].b, tolerance);
    if (one) pieces.splice(k, 2, one);
    else k++;
  }
  const segments: CubicSegment[] = pieces.map((p) => ({
    kind: 'cubic',
    c1: p.c1,
    c2: p.c2,
    to: points[p.b],
  }));
  return { start: points[0], segments, closed: false };
}

/**
 * Greedy: from each node, the longest run that one cubic fits (doubling, then bisection), from
 * `start` to `end`. Longest-first covers a run with the fewest pieces when fitting is monotone (a
 * run that fits keeps fitting when shortened), which it nearly is.
 */
function greedyPieces(
  line: Polyline,
  start: number,
  end: number,
  fits: (a: number, b: number) => Piece | null,
): Piece[] {
  const pieces: Piece[] = [];
  for (let a = start; a < end; ) {
    let good = a + 1;
    let goodPiece: Piece | null = null;
    let bad = end + 1;
    for (let step = 4; good < end; step *= 2) {
      const b = Math.min(end, a + step);
      const piece = fits(a, b);
      if (!piece) {
        bad = b;
        break;
      }
      good = b;
      goodPiece = piece;
    }
    while (bad - good > 1) {
      const mid = (good + bad) >> 1;
      const piece = fits(a, mid);
      if (piece) {
        good = mid;
        goodPiece = piece;
      } else bad = mid;
    }
    pieces.push(goodPiece ?? fits(a, good) ?? straightPiece(line, a, good));
    a = good;
  }
  return pieces;
}

/** The point with the largest turn between its neighbours three away. */
function sharpestPoint(line: Polyline): number {
  const { n, x, y } = line;
  let best = 0;
  let most = -1;
  for (let i = 0; i < n; i++) {
    const p = line.index(i - 3);
    const q = line.index(i + 3);
    let ux = x[i] - x[p];
    let uy = y[i] - y[p];
    const lu = Math.hypot(ux, uy);
    if (lu > 0) {
      ux /= lu;
      uy /= lu;
    } else {
      ux = 1;
      uy = 0;
    }
    let vx = x[q] - x[i];
    let vy = y[q] - y[i];
    const lv = Math.hypot(vx, vy);
    if (lv > 0) {
      vx /= lv;
      vy /= lv;
    } else {
      vx = 1;
      vy = 0;
    }
    const turn = 1 - (ux * vx + uy * vy);
    if (turn > most) {
      most = turn;
      best = i;
    }
  }
  return best;
}

/**
 * One cubic through points a…b within tolerance, or null: chord-length
 * parameters, least-squares handle lengths along the end tangents
 * (Schneider's normal equations), the largest distance of a point from the
 * curve at its parameter, and one Newton step per parameter towards the
 * point's nearest place on the curve, up to six times.
 */
function fitPiece(line: Polyline, a: number, b: number, tolerance: number): Piece | null {
  const { x, y, u } = line;
  const m = b - a + 1;
  const ia = line.index(a);
  const ib = line.index(b);
  const p0x = x[ia];
  const p0y = y[ia];
  const p3x = x[ib];
  const p3y = y[ib];
  const tax = line.tx[ia];
  const tay = line.ty[ia];
  const tbx = line.tx[ib];
  const tby = line.ty[ib];
  // chord-length parameters
  u[0] = 0;
  for (let k = 1, prev = ia; k < m; k++) {
    const i = line.index(a + k);
    u[k] = u[k - 1] + Math.hypot(x[i] - x[prev], y[i] - y[prev]);
    prev = i;
  }
  const total = u[m - 1];
  for (let k = 0; k < m; k++) u[k] = total > 0 ? u[k] / total : k / (m - 1);
  const chord = Math.hypot(p3x - p0x, p3y - p0y);
  for (let iteration = 0; iteration < 6; iteration++) {
    // handles
    let c11 = 0;
    let c12 = 0;
    let c22 = 0;
    let x1 = 0;
    let x2 = 0;
    for (let k = 0; k < m; k++) {
      const t = u[k];
      const s = 1 - t;
      const b1 = 3 * s * s * t;
      const b2 = 3 * s * t * t;
      const a1x = tax * b1;
      const a1y = tay * b1;
      const a2x = tbx * -b2;
      const a2y = tby * -b2;
      const w0 = s * s * s + b1;
      const w3 = b2 + t * t * t;
      const i = line.index(a + k);
      const rx = x[i] - (p0x * w0 + p3x * w3);
      const ry = y[i] - (p0y * w0 + p3y * w3);
      c11 += a1x * a1x + a1y * a1y;
      c12 += a1x * a2x + a1y * a2y;
      c22 += a2x * a2x + a2y * a2y;
      x1 += a1x * rx + a1y * ry;
      x2 += a2x * rx + a2y * ry;
    }
    const det = c11 * c22 - c12 * c12;
    let l1 = Math.abs(det) > 1e-12 ? (x1 * c22 - x2 * c12) / det : 0;
    let l2 = Math.abs(det) > 1e-12 ? (c11 * x2 - c12 * x1) / det : 0;
    // degenerate or wild handles: fall back to a third of the chord (Schneider's heuristic)
    if (!(l1 > 1e-6 * chord && l2 > 1e-6 * chord && l1 < 2 * chord && l2 < 2 * chord)) l1 = l2 = chord / 3;
    const p1x = p0x + tax * l1;
    const p1y = p0y + tay * l1;
    const p2x = p3x - tbx * l2;
    const p2y = p3y - tby * l2;
    // largest distance from the points to the curve at their parameters: only compared with
    // the tolerance, so its square decides unless it lies within rounding of a limit
    const curve = [p0x, p0y, p1x, p1y, p2x, p2y, p3x, p3y] as const;
    const squared = maxError(line, a, m, curve, false);
    const t2 = tolerance * tolerance;
    const fit =
      squared < t2 * (1 - 1e-10)
        ? true
        : squared > t2 * (1 + 1e-10)
          ? false
          : maxError(line, a, m, curve, true) <= tolerance;
    if (fit) return { a, b, c1: { x: p1x, y: p1y }, c2: { x: p2x, y: p2y } };
    // far off even after the parameters settled (errors along the curve go first): split instead
    if (iteration >= 2) {
      const f2 = 64 * t2;
      const far =
        squared > f2 * (1 + 1e-10)
          ? true
          : squared < f2 * (1 - 1e-10)
            ? false
            : maxError(line, a, m, curve, true) > 8 * tolerance;
      if (far) return null;
    }
    // one Newton step per parameter
    const e10x = p1x - p0x;
    const e10y = p1y - p0y;
    const e21x = p2x - p1x;
    const e21y = p2y - p1y;
    const e32x = p3x - p2x;
    const e32y = p3y - p2y;
    const f0x = p2x - p1x * 2 + p0x;
    const f0y = p2y - p1y * 2 + p0y;
    const f1x = p3x - p2x * 2 + p1x;
    const f1y = p3y - p2y * 2 + p1y;
    for (let k = 1; k < m - 1; k++) {
      const t = u[k];
      const v = 1 - t;
      const b0 = v * v * v;
      const b1 = 3 * v * v * t;
      const b2 = 3 * v * t * t;
      const b3 = t * t * t;
      const s = 1 - t;
      const k1 = 3 * s * s;
      const k2 = 6 * s * t;
      const k3 = 3 * t * t;
      const d1x = e10x * k1 + e21x * k2 + e32x * k3;
      const d1y = e10y * k1 + e21y * k2 + e32y * k3;
      const g0 = 6 * s;
      const g1 = 6 * t;
      const d2x = f0x * g0 + f1x * g1;
      const d2y = f0y * g0 + f1y * g1;
      const i = line.index(a + k);
      const diffx = b0 * p0x + b1 * p1x + b2 * p2x + b3 * p3x - x[i];
      const diffy = b0 * p0y + b1 * p1y + b2 * p2y + b3 * p3y - y[i];
      const den = d1x * d1x + d1y * d1y + (diffx * d2x + diffy * d2y);
      if (Math.abs(den) > 1e-12) u[k] = Math.min(1, Math.max(0, t - (diffx * d1x + diffy * d1y) / den));
    }
  }
  return null;
}

/**
 * Largest distance (`exact`: Math.hypot, as the tolerance is defined) or
 * squared distance from points a + 1 … a + m − 2 to the curve at their parameters.
 */
function maxError(
  line: Polyline,
  a: number,
  m: number,
  c: readonly [number, number, number, number, number, number, number, number],
  exact: boolean,
): number {
  const { x, y, u } = line;
  const [p0x, p0y, p1x, p1y, p2x, p2y, p3x, p3y] = c;
  let error = 0;
  for (let k = 1; k < m - 1; k++) {
    const t = u[k];
    const v = 1 - t;
    const b0 = v * v * v;
    const b1 = 3 * v * v * t;
    const b2 = 3 * v * t * t;
    const b3 = t * t * t;
    const i = line.index(a + k);
    const dx = b0 * p0x + b1 * p1x + b2 * p2x + b3 * p3x - x[i];
    const dy = b0 * p0y + b1 * p1y + b2 * p2y + b3 * p3y - y[i];
    const e = exact ? Math.hypot(dx, dy) : dx * dx + dy * dy;
    if (e > error) error = e;
  }
  return error;
}

/** A cubic with handles a third of the chord along the tangents (for runs too short to split). */
function straightPiece(line: Polyline, a: number, b: number): Piece {
  const { x, y, tx, ty } = line;
  const ia = line.index(a);
  const ib = line.index(b);
  const chord = Math.hypot(x[ib] - x[ia], y[ib] - y[ia]);
  return {
    a,
    b,
    c1: { x: x[ia] + tx[ia] * (chord / 3), y: y[ia] + ty[ia] * (chord / 3) },
    c2: { x: x[ib] - tx[ib] * (chord / 3), y: y[ib] - ty[ib] * (chord / 3) },
  };
}

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
import type { CubicSegment, Point, Subpath } from '../vector/path.js';

interface Vec {
  x: number;
  y: number;
}

const sub = (a: Vec, b: Vec): Vec => ({ x: a.x - b.x, y: a.y - b.y });
const add = (a: Vec, b: Vec): Vec => ({ x: a.x + b.x, y: a.y + b.y });
const mul = (a: Vec, k: number): Vec => ({ x: a.x * k, y: a.y * k });
const dot = (a: Vec, b: Vec): number => a.x * b.x + a.y * b.y;
const len = (a: Vec): number => Math.hypot(a.x, a.y);
const unit = (a: Vec): Vec => {
  const l = len(a);
  return l > 0 ? { x: a.x / l, y: a.y / l } : { x: 1, y: 0 };
};

/** The closed polyline resampled every `spacing` along its length (at least 8 points). */
export function resampleClosed(points: readonly Point[], spacing: number): Point[] {
  const n = points.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += len(sub(points[(i + 1) % n], points[i]));
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
      const edge = len(sub(b, a));
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
  const tangent = (i: number): Vec => unit(sub(at(i + reach), at(i - reach)));
  const pieces: Piece[] = [];
  const fits = (a: number, b: number) => fitPiece(at, a, b, tangent(a), tangent(b), tolerance);
  // Greedy: from each node, the longest run that one cubic fits (doubling, then
  // bisection). Longest-first covers a run with the fewest pieces when fitting
  // is monotone (a run that fits keeps fitting when shortened), which it nearly is.
  const start = sharpestPoint(at, n);
  const end = start + n;
  for (let a = start; a < end; ) {
    let good = a + 1;
    let bad = end + 1;
    for (let step = 4; good < end; step *= 2) {
      const b = Math.min(end, a + step);
      if (!fits(a, b)) {
        bad = b;
        break;
      }
      good = b;
    }
    while (bad - good > 1) {
      const mid = (good + bad) >> 1;
      if (fits(a, mid)) good = mid;
      else bad = mid;
    }
    pieces.push(fits(a, good) ?? straightPiece(at, a, good, tangent(a), tangent(good)));
    a = good;
  }
  // merge neighbours that fit as one piece (the split points are greedy)
  for (let merged = true; merged && pieces.length > 1; ) {
    merged = false;
    for (let k = 0; k < pieces.length && pieces.length > 1; k++) {
      const p = pieces[k];
      const q = pieces[(k + 1) % pieces.length];
      const a = p.a;
      const b = q.b > p.a ? q.b : q.b + n;
      if (b - a >= n) continue;
      const one = fitPiece(at, a, b, tangent(a), tangent(b), tolerance);
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

/** The point with the largest turn between its neighbours three away. */
function sharpestPoint(at: (i: number) => Point, n: number): number {
  let best = 0;
  let most = -1;
  for (let i = 0; i < n; i++) {
    const u = unit(sub(at(i), at(i - 3)));
    const v = unit(sub(at(i + 3), at(i)));
    const turn = 1 - dot(u, v);
    if (turn > most) {
      most = turn;
      best = i;
    }
  }
  return best;
}

function bezier(p0: Vec, p1: Vec, p2: Vec, p3: Vec, t: number): Vec {
  const u = 1 - t;
  const b0 = u * u * u;
  const b1 = 3 * u * u * t;
  const b2 = 3 * u * t * t;
  const b3 = t * t * t;
  return {
    x: b0 * p0.x + b1 * p1.x + b2 * p2.x + b3 * p3.x,
    y: b0 * p0.y + b1 * p1.y + b2 * p2.y + b3 * p3.y,
  };
}

/** Chord-length parameters of points a…b. */
function chordParams(at: (i: number) => Point, a: number, b: number): Float64Array {
  const u = new Float64Array(b - a + 1);
  for (let i = a + 1; i <= b; i++) u[i - a] = u[i - a - 1] + len(sub(at(i), at(i - 1)));
  const total = u[b - a];
  for (let i = 0; i < u.length; i++) u[i] = total > 0 ? u[i] / total : i / (u.length - 1);
  return u;
}

/** Least-squares handle lengths along the end tangents for parameters u (Schneider's normal equations). */
function handles(
  at: (i: number) => Point,
  a: number,
  b: number,
  ta: Vec,
  tb: Vec,
  u: Float64Array,
): { c1: Point; c2: Point } {
  const p0 = at(a);
  const p3 = at(b);
  let c11 = 0;
  let c12 = 0;
  let c22 = 0;
  let x1 = 0;
  let x2 = 0;
  for (let k = 0; k < u.length; k++) {
    const t = u[k];
    const s = 1 - t;
    const b1 = 3 * s * s * t;
    const b2 = 3 * s * t * t;
    const a1 = mul(ta, b1);
    const a2 = mul(tb, -b2);
    const base = add(mul(p0, s * s * s + b1), mul(p3, b2 + t * t * t));
    const rest = sub(at(a + k), base);
    c11 += dot(a1, a1);
    c12 += dot(a1, a2);
    c22 += dot(a2, a2);
    x1 += dot(a1, rest);
    x2 += dot(a2, rest);
  }
  const chord = len(sub(p3, p0));
  const det = c11 * c22 - c12 * c12;
  let l1 = Math.abs(det) > 1e-12 ? (x1 * c22 - x2 * c12) / det : 0;
  let l2 = Math.abs(det) > 1e-12 ? (c11 * x2 - c12 * x1) / det : 0;
  // degenerate or wild handles: fall back to a third of the chord (Schneider's heuristic)
  if (!(l1 > 1e-6 * chord && l2 > 1e-6 * chord && l1 < 2 * chord && l2 < 2 * chord)) l1 = l2 = chord / 3;
  return { c1: add(p0, mul(ta, l1)), c2: sub(p3, mul(tb, l2)) };
}

/** One Newton step per parameter towards the point's nearest place on the curve. */
function reparameterize(
  at: (i: number) => Point,
  a: number,
  c: { p0: Vec; p1: Vec; p2: Vec; p3: Vec },
  u: Float64Array,
): void {
  const { p0, p1, p2, p3 } = c;
  for (let k = 1; k < u.length - 1; k++) {
    const t = u[k];
    const q = bezier(p0, p1, p2, p3, t);
    const s = 1 - t;
    const d1 = add(
      add(mul(sub(p1, p0), 3 * s * s), mul(sub(p2, p1), 6 * s * t)),
      mul(sub(p3, p2), 3 * t * t),
    );
    const d2 = add(mul(add(sub(p2, mul(p1, 2)), p0), 6 * s), mul(add(sub(p3, mul(p2, 2)), p1), 6 * t));
    const diff = sub(q, at(a + k));
    const den = dot(d1, d1) + dot(diff, d2);
    if (Math.abs(den) > 1e-12) u[k] = Math.min(1, Math.max(0, t - dot(diff, d1) / den));
  }
}

/** Largest distance from points a…b to the curve at their parameters, and where. */
function maxError(
  at: (i: number) => Point,
  a: number,
  c: { p0: Vec; p1: Vec; p2: Vec; p3: Vec },
  u: Float64Array,
): { error: number; index: number } {
  let error = 0;
  let index = a + (u.length >> 1);
  for (let k = 1; k < u.length - 1; k++) {
    const e = len(sub(bezier(c.p0, c.p1, c.p2, c.p3, u[k]), at(a + k)));
    if (e > error) {
      error = e;
      index = a + k;
    }
  }
  return { error, index };
}

/** One cubic through points a…b within tolerance, or null. */
function fitPiece(
  at: (i: number) => Point,
  a: number,
  b: number,
  ta: Vec,
  tb: Vec,
  tolerance: number,
): Piece | null {
  const u = chordParams(at, a, b);
  for (let iteration = 0; iteration < 6; iteration++) {
    const { c1, c2 } = handles(at, a, b, ta, tb, u);
    const curve = { p0: at(a), p1: c1, p2: c2, p3: at(b) };
    const { error } = maxError(at, a, curve, u);
    if (error <= tolerance) return { a, b, c1, c2 };
    // far off even after the parameters settled (errors along the curve go first): split instead
    if (iteration >= 2 && error > 8 * tolerance) return null;
    reparameterize(at, a, curve, u);
  }
  return null;
}

/** A cubic with handles a third of the chord along the tangents (for runs too short to split). */
function straightPiece(at: (i: number) => Point, a: number, b: number, ta: Vec, tb: Vec): Piece {
  const chord = len(sub(at(b), at(a)));
  return { a, b, c1: add(at(a), mul(ta, chord / 3)), c2: sub(at(b), mul(tb, chord / 3)) };
}

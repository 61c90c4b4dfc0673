/**
 * Stage 5 — curve optimisation (Selinger 2003, §2.5), and the conversion of
 * smoothed pieces into the path model.
 *
 * A run of consecutive Bézier pieces that bend the same way through less
 * than 179° may be replaced by one Bézier. Its control points lie on the
 * run's end tangents, at the fraction α of the way to where those tangents
 * meet, with α chosen so that the new curve encloses the same area as the
 * run. The replacement is accepted when every junction and every piece's
 * midpoint of the run lies within `tolerance` of it. A dynamic programme
 * over the junctions picks the fewest segments, then the smallest deviation.
 */
import type { Point, Segment, Subpath } from '../vector/path.js';
import type { CurvePiece } from './curve.js';

const MAX_TURN = (179 / 180) * Math.PI;

function cross(ax: number, ay: number, bx: number, by: number): number {
  return ax * by - ay * bx;
}

/** Signed area of the closed polygon through `pts`. */
function polygonArea(pts: Point[]): number {
  let a = 0;
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k];
    const q = pts[(k + 1) % pts.length];
    a += cross(p.x, p.y, q.x, q.y);
  }
  return a / 2;
}

/** Area between a piece's Bézier and its chord: the triangle start–vertex–end times 3α(4−α)/10. */
function bulge(p: CurvePiece): number {
  return (polygonArea([p.start, p.vertex, p.end]) * 3 * p.alpha * (4 - p.alpha)) / 10;
}

function turn(p: CurvePiece): number {
  const ax = p.vertex.x - p.start.x;
  const ay = p.vertex.y - p.start.y;
  const bx = p.end.x - p.vertex.x;
  const by = p.end.y - p.vertex.y;
  return Math.atan2(cross(ax, ay, bx, by), ax * bx + ay * by);
}

function bezier(p0: Point, c1: Point, c2: Point, p3: Point, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * c1.x + c * c2.x + d * p3.x, y: a * p0.y + b * c1.y + c * c2.y + d * p3.y };
}

/**
 * Distance from q to the Bézier, searching near sample `hint` (samples[k] is the
 * curve at t = k / (samples.length − 1)); returns the distance and the nearest
 * sample index, which the next (later) check point starts from.
 */
function distToCurve(
  q: Point,
  p0: Point,
  c1: Point,
  c2: Point,
  p3: Point,
  samples: Point[],
  hint: number,
): [number, number] {
  const last = samples.length - 1;
  const d2 = (p: Point) => (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
  let k = hint;
  while (k < last && d2(samples[k + 1]) <= d2(samples[k])) k++;
  while (k > 0 && d2(samples[k - 1]) < d2(samples[k])) k--;
  // golden-section refinement between the neighbouring samples
  let lo = Math.max(0, k - 1) / last;
  let hi = Math.min(last, k + 1) / last;
  const g = 0.381966;
  for (let it = 0; it < 20; it++) {
    const a = lo + g * (hi - lo);
    const b = hi - g * (hi - lo);
    if (d2(bezier(p0, c1, c2, p3, a)) < d2(bezier(p0, c1, c2, p3, b))) hi = b;
    else lo = a;
  }
  return [Math.sqrt(d2(bezier(p0, c1, c2, p3, (lo + hi) / 2))), k];
}

interface Merged {
  c1: Point;
  c2: Point;
  /** Sum of squared deviations at the checked points. */
  penalty: number;
}

/** Tries to replace pieces i..j−1 (all curves, same bend) by one Bézier. */
function tryMerge(pieces: CurvePiece[], i: number, j: number, tolerance: number): Merged | null {
  const p0 = pieces[i].start;
  const p3 = pieces[j - 1].end;
  const t0x = pieces[i].vertex.x - p0.x;
  const t0y = pieces[i].vertex.y - p0.y;
  const t1x = pieces[j - 1].vertex.x - p3.x;
  const t1y = pieces[j - 1].vertex.y - p3.y;
  const den = cross(t0x, t0y, t1x, t1y);
  if (Math.abs(den) < 1e-12) return null;
  const dx = p3.x - p0.x;
  const dy = p3.y - p0.y;
  const s = cross(dx, dy, t1x, t1y) / den;
  const u = cross(dx, dy, t0x, t0y) / den;
  if (s <= 0 || u <= 0) return null;
  const apex = { x: p0.x + s * t0x, y: p0.y + s * t0y };
  const tri = polygonArea([p0, apex, p3]);
  const junctions: Point[] = [];
  let area = 0;
  for (let k = i; k < j; k++) {
    junctions.push(pieces[k].start);
    area += bulge(pieces[k]);
  }
  junctions.push(p3);
  area += polygonArea(junctions);
  const ratio = area / tri;
  if (!(ratio > 0) || ratio > 1.2) return null;
  const alpha = 2 - Math.sqrt(4 - (10 / 3) * ratio);
  const c1 = { x: p0.x + alpha * (apex.x - p0.x), y: p0.y + alpha * (apex.y - p0.y) };
  const c2 = { x: p3.x + alpha * (apex.x - p3.x), y: p3.y + alpha * (apex.y - p3.y) };
  const samples: Point[] = [];
  const steps = 8 * (j - i);
  for (let k = 0; k <= steps; k++) samples.push(bezier(p0, c1, c2, p3, k / steps));
  let penalty = 0;
  let hint = 0;
  for (let k = i; k < j; k++) {
    const pc = pieces[k];
    if (k > i) {
      const [d, h] = distToCurve(pc.start, p0, c1, c2, p3, samples, hint);
      if (d > tolerance) return null;
      penalty += d * d;
      hint = h;
    }
    const [d, h] = distToCurve(bezier(pc.start, pc.c1, pc.c2, pc.end, 0.5), p0, c1, c2, p3, samples, hint);
    if (d > tolerance) return null;
    penalty += d * d;
    hint = h;
  }
  return { c1, c2, penalty };
}

/** The closed subpath for smoothed pieces, optimised when `tolerance` > 0. */
export function toSubpath(pieces: CurvePiece[], tolerance: number): Subpath {
  return mergeCollinear({ start: pieces[0].start, segments: optimizePieces(pieces, tolerance) });
}

/**
 * Segments for a run of smoothed pieces from pieces[0].start to the last
 * piece's end: runs of curve pieces turning the same way are merged into one
 * Bézier where it stays within `tolerance`; fewest segments, then least error.
 */
export function optimizePieces(pieces: CurvePiece[], tolerance: number): Segment[] {
  const m = pieces.length;
  // best[j]: fewest segments (then least penalty) from junction 0 to junction j
  const segs = new Int32Array(m + 1).fill(1 << 30);
  const pen = new Float64Array(m + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(m + 1).fill(-1);
  const merged: (Merged | null)[] = new Array(m + 1).fill(null);
  segs[0] = 0;
  pen[0] = 0;
  for (let j = 1; j <= m; j++) {
    const single = pieces[j - 1];
    segs[j] = segs[j - 1] + (single.kind === 'corner' ? 2 : 1);
    pen[j] = pen[j - 1];
    from[j] = j - 1;
    if (tolerance <= 0 || single.kind === 'corner') continue;
    const bend = Math.sign(turn(single));
    let total = Math.abs(turn(single));
    for (let i = j - 2; i >= 0; i--) {
      const p = pieces[i];
      if (p.kind === 'corner') break;
      const t = turn(p);
      if (Math.sign(t) !== bend) break;
      total += Math.abs(t);
      if (total >= MAX_TURN) break;
      const fit = tryMerge(pieces, i, j, tolerance);
      if (!fit) continue;
      const c = segs[i] + 1;
      const q = pen[i] + fit.penalty;
      if (c < segs[j] || (c === segs[j] && q < pen[j])) {
        segs[j] = c;
        pen[j] = q;
        from[j] = i;
        merged[j] = fit;
      }
    }
  }
  const chain: number[] = [];
  for (let j = m; j > 0; j = from[j]) chain.push(j);
  chain.reverse();
  const segments: Segment[] = [];
  let i = 0;
  for (const j of chain) {
    const fit = merged[j];
    if (fit && from[j] === i && j - i > 1) {
      segments.push({ kind: 'cubic', c1: fit.c1, c2: fit.c2, to: pieces[j - 1].end });
    } else {
      const p = pieces[j - 1];
      if (p.kind === 'corner') {
        segments.push({ kind: 'line', to: p.vertex }, { kind: 'line', to: p.end });
      } else {
        segments.push({ kind: 'cubic', c1: p.c1, c2: p.c2, to: p.end });
      }
    }
    i = j;
  }
  return segments;
}

/** Whether the line a→b continues straight on as b→c (same direction, within a thousandth of a pixel). */
function straightOn(a: Point, b: Point, c: Point): boolean {
  const ux = b.x - a.x;
  const uy = b.y - a.y;
  const vx = c.x - b.x;
  const vy = c.y - b.y;
  const cross = ux * vy - uy * vx;
  const len = Math.hypot(ux, uy) * Math.hypot(vx, vy);
  return ux * vx + uy * vy > 0 && Math.abs(cross) <= 1e-3 * len;
}

/**
 * Joins straight lines that continue one another. A corner is written as two
 * lines meeting at its vertex, so a rectangle arrives as eight lines starting
 * mid-side; it leaves as four, starting at a corner. Fewer nodes, same shape.
 */
export function mergeCollinear(sp: Subpath): Subpath {
  const segs = sp.segments;
  const m = segs.length;
  if (m < 3) return sp;
  const ends = segs.map((s) => s.to); // ends[k] is where segment k ends; segment k starts at ends[k − 1]
  const startOf = (k: number) => ends[(k - 1 + m) % m];
  // junction k (the end of segment k) can go when segments k and k+1 are lines that continue straight on
  const removable = (k: number) => {
    const next = (k + 1) % m;
    return (
      segs[k].kind === 'line' && segs[next].kind === 'line' && straightOn(startOf(k), ends[k], ends[next])
    );
  };
  let first = -1;
  for (let k = m - 1; k >= 0 && first < 0; k--) if (!removable(k)) first = k;
  if (first < 0) return sp;
  const out: Segment[] = [];
  for (let step = 1; step <= m; step++) {
    const k = (first + step) % m;
    if (step < m && removable(k)) continue;
    out.push(segs[k]);
  }
  return out.length === m ? sp : { start: ends[first], segments: out };
}

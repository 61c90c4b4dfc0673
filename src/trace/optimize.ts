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

/** Scratch: the curve's samples (x, y interleaved), grown as needed. */
let sampleBuf = new Float64Array(2 * 64);
/** distToCurve's second result: the nearest sample index. */
let nearestSample = 0;

/**
 * Distance from (qx, qy) to the Bézier p0 c1 c2 p3, searching near sample `hint`
 * (samples k = 0 … last are the curve at t = k / last, in `sampleBuf`); the
 * nearest sample index, which the next (later) check point starts from, is
 * left in `nearestSample`. Written out without closures or points: it runs for
 * every check point of every merge tried.
 */
function distToCurve(
  qx: number,
  qy: number,
  p0x: number,
  p0y: number,
  c1x: number,
  c1y: number,
  c2x: number,
  c2y: number,
  p3x: number,
  p3y: number,
  last: number,
  hint: number,
): number {
  const sm = sampleBuf;
  let k = hint;
  let dk = (sm[2 * k] - qx) ** 2 + (sm[2 * k + 1] - qy) ** 2;
  while (k < last) {
    const dn = (sm[2 * k + 2] - qx) ** 2 + (sm[2 * k + 3] - qy) ** 2;
    if (!(dn <= dk)) break;
    k++;
    dk = dn;
  }
  while (k > 0) {
    const dp = (sm[2 * k - 2] - qx) ** 2 + (sm[2 * k - 1] - qy) ** 2;
    if (!(dp < dk)) break;
    k--;
    dk = dp;
  }
  // golden-section refinement between the neighbouring samples
  let lo = Math.max(0, k - 1) / last;
  let hi = Math.min(last, k + 1) / last;
  const g = 0.381966;
  for (let it = 0; it < 20; it++) {
    const a = lo + g * (hi - lo);
    const b = hi - g * (hi - lo);
    let u = 1 - a;
    let ca = u * u * u;
    let cb = 3 * u * u * a;
    let cc = 3 * u * a * a;
    let cd = a * a * a;
    const ax = ca * p0x + cb * c1x + cc * c2x + cd * p3x;
    const ay = ca * p0y + cb * c1y + cc * c2y + cd * p3y;
    u = 1 - b;
    ca = u * u * u;
    cb = 3 * u * u * b;
    cc = 3 * u * b * b;
    cd = b * b * b;
    const bx = ca * p0x + cb * c1x + cc * c2x + cd * p3x;
    const by = ca * p0y + cb * c1y + cc * c2y + cd * p3y;
    if ((ax - qx) ** 2 + (ay - qy) ** 2 < (bx - qx) ** 2 + (by - qy) ** 2) hi = b;
    else lo = a;
  }
  const t = (lo + hi) / 2;
  const u = 1 - t;
  const ca = u * u * u;
  const cb = 3 * u * u * t;
  const cc = 3 * u * t * t;
  const cd = t * t * t;
  const x = ca * p0x + cb * c1x + cc * c2x + cd * p3x;
  const y = ca * p0y + cb * c1y + cc * c2y + cd * p3y;
  nearestSample = k;
  return Math.sqrt((x - qx) ** 2 + (y - qy) ** 2);
}

interface Merged {
  c1: Point;
  c2: Point;
  /** Sum of squared deviations at the checked points. */
  penalty: number;
}

/** Per-piece values optimizePieces reads for every merge it tries, computed once. */
interface PieceStats {
  /** turn(piece) */
  turn: Float64Array;
  /** bulge(piece) */
  bulge: Float64Array;
  /** The piece's Bézier at t = ½ (x, y interleaved). */
  mid: Float64Array;
}

function pieceStats(pieces: CurvePiece[]): PieceStats {
  const m = pieces.length;
  const st: PieceStats = {
    turn: new Float64Array(m),
    bulge: new Float64Array(m),
    mid: new Float64Array(2 * m),
  };
  for (let k = 0; k < m; k++) {
    const p = pieces[k];
    st.turn[k] = turn(p);
    st.bulge[k] = bulge(p);
    const u = 1 - 0.5;
    const a = u * u * u;
    const b = 3 * u * u * 0.5;
    const c = 3 * u * 0.5 * 0.5;
    const d = 0.5 * 0.5 * 0.5;
    st.mid[2 * k] = a * p.start.x + b * p.c1.x + c * p.c2.x + d * p.end.x;
    st.mid[2 * k + 1] = a * p.start.y + b * p.c1.y + c * p.c2.y + d * p.end.y;
  }
  return st;
}

/** Tries to replace pieces i..j−1 (all curves, same bend) by one Bézier. */
function tryMerge(
  pieces: CurvePiece[],
  st: PieceStats,
  i: number,
  j: number,
  tolerance: number,
): Merged | null {
  const p0 = pieces[i].start;
  const p3 = pieces[j - 1].end;
  const p0x = p0.x;
  const p0y = p0.y;
  const p3x = p3.x;
  const p3y = p3.y;
  const t0x = pieces[i].vertex.x - p0x;
  const t0y = pieces[i].vertex.y - p0y;
  const t1x = pieces[j - 1].vertex.x - p3x;
  const t1y = pieces[j - 1].vertex.y - p3y;
  const den = cross(t0x, t0y, t1x, t1y);
  if (Math.abs(den) < 1e-12) return null;
  const dx = p3x - p0x;
  const dy = p3y - p0y;
  const s = cross(dx, dy, t1x, t1y) / den;
  const u = cross(dx, dy, t0x, t0y) / den;
  if (s <= 0 || u <= 0) return null;
  const apexX = p0x + s * t0x;
  const apexY = p0y + s * t0y;
  // polygonArea([p0, apex, p3]), term by term in the same order
  let tri = 0;
  tri += cross(p0x, p0y, apexX, apexY);
  tri += cross(apexX, apexY, p3x, p3y);
  tri += cross(p3x, p3y, p0x, p0y);
  tri /= 2;
  let area = 0;
  for (let k = i; k < j; k++) area += st.bulge[k];
  // polygonArea of the junctions pieces[i].start … pieces[j − 1].start, p3
  let ja = 0;
  for (let k = i; k < j - 1; k++) {
    const a = pieces[k].start;
    const b = pieces[k + 1].start;
    ja += cross(a.x, a.y, b.x, b.y);
  }
  const lastStart = pieces[j - 1].start;
  ja += cross(lastStart.x, lastStart.y, p3x, p3y);
  ja += cross(p3x, p3y, p0x, p0y);
  area += ja / 2;
  const ratio = area / tri;
  if (!(ratio > 0) || ratio > 1.2) return null;
  const alpha = 2 - Math.sqrt(4 - (10 / 3) * ratio);
  const c1x = p0x + alpha * (apexX - p0x);
  const c1y = p0y + alpha * (apexY - p0y);
  const c2x = p3x + alpha * (apexX - p3x);
  const c2y = p3y + alpha * (apexY - p3y);
  const steps = 8 * (j - i);
  if (sampleBuf.length < 2 * (steps + 1)) sampleBuf = new Float64Array(4 * (steps + 1));
  const sm = sampleBuf;
  for (let k = 0; k <= steps; k++) {
    const t = k / steps;
    const v = 1 - t;
    const a = v * v * v;
    const b = 3 * v * v * t;
    const c = 3 * v * t * t;
    const d = t * t * t;
    sm[2 * k] = a * p0x + b * c1x + c * c2x + d * p3x;
    sm[2 * k + 1] = a * p0y + b * c1y + c * c2y + d * p3y;
  }
  let penalty = 0;
  let hint = 0;
  const mid = st.mid;
  for (let k = i; k < j; k++) {
    if (k > i) {
      const q = pieces[k].start;
      const d = distToCurve(q.x, q.y, p0x, p0y, c1x, c1y, c2x, c2y, p3x, p3y, steps, hint);
      if (d > tolerance) return null;
      penalty += d * d;
      hint = nearestSample;
    }
    const d = distToCurve(mid[2 * k], mid[2 * k + 1], p0x, p0y, c1x, c1y, c2x, c2y, p3x, p3y, steps, hint);
    if (d > tolerance) return null;
    penalty += d * d;
    hint = nearestSample;
  }
  return { c1: { x: c1x, y: c1y }, c2: { x: c2x, y: c2y }, penalty };
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
  const st = pieceStats(pieces);
  const turns = st.turn;
  for (let j = 1; j <= m; j++) {
    const single = pieces[j - 1];
    segs[j] = segs[j - 1] + (single.kind === 'corner' ? 2 : 1);
    pen[j] = pen[j - 1];
    from[j] = j - 1;
    if (tolerance <= 0 || single.kind === 'corner') continue;
    const bend = Math.sign(turns[j - 1]);
    let total = Math.abs(turns[j - 1]);
    for (let i = j - 2; i >= 0; i--) {
      const p = pieces[i];
      if (p.kind === 'corner') break;
      const t = turns[i];
      if (Math.sign(t) !== bend) break;
      total += Math.abs(t);
      if (total >= MAX_TURN) break;
      const fit = tryMerge(pieces, st, i, j, tolerance);
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

/**
 * Cubic Béziers as circular arcs, for writers whose format has arcs but no
 * Béziers (DXF's LWPOLYLINE bulges): each cubic becomes biarcs — two arcs
 * meeting tangentially, matching the cubic's end points and end tangents
 * (the construction with equal tangent lengths, as in Juckett, "Biarc
 * interpolation", 2010) — split in halves until every sample of the cubic lies
 * within the tolerance of its arcs. A circle's four quarter Béziers become
 * four or eight arcs, where chords within 0.05 mm need dozens of vertices.
 */
import type { Point, Subpath } from './path.js';
import { halveCubic } from './transform.js';

/** One piece of the path: a straight line (bulge 0) or an arc to `to`; bulge = tan(included angle / 4), positive counter-clockwise when y points up. */
export interface ArcPiece {
  to: Point;
  bulge: number;
}

const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
const dot = (a: Point, b: Point) => a.x * b.x + a.y * b.y;
const cross = (a: Point, b: Point) => a.x * b.y - a.y * b.x;
const len = (a: Point) => Math.hypot(a.x, a.y);
const unit = (a: Point): Point | null => {
  const l = len(a);
  return l > 1e-12 ? { x: a.x / l, y: a.y / l } : null;
};

/** The arc from `a` to `b` leaving `a` along the unit tangent `t`: its bulge, centre and radius (no centre when straight). */
function arcFrom(a: Point, t: Point, b: Point) {
  const chord = sub(b, a);
  const c = len(chord);
  const alpha = Math.atan2(cross(t, chord), dot(t, chord));
  if (c < 1e-12 || Math.abs(alpha) < 1e-9) return { bulge: 0, centre: null, r: 0 };
  const r = c / (2 * Math.abs(Math.sin(alpha)));
  const s = Math.sign(alpha);
  return { bulge: Math.tan(alpha / 2), centre: { x: a.x - s * r * t.y, y: a.y + s * r * t.x }, r };
}

function cubicAt(p0: Point, p1: Point, p2: Point, p3: Point, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const ab = sub(b, a);
  const l2 = dot(ab, ab);
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, dot(sub(p, a), ab) / l2));
  return Math.hypot(p.x - a.x - t * ab.x, p.y - a.y - t * ab.y);
}

/** Biarcs (or a line) for one cubic within `tolerance`, appended to `out`. */
function cubicArcs(
  p0: Point,
  p1: Point,
  p2: Point,
  p3: Point,
  tolerance: number,
  out: ArcPiece[],
  depth: number,
) {
  const t0 = unit(sub(p1, p0)) ?? unit(sub(p2, p0)) ?? unit(sub(p3, p0));
  const t1 = unit(sub(p3, p2)) ?? unit(sub(p3, p1)) ?? unit(sub(p3, p0));
  if (!t0 || !t1) return; // a point: nothing to draw
  const samples = [1, 2, 3, 4, 5, 6, 7].map((k) => cubicAt(p0, p1, p2, p3, k / 8));
  // one piece where one will do: a line, or the arc through both ends and the middle
  if (samples.every((q) => distanceToSegment(q, p0, p3) <= tolerance)) {
    out.push({ to: p3, bulge: 0 });
    return;
  }
  const one = arcThrough(p0, samples[3], p3);
  if (one && samples.every((q) => Math.abs(len(sub(q, one.centre)) - one.r) <= tolerance)) {
    out.push({ to: p3, bulge: one.bulge });
    return;
  }
  const pieces = biarc(p0, t0, p3, t1);
  if (pieces) {
    const worst = Math.max(
      ...samples.map((q) => {
        return Math.min(
          ...pieces.map((a) =>
            a.centre ? Math.abs(len(sub(q, a.centre)) - a.r) : distanceToSegment(q, a.from, a.to),
          ),
        );
      }),
    );
    if (worst <= tolerance || depth >= 10) {
      for (const a of pieces) out.push({ to: a.to, bulge: a.bulge });
      return;
    }
  } else if (depth >= 10) {
    out.push({ to: p3, bulge: 0 });
    return;
  }
  const [left, right] = halveCubic(p0, p1, p2, p3);
  cubicArcs(...left, tolerance, out, depth + 1);
  cubicArcs(...right, tolerance, out, depth + 1);
}

/** The arc from a through m to b: its bulge, centre and radius; null when the three are in line. */
function arcThrough(a: Point, m: Point, b: Point) {
  const d = 2 * cross(sub(m, a), sub(b, a));
  if (Math.abs(d) < 1e-12) return null;
  const am = dot(sub(m, a), sub(m, a));
  const ab = dot(sub(b, a), sub(b, a));
  const u = sub(m, a);
  const w = sub(b, a);
  // the circumcentre, relative to a
  const cx = (w.y * am - u.y * ab) / d;
  const cy = (u.x * ab - w.x * am) / d;
  const centre = { x: a.x + cx, y: a.y + cy };
  // the tangent at a, turned the way the arc goes (towards m)
  const radial = { x: -cx, y: -cy };
  let t = { x: -radial.y, y: radial.x };
  if (dot(t, sub(m, a)) < 0) t = { x: -t.x, y: -t.y };
  const tangent = unit(t);
  if (!tangent) return null;
  const arc = arcFrom(a, tangent, b);
  return arc.centre ? { bulge: arc.bulge, centre, r: len(radial) } : null;
}

/** Two arcs from p0 (tangent t0) to p3 (tangent t1) meeting tangentially; null when the construction fails (then split). */
function biarc(p0: Point, t0: Point, p3: Point, t1: Point) {
  const v = sub(p3, p0);
  const vv = dot(v, v);
  if (vv < 1e-18) return null;
  const t = { x: t0.x + t1.x, y: t0.y + t1.y };
  const denom = 2 * (1 - dot(t0, t1));
  let d: number;
  if (Math.abs(denom) < 1e-9) {
    const vt1 = dot(v, t1);
    if (Math.abs(vt1) < 1e-9) return null;
    d = vv / (4 * vt1);
  } else {
    const vt = dot(v, t);
    d = (-vt + Math.sqrt(vt * vt + denom * vv)) / denom;
  }
  if (!(d > 0) || !Number.isFinite(d)) return null;
  const q0 = { x: p0.x + d * t0.x, y: p0.y + d * t0.y };
  const q1 = { x: p3.x - d * t1.x, y: p3.y - d * t1.y };
  const pm = { x: (q0.x + q1.x) / 2, y: (q0.y + q1.y) / 2 };
  const tm = unit(sub(q1, q0)) ?? t0;
  return [
    { from: p0, to: pm, ...arcFrom(p0, t0, pm) },
    { from: pm, to: p3, ...arcFrom(pm, tm, p3) },
  ];
}

/** The subpath as lines and arcs, from its start, every cubic within `tolerance` (same units). */
export function subpathArcs(sp: Subpath, tolerance: number): ArcPiece[] {
  const out: ArcPiece[] = [];
  let from = sp.start;
  for (const s of sp.segments) {
    if (s.kind === 'line') out.push({ to: s.to, bulge: 0 });
    else cubicArcs(from, s.c1, s.c2, s.to, tolerance, out, 0);
    from = s.to;
  }
  return out;
}

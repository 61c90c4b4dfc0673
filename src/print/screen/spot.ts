/**
 * The screen's spot functions (index.ts): per dot shape, the share of the
 * cell a dot covers when its outline passes through a point, inverted per
 * tint level into a limit on a cheap metric, and the min/max dot rules.
 */
import { type DotShape, ELLIPSE_RATIO } from './lattice.js';

/** Area of a circle of radius r (centre 0) inside the rectangle |x| ≤ hx, |y| ≤ hy. */
function circleInRect(r: number, hx: number, hy: number): number {
  if (r * r >= hx * hx + hy * hy) return 4 * hx * hy;
  // beyond each side a circular segment is cut off; below the corner radius no two overlap
  const seg = (d: number) => (d >= r ? 0 : r * r * Math.acos(d / r) - d * Math.sqrt(r * r - d * d));
  return Math.PI * r * r - 2 * seg(hx) - 2 * seg(hy);
}

/**
 * Share of the unit cell covered by the round (k = 1) or elliptical dot of
 * "radius" ρ: the set u² + (v / k)² < ρ², clipped to the cell. Scaling v by
 * 1/k turns it into a circle in a 1 × 1/k rectangle, with area scaled by k.
 */
export function ellipseCoverage(rho: number, k = 1): number {
  return k * circleInRect(rho, 0.5, 0.5 / k);
}

/** ρ² at which the round/elliptical dot covers `t` of its cell (bisection; called 256 times per screen). */
function ellipseLimit(t: number, k: number): number {
  let lo = 0;
  let hi = Math.sqrt(0.25 + 0.25 / (k * k));
  for (let n = 0; n < 60; n++) {
    const mid = (lo + hi) / 2;
    if (ellipseCoverage(mid, k) < t) lo = mid;
    else hi = mid;
  }
  const r = (lo + hi) / 2;
  return r * r;
}

/**
 * The limit on the shape's metric below which a point is ink, for a dot
 * covering `t` of its cell. Metrics (u, v relative to the cell centre, in
 * cells): round u² + v², ellipse u² + (v/k)², square max(|u|, |v|), line |v|.
 */
export function spotLimit(shape: DotShape, t: number): number {
  if (t <= 0) return -1; // metrics are ≥ 0: nothing is ink
  if (t >= 1) return Infinity; // everything is ink, cell corners included
  switch (shape) {
    case 'round':
      return ellipseLimit(t, 1);
    case 'ellipse':
      return ellipseLimit(t, ELLIPSE_RATIO);
    case 'square':
      return Math.sqrt(t) / 2;
    default:
      return t / 2;
  }
}

/** The tint a dot gets after the min/max dot rules (see ScreenOptions). */
export function clipTint(t: number, minDot = 0, maxDot = 1): number {
  if (!(t > 0)) return 0;
  if (t >= 1) return 1;
  if (t < minDot) return t < minDot / 2 ? 0 : minDot;
  if (t > maxDot) return t < (maxDot + 1) / 2 ? maxDot : 1;
  return t;
}

/** Per tint byte: the metric limit after clipping. Unclipped tables are shared (dots and outlines use them). */
export function limitTable(shape: DotShape, minDot = 0, maxDot = 1): Float64Array {
  const shared = minDot === 0 && maxDot === 1;
  const cached = shared ? PLAIN_LIMITS.get(shape) : undefined;
  if (cached) return cached;
  const table = new Float64Array(256);
  for (let b = 0; b < 256; b++) table[b] = spotLimit(shape, clipTint(b / 255, minDot, maxDot));
  if (shared) PLAIN_LIMITS.set(shape, table);
  return table;
}

const PLAIN_LIMITS = new Map<DotShape, Float64Array>();

/** The limits as distances (√ of the squared metrics of round and elliptical dots), for the pixel shortcut. */
export function distanceTable(shape: DotShape, limits: Float64Array): Float64Array {
  const squared = shape === 'round' || shape === 'ellipse';
  return limits.map((l) => (l < 0 ? -Infinity : squared ? Math.sqrt(l) : l));
}

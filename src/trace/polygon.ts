/**
 * Stage 2 — the optimal polygon (Selinger 2003, §2.2).
 *
 * A polygon edge from path point i to path point j is *possible* when the
 * path from i−1 to j+1 is straight: it uses at most three of the four
 * directions, and a line through its first point passes within distance 1
 * (max norm) of every point. Among polygons made of possible edges we take
 * the one with the fewest edges, then the smallest total penalty, where an
 * edge's penalty is its length times the standard deviation of the path
 * points' distances from it. Vertex 0 of the path is always a vertex.
 */
import type { LatticePath } from './decompose.js';

/** Prefix sums of x, y, x², xy, y² over the path (origin at point 0), for O(1) fits and penalties. */
export interface PathSums {
  n: number;
  x0: number;
  y0: number;
  sx: Float64Array;
  sy: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  syy: Float64Array;
}

export function pathSums(path: LatticePath): PathSums {
  const n = path.xs.length;
  const x0 = path.xs[0];
  const y0 = path.ys[0];
  const s: PathSums = {
    n,
    x0,
    y0,
    sx: new Float64Array(n + 1),
    sy: new Float64Array(n + 1),
    sxx: new Float64Array(n + 1),
    sxy: new Float64Array(n + 1),
    syy: new Float64Array(n + 1),
  };
  for (let k = 0; k < n; k++) {
    const x = path.xs[k] - x0;
    const y = path.ys[k] - y0;
    s.sx[k + 1] = s.sx[k] + x;
    s.sy[k + 1] = s.sy[k] + y;
    s.sxx[k + 1] = s.sxx[k] + x * x;
    s.sxy[k + 1] = s.sxy[k] + x * y;
    s.syy[k + 1] = s.syy[k] + y * y;
  }
  return s;
}

/** Prefix value at unwrapped index k ≥ 0 (the path is cyclic: each full turn adds arr[n]). */
function prefix(arr: Float64Array, n: number, k: number): number {
  return arr[k % n] + Math.floor(k / n) * arr[n];
}

/** Sums over path points i..j inclusive (unwrapped, 0 ≤ i ≤ j): [Σx, Σy, Σx², Σxy, Σy², count]. */
export function rangeSums(
  s: PathSums,
  i: number,
  j: number,
): [number, number, number, number, number, number] {
  const n = s.n;
  const f = (arr: Float64Array) => prefix(arr, n, j + 1) - prefix(arr, n, i);
  return [f(s.sx), f(s.sy), f(s.sxx), f(s.sxy), f(s.syy), j - i + 1];
}

/**
 * For each i, the largest j (unwrapped, i < j < i + n) such that the path from
 * i to j is straight: no more than three step directions, and one line through
 * point i passes within distance 1 (max norm) of every point up to j.
 *
 * The walk jumps from corner to corner (points where the step direction
 * changes). A line passing within 1 of both ends of an axis-parallel run also
 * passes within 1 of every point between them (the set of such points is
 * convex), so the cone of admissible directions only needs updating at
 * corners; when a corner falls outside the cone, the last admissible point on
 * the run before it is solved for directly. The result equals a point-by-point
 * walk at a fraction of the cost on long straight edges. With `open`, the path
 * is a chain from point 0 to point n − 1 that does not wrap around.
 */
export function straightRuns(path: LatticePath, open = false): Int32Array {
  const { xs, ys } = path;
  const n = xs.length;
  // dir[k]: bit of the step k → k+1 (+x, −x, +y, −y), unwrapped over 2n
  // X, Y: the points unwrapped over two turns (X[k] = xs[k mod n]), so the walk below needs no modulo
  const X = new Int32Array(2 * n + 1);
  const Y = new Int32Array(2 * n + 1);
  X.set(xs);
  X.set(xs, n);
  X[2 * n] = xs[0];
  Y.set(ys);
  Y.set(ys, n);
  Y[2 * n] = ys[0];
  const dir = new Uint8Array(2 * n);
  for (let k = 0; k < 2 * n; k++) {
    const ddx = X[k + 1] - X[k];
    dir[k] = ddx === 1 ? 1 : ddx === -1 ? 2 : Y[k + 1] > Y[k] ? 4 : 8;
  }
  // corner[k]: the first index after k whose step direction differs from step k's
  const corner = new Int32Array(2 * n);
  corner[2 * n - 1] = 2 * n;
  for (let k = 2 * n - 2; k >= 0; k--) corner[k] = dir[k + 1] !== dir[k] ? k + 1 : corner[k + 1];
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // cone of directions from point i that pass within 1 of every point so far,
    // from its clockwise-most bound (lo) to its counter-clockwise-most bound (hi)
    let loX = 0;
    let loY = 0;
    let hiX = 0;
    let hiY = 0;
    let hasCone = false;
    let used = 0;
    const px = xs[i];
    const py = ys[i];
    const last = open ? n - 1 : i + n - 1; // an open chain ends at its last point
    let k = i;
    while (k < last) {
      used |= dir[k];
      if (used === 15) break;
      const k1 = Math.min(corner[k], last);
      const cx = X[k1] - px;
      const cy = Y[k1] - py;
      if (hasCone && (loX * cy - loY * cx < 0 || cx * hiY - cy * hiX < 0)) {
        // the run k → k1 leaves the cone: keep its points up to the last one inside
        const ox = X[k] - px;
        const oy = Y[k] - py;
        const dx = cx === ox ? 0 : cx > ox ? 1 : -1;
        const dy = cy === oy ? 0 : cy > oy ? 1 : -1;
        let t = k1 - k - 1;
        const lb = loX * dy - loY * dx; // d/dt of cross(lo, p(t))
        if (lb < 0) t = Math.min(t, Math.floor((loX * oy - loY * ox) / -lb));
        const hb = dx * hiY - dy * hiX; // d/dt of cross(p(t), hi)
        if (hb < 0) t = Math.min(t, Math.floor((ox * hiY - oy * hiX) / -hb));
        k += t;
        break;
      }
      k = k1;
      if (cx > 1 || cx < -1 || cy > 1 || cy < -1) {
        // the square of half-size 1 around this point lies in a half-plane seen from point i:
        // its extreme corners by angle bound the directions that pass through it
        let lx = cx + 1;
        let ly = cy + 1;
        let ux = lx;
        let uy = ly;
        for (let q = 1; q < 4; q++) {
          const qx = cx + (q & 1 ? -1 : 1);
          const qy = cy + (q & 2 ? -1 : 1);
          if (lx * qy - ly * qx < 0) {
            lx = qx;
            ly = qy;
          }
          if (ux * qy - uy * qx > 0) {
            ux = qx;
            uy = qy;
          }
        }
        if (!hasCone) {
          loX = lx;
          loY = ly;
          hiX = ux;
          hiY = uy;
          hasCone = true;
        } else {
          if (loX * ly - loY * lx > 0) {
            loX = lx;
            loY = ly;
          }
          if (hiX * uy - hiY * ux < 0) {
            hiX = ux;
            hiY = uy;
          }
        }
      }
    }
    end[i] = k;
  }
  return end;
}

/** Penalty of the edge from path point i to j (unwrapped indices, 0 ≤ i < j). */
export function edgePenalty(path: LatticePath, s: PathSums, i: number, j: number): number {
  const n = s.n;
  // sums over points i..j inclusive from the cyclic prefix sums
  const ia = i % n;
  const iw = (i - ia) / n;
  const jb = (j + 1) % n;
  const jw = (j + 1 - jb) / n;
  const sx = s.sx[jb] - s.sx[ia] + (jw - iw) * s.sx[n];
  const sy = s.sy[jb] - s.sy[ia] + (jw - iw) * s.sy[n];
  const sxx = s.sxx[jb] - s.sxx[ia] + (jw - iw) * s.sxx[n];
  const sxy = s.sxy[jb] - s.sxy[ia] + (jw - iw) * s.sxy[n];
  const syy = s.syy[jb] - s.syy[ia] + (jw - iw) * s.syy[n];
  const count = j - i + 1;
  const ax = path.xs[ia] - s.x0;
  const ay = path.ys[ia] - s.y0;
  const vx = path.xs[j % n] - path.xs[ia];
  const vy = path.ys[j % n] - path.ys[ia];
  // ∑ cross(v, p − a)² expanded with the sums of p − a
  const uxx = sxx - 2 * ax * sx + count * ax * ax;
  const uyy = syy - 2 * ay * sy + count * ay * ay;
  const uxy = sxy - ax * sy - ay * sx + count * ax * ay;
  const sum = vx * vx * uyy - 2 * vx * vy * uxy + vy * vy * uxx;
  return Math.sqrt(Math.max(0, sum / count));
}

/**
 * The optimal polygon as path indices (ascending, starting with 0).
 * `straight[i]` is from straightRuns.
 */
export function optimalPolygon(path: LatticePath, straight: Int32Array): number[] {
  const n = path.xs.length;
  if (n < 4) return Array.from({ length: n }, (_, k) => k);
  // reach[i]: furthest j (unwrapped) such that i → j is a possible edge: the path i−1 … j+1 is straight
  const reach = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const prev = (i - 1 + n) % n;
    const endPrev = straight[prev] + (prev > i ? -n : 0); // unwrap relative to i
    reach[i] = Math.min(endPrev - 1, i + n - 1);
    if (reach[i] < i + 1) reach[i] = i + 1;
  }
  // make reach non-decreasing so that "i can reach j" implies "i + 1 can reach j" (cyclically)
  reach[n] = reach[0] + n;
  for (let i = n - 1; i >= 0; i--) if (reach[i] > reach[i + 1]) reach[i] = reach[i + 1];
  return fewestEdges(path, reach, n).slice(0, -1); // index n is vertex 0 again
}

/**
 * The optimal polygon of an open chain (points 0 … n − 1, both ends fixed
 * vertices, e.g. junctions where three colours meet): the same criteria as
 * the closed polygon, with "straight from i − 1 to j + 1" shortened at the ends.
 */
export function optimalOpenPolygon(path: LatticePath, straight: Int32Array): number[] {
  const n = path.xs.length;
  const last = n - 1;
  if (n <= 2) return n === 2 ? [0, 1] : [0];
  const reach = new Int32Array(n);
  for (let i = 0; i < last; i++) {
    const end = i === 0 ? straight[0] : straight[i - 1];
    // j + 1 must stay straight too, except at the chain's end, which has no j + 1
    reach[i] = i === 0 ? end : end >= last ? last : end - 1;
    if (reach[i] < i + 1) reach[i] = i + 1;
  }
  reach[last] = last;
  for (let i = last - 1; i >= 0; i--) if (reach[i] > reach[i + 1]) reach[i] = reach[i + 1];
  return fewestEdges(path, reach, last);
}

/**
 * The dynamic programme both polygons share: vertices 0 … end (ascending,
 * both included) using edges i → j with j ≤ reach[i], fewest edges first, then
 * least total penalty. `reach` must be non-decreasing.
 */
function fewestEdges(path: LatticePath, reach: Int32Array, end: number): number[] {
  const s = pathSums(path);
  const count = new Int32Array(end + 1).fill(1 << 30);
  const pen = new Float64Array(end + 1).fill(Number.POSITIVE_INFINITY);
  const prev = new Int32Array(end + 1).fill(-1);
  count[0] = 0;
  pen[0] = 0;
  // first: smallest i with reach[i] ≥ j (reach is non-decreasing). Fewest edges come from
  // the i with the smallest count, and count is non-decreasing too: scan only that band.
  let first = 0;
  for (let j = 1; j <= end; j++) {
    while (reach[first] < j) first++;
    const c = count[first] + 1;
    for (let i = first; i < j && count[i] === count[first]; i++) {
      const p = pen[i] + edgePenalty(path, s, i, j);
      if (c < count[j] || p < pen[j]) {
        count[j] = c;
        pen[j] = p;
        prev[j] = i;
      }
    }
  }
  const vertices: number[] = [];
  for (let j = end; j > 0; j = prev[j]) vertices.push(j);
  vertices.push(0);
  return vertices.reverse();
}

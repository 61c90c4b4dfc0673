/**
 * Fitting one lattice chain — a boundary between two colours — with the mono
 * method's stages, so that both colours can use the very same curve.
 *
 * An open chain runs between two junctions (lattice points where three or
 * more colours meet, or two meet diagonally). Its ends are fixed corners: the
 * polygon must start and end there, vertex adjustment leaves them alone, and
 * the curve leaves each end with a straight half-edge. Everything between is
 * the closed method unchanged. A closed chain (a loop meeting no junction) is
 * traced like any mono outline.
 */
import type { Point, Segment, Subpath } from '../vector/path.js';
import { adjustVertices, smooth } from './curve.js';
import type { LatticePath } from './decompose.js';
import type { MonoTraceOptions } from './mono.js';
import { optimizePieces, toSubpath } from './optimize.js';
import { optimalOpenPolygon, optimalPolygon, straightRuns } from './polygon.js';

function lattice(xs: Int32Array, ys: Int32Array): LatticePath {
  return { xs, ys, area: 0, outline: true };
}

/** Segments from (xs[0], ys[0]) to (xs[n−1], ys[n−1]) along an open lattice chain. */
export function fitOpenChain(xs: Int32Array, ys: Int32Array, o: MonoTraceOptions): Segment[] {
  const n = xs.length;
  const end: Point = { x: xs[n - 1], y: ys[n - 1] };
  if (n <= 2) return [{ kind: 'line', to: end }];
  const path = lattice(xs, ys);
  const polygon = optimalOpenPolygon(path, straightRuns(path, true));
  const m = polygon.length;
  if (m <= 2) return [{ kind: 'line', to: end }];
  const vertices = adjustVertices(path, polygon);
  // the junctions stay exactly where they are: the neighbouring chains meet them there
  vertices[0] = { x: xs[0], y: ys[0] };
  vertices[m - 1] = end;
  // pieces of the inner vertices only (their neighbours never wrap round)
  const pieces = smooth(vertices, o.alphaMax).slice(1, m - 1);
  const segments: Segment[] = [{ kind: 'line', to: pieces[0].start }];
  segments.push(...optimizePieces(pieces, o.optTolerance));
  segments.push({ kind: 'line', to: end });
  return mergeStraightOn({ x: xs[0], y: ys[0] }, segments);
}

/** A closed lattice loop traced as one outline (the mono method as it is). */
export function fitClosedLoop(xs: Int32Array, ys: Int32Array, o: MonoTraceOptions): Subpath {
  const path = lattice(xs, ys);
  const polygon = optimalPolygon(path, straightRuns(path));
  return toSubpath(smooth(adjustVertices(path, polygon), o.alphaMax), o.optTolerance);
}

/** The same curve run backwards, from the end of `segments` to `start`. */
export function reverseSegments(start: Point, segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let k = segments.length - 1; k >= 0; k--) {
    const s = segments[k];
    const to = k > 0 ? segments[k - 1].to : start;
    out.push(s.kind === 'line' ? { kind: 'line', to } : { kind: 'cubic', c1: s.c2, c2: s.c1, to });
  }
  return out;
}

/** Joins consecutive lines that continue straight on (open chains keep their ends). */
function mergeStraightOn(start: Point, segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const prev = out[out.length - 1];
    if (s.kind === 'line' && prev?.kind === 'line') {
      const a = out.length >= 2 ? out[out.length - 2].to : start;
      const ux = prev.to.x - a.x;
      const uy = prev.to.y - a.y;
      const vx = s.to.x - prev.to.x;
      const vy = s.to.y - prev.to.y;
      if (
        ux * vx + uy * vy > 0 &&
        Math.abs(ux * vy - uy * vx) <= 1e-3 * Math.hypot(ux, uy) * Math.hypot(vx, vy)
      ) {
        out[out.length - 1] = s;
        continue;
      }
    }
    out.push(s);
  }
  return out;
}

/**
 * The mono tracer: bitmap → closed subpaths of lines and cubic Béziers, via
 * the five stages of Selinger's method (decompose → optimal polygon → vertex
 * adjustment → corners and smoothing → curve optimisation), each in its own
 * file. Pure: no I/O, no knowledge of output formats.
 */
import type { Subpath } from '../vector/path.js';
import type { Bitmap } from './bitmap.js';
import { adjustVertices, smooth } from './curve.js';
import { decompose, type TurnPolicy } from './decompose.js';
import { toSubpath } from './optimize.js';
import { optimalPolygon, straightRuns } from './polygon.js';

export interface MonoTraceOptions {
  /** Paths enclosing this many pixels or fewer are dropped (potrace's turdsize, default 2). */
  turdSize: number;
  /** Corner threshold: 0 = all corners, 1.3334 = no corners (default 1). */
  alphaMax: number;
  /** Curve optimisation tolerance in pixels; 0 turns optimisation off (default 0.2). */
  optTolerance: number;
  turnPolicy: TurnPolicy;
}

export const DEFAULT_MONO_OPTIONS: MonoTraceOptions = {
  turdSize: 2,
  alphaMax: 1,
  optTolerance: 0.2,
  turnPolicy: 'minority',
};

/** Traces every outline and hole of the bitmap. Fill the result with the even-odd rule. */
export function traceBitmap(bm: Bitmap, options: Partial<MonoTraceOptions> = {}): Subpath[] {
  const o = { ...DEFAULT_MONO_OPTIONS, ...options };
  const out: Subpath[] = [];
  for (const path of decompose(bm, { turdSize: o.turdSize, turnPolicy: o.turnPolicy })) {
    const polygon = optimalPolygon(path, straightRuns(path));
    const vertices = adjustVertices(path, polygon);
    out.push(toSubpath(smooth(vertices, o.alphaMax), o.optTolerance));
  }
  return out;
}

/**
 * Vector shapes to a 1-bit label map at film resolution: a scanline even-odd
 * fill sampled at pixel centres, no anti-aliasing. A pixel belongs to a shape
 * when its centre lies inside, so two shapes that share a boundary (the
 * planar map of the colour tracer) split the pixels between them with neither
 * gap nor overlap. Written here rather than rendered by a library so that
 * films are exactly reproducible and crisp at any DPI.
 */

import type { Subpath } from '../vector/path.js';
import { flatten } from '../vector/transform.js';

export interface Placement {
  /** Pixels of the map per unit of the shapes' coordinates. */
  scale: number;
  /** Where the shapes' origin lands in the map, in pixels. */
  offsetX: number;
  offsetY: number;
}

/**
 * Paints `value` into `map` (width × height) wherever the even-odd interior of
 * `subpaths` covers a pixel centre. Later calls paint over earlier ones.
 */
export function fillSubpaths(
  map: Uint8Array,
  width: number,
  height: number,
  subpaths: readonly Subpath[],
  value: number,
  at: Placement,
): void {
  // edges as flat arrays: x0, y0, x1, y1 in map pixels, y0 < y1
  const edges: number[] = [];
  const tolerance = 0.1 / at.scale; // a tenth of a film pixel
  for (const sp of subpaths) {
    const pts = flatten(sp, tolerance);
    for (let k = 0; k < pts.length; k++) {
      const a = pts[k];
      const b = pts[(k + 1) % pts.length];
      const ax = a.x * at.scale + at.offsetX;
      const ay = a.y * at.scale + at.offsetY;
      const bx = b.x * at.scale + at.offsetX;
      const by = b.y * at.scale + at.offsetY;
      if (ay === by) continue; // horizontal edges cross no scanline centre
      if (ay < by) edges.push(ax, ay, bx, by);
      else edges.push(bx, by, ax, ay);
    }
  }
  const count = edges.length / 4;
  if (count === 0) return;
  // edges sorted by the first row whose centre they reach
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (i, j) => edges[i * 4 + 1] - edges[j * 4 + 1],
  );
  let next = 0;
  let active: number[] = [];
  const xs: number[] = [];
  for (let y = 0; y < height; y++) {
    const yc = y + 0.5;
    while (next < count && edges[order[next] * 4 + 1] <= yc) active.push(order[next++]);
    active = active.filter((e) => edges[e * 4 + 3] > yc);
    if (active.length === 0) {
      if (next >= count) break;
      continue;
    }
    xs.length = 0;
    for (const e of active) {
      const x0 = edges[e * 4];
      const y0 = edges[e * 4 + 1];
      const x1 = edges[e * 4 + 2];
      const y1 = edges[e * 4 + 3];
      xs.push(x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0));
    }
    xs.sort((a, b) => a - b);
    const row = y * width;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // pixels whose centre x + 0.5 lies in [xs[k], xs[k + 1])
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(width, Math.ceil(xs[k + 1] - 0.5));
      if (to > from) map.fill(value, row + from, row + to);
    }
  }
}

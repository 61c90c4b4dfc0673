/**
 * Geometry of the ink for the distress (index.ts): where the ink is, where
 * stroke widths are measured from, how wide each stroke is, and its parts.
 */
import { distanceTransform } from '../../raster/distance.js';
import { labelComponents, neighbour4 } from '../../raster/mask.js';

/** Ink coverage at or above this (of 255) counts as ink. */
export const INK = 128;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function inkBounds(ink: Uint8Array, width: number, height: number): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (ink[i] < INK) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** 1 where a pixel is not ink, or is ink touching (4-neighbour) ink of another region: where widths are measured from. */
export function regionEdges(
  member: Uint8Array,
  regions: ArrayLike<number> | null,
  width: number,
  height: number,
): Uint8Array {
  const n = width * height;
  const edge = new Uint8Array(n);
  for (let i = 0; i < n; i++) edge[i] = member[i] ? 0 : 1;
  if (!regions) return edge;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!member[i]) continue;
      const r = regions[i];
      if (
        (x > 0 && member[i - 1] && regions[i - 1] !== r) ||
        (x < width - 1 && member[i + 1] && regions[i + 1] !== r) ||
        (y > 0 && member[i - width] && regions[i - width] !== r) ||
        (y < height - 1 && member[i + width] && regions[i + width] !== r)
      )
        edge[i] = 1;
    }
  }
  return edge;
}

/**
 * Half the local stroke width per ink pixel: the largest k of `levels` such
 * that a (2k − 1)-wide square free of edges covers the pixel — the
 * morphological opening of the ink at each size (1 when none does). Values
 * between two levels round down, to the more protective side. Pixels on a
 * colour boundary take the value of a neighbour in their region.
 */
export function halfWidths(
  dist: Uint8Array,
  member: Uint8Array,
  edge: Uint8Array,
  regions: ArrayLike<number> | null,
  width: number,
  height: number,
  levels: readonly number[],
): Uint8Array {
  const n = width * height;
  const half = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (member[i] && !edge[i]) half[i] = 1;
  // Each level's core (dist ≥ k) reaches only k − 1 pixels beyond its bounding box: the
  // chessboard distance is computed in that window alone (exact: a rectangle holds the
  // straight 8-connected paths), from one pass that finds every core's box.
  const sorted = [...new Set(levels)].sort((a, b) => a - b);
  const L = sorted.length;
  const levelOf = new Int8Array(256).fill(-1); // the highest level index whose core holds a distance
  for (let d = 0; d < 256; d++) for (let l = 0; l < L; l++) if (d >= sorted[l]) levelOf[d] = l;
  const bx0 = new Int32Array(L).fill(width);
  const by0 = new Int32Array(L).fill(height);
  const bx1 = new Int32Array(L).fill(-1);
  const by1 = new Int32Array(L).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const l = levelOf[dist[i]];
      if (l < 0) continue;
      if (x < bx0[l]) bx0[l] = x;
      if (x > bx1[l]) bx1[l] = x;
      if (y < by0[l]) by0[l] = y;
      if (y > by1[l]) by1[l] = y;
    }
  }
  for (let l = L - 2; l >= 0; l--) {
    // a level's core holds every higher level's
    if (bx0[l + 1] < bx0[l]) bx0[l] = bx0[l + 1];
    if (bx1[l + 1] > bx1[l]) bx1[l] = bx1[l + 1];
    if (by0[l + 1] < by0[l]) by0[l] = by0[l + 1];
    if (by1[l + 1] > by1[l]) by1[l] = by1[l + 1];
  }
  let core: Uint8Array | null = null;
  let reach: Uint8Array | null = null;
  let queue: Int32Array | null = null;
  for (let l = 0; l < L; l++) {
    if (bx1[l] < 0) break;
    const k = sorted[l];
    const x0 = Math.max(0, bx0[l] - (k - 1));
    const x1 = Math.min(width - 1, bx1[l] + (k - 1));
    const y0 = Math.max(0, by0[l] - (k - 1));
    const y1 = Math.min(height - 1, by1[l] + (k - 1));
    const ww = x1 - x0 + 1;
    const wh = y1 - y0 + 1;
    core ??= new Uint8Array(n);
    reach ??= new Uint8Array(n);
    queue ??= new Int32Array(n);
    for (let y = y0, j = 0; y <= y1; y++) {
      for (let x = x0, i = y * width + x0; x <= x1; x++, i++, j++) core[j] = dist[i] >= k ? 1 : 0;
    }
    distanceTransform(core.subarray(0, ww * wh), ww, wh, {
      metric: 'chessboard',
      max: k - 1,
      out: reach,
      queue,
    });
    for (let y = y0, j = 0; y <= y1; y++) {
      for (let x = x0, i = y * width + x0; x <= x1; x++, i++, j++)
        if (reach[j] <= k - 1 && member[i]) half[i] = k;
    }
  }
  if (regions) {
    for (let y = 0; y < height; y++) {
      for (let x = 0, i = y * width; x < width; x++, i++) {
        if (!member[i] || !edge[i]) continue;
        let best = 1;
        const r = regions[i];
        if (x > 0 && regions[i - 1] === r && half[i - 1] > best) best = half[i - 1];
        if (x < width - 1 && regions[i + 1] === r && half[i + 1] > best) best = half[i + 1];
        if (y > 0 && regions[i - width] === r && half[i - width] > best) best = half[i - width];
        if (y < height - 1 && regions[i + width] === r && half[i + width] > best) best = half[i + width];
        half[i] = best;
      }
    }
  }
  return half;
}

export interface Parts {
  labels: Int32Array;
  areas: number[];
}

/** 4-connected parts of the ink; with regions, of equal region id. */
export function labelParts(
  member: Uint8Array,
  regions: ArrayLike<number> | null,
  width: number,
  height: number,
): Parts {
  if (!regions) return labelComponents(member, width, height);
  const n = width * height;
  const labels = new Int32Array(n);
  const areas: number[] = [0];
  const queue = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!member[start] || labels[start]) continue;
    const label = areas.length;
    const r = regions[start];
    let tail = 0;
    labels[start] = label;
    queue[tail++] = start;
    // breadth-first, written out without a closure: this loop runs for every pixel
    for (let head = 0; head < tail; head++) {
      const i = queue[head];
      for (let k = 0; k < 4; k++) {
        const j = neighbour4(i, k, width, n);
        if (j >= 0 && member[j] && !labels[j] && regions[j] === r) {
          labels[j] = label;
          queue[tail++] = j;
        }
      }
    }
    areas.push(tail);
  }
  return { labels, areas };
}

/**
 * The distress's legibility rules (index.ts, docs/DISTRESS.md): cap what each
 * part of the art may lose, then make every feature printable — no ink
 * slivers between holes, no holes or ink specks smaller than the minimum.
 * (Knocked-out slivers are opened away in index.ts with raster/morphology.ts.)
 */
import { labelComponents } from '../../raster/mask.js';
import { closeOctagon } from '../../raster/morphology.js';
import type { Parts } from './geometry.js';

/** Un-knocks the least-worn pixels of every part that lost more than `cap` of its area. */
export function capPerPart(knock: Uint8Array, score: Float32Array, parts: Parts, cap: number): void {
  const { labels, areas } = parts;
  const removed = new Int32Array(areas.length);
  for (let i = 0; i < knock.length; i++) if (knock[i]) removed[labels[i]]++;
  const start = new Int32Array(areas.length + 1);
  let total = 0;
  for (let l = 1; l < areas.length; l++) {
    start[l] = total;
    if (removed[l] > Math.floor(cap * areas[l])) total += removed[l];
  }
  if (total === 0) return;
  const fill = start.slice();
  const order = new Int32Array(total);
  for (let i = 0; i < knock.length; i++) {
    const l = labels[i];
    if (knock[i] && removed[l] > Math.floor(cap * areas[l])) order[fill[l]++] = i;
  }
  for (let l = 1; l < areas.length; l++) {
    const keep = Math.floor(cap * areas[l]);
    if (removed[l] <= keep) continue;
    const group = order.subarray(start[l], start[l] + removed[l]);
    group.sort((a, b) => score[b] - score[a] || a - b);
    for (let k = keep; k < group.length; k++) knock[group[k]] = 0;
  }
}

/**
 * Knocks out ink left narrower than 2r + 1 pixels between holes (a closing of
 * the knock-out with the same octagon), only where the art itself is wider
 * than that: the art's own hairlines stay.
 */
export function addInkSlivers(
  knock: Uint8Array,
  member: Uint8Array,
  half: Uint8Array,
  width: number,
  height: number,
  r: number,
): void {
  const closed = closeOctagon(knock, width, height, r);
  for (let i = 0; i < knock.length; i++) {
    if (!knock[i] && member[i] && closed[i] && half[i] > r + 1) knock[i] = 1;
  }
}

/** Fills knocked-out holes smaller than `minArea` pixels. */
export function fillSmallHoles(knock: Uint8Array, width: number, height: number, minArea: number): void {
  const { labels, areas } = labelComponents(knock, width, height);
  for (let i = 0; i < knock.length; i++) if (knock[i] && areas[labels[i]] < minArea) knock[i] = 0;
}

/**
 * Knocks out surviving ink specks smaller than `minArea` pixels, unless a
 * speck holds a whole part of the art (a dot that was that small to begin with).
 */
export function removeInkSpecks(
  knock: Uint8Array,
  member: Uint8Array,
  parts: Parts,
  width: number,
  height: number,
  minArea: number,
): void {
  const n = knock.length;
  const left = new Uint8Array(n);
  for (let i = 0; i < n; i++) left[i] = member[i] && !knock[i] ? 1 : 0;
  const specks = labelComponents(left, width, height);
  // how many pixels of each part sit in small specks: all of them = a whole part
  const inSpecks = new Int32Array(parts.areas.length);
  for (let i = 0; i < n; i++)
    if (left[i] && specks.areas[specks.labels[i]] < minArea) inSpecks[parts.labels[i]]++;
  const whole = new Uint8Array(specks.areas.length);
  for (let i = 0; i < n; i++) {
    if (!left[i]) continue;
    const p = parts.labels[i];
    if (inSpecks[p] === parts.areas[p]) whole[specks.labels[i]] = 1;
  }
  for (let i = 0; i < n; i++) {
    const s = specks.labels[i];
    if (left[i] && specks.areas[s] < minArea && !whole[s]) knock[i] = 1;
  }
}

/** Where clean-up pushed a part past `hardCap` removed, takes back what clean-up added there. */
export function guardParts(knock: Uint8Array, capped: Uint8Array, parts: Parts, hardCap: number): void {
  const { labels, areas } = parts;
  const removed = new Int32Array(areas.length);
  for (let i = 0; i < knock.length; i++) if (knock[i]) removed[labels[i]]++;
  for (let i = 0; i < knock.length; i++) {
    const l = labels[i];
    if (knock[i] && (removed[l] > hardCap * areas[l] || removed[l] === areas[l]) && !capped[i]) knock[i] = 0;
  }
}

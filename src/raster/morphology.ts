/**
 * Morphology on width×height masks (1 = set), built on distance.ts: pixels
 * within a radius of a set are its dilation, pixels farther than it from
 * the outside its erosion.
 *
 * Two structuring elements, for two uses:
 *   - octagons (chamfer 3-4 discs) for the distress's clean-up: openings and
 *     closings that drop slivers without leaving square holes, cheaply;
 *   - exact discs (Euclidean) for chokes and spreads, where an ink edge must
 *     move by just the asked distance in every direction (`offsetMap`).
 */
import { distanceTransform } from './distance.js';

/** Chamfer radius of the structuring octagon for a half-width r: 3r + 1 takes in the diagonals (3 × 3 at r = 1). */
const octagon = (r: number) => 3 * r + 1;

/** 1 where the chamfer distance to a set pixel of `mask` is at most R (the dilation by the octagon of radius R). */
function dilateBy(mask: Uint8Array, width: number, height: number, R: number): Uint8Array {
  const d = distanceTransform(mask, width, height, { metric: 'chamfer', max: R });
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = d[i] <= R ? 1 : 0;
  return out;
}

/** 1 where the chamfer distance to a clear pixel of `mask` is above R (the erosion by the octagon of radius R). */
function erodeBy(mask: Uint8Array, width: number, height: number, R: number): Uint8Array {
  const outside = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) outside[i] = mask[i] ? 0 : 1;
  const d = distanceTransform(outside, width, height, { metric: 'chamfer', max: R });
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = d[i] > R ? 1 : 0;
  return out;
}

/** Morphological opening with an octagon of half-width r: drops set parts narrower than 2r + 1 pixels. */
export function openOctagon(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const R = octagon(r);
  const back = dilateBy(erodeBy(mask, width, height, R), width, height, R);
  for (let i = 0; i < mask.length; i++) back[i] = mask[i] && back[i] ? 1 : 0;
  return back;
}

/** Morphological closing with an octagon of half-width r: fills clear gaps narrower than 2r + 1 pixels. */
export function closeOctagon(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const R = octagon(r);
  return erodeBy(dilateBy(mask, width, height, R), width, height, R);
}

/** Grows (d > 0) or shrinks (d < 0) a map by |d| film pixels, measured exactly (Euclidean). */
export function offsetMap(map: Uint8Array, width: number, height: number, d: number): Uint8Array {
  if (d === 0) return map.slice();
  const grow = d > 0;
  const r = Math.abs(d);
  // padded so that distances reach past the art box's edge (the art touches it)
  const pad = Math.ceil(r) + 2;
  const pw = width + 2 * pad;
  const ph = height + 2 * pad;
  const source = new Uint8Array(pw * ph);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = map[y * width + x];
      // growing measures the distance to the map; shrinking, to what is outside it
      source[(y + pad) * pw + x + pad] = grow ? v : v ? 0 : 1;
    }
  }
  if (!grow) {
    for (let y = 0; y < ph; y++) {
      for (let x = 0; x < pw; x++) {
        if (x < pad || y < pad || x >= pad + width || y >= pad + height) source[y * pw + x] = 1;
      }
    }
  }
  const dist = distanceTransform(source, pw, ph, { metric: 'euclidean' });
  // a pixel k steps from the edge lies k pixel-centre steps away: an offset of r
  // moves the edge by round(r) pixels (r + ½ on the squared scale, half rounding up)
  const limit = (r + 0.5) * (r + 0.5);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const q = dist[(y + pad) * pw + x + pad];
      out[i] = grow ? (map[i] || q < limit ? 1 : 0) : map[i] && q >= limit ? 1 : 0;
    }
  }
  return out;
}

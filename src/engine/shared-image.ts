/**
 * Pixel buffers that cross into worker threads without a copy: an RgbaImage
 * whose bytes live in a SharedArrayBuffer. Decoded once on the main thread,
 * every worker reads the same memory.
 */

import type { ArtAnalysis } from '../analysis/index.js';
import type { Rgb } from '../color/color.js';
import type { Rect, RgbaImage } from '../io/image.js';
import type { Cutout } from '../variations/types.js';

export interface SharedImage {
  width: number;
  height: number;
  buffer: SharedArrayBuffer;
}

export function share(image: RgbaImage): SharedImage {
  if (image.data.buffer instanceof SharedArrayBuffer && image.data.byteOffset === 0) {
    return { width: image.width, height: image.height, buffer: image.data.buffer };
  }
  const buffer = new SharedArrayBuffer(image.data.length);
  new Uint8Array(buffer).set(image.data);
  return { width: image.width, height: image.height, buffer };
}

export function unshare(s: SharedImage): RgbaImage {
  return { width: s.width, height: s.height, data: new Uint8Array(s.buffer) };
}

/** A cutout as it crosses threads: the full image shared, the crop recomputed where needed. */
export interface SharedCutout {
  full: SharedImage;
  bounds: Rect;
  background: Rgb | null;
  removed: boolean;
  analysis: ArtAnalysis;
}

export function shareCutout(c: Cutout): SharedCutout {
  return {
    full: share(c.full),
    bounds: c.bounds,
    background: c.background,
    removed: c.removed,
    analysis: c.analysis,
  };
}

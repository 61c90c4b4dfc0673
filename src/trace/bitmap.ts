/**
 * A 1-bit bitmap for tracing: 1 = ink, 0 = paper, one byte per pixel (simple
 * and fast enough; the tracer visits each pixel a handful of times).
 */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  return { width, height, bits: new Uint8Array(width * height) };
}

/** Pixel value with everything outside the bitmap reading as paper. */
export function get(bm: Bitmap, x: number, y: number): number {
  return x >= 0 && y >= 0 && x < bm.width && y < bm.height ? bm.bits[y * bm.width + x] : 0;
}

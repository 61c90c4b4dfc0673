/**
 * The one in-memory image every variation shares: sRGB, 8-bit, RGBA, straight
 * (non-premultiplied) alpha, rows top to bottom without padding.
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes. */
  readonly data: Uint8Array;
}

export function createImage(width: number, height: number, data?: Uint8Array): RgbaImage {
  const size = width * height * 4;
  if (data && data.length !== size) {
    throw new RangeError(
      `Expected ${size} bytes for a ${width}×${height} RGBA image but received ${data.length}`,
    );
  }
  return { width, height, data: data ?? new Uint8Array(size) };
}

/** True when any pixel is less than fully opaque. */
export function hasTransparency(image: RgbaImage, below = 255): boolean {
  const d = image.data;
  for (let i = 3; i < d.length; i += 4) if (d[i] < below) return true;
  return false;
}

/** Counts pixels whose alpha is above `threshold`. */
export function countVisible(image: RgbaImage, threshold = 0): number {
  const d = image.data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > threshold) n++;
  return n;
}

/** Sharp's raw-input descriptor for this image. */
export function rawDescriptor(image: RgbaImage): { raw: { width: number; height: number; channels: 4 } } {
  return { raw: { width: image.width, height: image.height, channels: 4 } };
}

/** A rectangle of pixels (bounds, crops, placements). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

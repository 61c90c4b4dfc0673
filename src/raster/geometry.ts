/**
 * Rectangles, content bounds, crop and pad on RgbaImage. Pure, no sharp.
 */
import { createImage, type Rect, type RgbaImage } from '../io/image.js';

/** Smallest rectangle holding every pixel whose alpha is above `threshold`; null if none. */
export function contentBounds(image: RgbaImage, threshold = 0): Rect | null {
  const { width, height, data } = image;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      if (data[row + x * 4 + 3] > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Copies a rectangle out of an image (the rectangle must lie inside it). */
export function crop(image: RgbaImage, r: Rect): RgbaImage {
  const out = createImage(r.width, r.height);
  const rowBytes = r.width * 4;
  for (let y = 0; y < r.height; y++) {
    const src = ((r.y + y) * image.width + r.x) * 4;
    out.data.set(image.data.subarray(src, src + rowBytes), y * rowBytes);
  }
  return out;
}

/** Adds `pad` transparent pixels on every side. */
export function pad(image: RgbaImage, padPx: number, fill = 0): RgbaImage {
  if (padPx <= 0) return image;
  const out = createImage(image.width + 2 * padPx, image.height + 2 * padPx);
  if (fill) out.data.fill(fill);
  const rowBytes = image.width * 4;
  for (let y = 0; y < image.height; y++) {
    out.data.set(
      image.data.subarray(y * rowBytes, (y + 1) * rowBytes),
      ((y + padPx) * out.width + padPx) * 4,
    );
  }
  return out;
}

/** Fits a w×h box inside maxW×maxH keeping the aspect ratio; never returns 0. */
export function fitInside(
  w: number,
  h: number,
  maxW: number,
  maxH: number,
): { width: number; height: number } {
  const s = Math.min(maxW / w, maxH / h);
  return { width: Math.max(1, Math.round(w * s)), height: Math.max(1, Math.round(h * s)) };
}

/**
 * Where art of artW×artH goes inside `area`: scaled to fit (keeping its aspect
 * ratio) with `margin` (a fraction of the area's shorter side) on every side,
 * centred. With `circle`, the art's corners stay inside the area's inscribed
 * circle (profile pictures, maskable icons).
 */
export function fitBox(
  artW: number,
  artH: number,
  area: Rect,
  o: { margin: number; circle?: boolean },
): Rect {
  const m = o.margin * Math.min(area.width, area.height);
  let s: number;
  if (o.circle) {
    const diameter = Math.min(area.width, area.height) - 2 * m;
    s = diameter / Math.hypot(artW, artH);
  } else {
    s = Math.min((area.width - 2 * m) / artW, (area.height - 2 * m) / artH);
  }
  const width = Math.max(1, Math.floor(artW * s));
  const height = Math.max(1, Math.floor(artH * s));
  return {
    x: area.x + Math.floor((area.width - width) / 2),
    y: area.y + Math.floor((area.height - height) / 2),
    width,
    height,
  };
}

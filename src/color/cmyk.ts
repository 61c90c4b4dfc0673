/**
 * CMYK from RGB, the plain way (no ICC profiles): a flat colour's CMYK
 * equivalent (the alternate colour of a PDF /Separation, an ink's report) and
 * per-pixel CMYK tints with grey-component replacement for process films.
 */

import type { RgbaImage } from '../io/image.js';
import { rgb01 } from './color.js';

/** Naive RGB → CMYK: K = 1 − max(r, g, b); C, M, Y take the rest (all zero for black). */
export function cmykOf(hex: string): [number, number, number, number] {
  const [r, g, b] = rgb01(hex);
  const k = 1 - Math.max(r, g, b);
  if (k >= 1) return [0, 0, 0, 1];
  return [(1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k];
}

/**
 * CMYK tints (0–255 each, 255 = solid) of an RGBA image: K = gcr × (1 − max(r, g, b)),
 * C = (1 − r − K) / (1 − K) and so on; all scaled by alpha (no ink where transparent).
 */
export function cmykTints(image: RgbaImage, gcr: number): Uint8Array[] {
  const n = image.width * image.height;
  const out = [0, 1, 2, 3].map(() => new Uint8Array(n));
  const d = image.data;
  for (let i = 0; i < n; i++) {
    const a = d[i * 4 + 3] / 255;
    if (a === 0) continue;
    const r = d[i * 4] / 255;
    const g = d[i * 4 + 1] / 255;
    const b = d[i * 4 + 2] / 255;
    const k = gcr * (1 - Math.max(r, g, b));
    const rest = 1 - k;
    const tints = rest <= 0 ? [0, 0, 0, 1] : [(1 - r - k) / rest, (1 - g - k) / rest, (1 - b - k) / rest, k];
    for (let c = 0; c < 4; c++) out[c][i] = Math.round(Math.min(1, Math.max(0, tints[c])) * a * 255);
  }
  return out;
}

/**
 * Tone operations on RgbaImage: one-colour silhouettes and luminance-correct
 * greyscale. Alpha (and with it every anti-aliased edge) is carried over exactly.
 */
import { linearToSrgb8, type Rgb, SRGB_TO_LINEAR } from '../color/color.js';
import { createImage, type RgbaImage } from '../io/image.js';

export type Knockout = 'white' | 'none';

/**
 * Paints every visible pixel in `color`, keeping alpha. With `knockout: 'white'`,
 * near-white parts of the art (white text inside a badge, the inside of an "O"
 * when the background was not cleared) are knocked out instead of filled, as in
 * a real one-colour print version. Ink amount k = how far a pixel is from white
 * (GIMP's colour-to-alpha against white); k ≥ 0.2 is full ink, k ≤ 0.05 none.
 */
export function silhouette(image: RgbaImage, color: Rgb, knockout: Knockout): RgbaImage {
  const out = createImage(image.width, image.height);
  const s = image.data;
  const o = out.data;
  for (let p = 0; p < s.length; p += 4) {
    const a = s[p + 3];
    if (a === 0) continue;
    let ink = 1;
    if (knockout === 'white') {
      const k = (255 - Math.min(s[p], s[p + 1], s[p + 2])) / 255;
      ink = k >= 0.2 ? 1 : k <= 0.05 ? 0 : (k - 0.05) / 0.15;
    }
    o[p] = color.r;
    o[p + 1] = color.g;
    o[p + 2] = color.b;
    o[p + 3] = Math.round(a * ink);
  }
  return out;
}

/** Greyscale from relative luminance in linear light, re-encoded as sRGB. */
export function grayscale(image: RgbaImage): RgbaImage {
  const lut = new Map<number, number>();
  const out = createImage(image.width, image.height);
  const s = image.data;
  const o = out.data;
  for (let p = 0; p < s.length; p += 4) {
    const key = (s[p] << 16) | (s[p + 1] << 8) | s[p + 2];
    let g = lut.get(key);
    if (g === undefined) {
      g = linearToSrgb8(
        0.2126 * SRGB_TO_LINEAR[s[p]] + 0.7152 * SRGB_TO_LINEAR[s[p + 1]] + 0.0722 * SRGB_TO_LINEAR[s[p + 2]],
      );
      lut.set(key, g);
    }
    o[p] = g;
    o[p + 1] = g;
    o[p + 2] = g;
    o[p + 3] = s[p + 3];
  }
  return out;
}

/**
 * Tone operations on RgbaImage: one-colour silhouettes and luminance-correct
 * greyscale. Alpha (and with it every anti-aliased edge) is carried over exactly.
 */
import { deltaEMap, linearToSrgb8, type Rgb, SRGB_TO_LINEAR } from '../color/color.js';
import { createImage, type RgbaImage } from '../io/image.js';

/**
 * Paints every visible pixel in `color`, keeping alpha. With a `knockout`
 * colour, parts of the art in (or near) that colour — white text inside a
 * badge, the cream inside an "O" when the background was not cleared — are
 * knocked out instead of filled, as in a real one-colour print version.
 * Ink ramps from 0 at ΔE76 ≤ 8 from the knockout colour to 1 at ΔE76 ≥ 20,
 * so anti-aliased edges between ink and knockout stay smooth.
 */
export function silhouette(image: RgbaImage, color: Rgb, knockout: Rgb | null): RgbaImage {
  const out = createImage(image.width, image.height);
  const s = image.data;
  const o = out.data;
  const dE = knockout ? deltaEMap(s, knockout) : null;
  for (let p = 0, i = 0; p < s.length; p += 4, i++) {
    const a = s[p + 3];
    if (a === 0) continue;
    const ink = dE ? Math.max(0, Math.min(1, (dE[i] - 8) / 12)) : 1;
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

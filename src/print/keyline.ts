/**
 * One-colour versions that keep the design. A multi-colour logo printed in one
 * ink as a plain silhouette loses everything inside it (a mascot's face, a fox
 * inside a globe). A designer instead inks the dark and saturated colour
 * regions, knocks out the light ones, and where two inked regions of different
 * colours touch leaves a thin **keyline** gap so they stay apart.
 *
 * `inkCoverage` says, per pixel, how much of it is ink in the one-colour
 * version (0–255, to multiply with the art's alpha), in one of three styles:
 *   - silhouette: all of it (the alpha alone is the shape);
 *   - threshold:  by lightness, L* below 60 ink, above 70 none, a ramp between;
 *   - keyline:    (auto's choice for flat multi-colour art) by colour region (the art's flat colours, labelled as the colour
 *                 tracer labels them): a region is ink when it is dark or
 *                 saturated (L* < 70 or chroma ≥ 30) — else, when no region is,
 *                 the darkest — and each inked region stops `gapPx`/2 short of
 *                 every differently coloured inked region it touches.
 * Edges between ink and a knocked-out region are anti-aliased from the pixel's
 * own colour (where it lies between the two region colours); keyline edges from
 * the exact distance to the other region.
 */
import { type Rgb, rgbToLab } from '../color/color.js';
import { MAX_UNEXPLAINED, unexplainedShare } from '../color/inks.js';
import type { RgbaImage } from '../io/image.js';
import { distanceTransform } from '../raster/distance.js';
import { colorLabels, TRANSPARENT_LABEL } from '../trace/color/index.js';

export const ONE_COLOR_STYLES = ['auto', 'silhouette', 'keyline', 'threshold'] as const;
export type OneColorStyle = (typeof ONE_COLOR_STYLES)[number];

/** More colours than this (a shaded illustration) and auto keeps the silhouette: as spot separations turn process. */
const MAX_KEYLINE_COLORS = 6;

/**
 * auto: keyline for flat art of two to six colours; silhouette for one-colour art and for art with
 * gradients or shading (its many shades would each become a region ringed by keylines).
 */
export function resolveStyle(
  style: OneColorStyle,
  image: RgbaImage,
  palette: readonly Rgb[],
): Exclude<OneColorStyle, 'auto'> {
  if (style !== 'auto') return style;
  if (palette.length < 2 || palette.length > MAX_KEYLINE_COLORS) return 'silhouette';
  return unexplainedShare(image, palette) > MAX_UNEXPLAINED ? 'silhouette' : 'keyline';
}

/** Whether a region of this colour is inked in a keyline one-colour version. */
export function inksInOneColor(c: Rgb): boolean {
  const lab = rgbToLab(c.r, c.g, c.b);
  return lab.L < 70 || Math.hypot(lab.a, lab.b) >= 30;
}

/**
 * Ink coverage (0–255) per pixel of `image` for a one-colour version in
 * `style`; `palette` is the art's flat colours (the analysis' inks);
 * `allInk`: every colour region is inked (only the keylines knock out).
 */
export function inkCoverage(
  image: RgbaImage,
  palette: readonly Rgb[],
  style: Exclude<OneColorStyle, 'auto'>,
  o: { gapPx: number; allInk?: boolean },
): Uint8Array {
  const { width, height, data } = image;
  const n = width * height;
  const out = new Uint8Array(n).fill(255);
  if (style === 'silhouette' || palette.length === 0) return out;
  if (style === 'threshold') {
    for (let i = 0; i < n; i++) {
      const L = rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]).L;
      out[i] = Math.round(255 * Math.max(0, Math.min(1, (70 - L) / 10)));
    }
    return out;
  }
  const labels = colorLabels(image, [...palette], 4);
  const ink = palette.map((c) => o.allInk === true || inksInOneColor(c));
  if (!ink.some(Boolean)) {
    // all light: the darkest region carries the design
    let darkest = 0;
    palette.forEach((c, k) => {
      if (rgbToLab(c.r, c.g, c.b).L < rgbToLab(palette[darkest].r, palette[darkest].g, palette[darkest].b).L)
        darkest = k;
    });
    ink[darkest] = true;
  }
  // regions: inked or knocked out, anti-aliased against a differently treated neighbour
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    if (k === TRANSPARENT_LABEL) continue;
    let cov = ink[k] ? 1 : 0;
    const x = i % width;
    for (const j of [i - 1, i + 1, i - width, i + width]) {
      if (j < 0 || j >= n || (j === i - 1 && x === 0) || (j === i + 1 && x === width - 1)) continue;
      const m = labels[j];
      if (m === TRANSPARENT_LABEL || ink[m] === ink[k]) continue;
      // where the pixel lies from the knocked-out colour (0) to the ink colour (1)
      const from = ink[k] ? palette[m] : palette[k];
      const to = ink[k] ? palette[k] : palette[m];
      cov = ink[k] ? Math.min(cov, along(data, i, from, to)) : Math.max(cov, along(data, i, from, to));
    }
    out[i] = Math.round(cov * 255);
  }
  if (o.gapPx <= 0) return out;
  // keylines: each inked region stops gapPx / 2 short of every other inked region
  const half = o.gapPx / 2;
  palette.forEach((_, k) => {
    if (!ink[k]) return;
    const others = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      const m = labels[i];
      if (m !== k && m !== TRANSPARENT_LABEL && ink[m]) {
        others[i] = 1;
        any = true;
      }
    }
    if (!any) return;
    const d2 = distanceTransform(others, width, height, { metric: 'euclidean' });
    const reach = (half + 1) ** 2;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== k || d2[i] >= reach) continue;
      // the boundary lies half-way between pixel centres: keep what is beyond half the gap
      const keep = Math.max(0, Math.min(1, Math.sqrt(d2[i]) - half));
      out[i] = Math.round(out[i] * keep);
    }
  });
  return out;
}

/** Where pixel i's colour lies on the segment from → to (0–1, projected in RGB). */
function along(data: Uint8Array, i: number, from: Rgb, to: Rgb): number {
  const dr = to.r - from.r;
  const dg = to.g - from.g;
  const db = to.b - from.b;
  const len2 = dr * dr + dg * dg + db * db;
  if (len2 === 0) return 1;
  const t =
    ((data[i * 4] - from.r) * dr + (data[i * 4 + 1] - from.g) * dg + (data[i * 4 + 2] - from.b) * db) / len2;
  return Math.max(0, Math.min(1, t));
}

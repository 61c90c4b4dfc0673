/**
 * Is the colour that fills the border the background, or is it art that fills
 * the canvas (a red box with lettering, an app icon, a badge)? The evidence,
 * in order:
 *
 * 1. corners: when all four corners agree on another colour (white around a
 *    rounded square or a circle that touches the edges) or are transparent,
 *    the corners are the background and the border colour is the art's own;
 * 2. a light, near-neutral border colour is paper: remove it;
 * 3. a saturated border colour hugging the art tightly (a side margin under
 *    12 %) reads as a box: keep it; anything else reads as a coloured
 *    background: remove it. Both of these are guesses a designer could
 *    overturn, so they come with a confidence below the warning threshold.
 */
import { deltaE76, type Lab, type Rgb, rgbToLab, toHex } from '../color/color.js';
import type { RgbaImage } from '../io/image.js';
import { type BackgroundModel, flatModel } from './background-model.js';

export interface BleedDecision {
  /** The model to remove (possibly replaced by the corners' colour), or null to keep everything. */
  model: BackgroundModel;
  /** Remove the background (true), or keep the canvas as art (false). */
  remove: boolean;
  /** The art's own box or badge was recognised and kept. */
  boxKept: boolean;
  confidence: number;
  reason: string;
}

/** Side-margin share under which art hugs its box. */
const TIGHT_MARGIN = 0.12;

function chroma(l: Lab): number {
  return Math.hypot(l.a, l.b);
}

/** Mean colour and uniformity of a k×k patch; null when the patch is not one colour. */
function patch(image: RgbaImage, x0: number, y0: number, k: number): { color: Rgb; alpha: number } | null {
  const { width, data } = image;
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 0;
  const px: number[] = [];
  for (let y = y0; y < y0 + k; y++) {
    for (let x = x0; x < x0 + k; x++) {
      const p = (y * width + x) * 4;
      r += data[p];
      g += data[p + 1];
      b += data[p + 2];
      a += data[p + 3];
      px.push(p);
    }
  }
  const m = px.length;
  const color = { r: Math.round(r / m), g: Math.round(g / m), b: Math.round(b / m) };
  const alpha = a / m;
  if (alpha < 128) return { color, alpha };
  const ref = rgbToLab(color.r, color.g, color.b);
  const lab: Lab = { L: 0, a: 0, b: 0 };
  for (const p of px) {
    if (deltaE76(rgbToLab(data[p], data[p + 1], data[p + 2], lab), ref) > 8) return null;
  }
  return { color, alpha };
}

/**
 * Decides between "remove the border colour" and "the art fills the canvas".
 * `dE` is every pixel's ΔE76 to the model's background; `tolerance` the
 * removal tolerance (for the art's extent).
 */
export function decideBleed(
  image: RgbaImage,
  model: BackgroundModel,
  dE: Float32Array,
  tolerance: number,
): BleedDecision {
  const { width, height } = image;
  const color = model.color as Rgb;
  const lab = rgbToLab(color.r, color.g, color.b);
  const inset = model.frame?.width ?? 0;
  // 1. corners
  const k = Math.max(2, Math.round(Math.min(width, height) * 0.015));
  if (Math.min(width, height) > 4 * (k + inset)) {
    const far = (v: number, size: number) => size - inset - k - v;
    const corners = [
      patch(image, inset, inset, k),
      patch(image, far(0, width), inset, k),
      patch(image, inset, far(0, height), k),
      patch(image, far(0, width), far(0, height), k),
    ];
    if (corners.every((c) => c && c.alpha < 128)) {
      return {
        model: { ...model, kind: 'transparent', color: null, coeffs: null, gradient: null },
        remove: false,
        boxKept: true,
        confidence: 0.9,
        reason: 'the art fills the canvas; its corners are transparent',
      };
    }
    if (corners.every((c) => c && c.alpha >= 250)) {
      const labs = corners.map((c) =>
        rgbToLab((c as { color: Rgb }).color.r, (c as { color: Rgb }).color.g, (c as { color: Rgb }).color.b),
      );
      const agree = labs.every((l) => deltaE76(l, labs[0]) <= 8);
      if (agree && deltaE76(labs[0], lab) > 20) {
        const c0 = (corners[0] as { color: Rgb }).color;
        return {
          model: flatModel(c0, model.frame),
          remove: true,
          boxKept: true,
          confidence: 0.85,
          reason: `the art fills the canvas; its corners show the background (${toHex(c0)})`,
        };
      }
    }
  }
  // 2. paper
  if (lab.L >= 85 && chroma(lab) <= 15) {
    return {
      model,
      remove: true,
      boxKept: false,
      confidence: model.share >= 0.9 ? 0.95 : 0.8,
      reason: 'a light, near-neutral background',
    };
  }
  // 3. a coloured canvas: box or background?
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = inset; y < height - inset; y++) {
    for (let x = inset; x < width - inset; x++) {
      if (dE[y * width + x] <= tolerance) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) {
    return {
      model,
      remove: true,
      boxKept: false,
      confidence: 0.5,
      reason: 'nothing but the background colour',
    };
  }
  const mx = Math.min(minX, width - 1 - maxX) / width;
  const my = Math.min(minY, height - 1 - maxY) / height;
  const tight = Math.min(mx, my) < TIGHT_MARGIN;
  const saturated = chroma(lab) >= 35;
  const name = toHex(color);
  if (tight && saturated && model.share >= 0.9) {
    return {
      model,
      remove: false,
      boxKept: true,
      confidence: 0.6,
      reason: `a saturated colour (${name}) fills the canvas and the art hugs it: read as the art's own box`,
    };
  }
  return {
    model,
    remove: true,
    boxKept: false,
    confidence: 0.65,
    reason: `a ${saturated ? 'saturated' : 'dark or muted'} colour (${name}) fills the canvas with the art inside it: read as a background`,
  };
}

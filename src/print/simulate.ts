/**
 * The print as the films will make it: the garment, then each film in print
 * order where it carries ink — opaque inks (spot, sim-process, white) cover
 * what is under them, process inks (CMYK, transparent) filter it — averaged in
 * linear light over blocks of film pixels, as the eye averages halftone dots.
 * A pure function of the films, so a preview made here is exactly what the
 * screens print (dot gain aside), and the colour error it predicts is theirs.
 */
import { deltaE2000, linearToSrgb8, type Rgb, rgbToLab, SRGB_TO_LINEAR } from '../color/color.js';
import type { RgbaImage } from '../io/image.js';
import type { Film } from './separate.js';

/**
 * Block means (linear light, 3 per block) of the print, or with `art` (RGBA at film resolution)
 * of the art on the garment — pixel by pixel, so no film-size colour buffer is ever held — and
 * each block's mean alpha of the art.
 */
function blockMeans(
  films: readonly Film[],
  garment: Rgb,
  width: number,
  height: number,
  block: number,
  art?: Uint8Array,
) {
  const g = [SRGB_TO_LINEAR[garment.r], SRGB_TO_LINEAR[garment.g], SRGB_TO_LINEAR[garment.b]];
  const inks = films.map((f) => ({
    map: f.map,
    filter: f.kind === 'process',
    c: [1, 3, 5].map((k) => SRGB_TO_LINEAR[Number.parseInt(f.hex.slice(k, k + 2), 16)]),
  }));
  const bw = Math.ceil(width / block);
  const bh = Math.ceil(height / block);
  const means = new Float64Array(bw * bh * 3);
  const cover = new Float64Array(bw * bh);
  const counts = new Uint32Array(bw * bh);
  const px = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const by = Math.floor(y / block) * bw;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const b = by + Math.floor(x / block);
      if (art) {
        const a = art[i * 4 + 3] / 255;
        for (let c = 0; c < 3; c++) px[c] = a * SRGB_TO_LINEAR[art[i * 4 + c]] + (1 - a) * g[c];
        cover[b] += a;
      } else {
        px[0] = g[0];
        px[1] = g[1];
        px[2] = g[2];
        for (const ink of inks) {
          if (!ink.map[i]) continue;
          for (let c = 0; c < 3; c++) px[c] = ink.filter ? px[c] * ink.c[c] : ink.c[c];
        }
      }
      means[b * 3] += px[0];
      means[b * 3 + 1] += px[1];
      means[b * 3 + 2] += px[2];
      counts[b]++;
    }
  }
  for (let b = 0; b < counts.length; b++) {
    const k = counts[b] || 1;
    for (let c = 0; c < 3; c++) means[b * 3 + c] /= k;
    cover[b] /= k;
  }
  return { means, cover, bw, bh };
}

/** The simulated print at one pixel per `block` film pixels (sRGB, opaque). */
export function simulatedPreview(
  films: readonly Film[],
  garment: Rgb,
  width: number,
  height: number,
  block: number,
): RgbaImage {
  const { means, bw, bh } = blockMeans(films, garment, width, height, block);
  const data = new Uint8Array(bw * bh * 4);
  for (let b = 0; b < bw * bh; b++) {
    data[b * 4] = linearToSrgb8(means[b * 3]);
    data[b * 4 + 1] = linearToSrgb8(means[b * 3 + 1]);
    data[b * 4 + 2] = linearToSrgb8(means[b * 3 + 2]);
    data[b * 4 + 3] = 255;
  }
  return { width: bw, height: bh, data };
}

export interface PredictedError {
  /** CIEDE2000 between the simulated print and the art on the garment, over blocks of `blockMm`. */
  deltaE2000Mean: number;
  deltaE2000P95: number;
  blockMm: number;
  blocks: number;
}

/**
 * How far the print strays from the art: both averaged over `block`-pixel squares in linear
 * light (the art composited on the garment), ΔE2000 per block that is at least half art.
 * `art` is the art at film resolution (RGBA, the art box).
 */
export function predictedError(
  films: readonly Film[],
  garment: Rgb,
  art: Uint8Array,
  width: number,
  height: number,
  block: number,
  dpi = 300,
): PredictedError {
  const print = blockMeans(films, garment, width, height, block).means;
  const want = blockMeans(films, garment, width, height, block, art);
  const cover = want.cover;
  const errors: number[] = [];
  const srgb = (v: number) => linearToSrgb8(v);
  for (let b = 0; b < want.bw * want.bh; b++) {
    if (cover[b] < 0.5) continue;
    const p = rgbToLab(srgb(print[b * 3]), srgb(print[b * 3 + 1]), srgb(print[b * 3 + 2]));
    const q = rgbToLab(srgb(want.means[b * 3]), srgb(want.means[b * 3 + 1]), srgb(want.means[b * 3 + 2]));
    errors.push(deltaE2000(p, q));
  }
  errors.sort((a, b) => a - b);
  const mean = errors.reduce((s, e) => s + e, 0) / (errors.length || 1);
  const p95 = errors.length ? errors[Math.min(errors.length - 1, Math.floor(0.95 * errors.length))] : 0;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    deltaE2000Mean: r1(mean),
    deltaE2000P95: r1(p95),
    blockMm: r1((block / dpi) * 25.4),
    blocks: errors.length,
  };
}

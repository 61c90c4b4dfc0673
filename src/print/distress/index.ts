/**
 * Seeded screen-print grunge: which pixels of a logo's ink to knock out so
 * that it looks worn — fBm wear patches broken up by grain, speckle clusters,
 * a few scratches, chipped edges — while the logo stays legible. The result is
 * one mask, so that every film of a separation (underbase included) can be
 * knocked out by the same distress and the colours stay in register.
 *
 * Legibility rules, in the order they are applied (docs/DISTRESS.md):
 *   - thin strokes are protected: the removal score is scaled down where the
 *     local stroke width (the widest inscribed square covering the pixel) is
 *     small, so hairlines and small text keep nearly all their ink;
 *   - every connected part of the art (per colour region when `regions` is
 *     given) loses at most `capShare(intensity)` of its area, and parts too
 *     small to wear convincingly are left whole;
 *   - nothing unprintable is made: knocked-out slivers narrower than the
 *     minimum feature are filled back, ink slivers between holes are removed,
 *     and no hole or surviving ink speck is smaller than a disc of diameter
 *     `minSpeckPx` (a part of the art that was already that small is kept).
 *
 * Pure and deterministic: the same inputs and seed give the same bytes on any
 * platform (src/raster/noise.ts hashes integers; no Math.random).
 *
 * The steps live beside this file: geometry.ts (where the ink is and how wide
 * its strokes are), texture.ts (the wear score and forced marks) and
 * legibility.ts (the rules above that keep the logo readable and printable).
 */
import { distanceTransform } from '../../raster/distance.js';
import { openOctagon } from '../../raster/morphology.js';
import { seed32 } from '../../raster/noise.js';
import { halfWidths, INK, inkBounds, labelParts, regionEdges } from './geometry.js';
import { addInkSlivers, capPerPart, fillSmallHoles, guardParts, removeInkSpecks } from './legibility.js';
import { addMarks, quantileAbove, textureScore } from './texture.js';

export interface DistressOptions {
  /** How worn: 0 = untouched, 1 = heavily worn (default 0.5 removes ≈ 15 % of thick areas). */
  intensity: number;
  /** Texture size relative to the art (1 = default; 2 = twice as coarse). Never finer than `minSpeckPx`. */
  scale: number;
  /** Any integer or text; the same seed gives the same distress. */
  seed: number | string;
  /**
   * The smallest printable feature, in pixels (e.g. 0.3 mm at the print size):
   * no knocked-out hole or surviving ink speck is smaller than a disc this wide.
   */
  minSpeckPx: number;
  /**
   * Optional flat-colour id per pixel (e.g. palette index). Parts and stroke
   * widths are then measured per colour region, so that a thin white ring on
   * a navy disc counts as thin and keeps its ink.
   */
  regions?: ArrayLike<number> | null;
}

/** Share of ink removed from thick areas (before the legibility rules) at an intensity. */
export function targetShare(intensity: number): number {
  return 0.3 * intensity;
}

/** Most of any one part of the art that may be knocked out: 35 % at intensity 0.5. */
export function capShare(intensity: number): number {
  return 0.2 + 0.3 * intensity;
}

/**
 * The knock-out mask of a seeded distress over `ink` (coverage 0–255 of all
 * inks together, width × height; ≥ 128 counts as ink): 255 where ink is to be
 * removed, 0 elsewhere (always 0 where there is no ink).
 *
 * For separations: compute it once over the composite art, at the resolution
 * the films are made at (or scale the mask nearest-neighbour), clear every
 * ink's map with it (`applyKnockout`), and derive the underbase from the
 * knocked-out inks, so that its choke pulls back around the holes as well.
 *
 * @example
 *   const knock = distressKnockout(w, h, alpha, { intensity: 0.5, scale: 1, seed: 7, minSpeckPx: 3.5 });
 *   for (const film of films) applyKnockout(film, knock);
 */
export function distressKnockout(
  width: number,
  height: number,
  ink: Uint8Array,
  options: DistressOptions,
): Uint8Array {
  const n = width * height;
  if (ink.length !== n) throw new RangeError(`ink has ${ink.length} values for ${width}×${height} pixels`);
  const out = new Uint8Array(n);
  const intensity = Math.max(0, Math.min(1, options.intensity));
  const box = inkBounds(ink, width, height);
  if (intensity === 0 || !box) return out;

  const member = new Uint8Array(n);
  for (let i = 0; i < n; i++) member[i] = ink[i] >= INK ? 1 : 0;
  const regions = options.regions ?? null;
  const minSpeck = Math.max(1, options.minSpeckPx);
  const minArea = Math.ceil((Math.PI / 4) * minSpeck * minSpeck);
  const longSide = Math.max(box.width, box.height);
  const seed = seed32(options.seed);
  const scale = Math.max(0.05, options.scale);

  // texture sizes, in pixels: relative to the art, never finer than printable
  const grainPx = Math.max(4 * minSpeck, 0.022 * longSide * scale);
  const wearPx = Math.max(8 * minSpeck, 0.28 * longSide * scale);
  const edgePx = Math.max(2 * minSpeck, 0.012 * longSide * scale);
  // strokes narrower than thinPx are barely touched; from thickPx on, fully
  const thinPx = 2 * minSpeck;
  const thickPx = Math.max(6 * minSpeck, 1.5 * grainPx);

  const edgeSource = regionEdges(member, regions, width, height);
  // half-widths worth telling apart: the sliver test's, then thin → thick in about 5 steps
  const r = Math.max(1, Math.floor(minSpeck / 2));
  const top = Math.min(64, Math.ceil(thickPx / 2) + 1);
  const first = Math.floor(thinPx / 2) + 1;
  const step = Math.max(1, Math.ceil((top - first) / 5));
  const levels = [r + 2];
  for (let k = first; k < top + step; k += step) levels.push(Math.min(k, top));
  const dist = distanceTransform(edgeSource, width, height, {
    metric: 'chessboard',
    max: Math.max(top, Math.ceil(edgePx) + 1),
  });
  const half = halfWidths(dist, member, edgeSource, regions, width, height, levels);
  const parts = labelParts(member, regions, width, height);

  // --- the texture score: higher = knocked out first
  const score = textureScore(width, height, member, dist, seed, { grainPx, wearPx, edgePx });
  addMarks(score, member, width, height, box, seed, intensity, { minSpeck, grainPx, longSide });

  // --- intensity → threshold over the unprotected score, so that thin art is spared, not compensated for
  const threshold = quantileAbove(score, member, targetShare(intensity));
  const tinyArea = 8 * minArea;
  let knock: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!member[i] || parts.areas[parts.labels[i]] < tinyArea) continue;
    const w = 2 * half[i] - 1; // stroke width in px (chessboard: side of the inscribed square)
    const t = w <= thinPx ? 0 : w >= thickPx ? 1 : (w - thinPx) / (thickPx - thinPx);
    // thin strokes keep under half their score: only forced marks (scratches, specks) nick them
    const protectedScore = score[i] * (0.45 + 0.55 * t * t * (3 - 2 * t));
    if (protectedScore > threshold) {
      knock[i] = 1;
      score[i] = protectedScore;
    }
  }

  // --- legibility: cap each part, then make every feature printable
  const cap = capShare(intensity);
  capPerPart(knock, score, parts, 0.9 * cap);
  const capped = knock.slice();
  knock = openOctagon(knock, width, height, r); // no knocked-out slivers
  addInkSlivers(knock, member, half, width, height, r); // no ink slivers between holes in thick areas
  fillSmallHoles(knock, width, height, minArea);
  removeInkSpecks(knock, member, parts, width, height, minArea);
  guardParts(knock, capped, parts, cap + 0.05);

  for (let i = 0; i < n; i++) if (knock[i] && member[i]) out[i] = 255;
  return out;
}

/** Clears `map` (a film's coverage or 0/1 map, the mask's size) wherever `knock` is set, in place; returns it. */
export function applyKnockout<T extends Uint8Array>(map: T, knock: Uint8Array): T {
  if (map.length !== knock.length) throw new RangeError(`map has ${map.length} values, mask ${knock.length}`);
  for (let i = 0; i < map.length; i++) if (knock[i]) map[i] = 0;
  return map;
}

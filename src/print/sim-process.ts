/**
 * Simulated-process separation: gradient and photo-like art printed on a dark
 * garment with a few opaque spot inks instead of CMYK (which needs a white
 * garment to shine through it). The inks are the art's own main colours
 * (palette.ts), plus a white underbase under the inks that need it and a
 * highlight white printed last.
 *
 * Every film is halftoned on one screen (one angle and ruling, the screen-print
 * convention for sim-process), so the dots of all inks share their centres and
 * a later ink covers the middle of an earlier one. The coverages are chosen for
 * that: per colour, the share of each ink to be *seen* is the mix of ink
 * colours (and bare garment), side by side in linear light, that comes nearest
 * the art colour on the garment (least squares on the simplex); each film's dot
 * then holds its own share plus the dots printed over it. Printing the films in
 * order therefore shows each ink over exactly its share of every cell.
 *
 * The preview and the predicted colour error come from the films themselves
 * (simulate.ts), so they are what the screens will print, dots clipped to
 * what holds included.
 */
import { deltaE76, type Lab, type Rgb, rgbToLab, SRGB_TO_LINEAR } from '../color/color.js';
import { makeInks } from '../color/inks.js';
import { extractPalette } from '../color/palette.js';
import type { RgbaImage } from '../io/image.js';
import { artAtFilmResolution, type BoardLayout } from './film.js';
import { screenMask } from './screen/index.js';
import { type Film, garmentOf, type SeparateOptions, type SeparationPlan } from './separate.js';
import { predictedError, simulatedPreview } from './simulate.js';

export interface SimProcessOptions {
  /** Colour inks at most (underbase and highlight white come on top). */
  inks: number;
  lpi: number;
  /** The one screen angle of every film, degrees. */
  angle: number;
  dot: 'round' | 'ellipse';
  /** Printable dot range, 0–1. */
  minDot: number;
  maxDot: number;
}

/** Inks nearer than this (ΔE76) to the garment are the garment: not printed. */
const SAME_AS_GARMENT = 10;
/** An ink this much lighter (L*) than the garment needs white under it. */
export const NEEDS_UNDERBASE = 15;
/** Colours are solved once per 6-bit RGB and 4-bit alpha: finer steps change no dot by more than 1 %. */
const QUANT = 2;

export async function separateSimProcess(
  art: RgbaImage,
  layout: BoardLayout,
  o: SeparateOptions,
  p: SimProcessOptions,
): Promise<SeparationPlan> {
  const aw = layout.art.width;
  const ah = layout.art.height;
  const big = (await artAtFilmResolution(art, layout)).data;
  const { garment, lab: gLab, dark } = garmentOf(o);

  // the inks: the art's colours that span it best (chooseInks), less those the garment already
  // shows and white (the highlight), printed lightest first; white last where the garment is dark
  const colourInks = makeInks(chooseColours(art, p.inks, gLab, dark)).sort((a, b) => b.lab.L - a.lab.L);
  const white = dark ? makeInks([{ r: 255, g: 255, b: 255 }])[0] : null;
  const printed = white
    ? [...colourInks, { ...white, name: 'Highlight White', defaultName: 'Highlight White' }]
    : colourInks;
  const lin = (c: { r: number; g: number; b: number }): [number, number, number] => [
    SRGB_TO_LINEAR[c.r],
    SRGB_TO_LINEAR[c.g],
    SRGB_TO_LINEAR[c.b],
  ];
  const inkLin = printed.map((i) => lin(i.rgb));
  const gLin = lin(garment);

  // visible shares per pixel, solved once per quantised colour
  const n = aw * ah;
  const m = printed.length;
  const shares = printed.map(() => new Uint8Array(n));
  const cache = new Map<number, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const r = big[i * 4];
    const g = big[i * 4 + 1];
    const b = big[i * 4 + 2];
    const a = big[i * 4 + 3];
    if (a < 8) continue;
    const key = ((r >> QUANT) << 16) | ((g >> QUANT) << 10) | ((b >> QUANT) << 4) | (a >> 4);
    let w = cache.get(key);
    if (!w) {
      const al = ((a >> 4) * 17) / 255;
      const q = (v: number) => (v >> QUANT) * (1 << QUANT) + (1 << (QUANT - 1));
      const t = lin({ r: q(r), g: q(g), b: q(b) });
      const target: [number, number, number] = [
        al * t[0] + (1 - al) * gLin[0],
        al * t[1] + (1 - al) * gLin[1],
        al * t[2] + (1 - al) * gLin[2],
      ];
      const solved = nearestMix([...inkLin, gLin], target);
      w = Uint8Array.from(solved.slice(0, m), (v) => Math.round(v * 255));
      cache.set(key, w);
    }
    for (let k = 0; k < m; k++) shares[k][i] = w[k];
  }
  // nested dots: a film's dot holds its own share plus the largest dot printed over it
  const dots = shares.map(() => new Uint8Array(n));
  for (let i = 0; i < n; i++) {
    let above = 0;
    for (let k = m - 1; k >= 0; k--) {
      const s = shares[k][i];
      if (s === 0) continue;
      above = Math.min(255, s + above);
      dots[k][i] = above;
    }
  }
  const cellPx = layout.dpi / p.lpi;
  const screen = (tint: Uint8Array) => {
    const mask = screenMask(tint, aw, ah, {
      cellPx,
      angleDeg: p.angle,
      shape: p.dot,
      minDot: p.minDot,
      maxDot: p.maxDot,
    });
    for (let i = 0; i < n; i++) mask[i] = mask[i] ? 1 : 0;
    return mask;
  };
  const films: Film[] = printed.map((ink, k) => ({
    kind: white && k === m - 1 ? 'highlight' : 'ink',
    name: ink.name,
    spot: { name: ink.name, cmyk: ink.cmyk },
    hex: ink.hex,
    ink,
    map: screen(dots[k]),
    outlines: null,
  }));
  // the underbase: white under every dot of an ink that is lighter than the garment
  const underbase = addUnderbase(films, { lab: gLab, dark }, o.underbase, n);
  const block = Math.max(1, Math.round(cellPx));
  return {
    mode: 'sim-process',
    reason: `sim-process was asked for: ${colourInks.length} colour inks${white ? ' and highlight white' : ''} on one ${p.lpi} LPI screen at ${p.angle}°`,
    inks: printed,
    skipped: [],
    films,
    underbase,
    colorMap: null,
    warnings: [],
    preview: simulatedPreview(films, garment, aw, ah, block),
    predicted: predictedError(films, garment, big, aw, ah, 2 * block, layout.dpi),
  };
}

/**
 * Puts a white underbase first, under every pixel of the films whose ink is more than
 * NEEDS_UNDERBASE lighter than the garment (not choked: that would erase halftone dots), when
 * `underbase` is on, or auto on a dark garment; returns whether it did.
 */
export function addUnderbase(
  films: Film[],
  garment: { lab: Lab; dark: boolean },
  underbase: SeparateOptions['underbase'],
  size: number,
): boolean {
  const needy = films.filter((f) => f.ink && f.ink.lab.L > garment.lab.L + NEEDS_UNDERBASE);
  const on = underbase === 'on' || (underbase === 'auto' && garment.dark && needy.length > 0);
  if (!on) return false;
  const map = new Uint8Array(size);
  for (const f of needy) for (let i = 0; i < size; i++) map[i] |= f.map[i];
  films.unshift({
    kind: 'underbase',
    name: 'Underbase White',
    spot: { name: 'Underbase White', cmyk: [0, 0, 0, 0] },
    hex: '#ffffff',
    map,
    outlines: null,
  });
  return true;
}

/**
 * Up to `count` ink colours for the art: from its palette (up to 16 colours), greedily the one
 * farthest (CIELAB) from those chosen and from the garment (and white on a dark garment, which
 * the highlight prints), weighted by the square root of its share of the art — so a small blue
 * window is not lost to a fourth shade of the body's pink, nor a speck given an ink.
 */
export function chooseColours(art: RgbaImage, count: number, garment: Lab, dark: boolean): Rgb[] {
  const candidates = extractPalette(art, { maxColors: 16 });
  const labs = candidates.map((c) => rgbToLab(c.r, c.g, c.b));
  const share = new Float64Array(candidates.length);
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const d = art.data;
  for (let i = 0; i < art.width * art.height; i += 2) {
    if (d[i * 4 + 3] < 128) continue;
    rgbToLab(d[i * 4], d[i * 4 + 1], d[i * 4 + 2], lab);
    let best = 0;
    let bestD = Infinity;
    for (const [k, q] of labs.entries()) {
      const e = deltaE76(lab, q);
      if (e < bestD) {
        bestD = e;
        best = k;
      }
    }
    share[best]++;
  }
  const chosen: Lab[] = [garment, ...(dark ? [rgbToLab(255, 255, 255)] : [])];
  const out: Rgb[] = [];
  const left = new Set(candidates.keys());
  while (out.length < count && left.size) {
    let pick = -1;
    let score = 0;
    for (const k of left) {
      const far = Math.min(...chosen.map((c) => deltaE76(labs[k], c)));
      const s = far < SAME_AS_GARMENT ? 0 : far * Math.sqrt(share[k]);
      if (s > score) {
        score = s;
        pick = k;
      }
    }
    if (pick < 0) break;
    left.delete(pick);
    chosen.push(labs[pick]);
    out.push(candidates[pick]);
  }
  return out;
}

/**
 * The weights (≥ 0, summing to 1) of the colours `basis` (linear RGB) whose mix comes nearest
 * `target`: projected gradient descent on the simplex, the error of each channel weighted by
 * 1 / (target + 0.05) so that dark colours (where the eye is keen) count as much as light ones.
 */
export function nearestMix(
  basis: readonly [number, number, number][],
  target: [number, number, number],
): number[] {
  const k = basis.length;
  const wt = target.map((t) => 1 / (t + 0.05) ** 2);
  let trace = 0;
  for (const b of basis) for (let c = 0; c < 3; c++) trace += wt[c] * b[c] * b[c];
  const step = 1 / (2 * trace + 1e-9);
  // FISTA: gradient steps from an extrapolated point, projected back onto the simplex
  let w = new Float64Array(k).fill(1 / k);
  const y = Float64Array.from(w);
  let next = new Float64Array(k);
  const scratch = new Float64Array(k);
  let tk = 1;
  for (let it = 0; it < ITERATIONS; it++) {
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < k; j++) {
      m0 += y[j] * basis[j][0];
      m1 += y[j] * basis[j][1];
      m2 += y[j] * basis[j][2];
    }
    const r0 = wt[0] * (m0 - target[0]);
    const r1 = wt[1] * (m1 - target[1]);
    const r2 = wt[2] * (m2 - target[2]);
    for (let j = 0; j < k; j++)
      next[j] = y[j] - 2 * step * (r0 * basis[j][0] + r1 * basis[j][1] + r2 * basis[j][2]);
    projectToSimplex(next, scratch);
    const t1 = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    const beta = (tk - 1) / t1;
    for (let j = 0; j < k; j++) y[j] = next[j] + beta * (next[j] - w[j]);
    [w, next] = [next, w];
    tk = t1;
  }
  return Array.from(w);
}

/** Steps of the mix solver: the weights settle to well under a 255th in fewer. */
const ITERATIONS = 120;

/** Projects `v` in place onto the probability simplex (Duchi et al. 2008); `u` is scratch of the same length. */
function projectToSimplex(v: Float64Array, u: Float64Array): void {
  u.set(v);
  u.sort();
  let sum = 0;
  let theta = 0;
  for (let j = u.length - 1, n = 1; j >= 0; j--, n++) {
    sum += u[j];
    const t = (sum - 1) / n;
    if (u[j] - t > 0) theta = t;
  }
  for (let j = 0; j < v.length; j++) v[j] = Math.max(0, v[j] - theta);
}

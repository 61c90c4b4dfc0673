/**
 * Halftoned tints of a spot ink: a lighter shade of an ink — or a gradient fading from it —
 * is printed as a halftone of that ink instead of on a screen of its own. An ink B is a tint
 * of a darker ink A when B lies on the line from the substrate to A (linear light: what A's
 * dots and the bare substrate between them mix to) within ΔE2000 4, at 5–95 % of the way.
 * Each pixel of B then gets the share of A that reproduces its own colour (so a gradient gets
 * a graded halftone, not one flat tint), screened at the job's ruling and angle into A's film.
 * The substrate is white where an underbase prints, else the garment (or white paper).
 */
import { deltaE2000, type Rgb, rgbToLab, SRGB_TO_LINEAR } from '../color/color.js';
import type { RgbaImage } from '../io/image.js';
import type { BoardLayout } from './film.js';
import { screenMask } from './screen/index.js';
import type { Film, SeparationPlan } from './separate.js';

export interface TintScreen {
  lpi: number;
  angle: number;
  dot: 'round' | 'ellipse';
  minDot: number;
  maxDot: number;
}

export interface Tint {
  /** The ink no longer printed on its own. */
  ink: string;
  /** The ink whose halftone prints it. */
  of: string;
  /** Its mean share of that ink, %. */
  meanPct: number;
  /** How far the tint's flat colour is from the ink mixed with the substrate (ΔE2000). */
  deltaE: number;
}

/** Tints within this (ΔE2000) of a mix of the darker ink and the substrate print as that mix. */
const MAX_TINT_ERROR = 4;

const linear = (c: Rgb): [number, number, number] => [
  SRGB_TO_LINEAR[c.r],
  SRGB_TO_LINEAR[c.g],
  SRGB_TO_LINEAR[c.b],
];
const toSrgb = (v: number) => Math.round(255 * (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055));

/** The share t of `a` in the mix t·a + (1 − t)·s nearest `c` (linear light), clamped to 0–1. */
function shareOf(c: readonly number[], a: readonly number[], s: readonly number[]): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < 3; k++) {
    num += (c[k] - s[k]) * (a[k] - s[k]);
    den += (a[k] - s[k]) ** 2;
  }
  return den > 1e-12 ? Math.min(1, Math.max(0, num / den)) : 0;
}

/**
 * The plan with each tint's film folded into its ink's as a halftone; returns the tints made.
 * Films that take a tint lose their vector outlines (they are halftones now).
 */
export async function applyTints(
  plan: SeparationPlan,
  /** The art at film resolution (asked for only when a tint is found). */
  filmArt: () => Promise<RgbaImage>,
  layout: BoardLayout,
  garment: Rgb | null,
  screen: TintScreen,
): Promise<{ plan: SeparationPlan; tints: Tint[] }> {
  const substrate = linear(plan.underbase || !garment ? { r: 255, g: 255, b: 255 } : garment);
  const inkFilms = plan.films.filter((f) => f.kind === 'ink' && f.ink);
  // darkest first, so that an ink is settled before a lighter one may become its tint
  const byLightness = [...inkFilms].sort((a, b) => (a.ink?.lab.L ?? 0) - (b.ink?.lab.L ?? 0));
  const tintOf = new Map<Film, { base: Film; deltaE: number }>();
  for (const b of byLightness) {
    const bInk = b.ink;
    if (!bInk) continue;
    const c = linear(bInk.rgb);
    let best: { base: Film; deltaE: number } | null = null;
    for (const a of byLightness) {
      if (a === b || !a.ink || tintOf.has(a) || a.ink.lab.L >= bInk.lab.L) continue;
      const av = linear(a.ink.rgb);
      const t = shareOf(c, av, substrate);
      if (t < 0.05 || t > 0.95) continue;
      const mix = [0, 1, 2].map((k) => toSrgb(t * av[k] + (1 - t) * substrate[k]));
      const deltaE = deltaE2000(bInk.lab, rgbToLab(mix[0], mix[1], mix[2]));
      if (deltaE <= MAX_TINT_ERROR && (!best || deltaE < best.deltaE)) best = { base: a, deltaE };
    }
    if (best) tintOf.set(b, best);
  }
  if (tintOf.size === 0) return { plan, tints: [] };

  const aw = layout.art.width;
  const ah = layout.art.height;
  const big = (await filmArt()).data;
  const tints: Tint[] = [];
  const grown = new Map<Film, Uint8Array>();
  for (const [b, { base, deltaE }] of tintOf) {
    const av = linear(base.ink?.rgb ?? { r: 0, g: 0, b: 0 });
    const tone = grown.get(base) ?? new Uint8Array(aw * ah);
    grown.set(base, tone);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < b.map.length; i++) {
      if (!b.map[i]) continue;
      // the pixel's colour over the substrate (anti-aliased edges included)
      const alpha = big[i * 4 + 3] / 255;
      const c = [0, 1, 2].map((k) => alpha * SRGB_TO_LINEAR[big[i * 4 + k]] + (1 - alpha) * substrate[k]);
      const t = shareOf(c, av, substrate);
      tone[i] = Math.round(t * 255);
      sum += t;
      count++;
    }
    tints.push({
      ink: b.name,
      of: base.name,
      meanPct: count ? Math.round((1000 * sum) / count) / 10 : 0,
      deltaE: Math.round(deltaE * 10) / 10,
    });
  }
  const films: Film[] = [];
  for (const f of plan.films) {
    if (tintOf.has(f)) continue;
    const tone = grown.get(f);
    if (!tone) {
      films.push(f);
      continue;
    }
    const dots = screenMask(tone, aw, ah, {
      cellPx: layout.dpi / screen.lpi,
      angleDeg: screen.angle,
      shape: screen.dot,
      minDot: screen.minDot,
      maxDot: screen.maxDot,
    });
    const map = Uint8Array.from(f.map);
    for (let i = 0; i < map.length; i++) if (dots[i]) map[i] = 1;
    films.push({ ...f, map, outlines: null });
  }
  const skipped = [
    ...plan.skipped,
    ...tints.map((t) => ({
      ink: plan.inks.find((i) => i.name === t.ink) ?? plan.inks[0],
      reason: `printed as a ${t.meanPct} % halftone of ${t.of}`,
    })),
  ];
  return { plan: { ...plan, films, skipped }, tints };
}

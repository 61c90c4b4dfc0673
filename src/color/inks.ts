/**
 * Spot inks for screen printing: the art's flat colours (the same
 * anti-alias-aware palette as the colour tracer), each with a plain
 * descriptive name ("Red 1"), hex, CIELAB and a CMYK equivalent — and the
 * decision between spot inks and four-colour process.
 *
 * No Pantone or other proprietary ink data ships here: a shop names its inks
 * with `inkNames` ("Red 1=PMS 186 C").
 */

import { LogomillError } from '../errors.js';
import type { RgbaImage } from '../io/image.js';
import { cmykOf } from './cmyk.js';
import { deltaE76, type Lab, type Rgb, rgbToLab, toHex } from './color.js';
import { extractPalette } from './palette.js';

export interface Ink {
  /** The name on films, in the PDF's /Separation and in the report. */
  name: string;
  /** The descriptive name logomill gave it ("Red 1"), which `inkNames` keys may use. */
  defaultName: string;
  hex: string;
  rgb: Rgb;
  lab: Lab;
  /** Naive CMYK equivalent, 0–1 (the PDF's alternate colour space). */
  cmyk: [number, number, number, number];
}

/** A plain colour word for an sRGB colour, from its lightness, chroma and hue. */
export function colorWord(c: Rgb): string {
  const lab = rgbToLab(c.r, c.g, c.b);
  const chroma = Math.hypot(lab.a, lab.b);
  if (chroma < 12) {
    if (lab.L < 22) return 'Black';
    if (lab.L > 92) return 'White';
    return 'Grey';
  }
  const max = Math.max(c.r, c.g, c.b);
  const min = Math.min(c.r, c.g, c.b);
  const d = max - min;
  let hue: number;
  if (max === c.r) hue = (((c.g - c.b) / d) * 60 + 360) % 360;
  else if (max === c.g) hue = ((c.b - c.r) / d) * 60 + 120;
  else hue = ((c.r - c.g) / d) * 60 + 240;
  if (hue < 15 || hue >= 345) return lab.L > 75 ? 'Pink' : 'Red';
  if (hue < 38) return lab.L < 50 ? 'Brown' : 'Orange';
  if (hue < 70) return lab.L < 55 ? 'Olive' : 'Yellow';
  if (hue < 150) return 'Green';
  if (hue < 185) return 'Teal';
  if (hue < 200) return lab.L > 50 ? 'Cyan' : 'Blue';
  if (hue < 255) return 'Blue';
  if (hue < 290) return 'Purple';
  if (hue < 330) return 'Magenta';
  return 'Pink';
}

/** Names colours "Red 1", "Red 2", "Blue 1"… in the order given. */
export function defaultInkNames(colors: readonly Rgb[]): string[] {
  const seen = new Map<string, number>();
  return colors.map((c) => {
    const word = colorWord(c);
    const k = (seen.get(word) ?? 0) + 1;
    seen.set(word, k);
    return `${word} ${k}`;
  });
}

/**
 * Parses `inkNames` ("Red 1=PMS 186 C, #1a2b3c=Navy") into renames: a key is
 * an ink's default name (any case) or a hex colour, which picks the nearest ink.
 */
export function applyInkNames(inks: Ink[], spec: string): Ink[] {
  if (!spec.trim()) return inks;
  const names = inks.map((i) => i.name);
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (eq < 0 || !key || !value) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `ink-names: expected "Ink=Name" pairs separated by commas, got "${pair.trim()}".`,
      );
    }
    let index = inks.findIndex((i) => i.defaultName.toLowerCase() === key.toLowerCase());
    if (index < 0 && /^#[0-9a-f]{6}$/i.test(key)) {
      const n = Number.parseInt(key.slice(1), 16);
      const lab = rgbToLab(n >> 16, (n >> 8) & 255, n & 255);
      let best = Number.POSITIVE_INFINITY;
      inks.forEach((ink, k) => {
        const e = deltaE76(lab, ink.lab);
        if (e < best) {
          best = e;
          index = k;
        }
      });
    }
    if (index < 0) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `ink-names: no ink called "${key}"; the inks are ${inks.map((i) => i.defaultName).join(', ')}.`,
      );
    }
    names[index] = value;
  }
  return inks.map((ink, k) => ({ ...ink, name: names[k] }));
}

export function makeInks(colors: readonly Rgb[]): Ink[] {
  const names = defaultInkNames(colors);
  return colors.map((rgb, k) => {
    const hex = toHex(rgb);
    return {
      name: names[k],
      defaultName: names[k],
      hex,
      rgb: { r: rgb.r, g: rgb.g, b: rgb.b },
      lab: rgbToLab(rgb.r, rgb.g, rgb.b),
      cmyk: cmykOf(hex),
    };
  });
}

/**
 * Share of the art's opaque pixels that no palette colour explains (ΔE76 > 15
 * to the nearest). Flat logos leave only their anti-aliased edges (a few
 * percent); gradients, shadows and photos leave far more.
 */
export function unexplainedShare(art: RgbaImage, palette: readonly Rgb[]): number {
  if (palette.length === 0) return 1;
  const labs = palette.map((c) => rgbToLab(c.r, c.g, c.b));
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const d = art.data;
  const step = art.width * art.height > 250_000 ? 3 : 1;
  let opaque = 0;
  let unexplained = 0;
  let lastKey = -1;
  let lastOk = true;
  for (let i = 0; i < art.width * art.height; i += step) {
    if (d[i * 4 + 3] < 255) continue;
    opaque++;
    const key = (d[i * 4] << 16) | (d[i * 4 + 1] << 8) | d[i * 4 + 2];
    if (key !== lastKey) {
      rgbToLab(d[i * 4], d[i * 4 + 1], d[i * 4 + 2], lab);
      lastOk = labs.some((p) => deltaE76(lab, p) <= 15);
      lastKey = key;
    }
    if (!lastOk) unexplained++;
  }
  return opaque ? unexplained / opaque : 1;
}

/** Whether a colour reads as white ink (printed with white over an underbase, or left as white paper). */
export function isWhiteInk(lab: Lab): boolean {
  return lab.L > 90 && Math.hypot(lab.a, lab.b) < 12;
}

export type SeparationMode = 'spot' | 'process' | 'sim-process' | 'index';

/** Above this share of unexplained pixels the art is not flat: it needs process colour. */
export const MAX_UNEXPLAINED = 0.15;

/**
 * Spot inks when the art is flat and has at most `maxInks` colours (or when
 * forced), else process. Returns the spot palette (empty for process).
 */
export function chooseInks(
  art: RgbaImage,
  o: { mode: 'auto' | SeparationMode; maxInks: number; inks: number },
): { mode: SeparationMode; palette: Rgb[]; reason: string } {
  if (o.mode === 'process') return { mode: 'process', palette: [], reason: 'process mode was asked for' };
  const palette = extractPalette(art, { colors: o.inks, maxColors: Math.max(16, o.inks) });
  if (o.mode === 'spot') {
    return {
      mode: 'spot',
      palette: palette.slice(0, Math.max(o.inks, o.maxInks)),
      reason: 'spot mode was asked for',
    };
  }
  if (palette.length === 0) return { mode: 'spot', palette, reason: 'the art has no opaque pixels' };
  if (palette.length > o.maxInks) {
    return {
      mode: 'process',
      palette: [],
      reason: `${palette.length} colours is more than max-inks ${o.maxInks}`,
    };
  }
  const share = unexplainedShare(art, palette);
  if (share > MAX_UNEXPLAINED) {
    return {
      mode: 'process',
      palette: [],
      reason: `${Math.round(share * 100)} % of the art is gradient or photo, not flat colour`,
    };
  }
  return { mode: 'spot', palette, reason: `${palette.length} flat colours` };
}

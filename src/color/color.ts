/**
 * Colour helpers: hex parsing, sRGB ↔ linear, CIELAB (D65) and ΔE76.
 * Kept dependency-free and allocation-free in the per-pixel paths.
 */
import { LogomillError } from '../errors.js';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}
export interface Rgba extends Rgb {
  /** 0–255 */
  a: number;
}
export interface Lab {
  L: number;
  a: number;
  b: number;
}

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` or `transparent`. */
export function parseColor(value: string, optionName = 'color'): Rgba {
  const v = value.trim();
  if (v.toLowerCase() === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const m = HEX.exec(v);
  if (!m) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected a colour like #1a2b3c or transparent for ${optionName} but received ${JSON.stringify(value)}`,
    );
  }
  let h = m[1];
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const n = (i: number) => Number.parseInt(h.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) : 255 };
}

export function toHex(c: Rgb): string {
  const h = (n: number) => Math.round(n).toString(16).padStart(2, '0');
  return `#${h(c.r)}${h(c.g)}${h(c.b)}`;
}

/** sRGB 8-bit → linear light, as a lookup table (the hot loops index it). */
export const SRGB_TO_LINEAR: Float32Array = (() => {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return t;
})();

/** Linear light (0–1) → sRGB 8-bit. */
export function linearToSrgb8(v: number): number {
  const c = v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.max(0, Math.min(255, Math.round(c * 255)));
}

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t) / 116 + 16 / 116;
}

/** sRGB 8-bit → CIELAB (D65 white). */
export function rgbToLab(r: number, g: number, b: number, out: Lab = { L: 0, a: 0, b: 0 }): Lab {
  const R = SRGB_TO_LINEAR[r];
  const G = SRGB_TO_LINEAR[g];
  const B = SRGB_TO_LINEAR[b];
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  out.L = 116 * fy - 16;
  out.a = 500 * (fx - fy);
  out.b = 200 * (fy - fz);
  return out;
}

export function deltaE76(p: Lab, q: Lab): number {
  const dL = p.L - q.L;
  const da = p.a - q.a;
  const db = p.b - q.b;
  return Math.sqrt(dL * dL + da * da + db * db);
}

const DEG = Math.PI / 180;
const POW25_7 = 25 ** 7;

/**
 * CIEDE2000 colour difference (Sharma, Wu & Dalal 2005, the CIE's published
 * formula): ΔE76 with lightness, chroma and hue weighted as the eye sees them,
 * so that "below 2" means a match and "above 10" a different colour anywhere
 * on the colour wheel. Used where a person judges the figure (the preflight).
 */
export function deltaE2000(p: Lab, q: Lab): number {
  const c1 = Math.hypot(p.a, p.b);
  const c2 = Math.hypot(q.a, q.b);
  const cMean7 = ((c1 + c2) / 2) ** 7;
  const g = 0.5 * (1 - Math.sqrt(cMean7 / (cMean7 + POW25_7)));
  const a1 = (1 + g) * p.a;
  const a2 = (1 + g) * q.a;
  const c1p = Math.hypot(a1, p.b);
  const c2p = Math.hypot(a2, q.b);
  const hue = (b: number, a: number) => (a === 0 && b === 0 ? 0 : (Math.atan2(b, a) / DEG + 360) % 360);
  const h1 = hue(p.b, a1);
  const h2 = hue(q.b, a2);
  const chroma = c1p * c2p;
  let dh = 0;
  if (chroma !== 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dL = q.L - p.L;
  const dC = c2p - c1p;
  const dH = 2 * Math.sqrt(chroma) * Math.sin((dh / 2) * DEG);
  const lMean = (p.L + q.L) / 2;
  const cMeanP = (c1p + c2p) / 2;
  let hMean = h1 + h2;
  if (chroma !== 0) {
    if (Math.abs(h1 - h2) <= 180) hMean /= 2;
    else hMean = hMean < 360 ? (hMean + 360) / 2 : (hMean - 360) / 2;
  }
  const t =
    1 -
    0.17 * Math.cos((hMean - 30) * DEG) +
    0.24 * Math.cos(2 * hMean * DEG) +
    0.32 * Math.cos((3 * hMean + 6) * DEG) -
    0.2 * Math.cos((4 * hMean - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hMean - 275) / 25) ** 2));
  const cMeanP7 = cMeanP ** 7;
  const rC = 2 * Math.sqrt(cMeanP7 / (cMeanP7 + POW25_7));
  const sL = 1 + (0.015 * (lMean - 50) ** 2) / Math.sqrt(20 + (lMean - 50) ** 2);
  const sC = 1 + 0.045 * cMeanP;
  const sH = 1 + 0.015 * cMeanP * t;
  const rT = -Math.sin(2 * dTheta * DEG) * rC;
  const l = dL / sL;
  const c = dC / sC;
  const h = dH / sH;
  return Math.sqrt(l * l + c * c + h * h + rT * c * h);
}

/** Relative luminance (linear light, 0–1) of an sRGB colour. */
export function luminance(r: number, g: number, b: number): number {
  return 0.2126 * SRGB_TO_LINEAR[r] + 0.7152 * SRGB_TO_LINEAR[g] + 0.0722 * SRGB_TO_LINEAR[b];
}

/**
 * ΔE76 of every pixel to one reference colour, as a Float32Array. Uses a
 * 15-bit colour cache: logos have few distinct colours, so most pixels hit it.
 */
export function deltaEMap(data: Uint8Array, ref: Rgb): Float32Array {
  const n = data.length >> 2;
  const out = new Float32Array(n);
  const refLab = rgbToLab(ref.r, ref.g, ref.b);
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const cacheKey = new Int32Array(1 << 15).fill(-1);
  const cacheVal = new Float32Array(1 << 15);
  for (let i = 0; i < n; i++) {
    const r = data[i * 4];
    const g = data[i * 4 + 1];
    const b = data[i * 4 + 2];
    const key = (r << 16) | (g << 8) | b;
    const slot = (key ^ (key >>> 15)) & 0x7fff;
    if (cacheKey[slot] === key) {
      out[i] = cacheVal[slot];
      continue;
    }
    const d = deltaE76(rgbToLab(r, g, b, lab), refLab);
    cacheKey[slot] = key;
    cacheVal[slot] = d;
    out[i] = d;
  }
  return out;
}

/** "#rrggbb" → [r, g, b] in 0..1. */
export function rgb01(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`expected a #rrggbb colour, got ${JSON.stringify(hex)}`);
  const n = Number.parseInt(m[1], 16);
  return [(n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

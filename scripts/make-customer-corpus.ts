/**
 * Builds test/fixtures/customer/: small, degraded "customer files" (logos as
 * customers really send them) with a clean reference for each, for
 * bench/customer.ts and for a person to look at (scripts/customer-sheet.ts).
 *
 *   npm run corpus:customer
 *
 * Every case is one piece of open-licensed art (see SOURCES and the folder's
 * README.md) rendered with resvg, placed on a canvas and degraded the way a
 * real upload is. The reference `<id>.ref.png` is what a designer's
 * transparent cutout of that same input would be: RGBA, the same pixel size
 * and the same placement as the input, art on transparent (for "the box is the
 * art" cases: the box itself, opaque). Inputs are made by compositing the
 * reference over the background in 8-bit sRGB, so the two line up pixel for
 * pixel. Output is deterministic: a seeded PRNG, no dates, fixed JPEG settings
 * (quality per case, `mozjpeg: false`).
 *
 * What each class models, and why it is here:
 * - offwhite-jpeg: a scan or "saved from Word" mark on warm off-white paper
 *   (#f1f0ec), small and JPEG q60 — the background is not pure white, JPEG
 *   ringing sits round the edges, and letter counters (e, b, O) must be
 *   cleared too.
 * - paper-texture: a photo/scan of printed stationery: beige paper with
 *   low-frequency blotches and fine grain (seeded value noise, ±≈8 levels),
 *   JPEG q85 — no single background colour exists.
 * - gradient-bg: a mark exported from a slide or web banner: a soft linear
 *   gradient (PNG) or a radial vignette (JPEG q90) behind it.
 * - screenshot-frame: a screenshot crop that kept a 1 px or 2 px grey
 *   (#bdbdbd) window border round the whole canvas; the frame is not art.
 * - full-bleed-box: a red (#d62828) box filling the canvas with white
 *   lettering in it: the box IS the logo and must be kept, opaque.
 * - app-icon-transparent: an app icon (dark rounded square, light glyph) that
 *   is already transparent: nothing must be removed.
 * - app-icon-on-white: the same kind of icon flattened on white and filling
 *   the canvas: only the four white corners outside the rounded square go.
 * - circle-badge: a coloured disc with a white glyph touching the canvas edges,
 *   on white (JPEG q80) or transparent: the white glyph is art, not a hole,
 *   even though it has the background's colour.
 * - white-strokes: flat illustrations whose white fills are part of the
 *   design, enclosed by ink, on white: they must be kept.
 * - thin-details: a small (220 px) JPEG illustration with a tiny black eye and
 *   thin legs: details a cleanup or tracer can lose.
 * - gradient-art: art filled with gradients and soft blurs on white: colour
 *   tracing has to approximate it; the cutout must not eat light parts.
 * - white-on-navy: a white mark with generous margins on a navy full canvas:
 *   the background is dark and the art is the light part.
 * - cyan-on-blue: a cyan mark on blue: two saturated colours close in
 *   lightness, where a bad un-mixing of the anti-aliased edge shows as a halo.
 * - dark-bg-jpeg: a yellow mark on near-black (#141414), small, JPEG q70.
 *
 * simple-icons marks are chosen by name and checked not to be among those
 * bench/corpus.ts picks (its every-k-th selection is reproduced below), and
 * @iconify-json/logos is not used, so this corpus and the tracing corpus do
 * not overlap.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { deltaE76, rgbToLab } from '../src/color/color.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODULES = path.join(ROOT, 'node_modules');
export const CUSTOMER_DIR = path.join(ROOT, 'test', 'fixtures', 'customer');
/** Bump when the cases or the rendering change. */
const VERSION = 1;
const MAX_TOTAL_BYTES = 2.5 * 1024 * 1024;

// ─── Manifest types (bench/customer.ts and scripts/customer-sheet.ts read them) ─

export type CaseClass =
  | 'offwhite-jpeg'
  | 'paper-texture'
  | 'gradient-bg'
  | 'screenshot-frame'
  | 'full-bleed-box'
  | 'app-icon-transparent'
  | 'app-icon-on-white'
  | 'circle-badge'
  | 'white-strokes'
  | 'thin-details'
  | 'gradient-art'
  | 'white-on-navy'
  | 'cyan-on-blue'
  | 'dark-bg-jpeg';

export interface CaseExpect {
  /** 'none': the art fills the canvas and must be kept whole. */
  background: 'flat' | 'gradient' | 'texture' | 'transparent' | 'none';
  /** A box, rounded square or disc behind the glyph is part of the art and must stay. */
  boxKept?: boolean;
  /** The input has a thin border round the canvas that is not art. */
  frame?: boolean;
  /** Enclosed background-coloured areas: 'cleared' (counters) or 'kept' (white art). */
  holes?: 'cleared' | 'kept';
  /** Distinct flat colours of the art, where it has few. */
  colors?: number;
}

export interface CustomerCase {
  id: string;
  class: CaseClass;
  /** File names inside test/fixtures/customer/. */
  input: string;
  reference: string;
  width: number;
  height: number;
  source: { pkg: string; icon: string; license: string };
  expect: CaseExpect;
  note: string;
}

export interface CustomerManifest {
  version: number;
  packages: Record<string, { version: string; license: string }>;
  cases: CustomerCase[];
}

// ─── Sources ──────────────────────────────────────────────────────────────────

type SetName = 'simple-icons' | 'cryptocurrency-color' | 'skill-icons' | 'fluent-emoji-flat' | 'fluent-emoji';

const SOURCES: Record<SetName, { pkg: string; license: string }> = {
  'simple-icons': { pkg: 'simple-icons', license: 'CC0-1.0' },
  'cryptocurrency-color': { pkg: '@iconify-json/cryptocurrency-color', license: 'CC0-1.0' },
  'skill-icons': { pkg: '@iconify-json/skill-icons', license: 'MIT' },
  'fluent-emoji-flat': { pkg: '@iconify-json/fluent-emoji-flat', license: 'MIT' },
  'fluent-emoji': { pkg: '@iconify-json/fluent-emoji', license: 'MIT' },
};

interface Art {
  /** viewBox of the art (x, y, w, h) and its inner markup. */
  box: [number, number, number, number];
  body: string;
}

interface IconifySet {
  icons: Record<string, { body: string; width?: number; height?: number; left?: number; top?: number }>;
  width?: number;
  height?: number;
}

const iconifyCache = new Map<string, IconifySet>();

async function iconify(set: SetName, name: string): Promise<Art> {
  const pkg = SOURCES[set].pkg;
  let json = iconifyCache.get(pkg);
  if (!json) {
    json = JSON.parse(await readFile(path.join(MODULES, pkg, 'icons.json'), 'utf8')) as IconifySet;
    iconifyCache.set(pkg, json);
  }
  const icon = json.icons[name];
  if (!icon) throw new Error(`${pkg}: no icon "${name}"`);
  return {
    box: [icon.left ?? 0, icon.top ?? 0, icon.width ?? json.width ?? 16, icon.height ?? json.height ?? 16],
    body: icon.body,
  };
}

async function simpleIcon(slug: string, fill: string): Promise<Art> {
  const svg = await readFile(path.join(MODULES, 'simple-icons', 'icons', `${slug}.svg`), 'utf8');
  const vb = /viewBox="([^"]+)"/.exec(svg);
  const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(svg);
  if (!vb || !inner) throw new Error(`simple-icons/${slug}.svg: no viewBox or body`);
  const box = vb[1]
    .trim()
    .split(/[\s,]+/)
    .map(Number) as [number, number, number, number];
  return { box, body: `<g fill="${fill}">${inner[1].replace(/<title>[\s\S]*?<\/title>/, '')}</g>` };
}

/** The slugs bench/corpus.ts picks from simple-icons (its selection, reproduced), to stay clear of them. */
async function tracingBenchSlugs(): Promise<Set<string>> {
  const data: { slug: string; hex: string }[] = JSON.parse(
    await readFile(path.join(MODULES, 'simple-icons', 'data', 'simple-icons.json'), 'utf8'),
  );
  const white = rgbToLab(255, 255, 255);
  const eligible = data
    .filter((d) => {
      const n = Number.parseInt(d.hex, 16);
      return deltaE76(rgbToLab((n >> 16) & 255, (n >> 8) & 255, n & 255), white) >= 20;
    })
    .map((d) => d.slug)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const PER_SET = 30;
  if (eligible.length <= PER_SET) return new Set(eligible);
  const k = Math.floor(eligible.length / PER_SET);
  const out = new Set<string>();
  for (let i = 0; i < PER_SET; i++) out.add(eligible[Math.floor(k / 2) + i * k]);
  return out;
}

/** Shrinks an art's viewBox to its visible pixels (simple-icons marks sit in a padded 24×24 box). */
function tightBox(art: Art): [number, number, number, number] {
  const [x, y, w, h] = art.box;
  const long = 1024;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${w} ${h}">${art.body}</svg>`;
  const img = new Resvg(svg, {
    fitTo: w >= h ? { mode: 'width', value: long } : { mode: 'height', value: long },
    font: { loadSystemFonts: false },
  }).render();
  // resvg's width/height/pixels are native getters: read them once.
  const px = img.pixels;
  const iw = img.width;
  const ih = img.height;
  let x0 = iw;
  let y0 = ih;
  let x1 = -1;
  let y1 = -1;
  for (let j = 0; j < ih; j++) {
    for (let i = 0; i < iw; i++) {
      if (px[(j * iw + i) * 4 + 3] === 0) continue;
      if (i < x0) x0 = i;
      if (i > x1) x1 = i;
      if (j < y0) y0 = j;
      if (j > y1) y1 = j;
    }
  }
  if (x1 < 0) throw new Error('art renders empty');
  const s = iw / w;
  return [x + x0 / s, y + y0 / s, (x1 + 1 - x0) / s, (y1 + 1 - y0) / s];
}

// ─── Pixels ───────────────────────────────────────────────────────────────────

interface Rgba {
  width: number;
  height: number;
  /** Straight alpha, 4 bytes a pixel. */
  data: Uint8Array;
}

/** Renders SVG markup (already sized width × height) to straight-alpha RGBA. */
async function renderSvg(svg: string, width: number, height: number): Promise<Rgba> {
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } });
  const png = img.render().asPng();
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new Error(`rendered ${info.width}×${info.height}, expected ${width}×${height}`);
  }
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (h: string): [number, number, number] => {
  const n = Number.parseInt(h.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** An opaque background, RGB as floats; `null` means transparent. */
type Background = (width: number, height: number, seed: number) => Float32Array;

const flat =
  (colour: string): Background =>
  (width, height) => {
    const [r, g, b] = hex(colour);
    const out = new Float32Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    }
    return out;
  };

/** Left-to-right linear gradient. */
const linear =
  (from: string, to: string): Background =>
  (width, height) => {
    const a = hex(from);
    const b = hex(to);
    const out = new Float32Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const t = x / (width - 1);
        for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = a[c] + (b[c] - a[c]) * t;
      }
    }
    return out;
  };

/** Radial vignette: `centre` in the middle, `edge` at the corners. */
const radial =
  (centre: string, edge: string): Background =>
  (width, height) => {
    const a = hex(centre);
    const b = hex(edge);
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    const max = Math.hypot(cx, cy);
    const out = new Float32Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const t = (Math.hypot(x - cx, y - cy) / max) ** 1.6;
        for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = a[c] + (b[c] - a[c]) * t;
      }
    }
    return out;
  };

/** Value noise in [−1, 1]: random values on a lattice `cell` px apart, smoothstep-interpolated. */
function valueNoise(width: number, height: number, cell: number, rnd: () => number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rnd() * 2 - 1;
  const out = new Float32Array(width * height);
  const smooth = (t: number) => t * t * (3 - 2 * t);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const j = Math.floor(gy);
    const ty = smooth(gy - j);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const i = Math.floor(gx);
      const tx = smooth(gx - i);
      const v00 = grid[j * gw + i];
      const v10 = grid[j * gw + i + 1];
      const v01 = grid[(j + 1) * gw + i];
      const v11 = grid[(j + 1) * gw + i + 1];
      out[y * width + x] = (v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty;
    }
  }
  return out;
}

/**
 * Beige paper: low-frequency blotches (two octaves of value noise, up to ±≈8
 * levels), a little bluer-darker where darker, plus fine grain (3 px value
 * noise and per-pixel noise, ±≈3–5, mostly shared by the three channels). After
 * JPEG q85 the paper spans about ±8 levels (1st–99th percentile).
 */
const paper =
  (base: string): Background =>
  (width, height, seed) => {
    const rnd = prng(seed);
    const long = Math.max(width, height);
    const big = valueNoise(width, height, long / 3, rnd);
    const mid = valueNoise(width, height, long / 9, rnd);
    const fine = valueNoise(width, height, 3, rnd);
    const [r, g, b] = hex(base);
    const out = new Float32Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const blotch = 6.5 * big[i] + 3 * mid[i];
      const grain = 2.5 * fine[i] + 5 * (rnd() - 0.5);
      const d = blotch + grain;
      out[i * 3] = r + d + 0.8 * (rnd() - 0.5);
      out[i * 3 + 1] = g + d * 0.97 + 0.8 * (rnd() - 0.5);
      out[i * 3 + 2] = b + d * 1.1 + 0.8 * (rnd() - 0.5);
    }
    return out;
  };

/** White with a `px`-wide grey border round the whole canvas (a screenshot crop). */
const framed =
  (px: number, colour = '#bdbdbd'): Background =>
  (width, height) => {
    const out = flat('#ffffff')(width, height, 0);
    const [r, g, b] = hex(colour);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (x >= px && y >= px && x < width - px && y < height - px) continue;
        const i = (y * width + x) * 3;
        out[i] = r;
        out[i + 1] = g;
        out[i + 2] = b;
      }
    }
    return out;
  };

/** The art over an opaque background, in 8-bit sRGB ("over" with straight alpha): RGB bytes. */
function flattenOver(art: Rgba, bg: Float32Array): Uint8Array {
  const n = art.width * art.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = art.data[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) {
      const back = clamp8(bg[i * 3 + c]);
      out[i * 3 + c] = clamp8(art.data[i * 4 + c] * a + back * (1 - a));
    }
  }
  return out;
}

// ─── Cases ────────────────────────────────────────────────────────────────────

interface CaseSpec {
  id: string;
  class: CaseClass;
  set: SetName;
  icon: string;
  /** simple-icons only: the fill colour. */
  fill?: string;
  /** Longest side of the canvas in px. */
  size: number;
  /** Margin round the art on each side, as a fraction of the canvas's longest side. */
  margin: number;
  /** Fit the art's visible pixels (true) or its declared viewBox (false: badges, app icons). */
  tight: boolean;
  /** Opaque box filling the canvas behind the art (part of the art: kept in the reference). */
  box?: string;
  /** Background behind the art, or null to keep the input transparent. */
  background: Background | null;
  format: { type: 'png' } | { type: 'jpeg'; quality: number };
  expect: CaseExpect;
  note: string;
}

const png = { type: 'png' } as const;
const jpeg = (quality: number) => ({ type: 'jpeg', quality }) as const;

const CASES: CaseSpec[] = [
  {
    id: 'offwhite-hbo',
    class: 'offwhite-jpeg',
    set: 'simple-icons',
    icon: 'hbo',
    fill: '#000000',
    size: 300,
    margin: 0.06,
    tight: true,
    background: flat('#f1f0ec'),
    format: jpeg(60),
    expect: { background: 'flat', holes: 'cleared', colors: 1 },
    note: 'Black wordmark on off-white, JPEG q60; the counters of B and O must be cleared.',
  },
  {
    id: 'offwhite-ebay',
    class: 'offwhite-jpeg',
    set: 'simple-icons',
    icon: 'ebay',
    fill: '#e53238',
    size: 320,
    margin: 0.06,
    tight: true,
    background: flat('#f1f0ec'),
    format: jpeg(60),
    expect: { background: 'flat', holes: 'cleared', colors: 1 },
    note: 'Red lower-case wordmark on off-white, JPEG q60 (chroma-subsampled red edges); e, b, a counters.',
  },
  {
    id: 'paper-dell',
    class: 'paper-texture',
    set: 'simple-icons',
    icon: 'dell',
    fill: '#007db8',
    size: 480,
    margin: 0.12,
    tight: true,
    background: paper('#efe8da'),
    format: jpeg(85),
    expect: { background: 'texture', holes: 'cleared', colors: 1 },
    note: 'Blue ring and lettering on beige paper with blotches and grain, JPEG q85; ring inside and D counter are paper.',
  },
  {
    id: 'paper-audi',
    class: 'paper-texture',
    set: 'simple-icons',
    icon: 'audi',
    fill: '#bb0a30',
    size: 560,
    margin: 0.08,
    tight: true,
    background: paper('#efe8da'),
    format: jpeg(85),
    expect: { background: 'texture', holes: 'cleared', colors: 1 },
    note: 'Four thin red rings on paper, JPEG q85: the ring interiors are paper and must go.',
  },
  {
    id: 'gradient-linear-vw',
    class: 'gradient-bg',
    set: 'simple-icons',
    icon: 'volkswagen',
    fill: '#151f5d',
    size: 440,
    margin: 0.12,
    tight: true,
    background: linear('#dfe9f3', '#ffffff'),
    format: png,
    expect: { background: 'gradient', holes: 'cleared', colors: 1 },
    note: 'Navy roundel on a left-to-right #dfe9f3 → #ffffff gradient, PNG.',
  },
  {
    id: 'gradient-radial-toyota',
    class: 'gradient-bg',
    set: 'simple-icons',
    icon: 'toyota',
    fill: '#eb0a1e',
    size: 480,
    margin: 0.14,
    tight: true,
    background: radial('#ffffff', '#d8d8d8'),
    format: jpeg(90),
    expect: { background: 'gradient', holes: 'cleared', colors: 1 },
    note: 'Red ellipses on a radial vignette (#ffffff centre, #d8d8d8 corners), JPEG q90.',
  },
  {
    id: 'frame1-fedex',
    class: 'screenshot-frame',
    set: 'simple-icons',
    icon: 'fedex',
    fill: '#4d148c',
    size: 420,
    margin: 0.08,
    tight: true,
    background: framed(1),
    format: png,
    expect: { background: 'flat', frame: true, holes: 'cleared', colors: 1 },
    note: 'Purple wordmark on white inside a 1 px #bdbdbd screenshot border, PNG; the border is not art.',
  },
  {
    id: 'frame2-intel',
    class: 'screenshot-frame',
    set: 'simple-icons',
    icon: 'intel',
    fill: '#0071c5',
    size: 400,
    margin: 0.1,
    tight: true,
    background: framed(2),
    format: png,
    expect: { background: 'flat', frame: true, holes: 'cleared', colors: 1 },
    note: 'Blue wordmark (e counter, small ®) on white inside a 2 px #bdbdbd border, PNG.',
  },
  {
    id: 'box-opel',
    class: 'full-bleed-box',
    set: 'simple-icons',
    icon: 'opel',
    fill: '#ffffff',
    size: 420,
    margin: 0.09,
    tight: true,
    box: '#d62828',
    background: flat('#ffffff'), // the box is opaque: this only makes the PNG RGB, as customers' are
    format: png,
    expect: { background: 'none', boxKept: true, colors: 2 },
    note: 'Red box filling the canvas with a thin white ring-and-bolt mark: the whole box is the logo.',
  },
  {
    id: 'box-nasa',
    class: 'full-bleed-box',
    set: 'simple-icons',
    icon: 'nasa',
    fill: '#ffffff',
    size: 560,
    margin: 0.08,
    tight: true,
    box: '#d62828',
    background: flat('#ffffff'), // the box is opaque: this only makes the PNG RGB, as customers' are
    format: png,
    expect: { background: 'none', boxKept: true, colors: 2 },
    note: 'Wide red box filling the canvas with white lettering: the whole box is the logo.',
  },
  {
    id: 'appicon-github-transparent',
    class: 'app-icon-transparent',
    set: 'skill-icons',
    icon: 'github-dark',
    size: 512,
    margin: 0.04,
    tight: false,
    background: null,
    format: png,
    expect: { background: 'transparent', boxKept: true, colors: 2 },
    note: 'Dark rounded square with a white Octocat, already transparent: nothing is to be removed.',
  },
  {
    id: 'appicon-docker-white',
    class: 'app-icon-on-white',
    set: 'skill-icons',
    icon: 'docker',
    size: 400,
    margin: 0,
    tight: false,
    background: flat('#ffffff'),
    format: png,
    expect: { background: 'flat', boxKept: true, colors: 2 },
    note: 'Blue rounded square with a white whale filling the canvas on white: only the corners go.',
  },
  {
    id: 'appicon-markdown-white',
    class: 'app-icon-on-white',
    set: 'skill-icons',
    icon: 'markdown-dark',
    size: 360,
    margin: 0,
    tight: false,
    background: flat('#ffffff'),
    format: png,
    expect: { background: 'flat', boxKept: true, colors: 2 },
    note: 'Dark rounded square with a white outlined "M↓" on white: white strokes inside the box are art.',
  },
  {
    id: 'badge-btc-jpeg',
    class: 'circle-badge',
    set: 'cryptocurrency-color',
    icon: 'btc',
    size: 360,
    margin: 0,
    tight: false,
    background: flat('#ffffff'),
    format: jpeg(80),
    expect: { background: 'flat', holes: 'kept', colors: 2 },
    note: 'Orange disc touching the canvas edges with a white ₿, on white, JPEG q80: the white glyph is art.',
  },
  {
    id: 'badge-dash-transparent',
    class: 'circle-badge',
    set: 'cryptocurrency-color',
    icon: 'dash',
    size: 400,
    margin: 0,
    tight: false,
    background: null,
    format: png,
    expect: { background: 'transparent', holes: 'kept', colors: 2 },
    note: 'Blue disc with a white D glyph, transparent PNG: nothing is to be removed.',
  },
  {
    id: 'whitestroke-skull',
    class: 'white-strokes',
    set: 'fluent-emoji-flat',
    icon: 'skull',
    size: 400,
    margin: 0.08,
    tight: true,
    background: flat('#ffffff'),
    format: png,
    expect: { background: 'flat', holes: 'kept' },
    note: 'White skull inside a grey outline on white: the white fill is art and must stay.',
  },
  {
    id: 'whitestroke-penguin',
    class: 'white-strokes',
    set: 'fluent-emoji-flat',
    icon: 'penguin',
    size: 420,
    margin: 0.08,
    tight: true,
    background: flat('#ffffff'),
    format: png,
    expect: { background: 'flat', holes: 'kept' },
    note: 'Penguin whose white belly is enclosed by the purple body, on white: the belly must stay.',
  },
  {
    id: 'thin-bird',
    class: 'thin-details',
    set: 'fluent-emoji-flat',
    icon: 'bird',
    size: 220,
    margin: 0.06,
    tight: true,
    background: flat('#ffffff'),
    format: jpeg(75),
    expect: { background: 'flat' },
    note: 'Small (220 px) red bird with a tiny black eye and thin legs, on white, JPEG q75.',
  },
  {
    id: 'gradart-apple',
    class: 'gradient-art',
    set: 'fluent-emoji',
    icon: 'red-apple',
    size: 480,
    margin: 0.08,
    tight: true,
    background: flat('#ffffff'),
    format: png,
    expect: { background: 'flat' },
    note: 'Apple shaded with radial and linear gradients (leaf with a soft blur), on white PNG.',
  },
  {
    id: 'gradart-rocket',
    class: 'gradient-art',
    set: 'fluent-emoji',
    icon: 'rocket',
    size: 440,
    margin: 0.08,
    tight: true,
    background: flat('#ffffff'),
    format: png,
    expect: { background: 'flat' },
    note: 'Rocket with a near-white gradient body and pink fins, on white PNG: light art next to a white background.',
  },
  {
    id: 'navy-github',
    class: 'white-on-navy',
    set: 'simple-icons',
    icon: 'github',
    fill: '#ffffff',
    size: 440,
    margin: 0.2,
    tight: true,
    background: flat('#1b2a4a'),
    format: png,
    expect: { background: 'flat', holes: 'cleared', colors: 1 },
    note: 'White Octocat disc centred on a navy #1b2a4a canvas (20 % margins); navy is the background, the cat shape too.',
  },
  {
    id: 'cyan-airbnb',
    class: 'cyan-on-blue',
    set: 'simple-icons',
    icon: 'airbnb',
    fill: '#35c6f4',
    size: 440,
    margin: 0.2,
    tight: true,
    background: flat('#1f5fbf'),
    format: png,
    expect: { background: 'flat', holes: 'cleared', colors: 1 },
    note: 'Cyan #35c6f4 outline mark on blue #1f5fbf, anti-aliased: measures the halo of un-mixed edges.',
  },
  {
    id: 'darkbg-imdb',
    class: 'dark-bg-jpeg',
    set: 'simple-icons',
    icon: 'imdb',
    fill: '#f5c518',
    size: 300,
    margin: 0.1,
    tight: true,
    background: flat('#141414'),
    format: jpeg(70),
    expect: { background: 'flat', holes: 'cleared', colors: 1 },
    note: 'Yellow framed wordmark on near-black #141414, small JPEG q70.',
  },
];

// ─── Build ────────────────────────────────────────────────────────────────────

async function artOf(spec: CaseSpec): Promise<Art> {
  if (spec.set === 'simple-icons') {
    if (!spec.fill) throw new Error(`${spec.id}: a simple-icons case needs a fill`);
    return simpleIcon(spec.icon, spec.fill);
  }
  return iconify(spec.set, spec.icon);
}

/** Canvas size and the art's placement in it (the art fitted inside the margins, centred). */
function layout(spec: CaseSpec, box: [number, number, number, number]) {
  const [, , w, h] = box;
  const m = Math.round(spec.margin * spec.size);
  const scale = (spec.size - 2 * m) / Math.max(w, h);
  const width = w >= h ? spec.size : Math.round(w * scale + 2 * m);
  const height = h >= w ? spec.size : Math.round(h * scale + 2 * m);
  return {
    width,
    height,
    x: (width - w * scale) / 2,
    y: (height - h * scale) / 2,
    w: w * scale,
    h: h * scale,
  };
}

async function encodeInput(spec: CaseSpec, art: Rgba): Promise<Buffer> {
  const { width, height } = art;
  if (!spec.background) {
    return sharp(Buffer.from(art.data), { raw: { width, height, channels: 4 } })
      .png({ compressionLevel: 9, adaptiveFiltering: true })
      .toBuffer();
  }
  const rgb = flattenOver(art, spec.background(width, height, seedOf(spec.id)));
  const img = sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } });
  return spec.format.type === 'png'
    ? img.png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer()
    : img.jpeg({ quality: spec.format.quality, mozjpeg: false }).toBuffer();
}

/** A per-case seed from its id (FNV-1a), so adding a case never reseeds the others. */
function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

async function pkgInfo(pkg: string): Promise<{ version: string; license: string }> {
  const j = JSON.parse(await readFile(path.join(MODULES, pkg, 'package.json'), 'utf8'));
  return { version: j.version, license: j.license };
}

export async function buildCustomerCorpus(log: (line: string) => void = console.log): Promise<void> {
  const avoid = await tracingBenchSlugs();
  const ids = new Set<string>();
  for (const spec of CASES) {
    if (ids.has(spec.id)) throw new Error(`duplicate case id ${spec.id}`);
    ids.add(spec.id);
    if (spec.set === 'simple-icons' && avoid.has(spec.icon)) {
      throw new Error(
        `${spec.id}: simple-icons/${spec.icon} is in the tracing benchmark's corpus; pick another`,
      );
    }
  }

  // Only this script's own files are removed (never anything else someone put there).
  await mkdir(CUSTOMER_DIR, { recursive: true });
  for (const f of await readdir(CUSTOMER_DIR)) {
    if (/\.(png|jpg)$/.test(f) || f === 'manifest.json' || f === 'README.md')
      await rm(path.join(CUSTOMER_DIR, f));
  }

  const cases: CustomerCase[] = [];
  const digest = createHash('sha256');
  let total = 0;
  for (const spec of CASES) {
    const art = await artOf(spec);
    const box = spec.tight ? tightBox(art) : art.box;
    const p = layout(spec, box);
    const boxRect = spec.box ? `<rect width="${p.width}" height="${p.height}" fill="${spec.box}"/>` : '';
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${p.width}" height="${p.height}" ` +
      `viewBox="0 0 ${p.width} ${p.height}">${boxRect}` +
      `<svg x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" viewBox="${box.join(' ')}" ` +
      `preserveAspectRatio="xMidYMid meet">${art.body}</svg></svg>`;
    const reference = await renderSvg(svg, p.width, p.height);
    const refPng = await sharp(Buffer.from(reference.data), {
      raw: { width: p.width, height: p.height, channels: 4 },
    })
      .png({ compressionLevel: 9, adaptiveFiltering: true })
      .toBuffer();
    const input = await encodeInput(spec, reference);
    const ext = spec.format.type === 'png' ? 'png' : 'jpg';
    const files = { input: `${spec.id}.${ext}`, reference: `${spec.id}.ref.png` };
    const long = Math.max(p.width, p.height);
    if (long < 200 || long > 640) throw new Error(`${spec.id}: ${p.width}×${p.height} is outside 200–640 px`);
    await writeFile(path.join(CUSTOMER_DIR, files.input), input);
    await writeFile(path.join(CUSTOMER_DIR, files.reference), refPng);
    total += input.length + refPng.length;
    digest.update(input).update(refPng);
    const { pkg, license } = SOURCES[spec.set];
    cases.push({
      id: spec.id,
      class: spec.class,
      ...files,
      width: p.width,
      height: p.height,
      source: { pkg, icon: spec.icon, license },
      expect: spec.expect,
      note: spec.note,
    });
    log(
      `${spec.id.padEnd(28)} ${spec.class.padEnd(21)} ${`${p.width}×${p.height}`.padEnd(8)} ` +
        `${String(input.length).padStart(7)} + ${String(refPng.length).padStart(6)} B`,
    );
  }

  const packages: CustomerManifest['packages'] = {};
  for (const pkg of [...new Set(CASES.map((c) => SOURCES[c.set].pkg)), '@resvg/resvg-js', 'sharp'].sort()) {
    packages[pkg] = await pkgInfo(pkg);
  }
  const manifest: CustomerManifest = { version: VERSION, packages, cases };
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(path.join(CUSTOMER_DIR, 'manifest.json'), json);
  total += Buffer.byteLength(json);
  if (total > MAX_TOTAL_BYTES)
    throw new Error(`corpus is ${total} bytes, over the ${MAX_TOTAL_BYTES} budget`);
  digest.update(json);
  const readme = readmeText(manifest);
  await writeFile(path.join(CUSTOMER_DIR, 'README.md'), readme);
  digest.update(readme);
  log(
    `${cases.length} cases, ${(total / 1024).toFixed(0)} KiB in ${path.relative(ROOT, CUSTOMER_DIR)}/ ` +
      `(sha256 of all files ${digest.digest('hex').slice(0, 16)})`,
  );
}

const UPSTREAM: Record<string, string> = {
  'simple-icons':
    'Simple Icons (https://simpleicons.org, https://github.com/simple-icons/simple-icons), CC0-1.0. ' +
    'The marks are trademarks of their owners; Simple Icons’ DISCLAIMER.md applies: they are used here ' +
    'only as test data for logo processing, not to suggest any endorsement.',
  '@iconify-json/cryptocurrency-color':
    'Iconify packaging of "Cryptocurrency Icons" by Christopher Downer / atomiclabs ' +
    '(https://github.com/atomiclabs/cryptocurrency-icons), CC0-1.0. Coins’ marks belong to their projects.',
  '@iconify-json/skill-icons':
    'Iconify packaging of "Skill Icons" by tandpfun (https://github.com/tandpfun/skill-icons), MIT.',
  '@iconify-json/fluent-emoji-flat':
    'Iconify packaging of Microsoft "Fluent Emoji" (flat style) (https://github.com/microsoft/fluentui-emoji), MIT.',
  '@iconify-json/fluent-emoji':
    'Iconify packaging of Microsoft "Fluent Emoji" (colour style, with gradients) ' +
    '(https://github.com/microsoft/fluentui-emoji), MIT.',
};

/** A Markdown table padded the way Biome formats one (columns as wide as their widest cell). */
function table(head: string[], rows: string[][]): string[] {
  const len = (t: string) => [...t].length;
  const widths = head.map((h, i) => Math.max(3, len(h), ...rows.map((r) => len(r[i]))));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat(widths[i] - len(c))).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function readmeText(m: CustomerManifest): string {
  const lines = [
    '# Customer-file corpus',
    '',
    'Generated by `scripts/make-customer-corpus.ts` — do not edit by hand. Small, degraded',
    '"customer files" (logos as customers send them: off-white JPEGs, paper scans, gradients,',
    'screenshot borders, boxes, app icons, badges, white art, dark backgrounds) with a clean',
    'reference each. Used by `npm run bench:customer` (bench/customer.ts); `npm run sheet:customer`',
    'draws a contact sheet of the results.',
    '',
    '- `<id>.png` / `<id>.jpg` — the input as a customer would send it;',
    '- `<id>.ref.png` — the reference: RGBA, same pixel size and placement as the input, the art on',
    '  transparent (for full-bleed boxes and app icons: the box itself, opaque);',
    '- `manifest.json` — the cases: class, files, size, source, what a good result keeps or removes',
    '  (`expect`), and a note. `background: "none"` means the art fills the canvas and must be kept.',
    '',
    '## Regenerate',
    '',
    '```',
    'npm run corpus:customer',
    '```',
    '',
    'The output is byte-for-byte deterministic for the package versions below (seeded noise, no',
    'dates, fixed JPEG settings with `mozjpeg: false`); the script prints a digest of all files.',
    'Changing a package version may change the renders: check the contact sheet, then commit.',
    '',
    '## Sources and licences',
    '',
    'All art is rendered from npm devDependencies with @resvg/resvg-js; none of it overlaps the',
    'tracing benchmark (bench/corpus.ts: its simple-icons selection is checked against, and',
    '@iconify-json/logos is not used).',
    '',
  ];
  lines.push(
    ...table(
      ['package', 'version', 'licence', 'origin'],
      Object.entries(m.packages).map(([pkg, info]) => [
        `\`${pkg}\``,
        info.version,
        info.license,
        UPSTREAM[pkg] ?? 'renderer / encoder',
      ]),
    ),
  );
  lines.push('', '## Cases', '');
  lines.push(
    ...table(
      ['id', 'class', 'size', 'input', 'source icon', 'licence'],
      m.cases.map((c) => [
        c.id,
        c.class,
        `${c.width}×${c.height}`,
        c.input,
        `\`${c.source.pkg}\` ${c.source.icon}`,
        c.source.license,
      ]),
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** Reads the corpus manifest (for the benchmark and the contact sheet). */
export async function loadCustomerManifest(): Promise<CustomerManifest> {
  return JSON.parse(await readFile(path.join(CUSTOMER_DIR, 'manifest.json'), 'utf8')) as CustomerManifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCustomerCorpus();
}

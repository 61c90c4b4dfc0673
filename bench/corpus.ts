/**
 * Benchmark corpus: real logos nobody on the team drew, rendered from two
 * open-licensed npm icon sets (devDependencies, CC0-1.0 both):
 *
 * - mono marks: `simple-icons` — single-colour brand marks, each filled with its
 *   brand hex colour;
 * - colour marks: `@iconify-json/logos` — the Iconify packaging of Gil Barbara's
 *   "SVG Logos" set (https://github.com/gilbarbara/logos, CC0-1.0).
 *
 * Selection is deterministic: each set is sorted by name, filtered, and every
 * k-th entry taken (k = floor(eligible / PER_SET), starting at k/2), so the same
 * package versions always give the same corpus. Filters:
 * - simple-icons: skip colours within ΔE76 20 of white (they vanish on white).
 * - logos: skip art using gradients, patterns, filters, masks, clip paths,
 *   opacity, images, text, <style>, <use>, url(…) or currentColor; keep only art
 *   with at least two distinct explicit fill colours; skip aspect ratios over 4:1.
 *
 * Each logo is rendered with resvg into a canvas whose longest side is SIZE px,
 * the art centred with a MARGIN px transparent border (real uploads have some
 * margin, and it keeps edge handling out of the comparison), as three variants:
 * - clean: RGBA on transparent — the ground truth every score is computed against;
 * - white: the same flattened on white (opaque PNG);
 * - jpeg:  the on-white image as JPEG quality 75 (sharp's defaults: 4:2:0 chroma).
 *
 * Output goes to bench/.corpus/ (git-ignored) with a manifest.json. Run it with
 * `npm run bench:corpus`; `npm run bench:trace` builds it when it is missing.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { deltaE76, rgbToLab } from '../src/color/color.js';
import type { RgbaImage, Variant } from './types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = path.join(ROOT, 'bench', '.corpus');
const MANIFEST = path.join(CORPUS_DIR, 'manifest.json');

/** Longest side of every rendered variant, in pixels. */
export const SIZE = 1024;
/** Transparent border around the art inside the SIZE canvas, in pixels. */
export const MARGIN = 32;
/** Logos taken from each set. */
export const PER_SET = 30;
export const JPEG_QUALITY = 75;
/** Bump when the rendering or the selection changes, so stale corpora get rebuilt. */
const CORPUS_VERSION = 1;

export interface CorpusLogo {
  /** File-name-safe id, e.g. `si-3m` or `logos-vue`. */
  id: string;
  /** 'mono': a simple-icons mark (mono and colour tracers run); 'color': a multi-colour logo. */
  set: 'mono' | 'color';
  title: string;
  pkg: string;
  license: string;
  /** Brand colour of a mono mark (#rrggbb). */
  hex?: string;
  width: number;
  height: number;
  files: Record<Variant, string> & { svg: string };
}

export interface CorpusManifest {
  version: number;
  size: number;
  margin: number;
  jpegQuality: number;
  packages: Record<string, { version: string; license: string }>;
  logos: CorpusLogo[];
}

const MODULES = path.join(ROOT, 'node_modules');

async function pkgInfo(name: string): Promise<{ version: string; license: string }> {
  const j = JSON.parse(await readFile(path.join(MODULES, name, 'package.json'), 'utf8'));
  return { version: j.version, license: j.license };
}

/** Every k-th of a sorted list, `count` entries in all. */
function everyKth<T>(sorted: T[], count: number): T[] {
  if (sorted.length <= count) return sorted;
  const k = Math.floor(sorted.length / count);
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(sorted[Math.floor(k / 2) + i * k]);
  return out;
}

interface Source {
  id: string;
  set: 'mono' | 'color';
  title: string;
  pkg: string;
  license: string;
  hex?: string;
  /** viewBox of the art and its inner markup. */
  box: [number, number, number, number];
  body: string;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function simpleIcons(): Promise<Source[]> {
  const dir = path.join(MODULES, 'simple-icons');
  const data: { title: string; slug: string; hex: string }[] = JSON.parse(
    await readFile(path.join(dir, 'data', 'simple-icons.json'), 'utf8'),
  );
  const white = rgbToLab(255, 255, 255);
  const eligible = data
    .filter((d) => {
      const n = Number.parseInt(d.hex, 16);
      return deltaE76(rgbToLab((n >> 16) & 255, (n >> 8) & 255, n & 255), white) >= 20;
    })
    .sort((a, b) => byName(a.slug, b.slug));
  const out: Source[] = [];
  for (const d of everyKth(eligible, PER_SET)) {
    const svg = await readFile(path.join(dir, 'icons', `${d.slug}.svg`), 'utf8');
    const vb = /viewBox="([^"]+)"/.exec(svg);
    const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(svg);
    if (!vb || !inner) throw new Error(`simple-icons/${d.slug}.svg: no viewBox or body`);
    const box = vb[1]
      .trim()
      .split(/[\s,]+/)
      .map(Number) as [number, number, number, number];
    const body = inner[1].replace(/<title>[\s\S]*?<\/title>/, '');
    out.push({
      id: `si-${d.slug}`,
      set: 'mono',
      title: d.title,
      pkg: 'simple-icons',
      license: 'CC0-1.0',
      hex: `#${d.hex.toLowerCase()}`,
      box,
      body: `<g fill="#${d.hex}">${body}</g>`,
    });
  }
  return out;
}

const COMPLICATED =
  /<(?:linearGradient|radialGradient|pattern|filter|mask|clipPath|image|text|style|use|foreignObject)\b|opacity|url\(|currentColor/i;

function fillColours(body: string): Set<string> {
  const fills = new Set<string>();
  for (const m of body.matchAll(/\bfill(?:="|:\s*)(#[0-9a-f]{3,8}|[a-z]+)/gi)) {
    const v = m[1].toLowerCase();
    if (v !== 'none') fills.add(v);
  }
  return fills;
}

async function svgLogos(): Promise<Source[]> {
  const set: {
    icons: Record<
      string,
      { body: string; width?: number; height?: number; left?: number; top?: number; hidden?: boolean }
    >;
    width?: number;
    height?: number;
  } = JSON.parse(await readFile(path.join(MODULES, '@iconify-json', 'logos', 'icons.json'), 'utf8'));
  const eligible = Object.keys(set.icons)
    .sort(byName)
    .filter((name) => {
      const icon = set.icons[name];
      const w = icon.width ?? set.width ?? 16;
      const h = icon.height ?? set.height ?? 16;
      return (
        !icon.hidden &&
        !COMPLICATED.test(icon.body) &&
        fillColours(icon.body).size >= 2 &&
        Math.max(w, h) / Math.min(w, h) <= 4
      );
    });
  return everyKth(eligible, PER_SET).map((name) => {
    const icon = set.icons[name];
    return {
      id: `logos-${name}`,
      set: 'color',
      title: name,
      pkg: '@iconify-json/logos',
      license: 'CC0-1.0',
      box: [icon.left ?? 0, icon.top ?? 0, icon.width ?? set.width ?? 16, icon.height ?? set.height ?? 16],
      body: icon.body,
    };
  });
}

/** The art fitted into a SIZE canvas with MARGIN px around it, as a standalone SVG. */
function framedSvg(src: Source): { svg: string; width: number; height: number } {
  const [x, y, w, h] = src.box;
  const scale = (SIZE - 2 * MARGIN) / Math.max(w, h);
  const width = w >= h ? SIZE : Math.round(w * scale) + 2 * MARGIN;
  const height = h >= w ? SIZE : Math.round(h * scale) + 2 * MARGIN;
  const pad = MARGIN / scale;
  // The viewBox is exactly the canvas in user units, so rounding the short side never distorts the art.
  const vw = width / scale;
  const vh = height / scale;
  const vx = x - pad - (vw - w - 2 * pad) / 2;
  const vy = y - pad - (vh - h - 2 * pad) / 2;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="${vx} ${vy} ${vw} ${vh}">${src.body}</svg>\n`;
  return { svg, width, height };
}

async function render(src: Source): Promise<CorpusLogo> {
  const { svg, width, height } = framedSvg(src);
  const img = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
  if (img.width !== width || img.height !== height) {
    throw new Error(`${src.id}: rendered ${img.width}×${img.height}, expected ${width}×${height}`);
  }
  const clean = img.asPng();
  const white = await sharp(clean).flatten({ background: '#ffffff' }).png().toBuffer();
  const jpeg = await sharp(white).jpeg({ quality: JPEG_QUALITY }).toBuffer();
  const files = {
    svg: `${src.id}.svg`,
    clean: `${src.id}.clean.png`,
    white: `${src.id}.white.png`,
    jpeg: `${src.id}.jpeg.jpg`,
  };
  await writeFile(path.join(CORPUS_DIR, files.svg), svg);
  await writeFile(path.join(CORPUS_DIR, files.clean), clean);
  await writeFile(path.join(CORPUS_DIR, files.white), white);
  await writeFile(path.join(CORPUS_DIR, files.jpeg), jpeg);
  const { id, set, title, pkg, license, hex } = src;
  return { id, set, title, pkg, license, ...(hex ? { hex } : {}), width, height, files };
}

export async function buildCorpus(log: (line: string) => void = console.log): Promise<CorpusManifest> {
  const t0 = performance.now();
  await rm(CORPUS_DIR, { recursive: true, force: true });
  await mkdir(CORPUS_DIR, { recursive: true });
  const sources = [...(await simpleIcons()), ...(await svgLogos())];
  const logos: CorpusLogo[] = [];
  for (const src of sources) logos.push(await render(src));
  const manifest: CorpusManifest = {
    version: CORPUS_VERSION,
    size: SIZE,
    margin: MARGIN,
    jpegQuality: JPEG_QUALITY,
    packages: {
      'simple-icons': await pkgInfo('simple-icons'),
      '@iconify-json/logos': await pkgInfo('@iconify-json/logos'),
      '@resvg/resvg-js': await pkgInfo('@resvg/resvg-js'),
    },
    logos,
  };
  await writeFile(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  const mono = logos.filter((l) => l.set === 'mono').length;
  log(
    `corpus: ${logos.length} logos (${mono} mono from simple-icons, ${logos.length - mono} colour from ` +
      `@iconify-json/logos) × 3 variants in ${path.relative(ROOT, CORPUS_DIR)}/ ` +
      `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return manifest;
}

/** The corpus manifest, building the corpus first when it is missing or stale. */
export async function loadCorpus(log: (line: string) => void = console.log): Promise<CorpusManifest> {
  try {
    const m: CorpusManifest = JSON.parse(await readFile(MANIFEST, 'utf8'));
    const current = await pkgInfo('simple-icons');
    const logos = await pkgInfo('@iconify-json/logos');
    if (
      m.version === CORPUS_VERSION &&
      m.packages['simple-icons']?.version === current.version &&
      m.packages['@iconify-json/logos']?.version === logos.version
    ) {
      return m;
    }
    log('corpus: stale (builder or package versions changed), rebuilding');
  } catch {
    log('corpus: not built yet, building');
  }
  return buildCorpus(log);
}

/** Decodes any image file to straight-alpha RGBA. */
export async function decode(file: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`expected 4 channels, got ${info.channels}`);
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/** One variant of a corpus logo: its file bytes and the decoded pixels. */
export async function loadVariant(
  logo: CorpusLogo,
  variant: Variant,
): Promise<{ file: Buffer; rgba: RgbaImage }> {
  const file = await readFile(path.join(CORPUS_DIR, logo.files[variant]));
  return { file, rgba: await decode(file) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCorpus();
}

/**
 * The ten logos of the engine and batch benchmarks (paths from the repository
 * root): 5 multi-colour on transparent, 3 on white, 2 one-colour marks on white.
 */
export function engineLogos(manifest: CorpusManifest): string[] {
  const colour = manifest.logos.filter((l) => l.set === 'color');
  const mono = manifest.logos.filter((l) => l.set === 'mono');
  const pick = (list: CorpusLogo[], n: number, step: number) =>
    Array.from({ length: n }, (_, k) => list[(k * step) % list.length]);
  return [
    ...pick(colour, 5, 6).map((l) => path.join('bench', '.corpus', l.files.clean)),
    ...pick(colour.slice(3), 3, 7).map((l) => path.join('bench', '.corpus', l.files.white)),
    ...pick(mono, 2, 11).map((l) => path.join('bench', '.corpus', l.files.white)),
  ];
}

/**
 * Shared test helpers: render SVG art with sharp (librsvg), decode any output
 * back to raw RGBA, composite, and measure colour differences. Fixtures are
 * drawn here in code so that every test says exactly what its input is.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { deltaE76, rgbToLab } from '../src/color/color.js';
import type { RgbaImage } from '../src/io/image.js';
import type { Subpath } from '../src/vector/path.js';

export const run = promisify(execFile);

/** An SVG document of the given size around `body`. */
export function svgDoc(width: number, height: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

/** Renders SVG (optionally flattened on a colour) to PNG bytes. */
export async function renderPng(svg: Buffer, background?: string): Promise<Buffer> {
  let s = sharp(svg);
  if (background) s = s.flatten({ background });
  return s.png().toBuffer();
}

/** An SVG's viewBox size: its drawing in pixels (its width and height give its print size). */
export function svgViewBox(svg: string | Buffer): { width: number; height: number } {
  const m = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(String(svg));
  if (!m) throw new Error('the SVG has no viewBox');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** An SVG's width and height attributes in mm (null when they are not in mm). */
export function svgSizeMm(svg: string | Buffer): { width: number; height: number } | null {
  const root = /<svg\b[^>]*>/.exec(String(svg))?.[0] ?? '';
  const w = /\swidth="([\d.]+)mm"/.exec(root);
  const h = /\sheight="([\d.]+)mm"/.exec(root);
  return w && h ? { width: Number(w[1]), height: Number(h[1]) } : null;
}

/**
 * Renders an SVG with resvg at its viewBox size times `zoom`: one pixel per drawing pixel,
 * whatever print size the file declares.
 */
export function renderSvgPixels(
  svg: string | Buffer,
  o: { zoom?: number; background?: string } = {},
): RgbaImage {
  const width = Math.round(svgViewBox(svg).width * (o.zoom ?? 1));
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width }, background: o.background }).render();
  return { width: r.width, height: r.height, data: new Uint8Array(r.pixels) };
}

/** Decodes any image bytes to raw RGBA (sRGB, 8-bit). */
export async function rgba(bytes: Buffer | Uint8Array): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes)
    .ensureAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

export function pixel(img: RgbaImage, x: number, y: number): [number, number, number, number] {
  const p = (y * img.width + x) * 4;
  return [img.data[p], img.data[p + 1], img.data[p + 2], img.data[p + 3]];
}

/** Pixel i composited over an opaque backdrop colour, in 8-bit sRGB (as renderers blend). */
export function over(img: RgbaImage, i: number, back: [number, number, number]): [number, number, number] {
  const a = img.data[i * 4 + 3] / 255;
  return [0, 1, 2].map((c) => Math.round(img.data[i * 4 + c] * a + back[c] * (1 - a))) as [
    number,
    number,
    number,
  ];
}

export function deltaE(p: [number, number, number], q: [number, number, number]): number {
  return deltaE76(rgbToLab(p[0], p[1], p[2]), rgbToLab(q[0], q[1], q[2]));
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'logomill-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Path of a bundled example logo. */
export function example(name: string): string {
  return new URL(`../examples/${name}`, import.meta.url).pathname;
}

export const CLI = new URL('../src/cli/main.ts', import.meta.url).pathname;

/** Runs the logomill CLI from source in a child process, with extra environment variables. */
export function cli(
  args: string[],
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Renders an EPS with Ghostscript (cropped to its bounding box) and decodes the PNG. */
export async function renderEps(file: string, dpi: number, antialias = true): Promise<RgbaImage> {
  const out = `${file}.png`;
  await run('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-dEPSCrop',
    '-sDEVICE=png16m',
    ...(antialias ? ['-dGraphicsAlphaBits=4'] : []),
    `-r${dpi}`,
    `-sOutputFile=${out}`,
    file,
  ]);
  return rgba(await readFile(out));
}

export interface DxfPolyline {
  layer: string;
  closed: boolean;
  /** Each vertex with the bulge of the piece leaving it (0: straight; tan of a quarter of the arc's angle, + counter-clockwise). */
  vertices: { x: number; y: number; bulge: number }[];
}

/**
 * A polyline's outline as points: straight pieces as they are, arcs (bulges) sampled every
 * `step` mm or finer, the closing piece included when closed.
 */
export function dxfPoints(line: DxfPolyline, step: number): { x: number; y: number }[] {
  const vs = line.vertices;
  const out: { x: number; y: number }[] = [];
  const n = line.closed ? vs.length : vs.length - 1;
  for (let i = 0; i < n; i++) {
    const a = vs[i];
    const b = vs[(i + 1) % vs.length];
    out.push({ x: a.x, y: a.y });
    if (!a.bulge) continue;
    const theta = 4 * Math.atan(a.bulge);
    const c = Math.hypot(b.x - a.x, b.y - a.y);
    const r = c / (2 * Math.abs(Math.sin(theta / 2)));
    // the centre: from the chord's middle, along its left normal (counter-clockwise arcs) by r·cos(θ/2)
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const h = r * Math.cos(theta / 2) * Math.sign(theta);
    const cx = mx - ((b.y - a.y) / c) * h;
    const cy = my + ((b.x - a.x) / c) * h;
    const start = Math.atan2(a.y - cy, a.x - cx);
    const pieces = Math.max(2, Math.ceil((Math.abs(theta) * r) / step));
    for (let k = 1; k < pieces; k++) {
      const t = start + (theta * k) / pieces;
      out.push({ x: cx + r * Math.cos(t), y: cy + r * Math.sin(t) });
    }
  }
  if (!line.closed) out.push({ x: vs[vs.length - 1].x, y: vs[vs.length - 1].y });
  return out;
}

/**
 * A DXF read back: its group-code pairs, header variables, layers (AutoCAD colour number and
 * true colour) and LWPOLYLINEs. Throws on a malformed pair.
 */
export function readDxf(text: string): {
  pairs: [number, string][];
  header: Map<string, string[]>;
  layers: Map<string, { aci: number; rgb: number | null }>;
  polylines: DxfPolyline[];
} {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length % 2) throw new Error('code/value lines come in pairs');
  const pairs: [number, string][] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const code = Number(lines[i].trim());
    if (!Number.isInteger(code)) throw new Error(`group code at line ${i + 1}: ${lines[i]}`);
    pairs.push([code, lines[i + 1]]);
  }
  const header = new Map<string, string[]>();
  const layers = new Map<string, { aci: number; rgb: number | null }>();
  const polylines: DxfPolyline[] = [];
  let section = '';
  let entity = '';
  let variable: string[] | null = null;
  let layer: { name: string; aci: number; rgb: number | null } | null = null;
  let line: DxfPolyline | null = null;
  for (const [code, value] of pairs) {
    if (code === 0) {
      if (layer) layers.set(layer.name, { aci: layer.aci, rgb: layer.rgb });
      layer = null;
      line = null;
      variable = null;
      entity = value;
      if (entity === 'LAYER') layer = { name: '', aci: 7, rgb: null };
      if (entity === 'LWPOLYLINE' && section === 'ENTITIES') {
        line = { layer: '0', closed: false, vertices: [] };
        polylines.push(line);
      }
      continue;
    }
    if (entity === 'SECTION' && code === 2) section = value;
    else if (section === 'HEADER' && code === 9) {
      variable = [];
      header.set(value, variable);
    } else if (variable) variable.push(value);
    else if (layer) {
      if (code === 2) layer.name = value;
      if (code === 62) layer.aci = Number(value);
      if (code === 420) layer.rgb = Number(value);
    } else if (line) {
      if (code === 8) line.layer = value;
      if (code === 70) line.closed = (Number(value) & 1) === 1;
      if (code === 10) line.vertices.push({ x: Number(value), y: Number.NaN, bulge: 0 });
      if (code === 20) (line.vertices.at(-1) as { y: number }).y = Number(value);
      if (code === 42) (line.vertices.at(-1) as { bulge: number }).bulge = Number(value);
    }
  }
  return { pairs, header, layers, polylines };
}

/** ezdxf's audit of a DXF file (Debian's python3-ezdxf): the errors and the fixes it had to make. */
export async function auditDxf(path: string): Promise<{ version: string; errors: number; fixes: number }> {
  const script = [
    'import sys',
    'from ezdxf import recover',
    'doc, auditor = recover.readfile(sys.argv[1])',
    'print(doc.dxfversion, len(auditor.errors), len(auditor.fixes))',
  ].join('\n');
  const { stdout } = await run('/usr/bin/python3', ['-c', script, path]);
  const [version, errors, fixes] = stdout.trim().split(' ');
  return { version, errors: Number(errors), fixes: Number(fixes) };
}

/**
 * The fill colours an SVG paints, in document order, as #rrggbb (the writers shorten #ffcc00 to
 * #fc0 where they can).
 */
export function svgFills(svg: string | Buffer): string[] {
  return [...String(svg).matchAll(/fill="#([0-9a-f]{6}|[0-9a-f]{3})"/g)].map((m) =>
    m[1].length === 3 ? `#${m[1][0]}${m[1][0]}${m[1][1]}${m[1][1]}${m[1][2]}${m[1][2]}` : `#${m[1]}`,
  );
}

/**
 * SVG path data to subpaths: M/m, L/l, H/h, V/v, C/c, S/s and Z/z with implicit repeats (what
 * toSvg writes: each command absolute or relative, whichever is shorter). Z returns to the
 * subpath's start; S mirrors the previous cubic's second handle.
 */
export function parsePathData(d: string): Subpath[] {
  const tokens = d.match(/[MmLlHhVvCcSsZz]|-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
  let handle: { x: number; y: number } | null = null;
  const out: Subpath[] = [];
  let sp: Subpath | null = null;
  let cmd = '';
  let x = 0;
  let y = 0;
  let k = 0;
  const num = () => Number(tokens[k++]);
  while (k < tokens.length) {
    if (/[A-Za-z]/.test(tokens[k])) cmd = tokens[k++];
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? x : 0;
    const oy = rel ? y : 0;
    const upper = cmd.toUpperCase();
    const mirrored = handle ? { x: 2 * x - handle.x, y: 2 * y - handle.y } : { x, y };
    if (upper !== 'C' && upper !== 'S') handle = null;
    switch (upper) {
      case 'Z':
        if (sp) {
          x = sp.start.x;
          y = sp.start.y;
        }
        break;
      case 'M': {
        x = ox + num();
        y = oy + num();
        sp = { start: { x, y }, segments: [] };
        out.push(sp);
        cmd = rel ? 'l' : 'L'; // further pairs are lines
        break;
      }
      case 'L':
        x = ox + num();
        y = oy + num();
        sp?.segments.push({ kind: 'line', to: { x, y } });
        break;
      case 'H':
        x = ox + num();
        sp?.segments.push({ kind: 'line', to: { x, y } });
        break;
      case 'V':
        y = oy + num();
        sp?.segments.push({ kind: 'line', to: { x, y } });
        break;
      case 'C': {
        const c1 = { x: ox + num(), y: oy + num() };
        const c2 = { x: ox + num(), y: oy + num() };
        x = ox + num();
        y = oy + num();
        sp?.segments.push({ kind: 'cubic', c1, c2, to: { x, y } });
        handle = c2;
        break;
      }
      case 'S': {
        const c2 = { x: ox + num(), y: oy + num() };
        x = ox + num();
        y = oy + num();
        sp?.segments.push({ kind: 'cubic', c1: mirrored, c2, to: { x, y } });
        handle = c2;
        break;
      }
      default:
        throw new Error(`unexpected path command ${cmd}`);
    }
  }
  return out;
}

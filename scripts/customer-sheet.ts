/**
 * Contact sheet of the customer-file benchmark, for a person to look at:
 * one row per case of test/fixtures/customer/, six tiles a row —
 *   input | reference (checkerboard) | transparent.png (checkerboard) |
 *   transparent.png (dark grey #303030) | vector-color.svg | vector.svg
 * (SVGs rendered with resvg at the input's size, on the checkerboard), each
 * scaled to fit a TILE px square. Reads the files `npm run bench:customer`
 * kept in bench/.customer/out/<id>/ and writes bench/.customer/sheet.png.
 *
 *   npm run sheet:customer
 *   npm run sheet:customer -- --cases box-opel,navy-github --out /tmp/sheet.png
 *   npm run sheet:customer -- --dir /tmp/customer     (the bench's --out folder)
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import sharp, { type OverlayOptions } from 'sharp';
import { CUSTOMER_DIR, DEFAULT_OUT, DEFAULT_SHEET } from '../bench/customer-paths.js';
import { loadCustomerManifest } from './make-customer-corpus.js';

const TILE = 160;
const GAP = 6;
const LABEL_W = 170;
const HEADER_H = 22;
const COLUMNS = [
  'input',
  'reference',
  'transparent.png',
  'transparent on #303030',
  'vector-color.svg',
  'vector.svg',
] as const;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(lines: string[], width: number, height: number, size = 12, fill = '#000'): Buffer {
  const tspans = lines
    .map(
      (l, i) =>
        `<text x="4" y="${14 + i * (size + 4)}" font-size="${i ? size - 1 : size}" fill="${i ? '#555' : fill}" font-family="DejaVu Sans, sans-serif">${escapeXml(l)}</text>`,
    )
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${tspans}</svg>`,
  );
}

function checker(size: number): Buffer {
  const sq = 8;
  const rects: string[] = [];
  for (let y = 0; y < size; y += sq)
    for (let x = 0; x < size; x += sq)
      if ((x / sq + y / sq) % 2) rects.push(`<rect x="${x}" y="${y}" width="${sq}" height="${sq}"/>`);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#ffffff"/><g fill="#d6d6d6">${rects.join('')}</g></svg>`,
  );
}

function solid(size: number, colour: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${colour}"/></svg>`,
  );
}

/** A PNG fitted into TILE × TILE (not enlarged past 2×, nearest-neighbour when enlarging so pixels show). */
async function fit(png: Buffer): Promise<{ img: Buffer; w: number; h: number }> {
  const meta = await sharp(png).metadata();
  const w0 = meta.width ?? TILE;
  const h0 = meta.height ?? TILE;
  const s = Math.min(TILE / w0, TILE / h0);
  const w = Math.max(1, Math.round(w0 * s));
  const h = Math.max(1, Math.round(h0 * s));
  const img = await sharp(png)
    .resize(w, h, { fit: 'fill', kernel: s > 1 ? 'nearest' : 'lanczos3' })
    .png()
    .toBuffer();
  return { img, w, h };
}

function renderSvgPng(svg: Buffer, width: number): Buffer {
  return new Resvg(svg.toString('utf8'), {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
  })
    .render()
    .asPng();
}

/** The bench's numbers for a row label (bench/customer.ts writes them to result.json). */
function scoreLines(r: {
  scores?: {
    bgKind?: string | null;
    cutout?: { badPct: number; halo: number; empty: boolean } | null;
    trace?: { score: { badPct: number }; empty: boolean } | null;
    mono?: { score: { badPct: number }; empty: boolean } | null;
    warnings?: string[];
  };
}): string[] {
  const s = r.scores;
  if (!s) return [];
  const v = (x: { empty: boolean } | null | undefined, n: number | undefined) =>
    !x ? '–' : x.empty ? 'EMPTY' : `${(n ?? Number.NaN).toFixed(1)}%`;
  const lines = [
    `bg: ${s.bgKind ?? '?'}`,
    `cut ${v(s.cutout, s.cutout?.badPct)} halo ${s.cutout ? s.cutout.halo.toFixed(1) : '–'}`,
    `trace ${v(s.trace, s.trace?.score.badPct)} mono ${v(s.mono, s.mono?.score.badPct)}`,
  ];
  for (const w of s.warnings ?? []) lines.push(w.replace(/^W_/, ''));
  return lines;
}

async function tryRead(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, dir: { type: 'string' }, out: { type: 'string' } },
  });
  const manifest = await loadCustomerManifest();
  const want = values.cases ? new Set(values.cases.split(',').map((s) => s.trim())) : null;
  const cases = want ? manifest.cases.filter((c) => want.has(c.id)) : manifest.cases;
  if (!cases.length) throw new Error('no cases to show');
  const outRoot = path.resolve(values.dir ?? DEFAULT_OUT);
  const sheetFile = path.resolve(values.out ?? DEFAULT_SHEET);

  const width = LABEL_W + COLUMNS.length * (TILE + GAP) + GAP;
  const rowH = TILE + GAP;
  const height = HEADER_H + cases.length * rowH + GAP;
  const layers: OverlayOptions[] = [];
  for (const [i, name] of COLUMNS.entries()) {
    layers.push({ input: text([name], TILE, HEADER_H), left: LABEL_W + GAP + i * (TILE + GAP), top: 2 });
  }
  const check = checker(TILE);
  const dark = solid(TILE, '#303030');
  const white = solid(TILE, '#ffffff');
  let missing = 0;

  for (const [r, c] of cases.entries()) {
    const top = HEADER_H + r * rowH;
    const dir = path.join(outRoot, c.id);
    const label = [c.id, c.class, `${c.width}×${c.height} ${c.input.split('.').pop()}`];
    const scores = await tryRead(path.join(dir, 'result.json'));
    if (scores) label.push(...scoreLines(JSON.parse(scores.toString('utf8'))));
    layers.push({ input: text(label.slice(0, 10), LABEL_W, TILE), left: 0, top });
    const cutout = await tryRead(path.join(dir, 'transparent.png'));
    const colour = await tryRead(path.join(dir, 'vector-color.svg'));
    const mono = await tryRead(path.join(dir, 'vector.svg'));
    const tiles: [Buffer | null, Buffer][] = [
      [
        await sharp(await readFile(path.join(CUSTOMER_DIR, c.input)))
          .png()
          .toBuffer(),
        white,
      ],
      [await readFile(path.join(CUSTOMER_DIR, c.reference)), check],
      [cutout, check],
      [cutout, dark],
      [colour ? renderSvgPng(colour, c.width) : null, check],
      [mono ? renderSvgPng(mono, c.width) : null, check],
    ];
    for (const [k, [png, back]] of tiles.entries()) {
      const left = LABEL_W + GAP + k * (TILE + GAP);
      if (!png) {
        missing++;
        layers.push({ input: solid(TILE, '#f4dede'), left, top });
        layers.push({
          input: text(['missing: run', 'npm run bench:customer'], TILE, 40, 11, '#a00'),
          left,
          top,
        });
        continue;
      }
      const { img, w, h } = await fit(png);
      const x = left + Math.floor((TILE - w) / 2);
      const y = top + Math.floor((TILE - h) / 2);
      // The backdrop only under the image itself, so the image's own bounds show.
      layers.push({
        input: await sharp(back).extract({ left: 0, top: 0, width: w, height: h }).toBuffer(),
        left: x,
        top: y,
      });
      layers.push({ input: img, left: x, top: y });
    }
  }

  await mkdir(path.dirname(sheetFile), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: '#e9e9e9' } })
    .composite(layers)
    .png()
    .toFile(sheetFile);
  console.log(
    `${cases.length} cases → ${path.relative(process.cwd(), sheetFile)}` +
      (missing ? ` (${missing} tiles missing: run npm run bench:customer first)` : ''),
  );
}

await main();

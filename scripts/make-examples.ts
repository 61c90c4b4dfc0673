/**
 * Renders the example logos in examples/ from the SVG sources in
 * examples/src/ (drawn for this project, MIT like the rest). Run with
 * `npx tsx scripts/make-examples.ts`; the PNG/JPEG outputs are committed so
 * that the demo needs no build step of its own.
 */
import { readdir, readFile } from 'node:fs/promises';
import sharp from 'sharp';

const SRC = new URL('../examples/src/', import.meta.url);
const OUT = new URL('../examples/', import.meta.url);

/** file in examples/src → how it is rendered. */
const RENDER: Record<string, { out: string; background?: string; jpegQuality?: number; width: number }> = {
  'acme-badge.svg': { out: 'acme-badge-transparent.png', width: 800 },
  'harbor.svg': { out: 'harbor-on-white.png', background: '#ffffff', width: 900 },
  'peak.svg': { out: 'peak-on-white.jpg', background: '#ffffff', jpegQuality: 70, width: 800 },
  'leaf.svg': { out: 'leaf-mark.png', width: 600 },
  'lineart.svg': { out: 'lineart-on-cream.png', background: '#f4efe1', width: 1000 },
};

for (const file of await readdir(SRC)) {
  const spec = RENDER[file];
  if (!spec) continue;
  const svg = await readFile(new URL(file, SRC));
  let img = sharp(svg, { density: 300 }).resize({ width: spec.width });
  if (spec.background) img = img.flatten({ background: spec.background });
  const buf = spec.jpegQuality
    ? await img.jpeg({ quality: spec.jpegQuality, chromaSubsampling: '4:2:0' }).toBuffer()
    : await img.png({ compressionLevel: 9 }).toBuffer();
  await sharp(buf).toFile(new URL(spec.out, OUT).pathname);
  console.log(spec.out);
}

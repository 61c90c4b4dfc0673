/**
 * Lays out every PNG/JPEG/WebP under a folder on a checkerboard (so that
 * transparency and halos show), with file names, into one PNG to look at.
 *   npx tsx scripts/contact-sheet.ts out/harbor-on-white sheet.png [cell=220] [dark]
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp from 'sharp';

const [dir, outFile, cellArg, mode] = process.argv.slice(2);
const cell = Number(cellArg ?? 220);
const dark = mode === 'dark';

async function walk(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (/\.(png|jpe?g|webp)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

function checker(size: number): Buffer {
  const sq = 10;
  const rects: string[] = [];
  for (let y = 0; y < size; y += sq)
    for (let x = 0; x < size; x += sq)
      if ((x / sq + y / sq) % 2) rects.push(`<rect x="${x}" y="${y}" width="${sq}" height="${sq}"/>`);
  const [a, b] = dark ? ['#202020', '#383838'] : ['#ffffff', '#dcdcdc'];
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${a}"/><g fill="${b}">${rects.join('')}</g></svg>`,
  );
}

const files = await walk(dir);
const cols = Math.min(6, files.length);
const rows = Math.ceil(files.length / cols);
const label = 18;
const tiles = [];
for (const [i, f] of files.entries()) {
  const x = (i % cols) * cell;
  const y = Math.floor(i / cols) * (cell + label);
  const img = await sharp(f)
    .resize(cell - 8, cell - 8, { fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
  const meta = await sharp(img).metadata();
  tiles.push({ input: checker(cell), left: x, top: y });
  tiles.push({
    input: img,
    left: x + Math.floor((cell - (meta.width ?? 0)) / 2),
    top: y + Math.floor((cell - (meta.height ?? 0)) / 2),
  });
  const name = relative(dir, f).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  tiles.push({
    input: Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${cell}" height="${label}"><rect width="100%" height="100%" fill="#fff"/><text x="4" y="13" font-size="11" font-family="sans-serif">${name}</text></svg>`,
    ),
    left: x,
    top: y + cell,
  });
}
await sharp({
  create: { width: cols * cell, height: rows * (cell + label), channels: 3, background: '#ffffff' },
})
  .composite(tiles)
  .png()
  .toFile(outFile);
console.log(`${files.length} images → ${outFile}`);

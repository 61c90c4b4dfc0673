/**
 * How densely sticker sheets pack: `npm run bench:sheet`.
 *
 * Inputs: the 23 reference cutouts of the customer corpus (test/fixtures/customer/*.ref.png) and
 * the 5 example logos: 28 stickers (2 mm offset, their cut shapes as the `sheet` variation makes
 * them). For each, in one process, a Letter sheet filled with copies at 2 in and at 1 in, with
 * Silhouette marks (the keep-outs count against the packers) and 3 mm between cuts:
 * - logomill's nesting by cut shape (nest.ts: top-left fill on a 0.25 mm grid, each set of turns);
 * - the shelf packer (shelf.ts: boxes in rows, each way round): the peer a simple tool uses.
 * Stickers per sheet and sheet use (area inside the cuts ÷ printable area), per logo and as
 * medians; layout time. Then every logo at once, 1.5 in, shared out in turn on 12 × 12 in.
 * Results in bench/results/sheet-<date>.json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogoContext } from '../src/engine/logo-context.js';
import { decodeLogo } from '../src/io/decode.js';
import { parseOptions } from '../src/options.js';
import { layoutSheet, type Sheet, type SheetSticker } from '../src/print/sheet/index.js';
import { cutoutSettingsSchema } from '../src/variations/shared/cutout-settings.js';
import { sheetSchema, sheetSettings, stickerSettings } from '../src/variations/shared/sheet-files.js';
import { sheetSticker } from '../src/variations/shared/sticker.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const files: { name: string; bytes: Buffer }[] = [];
const customer = path.join(ROOT, 'test', 'fixtures', 'customer');
for (const f of readdirSync(customer)
  .filter((f) => f.endsWith('.ref.png'))
  .sort())
  files.push({ name: f.replace('.ref.png', ''), bytes: readFileSync(path.join(customer, f)) });
for (const f of readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => /\.(png|jpg)$/.test(f))
  .sort())
  files.push({ name: f.replace(/\.[a-z]+$/, ''), bytes: readFileSync(path.join(ROOT, 'examples', f)) });

const cutout = parseOptions(cutoutSettingsSchema, {}, 'cutout');
const stickersAt = new Map<string, SheetSticker[]>();
async function stickers(size: string): Promise<SheetSticker[]> {
  const known = stickersAt.get(size);
  if (known) return known;
  const out: SheetSticker[] = [];
  for (const { name, bytes } of files) {
    const logo = createLogoContext(await decodeLogo(bytes), cutout);
    out.push(sheetSticker(logo, stickerSettings(parseOptions(sheetSchema, { size }, 'sheet'), name)));
  }
  stickersAt.set(size, out);
  return out;
}

interface Figures {
  count: number;
  usePct: number;
}
const figures = (sheet: Sheet, packer: 'nest' | 'shelf'): Figures =>
  sheet.packer === packer
    ? { count: sheet.placements.length, usePct: sheet.usePct }
    : { count: sheet.alternative.count, usePct: sheet.alternative.usePct };

const results: Record<string, unknown> = {};
for (const size of ['2in', '1in']) {
  const all = await stickers(size);
  const rows: { name: string; nest: Figures; shelf: Figures; ms: number }[] = [];
  for (const s of all) {
    const settings = sheetSettings(parseOptions(sheetSchema, { size, sheet: 'letter' }, 'sheet'), [0]);
    const t = performance.now();
    const sheet = layoutSheet([s], settings);
    rows.push({
      name: s.label,
      nest: figures(sheet, 'nest'),
      shelf: figures(sheet, 'shelf'),
      ms: performance.now() - t,
    });
  }
  results[size] = rows;
  console.log(`\n### ${size} stickers on Letter, Silhouette marks, 3 mm gap (${rows.length} logos)\n`);
  console.log('| logo | nested | use % | rows (shelf) | use % | layout ms |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.nest.count} | ${r.nest.usePct} | ${r.shelf.count} | ${r.shelf.usePct} | ${Math.round(r.ms)} |`,
    );
  }
  const more = rows.filter((r) => r.nest.count > r.shelf.count).length;
  const fewer = rows.filter((r) => r.nest.count < r.shelf.count).length;
  console.log(
    `| **median** | ${median(rows.map((r) => r.nest.count))} | ${median(rows.map((r) => r.nest.usePct))} | ${median(rows.map((r) => r.shelf.count))} | ${median(rows.map((r) => r.shelf.usePct))} | ${Math.round(median(rows.map((r) => r.ms)))} |`,
  );
  console.log(
    `\nnesting places more than rows on ${more} of ${rows.length}, fewer on ${fewer} (the sheet then keeps the rows); median gain ${median(rows.map((r) => r.nest.count / r.shelf.count)).toFixed(3)}×`,
  );
}

const mixed = await stickers('1.5in');
const t = performance.now();
const sheet = layoutSheet(
  mixed,
  sheetSettings(
    parseOptions(sheetSchema, { size: '1.5in', sheet: '12x12in' }, 'sheet'),
    mixed.map(() => 0),
  ),
);
const ms = performance.now() - t;
const nest = figures(sheet, 'nest');
const shelf = figures(sheet, 'shelf');
results.mixed = { nest, shelf, ms, placed: sheet.placed };
console.log(
  `\n### all ${mixed.length} logos at 1.5 in, 12 × 12 in, taken in turn\n\nnested ${nest.count} stickers, ${nest.usePct} % · rows ${shelf.count}, ${shelf.usePct} % · layout ${Math.round(ms)} ms`,
);
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  path.join(HERE, 'results', `sheet-${date}.json`),
  `${JSON.stringify({ date, results }, null, 2)}\n`,
);

/**
 * `sheet` — a print-then-cut sticker sheet of the logo: copies of its sticker
 * (the cut path of `cutline` around the colour trace) nested by their shapes on
 * a page with the cutter's registration marks (Silhouette, Cricut's print area,
 * a RIP's CutContour). `logomill sheet a.png b.png …` lays out several logos.
 * Files and options: shared/sheet-files.ts; method: src/print/sheet/, docs/SHEETS.md.
 */
import { sheetFiles, sheetSchema, sheetSettings, stickerSettings } from './shared/sheet-files.js';
import { sheetSticker } from './shared/sticker.js';
import { traceCost } from './shared/vector-files.js';
import { defineVariation } from './types.js';

export const sheet = defineVariation({
  id: 'sheet',
  label: 'Sticker sheet (print then cut)',
  description:
    'Stickers of the logo nested by their cut shapes on a page, with Silhouette marks, Cricut’s print area or CutContour for RIPs: PDF and SVG, a preview and the layout.',
  needs: ['cutout', { trace: { mode: 'color' } }],
  schema: sheetSchema,
  keyOptions: ['sheet', 'size', 'count', 'marks', 'gap', 'offset'],
  outputs: 'sheet.pdf, sheet-print.pdf, sheet.svg, sheet-cut.svg, sheet-preview.png, sheet.json',
  // the cut line's cost, plus the nesting (a few tries per sticker over the sheet's grid)
  cost: (size) => traceCost(size, 4) + (size.width * size.height) / 8000 + 400,
  memoryPerPixel: 80,
  async run({ logo, options, warn }) {
    const sticker = sheetSticker(logo, stickerSettings(options, 'logo'));
    const { files } = await sheetFiles([sticker], sheetSettings(options, [options.count]), (message) =>
      warn?.('W_SHEET_FULL', message),
    );
    return files;
  },
});

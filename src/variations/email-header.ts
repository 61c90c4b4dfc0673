/**
 * `email-header` — 600×200 banner for email signatures and newsletters, plus a
 * 2× version for high-density screens; the logo fits the central 500×150.
 * Kept under 100 KB (palette PNG when the lossless one is larger).
 */
import { isLightArt } from '../analysis/index.js';
import { encodePng, placeOnCanvas } from '../io/encode.js';
import { SCREEN_DPI } from '../io/resolution.js';
import { Opt, Type } from '../options.js';
import { fitBox } from '../raster/geometry.js';
import { DARK, DARK_PLATE, resolveBackground } from './shared/backdrop.js';
import { defineVariation, type OutputFile } from './types.js';

const MAX_BYTES = 100 * 1024;

export const emailHeader = defineVariation({
  id: 'email-header',
  label: 'Email header',
  description: '600×200 email header and its 1200×400 @2x version, logo fitted into the central 500×150.',
  needs: ['cutout'],
  schema: Type.Object(
    {
      backdrop: Opt.backdrop('Banner colour; transparent, a colour, or auto (the logo’s own)', 'transparent'),
    },
    { additionalProperties: false },
  ),
  outputs: 'email-header.png, email-header@2x.png',
  cost: () => 40,
  async run({ logo, options, warn }) {
    const { art, analysis } = logo.cutout();
    let background = resolveBackground(options.backdrop, logo);
    if (background.a === 0 && isLightArt(analysis)) {
      // most email bodies are white: white art on a transparent banner would not show
      background = DARK;
      warn?.(
        'W_ADJUSTED',
        `The art is white and would vanish on a white email body: the header is on a dark plate (${DARK_PLATE}); --backdrop with a colour chooses another.`,
      );
    }
    const files: OutputFile[] = [];
    for (const scale of [1, 2]) {
      const area = { x: 50 * scale, y: 25 * scale, width: 500 * scale, height: 150 * scale };
      const { image } = await placeOnCanvas(art, {
        canvas: { width: 600 * scale, height: 200 * scale },
        box: fitBox(art.width, art.height, area, { margin: 0 }),
        background,
      });
      let data = await encodePng(image, SCREEN_DPI);
      if (data.length > MAX_BYTES) data = await encodePng(image, SCREEN_DPI, true);
      const name = scale === 1 ? 'email-header.png' : 'email-header@2x.png';
      files.push({ name, format: 'png', width: image.width, height: image.height, data });
    }
    return files;
  },
});

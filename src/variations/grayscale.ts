/** `grayscale` — luminance-correct greyscale (linear-light Rec. 709 luminance), alpha kept. */
import { encodePng } from '../io/encode.js';
import { PRINT_DPI } from '../io/resolution.js';
import { Type } from '../options.js';
import { grayscale as toGray } from '../raster/tone.js';
import { oneColorCost } from './shared/one-color.js';
import { presentedCutout } from './transparent.js';
import { defineVariation } from './types.js';

export const grayscale = defineVariation({
  id: 'grayscale',
  label: 'Greyscale version',
  description: 'Greyscale with luminance computed in linear light, so tones keep their perceived lightness.',
  needs: ['cutout'],
  schema: Type.Object({}, { additionalProperties: false }),
  outputs: 'grayscale.png',
  cost: oneColorCost,
  async run({ logo }) {
    const image = toGray(presentedCutout(logo));
    return [
      {
        name: 'grayscale.png',
        format: 'png',
        width: image.width,
        height: image.height,
        data: await encodePng(image, PRINT_DPI),
      },
    ];
  },
});

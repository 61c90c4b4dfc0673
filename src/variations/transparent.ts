/**
 * `transparent` — the logo with its background removed, trimmed to the art.
 * Its options also govern the shared cutout that the one-colour versions,
 * favicons, email header and social images are built from, so that all of
 * them line up pixel for pixel.
 */
import { encodePng } from '../io/encode.js';
import type { RgbaImage } from '../io/image.js';
import { PRINT_DPI } from '../io/resolution.js';
import { pad } from '../raster/geometry.js';
import { cutoutSettingsSchema } from './shared/cutout-settings.js';
import { defineVariation, type LogoContext } from './types.js';

/** The cutout as `transparent` and the one-colour versions present it: trimmed (or not) and padded. */
export function presentedCutout(logo: LogoContext): RgbaImage {
  const cutout = logo.cutout();
  const { trim, padding } = logo.cutoutSettings;
  return pad(trim ? cutout.art : cutout.full, padding);
}

export const transparent = defineVariation({
  id: 'transparent',
  label: 'Transparent PNG',
  description:
    'Background removed without halos: anti-aliased edges are un-mixed from the background colour.',
  needs: ['cutout'],
  schema: cutoutSettingsSchema,
  keyOptions: ['background', 'holes', 'trim'],
  outputs: 'transparent.png',
  cost: ({ width, height }) => (width * height) / 20000,
  memoryPerPixel: 12,
  async run({ logo }) {
    const image = presentedCutout(logo);
    return [
      {
        name: 'transparent.png',
        format: 'png',
        width: image.width,
        height: image.height,
        data: await encodePng(image, PRINT_DPI),
      },
    ];
  },
});

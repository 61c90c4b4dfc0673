/**
 * `transparent` — the logo with its background removed, trimmed to the art.
 * Its options also govern the shared cutout that the one-colour versions,
 * favicons, email header and social images are built from, so that all of
 * them line up pixel for pixel.
 */
import { HOLE_MODES } from '../analysis/holes.js';
import { encodePng } from '../io/encode.js';
import type { RgbaImage } from '../io/image.js';
import { Opt, Type } from '../options.js';
import { pad } from '../raster/geometry.js';
import { defineVariation, type LogoContext } from './types.js';

export const transparentSchema = Type.Object(
  {
    background: Opt.backgroundChoice(
      'The logo’s background: auto = the art analysis decides (flat, gradient, textured, or art that fills the canvas), keep = nothing is background, remove = the border colour is, or its colour',
    ),
    holes: Opt.choice(
      'Enclosed areas of the background colour: auto = decided one by one (counters cleared, white art kept), all = clear every one, none = keep every one',
      HOLE_MODES,
      'auto',
    ),
    tolerance: Opt.number('ΔE76 within which a pixel counts as background', 10, 1, 100),
    trim: Opt.boolean('Crop to the visible art', true),
    padding: Opt.integer('Transparent margin around the art, in pixels', 0, 0, 2000),
  },
  { additionalProperties: false },
);

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
  schema: transparentSchema,
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
        data: await encodePng(image),
      },
    ];
  },
});

/**
 * The shared cutout's settings (CutoutSettings): how the background is told
 * from the art and how cutouts are presented. They are the `transparent`
 * variation's options, and a job takes them from there unless it is given
 * them explicitly (`JobOptions.cutout`).
 */
import { HOLE_MODES } from '../../analysis/holes.js';
import { Opt, Type } from '../../options.js';

export const cutoutSettingsSchema = Type.Object(
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

/**
 * Shared shape of the one-colour versions (`black`, `white`, `recolor`): the
 * presented cutout painted in one colour, alpha and anti-aliasing kept.
 */
import { parseColor, type Rgb } from '../../color/color.js';
import { encodePng } from '../../io/encode.js';
import { PRINT_DPI } from '../../io/resolution.js';
import { silhouette } from '../../raster/tone.js';
import { presentedCutout } from '../transparent.js';
import type { LogoContext, OutputFile } from '../types.js';

export const KNOCKOUTS = ['background', 'white', 'none'] as const;
export type Knockout = (typeof KNOCKOUTS)[number];
export const KNOCKOUT_HELP =
  'Parts of the art left see-through: background = in the logo’s background colour (white for transparent logos), white = near-white, none = fill the whole silhouette';

const WHITE: Rgb = { r: 255, g: 255, b: 255 };

export async function oneColorFile(
  logo: LogoContext,
  name: string,
  hex: string,
  knockout: Knockout,
): Promise<OutputFile> {
  const knockColor =
    knockout === 'none' ? null : knockout === 'white' ? WHITE : (logo.cutout().background ?? WHITE);
  const image = silhouette(presentedCutout(logo), parseColor(hex), knockColor);
  return {
    name,
    format: 'png',
    width: image.width,
    height: image.height,
    data: await encodePng(image, PRINT_DPI),
  };
}

/** One-colour work is a single pass over the pixels. */
export function oneColorCost({ width, height }: { width: number; height: number }): number {
  return (width * height) / 40000;
}

/**
 * Shared shape of the one-colour versions (`black`, `white`, `recolor`): the
 * presented cutout painted in one colour, alpha and anti-aliasing kept.
 */
import { parseColor } from '../color/color.js';
import { encodePng } from '../io/encode.js';
import { type Knockout, silhouette } from '../raster/tone.js';
import { presentedCutout } from './transparent.js';
import type { LogoContext, OutputFile } from './types.js';

export const KNOCKOUTS = ['white', 'none'] as const satisfies readonly Knockout[];
export const KNOCKOUT_HELP =
  'white: near-white parts of the art stay see-through; none: fill the whole silhouette';

export async function oneColorFile(
  logo: LogoContext,
  name: string,
  hex: string,
  knockout: Knockout,
): Promise<OutputFile> {
  const image = silhouette(presentedCutout(logo), parseColor(hex), knockout);
  return { name, format: 'png', width: image.width, height: image.height, data: await encodePng(image) };
}

/** One-colour work is a single pass over the pixels. */
export function oneColorCost({ width, height }: { width: number; height: number }): number {
  return (width * height) / 40000;
}

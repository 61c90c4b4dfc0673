/**
 * Every variation, in the order they are listed to users. Adding a variation
 * means adding its file and one line here.
 */
import { black } from './black.js';
import { centerline } from './centerline.js';
import { cutline } from './cutline.js';
import { distressed } from './distressed.js';
import { emailHeader } from './email-header.js';
import { favicon } from './favicon.js';
import { grayscale } from './grayscale.js';
import { halftone } from './halftone.js';
import { preflightVariation } from './preflight.js';
import { raster } from './raster.js';
import { recolor } from './recolor.js';
import { separations } from './separations.js';
import { sheet } from './sheet.js';
import { social } from './social.js';
import { transparent } from './transparent.js';
import type { Variation } from './types.js';
import { vector } from './vector.js';
import { vectorColor } from './vector-color.js';
import { white } from './white.js';

export const VARIATIONS: readonly Variation[] = [
  preflightVariation,
  transparent,
  black,
  white,
  grayscale,
  recolor,
  raster,
  vector,
  vectorColor,
  centerline,
  cutline,
  sheet,
  separations,
  distressed,
  halftone,
  favicon,
  emailHeader,
  social,
] as unknown as readonly Variation[];

const BY_ID = new Map(VARIATIONS.map((v) => [v.id, v]));

export function findVariation(id: string): Variation | undefined {
  return BY_ID.get(id);
}

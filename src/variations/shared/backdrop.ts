/**
 * Resolves a `background` option: a colour, `transparent`, or `auto` — the
 * logo's own detected background colour, or for logos that came in
 * transparent white (never black: that was a defect of the system we
 * replace), unless the art itself is white: then a dark plate, or it vanishes.
 */
import { isLightArt } from '../../analysis/index.js';
import { parseColor, type Rgba } from '../../color/color.js';
import type { LogoContext } from '../types.js';

export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };
/** What white art is shown on when nothing else is asked: a dark grey, not a harsh black. */
export const DARK_PLATE = '#222222';
export const DARK: Rgba = { ...parseColor(DARK_PLATE, 'plate'), a: 255 };

export function resolveBackground(value: string, logo: LogoContext, optionName = 'background'): Rgba {
  if (value === 'auto') {
    const { background, analysis } = logo.cutout();
    if (background) return { ...background, a: 255 };
    return isLightArt(analysis) ? DARK : WHITE;
  }
  return parseColor(value, optionName);
}

/** Same, but `transparent` is not allowed (formats and icons that must be opaque fall back to white). */
export function resolveOpaqueBackground(value: string, logo: LogoContext): Rgba {
  const c = resolveBackground(value, logo);
  return c.a === 0 ? WHITE : { ...c, a: 255 };
}

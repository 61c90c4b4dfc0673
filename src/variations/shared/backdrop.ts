/**
 * Resolves a `background` option: a colour, `transparent`, or `auto` — the
 * logo's own detected background colour, or white for logos that came in
 * transparent (never black: that was a defect of the system we replace).
 */
import { parseColor, type Rgba } from '../../color/color.js';
import type { LogoContext } from '../types.js';

export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };

export function resolveBackground(value: string, logo: LogoContext, optionName = 'background'): Rgba {
  if (value === 'auto') {
    const bg = logo.cutout().background;
    return bg ? { ...bg, a: 255 } : WHITE;
  }
  return parseColor(value, optionName);
}

/** Same, but `transparent` is not allowed (formats and icons that must be opaque fall back to white). */
export function resolveOpaqueBackground(value: string, logo: LogoContext): Rgba {
  const c = resolveBackground(value, logo);
  return c.a === 0 ? WHITE : { ...c, a: 255 };
}

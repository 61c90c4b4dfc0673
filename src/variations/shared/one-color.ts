/**
 * Shared shape of the one-colour versions (`black`, `white`, `recolor`): the
 * presented cutout painted in one colour, alpha and anti-aliasing kept. A
 * multi-colour logo keeps its design by default (`--style keyline`,
 * print/keyline.ts): dark and saturated colours ink, light ones knocked out,
 * a thin gap where two inked colours touch.
 */
import { parseColor, type Rgb } from '../../color/color.js';
import { extractPalette } from '../../color/palette.js';
import { encodePng } from '../../io/encode.js';
import { createImage } from '../../io/image.js';
import { PRINT_DPI } from '../../io/resolution.js';
import { lengthToPx, parseLength } from '../../length.js';
import { Opt } from '../../options.js';
import { inkCoverage, ONE_COLOR_STYLES, type OneColorStyle, resolveStyle } from '../../print/keyline.js';
import { silhouette } from '../../raster/tone.js';
import { presentedCutout } from '../transparent.js';
import type { LogoContext, OutputFile } from '../types.js';

export const KNOCKOUTS = ['background', 'white', 'none'] as const;
export type Knockout = (typeof KNOCKOUTS)[number];
export const KNOCKOUT_HELP =
  'Parts of the art left see-through: background = in the logo’s background colour (white for transparent logos), white = near-white, none = fill the whole silhouette (keyline style: ink every colour)';

const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** How a multi-colour logo becomes one colour, and the keyline's width: shared by the one-colour versions and `vector`. */
export const styleOptions = {
  style: Opt.choice(
    'How several colours become one: keyline = dark and saturated colours ink, light ones knocked out, a gap where inks touch; silhouette = every visible pixel; threshold = by lightness; auto = keyline for multi-colour art',
    ONE_COLOR_STYLES,
    'auto',
  ),
  keyline: Opt.length('Keyline style: the gap between touching colours (at 300 DPI; 0.5pt ≈ 2 px)', '0.5pt'),
};

export interface OneColorOptions {
  knockout: Knockout;
  style: OneColorStyle;
  keyline: string;
}

/** The keyline's width in the art's pixels (declared 300 DPI). */
export function keylinePx(keyline: string): number {
  return lengthToPx(parseLength(keyline, 'keyline'), PRINT_DPI / 25.4);
}

export async function oneColorFile(
  logo: LogoContext,
  name: string,
  hex: string,
  o: OneColorOptions,
): Promise<OutputFile> {
  const art = presentedCutout(logo);
  // the art's flat colours: the analysis' (extractPalette of this cutout, as the mono trace finds
  // them, so PNG and trace agree), found again only if the analysis skipped them
  const cutout = logo.cutout();
  const inks = cutout.analysis.colors.filter((c) => c.role !== 'background').map((c) => parseColor(c.hex));
  const palette = inks.length ? inks : extractPalette(cutout.full);
  // knockout none asks for the whole silhouette, unless a style is named
  const style =
    o.style === 'auto' && o.knockout === 'none' ? 'silhouette' : resolveStyle(o.style, art, palette);
  let image: ReturnType<typeof createImage>;
  if (style === 'silhouette') {
    const knockColor =
      o.knockout === 'none' ? null : o.knockout === 'white' ? WHITE : (logo.cutout().background ?? WHITE);
    image = silhouette(art, parseColor(hex), knockColor);
  } else {
    const cover = inkCoverage(art, palette, style, {
      gapPx: keylinePx(o.keyline),
      allInk: o.knockout === 'none',
    });
    const c = parseColor(hex);
    image = createImage(art.width, art.height);
    for (let i = 0; i < cover.length; i++) {
      const a = Math.round((art.data[i * 4 + 3] * cover[i]) / 255);
      if (a === 0) continue;
      image.data.set([c.r, c.g, c.b, a], i * 4);
    }
  }
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

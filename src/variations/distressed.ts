/**
 * `distressed` — the logo with seeded screen-print grunge knocked out of it
 * (src/print/distress/): worn patches, grain, speckle, scratches, chipped
 * edges, with thin strokes and small parts protected. A transparent PNG in the
 * logo's own colours and a full-colour trace of it as SVG, PDF and EPS.
 *
 * `--edges print` (default) makes every pixel fully inked or fully clear —
 * what a screen, a plate or a vinyl cutter can reproduce, and what the trace
 * sees; `soft` keeps the anti-aliasing of the logo's own outer edges for
 * screens (the knocked-out holes are 1-bit either way).
 */
import type { Rgb } from '../color/color.js';
import { extractPalette } from '../color/palette.js';
import { encodePng } from '../io/encode.js';
import { createImage, type RgbaImage } from '../io/image.js';
import { PRINT_DPI } from '../io/resolution.js';
import { Opt, Type } from '../options.js';
import { distressKnockout } from '../print/distress/index.js';
import { colorLabels } from '../trace/color/index.js';
import { traceImage } from '../trace/index.js';
import {
  effectiveWidthMm,
  traceCost,
  traceOptionsOf,
  tracerOptions,
  vectorFiles,
} from './shared/vector-files.js';
import { presentedCutout } from './transparent.js';
import { defineVariation } from './types.js';

export const distressed = defineVariation({
  id: 'distressed',
  label: 'Distressed (grunge)',
  description:
    'Seeded screen-print grunge knocked out of the logo — worn patches, grain, speckle, scratches, chipped edges — with thin strokes and small parts kept legible. PNG and a colour trace as SVG, PDF and EPS.',
  needs: ['cutout'],
  schema: Type.Object(
    {
      intensity: Opt.number('How worn, 0 = untouched to 1 = heavily worn', 0.5, 0, 1),
      scale: Opt.number('Texture size relative to the print (1 = default, 2 = twice as coarse)', 1, 0.25, 4),
      seed: Opt.integer('Seed of the texture: the same seed gives the same distress', 1, 0, 2147483647),
      // not `mode`: that flag is the separations' (auto/spot/process), and flags are shared by name
      edges: Opt.choice(
        'print = every pixel fully inked or clear (1-bit); soft = keep the logo’s anti-aliased outer edges',
        ['print', 'soft'] as const,
        'print',
      ),
      minSpeckMm: Opt.number(
        'Smallest printable speck or hole, in mm at the print size (widthMm, else 300 DPI)',
        0.3,
        0.05,
        5,
      ),
      ...tracerOptions,
    },
    { additionalProperties: false },
  ),
  outputs: 'distressed.png, distressed.svg, distressed.pdf, distressed.eps',
  // the texture and legibility passes ≈ one colour trace; then the trace itself
  cost: (size) => traceCost(size, 2) + traceCost(size, 4),
  memoryPerPixel: 64,
  async run({ logo, options }) {
    const art = presentedCutout(logo);
    const printMm = effectiveWidthMm(options, 'distressed');
    const pxPerMm = printMm > 0 ? art.width / printMm : PRINT_DPI / 25.4;
    const image = distressImage(art, {
      intensity: options.intensity,
      scale: options.scale,
      seed: options.seed,
      soft: options.edges === 'soft',
      minSpeckPx: options.minSpeckMm * pxPerMm,
    });
    const trace = traceImage(image, { mode: 'color', ...traceOptionsOf(options), prepared: true });
    return [
      {
        name: 'distressed.png',
        format: 'png',
        width: image.width,
        height: image.height,
        data: await encodePng(image, pxPerMm * 25.4),
      },
      ...vectorFiles(trace, 'distressed', ['svg', 'pdf', 'eps'], { widthMm: printMm }),
    ];
  },
});

/**
 * The art with the distress knocked out. Parts and stroke widths are measured
 * per flat colour, so a thin white line inside a coloured badge is protected
 * like a thin line on its own.
 */
export function distressImage(
  art: RgbaImage,
  o: { intensity: number; scale: number; seed: number; soft: boolean; minSpeckPx: number },
): RgbaImage {
  const { width, height, data } = art;
  const n = width * height;
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) alpha[i] = data[i * 4 + 3];
  const knock = distressKnockout(width, height, alpha, {
    intensity: o.intensity,
    scale: o.scale,
    seed: o.seed,
    minSpeckPx: o.minSpeckPx,
    regions: colorRegions(art),
  });
  const out = createImage(width, height);
  const d = out.data;
  const kept = (i: number) => alpha[i] >= 128 && !knock[i];
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const a = alpha[i];
      let outA = 0;
      if (kept(i)) outA = o.soft ? a : 255;
      else if (o.soft && a > 0 && a < 128 && keptNeighbour(kept, x, y, width, height)) outA = a;
      if (outA === 0) continue; // transparent pixels stay 0,0,0,0: smaller PNGs, no stray colour
      const p = i * 4;
      d[p] = data[p];
      d[p + 1] = data[p + 1];
      d[p + 2] = data[p + 2];
      d[p + 3] = outA;
    }
  }
  return out;
}

/** Whether any 8-neighbour survives: a faint outer edge pixel stays only beside ink that stayed. */
function keptNeighbour(
  kept: (i: number) => boolean,
  x: number,
  y: number,
  width: number,
  height: number,
): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if ((dx || dy) && xx >= 0 && xx < width && kept(yy * width + xx)) return true;
    }
  }
  return false;
}

/** Nearest flat colour (the tracer's palette and labelling) per visible pixel; 255 where transparent. */
function colorRegions(art: RgbaImage): Uint8Array {
  const palette: Rgb[] = extractPalette(art);
  if (palette.length <= 1) return new Uint8Array(art.width * art.height);
  return colorLabels(art, palette, 0);
}

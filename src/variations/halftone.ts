/**
 * `halftone` — the logo as halftone dots, a style effect (separation films are
 * another matter): a screen of round, square or elliptical dots or lines at a
 * ruling (LPI) for a print width and an angle, in the logo's own colours or in
 * one colour; `halftone.png` and `halftone.svg` (every dot a shape). Both come
 * from the same list of dots (src/print/screen/), so they match.
 *
 * How big a dot is (docs/HALFTONE.md): each cell's dot covers the cell's
 * average ink times `solidDot`. Ink is the alpha for `ink: original` (the dots
 * keep the art's colours, so flat art gives even dots that shrink along its
 * edges); for `ink: one` it is alpha × darkness, with the logo's darkest ink
 * counting as solid, so lighter colours get smaller dots and white parts none.
 */
import { linearToSrgb8, parseColor, SRGB_TO_LINEAR, toHex } from '../color/color.js';
import { encodePng } from '../io/encode.js';
import { createImage, type RgbaImage } from '../io/image.js';
import { Opt, type Static, Type } from '../options.js';
import {
  DOT_SHAPES,
  type Dot,
  type DotShape,
  dotExtent,
  dotIsWhole,
  dotOutline,
  lineBands,
  renderDots,
  type ScreenGrid,
  screenDots,
} from '../print/screen/index.js';
import { pathData, shortHex, svgPrintSize } from '../vector/svg.js';
import { fmt } from '../vector/transform.js';
import { resolveBackground } from './shared/backdrop.js';
import { widthMm as printWidthMm, widthOption } from './shared/print-width.js';
import { presentedCutout } from './transparent.js';
import { defineVariation, type LogoContext } from './types.js';

export const halftoneSchema = Type.Object(
  {
    lpi: Opt.number('Screen ruling in lines per inch at the print width', 20, 1, 300),
    printWidth: Opt.number('Width of the printed art in inches (the ruling is per inch of it)', 4, 0.5, 60),
    width: widthOption,
    cell: Opt.number('Halftone cell size in pixels; overrides lpi and print width when > 0', 0, 0, 1000),
    angle: Opt.number('Screen angle in degrees, counter-clockwise from horizontal', 45, -360, 360),
    dot: Opt.choice('Halftone dot shape', DOT_SHAPES, 'round'),
    ink: Opt.choice(
      'original = each dot in its cell’s own colour; one = every dot in --color, sized by how dark the art is',
      ['original', 'one'] as const,
      'original',
    ),
    color: Opt.color('Dot colour when ink is one', '#000000'),
    solidDot: Opt.number(
      'Dot size where the ink is solid, % of its cell; lighter ink and edges get smaller dots (70 keeps round dots apart)',
      70,
      5,
      100,
    ),
    backdrop: Opt.backdrop('Behind the dots: transparent, auto or a colour', 'transparent'),
  },
  { additionalProperties: false },
);

export type HalftoneOptions = Static<typeof halftoneSchema>;

/** Cells smaller than this cannot draw a recognisable dot: coarser screens are used instead. */
export const MIN_CELL_PX = 6;
/** Dots smaller than this many pixels² are specks: half-size ones are dropped, the rest grown to it. */
const MIN_DOT_PX2 = 2;
/** Subsamples per pixel side in the PNG (17 coverage levels along a dot's edge). */
const SAMPLES = 4;

/** The screen's cell size in pixels for an art `width` pixels wide. */
export function cellSize(width: number, o: Pick<HalftoneOptions, 'lpi' | 'printWidth' | 'cell'>): number {
  return Math.max(MIN_CELL_PX, o.cell > 0 ? o.cell : width / (o.printWidth * o.lpi));
}

/**
 * Ink per pixel, 0–255, already scaled by the solid dot (0–1). One colour: alpha × darkness
 * (255 − luma), relative to the logo's darkest ink (its 99th percentile, so a
 * few stray dark pixels do not set it); art that is all but white uses alpha.
 */
function inkTint(art: RgbaImage, oneColor: boolean, solid: number): Uint8Array {
  const { data } = art;
  const n = art.width * art.height;
  const tint = new Uint8Array(n);
  let scale = solid; // ink = alpha × scale × (darkness or 1)
  let useDarkness = false;
  const darkness = new Uint8Array(oneColor ? n : 0);
  if (oneColor) {
    const hist = new Uint32Array(256);
    let opaque = 0;
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      const d = 255 - Math.round(0.2126 * data[p] + 0.7152 * data[p + 1] + 0.0722 * data[p + 2]);
      darkness[i] = d;
      if (data[p + 3] >= 128) {
        hist[d]++;
        opaque++;
      }
    }
    let below = 0;
    let ref = 0;
    for (let d = 0; d < 256; d++) {
      below += hist[d];
      if (below >= 0.99 * opaque) {
        ref = d;
        break;
      }
    }
    if (ref >= 32) {
      useDarkness = true;
      scale = solid / ref;
    }
  }
  for (let i = 0; i < n; i++) {
    const a = data[i * 4 + 3];
    const v = useDarkness ? a * darkness[i] * scale : a * scale;
    tint[i] = v >= 255 ? 255 : Math.round(v);
  }
  return tint;
}

/** Each cell's ink colour: alpha-weighted mean in linear light (flat art keeps its exact colours). */
function cellColors(art: RgbaImage, grid: ScreenGrid): Uint8Array {
  const ids = grid.cellIds();
  const cells = grid.cellCount;
  const sum = new Float64Array(cells * 4);
  const { data } = art;
  for (let p = 0; p < ids.length; p++) {
    const a = data[p * 4 + 3];
    if (a === 0) continue;
    const c = ids[p] * 4;
    sum[c] += a * SRGB_TO_LINEAR[data[p * 4]];
    sum[c + 1] += a * SRGB_TO_LINEAR[data[p * 4 + 1]];
    sum[c + 2] += a * SRGB_TO_LINEAR[data[p * 4 + 2]];
    sum[c + 3] += a;
  }
  const rgb = new Uint8Array(cells * 3);
  for (let c = 0; c < cells; c++) {
    const w = sum[c * 4 + 3];
    if (w === 0) continue;
    for (let k = 0; k < 3; k++) rgb[c * 3 + k] = linearToSrgb8(sum[c * 4 + k] / w);
  }
  return rgb;
}

export interface Halftone {
  art: RgbaImage;
  grid: ScreenGrid;
  dots: Dot[];
  shape: DotShape;
  /** sRGB per cell id (3 bytes). */
  colors: Uint8Array;
  /** Canvas colour, or null for transparent. */
  background: { r: number; g: number; b: number } | null;
}

/** The dots and their colours: what both files draw. */
export function halftoneDots(logo: LogoContext, o: HalftoneOptions): Halftone {
  const art = presentedCutout(logo);
  const cellPx = cellSize(art.width, o);
  const tint = inkTint(art, o.ink === 'one', o.solidDot / 100);
  const minDot = Math.min(0.5, MIN_DOT_PX2 / (cellPx * cellPx));
  const { grid, dots } = screenDots(tint, art.width, art.height, {
    cellPx,
    angleDeg: o.angle,
    shape: o.dot,
    minDot,
  });
  let colors: Uint8Array;
  if (o.ink === 'one') {
    const c = parseColor(o.color);
    colors = new Uint8Array(grid.cellCount * 3);
    for (const d of dots) colors.set([c.r, c.g, c.b], d.cell * 3);
  } else {
    colors = cellColors(art, grid);
  }
  const bg = resolveBackground(o.backdrop, logo);
  return { art, grid, dots, shape: o.dot, colors, background: bg.a === 0 ? null : bg };
}

/** The dots as pixels: each ink pixel in its dot's colour, anti-aliased, on the background or transparent. */
export function halftoneImage(h: Halftone): RgbaImage {
  const { width, height } = h.art;
  const inkCell = new Int32Array(width * height);
  const coverage = renderDots(h.grid, h.dots, { shape: h.shape, samples: SAMPLES, inkCell });
  const out = createImage(width, height);
  const d = out.data;
  const bg = h.background;
  for (let p = 0; p < coverage.length; p++) {
    const a = coverage[p];
    const q = p * 4;
    if (a === 0) {
      if (bg) {
        d[q] = bg.r;
        d[q + 1] = bg.g;
        d[q + 2] = bg.b;
        d[q + 3] = 255;
      }
      continue;
    }
    const c = inkCell[p] * 3;
    if (bg) {
      // composite in sRGB values, as viewers blend the SVG's anti-aliased edges
      d[q] = Math.round((h.colors[c] * a + bg.r * (255 - a)) / 255);
      d[q + 1] = Math.round((h.colors[c + 1] * a + bg.g * (255 - a)) / 255);
      d[q + 2] = Math.round((h.colors[c + 2] * a + bg.b * (255 - a)) / 255);
      d[q + 3] = 255;
    } else {
      d[q] = h.colors[c];
      d[q + 1] = h.colors[c + 1];
      d[q + 2] = h.colors[c + 2];
      d[q + 3] = a;
    }
  }
  return out;
}

/**
 * The dots as SVG shapes, one <g> per colour (in order of first use): whole
 * round dots as <circle>, others (squares, ellipses, round dots grown into
 * their cell's corners) as <path>, and a line screen as one stepped band per
 * run of same-coloured cells. Coordinates in pixels with two decimals; the print size
 * (`widthMm`) in the width and height.
 */
export function halftoneSvg(h: Halftone, widthMm: number): string {
  const { width, height } = h.art;
  const size = svgPrintSize(h.art, widthMm);
  const num = (v: number) => fmt(v, 2);
  const hexOf = (d: Dot) => {
    const c = d.cell * 3;
    return toHex({ r: h.colors[c], g: h.colors[c + 1], b: h.colors[c + 2] });
  };
  const groups = new Map<string, string[]>();
  const add = (hex: string, element: string) => {
    const list = groups.get(hex);
    if (list) list.push(element);
    else groups.set(hex, [element]);
  };
  if (h.shape === 'line') {
    for (const band of lineBands(h.grid, h.dots, hexOf)) {
      add(hexOf(band.dots[0]), `<path d="${pathData([band.outline], 2, true)}"/>`);
    }
  } else {
    for (const d of h.dots) {
      const element =
        h.shape === 'round' && dotIsWhole('round', d.tint)
          ? `<circle cx="${num(d.x)}" cy="${num(d.y)}" r="${num(dotExtent('round', d.tint) * h.grid.cellPx)}"/>`
          : `<path d="${pathData([dotOutline(h.grid, d, h.shape)], 2, true)}"/>`;
      add(hexOf(d), element);
    }
  }
  const bg = h.background
    ? `<rect width="${width}" height="${height}" fill="${shortHex(toHex(h.background))}"/>`
    : '';
  const body = [...groups]
    .map(([hex, elements]) => `<g fill="${shortHex(hex)}">${elements.join('')}</g>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${size.width}" height="${size.height}">` +
    `${bg}${body}</svg>\n`
  );
}

export const halftone = defineVariation({
  id: 'halftone',
  label: 'Halftone dots',
  description:
    'The logo as halftone dots (a style effect): round, square or elliptical dots or lines on a screen at an LPI and angle, in its own colours or one colour.',
  needs: ['cutout'],
  schema: halftoneSchema,
  keyOptions: ['lpi', 'dot', 'ink', 'color'],
  outputs: 'halftone.png, halftone.svg',
  // a few passes over the pixels, 16 subsamples along dot outlines, PNG encoding: ≈ 125 ms per megapixel here
  cost: ({ width, height }) => (width * height) / 8000,
  // RGBA in and out, cell ids and ink cells (Int32), tints and coverage
  memoryPerPixel: 24,
  async run({ logo, options: given }) {
    // --width (any length) overrides --print-width (inches)
    const printMm = printWidthMm(given.width, 'halftone.width');
    const options = printMm > 0 ? { ...given, printWidth: printMm / 25.4 } : given;
    const h = halftoneDots(logo, options);
    const image = halftoneImage(h);
    return [
      {
        name: 'halftone.png',
        format: 'png',
        width: image.width,
        height: image.height,
        data: await encodePng(image, image.width / options.printWidth),
      },
      {
        name: 'halftone.svg',
        format: 'svg',
        width: image.width,
        height: image.height,
        data: Buffer.from(halftoneSvg(h, options.printWidth * 25.4)),
      },
    ];
  },
});

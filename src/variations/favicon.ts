/**
 * `favicon` — the set a modern favicon generator produces:
 *   favicon.ico (16, 32, 48), favicon-96x96.png, apple-touch-icon.png (180,
 *   opaque, padded), web-app-manifest-192x192.png and -512x512.png (maskable:
 *   opaque, art inside the central 80 % circle), favicon.svg (the full-colour
 *   trace on a square canvas: sharp at every size in browsers that take SVG
 *   icons), site.webmanifest and the HTML <link> snippet (favicon.html).
 * Small sizes are downscaled with Lanczos-3 and lightly sharpened so that they
 * stay legible.
 */
import { isLightArt } from '../analysis/index.js';
import { toHex } from '../color/color.js';
import { encodePng, placeOnCanvas } from '../io/encode.js';
import { encodeIco } from '../io/ico.js';
import type { RgbaImage } from '../io/image.js';
import { SCREEN_DPI } from '../io/resolution.js';
import { Opt, Type } from '../options.js';
import { fitBox } from '../raster/geometry.js';
import { centreOnSquare } from '../vector/geometry.js';
import { toSvg } from '../vector/svg.js';
import { fmt } from '../vector/transform.js';
import { DARK, DARK_PLATE, resolveOpaqueBackground } from './shared/backdrop.js';
import { defineVariation, type OutputFile } from './types.js';

const TRANSPARENT = { r: 0, g: 0, b: 0, a: 0 };

async function icon(
  art: RgbaImage,
  size: number,
  o: { margin: number; circle?: boolean; background?: { r: number; g: number; b: number; a: number } },
): Promise<RgbaImage> {
  const area = { x: 0, y: 0, width: size, height: size };
  const { image } = await placeOnCanvas(art, {
    canvas: { width: size, height: size },
    box: fitBox(art.width, art.height, area, o),
    background: o.background ?? TRANSPARENT,
    sharpen: size <= 64,
  });
  return image;
}

/**
 * White art's favicon.svg: a dark rounded plate behind it on light browser themes, none on dark
 * ones (where the white art shows by itself): the SVG favicon follows `prefers-color-scheme`.
 */
function withPlate(svg: string, image: { width: number; height: number }, light: boolean): string {
  if (!light) return svg;
  const { width: w, height: h } = image;
  const plate =
    '<style>@media (prefers-color-scheme: dark){.plate{display:none}}</style>' +
    `<rect class="plate" width="${w}" height="${h}" rx="${Math.round(Math.min(w, h) * 0.18)}" fill="${DARK_PLATE}"/>`;
  // the art inset by 8 % on each side, off the plate's edges
  const inset = `<g transform="translate(${fmt(w * 0.08, 2)} ${fmt(h * 0.08, 2)}) scale(0.84)">`;
  const start = svg.indexOf('>') + 1;
  const end = svg.lastIndexOf('</svg>');
  return `${svg.slice(0, start)}${plate}${inset}${svg.slice(start, end)}</g>${svg.slice(end)}`;
}

function png(name: string, image: RgbaImage, data: Buffer): OutputFile {
  return { name, format: 'png', width: image.width, height: image.height, data };
}

export const favicon = defineVariation({
  id: 'favicon',
  label: 'Favicon package',
  description:
    'favicon.ico, PNG icons, Apple touch icon, maskable web-app icons, site.webmanifest and the HTML snippet.',
  needs: ['cutout', { trace: { mode: 'color' } }],
  schema: Type.Object(
    {
      backdrop: Opt.backdrop('Background of the opaque icons (Apple touch, web app)', 'auto'),
      name: Opt.text('App name written into site.webmanifest', 'Logo', 64),
      shortName: Opt.text('Short app name for site.webmanifest', 'Logo', 32),
    },
    { additionalProperties: false },
  ),
  outputs:
    'favicon.ico, favicon.svg, favicon-96x96.png, apple-touch-icon.png, web-app-manifest-192x192.png, web-app-manifest-512x512.png, site.webmanifest, favicon.html',
  cost: ({ width, height }) => 60 + (width * height) / 6000,
  async run({ logo, options }) {
    const { art, analysis } = logo.cutout();
    const background = resolveOpaqueBackground(options.backdrop, logo);
    const files: OutputFile[] = [];
    // white art vanishes on a light browser tab: the tab icons get a dark plate behind it
    const plate = isLightArt(analysis) ? DARK : null;
    const tab = plate ? { margin: 0.08, background: plate } : { margin: 0 };

    const icoEntries = [];
    for (const size of [16, 32, 48]) {
      const image = await icon(art, size, tab);
      icoEntries.push({ size, png: await encodePng(image, SCREEN_DPI) });
    }
    files.push({ name: 'favicon.ico', format: 'ico', width: 48, height: 48, data: encodeIco(icoEntries) });

    const traced = centreOnSquare(logo.trace({ mode: 'color' }));
    files.push({
      name: 'favicon.svg',
      format: 'svg',
      data: Buffer.from(withPlate(toSvg(traced, { width: null, height: null }), traced, plate !== null)),
    });

    const i96 = await icon(art, 96, plate ? tab : { margin: 0.02 });
    files.push(png('favicon-96x96.png', i96, await encodePng(i96, SCREEN_DPI)));

    const apple = await icon(art, 180, { margin: 0.1, background });
    files.push(png('apple-touch-icon.png', apple, await encodePng(apple, SCREEN_DPI)));

    for (const size of [192, 512]) {
      // maskable: launchers may crop to any shape containing the central circle of 80 % diameter
      const image = await icon(art, size, { margin: 0.1, circle: true, background });
      files.push(png(`web-app-manifest-${size}x${size}.png`, image, await encodePng(image, SCREEN_DPI)));
    }

    const hex = toHex(background);
    const manifest = {
      name: options.name,
      short_name: options.shortName,
      icons: [192, 512].map((s) => ({
        src: `/web-app-manifest-${s}x${s}.png`,
        sizes: `${s}x${s}`,
        type: 'image/png',
        purpose: 'maskable',
      })),
      theme_color: hex,
      background_color: hex,
      display: 'standalone',
    };
    files.push({
      name: 'site.webmanifest',
      format: 'json',
      data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    });

    const html = [
      '<link rel="icon" type="image/png" href="/favicon-96x96.png" sizes="96x96" />',
      '<link rel="icon" type="image/svg+xml" href="/favicon.svg" />',
      '<link rel="shortcut icon" href="/favicon.ico" />',
      '<link rel="apple-touch-icon" sizes="180x180" href="/apple-touch-icon.png" />',
      '<link rel="manifest" href="/site.webmanifest" />',
      '',
    ].join('\n');
    files.push({ name: 'favicon.html', format: 'html', data: Buffer.from(html) });
    return files;
  },
});

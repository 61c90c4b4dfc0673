/**
 * `raster` — the logo exported to every common raster format, at its own size
 * and at optional extra sizes (longest side in pixels).
 */
import {
  type EncodeEffort,
  encodeAvif,
  encodeJpeg,
  encodePng,
  encodeTiff,
  encodeWebp,
  resize,
} from '../io/encode.js';
import type { RgbaImage } from '../io/image.js';
import { rasterPdf } from '../io/pdf.js';
import { Opt, Type } from '../options.js';
import { fitInside } from '../raster/geometry.js';
import { resolveOpaqueBackground } from './shared/backdrop.js';
import { widthMm as printWidthMm, widthOption } from './shared/print-width.js';
import { presentedCutout } from './transparent.js';
import { defineVariation, type OutputFile, type OutputFormat } from './types.js';

const FORMATS = ['png', 'jpeg', 'webp', 'avif', 'tiff', 'pdf'] as const;
type RasterFormat = (typeof FORMATS)[number];
/**
 * Written unless asked otherwise: the formats people use. AVIF is one flag away
 * (`--formats png,jpeg,webp,avif,tiff,pdf`): its encoder alone costs as much as
 * all the others together.
 */
const DEFAULT_FORMATS: readonly RasterFormat[] = ['png', 'jpeg', 'webp', 'tiff', 'pdf'];
/** Encoding time per megapixel (ms, one core, `fast`) measured on flat logo art. */
const FORMAT_MS: Record<RasterFormat, number> = { png: 25, jpeg: 15, webp: 25, avif: 120, tiff: 20, pdf: 15 };
const EXT: Record<RasterFormat, string> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  avif: 'avif',
  tiff: 'tif',
  pdf: 'pdf',
};

export const raster = defineVariation({
  id: 'raster',
  label: 'Raster exports',
  description: 'PNG, JPEG, WebP, AVIF, TIFF (with DPI) and PDF (raster at a physical size), at any sizes.',
  needs: ['cutout'],
  schema: Type.Object(
    {
      formats: Opt.formats(
        'Formats to write (avif is also available; off by default: slow to encode)',
        FORMATS,
        DEFAULT_FORMATS,
      ),
      sizes: Opt.sizes('Extra sizes, longest side in pixels, besides the original size', 16, 8192),
      source: Opt.choice(
        'Export the background-removed art or the original image',
        ['transparent', 'original'],
        'transparent',
      ),
      backdrop: Opt.backdrop('Background for formats without alpha (JPEG)', 'auto'),
      quality: Opt.integer('Quality of JPEG, WebP and AVIF', 90, 1, 100),
      dpi: Opt.integer(
        'Resolution the PNG, JPEG and TIFF files declare and the PDF page size follows',
        300,
        30,
        2400,
      ),
      width: widthOption,
      effort: Opt.choice(
        'fast = quick encoders (default); small = mozjpeg, WebP effort 6 and zlib 9: 10–20 % smaller, 4–6× slower',
        ['fast', 'small'] as const,
        'fast',
      ),
    },
    { additionalProperties: false },
  ),
  outputs:
    'logo.png, logo.jpg, logo.webp, logo.tif, logo.pdf (logo.avif when asked), and logo-<size>.* per extra size',
  cost: ({ width, height }, o) =>
    ((width * height) / 1e6) *
    o.formats.reduce((n, f) => n + FORMAT_MS[f] * (o.effort === 'small' ? 3 : 1), 0) *
    (1 + o.sizes.length),
  // one part per format: they share nothing but the cutout
  split: (o) => o.formats.map((f) => ({ ...o, formats: [f] })),
  memoryPerPixel: 20,
  async run({ logo, options }) {
    const base = options.source === 'original' ? logo.image : presentedCutout(logo);
    const printMm = printWidthMm(options.width, 'raster.width');
    const background = resolveOpaqueBackground(options.backdrop, logo);
    const targets: { suffix: string; image: RgbaImage }[] = [{ suffix: '', image: base }];
    for (const size of [...new Set(options.sizes)].sort((a, b) => a - b)) {
      const { width, height } = fitInside(base.width, base.height, size, size);
      targets.push({ suffix: `-${size}`, image: await resize(base, width, height) });
    }
    const files: OutputFile[] = [];
    // format-major, so that the files of a split (one part per format) concatenate to these
    for (const format of options.formats) {
      for (const { suffix, image } of targets) {
        // with --width every size prints that wide: its DPI follows its pixels
        const dpi = printMm > 0 ? Math.round((image.width * 25.4) / printMm) : options.dpi;
        const data = await encode(format, image, { ...options, dpi }, background);
        files.push({
          name: `logo${suffix}.${EXT[format]}`,
          format: format as OutputFormat,
          width: image.width,
          height: image.height,
          data,
        });
      }
    }
    return files;
  },
});

function encode(
  format: RasterFormat,
  image: RgbaImage,
  o: { quality: number; dpi: number; effort: EncodeEffort },
  background: { r: number; g: number; b: number; a: number },
): Promise<Buffer> {
  switch (format) {
    case 'png':
      return encodePng(image, o.dpi);
    case 'jpeg':
      return encodeJpeg(image, background, o.dpi, o.quality, o.effort);
    case 'webp':
      return encodeWebp(image, o.quality, o.effort);
    case 'avif':
      return encodeAvif(image, o.quality);
    case 'tiff':
      return encodeTiff(image, o.dpi);
    case 'pdf':
      return Promise.resolve(rasterPdf(image, o.dpi, o.effort === 'small' ? 9 : 6));
  }
}

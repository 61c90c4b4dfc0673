/**
 * Raster encoders and the few sharp pipelines variations share (resize, fit
 * onto a canvas). Every output is re-encoded from an RgbaImage without
 * metadata, so the same pixels always give the same bytes.
 */
import sharp, { type Sharp } from 'sharp';
import type { Rgba } from '../color/color.js';
import type { Rect } from '../io/image.js';
import { type RgbaImage, rawDescriptor } from './image.js';
import { setJpegDpi, setPngDpi } from './resolution.js';

export function toSharp(image: RgbaImage): Sharp {
  return sharp(image.data, rawDescriptor(image));
}

async function toImage(pipeline: Sharp): Promise<RgbaImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

function sharpColor(c: Rgba): { r: number; g: number; b: number; alpha: number } {
  return { r: c.r, g: c.g, b: c.b, alpha: c.a / 255 };
}

/** Resizes with Lanczos-3 in premultiplied alpha (sharp premultiplies for us). */
export async function resize(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  if (width === image.width && height === image.height) return image;
  return toImage(toSharp(image).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }));
}

export interface PlaceOptions {
  canvas: { width: number; height: number };
  /** The art is scaled to fit inside this box (keeping its aspect ratio) and centred in it. */
  box: Rect;
  /** Canvas colour; alpha 0 = transparent. */
  background: Rgba;
  /** Light unsharp mask after a strong downscale, so that tiny icons stay crisp. */
  sharpen?: boolean;
}

/** Scales `art` into `box` on a new canvas. Returns the composed image and where the art landed. */
export async function placeOnCanvas(
  art: RgbaImage,
  o: PlaceOptions,
): Promise<{ image: RgbaImage; placed: Rect }> {
  const s = Math.min(o.box.width / art.width, o.box.height / art.height);
  const w = Math.max(1, Math.round(art.width * s));
  const h = Math.max(1, Math.round(art.height * s));
  let scaled = toSharp(art).resize(w, h, { fit: 'fill', kernel: 'lanczos3' });
  if (o.sharpen && s < 0.5) scaled = scaled.sharpen({ sigma: 0.5 });
  const artPng = await scaled.png({ compressionLevel: 0 }).toBuffer();
  const left = o.box.x + Math.floor((o.box.width - w) / 2);
  const top = o.box.y + Math.floor((o.box.height - h) / 2);
  const image = await toImage(
    sharp({
      create: {
        width: o.canvas.width,
        height: o.canvas.height,
        channels: 4,
        background: sharpColor(o.background),
      },
    }).composite([{ input: artPng, left, top }]),
  );
  return { image, placed: { x: left, y: top, width: w, height: h } };
}

/**
 * Lossless PNG at maximum zlib effort without the per-row filter search: flat logo
 * art compresses as well unfiltered, three times faster. `palette` quantises to
 * ≤ 256 colours (smaller, lossy). `dpi`: the resolution it declares (resolution.ts).
 */
export async function encodePng(image: RgbaImage, dpi: number, palette = false): Promise<Buffer> {
  const png = await toSharp(image)
    .png(
      palette
        ? { palette: true, quality: 100, effort: 10, colours: 256 }
        : { compressionLevel: 9, adaptiveFiltering: false },
    )
    .toBuffer();
  return setPngDpi(png, dpi);
}

/**
 * How hard the lossy and deflate encoders work: `fast` (default) is libjpeg-turbo
 * with optimised Huffman tables and WebP at effort 2 — 4–6× faster than `small`,
 * whose mozjpeg trellis search and WebP effort 6 save 10–20 % of the bytes.
 */
export type EncodeEffort = 'fast' | 'small';

/** JPEG has no alpha: flatten on `background` first. `dpi`: the resolution it declares. */
export async function encodeJpeg(
  image: RgbaImage,
  background: Rgba,
  dpi: number,
  quality = 92,
  effort: EncodeEffort = 'fast',
): Promise<Buffer> {
  const chromaSubsampling = quality >= 90 ? '4:4:4' : '4:2:0';
  const jpeg = await toSharp(image)
    .flatten({ background: sharpColor({ ...background, a: 255 }) })
    .jpeg(
      effort === 'small'
        ? { quality, mozjpeg: true, chromaSubsampling }
        : { quality, optimiseCoding: true, chromaSubsampling },
    )
    .toBuffer();
  return setJpegDpi(jpeg, dpi);
}

/**
 * WebP (and AVIF below) declare no resolution: the formats have no field for it but EXIF,
 * which print tools do not read there. WebP: lossless for flat art (logos of a few colours compress 2× smaller
 * lossless than lossy, and encode faster), lossy at `quality` for art with
 * gradients or noise, where lossless would be large.
 */
export function encodeWebp(image: RgbaImage, quality = 95, effort: EncodeEffort = 'fast'): Promise<Buffer> {
  const level = effort === 'small' ? 6 : 1;
  return toSharp(image)
    .webp(
      isFlatArt(image)
        ? { lossless: true, effort: level }
        : { quality, alphaQuality: 100, effort: effort === 'small' ? 6 : 2 },
    )
    .toBuffer();
}

/**
 * Whether the image is flat art: at least 90 % of its visible pixels repeat
 * their left neighbour exactly (anti-aliased edges are a few percent of a
 * logo; gradients, photos and JPEG noise repeat far less).
 */
export function isFlatArt(image: RgbaImage): boolean {
  const d = image.data;
  let visible = 0;
  let same = 0;
  for (let y = 0; y < image.height; y++) {
    for (let i = (y * image.width + 1) * 4, end = (y + 1) * image.width * 4; i < end; i += 4) {
      if (d[i + 3] === 0) continue;
      visible++;
      if (d[i] === d[i - 4] && d[i + 1] === d[i - 3] && d[i + 2] === d[i - 2] && d[i + 3] === d[i - 1])
        same++;
    }
  }
  return same >= 0.9 * visible;
}

export function encodeAvif(image: RgbaImage, quality = 70): Promise<Buffer> {
  return toSharp(image).avif({ quality, effort: 4 }).toBuffer();
}

/** LZW-compressed TIFF with the resolution tags set to `dpi`. */
export function encodeTiff(image: RgbaImage, dpi: number): Promise<Buffer> {
  const ppmm = dpi / 25.4;
  return toSharp(image)
    .tiff({ compression: 'lzw', predictor: 'horizontal', xres: ppmm, yres: ppmm, resolutionUnit: 'inch' })
    .toBuffer();
}

/** Flattens onto an opaque colour (no alpha left), keeping the image size. */
export async function flatten(image: RgbaImage, background: Rgba): Promise<RgbaImage> {
  return toImage(toSharp(image).flatten({ background: sharpColor({ ...background, a: 255 }) }));
}

/**
 * Raster encoders and the few sharp pipelines variations share (resize, fit
 * onto a canvas). Every output is re-encoded from an RgbaImage without
 * metadata, so the same pixels always give the same bytes.
 */
import sharp, { type Sharp } from 'sharp';
import type { Rgba } from '../color/color.js';
import type { Rect } from '../raster/geometry.js';
import { type RgbaImage, rawDescriptor } from './image.js';

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
 * ≤ 256 colours (smaller, lossy).
 */
export function encodePng(image: RgbaImage, palette = false): Promise<Buffer> {
  return toSharp(image)
    .png(
      palette
        ? { palette: true, quality: 100, effort: 10, colours: 256 }
        : { compressionLevel: 9, adaptiveFiltering: false },
    )
    .toBuffer();
}

/** JPEG has no alpha: flatten on `background` first. */
export function encodeJpeg(image: RgbaImage, background: Rgba, quality = 92): Promise<Buffer> {
  return toSharp(image)
    .flatten({ background: sharpColor({ ...background, a: 255 }) })
    .jpeg({ quality, mozjpeg: true, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' })
    .toBuffer();
}

export function encodeWebp(image: RgbaImage, quality = 95): Promise<Buffer> {
  return toSharp(image).webp({ quality, alphaQuality: 100, effort: 4 }).toBuffer();
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

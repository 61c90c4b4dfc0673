/**
 * Decoding: any supported input → one RgbaImage (sRGB, 8-bit, straight alpha).
 * The header is read first so that size limits are enforced before any pixel
 * is decoded: a decompression bomb fails in milliseconds with little memory.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { LogomillError } from '../errors.js';
import { countVisible, type RgbaImage } from './image.js';
import { looksLikeSvg, sanitizeSvg } from './svg-sanitize.js';

export interface DecodeLimits {
  /** Largest accepted input in bytes (default 50 MB). */
  maxInputBytes: number;
  /** Largest accepted pixel count, checked from the header (default 64 MP). */
  maxPixels: number;
  /** Longest side, in px, at which SVG input is rasterised (default 2048). */
  svgSize: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxInputBytes: 50 * 1024 * 1024,
  maxPixels: 64 * 1024 * 1024,
  svgSize: 2048,
};

export interface DecodedLogo {
  image: RgbaImage;
  /** The container format sharp detected: png, jpeg, webp, gif, tiff, heif, svg. */
  format: string;
  /** sha256 of the input bytes (hex); the cache key starts from it. */
  sha256: string;
  /** What the header said before conversion, for reports. */
  source: {
    width: number;
    height: number;
    channels: number;
    depth: string;
    space: string;
    hasAlpha: boolean;
  };
}

const SUPPORTED = new Set(['png', 'jpeg', 'webp', 'gif', 'tiff', 'heif', 'svg']);

/** Maps libvips/sharp failure messages onto stable codes. */
function decodeError(err: unknown, stage: 'header' | 'pixels'): LogomillError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) {
    return new LogomillError('E_UNSUPPORTED_FORMAT', 'The file is not an image in a supported format.', {
      cause: err,
    });
  }
  if (/pixel limit/i.test(msg)) {
    return new LogomillError('E_TOO_LARGE', 'The image has more pixels than the configured limit.', {
      cause: err,
    });
  }
  const where = stage === 'header' ? 'its header cannot be read' : 'its pixel data is damaged or truncated';
  return new LogomillError('E_CORRUPT_INPUT', `The image cannot be decoded: ${where}.`, { cause: err });
}

function megapixels(n: number): string {
  const mp = n / 1024 / 1024;
  return mp >= 0.1 ? `${Math.round(mp * 10) / 10} MP` : `${n} pixels`;
}

/**
 * Scales the root <svg>'s plain numeric width and height by `scale`, adding a
 * viewBox from the old size when there is none. Returns null when the root has
 * no such attributes (the pixel limit then decides).
 */
function shrinkSvgRoot(svg: string, scale: number): string | null {
  const root = /<svg\b[^>]*>/i.exec(svg);
  if (!root) return null;
  const tag = root[0];
  const num = (name: string) => {
    const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)\\s*(px)?\\s*["']`, 'i').exec(tag);
    return m ? Number(m[1]) : Number.NaN;
  };
  const w = num('width');
  const h = num('height');
  if (!(w > 0 && h > 0)) return null;
  let next = tag
    .replace(/\swidth\s*=\s*["'][^"']*["']/i, ` width="${Math.max(1, w * scale)}"`)
    .replace(/\sheight\s*=\s*["'][^"']*["']/i, ` height="${Math.max(1, h * scale)}"`);
  if (!/\sviewBox\s*=/i.test(tag)) next = next.replace(/^<svg/i, `<svg viewBox="0 0 ${w} ${h}"`);
  return svg.slice(0, root.index) + next + svg.slice(root.index + tag.length);
}

/** Inflates a gzip-compressed SVG (.svgz), refusing to inflate past the input limit. */
function gunzipSvg(bytes: Buffer, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new LogomillError(
      tooBig ? 'E_TOO_LARGE' : 'E_CORRUPT_INPUT',
      tooBig
        ? `The compressed file inflates past ${maxBytes} bytes.`
        : 'The gzip-compressed file is damaged.',
      { cause: err },
    );
  }
}

/**
 * Decodes a logo. Orientation from EXIF is applied, CMYK and 16-bit inputs are
 * converted to 8-bit sRGB, GIFs give their first frame, SVGs are sanitised and
 * rasterised so that the longest side is `limits.svgSize`.
 *
 * @example
 *   const { image } = await decodeLogo(await readFile('logo.png'));
 */
export async function decodeLogo(
  input: Uint8Array,
  limits: Partial<DecodeLimits> = {},
): Promise<DecodedLogo> {
  const lim = { ...DEFAULT_DECODE_LIMITS };
  for (const [k, v] of Object.entries(limits) as [keyof DecodeLimits, number | undefined][]) {
    if (v !== undefined) lim[k] = v;
  }
  if (input.length === 0) throw new LogomillError('E_CORRUPT_INPUT', 'The file is empty (0 bytes).');
  if (input.length > lim.maxInputBytes) {
    throw new LogomillError(
      'E_TOO_LARGE',
      `The file is ${input.length} bytes; the limit is ${lim.maxInputBytes} bytes.`,
    );
  }
  const sha256 = createHash('sha256').update(input).digest('hex');
  let bytes: Buffer = Buffer.from(input.buffer, input.byteOffset, input.length);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSvg(bytes, lim.maxInputBytes);
  let isSvg = looksLikeSvg(bytes);
  if (isSvg) bytes = Buffer.from(sanitizeSvg(bytes.toString('utf8')), 'utf8');

  const base = { limitInputPixels: lim.maxPixels, failOn: 'error' as const, pages: 1 };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { ...base, limitInputPixels: false }).metadata();
  } catch (err) {
    throw decodeError(err, 'header');
  }
  if (meta.format === 'svg' && !isSvg) {
    // librsvg found an SVG our sniffing missed: sanitise it too, never render it raw
    isSvg = true;
    bytes = Buffer.from(sanitizeSvg(bytes.toString('utf8')), 'utf8');
    meta = await sharp(bytes, { ...base, limitInputPixels: false }).metadata();
  }
  if (!meta.format || !SUPPORTED.has(meta.format)) {
    throw new LogomillError(
      'E_UNSUPPORTED_FORMAT',
      `The ${meta.format ?? 'unknown'} format is not supported; use PNG, JPEG, WebP, GIF, TIFF, AVIF or SVG.`,
    );
  }
  let density: number | undefined;
  let w = meta.width ?? 0;
  let h = meta.height ?? 0;
  if (meta.format === 'svg') {
    const longest = Math.max(w, h, 1);
    if ((72 * lim.svgSize) / longest < 1) {
      // sharp's density floor is 1 (72 DPI): shrink a huge canvas in the document itself
      const shrunk = shrinkSvgRoot(bytes.toString('utf8'), lim.svgSize / longest);
      if (shrunk) {
        bytes = Buffer.from(shrunk, 'utf8');
        meta = await sharp(bytes, { ...base, limitInputPixels: false }).metadata();
        w = meta.width ?? 0;
        h = meta.height ?? 0;
      }
    }
    // librsvg reports the size at 72 DPI; scale the density so the longest side hits svgSize.
    density = Math.min(100000, Math.max(1, (72 * lim.svgSize) / Math.max(w, h, 1)));
    w = Math.round((w * density) / 72);
    h = Math.round((h * density) / 72);
  }
  if (w <= 0 || h <= 0) throw new LogomillError('E_CORRUPT_INPUT', 'The image header gives no size.');
  if (w * h > lim.maxPixels) {
    throw new LogomillError(
      'E_TOO_LARGE',
      `The image is ${w}×${h} px (${megapixels(w * h)}); the limit is ${megapixels(lim.maxPixels)}.`,
    );
  }

  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(bytes, { ...base, density })
      .rotate() // applies EXIF orientation
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw decodeError(err, 'pixels');
  }
  const { info } = raw;
  if (info.channels !== 4) {
    throw new LogomillError('E_INTERNAL', `Decoder produced ${info.channels} channels instead of 4.`);
  }
  const image: RgbaImage = {
    width: info.width,
    height: info.height,
    data: new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length),
  };
  if (countVisible(image) === 0) {
    throw new LogomillError('E_EMPTY_IMAGE', 'The image has no visible pixels (it is fully transparent).');
  }
  return {
    image,
    format: isSvg ? 'svg' : meta.format,
    sha256,
    source: {
      width: meta.width ?? info.width,
      height: meta.height ?? info.height,
      channels: meta.channels ?? 0,
      depth: meta.depth ?? 'uchar',
      space: meta.space ?? 'srgb',
      hasAlpha: meta.hasAlpha ?? false,
    },
  };
}

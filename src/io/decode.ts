/**
 * Decoding: any supported input → one RgbaImage (sRGB, 8-bit, straight alpha).
 * The header is read first so that size limits are enforced before any pixel
 * is decoded: a decompression bomb fails in milliseconds with little memory.
 * SVG is sanitised, its rendering cost estimated (svg-cost.ts: a `<use>` bomb or
 * a monstrous filter fails in milliseconds too), then rasterised in a child
 * process under a hard time limit (svg-render.ts).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { resolveConfig } from '../config.js';
import { LogomillError } from '../errors.js';
import { countVisible, type RgbaImage } from './image.js';
import { checkSvgCost } from './svg-cost.js';
import { renderSvgBounded } from './svg-render.js';
import { looksLikeSvg, sanitizeSvg } from './svg-sanitize.js';

export interface DecodeLimits {
  /** Largest accepted input in bytes (default 50 MB). */
  maxInputBytes: number;
  /** Largest accepted pixel count, checked from the header (default 64 MP). */
  maxPixels: number;
  /** Longest side, in px, at which SVG input is rasterised (default 2048). */
  svgSize: number;
  /** An SVG still rendering after this long is stopped (default: the SVG_RENDER_TIMEOUT_MS setting). */
  svgRenderTimeoutMs?: number;
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

/** Options every sharp call on the input shares (`false`: no pixel limit). */
function sharpOptions(maxPixels: number | false) {
  return { limitInputPixels: maxPixels, failOn: 'error' as const, pages: 1 };
}

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
  if (!looksLikeSvg(bytes)) {
    const meta = await readHeader(bytes);
    // librsvg may find an SVG our sniffing missed: sanitise it too, never render it raw
    if (meta.format !== 'svg') return decodeRaster(bytes, meta, lim, sha256);
  }
  const svg = sanitizeSvg(bytes.toString('utf8'));
  checkSvgCost(svg, lim.svgSize);
  const timeoutMs = lim.svgRenderTimeoutMs ?? resolveConfig().config.SVG_RENDER_TIMEOUT_MS;
  const raster = await renderSvgBounded(Buffer.from(svg, 'utf8'), lim, timeoutMs);
  return decoded(raster, 'svg', sha256);
}

/** The header, read without the pixel limit (checked from the size it gives). */
async function readHeader(bytes: Buffer): Promise<Metadata> {
  try {
    return await sharp(bytes, sharpOptions(false)).metadata();
  } catch (err) {
    throw decodeError(err, 'header');
  }
}

/** The size limit on the decoded image, checked before any pixel is decoded. */
function checkPixels(w: number, h: number, maxPixels: number): void {
  if (w <= 0 || h <= 0) throw new LogomillError('E_CORRUPT_INPUT', 'The image header gives no size.');
  if (w * h > maxPixels) {
    throw new LogomillError(
      'E_TOO_LARGE',
      `The image is ${w}×${h} px (${megapixels(w * h)}); the limit is ${megapixels(maxPixels)}.`,
    );
  }
}

/** Decodes any input's pixels to 8-bit sRGB RGBA (`density`: an SVG's rendering scale). */
async function decodePixels(bytes: Buffer, maxPixels: number, density?: number): Promise<RawPixels> {
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(bytes, { ...sharpOptions(maxPixels), density })
      .rotate() // applies EXIF orientation
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw decodeError(err, 'pixels');
  }
  const { data, info } = raw;
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: info.channels,
  };
}

/** A raster (non-SVG) input whose header has been read. */
async function decodeRaster(
  bytes: Buffer,
  meta: Metadata,
  lim: DecodeLimits,
  sha256: string,
): Promise<DecodedLogo> {
  if (!meta.format || !SUPPORTED.has(meta.format)) {
    throw new LogomillError(
      'E_UNSUPPORTED_FORMAT',
      `The ${meta.format ?? 'unknown'} format is not supported; use PNG, JPEG, WebP, GIF, TIFF, AVIF or SVG.`,
    );
  }
  checkPixels(meta.width ?? 0, meta.height ?? 0, lim.maxPixels);
  const pixels = await decodePixels(bytes, lim.maxPixels);
  return decoded({ ...pixels, source: sourceOf(meta, pixels) }, meta.format, sha256);
}

/** Decoded 8-bit pixels as sharp gave them. */
interface RawPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** What the header said, for reports. */
function sourceOf(meta: Metadata, pixels: RawPixels): DecodedLogo['source'] {
  return {
    width: meta.width ?? pixels.width,
    height: meta.height ?? pixels.height,
    channels: meta.channels ?? 0,
    depth: meta.depth ?? 'uchar',
    space: meta.space ?? 'srgb',
    hasAlpha: meta.hasAlpha ?? false,
  };
}

/** The size and pixel limits an SVG is rasterised under. */
export type SvgRasterLimits = Pick<DecodeLimits, 'svgSize' | 'maxPixels'>;

/** Decoded pixels and what the header said: any input, before the last checks. */
export interface DecodedPixels extends RawPixels {
  source: DecodedLogo['source'];
}

/**
 * Rasterises a sanitised SVG in this process so that its longest side is `svgSize`. Only the
 * render child (svg-render-child.ts) calls this: elsewhere use decodeLogo, which bounds the time.
 */
export async function rasteriseSvg(bytes: Buffer, lim: SvgRasterLimits): Promise<DecodedPixels> {
  let meta = await readHeader(bytes);
  if (meta.format !== 'svg') {
    throw new LogomillError('E_UNSUPPORTED_FORMAT', 'The file is not an image in a supported format.');
  }
  let w = meta.width ?? 0;
  let h = meta.height ?? 0;
  const longest = Math.max(w, h, 1);
  if ((72 * lim.svgSize) / longest < 1) {
    // sharp's density floor is 1 (72 DPI): shrink a huge canvas in the document itself
    const shrunk = shrinkSvgRoot(bytes.toString('utf8'), lim.svgSize / longest);
    if (shrunk) {
      bytes = Buffer.from(shrunk, 'utf8');
      meta = await readHeader(bytes);
      w = meta.width ?? 0;
      h = meta.height ?? 0;
    }
  }
  // librsvg reports the size at 72 DPI; scale the density so the longest side hits svgSize.
  const density = Math.min(100000, Math.max(1, (72 * lim.svgSize) / Math.max(w, h, 1)));
  checkPixels(Math.round((w * density) / 72), Math.round((h * density) / 72), lim.maxPixels);
  const pixels = await decodePixels(bytes, lim.maxPixels, density);
  return { ...pixels, source: sourceOf(meta, pixels) };
}

/** The result, once the pixels are known to be RGBA and not all transparent. */
function decoded(pixels: DecodedPixels, format: string, sha256: string): DecodedLogo {
  if (pixels.channels !== 4) {
    throw new LogomillError('E_INTERNAL', `Decoder produced ${pixels.channels} channels instead of 4.`);
  }
  const image: RgbaImage = { width: pixels.width, height: pixels.height, data: pixels.data };
  if (countVisible(image) === 0) {
    throw new LogomillError('E_EMPTY_IMAGE', 'The image has no visible pixels (it is fully transparent).');
  }
  return { image, format, sha256, source: pixels.source };
}

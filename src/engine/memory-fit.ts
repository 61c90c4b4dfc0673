/**
 * Can this image be worked on within MEMORY_LIMIT_MB at all? The scheduler
 * keeps many jobs and tasks under the limit by making them wait, but it cannot
 * shrink one task: a big enough image peaks over the limit when run alone.
 * Such an image is refused up front, from its header, before a pixel is
 * decoded — by runJob (the library with an engine, `process`, `batch`,
 * `separate`, the service and its queue workers) and by `logomill trace`.
 *
 * The rule is a straight line over measured peaks (`/usr/bin/time -v`: peak
 * RSS of the whole process with its workers, one logo of 8–64 MP, no cache, a
 * 2-core machine): peak ≈ baseMb + bytesPerPixel × pixels. It is deliberately
 * simple: it refuses what cannot fit, and leaves keeping several tasks within
 * the limit to the scheduler.
 *
 * @example
 *   await checkMemoryFit(bytes, 1024, JOB_MEMORY); // E_TOO_LARGE for an 8000×8000 px PNG
 */
import sharp from 'sharp';
import { LogomillError } from '../errors.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../io/decode.js';

/** A job's peak memory as a line: `baseMb` + `bytesPerPixel` × pixels. */
export interface MemoryModel {
  baseMb: number;
  bytesPerPixel: number;
}

/**
 * A job of every variation (`process` with its default `--variations all`, two workers, tasks one
 * at a time): 528 MB at 8 MP, 684 MB at 16 MP, 1041 MB at 30 MP, 1831 MB at 64 MP — about
 * 300 MB and 25 bytes per pixel, rounded up here. Run with the scheduler's own concurrency, peaks
 * up to 14 % higher were seen near the limit (1184 MB at 30 MP); with MEMORY_LIMIT_MB=1024 the
 * rule allows 26.3 MP, around which every run here stayed under 1024 MB (24 MP: 947, 27 MP: 975).
 * Each worker beyond two adds ≈ 24 MB that the rule does not count.
 */
export const JOB_MEMORY: MemoryModel = { baseMb: 320, bytesPerPixel: 28 };

/**
 * `logomill trace` (one thread): mono 196, 466, 953, 1292 MB and colour 200, 473, 970, 1356 MB at
 * 4, 16, 43 and 64 MP: within 200 MB + 20 bytes per pixel at every size.
 */
export const TRACE_MEMORY: MemoryModel = { baseMb: 200, bytesPerPixel: 20 };

const MB = 1024 * 1024;

/** The most pixels whose estimated peak stays within `memoryLimitMb` (0 when none does). */
export function largestFittingPixels(memoryLimitMb: number, model: MemoryModel): number {
  return Math.max(0, Math.floor(((memoryLimitMb - model.baseMb) * MB) / model.bytesPerPixel));
}

/** Megapixels for a message, rounded down to 0.1 (a limit must not be overstated). */
const mp = (pixels: number, round: (n: number) => number) => `${round(pixels / 100_000) / 10} MP`;

/**
 * The size an input will decode to, read from its header alone: null when the header cannot
 * be read (decoding will then say why, with the proper error). SVG (text starting with `<`, or
 * gzip-compressed) is never handed to the decoder unsanitised: it is rasterised with its longest
 * side at `svgSize`, so that square is its bound.
 */
export async function headerSize(
  input: Uint8Array,
  limits: Partial<DecodeLimits> = {},
): Promise<{ width: number; height: number; svg: boolean } | null> {
  const side = limits.svgSize ?? DEFAULT_DECODE_LIMITS.svgSize;
  const svg = { width: side, height: side, svg: true };
  let i = 0;
  // leading white space and a UTF-8 byte-order mark
  while (i < input.length && i < 4096 && [0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(input[i])) i++;
  if (input[i] === 0x3c || (input[0] === 0x1f && input[1] === 0x8b)) return svg;
  try {
    const meta = await sharp(input, { limitInputPixels: false, pages: 1 }).metadata();
    if (meta.format === 'svg') return svg;
    return meta.width && meta.height ? { width: meta.width, height: meta.height, svg: false } : null;
  } catch {
    return null;
  }
}

/**
 * Throws E_TOO_LARGE, naming the limit, when the image's estimated peak (see MemoryModel) is
 * over `memoryLimitMb`; reads the header only.
 */
export async function checkMemoryFit(
  input: Uint8Array,
  memoryLimitMb: number,
  model: MemoryModel,
  limits: Partial<DecodeLimits> = {},
): Promise<void> {
  const size = await headerSize(input, limits);
  if (!size) return;
  const pixels = size.width * size.height;
  const fits = largestFittingPixels(memoryLimitMb, model);
  if (pixels <= fits) return;
  const needMb = Math.ceil(model.baseMb + (pixels * model.bytesPerPixel) / MB);
  const what = size.svg
    ? `The SVG is rasterised at up to ${size.width}×${size.height} px`
    : `The image is ${size.width}×${size.height} px`;
  throw new LogomillError(
    'E_TOO_LARGE',
    `${what} (${mp(pixels, Math.round)}); with MEMORY_LIMIT_MB=${memoryLimitMb} the largest image this machine can process is ${mp(fits, Math.floor)}. Set MEMORY_LIMIT_MB to ${needMb} or more to process it.`,
  );
}

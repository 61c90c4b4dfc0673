/**
 * The resolution a raster file declares, so that it prints at the size it was made for.
 * libvips writes every PNG with a pHYs of 1 pixel per mm (25.4 DPI: a 3000 px logo reads as
 * 3 m wide) and JPEGs with no JFIF header (readers assume 72 DPI). These set exactly one
 * resolution record, in the format's own header, without the EXIF block sharp's
 * `withDensity` adds (≈ 190 bytes per file, and WebP readers ignore it anyway).
 *
 * @example
 *   const png = setPngDpi(await sharp(raw).png().toBuffer(), 300);
 */

import { crc32 } from './crc32.js';

/** Default print resolution: a logo's pixels at 300 DPI, unless a print size is given. */
export const PRINT_DPI = 300;
/** Screen assets (favicons, email header, social images) have no print size: the web's 72 DPI. */
export const SCREEN_DPI = 72;

const PNG_SIGNATURE = 8;

/** The PNG with exactly one pHYs chunk, saying `dpi` (any pHYs it had is dropped). */
export function setPngDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const body = Buffer.alloc(13);
  body.write('pHYs', 0, 'latin1');
  body.writeUInt32BE(ppm, 4);
  body.writeUInt32BE(ppm, 8);
  body[12] = 1; // unit: metre
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), 17);
  const parts: Buffer[] = [png.subarray(0, PNG_SIGNATURE)];
  for (let at = PNG_SIGNATURE; at + 12 <= png.length; ) {
    const end = at + 12 + png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type !== 'pHYs') parts.push(png.subarray(at, end));
    if (type === 'IHDR') parts.push(chunk); // pHYs must come before IDAT: right after the header
    at = end;
  }
  return Buffer.concat(parts);
}

/**
 * The JPEG with a JFIF header saying `dpi` (replacing one it had). JFIF's density is a
 * 16-bit whole number of dots per inch.
 */
export function setJpegDpi(jpeg: Buffer, dpi: number): Buffer {
  const d = Math.max(1, Math.min(65535, Math.round(dpi)));
  const app0 = Buffer.from([
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x02,
    0x01,
    d >> 8,
    d & 255,
    d >> 8,
    d & 255,
    0,
    0,
  ]);
  const hasJfif = jpeg[2] === 0xff && jpeg[3] === 0xe0 && jpeg.toString('latin1', 6, 11) === 'JFIF\0';
  const rest = hasJfif ? jpeg.subarray(4 + jpeg.readUInt16BE(4)) : jpeg.subarray(2);
  return Buffer.concat([jpeg.subarray(0, 2), app0, rest]);
}

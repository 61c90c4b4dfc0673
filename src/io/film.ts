/**
 * Film files: a film board (8-bit grey, 0 = ink, from print/film.ts) as a
 * 1-bit PNG that carries its DPI and a 1-bit CCITT G4 TIFF.
 */
import sharp from 'sharp';

/**
 * 1-bit greyscale PNG and 1-bit CCITT G4 TIFF of a film (grey, 0 = ink), both
 * carrying the DPI. libvips writes the PNG at bit depth 1 directly (sharp's
 * `colours: 2` without a palette), no quantiser involved.
 */
export async function encodeFilm(
  grey: Buffer,
  width: number,
  height: number,
  dpi: number,
): Promise<{ png: Buffer; tiff: Buffer }> {
  const input = () => sharp(grey, { raw: { width, height, channels: 1 } }).toColourspace('b-w');
  const png = await input().png({ palette: false, colours: 2, compressionLevel: 9 }).toBuffer();
  const ppmm = dpi / 25.4;
  const tiff = await input()
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: ppmm, yres: ppmm, resolutionUnit: 'inch' })
    .toBuffer();
  return { png: withPngDpi(png, dpi), tiff };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Inserts a pHYs chunk (pixels per metre) after IHDR. sharp can only set the
 * density together with an ICC profile; films want the DPI and nothing else.
 */
export function withPngDpi(png: Buffer, dpi: number): Buffer {
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
  const ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR length+type, IHDR data, CRC
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

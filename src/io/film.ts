/**
 * Film files: a film board (8-bit grey, 0 = ink, from print/film.ts) as a
 * 1-bit PNG that carries its DPI and a 1-bit CCITT G4 TIFF.
 */
import sharp from 'sharp';
import { setPngDpi } from './resolution.js';

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
  return { png: setPngDpi(png, dpi), tiff };
}

/**
 * Separation films as a PDF of image masks: one page per film, its art box
 * painted as a 1-bit image mask in the film's /Separation colour space and
 * the board-size marks mask in the registration colour. (Spot films, which
 * have outlines, are vector pages written by vector/pdf.ts instead.)
 */
import type { SpotColor } from '../vector/path.js';
import { separation } from '../vector/pdf.js';
import { num, PdfWriter } from './pdf.js';

/** One film's page: its art-box map and the board's marks (both 1 = ink), and its ink. */
export interface MaskPage {
  art: Uint8Array;
  marks: Uint8Array;
  spot: SpotColor;
}

/** The board, in film pixels: its size, its DPI and where the art box lies. */
export interface MaskBoard {
  dpi: number;
  width: number;
  height: number;
  art: { x: number; y: number; width: number; height: number };
}

/** Packs a 1-bit map (1 = ink) into PDF image-mask rows, where a 0 sample paints. */
function packMask(map: Uint8Array, width: number, height: number): Buffer {
  const stride = Math.ceil(width / 8);
  const out = Buffer.alloc(stride * height, 0xff);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (map[y * width + x]) out[y * stride + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
  }
  return out;
}

/**
 * The PDF: one page per film, in order; the pages are taken one at a time, so
 * a generator can fill each board-size marks mask just before it is written.
 */
export function maskPagesPdf(pages: Iterable<MaskPage>, board: MaskBoard, registration: SpotColor): Buffer {
  const pdf = new PdfWriter();
  const pt = 72 / board.dpi;
  const w = board.width * pt;
  const h = board.height * pt;
  const all = pdf.add(separation(registration));
  for (const page of pages) {
    const mask = (bits: Buffer, mw: number, mh: number) =>
      pdf.addStream(
        bits,
        `/Type /XObject /Subtype /Image /Width ${mw} /Height ${mh} /ImageMask true /BitsPerComponent 1 `,
      );
    const marksRef = mask(packMask(page.marks, board.width, board.height), board.width, board.height);
    const { x, y, width, height } = board.art;
    const artRef = mask(packMask(page.art, width, height), width, height);
    const ink = pdf.add(separation(page.spot));
    const content = [
      `q /CSA cs 1 scn ${num(w)} 0 0 ${num(h)} 0 0 cm /Marks Do Q`,
      `q /CS0 cs 1 scn ${num(width * pt)} 0 0 ${num(height * pt)} ${num(x * pt)} ${num(h - (y + height) * pt)} cm /Art Do Q`,
    ].join('\n');
    pdf.addVectorPage(
      w,
      h,
      `${content}\n`,
      `/ColorSpace << /CSA ${all} 0 R /CS0 ${ink} 0 R >> /XObject << /Marks ${marksRef} 0 R /Art ${artRef} 0 R >>`,
    );
  }
  return pdf.toBuffer();
}

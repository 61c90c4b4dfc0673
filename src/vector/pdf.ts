/**
 * Vector PDF writer: one page sized to the art, one even-odd filled path per
 * shape (m/l/c/h then f*), colours as DeviceRGB `rg` or, with `cmyk`, naive
 * DeviceCMYK `k` (K = 1 − max(r,g,b), C = (1 − r − K)/(1 − K), …; no ICC
 * profile, so a print shop should treat it as a starting point, not a proof).
 * No images, no dates: the bytes depend only on the input. y is flipped
 * because the PDF origin is bottom-left.
 */
import { num, PdfWriter } from '../io/pdf.js';
import type { VectorImage } from './path.js';
import { PT_PER_PX, place, rgb01 } from './transform.js';

export interface PdfOptions {
  /** Page width in points (default: the image at 300 DPI, px × 72/300); height keeps the aspect ratio. */
  widthPt?: number;
  /** Paint in DeviceCMYK (naive conversion) instead of DeviceRGB. */
  cmyk?: boolean;
}

export function toPdf(image: VectorImage, opts: PdfOptions = {}): Buffer {
  const at = place(image, PT_PER_PX, opts.widthPt);
  const xy = (p: { x: number; y: number }) => `${num(at.x(p))} ${num(at.y(p))}`;
  const ops: string[] = [];
  for (const shape of image.shapes) {
    ops.push(
      opts.cmyk
        ? `${cmykOf(shape.fill).map(colour).join(' ')} k`
        : `${rgb01(shape.fill).map(colour).join(' ')} rg`,
    );
    for (const sp of shape.subpaths) {
      ops.push(`${xy(sp.start)} m`);
      for (const s of sp.segments) {
        ops.push(s.kind === 'line' ? `${xy(s.to)} l` : `${xy(s.c1)} ${xy(s.c2)} ${xy(s.to)} c`);
      }
      ops.push('h');
    }
    ops.push('f*');
  }
  const pdf = new PdfWriter();
  pdf.addVectorPage(at.width, at.height, `${ops.join('\n')}\n`);
  return pdf.toBuffer();
}

function colour(v: number): string {
  return (Math.round(v * 10000) / 10000).toString();
}

/** Naive RGB → CMYK: K = 1 − max(r, g, b); C, M, Y take the rest (all zero for black). */
export function cmykOf(hex: string): [number, number, number, number] {
  const [r, g, b] = rgb01(hex);
  const k = 1 - Math.max(r, g, b);
  if (k >= 1) return [0, 0, 0, 1];
  return [(1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k];
}

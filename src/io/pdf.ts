/**
 * A minimal PDF 1.7 writer: numbered objects, streams with Flate, a classic
 * xref table. Written here rather than taken from a library so that output is
 * byte-deterministic (no creation dates, no random /ID) and so that later
 * variations can add what print needs (vector paths, /Separation colour spaces).
 */
import { deflateSync } from 'node:zlib';
import type { RgbaImage } from './image.js';

type PdfObject = string | { dict: string; stream: Buffer };

export class PdfWriter {
  private readonly objects: PdfObject[] = [];
  private readonly pages: number[] = [];
  /**
   * Object 1 is the catalog, 2 the page tree; both are written at the end.
   * `level` is zlib's effort for every stream (9 = smallest; 6 is 3× faster on raster images, ≈ 25 % larger).
   */
  constructor(private readonly level = 9) {
    this.objects.push('', '');
  }

  /** Adds an object, returns its number. */
  add(obj: PdfObject): number {
    this.objects.push(obj);
    return this.objects.length;
  }

  /** Adds a Flate-compressed stream object with extra dictionary entries. */
  addStream(data: Buffer, dictEntries = ''): number {
    const z = deflateSync(data, { level: this.level });
    return this.add({ dict: `<< /Length ${z.length} /Filter /FlateDecode ${dictEntries}>>`, stream: z });
  }

  /** Adds an RGB image XObject with an SMask for alpha (if any pixel is not opaque). */
  addImage(image: RgbaImage): number {
    const n = image.width * image.height;
    const rgb = Buffer.alloc(n * 3);
    const alpha = Buffer.alloc(n);
    let opaque = true;
    for (let i = 0; i < n; i++) {
      rgb[i * 3] = image.data[i * 4];
      rgb[i * 3 + 1] = image.data[i * 4 + 1];
      rgb[i * 3 + 2] = image.data[i * 4 + 2];
      alpha[i] = image.data[i * 4 + 3];
      if (alpha[i] !== 255) opaque = false;
    }
    const size = `/Width ${image.width} /Height ${image.height} /BitsPerComponent 8`;
    const smask = opaque
      ? ''
      : ` /SMask ${this.addStream(alpha, `/Type /XObject /Subtype /Image ${size} /ColorSpace /DeviceGray `)} 0 R`;
    return this.addStream(rgb, `/Type /XObject /Subtype /Image ${size} /ColorSpace /DeviceRGB${smask} `);
  }

  /** Adds a page of `width`×`height` points drawing `content` with the named XObjects. */
  addPage(width: number, height: number, content: string, xobjects: Record<string, number> = {}): void {
    const xo = Object.entries(xobjects)
      .map(([name, ref]) => `/${name} ${ref} 0 R`)
      .join(' ');
    this.addPageWithResources(width, height, content, `/XObject << ${xo} >>`);
  }

  /**
   * Adds a page of `width`×`height` points whose content only paints paths
   * (m/l/c/h, rg/k, f*): no XObjects, so its resource dictionary is empty
   * unless `resources` names colour spaces or graphics states (spot inks, overprint),
   * e.g. `/ColorSpace << /CS0 5 0 R >> /ExtGState << /GS0 6 0 R >>`.
   */
  addVectorPage(width: number, height: number, content: string, resources = ''): void {
    this.addPageWithResources(width, height, content, resources);
  }

  private addPageWithResources(width: number, height: number, content: string, resources: string): void {
    const contentRef = this.addStream(Buffer.from(content, 'latin1'));
    const page = this.add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(width)} ${num(height)}] /Resources << ${resources} >> /Contents ${contentRef} 0 R >>`,
    );
    this.pages.push(page);
  }

  toBuffer(): Buffer {
    this.objects[0] = '<< /Type /Catalog /Pages 2 0 R >>';
    this.objects[1] = `<< /Type /Pages /Kids [${this.pages.map((p) => `${p} 0 R`).join(' ')}] /Count ${this.pages.length} >>`;
    const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
    let offset = chunks[0].length;
    const offsets: number[] = [];
    this.objects.forEach((obj, i) => {
      offsets.push(offset);
      const parts =
        typeof obj === 'string'
          ? [Buffer.from(`${i + 1} 0 obj\n${obj}\nendobj\n`, 'latin1')]
          : [
              Buffer.from(`${i + 1} 0 obj\n${obj.dict}\nstream\n`, 'latin1'),
              obj.stream,
              Buffer.from('\nendstream\nendobj\n', 'latin1'),
            ];
      for (const p of parts) {
        chunks.push(p);
        offset += p.length;
      }
    });
    const xref = [`xref\n0 ${this.objects.length + 1}\n`, '0000000000 65535 f \n'];
    for (const o of offsets) xref.push(`${String(o).padStart(10, '0')} 00000 n \n`);
    xref.push(`trailer\n<< /Size ${this.objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
    chunks.push(Buffer.from(xref.join(''), 'latin1'));
    return Buffer.concat(chunks);
  }
}

/**
 * A PDF name object for any text (`/Name`): bytes outside ! … ~, the delimiters
 * ()<>[]{}/% and # itself are written as #xx (UTF-8), so "Cut Contour" → /Cut#20Contour.
 */
export function pdfName(text: string): string {
  let out = '/';
  for (const b of Buffer.from(text, 'utf8')) {
    const regular = b > 0x20 && b < 0x7f && !'()<>[]{}/%#'.includes(String.fromCharCode(b));
    out += regular ? String.fromCharCode(b) : `#${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Formats a number for PDF: at most 3 decimals, no exponent. */
export function num(v: number): string {
  return (Math.round(v * 1000) / 1000).toString();
}

/** One-page PDF showing `image` at `dpi` (page size = image size at that resolution); `level` as in PdfWriter. */
export function rasterPdf(image: RgbaImage, dpi: number, level = 9): Buffer {
  const pdf = new PdfWriter(level);
  const w = (image.width * 72) / dpi;
  const h = (image.height * 72) / dpi;
  const im = pdf.addImage(image);
  pdf.addPage(w, h, `q ${num(w)} 0 0 ${num(h)} 0 0 cm /Im0 Do Q`, { Im0: im });
  return pdf.toBuffer();
}

/**
 * Vector PDF writer: one page per picture sized to the art, one even-odd
 * filled path per shape (m/l/c/h then f*), colours as DeviceRGB `rg` or, with
 * `cmyk`, naive DeviceCMYK `k` (K = 1 − max(r,g,b), C = (1 − r − K)/(1 − K), …;
 * no ICC profile, so a print shop should treat it as a starting point, not a
 * proof). No images, no dates: the bytes depend only on the input. y is
 * flipped because the PDF origin is bottom-left.
 *
 * For print production a shape may be painted in a spot ink: a
 * `[/Separation /Name /DeviceCMYK f]` colour space whose tint transform f (a
 * Type 2 function) gives the CMYK alternate, so RIPs see a separation named
 * exactly like the ink (CutContour, a Pantone, one screen-print film) and
 * viewers show the alternate. Stroked shapes use `w` in points with round joins;
 * overprint comes from an ExtGState with /OP, /op and /OPM 1.
 *
 * A gradient fill is a shading (axial ShadingType 2 or radial ShadingType 3,
 * multi-stop ramps as a stitching function, gradient.ts) painted with `sh`
 * inside the shape's outline as an even-odd clip (`W* n`), in DeviceRGB or,
 * with `cmyk`, DeviceCMYK with each stop converted like flat colours (and
 * extra stops, since CMYK interpolation would bend the sRGB ramp).
 */

import { cmykOf } from '../color/cmyk.js';
import { rgb01 } from '../color/color.js';
import { num, PdfWriter, pdfName } from '../io/pdf.js';
import { denseStops, paintedGradient, shadingDictionary } from './gradient.js';
import type { Shape, SpotColor, VectorImage } from './path.js';
import { PT_PER_PX, place } from './transform.js';

export interface PdfOptions {
  /** Page width in points (default: the image at 300 DPI, px × 72/300); height keeps the aspect ratio. */
  widthPt?: number;
  /** Paint in DeviceCMYK (naive conversion) instead of DeviceRGB. */
  cmyk?: boolean;
}

/** One page of a multi-page PDF: a picture placed like `toPdf` places it. */
export interface PdfPage extends PdfOptions {
  image: VectorImage;
}

/** Pieces each stop-to-stop interval of a CMYK shading is cut into. */
const CMYK_PIECES = 8;

export function toPdf(image: VectorImage, opts: PdfOptions = {}): Buffer {
  return toPdfPages([{ image, ...opts }]);
}

/**
 * One page per picture, in order (e.g. one screen-print film per page). Spot
 * inks are defined once per document, so the same ink has the same colour
 * space object on every page.
 */
export function toPdfPages(pages: readonly PdfPage[]): Buffer {
  const pdf = new PdfWriter();
  const inks = new Map<string, { ref: number; key: string }>();
  let overprintRef = 0;
  for (const page of pages) {
    const { image } = page;
    const at = place(image, PT_PER_PX, page.widthPt);
    const xy = (p: { x: number; y: number }) => `${num(at.x(p))} ${num(at.y(p))}`;
    const used = new Map<string, number>();
    const shadings: [string, number][] = [];
    const ops: string[] = [];
    for (const shape of image.shapes) {
      const stroke = shape.stroke !== undefined;
      const gradient = paintedGradient(shape);
      const wrap = stroke || shape.overprint === true || gradient !== undefined;
      if (wrap) ops.push('q');
      if (shape.overprint) {
        overprintRef ||= pdf.add('<< /Type /ExtGState /OP true /op true /OPM 1 >>');
        ops.push('/GS0 gs');
      }
      if (shape.stroke) ops.push(`${num(Math.max(0, shape.stroke.widthPt))} w 1 j 1 J`);
      if (shape.spot) {
        let ink = inks.get(shape.spot.name);
        if (!ink) {
          ink = { ref: pdf.add(separation(shape.spot)), key: `CS${inks.size}` };
          inks.set(shape.spot.name, ink);
        }
        used.set(ink.key, ink.ref);
        ops.push(
          `/${ink.key} ${stroke ? 'CS' : 'cs'} ${colour(unit(shape.spot.tint ?? 1))} ${stroke ? 'SCN' : 'scn'}`,
        );
      } else if (!gradient) {
        ops.push(processColour(shape, page.cmyk === true, stroke));
      }
      for (const sp of shape.subpaths) {
        ops.push(`${xy(sp.start)} m`);
        for (const s of sp.segments) {
          ops.push(s.kind === 'line' ? `${xy(s.to)} l` : `${xy(s.c1)} ${xy(s.c2)} ${xy(s.to)} c`);
        }
        if (sp.closed !== false) ops.push('h');
      }
      if (gradient) {
        // the outline clips (even-odd, like f*), then the shading paints everything inside it
        const key = `Sh${shadings.length}`;
        // in CMYK the shading interpolates CMYK values: more, shorter pieces follow the sRGB ramp
        const dict = page.cmyk
          ? shadingDictionary(
              { ...gradient, stops: denseStops(gradient.stops, CMYK_PIECES) },
              at,
              'DeviceCMYK',
              cmykOf,
              num,
            )
          : shadingDictionary(gradient, at, 'DeviceRGB', rgb01, num);
        shadings.push([key, pdf.add(dict)]);
        ops.push('W* n', `/${key} sh`);
      } else ops.push(stroke ? 'S' : 'f*');
      if (wrap) ops.push('Q');
    }
    const resources = [
      used.size ? `/ColorSpace << ${[...used].map(([key, ref]) => `/${key} ${ref} 0 R`).join(' ')} >>` : '',
      ops.includes('/GS0 gs') ? `/ExtGState << /GS0 ${overprintRef} 0 R >>` : '',
      shadings.length ? `/Shading << ${shadings.map(([key, ref]) => `/${key} ${ref} 0 R`).join(' ')} >>` : '',
    ]
      .filter(Boolean)
      .join(' ');
    pdf.addVectorPage(at.width, at.height, `${ops.join('\n')}\n`, resources);
  }
  return pdf.toBuffer();
}

/** `rg`/`k` for fills, `RG`/`K` for strokes. */
function processColour(shape: Shape, cmyk: boolean, stroke: boolean): string {
  if (cmyk) return `${cmykOf(shape.fill).map(colour).join(' ')} ${stroke ? 'K' : 'k'}`;
  return `${rgb01(shape.fill).map(colour).join(' ')} ${stroke ? 'RG' : 'rg'}`;
}

/** The ink's colour space: tint t → CMYK alternate t × cmyk (a Type 2 function, linear). */
export function separation(spot: SpotColor): string {
  if (spot.name === '') throw new Error('a spot colour needs a name');
  const c1 = spot.cmyk.map((v) => colour(unit(v))).join(' ');
  return `[/Separation ${pdfName(spot.name)} /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [${c1}] /N 1 >>]`;
}

function unit(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

function colour(v: number): string {
  return (Math.round(v * 10000) / 10000).toString();
}

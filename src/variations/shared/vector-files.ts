/**
 * What the two trace variations (`vector`, `vector-color`) share: the tracer
 * options every trace takes, the canvas the trace is presented on (the same
 * trim and padding as the transparent PNG), and the writers for each format.
 */
import type { Static } from '@sinclair/typebox';
import { Opt, type Type } from '../../options.js';
import { TRACER_LIMITS, type TraceOptions } from '../../trace/index.js';
import { toDxf } from '../../vector/dxf.js';
import { toEps } from '../../vector/eps.js';
import { translate } from '../../vector/geometry.js';
import type { VectorImage } from '../../vector/path.js';
import { toPdf } from '../../vector/pdf.js';
import { toGcode, toHpgl } from '../../vector/plotter.js';
import { svgPrintSize, toSvg } from '../../vector/svg.js';
import { MM_PER_PX } from '../../vector/transform.js';
import type { LogoContext, OutputFile } from '../types.js';
import { widthMm, widthOption } from './print-width.js';

/** Tracer options shared by both variations (potrace's names, as on the `trace` command). */
export const tracerOptions = {
  turdsize: Opt.integer(
    'Speckles of this many pixels or fewer are dropped',
    TRACER_LIMITS.turdSize.default,
    TRACER_LIMITS.turdSize.min,
    TRACER_LIMITS.turdSize.max,
  ),
  alphamax: Opt.number(
    `Corner threshold: 0 = all corners, ${TRACER_LIMITS.alphaMax.max} = all curves`,
    TRACER_LIMITS.alphaMax.default,
    TRACER_LIMITS.alphaMax.min,
    TRACER_LIMITS.alphaMax.max,
  ),
  opttolerance: Opt.number(
    'Curve optimisation tolerance in pixels (0 = off)',
    TRACER_LIMITS.optTolerance.default,
    TRACER_LIMITS.optTolerance.min,
    TRACER_LIMITS.optTolerance.max,
  ),
  widthMm: Opt.number(
    'Print width of the SVG, PDF, EPS and DXF in mm (0 = the traced pixels at 300 DPI)',
    0,
    0,
    10000,
  ),
  width: widthOption,
};

/** The print width in mm the files get: `--width` if given, else `--width-mm` (0 = 300 DPI). */
export function effectiveWidthMm(o: { width: string; widthMm: number }, label: string): number {
  return widthMm(o.width, `${label}.width`) || o.widthMm;
}

type TracerOptions = Static<ReturnType<typeof Type.Object<typeof tracerOptions>>>;

export function traceOptionsOf(o: TracerOptions): TraceOptions {
  return { turdSize: o.turdsize, alphaMax: o.alphamax, optTolerance: o.opttolerance };
}

/**
 * The trace presented exactly like the transparent PNG: on the same canvas (the cutout's art box,
 * or the whole image when trim is off, plus padding), so the PNG, the mono and the colour trace
 * of one logo overlay pixel for pixel — cropping each to its own shapes made them differ by the
 * faint edge pixels a trace leaves out.
 */
export function presentedTrace(logo: LogoContext, options: TraceOptions): VectorImage {
  const vector = logo.trace(options);
  const { trim, padding: p } = logo.cutoutSettings;
  const box = trim ? logo.cutout().bounds : { x: 0, y: 0, width: vector.width, height: vector.height };
  return translate(vector, p - box.x, p - box.y, box.width + 2 * p, box.height + 2 * p);
}

export type VectorFormat = 'svg' | 'pdf' | 'eps' | 'dxf' | 'gcode' | 'hpgl';

/** One file per format, named `<base>.<ext>`. */
export function vectorFiles(
  vector: VectorImage,
  base: string,
  formats: readonly VectorFormat[],
  o: { widthMm: number; cmyk?: boolean; layer?: string; feed?: number; power?: number },
): OutputFile[] {
  const mm = o.widthMm > 0 ? o.widthMm : undefined;
  const pt = mm !== undefined ? (mm * 72) / 25.4 : undefined;
  const size = { width: vector.width, height: vector.height };
  return formats.map((f): OutputFile => {
    switch (f) {
      case 'svg':
        return {
          name: `${base}.svg`,
          format: 'svg',
          ...size,
          data: Buffer.from(
            // stroke widths (points at the print size) back to viewBox pixels at that size
            toSvg(vector, {
              ...svgPrintSize(vector, mm ?? vector.width * MM_PER_PX),
              ptPerPx: pt && pt / vector.width,
            }),
          ),
        };
      case 'gcode':
        return {
          name: `${base}.gcode`,
          format: 'gcode',
          data: Buffer.from(toGcode(vector, { widthMm: mm, feed: o.feed, power: o.power })),
        };
      case 'hpgl':
        return { name: `${base}.hpgl`, format: 'hpgl', data: Buffer.from(toHpgl(vector, { widthMm: mm })) };
      case 'pdf':
        return { name: `${base}.pdf`, format: 'pdf', data: toPdf(vector, { widthPt: pt, cmyk: o.cmyk }) };
      case 'eps':
        return { name: `${base}.eps`, format: 'eps', data: Buffer.from(toEps(vector, { widthPt: pt })) };
      default:
        return {
          name: `${base}.dxf`,
          format: 'dxf',
          data: Buffer.from(toDxf(vector, { widthMm: mm, layer: o.layer })),
        };
    }
  });
}

/** Tracing visits each pixel a few times per colour layer: ≈ 40 ms per megapixel per layer here. */
export function traceCost({ width, height }: { width: number; height: number }, layers: number): number {
  return ((width * height) / 25000) * layers;
}

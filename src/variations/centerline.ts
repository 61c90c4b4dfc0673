/**
 * `centerline` — single-line trace for pen plotters, lasers and engravers
 * (src/trace/centerline/): the ink's centre lines as open strokes, each as wide
 * as its line in the art (or one pen width), junctions kept, spurs pruned. SVG
 * and PDF (stroked paths), DXF (open polylines on layer CUT), G-code (laser /
 * GRBL: M3/M5, feed and power) and HP-GL, all at one print size, origin
 * bottom-left, in plotting order.
 */
import type { Static } from '@sinclair/typebox';
import { lengthToPx, MM_PER, parseLength } from '../length.js';
import { Opt, Type } from '../options.js';
import { strokesAtSize } from '../trace/centerline/index.js';
import type { TraceOptions } from '../trace/index.js';
import { MM_PER_PX, PT_PER_PX } from '../vector/transform.js';
import { widthMm as printWidthMm, widthOption } from './shared/print-width.js';
import { presentedTrace, traceCost, vectorFiles } from './shared/vector-files.js';
import { defineVariation } from './types.js';

/** Strokes wider than this share of the art's longer side are filled areas. */
const FILLED = 0.1;

const schema = Type.Object(
  {
    color: Opt.color('Stroke colour (SVG, PDF)', '#000000'),
    penWidth: Opt.length(
      'Every stroke this wide, e.g. 0.5mm (0 = each stroke as wide as its line in the art)',
      '0',
    ),
    feed: Opt.integer('G-code: drawing speed, mm/min', 1000, 1, 100000),
    power: Opt.integer('G-code: laser or spindle power, S 0–1000 (GRBL)', 1000, 0, 1000),
    width: widthOption,
  },
  { additionalProperties: false },
);

function centerlineTraceOptions(options: Static<typeof schema>): TraceOptions {
  return { mode: 'centerline', color: options.color };
}

export const centerline = defineVariation({
  id: 'centerline',
  label: 'Centerline trace (plotters, lasers)',
  description:
    'Single-line trace: the centre of every stroke as one line, for pen plotters, lasers and engravers — SVG, PDF, DXF, G-code and HP-GL.',
  needs: (options) => ['cutout', { trace: centerlineTraceOptions(options) }],
  schema,
  keyOptions: ['penWidth', 'feed', 'power'],
  outputs: 'centerline.svg, centerline.pdf, centerline.dxf, centerline.gcode, centerline.hpgl',
  cost: (size) => traceCost(size, 2),
  memoryPerPixel: 24,
  async run({ logo, options, warn }) {
    const trace = presentedTrace(logo, centerlineTraceOptions(options));
    // a stroke wider than a tenth of the art is a filled area, not a line
    const widest = Math.max(...trace.shapes.map((s) => (s.stroke?.widthPt ?? 0) / PT_PER_PX));
    if (widest > FILLED * Math.max(trace.width, trace.height)) {
      warn?.(
        'W_FILLED_ART',
        `The art has filled areas (lines up to ${Math.round(widest)} px wide): a centre line follows their middle, which a pen or a beam rarely should; the vector trace outlines them.`,
      );
    }
    const mm = printWidthMm(options.width, 'centerline.width');
    // points per trace pixel at the print size: stroke widths scale with the drawing
    const ptPerPx = ((mm > 0 ? mm / trace.width : MM_PER_PX) * 72) / 25.4;
    const pen = parseLength(options.penWidth, 'centerline.penWidth');
    const penPt =
      pen.unit === 'px' ? lengthToPx(pen, 1) * ptPerPx : (pen.value * MM_PER[pen.unit] * 72) / 25.4;
    const strokes = strokesAtSize(trace, ptPerPx, penPt);
    return vectorFiles(strokes, 'centerline', ['svg', 'pdf', 'dxf', 'gcode', 'hpgl'], {
      widthMm: mm,
      layer: 'CUT',
      feed: options.feed,
      power: options.power,
    });
  },
});

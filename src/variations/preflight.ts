/**
 * `preflight` — the art measured at its print size against what a print
 * process holds (src/preflight/): thin lines, narrow gaps and small dots per
 * ink, resolution, inks, gradients, the trace's fidelity, ink coverage and
 * volume. Files: preflight.json (every finding with a code, severity, value,
 * limit and place), preflight.pdf (one page for the customer) and
 * preflight.png (the same page, for the web app). docs/PREFLIGHT.md.
 */
import { isLightArt } from '../analysis/index.js';
import { Opt, parseOptions, Type } from '../options.js';
import { preflight } from '../preflight/index.js';
import { layoutToPdf, layoutToPng, preflightLayout, preflightPictures } from '../preflight/page.js';
import { nearestMesh, PROCESSES, processLimits } from '../preflight/processes.js';
import { DARK_PLATE } from './shared/backdrop.js';
import { widthMm as printWidthMm, widthOption } from './shared/print-width.js';
import { traceCost } from './shared/vector-files.js';
import { defineVariation } from './types.js';
import { colorTraceOptions, vectorColor } from './vector-color.js';

/** The colour trace of the `vector-color` defaults: shared with that variation when both run. */
const TRACE = colorTraceOptions(parseOptions(vectorColor.schema, {}, 'vector-color'));

/** The page as PNG: 2 pixels per point (144 DPI, 1224 × 1584). */
const PNG_SCALE = 2;

const schema = Type.Object(
  {
    process: Opt.choice(
      'How it will be printed: screen, dtf, dtg, vinyl, laser (cut stencil), embroidery or offset',
      PROCESSES,
      'screen',
    ),
    // preflight's 0: the process's usual size (10 in garments, 6 in vinyl, 4 in laser, 3.5 in embroidery, 3 in offset)
    width: widthOption,
    mesh: Opt.integer('Screen print: mesh count, threads per inch (110, 156, 200, 230, 305)', 230, 110, 305),
    lpi: Opt.number('Screen print: halftone lines per inch (0 = the mesh’s usual)', 0, 0, 150),
    garment: Opt.colorOr(
      'Garment or paper colour, e.g. #111111 (none = white or light: white ink is the substrate)',
      'none',
      'none',
    ),
  },
  { additionalProperties: false },
);

export const preflightVariation = defineVariation({
  id: 'preflight',
  label: 'Preflight report',
  description:
    'Will the art survive the print? Thin lines, gaps, dots, resolution, inks and trace checked at the print size, as a page to send the customer.',
  needs: ['cutout', { trace: TRACE }],
  schema,
  keyOptions: ['process', 'width', 'mesh'],
  outputs: 'preflight.json, preflight.pdf, preflight.png (the same page)',
  cost: (size) => traceCost(size, 4) + (size.width * size.height) / 4000,
  memoryPerPixel: 40,
  async run({ logo, options, warn }) {
    const mesh = nearestMesh(options.mesh);
    const limits = processLimits(options.process, { mesh, lpi: options.lpi });
    const cutout = logo.cutout();
    const widthMm = printWidthMm(options.width, 'preflight.width') || limits.defaultWidthMm;
    const result = preflight(cutout, logo.trace(TRACE), { limits, widthMm, garment: options.garment });
    const { report } = result;
    if (report.verdict !== 'ready') {
      const first = report.findings[0];
      warn?.('W_PREFLIGHT', `${report.summary} ${first ? first.message : ''}`.trim());
    }
    const pictures = await preflightPictures(cutout.art, result);
    const plate = isLightArt(cutout.analysis) ? DARK_PLATE : '#ffffff';
    const layout = preflightLayout(report, pictures.art, pictures.heat, plate);
    const png = await layoutToPng(layout, PNG_SCALE);
    return [
      { name: 'preflight.json', format: 'json', data: Buffer.from(`${JSON.stringify(report, null, 2)}\n`) },
      { name: 'preflight.pdf', format: 'pdf', data: layoutToPdf(layout) },
      { name: 'preflight.png', format: 'png', width: png.width, height: png.height, data: png.data },
    ];
  },
});

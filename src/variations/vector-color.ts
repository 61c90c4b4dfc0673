/**
 * `vector-color` — full-colour vector trace: the logo's flat colours found
 * anti-alias-aware, each traced as one shape, layered seam-free by default,
 * smooth gradients kept as gradient fills (src/trace/color/). SVG, PDF (RGB or
 * CMYK) and EPS.
 */

import type { Static } from '@sinclair/typebox';
import { parseColor } from '../color/color.js';
import { Opt, Type } from '../options.js';
import { MAX_GRADIENT_STEPS } from '../trace/color/index.js';
import type { TraceOptions } from '../trace/index.js';
import {
  effectiveWidthMm,
  presentedTrace,
  traceCost,
  traceOptionsOf,
  tracerOptions,
  vectorFiles,
} from './shared/vector-files.js';
import { defineVariation } from './types.js';

const schema = Type.Object(
  {
    colors: Opt.integer('Exactly this many colours (0 = find them automatically)', 0, 0, 64),
    palette: Opt.colors('Snap to these colours instead, e.g. #1a2b3c,#ffcc00', 64),
    stacking: Opt.choice(
      'stacked = colours overlap underneath (seam-free in every viewer); cutout = shapes abut',
      ['stacked', 'cutout'] as const,
      'stacked',
    ),
    gradients: Opt.choice(
      'keep = smooth gradients stay gradients (one shape each); flatten = flat colour bands',
      ['keep', 'flatten'] as const,
      'keep',
    ),
    gradientSteps: Opt.integer(
      'With keep: 0 = smooth; N = each gradient as N flat bands (for cutters and screen printers)',
      0,
      0,
      MAX_GRADIENT_STEPS,
    ),
    cmyk: Opt.boolean('Paint the PDF in DeviceCMYK instead of RGB', false),
    ...tracerOptions,
  },
  { additionalProperties: false },
);

/** The colour trace this variation reads (the shared `colorTrace` intermediate). */
export function colorTraceOptions(options: Static<typeof schema>): TraceOptions {
  return {
    mode: 'color',
    colors: options.colors,
    palette: options.palette.length ? options.palette.map((c) => parseColor(c, 'palette')) : null,
    stacking: options.stacking,
    gradients: options.gradients,
    gradientSteps: options.gradientSteps,
    ...traceOptionsOf(options),
  };
}

export const vectorColor = defineVariation({
  id: 'vector-color',
  label: 'Vector trace (full colour)',
  description:
    'Full-colour vector trace as SVG, PDF and EPS: the logo’s true flat colours, no seams between them.',
  needs: (options) => ['cutout', { trace: colorTraceOptions(options) }],
  schema,
  outputs: 'vector-color.svg, vector-color.pdf, vector-color.eps, vector-color.dxf (a layer per colour)',
  cost: (size) => traceCost(size, 4),
  memoryPerPixel: 28,
  async run({ logo, options }) {
    const trace = presentedTrace(logo, colorTraceOptions(options));
    return vectorFiles(trace, 'vector-color', ['svg', 'pdf', 'eps', 'dxf'], {
      widthMm: effectiveWidthMm(options, 'vector-color'),
      cmyk: options.cmyk,
    });
  },
});

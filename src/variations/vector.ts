/**
 * `vector` — one-colour vector trace (potrace's method, src/trace/): SVG, PDF,
 * EPS and DXF (for vinyl cutters), black by default or any `--color`.
 */
import type { Static } from '@sinclair/typebox';
import { Opt, Type } from '../options.js';
import type { TraceOptions } from '../trace/index.js';
import { keylinePx, styleOptions } from './shared/one-color.js';
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
    color: Opt.color('Fill colour of the trace', '#000000'),
    threshold: Opt.number(
      'Luminance threshold 0–1 for what counts as ink (0 = automatic: alpha, background colour or Otsu)',
      0,
      0,
      1,
    ),
    ...styleOptions,
    ...tracerOptions,
  },
  { additionalProperties: false },
);

/** The one-colour trace this variation reads (the shared `monoTrace` intermediate). */
function monoTraceOptions(options: Static<typeof schema>): TraceOptions {
  return {
    mode: 'mono',
    color: options.color,
    threshold: options.threshold > 0 ? options.threshold : null,
    oneColor: { style: options.style, gapPx: keylinePx(options.keyline) },
    ...traceOptionsOf(options),
  };
}

export const vector = defineVariation({
  id: 'vector',
  label: 'Vector trace (one colour)',
  description: 'One-colour vector trace as SVG, PDF, EPS and DXF: smooth curves, sharp corners, few nodes.',
  needs: (options) => ['cutout', { trace: monoTraceOptions(options) }],
  schema,
  outputs: 'vector.svg, vector.pdf, vector.eps, vector.dxf',
  cost: (size) => traceCost(size, 1),
  memoryPerPixel: 16,
  async run({ logo, options }) {
    const trace = presentedTrace(logo, monoTraceOptions(options));
    return vectorFiles(trace, 'vector', ['svg', 'pdf', 'eps', 'dxf'], {
      widthMm: effectiveWidthMm(options, 'vector'),
      layer: 'CUT',
    });
  },
});

/**
 * `vector` — one-colour vector trace (potrace's method, src/trace/): SVG, PDF,
 * EPS and DXF (for vinyl cutters), black by default or any `--color`.
 */
import { Opt, Type } from '../options.js';
import { defineVariation } from './types.js';
import { presentedTrace, traceCost, traceOptionsOf, tracerOptions, vectorFiles } from './vector-files.js';

export const vector = defineVariation({
  id: 'vector',
  label: 'Vector trace (one colour)',
  description: 'One-colour vector trace as SVG, PDF, EPS and DXF: smooth curves, sharp corners, few nodes.',
  needs: ['cutout'],
  schema: Type.Object(
    {
      color: Opt.color('Fill colour of the trace', '#000000'),
      threshold: Opt.number(
        'Luminance threshold 0–1 for what counts as ink (0 = automatic: alpha, background colour or Otsu)',
        0,
        0,
        1,
      ),
      ...tracerOptions,
    },
    { additionalProperties: false },
  ),
  outputs: 'vector.svg, vector.pdf, vector.eps, vector.dxf',
  cost: (size) => traceCost(size, 1),
  memoryPerPixel: 16,
  async run({ logo, options }) {
    const trace = presentedTrace(logo, {
      mode: 'mono',
      color: options.color,
      threshold: options.threshold > 0 ? options.threshold : null,
      ...traceOptionsOf(options),
    });
    return vectorFiles(trace, 'vector', ['svg', 'pdf', 'eps', 'dxf'], {
      widthMm: options.widthMm,
      layer: 'CUT',
    });
  },
});

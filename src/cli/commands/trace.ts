/**
 * `logomill trace <input> -o <out.svg|.pdf|.eps|.dxf>`: one trace, written in
 * the format the output's extension names. The canvas is the input's pixel
 * size (no cropping), so the trace lies exactly over the input. This command
 * shape is used by external quality checks: keep it.
 *
 * Blank results are errors, never empty files: no art (the analysis's rule) or
 * no ink left to trace is E_NO_ART (exit 2, nothing written); a trace of one
 * flat colour kept as art (`--background keep`, `--threshold`) is written with
 * the warning W_FLAT_IMAGE. The output path is checked, and the image's size
 * against MEMORY_LIMIT_MB, before anything is decoded.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { HOLE_MODES } from '../../analysis/holes.js';
import { parseColor } from '../../color/color.js';
import { resolveConfig } from '../../config.js';
import { checkMemoryFit, TRACE_MEMORY } from '../../engine/memory-fit.js';
import { LogomillError, toLogomillError } from '../../errors.js';
import { decodeLogo } from '../../io/decode.js';
import type { RgbaImage } from '../../io/image.js';
import { readInput } from '../../io/read.js';
import { writeFileAtomic } from '../../io/write.js';
import { Opt, parseOptions, Type } from '../../options.js';
import { strokesAtSize } from '../../trace/centerline/index.js';
import { traceImage } from '../../trace/index.js';
import { tracerOptions, vectorFiles } from '../../variations/shared/vector-files.js';
import { segmentCount } from '../../vector/path.js';
import { MM_PER_PX } from '../../vector/transform.js';
import { type Warning, warn } from '../../warnings.js';
import { EXIT_OK, exitCodeFor } from '../exit-codes.js';
import { checkOutputFile, outputError } from '../output.js';

const FORMATS = {
  '.svg': 'svg',
  '.pdf': 'pdf',
  '.eps': 'eps',
  '.dxf': 'dxf',
  '.gcode': 'gcode',
  '.nc': 'gcode',
  '.hpgl': 'hpgl',
  '.plt': 'hpgl',
} as const;

const traceSchema = Type.Object(
  {
    mode: Opt.choice(
      'mono = one colour, color = full colour, centerline = single strokes for plotters and lasers',
      ['mono', 'color', 'centerline'] as const,
      'mono',
    ),
    colors: Opt.integer('color mode: exactly this many colours (0 = automatic)', 0, 0, 64),
    palette: Opt.colors('color mode: snap to these colours', 64),
    stacking: Opt.choice('color mode: layering', ['stacked', 'cutout'] as const, 'stacked'),
    gradients: Opt.choice('color mode: keep gradients or flatten them', ['keep', 'flatten'] as const, 'keep'),
    gradientSteps: Opt.integer('color mode: each gradient as N flat bands (0 = smooth)', 0, 0, 32),
    threshold: Opt.number('mono mode: luminance threshold 0–1 (0 = automatic)', 0, 0, 1),
    color: Opt.color('mono mode: fill colour', '#000000'),
    ...tracerOptions,
    cmyk: Opt.boolean('PDF in DeviceCMYK', false),
    background: Opt.backgroundChoice('the logo’s background: auto, keep, remove or its colour'),
    holes: Opt.choice('enclosed background areas: auto, none or all', HOLE_MODES, 'auto'),
  },
  { additionalProperties: false },
);

/** A flag's help from its option's schema: the description and the default. */
const helpOf = (o: { description?: string; default?: unknown }) =>
  `${o.description ?? ''} (default ${String(o.default)})`;

interface TraceFlags {
  out?: string;
  [key: string]: unknown;
}

export function configureTrace(cmd: Command, setExit: (code: number) => void): void {
  cmd
    .requiredOption('-o, --out <file>', 'output file: .svg, .pdf, .eps or .dxf')
    .option('--mode <mode>', 'mono (one colour), color (full colour) or centerline (single strokes)', 'mono')
    .option('--colors <n>', 'color mode: exactly this many colours (default: automatic)')
    .option('--palette <list>', 'color mode: snap to these colours, e.g. #1a2b3c,#ffcc00')
    .option('--stacking <how>', 'color mode: stacked (seam-free, default) or cutout (shapes abut)')
    .option('--gradients <how>', 'color mode: keep (gradient fills, default) or flatten (flat bands)')
    .option('--gradient-steps <n>', 'color mode: each gradient as N flat bands (default 0 = smooth)')
    .option('--threshold <t>', 'mono mode: luminance threshold 0–1 (default: automatic)')
    .option('--color <hex>', 'mono mode: fill colour (default #000000)')
    .option('--turdsize <n>', helpOf(tracerOptions.turdsize))
    .option('--alphamax <a>', helpOf(tracerOptions.alphamax))
    .option('--opttolerance <t>', helpOf(tracerOptions.opttolerance))
    .option('--width-mm <mm>', 'SVG/PDF/EPS/DXF print width in mm (default: the input pixels at 300 DPI)')
    .option('--cmyk', 'PDF colours in DeviceCMYK')
    .option(
      '--background <what>',
      'the logo’s background: auto (analysed), keep, remove or #hex (default auto)',
    )
    .option('--holes <how>', 'enclosed areas of the background colour: auto, none or all (default auto)')
    .action(async (input: string, flags: TraceFlags) => setExit(await runTrace(input, flags)));
}

async function runTrace(input: string, flags: TraceFlags): Promise<number> {
  try {
    const out = String(flags.out);
    const format = FORMATS[extname(out).toLowerCase() as keyof typeof FORMATS];
    if (!format) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Cannot tell the format from ${out}; use an output name ending in .svg, .pdf, .eps, .dxf, .gcode (.nc) or .hpgl (.plt).`,
      );
    }
    const given = Object.fromEntries(
      Object.entries({ ...flags, out: undefined }).filter(([, v]) => v !== undefined),
    );
    const o = parseOptions(traceSchema, given, 'trace');
    if (o.cmyk && format !== 'pdf') {
      throw new LogomillError('E_BAD_OPTION', '--cmyk applies to PDF output only.');
    }
    await checkOutputFile(out);
    const bytes = await readInput(input);
    await checkMemoryFit(bytes, resolveConfig().config.MEMORY_LIMIT_MB, TRACE_MEMORY);
    const { image } = await decodeLogo(bytes);
    const started = performance.now();
    const vector = traceImage(image, {
      mode: o.mode,
      colors: o.colors,
      palette: o.palette.length ? o.palette.map((c) => parseColor(c, 'palette')) : null,
      stacking: o.stacking,
      gradients: o.gradients,
      gradientSteps: o.gradientSteps,
      threshold: o.threshold > 0 ? o.threshold : null,
      color: o.color,
      turdSize: o.turdsize,
      alphaMax: o.alphamax,
      optTolerance: o.opttolerance,
      background: o.background,
      holes: o.holes,
    });
    if (!vector.shapes.length) {
      throw new LogomillError(
        'E_NO_ART',
        'The trace found no ink: the art is too small or too faint to trace.',
      );
    }
    const ms = Math.round(performance.now() - started);
    // centre-line strokes as wide as their lines at the print size
    const drawn =
      o.mode === 'centerline'
        ? strokesAtSize(vector, ((o.widthMm > 0 ? o.widthMm / vector.width : MM_PER_PX) * 72) / 25.4)
        : vector;
    const [file] = vectorFiles(drawn, 'trace', [format], { widthMm: o.widthMm, cmyk: o.cmyk });
    await writeFileAtomic(out, file.data).catch((err: unknown) => {
      throw outputError(err, out);
    });
    process.stdout.write(
      `${input} → ${out} (${format}, ${vector.shapes.length} ${o.mode === 'centerline' ? 'stroke' : 'colour'}${vector.shapes.length === 1 ? '' : 's'}, ` +
        `${segmentCount(vector)} segments, traced in ${ms} ms)\n`,
    );
    const flat = flatImageWarning(image);
    if (flat) process.stderr.write(`warning: ${input}: [${flat.code}] ${flat.message}\n`);
    return EXIT_OK;
  } catch (err) {
    const e = toLogomillError(err);
    process.stderr.write(`error: ${input}: [${e.code}] ${e.message}\n`);
    return exitCodeFor(e.code);
  }
}

/**
 * A warning for a trace of an image that is one flat colour (every visible pixel within 8 levels
 * of the first): it was traced only because `--background keep` or a `--threshold` made the
 * whole canvas ink, so the trace is the canvas's outline — or a sliver of it — not art.
 */
function flatImageWarning(image: RgbaImage): Warning | null {
  const { data } = image;
  let first = -1;
  for (let p = 0; p < data.length; p += 4) {
    if (data[p + 3] === 0) continue;
    if (first < 0) first = p;
    for (let c = 0; c < 4; c++) if (Math.abs(data[p + c] - data[first + c]) > 8) return null;
  }
  return warn(
    'W_FLAT_IMAGE',
    'The image is a single flat colour with no art on it: the trace is only the outline of the canvas.',
  );
}

/**
 * logomill's library API.
 *
 * @example
 *   import { processLogo } from 'logomill';
 *   const result = await processLogo('logo.png', { variations: ['transparent', 'favicon'], outDir: 'out/logo' });
 *   for (const o of result.outputs) console.log(o.variation, o.name, o.width, o.height, o.path);
 */
import { basename, extname, join } from 'node:path';
import type { TObject } from '@sinclair/typebox';
import { logoManifest } from './engine/manifest.js';
import { type JobOptions, type JobResult, type OutputRecord, runJob } from './engine/run-job.js';
import { fileSystemError, toLogomillError } from './errors.js';
import { readInput } from './io/read.js';
import { safeSegment, writeFolderAtomic } from './io/write.js';
import { VARIATIONS } from './variations/registry.js';

export type { AnalysisSettings, ArtAnalysis } from './analysis/index.js';
export { analyzeArt } from './analysis/index.js';
export type { JobOptions, JobResult, OutputRecord, VariationFailure } from './engine/run-job.js';
export { planJob, runJob } from './engine/run-job.js';
export { type ErrorCode, LogomillError, USER_ERROR_CODES } from './errors.js';
export type { DecodedLogo, DecodeLimits } from './io/decode.js';
export { DEFAULT_DECODE_LIMITS, decodeLogo } from './io/decode.js';
export type { RgbaImage } from './io/image.js';
export { removeBackground } from './raster/background.js';
export type { MaskSource, Stacking, TraceMode, TraceOptions } from './trace/index.js';
export { traceImage, traceToSvg } from './trace/index.js';
export { toDxf } from './vector/dxf.js';
export { toEps } from './vector/eps.js';
export type {
  Gradient,
  GradientStop,
  LinearGradient,
  RadialGradient,
  Shape,
  Subpath,
  VectorImage,
} from './vector/path.js';
export { toPdf } from './vector/pdf.js';
export { toSvg } from './vector/svg.js';
export { VERSION } from './version.js';
export type { Warning, WarningCode } from './warnings.js';

export interface ProcessOptions extends JobOptions {
  /** When set, every output is written to `<outDir>/<variation>/<name>` and a manifest.json beside them. */
  outDir?: string;
}

export interface WrittenOutput extends OutputRecord {
  /** Where the file was written (when `outDir` was given). */
  path?: string;
}

export interface LogoResult extends Omit<JobResult, 'outputs'> {
  /** The input's name (file name without extension, or "logo" for buffers). */
  name: string;
  outputs: WrittenOutput[];
}

/** Processes one logo (a path or the file's bytes) into the chosen variations. */
export async function processLogo(
  input: string | Uint8Array,
  options: ProcessOptions = {},
): Promise<LogoResult> {
  let bytes: Uint8Array;
  let name = 'logo';
  if (typeof input === 'string') {
    name = safeSegment(basename(input, extname(input)));
    bytes = await readInput(input);
  } else {
    bytes = input;
  }
  const job = await runJob(bytes, options);
  const result: LogoResult = { ...job, name };
  if (options.outDir) {
    // the folder is written all or nothing, as the CLI writes it (src/cli/output.ts)
    const dir = options.outDir;
    const files = result.outputs.map((o) => ({
      path: `${safeSegment(o.variation)}/${safeSegment(o.name, 'file')}`,
      data: o.data,
    }));
    files.push({
      path: 'manifest.json',
      data: Buffer.from(`${JSON.stringify(toManifest(result), null, 2)}\n`),
    });
    try {
      await writeFolderAtomic(dir, files);
    } catch (err) {
      throw fileSystemError(err, dir) ?? toLogomillError(err);
    }
    result.outputs.forEach((o, i) => {
      o.path = join(dir, files[i].path);
    });
  }
  return result;
}

/** The manifest.json form of a result: no pixel data, paths relative to the logo's folder, no timings (reproducible). */
export function toManifest(result: LogoResult): Record<string, unknown> {
  return logoManifest(result.name, result);
}

export interface VariationInfo {
  id: string;
  label: string;
  description: string;
  outputs: string;
  /** The options a form shows first. */
  keyOptions: string[];
  /** JSON Schema of the options, with defaults and descriptions. */
  options: TObject;
}

/** Describes every variation: the CLI help and (later) the web forms are rendered from this. */
export function listVariations(): VariationInfo[] {
  return VARIATIONS.map((v) => ({
    id: v.id,
    label: v.label,
    description: v.description,
    outputs: v.outputs,
    keyOptions: [...(v.keyOptions ?? Object.keys(v.schema.properties).slice(0, 3))],
    options: v.schema,
  }));
}

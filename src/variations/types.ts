/**
 * What a variation is: a small typed object with an id, its option schema, a
 * cost estimate and a pure `run` that turns the shared logo context into files.
 * A variation touches no file system, logger or network; the engine and the
 * shells do that.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { ArtAnalysis, BackgroundChoice, HoleMode } from '../analysis/index.js';
import type { Rgb } from '../color/color.js';
import type { Rect, RgbaImage } from '../io/image.js';
import type { TraceOptions } from '../trace/index.js';
import type { VectorImage } from '../vector/path.js';
import type { WarningCode } from '../warnings.js';

export type OutputFormat =
  | 'png'
  | 'jpeg'
  | 'webp'
  | 'avif'
  | 'tiff'
  | 'pdf'
  | 'ico'
  | 'json'
  | 'html'
  | 'svg'
  | 'eps'
  | 'dxf'
  | 'gcode'
  | 'hpgl';

export const MEDIA_TYPES: Record<OutputFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
  ico: 'image/x-icon',
  json: 'application/json',
  html: 'text/html',
  svg: 'image/svg+xml',
  eps: 'application/postscript',
  dxf: 'image/vnd.dxf',
  gcode: 'text/x.gcode',
  hpgl: 'application/vnd.hp-hpgl',
};

export interface OutputFile {
  /** File name inside the variation's folder; never depends on the input's name (the cache relies on it). */
  name: string;
  format: OutputFormat;
  /** Pixel size for raster outputs. */
  width?: number;
  height?: number;
  data: Buffer;
}

/** The logo with its background removed: the base of most variations. */
export interface Cutout {
  /** Full-size image with the background made transparent. */
  full: RgbaImage;
  /** Where the visible art lies in `full`. */
  bounds: Rect;
  /** `full` cropped to `bounds`. */
  art: RgbaImage;
  /** The background colour that was removed, or null when none was (transparent input, art filling the canvas). */
  background: Rgb | null;
  /** Whether a background was actually removed. */
  removed: boolean;
  /** The art analysis behind it: every decision, with its reason, and the warnings. */
  analysis: ArtAnalysis;
}

/** Settings of the shared cutout; they are the `transparent` variation's options. */
export interface CutoutSettings {
  tolerance: number;
  /** Enclosed areas of the background colour: decided one by one (auto), all cleared or none. */
  holes: HoleMode;
  /** auto (the analysis decides), keep, remove, or the background's colour (#hex). */
  background: BackgroundChoice;
  /** Crop presented cutouts to the art. */
  trim: boolean;
  /** Transparent margin, in pixels, around presented cutouts. */
  padding: number;
}

/** Everything a variation may read about the logo; shared intermediates are computed once per job. */
export interface LogoContext {
  /** The decoded input, sRGB RGBA. */
  readonly image: RgbaImage;
  /** The input's detected format (png, jpeg, svg…). */
  readonly sourceFormat: string;
  /** How the cutout is made and presented (the job's `transparent` options). */
  readonly cutoutSettings: CutoutSettings;
  /** Background removed (computed on first use, then shared). */
  cutout(): Cutout;
  /**
   * The cutout traced with these tracer options, at the input's pixel size
   * (computed once per distinct options, then shared). E_NO_ART when the
   * trace finds no ink.
   */
  trace(options: TraceOptions): VectorImage;
}

/**
 * A shared intermediate a variation reads (src/engine/intermediates.ts): the
 * cutout, or the cutout traced with the given options. Declaring it lets the
 * engine compute it once, ahead, for every variation that reads it.
 */
export type SharedNeed = 'cutout' | { trace: TraceOptions };

export interface RunInput<O> {
  logo: LogoContext;
  options: O;
  signal?: AbortSignal;
  /** Reports something about the files that deserves a look (they are still written). */
  warn?: (code: WarningCode, message: string) => void;
}

export interface Variation<S extends TObject = TObject> {
  /** Stable id used by the library, CLI, API and web app. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Shared intermediates this variation reads (for these options); the engine prepares them first. */
  readonly needs: readonly SharedNeed[] | ((options: Static<S>) => readonly SharedNeed[]);
  readonly schema: S;
  /** One line saying which files come out. */
  readonly outputs: string;
  /** The options a form shows first (the web app); default: the schema's first few. */
  readonly keyOptions?: readonly (keyof Static<S> & string)[];
  /** Relative cost (≈ milliseconds on one core) used to schedule the costliest work first. */
  cost(size: { width: number; height: number }, options: Static<S>): number;
  /** Peak working memory in bytes per input pixel (≈; default 12): the engine admits tasks by it. */
  readonly memoryPerPixel?: number;
  run(input: RunInput<Static<S>>): Promise<OutputFile[]>;
  /**
   * Optional fan-out: splits the options into independent parts whose files,
   * concatenated in order, are exactly the files of the whole run (e.g. one
   * part per raster format). The engine runs parts as subtasks on several
   * workers when that shortens the job (SUBTASK_WORKERS).
   */
  split?(options: Static<S>): Static<S>[];
}

/** Declares a variation with its option types inferred from the schema. */
export function defineVariation<S extends TObject>(v: Variation<S>): Variation<S> {
  return v;
}

/**
 * Shared intermediates: what several variations of one logo read, computed once
 * per logo and handed to each of them.
 *
 * - `cutout` — the art analysis and the background removed (every variation);
 * - `colorTrace` / `monoTrace` — the cutout traced, one per distinct set of
 *   tracer options (`vector-color`, `cutline` and `favicon` read the same
 *   default colour trace).
 *
 * A variation declares what it reads (`Variation.needs`); the executor computes
 * each distinct intermediate once, before the variations that need it, and
 * tells whoever listens (`Engine` event `intermediate`) so that "once" can be
 * checked. The options that make two traces the same are normalised here: the
 * tracer's defaults filled in, keys sorted, so that `{ mode: 'color' }` and the
 * colour trace of `vector-color` with its default options are one trace.
 */
import { LogomillError } from '../errors.js';
import { DEFAULT_COLOR_OPTIONS } from '../trace/color/index.js';
import { onDarkGround, type TraceOptions, traceImage } from '../trace/index.js';
import { DEFAULT_MONO_OPTIONS } from '../trace/mono.js';
import type { Cutout, SharedNeed, Variation } from '../variations/types.js';
import type { VectorImage } from '../vector/path.js';

export type IntermediateName = 'cutout' | 'colorTrace' | 'monoTrace' | 'centerlineTrace';

/** One intermediate of a job, with the key that makes it distinct. */
export interface Intermediate {
  name: IntermediateName;
  key: string;
  /** For traces: the normalised tracer options. */
  trace?: TraceOptions;
}

export const CUTOUT: Intermediate = { name: 'cutout', key: 'cutout' };

/** The variation's declared needs for these options. */
export function needsOf(variation: Variation, options: Record<string, unknown>): readonly SharedNeed[] {
  return typeof variation.needs === 'function' ? variation.needs(options) : variation.needs;
}

/** Whether the variation reads the cutout (a trace is made from it, so a trace counts). */
export function needsCutout(variation: Variation, options: Record<string, unknown>): boolean {
  return needsOf(variation, options).length > 0;
}

/** The traces a variation reads, as intermediates. */
export function tracesOf(variation: Variation, options: Record<string, unknown>): Intermediate[] {
  const out: Intermediate[] = [];
  for (const need of needsOf(variation, options))
    if (need !== 'cutout') out.push(traceIntermediate(need.trace));
  return out;
}

/** The options that decide what a trace of the cutout looks like, defaults filled in. */
export function normaliseTrace(options: TraceOptions): TraceOptions {
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as TraceOptions;
  const o: TraceOptions =
    given.mode === 'color'
      ? { ...DEFAULT_COLOR_OPTIONS, ...given, mode: 'color' }
      : given.mode === 'centerline'
        ? { color: '#000000', threshold: null, ...given, mode: 'centerline' }
        : { ...DEFAULT_MONO_OPTIONS, color: '#000000', threshold: null, ...given, mode: 'mono' };
  // the cutout decides these; a trace of the cutout ignores them
  delete o.tolerance;
  delete o.background;
  delete o.holes;
  delete o.prepared;
  if (o.palette?.length === 0) o.palette = null;
  return o;
}

export function traceIntermediate(options: TraceOptions): Intermediate {
  const trace = normaliseTrace(options);
  const sorted = Object.fromEntries(Object.entries(trace).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    name:
      trace.mode === 'color' ? 'colorTrace' : trace.mode === 'centerline' ? 'centerlineTrace' : 'monoTrace',
    key: `trace:${JSON.stringify(sorted)}`,
    trace,
  };
}

/**
 * Traces the cutout — so every trace agrees with the transparent PNG on what
 * is background — at the input's pixel size. An empty trace is an error,
 * never an empty file.
 */
export function computeTrace(cutout: Cutout, options: TraceOptions): VectorImage {
  const vector = traceImage(cutout.full, {
    ...options,
    prepared: true,
    silhouette: options.silhouette ?? onDarkGround(cutout.background),
  });
  if (!vector.shapes.length) {
    throw new LogomillError(
      'E_NO_ART',
      'The trace found no ink: the art is too small or too faint to trace (every shape was under the speckle size).',
    );
  }
  return vector;
}

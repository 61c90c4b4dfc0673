/**
 * The per-logo context: the decoded image plus shared intermediates (see
 * intermediates.ts), each computed at most once however many variations read
 * it. The executor hands in what it computed already; anything else is
 * computed here on first use (and reported through `onCompute`).
 */

import { analyzeArt } from '../analysis/index.js';
import { toLogomillError } from '../errors.js';
import type { DecodedLogo } from '../io/decode.js';
import type { RgbaImage } from '../io/image.js';
import { contentBounds, crop } from '../raster/geometry.js';
import type { TraceOptions } from '../trace/index.js';
import type { Cutout, CutoutSettings, LogoContext } from '../variations/types.js';
import type { VectorImage } from '../vector/path.js';
import { CUTOUT, computeTrace, type Intermediate, traceIntermediate } from './intermediates.js';

export function computeCutout(decoded: Pick<DecodedLogo, 'image'>, settings: CutoutSettings): Cutout {
  const art = analyzeArt(decoded.image, settings);
  const full = art.cutout;
  const bounds = contentBounds(full) ?? { x: 0, y: 0, width: full.width, height: full.height };
  let cropped: RgbaImage | undefined;
  return {
    full,
    bounds,
    // cropped on first use: the engine's cutout task only ships `full` to other workers
    get art() {
      cropped ??= crop(full, bounds);
      return cropped;
    },
    background: art.removedColor,
    removed: art.removed,
    analysis: art.analysis,
  };
}

/** Intermediates computed before the context is made: the cutout, and traces by their key. */
export interface Precomputed {
  cutout?: Cutout;
  traces?: ReadonlyMap<string, VectorImage>;
}

export function createLogoContext(
  decoded: Pick<DecodedLogo, 'image' | 'format'>,
  settings: CutoutSettings,
  precomputed: Precomputed = {},
  onCompute?: (intermediate: Intermediate) => void,
): LogoContext {
  let cutout: Cutout | undefined = precomputed.cutout;
  // a failed trace is remembered too: every reader gets the same error
  const traces = new Map<string, VectorImage | Error>(precomputed.traces ?? []);
  const context: LogoContext = {
    image: decoded.image,
    sourceFormat: decoded.format,
    cutoutSettings: settings,
    cutout: () => {
      if (!cutout) {
        onCompute?.(CUTOUT);
        cutout = computeCutout(decoded, settings);
      }
      return cutout;
    },
    trace: (options: TraceOptions) => {
      const it = traceIntermediate(options);
      let t = traces.get(it.key);
      if (!t) {
        const from = context.cutout();
        onCompute?.(it);
        try {
          t = computeTrace(from, it.trace as TraceOptions);
        } catch (err) {
          t = toLogomillError(err);
        }
        traces.set(it.key, t);
      }
      if (t instanceof Error) throw t;
      return t;
    },
  };
  return context;
}

/**
 * The per-logo context: the decoded image plus shared intermediates, each
 * computed at most once per job however many variations read it.
 */

import { analyzeArt } from '../analysis/index.js';
import type { DecodedLogo } from '../io/decode.js';
import type { RgbaImage } from '../io/image.js';
import { contentBounds, crop } from '../raster/geometry.js';
import type { Cutout, CutoutSettings, LogoContext } from '../variations/types.js';

export function computeCutout(decoded: Pick<DecodedLogo, 'image'>, settings: CutoutSettings): Cutout {
  // (also run inside workers by the engine, see worker.ts)
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

export function createLogoContext(
  decoded: Pick<DecodedLogo, 'image' | 'format'>,
  settings: CutoutSettings,
  precomputed?: Cutout,
): LogoContext {
  let cutout: Cutout | undefined = precomputed;
  return {
    image: decoded.image,
    sourceFormat: decoded.format,
    cutoutSettings: settings,
    cutout: () => {
      cutout ??= computeCutout(decoded, settings);
      return cutout;
    },
  };
}

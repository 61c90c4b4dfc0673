/**
 * A logo as a sticker: its cut path (print/cutline.ts) around the presented
 * cutout, and the full-colour trace moved onto the cut's canvas, so that the
 * two line up exactly. The `cutline` variation writes it as files at one print
 * size; the `sheet` variation and `logomill sheet` nest copies of it in mm.
 */
import { LogomillError } from '../../errors.js';
import { MM_PER } from '../../length.js';
import { type Cutline, cutlinePath } from '../../print/cutline.js';
import type { SheetSticker } from '../../print/sheet/index.js';
import { contentBounds } from '../../raster/geometry.js';
import { mapShape, mapSubpaths, translate, vectorBounds } from '../../vector/geometry.js';
import type { Point, Shape, VectorImage } from '../../vector/path.js';
import { presentedCutout } from '../transparent.js';
import type { LogoContext } from '../types.js';

/** Largest radius of the rounding of the corners of holes, in mm. */
const MAX_HOLE_FILLET_MM = 1.5;

export interface StickerCutOptions {
  /** Print resolution: art pixels per mm. */
  pxPerMm: number;
  /** Art to cut, in art pixels. */
  offsetPx: number;
  /** Cut the holes inside the art too. */
  holes: boolean;
  /** With holes: holes smaller than a disc this wide (px) are not cut. */
  minHolePx: number;
  /** Join parts that lie apart with bridges (else a cut per part). */
  bridges: boolean;
}

/** The cut around the logo and the art on the cut's canvas (art pixels). */
export function stickerCut(logo: LogoContext, o: StickerCutOptions): { cut: Cutline; art: VectorImage } {
  const image = presentedCutout(logo);
  const cut = cutlinePath(image, {
    offsetPx: o.offsetPx,
    holes: o.holes,
    // inner corners rounded to the offset; those of holes to at most 1.5 mm, so that
    // holes a few mm wide are still cut
    holeClosePx: Math.max(2, Math.min(o.offsetPx, MAX_HOLE_FILLET_MM * o.pxPerMm)),
    // a millimetre of sheet around the cut, so that RIPs and previews do not clip it
    marginPx: Math.max(2, Math.ceil(MM_PER.mm * o.pxPerMm)),
    bridges: o.bridges,
    minHolePx: o.minHolePx,
  });
  // The cutout and the trace share the input's pixel grid, so they line up exactly.
  const { trim, padding } = logo.cutoutSettings;
  const bounds = logo.cutout().bounds;
  const dx = (trim ? -bounds.x : 0) + padding + cut.pad;
  const dy = (trim ? -bounds.y : 0) + padding + cut.pad;
  const art = translate(logo.trace({ mode: 'color' }), dx, dy, cut.width, cut.height);
  return { cut, art };
}

/** The longest side of the art (alpha ≥ 128), in pixels of the presented cutout. */
function inkLongSide(logo: LogoContext): number {
  const box = contentBounds(presentedCutout(logo), 127);
  if (!box) throw new LogomillError('E_EMPTY_IMAGE', 'The logo has no visible art to cut around.');
  return Math.max(box.width, box.height);
}

export interface SheetStickerOptions {
  /** The sticker's longest side, cut to cut, mm. */
  sizeMm: number;
  /** Art to cut, mm. */
  offsetMm: number;
  /** How far the art's edge colours reach out under the cut, mm (only where the art comes nearer the cut than this). */
  bleedMm: number;
  holes: boolean;
  minHoleMm: number;
  bridges: boolean;
  label: string;
}

/**
 * The logo as a sticker whose cut is `sizeMm` on its longest side, in mm with
 * the cut's box from (0, 0). E_BAD_OPTION when the size leaves no room for the
 * art inside twice the offset.
 */
export function sheetSticker(logo: LogoContext, o: SheetStickerOptions): SheetSticker {
  const artMm = o.sizeMm - 2 * o.offsetMm;
  if (!(artMm >= 2)) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected sheet.size to exceed twice the offset (${2 * o.offsetMm} mm) by 2 mm at least, but it is ${o.sizeMm} mm.`,
    );
  }
  const pxPerMm = inkLongSide(logo) / artMm;
  const { cut, art } = stickerCut(logo, {
    pxPerMm,
    offsetPx: o.offsetMm * pxPerMm,
    holes: o.holes,
    minHolePx: o.minHoleMm * pxPerMm,
    bridges: o.bridges,
  });
  const box = vectorBounds({
    width: cut.width,
    height: cut.height,
    shapes: [{ fill: '#000000', subpaths: cut.subpaths }],
  });
  if (!box) throw new LogomillError('E_EMPTY_IMAGE', 'The logo has no visible art to cut around.');
  // mm from the cut's box, scaled so that its long side is exactly the size asked for
  // (the offset scales with it, by a few per cent at most)
  const k = o.sizeMm / Math.max(box.width, box.height);
  const f = (p: Point): Point => ({ x: (p.x - box.x) * k, y: (p.y - box.y) * k });
  const cutMm = mapSubpaths(cut.subpaths, f);
  const artShapes = art.shapes.map((s) => mapShape(s, f, k));
  // the art reaches past the cut only where it comes within the bleed of it
  const reach = Math.max(0, o.bleedMm - o.offsetMm * k * pxPerMm);
  const bleed: Shape[] =
    reach > 0
      ? artShapes.map((s) => ({
          fill: s.fill,
          subpaths: s.subpaths,
          stroke: { widthPt: (2 * o.bleedMm * 72) / 25.4 },
        }))
      : [];
  return {
    label: o.label,
    width: box.width * k,
    height: box.height * k,
    region: cutMm,
    cut: cutMm,
    art: artShapes,
    bleed,
    bleedMm: reach,
  };
}

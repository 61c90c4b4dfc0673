/**
 * Four-colour process separation for art that is not flat (gradients,
 * shadows, photos): the art resampled to film resolution by libvips, split
 * into CMYK with grey-component replacement, and each channel screened into
 * amplitude-modulated dots (screen.ts) at its own angle. The PDF carries one
 * page per film, each film a 1-bit image mask painted in a /Separation
 * colour space named after its ink, with the marks in the registration
 * colour.
 */
import { cmykTints } from '../color/cmyk.js';
import type { RgbaImage } from '../io/image.js';
import { type MaskPage, maskPagesPdf } from '../io/separation-pdf.js';
import { offsetMap } from '../raster/morphology.js';
import type { SpotColor } from '../vector/path.js';
import { artAtFilmResolution, type BoardLayout, markShapes, REGISTRATION } from './film.js';
import { fillSubpaths } from './rasterize.js';
import { screenMask } from './screen/index.js';
import { type Film, garmentOf, type SeparateOptions, type SeparationPlan } from './separate.js';

export interface ProcessOptions {
  lpi: number;
  /** Screen angles of C, M, Y, K in degrees. */
  angles: [number, number, number, number];
  dot: 'round' | 'ellipse';
  /** Printable dot range, 0–1. */
  minDot: number;
  maxDot: number;
  /** Grey-component replacement: the share of the common grey that black prints (0–1). */
  gcr: number;
  /**
   * On a dark garment: no black film — the shirt is the black. The underbase is halftoned
   * (alpha less the black tint, at the black screen's angle), so the garment shows where the
   * art is dark and the process inks print on white where it is light.
   */
  blackShirt?: boolean;
}

const PROCESS_INKS: { name: string; hex: string; cmyk: SpotColor['cmyk'] }[] = [
  { name: 'Cyan', hex: '#00aeef', cmyk: [1, 0, 0, 0] },
  { name: 'Magenta', hex: '#ec008c', cmyk: [0, 1, 0, 0] },
  { name: 'Yellow', hex: '#fff200', cmyk: [0, 0, 1, 0] },
  { name: 'Black', hex: '#000000', cmyk: [0, 0, 0, 1] },
];
/** Press order: yellow, magenta, cyan, black (indices into PROCESS_INKS). */
const PRESS_ORDER = [2, 1, 0, 3];

export async function separateProcess(
  art: RgbaImage,
  layout: BoardLayout,
  o: SeparateOptions,
  p: ProcessOptions,
): Promise<SeparationPlan> {
  const aw = layout.art.width;
  const ah = layout.art.height;
  const big = await artAtFilmResolution(art, layout);
  const tints = cmykTints(big, p.gcr);
  const cellPx = layout.dpi / p.lpi;
  const { dark } = garmentOf(o);
  const underbase = o.underbase === 'on' || (o.underbase === 'auto' && dark);
  const films: Film[] = [];
  const shirt = underbase && p.blackShirt === true && dark;
  if (underbase) {
    let map: Uint8Array;
    if (shirt) {
      // tonal underbase: white where the art is, less where it is black (tints are premultiplied)
      const tone = new Uint8Array(aw * ah);
      for (let i = 0; i < tone.length; i++) tone[i] = Math.max(0, big.data[i * 4 + 3] - tints[3][i]);
      map = screenMask(tone, aw, ah, {
        cellPx,
        angleDeg: p.angles[3],
        shape: p.dot,
        minDot: p.minDot,
        maxDot: p.maxDot,
      });
      for (let i = 0; i < map.length; i++) map[i] = map[i] ? 1 : 0;
    } else {
      const cover = new Uint8Array(aw * ah);
      for (let i = 0; i < cover.length; i++) cover[i] = big.data[i * 4 + 3] >= 128 ? 1 : 0;
      map = offsetMap(cover, aw, ah, -(o.chokePt / 72) * layout.dpi);
    }
    films.push({
      kind: 'underbase',
      name: 'Underbase White',
      spot: { name: 'Underbase White', cmyk: [0, 0, 0, 0] },
      hex: '#ffffff',
      map,
      outlines: null,
    });
  }
  for (const c of PRESS_ORDER) {
    if (shirt && c === 3) continue; // the shirt prints the black
    const ink = PROCESS_INKS[c];
    const screened = screenMask(tints[c], aw, ah, {
      cellPx,
      angleDeg: p.angles[c],
      shape: p.dot,
      minDot: p.minDot,
      maxDot: p.maxDot,
    });
    const map = new Uint8Array(aw * ah);
    for (let i = 0; i < map.length; i++) map[i] = screened[i] ? 1 : 0;
    films.push({
      kind: 'process',
      name: ink.name,
      spot: { name: ink.name, cmyk: ink.cmyk },
      hex: ink.hex,
      map,
      outlines: null,
    });
  }
  return {
    mode: 'process',
    reason: `${o.mode === 'process' ? 'process mode was asked for' : 'the art is not flat colour'}${shirt ? '; black is the shirt (no black film, a halftoned underbase)' : ''}`,
    inks: [],
    skipped: [],
    films,
    underbase,
    colorMap: null,
    warnings: [],
  };
}

/**
 * The films as PDF pages (src/io/separation-pdf.ts writes them): each page
 * paints its film's art box as an image mask in the film's /Separation, and
 * the marks and label (a board-size mask, filled here page by page) in the
 * registration colour /All.
 */
export function processPdf(plan: SeparationPlan, layout: BoardLayout, labels: string[]): Buffer {
  function* pages(): Generator<MaskPage> {
    for (const [k, film] of plan.films.entries()) {
      const marks = new Uint8Array(layout.width * layout.height);
      for (const m of markShapes(layout, labels[k])) {
        fillSubpaths(marks, layout.width, layout.height, m.subpaths, 1, { scale: 1, offsetX: 0, offsetY: 0 });
      }
      yield { marks, art: film.map, spot: film.spot };
    }
  }
  return maskPagesPdf(pages(), layout, REGISTRATION);
}

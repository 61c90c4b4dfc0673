/**
 * Screen-print separation: the art becomes an ordered list of films.
 *
 * Spot mode: the art's flat colours become inks (inks.ts); the colour map
 * (the colour tracer's labelling) is traced as a planar map, so the inks'
 * outlines share their boundaries, and each ink's film is its outline filled
 * at film resolution — every art pixel on exactly one film. Process mode:
 * CMYK with grey-component replacement, each channel an AM halftone screen
 * (process.ts).
 *
 * Dark garments get a white underbase under every printed ink (except inks
 * the colour of the garment), choked so that it hides under the inks'
 * edges. `spread` traps: each lighter ink grows under the darker inks it
 * touches. `highlight` moves white inks to the end, printed over the rest.
 * Print order: underbase, then inks light to dark, then highlight white.
 */
import { deltaE76, type Lab, parseColor, type Rgb, rgbToLab, toHex } from '../color/color.js';
import {
  applyInkNames,
  chooseInks,
  type Ink,
  isWhiteInk,
  makeInks,
  type SeparationMode,
} from '../color/inks.js';
import { extractPalette } from '../color/palette.js';
import type { RgbaImage } from '../io/image.js';
import { offsetMap } from '../raster/morphology.js';
import { createBitmap } from '../trace/bitmap.js';
import { colorLabels, planarOutlines, specklePixels, TRANSPARENT_LABEL } from '../trace/color/index.js';
import { traceBitmap } from '../trace/mono.js';
import { scaleSubpaths } from '../vector/geometry.js';
import type { SpotColor, Subpath } from '../vector/path.js';
import type { BoardLayout } from './film.js';
import { inkCoverage, resolveStyle } from './keyline.js';
import { fillSubpaths } from './rasterize.js';
import type { PredictedError } from './simulate.js';

export interface SeparateOptions {
  mode: 'auto' | SeparationMode;
  maxInks: number;
  /** Exactly this many spot inks (0 = as many as the art has). */
  inks: number;
  inkNames: string;
  /** Garment (substrate) colour as hex, or 'none' (white paper or a light garment). */
  garment: string;
  underbase: 'auto' | 'on' | 'off';
  /** Underbase choke and ink spread, in points. */
  chokePt: number;
  spreadPt: number;
  highlight: boolean;
}

export type FilmKind = 'underbase' | 'ink' | 'highlight' | 'process';

/** One film: what it prints and its art-box map (1 = ink), the art box being layout.art. */
export interface Film {
  kind: FilmKind;
  /** Ink name as printed on the film and in the PDF's /Separation. */
  name: string;
  spot: SpotColor;
  /** On-screen colour of the ink. */
  hex: string;
  ink?: Ink;
  /** art-box width × height, 1 where the film carries ink */
  map: Uint8Array;
  /** The film's art as vector outlines in art-box pixels (spot mode; null for halftoned films). */
  outlines: Subpath[] | null;
}

export interface SeparationPlan {
  mode: SeparationMode;
  reason: string;
  inks: Ink[];
  /** Inks left unprinted because they match the garment. */
  skipped: { ink: Ink; reason: string }[];
  films: Film[];
  underbase: boolean;
  /** The art's colour map (art pixels): ink index per pixel or TRANSPARENT_LABEL; spot mode only. */
  colorMap: Uint8Array | null;
  warnings: string[];
  /** The print simulated from the films (sim-process: one pixel per halftone cell). */
  preview?: RgbaImage;
  /** The simulated print against the art (sim-process). */
  predicted?: PredictedError;
}

/** The garment as colour and CIELAB, and whether it is dark (then white is an ink and inks need an underbase). */
export function garmentOf(o: Pick<SeparateOptions, 'garment'>): { garment: Rgb; lab: Lab; dark: boolean } {
  const garment = parseColor(o.garment === 'none' ? '#ffffff' : o.garment, 'garment');
  const lab = rgbToLab(garment.r, garment.g, garment.b);
  return { garment, lab, dark: lab.L < 60 };
}

const WHITE_INK: SpotColor['cmyk'] = [0, 0, 0, 0];

/** Whether an ink reads as white (printed with white ink over an underbase). */
function isWhite(ink: Ink): boolean {
  return isWhiteInk(ink.lab);
}

/** Outlines of a film map, traced with the potrace method (art-box pixels). */
export function traceMap(map: Uint8Array, width: number, height: number): Subpath[] {
  const bm = createBitmap(width, height);
  bm.bits.set(map);
  return traceBitmap(bm, { turdSize: 2 });
}

/** The keyline, in points at the print size, between touching colours printed as one ink. */
const ONE_INK_KEYLINE_PT = 0.5;

/**
 * One ink for a multi-colour logo (`--inks 1`): the film keeps the design as the one-colour
 * versions do (print/keyline.ts) — light colours left unprinted, a keyline between touching
 * colours — instead of printing the silhouette. Flat art of two to six colours only.
 */
function oneInkKeyline(art: RgbaImage, colorMap: Uint8Array, layout: BoardLayout): void {
  const palette = extractPalette(art);
  if (resolveStyle('auto', art, palette) !== 'keyline') return;
  const pxPerPt = art.width / (layout.printWidthIn * 72);
  const cover = inkCoverage(art, palette, 'keyline', { gapPx: ONE_INK_KEYLINE_PT * pxPerPt });
  for (let i = 0; i < colorMap.length; i++) if (cover[i] < 128) colorMap[i] = TRANSPARENT_LABEL;
}

/** Plans spot-colour films for the art on `layout` (the caller has chosen spot mode or auto). */
export function separateSpot(
  art: RgbaImage,
  layout: BoardLayout,
  o: SeparateOptions,
  knockout: Uint8Array | null,
): SeparationPlan | null {
  const choice = chooseInks(art, { mode: o.mode, maxInks: o.maxInks, inks: o.inks });
  if (choice.mode === 'process') return null;
  const warnings: string[] = [];
  const inks = applyInkNames(makeInks(choice.palette), o.inkNames);
  const { width, height } = art;
  const colorMap = colorLabels(art, choice.palette, specklePixels(width, height, 2));
  if (o.inks === 1) oneInkKeyline(art, colorMap, layout);
  if (knockout) for (let i = 0; i < colorMap.length; i++) if (knockout[i]) colorMap[i] = TRANSPARENT_LABEL;
  const garment = o.garment === 'none' ? null : parseColor(o.garment, 'garment');
  const garmentLab = garment ? rgbToLab(garment.r, garment.g, garment.b) : null;
  const underbase =
    o.underbase === 'on' || (o.underbase === 'auto' && garmentLab !== null && garmentLab.L < 60);

  const skipped: SeparationPlan['skipped'] = [];
  const printed: number[] = [];
  // an ink the colour of what it is printed on is left to the substrate: black on a black
  // shirt, or white on white paper / a white shirt (garment 'none')
  const substrate = garment ?? { r: 255, g: 255, b: 255 };
  const substrateLab = rgbToLab(substrate.r, substrate.g, substrate.b);
  inks.forEach((ink, k) => {
    if (deltaE76(substrateLab, ink.lab) < 10) {
      skipped.push({
        ink,
        reason: garment ? `matches the garment colour ${toHex(garment)}` : 'white on a white substrate',
      });
    } else printed.push(k);
  });
  const outlines = planarOutlines(
    colorMap,
    width,
    height,
    inks.map((_, k) => k),
    { turdSize: 2 },
  );
  const aw = layout.art.width;
  const ah = layout.art.height;
  const at = { scale: layout.scale, offsetX: 0, offsetY: 0 };
  const inkMap = (k: number): Uint8Array => {
    const m = new Uint8Array(aw * ah);
    fillSubpaths(m, aw, ah, outlines[k], 1, at);
    return m;
  };
  const scaled = (sps: Subpath[]): Subpath[] => scaleSubpaths(sps, layout.scale);

  // light to dark; highlight whites last
  const order = [...printed].sort((a, b) => inks[b].lab.L - inks[a].lab.L || a - b);
  const highlights = underbase && o.highlight ? order.filter((k) => isWhite(inks[k])) : [];
  const regular = order.filter((k) => !highlights.includes(k));
  const maps = new Map<number, Uint8Array>();
  for (const k of printed) maps.set(k, inkMap(k));

  const films: Film[] = [];
  if (underbase) {
    // white under every printed ink except black-on-black (skipped above), choked under the edges
    const union = new Uint8Array(aw * ah);
    for (const k of printed) {
      const m = maps.get(k) as Uint8Array;
      for (let i = 0; i < m.length; i++) if (m[i]) union[i] = 1;
    }
    const chokePx = (o.chokePt / 72) * layout.dpi;
    const map = offsetMap(union, aw, ah, -chokePx);
    films.push({
      kind: 'underbase',
      name: 'Underbase White',
      spot: { name: 'Underbase White', cmyk: WHITE_INK },
      hex: '#ffffff',
      map,
      outlines: traceMap(map, aw, ah),
    });
  }
  const spreadPx = (o.spreadPt / 72) * layout.dpi;
  for (const k of regular) {
    const ink = inks[k];
    let map = maps.get(k) as Uint8Array;
    let vector: Subpath[] = scaled(outlines[k]);
    if (spreadPx > 0) {
      // trap: a lighter ink grows under the darker inks it touches (never onto bare garment)
      const darker = new Uint8Array(aw * ah);
      for (const j of printed) {
        if (inks[j].lab.L >= ink.lab.L || j === k) continue;
        const m = maps.get(j) as Uint8Array;
        for (let i = 0; i < m.length; i++) if (m[i]) darker[i] = 1;
      }
      const grown = offsetMap(map, aw, ah, spreadPx);
      const trapped = new Uint8Array(aw * ah);
      let added = 0;
      for (let i = 0; i < trapped.length; i++) {
        trapped[i] = map[i] || (grown[i] && darker[i]) ? 1 : 0;
        if (trapped[i] && !map[i]) added++;
      }
      if (added > 0) {
        map = trapped;
        vector = traceMap(map, aw, ah);
      }
    }
    films.push({
      kind: 'ink',
      name: ink.name,
      spot: { name: ink.name, cmyk: ink.cmyk },
      hex: ink.hex,
      ink,
      map,
      outlines: vector,
    });
  }
  for (const k of highlights) {
    const ink = inks[k];
    films.push({
      kind: 'highlight',
      name: ink.name,
      spot: { name: ink.name, cmyk: ink.cmyk },
      hex: ink.hex,
      ink,
      map: maps.get(k) as Uint8Array,
      outlines: scaled(outlines[k]),
    });
  }
  if (films.length === 0)
    warnings.push('Nothing to print: the art has no ink that differs from the garment.');
  return { mode: 'spot', reason: choice.reason, inks, skipped, films, underbase, colorMap, warnings };
}

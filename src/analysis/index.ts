/**
 * Long file: the analysis's passes feed one result; holes, background model and masks are already
 * files of their own.
 *
 * The art analysis: one reading of a logo, made once per job and shared by
 * every variation (through the cutout, src/engine/logo-context.ts). It decides
 * what is background and what is art, and says so:
 *
 *   background model (background-model.ts: flat, gradient, texture, frame)
 *   → box or background? (full-bleed.ts)
 *   → the background region, flooded from the border against the model
 *   → enclosed regions: counter or art? (holes.ts)
 *   → specks dropped, edges un-mixed against the model (raster/background.ts)
 *   → the cutout's inks with their roles, thin strokes, gradients, warnings.
 *
 * Every decision is in the returned `ArtAnalysis` (a plain JSON object: the
 * manifest's and the API's `analysis` block) with its reason and confidence,
 * and `--background` / `--holes` overturn them for every variation at once.
 * docs/ART_ANALYSIS.md explains the rules.
 */
import { deltaE76, deltaEMap, type Lab, parseColor, type Rgb, rgbToLab, toHex } from '../color/color.js';
import { extractPalette } from '../color/palette.js';
import { LogomillError } from '../errors.js';
import type { RgbaImage } from '../io/image.js';
import {
  deltaEToField,
  dropSpeckles,
  floodBackground,
  nearBackground,
  unmixEdges,
} from '../raster/background.js';
import { intersectRuns, RowRuns, shrinkRuns, unionRuns } from '../raster/mask.js';
import { type Warning, warn } from '../warnings.js';
import {
  type BackgroundKind,
  type BackgroundModel,
  backgroundField,
  detectFrame,
  flatModel,
  modelBackground,
  refitSurface,
} from './background-model.js';
import { decideBleed } from './full-bleed.js';
import { decideHoles, type HoleDecision, type HoleMode } from './holes.js';

export type { BackgroundKind, BackgroundModel } from './background-model.js';
export { HOLE_MODES, type HoleDecision, type HoleMode } from './holes.js';

/** `auto`, `keep` (nothing is background), `remove` (the border colour is, whatever it is) or a colour. */
export type BackgroundChoice = string;

export interface AnalysisSettings {
  /** ΔE76 within which a pixel counts as background (default 10). */
  tolerance: number;
  holes: HoleMode;
  background: BackgroundChoice;
  /** Only the cutout is wanted (a trace): skip the inks, thin strokes and gradients report. */
  cutoutOnly?: boolean;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  tolerance: 10,
  holes: 'auto',
  background: 'auto',
};

export type ColorRole = 'ink' | 'highlight' | 'background';

export interface ArtAnalysis {
  width: number;
  height: number;
  background: {
    kind: BackgroundKind;
    /** The background's (mean) colour, when there is one. */
    color: string | null;
    /** removed; kept (art fills the canvas, or asked); none (nothing to remove: transparent input). */
    decision: 'removed' | 'kept' | 'none';
    /** The canvas-filling box, badge or icon was recognised as art. */
    boxKept: boolean;
    confidence: number;
    reason: string;
    /** What `--background` said. */
    requested: BackgroundChoice;
    /** 95th-percentile ΔE76 of the background around its model. */
    noise: number;
    frame: { width: number; color: string } | null;
    gradient: { type: 'linear' | 'radial'; from: string; to: string; angle: number } | null;
  };
  holes: { mode: HoleMode; cleared: number; kept: number; regions: HoleDecision[] };
  /** Small islands of background noise removed. */
  specksRemoved: number;
  /** The art's colours (most used first) and the background's, with their roles. */
  colors: { hex: string; share: number; role: ColorRole }[];
  /** Share of the art's solid pixels no flat colour explains (gradients, shading, photos). */
  unexplainedShare: number;
  /** Share of the art's pixels in strokes 1–2 px wide. */
  thinShare: number;
  warnings: Warning[];
}

/** White or nearly (L* ≥ 92, chroma ≤ 8): a highlight among inks, or ink that vanishes on white. */
function nearWhite(c: Rgb): boolean {
  const lab = rgbToLab(c.r, c.g, c.b);
  return lab.L >= 92 && Math.hypot(lab.a, lab.b) <= 8;
}

/**
 * Whether the art is (nearly) all white or near-white ink: it vanishes on white paper, a white
 * page or a light browser tab, so what shows it needs a dark plate behind it.
 */
export function isLightArt(analysis: Pick<ArtAnalysis, 'colors'>): boolean {
  let ink = 0;
  let light = 0;
  for (const c of analysis.colors) {
    if (c.role === 'background') continue;
    ink += c.share;
    if (nearWhite(parseColor(c.hex, 'colour'))) light += c.share;
  }
  return ink > 0 && light >= 0.9 * ink;
}

export interface AnalysedArt {
  analysis: ArtAnalysis;
  /** The logo with its background removed (the input itself when nothing was removed). */
  cutout: RgbaImage;
  /** The background colour that was removed (null when none was). */
  removedColor: Rgb | null;
  removed: boolean;
}

/** Confidence under which a decision is reported as a guess. */
const UNSURE = 0.75;
/** Long side in pixels under which an input is low-resolution for print. */
const LOW_RESOLUTION = 500;

/**
 * The background decision in a few words, for people: "background removed:
 * flat #f1f0ec", "kept the box (#d62828)", "transparent input".
 */
export function describeBackground(a: ArtAnalysis): string {
  const b = a.background;
  const holes = a.holes.cleared ? `, ${a.holes.cleared} hole${a.holes.cleared > 1 ? 's' : ''} cleared` : '';
  const frame = b.frame ? ` and a ${b.frame.width} px frame` : '';
  if (b.decision === 'none') return 'transparent input';
  if (b.decision === 'removed') {
    const what =
      b.kind === 'gradient' && b.gradient
        ? `${b.gradient.type} gradient ${b.gradient.from}→${b.gradient.to}`
        : `${b.kind} ${b.color}`;
    return `background removed: ${what}${frame}${b.boxKept ? ', the box kept' : ''}${holes}`;
  }
  if (b.requested === 'keep') return 'background kept (asked)';
  return b.color ? `kept the box (${b.color}) as art` : 'kept: the art fills the canvas';
}

/** Checks a `--background` value: auto, keep, remove or a colour. */
export function parseBackgroundChoice(value: string, optionName = 'background'): BackgroundChoice {
  const v = value.trim().toLowerCase();
  if (v === 'auto' || v === 'keep' || v === 'remove') return v;
  const c = parseColor(v, optionName);
  if (c.a === 0) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected ${optionName} to be auto, keep, remove or a colour but received "${value}"`,
    );
  }
  return toHex(c);
}

/**
 * Analyses a logo and removes its background.
 *
 * @example
 *   const { analysis, cutout } = analyzeArt(image, { tolerance: 10, holes: 'auto', background: 'auto' });
 *   console.log(analysis.background.kind, analysis.warnings.map((w) => w.code));
 */
export function analyzeArt(
  image: RgbaImage,
  settings: AnalysisSettings = DEFAULT_ANALYSIS_SETTINGS,
): AnalysedArt {
  const { width, height, data } = image;
  const n = width * height;
  const choice = parseBackgroundChoice(settings.background);
  const warnings: Warning[] = [];
  let model: BackgroundModel = choice.startsWith('#')
    ? flatModel(parseColor(choice), detectFrame(image))
    : modelBackground(image);
  if (choice === 'remove' && (model.kind === 'none' || model.kind === 'transparent') && opaqueBorder(image)) {
    // asked to remove whatever fills the border: take its most common colour as flat
    model = flatModel(borderMode(image), model.frame);
  }
  const report = (over: Partial<ArtAnalysis['background']>): ArtAnalysis['background'] => ({
    kind: model.kind,
    color: model.color ? toHex(model.color) : null,
    decision: 'kept',
    boxKept: false,
    confidence: 1,
    reason: '',
    requested: choice,
    noise: Math.round(model.noise * 10) / 10,
    frame: model.frame ? { width: model.frame.width, color: toHex(model.frame.color) } : null,
    gradient: model.gradient
      ? { ...model.gradient, from: toHex(model.gradient.from), to: toHex(model.gradient.to) }
      : null,
    ...over,
  });
  const keep = (background: ArtAnalysis['background']): AnalysedArt =>
    finish(
      image,
      image,
      null,
      false,
      background,
      { mode: settings.holes, cleared: 0, kept: 0, regions: [] },
      0,
      warnings,
      !settings.cutoutOnly,
    );

  if (choice === 'keep') return keep(report({ reason: 'asked: --background keep' }));
  if (model.kind === 'transparent') {
    return keep(report({ decision: 'none', reason: 'the input is transparent around the art' }));
  }
  if (model.kind === 'none' || !model.color) {
    return keep(
      report({
        reason: 'no consistent colour around the border: the art fills the canvas',
        boxKept: true,
        confidence: 0.7,
      }),
    );
  }
  // a textured background's grain must not count as art: widen the tolerance to its noise
  const toleranceFor = (m: BackgroundModel) =>
    m.kind === 'texture' ? Math.max(settings.tolerance, 1.5 * m.noise + 3) : settings.tolerance;
  let field = backgroundField(model, width, height) as Uint8Array;
  // ΔE to the background, and which pixels are near it (or transparent), in one pass
  const near = new Uint8Array(n);
  let dE = distanceToBackground(data, field, model, near, toleranceFor(model));
  let confidence = 1;
  let boxKept = false;
  let reason = choice.startsWith('#') ? `asked: --background ${choice}` : 'asked: --background remove';
  if (choice === 'auto') {
    const bleed = decideBleed(image, model, dE, settings.tolerance);
    confidence = bleed.confidence;
    boxKept = bleed.boxKept;
    reason = bleed.reason;
    if (!bleed.remove) {
      model = bleed.model;
      const kept = report({ boxKept, confidence, reason });
      if (confidence < UNSURE) {
        warnings.push(
          warn(
            'W_BACKGROUND_UNCERTAIN',
            `Kept ${kept.color ?? 'the canvas'} as part of the art (${reason}); use --background remove to take it away.`,
          ),
        );
      }
      return keep(kept);
    }
    if (bleed.model !== model) {
      model = bleed.model;
      field = backgroundField(model, width, height) as Uint8Array;
      dE = distanceToBackground(data, field, model, near, toleranceFor(model));
    }
  }
  const bgColor = model.color as Rgb;
  const tolerance = toleranceFor(model);
  const frameWidth = model.frame?.width ?? 0;
  if (frameWidth) markFrame(near, dE, width, height, frameWidth);
  const queue = new Int32Array(n);
  let isBg = floodBackground(near, width, height, queue);
  if (model.coeffs) {
    // A surface fitted to the border can miss the middle (a radial glow peaks there):
    // refit it to every background pixel found, then flood again.
    const refit = refitSurface(image, isBg);
    if (refit) {
      model = { ...model, coeffs: refit };
      field = backgroundField(model, width, height) as Uint8Array;
      dE = distanceToBackground(data, field, model, near, tolerance);
      if (frameWidth) markFrame(near, dE, width, height, frameWidth);
      isBg = floodBackground(near, width, height, queue);
    }
  }
  const regions = decideHoles(
    image,
    field,
    dE,
    near,
    isBg,
    settings.holes,
    model.noise,
    queue,
    tolerance,
    boxKept,
  );
  // Below this ΔE76 a pixel is too faint to be ink on its own: twice the tolerance, three times
  // the background's noise, and, for high-contrast art, 30 % of the art's own contrast (yellow on
  // black leaves JPEG blocks 20–25 ΔE off the black that are not art)
  const noiseCeiling = Math.max(
    2 * tolerance,
    3 * model.noise,
    Math.min(40, 0.3 * artContrast(dE, isBg, tolerance)),
  );
  const { fg, specks } = dropSpeckles(isBg, dE, width, height, noiseCeiling, tolerance, queue);
  if (!fg.some((v) => v === 1)) {
    throw new LogomillError(
      'E_NO_ART',
      `The image is all background (${toHex(bgColor)}): there is no art to work on. Use --background keep to use it as it is.`,
    );
  }
  const cutout = unmixEdges(image, field, dE, isBg, fg, model.noise, queue, tolerance, noiseCeiling);
  const background = report({
    decision: 'removed',
    boxKept,
    confidence,
    reason,
    color: toHex(bgColor),
    kind: model.kind,
  });
  if (confidence < UNSURE) {
    warnings.push(
      warn(
        'W_BACKGROUND_UNCERTAIN',
        `Removed ${background.color} as the background (${reason}); use --background keep if it is part of the art.`,
      ),
    );
  }
  if (model.share < 0.6) {
    warnings.push(
      warn(
        'W_BACKGROUND_INCOMPLETE',
        `Only ${Math.round(model.share * 100)} % of the border matches the background; some of it may remain.`,
      ),
    );
  }
  const cleared = regions.filter((r) => r.decision === 'cleared').length;
  const holes = {
    mode: settings.holes,
    cleared,
    kept: regions.length - cleared,
    regions: regions.slice(0, 24),
  };
  const unsureHoles = regions.filter((r) => r.confidence < 0.6 && r.area >= n * 2e-4);
  if (unsureHoles.length) {
    warnings.push(
      warn(
        'W_HOLES_UNCERTAIN',
        `${unsureHoles.length} enclosed area${unsureHoles.length > 1 ? 's' : ''} of the background colour could be a counter or part of the art; use --holes all or --holes none to decide them all.`,
      ),
    );
  }
  return finish(image, cutout, bgColor, true, background, holes, specks, warnings, !settings.cutoutOnly);
}

/** Every pixel's ΔE76 to the background: to its one colour when flat (cheaper), else to the surface. */
function distanceToBackground(
  data: Uint8Array,
  field: Uint8Array,
  model: BackgroundModel,
  near: Uint8Array,
  tolerance: number,
): Float32Array {
  if (model.coeffs || !model.color) {
    const dE = deltaEToField(data, field);
    near.set(nearBackground(data, dE, tolerance));
    return dE;
  }
  return deltaEToColour(data, model.color, near, tolerance);
}

/**
 * color.ts's deltaEMap (the same values: ΔE76 to one colour, as float32) and
 * raster/background.ts's nearBackground (into `near`), for logos: a pixel the
 * same as the one before it (most of a flat background, most of a flat ink)
 * takes its values without a lookup.
 */
function deltaEToColour(data: Uint8Array, ref: Rgb, near: Uint8Array, tolerance: number): Float32Array {
  const n = data.length >> 2;
  if (data.byteOffset & 3) {
    const dE = deltaEMap(data, ref);
    near.set(nearBackground(data, dE, tolerance));
    return dE;
  }
  const out = new Float32Array(n);
  const words = new Uint32Array(data.buffer, data.byteOffset, n);
  const refLab = rgbToLab(ref.r, ref.g, ref.b);
  const lab: Lab = { L: 0, a: 0, b: 0 };
  const cacheKey = new Int32Array(1 << 15).fill(-1);
  const cacheVal = new Float32Array(1 << 15);
  let prevWord = words.length ? ~words[0] : 0;
  let prevVal = 0;
  let prevNear = 0;
  for (let i = 0; i < n; i++) {
    const w = words[i];
    if (w === prevWord) {
      out[i] = prevVal;
      near[i] = prevNear;
      continue;
    }
    const p = i * 4;
    const r = data[p];
    const g = data[p + 1];
    const b = data[p + 2];
    const key = (r << 16) | (g << 8) | b;
    const slot = (key ^ (key >>> 15)) & 0x7fff;
    if (cacheKey[slot] !== key) {
      cacheKey[slot] = key;
      cacheVal[slot] = deltaE76(rgbToLab(r, g, b, lab), refLab);
    }
    out[i] = cacheVal[slot];
    near[i] = out[i] <= tolerance || data[p + 3] === 0 ? 1 : 0;
    prevWord = w;
    prevVal = out[i];
    prevNear = near[i];
  }
  return out;
}

/** The 95th percentile of ΔE76 to the background over the art's pixels (sampled): its contrast. */
function artContrast(dE: Float32Array, isBg: Uint8Array, tolerance: number): number {
  const hist = new Uint32Array(256);
  let total = 0;
  const step = Math.max(1, Math.floor(dE.length / 250_000));
  for (let i = 0; i < dE.length; i += step) {
    if (isBg[i] || dE[i] <= tolerance) continue;
    hist[Math.min(255, Math.round(dE[i]))]++;
    total++;
  }
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v];
    if (seen >= 0.95 * total) return v;
  }
  return 0;
}

/** The frame's pixels count as background, whatever their colour. */
function markFrame(near: Uint8Array, dE: Float32Array, width: number, height: number, w: number): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < w || y < w || x >= width - w || y >= height - w) {
        near[y * width + x] = 1;
        dE[y * width + x] = 0;
      }
    }
  }
}

function opaqueBorder(image: RgbaImage): boolean {
  const { width, height, data } = image;
  let opaque = 0;
  let total = 0;
  for (let x = 0; x < width; x++) {
    for (const y of [0, height - 1]) {
      total++;
      if (data[(y * width + x) * 4 + 3] >= 128) opaque++;
    }
  }
  return opaque > total / 2;
}

function borderMode(image: RgbaImage): Rgb {
  const { width, height, data } = image;
  const counts = new Map<number, number>();
  const add = (i: number) => {
    if (data[i * 4 + 3] < 128) return;
    const key = (data[i * 4] << 16) | (data[i * 4 + 1] << 8) | data[i * 4 + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (let x = 0; x < width; x++) {
    add(x);
    add((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    add(y * width);
    add(y * width + width - 1);
  }
  let best = 0;
  let bestN = -1;
  for (const [k, c] of counts) if (c > bestN) [best, bestN] = [k, c];
  return { r: best >> 16, g: (best >> 8) & 255, b: best & 255 };
}

/** Inks and their roles, thin strokes, gradients, resolution: the rest of the analysis. */
function finish(
  image: RgbaImage,
  cutout: RgbaImage,
  removedColor: Rgb | null,
  removed: boolean,
  background: ArtAnalysis['background'],
  holes: ArtAnalysis['holes'],
  specksRemoved: number,
  warnings: Warning[],
  detail: boolean,
): AnalysedArt {
  const { width, height } = image;
  const palette = detail ? extractPalette(cutout) : [];
  const inks = detail ? inkShares(cutout, palette) : { shares: [], unexplained: 0, backgroundShare: 0 };
  const colors: ArtAnalysis['colors'] = inks.shares.map((share, k) => {
    const c = palette[k];
    const light = nearWhite(c);
    return { hex: toHex(c), share: round3(share), role: light && palette.length > 1 ? 'highlight' : 'ink' };
  });
  if (removedColor)
    colors.push({ hex: toHex(removedColor), share: round3(inks.backgroundShare), role: 'background' });
  if (Math.max(width, height) < LOW_RESOLUTION) {
    warnings.push(
      warn(
        'W_LOW_RESOLUTION',
        `The input is only ${width}×${height} px: fine for the web, but print, traces and cut lines rest on guesses at this size; ask for a larger file or a vector original.`,
      ),
    );
  }
  const thinShare = detail ? thinStrokeShare(cutout) : 0;
  if (thinShare >= 0.02) {
    warnings.push(
      warn(
        'W_THIN_DETAIL',
        `${Math.round(thinShare * 100)} % of the art is in strokes only 1–2 px wide; traces, films and cut lines may break or lose them.`,
      ),
    );
  }
  if (inks.unexplained >= 0.15) {
    warnings.push(
      warn(
        'W_GRADIENT_ART',
        `${Math.round(inks.unexplained * 100)} % of the art is gradients or shading, which flat-colour traces and spot separations turn into bands of colour.`,
      ),
    );
  }
  return {
    analysis: {
      width,
      height,
      background: { ...background, confidence: round3(background.confidence) },
      holes,
      specksRemoved,
      colors,
      unexplainedShare: round3(inks.unexplained),
      thinShare: round3(thinShare),
      warnings,
    },
    cutout,
    removedColor,
    removed,
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Each palette colour's share of the art's solid pixels, the share of the canvas
 * that is background, and the share of solid pixels farther than ΔE 12 from every
 * palette colour (sampled on a grid: statistics, not a census).
 */
function inkShares(
  cutout: RgbaImage,
  palette: Rgb[],
): { shares: number[]; unexplained: number; backgroundShare: number } {
  const { width, height, data } = cutout;
  const labs = palette.map((c) => rgbToLab(c.r, c.g, c.b));
  const counts = new Array<number>(palette.length).fill(0);
  const step = Math.max(1, Math.round(Math.sqrt((width * height) / 200_000)));
  let solid = 0;
  let unexplained = 0;
  let clear = 0;
  let all = 0;
  const lab: Lab = { L: 0, a: 0, b: 0 };
  // each colour's nearest palette entry (and whether it is farther than ΔE 12), by colour:
  // logos repeat a few colours over and over
  const seenKey = new Int32Array(INK_CACHE).fill(-1);
  const seenBest = new Int32Array(INK_CACHE);
  const seenFar = new Uint8Array(INK_CACHE);
  for (let y = 1; y < height - 1; y += step) {
    for (let x = 1; x < width - 1; x += step) {
      const p = (y * width + x) * 4;
      all++;
      if (data[p + 3] === 0) {
        clear++;
        continue;
      }
      // solid: this pixel and its four neighbours opaque (edges are blends by nature)
      if (
        data[p + 3] < 255 ||
        data[p - 1] < 255 ||
        data[p + 7] < 255 ||
        data[p - width * 4 + 3] < 255 ||
        data[p + width * 4 + 3] < 255
      )
        continue;
      solid++;
      if (!labs.length) continue;
      const key = (data[p] << 16) | (data[p + 1] << 8) | data[p + 2];
      const slot = (key ^ (key >>> 12)) & (INK_CACHE - 1);
      if (seenKey[slot] !== key) {
        rgbToLab(data[p], data[p + 1], data[p + 2], lab);
        let best = 0;
        let bestD = Number.POSITIVE_INFINITY;
        for (let k = 0; k < labs.length; k++) {
          const d = deltaE76(lab, labs[k]);
          if (d < bestD) {
            best = k;
            bestD = d;
          }
        }
        seenKey[slot] = key;
        seenBest[slot] = best;
        seenFar[slot] = bestD > 12 ? 1 : 0;
      }
      counts[seenBest[slot]]++;
      unexplained += seenFar[slot];
    }
  }
  return {
    shares: counts.map((c) => (solid ? c / solid : 0)),
    unexplained: solid ? unexplained / solid : 0,
    backgroundShare: all ? clear / all : 0,
  };
}

/** Slots of inkShares's colour cache (a power of two). */
const INK_CACHE = 1 << 12;

/**
 * Share of the art's pixels lying in strokes 1–2 px wide: pixels on the art's
 * edge (chessboard distance 1 from the outside) none of whose neighbours lies
 * deeper inside. In run terms: the art (alpha ≥ 128) minus its 3×3 erosion
 * grown back by one pixel (the canvas beyond the edge counts as art), over the
 * pixels one in from the canvas edge.
 */
function thinStrokeShare(cutout: RgbaImage): number {
  const { width, height, data } = cutout;
  const inside = new RowRuns(height);
  let ink = 0;
  for (let y = 0; y < height; y++) {
    const r: number[] = [];
    let p = y * width * 4 + 3;
    let x = 0;
    while (x < width) {
      if (data[p] < 128) {
        x++;
        p += 4;
        continue;
      }
      const s = x;
      while (x < width && data[p] >= 128) {
        x++;
        p += 4;
      }
      r.push(s, x);
      ink += x - s;
    }
    inside.setRow(y, r);
  }
  if (!ink) return 0;
  const shrunk = shrinkRuns(inside, width, height);
  const deep: number[][] = [];
  for (let y = 0; y < height; y++) {
    let cur = shrunk.row(y);
    if (y > 0) cur = intersectRuns(cur, shrunk.row(y - 1));
    if (y < height - 1) cur = intersectRuns(cur, shrunk.row(y + 1));
    deep.push(cur);
  }
  const inner = [1, width - 1];
  let thin = 0;
  for (let y = 1; y < height - 1; y++) {
    const near = unionRuns(unionRuns(deep[y - 1], deep[y]), deep[y + 1]);
    const grown: number[] = [];
    for (let k = 0; k < near.length; k += 2) {
      const s = Math.max(0, near[k] - 1);
      const e = Math.min(width, near[k + 1] + 1);
      if (grown.length && s <= grown[grown.length - 1])
        grown[grown.length - 1] = Math.max(grown[grown.length - 1], e);
      else grown.push(s, e);
    }
    const edge = intersectRuns(inside.row(y), inner);
    thin += runLength(edge) - runLength(intersectRuns(edge, grown));
  }
  return thin / ink;
}

function runLength(r: number[]): number {
  let sum = 0;
  for (let k = 0; k < r.length; k += 2) sum += r[k + 1] - r[k];
  return sum;
}

/**
 * `separations` — screen-print films from the logo (src/print/): spot inks
 * for flat art, CMYK halftones for gradients and photos, a choked white
 * underbase for dark garments, registration marks and labels on every film.
 *
 * Files: per film a 1-bit PNG and TIFF at the film DPI (and, in spot mode, an
 * SVG and an EPS); one PDF with a page per film whose art is painted in a
 * /Separation colour space named after the ink; a composite preview; and
 * separations.json (inks, print order, coverage and area per film).
 */
import { Type } from '@sinclair/typebox';
import { parseColor, type Rgb } from '../color/color.js';
import { LogomillError } from '../errors.js';
import { encodePng } from '../io/encode.js';
import { encodeFilm } from '../io/film.js';
import type { RgbaImage } from '../io/image.js';
import { type Length, MM_PER, parseLength } from '../length.js';
import { Opt } from '../options.js';
import { thickenLines, thinPlaces } from '../preflight/measure.js';
import { MESH, nearestMesh } from '../preflight/processes.js';
import { distressKnockout } from '../print/distress/index.js';
import { artAtFilmResolution, type BoardLayout, filmBoard, layoutBoard, markShapes } from '../print/film.js';
import { separateIndex } from '../print/index-separation.js';
import { processPdf, separateProcess } from '../print/process.js';
import { type Film, type SeparationPlan, separateSpot, traceMap } from '../print/separate.js';
import { separateSimProcess } from '../print/sim-process.js';
import { predictedError, simulatedPreview } from '../print/simulate.js';
import { applyTints, type Tint } from '../print/tints.js';
import { toEps } from '../vector/eps.js';
import { translate } from '../vector/geometry.js';
import type { Shape, VectorImage } from '../vector/path.js';
import { toPdfPages } from '../vector/pdf.js';
import { svgPrintSize, toSvg } from '../vector/svg.js';
import { DARK_PLATE } from './shared/backdrop.js';
import { widthMm as printWidthMm, widthOption } from './shared/print-width.js';
import { presentedCutout } from './transparent.js';
import { defineVariation, type OutputFile } from './types.js';

const schema = Type.Object(
  {
    mode: Opt.choice(
      'auto = spot inks for flat art of up to max-inks colours, else process; or force spot / process; sim-process = the art’s own colours halftoned on one screen, with white, for gradients on dark garments; index = square dots of a fixed palette by error diffusion',
      ['auto', 'spot', 'process', 'sim-process', 'index'] as const,
      'auto',
    ),
    maxInks: Opt.integer('Most spot inks before auto mode switches to process', 6, 1, 12),
    inks: Opt.integer(
      'Exactly this many spot inks (0 = as many as the art has); sim-process: colour inks at most (0 = 6)',
      0,
      0,
      12,
    ),
    inkNames: Type.String({
      default: '',
      maxLength: 600,
      description: 'Rename inks: "Red 1=PMS 186 C,#1a2b3c=Navy" (default names or hex colours as keys)',
    }),
    garment: Opt.colorOr(
      'Garment colour, e.g. #111111; a dark garment gets a white underbase',
      'none',
      'none',
    ),
    underbase: Opt.choice('White underbase: auto = on dark garments', ['auto', 'on', 'off'] as const, 'auto'),
    choke: Opt.number('Underbase choke in points', 1, 0, 18),
    spread: Opt.number('Trap: lighter inks spread under darker ones by this many points', 0, 0, 18),
    highlight: Opt.boolean('Print white inks last, over the underbase (highlight white)', false),
    printWidth: Opt.number('Width of the printed art in inches', 10, 0.5, 60),
    width: widthOption,
    artboard: Type.String({
      pattern: '^ *[0-9]+([.][0-9]+)? *[xX] *[0-9]+([.][0-9]+)? *$',
      default: '13x19',
      description: 'Film size in inches, width x height',
    }),
    dpi: Opt.integer('Film resolution (dots per inch)', 300, 72, 1200),
    jobLabel: Type.String({ default: '', maxLength: 60, description: 'Job name printed on every film' }),
    mesh: Opt.integer(
      'Screen mesh, threads per inch (110, 156, 200, 230, 305): the halftone ruling when --lpi is 0 and the ink deposit',
      230,
      110,
      305,
    ),
    lpi: Opt.number(
      'Process and sim-process: halftone lines per inch (0 = the mesh’s usual: 55 on 230)',
      0,
      0,
      200,
    ),
    press: Opt.choice(
      'manual (hand pulls: 0.8× the mesh’s ruling, dots of 15–85 % at least) or auto (the mesh’s ruling, the dot limits as set)',
      ['auto', 'manual'] as const,
      'auto',
    ),
    deposit: Opt.number(
      'Wet ink deposit in µm (cm³ per m²) for the ink estimate (0 = the mesh’s: 20 on 230)',
      0,
      0,
      500,
    ),
    order: Type.String({
      default: '',
      maxLength: 600,
      description:
        'Print order: film names first in this order, e.g. "Underbase White,Yellow 1" (the rest follow)',
    }),
    mirror: Opt.boolean('PNG/TIFF films mirrored (emulsion side down, right-reading from the back)', false),
    negative: Opt.boolean('PNG/TIFF films negative (ink clear, the rest black)', false),
    angle: Opt.number('Sim-process and spot tints: the screen angle, degrees', 22.5, -90, 90),
    tints: Opt.boolean(
      'Spot mode: print lighter shades and gradients of an ink as halftones of it instead of extra solid inks',
      false,
    ),
    palette: Opt.colors('Index: print with these inks, e.g. #c81e1e,#f8d020 (default: the art’s own)', 12),
    squares: Opt.integer('Index: squares per inch (150 = 0.17 mm, holds on 230 mesh)', 150, 50, 400),
    dither: Opt.choice(
      'Index: error diffusion, or each square its nearest ink',
      ['floyd-steinberg', 'none'] as const,
      'floyd-steinberg',
    ),
    angles: Type.String({
      pattern: '^ *-?[0-9]+([.][0-9]+)? *(, *-?[0-9]+([.][0-9]+)? *){3}$',
      default: '15,75,0,45',
      description: 'Process mode: screen angles of C, M, Y, K in degrees',
    }),
    dot: Opt.choice('Process and sim-process: halftone dot shape', ['round', 'ellipse'] as const, 'round'),
    minDot: Opt.number(
      'Process and sim-process: smallest printable dot, % (lighter tints drop out)',
      10,
      0,
      50,
    ),
    maxDot: Opt.number('Process and sim-process: largest dot before solid, %', 90, 50, 100),
    gcr: Opt.number('Process mode: grey-component replacement, 0 (none) to 1 (full)', 1, 0, 1),
    blackShirt: Opt.boolean(
      'Process mode on a dark garment: no black film, the shirt is the black (a halftoned underbase leaves it bare)',
      false,
    ),
    minLine: Opt.length(
      'Warn about ink lines thinner than this at the print size (0 = no check; 0.15mm holds on 230 mesh)',
      '0.15mm',
    ),
    thicken: Opt.boolean('Spot films: thicken lines thinner than min-line to it', false),
    // the same names as the distressed variation's, so that one flag distresses both alike
    intensity: Opt.number('Distress every film alike: 0 = off to 1 = heavily worn', 0, 0, 1),
    scale: Opt.number('Distress texture size (1 = default)', 1, 0.25, 4),
    seed: Opt.integer('Distress seed', 1, 0, 2147483647),
  },
  { additionalProperties: false },
);

const pad2 = (n: number) => String(n).padStart(2, '0');
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'ink';

function parseArtboard(text: string): { width: number; height: number } {
  const [w, h] = text
    .toLowerCase()
    .split('x')
    .map((v) => Number(v.trim()));
  if (!(w >= 2 && h >= 2 && w <= 120 && h <= 120)) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `separations.artboard must be between 2x2 and 120x120 inches, got "${text}".`,
    );
  }
  return { width: w, height: h };
}

/** The film's shapes on the artboard: its art (in its ink) plus marks and label. */
function filmImage(film: Film, layout: BoardLayout, marks: readonly Shape[], black: boolean): VectorImage {
  const shapes: Shape[] = [];
  if (film.outlines?.length) {
    const art: VectorImage = {
      width: layout.art.width,
      height: layout.art.height,
      // a film positive is black whatever the ink; the PDF page shows the ink's own colour
      shapes: [
        {
          fill: black ? '#000000' : film.hex,
          spot: black ? { name: film.spot.name, cmyk: [0, 0, 0, 1] } : film.spot,
          subpaths: film.outlines,
        },
      ],
    };
    shapes.push(...translate(art, layout.art.x, layout.art.y, layout.width, layout.height).shapes);
  }
  shapes.push(...marks);
  return { width: layout.width, height: layout.height, shapes };
}

/** Flat spot inks on the garment at the art's own resolution, from the colour map (every label one ink). */
function composite(
  width: number,
  height: number,
  plan: SeparationPlan,
  colorMap: Uint8Array,
  g: Rgb,
): RgbaImage {
  const n = width * height;
  const out = new Uint8Array(n * 4);
  // colour per label: the ink where it is printed, else the garment (transparent, skipped inks)
  const table = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) table.set([g.r, g.g, g.b], k * 3);
  const printed = new Set(plan.films.map((f) => f.ink));
  plan.inks.forEach((ink, k) => {
    if (printed.has(ink)) table.set([ink.rgb.r, ink.rgb.g, ink.rgb.b], k * 3);
  });
  for (let i = 0; i < n; i++) {
    const t = colorMap[i] * 3;
    out[i * 4] = table[t];
    out[i * 4 + 1] = table[t + 1];
    out[i * 4 + 2] = table[t + 2];
    out[i * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

function alphaOf(art: RgbaImage): Uint8Array {
  const a = new Uint8Array(art.width * art.height);
  for (let i = 0; i < a.length; i++) a[i] = art.data[i * 4 + 3];
  return a;
}

/** The art with knocked-out pixels made transparent. */
function knockedOut(art: RgbaImage, knockout: Uint8Array): RgbaImage {
  const data = art.data.slice();
  for (let i = 0; i < knockout.length; i++) if (knockout[i]) data[i * 4 + 3] = 0;
  return { ...art, data };
}

/**
 * Ink lines thinner than `minLine` at the print size, per spot film: measured on the art's colour
 * map (cheap: the films are that map scaled up) and warned about, or, with `thicken`, widened on
 * the film itself (film pixels, then traced again so every file agrees). Never dropped silently.
 */
function checkThinLines(
  plan: SeparationPlan,
  artWidth: number,
  layout: BoardLayout,
  minLine: string,
  thicken: boolean,
  warn: ((code: 'W_THIN_LINE', message: string) => void) | undefined,
): { film: string; lines: number; thinnestMm: number; thickened: boolean }[] {
  const limitMm = lengthMm(parseLength(minLine, 'separations.minLine'), layout.dpi);
  if (limitMm <= 0 || !plan.colorMap) return [];
  const artPxPerMm = artWidth / (layout.printWidthIn * 25.4);
  const filmPxPerMm = layout.dpi / 25.4;
  const { width: aw, height: ah } = layout.art;
  const artHeight = plan.colorMap.length / artWidth;
  const out: { film: string; lines: number; thinnestMm: number; thickened: boolean }[] = [];
  for (const film of plan.films) {
    if (film.kind !== 'ink' && film.kind !== 'highlight') continue;
    const k = film.ink ? plan.inks.indexOf(film.ink) : -1;
    if (k < 0 || limitMm * artPxPerMm < 1) continue;
    const mask = new Uint8Array(plan.colorMap.length);
    for (let i = 0; i < mask.length; i++) mask[i] = plan.colorMap[i] === k ? 1 : 0;
    const lines = thinPlaces(mask, artWidth, artHeight, limitMm * artPxPerMm).filter(
      (p) => p.kind === 'line',
    );
    if (!lines.length) continue;
    const thinnestMm = Math.round((lines[0].widthPx / artPxPerMm) * 1000) / 1000;
    if (thicken) {
      const onFilm = thinPlaces(film.map, aw, ah, limitMm * filmPxPerMm, 100_000, true);
      if (thickenLines(film.map, aw, ah, onFilm, limitMm * filmPxPerMm) > 0)
        film.outlines = traceMap(film.map, aw, ah);
    }
    out.push({ film: film.name, lines: lines.length, thinnestMm, thickened: thicken });
  }
  if (out.length) {
    const list = out.map((t) => `${t.film} (${t.lines}, down to ${t.thinnestMm} mm)`).join(', ');
    warn?.(
      'W_THIN_LINE',
      thicken
        ? `Lines thinner than ${limitMm} mm thickened to it on ${list}.`
        : `Lines thinner than ${limitMm} mm on ${list}: a screen may not hold them; --thicken widens them, or check the preflight.`,
    );
  }
  return out;
}

/** A length in mm; px are film pixels. */
function lengthMm(length: Length, dpi: number): number {
  return length.unit === 'px' ? (length.value * 25.4) / dpi : length.value * MM_PER[length.unit];
}

export const separations = defineVariation({
  id: 'separations',
  label: 'Screen-print separations',
  description:
    'Films for screen printing: spot inks or CMYK halftones, white underbase for dark garments, registration marks; PNG/TIFF films, a PDF with a /Separation per ink, SVG/EPS films, preview and report.',
  needs: ['cutout'],
  schema,
  keyOptions: ['mode', 'garment', 'inkNames', 'maxInks', 'jobLabel'],
  outputs:
    'film-NN-<ink>.png/.tif (+ .svg/.eps in spot mode), separations.pdf, composite.png, separations.json',
  // films are large: filling, choking and encoding ≈ 150 ms per film at 300 DPI, 10 in
  cost: ({ width, height }, o) =>
    (width * height) / 10000 + 150 * (o.printWidth / 10) ** 2 * (o.dpi / 300) ** 2 * 5,
  memoryPerPixel: 24,
  async run({ logo, options: given, warn }) {
    // --width (any length) overrides --print-width (inches)
    const printMm = printWidthMm(given.width, 'separations.width');
    const options = printMm > 0 ? { ...given, printWidth: printMm / 25.4 } : given;
    const mesh = nearestMesh(options.mesh);
    if (options.lpi > 0 && options.lpi < 10) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected separations.lpi of 0 (the mesh's) or 10 to 200 but received ${options.lpi}`,
      );
    }
    // a hand press holds a coarser screen and no tiny or nearly solid dots
    const manual = options.press === 'manual';
    const lpi = options.lpi || Math.round(MESH[mesh].lpi * (manual ? 0.8 : 1));
    const deposit = options.deposit || MESH[mesh].volume;
    const art = presentedCutout(logo);
    const boardIn = parseArtboard(options.artboard);
    const layout = layoutBoard(art.width, art.height, {
      boardIn,
      printWidthIn: options.printWidth,
      dpi: options.dpi,
    });
    const o = {
      mode: options.mode,
      maxInks: options.maxInks,
      inks: options.inks,
      inkNames: options.inkNames,
      garment: options.garment,
      underbase: options.underbase,
      chokePt: options.choke,
      spreadPt: options.spread,
      highlight: options.highlight,
    };
    // one knock-out mask over the whole art, applied to every film (underbase included)
    const knockout =
      options.intensity > 0
        ? distressKnockout(art.width, art.height, alphaOf(art), {
            intensity: options.intensity,
            scale: options.scale,
            seed: options.seed,
            // 0.3 mm at the print size: the smallest speck a screen holds
            minSpeckPx: (0.3 * art.width) / (layout.printWidthIn * 25.4),
          })
        : null;
    const printed = knockout ? knockedOut(art, knockout) : art;
    const halftoned =
      options.mode === 'process' || options.mode === 'sim-process' || options.mode === 'index';
    let spot = halftoned ? null : separateSpot(art, layout, o, knockout);
    let garment = options.garment;
    if (spot && spot.films.length === 0 && garment === 'none' && spot.skipped.length > 0) {
      // white art with no garment named: nothing differs from white paper. Print it as white
      // ink on a dark garment (the usual reading of a white logo) and say so.
      garment = DARK_PLATE;
      spot = separateSpot(
        art,
        layout,
        { ...o, garment, underbase: o.underbase === 'on' ? 'on' : 'off' },
        knockout,
      );
      warn?.(
        'W_NO_INK_ON_SUBSTRATE',
        `The art is white, which does not print on white: printed as white ink and previewed on a dark garment (${DARK_PLATE}); set --garment to the real colour.`,
      );
    }
    if (spot && spot.films.length === 0) {
      throw new LogomillError(
        'E_NOTHING_TO_PRINT',
        `Nothing to print: every ink of the art matches the garment (${garment}); choose another --garment.`,
      );
    }
    const screen = {
      lpi,
      dot: options.dot,
      minDot: (manual ? Math.max(options.minDot, MANUAL_DOTS[0]) : options.minDot) / 100,
      maxDot: (manual ? Math.min(options.maxDot, MANUAL_DOTS[1]) : options.maxDot) / 100,
    };
    const planned =
      spot ??
      (options.mode === 'sim-process'
        ? await separateSimProcess(printed, layout, o, {
            ...screen,
            inks: options.inks || 6,
            angle: options.angle,
          })
        : options.mode === 'index'
          ? await separateIndex(printed, layout, o, {
              inks: options.inks || 6,
              palette: options.palette.map((c) => parseColor(c, 'separations.palette')),
              squaresPerInch: options.squares,
              dither: options.dither,
            })
          : await separateProcess(printed, layout, o, {
              ...screen,
              angles: options.angles.split(',').map(Number) as [number, number, number, number],
              gcr: options.gcr,
              blackShirt: options.blackShirt,
            }));
    // a film with no ink (a process channel the art does not use) would burn an empty screen
    const empty = planned.films.filter((f) => !f.map.includes(1));
    let plan = empty.length
      ? { ...planned, films: planned.films.filter((f) => !empty.includes(f)) }
      : planned;
    if (plan.films.length === 0) {
      throw new LogomillError('E_NOTHING_TO_PRINT', 'Nothing to print: the separation made no film.');
    }
    if (empty.length) {
      warn?.(
        'W_EMPTY_FILM',
        `No ink on the ${empty.map((f) => f.name).join(', ')} film${empty.length > 1 ? 's' : ''}: left out (${plan.films.length} film${plan.films.length > 1 ? 's' : ''} to burn).`,
      );
    }
    if (options.order.trim()) plan = { ...plan, films: reorder(plan.films, options.order) };
    const thinLines = checkThinLines(plan, art.width, layout, options.minLine, options.thicken, warn);
    // the art at film resolution, resampled once if a step needs it (tints, the prediction)
    let resampled: Promise<RgbaImage> | undefined;
    const filmArt = () => {
      resampled ??= artAtFilmResolution(printed, layout);
      return resampled;
    };
    let tints: Tint[] = [];
    if (options.tints && plan.mode === 'spot') {
      ({ plan, tints } = await applyTints(
        plan,
        filmArt,
        layout,
        garment === 'none' ? null : parseColor(garment, 'garment'),
        { ...screen, angle: options.angle },
      ));
    }
    const files: OutputFile[] = [];
    const n = plan.films.length;
    const pages: { image: VectorImage; widthPt: number }[] = [];
    const report: Record<string, unknown>[] = [];
    const artPixels = layout.art.width * layout.art.height;
    let inkTotal = 0;
    const labels = plan.films.map(
      (film, k) =>
        `${k + 1}/${n} ${film.name}${film.kind === 'ink' || film.kind === 'highlight' ? ` ${film.hex.toUpperCase()}` : ''}${film.kind === 'highlight' ? ' HIGHLIGHT' : ''}${options.jobLabel ? ` - ${options.jobLabel}` : ''}`,
    );
    for (const [index, film] of plan.films.entries()) {
      const order = index + 1;
      const base = `film-${pad2(order)}-${slug(film.name)}`;
      const label = labels[index];
      const marks = markShapes(layout, label);
      const { png, tiff } = await encodeFilm(
        orient(filmBoard(film.map, layout, marks), layout.width, options.mirror, options.negative),
        layout.width,
        layout.height,
        layout.dpi,
      );
      const size = { width: layout.width, height: layout.height };
      files.push({ name: `${base}.png`, format: 'png', ...size, data: png });
      files.push({ name: `${base}.tif`, format: 'tiff', ...size, data: tiff });
      const widthPt = (layout.width / layout.dpi) * 72;
      if (film.outlines) {
        const positive = filmImage(film, layout, marks, true);
        const svg = toSvg(positive, svgPrintSize(size, (layout.width / layout.dpi) * 25.4));
        files.push({ name: `${base}.svg`, format: 'svg', ...size, data: Buffer.from(svg) });
        files.push({ name: `${base}.eps`, format: 'eps', data: Buffer.from(toEps(positive, { widthPt })) });
        pages.push({ image: filmImage(film, layout, marks, false), widthPt });
      }
      let inked = 0;
      for (let i = 0; i < film.map.length; i++) inked += film.map[i];
      // ink: the printed area times the deposit (µm = cm³/m² = ml/m²)
      const areaM2 = (inked / (layout.dpi * layout.dpi)) * 0.00064516;
      const ml = areaM2 * deposit;
      inkTotal += ml;
      report.push({
        order,
        name: film.name,
        kind: film.kind,
        hex: film.hex,
        files: [`${base}.png`, `${base}.tif`, ...(film.outlines ? [`${base}.svg`, `${base}.eps`] : [])],
        coveragePct: Math.round((10000 * inked) / artPixels) / 100,
        areaIn2: Math.round((1000 * inked) / (layout.dpi * layout.dpi)) / 1000,
        inkMl: round3(ml),
        inkG: round3(ml * INK_DENSITY),
      });
    }
    // vector pages while every film is vector (spot mode without tints), else image-mask pages
    const pdf = plan.films.every((f) => f.outlines) ? toPdfPages(pages) : processPdf(plan, layout, labels);
    files.push({ name: 'separations.pdf', format: 'pdf', data: pdf });
    // the composite: the print the films make (halftoned modes: one pixel per halftone cell);
    // flat spot inks are exact at the art's own resolution from their colour map
    const garmentRgb = parseColor(garment === 'none' ? '#ffffff' : garment, 'garment');
    const preview =
      plan.preview ??
      (plan.colorMap && plan.films.every((f) => f.outlines)
        ? composite(printed.width, printed.height, plan, plan.colorMap, garmentRgb)
        : simulatedPreview(
            plan.films,
            garmentRgb,
            layout.art.width,
            layout.art.height,
            Math.max(1, Math.round(layout.dpi / lpi)),
          ));
    // what the films will print against the art, on blocks of two halftone cells (about 1 mm)
    const predicted =
      plan.predicted ??
      predictedError(
        plan.films,
        garmentRgb,
        (await filmArt()).data,
        layout.art.width,
        layout.art.height,
        2 * Math.max(1, Math.round(layout.dpi / lpi)),
        layout.dpi,
      );
    files.push({
      name: 'composite.png',
      format: 'png',
      width: preview.width,
      height: preview.height,
      data: await encodePng(preview, preview.width / layout.printWidthIn),
    });
    const json = {
      mode: plan.mode,
      reason: plan.reason,
      printWidthIn: Math.round(layout.printWidthIn * 1000) / 1000,
      printHeightIn: Math.round((layout.art.height / layout.dpi) * 1000) / 1000,
      artboardIn: boardIn,
      dpi: layout.dpi,
      // where the art and the registration marks lie on every film, in film pixels
      artBoxPx: layout.art,
      marksPx: layout.marks,
      garment,
      underbase: plan.underbase,
      inks: plan.inks.map((ink) => ({
        name: ink.name,
        defaultName: ink.defaultName,
        hex: ink.hex,
        lab: [ink.lab.L, ink.lab.a, ink.lab.b].map((v) => Math.round(v * 10) / 10),
        cmyk: ink.cmyk.map((v) => Math.round(v * 1000) / 10),
        printed: !plan.skipped.some((s) => s.ink === ink),
      })),
      skipped: plan.skipped.map((s) => ({ name: s.ink.name, reason: s.reason })),
      tints,
      emptyFilms: empty.map((f) => f.name),
      thinLines,
      films: report,
      screen: {
        press: options.press,
        mesh,
        lpi,
        angles:
          plan.mode === 'sim-process'
            ? [options.angle]
            : plan.mode === 'process'
              ? options.angles.split(',').map(Number)
              : [],
      },
      // what a shop prices from: ink per print and per hundred, at the deposit
      ink: {
        depositUm: deposit,
        densityGPerMl: INK_DENSITY,
        perPrint: { ml: round3(inkTotal), g: round3(inkTotal * INK_DENSITY) },
        per100: { ml: round3(100 * inkTotal), g: round3(100 * inkTotal * INK_DENSITY) },
      },
      order: plan.films.map((f) => f.name),
      predicted,
      warnings: [...layout.warnings, ...plan.warnings],
    };
    files.push({
      name: 'separations.json',
      format: 'json',
      data: Buffer.from(`${JSON.stringify(json, null, 2)}\n`),
    });
    return files;
  },
});

/** The dot range a manual press holds, %: smaller dots fill in, larger ones close up. */
const MANUAL_DOTS = [15, 85] as const;

/** Plastisol's density, g/ml (1.3–1.6 by brand): turns the ink volume into a weight to price from. */
const INK_DENSITY = 1.4;

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The films with those named in `order` first, in that order; E_BAD_OPTION for a name no film has. */
function reorder(films: Film[], order: string): Film[] {
  const names = order
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const first: Film[] = [];
  for (const name of names) {
    const film = films.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!film) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `separations.order: no film called "${name}"; the films are ${films.map((f) => f.name).join(', ')}.`,
      );
    }
    if (!first.includes(film)) first.push(film);
  }
  return [...first, ...films.filter((f) => !first.includes(f))];
}

/** A film board (grey, 0 = ink) mirrored left to right and/or made negative, in place. */
function orient(board: Buffer, width: number, mirror: boolean, negative: boolean): Buffer {
  if (mirror) {
    for (let row = 0; row < board.length; row += width) board.subarray(row, row + width).reverse();
  }
  if (negative) for (let i = 0; i < board.length; i++) board[i] = 255 - board[i];
  return board;
}

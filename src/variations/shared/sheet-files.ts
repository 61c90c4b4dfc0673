/**
 * The files of a print-then-cut sheet, for the `sheet` variation (copies of one
 * logo) and `logomill sheet` (several logos): the option schema both read, the
 * stickers' and sheet's settings from those options, and the writers.
 *
 *   sheet.pdf          print and cut: the cut paths as stroked spot inks (overprint) — for RIPs
 *   sheet-print.pdf    what the printer prints: art, backing, bleed, registration marks
 *   sheet.svg          print and cut (cut paths stroked, their ink named in data-spot)
 *   sheet-cut.svg      the cut paths alone, placed on the page (cutter software)
 *   sheet-preview.png  the sheet at 100 DPI: paper grey, stickers white, cuts drawn
 *   sheet.json         the layout: every sticker's place and turn, sheet use, packer
 */
import sharp from 'sharp';
import { LogomillError } from '../../errors.js';
import { encodePng } from '../../io/encode.js';
import { MM_PER, parseLength } from '../../length.js';
import { Opt, type Static, Type } from '../../options.js';
import {
  CUT_SPOTS,
  layoutSheet,
  type Sheet,
  type SheetOptions,
  type SheetSticker,
  sheetPicture,
} from '../../print/sheet/index.js';
import { DEFAULT_INSET, MARK_STYLES, type MarkStyle, SILHOUETTE_MIN_INSET } from '../../print/sheet/marks.js';
import type { Rotation } from '../../print/sheet/nest.js';
import { parsePaper } from '../../print/sheet/paper.js';
import type { Shape } from '../../vector/path.js';
import { toPdf } from '../../vector/pdf.js';
import { svgPrintSize, toSvg } from '../../vector/svg.js';
import type { OutputFile } from '../types.js';
import type { SheetStickerOptions } from './sticker.js';

export const sheetSchema = Type.Object(
  {
    sheet: Opt.text(
      'Sheet size: a4, a3, a5, letter, legal, tabloid or WxH like 12x12in or 300x200mm',
      'letter',
      40,
    ),
    size: Opt.length('Each sticker’s longest side, cut to cut, e.g. 2in or 50mm', '2in'),
    count: Opt.integer('Stickers of the logo (0 = as many as fit)', 0, 0, 2000),
    gap: Opt.length('Least distance between two cut paths', '3mm'),
    offset: Opt.length('Distance from the art to its cut (the white border)', '2mm'),
    bleed: Opt.length(
      'How far the art’s edge colours reach under and past the cut where the art meets it, so a slightly shifted cut shows no white edge',
      '1.5mm',
    ),
    marks: Opt.choice(
      'Registration marks: silhouette (Studio Type 1 marks), cricut (none: Design Space adds them; its print area), rip (none: VersaWorks, RasterLink, GoSign add crop marks), none',
      MARK_STYLES,
      'silhouette',
    ),
    margin: Opt.length('Page edge to the marks or the printable area (0 = the marks’ convention)', '0'),
    cut: Opt.choice(
      'Each sticker cut: kiss (CutContour, through the vinyl only) or through (Thru-cut, backing too)',
      ['kiss', 'through'] as const,
      'kiss',
    ),
    frame: Opt.choice(
      'A cut around all the stickers: none, through (Thru-cut) or perf (PerfCutContour, perforated)',
      ['none', 'through', 'perf'] as const,
      'none',
    ),
    rotate: Opt.choice(
      'Turns allowed when nesting: 90 (any quarter turn), 180 or none',
      ['90', '180', 'none'] as const,
      '90',
    ),
    cutHoles: Opt.boolean('Also cut out holes inside the art', false),
    bridges: Opt.boolean(
      'Join parts of a logo that lie apart into one sticker (else each part is its own)',
      true,
    ),
  },
  { additionalProperties: false },
);

export type SheetSettings = Static<typeof sheetSchema>;

const ROTATIONS: Record<SheetSettings['rotate'], Rotation[]> = {
  '90': [0, 90, 180, 270],
  '180': [0, 180],
  none: [0],
};

function mm(text: string, label: string): number {
  const l = parseLength(text, label);
  if (l.unit === 'px')
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected ${label} in mm, cm, in or pt (a sheet has no pixels) but received ${JSON.stringify(text)}`,
    );
  return l.value * MM_PER[l.unit];
}

/** What each sticker is made with. */
export function stickerSettings(o: SheetSettings, label: string): SheetStickerOptions {
  const sizeMm = mm(o.size, 'sheet.size');
  if (sizeMm < 5)
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected sheet.size of 5 mm at least but received ${JSON.stringify(o.size)}`,
    );
  return {
    sizeMm,
    offsetMm: mm(o.offset, 'sheet.offset'),
    bleedMm: mm(o.bleed, 'sheet.bleed'),
    holes: o.cutHoles,
    minHoleMm: 2,
    bridges: o.bridges,
    label,
  };
}

/** How the sheet is laid out, for `counts` copies of each sticker. */
export function sheetSettings(o: SheetSettings, counts: number[]): SheetOptions {
  const marks = o.marks as MarkStyle;
  const margin = mm(o.margin, 'sheet.margin');
  if (marks === 'silhouette' && margin > 0 && margin < SILHOUETTE_MIN_INSET) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected sheet.margin of ${SILHOUETTE_MIN_INSET} mm at least for Silhouette marks (Studio refuses nearer ones) but received ${JSON.stringify(o.margin)}`,
    );
  }
  return {
    paper: parsePaper(o.sheet, 'sheet.sheet'),
    marks,
    inset: margin > 0 ? margin : DEFAULT_INSET[marks],
    gap: mm(o.gap, 'sheet.gap'),
    rotations: ROTATIONS[o.rotate],
    cut: o.cut,
    frame: o.frame,
    counts,
  };
}

/** Sheet mm to the pictures' units: 300 DPI pixels, the unit every writer defaults to. */
const UNITS_PER_MM = 300 / 25.4;
const PREVIEW_DPI = 100;

/** Lays out the stickers and writes the sheet's files (`warn` hears of stickers left off). */
export async function sheetFiles(
  stickers: readonly SheetSticker[],
  settings: SheetOptions,
  warn?: (message: string) => void,
): Promise<{ sheet: Sheet; files: OutputFile[] }> {
  const sheet = layoutSheet(stickers, settings);
  const short = stickers
    .map((s, i) => ({ s, wanted: settings.counts[i], placed: sheet.placed[i] }))
    .filter((x) => x.placed < x.wanted || x.placed === 0);
  if (short.length) {
    warn?.(
      `Not every sticker fits on one ${settings.paper.name} sheet: ${short.map((x) => `${x.s.label} ${x.placed} of ${x.wanted || 'any'}`).join(', ')}.`,
    );
  }
  const widthPt = (sheet.width * 72) / 25.4;
  const widthMm = sheet.width;
  const ptPerPx = 72 / 25.4 / UNITS_PER_MM;
  const both = sheetPicture(sheet, { print: true, cut: true }, UNITS_PER_MM);
  const printOnly = sheetPicture(sheet, { print: true, cut: false }, UNITS_PER_MM);
  const cutOnly = sheetPicture(sheet, { print: false, cut: true }, UNITS_PER_MM);
  const svgSize = { ...svgPrintSize(both, widthMm), ptPerPx };
  const files: OutputFile[] = [
    { name: 'sheet.pdf', format: 'pdf', data: toPdf(both, { widthPt }) },
    { name: 'sheet-print.pdf', format: 'pdf', data: toPdf(printOnly, { widthPt }) },
    {
      name: 'sheet.svg',
      format: 'svg',
      width: both.width,
      height: both.height,
      data: Buffer.from(toSvg(both, svgSize)),
    },
    {
      name: 'sheet-cut.svg',
      format: 'svg',
      width: both.width,
      height: both.height,
      data: Buffer.from(toSvg(cutOnly, svgSize)),
    },
    await preview(sheet),
    {
      name: 'sheet.json',
      format: 'json',
      data: Buffer.from(`${JSON.stringify(report(sheet, stickers, settings), null, 2)}\n`),
    },
  ];
  return { sheet, files };
}

/** The sheet as a picture to look at: grey paper, white stickers, the art, marks, cut paths 1 px wide. */
async function preview(sheet: Sheet): Promise<OutputFile> {
  const k = PREVIEW_DPI / 25.4;
  const picture = sheetPicture(sheet, { print: true, cut: true }, k);
  const paper: Shape = {
    fill: '#e4e4e4',
    subpaths: [
      {
        start: { x: 0, y: 0 },
        segments: [
          { kind: 'line', to: { x: picture.width, y: 0 } },
          { kind: 'line', to: { x: picture.width, y: picture.height } },
          { kind: 'line', to: { x: 0, y: picture.height } },
        ],
      },
    ],
  };
  const ptPerPx = 72 / PREVIEW_DPI;
  const shapes = picture.shapes.map((s) =>
    s.stroke && s.spot ? { ...s, stroke: { widthPt: 1.2 * ptPerPx } } : s,
  );
  const svg = toSvg({ ...picture, shapes: [paper, ...shapes] }, { ptPerPx });
  const { data, info } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    name: 'sheet-preview.png',
    format: 'png',
    width: info.width,
    height: info.height,
    data: await encodePng(
      { width: info.width, height: info.height, data: new Uint8Array(data) },
      PREVIEW_DPI,
    ),
  };
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function report(sheet: Sheet, stickers: readonly SheetSticker[], o: SheetOptions) {
  return {
    schema: 'logomill.sheet/1',
    sheet: { name: o.paper.name, widthMm: r2(sheet.width), heightMm: r2(sheet.height) },
    marks: o.marks,
    printable: {
      xMm: r2(sheet.printable.x),
      yMm: r2(sheet.printable.y),
      widthMm: r2(sheet.printable.width),
      heightMm: r2(sheet.printable.height),
    },
    gapMm: r2(sheet.gap),
    cut: { stickers: CUT_SPOTS[o.cut].name, frame: o.frame === 'none' ? null : CUT_SPOTS[o.frame].name },
    count: sheet.placements.length,
    usePct: sheet.usePct,
    packer: sheet.packer,
    alternative: sheet.alternative,
    stickers: stickers.map((s, i) => ({
      label: s.label,
      widthMm: r2(s.width),
      heightMm: r2(s.height),
      bleedMm: r2(s.bleedMm),
      wanted: o.counts[i],
      placed: sheet.placed[i],
    })),
    // origin top-left of the page, y down; x, y: the turned sticker's box corner
    placements: sheet.placements.map((p) => ({
      sticker: p.item,
      xMm: r2(p.x),
      yMm: r2(p.y),
      rotation: p.rotation,
    })),
  };
}

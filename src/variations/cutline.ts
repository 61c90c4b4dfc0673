/**
 * `cutline` — print-and-cut files for stickers and decals: one smooth closed
 * cut path at `--offset` around the logo (src/print/cutline.ts), stroked 0.25 pt
 * in the spot colour `CutContour` (100 % magenta alternate) with overprint, the
 * name RIPs such as Roland VersaWorks, Mimaki RasterLink and Summa GoSign
 * recognise as the cut. PDF and EPS carry the art (the full-colour vector
 * trace) under the cut; SVG and DXF carry only the cut, for cutter software;
 * a PNG previews the sticker. docs/CUTLINE.md explains method and conventions.
 */
import sharp from 'sharp';
import { LogomillError } from '../errors.js';
import { encodePng } from '../io/encode.js';
import { PRINT_DPI } from '../io/resolution.js';
import { lengthToPx, parseLength } from '../length.js';
import { Opt, Type } from '../options.js';
import { toDxf } from '../vector/dxf.js';
import { toEps } from '../vector/eps.js';
import type { Shape, VectorImage } from '../vector/path.js';
import { toPdf } from '../vector/pdf.js';
import { svgPrintSize, toSvg } from '../vector/svg.js';
import { fmt } from '../vector/transform.js';
import { widthMm as printWidthMm, widthOption } from './shared/print-width.js';
import { stickerCut } from './shared/sticker.js';
import { traceCost } from './shared/vector-files.js';
import { presentedCutout } from './transparent.js';
import { defineVariation } from './types.js';

/** The cut as print-and-cut RIPs expect it: spot ink "CutContour", 100 % magenta alternate, hairline, overprint. */
export const CUT_CONTOUR = {
  fill: '#ff00ff',
  spot: { name: 'CutContour', cmyk: [0, 1, 0, 0] as [number, number, number, number] },
  stroke: { widthPt: 0.25 },
  overprint: true,
} as const;

/** Largest offset accepted: beyond it the work area (and memory) grows without purpose. */
const MAX_OFFSET_MM = 100;
const MAX_OFFSET_PX = 500;
/** Default print scale when no width is given: the logo's pixels at 300 DPI, like the other vector files. */
const DEFAULT_PX_PER_MM = PRINT_DPI / 25.4;

export const cutline = defineVariation({
  id: 'cutline',
  label: 'Sticker cut line (print and cut)',
  description:
    'A smooth CutContour path around the logo at an offset, for print-and-cut: PDF and EPS with the art, SVG and DXF for cutters, a preview.',
  needs: ['cutout', { trace: { mode: 'color' } }],
  schema: Type.Object(
    {
      offset: Opt.length(
        'Distance from the art to the cut, e.g. 3mm, 0.125in or 12px (a bare number is mm)',
        '3mm',
      ),
      cutHoles: Opt.boolean('Also cut out holes inside the art (the inside of an "O")', false),
      minHole: Opt.length(
        'With cut-holes: holes smaller than a disc this wide are not cut (too small to weed)',
        '2mm',
      ),
      bridges: Opt.boolean(
        'Join parts that lie apart into one sticker with bridges (default: each part gets its own cut)',
        false,
      ),
      widthMm: Opt.number(
        'Printed width of the logo in mm (0 = its pixels at 300 DPI): scales the offset and every file',
        0,
        0,
        10000,
      ),
      cmyk: Opt.boolean('Paint the art of the PDF in DeviceCMYK instead of RGB', false),
      width: widthOption,
    },
    { additionalProperties: false },
  ),
  outputs:
    'cutline.pdf, cutline.eps (art + CutContour), cutline.svg, cutline.dxf (cut only), cutline-preview.png',
  // the colour trace, plus distance transforms and a trace on a 2× grid around the art
  cost: (size) => traceCost(size, 4) + (size.width * size.height) / 8000,
  memoryPerPixel: 80,
  async run({ logo, options }) {
    const printMm = printWidthMm(options.width, 'cutline.width') || options.widthMm;
    const pxPerMm = printMm > 0 ? presentedCutout(logo).width / printMm : DEFAULT_PX_PER_MM;
    const offset = parseLength(options.offset, 'cutline.offset');
    const offsetPx = lengthToPx(offset, pxPerMm);
    const offsetMm = offsetPx / pxPerMm;
    if (offsetMm > MAX_OFFSET_MM || offsetPx > MAX_OFFSET_PX) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected cutline.offset of at most ${MAX_OFFSET_MM} mm and ${MAX_OFFSET_PX} px at the print size but received ${JSON.stringify(options.offset)} (${fmt(offsetMm, 2)} mm, ${fmt(offsetPx, 1)} px)`,
      );
    }
    const { cut, art: placed } = stickerCut(logo, {
      pxPerMm,
      offsetPx,
      holes: options.cutHoles,
      minHolePx: lengthToPx(parseLength(options.minHole, 'cutline.minHole'), pxPerMm),
      bridges: options.bridges,
    });
    const { width, height } = cut;
    const cutShape: Shape = { ...CUT_CONTOUR, subpaths: cut.subpaths };
    const cutOnly: VectorImage = { width, height, shapes: [cutShape] };
    // the art: the full-colour trace (as in vector-color) on the cut's canvas
    const withArt: VectorImage = { width, height, shapes: [...placed.shapes, cutShape] };

    const widthMm = width / pxPerMm;
    const widthPt = (widthMm * 72) / 25.4;
    const ptPerPx = widthPt / width;
    const svg = toSvg(cutOnly, { ...svgPrintSize(cutOnly, widthMm), ptPerPx });
    return [
      { name: 'cutline.pdf', format: 'pdf', data: toPdf(withArt, { widthPt, cmyk: options.cmyk }) },
      { name: 'cutline.eps', format: 'eps', data: Buffer.from(toEps(withArt, { widthPt })) },
      { name: 'cutline.svg', format: 'svg', width, height, data: Buffer.from(svg) },
      { name: 'cutline.dxf', format: 'dxf', data: Buffer.from(toDxf(cutOnly, { widthMm })) },
      {
        name: 'cutline-preview.png',
        format: 'png',
        width,
        height,
        data: await preview(withArt, cutShape, ptPerPx, pxPerMm * 25.4),
      },
    ];
  },
});

/**
 * The sticker as it will come off the sheet, at the canvas's pixel size: grey
 * sheet, white sticker inside the cut, the art as the PDF prints it, and the
 * cut line in magenta, drawn wide enough to see (rendered by librsvg).
 */
async function preview(withArt: VectorImage, cut: Shape, ptPerPx: number, dpi: number): Promise<Buffer> {
  const { width, height } = withArt;
  const corner = (x: number, y: number) => ({ kind: 'line' as const, to: { x, y } });
  const sheet: Shape = {
    fill: '#d4d4d4',
    subpaths: [
      { start: { x: 0, y: 0 }, segments: [corner(width, 0), corner(width, height), corner(0, height)] },
    ],
  };
  const linePx = Math.max(1.5, Math.min(width, height) / 300);
  const svg = toSvg(
    {
      width,
      height,
      shapes: [
        sheet,
        { fill: '#ffffff', subpaths: cut.subpaths },
        ...withArt.shapes.slice(0, -1),
        { ...cut, stroke: { widthPt: linePx * ptPerPx } },
      ],
    },
    { ptPerPx },
  );
  const { data, info } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return encodePng({ width: info.width, height: info.height, data: new Uint8Array(data) }, dpi);
}

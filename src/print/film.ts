/**
 * Films for screen printing: each ink's art placed on a common artboard at
 * the print width, with registration marks (bullseye + crosshair) at the same
 * places on every film and a label (order, ink, job) outside the art.
 *
 * A film is built once as vector shapes in artboard pixels at the film DPI;
 * the raster films (1-bit PNG and TIFF) are those shapes filled at pixel
 * centres (rasterize.ts), so marks land on identical pixels on every film,
 * and the vector films (SVG, EPS, PDF pages) are the same shapes written out.
 * The film files themselves are written by src/io/film.ts.
 */
import sharp from 'sharp';
import { type RgbaImage, rawDescriptor } from '../io/image.js';
import type { Shape, SpotColor, Subpath } from '../vector/path.js';
import { textSubpaths, textWidth } from './label-font.js';
import { fillSubpaths } from './rasterize.js';

/** Where the art lies on the artboard, all in film pixels. */
export interface BoardLayout {
  dpi: number;
  width: number;
  height: number;
  /** The art's box: its top-left corner and size. */
  art: { x: number; y: number; width: number; height: number };
  /** Film pixels per art pixel. */
  scale: number;
  /** Centres of the four registration marks. */
  marks: { x: number; y: number }[];
  /** Print width actually used (smaller than asked when the art had to shrink to fit). */
  printWidthIn: number;
  warnings: string[];
}

/** Registration mark geometry, in inches. */
const MARK = { radius: 0.15, line: 0.012, dot: 0.045, arm: 0.24, gap: 0.5 };
/** Room kept free around the art for marks and labels, in inches. */
const MARGIN_IN = 1;
/** Size of one dot of the label font, in inches (7 dots ≈ 6 pt capitals). */
const LABEL_DOT_IN = 0.012;

/**
 * Centres the art (artWidth × artHeight pixels) at `printWidthIn` on a
 * `boardIn` artboard; art too large for the board (with room for the marks)
 * is scaled down to fit, with a warning.
 */
export function layoutBoard(
  artWidth: number,
  artHeight: number,
  o: { boardIn: { width: number; height: number }; printWidthIn: number; dpi: number },
): BoardLayout {
  const warnings: string[] = [];
  const width = Math.round(o.boardIn.width * o.dpi);
  const height = Math.round(o.boardIn.height * o.dpi);
  const roomW = o.boardIn.width - 2 * MARGIN_IN;
  const roomH = o.boardIn.height - 2 * MARGIN_IN;
  let printWidthIn = o.printWidthIn;
  const fit = Math.min(roomW, (roomH * artWidth) / artHeight);
  if (printWidthIn > fit) {
    warnings.push(
      `The art at ${printWidthIn} in wide does not fit the ${o.boardIn.width}×${o.boardIn.height} in artboard with its marks; printed ${fit.toFixed(2)} in wide instead.`,
    );
    printWidthIn = fit;
  }
  const w = Math.max(1, Math.round(printWidthIn * o.dpi));
  const h = Math.max(1, Math.round((w * artHeight) / artWidth));
  const x = Math.floor((width - w) / 2);
  const y = Math.floor((height - h) / 2);
  const gap = Math.round(MARK.gap * o.dpi);
  const cx = Math.round(x + w / 2);
  const cy = Math.round(y + h / 2);
  return {
    dpi: o.dpi,
    width,
    height,
    art: { x, y, width: w, height: h },
    scale: w / artWidth,
    marks: [
      { x: cx, y: y - gap },
      { x: cx, y: y + h + gap },
      { x: x - gap, y: cy },
      { x: x + w + gap, y: cy },
    ],
    printWidthIn,
    warnings,
  };
}

const KAPPA = 0.5522847498;

function circle(cx: number, cy: number, r: number): Subpath {
  const k = r * KAPPA;
  return {
    start: { x: cx + r, y: cy },
    segments: [
      { kind: 'cubic', c1: { x: cx + r, y: cy + k }, c2: { x: cx + k, y: cy + r }, to: { x: cx, y: cy + r } },
      { kind: 'cubic', c1: { x: cx - k, y: cy + r }, c2: { x: cx - r, y: cy + k }, to: { x: cx - r, y: cy } },
      { kind: 'cubic', c1: { x: cx - r, y: cy - k }, c2: { x: cx - k, y: cy - r }, to: { x: cx, y: cy - r } },
      { kind: 'cubic', c1: { x: cx + k, y: cy - r }, c2: { x: cx + r, y: cy - k }, to: { x: cx + r, y: cy } },
    ],
  };
}

function rect(x: number, y: number, w: number, h: number): Subpath {
  return {
    start: { x, y },
    segments: [
      { kind: 'line', to: { x: x + w, y } },
      { kind: 'line', to: { x: x + w, y: y + h } },
      { kind: 'line', to: { x, y: y + h } },
      { kind: 'line', to: { x, y } },
    ],
  };
}

/** The registration colour: prints on every separation (PDF's special /All). */
export const REGISTRATION: SpotColor = { name: 'All', cmyk: [1, 1, 1, 1] };

/**
 * The marks and the label as shapes (each painted on its own, so that their
 * overlaps add up instead of cancelling under even-odd), in the registration colour.
 */
export function markShapes(layout: BoardLayout, label: string): Shape[] {
  const px = (inches: number) => Math.max(1, Math.round(inches * layout.dpi));
  const r = px(MARK.radius);
  const line = px(MARK.line);
  const arm = px(MARK.arm);
  const dot = px(MARK.dot);
  const shapes: Shape[] = [];
  const reg = (subpaths: Subpath[]): Shape => ({ fill: '#000000', spot: REGISTRATION, subpaths });
  for (const m of layout.marks) {
    shapes.push(reg([circle(m.x, m.y, r), circle(m.x, m.y, r - line)]));
    shapes.push(reg([circle(m.x, m.y, dot)]));
    shapes.push(reg([rect(m.x - arm, m.y - line / 2, 2 * arm, line)]));
    shapes.push(reg([rect(m.x - line / 2, m.y - arm, line, 2 * arm)]));
  }
  const size = px(LABEL_DOT_IN);
  // below the bottom mark, left-aligned with the art; cut to the board's width
  const fits = Math.floor((layout.width - layout.art.x - size) / (6 * size));
  const text = label.length > fits ? label.slice(0, Math.max(0, fits)) : label;
  const y = layout.marks[1].y + r + px(0.15);
  if (text && textWidth(text) > 0 && y + 7 * size < layout.height) {
    shapes.push(reg(textSubpaths(text, layout.art.x, y, size)));
  }
  return shapes;
}

/**
 * The whole film as 8-bit grey, black ink on white, ready for libvips: the
 * art box's map (1 = ink) copied in, then the marks and label filled over it.
 */
export function filmBoard(artMap: Uint8Array, layout: BoardLayout, marks: readonly Shape[]): Buffer {
  const grey = Buffer.alloc(layout.width * layout.height, 255);
  const { x, y, width, height } = layout.art;
  for (let r = 0; r < height; r++) {
    const from = r * width;
    const to = (y + r) * layout.width + x;
    for (let c = 0; c < width; c++) if (artMap[from + c]) grey[to + c] = 0;
  }
  const at = { scale: 1, offsetX: 0, offsetY: 0 };
  for (const m of marks) fillSubpaths(grey, layout.width, layout.height, m.subpaths, 0, at);
  return grey;
}

/** The art resampled to the art box at film resolution by libvips (lanczos3, premultiplied, so edges do not darken). */
export async function artAtFilmResolution(art: RgbaImage, layout: BoardLayout): Promise<RgbaImage> {
  const { width, height } = layout.art;
  const { data } = await sharp(art.data, rawDescriptor(art))
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

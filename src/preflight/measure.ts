/**
 * Thin lines, narrow gaps and small dots, measured the way a print process
 * loses them: a morphological opening by a disc as wide as the process's
 * limit keeps every part of a shape a disc of that width fits in; what it
 * removes (the residue) is thinner than the limit. Both steps are exact
 * Euclidean distance transforms (raster/distance.ts), so the cost does not
 * grow with the limit.
 *
 * A residue piece is classed by what it was part of: a whole piece of the
 * piece of area ≥ 2 limit² is a thin line (a hairline standing alone too);
 * a smaller, compact one (within two limits across) that was a whole piece
 * of the mask is a dot (for gaps, a counter that fills in); the small wedges every corner of a wide shape
 * leaves (≈ 0.2 limit² at a right angle) are ignored. A piece's
 * width is 2·(largest distance to the mask's edge, pixel centre to centre) −
 * ½: within half a pixel of a straight band's true width. docs/PREFLIGHT.md.
 */
import type { Rect } from '../io/image.js';
import { distanceTransform } from '../raster/distance.js';

/** One place where the mask is thinner than asked. */
export interface ThinPlace {
  kind: 'line' | 'dot';
  /** Widest point of the piece, px (a line's width; a dot's diameter). */
  widthPx: number;
  areaPx: number;
  /** Bounding box, px. */
  box: Rect;
  /** The piece's pixels (indices into the mask), with `withPixels`. */
  pixels?: Int32Array;
}

/** A residue piece counts as a line from this area on, in squared limit widths (a right-angle corner leaves ≈ 0.2). */
const LINE_AREA = 2;

/**
 * The places where `mask` (width × height, 1 = set) is thinner than
 * `limitPx`, widest first within each kind; at most `max` of them.
 */
export function thinPlaces(
  source: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  limitPx: number,
  max = 200,
  withPixels = false,
): ThinPlace[] {
  // a clear pixel all round: beyond the edge is not ink (a bar at the border is measured across)
  const width = sourceWidth + 2;
  const height = sourceHeight + 2;
  const n = width * height;
  const mask = new Uint8Array(n);
  for (let y = 0; y < sourceHeight; y++) {
    mask.set(source.subarray(y * sourceWidth, (y + 1) * sourceWidth), (y + 1) * width + 1);
  }
  // distance (squared, pixel centres) from each set pixel to the nearest clear one
  const toEdge2 = distanceTransform(invert(mask), width, height, { metric: 'euclidean' });
  const r = (limitPx + 0.5) / 2;
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i++) core[i] = mask[i] && toEdge2[i] >= r * r ? 1 : 0;
  const toCore2 = distanceTransform(core, width, height, { metric: 'euclidean' });
  const residue = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (mask[i] && !(toCore2[i] <= r * r)) {
      residue[i] = 1;
      any = true;
    }
  }
  if (!any) return [];
  const pieces = components8(residue, width, height);
  const whole = components8(mask, width, height, false);
  const places: ThinPlace[] = [];
  for (const p of pieces.list) {
    const wholeArea = whole.list[whole.labels[p.first] - 1].area;
    // long enough to be a line (a lone hairline is one too); else a compact whole piece that vanished is a dot
    const compact = Math.max(p.box.width, p.box.height) <= 2 * limitPx;
    const kind =
      p.area >= LINE_AREA * limitPx * limitPx ? 'line' : wholeArea === p.area && compact ? 'dot' : null;
    if (!kind) continue;
    let d2 = 0;
    for (const i of p.pixels) d2 = Math.max(d2, toEdge2[i]);
    const box = { ...p.box, x: p.box.x - 1, y: p.box.y - 1 };
    const place: ThinPlace = { kind, widthPx: Math.max(1, 2 * Math.sqrt(d2) - 0.5), areaPx: p.area, box };
    if (withPixels) {
      // back to the caller's mask: one pixel of padding off each side
      place.pixels = p.pixels.map((i) => {
        const x = i % width;
        return ((i - x) / width - 1) * sourceWidth + x - 1;
      });
    }
    places.push(place);
  }
  places.sort((a, b) => a.widthPx - b.widthPx || b.areaPx - a.areaPx);
  return places.slice(0, max);
}

function invert(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 0 : 1;
  return out;
}

interface Piece {
  first: number;
  area: number;
  box: Rect;
  pixels: Int32Array;
}

/**
 * 8-connected components (a one-pixel diagonal line is one piece, which the
 * run-based 4-connected labelling of raster/mask.ts would cut into dots).
 */
function components8(
  mask: Uint8Array,
  width: number,
  height: number,
  keepPixels = true,
): { labels: Int32Array; list: Piece[] } {
  const labels = new Int32Array(width * height);
  const list: Piece[] = [];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = list.length + 1;
    let top = 0;
    let count = 0;
    stack[top++] = start;
    labels[start] = label;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    const pixels: number[] = [];
    while (top > 0) {
      const i = stack[--top];
      if (keepPixels) pixels.push(i);
      count++;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (mask[j] && !labels[j]) {
            labels[j] = label;
            stack[top++] = j;
          }
        }
      }
    }
    list.push({
      first: start,
      area: count,
      box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 },
      pixels: Int32Array.from(pixels),
    });
  }
  return { labels, list };
}

/**
 * Thickens each thin line of `places` (from thinPlaces with pixels, on this mask) to `limitPx`:
 * every pixel within (limit − width) / 2 + ½ (at least 1) of the line is set, so it ends at least
 * as wide as the limit. Returns the pixels added.
 */
export function thickenLines(
  mask: Uint8Array,
  width: number,
  height: number,
  places: readonly ThinPlace[],
  limitPx: number,
): number {
  let added = 0;
  for (const p of places) {
    if (p.kind !== 'line' || !p.pixels) continue;
    // at least one pixel: a line a fraction of a pixel too thin still gets wider
    const grow = Math.max(1, (limitPx - p.widthPx) / 2 + 0.5);
    // the piece in a window of its box grown by `grow`, and the distance to it
    const g = Math.ceil(grow);
    const x0 = Math.max(0, p.box.x - g);
    const y0 = Math.max(0, p.box.y - g);
    const x1 = Math.min(width, p.box.x + p.box.width + g);
    const y1 = Math.min(height, p.box.y + p.box.height + g);
    const ww = x1 - x0;
    const wh = y1 - y0;
    const piece = new Uint8Array(ww * wh);
    for (const i of p.pixels) {
      const x = i % width;
      piece[((i - x) / width - y0) * ww + x - x0] = 1;
    }
    const d2 = distanceTransform(piece, ww, wh, { metric: 'euclidean' });
    for (let y = 0; y < wh; y++) {
      for (let x = 0; x < ww; x++) {
        const j = (y + y0) * width + x + x0;
        if (!mask[j] && d2[y * ww + x] <= grow * grow) {
          mask[j] = 1;
          added++;
        }
      }
    }
  }
  return added;
}

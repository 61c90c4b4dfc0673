/**
 * Nesting stickers on a sheet by their cut shapes, not their boxes: a raster
 * "top-left fill" (the y-down form of bottom-left fill, Jakobs 1996; Burke et
 * al. 2006 for the raster form). The sheet is a grid of square cells; each
 * sticker, in each allowed rotation, is a mask of the cells its cut region
 * touches; the next sticker goes to the first position, row by row from the
 * top and left to right, where its mask dilated by the gap meets no placed
 * sticker and its own mask meets no blocked cell (outside the printable area,
 * registration marks). Every rotation is tried and the highest (then
 * leftmost) wins, so concave shapes interlock and round ones settle into
 * each other's gaps.
 *
 * Conservative by construction: a sticker's mask holds every cell whose centre
 * lies inside its region plus every cell its outline passes through, and the
 * dilation reaches gap + √2 cells, so two placed cut paths are never closer
 * than the gap (exactly, not to the grid) — at the price of up to ≈ 1.5 cells
 * of extra space between them.
 *
 * Each row of the grid keeps prefix sums, so testing a span of a mask is O(1);
 * a failed test jumps past the blocking cell instead of stepping one cell.
 */

import { distanceTransform } from '../../raster/distance.js';
import type { Point, Subpath } from '../../vector/path.js';
import { flatten } from '../../vector/transform.js';
import { fillSubpaths } from '../rasterize.js';

/** Quarter turns clockwise (on the y-down sheet). */
export type Rotation = 0 | 90 | 180 | 270;

/** Where one sticker went: its box's top-left corner on the sheet after turning by `rotation`, in mm. */
export interface Placement {
  item: number;
  rotation: Rotation;
  x: number;
  y: number;
}

/** What can be nested: a closed region in its own mm coordinates, its box from (0, 0) to (width, height). */
export interface NestItem {
  region: readonly Subpath[];
  width: number;
  height: number;
}

/** A rectangle in mm on the sheet. */
export interface MmBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NestGrid {
  /** The sheet's size in mm. */
  width: number;
  height: number;
  /** Where stickers may go; everything else is blocked. */
  printable: MmBox;
  /** Further areas no sticker may touch (registration marks and their clearance). */
  keepOut: readonly MmBox[];
  /** Least distance between two cut paths, mm. */
  gap: number;
  /** Grid cell, mm (default 0.25). */
  cell?: number;
  /** Rotations tried (default all four). */
  rotations?: readonly Rotation[];
}

/** A point of an item's region after turning it by `rotation` inside its box (the box turns too). */
export function rotatePoint(p: Point, item: { width: number; height: number }, rotation: Rotation): Point {
  switch (rotation) {
    case 90:
      return { x: item.height - p.y, y: p.x };
    case 180:
      return { x: item.width - p.x, y: item.height - p.y };
    case 270:
      return { x: p.y, y: item.width - p.x };
    default:
      return { x: p.x, y: p.y };
  }
}

/** The box of an item turned by `rotation`. */
export function rotatedSize(item: { width: number; height: number }, rotation: Rotation) {
  return rotation % 180 === 0
    ? { width: item.width, height: item.height }
    : { width: item.height, height: item.width };
}

interface CellBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A mask as row spans: spans[r] lists [from, to) cell pairs of row r. */
interface Mask {
  width: number;
  height: number;
  spans: Int32Array[];
}

/** One grid of the sheet with per-row prefix sums (sum[y][x] = set cells in row y before x). */
class Occupancy {
  readonly cells: Uint8Array;
  readonly sums: Int32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.cells = new Uint8Array(width * height);
    this.sums = new Int32Array((width + 1) * height);
  }

  /** Sets the cells of `mask` placed at (x, y) (cells outside the grid are dropped). */
  add(mask: Mask, x: number, y: number): void {
    for (let r = 0; r < mask.height; r++) {
      const gy = y + r;
      if (gy < 0 || gy >= this.height) continue;
      const spans = mask.spans[r];
      for (let k = 0; k < spans.length; k += 2) {
        const a = Math.max(0, x + spans[k]);
        const b = Math.min(this.width, x + spans[k + 1]);
        if (a < b) this.cells.fill(1, gy * this.width + a, gy * this.width + b);
      }
      this.resum(gy);
    }
  }

  resum(y: number): void {
    const row = y * this.width;
    const s = y * (this.width + 1);
    for (let x = 0; x < this.width; x++) this.sums[s + x + 1] = this.sums[s + x] + this.cells[row + x];
  }

  /**
   * 0 when `mask` at (x, y) meets no set cell (cells beyond the grid count as
   * free); else how far x must move right at least before it could.
   */
  clash(mask: Mask, x: number, y: number): number {
    const w = this.width;
    for (let r = 0; r < mask.height; r++) {
      const gy = y + r;
      if (gy < 0 || gy >= this.height) continue;
      const spans = mask.spans[r];
      const s = gy * (w + 1);
      for (let k = 0; k < spans.length; k += 2) {
        const a = Math.max(0, x + spans[k]);
        const b = Math.min(w, x + spans[k + 1]);
        if (a >= b || this.sums[s + b] === this.sums[s + a]) continue;
        // the rightmost set cell of the span: the mask must clear it
        let last = b - 1;
        while (this.cells[gy * w + last] === 0) last--;
        return Math.max(1, last - (x + spans[k]) + 1);
      }
    }
    return 0;
  }
}

function spansOf(bits: Uint8Array, width: number, height: number): Int32Array[] {
  const rows: Int32Array[] = [];
  for (let y = 0; y < height; y++) {
    const out: number[] = [];
    let x = 0;
    while (x < width) {
      while (x < width && bits[y * width + x] === 0) x++;
      if (x >= width) break;
      const from = x;
      while (x < width && bits[y * width + x] === 1) x++;
      out.push(from, x);
    }
    rows.push(Int32Array.from(out));
  }
  return rows;
}

/** The item's cells at this rotation (centres inside, plus every cell its outline crosses), and that mask dilated by `reach` cells. */
function masks(item: NestItem, rotation: Rotation, cell: number, reach: number): { own: Mask; grown: Mask } {
  const size = rotatedSize(item, rotation);
  const w = Math.max(1, Math.ceil(size.width / cell));
  const h = Math.max(1, Math.ceil(size.height / cell));
  const turned = item.region.map((sp) => flatten(sp, cell / 8).map((p) => rotatePoint(p, item, rotation)));
  const polygons: Subpath[] = turned.map((pts) => ({
    start: pts[0],
    segments: pts.slice(1).map((to) => ({ kind: 'line' as const, to })),
  }));
  const bits = new Uint8Array(w * h);
  fillSubpaths(bits, w, h, polygons, 1, { scale: 1 / cell, offsetX: 0, offsetY: 0 });
  const mark = (p: Point) => {
    const x = Math.min(w - 1, Math.max(0, Math.floor(p.x / cell)));
    const y = Math.min(h - 1, Math.max(0, Math.floor(p.y / cell)));
    bits[y * w + x] = 1;
  };
  for (const pts of turned) {
    for (let k = 0; k < pts.length; k++) {
      const a = pts[k];
      const b = pts[(k + 1) % pts.length];
      const steps = Math.max(1, Math.ceil((4 * Math.hypot(b.x - a.x, b.y - a.y)) / cell));
      for (let s = 0; s < steps; s++) {
        mark({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
      }
    }
  }
  const pad = Math.ceil(reach);
  const gw = w + 2 * pad;
  const gh = h + 2 * pad;
  const padded = new Uint8Array(gw * gh);
  for (let y = 0; y < h; y++) padded.set(bits.subarray(y * w, y * w + w), (y + pad) * gw + pad);
  const d2 = distanceTransform(padded, gw, gh, { metric: 'euclidean', to: 'squares' });
  const grown = new Uint8Array(gw * gh);
  const r2 = reach * reach;
  for (let i = 0; i < grown.length; i++) grown[i] = d2[i] < r2 ? 1 : 0;
  return {
    own: { width: w, height: h, spans: spansOf(bits, w, h) },
    grown: { width: gw, height: gh, spans: spansOf(grown, gw, gh) },
  };
}

/**
 * The sheet being filled: `place` puts one more copy of an item at the first
 * free position, or returns null when it fits nowhere.
 */
export class Nester {
  readonly cell: number;
  private readonly stickers: Occupancy;
  private readonly blocked: Occupancy;
  private readonly reach: number;
  private readonly rotations: readonly Rotation[];
  private readonly cache = new Map<string, { own: Mask; grown: Mask; pad: number }>();
  /** The printable area and the keep-outs, in whole cells ([x0, x1) × [y0, y1)). */
  private readonly area: CellBox;
  private readonly keepOut: CellBox[];
  /** Per mask, where its next search starts. */
  private readonly resume = new Map<string, { x: number; y: number }>();
  /** Items that once found no place: no later, fuller sheet has room for them either. */
  private readonly full = new Set<NestItem>();

  constructor(grid: NestGrid) {
    this.cell = grid.cell ?? 0.25;
    const w = Math.ceil(grid.width / this.cell);
    const h = Math.ceil(grid.height / this.cell);
    this.stickers = new Occupancy(w, h);
    this.blocked = new Occupancy(w, h);
    this.reach = grid.gap / this.cell + Math.SQRT2;
    this.rotations = grid.rotations?.length ? grid.rotations : [0, 90, 180, 270];
    // blocked: every cell not wholly inside the printable area, and every cell a keep-out touches
    const p = grid.printable;
    const x0 = Math.ceil(p.x / this.cell);
    const y0 = Math.ceil(p.y / this.cell);
    const x1 = Math.floor((p.x + p.width) / this.cell);
    const y1 = Math.floor((p.y + p.height) / this.cell);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (x < x0 || x >= x1 || y < y0 || y >= y1) this.blocked.cells[y * w + x] = 1;
      }
    }
    for (const k of grid.keepOut) {
      const kx0 = Math.max(0, Math.floor(k.x / this.cell));
      const ky0 = Math.max(0, Math.floor(k.y / this.cell));
      const kx1 = Math.min(w, Math.ceil((k.x + k.width) / this.cell));
      const ky1 = Math.min(h, Math.ceil((k.y + k.height) / this.cell));
      for (let y = ky0; y < ky1; y++) this.blocked.cells.fill(1, y * w + kx0, y * w + kx1);
    }
    for (let y = 0; y < h; y++) this.blocked.resum(y);
    this.area = { x0, y0, x1, y1 };
    this.keepOut = grid.keepOut.map((k) => ({
      x0: Math.floor(k.x / this.cell),
      y0: Math.floor(k.y / this.cell),
      x1: Math.ceil((k.x + k.width) / this.cell),
      y1: Math.ceil((k.y + k.height) / this.cell),
    }));
  }

  private masksOf(item: NestItem, rotation: Rotation, key: string) {
    let m = this.cache.get(key);
    if (!m) {
      const { own, grown } = masks(item, rotation, this.cell, this.reach);
      m = { own, grown, pad: (grown.width - own.width) / 2 };
      this.cache.set(key, m);
    }
    return m;
  }

  /**
   * The first free position of the item over every allowed rotation, or null.
   * Cells only ever fill, so a mask's first free position never moves back:
   * each search resumes where the last one for that mask stopped.
   */
  find(item: NestItem, id: number): Placement | null {
    if (this.full.has(item)) return null;
    let best: { x: number; y: number; rotation: Rotation } | null = null;
    for (const rotation of this.rotations) {
      const key = `${id}:${rotation}`;
      const m = this.masksOf(item, rotation, key);
      const { x0, y0, x1, y1 } = this.area;
      const from = this.resume.get(key) ?? { x: x0, y: y0 };
      const lastY = y1 - m.own.height;
      const maxY = best ? Math.min(best.y, lastY) : lastY;
      let found: { x: number; y: number } | null = null;
      for (let y = from.y; y <= maxY && !found; y++) {
        const maxX = best && y === best.y ? best.x - 1 : x1 - m.own.width;
        let x = y === from.y ? from.x : x0;
        // keep-outs are few boxes: the exact test only where the mask's box meets one
        const rows = this.keepOut.filter((k) => k.y0 < y + m.own.height && y < k.y1);
        while (x <= maxX) {
          const a = rows.some((k) => k.x0 < x + m.own.width && x < k.x1)
            ? this.blocked.clash(m.own, x, y)
            : 0;
          if (a) {
            x += a;
            continue;
          }
          const b = this.stickers.clash(m.grown, x - m.pad, y - m.pad);
          if (b) {
            x += b;
            continue;
          }
          found = { x, y };
          break;
        }
      }
      if (found) {
        this.resume.set(key, found);
        best = { ...found, rotation };
      } else if (!best) this.resume.set(key, { x: x0, y: lastY + 1 });
    }
    if (!best) {
      this.full.add(item);
      return null;
    }
    return { item: id, rotation: best.rotation, x: best.x * this.cell, y: best.y * this.cell };
  }

  /** Finds a place for the item and takes it; null when none is left. */
  place(item: NestItem, id: number): Placement | null {
    const at = this.find(item, id);
    if (!at) return null;
    const m = this.masksOf(item, at.rotation, `${id}:${at.rotation}`);
    this.stickers.add(m.own, Math.round(at.x / this.cell), Math.round(at.y / this.cell));
    return at;
  }
}

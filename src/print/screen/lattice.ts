/**
 * The screen's lattice (index.ts): dot shapes, options, and `ScreenGrid`, the
 * rotated square lattice of cells over an image (point ↔ cell, cell centres,
 * cell ids).
 */
import type { Point } from '../../vector/path.js';

export const DOT_SHAPES = ['round', 'square', 'line', 'ellipse'] as const;
/**
 * round: circles (they touch their four neighbours at 78.5 %, then fill the cell's corners);
 * square: squares on the lattice; line: bands along the screen angle;
 * ellipse: ellipses 0.7 as wide across the screen as along it (chains join along the screen at 55 %).
 */
export type DotShape = (typeof DOT_SHAPES)[number];

/** Minor/major axis ratio of the elliptical dot. */
export const ELLIPSE_RATIO = 0.7;

export interface ScreenOptions {
  /** Screen period (cell side) in pixels; for a print: pixels per inch / LPI. */
  cellPx: number;
  /** Screen angle in degrees, counter-clockwise from the image's x axis as seen on the page (y down). */
  angleDeg: number;
  shape: DotShape;
  /**
   * Smallest dot that holds (0–1 of the cell, default 0): tints below minDot / 2
   * print nothing, tints from minDot / 2 up to minDot print a minDot dot.
   */
  minDot?: number;
  /**
   * Largest dot short of solid (0–1, default 1): tints above maxDot print a
   * maxDot dot up to (maxDot + 1) / 2, solid ink above that.
   */
  maxDot?: number;
  /**
   * Subsamples per pixel side (1–15, default 1). 1 gives a hard 0/255 mask (a
   * film); n > 1 gives each pixel the share of its n × n subsamples that are
   * ink (anti-aliased, for screen previews).
   */
  samples?: number;
  /** Where a cell centre lies, in pixels (default: the image centre). */
  origin?: Point;
}

/** One dot: cell (i, j) of the lattice, its centre in pixels, its tint after clipping. */
export interface Dot {
  i: number;
  j: number;
  /** The cell's id in `ScreenGrid` (row-major over the lattice's bounding box). */
  cell: number;
  x: number;
  y: number;
  /** Share of the cell the dot covers, 0–1, a multiple of 1/255. */
  tint: number;
}

/** The rotated lattice over a width × height image: point ↔ cell, cell centres, cell ids. */
export class ScreenGrid {
  readonly cos: number;
  readonly sin: number;
  /** u = uX·x + uY·y + u0 and v = vX·x + vY·y + v0, in cells, for an image point (x, y). */
  readonly uX: number;
  readonly uY: number;
  readonly u0: number;
  readonly vX: number;
  readonly vY: number;
  readonly v0: number;
  /** Lattice indices of the cells touching the image: i0 ≤ i < i0 + cols, j0 ≤ j < j0 + rows. */
  readonly i0: number;
  readonly j0: number;
  readonly cols: number;
  readonly rows: number;
  readonly origin: Point;
  private ids: Int32Array | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly cellPx: number,
    readonly angleDeg: number,
    origin?: Point,
  ) {
    if (!(cellPx > 0) || !Number.isFinite(cellPx))
      throw new RangeError(`cell size must be > 0, got ${cellPx}`);
    const a = (angleDeg * Math.PI) / 180;
    // exact values on the axes and diagonals, so 0° and 90° screens are pixel-aligned
    this.cos = roundTiny(Math.cos(a));
    this.sin = roundTiny(Math.sin(a));
    this.origin = origin ?? { x: width / 2, y: height / 2 };
    const { x: ox, y: oy } = this.origin;
    const c = this.cos / cellPx;
    const s = this.sin / cellPx;
    // u runs along the screen direction (cos, −sin) in y-down pixels, v across it (sin, cos)
    this.uX = c;
    this.uY = -s;
    this.u0 = -ox * c + oy * s;
    this.vX = s;
    this.vY = c;
    this.v0 = -ox * s - oy * c;
    let uMin = Infinity;
    let uMax = -Infinity;
    let vMin = Infinity;
    let vMax = -Infinity;
    for (const [x, y] of [
      [0, 0],
      [width, 0],
      [0, height],
      [width, height],
    ]) {
      const u = this.uX * x + this.uY * y + this.u0;
      const v = this.vX * x + this.vY * y + this.v0;
      uMin = Math.min(uMin, u);
      uMax = Math.max(uMax, u);
      vMin = Math.min(vMin, v);
      vMax = Math.max(vMax, v);
    }
    this.i0 = Math.floor(uMin + 0.5);
    this.j0 = Math.floor(vMin + 0.5);
    this.cols = Math.floor(uMax + 0.5) - this.i0 + 1;
    this.rows = Math.floor(vMax + 0.5) - this.j0 + 1;
  }

  /** Number of cell ids (the lattice's bounding box; some of its cells miss the image). */
  get cellCount(): number {
    return this.cols * this.rows;
  }

  /** The id of cell (i, j), or -1 outside the lattice's bounding box. */
  cellId(i: number, j: number): number {
    const ci = i - this.i0;
    const cj = j - this.j0;
    return ci < 0 || cj < 0 || ci >= this.cols || cj >= this.rows ? -1 : cj * this.cols + ci;
  }

  /** The id of the cell holding image point (x, y), or -1. */
  cellAt(x: number, y: number): number {
    const u = this.uX * x + this.uY * y + this.u0;
    const v = this.vX * x + this.vY * y + this.v0;
    return this.cellId(Math.floor(u + 0.5), Math.floor(v + 0.5));
  }

  /** Image point of screen point (u, v) (cell units). */
  toImage(u: number, v: number): Point {
    const k = this.cellPx;
    return {
      x: this.origin.x + k * (u * this.cos + v * this.sin),
      y: this.origin.y + k * (-u * this.sin + v * this.cos),
    };
  }

  /** The cell id of every pixel (by its centre), row by row; computed once per grid. */
  cellIds(): Int32Array {
    if (this.ids) return this.ids;
    const { width, height, uX, uY, u0, vX, vY, v0, i0, j0, cols, rows } = this;
    const ids = new Int32Array(width * height);
    for (let y = 0; y < height; y++) {
      const yc = y + 0.5;
      const uRow = uY * yc + u0 + 0.5;
      const vRow = vY * yc + v0 + 0.5;
      for (let x = 0, p = y * width; x < width; x++, p++) {
        const xc = x + 0.5;
        const ci = Math.floor(uRow + uX * xc) - i0;
        const cj = Math.floor(vRow + vX * xc) - j0;
        // pixel centres always fall inside the bounding box; the clamp only guards rounding
        ids[p] = clampInt(cj, rows) * cols + clampInt(ci, cols);
      }
    }
    this.ids = ids;
    return ids;
  }
}

function roundTiny(v: number): number {
  return Math.abs(v) < 1e-12 ? 0 : Math.abs(Math.abs(v) - 1) < 1e-12 ? Math.sign(v) : v;
}

function clampInt(v: number, n: number): number {
  return v < 0 ? 0 : v >= n ? n - 1 : v;
}

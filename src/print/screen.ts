/**
 * Long file: to be split along its banners (lattice, dot shapes, rasterising) with the rooms work
 * of issue #15.
 *
 * Amplitude-modulated (AM) halftone screen: a rotated square lattice of cells,
 * one dot per cell, whose size follows the tint. Shared by the `halftone`
 * style effect and by process-colour separation films, so both screen alike.
 *
 * How (docs/HALFTONE.md):
 *   - A point's screen coordinates (u, v) are its image position rotated by
 *     the screen angle and divided by the cell size; cell (i, j) is the unit
 *     square centred on (u, v) = (i, j), and the image centre is a cell centre.
 *   - Each shape has an analytic spot function: the share of the cell that a
 *     dot covers when its outline passes through a point. A point is ink when
 *     that share is below the tint, so a dot of tint t covers exactly t of its
 *     cell (dot area ∝ tint) — round dots included after they merge with their
 *     neighbours (the circle is clipped to the cell) and ellipses alike.
 *   - Per tint level (0–255) the spot function is inverted once into a limit
 *     on a cheap metric (ρ², max(|u|,|v|), |v|), so the per-pixel work is a few
 *     multiplications and one comparison: no sqrt, no allocation.
 *
 * Two forms: `screenMask` thresholds a per-pixel tint (a RIP's film, where the
 * art's edges cut through dots), and `screenDots` averages the tint over each
 * cell into one dot per cell, which `renderDots` draws as pixels and
 * `dotOutline` / `lineBands` give as vector outlines (the path model) — the
 * same dots either way. Deterministic: no randomness, no platform-dependent
 * order.
 */
import type { Point, Segment, Subpath } from '../vector/path.js';

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

// ------------------------------------------------------------ spot functions

/** Area of a circle of radius r (centre 0) inside the rectangle |x| ≤ hx, |y| ≤ hy. */
function circleInRect(r: number, hx: number, hy: number): number {
  if (r * r >= hx * hx + hy * hy) return 4 * hx * hy;
  // beyond each side a circular segment is cut off; below the corner radius no two overlap
  const seg = (d: number) => (d >= r ? 0 : r * r * Math.acos(d / r) - d * Math.sqrt(r * r - d * d));
  return Math.PI * r * r - 2 * seg(hx) - 2 * seg(hy);
}

/**
 * Share of the unit cell covered by the round (k = 1) or elliptical dot of
 * "radius" ρ: the set u² + (v / k)² < ρ², clipped to the cell. Scaling v by
 * 1/k turns it into a circle in a 1 × 1/k rectangle, with area scaled by k.
 */
export function ellipseCoverage(rho: number, k = 1): number {
  return k * circleInRect(rho, 0.5, 0.5 / k);
}

/** ρ² at which the round/elliptical dot covers `t` of its cell (bisection; called 256 times per screen). */
function ellipseLimit(t: number, k: number): number {
  let lo = 0;
  let hi = Math.sqrt(0.25 + 0.25 / (k * k));
  for (let n = 0; n < 60; n++) {
    const mid = (lo + hi) / 2;
    if (ellipseCoverage(mid, k) < t) lo = mid;
    else hi = mid;
  }
  const r = (lo + hi) / 2;
  return r * r;
}

/**
 * The limit on the shape's metric below which a point is ink, for a dot
 * covering `t` of its cell. Metrics (u, v relative to the cell centre, in
 * cells): round u² + v², ellipse u² + (v/k)², square max(|u|, |v|), line |v|.
 */
export function spotLimit(shape: DotShape, t: number): number {
  if (t <= 0) return -1; // metrics are ≥ 0: nothing is ink
  if (t >= 1) return Infinity; // everything is ink, cell corners included
  switch (shape) {
    case 'round':
      return ellipseLimit(t, 1);
    case 'ellipse':
      return ellipseLimit(t, ELLIPSE_RATIO);
    case 'square':
      return Math.sqrt(t) / 2;
    default:
      return t / 2;
  }
}

/** The tint a dot gets after the min/max dot rules (see ScreenOptions). */
export function clipTint(t: number, minDot = 0, maxDot = 1): number {
  if (!(t > 0)) return 0;
  if (t >= 1) return 1;
  if (t < minDot) return t < minDot / 2 ? 0 : minDot;
  if (t > maxDot) return t < (maxDot + 1) / 2 ? maxDot : 1;
  return t;
}

/** Per tint byte: the metric limit after clipping. Unclipped tables are shared (dots and outlines use them). */
function limitTable(shape: DotShape, minDot = 0, maxDot = 1): Float64Array {
  const shared = minDot === 0 && maxDot === 1;
  const cached = shared ? PLAIN_LIMITS.get(shape) : undefined;
  if (cached) return cached;
  const table = new Float64Array(256);
  for (let b = 0; b < 256; b++) table[b] = spotLimit(shape, clipTint(b / 255, minDot, maxDot));
  if (shared) PLAIN_LIMITS.set(shape, table);
  return table;
}

const PLAIN_LIMITS = new Map<DotShape, Float64Array>();

/** The limits as distances (√ of the squared metrics of round and elliptical dots), for the pixel shortcut. */
function distanceTable(shape: DotShape, limits: Float64Array): Float64Array {
  const squared = shape === 'round' || shape === 'ellipse';
  return limits.map((l) => (l < 0 ? -Infinity : squared ? Math.sqrt(l) : l));
}

// ------------------------------------------------------------ rasterising

/** Subsample count per side, checked. */
function samplesOf(n: number | undefined): number {
  const s = n ?? 1;
  if (!Number.isInteger(s) || s < 1 || s > 15) throw new RangeError(`samples must be 1–15, got ${s}`);
  return s;
}

/** The shape's metric as a distance (1-Lipschitz; the ellipse's 1/k): √(u² + v²), √(u² + v²/k²), max(|u|, |v|), |v|. */
function metricDistance(kind: number, u: number, v: number, kInv2: number): number {
  if (kind === 0) return Math.sqrt(u * u + v * v);
  if (kind === 1) return Math.sqrt(u * u + v * v * kInv2);
  if (kind === 2) return Math.max(Math.abs(u), Math.abs(v));
  return Math.abs(v);
}

/** Safety margin of the pixel shortcut against rounding. */
const EPS = 1e-9;

/**
 * The shared pixel loop. Each subsample finds its cell (i, j) and its offset
 * (fu, fv) from the cell centre, takes its tint byte from `pixelTint` (per
 * pixel) or `cellTint` (per cell id) and is ink when the shape's metric is
 * below that byte's limit. With subsamples, a pixel wholly inside or wholly
 * outside the dots of every cell it reaches (judged at its centre, with the
 * pixel's half-diagonal as margin) is decided at once: only pixels on a dot's
 * outline are subsampled. `inkCell`, when given, receives the cell of the
 * last ink subsample of each pixel (−1 for none), so callers can colour it.
 */
function rasterize(
  grid: ScreenGrid,
  shape: DotShape,
  samples: number,
  limits: Float64Array,
  pixelTint: Uint8Array | null,
  cellTint: Uint8Array | null,
  inkCell?: Int32Array,
): Uint8Array {
  const { width, height, uX, uY, u0, vX, vY, v0, i0, j0, cols, rows } = grid;
  const out = new Uint8Array(width * height);
  if (inkCell) inkCell.fill(-1);
  const step = 1 / samples;
  const full = samples * samples;
  const kInv2 = 1 / (ELLIPSE_RATIO * ELLIPSE_RATIO);
  const metricKind = shape === 'round' ? 0 : shape === 'ellipse' ? 1 : shape === 'square' ? 2 : 3;
  // the shortcut: a pixel's points lie within its half-diagonal (in cells) of its centre; the
  // distance metric moves at most `lip` times as far (the ellipse's is stretched across by 1/k)
  const shortcut = samples > 1;
  const halfDiag = Math.SQRT1_2 / grid.cellPx;
  const lip = metricKind === 1 ? 1 / ELLIPSE_RATIO : 1;
  const reach = halfDiag * lip + EPS;
  const dist = distanceTable(shape, limits);
  const inner = 0.5 - halfDiag - EPS;
  // tiles of pixels whose every subsample can only reach empty cells: nothing to draw there
  const empty = cellTint ? emptyTiles(grid, cellTint) : null;
  const tilesX = (width + TILE - 1) >> TILE_BITS;
  for (let y = 0; y < height; y++) {
    const yc = y + 0.5;
    const uRowC = uY * yc + u0;
    const vRowC = vY * yc + v0;
    const tileRow = (y >> TILE_BITS) * tilesX;
    for (let x = 0, p = y * width; x < width; x++, p++) {
      if (empty?.[tileRow + (x >> TILE_BITS)]) {
        const next = Math.min(width, ((x >> TILE_BITS) + 1) << TILE_BITS);
        p += next - 1 - x;
        x = next - 1;
        continue;
      }
      // with the shortcut: when every point of the pixel lies in its own cell, that cell and its tint
      let ownI = 0;
      let ownJ = 0;
      let ownLevel = -1;
      let ownCellOnly = -1;
      if (shortcut) {
        const xc = x + 0.5;
        const u = uRowC + uX * xc;
        const v = vRowC + vX * xc;
        const i = Math.floor(u + 0.5);
        const j = Math.floor(v + 0.5);
        const fu = u - i;
        const fv = v - j;
        // the cells the pixel can reach: its own, and across each side it comes near
        const di = fu >= inner ? 1 : fu <= -inner ? -1 : 0;
        const dj = fv >= inner ? 1 : fv <= -inner ? -1 : 0;
        let allOut = true;
        let allIn = true;
        let ownCell = -1;
        for (let nj = 0; nj <= (dj === 0 ? 0 : 1) && (allOut || allIn); nj++) {
          for (let ni = 0; ni <= (di === 0 ? 0 : 1) && (allOut || allIn); ni++) {
            const ii = i + ni * di;
            const jj = j + nj * dj;
            let level = 0;
            let cell = -1;
            if (cellTint) {
              const ci = ii - i0;
              const cj = jj - j0;
              if (ci >= 0 && cj >= 0 && ci < cols && cj < rows) {
                cell = (cj * cols + ci) | 0;
                level = cellTint[cell];
              }
            } else level = (pixelTint as Uint8Array)[p];
            if (ni === 0 && nj === 0) {
              ownCell = cell;
              if (di === 0 && dj === 0) {
                ownI = i;
                ownJ = j;
                ownLevel = level;
                ownCellOnly = cell;
              }
            }
            const lim = dist[level];
            if (lim === -Infinity) {
              allIn = false;
              continue;
            }
            const gu = fu - ni * di;
            const gv = fv - nj * dj;
            const e = metricDistance(metricKind, gu, gv, kInv2);
            if (e + reach >= lim) allIn = false;
            if (e - reach < lim) allOut = false;
          }
        }
        if (allOut) continue;
        if (allIn) {
          out[p] = 255;
          if (inkCell) inkCell[p] = ownCell;
          continue;
        }
      }
      let count = 0;
      let last = -1;
      if (ownLevel > 0) {
        // every subsample lies in cell (ownI, ownJ) (the pixel keeps its half-diagonal off the
        // cell's sides): the same points, offsets and comparisons without finding the cell each time
        const limit = limits[ownLevel];
        for (let sy = 0; sy < samples; sy++) {
          const ys = y + (sy + 0.5) * step;
          const uRow = uY * ys + u0;
          const vRow = vY * ys + v0;
          for (let sx = 0; sx < samples; sx++) {
            const xs = x + (sx + 0.5) * step;
            const fu = uRow + uX * xs - ownI;
            const fv = vRow + vX * xs - ownJ;
            let m: number;
            if (metricKind === 0) m = fu * fu + fv * fv;
            else if (metricKind === 1) m = fu * fu + fv * fv * kInv2;
            else if (metricKind === 2) m = Math.max(Math.abs(fu), Math.abs(fv));
            else m = Math.abs(fv);
            if (m < limit) count++;
          }
        }
        if (count === 0) continue;
        out[p] = count === full ? 255 : Math.round((count * 255) / full);
        if (inkCell) inkCell[p] = ownCellOnly;
        continue;
      }
      for (let sy = 0; sy < samples; sy++) {
        const ys = y + (sy + 0.5) * step;
        const uRow = uY * ys + u0;
        const vRow = vY * ys + v0;
        for (let sx = 0; sx < samples; sx++) {
          const xs = x + (sx + 0.5) * step;
          const u = uRow + uX * xs;
          const v = vRow + vX * xs;
          const i = Math.floor(u + 0.5);
          const j = Math.floor(v + 0.5);
          let level = 0;
          let cell = -1;
          if (cellTint) {
            const ci = i - i0;
            const cj = j - j0;
            if (ci < 0 || cj < 0 || ci >= cols || cj >= rows) continue;
            cell = (cj * cols + ci) | 0;
            level = cellTint[cell];
          } else level = (pixelTint as Uint8Array)[p];
          if (level === 0) continue;
          const fu = u - i;
          const fv = v - j;
          let m: number;
          if (metricKind === 0) m = fu * fu + fv * fv;
          else if (metricKind === 1) m = fu * fu + fv * fv * kInv2;
          else if (metricKind === 2) m = Math.max(Math.abs(fu), Math.abs(fv));
          else m = Math.abs(fv);
          if (m < limits[level]) {
            count++;
            last = cell;
          }
        }
      }
      if (count === 0) continue;
      out[p] = count === full ? 255 : Math.round((count * 255) / full);
      if (inkCell) inkCell[p] = last;
    }
  }
  return out;
}

/** Side of the square tiles of pixels that `rasterize` skips when they reach only empty cells. */
const TILE_BITS = 4;
const TILE = 1 << TILE_BITS;

/**
 * Per tile of TILE × TILE pixels (row by row), 1 when every cell that any point of
 * it lies in, or that its pixels' shortcut looks across to (a neighbour of
 * those), has tint 0 or lies off the lattice: every pixel there stays 0.
 * The tile's cells are bounded through its corners (u and v are linear), with
 * a margin far above the rounding.
 */
function emptyTiles(grid: ScreenGrid, cellTint: Uint8Array): Uint8Array {
  const { width, height, uX, uY, u0, vX, vY, v0, i0, j0, cols, rows } = grid;
  const tilesX = (width + TILE - 1) >> TILE_BITS;
  const tilesY = (height + TILE - 1) >> TILE_BITS;
  const empty = new Uint8Array(tilesX * tilesY);
  const margin = 1e-6;
  for (let ty = 0; ty < tilesY; ty++) {
    const y0 = ty << TILE_BITS;
    const y1 = Math.min(height, y0 + TILE);
    for (let tx = 0; tx < tilesX; tx++) {
      const x0 = tx << TILE_BITS;
      const x1 = Math.min(width, x0 + TILE);
      let uMin = Infinity;
      let uMax = -Infinity;
      let vMin = Infinity;
      let vMax = -Infinity;
      for (let c = 0; c < 4; c++) {
        const x = c & 1 ? x1 : x0;
        const y = c & 2 ? y1 : y0;
        const u = uX * x + uY * y + u0;
        const v = vX * x + vY * y + v0;
        if (u < uMin) uMin = u;
        if (u > uMax) uMax = u;
        if (v < vMin) vMin = v;
        if (v > vMax) vMax = v;
      }
      const ciLo = Math.max(0, Math.floor(uMin + 0.5 - margin) - 1 - i0);
      const ciHi = Math.min(cols - 1, Math.floor(uMax + 0.5 + margin) + 1 - i0);
      const cjLo = Math.max(0, Math.floor(vMin + 0.5 - margin) - 1 - j0);
      const cjHi = Math.min(rows - 1, Math.floor(vMax + 0.5 + margin) + 1 - j0);
      let ink = false;
      for (let cj = cjLo; cj <= cjHi && !ink; cj++) {
        for (let ci = ciLo; ci <= ciHi; ci++) {
          if (cellTint[cj * cols + ci] !== 0) {
            ink = true;
            break;
          }
        }
      }
      if (!ink) empty[ty * tilesX + tx] = 1;
    }
  }
  return empty;
}

/**
 * Screens a per-pixel tint (0–255 per pixel, 255 = solid ink) into dots, the
 * way a RIP makes a film: each pixel compares its own tint with the spot
 * function, so the art's edges cut through dots. Returns one byte per pixel:
 * 0 or 255 (255 = ink) with `samples` 1, otherwise the ink share of the
 * pixel's subsamples. A uniform tint t covers t of the area (exactly in the
 * limit of small pixels; within a few tenths of a percent over many cells).
 */
export function screenMask(tint: Uint8Array, width: number, height: number, o: ScreenOptions): Uint8Array {
  if (tint.length !== width * height) {
    throw new RangeError(`Expected ${width * height} tint values but received ${tint.length}`);
  }
  const grid = new ScreenGrid(width, height, o.cellPx, o.angleDeg, o.origin);
  return rasterize(grid, o.shape, samplesOf(o.samples), limitTable(o.shape, o.minDot, o.maxDot), tint, null);
}

/**
 * One dot per cell: the tint averaged over the pixels whose centres lie in the
 * cell (so a cell the image edge cuts is judged by its part inside the image),
 * then clipped by minDot / maxDot. Cells whose dot is empty are left out; dots
 * come in cell-id order (row by row across the screen).
 */
export function screenDots(
  tint: Uint8Array,
  width: number,
  height: number,
  o: ScreenOptions,
): { grid: ScreenGrid; dots: Dot[] } {
  if (tint.length !== width * height) {
    throw new RangeError(`Expected ${width * height} tint values but received ${tint.length}`);
  }
  const grid = new ScreenGrid(width, height, o.cellPx, o.angleDeg, o.origin);
  const ids = grid.cellIds();
  const sum = new Float64Array(grid.cellCount);
  const count = new Uint32Array(grid.cellCount);
  for (let p = 0; p < ids.length; p++) {
    sum[ids[p]] += tint[p];
    count[ids[p]]++;
  }
  const dots: Dot[] = [];
  for (let cell = 0; cell < sum.length; cell++) {
    if (count[cell] === 0 || sum[cell] === 0) continue;
    const level = Math.round(clipTint(sum[cell] / count[cell] / 255, o.minDot, o.maxDot) * 255);
    if (level === 0) continue;
    const i = grid.i0 + (cell % grid.cols);
    const j = grid.j0 + Math.floor(cell / grid.cols);
    const { x, y } = grid.toImage(i, j);
    dots.push({ i, j, cell, x, y, tint: level / 255 });
  }
  return { grid, dots };
}

/**
 * Draws dots (from `screenDots`, possibly edited) as pixels on the grid's
 * image: one byte of ink coverage per pixel (see ScreenOptions.samples). With
 * `inkCell`, each pixel also gets the cell id of the dot that inks it (−1 for
 * none), to colour dots one by one.
 */
export function renderDots(
  grid: ScreenGrid,
  dots: readonly Dot[],
  o: { shape: DotShape; samples?: number; inkCell?: Int32Array },
): Uint8Array {
  const cellTint = new Uint8Array(grid.cellCount);
  for (const d of dots) cellTint[d.cell] = Math.round(d.tint * 255);
  return rasterize(grid, o.shape, samplesOf(o.samples), limitTable(o.shape), null, cellTint, o.inkCell);
}

// ------------------------------------------------------------ outlines

/** The metric limit of a dot, in cells: radius (round), semi-major axis (ellipse), half side (square), half width (line). */
export function dotExtent(shape: DotShape, tint: number): number {
  // dots' tints are whole levels of 255: their limits are in the shared table
  const level = Math.round(tint * 255);
  const limit = Math.abs(tint * 255 - level) < 1e-9 ? limitTable(shape)[level] : spotLimit(shape, tint);
  if (!Number.isFinite(limit)) return shape === 'round' || shape === 'ellipse' ? Infinity : 0.5;
  return shape === 'round' || shape === 'ellipse' ? Math.sqrt(limit) : limit;
}

/** Whether the dot lies wholly inside its cell (a round one can then be written as a plain circle). */
export function dotIsWhole(shape: DotShape, tint: number): boolean {
  const e = dotExtent(shape, tint);
  return shape === 'line' ? false : e <= 0.5;
}

/** Cubic Bézier control factor for a circular arc of `span` radians (≤ π/2). */
function arcK(span: number): number {
  return (4 / 3) * Math.tan(span / 4);
}

/**
 * Outline of one dot in image pixels (path model: closed, lines and cubics).
 * Round and elliptical dots that outgrow their cell are clipped to it (four
 * arcs joined by pieces of the cell's sides); a line dot is its cell's piece
 * of the band (`lineBands` joins neighbours into one outline).
 */
export function dotOutline(grid: ScreenGrid, dot: Dot, shape: DotShape): Subpath {
  const at = (u: number, v: number) => grid.toImage(dot.i + u, dot.j + v);
  const polygon = (pts: [number, number][]): Subpath => ({
    start: at(pts[0][0], pts[0][1]),
    segments: pts.slice(1).map(([u, v]): Segment => ({ kind: 'line', to: at(u, v) })),
  });
  if (dot.tint >= 1) {
    return polygon([
      [-0.5, -0.5],
      [0.5, -0.5],
      [0.5, 0.5],
      [-0.5, 0.5],
    ]);
  }
  if (shape === 'square' || shape === 'line') {
    const e = dotExtent(shape, dot.tint);
    const h = shape === 'square' ? e : 0.5;
    return polygon([
      [-h, -e],
      [h, -e],
      [h, e],
      [-h, e],
    ]);
  }
  const k = shape === 'ellipse' ? ELLIPSE_RATIO : 1;
  const r = dotExtent(shape, dot.tint);
  // the dot in the stretched frame (u, v/k) is a circle of radius r in a 1 × 1/k box
  const hu = 0.5;
  const hv = 0.5 / k;
  // arcs between the box's sides: each quadrant's arc runs from where the circle leaves one side to where it meets the next
  const a0 = r > hu ? Math.acos(hu / r) : 0; // angle (from the u axis) where the circle crosses u = hu
  const a1 = r > hv ? Math.asin(hv / r) : Math.PI / 2; // angle where it crosses v = hv
  const segments: Segment[] = [];
  const pt = (angle: number, rr: number): [number, number] => [
    rr * Math.cos(angle),
    rr * Math.sin(angle) * k,
  ];
  const tangent = (angle: number, rr: number): [number, number] => [
    -rr * Math.sin(angle),
    rr * Math.cos(angle) * k,
  ];
  let start: Point | null = null;
  for (let q = 0; q < 4; q++) {
    // quadrant q spans angles [q·π/2, (q+1)·π/2]; mirror the first quadrant's arc [a0, a1]
    const base = (q * Math.PI) / 2;
    const from = base + (q % 2 === 0 ? a0 : Math.PI / 2 - a1);
    const to = base + (q % 2 === 0 ? a1 : Math.PI / 2 - a0);
    const p0 = pt(from, r);
    const p0i = at(p0[0], p0[1]);
    if (start === null) start = p0i;
    else segments.push({ kind: 'line', to: p0i }); // along a side of the cell (a zero-length line when unclipped)
    const span = to - from;
    const pieces = Math.max(1, Math.ceil(span / (Math.PI / 2) - 1e-9));
    for (let n = 0; n < pieces; n++) {
      const s0 = from + (span * n) / pieces;
      const s1 = from + (span * (n + 1)) / pieces;
      const kk = arcK(s1 - s0);
      const [x0, y0] = pt(s0, r);
      const [x1, y1] = pt(s1, r);
      const [tx0, ty0] = tangent(s0, r);
      const [tx1, ty1] = tangent(s1, r);
      segments.push({
        kind: 'cubic',
        c1: at(x0 + kk * tx0, y0 + kk * ty0),
        c2: at(x1 - kk * tx1, y1 - kk * ty1),
        to: at(x1, y1),
      });
    }
  }
  const s = start as Point;
  // drop zero-length joins (an unclipped dot is four arcs end to end)
  const kept = segments.filter(
    (seg, n) => seg.kind === 'cubic' || !samePoint(seg.to, n === 0 ? s : segments[n - 1].to),
  );
  return { start: s, segments: kept };
}

function samePoint(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < 1e-9 && Math.abs(a.y - b.y) < 1e-9;
}

/**
 * The line screen as outlines: consecutive dots along a screen row (same j,
 * i + 1) whose `groupOf` agrees are joined into one stepped band, so that no
 * seam shows between them. Returns the bands with the dots they hold.
 */
export function lineBands(
  grid: ScreenGrid,
  dots: readonly Dot[],
  groupOf: (dot: Dot) => number | string = () => 0,
): { dots: Dot[]; outline: Subpath }[] {
  const bands: { dots: Dot[]; outline: Subpath }[] = [];
  let run: Dot[] = [];
  const flush = () => {
    if (run.length > 0) bands.push({ dots: run, outline: bandOutline(grid, run) });
    run = [];
  };
  for (const d of dots) {
    const prev = run[run.length - 1];
    if (prev && !(prev.j === d.j && prev.i + 1 === d.i && groupOf(prev) === groupOf(d))) flush();
    run.push(d);
  }
  flush();
  return bands;
}

/** Stepped outline of a run of line dots: along the top edge, then back along the bottom one. */
function bandOutline(grid: ScreenGrid, run: readonly Dot[]): Subpath {
  const j = run[0].j;
  const half = run.map((d) => dotExtent('line', d.tint));
  const pts: [number, number][] = [];
  const first = run[0].i;
  pts.push([first - 0.5, j - half[0]]);
  for (let n = 1; n < run.length; n++) {
    if (half[n] === half[n - 1]) continue;
    pts.push([run[n].i - 0.5, j - half[n - 1]], [run[n].i - 0.5, j - half[n]]);
  }
  const lastI = run[run.length - 1].i;
  pts.push([lastI + 0.5, j - half[run.length - 1]], [lastI + 0.5, j + half[run.length - 1]]);
  for (let n = run.length - 2; n >= 0; n--) {
    if (half[n] === half[n + 1]) continue;
    pts.push([run[n].i + 0.5, j + half[n + 1]], [run[n].i + 0.5, j + half[n]]);
  }
  pts.push([first - 0.5, j + half[0]]);
  const [p0, ...rest] = pts.map(([u, v]) => grid.toImage(u, v));
  return { start: p0, segments: rest.map((to): Segment => ({ kind: 'line', to })) };
}

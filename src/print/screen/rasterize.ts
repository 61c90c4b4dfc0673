/**
 * Rasterising the screen (index.ts): the one pixel loop behind `screenMask`
 * (a RIP's film from a per-pixel tint), `screenDots` (one dot per cell) and
 * `renderDots` (those dots drawn as pixels), with its shortcuts (pixels
 * wholly in or out of every dot they reach; tiles that reach no dot).
 */
import { type Dot, type DotShape, ELLIPSE_RATIO, ScreenGrid, type ScreenOptions } from './lattice.js';
import { clipTint, distanceTable, limitTable } from './spot.js';

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

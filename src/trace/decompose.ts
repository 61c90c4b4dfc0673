/**
 * Stage 1 — path decomposition (Selinger 2003, §2.1).
 *
 * Pixels are unit squares; their corners are lattice points. A path is a
 * closed walk along pixel edges with ink on its right-hand side (y points
 * down, so outer outlines run clockwise on screen). Each path found is
 * inverted (XOR) inside the working copy, which turns holes into ink that the
 * next scan finds, so outlines and holes alternate naturally and nesting
 * needs no bookkeeping.
 */
import { type Bitmap, get } from './bitmap.js';

export type TurnPolicy = 'minority' | 'majority' | 'black' | 'white' | 'left' | 'right';

/** A closed lattice path: points[k] → points[k+1] are unit steps; the last steps back to points[0]. */
export interface LatticePath {
  xs: Int32Array;
  ys: Int32Array;
  /** Signed area enclosed (positive for outlines of ink, negative for holes). */
  area: number;
  /** True when the region inside is ink in the original bitmap (an outline), false for a hole. */
  outline: boolean;
}

export interface DecomposeOptions {
  turnPolicy: TurnPolicy;
  /** Paths enclosing this many pixels or fewer are dropped (speckles and tiny holes). */
  turdSize: number;
}

/**
 * Which colour wins locally around lattice point (x, y) in the original bitmap:
 * +1 ink, −1 paper, 0 tie, looking at growing squares until one side leads.
 */
function localMajority(bm: Bitmap, x: number, y: number): number {
  for (let r = 2; r < 5; r++) {
    let ct = 0;
    for (let a = -r + 1; a <= r - 1; a++) {
      ct += get(bm, x + a, y + r - 1) ? 1 : -1;
      ct += get(bm, x + r - 1, y + a - 1) ? 1 : -1;
      ct += get(bm, x + a - 1, y - r) ? 1 : -1;
      ct += get(bm, x - r, y + a) ? 1 : -1;
    }
    if (ct > 0) return 1;
    if (ct < 0) return -1;
  }
  return 0;
}

/**
 * At an ambiguous corner (two diagonal ink pixels) decide whether to connect
 * the ink of the *original* image through the corner.
 */
function connectInk(policy: TurnPolicy, original: Bitmap, x: number, y: number, outline: boolean): boolean {
  switch (policy) {
    case 'black':
      return true;
    case 'white':
      return false;
    case 'right':
      return !outline; // turning right in the working bitmap separates working ink
    case 'left':
      return outline;
    case 'majority':
      return localMajority(original, x, y) >= 0;
    case 'minority':
      return localMajority(original, x, y) < 0;
  }
}

/** Walks one boundary starting at the top-left corner of pixel (x0, y0), moving right. */
function walk(
  work: Bitmap,
  original: Bitmap,
  x0: number,
  y0: number,
  policy: TurnPolicy,
  outline: boolean,
): LatticePath {
  const xs: number[] = [];
  const ys: number[] = [];
  let x = x0;
  let y = y0;
  let dx = 1;
  let dy = 0;
  let area = 0;
  for (;;) {
    xs.push(x);
    ys.push(y);
    x += dx;
    y += dy;
    area += x * dy; // shoelace on vertical steps: ∑ x·Δy
    if (x === x0 && y === y0) break;
    // the two pixels ahead, on the left and on the right of the direction of travel
    const left = get(work, x + ((dx + dy - 1) >> 1), y + ((dy - dx - 1) >> 1));
    const right = get(work, x + ((dx - dy - 1) >> 1), y + ((dy + dx - 1) >> 1));
    let turnLeft: boolean;
    let turnRight: boolean;
    if (left && !right) {
      // diagonal configuration: the turn policy decides (left joins the two ink pixels)
      const joinWorkingInk = connectInk(policy, original, x, y, outline) === outline;
      turnLeft = joinWorkingInk;
      turnRight = !joinWorkingInk;
    } else {
      turnLeft = !!left;
      turnRight = !right;
    }
    if (turnLeft) {
      const t = dx;
      dx = dy;
      dy = -t;
    } else if (turnRight) {
      const t = dx;
      dx = -dy;
      dy = t;
    }
  }
  return { xs: Int32Array.from(xs), ys: Int32Array.from(ys), area, outline };
}

/**
 * XOR-inverts every pixel inside the path in `work`. Flipping, for every
 * vertical edge, the pixels of its row from the path's left bound up to the
 * edge leaves a pixel flipped once per edge on its right: an odd number of
 * times exactly when it lies inside. A row has an even number of edges, so
 * the same pixels are those between its 1st and 2nd edge (by x), 3rd and 4th…:
 * flipped here directly, row by row.
 */
function invertInside(work: Bitmap, path: LatticePath): void {
  const { xs, ys } = path;
  const n = xs.length;
  const w = work.width;
  const bits = work.bits;
  let minY = ys[0];
  let maxY = ys[0];
  for (let k = 1; k < n; k++) {
    const y = ys[k];
    if (y < minY) minY = y;
    else if (y > maxY) maxY = y;
  }
  // vertical edges bucketed by row (counting sort), then sorted by x within each row
  const rows = maxY - minY;
  const first = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) {
    const y0 = ys[k];
    const y1 = k + 1 < n ? ys[k + 1] : ys[0];
    if (y0 !== y1) first[Math.min(y0, y1) - minY + 1]++;
  }
  for (let r = 1; r <= rows; r++) first[r] += first[r - 1];
  const edgeX = new Int32Array(first[rows]);
  const fill = first.slice(0, rows);
  for (let k = 0; k < n; k++) {
    const y0 = ys[k];
    const y1 = k + 1 < n ? ys[k + 1] : ys[0];
    if (y0 !== y1) edgeX[fill[Math.min(y0, y1) - minY]++] = xs[k];
  }
  for (let r = 0; r < rows; r++) {
    const lo = first[r];
    const hi = first[r + 1];
    for (let a = lo + 1; a < hi; a++) {
      const v = edgeX[a];
      let b = a - 1;
      while (b >= lo && edgeX[b] > v) {
        edgeX[b + 1] = edgeX[b];
        b--;
      }
      edgeX[b + 1] = v;
    }
    const base = (r + minY) * w;
    for (let a = lo; a + 1 < hi; a += 2) {
      for (let i = base + edgeX[a], end = base + edgeX[a + 1]; i < end; i++) bits[i] ^= 1;
    }
  }
}

/** Finds every path of the bitmap, outlines and holes, in scan order. */
export function decompose(original: Bitmap, options: DecomposeOptions): LatticePath[] {
  const work: Bitmap = { width: original.width, height: original.height, bits: original.bits.slice() };
  const paths: LatticePath[] = [];
  const { width, height } = work;
  let start = 0;
  for (;;) {
    let found = -1;
    for (let i = start; i < width * height; i++) {
      if (work.bits[i]) {
        found = i;
        break;
      }
    }
    if (found < 0) break;
    start = found - (found % width); // later finds are never above this row
    const x0 = found % width;
    const y0 = (found - x0) / width;
    const outline = original.bits[found] === 1;
    const path = walk(work, original, x0, y0, options.turnPolicy, outline);
    invertInside(work, path);
    path.area = Math.abs(path.area);
    if (path.area > options.turdSize) paths.push(path);
  }
  return paths;
}

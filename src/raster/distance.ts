/**
 * Long file: the three metrics' passes behind the one distanceTransform; each is short, and a
 * caller choosing a metric should find them side by side.
 *
 * Distance transforms over width×height masks (1 = set): per pixel, the
 * distance to the nearest set pixel, in one of three metrics.
 *
 *   - chessboard (8-neighbour steps, Uint8Array, capped): cheap bands around
 *     the art (stroke widths, speckle reach, margins). Small caps grow
 *     breadth-first from the sources' edges, so the cost follows the art's
 *     outline, not its area; large ones take two raster passes (a chamfer
 *     sweep with unit weights is exact for this metric).
 *   - chamfer 3-4 (3 per straight step, 4 per diagonal, Uint16Array, capped):
 *     within 8 % of Euclidean, and its discs are octagons, so openings and
 *     closings with it (morphology.ts) leave round-ish holes where the
 *     chessboard distance would leave squares. The same two raster passes.
 *   - euclidean (exact, Float32Array of squared distances, Infinity where the
 *     mask is empty): geometry that must be right to a fraction of a pixel
 *     (offset paths, chokes and spreads); the chessboard distance is off by up
 *     to 41 % along diagonals. Felzenszwalb & Huttenlocher, "Distance
 *     transforms of sampled functions" (2012): a 1-D pass down each column,
 *     then per row the lower envelope of parabolas rooted at every column's
 *     result. Linear time, no queues.
 */

/** Chessboard distance, capped: pixels farther than `max` get max + 1 (at most 255). */
export interface ChessboardOptions {
  metric: 'chessboard';
  max: number;
  /** Receives the result (it need not be cleared). */
  out?: Uint8Array;
  /** Scratch for small caps, reused across calls on large images. */
  queue?: Int32Array;
}

/** Chamfer 3-4 distance (in thirds of a pixel, roughly), capped: pixels farther than `max` get max + 1. */
export interface ChamferOptions {
  metric: 'chamfer';
  max: number;
}

/**
 * Exact squared Euclidean distance: by default from each pixel centre to the
 * nearest set pixel's centre, and with `nearest`, also that pixel's index (−1
 * when the mask is empty); with `to: 'squares'`, to the union of the set
 * pixels taken as unit squares (0 on them).
 */
export type EuclideanOptions =
  | { metric: 'euclidean'; to?: 'centres'; nearest?: Int32Array }
  | { metric: 'euclidean'; to: 'squares' };

export type DistanceOptions = ChessboardOptions | ChamferOptions | EuclideanOptions;
export type DistanceMetric = DistanceOptions['metric'];

/**
 * Per pixel of `source` (width × height, 1 = set), the distance to the
 * nearest set pixel in the metric `o.metric` (see the file's header for
 * what each gives and costs).
 *
 * @example
 *   const band = distanceTransform(ink, w, h, { metric: 'chessboard', max: 3 }); // 0–4
 *   const d2 = distanceTransform(ink, w, h, { metric: 'euclidean', to: 'squares' });
 */
export function distanceTransform(
  source: Uint8Array,
  width: number,
  height: number,
  o: ChessboardOptions,
): Uint8Array;
export function distanceTransform(
  source: Uint8Array,
  width: number,
  height: number,
  o: ChamferOptions,
): Uint16Array;
export function distanceTransform(
  source: Uint8Array,
  width: number,
  height: number,
  o: EuclideanOptions,
): Float32Array;
export function distanceTransform(
  source: Uint8Array,
  width: number,
  height: number,
  o: DistanceOptions,
): Uint8Array | Uint16Array | Float32Array {
  switch (o.metric) {
    case 'chessboard':
      if (o.max <= BAND_LIMIT) return bandDistance(source, width, height, o.max, o.out, o.queue);
      return sweep(
        source,
        width,
        height,
        1,
        1,
        Math.min(255, o.max + 1),
        o.out ?? new Uint8Array(width * height),
      );
    case 'chamfer':
      return sweep(source, width, height, 3, 4, o.max + 1, new Uint16Array(width * height));
    default:
      return o.to === 'squares'
        ? squaredDistanceToSquares(source, width, height)
        : squaredDistance(source, width, height, o.nearest);
  }
}

// ---------------------------------------------------------------- chessboard, small caps

/** Caps up to which the chessboard distance grows from the edges instead of sweeping the canvas. */
const BAND_LIMIT = 8;

function bandDistance(
  source: Uint8Array,
  width: number,
  height: number,
  maxDist: number,
  out?: Uint8Array,
  queue?: Int32Array,
): Uint8Array {
  const n = width * height;
  const far = maxDist + 1;
  const dist = out ?? new Uint8Array(n);
  const q = queue && queue.length >= n ? queue : new Int32Array(n);
  const last = width - 1;
  let tail = 0;
  // sources are 0, the rest far; a source with a non-source 4-neighbour starts the growth
  // (a nearest source always has one: step from it towards the pixel along the longer axis)
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const hasUp = y > 0;
    const hasDown = y < height - 1;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!source[i]) {
        dist[i] = far;
        continue;
      }
      dist[i] = 0;
      if (
        (x > 0 && !source[i - 1]) ||
        (x < last && !source[i + 1]) ||
        (hasUp && !source[i - width]) ||
        (hasDown && !source[i + width])
      )
        q[tail++] = i;
    }
  }
  const lastRow = n - width;
  for (let head = 0; head < tail; head++) {
    const i = q[head];
    const s = dist[i] + 1;
    if (s > maxDist) continue;
    const x = i % width;
    if (x > 0 && x < last && i >= width && i < lastRow) {
      let j = i - width - 1;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j++;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j++;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j = i - 1;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j = i + 1;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j = i + width - 1;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j++;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      j++;
      if (dist[j] > s) {
        dist[j] = s;
        q[tail++] = j;
      }
      continue;
    }
    const y = (i - x) / width;
    for (let yy = y > 0 ? y - 1 : 0; yy <= y + 1 && yy < height; yy++) {
      for (let xx = x > 0 ? x - 1 : 0; xx <= x + 1 && xx < width; xx++) {
        const j = yy * width + xx;
        if (dist[j] > s) {
          dist[j] = s;
          q[tail++] = j;
        }
      }
    }
  }
  return dist;
}

// ---------------------------------------------------------------- chamfer sweeps

/**
 * Two raster passes of a chamfer distance with weights `a` per straight step
 * and `b` per diagonal one, capped at `far` (which `dist` must hold): forward
 * from the left, up-left, up and up-right neighbours, backward from the
 * right, down-right, down and down-left ones. Edge columns are written out so
 * that the inner loop has no bounds checks.
 */
function sweep<T extends Uint8Array | Uint16Array>(
  source: Uint8Array,
  width: number,
  height: number,
  a: number,
  b: number,
  far: number,
  dist: T,
): T {
  if (width === 0 || height === 0) return dist;
  // forward: left, up-left, up, up-right (the first row: left only)
  let left = far;
  for (let x = 0; x < width; x++) {
    let d = 0;
    if (!source[x]) {
      d = left + a;
      if (d > far) d = far;
    }
    dist[x] = d;
    left = d;
  }
  const last = width - 1;
  for (let y = 1; y < height; y++) {
    const row = y * width;
    const up = row - width;
    let d = 0;
    if (!source[row]) {
      d = dist[up] + a;
      if (last > 0 && dist[up + 1] + b < d) d = dist[up + 1] + b;
      if (d > far) d = far;
    }
    dist[row] = d;
    left = d;
    for (let x = 1; x < last; x++) {
      const i = row + x;
      if (source[i]) {
        dist[i] = 0;
        left = 0;
        continue;
      }
      const u = up + x;
      let m = left + a;
      const p = dist[u - 1] + b;
      if (p < m) m = p;
      const q = dist[u] + a;
      if (q < m) m = q;
      const r = dist[u + 1] + b;
      if (r < m) m = r;
      if (m > far) m = far;
      dist[i] = m;
      left = m;
    }
    if (last > 0) {
      const i = row + last;
      d = 0;
      if (!source[i]) {
        d = left + a;
        if (dist[i - width] + a < d) d = dist[i - width] + a;
        if (dist[i - width - 1] + b < d) d = dist[i - width - 1] + b;
        if (d > far) d = far;
      }
      dist[i] = d;
    }
  }
  // backward: right, down-right, down, down-left (the last row: right only)
  const lastRow = (height - 1) * width;
  let right = far;
  for (let x = last; x >= 0; x--) {
    const i = lastRow + x;
    let d = dist[i];
    if (right + a < d) d = right + a;
    dist[i] = d;
    right = d;
  }
  for (let y = height - 2; y >= 0; y--) {
    const row = y * width;
    const down = row + width;
    let i = row + last;
    let d = dist[i];
    if (d) {
      let m = dist[down + last] + a;
      if (last > 0 && dist[down + last - 1] + b < m) m = dist[down + last - 1] + b;
      if (m < d) d = m;
      dist[i] = d;
    }
    right = d;
    for (let x = last - 1; x > 0; x--) {
      i = row + x;
      let v = dist[i];
      if (v === 0) {
        right = 0;
        continue;
      }
      const k = down + x;
      let m = right + a;
      const p = dist[k + 1] + b;
      if (p < m) m = p;
      const q = dist[k] + a;
      if (q < m) m = q;
      const r = dist[k - 1] + b;
      if (r < m) m = r;
      if (m < v) {
        v = m;
        dist[i] = v;
      }
      right = v;
    }
    if (last > 0) {
      d = dist[row];
      if (d) {
        let m = right + a;
        if (dist[down] + a < m) m = dist[down] + a;
        if (dist[down + 1] + b < m) m = dist[down + 1] + b;
        if (m < d) dist[row] = m;
      }
    }
  }
  return dist;
}

// ---------------------------------------------------------------- euclidean

/** Scratch arrays for the 1-D envelope, sized for the longer side. */
interface Scratch {
  f: Float64Array;
  d: Float64Array;
  arg: Int32Array;
  v: Int32Array;
  z: Float64Array;
}

function scratch(n: number): Scratch {
  return {
    f: new Float64Array(n),
    d: new Float64Array(n),
    arg: new Int32Array(n),
    v: new Int32Array(n),
    z: new Float64Array(n + 1),
  };
}

/**
 * d[x] = min over sites q with finite f[q] of (x + shift − q)² + f[q], for
 * x = 0…n−1, and arg[x] = the minimising q (−1 and Infinity when no site is finite).
 */
function envelope(s: Scratch, n: number, shift: number): void {
  const { f, d, arg, v, z } = s;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Number.POSITIVE_INFINITY) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = Number.NEGATIVE_INFINITY;
      z[1] = Number.POSITIVE_INFINITY;
      continue;
    }
    let sx = 0;
    for (;;) {
      const p = v[k];
      // where the parabolas of p and q cross
      sx = (fq + q * q - (f[p] + p * p)) / (2 * (q - p));
      if (sx > z[k]) break;
      k--;
    }
    k++;
    v[k] = q;
    z[k] = sx;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) {
    d.fill(Number.POSITIVE_INFINITY, 0, n);
    arg.fill(-1, 0, n);
    return;
  }
  let j = 0;
  for (let x = 0; x < n; x++) {
    const at = x + shift;
    while (z[j + 1] < at) j++;
    const q = v[j];
    d[x] = (at - q) * (at - q) + f[q];
    arg[x] = q;
  }
}

/**
 * Per column, the distance in rows from each pixel to the nearest set pixel
 * of that column (−1 when the column is empty): two linear scans.
 */
function columnRows(source: Uint8Array, width: number, height: number): Int32Array {
  const near = new Int32Array(width * height);
  for (let x = 0; x < width; x++) {
    let last = -1;
    for (let y = 0, i = x; y < height; y++, i += width) {
      if (source[i]) last = y;
      near[i] = last;
    }
    last = -1;
    for (let y = height - 1, i = x + y * width; y >= 0; y--, i -= width) {
      if (source[i]) last = y;
      const up = near[i];
      if (last >= 0 && (up < 0 || last - y < y - up)) near[i] = last;
    }
  }
  return near;
}

/**
 * Squared distance from each pixel centre to the nearest set pixel's centre;
 * with `nearest`, also that pixel's index (−1 when the mask is empty).
 */
function squaredDistance(
  source: Uint8Array,
  width: number,
  height: number,
  nearest?: Int32Array,
): Float32Array {
  const rows = columnRows(source, width, height);
  const out = new Float32Array(width * height);
  const s = scratch(Math.max(width, height));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const r = rows[row + x];
      s.f[x] = r < 0 ? Number.POSITIVE_INFINITY : (y - r) * (y - r);
    }
    envelope(s, width, 0);
    for (let x = 0; x < width; x++) {
      out[row + x] = s.d[x];
      if (nearest) {
        const q = s.arg[x];
        nearest[row + x] = q < 0 ? -1 : rows[row + q] * width + q;
      }
    }
  }
  return out;
}

/**
 * Squared distance from each pixel centre to the union of the set pixels
 * taken as unit squares (0 on them): the distance to the art's outline as the
 * pixels draw it, not to the nearest pixel centre (which is half a pixel more
 * at every straight edge). Per axis the gap to a square k pixels away is
 * k − ½, a parabola rooted half a pixel nearer on each side, so each row is
 * the minimum of two envelopes (sites shifted left, sites shifted right) and
 * the pixel's own column.
 */
function squaredDistanceToSquares(source: Uint8Array, width: number, height: number): Float32Array {
  const rows = columnRows(source, width, height);
  const out = new Float32Array(width * height);
  const s = scratch(Math.max(width, height));
  const own = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const r = rows[row + x];
      const t = r < 0 ? -1 : Math.abs(y - r);
      const g = t < 0 ? Number.POSITIVE_INFINITY : t === 0 ? 0 : (t - 0.5) * (t - 0.5);
      s.f[x] = g;
      own[x] = g;
    }
    // squares to the left: (x − q − ½)², exact for q < x and an overestimate otherwise
    envelope(s, width, -0.5);
    for (let x = 0; x < width; x++) out[row + x] = Math.min(own[x], s.d[x]);
    // squares to the right: (q − x − ½)²
    envelope(s, width, 0.5);
    for (let x = 0; x < width; x++) if (s.d[x] < out[row + x]) out[row + x] = s.d[x];
  }
  return out;
}

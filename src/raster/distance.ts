/**
 * Exact Euclidean distance transforms over width×height masks (1 = set), for
 * geometry that must be right to a fraction of a pixel (offset paths): the
 * chessboard distance in mask.ts is off by up to 41 % along diagonals.
 *
 * Felzenszwalb & Huttenlocher, "Distance transforms of sampled functions"
 * (2012): a 1-D pass down each column, then per row the lower envelope of
 * parabolas rooted at every column's result. Linear time, no queues; values are
 * squared distances in pixels (Infinity where the mask is empty).
 */

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
export function squaredDistance(
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
export function squaredDistanceToSquares(source: Uint8Array, width: number, height: number): Float32Array {
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

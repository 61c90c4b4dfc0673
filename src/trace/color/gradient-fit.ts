/**
 * Long file: linear and radial fits, stop placement and their error measures share the same per-
 * area sums.
 *
 * Fitting one smooth gradient to the pixels of an area (gradient.ts finds the
 * areas): a linear gradient along the direction of a least-squares colour
 * plane, or a radial one about the best of a few centres; its ramp is a
 * piecewise-linear least-squares fit in sRGB (as viewers interpolate), then
 * simplified to the fewest stops within ΔE76 3 of it.
 */
import { deltaE76, type Lab, rgbToLab, toHex } from '../../color/color.js';
import type { Gradient, GradientStop } from '../../vector/path.js';

/** The area's pixels: centres (x + 0.5, y + 0.5) and colours for the fit; its outline pixels for the extent. */
export interface FitInput {
  /** Sampled interior pixels: centre coordinates and sRGB 0–255. */
  x: Float64Array;
  y: Float64Array;
  rgb: Float64Array;
  /** CIELAB of each sample, for the error measures. */
  lab: Lab[];
  /** Centres of the area's outline pixels (the farthest and nearest points of the area from any centre lie among them). */
  edgeX: Float64Array;
  edgeY: Float64Array;
  /** Whether the pixel whose centre is nearest (x, y) belongs to the area. */
  contains: (x: number, y: number) => boolean;
}

export interface GradientFit {
  gradient: Gradient;
  /** Mean ΔE76 of the samples from the written gradient. */
  meanDE: number;
  /** Largest ΔE76 between two stops. */
  span: number;
  /** Largest ΔE76 between neighbouring knots of the ramp, as a share of the span (a step edge is near 1). */
  maxStep: number;
}

/** Error allowed between the simplified stops and the fitted ramp (ΔE76). */
const STOP_TOLERANCE = 3;
/** A radial gradient must beat the linear one by this factor (it has two more parameters). */
const RADIAL_ADVANTAGE = 0.85;

/** Bins along the gradient: one per 16 px of its length, 8 to 16. */
function binsFor(lengthPx: number): number {
  return Math.max(8, Math.min(16, Math.round(lengthPx / 16)));
}

/** Solves A·X = B in place (Gaussian elimination with partial pivoting); A is n×n, B n×m, row-major. */
function solve(A: Float64Array, B: Float64Array, n: number, m: number): boolean {
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]) > Math.abs(A[piv * n + col])) piv = r;
    if (Math.abs(A[piv * n + col]) < 1e-12) return false;
    if (piv !== col) {
      for (let k = 0; k < n; k++) [A[col * n + k], A[piv * n + k]] = [A[piv * n + k], A[col * n + k]];
      for (let k = 0; k < m; k++) [B[col * m + k], B[piv * m + k]] = [B[piv * m + k], B[col * m + k]];
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = A[r * n + col] / A[col * n + col];
      if (f === 0) continue;
      for (let k = col; k < n; k++) A[r * n + k] -= f * A[col * n + k];
      for (let k = 0; k < m; k++) B[r * m + k] -= f * B[col * m + k];
    }
  }
  for (let r = 0; r < n; r++) for (let k = 0; k < m; k++) B[r * m + k] /= A[r * n + r];
  return true;
}

/** A piecewise-linear ramp: knot colours (sRGB 0–255) at offsets `from + (1 − from)·k/bins`. */
interface Ramp {
  from: number;
  bins: number;
  knots: Float64Array; // (bins + 1) × 3
  /** Sum of squared RGB errors over the samples. */
  sse: number;
}

/**
 * Least-squares ramp through the samples at parameters `u` (0..1 along the
 * gradient; `from` the smallest): hat-function weights on the knots, plus a
 * light second-difference penalty that keeps knots without samples smooth.
 */
function fitRamp(u: Float64Array, rgb: Float64Array, from: number, bins: number): Ramp {
  const k = bins + 1;
  const A = new Float64Array(k * k);
  const B = new Float64Array(k * 3);
  const n = u.length;
  const scale = 1 - from > 1e-9 ? bins / (1 - from) : 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.min(bins, Math.max(0, (u[i] - from) * scale));
    const j = Math.min(bins - 1, Math.floor(t));
    const w1 = t - j;
    const w0 = 1 - w1;
    A[j * k + j] += w0 * w0;
    A[j * k + j + 1] += w0 * w1;
    A[(j + 1) * k + j + 1] += w1 * w1;
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    B[j * 3] += w0 * r;
    B[j * 3 + 1] += w0 * g;
    B[j * 3 + 2] += w0 * b;
    B[j * 3 + 3] += w1 * r;
    B[j * 3 + 4] += w1 * g;
    B[j * 3 + 5] += w1 * b;
    yy += r * r + g * g + b * b;
  }
  for (let j = 0; j < bins; j++) A[(j + 1) * k + j] = A[j * k + j + 1];
  // the data's normal matrix (tridiagonal) and right-hand side, kept for the error below
  const data = A.slice();
  const rhs = B.slice();
  // a light second-difference penalty: knots without samples follow their neighbours
  const lambda = 1e-3 * Math.max(1, n / k);
  const w = [1, -2, 1];
  for (let j = 1; j < bins; j++) {
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) A[(j - 1 + a) * k + j - 1 + b] += lambda * w[a] * w[b];
  }
  for (let j = 0; j < k; j++) A[j * k + j] += 1e-9;
  const knots = B;
  if (!solve(A, knots, k, 3)) knots.fill(0);
  // Σ (Wk − y)² = kᵀ(WᵀW)k − 2 kᵀ(Wᵀy) + yᵀy, without a second pass over the samples
  let sse = yy;
  for (let c = 0; c < 3; c++) {
    for (let a = 0; a < k; a++) {
      const ka = knots[a * 3 + c];
      sse -= 2 * ka * rhs[a * 3 + c];
      for (let b = Math.max(0, a - 1); b <= Math.min(k - 1, a + 1); b++)
        sse += ka * data[a * k + b] * knots[b * 3 + c];
    }
  }
  return { from, bins, knots, sse: Math.max(0, sse) };
}

/** Math.hypot is exact but slow in the loops here. */
const distance = (dx: number, dy: number) => Math.sqrt(dx * dx + dy * dy);

const clamp8 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** The fewest knots (always the two ends) whose linear interpolation stays within STOP_TOLERANCE of every knot. */
function simplify(ramp: Ramp): GradientStop[] {
  const k = ramp.bins + 1;
  const labs = Array.from({ length: k }, (_, j) =>
    rgbToLab(clamp8(ramp.knots[j * 3]), clamp8(ramp.knots[j * 3 + 1]), clamp8(ramp.knots[j * 3 + 2])),
  );
  const fits = (a: number, b: number): boolean => {
    for (let j = a + 1; j < b; j++) {
      const f = (j - a) / (b - a);
      const c = [0, 1, 2].map((ch) =>
        clamp8(ramp.knots[a * 3 + ch] + f * (ramp.knots[b * 3 + ch] - ramp.knots[a * 3 + ch])),
      );
      if (deltaE76(rgbToLab(c[0], c[1], c[2]), labs[j]) > STOP_TOLERANCE) return false;
    }
    return true;
  };
  // fewest stops: shortest path over the knots where an edge a→b keeps the knots between in tolerance
  const cost = new Array<number>(k).fill(Number.POSITIVE_INFINITY);
  const prev = new Array<number>(k).fill(-1);
  cost[0] = 1;
  for (let b = 1; b < k; b++) {
    for (let a = 0; a < b; a++) {
      if (cost[a] + 1 < cost[b] && fits(a, b)) {
        cost[b] = cost[a] + 1;
        prev[b] = a;
      }
    }
  }
  const keep: number[] = [];
  for (let j = k - 1; j >= 0; j = prev[j]) keep.unshift(j);
  return keep.map((j) => ({
    offset: Math.round((ramp.from + ((1 - ramp.from) * j) / ramp.bins) * 10000) / 10000,
    color: toHex({
      r: clamp8(ramp.knots[j * 3]),
      g: clamp8(ramp.knots[j * 3 + 1]),
      b: clamp8(ramp.knots[j * 3 + 2]),
    }),
  }));
}

/** sRGB 0–255 of the stops at `offset` (linear interpolation between them, padded at the ends). */
function stopColor(stops: readonly GradientStop[], offset: number, out: number[]): void {
  let k = 1;
  while (k < stops.length - 1 && stops[k].offset < offset) k++;
  const a = stops[k - 1];
  const b = stops[k];
  const u = Math.min(1, Math.max(0, b.offset > a.offset ? (offset - a.offset) / (b.offset - a.offset) : 0));
  const ca = Number.parseInt(a.color.slice(1), 16);
  const cb = Number.parseInt(b.color.slice(1), 16);
  for (let c = 0; c < 3; c++) {
    const shift = 16 - 8 * c;
    const va = (ca >> shift) & 255;
    const vb = (cb >> shift) & 255;
    out[c] = clamp8(va + u * (vb - va));
  }
}

/** Mean ΔE76 of the samples from the stops, the samples at parameters `u`. */
function meanError(input: FitInput, u: Float64Array, stops: readonly GradientStop[]): number {
  const c = [0, 0, 0];
  const lab: Lab = { L: 0, a: 0, b: 0 };
  let sum = 0;
  for (let i = 0; i < u.length; i++) {
    stopColor(stops, u[i], c);
    sum += deltaE76(rgbToLab(c[0], c[1], c[2], lab), input.lab[i]);
  }
  return u.length ? sum / u.length : 0;
}

/** The written gradient's error on the samples (at parameters `u`), its span, and its ramp's largest step. */
function measures(input: FitInput, u: Float64Array, ramp: Ramp, gradient: Gradient): GradientFit {
  const labs = gradient.stops.map((s) => {
    const v = Number.parseInt(s.color.slice(1), 16);
    return rgbToLab((v >> 16) & 255, (v >> 8) & 255, v & 255);
  });
  let span = 0;
  for (let a = 0; a < labs.length; a++)
    for (let b = a + 1; b < labs.length; b++) span = Math.max(span, deltaE76(labs[a], labs[b]));
  const knotLab = (j: number) =>
    rgbToLab(clamp8(ramp.knots[j * 3]), clamp8(ramp.knots[j * 3 + 1]), clamp8(ramp.knots[j * 3 + 2]));
  let step = 0;
  let last = knotLab(0);
  for (let j = 1; j <= ramp.bins; j++) {
    const next = knotLab(j);
    step = Math.max(step, deltaE76(last, next));
    last = next;
  }
  return { gradient, meanDE: meanError(input, u, gradient.stops), span, maxStep: span > 0 ? step / span : 1 };
}

/** The mean position of the samples. */
function centroid(x: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    mx += x[i];
    my += y[i];
  }
  return [mx / x.length, my / x.length];
}

/** The linear fit: direction from the per-channel least-squares planes, ramp along it. */
function fitLinear(input: FitInput): { ramp: Ramp; u: Float64Array; gradient: Gradient } | null {
  const { x, y, rgb } = input;
  const n = x.length;
  const [mx, my] = centroid(x, y);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  const sxc = [0, 0, 0];
  const syc = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const X = x[i] - mx;
    const Y = y[i] - my;
    sxx += X * X;
    sxy += X * Y;
    syy += Y * Y;
    for (let c = 0; c < 3; c++) {
      sxc[c] += X * rgb[i * 3 + c];
      syc[c] += Y * rgb[i * 3 + c];
    }
  }
  const det = sxx * syy - sxy * sxy;
  if (!(det > 1e-9)) return null;
  // per channel: colour ≈ α + β·X + γ·Y; the direction is the principal axis of the (β, γ) vectors
  let m11 = 0;
  let m12 = 0;
  let m22 = 0;
  for (let c = 0; c < 3; c++) {
    const beta = (syy * sxc[c] - sxy * syc[c]) / det;
    const gamma = (sxx * syc[c] - sxy * sxc[c]) / det;
    m11 += beta * beta;
    m12 += beta * gamma;
    m22 += gamma * gamma;
  }
  if (m11 + m22 < 1e-12) return null;
  const angle = 0.5 * Math.atan2(2 * m12, m11 - m22);
  let ux = Math.cos(angle);
  let uy = Math.sin(angle);
  if (ux < -1e-9 || (Math.abs(ux) <= 1e-9 && uy < 0)) {
    ux = -ux;
    uy = -uy;
  }
  // the ramp covers the whole area: its outline pixels, corners included
  const half = 0.5 * (Math.abs(ux) + Math.abs(uy));
  let tmin = Number.POSITIVE_INFINITY;
  let tmax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < input.edgeX.length; i++) {
    const t = (input.edgeX[i] - mx) * ux + (input.edgeY[i] - my) * uy;
    if (t - half < tmin) tmin = t - half;
    if (t + half > tmax) tmax = t + half;
  }
  const len = tmax - tmin;
  if (!(len > 1)) return null;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = ((x[i] - mx) * ux + (y[i] - my) * uy - tmin) / len;
  const ramp = fitRamp(u, rgb, 0, binsFor(len));
  const gradient: Gradient = {
    type: 'linear',
    x1: mx + ux * tmin,
    y1: my + uy * tmin,
    x2: mx + ux * tmax,
    y2: my + uy * tmax,
    stops: simplify(ramp),
  };
  return { ramp, u, gradient };
}

/** The radial ramp about (cx, cy): radius = the farthest corner of the area; parameters from the nearest point. */
function radialAbout(
  input: FitInput,
  cx: number,
  cy: number,
): { ramp: Ramp; u: Float64Array; r: number } | null {
  let rmax = 0;
  let rmin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < input.edgeX.length; i++) {
    const d = distance(input.edgeX[i] - cx, input.edgeY[i] - cy);
    if (d + Math.SQRT1_2 > rmax) rmax = d + Math.SQRT1_2;
    if (d - Math.SQRT1_2 < rmin) rmin = d - Math.SQRT1_2;
  }
  if (input.contains(cx, cy)) rmin = 0;
  if (!(rmax > 1)) return null;
  const n = input.x.length;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = distance(input.x[i] - cx, input.y[i] - cy) / rmax;
  const from = Math.max(0, Math.min(0.9, rmin / rmax));
  return { ramp: fitRamp(u, input.rgb, from, binsFor(rmax * (1 - from))), u, r: rmax };
}

/**
 * Candidate centres for the radial fit: where c = a + b·r² puts it (per
 * channel, combined by curvature), the centroid, and the brightest and darkest
 * points of the area (the mean position of their 2 % of the samples).
 */
function centreCandidates(input: FitInput): [number, number][] {
  const { x, y, rgb } = input;
  const n = x.length;
  const [mx, my] = centroid(x, y);
  const out: [number, number][] = [[mx, my]];
  // least squares on [1, X, Y, X² + Y²] per channel
  const A = new Float64Array(16);
  const B = new Float64Array(12);
  const f = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const X = x[i] - mx;
    const Y = y[i] - my;
    f[0] = 1;
    f[1] = X;
    f[2] = Y;
    f[3] = X * X + Y * Y;
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) A[a * 4 + b] += f[a] * f[b];
      for (let c = 0; c < 3; c++) B[a * 3 + c] += f[a] * rgb[i * 3 + c];
    }
  }
  if (solve(A, B, 4, 3)) {
    let bd = 0;
    let gd = 0;
    let dd = 0;
    for (let c = 0; c < 3; c++) {
      bd += B[3 + c] * B[9 + c];
      gd += B[6 + c] * B[9 + c];
      dd += B[9 + c] * B[9 + c];
    }
    if (dd > 1e-12) {
      const cx = mx - bd / (2 * dd);
      const cy = my - gd / (2 * dd);
      if (Number.isFinite(cx) && Number.isFinite(cy)) out.push([cx, cy]);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      rgb[a * 3] + rgb[a * 3 + 1] + rgb[a * 3 + 2] - (rgb[b * 3] + rgb[b * 3 + 1] + rgb[b * 3 + 2]) || a - b,
  );
  const m = Math.max(1, Math.round(n * 0.02));
  for (const part of [order.slice(n - m), order.slice(0, m)]) {
    let sx = 0;
    let sy = 0;
    for (const i of part) {
      sx += x[i];
      sy += y[i];
    }
    out.push([sx / part.length, sy / part.length]);
  }
  return out;
}

/** Every k-th sample, at most `max` of them: the centre search does not need them all. */
function thin(input: FitInput, max: number): FitInput {
  const n = input.x.length;
  const stride = Math.max(1, Math.ceil(n / max));
  if (stride === 1) return input;
  const m = Math.ceil(n / stride);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const rgb = new Float64Array(m * 3);
  const lab: Lab[] = [];
  for (let s = 0, i = 0; s < m; s++, i += stride) {
    x[s] = input.x[i];
    y[s] = input.y[i];
    rgb[s * 3] = input.rgb[i * 3];
    rgb[s * 3 + 1] = input.rgb[i * 3 + 1];
    rgb[s * 3 + 2] = input.rgb[i * 3 + 2];
    lab.push(input.lab[i]);
  }
  return { ...input, x, y, rgb, lab };
}

/** Samples the radial centre search works on. */
const SEARCH_SAMPLES = 3000;
/** Moves of the centre search at most. */
const SEARCH_ROUNDS = 40;
/** The same for a quick fit (while the tracer tries which regions belong together). */
const QUICK_SEARCH_SAMPLES = 1000;
const QUICK_SEARCH_ROUNDS = 12;

/**
 * The radial fit: the best candidate centre, refined by a pattern search on
 * the ramp's squared error (on a thinned sample), then fitted on all samples.
 */
function fitRadial(
  full: FitInput,
  quick: boolean,
): { ramp: Ramp; u: Float64Array; gradient: Gradient } | null {
  const input = thin(full, quick ? QUICK_SEARCH_SAMPLES : SEARCH_SAMPLES);
  let best: { ramp: Ramp; u: Float64Array; r: number; cx: number; cy: number } | null = null;
  const consider = (cx: number, cy: number): boolean => {
    const fit = radialAbout(input, cx, cy);
    if (fit && (!best || fit.ramp.sse < best.ramp.sse)) {
      best = { ...fit, cx, cy };
      return true;
    }
    return false;
  };
  for (const [cx, cy] of centreCandidates(input)) consider(cx, cy);
  if (!best) return null;
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < input.edgeX.length; i++) {
    x0 = Math.min(x0, input.edgeX[i]);
    x1 = Math.max(x1, input.edgeX[i]);
    y0 = Math.min(y0, input.edgeY[i]);
    y1 = Math.max(y1, input.edgeY[i]);
  }
  let step = 0.125 * Math.max(x1 - x0, y1 - y0);
  const rounds = quick ? QUICK_SEARCH_ROUNDS : SEARCH_ROUNDS;
  for (let round = 0; round < rounds && step >= 1; round++) {
    const { cx, cy } = best as { cx: number; cy: number };
    let moved = false;
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ]) {
      if (consider(cx + dx * step, cy + dy * step)) moved = true;
    }
    if (!moved) step /= 2;
  }
  const { cx, cy } = best as { cx: number; cy: number };
  const fit = radialAbout(full, cx, cy);
  if (!fit) return null;
  return {
    ramp: fit.ramp,
    u: fit.u,
    gradient: { type: 'radial', cx, cy, r: fit.r, stops: simplify(fit.ramp) },
  };
}

/**
 * The better of a linear and a radial gradient for the samples (radial only
 * when it lowers the squared error by 15 %), with its error measures; null
 * when neither can be fitted (too few samples, no variation). `quick`: a
 * shorter search for the radial centre, for trial fits.
 */
export function fitGradient(input: FitInput, quick = false): GradientFit | null {
  if (input.x.length < 16) return null;
  const linear = fitLinear(input);
  const radial = fitRadial(input, quick);
  const pick =
    linear && radial
      ? radial.ramp.sse < RADIAL_ADVANTAGE * linear.ramp.sse
        ? radial
        : linear
      : (linear ?? radial);
  if (!pick) return null;
  return measures(input, pick.u, pick.ramp, pick.gradient);
}

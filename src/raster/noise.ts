/**
 * Seeded randomness for procedural print textures: a small PRNG, string seeds
 * and 2-D gradient noise with octaves (fBm). Everything is integer hashing plus
 * IEEE additions and multiplications — no Math.random, no sin/exp/pow, whose
 * last bits may differ between engines — so a seed gives the same texture, bit
 * for bit, on every platform.
 */

/** A deterministic random source: `next()` in [0, 1). */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
}

/** Murmur3's finaliser: a 32-bit avalanche (every input bit flips half the output bits). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed from any text (FNV-1a over UTF-16 code units, then mixed). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** A 32-bit seed from a number (its integer part) or a string. */
export function seed32(seed: number | string): number {
  if (typeof seed === 'string') return hashString(seed);
  // fold in the high bits, so that 1 and 2**32 + 1 differ
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(lo ^ mix32(hi + 0x9e3779b9));
}

/** Mulberry32: a tiny, fast PRNG with a 2^32 period — plenty for placing scratches and specks. */
export function createRng(seed: number | string): Rng {
  let state = seed32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + (hi - lo) * next(),
  };
}

/** Hash of a lattice point and a seed, 32 bits. */
export function hash2(x: number, y: number, seed: number): number {
  return mix32(Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ seed);
}

/** Uniform [0, 1) per lattice point: white noise for speckle. */
export function cellRandom(x: number, y: number, seed: number): number {
  return hash2(x, y, seed) / 4294967296;
}

// Eight unit gradients: the axes and the diagonals (the constants are exact doubles, the same everywhere).
const D = Math.SQRT1_2;
const GX = new Float64Array([1, -1, 0, 0, D, -D, D, -D]);
const GY = new Float64Array([0, 0, 1, -1, D, D, -D, -D]);
/** Rescales 2-D Perlin noise (±√½ at most with unit gradients) to about ±1. */
const NORM = Math.SQRT2;

/** Quintic fade 6t⁵ − 15t⁴ + 10t³: continuous second derivative, so no grid creases. */
function fade(t: number): number {
  return t * t * t * (t * (t * 6 - 15) + 10);
}

/** The gradients of the last lattice cell visited: neighbouring pixels mostly share a cell, so hash once per cell. */
interface CellCache {
  x0: number;
  y0: number;
  h00: number;
  h10: number;
  h01: number;
  h11: number;
}

function newCellCache(): CellCache {
  return { x0: Number.NaN, y0: Number.NaN, h00: 0, h10: 0, h01: 0, h11: 0 };
}

/**
 * 2-D gradient (Perlin) noise at (x, y), one lattice cell per unit, about
 * −1…1 with mean 0; 0 at lattice points.
 */
export function gradientNoise(x: number, y: number, seed: number, cache: CellCache = newCellCache()): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  if (x0 !== cache.x0 || y0 !== cache.y0) {
    cache.x0 = x0;
    cache.y0 = y0;
    cache.h00 = hash2(x0, y0, seed) & 7;
    cache.h10 = hash2(x0 + 1, y0, seed) & 7;
    cache.h01 = hash2(x0, y0 + 1, seed) & 7;
    cache.h11 = hash2(x0 + 1, y0 + 1, seed) & 7;
  }
  const { h00, h10, h01, h11 } = cache;
  const n00 = GX[h00] * fx + GY[h00] * fy;
  const n10 = GX[h10] * (fx - 1) + GY[h10] * fy;
  const n01 = GX[h01] * fx + GY[h01] * (fy - 1);
  const n11 = GX[h11] * (fx - 1) + GY[h11] * (fy - 1);
  const u = fade(fx);
  const v = fade(fy);
  const a = n00 + u * (n10 - n00);
  const b = n01 + u * (n11 - n01);
  return (a + v * (b - a)) * NORM;
}

export interface FbmOptions {
  /** Size of the coarsest octave's lattice cell, in pixels. */
  period: number;
  /** Number of octaves, each twice as fine (default 4). */
  octaves?: number;
  /** Amplitude of each octave relative to the one before (default 0.5: "pink" roughness). */
  gain?: number;
  /** Stretch along x (1 = isotropic); > 1 gives streaks along x. */
  stretch?: number;
}

/**
 * Fractal Brownian motion: a sum of gradient-noise octaves, normalised to
 * about −1…1. Each octave has its own seed and lattice offset, so the octaves'
 * zeros never line up.
 */
export function fbm(x: number, y: number, seed: number, o: FbmOptions): number {
  return fbmWith(x, y, fbmOctaves(seed, o), o);
}

interface Octaves {
  seeds: number[];
  dx: number[];
  dy: number[];
  caches: CellCache[];
}

function fbmOctaves(seed: number, o: FbmOptions): Octaves {
  const octaves: Octaves = { seeds: [], dx: [], dy: [], caches: [] };
  for (let k = 0; k < (o.octaves ?? 4); k++) {
    const s = mix32(seed + Math.imul(k + 1, 0x9e3779b9));
    octaves.seeds.push(s);
    // a fixed, seeded sub-cell offset per octave
    octaves.dx.push((s & 1023) / 1024 + k * 17);
    octaves.dy.push(((s >>> 10) & 1023) / 1024);
    octaves.caches.push(newCellCache());
  }
  return octaves;
}

function fbmWith(x: number, y: number, oct: Octaves, o: FbmOptions): number {
  const gain = o.gain ?? 0.5;
  let fx = x / (o.period * (o.stretch ?? 1));
  let fy = y / o.period;
  let amp = 1;
  let sum = 0;
  let norm = 0;
  for (let k = 0; k < oct.seeds.length; k++) {
    sum += amp * gradientNoise(fx + oct.dx[k], fy + oct.dy[k], oct.seeds[k], oct.caches[k]);
    norm += amp;
    amp *= gain;
    fx *= 2;
    fy *= 2;
  }
  return sum / norm;
}

/**
 * fBm sampled at every pixel where `where` is 1 (every pixel when omitted),
 * 0 elsewhere; optionally rotated by a unit direction (cos, sin) so that
 * stretched noise can run at any angle. The same arithmetic as `fbm`, in the
 * same order (bit for bit), written out for speed: octave by octave over the
 * pixels wanted (the sums still add the octaves in order), one lattice cell's
 * gradients held in locals.
 */
export function fbmField(
  width: number,
  height: number,
  seed: number,
  o: FbmOptions & { direction?: { x: number; y: number } },
  where?: Uint8Array,
): Float32Array {
  const n = width * height;
  const out = new Float32Array(n);
  const c = o.direction?.x ?? 1;
  const s = o.direction?.y ?? 0;
  const oct = fbmOctaves(seed, o);
  const gain = o.gain ?? 0.5;
  const periodX = o.period * (o.stretch ?? 1);
  const periodY = o.period;
  // the pixels wanted and their lattice coordinates at the coarsest octave
  let count = 0;
  if (where) {
    for (let i = 0; i < n; i++) if (where[i]) count++;
  } else count = n;
  const index = new Int32Array(count);
  const baseX = new Float64Array(count);
  const baseY = new Float64Array(count);
  for (let y = 0, m = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (where && !where[i]) continue;
      index[m] = i;
      baseX[m] = (x * c + y * s) / periodX;
      baseY[m] = (y * c - x * s) / periodY;
      m++;
    }
  }
  const sum = new Float64Array(count);
  let amp = 1;
  let norm = 0;
  let scale = 1; // 2^k: exact, as the k doublings are
  for (let k = 0; k < oct.seeds.length; k++) {
    octave(sum, baseX, baseY, scale, oct.dx[k], oct.dy[k], oct.seeds[k] | 0, amp);
    norm += amp;
    amp *= gain;
    scale *= 2;
  }
  for (let m = 0; m < count; m++) out[index[m]] = sum[m] / norm;
  return out;
}

/** Adds amp × one octave of gradient noise (as gradientNoise computes it) to every sum. */
function octave(
  sum: Float64Array,
  baseX: Float64Array,
  baseY: Float64Array,
  scale: number,
  offX: number,
  offY: number,
  seed: number,
  amp: number,
): void {
  let cx = Number.NaN;
  let cy = Number.NaN;
  let h00 = 0;
  let h10 = 0;
  let h01 = 0;
  let h11 = 0;
  for (let m = 0; m < sum.length; m++) {
    const px = baseX[m] * scale + offX;
    const py = baseY[m] * scale + offY;
    const x0 = Math.floor(px);
    const y0 = Math.floor(py);
    const tx = px - x0;
    const ty = py - y0;
    if (x0 !== cx || y0 !== cy) {
      cx = x0;
      cy = y0;
      h00 = hash2(x0, y0, seed) & 7;
      h10 = hash2(x0 + 1, y0, seed) & 7;
      h01 = hash2(x0, y0 + 1, seed) & 7;
      h11 = hash2(x0 + 1, y0 + 1, seed) & 7;
    }
    const n00 = GX[h00] * tx + GY[h00] * ty;
    const n10 = GX[h10] * (tx - 1) + GY[h10] * ty;
    const n01 = GX[h01] * tx + GY[h01] * (ty - 1);
    const n11 = GX[h11] * (tx - 1) + GY[h11] * (ty - 1);
    const u = tx * tx * tx * (tx * (tx * 6 - 15) + 10);
    const v = ty * ty * ty * (ty * (ty * 6 - 15) + 10);
    const a = n00 + u * (n10 - n00);
    const b = n01 + u * (n11 - n01);
    sum[m] += amp * ((a + v * (b - a)) * NORM);
  }
}

/**
 * The distress's texture (index.ts): a wear score per ink pixel from seeded
 * fBm fields, forced marks (speckle dots, scratches) stamped over it, and the
 * score above which a given share of the ink lies.
 */
import { createRng, fbmField, mix32, type Rng } from '../../raster/noise.js';
import type { Box } from './geometry.js';

/** Scores of forced marks (speckle dots, scratches): above any texture score. */
const MARK = 1.5;
/** Resolution of the score histogram used to find the intensity's threshold. */
const BINS = 4096;
const SCORE_MAX = 2;

/**
 * Per ink pixel, how worn it is (about 0–1.3): large fBm wear patches plus a
 * finer grain, so that the threshold cuts grainy holes where the print is
 * worn and leaves solid ink elsewhere (not even salt and pepper), plus edge
 * chipping that fades over `edgePx` from the shape's boundary.
 */
export function textureScore(
  width: number,
  height: number,
  member: Uint8Array,
  dist: Uint8Array,
  seed: number,
  px: { grainPx: number; wearPx: number; edgePx: number },
): Float32Array {
  const wear = fbmField(width, height, mix32(seed ^ 0x57ea), { period: px.wearPx, octaves: 3 }, member);
  // grain: slightly stretched along a seeded direction, like a worn screen or a dry squeegee
  const rng = createRng(mix32(seed ^ 0x6a1));
  const direction = unitVector(rng);
  const grain = fbmField(
    width,
    height,
    mix32(seed ^ 0x62a1),
    { period: px.grainPx, octaves: 3, gain: 0.6, stretch: 1.6, direction },
    member,
  );
  const chips = fbmField(width, height, mix32(seed ^ 0xed6e), { period: px.edgePx * 2, octaves: 2 }, member);
  const score = new Float32Array(width * height);
  for (let i = 0; i < score.length; i++) {
    if (!member[i]) continue;
    const w = 0.5 + 0.5 * wear[i];
    const g = 0.5 + 0.5 * grain[i];
    const near = dist[i] <= 1 ? 1 : Math.max(0, 1 - (dist[i] - 1) / px.edgePx);
    const chip = near * Math.max(0, chips[i] + 0.1);
    score[i] = 0.6 * w + 0.45 * g + 0.5 * chip;
  }
  return score;
}

/** A seeded unit vector (rejection sampling; sqrt is exact in IEEE arithmetic, unlike sin and cos). */
function unitVector(rng: Rng): { x: number; y: number } {
  for (;;) {
    const x = rng.range(-1, 1);
    const y = rng.range(-1, 1);
    const d = x * x + y * y;
    if (d > 0.01 && d <= 1) {
      const s = Math.sqrt(d);
      return { x: x / s, y: y / s };
    }
  }
}

/**
 * Forced marks: speckle dots clustered in worn areas and a few scratches.
 * Mark k is drawn from its own seeded stream and kept when its number falls
 * under the intensity, so a higher intensity only ever adds marks.
 */
export function addMarks(
  score: Float32Array,
  member: Uint8Array,
  width: number,
  height: number,
  box: Box,
  seed: number,
  intensity: number,
  px: { minSpeck: number; grainPx: number; longSide: number },
): void {
  const wear = (x: number, y: number) => {
    const i = y * width + x;
    return member[i] ? score[i] : 0;
  };
  // speckle: dots of radius 0.15–0.4 grain, candidates ∝ area, kept more often where the score is high
  const area = box.width * box.height;
  const dotCandidates = Math.min(20000, Math.round((area / (px.grainPx * px.grainPx)) * 0.25));
  for (let k = 0; k < dotCandidates; k++) {
    const rng = createRng(mix32(seed ^ Math.imul(k + 1, 0x2545f491)));
    const x = Math.floor(box.x + rng.next() * box.width);
    const y = Math.floor(box.y + rng.next() * box.height);
    const radius = Math.max(px.minSpeck * 0.75, px.grainPx * rng.range(0.15, 0.4));
    const keep = rng.next();
    if (keep > intensity * 1.2 * Math.max(0, wear(x, y) - 0.3)) continue;
    stamp(score, member, width, height, x, y, radius);
  }
  // scratches: up to 8, around a shared seeded direction, nearly straight, tapered and broken
  const base = unitVector(createRng(mix32(seed ^ 0x5c7a)));
  const scratches = Math.round(8 * intensity);
  for (let k = 0; k < scratches; k++) {
    const rng = createRng(mix32(seed ^ Math.imul(k + 1, 0x68e31da4)));
    let x = box.x + rng.next() * box.width;
    let y = box.y + rng.next() * box.height;
    const jitter = unitVector(rng);
    let dx = base.x + 0.5 * jitter.x;
    let dy = base.y + 0.5 * jitter.y;
    const len = px.longSide * rng.range(0.1, 0.45);
    const width0 = Math.max(px.minSpeck * 0.65, px.grainPx * rng.range(0.08, 0.2));
    const bend = rng.range(-0.006, 0.006);
    const step = Math.max(1, width0 * 0.7);
    const gapEvery = rng.range(0.15, 0.4) * len;
    for (let s = 0; s < len; s += step) {
      const d = Math.sqrt(dx * dx + dy * dy);
      dx /= d;
      dy /= d;
      // taper at both ends; short gaps make the scratch look dragged, not drawn
      const along = s / len;
      const taper = Math.min(1, 4 * along, 4 * (1 - along));
      const inGap = (s % gapEvery) / gapEvery > 0.85;
      if (!inGap) stamp(score, member, width, height, x, y, Math.max(px.minSpeck * 0.65, width0 * taper));
      x += dx * step;
      y += dy * step;
      const turn = bend + rng.range(-0.03, 0.03);
      dx -= dy * turn;
      dy += dx * turn;
    }
  }
}

/** Marks a disc of ink pixels as forced knock-outs. */
function stamp(
  score: Float32Array,
  member: Uint8Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  radius: number,
): void {
  const r2 = radius * radius;
  const x0 = Math.max(0, Math.floor(cx - radius));
  const x1 = Math.min(width - 1, Math.ceil(cx + radius));
  const y0 = Math.max(0, Math.floor(cy - radius));
  const y1 = Math.min(height - 1, Math.ceil(cy + radius));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const ddx = x + 0.5 - cx;
      const ddy = y + 0.5 - cy;
      const i = y * width + x;
      // ragged, not round: the local texture swells or shrinks the disc
      if (member[i] && ddx * ddx + ddy * ddy <= r2 * Math.min(1.4, Math.max(0.4, 0.3 + score[i])))
        score[i] = MARK;
    }
  }
}

/** The score above which `share` of the ink lies (from a histogram: deterministic, linear time). */
export function quantileAbove(score: Float32Array, member: Uint8Array, share: number): number {
  const hist = new Int32Array(BINS + 1);
  let total = 0;
  for (let i = 0; i < score.length; i++) {
    if (!member[i]) continue;
    hist[binOf(score[i])]++;
    total++;
  }
  const want = share * total;
  let above = 0;
  for (let b = BINS; b >= 0; b--) {
    if (above + hist[b] > want) return (b + 1) * (SCORE_MAX / BINS);
    above += hist[b];
  }
  return 0;
}

function binOf(s: number): number {
  return Math.max(0, Math.min(BINS, Math.floor((s / SCORE_MAX) * BINS)));
}

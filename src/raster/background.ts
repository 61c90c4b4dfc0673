/**
 * Background removal for logos on a flat or near-flat background.
 *
 * 1. detect the background colour from the image border;
 * 2. flood the background region from the border (ΔE76 ≤ tolerance), optionally
 *    also clearing enclosed regions of the background colour ("holes");
 * 3. drop speckles: small foreground islands that are close to the background
 *    colour (JPEG noise), never small islands of real ink;
 * 4. recover anti-aliased edge alpha by un-mixing the background colour: each
 *    edge pixel C is modelled as a·F + (1−a)·B, with F the colour of the nearest
 *    solid ink pixel, and gets colour F with alpha a. Compositing the result on
 *    any backdrop then shows no halo of the old background.
 * docs/BACKGROUND_REMOVAL.md explains the choices.
 */
import { deltaE76, deltaEMap, type Rgb, rgbToLab } from '../color/color.js';
import { createImage, type RgbaImage } from '../io/image.js';
import { boundedDistance, floodFromBorder, labelComponents, nearestSource } from './mask.js';

export interface BackgroundInfo {
  /** The detected background colour, or null when the border is mostly transparent already. */
  color: Rgb | null;
  /** Share (0–1) of border pixels that match the background colour within the tolerance. */
  borderShare: number;
  /** 95th percentile of the border pixels' ΔE to the background colour: the noise level. */
  noise: number;
}

export interface RemoveBackgroundOptions {
  /** ΔE76 within which a pixel counts as background (default 10). */
  tolerance: number;
  /** Also clear enclosed regions of the background colour, e.g. the inside of an "O". */
  holes: boolean;
}

export interface BackgroundRemoval {
  image: RgbaImage;
  background: BackgroundInfo;
  /** False when nothing was removed: input already transparent, or no background found. */
  removed: boolean;
  warnings: string[];
}

/** Border ring width in pixels used to sample the background. */
const RING = 2;

function borderIndices(width: number, height: number): Int32Array {
  const ring = Math.max(1, Math.min(RING, Math.floor(Math.min(width, height) / 2)));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < ring || y < ring || x >= width - ring || y >= height - ring) out.push(y * width + x);
    }
  }
  return Int32Array.from(out);
}

/**
 * Finds the background colour: the most common 5-bit-per-channel bucket of
 * opaque border pixels, averaged exactly within that bucket.
 */
export function detectBackground(image: RgbaImage, tolerance = 10): BackgroundInfo {
  const { width, height, data } = image;
  const border = borderIndices(width, height);
  let transparent = 0;
  const counts = new Map<number, number>();
  for (const i of border) {
    if (data[i * 4 + 3] < 128) {
      transparent++;
      continue;
    }
    const key = ((data[i * 4] >> 3) << 10) | ((data[i * 4 + 1] >> 3) << 5) | (data[i * 4 + 2] >> 3);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (transparent >= border.length / 2 || counts.size === 0) {
    return { color: null, borderShare: transparent / border.length, noise: 0 };
  }
  let bestKey = 0;
  let bestCount = -1;
  for (const [k, c] of counts) {
    if (c > bestCount || (c === bestCount && k < bestKey)) {
      bestKey = k;
      bestCount = c;
    }
  }
  // Average the pixels within tolerance of the bucket centre, not only the bucket,
  // so that JPEG noise straddling bucket edges still counts.
  const centre = {
    r: ((bestKey >> 10) << 3) + 4,
    g: (((bestKey >> 5) & 31) << 3) + 4,
    b: ((bestKey & 31) << 3) + 4,
  };
  const centreLab = rgbToLab(centre.r, centre.g, centre.b);
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let n = 0;
  for (const i of border) {
    if (data[i * 4 + 3] < 128) continue;
    if (deltaE76(rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]), centreLab) <= tolerance) {
      sr += data[i * 4];
      sg += data[i * 4 + 1];
      sb += data[i * 4 + 2];
      n++;
    }
  }
  const color = n ? { r: Math.round(sr / n), g: Math.round(sg / n), b: Math.round(sb / n) } : centre;
  const colorLab = rgbToLab(color.r, color.g, color.b);
  const des: number[] = [];
  let matching = 0;
  for (const i of border) {
    if (data[i * 4 + 3] < 128) continue;
    const d = deltaE76(rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]), colorLab);
    if (d <= tolerance) {
      matching++;
      des.push(d);
    }
  }
  des.sort((a, b) => a - b);
  const noise = des.length ? des[Math.min(des.length - 1, Math.floor(des.length * 0.95))] : 0;
  return { color, borderShare: matching / border.length, noise };
}

/**
 * Removes the background. Returns a new full-size image; the input is not modified.
 *
 * @example
 *   const { image } = removeBackground(logo, { tolerance: 10, holes: false });
 */
export function removeBackground(image: RgbaImage, options: RemoveBackgroundOptions): BackgroundRemoval {
  const { width, height, data } = image;
  const n = width * height;
  const bg = detectBackground(image, options.tolerance);
  const warnings: string[] = [];
  if (!bg.color) return { image, background: bg, removed: false, warnings };
  if (bg.borderShare < 0.4) {
    warnings.push(
      `Only ${Math.round(bg.borderShare * 100)} % of the border matches the background colour; removal may be incomplete.`,
    );
  }
  const B = bg.color;
  const dE = deltaEMap(data, B);

  // 2. the background region
  const near = new Uint8Array(n);
  for (let i = 0; i < n; i++) near[i] = dE[i] <= options.tolerance || data[i * 4 + 3] === 0 ? 1 : 0;
  // one breadth-first queue for every flood and labelling below: at 16 MP each would be 64 MB
  const queue = new Int32Array(n);
  const isBg = floodThroughWideGaps(near, width, height, queue);
  const minHole = Math.max(4, Math.round(n * 2e-5));
  if (options.holes) {
    const enclosed = new Uint8Array(n);
    for (let i = 0; i < n; i++) enclosed[i] = near[i] && !isBg[i] ? 1 : 0;
    const { labels, areas } = labelComponents(enclosed, width, height, queue);
    for (let i = 0; i < n; i++) if (labels[i] && areas[labels[i]] >= minHole) isBg[i] = 1;
  }

  // 3. speckles: small islands whose every pixel is still close to the background colour
  const fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) fg[i] = isBg[i] ? 0 : 1;
  const speckleArea = Math.max(6, Math.round(n * 1e-5));
  const noiseCeiling = Math.max(2 * options.tolerance, 3 * bg.noise);
  {
    const { labels, areas } = labelComponents(fg, width, height, queue);
    const strong = new Uint8Array(areas.length);
    for (let i = 0; i < n; i++) if (labels[i] && dE[i] > noiseCeiling) strong[labels[i]] = 1;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (l && areas[l] <= speckleArea && !strong[l]) {
        fg[i] = 0;
        isBg[i] = 1;
      }
    }
  }

  let fgCount = 0;
  for (let i = 0; i < n; i++) fgCount += fg[i];
  if (fgCount === 0) {
    warnings.push('Everything matched the background colour; the image was kept as it is.');
    return { image, background: bg, removed: false, warnings };
  }

  // 4. edge alpha by un-mixing the background colour
  const BAND = 3;
  const distToBg = boundedDistance(isBg, width, height, BAND);
  const distToFg = boundedDistance(fg, width, height, 2);
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i++) core[i] = fg[i] && distToBg[i] > BAND - 1 ? 1 : 0;
  const nearestCore = nearestSource(core, width, height, BAND + 3, queue);

  const out = createImage(width, height);
  const o = out.data;
  const noiseFloor = bg.noise;
  for (let i = 0; i < n; i++) {
    const p = i * 4;
    const srcA = data[p + 3];
    const inBand = fg[i] ? distToBg[i] <= BAND : distToFg[i] <= 2 && dE[i] > 1;
    if (!inBand) {
      if (fg[i]) {
        o[p] = data[p];
        o[p + 1] = data[p + 1];
        o[p + 2] = data[p + 2];
        o[p + 3] = srcA;
      }
      continue;
    }
    const Cr = data[p];
    const Cg = data[p + 1];
    const Cb = data[p + 2];
    let Fr: number;
    let Fg: number;
    let Fb: number;
    const c = nearestCore[i];
    if (c >= 0) {
      Fr = data[c * 4];
      Fg = data[c * 4 + 1];
      Fb = data[c * 4 + 2];
    } else {
      // thin feature without solid ink nearby: take the most ink-like pixel around it
      const m = strongestNeighbour(i, width, height, fg, dE);
      if (m < 0) continue;
      Fr = data[m * 4];
      Fg = data[m * 4 + 1];
      Fb = data[m * 4 + 2];
    }
    const vr = Fr - B.r;
    const vg = Fg - B.g;
    const vb = Fb - B.b;
    const len2 = vr * vr + vg * vg + vb * vb;
    let a: number;
    if (len2 < 64) {
      a = fg[i] ? 1 : 0; // ink too close to the background colour to un-mix
    } else {
      a = ((Cr - B.r) * vr + (Cg - B.g) * vg + (Cb - B.b) * vb) / len2;
      a = Math.max(0, Math.min(1, a));
      // Far off the B–F line means a mix of two inks, not of ink and background.
      const rr = Cr - B.r - a * vr;
      const rg = Cg - B.g - a * vg;
      const rb = Cb - B.b - a * vb;
      if (fg[i] && rr * rr + rg * rg + rb * rb > 0.09 * len2) a = 1;
    }
    if (!fg[i]) {
      // background side: ignore mixes no stronger than the background's own noise
      const inkDe = deltaE76(rgbToLab(Fr, Fg, Fb), rgbToLab(B.r, B.g, B.b));
      if (a * inkDe <= noiseFloor + 0.5) a = 0;
    }
    if (a >= 0.985) {
      o[p] = Cr;
      o[p + 1] = Cg;
      o[p + 2] = Cb;
      o[p + 3] = srcA;
    } else if (a > 0) {
      o[p] = Fr;
      o[p + 1] = Fg;
      o[p + 2] = Fb;
      o[p + 3] = Math.round(a * srcA);
    }
  }
  return { image: out, background: bg, removed: true, warnings };
}

/**
 * Floods the background from the border, but not through necks of 1–2 px: a
 * white element that touches the background at one anti-aliased point (a
 * snowcap at a mountain's apex, a white star touching the badge rim in a JPEG)
 * must not leak away. The flood runs on the 3×3-eroded mask, then grows back
 * two pixels within the unrestricted mask to recover the edges it lost.
 */
function floodThroughWideGaps(
  near: Uint8Array,
  width: number,
  height: number,
  queue: Int32Array,
): Uint8Array {
  const far = boundedDistance(invert(near), width, height, 1);
  const eroded = new Uint8Array(near.length);
  for (let i = 0; i < near.length; i++) eroded[i] = far[i] > 1 ? 1 : 0;
  const core = floodFromBorder(eroded, width, height, queue);
  const reach = boundedDistance(core, width, height, 2);
  const out = new Uint8Array(near.length);
  for (let i = 0; i < near.length; i++) out[i] = near[i] && reach[i] <= 2 ? 1 : 0;
  // a background strip only 1–2 px wide along the border has no eroded core: flood it plainly
  return core.some((v) => v === 1) ? out : floodFromBorder(near, width, height, queue);
}

function invert(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 0 : 1;
  return out;
}

/** Index of the foreground pixel with the largest ΔE to the background within a 5×5 window, or -1. */
function strongestNeighbour(
  i: number,
  width: number,
  height: number,
  fg: Uint8Array,
  dE: Float32Array,
): number {
  const x = i % width;
  const y = (i - x) / width;
  let best = -1;
  let bestDe = -1;
  for (let yy = Math.max(0, y - 2); yy <= Math.min(height - 1, y + 2); yy++) {
    for (let xx = Math.max(0, x - 2); xx <= Math.min(width - 1, x + 2); xx++) {
      const j = yy * width + xx;
      if (fg[j] && dE[j] > bestDe) {
        bestDe = dE[j];
        best = j;
      }
    }
  }
  return best;
}

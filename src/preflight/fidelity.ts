/**
 * How faithful the colour trace is to the art: the trace is filled back into
 * pixels (print/rasterize.ts: pixel centres, no anti-aliasing; gradient fills
 * evaluated per pixel) and every pixel compared with the art in CIEDE2000.
 *
 * Counted: the art's ink (alpha ≥ 128) and any pixel the trace paints outside
 * it. Not counted: the one-pixel band along every edge of the trace and of
 * the art, where anti-aliasing makes a perfect trace differ from the pixels
 * by design. The result: the share of that area over ΔE 10 (a visibly wrong
 * colour or shape), the mean ΔE, and a heat map (ΔE per pixel, 255 = not counted).
 */
import { deltaE2000, type Lab, rgbToLab } from '../color/color.js';
import type { Rect, RgbaImage } from '../io/image.js';
import { fillSubpaths } from '../print/rasterize.js';
import { offsetOf } from '../trace/color/gradient.js';
import { colorAt } from '../vector/gradient.js';
import type { Gradient, VectorImage } from '../vector/path.js';

/** ΔE2000 above which a traced pixel counts as wrong. */
export const BAD_DELTA_E = 10;
/** Heat map value of pixels left out of the count (edges, outside both). */
export const NOT_COUNTED = 255;

export interface TraceFidelity {
  /** Share of the counted area over ΔE 10, 0–1. */
  badShare: number;
  meanDeltaE: number;
  /** Pixels counted. */
  counted: number;
  /** art width × height, ΔE2000 per pixel rounded and capped at 254; NOT_COUNTED outside the count. */
  heat: Uint8Array;
}

/**
 * Compares `trace` (in the input's pixel coordinates) with `art`, the cutout
 * cropped to `box` of the same coordinates.
 */
export function traceFidelity(art: RgbaImage, trace: VectorImage, box: Rect): TraceFidelity {
  const { width, height, data } = art;
  const n = width * height;
  const NONE = 0xffff;
  const label = new Uint16Array(n).fill(NONE);
  // paint shape indices bottom first; a Uint8 map per shape keeps fillSubpaths' contract
  const one = new Uint8Array(n);
  trace.shapes.forEach((shape, k) => {
    one.fill(0);
    fillSubpaths(one, width, height, shape.subpaths, 1, { scale: 1, offsetX: -box.x, offsetY: -box.y });
    for (let i = 0; i < n; i++) if (one[i]) label[i] = k;
  });
  const flatLab = trace.shapes.map((s) => {
    const v = Number.parseInt(s.fill.slice(1), 16);
    return rgbToLab(v >> 16, (v >> 8) & 255, v & 255);
  });
  const heat = new Uint8Array(n).fill(NOT_COUNTED);
  const inArt = (i: number) => data[i * 4 + 3] >= 128;
  const differs = (i: number, j: number) => inArt(j) !== inArt(i) || label[j] !== label[i];
  const edge = (i: number, x: number, y: number) => {
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return inArt(i) || label[i] !== NONE;
    return differs(i, i - 1) || differs(i, i + 1) || differs(i, i - width) || differs(i, i + width);
  };
  const artLab: Lab = { L: 0, a: 0, b: 0 };
  const paintLab: Lab = { L: 0, a: 0, b: 0 };
  const white: Lab = rgbToLab(255, 255, 255);
  const cache = new Map<number, number>();
  let counted = 0;
  let bad = 0;
  let sum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const l = label[i];
      const a = inArt(i);
      if ((!a && l === NONE) || edge(i, x, y)) continue;
      const rgb = a ? (data[i * 4] << 16) | (data[i * 4 + 1] << 8) | data[i * 4 + 2] : 0xffffff;
      const g = l !== NONE ? trace.shapes[l].gradient : undefined;
      // flat paint: few (colour, paint) pairs in a logo, so each ΔE2000 is worked out once
      const key = g ? -1 : rgb * 65536 + l;
      let d = g ? undefined : cache.get(key);
      if (d === undefined) {
        const p = a ? rgbToLab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2], artLab) : white;
        const q =
          l === NONE
            ? white
            : g
              ? gradientLab(g, (y + box.y) * trace.width + x + box.x, trace.width, paintLab)
              : flatLab[l];
        d = deltaE2000(p, q);
        if (!g) cache.set(key, d);
      }
      heat[i] = Math.min(254, Math.round(d));
      counted++;
      sum += d;
      if (d > BAD_DELTA_E) bad++;
    }
  }
  return { badShare: counted ? bad / counted : 0, meanDeltaE: counted ? sum / counted : 0, counted, heat };
}

/** The gradient's colour at full-image pixel i (the colour tracer's own offset), as Lab. */
function gradientLab(g: Gradient, i: number, width: number, out: Lab): Lab {
  const [r, gg, b] = colorAt(g.stops, offsetOf(g, i, width));
  return rgbToLab(Math.round(r * 255), Math.round(gg * 255), Math.round(b * 255), out);
}

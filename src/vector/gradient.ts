/**
 * Gradient fills of the path model (path.ts): moving them with their shape,
 * the stops the writers emit, and the colour at any offset.
 */

import { rgb01 } from '../color/color.js';
import type { Gradient, GradientStop, Point, Shape } from './path.js';
import type { Placement } from './transform.js';

/** The shape's gradient when the writers paint it as one: a filled shape in process colour (not a spot ink, not a stroke). */
export function paintedGradient(s: Shape): Gradient | undefined {
  return s.gradient && !s.spot && !s.stroke ? s.gradient : undefined;
}

/**
 * The gradient under a similarity map: its points through `f`, its radius
 * times `k` (the map's uniform scale), so it stays fixed to its shape.
 */
export function mapGradient(g: Gradient, f: (p: Point) => Point, k: number): Gradient {
  if (g.type === 'linear') {
    const a = f({ x: g.x1, y: g.y1 });
    const b = f({ x: g.x2, y: g.y2 });
    return { ...g, x1: a.x, y1: a.y, x2: b.x, y2: b.y };
  }
  const c = f({ x: g.cx, y: g.cy });
  return { ...g, cx: c.x, cy: c.y, r: g.r * Math.abs(k) };
}

/**
 * The stops as writers emit them: offsets clamped to 0..1 and strictly
 * increasing (a stop at or before its predecessor is dropped), with the end
 * colours repeated at 0 and 1 when the ramp starts later or ends earlier.
 */
export function writerStops(stops: readonly GradientStop[]): GradientStop[] {
  const sorted = stops
    .map((s) => ({
      offset: Math.min(1, Math.max(0, Number.isFinite(s.offset) ? s.offset : 0)),
      color: s.color,
    }))
    .sort((a, b) => a.offset - b.offset);
  const out: GradientStop[] = [];
  for (const s of sorted) if (!out.length || s.offset > out[out.length - 1].offset) out.push(s);
  if (!out.length) throw new Error('a gradient needs at least one stop');
  if (out[0].offset > 0) out.unshift({ offset: 0, color: out[0].color });
  if (out[out.length - 1].offset < 1) out.push({ offset: 1, color: out[out.length - 1].color });
  return out;
}

/** The ramp's sRGB colour (0..1 per channel) at `offset`, interpolated in sRGB as the writers' viewers do. */
export function colorAt(stops: readonly GradientStop[], offset: number): [number, number, number] {
  const s = writerStops(stops);
  const t = Math.min(1, Math.max(0, offset));
  let k = 1;
  while (k < s.length - 1 && s[k].offset < t) k++;
  const a = s[k - 1];
  const b = s[k];
  const u = b.offset > a.offset ? (t - a.offset) / (b.offset - a.offset) : 0;
  const ca = rgb01(a.color);
  const cb = rgb01(b.color);
  return [0, 1, 2].map((c) => ca[c] + u * (cb[c] - ca[c])) as [number, number, number];
}

/**
 * The stops with `pieces − 1` more between each pair, coloured as the sRGB
 * ramp is there. A shading in another colour space (DeviceCMYK) interpolates
 * in that space, which bends the ramp (the naive conversion is not linear);
 * short pieces keep it within a fraction of a ΔE of the sRGB ramp.
 */
export function denseStops(stops: readonly GradientStop[], pieces: number): GradientStop[] {
  const s = writerStops(stops);
  const out: GradientStop[] = [s[0]];
  for (let k = 1; k < s.length; k++) {
    for (let j = 1; j < pieces; j++) {
      const offset = s[k - 1].offset + ((s[k].offset - s[k - 1].offset) * j) / pieces;
      const [r, g, b] = colorAt(s, offset);
      const h = (v: number) =>
        Math.round(v * 255)
          .toString(16)
          .padStart(2, '0');
      out.push({ offset: Math.round(offset * 10000) / 10000, color: `#${h(r)}${h(g)}${h(b)}` });
    }
    out.push(s[k]);
  }
  return out;
}

/**
 * A PDF / PostScript LanguageLevel 3 shading dictionary for the gradient
 * (the two languages share the syntax): axial (ShadingType 2) or radial
 * (ShadingType 3, from a point at the centre to the circle of radius r),
 * extended past both ends like SVG's pad. Two stops are one exponential
 * interpolation function (FunctionType 2, N 1: linear); more are a stitching
 * function (FunctionType 3) of such pieces, one per pair of stops.
 * `at` places image pixels in the output's units; `components` turns a stop's
 * #rrggbb into the colour space's components (0..1).
 */
export function shadingDictionary(
  g: Gradient,
  at: Placement,
  colorSpace: 'DeviceRGB' | 'DeviceCMYK',
  components: (hex: string) => number[],
  num: (v: number) => string,
): string {
  const unit = (v: number) => (Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000).toString();
  const c = (hex: string) => `[${components(hex).map(unit).join(' ')}]`;
  const stops = writerStops(g.stops);
  const piece = (a: GradientStop, b: GradientStop) =>
    `<< /FunctionType 2 /Domain [0 1] /C0 ${c(a.color)} /C1 ${c(b.color)} /N 1 >>`;
  let fn: string;
  if (stops.length === 2) fn = piece(stops[0], stops[1]);
  else {
    const pieces = stops.slice(1).map((s, k) => piece(stops[k], s));
    const bounds = stops.slice(1, -1).map((s) => unit(s.offset));
    const encode = pieces.map(() => '0 1').join(' ');
    fn = `<< /FunctionType 3 /Domain [0 1] /Functions [${pieces.join(' ')}] /Bounds [${bounds.join(' ')}] /Encode [${encode}] >>`;
  }
  const p = (x: number, y: number) => `${num(at.x({ x, y }))} ${num(at.y({ x, y }))}`;
  const coords =
    g.type === 'linear'
      ? `/ShadingType 2 /ColorSpace /${colorSpace} /Coords [${p(g.x1, g.y1)} ${p(g.x2, g.y2)}]`
      : `/ShadingType 3 /ColorSpace /${colorSpace} /Coords [${p(g.cx, g.cy)} 0 ${p(g.cx, g.cy)} ${num(g.r * at.scale)}]`;
  return `<< ${coords} /Function ${fn} /Extend [true true] >>`;
}

/**
 * SVG writer: one <path> per shape, even-odd fill, path data in its shortest
 * form (pathData below), colours as #rgb where they can be, exact circles and
 * rectangles as <circle> and <rect>. The
 * viewBox is the traced image in pixels, so the SVG scales without loss; the
 * output is deterministic (no random ids, no dates, shapes in paint order).
 *
 * SVG has no spot inks or overprint: a spot shape is painted in its `fill`
 * (the preview colour) and keeps the ink's name in `data-spot` (and
 * `data-overprint`), so a later step can still tell separations apart. Stroked
 * shapes are `fill="none"` with the width converted from points to viewBox units.
 *
 * Gradient fills become `<linearGradient>` / `<radialGradient>` in one
 * `<defs>` (userSpaceOnUse: the viewBox's pixels), with ids a, b… in paint
 * order, so the output stays deterministic; a picture without gradients is
 * written exactly as before.
 */
import { paintedGradient, writerStops } from './gradient.js';
import type { Gradient, Point, Shape, Subpath, VectorImage } from './path.js';
import { flatten, fmt, PT_PER_PX } from './transform.js';

export interface SvgOptions {
  /** Decimals kept in coordinates (default: from the size, `svgPrecision`). */
  precision?: number;
  /** width / height attributes (default: the image size in pixels, unitless; null leaves them out, so the SVG fills its box). */
  width?: string | null;
  height?: string | null;
  /** Points per image pixel at print size, to convert stroke widths (default 72/300: the pixels at 300 DPI). */
  ptPerPx?: number;
}

/** Finest step worth keeping at the print size: a hundredth of a millimetre (cutters resolve 0.025 mm). */
const PRINT_STEP_MM = 0.01;
/** …and on screen: a two-thousandth of the picture's larger side (a 2000 px view shows no rounding). */
const SCREEN_STEP = 1 / 2000;

/**
 * Decimals to keep in coordinates: the fewest whose step is below both a hundredth of a
 * millimetre at the print size (`ptPerPx`) and a two-thousandth of the picture, 0 to 3. A logo of
 * a few hundred pixels at 300 DPI keeps one decimal (0.1 px = 0.008 mm); a 64 px icon two.
 */
export function svgPrecision(image: { width: number; height: number }, ptPerPx: number): number {
  const printStep = PRINT_STEP_MM / ((ptPerPx * 25.4) / 72);
  const screenStep = Math.max(image.width, image.height) * SCREEN_STEP;
  const step = Math.min(printStep, screenStep);
  return Math.min(3, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

/**
 * width and height attributes that give an SVG its print size in mm (the viewBox stays in
 * pixels): the size its PDF, EPS and DXF siblings have, so that every reader places it alike.
 */
export function svgPrintSize(
  image: { width: number; height: number },
  widthMm: number,
): { width: string; height: string } {
  return { width: `${fmt(widthMm, 3)}mm`, height: `${fmt((widthMm * image.height) / image.width, 3)}mm` };
}

export function toSvg(image: VectorImage, opts: SvgOptions = {}): string {
  const w = opts.width === undefined ? String(image.width) : opts.width;
  const h = opts.height === undefined ? String(image.height) : opts.height;
  const size = (w === null ? '' : ` width="${attr(w)}"`) + (h === null ? '' : ` height="${attr(h)}"`);
  const ptPerPx = opts.ptPerPx !== undefined && opts.ptPerPx > 0 ? opts.ptPerPx : PT_PER_PX;
  const precision = opts.precision ?? svgPrecision(image, ptPerPx);
  const defs: string[] = [];
  const paths = image.shapes
    .map((s) => {
      const g = paintedGradient(s);
      let id: string | undefined;
      if (g) {
        // a, b, … z, then g27, g28…: short, and never a number first
        id = defs.length < 26 ? String.fromCharCode(97 + defs.length) : `g${defs.length + 1}`;
        defs.push(gradientDef(g, id, precision));
      }
      return (
        primitive(s, ptPerPx, precision, id) ??
        `<path${paint(s, ptPerPx, id)} d="${pathData(s.subpaths, precision, !s.stroke)}"/>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${image.width} ${image.height}"` +
    `${size} fill-rule="evenodd">${defs.length ? `<defs>${defs.join('')}</defs>` : ''}${paths}</svg>`
  );
}

/**
 * A shape of one closed subpath that is exactly a circle, an axis-aligned ellipse or an
 * axis-aligned (rounded) rectangle, as a `<circle>`, `<ellipse>` or `<rect>` (with `rx`):
 * shorter, and what an editor or a cutter's software shows as one. Every point of the flattened
 * outline must lie within 0.1 % of the size (at least 0.01 px) of the shape fitted to its box —
 * four quarter Béziers of the standard 0.5523 handles stay within 0.03 %; a near-circle or a
 * traced blob does not. A rectangle: four axis-aligned lines; a rounded one: those and four
 * quarter curves whose radius is where its first edge ends.
 */
function primitive(s: Shape, ptPerPx: number, precision: number, gradientId?: string): string | null {
  if (s.subpaths.length !== 1 || s.stroke) return null;
  const sp = s.subpaths[0];
  if (sp.closed === false) return null;
  const lines = sp.segments.every((g) => g.kind === 'line');
  const curves = sp.segments.every((g) => g.kind === 'cubic');
  // a rectangle is 3–4 lines, a circle or ellipse a few curves, a rounded rectangle 4 lines and
  // 4 curves (or just the curves): anything else is not flattened at all
  const nLines = sp.segments.filter((g) => g.kind === 'line').length;
  const rounded = !lines && !curves && nLines <= 4 && sp.segments.length - nLines === 4;
  if (lines ? sp.segments.length > 4 : !(curves || rounded) || sp.segments.length > 8) return null;
  const n = (v: number) => fmt(v, precision);
  const a = paint(s, ptPerPx, gradientId);
  const pts = flatten(sp, 0.01);
  if (lines && pts.length === 4) {
    const xs = [...new Set(pts.map((p) => p.x))];
    const ys = [...new Set(pts.map((p) => p.y))];
    const axisAligned = pts.every((p, i) => {
      const q = pts[(i + 1) % 4];
      return p.x === q.x || p.y === q.y;
    });
    if (xs.length === 2 && ys.length === 2 && axisAligned) {
      const [x0, x1] = xs.sort((u, v) => u - v);
      const [y0, y1] = ys.sort((u, v) => u - v);
      // x and y default to 0
      const at = (x0 === 0 ? '' : ` x="${n(x0)}"`) + (y0 === 0 ? '' : ` y="${n(y0)}"`);
      return `<rect${a}${at} width="${n(x1 - x0)}" height="${n(y1 - y0)}"/>`;
    }
  }
  if (lines || pts.length < 16) return null;
  // the box of the outline: the centre and half sizes of an ellipse or a rounded rectangle
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of pts) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const rx = (x1 - x0) / 2;
  const ry = (y1 - y0) / 2;
  if (!(rx > 0 && ry > 0)) return null;
  // every point within 0.1 % of the size (at least 0.01 px) of the shape's outline
  const tolerance = Math.max(0.01, 0.001 * Math.max(rx, ry));
  if (curves) {
    // an ellipse: the distance off it, to first order, is (ρ − 1) × its radius along that direction
    const off = (p: Point) => {
      const u = (p.x - cx) / rx;
      const v = (p.y - cy) / ry;
      const rho = Math.hypot(u, v);
      return rho === 0 ? Infinity : (Math.abs(rho - 1) * Math.hypot(u * rx, v * ry)) / rho;
    };
    if (pts.some((p) => off(p) > tolerance)) return null;
    return Math.abs(rx - ry) <= tolerance
      ? `<circle${a} cx="${n(cx)}" cy="${n(cy)}" r="${n((rx + ry) / 2)}"/>`
      : `<ellipse${a} cx="${n(cx)}" cy="${n(cy)}" rx="${n(rx)}" ry="${n(ry)}"/>`;
  }
  // a rounded rectangle: its corner radius from where its first straight edge ends, then every
  // point on the rounded box (a signed distance of 0)
  const line = sp.segments.findIndex((g) => g.kind === 'line');
  const from = line === 0 ? sp.start : sp.segments[line - 1].to;
  const to = sp.segments[line].to;
  const r = Math.min(
    Math.abs(from.x - to.x) < 1e-9
      ? Math.min(Math.abs(from.y - y0), Math.abs(from.y - y1))
      : Math.min(Math.abs(from.x - x0), Math.abs(from.x - x1)),
    rx,
    ry,
  );
  if (!(r > 0)) return null;
  const sdf = (p: Point) => {
    const qx = Math.abs(p.x - cx) - (rx - r);
    const qy = Math.abs(p.y - cy) - (ry - r);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
  if (pts.some((p) => Math.abs(sdf(p)) > tolerance)) return null;
  const at = (x0 === 0 ? '' : ` x="${n(x0)}"`) + (y0 === 0 ? '' : ` y="${n(y0)}"`);
  return `<rect${a}${at} width="${n(2 * rx)}" height="${n(2 * ry)}" rx="${n(r)}"/>`;
}

/** A `<linearGradient>` or `<radialGradient>` in user space (the viewBox's pixels). */
function gradientDef(g: Gradient, id: string, precision: number): string {
  const n = (v: number) => fmt(v, precision);
  const stops = writerStops(g.stops)
    // offsets to a thousandth of the ramp (half a pixel on a 500 px gradient), no leading zero
    .map((s) => `<stop offset="${fmt(s.offset, 3).replace(/^0\./, '.')}" stop-color="${shortHex(s.color)}"/>`)
    .join('');
  return g.type === 'linear'
    ? `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${n(g.x1)}" y1="${n(g.y1)}" x2="${n(g.x2)}" y2="${n(g.y2)}">${stops}</linearGradient>`
    : `<radialGradient id="${id}" gradientUnits="userSpaceOnUse" cx="${n(g.cx)}" cy="${n(g.cy)}" r="${n(g.r)}">${stops}</radialGradient>`;
}

/** The paint attributes of one shape: fill (a colour or `url(#id)` of its gradient), or stroke; the spot ink's name and overprint as data. */
function paint(s: Shape, ptPerPx: number, gradientId?: string): string {
  const colour = shortHex(s.fill);
  let out = s.stroke
    ? ` fill="none" stroke="${colour}" stroke-width="${fmt(s.stroke.widthPt / ptPerPx, 4)}" stroke-linejoin="round" stroke-linecap="round"`
    : gradientId
      ? ` fill="url(#${gradientId})"`
      : colour === '#000'
        ? '' // black is SVG's default fill
        : ` fill="${colour}"`;
  if (s.spot) out += ` data-spot="${attr(s.spot.name)}"`;
  if (s.overprint) out += ' data-overprint="true"';
  return out;
}

/** #rrggbb as #rgb where each pair repeats (#ffffff → #fff), lower case: the same colour, shorter. */
export function shortHex(color: string): string {
  const c = color.toLowerCase();
  return /^#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3$/.test(c) ? `#${c[1]}${c[3]}${c[5]}` : c;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Path data, as short as the commands allow: each command absolute or relative, whichever is
 * shorter (lines along an axis as H/V, a cubic whose first handle mirrors the last one as S), a
 * repeated command letter left out, numbers without leading zeros and with a separator only
 * where the next could not be told apart. Coordinates are rounded to `precision` decimals first
 * and relative steps taken between the rounded points, so rounding never drifts along a path. A
 * closed subpath's final line back to the start is left to Z; an open one has no Z; `filled`
 * paths have none at all (a fill closes each subpath itself).
 */
export function pathData(subpaths: Subpath[], precision: number, filled = false): string {
  let d = '';
  const k = 10 ** precision;
  const q = (v: number) => Math.round(v * k);
  const num = (v: number) => fmt(v / k, precision).replace(/^(-?)0\./, '$1.');
  // numbers as text, a space only where the next number could not be told apart
  const join = (vs: number[], after: string): string => {
    let out = '';
    let tail = after;
    for (const v of vs) {
      const t = num(v);
      const prev = tail[tail.length - 1] ?? '';
      const needsSpace =
        /[0-9.]/.test(prev) && !t.startsWith('-') && !(t.startsWith('.') && /\.\d*$/.test(lastNumber(tail)));
      out += needsSpace ? ` ${t}` : t;
      tail += needsSpace ? ` ${t}` : t;
    }
    return out;
  };
  let cmd = '';
  let cx = 0;
  let cy = 0;
  // emits the shorter of an absolute and a relative form of one command
  const emit = (abs: string, absVals: number[], rel: string, relVals: number[]) => {
    const a = (cmd === abs ? '' : abs) + join(absVals, cmd === abs ? d : abs);
    const r = (cmd === rel ? '' : rel) + join(relVals, cmd === rel ? d : rel);
    // on a tie, whichever continues the current command (its letter left out, the next may be too)
    if (r.length < a.length || (r.length === a.length && cmd !== abs)) {
      d += r;
      cmd = rel;
    } else {
      d += a;
      cmd = abs;
    }
  };
  for (const sp of subpaths) {
    const sx = q(sp.start.x);
    const sy = q(sp.start.y);
    if (d === '') {
      d = `M${join([sx, sy], 'M')}`;
      cmd = 'M';
    } else {
      cmd = '';
      emit('M', [sx, sy], 'm', [sx - cx, sy - cy]);
    }
    // after a moveto, numbers would mean lineto: always name the next command
    cmd = '';
    cx = sx;
    cy = sy;
    const segs = sp.segments;
    const n = segs.length;
    const last = segs[n - 1];
    const closed = sp.closed !== false;
    const dropLast = closed && n > 1 && last.kind === 'line' && q(last.to.x) === sx && q(last.to.y) === sy;
    // the previous cubic's second handle, while the previous segment is a cubic
    let mirror: [number, number] | null = null;
    for (let i = 0; i < (dropLast ? n - 1 : n); i++) {
      const seg = segs[i];
      let next: [number, number] | null = null;
      const x = q(seg.to.x);
      const y = q(seg.to.y);
      if (seg.kind === 'line') {
        if (y === cy && x !== cx) emit('H', [x], 'h', [x - cx]);
        else if (x === cx && y !== cy) emit('V', [y], 'v', [y - cy]);
        else emit('L', [x, y], 'l', [x - cx, y - cy]);
      } else {
        const c1x = q(seg.c1.x);
        const c1y = q(seg.c1.y);
        const c2x = q(seg.c2.x);
        const c2y = q(seg.c2.y);
        // S: the first handle mirrors the last one of the cubic before (exactly, once rounded)
        if (mirror && c1x === 2 * cx - mirror[0] && c1y === 2 * cy - mirror[1]) {
          emit('S', [c2x, c2y, x, y], 's', [c2x - cx, c2y - cy, x - cx, y - cy]);
        } else {
          emit('C', [c1x, c1y, c2x, c2y, x, y], 'c', [
            c1x - cx,
            c1y - cy,
            c2x - cx,
            c2y - cy,
            x - cx,
            y - cy,
          ]);
        }
        next = [c2x, c2y];
      }
      mirror = next;
      cx = x;
      cy = y;
    }
    // a fill closes every subpath itself: Z only where a stroke must join its ends
    if (closed && !filled) {
      d += 'Z';
      cmd = 'Z';
      cx = sx;
      cy = sy;
    }
  }
  return d;
}

/** The trailing number token of the data so far. */
function lastNumber(d: string): string {
  return /-?[0-9]*\.?[0-9]*$/.exec(d)?.[0] ?? '';
}

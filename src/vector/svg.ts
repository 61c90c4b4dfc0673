/**
 * SVG writer: one <path> per shape, even-odd fill, compact absolute path data
 * (M/L/C/Z, repeated commands implied, separators only where needed). The
 * viewBox is the traced image in pixels, so the SVG scales without loss; the
 * output is deterministic (no ids, no dates, shapes in paint order).
 */
import type { Point, Subpath, VectorImage } from './path.js';
import { fmt } from './transform.js';

export interface SvgOptions {
  /** Decimals kept in coordinates (default 2). */
  precision?: number;
  /** width / height attributes (default: the image size in pixels, unitless; null leaves them out, so the SVG fills its box). */
  width?: string | null;
  height?: string | null;
}

export function toSvg(image: VectorImage, opts: SvgOptions = {}): string {
  const precision = opts.precision ?? 2;
  const w = opts.width === undefined ? String(image.width) : opts.width;
  const h = opts.height === undefined ? String(image.height) : opts.height;
  const size = (w === null ? '' : ` width="${attr(w)}"`) + (h === null ? '' : ` height="${attr(h)}"`);
  const paths = image.shapes
    .map((s) => `<path fill="${s.fill.toLowerCase()}" d="${pathData(s.subpaths, precision)}"/>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${image.width} ${image.height}"` +
    `${size} fill-rule="evenodd">${paths}</svg>\n`
  );
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Path data for closed subpaths; a final line back to the start is left to Z. */
export function pathData(subpaths: Subpath[], precision: number): string {
  let d = '';
  const num = (v: number) => fmt(v, precision).replace(/^(-?)0\./, '$1.');
  // Appends numbers, adding a space only where the next number could not be told apart.
  const nums = (vs: number[]) => {
    for (const v of vs) {
      const s = num(v);
      const prev = d[d.length - 1];
      const needsSpace =
        /[0-9.]/.test(prev) && !s.startsWith('-') && !(s.startsWith('.') && /\.\d*$/.test(lastNumber(d)));
      d += needsSpace ? ` ${s}` : s;
    }
  };
  const pts = (...ps: Point[]) => nums(ps.flatMap((p) => [p.x, p.y]));
  for (const sp of subpaths) {
    let cmd = 'M';
    d += 'M';
    pts(sp.start);
    const segs = sp.segments;
    const n = segs.length;
    const last = segs[n - 1];
    const dropLast = n > 1 && last.kind === 'line' && last.to.x === sp.start.x && last.to.y === sp.start.y;
    for (let i = 0; i < (dropLast ? n - 1 : n); i++) {
      const seg = segs[i];
      const c = seg.kind === 'line' ? 'L' : 'C';
      if (c !== cmd) d += c;
      cmd = c;
      if (seg.kind === 'line') pts(seg.to);
      else pts(seg.c1, seg.c2, seg.to);
    }
    d += 'Z';
  }
  return d;
}

/** The trailing number token of the data so far. */
function lastNumber(d: string): string {
  return /-?[0-9]*\.?[0-9]*$/.exec(d)?.[0] ?? '';
}

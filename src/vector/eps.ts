/**
 * EPS writer (EPSF-3.0, PostScript Level 2): the art as even-odd filled
 * paths for print shops and older design tools that place EPS. The bounding
 * box is the page sized like the PDF writer's (default 300 DPI); y is flipped
 * because PostScript's origin is bottom-left. A tiny prolog in a private
 * dictionary gives the path operators short names; everything is wrapped in
 * save/restore so placing the file leaves no state behind. Deterministic: no
 * %%CreationDate, no user or host names.
 */
import type { Point, VectorImage } from './path.js';
import { fmt, PT_PER_PX, place, rgb01 } from './transform.js';

export interface EpsOptions {
  /** Width in points (default: the image at 300 DPI, px × 72/300); height keeps the aspect ratio. */
  widthPt?: number;
}

export function toEps(image: VectorImage, opts: EpsOptions = {}): string {
  const at = place(image, PT_PER_PX, opts.widthPt);
  const n = (v: number) => fmt(v, 3);
  const xy = (p: Point) => `${n(at.x(p))} ${n(at.y(p))}`;
  const lines = [
    '%!PS-Adobe-3.0 EPSF-3.0',
    '%%Creator: logomill',
    `%%BoundingBox: 0 0 ${Math.ceil(at.width - 1e-6)} ${Math.ceil(at.height - 1e-6)}`,
    `%%HiResBoundingBox: 0 0 ${n(at.width)} ${n(at.height)}`,
    '%%LanguageLevel: 2',
    '%%Pages: 1',
    '%%EndComments',
    '%%BeginProlog',
    '/LogomillDict 8 dict def LogomillDict begin',
    '/m /moveto load def /l /lineto load def /c /curveto load def /h /closepath load def',
    '/f /eofill load def /rg /setrgbcolor load def /n /newpath load def',
    'end',
    '%%EndProlog',
    '%%Page: 1 1',
    'save LogomillDict begin',
  ];
  for (const shape of image.shapes) {
    lines.push(
      `n ${rgb01(shape.fill)
        .map((v) => fmt(v, 4))
        .join(' ')} rg`,
    );
    for (const sp of shape.subpaths) {
      lines.push(`${xy(sp.start)} m`);
      for (const s of sp.segments) {
        lines.push(s.kind === 'line' ? `${xy(s.to)} l` : `${xy(s.c1)} ${xy(s.c2)} ${xy(s.to)} c`);
      }
      lines.push('h');
    }
    lines.push('f');
  }
  lines.push('end restore', 'showpage', '%%Trailer', '%%EOF');
  return `${lines.join('\n')}\n`;
}

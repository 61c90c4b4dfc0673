/**
 * EPS writer (EPSF-3.0, PostScript Level 2): the art as even-odd filled
 * paths for print shops and older design tools that place EPS. The bounding
 * box is the page sized like the PDF writer's (default 300 DPI); y is flipped
 * because PostScript's origin is bottom-left. A tiny prolog in a private
 * dictionary gives the path operators short names; everything is wrapped in
 * save/restore so placing the file leaves no state behind. Deterministic: no
 * %%CreationDate, no user or host names.
 *
 * Spot inks are Level 2 `[/Separation name /DeviceCMYK {tint transform}]`
 * colour spaces, defined once in the prolog and announced in the DSC header
 * (%%DocumentCustomColors, %%CMYKCustomColor) as RIPs and Illustrator expect;
 * strokes use setlinewidth in points with round joins, overprint `true setoverprint`.
 *
 * Gradient fills are LanguageLevel 3 `shfill` with the PDF writer's shading
 * dictionaries (gradient.ts), clipped to the shape's outline with `eoclip`;
 * only a picture that has one is announced as %%LanguageLevel: 3.
 */

import { rgb01 } from '../color/color.js';
import { paintedGradient, shadingDictionary } from './gradient.js';
import type { Point, SpotColor, VectorImage } from './path.js';
import { fmt, PT_PER_PX, place } from './transform.js';

export interface EpsOptions {
  /** Width in points (default: the image at 300 DPI, px × 72/300); height keeps the aspect ratio. */
  widthPt?: number;
}

export function toEps(image: VectorImage, opts: EpsOptions = {}): string {
  const at = place(image, PT_PER_PX, opts.widthPt);
  const n = (v: number) => fmt(v, 3);
  const c = (v: number) => fmt(Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0, 4);
  const xy = (p: Point) => `${n(at.x(p))} ${n(at.y(p))}`;
  // one colour space per ink name, first definition wins (as in the PDF writer)
  const inks = new Map<string, { spot: SpotColor; key: string }>();
  for (const shape of image.shapes) {
    if (shape.spot && !inks.has(shape.spot.name)) {
      if (shape.spot.name === '') throw new Error('a spot colour needs a name');
      inks.set(shape.spot.name, { spot: shape.spot, key: `S${inks.size}` });
    }
  }
  const dscList = (key: string, items: string[]) =>
    items.length ? [`%%${key}: ${items[0]}`, ...items.slice(1).map((i) => `%%+ ${i}`)] : [];
  const spots = [...inks.values()];
  const lines = [
    '%!PS-Adobe-3.0 EPSF-3.0',
    '%%Creator: logomill',
    `%%BoundingBox: 0 0 ${Math.ceil(at.width - 1e-6)} ${Math.ceil(at.height - 1e-6)}`,
    `%%HiResBoundingBox: 0 0 ${n(at.width)} ${n(at.height)}`,
    `%%LanguageLevel: ${image.shapes.some((s) => paintedGradient(s)) ? 3 : 2}`,
    ...dscList(
      'DocumentCustomColors',
      spots.map((s) => psString(s.spot.name)),
    ),
    ...dscList(
      'CMYKCustomColor',
      spots.map((s) => `${s.spot.cmyk.map(c).join(' ')} ${psString(s.spot.name)}`),
    ),
    '%%Pages: 1',
    '%%EndComments',
    '%%BeginProlog',
    '/LogomillDict 8 dict def LogomillDict begin',
    '/m /moveto load def /l /lineto load def /c /curveto load def /h /closepath load def',
    '/f /eofill load def /rg /setrgbcolor load def /n /newpath load def',
    // tint t → t×C t×M t×Y t×K
    ...spots.map(
      ({ spot, key }) =>
        `/${key} [/Separation ${psName(spot.name)} /DeviceCMYK {${spot.cmyk
          .map((v, i) => (i < 3 ? `dup ${c(v)} mul exch` : `${c(v)} mul`))
          .join(' ')}}] def`,
    ),
    'end',
    '%%EndProlog',
    '%%Page: 1 1',
    'save LogomillDict begin',
  ];
  for (const shape of image.shapes) {
    const gradient = paintedGradient(shape);
    const wrap = shape.stroke !== undefined || shape.overprint === true || gradient !== undefined;
    if (wrap) lines.push('gsave');
    if (shape.overprint) lines.push('true setoverprint');
    if (shape.stroke)
      lines.push(`${n(Math.max(0, shape.stroke.widthPt))} setlinewidth 1 setlinejoin 1 setlinecap`);
    const ink = shape.spot && inks.get(shape.spot.name);
    lines.push(
      gradient
        ? 'n'
        : ink
          ? `n ${ink.key} setcolorspace ${c(shape.spot?.tint ?? 1)} setcolor`
          : `n ${rgb01(shape.fill)
              .map((v) => fmt(v, 4))
              .join(' ')} rg`,
    );
    for (const sp of shape.subpaths) {
      lines.push(`${xy(sp.start)} m`);
      for (const s of sp.segments) {
        lines.push(s.kind === 'line' ? `${xy(s.to)} l` : `${xy(s.c1)} ${xy(s.c2)} ${xy(s.to)} c`);
      }
      if (sp.closed !== false) lines.push('h');
    }
    if (gradient) {
      // the outline clips (even-odd, like f), then the shading fills everything inside it
      lines.push('eoclip n', `${shadingDictionary(gradient, at, 'DeviceRGB', rgb01, n)} shfill`);
    } else lines.push(shape.stroke ? 'stroke' : 'f');
    if (wrap) lines.push('grestore');
  }
  lines.push('end restore', 'showpage', '%%Trailer', '%%EOF');
  return `${lines.join('\n')}\n`;
}

/** A PostScript string literal: ( ) and \ escaped, bytes outside printable ASCII as \ooo (UTF-8). */
function psString(text: string): string {
  let out = '(';
  for (const b of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(b);
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (b >= 0x20 && b < 0x7f) out += ch;
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/** The ink as a PostScript name: a literal /Name when it is plain, else the string converted with cvn. */
function psName(text: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(text) ? `/${text}` : `${psString(text)} cvn`;
}

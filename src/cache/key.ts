/**
 * Content-addressed cache keys: sha256 over the input bytes' hash, the
 * variation id, its normalised options (keys sorted, defaults applied), the
 * shared cutout settings, logomill's version and its output revision. Same key ⇔ same output
 * bytes, because every variation is deterministic.
 */
import { createHash } from 'node:crypto';
import { VERSION } from '../version.js';

/**
 * Bumped by every change that alters an output's bytes for the same input and options, between
 * releases too (VERSION moves only with a release): a cache filled before the change then
 * misses instead of serving the old files. test/cache.test.ts holds the hashes that catch a
 * change made without a bump.
 *   2: files declare their print size (DPI in PNG/JPEG, SVG width and height in mm)
 *   3: separations leave out films with no ink (W_EMPTY_FILM)
 *   4: white art gets a dark plate (favicons, email header, backdrop auto)
 *   5: DXF is AutoCAD 2007 with units and layer colours; vector-color writes one too
 *   6: traces on the transparent PNG's canvas (mono and colour line up with it)
 *   7: separations.json lists thin lines (thinLines), W_THIN_LINE; the preflight variation
 *   8: one-colour versions and the mono vector keep multi-colour designs (keyline style)
 *   9: cut lines: a cut per part unless --bridges, holes found by nesting, no self-crossing
 *  10: one-ink separations of multi-colour art keep the design (keyline)
 *  11: SVG path data: absolute or relative per command, H/V, whichever is shorter
 *  12: exact circles and axis-aligned rectangles written as SVG <circle> / <rect>
 *  13: SVG: #rgb colours where they repeat, no Z closing filled subpaths, <rect> without zero x/y
 *  14: SVG coordinates to the precision the size needs (svgPrecision: one decimal for most logos)
 *  15: DXF curves as arcs (LWPOLYLINE bulges) instead of chords
 *  16: separations.json reports the predicted colour error (and sim-process mode)
 *  17: separations.json: screen, ink estimate per film and total, print order
 *  18: the process composite is the print simulated from its films
 *  19: separations.json names the press
 *  20: SVG: exact ellipses and rounded rectangles as <ellipse> and <rect rx>
 */
export const OUTPUT_REVISION = 20;

/** JSON with object keys sorted at every level, so {a,b} and {b,a} hash alike. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function cacheKey(inputSha256: string, variation: string, options: unknown, shared: unknown): string {
  return createHash('sha256')
    .update(
      `logomill ${VERSION} r${OUTPUT_REVISION}\n${inputSha256}\n${variation}\n${canonicalJson(options)}\n${canonicalJson(shared)}`,
    )
    .digest('hex');
}

/**
 * DXF writer (ASCII, AutoCAD R12 / AC1009): the format vinyl cutters, laser
 * and CNC software read most reliably. Every subpath becomes one closed
 * POLYLINE (flag 1) of VERTEX entities in millimetres, with Béziers
 * flattened to chords within `toleranceMm` of the curve (R12 has no splines
 * worth relying on). y is flipped so the drawing is upright (DXF y points up).
 * Each polyline sits on a layer named after its shape's fill (e.g. "FF0000")
 * unless one `layer` is given (e.g. "CUT"); a spot-colour shape goes on a layer
 * named after its ink (e.g. "CutContour"), since cutter software picks cut
 * lines by layer. Open subpaths (strokes) become open polylines. R12 needs no
 * handles or tables; $INSUNITS = 4 (mm) is written for the newer readers that honour it.
 */
import type { VectorImage } from './path.js';
import { flatten, fmt, MM_PER_PX, place } from './transform.js';

export interface DxfOptions {
  /** Drawing width in mm (default: the image at 300 DPI, px × 25.4/300); height keeps the aspect ratio. */
  widthMm?: number;
  /** Maximum distance between a curve and its chords, in mm (default 0.05). */
  toleranceMm?: number;
  /** Put every polyline on this layer instead of one layer per fill colour. */
  layer?: string;
}

export function toDxf(image: VectorImage, opts: DxfOptions = {}): string {
  const at = place(image, MM_PER_PX, opts.widthMm);
  const tolPx = (opts.toleranceMm ?? 0.05) / at.scale;
  const n = (v: number) => fmt(v, 4);
  const out: (string | number)[] = [];
  // Group codes right-aligned in three columns, as AutoCAD writes them (some cutter software insists).
  const pair = (code: number, value: string | number) => out.push(String(code).padStart(3), value);
  pair(0, 'SECTION');
  pair(2, 'HEADER');
  pair(9, '$ACADVER');
  pair(1, 'AC1009');
  pair(9, '$INSUNITS');
  pair(70, 4);
  pair(9, '$EXTMIN');
  pair(10, 0);
  pair(20, 0);
  pair(9, '$EXTMAX');
  pair(10, n(at.width));
  pair(20, n(at.height));
  pair(0, 'ENDSEC');
  pair(0, 'SECTION');
  pair(2, 'ENTITIES');
  for (const shape of image.shapes) {
    const layer = shape.spot
      ? layerName(shape.spot.name)
      : (opts.layer ?? shape.fill.replace(/^#/, '').toUpperCase());
    for (const sp of shape.subpaths) {
      const pts = flatten(sp, tolPx);
      if (pts.length < 2) continue;
      pair(0, 'POLYLINE');
      pair(8, layer);
      pair(66, 1);
      pair(10, 0);
      pair(20, 0);
      pair(30, 0);
      pair(70, sp.closed === false ? 0 : 1);
      for (const p of pts) {
        pair(0, 'VERTEX');
        pair(8, layer);
        pair(10, n(at.x(p)));
        pair(20, n(at.y(p)));
        pair(30, 0);
      }
      pair(0, 'SEQEND');
      pair(8, layer);
    }
  }
  pair(0, 'ENDSEC');
  pair(0, 'EOF');
  return `${out.join('\n')}\n`;
}

/** An R12 layer name: letters, digits, $ - _ only (others become _), at most 31 characters. */
export function layerName(name: string): string {
  return name.replace(/[^A-Za-z0-9$_-]/g, '_').slice(0, 31) || '0';
}

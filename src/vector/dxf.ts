/**
 * DXF writer for vinyl cutters, lasers and CNC software, on @tarikjabiri/dxf (AutoCAD 2007
 * / AC1021 ASCII: handles, a LAYER table, `$INSUNITS` = mm, which every current reader
 * honours; R12 had none of these, so readers guessed the units and knew no layer colours).
 * Every subpath becomes one LWPOLYLINE in millimetres, closed unless it is a stroke, its
 * Béziers as circular arcs (vertex bulges; vector/arcs.ts) within `toleranceMm` of the curve —
 * or, with `flatten`, as chords; y is flipped so the drawing is
 * upright (DXF y points up). Each polyline sits on a layer named after its shape's fill (e.g.
 * "FF0000", in that colour) unless one `layer` is given (e.g. "CUT", red); a spot-colour shape
 * goes on a layer named after its ink (e.g. "CutContour", magenta), since cutter software
 * picks cut lines by layer. Layers carry the nearest basic AutoCAD colour and the exact RGB.
 */
import { DxfWriter, LWPolylineFlags, Units } from '@tarikjabiri/dxf';
import { subpathArcs } from './arcs.js';
import type { Point, Subpath, VectorImage } from './path.js';
import { flatten, MM_PER_PX, place } from './transform.js';

export interface DxfOptions {
  /** Drawing width in mm (default: the image at 300 DPI, px × 25.4/300); height keeps the aspect ratio. */
  widthMm?: number;
  /** Maximum distance between a curve and its chords, in mm (default 0.05). */
  toleranceMm?: number;
  /** Put every polyline on this layer instead of one layer per fill colour. */
  layer?: string;
  /** Chords only (no arcs), for readers that ignore bulges. */
  flatten?: boolean;
}

interface Vertex {
  point: Point;
  /** The bulge of the piece that starts here, in image coordinates (0: straight). */
  bulge: number;
}

/** The subpath as chords within `tolerance` of its curves. */
function chords(sp: Subpath, tolerance: number): Vertex[] {
  return flatten(sp, tolerance).map((point) => ({ point, bulge: 0 }));
}

/**
 * The subpath as lines and arcs (vector/arcs.ts): each vertex carries the bulge of the piece that
 * leaves it; a closed subpath's return to its start is the polyline's closing piece.
 */
function arcs(sp: Subpath, tolerance: number): Vertex[] {
  const out: Vertex[] = [{ point: sp.start, bulge: 0 }];
  for (const piece of subpathArcs(sp, tolerance)) {
    const last = out[out.length - 1];
    if (piece.to.x === last.point.x && piece.to.y === last.point.y) continue;
    last.bulge = piece.bulge;
    out.push({ point: piece.to, bulge: 0 });
  }
  const end = out[out.length - 1];
  if (sp.closed !== false && out.length > 2 && end.point.x === sp.start.x && end.point.y === sp.start.y)
    out.pop();
  return out;
}

/** Colours of the cut layers, by the convention cutter software follows. */
const CUT_RGB = 0xff0000;
const SPOT_RGB = 0xff00ff;

export function toDxf(image: VectorImage, opts: DxfOptions = {}): string {
  const at = place(image, MM_PER_PX, opts.widthMm);
  const tolPx = (opts.toleranceMm ?? 0.05) / at.scale;
  const mm = (v: number) => Math.round(v * 1e4) / 1e4;
  const dxf = new DxfWriter();
  dxf.setUnits(Units.Millimeters);
  dxf.setVariable('$EXTMIN', { 10: 0, 20: 0, 30: 0 });
  dxf.setVariable('$EXTMAX', { 10: mm(at.width), 20: mm(at.height), 30: 0 });
  for (const shape of image.shapes) {
    const [name, rgb] = shape.spot
      ? [layerName(shape.spot.name), SPOT_RGB]
      : opts.layer
        ? [layerName(opts.layer), CUT_RGB]
        : [shape.fill.replace(/^#/, '').toUpperCase(), Number.parseInt(shape.fill.slice(1), 16) || 0];
    if (!dxf.layer(name)) {
      const layer = dxf.addLayer(name, nearestAci(rgb), 'CONTINUOUS');
      layer.trueColor = rgb;
    }
    for (const sp of shape.subpaths) {
      const vertices = opts.flatten ? chords(sp, tolPx) : arcs(sp, tolPx);
      if (vertices.length < 2) continue;
      dxf.addLWPolyline(
        vertices.map((v) => ({
          point: { x: mm(at.x(v.point)), y: mm(at.y(v.point)) },
          // y flips, so a turn counter-clockwise on the image is clockwise in the drawing
          ...(v.bulge ? { bulge: -Math.round(v.bulge * 1e5) / 1e5 } : {}),
        })),
        { flags: sp.closed === false ? LWPolylineFlags.None : LWPolylineFlags.Closed, layerName: name },
      );
    }
  }
  return dxf.stringify();
}

/** A layer name: letters, digits, $ - _ only (others become _), at most 31 characters (R12's rule, safe everywhere). */
export function layerName(name: string): string {
  return name.replace(/[^A-Za-z0-9$_-]/g, '_').slice(0, 31) || '0';
}

/** AutoCAD's basic colours 1–9 (red, yellow, green, cyan, blue, magenta, black/white, greys). */
const ACI: [number, number][] = [
  [1, 0xff0000],
  [2, 0xffff00],
  [3, 0x00ff00],
  [4, 0x00ffff],
  [5, 0x0000ff],
  [6, 0xff00ff],
  [7, 0x000000],
  [8, 0x808080],
  [9, 0xc0c0c0],
];

/** The basic AutoCAD colour nearest to an RGB colour (readers without true colour show it). */
function nearestAci(rgb: number): number {
  const channels = (c: number) => [(c >> 16) & 255, (c >> 8) & 255, c & 255];
  const [r, g, b] = channels(rgb);
  let best = 7;
  let bestD = Number.POSITIVE_INFINITY;
  for (const [aci, c] of ACI) {
    const [cr, cg, cb] = channels(c);
    const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    if (d < bestD) {
      bestD = d;
      best = aci;
    }
  }
  return best;
}

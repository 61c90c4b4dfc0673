/**
 * Writers for machines that follow a line: G-code for lasers, engravers and
 * GRBL pen plotters, and HP-GL for pen plotters and vinyl cutters. Every
 * subpath is one pen-down run (Béziers flattened to chords within
 * `toleranceMm`), a closed one ending where it began; runs follow in the
 * image's shape order (the centerline tracer orders them for short travel).
 *
 * Units and origin, stated in each file: millimetres (G-code, `G21`) or
 * plotter units of 0.025 mm (HP-GL's 40 per mm); origin at the bottom-left
 * corner of the drawing, y up, as both machines expect. G-code switches the
 * tool with `M3 S<power>` / `M5` (GRBL laser mode; servo pens read the same),
 * travels with `G0` and draws with `G1 F<feed>`. Deterministic: no dates.
 */
import type { Point, VectorImage } from './path.js';
import { flatten, fmt, MM_PER_PX, place } from './transform.js';

export interface PlotterOptions {
  /** Drawing width in mm (default: the image at 300 DPI). */
  widthMm?: number;
  /** Maximum distance between a curve and its chords, mm (default 0.05). */
  toleranceMm?: number;
}

export interface GcodeOptions extends PlotterOptions {
  /** Drawing speed, mm/min (default 1000). */
  feed?: number;
  /** Spindle/laser power for M3, 0–1000 (GRBL's S range; default 1000). */
  power?: number;
}

/** Each subpath as a run of points in mm, origin bottom-left (closed runs end at their start). */
export function plotterRuns(image: VectorImage, o: PlotterOptions = {}): Point[][] {
  const at = place(image, MM_PER_PX, o.widthMm);
  const tolPx = (o.toleranceMm ?? 0.05) / at.scale;
  const runs: Point[][] = [];
  for (const shape of image.shapes) {
    for (const sp of shape.subpaths) {
      const pts = flatten(sp, tolPx).map((p) => ({ x: at.x(p), y: at.y(p) }));
      if (pts.length < 2) continue;
      if (sp.closed !== false) pts.push(pts[0]);
      runs.push(pts);
    }
  }
  return runs;
}

export function toGcode(image: VectorImage, o: GcodeOptions = {}): string {
  const feed = o.feed ?? 1000;
  const power = o.power ?? 1000;
  const n = (v: number) => fmt(v, 3);
  const lines = [
    '; logomill centerline',
    '; units mm, origin bottom-left of the drawing, y up',
    `; ${image.shapes.length} strokes, feed ${feed} mm/min, power S${power}`,
    'G21',
    'G90',
    'M5',
  ];
  for (const run of plotterRuns(image, o)) {
    lines.push(`G0 X${n(run[0].x)} Y${n(run[0].y)}`, `M3 S${power}`);
    for (let k = 1; k < run.length; k++)
      lines.push(`G1 X${n(run[k].x)} Y${n(run[k].y)}${k === 1 ? ` F${feed}` : ''}`);
    lines.push('M5');
  }
  lines.push('G0 X0 Y0', 'M2', '');
  return lines.join('\n');
}

/** HP-GL plotter units per millimetre. */
export const HPGL_PER_MM = 40;

export function toHpgl(image: VectorImage, o: PlotterOptions = {}): string {
  const u = (v: number) => Math.round(v * HPGL_PER_MM);
  const parts = ['IN;', 'SP1;'];
  for (const run of plotterRuns(image, o)) {
    parts.push(`PU${u(run[0].x)},${u(run[0].y)};`);
    parts.push(
      `PD${run
        .slice(1)
        .map((p) => `${u(p.x)},${u(p.y)}`)
        .join(',')};`,
    );
  }
  parts.push('PU;', 'SP0;', '');
  return parts.join('\n');
}

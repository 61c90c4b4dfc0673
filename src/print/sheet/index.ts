/**
 * A print-then-cut sheet: stickers (art + cut path, in mm) nested on a page
 * with the cutter's registration marks, as the pictures the writers print —
 * the print (art, white sticker backing, bleed, marks) and the cut (one spot
 * ink per kind of cut: CutContour for kiss cuts, Thru-cut, PerfCutContour).
 *
 * Both packers run (nest.ts on the cut shapes, shelf.ts on boxes in rows) and
 * the sheet keeps whichever places more stickers, then covers more of the
 * sheet, so it never packs worse than the plain way. docs/SHEETS.md.
 */
import { LogomillError } from '../../errors.js';
import { mapShape, mapSubpaths, regionArea } from '../../vector/geometry.js';
import type { Point, Shape, SpotColor, Subpath, VectorImage } from '../../vector/path.js';
import { type MarkStyle, planMarks } from './marks.js';
import {
  type MmBox,
  Nester,
  type NestGrid,
  type NestItem,
  type Placement,
  type Rotation,
  rotatedSize,
  rotatePoint,
} from './nest.js';
import type { Paper } from './paper.js';
import { shelfPack } from './shelf.js';

/** One sticker in its own mm: its box runs from (0, 0) to (width, height), the box of its cut. */
export interface SheetSticker extends NestItem {
  /** The logo it comes from (file name), for the report. */
  label: string;
  /** The cut path (outer outlines, and holes when they are cut). */
  cut: Subpath[];
  /** The art, painted in order. */
  art: Shape[];
  /** Strokes of the art's edge colours reaching past the cut (empty when the art keeps inside the cut by the bleed). */
  bleed: Shape[];
  /** How far the bleed reaches beyond the cut, mm (0 without). */
  bleedMm: number;
}

export type CutKind = 'kiss' | 'through';
export type FrameCut = 'none' | 'through' | 'perf';

/** Spot inks of the cut paths, as RIPs and cutter plug-ins name them. */
export const CUT_SPOTS: Record<'kiss' | 'through' | 'perf', SpotColor & { preview: string }> = {
  kiss: { name: 'CutContour', cmyk: [0, 1, 0, 0], preview: '#ff00ff' },
  through: { name: 'Thru-cut', cmyk: [1, 0, 0, 0], preview: '#00a0e0' },
  perf: { name: 'PerfCutContour', cmyk: [0, 1, 1, 0], preview: '#ff2020' },
};

export interface SheetOptions {
  paper: Paper;
  marks: MarkStyle;
  /** Page edge to the marks (silhouette) or to the printable area, mm. */
  inset: number;
  /** Least distance between two cut paths, mm. */
  gap: number;
  rotations: readonly Rotation[];
  /** How each sticker is cut: kiss (through the vinyl, not the backing) or through. */
  cut: CutKind;
  /** A cut around all the stickers, so the sheet comes off a roll or a larger page. */
  frame: FrameCut;
  /** Copies wanted per sticker; 0 = as many as fit (shared out in turn among the zeros). */
  counts: readonly number[];
}

export interface Sheet {
  width: number;
  height: number;
  placements: Placement[];
  packer: 'nest' | 'shelf';
  /** Per sticker: copies placed and wanted (0 = fill). */
  placed: number[];
  /** Share of the printable area inside the cut paths, 0..100. */
  usePct: number;
  /** Figures of the packer not chosen, for the report. */
  alternative: { packer: 'nest' | 'shelf'; count: number; usePct: number };
  /** The print: white sticker backings, bleed, art, marks (sheet mm). */
  print: Shape[];
  /** The cut paths: one stroked shape per spot ink (sheet mm). */
  cut: Shape[];
  printable: { x: number; y: number; width: number; height: number };
  /** Least distance between two cut paths: the asked gap, or twice the widest bleed past a cut. */
  gap: number;
}

/** The sets of turns the nester tries (those the options allow): one way, two ways, any. */
const ROTATION_SETS: readonly (readonly Rotation[])[] = [[0], [90], [0, 180], [90, 270], [0, 90, 180, 270]];

/** Hairline stroke of the cut paths in the print-and-cut files, pt. */
const CUT_WIDTH_PT = 0.25;
/** Stickers placed when filling, at most: a sheet of 5 mm dots would otherwise grow without use. */
const MAX_STICKERS = 2000;

/** The order stickers are offered in: biggest first; copies to fill taken in turn. */
function queueOf(areas: readonly number[], counts: readonly number[], printableArea: number): number[] {
  const order = areas.map((_, i) => i).sort((a, b) => areas[b] - areas[a] || a - b);
  const queue: number[] = [];
  for (const i of order) for (let k = 0; k < counts[i]; k++) queue.push(i);
  const fill = order.filter((i) => counts[i] === 0);
  if (fill.length) {
    const smallest = Math.max(1e-6, Math.min(...fill.map((i) => areas[i])));
    const rounds = Math.min(MAX_STICKERS, Math.ceil(printableArea / smallest) + 1);
    for (let r = 0; r < rounds && queue.length < MAX_STICKERS; r++) queue.push(...fill);
  }
  return queue.slice(0, MAX_STICKERS);
}

function nestAll(stickers: readonly SheetSticker[], queue: readonly number[], grid: NestGrid): Placement[] {
  const nester = new Nester(grid);
  const out: Placement[] = [];
  for (const id of queue) {
    const at = nester.place(stickers[id], id);
    if (at) out.push(at);
  }
  return out;
}

/** Lays the stickers out and paints the sheet. E_BAD_OPTION when not one sticker fits. */
export function layoutSheet(stickers: readonly SheetSticker[], o: SheetOptions): Sheet {
  const { width, height } = o.paper;
  const plan = planMarks(o.marks, width, height, o.inset);
  if (plan.printable.width <= 0 || plan.printable.height <= 0) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `The ${o.paper.name} sheet leaves no room inside its ${o.inset} mm margins.`,
    );
  }
  // bleeds reach past the cuts: two of them must not meet
  const gap = Math.max(o.gap, 2 * Math.max(0, ...stickers.map((s) => s.bleedMm)));
  const grid: NestGrid = {
    width,
    height,
    printable: plan.printable,
    keepOut: plan.keepOut,
    gap,
    rotations: o.rotations,
  };
  const areas = stickers.map((s) => regionArea(s.region, 0.05));
  const printableArea = plan.printable.width * plan.printable.height;
  const queue = queueOf(areas, o.counts, printableArea);
  const score = (ps: Placement[]) => ps.reduce((t, p) => t + areas[p.item], 0);
  // Greedy placement is short-sighted about turns: the nester runs with every set of turns the
  // options allow (all one way, alternating, any), the shelf packer each way; the best sheet wins.
  const sets = ROTATION_SETS.filter((set) => set.every((r) => o.rotations.includes(r)));
  const runs: { packer: 'nest' | 'shelf'; placements: Placement[] }[] = [
    ...sets.map((rotations) => ({
      packer: 'nest' as const,
      placements: nestAll(stickers, queue, { ...grid, rotations }),
    })),
    ...(o.rotations.includes(90) ? [0, 90] : [0]).map((r) => ({
      packer: 'shelf' as const,
      placements: shelfPack(stickers, queue, grid, r as Rotation),
    })),
  ];
  const better = (a: Placement[], b: Placement[]) => a.length - b.length || score(a) - score(b);
  runs.sort((a, b) => better(b.placements, a.placements));
  const winner = runs[0];
  const loser = runs.find((r) => r.packer !== winner.packer) ?? winner;
  const placements = winner.placements;
  if (placements.length === 0) {
    const big = stickers.reduce((a, s) => Math.max(a, s.width, s.height), 0);
    throw new LogomillError(
      'E_BAD_OPTION',
      `No sticker fits on the ${o.paper.name} sheet: the largest is ${big.toFixed(1)} mm, the printable area ${plan.printable.width.toFixed(1)} × ${plan.printable.height.toFixed(1)} mm.`,
    );
  }
  const placed = stickers.map((_, i) => placements.filter((p) => p.item === i).length);
  const use = (ps: Placement[]) => Math.round((1000 * score(ps)) / printableArea) / 10;

  const print: Shape[] = [];
  const backing: Shape[] = [];
  const bleed: Shape[] = [];
  const art: Shape[] = [];
  const cuts: Subpath[] = [];
  for (const p of placements) {
    const s = stickers[p.item];
    const f = (q: Point): Point => {
      const t = rotatePoint(q, s, p.rotation);
      return { x: t.x + p.x, y: t.y + p.y };
    };
    backing.push({ fill: '#ffffff', subpaths: mapSubpaths(s.region, f) });
    for (const shape of s.bleed) bleed.push(mapShape(shape, f, 1));
    for (const shape of s.art) art.push(mapShape(shape, f, 1));
    cuts.push(...mapSubpaths(s.cut, f));
  }
  // bleeds first, each sticker's white backing over them (inside its cut), then the art
  print.push(...bleed, ...backing, ...art, ...plan.shapes);
  const spotShape = (kind: keyof typeof CUT_SPOTS, subpaths: Subpath[]): Shape => {
    const { preview, ...spot } = CUT_SPOTS[kind];
    return { fill: preview, spot, subpaths, stroke: { widthPt: CUT_WIDTH_PT }, overprint: true };
  };
  const cut: Shape[] = [spotShape(o.cut, cuts)];
  if (o.frame !== 'none')
    cut.push(spotShape(o.frame, [frameAround(placements, stickers, gap, plan.printable, plan.keepOut)]));
  return {
    width,
    height,
    placements,
    packer: winner.packer,
    placed,
    usePct: use(placements),
    alternative: { packer: loser.packer, count: loser.placements.length, usePct: use(loser.placements) },
    print,
    cut,
    printable: plan.printable,
    gap,
  };
}

/**
 * A rectangle `gap` outside the stickers' boxes (kept inside the printable area), corners
 * rounded to the gap; a corner that falls in a keep-out (a registration mark) is notched around
 * it, `gap` inside the keep-out, which no sticker enters.
 */
function frameAround(
  placements: readonly Placement[],
  stickers: readonly SheetSticker[],
  gap: number,
  printable: MmBox,
  keepOut: readonly MmBox[],
): Subpath {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of placements) {
    const s = stickers[p.item];
    const size = rotatedSize(s, p.rotation);
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + size.width);
    y1 = Math.max(y1, p.y + size.height);
  }
  x0 = Math.max(printable.x, x0 - gap);
  y0 = Math.max(printable.y, y0 - gap);
  x1 = Math.min(printable.x + printable.width, x1 + gap);
  y1 = Math.min(printable.y + printable.height, y1 + gap);
  const r = Math.min(gap, (x1 - x0) / 4, (y1 - y0) / 4);
  // clockwise from the top-left; each corner with its rounding radius
  const corners: [number, number, number][] = [];
  const corner = (x: number, y: number, sx: number, sy: number, arriveVertically: boolean) => {
    // sx, sy: the direction from the corner into the frame
    const k = keepOut.find((b) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height);
    if (!k) {
      corners.push([x, y, r]);
      return;
    }
    const nx = (sx > 0 ? k.x + k.width : k.x) - sx * gap;
    const ny = (sy > 0 ? k.y + k.height : k.y) - sy * gap;
    // the notch runs along one edge to the keep-out, in around it, and out along the other
    const a: [number, number, number] = arriveVertically ? [x, ny, 0] : [nx, y, 0];
    const c: [number, number, number] = arriveVertically ? [nx, y, 0] : [x, ny, 0];
    corners.push(a, [nx, ny, 0], c);
  };
  corner(x0, y0, 1, 1, true);
  corner(x1, y0, -1, 1, false);
  corner(x1, y1, -1, -1, true);
  corner(x0, y1, 1, -1, false);
  return roundedPolygon(corners);
}

/** A closed polygon of axis-parallel edges with corners rounded by quarter circles of their radius (0: sharp). */
function roundedPolygon(corners: readonly [number, number, number][]): Subpath {
  const n = corners.length;
  const unit = (from: readonly number[], to: readonly number[]) => {
    const d = Math.hypot(to[0] - from[0], to[1] - from[1]) || 1;
    return [(to[0] - from[0]) / d, (to[1] - from[1]) / d];
  };
  const ends = corners.map((c, i) => {
    const prev = corners[(i + n - 1) % n];
    const next = corners[(i + 1) % n];
    const din = unit(prev, c);
    const dout = unit(c, next);
    const r = c[2];
    return {
      a: { x: c[0] - din[0] * r, y: c[1] - din[1] * r },
      b: { x: c[0] + dout[0] * r, y: c[1] + dout[1] * r },
      c1: { x: c[0] - din[0] * r * 0.4477, y: c[1] - din[1] * r * 0.4477 },
      c2: { x: c[0] + dout[0] * r * 0.4477, y: c[1] + dout[1] * r * 0.4477 },
      r,
    };
  });
  const segments: Subpath['segments'] = [];
  for (let i = 0; i < n; i++) {
    const e = ends[i];
    if (e.r > 0) segments.push({ kind: 'cubic', c1: e.c1, c2: e.c2, to: e.b });
    segments.push({ kind: 'line', to: ends[(i + 1) % n].a });
  }
  return { start: ends[0].a, segments };
}

/** The sheet as one picture in `unitsPerMm` (print under cut, or either alone). */
export function sheetPicture(
  sheet: Sheet,
  layers: { print: boolean; cut: boolean },
  unitsPerMm: number,
): VectorImage {
  const k = unitsPerMm;
  const f = (p: Point) => ({ x: p.x * k, y: p.y * k });
  const shapes = [...(layers.print ? sheet.print : []), ...(layers.cut ? sheet.cut : [])];
  return {
    width: sheet.width * k,
    height: sheet.height * k,
    shapes: shapes.map((s) => mapShape(s, f, k)),
  };
}

/**
 * What each print process can hold: the limits the preflight measures the art
 * against. Figures are common shop guidance, not a standard; docs/PREFLIGHT.md
 * gives the table with its sources and says how to read it. Every limit is at
 * the printed size, in millimetres.
 */

export const PROCESSES = ['screen', 'dtf', 'dtg', 'vinyl', 'laser', 'embroidery', 'offset'] as const;
export type ProcessId = (typeof PROCESSES)[number];

export const MESHES = [110, 156, 200, 230, 305] as const;

export interface ProcessLimits {
  id: ProcessId;
  /** For people: "screen print, 230 mesh, 55 LPI". */
  name: string;
  /** Thinnest positive line (ink) the process holds. */
  minLineMm: number;
  /** Narrowest gap (knocked-out line, counter) that stays open. */
  minGapMm: number;
  /** Smallest separate dot or piece that prints, sticks or stays on the sheet. */
  minDotMm: number;
  /** Input resolution at the print size below which a raster print looks soft (null: printed from the trace). */
  minDpi: number | null;
  /** Colours the process prints before it costs more or cannot (screens, vinyl layers, threads); null = any. */
  maxInks: number | null;
  /** How gradients fare: printed as they are, halftoned (screen) or not at all (flattened to bands). */
  gradients: 'print' | 'halftone' | 'flatten';
  /** Cut from a sheet (stencil): enclosed counters fall out unless bridged. */
  stencil: boolean;
  /** Printed from the vector trace, so the trace's fidelity matters and it rescues a small input. */
  vector: boolean;
  /** Screen print: mesh count (threads per inch) and halftone ruling. */
  mesh: number | null;
  lpi: number | null;
  /** Screen print: theoretical ink volume of the mesh, cm³ per m² printed (≈ wet deposit in µm). */
  inkVolumeCm3PerM2: number | null;
  /** Print width used when none is given, mm. */
  defaultWidthMm: number;
}

/** Screen mesh → thinnest line and gap it holds, the halftone ruling it carries (≈ mesh ÷ 4), ink volume. */
export const MESH: Record<
  (typeof MESHES)[number],
  { line: number; gap: number; lpi: number; volume: number }
> = {
  110: { line: 0.3, gap: 0.4, lpi: 25, volume: 45 },
  156: { line: 0.25, gap: 0.3, lpi: 35, volume: 35 },
  200: { line: 0.2, gap: 0.25, lpi: 45, volume: 25 },
  230: { line: 0.15, gap: 0.2, lpi: 55, volume: 20 },
  305: { line: 0.1, gap: 0.15, lpi: 70, volume: 13 },
};

type Fixed = Omit<ProcessLimits, 'id' | 'mesh' | 'lpi' | 'inkVolumeCm3PerM2'>;

const FIXED: Record<Exclude<ProcessId, 'screen'>, Fixed> = {
  dtf: {
    name: 'DTF transfer',
    minLineMm: 0.5,
    minGapMm: 0.5,
    minDotMm: 1,
    minDpi: 200,
    maxInks: null,
    gradients: 'print',
    stencil: false,
    vector: false,
    defaultWidthMm: 254,
  },
  dtg: {
    name: 'direct to garment',
    minLineMm: 0.3,
    minGapMm: 0.3,
    minDotMm: 0.5,
    minDpi: 150,
    maxInks: null,
    gradients: 'print',
    stencil: false,
    vector: false,
    defaultWidthMm: 254,
  },
  vinyl: {
    name: 'cut vinyl',
    minLineMm: 1,
    minGapMm: 0.8,
    minDotMm: 2,
    minDpi: null,
    maxInks: 3,
    gradients: 'flatten',
    stencil: false,
    vector: true,
    defaultWidthMm: 152.4,
  },
  laser: {
    name: 'laser-cut stencil',
    minLineMm: 0.5,
    minGapMm: 0.3,
    minDotMm: 1,
    minDpi: null,
    maxInks: 1,
    gradients: 'flatten',
    stencil: true,
    vector: true,
    defaultWidthMm: 101.6,
  },
  embroidery: {
    name: 'embroidery',
    minLineMm: 1,
    minGapMm: 0.8,
    minDotMm: 2,
    minDpi: null,
    maxInks: 12,
    gradients: 'flatten',
    stencil: false,
    vector: true,
    defaultWidthMm: 88.9,
  },
  offset: {
    name: 'offset print',
    minLineMm: 0.1,
    minGapMm: 0.15,
    minDotMm: 0.2,
    minDpi: 300,
    maxInks: null,
    gradients: 'print',
    stencil: false,
    vector: false,
    defaultWidthMm: 76.2,
  },
};

/**
 * The limits for a process; screen print's follow the mesh (and `lpi`, 0 = the
 * mesh's usual ruling).
 */
export function processLimits(id: ProcessId, o: { mesh: number; lpi: number }): ProcessLimits {
  if (id !== 'screen') return { id, mesh: null, lpi: null, inkVolumeCm3PerM2: null, ...FIXED[id] };
  const m = MESH[o.mesh as keyof typeof MESH];
  const lpi = o.lpi > 0 ? o.lpi : m.lpi;
  return {
    id,
    name: `screen print, ${o.mesh} mesh, ${lpi} LPI`,
    minLineMm: m.line,
    minGapMm: m.gap,
    minDotMm: Math.round(m.line * 1.5 * 100) / 100,
    minDpi: null,
    maxInks: 6,
    gradients: 'halftone',
    stencil: false,
    vector: true,
    mesh: o.mesh,
    lpi,
    inkVolumeCm3PerM2: m.volume,
    defaultWidthMm: 254,
  };
}

/** The mesh row of the limits table nearest to the asked count (reports name the table's). */
export function nearestMesh(asked: number): (typeof MESHES)[number] {
  return MESHES.reduce<(typeof MESHES)[number]>(
    (best, m) => (Math.abs(m - asked) < Math.abs(best - asked) ? m : best),
    MESHES[0],
  );
}

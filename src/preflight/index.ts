/**
 * The preflight: the art measured at its print size against what one print
 * process can hold (processes.ts), as a report a shop can act on. It reads
 * the art analysis (inks, gradients, background) and the shared colour trace;
 * it measures thin lines, narrow gaps and small dots per ink (measure.ts) and
 * the trace's fidelity (fidelity.ts). Every finding has a stable code, a
 * severity, its value, the limit and where it is. docs/PREFLIGHT.md.
 */

import { deltaE2000, parseColor, rgbToLab, toHex } from '../color/color.js';
import { isWhiteInk, MAX_UNEXPLAINED } from '../color/inks.js';
import type { Rect } from '../io/image.js';
import { floodFromBorder, labelComponents } from '../raster/mask.js';
import { colorLabels, TRANSPARENT_LABEL } from '../trace/color/index.js';
import type { Cutout } from '../variations/types.js';
import type { VectorImage } from '../vector/path.js';
import { BAD_DELTA_E, type TraceFidelity, traceFidelity } from './fidelity.js';
import { type ThinPlace, thinPlaces } from './measure.js';
import type { ProcessLimits } from './processes.js';

export const PREFLIGHT_SCHEMA = 'logomill.preflight/1';

export type FindingCode =
  | 'P_LOW_RESOLUTION'
  | 'P_THIN_LINE'
  | 'P_SMALL_DOT'
  | 'P_NARROW_GAP'
  | 'P_ISLANDS'
  | 'P_TOO_MANY_INKS'
  | 'P_NEAR_DUPLICATE_INKS'
  | 'P_GRADIENT'
  | 'P_TRACE_FIDELITY';

export type Severity = 'error' | 'warning' | 'info';

/** A place on the print, in mm from the art's top-left corner. */
export interface Place {
  xMm: number;
  yMm: number;
  widthMm: number;
  heightMm: number;
  /** The line's width, the dot's or the gap's, measured there (thin lines, dots, gaps). */
  measuredMm?: number;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  value: number | null;
  limit: number | null;
  unit: 'mm' | 'dpi' | 'inks' | '%' | 'ΔE2000' | 'count';
  /** The ink it concerns (#rrggbb), when it is one ink's. */
  ink?: string;
  /** Where it is (the worst first), at most 20. */
  places: Place[];
}

export interface InkReport {
  hex: string;
  /** Printed (false: a white ink on a light garment or paper, left as the substrate). */
  printed: boolean;
  areaMm2: number;
  areaIn2: number;
  /** Share of the art box the ink covers, %. */
  coveragePct: number;
  /** Thinnest line found up to twice the limit, mm (null: none thinner than twice the limit). */
  thinnestLineMm: number | null;
  /** Screen print: ink volume per print at the mesh's theoretical volume, ml. */
  inkMl: number | null;
}

export interface PreflightReport {
  schema: typeof PREFLIGHT_SCHEMA;
  process: ProcessLimits;
  print: { widthMm: number; heightMm: number; widthIn: number; heightIn: number; garment: string };
  input: { artWidthPx: number; artHeightPx: number; dpi: number };
  verdict: 'ready' | 'check' | 'fix';
  summary: string;
  counts: { errors: number; warnings: number; infos: number };
  inks: InkReport[];
  /** Screen print: all inks per print and per 100 prints, ml. */
  inkVolume: { perPrintMl: number; per100Ml: number } | null;
  trace: { badPct: number; meanDeltaE: number; threshold: number };
  findings: Finding[];
}

export interface PreflightOptions {
  limits: ProcessLimits;
  widthMm: number;
  /** Garment or paper colour (#hex) or 'none' (white paper, a light garment). */
  garment: string;
}

export interface PreflightResult {
  report: PreflightReport;
  /** The art box's ΔE heat map of the trace (fidelity.ts). */
  fidelity: TraceFidelity;
  /** Finding places in art pixels, with their severity, for drawing. */
  marks: { box: Rect; severity: Severity }[];
}

/** Two inks closer than this (ΔE2000) print as one. */
const DUPLICATE_DELTA_E = 5;
/** Share of the trace's area over ΔE 10 above which a printed-from-the-trace process is warned. */
const FIDELITY_LIMIT = 0.05;
/** Below this DPI at the print size, a process printed from the trace depends on it. */
const TRACE_RESCUE_DPI = 150;
/** Below this DPI even a faithful trace is a guess at the print size (a pixel is over 1/3 mm). */
const TRACE_FLOOR_DPI = 75;
const MAX_PLACES = 20;

const round = (v: number, k = 2) => Math.round(v * 10 ** k) / 10 ** k;

/**
 * Preflights the cutout (with its analysis) and its colour trace (input
 * pixel coordinates) for a process at a print width.
 */
export function preflight(cutout: Cutout, trace: VectorImage, o: PreflightOptions): PreflightResult {
  const { art, bounds, analysis } = cutout;
  const L = o.limits;
  const pxPerMm = art.width / o.widthMm;
  const mm = (px: number) => round(px / pxPerMm, 3);
  const widthIn = o.widthMm / 25.4;
  const heightMm = art.height / pxPerMm;
  const dpi = Math.round(art.width / widthIn);
  const findings: Finding[] = [];
  const marks: PreflightResult['marks'] = [];
  const placeOf = (box: Rect): Place => ({
    xMm: mm(box.x),
    yMm: mm(box.y),
    widthMm: mm(box.width),
    heightMm: mm(box.height),
  });
  const add = (f: Omit<Finding, 'places'>, at: (Rect | ThinPlace)[] = []) => {
    const shown = at.slice(0, MAX_PLACES);
    findings.push({
      ...f,
      places: shown.map((p) => ('box' in p ? { ...placeOf(p.box), measuredMm: mm(p.widthPx) } : placeOf(p))),
    });
    for (const p of shown) marks.push({ box: 'box' in p ? p.box : p, severity: f.severity });
  };

  const garment = o.garment === 'none' ? null : parseColor(o.garment);
  const light = garment === null || rgbToLab(garment.r, garment.g, garment.b).L >= 70;
  const inkColors = analysis.colors.filter((c) => c.role !== 'background').map((c) => parseColor(c.hex));
  const labels = inkColors.length
    ? colorLabels(art, inkColors, 2)
    : new Uint8Array(art.width * art.height).fill(TRANSPARENT_LABEL);
  const printed = inkColors.map((c) => !(light && isWhiteInk(rgbToLab(c.r, c.g, c.b))));
  const fidelity = traceFidelity(art, trace, bounds);

  // inks: area, coverage, thin lines and dots per film
  const n = art.width * art.height;
  const area = new Array<number>(inkColors.length).fill(0);
  // each ink's box: its masks are cut to it (the openings cost what the box holds, not the art)
  const boxes = inkColors.map(() => ({ x0: art.width, y0: art.height, x1: -1, y1: -1 }));
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === TRANSPARENT_LABEL) continue;
    area[l]++;
    const x = i % art.width;
    const y = (i - x) / art.width;
    const b = boxes[l];
    if (x < b.x0) b.x0 = x;
    if (x > b.x1) b.x1 = x;
    if (y < b.y0) b.y0 = y;
    if (y > b.y1) b.y1 = y;
  }
  const inks: InkReport[] = inkColors.map((c, k) => {
    const areaMm2 = area[k] / (pxPerMm * pxPerMm);
    const inkMl =
      L.inkVolumeCm3PerM2 !== null && printed[k] ? round((areaMm2 / 1e6) * L.inkVolumeCm3PerM2, 3) : null;
    return {
      hex: toHex(c),
      printed: printed[k],
      areaMm2: round(areaMm2, 1),
      areaIn2: round(areaMm2 / 645.16),
      coveragePct: round((100 * area[k]) / n, 1),
      thinnestLineMm: null,
      inkMl,
    };
  });
  const lineLimitPx = L.minLineMm * pxPerMm;
  const dotLimitPx = L.minDotMm * pxPerMm;
  inkColors.forEach((_, k) => {
    if (!printed[k] || area[k] === 0) return;
    const b = boxes[k];
    const bw = b.x1 - b.x0 + 1;
    const bh = b.y1 - b.y0 + 1;
    const mask = new Uint8Array(bw * bh);
    for (let y = 0; y < bh; y++) {
      for (let x = 0; x < bw; x++) mask[y * bw + x] = labels[(y + b.y0) * art.width + x + b.x0] === k ? 1 : 0;
    }
    // thin places of this ink, in art pixels
    const placesOf = (limitPx: number): ThinPlace[] =>
      thinPlaces(mask, bw, bh, limitPx).map((p) => ({
        ...p,
        box: { ...p.box, x: p.box.x + b.x0, y: p.box.y + b.y0 },
      }));
    const probe = placesOf(2 * lineLimitPx).filter((p) => p.kind === 'line');
    if (probe.length) inks[k].thinnestLineMm = mm(probe[0].widthPx);
    if (lineLimitPx >= 1) {
      const thin = placesOf(lineLimitPx);
      const lines = thin.filter((p) => p.kind === 'line');
      if (lines.length) {
        inks[k].thinnestLineMm = mm(lines[0].widthPx);
        add(
          {
            code: 'P_THIN_LINE',
            severity: 'error',
            message: `${inks[k].hex}: ${count(lines.length, 'line')} down to ${mm(lines[0].widthPx)} mm, thinner than the ${L.minLineMm} mm ${L.name} holds: ${lines.length === 1 ? 'it breaks' : 'they break'} up or disappear${lines.length === 1 ? 's' : ''}.`,
            value: mm(lines[0].widthPx),
            limit: L.minLineMm,
            unit: 'mm',
            ink: inks[k].hex,
          },
          lines,
        );
      }
    }
    if (dotLimitPx >= 1) {
      const dots = placesOf(dotLimitPx).filter((p) => p.kind === 'dot');
      if (dots.length) {
        add(
          {
            code: 'P_SMALL_DOT',
            severity: 'warning',
            message: `${inks[k].hex}: ${count(dots.length, 'dot or piece', 'dots or pieces')} down to ${mm(dots[0].widthPx)} mm across, under the ${L.minDotMm} mm ${L.name} holds: ${dots.length === 1 ? 'it drops' : 'they drop'} out.`,
            value: mm(dots[0].widthPx),
            limit: L.minDotMm,
            unit: 'mm',
            ink: inks[k].hex,
          },
          dots,
        );
      }
    }
  });

  // gaps: unprinted areas (transparent, or white on a light substrate) narrower than the limit
  const gapLimitPx = L.minGapMm * pxPerMm;
  const margin = Math.ceil(gapLimitPx) + 2;
  const gw = art.width + 2 * margin;
  const gh = art.height + 2 * margin;
  const open = new Uint8Array(gw * gh).fill(1);
  for (let y = 0; y < art.height; y++) {
    for (let x = 0; x < art.width; x++) {
      const l = labels[y * art.width + x];
      if (l !== TRANSPARENT_LABEL && printed[l]) open[(y + margin) * gw + x + margin] = 0;
    }
  }
  if (gapLimitPx >= 1) {
    const gaps = thinPlaces(open, gw, gh, gapLimitPx).map(
      (p): ThinPlace => ({ ...p, box: { ...p.box, x: p.box.x - margin, y: p.box.y - margin } }),
    );
    if (gaps.length) {
      add(
        {
          code: 'P_NARROW_GAP',
          severity: 'error',
          message: `${count(gaps.length, 'gap or counter', 'gaps or counters')} down to ${mm(gaps[0].widthPx)} mm, narrower than the ${L.minGapMm} mm ${L.name} keeps open: ${gaps.length === 1 ? 'it fills' : 'they fill'} in.`,
          value: mm(gaps[0].widthPx),
          limit: L.minGapMm,
          unit: 'mm',
        },
        gaps,
      );
    }
  }
  if (L.stencil) {
    const outside = floodFromBorder(open, gw, gh);
    const enclosed = new Uint8Array(gw * gh);
    for (let i = 0; i < enclosed.length; i++) enclosed[i] = open[i] && !outside[i] ? 1 : 0;
    const islands = labelComponents(enclosed, gw, gh).areas.length - 1;
    if (islands > 0) {
      add({
        code: 'P_ISLANDS',
        severity: 'warning',
        message: `${count(islands, 'enclosed counter')} would fall out of a cut stencil: bridge ${islands > 1 ? 'them' : 'it'} (cutline --bridges) or cut the art as pieces.`,
        value: islands,
        limit: 0,
        unit: 'count',
      });
    }
  }

  // resolution: a process printed from the trace is rescued by it down to TRACE_FLOOR_DPI, if the trace is faithful
  const viaTrace = L.vector && fidelity.badShare <= FIDELITY_LIMIT && dpi >= TRACE_FLOOR_DPI;
  const minDpi = L.minDpi ?? TRACE_RESCUE_DPI;
  if (dpi < minDpi) {
    const severity: Severity =
      L.minDpi === null ? (viaTrace ? 'info' : 'warning') : dpi < L.minDpi / 2 ? 'error' : 'warning';
    const pixelMm = round(25.4 / dpi, 2);
    add({
      code: 'P_LOW_RESOLUTION',
      severity,
      message:
        L.minDpi === null
          ? `The input is ${dpi} DPI at ${round(widthIn, 1)} in (a pixel is ${pixelMm} mm): ${viaTrace ? 'printed from the vector trace, which holds it' : 'the trace guesses its edges and details under a pixel cannot be judged: ask for the original artwork'}.`
          : `The input is ${dpi} DPI at ${round(widthIn, 1)} in, under the ${L.minDpi} DPI a ${L.name} needs: it prints soft (ask for the original artwork, or print the vector trace).`,
      value: dpi,
      limit: minDpi,
      unit: 'dpi',
    });
  }

  // inks: how many, near duplicates, gradients
  const printedCount = printed.filter(Boolean).length;
  if (L.maxInks !== null && printedCount > L.maxInks) {
    add({
      code: 'P_TOO_MANY_INKS',
      severity: 'warning',
      message:
        L.maxInks === 1
          ? `${printedCount} colours for a one-colour process: the art is cut or engraved as one silhouette.`
          : `${printedCount} colours, more than the ${L.maxInks} a ${L.name} job usually takes: each adds a screen, layer or thread.`,
      value: printedCount,
      limit: L.maxInks,
      unit: 'inks',
    });
  }
  const labs = inkColors.map((c) => rgbToLab(c.r, c.g, c.b));
  for (let a = 0; a < labs.length; a++) {
    for (let b = a + 1; b < labs.length; b++) {
      const d = deltaE2000(labs[a], labs[b]);
      if (d < DUPLICATE_DELTA_E && printed[a] && printed[b]) {
        add({
          code: 'P_NEAR_DUPLICATE_INKS',
          severity: 'warning',
          message: `${inks[a].hex} and ${inks[b].hex} differ by ΔE ${round(d, 1)}: one ink would do (a shade the customer may not mean).`,
          value: round(d, 1),
          limit: DUPLICATE_DELTA_E,
          unit: 'ΔE2000',
          ink: inks[b].hex,
        });
      }
    }
  }
  if (analysis.unexplainedShare > MAX_UNEXPLAINED && L.gradients !== 'print') {
    const pct = Math.round(analysis.unexplainedShare * 100);
    add({
      code: 'P_GRADIENT',
      severity: L.gradients === 'halftone' ? 'info' : 'warning',
      message:
        L.gradients === 'halftone'
          ? `${pct} % of the art is gradient or shading: it needs halftones at ${L.lpi} LPI (separations --mode process).`
          : `${pct} % of the art is gradient or shading, which ${L.name} cannot reproduce: it is flattened to solid bands.`,
      value: pct,
      limit: Math.round(MAX_UNEXPLAINED * 100),
      unit: '%',
    });
  }

  // the trace
  const badPct = round(fidelity.badShare * 100, 1);
  if (L.vector && fidelity.badShare > FIDELITY_LIMIT) {
    add({
      code: 'P_TRACE_FIDELITY',
      severity: 'warning',
      message: `${badPct} % of the traced art differs from the input by more than ΔE ${BAD_DELTA_E}: check the trace (red on the heat map) before it is printed from.`,
      value: badPct,
      limit: FIDELITY_LIMIT * 100,
      unit: '%',
    });
  }

  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  const counts = {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
  const verdict = counts.errors ? 'fix' : counts.warnings ? 'check' : 'ready';
  const size = `${round(widthIn, 2)} × ${round(heightMm / 25.4, 2)} in`;
  const summary =
    verdict === 'ready'
      ? `Ready for ${L.name} at ${size}.`
      : verdict === 'check'
        ? `Check ${count(counts.warnings, 'warning')} before ${L.name} at ${size}.`
        : `Fix ${count(counts.errors, 'problem')} before ${L.name} at ${size}.`;
  const perPrint = inks.reduce((s, i) => s + (i.inkMl ?? 0), 0);
  return {
    report: {
      schema: PREFLIGHT_SCHEMA,
      process: L,
      print: {
        widthMm: round(o.widthMm, 1),
        heightMm: round(heightMm, 1),
        widthIn: round(widthIn, 2),
        heightIn: round(heightMm / 25.4, 2),
        garment: o.garment,
      },
      input: { artWidthPx: art.width, artHeightPx: art.height, dpi },
      verdict,
      summary,
      counts,
      inks,
      inkVolume:
        L.inkVolumeCm3PerM2 === null
          ? null
          : { perPrintMl: round(perPrint, 3), per100Ml: round(perPrint * 100, 1) },
      trace: { badPct, meanDeltaE: round(fidelity.meanDeltaE, 2), threshold: BAD_DELTA_E },
      findings,
    },
    fidelity,
    marks,
  };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

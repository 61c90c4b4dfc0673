/**
 * Registration conventions of print-then-cut machines: where a sheet may carry
 * stickers and which marks it prints for the cutter's optical sensor.
 *
 * - silhouette: Silhouette Studio's "Type 1" marks (Cameo, Portrait): a filled
 *   5 mm square at the top-left corner and 20 mm L-shaped corners at the
 *   top-right and bottom-left, 0.5 mm thick, their outer corners `inset` (at
 *   least 10 mm) from the page edges, the sensor's expected arm length and
 *   width (20 mm, 0.5 mm) as the open inkscape-silhouette driver sends them.
 *   Stickers stay inside the marks' rectangle and out of a 20 mm square
 *   (+ clearance) at each mark.
 * - cricut: none drawn — Design Space adds its own when it prints; stickers
 *   stay inside its Print Then Cut area, about 13.5 mm from every edge of
 *   Letter and A4 (7.44 × 9.94 in, 7.2 × 10.62 in); 14 mm here.
 * - rip: none drawn — Roland VersaWorks, Mimaki RasterLink, Summa GoSign and
 *   Graphtec's software add their own crop marks around the job and cut the
 *   paths painted in the CutContour spot ink; a plain margin.
 * - none: a plain margin.
 * docs/SHEETS.md has the sources.
 */
import type { Shape } from '../../vector/path.js';
import type { MmBox } from './nest.js';

export const MARK_STYLES = ['silhouette', 'cricut', 'rip', 'none'] as const;
export type MarkStyle = (typeof MARK_STYLES)[number];

/** Default distance from the page edge to the printable area (or the marks), mm. */
export const DEFAULT_INSET: Record<MarkStyle, number> = { silhouette: 10, cricut: 14, rip: 10, none: 5 };
/** Silhouette Studio refuses marks closer to the edge than this. */
export const SILHOUETTE_MIN_INSET = 10;
export const SILHOUETTE = { square: 5, arm: 20, thickness: 0.5, keepOut: 20, clearance: 2 } as const;

export interface MarkPlan {
  printable: MmBox;
  keepOut: MmBox[];
  /** The marks as black shapes in sheet mm (none for cricut, rip and none). */
  shapes: Shape[];
}

function rect(x: number, y: number, width: number, height: number) {
  return {
    start: { x, y },
    segments: [
      { kind: 'line' as const, to: { x: x + width, y } },
      { kind: 'line' as const, to: { x: x + width, y: y + height } },
      { kind: 'line' as const, to: { x, y: y + height } },
    ],
  };
}

/** The plan for a sheet of `width` × `height` mm with the marks' outer corners (or the margin) `inset` mm in. */
export function planMarks(style: MarkStyle, width: number, height: number, inset: number): MarkPlan {
  const printable = { x: inset, y: inset, width: width - 2 * inset, height: height - 2 * inset };
  if (style !== 'silhouette') return { printable, keepOut: [], shapes: [] };
  const { square, arm, thickness: t, keepOut, clearance } = SILHOUETTE;
  const right = width - inset;
  const bottom = height - inset;
  const shapes: Shape[] = [
    {
      fill: '#000000',
      subpaths: [
        rect(inset, inset, square, square),
        // top-right: arms along the top edge and down the right edge, corner outermost
        rect(right - arm, inset, arm - t, t),
        rect(right - t, inset, t, arm),
        // bottom-left: arms up the left edge and along the bottom edge
        rect(inset, bottom - arm, t, arm - t),
        rect(inset, bottom - t, arm, t),
      ],
    },
  ];
  const k = keepOut + clearance;
  // the printable area keeps the clearance from the marks' lines too
  const inner = {
    x: inset + clearance,
    y: inset + clearance,
    width: width - 2 * (inset + clearance),
    height: height - 2 * (inset + clearance),
  };
  return {
    printable: inner,
    keepOut: [
      { x: inset, y: inset, width: k, height: k },
      { x: right - k, y: inset, width: k, height: k },
      { x: inset, y: bottom - k, width: k, height: k },
    ],
    shapes,
  };
}

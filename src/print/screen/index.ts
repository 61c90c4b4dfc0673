/**
 * Amplitude-modulated (AM) halftone screen: a rotated square lattice of cells,
 * one dot per cell, whose size follows the tint. Shared by the `halftone`
 * style effect and by process-colour separation films, so both screen alike.
 *
 * How (docs/HALFTONE.md):
 *   - A point's screen coordinates (u, v) are its image position rotated by
 *     the screen angle and divided by the cell size; cell (i, j) is the unit
 *     square centred on (u, v) = (i, j), and the image centre is a cell centre.
 *   - Each shape has an analytic spot function: the share of the cell that a
 *     dot covers when its outline passes through a point. A point is ink when
 *     that share is below the tint, so a dot of tint t covers exactly t of its
 *     cell (dot area ∝ tint) — round dots included after they merge with their
 *     neighbours (the circle is clipped to the cell) and ellipses alike.
 *   - Per tint level (0–255) the spot function is inverted once into a limit
 *     on a cheap metric (ρ², max(|u|,|v|), |v|), so the per-pixel work is a few
 *     multiplications and one comparison: no sqrt, no allocation.
 *
 * Two forms: `screenMask` thresholds a per-pixel tint (a RIP's film, where the
 * art's edges cut through dots), and `screenDots` averages the tint over each
 * cell into one dot per cell, which `renderDots` draws as pixels and
 * `dotOutline` / `lineBands` give as vector outlines (the path model) — the
 * same dots either way. Deterministic: no randomness, no platform-dependent
 * order.
 *
 * The parts, one concern each: lattice.ts (the rotated grid of cells),
 * spot.ts (spot functions and dot rules), rasterize.ts (dots to pixels),
 * outline.ts (dots to vector outlines).
 */
export {
  DOT_SHAPES,
  type Dot,
  type DotShape,
  ELLIPSE_RATIO,
  ScreenGrid,
  type ScreenOptions,
} from './lattice.js';
export { dotExtent, dotIsWhole, dotOutline, lineBands } from './outline.js';
export { renderDots, screenDots, screenMask } from './rasterize.js';
export { clipTint, ellipseCoverage, spotLimit } from './spot.js';

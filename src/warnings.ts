/**
 * Warnings: an output was written, but something about it deserves a look.
 * Like errors, each has a stable `code` (documented in the README) and one
 * human sentence; results, manifests, `--json` and the API carry them.
 */
export type WarningCode =
  /** The background/box decision was a guess; `--background keep|remove` overturns it. */
  | 'W_BACKGROUND_UNCERTAIN'
  /** Only part of the border matched the background; some of it may remain. */
  | 'W_BACKGROUND_INCOMPLETE'
  /** Some enclosed regions could be counters or art; `--holes all|none` decides them all. */
  | 'W_HOLES_UNCERTAIN'
  /** The input is small for print; edges and thin strokes are guesses at this size. */
  | 'W_LOW_RESOLUTION'
  /** Strokes of 1–2 px that traces, films and cut lines may break or lose. */
  | 'W_THIN_DETAIL'
  /** The art has gradients or shading that flat-colour outputs turn into bands. */
  | 'W_GRADIENT_ART'
  /** Every ink matches the substrate (white art, no garment): printed anyway, shown on a dark preview. */
  | 'W_NO_INK_ON_SUBSTRATE'
  /** Centerline of filled art: its broad areas get their medial axis, rarely what a plotter should draw. */
  | 'W_FILLED_ART'
  /** Lines on a film are thinner than `--min-line`: a screen may not hold them (`--thicken` widens them). */
  | 'W_THIN_LINE'
  /** A film would carry no ink (a process channel the art does not use): left out, not burned. */
  | 'W_EMPTY_FILM'
  /** The preflight found what the process cannot hold (thin lines, gaps…): preflight.json says what and where. */
  | 'W_PREFLIGHT'
  /** A sticker sheet holds fewer stickers than asked for (or none of one logo): sheet.json says how many. */
  | 'W_SHEET_FULL'
  /** A requested colour count or setting could not be honoured as asked. */
  | 'W_ADJUSTED'
  /** `logomill trace` of one flat colour kept as art (`--background keep`, `--threshold`): the trace is just the canvas. */
  | 'W_FLAT_IMAGE';

export interface Warning {
  code: WarningCode;
  message: string;
  /** The variation that raised it; absent for the shared art analysis. */
  variation?: string;
}

export const warn = (code: WarningCode, message: string, variation?: string): Warning =>
  variation ? { code, message, variation } : { code, message };

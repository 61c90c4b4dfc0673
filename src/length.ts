/**
 * Physical lengths as users type them ("3mm", "0.125in", "12px", "8 pt"):
 * one strict grammar shared by the option schema (fail fast, before decoding)
 * and the variations that turn lengths into pixels at a print size.
 */
import { LogomillError } from './errors.js';

export type LengthUnit = 'mm' | 'cm' | 'in' | 'pt' | 'px';

export interface Length {
  value: number;
  unit: LengthUnit;
}

/**
 * The grammar as a JSON Schema pattern (no flags there, hence both cases): a
 * non-negative decimal, optional spaces, an optional unit; a bare number is mm.
 */
export const LENGTH_PATTERN = '^ *([0-9]+([.][0-9]*)?|[.][0-9]+) *(mm|MM|cm|CM|in|IN|pt|PT|px|PX)? *$';

const LENGTH = new RegExp(LENGTH_PATTERN);

/** Millimetres per unit (px has none: it depends on the print size). */
export const MM_PER: Record<Exclude<LengthUnit, 'px'>, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72 };

/**
 * Parses a length; throws E_BAD_OPTION (naming `label`) for anything else:
 * negative, exponents, NaN, several units, unknown units.
 *
 * @example
 *   parseLength('0.125in', 'cutline.offset') // → { value: 0.125, unit: 'in' }
 */
export function parseLength(text: string, label: string): Length {
  const m = LENGTH.exec(text);
  const value = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isFinite(value)) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected a length like 3mm, 0.125in or 12px for ${label} but received ${JSON.stringify(text)}`,
    );
  }
  return { value, unit: (m[3]?.toLowerCase() ?? 'mm') as LengthUnit };
}

/** The length in pixels, given the print resolution in pixels per mm. */
export function lengthToPx(length: Length, pxPerMm: number): number {
  return length.unit === 'px' ? length.value : length.value * MM_PER[length.unit] * pxPerMm;
}

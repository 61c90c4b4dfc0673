/**
 * Sheet sizes as users name them: a4, letter, 12x12in, 8.5x11in, 300x200mm
 * (a bare WxH is mm). Portrait as named; give WxH the other way round for landscape.
 */
import { LogomillError } from '../../errors.js';
import { MM_PER } from '../../length.js';

export interface Paper {
  /** What the user asked for, e.g. "letter" or "12x12in". */
  name: string;
  width: number;
  height: number;
}

/** Named sizes in mm (ISO 216 and US). */
export const PAPERS: Record<string, readonly [number, number]> = {
  a3: [297, 420],
  a4: [210, 297],
  a5: [148, 210],
  letter: [215.9, 279.4],
  legal: [215.9, 355.6],
  tabloid: [279.4, 431.8],
};

const SIZE = /^ *([0-9]+(?:[.][0-9]*)?) *[x×] *([0-9]+(?:[.][0-9]*)?) *(mm|cm|in|pt)? *$/i;

/** Sheets from 50 mm to 2 m a side: smaller holds no sticker, larger no cutter takes. */
const MIN_MM = 50;
const MAX_MM = 2000;

/** Parses a sheet size; E_BAD_OPTION for anything else (naming `label`). */
export function parsePaper(text: string, label: string): Paper {
  const named = PAPERS[text.trim().toLowerCase()];
  let width: number;
  let height: number;
  if (named) [width, height] = named;
  else {
    const m = SIZE.exec(text);
    if (!m) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected ${label} to be a4, a3, a5, letter, legal, tabloid or a size like 12x12in or 300x200mm but received ${JSON.stringify(text)}`,
      );
    }
    const unit = MM_PER[(m[3]?.toLowerCase() ?? 'mm') as keyof typeof MM_PER];
    width = Number(m[1]) * unit;
    height = Number(m[2]) * unit;
  }
  if (!(width >= MIN_MM && height >= MIN_MM && width <= MAX_MM && height <= MAX_MM)) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected ${label} between ${MIN_MM} mm and ${MAX_MM / 1000} m a side but received ${JSON.stringify(text)}`,
    );
  }
  return { name: text.trim().toLowerCase(), width, height };
}

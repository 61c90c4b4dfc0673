/**
 * One `--width` for every variation with a print size: the art's printed width as a length
 * (10in, 250mm, 28cm, 720pt; px = that many of the art's pixels at 300 DPI). 0 leaves each
 * variation's own size option in charge (raster `--dpi`, `--width-mm`, `--print-width`), so a
 * job can say once how large the logo prints and every file agrees.
 */
import { LogomillError } from '../../errors.js';
import { PRINT_DPI } from '../../io/resolution.js';
import { MM_PER, parseLength } from '../../length.js';
import { Opt } from '../../options.js';

export const WIDTH_HELP =
  'Printed width of the art, e.g. 10in or 250mm: every file of the job prints this wide (0 = each variation’s own size option)';

export const widthOption = Opt.length(WIDTH_HELP, '0');

/** `width` in mm (0 when it is 0); E_BAD_OPTION below 5 mm or above 5 m. */
export function widthMm(text: string, label: string): number {
  const length = parseLength(text, label);
  const mm = length.unit === 'px' ? (length.value * 25.4) / PRINT_DPI : length.value * MM_PER[length.unit];
  if (mm !== 0 && (mm < 5 || mm > 5000)) {
    throw new LogomillError('E_BAD_OPTION', `Expected ${label} between 5 mm and 5 m but received "${text}"`);
  }
  return mm;
}

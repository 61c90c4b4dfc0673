/** Where the customer-file benchmark keeps its files (shared by bench/customer.ts and scripts/customer-sheet.ts). */
import path from 'node:path';
import { CUSTOMER_DIR } from '../scripts/make-customer-corpus.js';

export { CUSTOMER_DIR };

const ROOT = path.resolve(CUSTOMER_DIR, '..', '..', '..');
/** Git-ignored work folder of the benchmark. */
export const CUSTOMER_WORK = path.join(ROOT, 'bench', '.customer');
/** The files each case produced: `<DEFAULT_OUT>/<id>/transparent.png`, `vector-color.svg`, … */
export const DEFAULT_OUT = path.join(CUSTOMER_WORK, 'out');
export const DEFAULT_SHEET = path.join(CUSTOMER_WORK, 'sheet.png');

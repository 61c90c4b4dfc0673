/**
 * Where the SVG render child lives: next to this file, as .ts under tsx (tests) or .js in dist/.
 * Only ever imported dynamically by svg-render.ts, never bundled (see childScript there).
 */
import { fileURLToPath } from 'node:url';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

export const SVG_RENDER_CHILD = fileURLToPath(new URL(`./svg-render-child${ext}`, import.meta.url));

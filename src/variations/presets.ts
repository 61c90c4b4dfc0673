/**
 * Named sets of variations for people who do not want to pick one by one
 * (the web app's preset buttons, the API's `preset` field). Pure data; ids
 * that are not registered are dropped, so a preset never names a missing
 * variation.
 */
import { VARIATIONS } from './registry.js';

export interface Preset {
  id: string;
  label: string;
  description: string;
  variations: string[];
}

const known = new Set(VARIATIONS.map((v) => v.id));
const only = (ids: string[]) => ids.filter((id) => known.has(id));

export const PRESETS: readonly Preset[] = [
  {
    id: 'web',
    label: 'Web kit',
    description: 'Transparent logo, web formats, SVG, favicons, email header and social images',
    variations: only(['transparent', 'raster', 'vector', 'favicon', 'email-header', 'social']),
  },
  {
    id: 'print',
    label: 'Print shop',
    description: 'Preflight, vectors, one-colour versions, separations, cutline, halftone and distressed',
    variations: only([
      'preflight',
      'transparent',
      'black',
      'white',
      'vector',
      'vector-color',
      'separations',
      'cutline',
      'halftone',
      'distressed',
    ]),
  },
  {
    id: 'everything',
    label: 'Everything',
    description: 'Every variation logomill makes',
    variations: VARIATIONS.map((v) => v.id),
  },
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** Loads and checks the social presets data file (src/data/social-presets.json). */
import { readFileSync } from 'node:fs';
import type { Rect } from '../../io/image.js';

export interface SocialPreset {
  id: string;
  platform: string;
  label: string;
  width: number;
  height: number;
  /** Area shown uncropped and uncovered on every client; the whole canvas when absent. */
  safe?: Rect;
  /** Shown in a circle: the art must stay inside the inscribed circle of the safe area. */
  circle?: boolean;
}

function load(): SocialPreset[] {
  const url = new URL('../../../src/data/social-presets.json', import.meta.url);
  const presets = (JSON.parse(readFileSync(url, 'utf8')) as { presets: SocialPreset[] }).presets;
  for (const p of presets) {
    const s = p.safe ?? { x: 0, y: 0, width: p.width, height: p.height };
    if (s.x < 0 || s.y < 0 || s.x + s.width > p.width || s.y + s.height > p.height) {
      throw new Error(`social preset ${p.id}: safe area lies outside the canvas`);
    }
  }
  return presets;
}

export const SOCIAL_PRESETS: readonly SocialPreset[] = load();

export function safeArea(p: SocialPreset): Rect {
  return p.safe ?? { x: 0, y: 0, width: p.width, height: p.height };
}

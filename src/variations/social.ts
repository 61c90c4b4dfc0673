/**
 * `social` — one image per social-media preset (src/data/social-presets.json):
 * the logo centred in the preset's safe area, inside the circle for profile
 * pictures, on the logo's own background colour (or the one you choose).
 */
import { encodePng, placeOnCanvas } from '../io/encode.js';
import { SCREEN_DPI } from '../io/resolution.js';
import { Opt, Type } from '../options.js';
import { fitBox } from '../raster/geometry.js';
import { resolveOpaqueBackground } from './shared/backdrop.js';
import { SOCIAL_PRESETS, safeArea } from './shared/social-presets.js';
import { defineVariation, type OutputFile } from './types.js';

const IDS = SOCIAL_PRESETS.map((p) => p.id);

export const social = defineVariation({
  id: 'social',
  label: 'Social media kit',
  description:
    'Profile pictures, posts, covers and banners for Instagram, Facebook, X, LinkedIn, YouTube, TikTok, Slack and Discord.',
  needs: ['cutout'],
  schema: Type.Object(
    {
      presets: Opt.formats('Presets to make', IDS, IDS),
      backdrop: Opt.backdrop('Canvas colour; auto = the logo’s own background, else white', 'auto'),
      margin: Opt.number(
        'Space around the logo inside the safe area, as a fraction of its shorter side',
        0.1,
        0,
        0.4,
      ),
    },
    { additionalProperties: false },
  ),
  outputs: '<preset>.png for each preset, e.g. instagram-post.png, youtube-banner.png',
  cost: (_size, o) => o.presets.length * 25,
  // one part per preset, in the order run() makes them
  split: (o) => IDS.filter((id) => o.presets.includes(id)).map((id) => ({ ...o, presets: [id] })),
  async run({ logo, options }) {
    const art = logo.cutout().art;
    const background = resolveOpaqueBackground(options.backdrop, logo);
    const files: OutputFile[] = [];
    for (const preset of SOCIAL_PRESETS.filter((p) => options.presets.includes(p.id))) {
      const box = fitBox(art.width, art.height, safeArea(preset), {
        margin: options.margin,
        circle: preset.circle,
      });
      const { image } = await placeOnCanvas(art, {
        canvas: { width: preset.width, height: preset.height },
        box,
        background,
      });
      files.push({
        name: `${preset.id}.png`,
        format: 'png',
        width: image.width,
        height: image.height,
        data: await encodePng(image, SCREEN_DPI),
      });
    }
    return files;
  },
});

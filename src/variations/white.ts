/** `white` — Solid white one-colour version for dark backgrounds and garments. */
import { Opt, Type } from '../options.js';
import { KNOCKOUT_HELP, KNOCKOUTS, oneColorCost, oneColorFile, styleOptions } from './shared/one-color.js';
import { defineVariation } from './types.js';

export const white = defineVariation({
  id: 'white',
  label: 'White version',
  description: 'Solid white one-colour version for dark backgrounds and garments.',
  needs: ['cutout'],
  schema: Type.Object(
    { knockout: Opt.choice(KNOCKOUT_HELP, KNOCKOUTS, 'background'), ...styleOptions },
    { additionalProperties: false },
  ),
  outputs: 'white.png',
  cost: oneColorCost,
  run: async ({ logo, options }) => [await oneColorFile(logo, 'white.png', '#ffffff', options)],
});

/** `black` — Solid black one-colour version for light backgrounds and single-colour print. */
import { Opt, Type } from '../options.js';
import { KNOCKOUT_HELP, KNOCKOUTS, oneColorCost, oneColorFile, styleOptions } from './shared/one-color.js';
import { defineVariation } from './types.js';

export const black = defineVariation({
  id: 'black',
  label: 'Black version',
  description: 'Solid black one-colour version for light backgrounds and single-colour print.',
  needs: ['cutout'],
  schema: Type.Object(
    { knockout: Opt.choice(KNOCKOUT_HELP, KNOCKOUTS, 'background'), ...styleOptions },
    { additionalProperties: false },
  ),
  outputs: 'black.png',
  cost: oneColorCost,
  run: async ({ logo, options }) => [await oneColorFile(logo, 'black.png', '#000000', options)],
});

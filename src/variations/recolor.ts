/** `recolor` — one-colour version in any colour (`--color #hex`), e.g. a brand or ink colour. */
import { Opt, Type } from '../options.js';
import { KNOCKOUT_HELP, KNOCKOUTS, oneColorCost, oneColorFile, styleOptions } from './shared/one-color.js';
import { defineVariation } from './types.js';

export const recolor = defineVariation({
  id: 'recolor',
  label: 'Custom-colour version',
  description: 'One-colour version in a colour of your choice.',
  needs: ['cutout'],
  schema: Type.Object(
    {
      color: Opt.color('The colour to paint the logo in', '#1f4e79'),
      knockout: Opt.choice(KNOCKOUT_HELP, KNOCKOUTS, 'background'),
      ...styleOptions,
    },
    { additionalProperties: false },
  ),
  outputs: 'recolor.png',
  cost: oneColorCost,
  run: async ({ logo, options }) => [await oneColorFile(logo, 'recolor.png', options.color, options)],
});

/**
 * /api/variations: what the engine makes (every variation with its option schema, and the
 * presets), and /api/options/check: which options a job would refuse, field by field, so that a
 * form shows the server's own messages instead of keeping a copy of its rules.
 */
import type { FastifyInstance } from 'fastify';
import { unknownVariation } from '../../engine/run-job.js';
import { listVariations } from '../../index.js';
import { optionProblems } from '../../options.js';
import { PRESETS } from '../../variations/presets.js';
import { findVariation } from '../../variations/registry.js';
import { ErrorResponse, OptionProblems, OptionsCheck, VariationList } from '../schemas/jobs.js';

export async function variationRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/variations',
    {
      schema: {
        summary: 'Every variation with its option schema, and the presets',
        tags: ['variations'],
        response: { 200: VariationList, '4xx': ErrorResponse },
      },
    },
    async () => ({
      variations: listVariations().map((v) => ({
        ...v,
        options: v.options as unknown as Record<string, unknown>,
      })),
      presets: PRESETS,
    }),
  );

  app.post<{ Body: { options: Record<string, Record<string, unknown>> } }>(
    '/api/options/check',
    {
      schema: {
        summary: 'Options a job would refuse, each with the message it would be refused with',
        tags: ['variations'],
        body: OptionsCheck,
        response: { 200: OptionProblems, '4xx': ErrorResponse },
      },
    },
    async (req) => ({
      problems: Object.entries(req.body.options).flatMap(([id, options]) => {
        const v = findVariation(id);
        if (!v) return [{ variation: id, option: '', message: unknownVariation(id).message }];
        return optionProblems(v.schema, options, id).map((p) => ({ variation: id, ...p }));
      }),
    }),
  );
}

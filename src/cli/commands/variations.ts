/** `logomill variations [--json]`: what each variation makes and its options. */

import type { TSchema } from '@sinclair/typebox';
import type { Command } from 'commander';

export function configureVariations(cmd: Command): void {
  cmd
    .option('--json', 'print as JSON (the option schemas are JSON Schema)')
    .action(async (flags: { json?: boolean }) => {
      const { listVariations } = await import('../../index.js'); // the registry: sharp, TypeBox
      const list = listVariations();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      for (const v of list) {
        process.stdout.write(`${v.id} — ${v.label}\n  ${v.description}\n  files: ${v.outputs}\n`);
        for (const [key, s] of Object.entries(v.options.properties as Record<string, TSchema>)) {
          process.stdout.write(
            `  --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}  ${s.description} (default ${JSON.stringify(s.default)})\n`,
          );
        }
        process.stdout.write('\n');
      }
    });
}

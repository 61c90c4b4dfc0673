/** `logomill config`: every engine setting, its effective value and where it came from. */
import type { Command } from 'commander';
import { CONFIG_KEYS, describeConfig, resolveConfig } from '../../config.js';
import { LogomillError } from '../../errors.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

export function configureConfig(cmd: Command, setExit: (code: number) => void): void {
  cmd.option('--json', 'as JSON: { config, sources, file }').action((flags: { json?: boolean }) => {
    try {
      const r = resolveConfig();
      if (flags.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else {
        process.stdout.write(
          `${'setting'.padEnd(20)} ${'value'.padEnd(24)} ${'source'.padEnd(12)} meaning\n`,
        );
        for (const line of describeConfig(r)) process.stdout.write(`${line}\n`);
        process.stdout.write(
          `\nSet them in logomill.config.json (or the file LOGOMILL_CONFIG names), in the environment, or as flags of process/batch: ${CONFIG_KEYS.length} settings.\n`,
        );
      }
      setExit(EXIT_OK);
    } catch (err) {
      const e = err instanceof LogomillError ? err : new LogomillError('E_INTERNAL', String(err));
      process.stderr.write(`error: [${e.code}] ${e.message}\n`);
      setExit(EXIT_USAGE);
    }
  });
}

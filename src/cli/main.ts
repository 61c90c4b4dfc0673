#!/usr/bin/env node
/** The `logomill` command: a thin shell over the library. */
import { spawnSync } from 'node:child_process';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../index.js';
import { registerBatch } from './commands/batch.js';
import { registerConfig } from './commands/config.js';
import { registerProcess } from './commands/process.js';
import { registerSeparate } from './commands/separate.js';
import { registerServe } from './commands/serve.js';
import { registerTrace } from './commands/trace.js';
import { registerVariations } from './commands/variations.js';
import { registerWorker } from './commands/worker.js';
import { EXIT_USAGE } from './exit-codes.js';

// `logomill variations | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// glibc gives every thread its own malloc arenas; with worker threads and libvips that
// fragments memory until RSS is far above what is in use (sharp's docs say the same).
// Long batches re-run themselves with two arenas, which keeps RSS near the real use.
if (
  process.argv[2] === 'batch' &&
  process.platform === 'linux' &&
  process.env.MALLOC_ARENA_MAX === undefined
) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  process.exit(child.status ?? 1);
}

let exitCode = 0;
const program = new Command()
  .name('logomill')
  .description('Turn one logo into every file a print shop, merch seller or marketing team needs.')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError();
registerProcess(program, (code) => {
  exitCode = code;
});
registerSeparate(program, (code) => {
  exitCode = code;
});
registerTrace(program, (code) => {
  exitCode = code;
});
registerBatch(program, (code) => {
  exitCode = code;
});
registerConfig(program, (code) => {
  exitCode = code;
});
registerServe(program, (code) => {
  exitCode = code;
});
registerWorker(program, (code) => {
  exitCode = code;
});
registerVariations(program);

try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version exit 0; every other commander complaint is bad usage
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

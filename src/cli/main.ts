#!/usr/bin/env node
/**
 * The `logomill` command: a thin shell over the library. It starts fast:
 * `--version` answers before anything else is loaded, and the program
 * (./program.ts) imports only the module of the command that runs.
 */
import nodeModule from 'node:module';
import { VERSION } from '../version.js';

// `logomill variations | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // Node ≥ 22.1 can keep the compiled code of the modules between runs (absent from Node 20: nothing happens)
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { run } = await import('./program.js');
  process.exitCode = await run(process.argv);
}

/**
 * What the single-variation commands (`separate`, `preflight`) share: read one
 * logo, run one variation on the engine, write its files into a folder (renamed
 * into place only once all are written), and report errors in logomill's words.
 */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../engine/engine.js';
import { type ErrorCode, LogomillError } from '../errors.js';
import { type JobResult, runJob } from '../index.js';
import { writeFilesAtomic } from '../io/write.js';
import { createEngine, type EngineFlags } from './engine-flags.js';
import { exitCodeFor, reportFatal } from './exit-codes.js';
import { outputError } from './output.js';

/**
 * Runs `variation` on `input` with `options` and writes its files to `out`
 * (none when `out` is null); hands the result to `report`, whose exit code it returns.
 */
export async function runOneVariation(
  input: string,
  variation: string,
  options: Record<string, Record<string, unknown>>,
  flags: EngineFlags,
  out: string | null,
  report: (result: JobResult) => number,
): Promise<number> {
  let engine: Engine | null = null;
  try {
    const bytes = await readFile(input).catch((err: NodeJS.ErrnoException) => {
      throw new LogomillError(
        err.code === 'ENOENT' ? 'E_INPUT_NOT_FOUND' : 'E_CORRUPT_INPUT',
        `Cannot read ${input}: ${err.message}`,
      );
    });
    engine = await createEngine(flags);
    const result = await runJob(bytes, { variations: [variation], options, engine });
    const failure = result.failures[0];
    if (failure) throw new LogomillError(failure.code as ErrorCode, failure.message);
    if (out !== null) {
      const files = result.outputs.map((o) => ({ path: o.name, data: o.data }));
      await writeFilesAtomic(out, files).catch((err: unknown) => {
        throw outputError(err, out);
      });
    }
    return report(result);
  } catch (err) {
    if (err instanceof LogomillError && err.code !== 'E_BAD_OPTION') {
      process.stderr.write(`error: [${err.code}] ${err.message}\n`);
      return exitCodeFor(err.code);
    }
    return reportFatal(err);
  } finally {
    await engine?.close();
  }
}

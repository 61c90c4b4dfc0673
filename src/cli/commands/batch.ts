/**
 * `logomill batch <dir|glob|zip> -o <dir>`: every logo through the engine,
 * BATCH_SIZE at a time, at batch priority. A progress bar (overall, current
 * logos, throughput, ETA) on a terminal, one line per logo otherwise; a
 * summary at the end. A bad logo — or a bad entry of a .zip — is reported and
 * the batch goes on; exit 1 if any logo failed, with the list. Each logo's folder
 * is written all or nothing; an output path that cannot be written is refused
 * before any work (exit 2), and a full disk stops the batch (exit 1).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Engine } from '../../engine/engine.js';
import { type LogomillError, toLogomillError } from '../../errors.js';
import { processLogo, toManifest } from '../../index.js';
import type { BatchInputs } from '../../io/batch-inputs.js';
import { DEFAULT_DECODE_LIMITS } from '../../io/decode.js';
import { folderNames } from '../../io/write.js';
import { addEngineFlags, createEngine, type EngineFlags, statsSummary } from '../engine-flags.js';
import { EXIT_OK, EXIT_PARTIAL, exitCodeFor, reportFatal } from '../exit-codes.js';
import { checkOutputFolder, isOutputFault, writeLogoFolder } from '../output.js';
import { renderTable } from '../table.js';
import { addJobFlags, collectVariationOptions, type JobFlags, withFileOptions } from '../variation-flags.js';
import { chosenVariations } from './process.js';

type BatchFlags = EngineFlags & JobFlags;

export function configureBatch(cmd: Command, setExit: (code: number) => void): void {
  addJobFlags(cmd);
  addEngineFlags(cmd);
  cmd.action(async (source: string, flags: BatchFlags) => setExit(await runBatch(source, flags)));
}

async function runBatch(source: string, flags: BatchFlags): Promise<number> {
  let engine: Engine;
  let inputs: BatchInputs;
  let options: Record<string, Record<string, unknown>>;
  const variations = chosenVariations(flags.variations);
  try {
    options = withFileOptions(collectVariationOptions(flags, variations, flags.set));
    await checkOutputFolder(flags.out);
    engine = await createEngine(flags);
  } catch (err) {
    return reportFatal(err);
  }
  try {
    const { listBatchInputs } = await import('../../io/batch-inputs.js'); // with yauzl, for .zip sources
    inputs = await listBatchInputs(source, DEFAULT_DECODE_LIMITS.maxInputBytes);
  } catch (err) {
    await engine.close();
    return reportFatal(err);
  }
  try {
    return await processBatch(inputs, flags, variations, options, engine);
  } finally {
    if (flags.stats) process.stderr.write(statsSummary(engine));
    await inputs.close();
    await engine.close();
  }
}

function bar(done: number, total: number, width = 24): string {
  const full = Math.round((done / total) * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

async function processBatch(
  batch: BatchInputs,
  flags: BatchFlags,
  variations: string[],
  options: Record<string, Record<string, unknown>>,
  engine: Engine,
): Promise<number> {
  const { inputs } = batch;
  const names = folderNames(inputs.map((i) => i.display.replace(/^.*:/, '')));
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  const current = new Set<string>();
  const failed: { input: string; code: string; message: string }[] = [];
  const warned: { input: string; code: string; message: string; variation?: string }[] = [];
  let done = 0;
  let written = 0;
  let files = 0;
  let next = 0;
  // set by a lane; read after the lanes are done
  let stopped = null as LogomillError | null;
  const progress = () => {
    if (!tty) return;
    const secs = (performance.now() - started) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const eta = rate > 0 ? Math.round((inputs.length - done) / rate) : 0;
    const now = [...current].join(', ');
    process.stderr.write(
      `\r\x1b[2K${bar(done, inputs.length)} ${done}/${inputs.length} logos · ${rate.toFixed(1)}/s · ETA ${eta} s${now ? ` · ${now.slice(0, 60)}` : ''}`,
    );
  };
  const lane = async () => {
    for (let i = next++; i < inputs.length && !stopped; i = next++) {
      const input = inputs[i];
      current.add(input.display);
      progress();
      const t = performance.now();
      try {
        const bytes = await input.read();
        const r = await processLogo(bytes, { variations, options, engine, priority: 'batch' });
        r.name = names[i];
        await writeLogoFolder(join(flags.out, names[i]), r, toManifest(r));
        written++;
        files += r.outputs.length;
        for (const w of r.warnings) warned.push({ input: input.display, ...w });
        const note = r.failures.length ? `, ${r.failures.length} variations failed` : '';
        for (const f of r.failures)
          failed.push({ input: input.display, code: f.code, message: `${f.variation}: ${f.message}` });
        if (!tty) {
          process.stdout.write(
            `${r.failures.length ? 'part' : 'ok  '} ${input.display} → ${join(flags.out, names[i])} (${r.outputs.length} files${note}, ${((performance.now() - t) / 1000).toFixed(2)} s)\n`,
          );
        }
      } catch (err) {
        const e = toLogomillError(err);
        if (e.code === 'E_BAD_OPTION' || e.code === 'E_UNKNOWN_VARIATION') throw e;
        failed.push({ input: input.display, code: e.code, message: e.message });
        if (!tty) process.stdout.write(`FAIL ${input.display} [${e.code}] ${e.message}\n`);
        if (isOutputFault(e.code)) stopped ??= e; // every further logo would fail alike
      } finally {
        current.delete(input.display);
        done++;
        progress();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(engine.config.BATCH_SIZE, inputs.length) }, lane));
  } catch (err) {
    return reportFatal(err);
  }
  if (tty) process.stderr.write('\r\x1b[2K');
  const secs = (performance.now() - started) / 1000;
  const badLogos = new Set(failed.map((f) => f.input));
  const skipped = inputs.length - done;
  process.stdout.write(
    `\n${renderTable(
      ['logos', 'ok', 'failed', 'warnings', 'files', 'seconds', 'logos/s'],
      [
        [
          String(inputs.length),
          String(done - badLogos.size),
          String(badLogos.size),
          String(warned.length),
          String(files),
          secs.toFixed(2),
          (done / Math.max(secs, 1e-3)).toFixed(2),
        ],
      ],
    )}\n`,
  );
  if (stopped) {
    process.stdout.write(`\nStopped at [${stopped.code}]: ${skipped} logos not attempted.\n`);
  }
  if (warned.length) {
    // counted per code in the summary; each one on stderr, where scripts keep them apart from the table
    const byCode = new Map<string, number>();
    for (const w of warned) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
    process.stdout.write(`\nWarnings: ${[...byCode].map(([c, k]) => `${c} ×${k}`).join(', ')}\n`);
    for (const w of warned) {
      process.stderr.write(
        `warning: ${w.input}: [${w.code}] ${w.variation ? `${w.variation}: ` : ''}${w.message}\n`,
      );
    }
  }
  if (failed.length) {
    process.stdout.write('\nFailed:\n');
    for (const f of failed) process.stdout.write(`  ${f.input}: [${f.code}] ${f.message}\n`);
    // stopped before a single logo was written: the output's fault decides (a bad path is exit 2)
    return stopped && written === 0 ? exitCodeFor(stopped.code) : EXIT_PARTIAL;
  }
  return EXIT_OK;
}

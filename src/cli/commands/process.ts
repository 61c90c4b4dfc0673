/**
 * `logomill process <files…> -o <dir>`: every chosen variation for every file,
 * written to <dir>/<input name>/<variation>/<file> with a manifest.json per input.
 * A bad file is reported and the others are still processed. Each input's folder
 * is written all or nothing; an output path that cannot be written is refused
 * before any work (exit 2), and a full disk stops the run (exit 1).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { describeBackground } from '../../analysis/index.js';
import type { Engine } from '../../engine/engine.js';
import { type LogomillError, toLogomillError } from '../../errors.js';
import { type LogoResult, listVariations, processLogo, toManifest } from '../../index.js';
import { folderNames } from '../../io/write.js';
import { addEngineFlags, createEngine, type EngineFlags, statsSummary } from '../engine-flags.js';
import { EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, exitCodeFor, reportFatal } from '../exit-codes.js';
import { checkOutputFolder, isOutputFault, writeLogoFolder } from '../output.js';
import { renderTable } from '../table.js';
import { addJobFlags, collectVariationOptions, type JobFlags, withFileOptions } from '../variation-flags.js';

interface ProcessFlags extends EngineFlags, JobFlags {
  json?: boolean;
}

export function configureProcess(cmd: Command, setExit: (code: number) => void): void {
  cmd.option('--json', 'print the manifests as JSON instead of a table');
  addJobFlags(cmd);
  addEngineFlags(cmd);
  cmd.action(async (files: string[], flags: ProcessFlags) => setExit(await runProcess(files, flags)));
}

export function chosenVariations(list: string): string[] {
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length === 1 && ids[0] === 'all' ? listVariations().map((v) => v.id) : ids;
}

async function runProcess(files: string[], flags: ProcessFlags): Promise<number> {
  const variations = chosenVariations(flags.variations);
  let options: Record<string, Record<string, unknown>>;
  try {
    options = withFileOptions(collectVariationOptions(flags, variations, flags.set));
    await checkOutputFolder(flags.out);
  } catch (err) {
    return reportFatal(err);
  }
  let engine: Engine;
  try {
    engine = await createEngine(flags);
  } catch (err) {
    return reportFatal(err);
  }
  try {
    return await processAll(files, flags, variations, options, engine);
  } finally {
    if (flags.stats) process.stderr.write(statsSummary(engine));
    await engine.close();
  }
}

async function processAll(
  files: string[],
  flags: ProcessFlags,
  variations: string[],
  options: Record<string, Record<string, unknown>>,
  engine: Engine,
): Promise<number> {
  const names = folderNames(files);
  const results: LogoResult[] = [];
  const errors: { file: string; code: string; message: string }[] = [];
  const started = performance.now();
  let stopped: LogomillError | null = null;
  for (const [i, file] of files.entries()) {
    try {
      const r = await processLogo(file, { variations, options, engine });
      r.name = names[i];
      await writeLogoFolder(join(flags.out, names[i]), r, toManifest(r));
      results.push(r);
      if (!flags.json) process.stdout.write(summary(file, r));
      for (const w of r.warnings) {
        process.stderr.write(
          `warning: ${file}: [${w.code}] ${w.variation ? `${w.variation}: ` : ''}${w.message}\n`,
        );
      }
    } catch (err) {
      const e = toLogomillError(err);
      if (e.code === 'E_BAD_OPTION' || e.code === 'E_UNKNOWN_VARIATION') {
        return reportFatal(e); // the same for every file: stop now
      }
      errors.push({ file, code: e.code, message: e.message });
      process.stderr.write(`error: ${file}: [${e.code}] ${e.message}\n`);
      if (isOutputFault(e.code)) {
        stopped = e; // the next files would fail alike
        break;
      }
    }
  }
  const skipped = files.length - results.length - errors.length;
  const failedOutputs = results.reduce((n, r) => n + r.failures.length, 0);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ results: results.map(toManifest), errors }, null, 2)}\n`);
  } else {
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const made = results.reduce((n, r) => n + r.outputs.length, 0);
    process.stdout.write(
      `\n${results.length} of ${files.length} logos processed, ${made} files written to ${flags.out} in ${seconds} s` +
        `${errors.length ? `; ${errors.length} inputs failed` : ''}${failedOutputs ? `; ${failedOutputs} variations failed` : ''}` +
        `${stopped ? `; stopped at [${stopped.code}], ${skipped} not attempted` : ''}\n`,
    );
  }
  if (results.length === 0)
    return errors.length ? Math.max(...errors.map((e) => exitCodeFor(e.code))) : EXIT_USAGE;
  // nothing written at all: the failures say why (E_NO_ART is the input's fault: exit 2)
  if (results.every((r) => r.outputs.length === 0)) {
    return Math.max(...results.flatMap((r) => r.failures.map((f) => exitCodeFor(f.code))), EXIT_PARTIAL);
  }
  return errors.length || failedOutputs ? EXIT_PARTIAL : EXIT_OK;
}

function summary(file: string, r: LogoResult): string {
  const rows: string[][] = [];
  for (const v of new Set(r.outputs.map((o) => o.variation))) {
    const outs = r.outputs.filter((o) => o.variation === v);
    const first = outs[0];
    rows.push([
      v,
      String(outs.length),
      first.width ? `${first.width}×${first.height}` : '',
      `${(outs.reduce((n, o) => n + o.bytes, 0) / 1024).toFixed(1)} KB`,
      outs
        .map((o) => o.name)
        .slice(0, 3)
        .join(', ') + (outs.length > 3 ? ', …' : ''),
    ]);
  }
  for (const f of r.failures) rows.push([f.variation, 'FAILED', '', '', `[${f.code}] ${f.message}`]);
  const bg = r.analysis ? describeBackground(r.analysis) : 'background not analysed';
  const head = `${file} → ${r.name}/ (${r.input.format} ${r.input.width}×${r.input.height}, ${bg}, ${r.durationMs} ms)\n`;
  const warn = r.warnings.length
    ? `  ${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''} (on stderr)\n`
    : '';
  return `${head}${warn}${renderTable(['variation', 'files', 'size', 'bytes', 'names'], rows)}\n`;
}

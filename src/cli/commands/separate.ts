/**
 * `logomill separate <input> -o <dir>`: the `separations` variation on its
 * own, its films, PDF, preview and report written straight into <dir>, with
 * the inks and films listed. The background-removal flags (`--tolerance`,
 * `--holes`…) apply too, since films are made from the cutout. The files are
 * renamed into place only once all of them are written.
 */
import type { Command } from 'commander';
import { addEngineFlags, type EngineFlags } from '../engine-flags.js';
import { EXIT_OK, reportFatal } from '../exit-codes.js';
import { runOneVariation } from '../one-variation.js';
import { checkOutputFolder } from '../output.js';
import { renderTable } from '../table.js';
import { addVariationFlags, collectVariationOptions } from '../variation-flags.js';

const USED = ['separations', 'transparent'];

interface SeparateFlags extends EngineFlags, Record<string, unknown> {
  out: string;
}

interface Report {
  mode: string;
  reason: string;
  printWidthIn: number;
  printHeightIn: number;
  films: { order: number; name: string; kind: string; hex: string; coveragePct: number; areaIn2: number }[];
  skipped: { name: string; reason: string }[];
  warnings: string[];
  predicted: { deltaE2000Mean: number; deltaE2000P95: number };
  ink: { depositUm: number; perPrint: { ml: number; g: number }; per100: { ml: number; g: number } };
}

export function configureSeparate(cmd: Command, setExit: (code: number) => void): void {
  cmd.requiredOption('-o, --out <dir>', 'output folder');
  addVariationFlags(cmd, USED);
  addEngineFlags(cmd);
  cmd.action(async (input: string, flags: SeparateFlags) => setExit(await runSeparate(input, flags)));
}

async function runSeparate(input: string, flags: SeparateFlags): Promise<number> {
  let options: Record<string, Record<string, unknown>>;
  try {
    options = collectVariationOptions(flags, USED, []);
    await checkOutputFolder(flags.out);
  } catch (err) {
    return reportFatal(err);
  }
  return runOneVariation(input, 'separations', options, flags, flags.out, (result) => {
    const reportFile = result.outputs.find((o) => o.name === 'separations.json');
    const report = JSON.parse(String(reportFile?.data)) as Report;
    const rows = report.films.map((f) => [
      String(f.order),
      f.name,
      f.kind,
      f.hex,
      `${f.coveragePct.toFixed(1)} %`,
      `${f.areaIn2.toFixed(2)} in²`,
    ]);
    process.stdout.write(
      `${input}: ${report.mode} (${report.reason}), printed ${report.printWidthIn}×${report.printHeightIn} in\n` +
        report.warnings.map((w) => `  warning: ${w}\n`).join('') +
        result.warnings.map((w) => `  warning: [${w.code}] ${w.message}\n`).join('') +
        report.skipped.map((s) => `  not printed: ${s.name} (${s.reason})\n`).join('') +
        renderTable(['#', 'film', 'kind', 'colour', 'coverage', 'area'], rows) +
        `\npredicted print vs art: ΔE2000 ${report.predicted.deltaE2000Mean} mean, ${report.predicted.deltaE2000P95} at the 95th percentile\n` +
        `ink at ${report.ink.depositUm} µm: ${report.ink.perPrint.ml} ml (${report.ink.perPrint.g} g) per print, ${report.ink.per100.ml} ml (${report.ink.per100.g} g) per 100\n` +
        `${result.outputs.length} files written to ${flags.out}\n`,
    );
    return EXIT_OK;
  });
}

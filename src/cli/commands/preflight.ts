/**
 * `logomill preflight <input> [--process screen] [--width 10in] [-o <dir>]`:
 * the `preflight` variation on its own. Prints the verdict, every finding
 * and the inks; with `-o` writes preflight.json, .pdf and .png into <dir>;
 * with `--json` prints the report instead. Exit 0 whatever the verdict (the
 * report is the result), unless `--fail-on` asks otherwise.
 */
import type { Command } from 'commander';
import { LogomillError } from '../../errors.js';
import type { PreflightReport } from '../../preflight/index.js';
import { addEngineFlags, type EngineFlags } from '../engine-flags.js';
import { EXIT_OK, EXIT_PARTIAL, reportFatal } from '../exit-codes.js';
import { runOneVariation } from '../one-variation.js';
import { checkOutputFolder } from '../output.js';
import { renderTable } from '../table.js';
import { addVariationFlags, collectVariationOptions } from '../variation-flags.js';

const USED = ['preflight', 'transparent'];
const FAIL_ON = ['never', 'error', 'warning'] as const;

interface PreflightFlags extends EngineFlags, Record<string, unknown> {
  out?: string;
  json?: boolean;
  failOn: string;
}

export function configurePreflight(cmd: Command, setExit: (code: number) => void): void {
  cmd.option('-o, --out <dir>', 'write preflight.json, preflight.pdf and preflight.png into this folder');
  cmd.option('--json', 'print the report (preflight.json) instead of the summary');
  cmd.option('--fail-on <level>', 'exit 1 when a finding is this severe: never, error or warning', 'never');
  addVariationFlags(cmd, USED);
  addEngineFlags(cmd);
  cmd.action(async (input: string, flags: PreflightFlags) => setExit(await runPreflight(input, flags)));
}

async function runPreflight(input: string, flags: PreflightFlags): Promise<number> {
  let options: Record<string, Record<string, unknown>>;
  try {
    if (!(FAIL_ON as readonly string[]).includes(flags.failOn)) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected --fail-on to be never, error or warning but received "${flags.failOn}"`,
      );
    }
    options = collectVariationOptions(flags, USED, []);
    if (flags.out) await checkOutputFolder(flags.out);
  } catch (err) {
    return reportFatal(err);
  }
  return runOneVariation(input, 'preflight', options, flags, flags.out ?? null, (result) => {
    const file = result.outputs.find((o) => o.name === 'preflight.json');
    const report = JSON.parse(String(file?.data)) as PreflightReport;
    if (flags.json) process.stdout.write(String(file?.data));
    else
      process.stdout.write(
        describe(input, report, flags.out ? `${result.outputs.length} files written to ${flags.out}` : ''),
      );
    const failed =
      (flags.failOn === 'error' && report.counts.errors > 0) ||
      (flags.failOn === 'warning' && report.counts.errors + report.counts.warnings > 0);
    return failed ? EXIT_PARTIAL : EXIT_OK;
  });
}

function describe(input: string, r: PreflightReport, written: string): string {
  const p = r.print;
  const lines = [
    `${input}: ${r.summary}`,
    `  printed ${p.widthIn} × ${p.heightIn} in (${p.widthMm} × ${p.heightMm} mm); input ${r.input.artWidthPx} × ${r.input.artHeightPx} px = ${r.input.dpi} DPI; trace ${r.trace.badPct} % over ΔE ${r.trace.threshold}`,
  ];
  for (const f of r.findings) {
    const figure =
      f.value === null ? '' : ` (${f.value}${f.limit === null ? '' : ` vs ${f.limit}`} ${f.unit})`;
    lines.push(`  ${f.severity}: [${f.code}] ${f.message}${figure}`);
  }
  const rows = r.inks.map((i) => [
    i.hex,
    i.printed ? 'yes' : 'substrate',
    `${i.areaIn2} in²`,
    `${i.coveragePct} %`,
    i.thinnestLineMm === null ? `≥ ${2 * r.process.minLineMm} mm` : `${i.thinnestLineMm} mm`,
    i.inkMl === null ? '' : `${i.inkMl} ml`,
  ]);
  return `${lines.join('\n')}\n${renderTable(['ink', 'printed', 'area', 'coverage', 'thinnest line', 'ink/print'], rows)}\n${written ? `${written}\n` : ''}`;
}

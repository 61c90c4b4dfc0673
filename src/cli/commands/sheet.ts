/**
 * `logomill sheet <logos…> -o <dir> [--sheet letter] [--size 2in] [--count N] [--marks silhouette]`:
 * a print-then-cut sticker sheet. One logo runs the `sheet` variation on the
 * engine (cached like any job); several are each made into a sticker here
 * (decoded, background removed, traced, cut) and nested together, `--count`
 * copies of each or, with 0, as many as fit taken in turn. A logo that cannot
 * be read is reported and left out; the sheet is made of the rest (exit 1).
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { createLogoContext } from '../../engine/logo-context.js';
import { LogomillError, toLogomillError } from '../../errors.js';
import { decodeLogo } from '../../io/decode.js';
import { readInput } from '../../io/read.js';
import { writeFilesAtomic } from '../../io/write.js';
import { parseOptions } from '../../options.js';
import type { SheetSticker } from '../../print/sheet/index.js';
import { cutoutSettingsSchema } from '../../variations/shared/cutout-settings.js';
import {
  sheetFiles,
  sheetSchema,
  sheetSettings,
  stickerSettings,
} from '../../variations/shared/sheet-files.js';
import { sheetSticker } from '../../variations/shared/sticker.js';
import { addEngineFlags, type EngineFlags } from '../engine-flags.js';
import { EXIT_OK, EXIT_PARTIAL, exitCodeFor, reportFatal } from '../exit-codes.js';
import { runOneVariation } from '../one-variation.js';
import { checkOutputFolder, outputError } from '../output.js';
import { addVariationFlags, collectVariationOptions } from '../variation-flags.js';

const USED = ['sheet', 'transparent'];

interface SheetFlags extends EngineFlags, Record<string, unknown> {
  out: string;
  json?: boolean;
}

interface SheetReport {
  sheet: { name: string };
  marks: string;
  count: number;
  usePct: number;
  packer: string;
  alternative: { packer: string; count: number; usePct: number };
  stickers: { label: string; widthMm: number; heightMm: number; placed: number; wanted: number }[];
}

export function configureSheet(cmd: Command, setExit: (code: number) => void): void {
  cmd.requiredOption(
    '-o, --out <dir>',
    'output folder: sheet.pdf, sheet-print.pdf, sheet.svg, sheet-cut.svg, sheet-preview.png, sheet.json',
  );
  cmd.option('--json', 'print sheet.json instead of the summary');
  addVariationFlags(cmd, USED);
  addEngineFlags(cmd);
  cmd.action(async (inputs: string[], flags: SheetFlags) => setExit(await runSheet(inputs, flags)));
}

async function runSheet(inputs: string[], flags: SheetFlags): Promise<number> {
  let options: Record<string, Record<string, unknown>>;
  try {
    options = collectVariationOptions(flags, USED, []);
    await checkOutputFolder(flags.out);
  } catch (err) {
    return reportFatal(err);
  }
  if (inputs.length === 1) {
    return runOneVariation(inputs[0], 'sheet', options, flags, flags.out, (result) => {
      const file = result.outputs.find((o) => o.name === 'sheet.json');
      for (const w of result.warnings) process.stderr.write(`warning: [${w.code}] ${w.message}\n`);
      print(String(file?.data), flags);
      return EXIT_OK;
    });
  }
  try {
    const settings = parseOptions(sheetSchema, options.sheet ?? {}, 'sheet');
    const cutout = parseOptions(cutoutSettingsSchema, options.transparent ?? {}, 'transparent');
    // options are checked before the first logo is read
    sheetSettings(settings, []);
    const stickers: SheetSticker[] = [];
    let failed = 0;
    let first: LogomillError | null = null;
    for (const input of inputs) {
      try {
        const logo = createLogoContext(await decodeLogo(await readInput(input)), cutout);
        stickers.push(sheetSticker(logo, stickerSettings(settings, basename(input))));
      } catch (err) {
        const e = toLogomillError(err);
        if (e.code === 'E_BAD_OPTION') throw e;
        failed++;
        first ??= e;
        process.stderr.write(`error: ${input}: [${e.code}] ${e.message}\n`);
      }
    }
    if (first && stickers.length === 0) {
      throw new LogomillError(first.code, `None of the ${inputs.length} logos could be made into a sticker.`);
    }
    const { files } = await sheetFiles(
      stickers,
      sheetSettings(
        settings,
        stickers.map(() => settings.count),
      ),
      (message) => process.stderr.write(`warning: [W_SHEET_FULL] ${message}\n`),
    );
    await writeFilesAtomic(
      flags.out,
      files.map((f) => ({ path: f.name, data: f.data })),
    ).catch((err: unknown) => {
      throw outputError(err, flags.out);
    });
    print(String(files.find((f) => f.name === 'sheet.json')?.data), flags);
    return failed ? EXIT_PARTIAL : EXIT_OK;
  } catch (err) {
    const e = toLogomillError(err);
    if (e.code === 'E_BAD_OPTION') return reportFatal(e);
    process.stderr.write(`error: [${e.code}] ${e.message}\n`);
    return exitCodeFor(e.code);
  }
}

function print(json: string, flags: SheetFlags): void {
  if (flags.json) {
    process.stdout.write(json);
    return;
  }
  const r = JSON.parse(json) as SheetReport;
  const each = r.stickers
    .map(
      (s) =>
        `  ${s.label}: ${s.placed} × ${s.widthMm} × ${s.heightMm} mm${s.wanted ? ` (${s.wanted} asked)` : ''}`,
    )
    .join('\n');
  process.stdout.write(
    `${r.count} stickers on a ${r.sheet.name} sheet (${r.marks} marks), ${r.usePct} % of the printable area — ` +
      `${r.packer === 'nest' ? 'nested by shape' : 'in rows'}; ${r.alternative.packer === 'nest' ? 'nesting by shape' : 'rows'} would place ${r.alternative.count}\n` +
      `${each}\nfiles written to ${flags.out}\n`,
  );
}

/**
 * The commander program. Every command is listed here with its name,
 * description and arguments, which is all the top-level help and the "did you
 * mean" suggestions need; its module, which adds the options and the action
 * and brings the command's dependencies (sharp, TypeBox, the engine, the
 * service stack), is imported only when that command runs or its help is asked for.
 */
import { Command, CommanderError, Help } from 'commander';
import { VERSION } from '../version.js';
import { EXIT_USAGE } from './exit-codes.js';

/** Adds a command's options and action; the action reports its exit code through setExit. */
export type Configure = (cmd: Command, setExit: (code: number) => void) => void;

interface CommandSpec {
  description: string;
  /** [name as commander writes it, description] */
  arguments: [string, string][];
  load: () => Promise<Configure>;
}

const LOGO_FILE = 'logo file (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG)';

/** In the order of the help. */
const COMMANDS: Record<string, CommandSpec> = {
  process: {
    description: 'make every chosen variation of one or more logos',
    arguments: [['<files...>', 'logo files (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG)']],
    load: async () => (await import('./commands/process.js')).configureProcess,
  },
  separate: {
    description:
      'screen-print separations: films (PNG, TIFF, SVG, EPS), a PDF with a page per ink, preview, report',
    arguments: [['<input>', LOGO_FILE]],
    load: async () => (await import('./commands/separate.js')).configureSeparate,
  },
  preflight: {
    description:
      'will the art survive the print? thin lines, gaps, dots, resolution, inks checked at the print size',
    arguments: [['<input>', LOGO_FILE]],
    load: async () => (await import('./commands/preflight.js')).configurePreflight,
  },
  trace: {
    description: 'trace a logo to vector: SVG, PDF, EPS or DXF (by the output extension)',
    arguments: [['<input>', LOGO_FILE]],
    load: async () => (await import('./commands/trace.js')).configureTrace,
  },
  sheet: {
    description:
      'print-then-cut sticker sheet: logos nested by their cut shapes, Silhouette/Cricut/RIP conventions, PDF and SVG',
    arguments: [['<files...>', 'logo files (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG)']],
    load: async () => (await import('./commands/sheet.js')).configureSheet,
  },
  batch: {
    description: 'process every logo in a folder, glob or .zip through the parallel engine',
    arguments: [['<source>', 'a folder, a glob such as "logos/*.png", or a .zip']],
    load: async () => (await import('./commands/batch.js')).configureBatch,
  },
  config: {
    description: 'print the engine settings (MAX_WORKERS, MEMORY_LIMIT_MB, …) and where each came from',
    arguments: [],
    load: async () => (await import('./commands/config.js')).configureConfig,
  },
  serve: {
    description: 'start the HTTP API and the web app (jobs run here, or on queue workers with --redis)',
    arguments: [],
    load: async () => (await import('./commands/serve.js')).configureServe,
  },
  worker: {
    description: 'process queued logos from Redis (BullMQ) for a `logomill serve --redis` API',
    arguments: [],
    load: async () => (await import('./commands/worker.js')).configureWorker,
  },
  variations: {
    description: 'list the variations, their outputs and options',
    arguments: [],
    load: async () => (await import('./commands/variations.js')).configureVariations,
  },
};

const PROGRAM_FLAGS = new Set(['-V', '--version', '-h', '--help']);

/**
 * The command `help <command>` names, read from the arguments as commander
 * reads them (operands up to the first option it does not know); commander
 * prints that help without dispatching, so the module must be loaded first.
 */
export function helpTarget(args: readonly string[]): string | undefined {
  const operands: string[] = [];
  for (const [i, arg] of args.entries()) {
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.length > 1 && arg.startsWith('-')) {
      if (PROGRAM_FLAGS.has(arg)) continue;
      break;
    }
    operands.push(arg);
  }
  return operands[0] === 'help' ? operands[1] : undefined;
}

/** Runs the CLI on process.argv; returns the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command()
    .name('logomill')
    .description('Turn one logo into every file a print shop, merch seller or marketing team needs.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError()
    .configureHelp({
      // a command not loaded has no options yet, and every logomill command has some
      subcommandTerm: (cmd) => {
        const term = new Help().subcommandTerm(cmd);
        return cmd.name() in COMMANDS && cmd.options.length === 0
          ? term.replace(cmd.name(), `${cmd.name()} [options]`)
          : term;
      },
    });
  const configured = new Set<string>();
  const configure = async (cmd: Command) => {
    const spec = COMMANDS[cmd.name()];
    if (!spec || configured.has(cmd.name())) return;
    configured.add(cmd.name());
    (await spec.load())(cmd, setExit);
    cmd.saveStateBeforeParse(); // with the options' defaults, which commander saved before this hook
  };
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const cmd = program.command(name).description(spec.description);
    for (const [arg, about] of spec.arguments) cmd.argument(arg, about);
  }
  // commander decides which command runs; its module is loaded just before it parses the rest
  program.hook('preSubcommand', (_program, cmd) => configure(cmd));
  const target = program.commands.find((c) => c.name() === helpTarget(argv.slice(2)));
  if (target) await configure(target);

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every other commander complaint is bad usage
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

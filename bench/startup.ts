/**
 * Start-up of the built CLI, measured: `npm run bench:startup [-- --runs N] [-- --before <main.js>]`.
 *
 * Wall time of whole processes, each command run N times (default 7) and the
 * commands interleaved, so that the machine's load falls on all of them alike:
 * `node -e 0` (the floor), `logomill --version`, `--help`, `variations`, a mono
 * trace of a 1024 px logo on white and a colour one, and the peer: `potrace -s`
 * on a PGM of the same mono logo. For a trace, "start-up" is the wall time less
 * the trace the command reports ("traced in N ms"): process start, imports,
 * decoding and writing. `--before` puts another build's dist/cli/main.js beside
 * (e.g. the tree before a change, built elsewhere). The imports that remain on
 * the trace's path are timed too, one after the other in a fresh process.
 *
 * Needs bench/.corpus (`npm run bench:corpus`) and potrace (skipped with a
 * message if missing). Prints a markdown table and writes
 * bench/results/startup-<date>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const RUNS = Math.max(5, Number(flag('--runs')) || 7);
const BEFORE = flag('--before');
const MONO = path.join(HERE, '.corpus', 'si-backbone.white.png');
const COLOR = path.join(HERE, '.corpus', 'logos-brotli.white.png');

for (const f of [CLI, MONO, COLOR, ...(BEFORE ? [BEFORE] : [])]) {
  if (!existsSync(f)) {
    console.error(`missing ${f}: run \`npm run build\` and \`npm run bench:corpus\` first`);
    process.exit(1);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(path.join(tmpdir(), 'logomill-bench-startup-'));

// potrace's input: the mono logo as a greyscale PGM (potrace thresholds it at 50 %)
const pgm = path.join(dir, 'mono.pgm');
{
  const { data, info } = await sharp(MONO).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({
    resolveWithObject: true,
  });
  writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`), data]));
}
const hasPotrace = spawnSync('potrace', ['--version']).status === 0;
if (!hasPotrace) console.error('potrace not found: its row is skipped (apt-get install -y potrace)');

interface Case {
  name: string;
  /** which build: the row's column in the table */
  build: 'after' | 'before' | null;
  cmd: string[];
  /** the CLI reports its trace time on stdout ("traced in N ms") */
  traced?: boolean;
}

/** The CLI commands timed, by row. */
const COMMANDS: [string, (out: string) => string[], boolean][] = [
  ['logomill --version', () => ['--version'], false],
  ['logomill --help', () => ['--help'], false],
  ['logomill variations', () => ['variations'], false],
  ['logomill trace (mono)', (out) => ['trace', MONO, '-o', `${out}-mono.svg`], true],
  [
    'logomill trace --mode color',
    (out) => ['trace', COLOR, '--mode', 'color', '-o', `${out}-color.svg`],
    true,
  ],
];
const builds = [['after', CLI], ...(BEFORE ? [['before', BEFORE]] : [])] as ['after' | 'before', string][];

const cases: Case[] = [
  { name: 'node -e 0', build: null, cmd: [process.execPath, '-e', '0'] },
  ...COMMANDS.flatMap(([name, argv, traced]) =>
    builds.map(
      ([build, main]): Case => ({
        name,
        build,
        cmd: [process.execPath, main, ...argv(path.join(dir, build))],
        traced,
      }),
    ),
  ),
  ...(hasPotrace
    ? [
        {
          name: 'potrace -s (PGM)',
          build: null,
          cmd: ['potrace', '-s', pgm, '-o', path.join(dir, 'potrace.svg')],
        },
      ]
    : []),
];
const key = (c: Case) => (c.build ? `${c.build}: ${c.name}` : c.name);

// What remains on the import path of `logomill trace`, in the order the CLI loads it, each timed
// after the ones above: sharp through its CommonJS build, as the trace bundle loads it.
const importScript = `
import { createRequire } from 'node:module';
const base = ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'cli', '/')).href)};
const steps = [
  ['commander', () => import('commander')],
  ['dist/cli/program.js (+ exit-codes, errors)', () => import(new URL('program.js', base).href)],
  ['sharp (CommonJS build)', () => createRequire(new URL('commands/trace.js', base))('sharp')],
  ['dist/cli/commands/trace.js (the bundle: TypeBox + the tracer)', () => import(new URL('commands/trace.js', base).href)],
];
const out = {};
let t = performance.now();
for (const [name, load] of steps) {
  await load();
  const now = performance.now();
  out[name] = now - t;
  t = now;
}
console.log(JSON.stringify(out));`;

const wall: Record<string, number[]> = {};
const startup: Record<string, number[]> = {};
const imports: Record<string, number[]> = {};
const push = (into: Record<string, number[]>, k: string, v: number) => {
  into[k] ??= [];
  into[k].push(v);
};
// a warm-up round (disk cache, potrace's first load), not counted
for (const c of cases) spawnSync(c.cmd[0], c.cmd.slice(1), { cwd: ROOT });
for (let r = 0; r < RUNS; r++) {
  for (const c of cases) {
    const t = process.hrtime.bigint();
    const p = spawnSync(c.cmd[0], c.cmd.slice(1), { cwd: ROOT, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (p.status !== 0) throw new Error(`${key(c)} exited ${p.status}: ${p.stderr}`);
    push(wall, key(c), ms);
    if (c.traced) {
      const m = /traced in (\d+) ms/.exec(p.stdout);
      if (!m) throw new Error(`${key(c)}: no "traced in" in ${p.stdout}`);
      push(startup, key(c), ms - Number(m[1]));
    }
  }
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', importScript], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (p.status !== 0) throw new Error(`import timing failed: ${p.stderr}`);
  for (const [k, v] of Object.entries(JSON.parse(p.stdout) as Record<string, number>)) push(imports, k, v);
  process.stderr.write(`run ${r + 1}/${RUNS} done\n`);
}
rmSync(dir, { recursive: true, force: true });

const med = (o: Record<string, number[]>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, median(v)]));
const medians = { wall: med(wall), startup: med(startup), imports: med(imports) };
const floor = medians.wall['node -e 0'];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);

const sec = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(3));
const rows = [...new Set(cases.map((c) => c.name))];
console.log(`\n${machine}; medians of ${RUNS} interleaved runs, seconds\n`);
if (BEFORE) {
  console.log('| command | before | after | after − `node -e 0` | start-up before → after (wall − trace) |');
  console.log('|---|---:|---:|---:|---:|');
} else {
  console.log('| command | wall | − `node -e 0` | start-up (wall − trace) |');
  console.log('|---|---:|---:|---:|');
}
for (const name of rows) {
  const after = medians.wall[`after: ${name}`];
  const w = after ?? medians.wall[name];
  const up = medians.startup[`after: ${name}`];
  const upBefore = medians.startup[`before: ${name}`];
  const over = after !== undefined ? sec(after - floor) : '—';
  if (BEFORE) {
    const upCell = up === undefined ? '—' : `${sec(upBefore)} → ${sec(up)}`;
    console.log(
      `| \`${name}\` | ${sec(medians.wall[`before: ${name}`])} | ${sec(w)} | ${over} | ${upCell} |`,
    );
  } else {
    console.log(`| \`${name}\` | ${sec(w)} | ${over} | ${sec(up)} |`);
  }
}
console.log('\nImports on the path of `logomill trace`, each after the ones above (ms):\n');
for (const [k, v] of Object.entries(medians.imports)) console.log(`- ${k}: ${v.toFixed(0)}`);

mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(
  path.join(HERE, 'results', `startup-${date}.json`),
  `${JSON.stringify(
    {
      date,
      machine,
      runs: RUNS,
      before: BEFORE ?? null,
      commands: Object.fromEntries(
        cases.map((c) => [
          key(c),
          c.cmd.map((a) =>
            a === process.execPath ? 'node' : a.replace(dir, '$TMP').replace(`${ROOT}/`, ''),
          ),
        ]),
      ),
      medians,
      all: { wall, startup, imports },
    },
    null,
    2,
  )}\n`,
);

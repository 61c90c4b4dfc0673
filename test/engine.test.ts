/**
 * The engine end to end: the same files as the in-process runner (byte for
 * byte, across worker threads), cache hits that run no task, a failing
 * variation that fails only itself, monitoring, and the batch and config
 * commands.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import yazl from 'yazl';
import { FsCache, ResultCache } from '../src/cache/index.js';
import { resolveConfig } from '../src/config.js';
import { Engine, type IntermediateEvent } from '../src/engine/engine.js';
import type { EngineSample } from '../src/engine/monitor.js';
import { runJob } from '../src/engine/run-job.js';
import { LogomillError } from '../src/errors.js';
import { CLI, cli, example, withTempDir } from './helpers.js';

const ALL_BUT_SOCIAL = [
  'transparent',
  'black',
  'white',
  'grayscale',
  'recolor',
  'raster',
  'vector',
  'vector-color',
  'favicon',
  'email-header',
];

describe('engine', () => {
  let bytes: Buffer;
  before(async () => {
    bytes = await readFile(example('harbor-on-white.png'));
  });

  test('makes byte-identical files to the in-process runner, on worker threads', async () => {
    const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 2, CACHE_DIR: 'off' } });
    const engine = new Engine({ config });
    const started: string[] = [];
    engine.on('task-start', (label: string) => started.push(label.split('/')[1]));
    try {
      const local = await runJob(bytes, { variations: ALL_BUT_SOCIAL });
      const pooled = await runJob(bytes, { variations: ALL_BUT_SOCIAL, engine });
      assert.deepEqual(pooled.failures, []);
      assert.deepEqual(
        pooled.outputs.map((o) => `${o.variation}/${o.name} ${o.sha256}`),
        local.outputs.map((o) => `${o.variation}/${o.name} ${o.sha256}`),
      );
      assert.deepEqual(pooled.background, local.background);
      assert.ok(Buffer.isBuffer(pooled.outputs[0].data));
      const st = engine.stats();
      // raster's six formats fan out over both workers; its files still come back in order
      const subtasks = started.filter((l) => l.startsWith('raster#')).sort();
      assert.deepEqual(subtasks, ['raster#1', 'raster#2']);
      assert.equal(
        st.tasksDone,
        ALL_BUT_SOCIAL.length + 4,
        'a task per variation, a second raster subtask, the cutout, one colour and one mono trace',
      );
      assert.ok(st.threads >= 1 && st.threads <= 2);
    } finally {
      await engine.close();
    }
  });

  test('computes each shared intermediate once per logo, on the engine and in-process', async () => {
    const readers = ['transparent', 'vector-color', 'cutline', 'favicon', 'vector'];
    const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 2, CACHE_DIR: 'off' } });
    const engine = new Engine({ config });
    const seen: string[] = [];
    engine.on('intermediate', (e: IntermediateEvent) => {
      assert.equal(e.logo, createHash('sha256').update(bytes).digest('hex'));
      seen.push(e.name);
    });
    try {
      const pooled = await runJob(bytes, { variations: readers, engine });
      assert.deepEqual(pooled.failures, []);
      // vector-color, cutline and favicon read one colour trace; vector its own mono trace
      assert.deepEqual(seen.sort(), ['colorTrace', 'cutout', 'monoTrace']);

      const inline: string[] = [];
      const local = await runJob(bytes, { variations: readers, onIntermediate: (i) => inline.push(i.name) });
      assert.deepEqual(inline.sort(), ['colorTrace', 'cutout', 'monoTrace']);
      assert.deepEqual(
        local.outputs.map((o) => o.sha256),
        pooled.outputs.map((o) => o.sha256),
      );

      // other tracer options are another trace: computed once more, not shared by mistake
      seen.length = 0;
      await runJob(bytes, {
        variations: ['vector-color', 'favicon'],
        options: { 'vector-color': { colors: 2 } },
        engine,
      });
      assert.deepEqual(seen.sort(), ['colorTrace', 'colorTrace', 'cutout']);
    } finally {
      await engine.close();
    }
  });

  test('SUBTASK_WORKERS=1 keeps every variation in one task; cheap parts are not split', async () => {
    const { config } = resolveConfig({
      env: {},
      flags: { MAX_WORKERS: 2, SUBTASK_WORKERS: 1, CACHE_DIR: 'off' },
    });
    const engine = new Engine({ config });
    const started: string[] = [];
    engine.on('task-start', (label: string) => started.push(label.split('/')[1]));
    try {
      const r = await runJob(bytes, { variations: ['raster', 'social'], engine });
      assert.deepEqual(r.failures, []);
      assert.deepEqual(started.sort(), ['cutout', 'raster', 'social']);
    } finally {
      await engine.close();
    }
    // a tiny logo: all six formats together cost less than two subtasks' worth
    const tiny = await sharp(bytes).resize(64).png().toBuffer();
    const wide = new Engine({
      config: resolveConfig({ env: {}, flags: { MAX_WORKERS: 2, CACHE_DIR: 'off' } }).config,
    });
    const labels: string[] = [];
    wide.on('task-start', (label: string) => labels.push(label.split('/')[1]));
    try {
      await runJob(tiny, { variations: ['raster'], engine: wide });
      assert.deepEqual(labels.sort(), ['cutout', 'raster']);
    } finally {
      await wide.close();
    }
  });

  test('a second run is served from the cache: same bytes, no task run', () =>
    withTempDir(async (dir) => {
      const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 2, CACHE_DIR: dir } });
      const engine = new Engine({ config, cache: new ResultCache(new FsCache(dir, 1e9)) });
      try {
        const first = await runJob(bytes, { variations: ['transparent', 'vector-color', 'favicon'], engine });
        const tasks = engine.stats().tasksDone;
        const threads = engine.stats().threads;
        const again = await runJob(bytes, { variations: ['transparent', 'vector-color', 'favicon'], engine });
        assert.equal(engine.stats().tasksDone, tasks, 'no task ran');
        assert.equal(engine.stats().threads, threads, 'no worker was started for it');
        assert.deepEqual(
          again.outputs.map((o) => o.sha256),
          first.outputs.map((o) => o.sha256),
        );
        assert.deepEqual(again.background, first.background);
        assert.deepEqual(again.input, first.input);
        assert.deepEqual(again.analysis, first.analysis);
        assert.deepEqual(again.warnings, first.warnings);
        // answered without decoding: the input's note, the cutout summary and three variations
        assert.equal(engine.stats().cache?.hits, 5);
        // a different option is a different key
        await runJob(bytes, {
          variations: ['transparent'],
          options: { transparent: { padding: 4 } },
          engine,
        });
        assert.ok(engine.stats().tasksDone > tasks);
      } finally {
        await engine.close();
      }
    }));

  test('a fully cached job under other decode limits is decoded again, and refused as the limits say', () =>
    withTempDir(async (dir) => {
      const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 1, CACHE_DIR: dir } });
      const engine = new Engine({ config, cache: new ResultCache(new FsCache(dir, 1e9)) });
      try {
        await runJob(bytes, { variations: ['black'], engine });
        await assert.rejects(
          runJob(bytes, { variations: ['black'], engine, limits: { maxPixels: 1000 } }),
          (e: unknown) => e instanceof LogomillError && e.code === 'E_TOO_LARGE',
        );
      } finally {
        await engine.close();
      }
    }));

  test('a variation that fails fails only its own outputs', async () => {
    // 17000 px wide is beyond WebP's limit: raster fails, black must not
    const width = 17000;
    const raw = Buffer.alloc(width * 40 * 3, 255);
    for (let y = 10; y < 30; y++) raw.fill(0x40, (y * width + 100) * 3, (y * width + width - 100) * 3);
    const png = await sharp(raw, { raw: { width, height: 40, channels: 3 } })
      .png()
      .toBuffer();
    const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 2, CACHE_DIR: 'off' } });
    const engine = new Engine({ config });
    try {
      const r = await runJob(png, {
        variations: ['raster', 'black'],
        options: { raster: { formats: ['webp'] } },
        engine,
      });
      assert.deepEqual(
        r.failures.map((f) => f.variation),
        ['raster'],
      );
      assert.deepEqual(
        r.outputs.map((o) => o.name),
        ['black.png'],
      );
      assert.equal(engine.stats().tasksRetried, 0, 'a task’s own error is not retried');
    } finally {
      await engine.close();
    }
  });

  test('CONCURRENT_TASKS caps the tasks of one job running at once', async () => {
    for (const cap of [1, 2]) {
      const { config } = resolveConfig({
        env: {},
        flags: { MAX_WORKERS: 2, CONCURRENT_TASKS: cap, CACHE_DIR: 'off' },
      });
      const engine = new Engine({ config });
      let now = 0;
      let most = 0;
      engine.on('task-start', () => {
        now++;
        most = Math.max(most, now);
      });
      engine.on('task-done', () => {
        now--;
      });
      try {
        const r = await runJob(bytes, {
          variations: ['vector', 'vector-color', 'grayscale', 'favicon'],
          engine,
        });
        assert.equal(r.failures.length, 0);
        if (cap === 1) assert.equal(most, 1);
        else assert.ok(most <= 2);
      } finally {
        await engine.close();
      }
    }
  });

  test('a cancelled job stops: unfinished variations fail with E_ABORTED, the engine goes on', async () => {
    const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 1, CACHE_DIR: 'off' } });
    const engine = new Engine({ config });
    const controller = new AbortController();
    // cancelled the moment its first task starts: the others have not run, whatever the load
    engine.once('task-start', () => controller.abort());
    try {
      const r = await runJob(bytes, {
        variations: ['social', 'vector-color', 'favicon', 'raster'],
        engine,
        signal: controller.signal,
      });
      assert.ok(r.failures.length >= 1, 'something was cut short');
      for (const f of r.failures) assert.equal(f.code, 'E_ABORTED', `${f.variation}: ${f.message}`);
      const again = await runJob(bytes, { variations: ['black'], engine });
      assert.deepEqual(again.failures, []);
    } finally {
      await engine.close();
    }
  });

  test('samples CPU, memory and the score while it works', async () => {
    const { config } = resolveConfig({ env: {}, flags: { MAX_WORKERS: 2, CACHE_DIR: 'off' } });
    const engine = new Engine({ config });
    const samples: EngineSample[] = [];
    engine.on('sample', (s: EngineSample) => samples.push(s));
    try {
      await runJob(bytes, { variations: ['social', 'vector-color', 'favicon'], engine });
      assert.ok(samples.length >= 1, 'at least the closing sample');
      const s = engine.stats();
      assert.ok(s.sample && s.sample.rssMb > 0 && s.sample.systemAvailablePct > 0);
      assert.ok(s.score !== null && s.score >= 0 && s.score <= 100);
      assert.ok(s.taskMs.p95 >= s.taskMs.p50 && s.taskMs.p50 > 0);
      assert.ok(s.peakRssMb > 0);
    } finally {
      await engine.close();
    }
  });
});

describe('logomill batch', () => {
  let dir: string;
  let cleanup: () => void = () => {};
  before(async () => {
    await new Promise<void>((ready) => {
      withTempDir(async (d) => {
        dir = d;
        ready();
        await new Promise<void>((r) => {
          cleanup = r;
        });
      });
    });
    mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
    for (const f of ['leaf-mark.png', 'acme-badge-transparent.png'])
      writeFileSync(join(dir, 'in', f), readFileSync(example(f)));
    writeFileSync(join(dir, 'in', 'sub', 'peak.jpg'), readFileSync(example('peak-on-white.jpg')));
    writeFileSync(join(dir, 'in', 'broken.png'), 'not a png at all');
  });
  after(() => cleanup());

  test('processes a folder, goes on past the corrupt file, lists it, exits 1', () => {
    const out = join(dir, 'out');
    const r = cli([
      'batch',
      join(dir, 'in'),
      '-o',
      out,
      '--variations',
      'transparent,vector',
      '--cache-dir',
      join(dir, 'cache'),
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAIL .*broken\.png \[E_UNSUPPORTED_FORMAT\]/);
    assert.match(r.stdout, /Failed:\n {2}.*broken\.png: \[E_UNSUPPORTED_FORMAT\]/);
    for (const name of ['leaf-mark', 'acme-badge-transparent', 'peak']) {
      assert.ok(existsSync(join(out, name, 'transparent', 'transparent.png')), name);
      assert.ok(existsSync(join(out, name, 'vector', 'vector.svg')), name);
      assert.ok(existsSync(join(out, name, 'manifest.json')), name);
    }
    assert.match(r.stdout, /logos +ok +failed[\s\S]*\n +4 +3 +1 /);
  });

  test('on a terminal: a live progress bar with counts, rate and ETA, cleared before the summary', (t) => {
    // `script` (util-linux) runs the CLI on a pseudo-terminal, so stderr is a TTY as for a person
    const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) return t.skip('no script(1) here');
    const out = join(dir, 'out-tty');
    const cmd = [
      process.execPath,
      '--import',
      'tsx',
      CLI,
      'batch',
      join(dir, 'in'),
      '-o',
      out,
      '--variations',
      'black',
      '--no-cache',
    ]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(' ');
    const r = spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    const screen = r.stdout;
    assert.equal(r.status, 1, screen); // the corrupt file makes it exit 1
    // bar frames: block characters, n/total, rate and ETA, rewritten in place with \r
    const frames = screen.split('\r').filter((f) => f.includes('logos ·'));
    assert.ok(frames.length >= 4, `progress frames: ${frames.length}`);
    assert.match(frames[0], /\[░{24}\] 0\/4 logos · [\d.]+\/s · ETA \d+ s/);
    assert.ok(
      frames.some((f) => /\[█+░*\] [1-3]\/4 logos/.test(f)),
      'a partly filled bar',
    );
    assert.ok(
      frames.some((f) => /\[█{24}\] 4\/4 logos/.test(f)),
      'a full bar',
    );
    // on a terminal there are no per-logo lines; the summary and the failure list follow the bar
    assert.doesNotMatch(screen, /^ok {2}/m);
    assert.match(screen, /logos +ok +failed[\s\S]*Failed:[\s\S]*broken\.png: \[E_UNSUPPORTED_FORMAT\]/);
  });

  test('reads the logos inside a zip, and a glob', async () => {
    const zip = join(dir, 'logos.zip');
    const z = new yazl.ZipFile();
    for (const f of ['leaf-mark.png', 'acme-badge-transparent.png', 'broken.png'])
      z.addFile(join(dir, 'in', f), f);
    z.addFile(join(dir, 'in', 'sub', 'peak.jpg'), 'sub/peak.jpg');
    z.addBuffer(Buffer.from('not an image'), 'notes.txt');
    z.end();
    await new Promise<void>((done, fail) =>
      z.outputStream
        .pipe(createWriteStream(zip))
        .on('close', () => done())
        .on('error', fail),
    );
    const r = cli(['batch', zip, '-o', join(dir, 'outz'), '--variations', 'black', '--no-cache']);
    assert.equal(r.code, 1);
    assert.ok(existsSync(join(dir, 'outz', 'peak', 'black', 'black.png')));
    assert.match(r.stdout, /logos\.zip:broken\.png: \[E_UNSUPPORTED_FORMAT\]/);
    const g = cli([
      'batch',
      join(dir, 'in', '*.png'),
      '-o',
      join(dir, 'outg'),
      '--variations',
      'black',
      '--no-cache',
    ]);
    assert.equal(g.code, 1);
    assert.ok(existsSync(join(dir, 'outg', 'leaf-mark', 'black', 'black.png')));
    assert.ok(!existsSync(join(dir, 'outg', 'peak')), 'the glob does not reach into sub/');
  });

  test('nothing to do, or bad settings: exit 2 with a code', () => {
    const none = cli(['batch', join(dir, 'nothing-here'), '-o', join(dir, 'x')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /\[E_INPUT_NOT_FOUND\]/);
    const bad = cli(['batch', join(dir, 'in'), '-o', join(dir, 'x'), '--max-workers', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[E_BAD_OPTION\].*MAX_WORKERS/);
  });
});

describe('logomill config', () => {
  test('prints every setting with its value and source', () => {
    const r = cli(['config'], { MAX_WORKERS: '3', LOGOMILL_CONFIG: '' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /MAX_WORKERS +3 +env/);
    assert.match(r.stdout, /MEMORY_LIMIT_MB +1024 +default/);
    const j = JSON.parse(cli(['config', '--json'], { BATCH_SIZE: '7' }).stdout);
    assert.equal(j.config.BATCH_SIZE, 7);
    assert.equal(j.sources.BATCH_SIZE, 'env');
    const bad = cli(['config'], { TASK_TIMEOUT_MS: 'soon' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[E_BAD_OPTION\].*TASK_TIMEOUT_MS/);
  });
});

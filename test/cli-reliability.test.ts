/**
 * The CLI under faults (issue #14, faults 5, 7 and 8): hostile zips in a
 * batch, output paths that cannot be written, a full disk (a real tmpfs),
 * blank images given to `trace`, and images too large for MEMORY_LIMIT_MB.
 * Each runs the CLI as a user does and looks at what is on disk afterwards.
 * The zips are built here byte by byte, so each test says what it feeds in.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { checkMemoryFit, JOB_MEMORY, largestFittingPixels, TRACE_MEMORY } from '../src/engine/memory-fit.js';
import { runJob } from '../src/engine/run-job.js';
import type { LogomillError } from '../src/errors.js';
import { writeFolderAtomic } from '../src/io/write.js';
import { cli, example, withTempDir } from './helpers.js';

const LOGO = readFileSync(example('leaf-mark.png'));

/** No stack trace, no raw errno text: only `error: … [E_CODE] sentence` lines. */
function assertNoStack(stderr: string): void {
  assert.doesNotMatch(
    stderr,
    /\n\s+at .+:\d+:\d+\)?\n|TypeError|Unexpected internal error|ENOSPC|EROFS|ENOTDIR/,
  );
}

/** Every file below `dir`, relative, sorted. */
function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort();
}

// ---------------------------------------------------------------------------------------------
// A zip writer that lies on request

const CRC = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (b: Uint8Array) => {
  let c = -1;
  for (const x of b) c = CRC[(c ^ x) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};

interface ZipItem {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8;
  /** The uncompressed size the headers declare (default: the truth). */
  size?: number;
  /** The uncompressed size only the local header declares (default: as `size`). */
  localSize?: number;
  /** The CRC-32 the headers declare (default: the truth). */
  crc?: number;
}

/** A zip of `items`, each header saying what the item asks it to say. */
function makeZip(items: ZipItem[]): Buffer {
  const parts: Buffer[] = [];
  const dir: Buffer[] = [];
  let offset = 0;
  for (const it of items) {
    const name = Buffer.from(it.name);
    const method = it.method ?? 8;
    const body = method === 8 ? deflateRawSync(it.data) : Buffer.from(it.data);
    const size = it.size ?? it.data.length;
    const crc = it.crc ?? crc32(it.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(it.localSize ?? size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    dir.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

describe('logomill batch: a hostile zip', () => {
  test('each bad entry fails alone with a code, the good logo is written, exit 1, no stack trace', () =>
    withTempDir(async (dir) => {
      const zip = join(dir, 'zip-hostile.zip');
      writeFileSync(
        zip,
        makeZip([
          // deflated, declares 500 bytes fewer than it unpacks to
          { name: 'a-shorter.png', data: LOGO, size: LOGO.length - 500 },
          // deflated, declares 5000 bytes more than it unpacks to
          { name: 'b-longer.png', data: LOGO, size: LOGO.length + 5000 },
          // stored, declares 1000 bytes while it holds them all
          { name: 'c-stored.png', data: LOGO, method: 0, size: 1000 },
          // the local header and the central directory disagree
          { name: 'd-local.png', data: LOGO, localSize: 100 },
          // right sizes, wrong checksum
          { name: 'e-crc.png', data: LOGO, crc: 12345 },
          // declares 4 GB: refused before a byte is read
          { name: 'f-huge.png', data: Buffer.alloc(1000), size: 0xfffffff0 },
          // 64 MB of zeros declared as 1 MB: inflating stops one byte past 1 MB
          { name: 'g-bomb.png', data: Buffer.alloc(64 * 1024 * 1024), size: 1024 * 1024 },
          { name: '../evil.png', data: LOGO },
          { name: 'good.png', data: LOGO },
        ]),
      );
      const out = join(dir, 'out');
      const r = cli(['batch', zip, '-o', out, '--variations', 'black', '--no-cache']);
      assert.equal(r.code, 1, r.stderr);
      assertNoStack(r.stderr);
      const failed = (name: string, code: string, why: RegExp) =>
        assert.match(r.stdout, new RegExp(`  zip-hostile\\.zip:${name}: \\[${code}\\] .*${why.source}`));
      failed('a-shorter\\.png', 'E_CORRUPT_INPUT', /unpacks to more than the \d+ bytes it declares/);
      failed('b-longer\\.png', 'E_CORRUPT_INPUT', /unpacks to \d+ bytes, not the \d+ it declares/);
      failed('c-stored\\.png', 'E_CORRUPT_INPUT', /declares \d+ bytes packed for 1000 unpacked/);
      failed('d-local\\.png', 'E_CORRUPT_INPUT', /local header that disagrees/);
      failed('e-crc\\.png', 'E_CORRUPT_INPUT', /checksum does not match/);
      failed('f-huge\\.png', 'E_TOO_LARGE', /unpacks to 4294967280 bytes; the limit is 52428800/);
      failed('g-bomb\\.png', 'E_CORRUPT_INPUT', /unpacks to more than the 1048576 bytes it declares/);
      failed('\\.\\./evil\\.png', 'E_CORRUPT_INPUT', /unsafe path/);
      assert.match(r.stdout, /^ {2}9 +1 +8 /m, 'the summary: 9 logos, 1 ok, 8 failed');
      assert.deepEqual(listTree(out), ['good/black/black.png', 'good/manifest.json']);
      assert.ok(!existsSync(join(dir, 'evil.png')), 'nothing escapes the output folder');
    }));

  test('a directory damaged half-way: the entries before it are processed, the damage is reported', () =>
    withTempDir(async (dir) => {
      const bytes = makeZip([
        { name: 'a-good.png', data: LOGO },
        { name: 'b-lost.png', data: LOGO },
      ]);
      bytes[bytes.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1')) + 2] = 0; // the 2nd directory record
      const zip = join(dir, 'zip-damaged-directory.zip');
      writeFileSync(zip, bytes);
      const r = cli(['batch', zip, '-o', join(dir, 'out'), '--variations', 'black', '--no-cache']);
      assert.equal(r.code, 1, r.stderr);
      assertNoStack(r.stderr);
      assert.match(
        r.stdout,
        /zip-damaged-directory\.zip:\(directory\): \[E_CORRUPT_INPUT\] .*damaged after 1 logos/,
      );
      assert.deepEqual(listTree(join(dir, 'out')), ['a-good/black/black.png', 'a-good/manifest.json']);
    }));

  test('a truncated zip (no directory at all) is refused whole: exit 2, E_CORRUPT_INPUT', () =>
    withTempDir(async (dir) => {
      const whole = makeZip([{ name: 'good.png', data: LOGO }]);
      const zip = join(dir, 'zip-truncated.zip');
      writeFileSync(zip, whole.subarray(0, whole.length >> 1));
      const r = cli(['batch', zip, '-o', join(dir, 'out'), '--variations', 'black', '--no-cache']);
      assert.equal(r.code, 2, r.stderr);
      assertNoStack(r.stderr);
      assert.match(r.stderr, /^error: \[E_CORRUPT_INPUT\] .*zip-truncated\.zip is not a readable zip file/m);
      assert.ok(!existsSync(join(dir, 'out')));
    }));
});

// ---------------------------------------------------------------------------------------------
// Output paths and a full disk

const mounts: string[] = [];
after(() => {
  for (const m of mounts.splice(0)) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' });
    } catch {}
  }
});

/**
 * A real small file system at a fresh folder: tmpfs of `kb` KB (`ro`: read-only). Null where this
 * machine cannot mount one (the test then skips, saying so) — but under CI=true that fails.
 */
async function tmpfs(kb: number, ro = false): Promise<{ dir: string; unmount: () => void } | null> {
  const dir = await mkdtemp(join(tmpdir(), 'logomill-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k${ro ? ',ro' : ''}`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (process.env.CI === 'true') throw new Error(`CI=true but no tmpfs can be mounted: ${err}`);
    return null;
  }
  mounts.push(dir);
  return {
    dir,
    unmount: () => {
      mounts.splice(mounts.indexOf(dir), 1);
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

const NO_TMPFS = 'cannot mount a tmpfs on this machine (not root, or no CAP_SYS_ADMIN)';

/** Names anywhere below `dir` of temporary files or folders (`*.tmp`). */
async function leftovers(dir: string): Promise<string[]> {
  const all = (await readdir(dir, { recursive: true })) as string[];
  return all.filter((p) => /\.tmp$/.test(p));
}

/** Every logo folder written is complete: a manifest, and every file it lists with its size. */
function assertCompleteFolders(out: string): string[] {
  const names = existsSync(out) ? readdirSync(out) : [];
  for (const name of names) {
    const manifest = JSON.parse(readFileSync(join(out, name, 'manifest.json'), 'utf8')) as {
      outputs: { file: string; bytes: number }[];
    };
    for (const o of manifest.outputs) assert.equal(statSync(join(out, name, o.file)).size, o.bytes);
  }
  return names;
}

describe('logomill: an output path that cannot be written', () => {
  test('a file where the output folder should be: exit 2, E_OUTPUT_NOT_WRITABLE, before any work', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'not a folder');
      const folder = join(dir, 'folder.svg');
      mkdirSync(folder);
      for (const args of [
        ['process', example('leaf-mark.png'), '-o', file],
        ['process', example('leaf-mark.png'), '-o', join(file, 'below')],
        ['batch', example('leaf-mark.png'), '-o', join(file, 'below')],
        ['separate', example('leaf-mark.png'), '-o', file],
        ['trace', example('leaf-mark.png'), '-o', join(file, 'logo.svg')],
        ['trace', example('leaf-mark.png'), '-o', folder],
      ]) {
        const r = cli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /\[E_OUTPUT_NOT_WRITABLE\] Cannot write the output \(.+\): a (file|folder) stands where/,
        );
        assertNoStack(r.stderr);
        assert.doesNotMatch(r.stdout, /→/, 'nothing was processed');
      }
      assert.equal(readFileSync(file, 'utf8'), 'not a folder');
      assert.deepEqual(readdirSync(dir).sort(), ['a-file', 'folder.svg']);
      assert.deepEqual(readdirSync(folder), []);
    }));

  test('a read-only output folder: exit 2, E_OUTPUT_NOT_WRITABLE', async (t) => {
    // root ignores permission bits, so as root the folder is a read-only mount instead
    let ro: { dir: string; unmount: () => void } | null = null;
    let dir: string;
    if (process.getuid?.() === 0) {
      ro = await tmpfs(64, true);
      if (!ro) return t.skip(NO_TMPFS);
      dir = ro.dir;
    } else {
      dir = await mkdtemp(join(tmpdir(), 'logomill-ro-'));
      execFileSync('chmod', ['0555', dir]);
    }
    try {
      for (const args of [
        ['process', example('leaf-mark.png'), '-o', join(dir, 'out'), '--variations', 'black'],
        ['batch', example('leaf-mark.png'), '-o', join(dir, 'out'), '--variations', 'black'],
        ['trace', example('leaf-mark.png'), '-o', join(dir, 'logo.svg')],
      ]) {
        const r = cli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /\[E_OUTPUT_NOT_WRITABLE\] Cannot write the output \(.+\): (the file system is read-only|permission denied)\./,
        );
        assertNoStack(r.stderr);
      }
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      if (ro) ro.unmount();
      else {
        execFileSync('chmod', ['0755', dir]);
        await rm(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('logomill: a full disk (tmpfs)', () => {
  const inputs = ['acme-badge-transparent.png', 'harbor-on-white.png', 'leaf-mark.png', 'peak-on-white.jpg'];
  const variations = ['--variations', 'transparent,black,white,raster', '--no-cache'];

  test('process: complete logo folders or none, no .tmp, the summary counts what is on disk, exit 1', async (t) => {
    const disk = await tmpfs(200);
    if (!disk) return t.skip(NO_TMPFS);
    try {
      const out = join(disk.dir, 'out');
      const r = cli(['process', ...inputs.map(example), '-o', out, ...variations]);
      assert.equal(r.code, 1, r.stderr);
      assertNoStack(r.stderr);
      assert.match(r.stderr, /\[E_NO_SPACE\] The disk is full \(.+\); free some space and try again\./);
      const written = assertCompleteFolders(out);
      assert.ok(written.length < inputs.length, 'the disk did fill up');
      const files = listTree(out).filter((f) => !f.endsWith('manifest.json')).length;
      assert.match(r.stdout, new RegExp(`${written.length} of 4 logos processed, ${files} files written`));
      assert.match(r.stdout, /stopped at \[E_NO_SPACE\], \d+ not attempted/);
      assert.deepEqual(await leftovers(disk.dir), []);
    } finally {
      disk.unmount();
    }
  });

  test('batch: the same, and it stops taking logos once the disk is full', async (t) => {
    const disk = await tmpfs(200);
    if (!disk) return t.skip(NO_TMPFS);
    try {
      const src = join(disk.dir, 'in');
      mkdirSync(src);
      for (const name of inputs) writeFileSync(join(src, name), readFileSync(example(name)));
      const out = join(disk.dir, 'out');
      const r = cli(['batch', src, '-o', out, ...variations]);
      assert.equal(r.code, 1, r.stderr);
      assertNoStack(`${r.stderr}${r.stdout}`);
      assert.match(r.stdout, /\[E_NO_SPACE\] The disk is full/);
      const written = assertCompleteFolders(out);
      const files = listTree(out).filter((f) => !f.endsWith('manifest.json')).length;
      const failed = new Set([...r.stdout.matchAll(/^FAIL (\S+)/gm)].map((m) => m[1])).size;
      // logos  ok  failed  warnings  files
      const row = new RegExp(`^ {2}4 +${written.length} +${failed} +\\d+ +${files} `, 'm');
      assert.match(r.stdout, row, r.stdout);
      assert.deepEqual(await leftovers(disk.dir), []);
    } finally {
      disk.unmount();
    }
  });

  test('trace: E_NO_SPACE, exit 1, no file and no .tmp', async (t) => {
    const disk = await tmpfs(64);
    if (!disk) return t.skip(NO_TMPFS);
    try {
      // fill it up, then free nothing
      try {
        writeFileSync(join(disk.dir, 'filler'), Buffer.alloc(128 * 1024));
      } catch {}
      const svg = join(disk.dir, 'logo.svg');
      const r = cli(['trace', example('leaf-mark.png'), '-o', svg]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /\[E_NO_SPACE\] The disk is full \(.*logo\.svg\)/);
      assertNoStack(r.stderr);
      assert.deepEqual(readdirSync(disk.dir), ['filler']);
    } finally {
      disk.unmount();
    }
  });
});

describe('a logo folder is written all or nothing', () => {
  test('a failure half-way leaves the earlier folder as it was and no temporary folder', () =>
    withTempDir(async (dir) => {
      const logo = join(dir, 'logo');
      await writeFolderAtomic(logo, [{ path: 'old/old.png', data: 'old' }]);
      await assert.rejects(
        // "a" is written as a file, then needed as a folder
        writeFolderAtomic(logo, [
          { path: 'a', data: '1' },
          { path: 'a/b.png', data: '2' },
        ]),
        (err: NodeJS.ErrnoException) => err.code === 'ENOTDIR' || err.code === 'EEXIST',
      );
      assert.deepEqual(readdirSync(dir), ['logo']);
      assert.deepEqual(listTree(logo), ['old/old.png']);
    }));

  test('a second run replaces the folder as a whole: its manifest lists exactly what is there', () =>
    withTempDir(async (dir) => {
      const out = join(dir, 'out');
      const logo = example('leaf-mark.png');
      assert.equal(cli(['process', logo, '-o', out, '--variations', 'black', '--no-cache']).code, 0);
      const r = cli(['process', logo, '-o', out, '--variations', 'white', '--no-cache']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(listTree(out), ['leaf-mark/manifest.json', 'leaf-mark/white/white.png']);
      assert.deepEqual(readdirSync(dir), ['out']);
    }));
});

// ---------------------------------------------------------------------------------------------
// Blank results and images too large for the memory limit

async function png(width: number, height: number, color: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

describe('logomill trace: blank images', () => {
  test('1×1, all white, one flat colour, a 10000×1 line: E_NO_ART, exit 2, nothing written (mono and colour, every format)', () =>
    withTempDir(async (dir) => {
      const blanks: [string, Buffer][] = [
        ['one-pixel', await png(1, 1, '#000000')],
        ['white', await png(300, 200, '#ffffff')],
        ['flat', await png(300, 200, '#3366cc')],
        ['line', await png(10000, 1, '#000000')],
      ];
      const runs: [string, string][] = [
        ['mono', 'svg'],
        ['color', 'pdf'],
        ['mono', 'eps'],
        ['color', 'dxf'],
      ];
      for (const [i, [name, bytes]] of blanks.entries()) {
        const input = join(dir, `${name}.png`);
        writeFileSync(input, bytes);
        // every image in both modes; every format on some image
        for (const [mode, ext] of [runs[i], runs[(i + 1) % 4]]) {
          const out = join(dir, `${name}-${mode}.${ext}`);
          const r = cli(['trace', input, '-o', out, '--mode', mode]);
          assert.equal(r.code, 2, `${name} ${mode} ${ext}: ${r.stderr}`);
          assert.match(r.stderr, /\[E_NO_ART\] /);
          assertNoStack(r.stderr);
          assert.ok(!existsSync(out), `${out} is not written`);
        }
      }
      assert.deepEqual(readdirSync(dir).sort(), ['flat.png', 'line.png', 'one-pixel.png', 'white.png']);
    }));

  test('a flat colour traced anyway (--background keep, --threshold): written, with W_FLAT_IMAGE', () =>
    withTempDir(async (dir) => {
      const input = join(dir, 'flat.png');
      writeFileSync(input, await png(300, 200, '#3366cc'));
      for (const extra of [
        ['--background', 'keep'],
        ['--threshold', '0.5'],
        ['--mode', 'color', '--background', 'keep'],
      ]) {
        const out = join(dir, 'flat.svg');
        const r = cli(['trace', input, '-o', out, ...extra]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /^warning: .*flat\.png: \[W_FLAT_IMAGE\] /m);
        assert.ok(existsSync(out));
      }
      const art = cli([
        'trace',
        example('leaf-mark.png'),
        '-o',
        join(dir, 'leaf.svg'),
        '--background',
        'keep',
      ]);
      assert.equal(art.code, 0, art.stderr);
      assert.equal(art.stderr, '', 'real art: no warning');
    }));
});

describe('an image too large for MEMORY_LIMIT_MB', () => {
  test('8000×8000 px with MEMORY_LIMIT_MB=1024: E_TOO_LARGE naming the limit, exit 2, nothing written', () =>
    withTempDir(async (dir) => {
      const input = join(dir, 'big.png');
      writeFileSync(input, await png(8000, 8000, '#ffffff'));
      const msg =
        /\[E_TOO_LARGE\] The image is 8000×8000 px \(64 MP\); with MEMORY_LIMIT_MB=1024 the largest image this machine can process is (\d+(\.\d)?) MP\. Set MEMORY_LIMIT_MB to \d+ or more to process it\./;
      const out = join(dir, 'out');
      const p = cli(['process', input, '-o', out, '--variations', 'black', '--no-cache'], {
        MEMORY_LIMIT_MB: '1024',
      });
      assert.equal(p.code, 2, p.stderr);
      assert.match(p.stderr, msg);
      assert.ok(!existsSync(join(out, 'big')));
      const t = cli(['trace', input, '-o', join(dir, 'big.svg')], { MEMORY_LIMIT_MB: '1024' });
      assert.equal(t.code, 2, t.stderr);
      assert.match(t.stderr, msg);
      assert.ok(!existsSync(join(dir, 'big.svg')));
    }));

  test('the rule: the library refuses from the header, with an engine or memoryLimitMb', async () => {
    assert.equal(Math.floor(largestFittingPixels(1024, JOB_MEMORY) / 1e5) / 10, 26.3);
    assert.equal(Math.floor(largestFittingPixels(1024, TRACE_MEMORY) / 1e5) / 10, 43.2);
    assert.equal(largestFittingPixels(64, JOB_MEMORY), 0);
    const big = await png(6000, 6000, '#ffffff'); // 36 MP
    await assert.rejects(
      runJob(big, { variations: ['black'], memoryLimitMb: 1024 }),
      (err: LogomillError) => {
        assert.equal(err.code, 'E_TOO_LARGE');
        assert.match(err.message, /6000×6000 px \(36 MP\); with MEMORY_LIMIT_MB=1024 .* is 26\.3 MP/);
        return true;
      },
    );
    // an engine's MEMORY_LIMIT_MB is the default; refused before the engine admits or decodes anything
    const engine = {
      config: { MEMORY_LIMIT_MB: 1024 },
      admit: () => assert.fail('admitted'),
      runPlanned: () => assert.fail('ran'),
    };
    await assert.rejects(
      runJob(big, { variations: ['black'], engine }),
      (err: LogomillError) => err.code === 'E_TOO_LARGE',
    );
    await checkMemoryFit(big, 2048, JOB_MEMORY); // fits
    // SVG is bounded by the size it is rasterised at, and never handed to the decoder unsanitised
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>');
    await checkMemoryFit(svg, 1024, JOB_MEMORY);
    await assert.rejects(
      checkMemoryFit(svg, 1024, JOB_MEMORY, { svgSize: 8000 }),
      /rasterised at up to 8000×8000 px/,
    );
  });
});

describe('library: processLogo with outDir', () => {
  test('writes the folder whole with its manifest; a file in the way is E_OUTPUT_NOT_WRITABLE and leaves nothing', async () => {
    const { processLogo } = await import('../src/index.js');
    await withTempDir(async (dir) => {
      const out = join(dir, 'leaf');
      const result = await processLogo(LOGO, { variations: ['black'], outDir: out });
      assert.deepEqual(readdirSync(out).sort(), ['black', 'manifest.json']);
      for (const o of result.outputs) assert.ok(o.path && statSync(o.path).size > 0);
      writeFileSync(join(dir, 'file'), 'x');
      await assert.rejects(
        processLogo(LOGO, { variations: ['black'], outDir: join(dir, 'file', 'leaf') }),
        (err: LogomillError) => err.code === 'E_OUTPUT_NOT_WRITABLE',
      );
      assert.deepEqual(readdirSync(dir).sort(), ['file', 'leaf']);
    });
  });
});

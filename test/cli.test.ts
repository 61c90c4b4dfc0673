/**
 * The `logomill` command end to end, as a user runs it: the built CLI in a
 * child process, real files in a temporary folder, exit codes and outputs.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { cli, example, rgba, withTempDir } from './helpers.js';

interface Manifest {
  name: string;
  outputs: { variation: string; name: string; file: string; bytes: number; sha256: string; width?: number }[];
  failures: unknown[];
}

describe('logomill process', () => {
  test('writes every file and a manifest, and goes on past a bad file (exit 1)', () =>
    withTempDir(async (dir) => {
      const bad = join(dir, 'broken.png');
      writeFileSync(bad, 'this is not a png');
      const out = join(dir, 'out');
      const r = cli([
        'process',
        example('harbor-on-white.png'),
        bad,
        example('leaf-mark.png'),
        '-o',
        out,
        '--variations',
        'transparent,black,favicon',
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /broken\.png: \[E_UNSUPPORTED_FORMAT\]/);
      assert.match(r.stdout, /2 of 3 logos processed/);
      for (const name of ['harbor-on-white', 'leaf-mark']) {
        const manifest = JSON.parse(readFileSync(join(out, name, 'manifest.json'), 'utf8')) as Manifest;
        assert.equal(manifest.name, name);
        assert.deepEqual(
          [...new Set(manifest.outputs.map((o) => o.variation))],
          ['transparent', 'black', 'favicon'],
        );
        for (const o of manifest.outputs) {
          const bytes = readFileSync(join(out, name, o.file));
          assert.equal(bytes.length, o.bytes);
          assert.equal(createHash('sha256').update(bytes).digest('hex'), o.sha256);
        }
      }
      assert.ok(!existsSync(join(out, 'broken')), 'no folder for the bad file');
    }));

  test('a single bad input exits 2; a missing file exits 2', () =>
    withTempDir(async (dir) => {
      const empty = join(dir, 'empty.png');
      writeFileSync(empty, '');
      const r = cli(['process', empty, '-o', join(dir, 'out')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\[E_CORRUPT_INPUT\]/);
      const missing = cli(['process', join(dir, 'nope.png'), '-o', join(dir, 'out')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /\[E_INPUT_NOT_FOUND\]/);
    }));

  test('bad options and unknown variations exit 2 with a sentence naming the option', () =>
    withTempDir(async (dir) => {
      const q = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        dir,
        '--variations',
        'raster',
        '--quality',
        '300',
      ]);
      assert.equal(q.code, 2);
      assert.match(
        q.stderr,
        /Expected integer between 1 and 100 for raster\.quality but received 300 of type number/,
      );
      const v = cli(['process', example('leaf-mark.png'), '-o', dir, '--variations', 'transparent,sparkles']);
      assert.equal(v.code, 2);
      assert.match(v.stderr, /\[E_UNKNOWN_VARIATION\] Unknown variation "sparkles"/);
      const c = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        dir,
        '--variations',
        'black',
        '--color',
        '#00ff00',
      ]);
      assert.equal(c.code, 2);
      assert.match(c.stderr, /--color is used by recolor/);
      assert.equal(cli(['process', '-o', dir]).code, 2, 'no files given');
    }));

  test('flags and --set reach the variations; --json prints the manifests', () =>
    withTempDir(async (dir) => {
      const r = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        dir,
        '--variations',
        'recolor,raster,transparent',
        '--color',
        '#00ff00',
        '--set',
        'raster.formats=png,jpeg',
        '--padding',
        '5',
        '--json',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as { results: Manifest[]; errors: unknown[] };
      assert.equal(json.results.length, 1);
      assert.deepEqual(json.errors, []);
      const names = json.results[0].outputs.map((o) => o.file).sort();
      assert.deepEqual(names, [
        'raster/logo.jpg',
        'raster/logo.png',
        'recolor/recolor.png',
        'transparent/transparent.png',
      ]);
      const recolor = await rgba(readFileSync(join(dir, 'leaf-mark', 'recolor', 'recolor.png')));
      let opaque = 0;
      for (let p = 0; p < recolor.data.length; p += 4) {
        if (recolor.data[p + 3] === 0) continue;
        assert.deepEqual([...recolor.data.subarray(p, p + 3)], [0, 255, 0]);
        opaque++;
      }
      assert.ok(opaque > 1000);
      const t = await sharp(join(dir, 'leaf-mark', 'transparent', 'transparent.png')).metadata();
      const plain = await sharp(join(dir, 'leaf-mark', 'raster', 'logo.png')).metadata();
      assert.equal(t.width, plain.width, 'padding applies to the shared cutout');
      const noPad = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        join(dir, 'b'),
        '--variations',
        'transparent',
      ]);
      assert.equal(noPad.code, 0);
      const t0 = await sharp(join(dir, 'b', 'leaf-mark', 'transparent', 'transparent.png')).metadata();
      assert.equal((t.width ?? 0) - (t0.width ?? 0), 10);
    }));
});

describe('logomill variations', () => {
  test('lists every variation with its options', () => {
    const r = cli(['variations', '--json']);
    assert.equal(r.code, 0);
    const list = JSON.parse(r.stdout) as { id: string; options: { properties: Record<string, unknown> } }[];
    assert.deepEqual(
      list.map((v) => v.id),
      [
        'preflight',
        'transparent',
        'black',
        'white',
        'grayscale',
        'recolor',
        'raster',
        'vector',
        'vector-color',
        'centerline',
        'cutline',
        'sheet',
        'separations',
        'distressed',
        'halftone',
        'favicon',
        'email-header',
        'social',
      ],
    );
    assert.ok('color' in list.find((v) => v.id === 'recolor')!.options.properties);
    const text = cli(['variations']);
    assert.match(text.stdout, /favicon — Favicon package/);
  });

  test('--help exits 0, an unknown command exits 2', () => {
    assert.equal(cli(['--help']).code, 0);
    assert.equal(cli(['frobnicate']).code, 2);
  });
});

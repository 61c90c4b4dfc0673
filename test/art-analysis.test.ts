/**
 * The art analysis on logos as customers send them (test/fixtures/customer/,
 * made by scripts/make-customer-corpus.ts from CC0/MIT icon sets; see its
 * README): every case's background decision, its cutout and its colour trace
 * rendered back against the clean reference off a 1-px edge band, no empty
 * output anywhere; a property test of the background model; bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import sharp from 'sharp';
import { analyzeArt } from '../src/analysis/index.js';
import { type LogoResult, processLogo } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import { cli, deltaE, over, rgba, withTempDir } from './helpers.js';

const DIR = new URL('./fixtures/customer/', import.meta.url).pathname;

interface Case {
  id: string;
  class: string;
  input: string;
  reference: string;
  expect: { background: string; boxKept?: boolean; frame?: boolean; holes?: 'cleared' | 'kept' };
}
const CASES: Case[] = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')).cases;

/**
 * Cutout error budget per case, in % of the reference's ink (bad = ΔE76 > 10 on white or black,
 * off the edge band). Small JPEGs get more: their edges are ragged by a pixel or two.
 */
const CUT_BUDGET: Record<string, number> = {
  'offwhite-ebay': 15,
  'darkbg-imdb': 16,
  'gradart-rocket': 12,
  'thin-bird': 8,
  'offwhite-hbo': 6,
  'badge-btc-jpeg': 6,
};
const TRACE_BUDGET: Record<string, number> = { 'gradart-rocket': 15, 'darkbg-imdb': 18, 'offwhite-ebay': 8 };

const image = async (file: string): Promise<RgbaImage> => rgba(readFileSync(join(DIR, file)));

/** Bad pixels off the reference's edge band, per 100 pixels of the reference's ink. */
function badShare(ours: RgbaImage, ref: RgbaImage): number {
  assert.equal(ours.width, ref.width);
  assert.equal(ours.height, ref.height);
  const { width, height } = ref;
  const edge = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = ref.data[(y * width + x) * 4 + 3];
      if (a === 0 || a === 255) continue;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height) edge[yy * width + xx] = 1;
        }
    }
  }
  let bad = 0;
  let ink = 0;
  for (let i = 0; i < width * height; i++) {
    if (ref.data[i * 4 + 3] > 0) ink++;
    if (edge[i]) continue;
    for (const back of [
      [255, 255, 255],
      [0, 0, 0],
    ] as [number, number, number][]) {
      if (deltaE(over(ours, i, back), over(ref, i, back)) > 10) {
        bad++;
        break;
      }
    }
  }
  return (100 * bad) / Math.max(1, ink);
}

function renderSvg(svg: Buffer, width: number): RgbaImage {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width } }).render();
  return { width: r.width, height: r.height, data: new Uint8Array(r.pixels) };
}

const file = (r: LogoResult, variation: string, name: string): Buffer => {
  const o = r.outputs.find((x) => x.variation === variation && x.name === name);
  assert.ok(o, `${variation}/${name} missing`);
  return o.data;
};

describe('art analysis: the customer-file corpus', () => {
  const results = new Map<string, LogoResult>();

  before(async () => {
    for (const c of CASES) {
      results.set(
        c.id,
        await processLogo(readFileSync(join(DIR, c.input)), {
          variations: ['transparent', 'vector', 'vector-color', 'favicon'],
          // untrimmed, so that the outputs line up with the reference pixel for pixel
          options: { transparent: { trim: false } },
        }),
      );
    }
  });

  for (const c of CASES) {
    test(`${c.id} (${c.class}): the analysis says the right thing`, () => {
      const r = results.get(c.id) as LogoResult;
      const a = r.analysis;
      assert.ok(a, 'analysis block present');
      assert.deepEqual(r.failures, []);
      const b = a.background;
      const e = c.expect;
      if (e.background === 'transparent') assert.equal(b.decision, 'none');
      else if (e.background === 'none') {
        // the art fills the canvas: its box is kept, and the guess is said
        assert.equal(b.decision, 'kept');
        assert.equal(b.boxKept, true);
        assert.ok(r.warnings.some((w) => w.code === 'W_BACKGROUND_UNCERTAIN'));
      } else {
        assert.equal(b.decision, 'removed');
        assert.equal(b.kind, e.background, `kind ${b.kind}, reason ${b.reason}`);
      }
      if (e.boxKept && e.background !== 'transparent') assert.equal(b.boxKept, true, b.reason);
      if (e.frame) assert.ok(b.frame, 'frame found');
      else assert.equal(b.frame, null);
      // a guess always comes with its warning
      if (b.confidence < 0.75) assert.ok(r.warnings.some((w) => w.code === 'W_BACKGROUND_UNCERTAIN'));
    });

    test(`${c.id}: cutout and colour trace match the reference off the edge band`, async () => {
      const r = results.get(c.id) as LogoResult;
      const ref = await image(c.reference);
      const cut = await rgba(file(r, 'transparent', 'transparent.png'));
      const cutBad = badShare(cut, ref);
      assert.ok(cutBad <= (CUT_BUDGET[c.id] ?? 3), `cutout: ${cutBad.toFixed(1)} % bad`);
      const trace = renderSvg(file(r, 'vector-color', 'vector-color.svg'), ref.width);
      const traceBad = badShare(trace, ref);
      assert.ok(traceBad <= (TRACE_BUDGET[c.id] ?? 4), `colour trace: ${traceBad.toFixed(1)} % bad`);
    });

    test(`${c.id}: no empty output`, async () => {
      const r = results.get(c.id) as LogoResult;
      for (const o of r.outputs) {
        assert.ok(o.bytes > 0, `${o.variation}/${o.name} is empty`);
        if (o.format === 'svg') {
          assert.match(o.data.toString('utf8'), /<path /, `${o.variation}/${o.name} has no path`);
        }
        if (o.format === 'png') {
          const stats = await sharp(o.data).ensureAlpha().stats();
          assert.ok(stats.channels[3].max > 0, `${o.variation}/${o.name} is blank`);
        }
      }
    });
  }

  test('--background keep and remove overturn the decision for every variation', async () => {
    const box = readFileSync(join(DIR, 'box-opel.png'));
    const removed = await processLogo(box, {
      variations: ['transparent', 'vector-color'],
      options: { transparent: { background: 'remove', trim: false } },
    });
    assert.equal(removed.analysis?.background.decision, 'removed');
    const cut = await rgba(file(removed, 'transparent', 'transparent.png'));
    assert.equal(cut.data[3], 0, 'the box corner is gone');
    assert.ok(!file(removed, 'vector-color', 'vector-color.svg').toString().includes('#d62828'));

    const navy = readFileSync(join(DIR, 'navy-github.png'));
    const kept = await processLogo(navy, {
      variations: ['transparent', 'vector-color'],
      options: { transparent: { background: 'keep', trim: false } },
    });
    assert.equal(kept.analysis?.background.decision, 'kept');
    const all = await rgba(file(kept, 'transparent', 'transparent.png'));
    assert.equal(all.data[3], 255, 'the navy stays');
    assert.match(file(kept, 'vector-color', 'vector-color.svg').toString(), /#1b2a4a/i);
  });

  test('--holes all and none decide every enclosed area alike', async () => {
    const skull = readFileSync(join(DIR, 'whitestroke-skull.png'));
    const all = await processLogo(skull, {
      variations: ['transparent'],
      options: { transparent: { holes: 'all', trim: false } },
    });
    const auto = results.get('whitestroke-skull') as LogoResult;
    assert.equal(auto.analysis?.holes.cleared, 0, 'auto keeps the white face');
    assert.ok((all.analysis?.holes.cleared ?? 0) >= 1, 'all clears it');
    const centre = await rgba(file(all, 'transparent', 'transparent.png'));
    const i = (Math.round(centre.height * 0.3) * centre.width + Math.round(centre.width / 2)) * 4 + 3;
    assert.equal(centre.data[i], 0, 'the forehead is see-through with holes all');
  });
});

describe('art analysis: the background model (property)', () => {
  test('a random flat, gradient or noisy background behind random shapes is removed and the shapes kept', () => {
    const W = 96;
    const H = 80;
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom('flat', 'gradient', 'noisy'),
          base: fc.record({
            r: fc.integer({ min: 200, max: 255 }),
            g: fc.integer({ min: 200, max: 255 }),
            b: fc.integer({ min: 200, max: 255 }),
          }),
          slope: fc.integer({ min: -25, max: 25 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          shapes: fc.array(
            fc.record({
              x: fc.integer({ min: 12, max: W - 36 }),
              y: fc.integer({ min: 12, max: H - 36 }),
              w: fc.integer({ min: 10, max: 24 }),
              h: fc.integer({ min: 10, max: 24 }),
              r: fc.integer({ min: 0, max: 150 }),
              g: fc.integer({ min: 0, max: 150 }),
              b: fc.integer({ min: 0, max: 150 }),
            }),
            { minLength: 1, maxLength: 4 },
          ),
        }),
        ({ kind, base, slope, seed, shapes }) => {
          const data = new Uint8Array(W * H * 4);
          let s = seed;
          const rand = () => {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            return s / 0x7fffffff;
          };
          const inShape = new Uint8Array(W * H);
          for (let y = 0; y < H; y++) {
            for (let x = 0; x < W; x++) {
              const i = y * W + x;
              const shift = kind === 'gradient' ? (slope * x) / W : kind === 'noisy' ? (rand() - 0.5) * 6 : 0;
              const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
              data[i * 4] = clamp(base.r + shift);
              data[i * 4 + 1] = clamp(base.g + shift);
              data[i * 4 + 2] = clamp(base.b + shift);
              data[i * 4 + 3] = 255;
              for (const sh of shapes) {
                if (x >= sh.x && x < sh.x + sh.w && y >= sh.y && y < sh.y + sh.h) {
                  data[i * 4] = sh.r;
                  data[i * 4 + 1] = sh.g;
                  data[i * 4 + 2] = sh.b;
                  inShape[i] = 1;
                }
              }
            }
          }
          const { cutout, analysis } = analyzeArt({ width: W, height: H, data });
          assert.equal(analysis.background.decision, 'removed');
          for (let y = 0; y < H; y++) {
            for (let x = 0; x < W; x++) {
              const i = y * W + x;
              // away from the shapes' edges: background gone, shapes whole
              let nearEdge = false;
              for (let dy = -2; dy <= 2 && !nearEdge; dy++)
                for (let dx = -2; dx <= 2; dx++) {
                  const xx = Math.min(W - 1, Math.max(0, x + dx));
                  const yy = Math.min(H - 1, Math.max(0, y + dy));
                  if (inShape[yy * W + xx] !== inShape[i]) nearEdge = true;
                }
              if (nearEdge) continue;
              assert.equal(cutout.data[i * 4 + 3], inShape[i] ? 255 : 0, `pixel ${x},${y} (${kind})`);
            }
          }
        },
      ),
      { numRuns: 40, seed: 12 },
    );
  });
});

describe('art analysis: no art', () => {
  const solid = (color: string, width = 64, height = 48) =>
    sharp({ create: { width, height, channels: 3, background: color } })
      .png()
      .toBuffer();

  test('a blank white image and a single-colour image fail with E_NO_ART in every variation', async () => {
    for (const color of ['#ffffff', '#c01020']) {
      const r = await processLogo(await solid(color), {
        variations: ['transparent', 'vector', 'separations'],
      });
      assert.equal(r.outputs.length, 0, `${color}: nothing written`);
      assert.deepEqual(
        r.failures.map((f) => f.code),
        ['E_NO_ART', 'E_NO_ART', 'E_NO_ART'],
      );
      assert.match(r.failures[0].message, /all background/);
    }
  });

  test('--background keep uses an all-background image as it is (a documented result)', async () => {
    const r = await processLogo(await solid('#c01020'), {
      variations: ['transparent'],
      options: { transparent: { background: 'keep' } },
    });
    assert.deepEqual(r.failures, []);
    const img = await rgba(r.outputs[0].data);
    assert.deepEqual([img.width, img.height, img.data[3]], [64, 48, 255]);
  });

  test('the CLI exits 2 with the code, writes no file, and prints warnings with codes on stderr', async () => {
    await withTempDir(async (dir) => {
      const blank = join(dir, 'blank.png');
      await sharp(await solid('#ffffff')).toFile(blank);
      const bad = cli(['process', blank, '-o', join(dir, 'out'), '--variations', 'vector', '--no-cache']);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stdout + bad.stderr, /E_NO_ART/);
      const box = cli([
        'process',
        join(DIR, 'box-opel.png'),
        '-o',
        join(dir, 'out'),
        '--variations',
        'transparent',
        '--no-cache',
      ]);
      assert.equal(box.code, 0, box.stderr);
      assert.match(box.stderr, /warning: .*box-opel\.png: \[W_BACKGROUND_UNCERTAIN\] Kept #d62828/);
      assert.match(box.stdout, /kept the box \(#d62828\) as art/);
      const manifest = JSON.parse(readFileSync(join(dir, 'out', 'box-opel', 'manifest.json'), 'utf8'));
      assert.equal(manifest.analysis.background.boxKept, true);
      assert.equal(manifest.warnings[0].code, 'W_BACKGROUND_UNCERTAIN');
    });
  });
});

describe('the background decision from the CLI flags and logomill.config.json', () => {
  test('--background applies to every variation, also when transparent is not chosen; the config file sets a default', async () => {
    await withTempDir(async (dir) => {
      const navy = join(DIR, 'navy-github.png');
      const flag = cli([
        'process',
        navy,
        '-o',
        join(dir, 'a'),
        '--variations',
        'vector-color',
        '--background',
        'keep',
        '--json',
        '--no-cache',
      ]);
      assert.equal(flag.code, 0, flag.stderr);
      assert.equal(JSON.parse(flag.stdout).results[0].analysis.background.decision, 'kept');
      const config = join(dir, 'logomill.config.json');
      writeFileSync(config, JSON.stringify({ options: { transparent: { background: 'keep' } } }));
      const file = cli(
        ['process', navy, '-o', join(dir, 'b'), '--variations', 'vector', '--json', '--no-cache'],
        {
          LOGOMILL_CONFIG: config,
        },
      );
      assert.equal(file.code, 0, file.stderr);
      assert.equal(JSON.parse(file.stdout).results[0].analysis.background.decision, 'kept');
      // a flag wins over the file
      const both = cli(
        [
          'process',
          navy,
          '-o',
          join(dir, 'c'),
          '--variations',
          'vector',
          '--background',
          'auto',
          '--json',
          '--no-cache',
        ],
        { LOGOMILL_CONFIG: config },
      );
      assert.equal(JSON.parse(both.stdout).results[0].analysis.background.decision, 'removed');
    });
  });
});

describe('separations read the analysis', () => {
  test('a white logo on navy prints white ink on a dark preview, with a warning, not 0 films', async () => {
    const r = await processLogo(readFileSync(join(DIR, 'navy-github.png')), {
      variations: ['separations'],
      options: { separations: { printWidth: 3, artboard: '5x5', dpi: 150 } },
    });
    assert.deepEqual(r.failures, []);
    const films = r.outputs.filter((o) => o.name.startsWith('film-') && o.name.endsWith('.png'));
    assert.equal(films.length, 1);
    assert.ok(r.warnings.some((w) => w.code === 'W_NO_INK_ON_SUBSTRATE' && w.variation === 'separations'));
    const json = JSON.parse(file(r as LogoResult, 'separations', 'separations.json').toString());
    assert.equal(json.garment, '#222222');
  });

  test('white art on a white garment: E_NOTHING_TO_PRINT with the hint', async () => {
    const r = await processLogo(readFileSync(join(DIR, 'navy-github.png')), {
      variations: ['separations'],
      options: { separations: { printWidth: 3, artboard: '5x5', dpi: 150, garment: '#ffffff' } },
    });
    assert.equal(r.failures[0]?.code, 'E_NOTHING_TO_PRINT');
    assert.match(r.failures[0].message, /--garment/);
  });

  test('paper and counters of a JPEG are not inks', async () => {
    const r = await processLogo(readFileSync(join(DIR, 'offwhite-hbo.jpg')), {
      variations: ['separations'],
      options: { separations: { printWidth: 3, artboard: '5x5', dpi: 150 } },
    });
    const json = JSON.parse(file(r, 'separations', 'separations.json').toString());
    assert.equal(json.mode, 'spot');
    assert.equal(json.inks.length, 1, JSON.stringify(json.inks));
  });
});

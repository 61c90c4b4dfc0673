/**
 * End-to-end checks of every variation on the bundled example logos: each
 * output is decoded again and its pixels are measured against what the
 * variation promises (exact colours, alpha carried over, art inside safe
 * areas and circles, physical sizes of PDF and TIFF, favicon package layout…).
 * Every job runs once, in a `before` hook, and the tests only read its results.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { deltaE76, rgbToLab } from '../src/color/color.js';
import presetsJson from '../src/data/social-presets.json' with { type: 'json' };
import { type LogoResult, processLogo, type WrittenOutput } from '../src/index.js';
import { readIco } from '../src/io/ico.js';
import type { RgbaImage } from '../src/io/image.js';
import { deltaE, example, pixel, rgba, run, svgFills, withTempDir } from './helpers.js';

type Rgb = [number, number, number];
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Preset {
  id: string;
  width: number;
  height: number;
  safe?: Rect;
  circle?: boolean;
}

const PRESETS: Preset[] = presetsJson.presets;

const HARBOR_SUN: Rgb = [0xf4, 0xa2, 0x61];
const HARBOR_DARK: Rgb = [0x26, 0x46, 0x53];
const WHITE: Rgb = [255, 255, 255];

// ---------------------------------------------------------------- helpers

function hex(c: Rgb): string {
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function parseHex(h: string): Rgb {
  const n = Number.parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function out(result: LogoResult, variation: string, name: string): WrittenOutput {
  const o = result.outputs.find((x) => x.variation === variation && x.name === name);
  assert.ok(
    o,
    `no ${variation}/${name}; got ${result.outputs.map((x) => `${x.variation}/${x.name}`).join(', ')}; failures: ${JSON.stringify(result.failures)}`,
  );
  return o;
}

/** sharp's metadata().format for each raster output format. */
const SHARP_FORMAT: Record<string, string> = {
  png: 'png',
  jpeg: 'jpeg',
  webp: 'webp',
  avif: 'heif',
  tiff: 'tiff',
};

/** Decodes an image output, checking that its container format and size match the record. */
async function decoded(o: WrittenOutput): Promise<RgbaImage> {
  const meta = await sharp(o.data).metadata();
  const expected = SHARP_FORMAT[o.format];
  assert.ok(expected, `${o.name}: ${o.format} is not a sharp-decodable format`);
  assert.equal(meta.format, expected, `${o.name}: container format`);
  if (o.format === 'avif') assert.equal(meta.compression, 'av1', `${o.name}: AVIF must be AV1-coded HEIF`);
  assert.equal(meta.width, o.width, `${o.name}: decoded width vs record`);
  assert.equal(meta.height, o.height, `${o.name}: decoded height vs record`);
  const img = await rgba(o.data);
  assert.equal(img.width, o.width);
  assert.equal(img.height, o.height);
  return img;
}

/** Checks the record's own bookkeeping: byte count and hash of the data it carries. */
function checkRecord(o: WrittenOutput): void {
  assert.equal(o.bytes, o.data.length, `${o.name}: bytes`);
  assert.equal(o.sha256, createHash('sha256').update(o.data).digest('hex'), `${o.name}: sha256`);
}

function alphaOf(img: RgbaImage): Uint8Array {
  const a = new Uint8Array(img.width * img.height);
  for (let i = 0; i < a.length; i++) a[i] = img.data[i * 4 + 3];
  return a;
}

/** Index of the first differing alpha value, or -1. */
function firstAlphaDiff(a: RgbaImage, b: RgbaImage): number {
  const x = alphaOf(a);
  const y = alphaOf(b);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function countAlpha(img: RgbaImage, pred: (a: number) => boolean): number {
  let n = 0;
  for (let i = 3; i < img.data.length; i += 4) if (pred(img.data[i])) n++;
  return n;
}

/** Bounds of pixels for which `pred(i)` holds (i = pixel index); null when none. */
function boundsWhere(img: RgbaImage, pred: (i: number) => boolean): Rect | null {
  let minX = img.width;
  let minY = img.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!pred(y * img.width + x)) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Per-pixel "is art": ΔE76 of the pixel's RGB from `bg` above `threshold` (cached per colour). */
function artMask(img: RgbaImage, bg: Rgb, threshold = 10): Uint8Array {
  const cache = new Map<number, boolean>();
  const bgLab = rgbToLab(bg[0], bg[1], bg[2]);
  const mask = new Uint8Array(img.width * img.height);
  for (let i = 0; i < mask.length; i++) {
    const r = img.data[i * 4];
    const g = img.data[i * 4 + 1];
    const b = img.data[i * 4 + 2];
    const key = (r << 16) | (g << 8) | b;
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = deltaE76(rgbToLab(r, g, b), bgLab) > threshold;
      cache.set(key, hit);
    }
    mask[i] = hit ? 1 : 0;
  }
  return mask;
}

function rgbAt(img: RgbaImage, x: number, y: number): Rgb {
  const p = pixel(img, x, y);
  return [p[0], p[1], p[2]];
}

function corners(img: RgbaImage): [number, number][] {
  return [...topCorners(img), [0, img.height - 1], [img.width - 1, img.height - 1]];
}

/** Harbor's and acme's art reaches their bottom corners (the waves' flat base, the banner), not the top ones. */
function topCorners(img: RgbaImage): [number, number][] {
  return [
    [0, 0],
    [img.width - 1, 0],
  ];
}

function assertOpaque(img: RgbaImage, name: string): void {
  const seeThrough = countAlpha(img, (a) => a !== 255);
  assert.equal(seeThrough, 0, `${name}: ${seeThrough} pixels are not fully opaque`);
}

/** Largest distance from (cx, cy) of the centre of any pixel in `mask`. */
function maxRadius(img: RgbaImage, mask: Uint8Array, cx: number, cy: number): number {
  let max = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!mask[y * img.width + x]) continue;
      max = Math.max(max, Math.hypot(x + 0.5 - cx, y + 0.5 - cy));
    }
  }
  return max;
}

/** CIE L* of a colour. */
function lightness(c: Rgb): number {
  return rgbToLab(c[0], c[1], c[2]).L;
}

// ---------------------------------------------------------------- jobs

const ALL = [
  'transparent',
  'black',
  'white',
  'grayscale',
  'recolor',
  'raster',
  'favicon',
  'email-header',
  'social',
] as const;

const HARBOR_OPTIONS = {
  variations: [...ALL],
  options: {
    recolor: { color: '#c00000' },
    raster: { sizes: [64, 256], formats: ['png', 'jpeg', 'webp', 'avif', 'tiff', 'pdf'] },
    favicon: { name: 'Harbor Co', shortName: 'Harbor' },
  },
};

let harbor: LogoResult;
let harborInput: RgbaImage;
/** Where the art starts in the harbor input (left/top of pixels that are not white). */
let harborOffset: { x: number; y: number };

before(async () => {
  harbor = await processLogo(example('harbor-on-white.png'), HARBOR_OPTIONS);
  harborInput = await rgba(await readFile(example('harbor-on-white.png')));
  const ink = artMask(harborInput, WHITE);
  const b = boundsWhere(harborInput, (i) => ink[i] === 1);
  assert.ok(b);
  harborOffset = { x: b.x, y: b.y };
});

describe('every output record', () => {
  test('harbor: nothing failed, bytes and sha256 describe the data, every raster output decodes', async () => {
    assert.deepEqual(harbor.failures, []);
    assert.deepEqual(harbor.background, { color: '#ffffff', removed: true });
    for (const o of harbor.outputs) {
      checkRecord(o);
      if (o.format in SHARP_FORMAT) await decoded(o);
    }
    // each variation contributed something
    for (const v of ALL)
      assert.ok(
        harbor.outputs.some((o) => o.variation === v),
        `${v} made no output`,
      );
  });
});

// ---------------------------------------------------------------- transparent

describe('transparent', () => {
  let trimmed: RgbaImage;
  let untrimmed: WrittenOutput;
  let untrimmedImg: RgbaImage;
  let padded: WrittenOutput;
  let paddedImg: RgbaImage;

  before(async () => {
    trimmed = await decoded(out(harbor, 'transparent', 'transparent.png'));
    const noTrim = await processLogo(example('harbor-on-white.png'), {
      variations: ['transparent', 'black'],
      options: { transparent: { trim: false } },
    });
    untrimmed = out(noTrim, 'transparent', 'transparent.png');
    untrimmedImg = await decoded(untrimmed);
    const pad = await processLogo(example('harbor-on-white.png'), {
      variations: ['transparent', 'grayscale'],
      options: { transparent: { padding: 10 } },
    });
    padded = out(pad, 'transparent', 'transparent.png');
    paddedImg = await decoded(padded);
    // padding and trim govern the one-colour versions too: they must line up with transparent.png
    const g = await decoded(out(pad, 'grayscale', 'grayscale.png'));
    assert.equal(firstAlphaDiff(g, paddedImg), -1, 'padded grayscale alpha differs from padded transparent');
    const k = await decoded(out(noTrim, 'black', 'black.png'));
    assert.equal(k.width, untrimmedImg.width);
    assert.equal(k.height, untrimmedImg.height);
  });

  test('harbor: the empty top corners are fully transparent, the wave-filled bottom ones opaque', () => {
    for (const [x, y] of topCorners(trimmed)) assert.equal(pixel(trimmed, x, y)[3], 0, `corner ${x},${y}`);
    // the waves end in a square-cornered flat base (harbor.svg: V240 H60 Z), so after trimming
    // the bottom corners are solid #264653
    for (const [x, y] of [
      [0, trimmed.height - 1],
      [trimmed.width - 1, trimmed.height - 1],
    ]) {
      const p = pixel(trimmed, x, y);
      assert.equal(p[3], 255, `corner ${x},${y}`);
      assert.ok(
        deltaE([p[0], p[1], p[2]], HARBOR_DARK) < 3,
        `corner ${x},${y} is ${hex([p[0], p[1], p[2]])}`,
      );
    }
  });

  test('harbor: the middle of the orange sun is opaque and keeps its colour (ΔE < 3)', () => {
    // harbor.svg: circle cx=300 cy=110 r=60 in a 450×300 viewBox, rendered at 900×600 (×2)
    const inX = 600;
    const inY = 220;
    assert.ok(deltaE(rgbAt(harborInput, inX, inY), HARBOR_SUN) < 3, 'fixture: input sun colour');
    const x = inX - harborOffset.x;
    const y = inY - harborOffset.y;
    for (let dy = -5; dy <= 5; dy++) {
      for (let dx = -5; dx <= 5; dx++) {
        const p = pixel(trimmed, x + dx, y + dy);
        assert.equal(p[3], 255, `sun pixel ${x + dx},${y + dy} alpha`);
        const d = deltaE([p[0], p[1], p[2]], HARBOR_SUN);
        assert.ok(d < 3, `sun pixel ${x + dx},${y + dy} is ${hex([p[0], p[1], p[2]])}, ΔE ${d.toFixed(2)}`);
      }
    }
  });

  test('harbor: trimmed (every outer row and column holds art) and smaller than the input', () => {
    const b = boundsWhere(trimmed, (i) => trimmed.data[i * 4 + 3] > 0);
    assert.deepEqual(b, { x: 0, y: 0, width: trimmed.width, height: trimmed.height });
    assert.ok(trimmed.width < harborInput.width && trimmed.height < harborInput.height);
    // and the offset is where the art starts in the input
    assert.ok(harborOffset.x > 0 && harborOffset.y > 0);
  });

  test('harbor: trim false keeps the input size and the same pixels at the trim offset', () => {
    assert.equal(untrimmed.width, harborInput.width);
    assert.equal(untrimmed.height, harborInput.height);
    for (const [x, y] of corners(untrimmedImg)) assert.equal(pixel(untrimmedImg, x, y)[3], 0);
    for (let y = 0; y < trimmed.height; y++) {
      for (let x = 0; x < trimmed.width; x++) {
        const a = pixel(trimmed, x, y);
        const b = pixel(untrimmedImg, x + harborOffset.x, y + harborOffset.y);
        if (a.join() !== b.join()) assert.fail(`pixel ${x},${y}: trimmed ${a} vs untrimmed ${b}`);
      }
    }
    // nothing visible outside the trimmed rectangle
    const visible = countAlpha(untrimmedImg, (a) => a > 0);
    assert.equal(
      visible,
      countAlpha(trimmed, (a) => a > 0),
    );
  });

  test('harbor: padding 10 adds 20 px each way, a transparent 10 px frame, the art unchanged inside', () => {
    assert.equal(padded.width, trimmed.width + 20);
    assert.equal(padded.height, trimmed.height + 20);
    for (let y = 0; y < paddedImg.height; y++) {
      for (let x = 0; x < paddedImg.width; x++) {
        const p = pixel(paddedImg, x, y);
        const inside = x >= 10 && y >= 10 && x < paddedImg.width - 10 && y < paddedImg.height - 10;
        if (!inside) {
          if (p[3] !== 0) assert.fail(`frame pixel ${x},${y} has alpha ${p[3]}`);
        } else if (p.join() !== pixel(trimmed, x - 10, y - 10).join()) {
          assert.fail(`inner pixel ${x},${y} differs from the unpadded output`);
        }
      }
    }
  });

  test('acme (already transparent): alpha and opaque colours kept exactly inside the trimmed area', async () => {
    const acme = await processLogo(example('acme-badge-transparent.png'), { variations: ['transparent'] });
    assert.deepEqual(acme.background, { color: null, removed: false });
    const outImg = await decoded(out(acme, 'transparent', 'transparent.png'));
    const input = await rgba(await readFile(example('acme-badge-transparent.png')));
    const b = boundsWhere(input, (i) => input.data[i * 4 + 3] > 0);
    assert.ok(b);
    assert.ok(b.width < input.width, 'fixture: the badge does not fill its canvas');
    assert.equal(outImg.width, b.width);
    assert.equal(outImg.height, b.height);
    for (let y = 0; y < b.height; y++) {
      for (let x = 0; x < b.width; x++) {
        const o = pixel(outImg, x, y);
        const i = pixel(input, x + b.x, y + b.y);
        if (o[3] !== i[3]) assert.fail(`alpha at ${x},${y}: ${o[3]} vs input ${i[3]}`);
        if (i[3] === 255 && o.join() !== i.join()) assert.fail(`colour at ${x},${y}: ${o} vs input ${i}`);
      }
    }
  });
});

// ---------------------------------------------------------------- one-colour versions

describe('black, white, recolor', () => {
  let leaf: LogoResult;
  let lineart: LogoResult;

  before(async () => {
    leaf = await processLogo(example('leaf-mark.png'), {
      variations: ['transparent', 'black', 'white', 'recolor', 'grayscale'],
      options: { recolor: { color: '#c00000' } },
    });
    lineart = await processLogo(example('lineart-on-cream.png'), {
      variations: ['transparent', 'black', 'white', 'recolor'],
      // three knockouts in one job: the alpha channels are comparable whatever the ink colour;
      // holes none keeps the cream inside the circles (auto clears those counters)
      options: {
        transparent: { holes: 'none' },
        black: { knockout: 'white' },
        white: { knockout: 'none' },
        recolor: { color: '#000000', knockout: 'background' },
      },
    });
  });

  for (const [variation, name, color] of [
    ['black', 'black.png', '#000000'],
    ['white', 'white.png', '#ffffff'],
    ['recolor', 'recolor.png', '#c00000'],
  ] as const) {
    test(`${variation}: every visible pixel is exactly ${color} (harbor and leaf)`, async () => {
      const want = parseHex(color);
      for (const result of [harbor, leaf]) {
        const img = await decoded(out(result, variation, name));
        let visible = 0;
        for (let i = 0; i < img.width * img.height; i++) {
          if (img.data[i * 4 + 3] === 0) continue;
          visible++;
          const got: Rgb = [img.data[i * 4], img.data[i * 4 + 1], img.data[i * 4 + 2]];
          if (got.join() !== want.join()) assert.fail(`pixel ${i} is ${hex(got)}, expected ${color}`);
        }
        assert.ok(visible > 1000, `${variation}: only ${visible} visible pixels`);
      }
    });

    test(`${variation}: alpha equals transparent.png's exactly on the single-colour leaf`, async () => {
      const img = await decoded(out(leaf, variation, name));
      const t = await decoded(out(leaf, 'transparent', 'transparent.png'));
      assert.equal(img.width, t.width);
      assert.equal(img.height, t.height);
      assert.equal(firstAlphaDiff(img, t), -1);
    });
  }

  test('lineart: knockout none fills strictly more than knockout white and background; none = silhouette', async () => {
    assert.equal(lineart.background?.color, '#f4efe1');
    const t = await decoded(out(lineart, 'transparent', 'transparent.png'));
    const white = await decoded(out(lineart, 'black', 'black.png')); // knockout white
    const none = await decoded(out(lineart, 'white', 'white.png')); // knockout none
    const bg = await decoded(out(lineart, 'recolor', 'recolor.png')); // knockout background (cream)
    const opaque = (img: RgbaImage) => countAlpha(img, (a) => a === 255);
    // holes none keeps the cream inside the circles: transparent.png still shows it, so a filled
    // silhouette is much larger than the ink alone
    assert.ok(opaque(none) > opaque(white), `none ${opaque(none)} vs white ${opaque(white)}`);
    assert.ok(opaque(none) > opaque(bg), `none ${opaque(none)} vs background ${opaque(bg)}`);
    assert.ok(
      opaque(none) > 2 * opaque(bg),
      'the enclosed cream areas should dominate the filled silhouette',
    );
    assert.equal(firstAlphaDiff(none, t), -1, 'knockout none keeps transparent.png alpha');
  });
});

// ---------------------------------------------------------------- grayscale

describe('grayscale', () => {
  let gray: RgbaImage;
  let trans: RgbaImage;
  before(async () => {
    gray = await decoded(out(harbor, 'grayscale', 'grayscale.png'));
    trans = await decoded(out(harbor, 'transparent', 'transparent.png'));
  });

  test('r = g = b everywhere and alpha equals transparent.png', () => {
    for (let i = 0; i < gray.width * gray.height; i++) {
      const [r, g, b] = [gray.data[i * 4], gray.data[i * 4 + 1], gray.data[i * 4 + 2]];
      if (r !== g || g !== b) assert.fail(`pixel ${i} is not grey: ${r},${g},${b}`);
    }
    assert.equal(firstAlphaDiff(gray, trans), -1);
  });

  test('luminance is kept: each of the four colours keeps its L*, darker inputs give darker greys', () => {
    // points inside each flat colour of harbor.svg, in SVG units (the PNG is rendered ×2)
    const samples: { name: string; svg: [number, number]; color: Rgb }[] = [
      { name: 'sun', svg: [300, 110], color: HARBOR_SUN },
      { name: 'bottom wave', svg: [110, 250], color: HARBOR_DARK },
      { name: 'top wave', svg: [110, 200], color: [0x2a, 0x9d, 0x8f] },
      { name: 'hull', svg: [200, 195], color: [0xe7, 0x6f, 0x51] },
    ];
    const greys = samples.map(({ name, svg, color }) => {
      const [ix, iy] = [svg[0] * 2, svg[1] * 2];
      assert.ok(deltaE(rgbAt(harborInput, ix, iy), color) < 3, `fixture: input ${name} colour`);
      const x = ix - harborOffset.x;
      const y = iy - harborOffset.y;
      assert.ok(deltaE(rgbAt(trans, x, y), color) < 3, `fixture: transparent.png ${name} colour`);
      const g = pixel(gray, x, y)[0];
      // same relative luminance ⇒ same L*; a gamma-space or equal-weight mix misses by several units
      const dL = lightness([g, g, g]) - lightness(color);
      assert.ok(Math.abs(dL) < 1, `${name} ${hex(color)} → grey ${g}, ΔL* ${dL.toFixed(2)}`);
      return { name, g, L: lightness(color) };
    });
    const byInput = [...greys].sort((a, b) => a.L - b.L).map((s) => s.name);
    const byGrey = [...greys].sort((a, b) => a.g - b.g).map((s) => s.name);
    assert.deepEqual(byGrey, byInput);
    assert.equal(byGrey[0], 'bottom wave', '#264653 is the darkest');
    assert.equal(byGrey[3], 'sun', '#f4a261 is the lightest');
  });
});

// ---------------------------------------------------------------- raster

describe('raster', () => {
  const EXT = ['png', 'jpg', 'webp', 'avif', 'tif', 'pdf'];

  test('all six formats at the original size and at 64 and 256, nothing else', () => {
    const names = harbor.outputs
      .filter((o) => o.variation === 'raster')
      .map((o) => o.name)
      .sort();
    const want = ['logo', 'logo-64', 'logo-256'].flatMap((b) => EXT.map((e) => `${b}.${e}`)).sort();
    assert.deepEqual(names, want);
  });

  test('every raster image re-decodes at its recorded size and format; original size = transparent.png', async () => {
    const t = out(harbor, 'transparent', 'transparent.png');
    for (const o of harbor.outputs.filter((x) => x.variation === 'raster' && x.format !== 'pdf')) {
      await decoded(o);
      if (o.name.startsWith('logo.')) {
        assert.equal(o.width, t.width, o.name);
        assert.equal(o.height, t.height, o.name);
      }
    }
    // the lossless PNG is the transparent cutout itself
    assert.deepEqual((await rgba(out(harbor, 'raster', 'logo.png').data)).data, (await rgba(t.data)).data);
  });

  test('extra sizes: longest side is the size, aspect ratio kept', () => {
    const base = out(harbor, 'raster', 'logo.png');
    for (const size of [64, 256]) {
      for (const e of EXT) {
        const o = out(harbor, 'raster', `logo-${size}.${e}`);
        assert.equal(Math.max(o.width!, o.height!), size, o.name);
        const ratio = base.width! / base.height!;
        assert.ok(Math.abs(o.width! / o.height! - ratio) < 0.05, `${o.name} ratio ${o.width}x${o.height}`);
      }
    }
  });

  test('JPEG has no alpha and its empty corners are the background (white for harbor)', async () => {
    for (const name of ['logo.jpg', 'logo-256.jpg']) {
      const o = out(harbor, 'raster', name);
      const meta = await sharp(o.data).metadata();
      assert.equal(meta.hasAlpha, false, name);
      assert.equal(meta.channels, 3, name);
      const img = await rgba(o.data);
      for (const [x, y] of topCorners(img)) {
        const c = rgbAt(img, x, y);
        assert.ok(deltaE(c, WHITE) < 2, `${name} corner ${x},${y} is ${hex(c)}`);
      }
    }
  });

  test('WebP is lossless for flat art (same pixels back) and lossy for gradients; effort small is smaller', async () => {
    const webp = out(harbor, 'raster', 'logo.webp');
    const png = out(harbor, 'raster', 'logo.png');
    // flat art: lossless — every visible pixel comes back exactly (hidden colours may be dropped)
    const [wp, pp] = [(await rgba(webp.data)).data, (await rgba(png.data)).data];
    let changed = 0;
    for (let i = 0; i < pp.length; i += 4)
      if (pp[i + 3] > 0 && pp.subarray(i, i + 4).some((v, k) => v !== wp[i + k])) changed++;
    assert.equal(changed, 0, 'flat art: lossless');
    // a gradient is not flat art: lossy, so the pixels come back close but not equal
    const w = 256;
    const grad = Buffer.alloc(w * w * 3);
    for (let i = 0; i < w * w; i++) grad.fill((i % w) ^ (i >> 9), i * 3, i * 3 + 3);
    const gradPng = await sharp(grad, { raw: { width: w, height: w, channels: 3 } })
      .png()
      .toBuffer();
    const g = await processLogo(gradPng, {
      variations: ['raster'],
      options: { raster: { formats: ['webp'], source: 'original' } },
    });
    const back = await rgba(out(g, 'raster', 'logo.webp').data);
    const orig = await rgba(gradPng);
    let diff = 0;
    for (let i = 0; i < back.data.length; i++) diff += Math.abs(back.data[i] - orig.data[i]);
    assert.ok(diff > 0, 'lossy');
    assert.ok(diff / back.data.length < 3, `mean error ${diff / back.data.length}`);
    // effort small: mozjpeg and a harder WebP search make smaller files
    const small = await processLogo(await readFile(example('harbor-on-white.png')), {
      variations: ['raster'],
      options: { raster: { formats: ['jpeg', 'webp'], effort: 'small' } },
    });
    for (const name of ['logo.jpg', 'logo.webp']) {
      const a = out(small, 'raster', name).data.length;
      const b = out(harbor, 'raster', name).data.length;
      assert.ok(a < b, `${name}: small ${a} B, fast ${b} B`);
    }
  });

  test('TIFF says 300 dpi', async () => {
    for (const name of ['logo.tif', 'logo-64.tif']) {
      const meta = await sharp(out(harbor, 'raster', name).data).metadata();
      assert.equal(meta.density, 300, name);
    }
  });

  test('PDF: page size = pixels × 72 / 300, renders back at 300 dpi to the same picture', async () => {
    await withTempDir(async (dir) => {
      for (const base of ['logo', 'logo-256', 'logo-64']) {
        const pdf = out(harbor, 'raster', `${base}.pdf`);
        const png = out(harbor, 'raster', `${base}.png`);
        assert.equal(pdf.data.subarray(0, 5).toString('latin1'), '%PDF-');
        const file = join(dir, `${base}.pdf`);
        await writeFile(file, pdf.data);
        const { stdout } = await run('pdfinfo', [file]);
        const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout);
        assert.ok(m, `pdfinfo: ${stdout}`);
        assert.match(stdout, /Pages:\s+1\n/);
        assert.ok(Math.abs(Number(m[1]) - (png.width! * 72) / 300) < 0.1, `${base} width ${m[1]} pt`);
        assert.ok(Math.abs(Number(m[2]) - (png.height! * 72) / 300) < 0.1, `${base} height ${m[2]} pt`);

        const prefix = join(dir, `${base}-render`);
        await run('pdftoppm', ['-r', '300', '-png', '-singlefile', file, prefix]);
        const rendered = await rgba(await readFile(`${prefix}.png`));
        assert.ok(Math.abs(rendered.width - png.width!) <= 1, `${base} rendered width ${rendered.width}`);
        assert.ok(Math.abs(rendered.height - png.height!) <= 1, `${base} rendered height ${rendered.height}`);
        const flat = await rgba(await sharp(png.data).flatten({ background: '#ffffff' }).png().toBuffer());
        // poppler may land one row or column off (page size is rounded to 1/1000 pt): compare at the PNG's size
        const back = await rgba(
          await sharp(`${prefix}.png`).resize(flat.width, flat.height, { fit: 'fill' }).png().toBuffer(),
        );
        let sum = 0;
        for (let i = 0; i < flat.width * flat.height; i++) {
          for (let c = 0; c < 3; c++) sum += Math.abs(flat.data[i * 4 + c] - back.data[i * 4 + c]);
        }
        const mean = sum / (flat.width * flat.height * 3);
        // measured: 0.8 at full size, 1.4 at 256, 4.9 at 64 (resampling); a mirrored picture gives ≈ 43,
        // a black backdrop ≈ 120
        assert.ok(
          mean < (base === 'logo' ? 2 : 8),
          `${base}: mean abs difference ${mean.toFixed(2)} between the PDF render and the PNG`,
        );
      }
    });
  });

  test('a logo that came in transparent gets a white, not black, JPEG background', async () => {
    const acme = await processLogo(example('acme-badge-transparent.png'), {
      variations: ['raster'],
      options: { raster: { formats: ['jpeg'] } },
    });
    assert.deepEqual(
      acme.outputs.map((o) => o.name),
      ['logo.jpg'],
    );
    const img = await decoded(acme.outputs[0]);
    for (const [x, y] of topCorners(img)) {
      const c = rgbAt(img, x, y);
      assert.ok(deltaE(c, WHITE) < 2, `corner ${x},${y} is ${hex(c)}`);
    }
  });
});

// ---------------------------------------------------------------- favicon

describe('favicon', () => {
  test('favicon.ico holds exactly 16, 32 and 48 px PNG entries', async () => {
    const ico = out(harbor, 'favicon', 'favicon.ico');
    assert.equal(ico.format, 'ico');
    const entries = readIco(ico.data);
    assert.deepEqual(
      entries.map((e) => [e.width, e.height]),
      [
        [16, 16],
        [32, 32],
        [48, 48],
      ],
    );
    for (const e of entries) {
      assert.equal(e.bitCount, 32);
      assert.deepEqual([...e.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const meta = await sharp(e.data).metadata();
      assert.equal(meta.format, 'png');
      assert.equal(meta.width, e.width);
      assert.equal(meta.height, e.height);
      const img = await rgba(e.data);
      assert.ok(countAlpha(img, (a) => a > 0) > 0, `${e.width} px entry is empty`);
    }
  });

  test('favicon-96x96.png and apple-touch-icon.png (180, opaque)', async () => {
    const f96 = await decoded(out(harbor, 'favicon', 'favicon-96x96.png'));
    assert.equal(f96.width, 96);
    assert.equal(f96.height, 96);
    const apple = await decoded(out(harbor, 'favicon', 'apple-touch-icon.png'));
    assert.equal(apple.width, 180);
    assert.equal(apple.height, 180);
    assertOpaque(apple, 'apple-touch-icon.png');
  });

  for (const size of [192, 512]) {
    test(`web-app-manifest-${size}x${size}.png is opaque with the art inside the central 80 % circle`, async () => {
      const img = await decoded(out(harbor, 'favicon', `web-app-manifest-${size}x${size}.png`));
      assert.equal(img.width, size);
      assert.equal(img.height, size);
      assertOpaque(img, `${size}`);
      const bg = rgbAt(img, 0, 0);
      assert.deepEqual(bg, WHITE, 'auto background of a logo on white');
      const mask = artMask(img, bg);
      const b = boundsWhere(img, (i) => mask[i] === 1);
      assert.ok(b, 'no art');
      const r = maxRadius(img, mask, size / 2, size / 2);
      // pixel centres, half a pixel of slack for the resampling
      assert.ok(
        r <= 0.4 * size + 0.5,
        `art reaches ${r.toFixed(2)} px from the centre (limit ${0.4 * size})`,
      );
      // and the art is not shrunk far below the circle
      assert.ok(r >= 0.4 * size - 3, `art only reaches ${r.toFixed(2)} px from the centre`);
    });
  }

  test('site.webmanifest: two maskable icons, the given names, the background colour', () => {
    const m = JSON.parse(out(harbor, 'favicon', 'site.webmanifest').data.toString('utf8'));
    assert.equal(m.name, 'Harbor Co');
    assert.equal(m.short_name, 'Harbor');
    assert.equal(m.icons.length, 2);
    for (const [i, s] of [192, 512].entries()) {
      assert.equal(m.icons[i].purpose, 'maskable');
      assert.equal(m.icons[i].sizes, `${s}x${s}`);
      assert.equal(m.icons[i].type, 'image/png');
      // the icon it names is one of the files written
      out(harbor, 'favicon', m.icons[i].src.replace(/^\//, ''));
    }
    assert.equal(m.background_color, '#ffffff');
  });

  test('favicon.svg: the full-colour trace centred on a square, sized by its container', async () => {
    const svg = out(harbor, 'favicon', 'favicon.svg').data.toString('utf8');
    const vb = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
    assert.ok(vb, svg.slice(0, 200));
    assert.equal(vb[1], vb[2], 'square');
    assert.doesNotMatch(svg.slice(0, svg.indexOf('>')), / width=/, 'no fixed size');
    const r = new Resvg(svg, { fitTo: { mode: 'width', value: 128 } }).render();
    const img: RgbaImage = { width: r.width, height: r.height, data: new Uint8Array(r.pixels) };
    assert.equal(img.height, 128);
    const b = boundsWhere(img, (i) => img.data[i * 4 + 3] > 128);
    assert.ok(b, 'no art');
    // wider than tall: touches left and right, centred vertically
    assert.ok(b.x <= 1 && b.x + b.width >= 127, `art spans ${b.x}..${b.x + b.width}`);
    assert.ok(Math.abs(b.y + b.height / 2 - 64) <= 2, 'centred vertically');
    const fills = new Set(svgFills(svg));
    assert.ok(fills.size >= 3, `the logo's colours: ${[...fills]}`);
  });

  test('favicon.html has the five <link> tags, each pointing at a file of the package', () => {
    const html = out(harbor, 'favicon', 'favicon.html').data.toString('utf8');
    const links = html.match(/<link\b[^>]*>/g) ?? [];
    assert.equal(links.length, 5);
    assert.ok(links.some((l) => l.includes('type="image/svg+xml"') && l.includes('href="/favicon.svg"')));
    for (const [rel, href] of [
      ['icon', '/favicon-96x96.png'],
      ['shortcut icon', '/favicon.ico'],
      ['apple-touch-icon', '/apple-touch-icon.png'],
      ['manifest', '/site.webmanifest'],
    ]) {
      const link = links.find((l) => l.includes(`rel="${rel}"`));
      assert.ok(link, `no rel="${rel}"`);
      assert.ok(link.includes(`href="${href}"`), link);
      out(harbor, 'favicon', href.slice(1));
    }
  });
});

// ---------------------------------------------------------------- email header

describe('email-header', () => {
  let coloured: LogoResult;
  before(async () => {
    coloured = await processLogo(example('harbor-on-white.png'), {
      variations: ['email-header'],
      options: { 'email-header': { backdrop: '#102030' } },
    });
  });

  for (const [name, scale] of [
    ['email-header.png', 1],
    ['email-header@2x.png', 2],
  ] as const) {
    const box = { x: 50 * scale, y: 25 * scale, width: 500 * scale, height: 150 * scale };
    const inBox = (r: Rect) =>
      r.x >= box.x &&
      r.y >= box.y &&
      r.x + r.width <= box.x + box.width &&
      r.y + r.height <= box.y + box.height;

    test(`${name}: ${600 * scale}×${200 * scale}, < 100 KB, transparent, art only in the central box`, async () => {
      const o = out(harbor, 'email-header', name);
      assert.ok(o.bytes < 100 * 1024, `${o.bytes} bytes`);
      const img = await decoded(o);
      assert.equal(img.width, 600 * scale);
      assert.equal(img.height, 200 * scale);
      for (const [x, y] of corners(img)) assert.equal(pixel(img, x, y)[3], 0, `corner ${x},${y}`);
      const b = boundsWhere(img, (i) => img.data[i * 4 + 3] > 0);
      assert.ok(b, 'empty header');
      assert.ok(inBox(b), `visible pixels at ${JSON.stringify(b)}, box ${JSON.stringify(box)}`);
      // harbor is wider than tall but less so than the box: it fills the box's height, centred
      assert.ok(b.height >= box.height - 2, `art height ${b.height} of ${box.height}`);
      const cx = b.x + b.width / 2;
      const cy = b.y + b.height / 2;
      assert.ok(Math.abs(cx - 300 * scale) <= 1.5, `art centred at x ${cx}, canvas centre ${300 * scale}`);
      assert.ok(Math.abs(cy - 100 * scale) <= 1.5, `art centred at y ${cy}, canvas centre ${100 * scale}`);
    });

    test(`${name} with background #102030: opaque, corners that colour, art in the box`, async () => {
      const o = out(coloured, 'email-header', name);
      assert.ok(o.bytes < 100 * 1024, `${o.bytes} bytes`);
      const img = await decoded(o);
      assertOpaque(img, name);
      for (const [x, y] of corners(img)) assert.deepEqual(rgbAt(img, x, y), [0x10, 0x20, 0x30]);
      const mask = artMask(img, [0x10, 0x20, 0x30]);
      const b = boundsWhere(img, (i) => mask[i] === 1);
      assert.ok(b, 'empty header');
      assert.ok(inBox(b), `art at ${JSON.stringify(b)}, box ${JSON.stringify(box)}`);
    });
  }
});

// ---------------------------------------------------------------- social

describe('social', () => {
  let acme: LogoResult;
  let limited: LogoResult;
  before(async () => {
    acme = await processLogo(example('acme-badge-transparent.png'), { variations: ['social'] });
    limited = await processLogo(example('leaf-mark.png'), {
      variations: ['social'],
      options: { social: { presets: ['x-profile', 'slack'] } },
    });
  });

  test('one PNG per preset of social-presets.json, nothing else', () => {
    assert.ok(PRESETS.length >= 10, 'fixture: the presets file');
    for (const result of [harbor, acme]) {
      const names = result.outputs
        .filter((o) => o.variation === 'social')
        .map((o) => o.name)
        .sort();
      assert.deepEqual(names, PRESETS.map((p) => `${p.id}.png`).sort());
    }
  });

  test('the presets option limits the set', () => {
    assert.deepEqual(limited.failures, []);
    assert.deepEqual(limited.outputs.map((o) => o.name).sort(), ['slack.png', 'x-profile.png']);
  });

  for (const [logo, bgHex] of [
    ['harbor', '#ffffff'],
    ['acme', '#ffffff'],
  ] as const) {
    test(`${logo}: exact sizes, opaque, ${bgHex} background, art inside the safe area (and circle)`, async () => {
      const result = logo === 'harbor' ? harbor : acme;
      if (logo === 'harbor') assert.equal(harbor.background?.color, bgHex, 'detected background');
      else assert.equal(acme.background?.color, null, 'acme came in transparent');
      const bg = parseHex(bgHex);
      for (const p of PRESETS) {
        const o = out(result, 'social', `${p.id}.png`);
        assert.equal(o.width, p.width, p.id);
        assert.equal(o.height, p.height, p.id);
        const img = await decoded(o);
        assertOpaque(img, p.id);
        for (const [x, y] of corners(img)) assert.deepEqual(rgbAt(img, x, y), bg, `${p.id} corner ${x},${y}`);
        const safe = p.safe ?? { x: 0, y: 0, width: p.width, height: p.height };
        const mask = artMask(img, bg);
        const b = boundsWhere(img, (i) => mask[i] === 1);
        assert.ok(b, `${p.id}: no art`);
        assert.ok(
          b.x >= safe.x &&
            b.y >= safe.y &&
            b.x + b.width <= safe.x + safe.width &&
            b.y + b.height <= safe.y + safe.height,
          `${p.id}: art at ${JSON.stringify(b)} outside safe ${JSON.stringify(safe)}`,
        );
        const short = Math.min(safe.width, safe.height);
        if (p.circle) {
          const cx = safe.x + safe.width / 2;
          const cy = safe.y + safe.height / 2;
          const r = maxRadius(img, mask, cx, cy);
          assert.ok(
            r <= short / 2 + 0.5,
            `${p.id}: art reaches ${r.toFixed(1)} px, circle radius ${short / 2}`,
          );
        }
        // default margin 0.1: the art fills the safe area less that margin along one axis (most of it;
        // in a circle the diagonal fits instead, so less)
        const fill = Math.max(b.width / (safe.width - 0.2 * short), b.height / (safe.height - 0.2 * short));
        assert.ok(
          fill > (p.circle ? 0.6 : 0.9),
          `${p.id}: art ${b.width}×${b.height} fills ${fill.toFixed(2)} of ${JSON.stringify(safe)} less margins`,
        );
      }
    });
  }
});

// ---------------------------------------------------------------- determinism and isolation

describe('jobs', () => {
  test('the same job twice (different concurrency) gives byte-identical outputs', async () => {
    const again = await processLogo(example('harbor-on-white.png'), { ...HARBOR_OPTIONS, concurrency: 1 });
    const key = (r: LogoResult) => r.outputs.map((o) => `${o.variation}/${o.name} ${o.sha256}`);
    assert.equal(again.outputs.length, harbor.outputs.length);
    assert.deepEqual(key(again), key(harbor));
  });

  test('a failing variation does not sink its siblings', async () => {
    // 17000 px wide is a legal input but beyond WebP's 16383 px limit: raster fails, the rest must not
    const width = 17000;
    const height = 40;
    const raw = Buffer.alloc(width * height * 3, 255);
    for (let y = 10; y < 30; y++) raw.fill(0x40, (y * width + 100) * 3, (y * width + width - 100) * 3);
    const png = await sharp(raw, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const result = await processLogo(png, {
      variations: ['transparent', 'raster', 'black'],
      options: { raster: { formats: ['webp'] } },
    });
    assert.deepEqual(
      result.failures.map((f) => f.variation),
      ['raster'],
      'fixture: raster should fail on a 17000 px wide WebP',
    );
    assert.deepEqual(
      result.outputs.map((o) => `${o.variation}/${o.name}`),
      ['transparent/transparent.png', 'black/black.png'],
    );
    for (const o of result.outputs) {
      const img = await decoded(o);
      assert.equal(img.width, width - 200);
      assert.equal(img.height, 20);
    }
  });
});

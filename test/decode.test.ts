/**
 * decodeLogo: every supported input becomes one 8-bit sRGB RGBA image, and
 * every bad input fails with a stable code, fast, before pixels are decoded.
 * Every fixture is drawn here with sharp; none is read from disk.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { crc32, gzipSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { type ErrorCode, LogomillError } from '../src/errors.js';
import { DEFAULT_DECODE_LIMITS, decodeLogo } from '../src/io/decode.js';
import type { RgbaImage } from '../src/io/image.js';
import { sanitizeSvg } from '../src/io/svg-sanitize.js';
import { pixel, svgDoc } from './helpers.js';

type Rgba = { r: number; g: number; b: number; alpha: number };

/** A solid-colour image of the given size, not yet encoded. */
function solid(width: number, height: number, background: Rgba): Sharp {
  return sharp({ create: { width, height, channels: 4, background } });
}

/** Deterministic noise (so that PNG compression cannot shrink it away). */
function noise(length: number): Buffer {
  const out = Buffer.alloc(length);
  let s = 12345;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A copy of `png` whose IHDR says width × height (CRC fixed, so the header itself is valid). */
function patchPngSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  assert.equal(out.toString('latin1', 12, 16), 'IHDR', 'fixture: IHDR is the first chunk');
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** Asserts that `promise` rejects with a LogomillError of `code`; returns it for further checks. */
async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<LogomillError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof LogomillError, `expected a LogomillError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `wrong code; message: ${caught.message}`);
  return caught;
}

function assertClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance,
      `${what}: channel ${i} is ${actual[i]}, expected ${expected[i]} ± ${tolerance} (got [${actual}])`,
    );
  }
}

function alphaAt(img: RgbaImage, x: number, y: number): number {
  return pixel(img, x, y)[3];
}

describe('decodeLogo refuses bad input with stable codes', () => {
  test('zero bytes → E_CORRUPT_INPUT', async () => {
    await rejectsWith(decodeLogo(new Uint8Array(0)), 'E_CORRUPT_INPUT');
  });

  test('a truncated PNG → E_CORRUPT_INPUT', async () => {
    const png = await sharp(noise(300 * 300 * 3), { raw: { width: 300, height: 300, channels: 3 } })
      .png()
      .toBuffer();
    await decodeLogo(png); // the whole file is fine…
    const half = png.subarray(0, Math.floor(png.length / 2));
    await rejectsWith(decodeLogo(half), 'E_CORRUPT_INPUT'); // …half of it is not
  });

  test('a text file → E_UNSUPPORTED_FORMAT', async () => {
    const text = Buffer.from('Dear print shop,\nplease find our logo attached.\nKind regards\n', 'utf8');
    await rejectsWith(decodeLogo(text), 'E_UNSUPPORTED_FORMAT');
  });

  test('a PNG whose header claims 100000×100000 px → E_TOO_LARGE, fast and without allocating', async () => {
    const small = await solid(10, 10, { r: 255, g: 0, b: 0, alpha: 1 }).png().toBuffer();
    const bomb = patchPngSize(small, 100_000, 100_000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    assert.deepEqual([meta.width, meta.height], [100_000, 100_000], 'fixture: header is readable');

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const err = await rejectsWith(decodeLogo(bomb), 'E_TOO_LARGE');
    const ms = performance.now() - started;
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    assert.ok(grownMb < 50, `RSS grew by ${grownMb.toFixed(1)} MB`);
    assert.match(err.message, /100000×100000/);
  });

  test('input longer than maxInputBytes → E_TOO_LARGE; exactly maxInputBytes is accepted', async () => {
    const png = await solid(10, 10, { r: 0, g: 0, b: 255, alpha: 1 }).png().toBuffer();
    const err = await rejectsWith(decodeLogo(png, { maxInputBytes: png.length - 1 }), 'E_TOO_LARGE');
    assert.match(err.message, new RegExp(`${png.length} bytes`));
    const ok = await decodeLogo(png, { maxInputBytes: png.length });
    assert.equal(ok.image.width, 10);
  });

  test('maxPixels is enforced from the header, before the pixel data is read', async () => {
    const png = await solid(10, 10, { r: 0, g: 128, b: 0, alpha: 1 }).png().toBuffer();
    await rejectsWith(decodeLogo(png, { maxPixels: 99 }), 'E_TOO_LARGE');
    assert.equal((await decodeLogo(png, { maxPixels: 100 })).image.width, 10);

    // A 300×300 PNG with its pixel data cut off: too large wins over corrupt, so the header was checked first.
    const noisy = await sharp(noise(300 * 300 * 3), { raw: { width: 300, height: 300, channels: 3 } })
      .png()
      .toBuffer();
    const truncated = noisy.subarray(0, Math.floor(noisy.length / 2));
    await rejectsWith(decodeLogo(truncated, { maxPixels: 300 * 300 - 1 }), 'E_TOO_LARGE');
  });

  test('the default pixel limit is 64 MP', async () => {
    assert.equal(DEFAULT_DECODE_LIMITS.maxPixels, 64 * 1024 * 1024);
    const small = await solid(10, 10, { r: 255, g: 0, b: 0, alpha: 1 }).png().toBuffer();
    await rejectsWith(decodeLogo(patchPngSize(small, 8193, 8192)), 'E_TOO_LARGE');
  });

  // Regression (src/io/decode.ts, fixed): `{ ...DEFAULT_DECODE_LIMITS, ...limits }` lets an explicit `undefined`
  // (allowed by Partial<DecodeLimits>, e.g. `{ svgSize: flags.svgSize }` when the flag is absent) replace the
  // default: maxPixels: undefined skips the 64 MP header check (the bomb below gives E_CORRUPT_INPUT after
  // libpng starts reading), and svgSize: undefined makes the SVG density NaN (E_CORRUPT_INPUT for a valid SVG).
  test('maxPixels: undefined falls back to the default 64 MP', async () => {
    const small = await solid(10, 10, { r: 255, g: 0, b: 0, alpha: 1 }).png().toBuffer();
    await rejectsWith(
      decodeLogo(patchPngSize(small, 10_000, 10_000), { maxPixels: undefined }),
      'E_TOO_LARGE',
    );
  });

  // Regression (src/io/decode.ts, fixed), same cause as above.
  test('svgSize: undefined falls back to the default 2048 px', async () => {
    const svg = svgDoc(100, 50, '<rect width="100" height="50" fill="#ff0000"/>');
    const { image } = await decodeLogo(svg, { svgSize: undefined });
    assert.deepEqual([image.width, image.height], [2048, 1024]);
  });

  test('a 1×1 opaque PNG decodes to 1×1', async () => {
    const png = await solid(1, 1, { r: 10, g: 200, b: 30, alpha: 1 }).png().toBuffer();
    const { image, format } = await decodeLogo(png);
    assert.equal(format, 'png');
    assert.deepEqual([image.width, image.height, image.data.length], [1, 1, 4]);
    assert.deepEqual(pixel(image, 0, 0), [10, 200, 30, 255]);
  });

  test('a fully transparent PNG → E_EMPTY_IMAGE', async () => {
    const png = await solid(16, 16, { r: 255, g: 255, b: 255, alpha: 0 }).png().toBuffer();
    await rejectsWith(decodeLogo(png), 'E_EMPTY_IMAGE');
  });
});

describe('decodeLogo normalises every pixel format to 8-bit sRGB RGBA', () => {
  test('16-bit PNG with alpha → 8-bit, colour and alpha kept', async () => {
    const png = await solid(8, 8, { r: 200, g: 100, b: 50, alpha: 0.5 })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const decoded = await decodeLogo(png);
    assert.equal(decoded.source.depth, 'ushort', 'fixture: the PNG is 16-bit');
    assert.equal(decoded.image.data.length, 8 * 8 * 4);
    assertClose(pixel(decoded.image, 3, 3), [200, 100, 50, 128], 1, '16-bit pixel');
  });

  test('greyscale PNG → RGB with r = g = b', async () => {
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const decoded = await decodeLogo(png);
    assert.equal(decoded.source.channels, 1, 'fixture: the PNG is single-channel grey');
    const [r, g, b, a] = pixel(decoded.image, 4, 4);
    assert.equal(r, g);
    assert.equal(g, b);
    assertClose([r, a], [90, 255], 1, 'grey pixel');
  });

  test('palette PNG with transparency keeps its alpha', async () => {
    // Left half opaque blue, right half fully transparent.
    const art = await sharp(svgDoc(20, 10, '<rect width="10" height="10" fill="#0000ff"/>'))
      .png()
      .toBuffer();
    const png = await sharp(art).png({ palette: true }).toBuffer();
    assert.equal((await sharp(png).metadata()).isPalette, true, 'fixture: the PNG is palette-based');
    const { image } = await decodeLogo(png);
    assert.deepEqual([image.width, image.height], [20, 10]);
    assertClose(pixel(image, 3, 5), [0, 0, 255, 255], 2, 'opaque half');
    assert.equal(alphaAt(image, 16, 5), 0, 'transparent half');
  });

  test('CMYK JPEG → sRGB, red stays clearly red', async () => {
    const jpeg = await solid(8, 8, { r: 255, g: 0, b: 0, alpha: 1 })
      .flatten()
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .toBuffer();
    const decoded = await decodeLogo(jpeg);
    assert.equal(decoded.source.space, 'cmyk', 'fixture: the JPEG is CMYK');
    const [r, g, b, a] = pixel(decoded.image, 4, 4);
    // libvips round-trips sRGB red through its default CMYK profile to about (232, 0, 0).
    assert.ok(r > 200 && g < 40 && b < 40, `expected red, got ${[r, g, b]}`);
    assert.equal(a, 255);
  });

  test('EXIF orientation 6 is applied: 40×20 red|blue becomes 20×40 red over blue', async () => {
    const art = svgDoc(
      40,
      20,
      '<rect width="20" height="20" fill="#ff0000"/><rect x="20" width="20" height="20" fill="#0000ff"/>',
    );
    const jpeg = await sharp(art).flatten().jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual(
      [meta.width, meta.height, meta.orientation],
      [40, 20, 6],
      'fixture: stored 40×20, tag 6',
    );

    // Orientation 6: the stored image must be turned 90° clockwise to display, so its left edge goes on top.
    const { image } = await decodeLogo(jpeg);
    assert.deepEqual([image.width, image.height], [20, 40]);
    assertClose(pixel(image, 10, 8), [255, 0, 0, 255], 8, 'top');
    assertClose(pixel(image, 10, 31), [0, 0, 255, 255], 8, 'bottom');
  });

  test('GIF gives its first frame', async () => {
    const red = await solid(10, 10, { r: 255, g: 0, b: 0, alpha: 1 }).raw().toBuffer();
    const blue = await solid(10, 10, { r: 0, g: 0, b: 255, alpha: 1 }).raw().toBuffer();
    const gif = await sharp(Buffer.concat([red, blue]), {
      raw: { width: 10, height: 20, channels: 4, pageHeight: 10 },
    })
      .gif()
      .toBuffer();
    assert.equal((await sharp(gif).metadata()).pages, 2, 'fixture: two frames');
    const decoded = await decodeLogo(gif);
    assert.equal(decoded.format, 'gif');
    assert.deepEqual([decoded.image.width, decoded.image.height], [10, 10]);
    assertClose(pixel(decoded.image, 5, 5), [255, 0, 0, 255], 2, 'first frame');
  });

  const GREEN: Rgba = { r: 0, g: 160, b: 80, alpha: 1 };
  const encoders: [string, string, (s: Sharp) => Sharp][] = [
    ['png', 'png', (s) => s.png()],
    ['jpeg', 'jpeg', (s) => s.jpeg({ quality: 95 })],
    ['webp', 'webp', (s) => s.webp({ quality: 95 })],
    ['tiff', 'tiff', (s) => s.tiff()],
    ['avif', 'heif', (s) => s.avif({ quality: 90 })],
    ['gif', 'gif', (s) => s.gif()],
  ];
  for (const [name, format, encode] of encoders) {
    test(`${name}: right size, colour, format and sha256`, async () => {
      const bytes = await encode(solid(16, 12, GREEN)).toBuffer();
      const decoded = await decodeLogo(bytes);
      assert.equal(decoded.format, format);
      assert.equal(decoded.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.match(decoded.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual([decoded.image.width, decoded.image.height], [16, 12]);
      assert.equal(decoded.image.data.length, 16 * 12 * 4);
      assertClose(pixel(decoded.image, 8, 6), [0, 160, 80, 255], 6, name);
    });
  }

  test('a Uint8Array view into a larger buffer decodes only the view, and hashes only the view', async () => {
    const png = await solid(6, 4, { r: 1, g: 2, b: 3, alpha: 1 }).png().toBuffer();
    const backing = new Uint8Array(png.length + 64).fill(0xaa);
    backing.set(png, 32);
    const view = backing.subarray(32, 32 + png.length);
    const decoded = await decodeLogo(view);
    assert.deepEqual([decoded.image.width, decoded.image.height], [6, 4]);
    assert.equal(decoded.sha256, createHash('sha256').update(png).digest('hex'));
  });
});

describe('SVG input', () => {
  let server: Server;
  let port = 0;
  let requests = 0;
  let connections = 0;

  before(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    server.on('connection', () => {
      connections++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A 100×50 logo: red left half, blue right half, plus everything hostile a logo can carry. */
  function hostileSvg(): string {
    const remote = `http://127.0.0.1:${port}`;
    return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <style>@import url(${remote}/style.css); .x { fill: url(${remote}/y.png) }</style>
  <rect width="50" height="50" fill="#ff0000" onclick="alert(2)"/>
  <rect x="50" width="50" height="50" fill="#0000ff"/>
  <image href="${remote}/x.png" x="0" y="0" width="10" height="10"/>
  <image xlink:href="${remote}/z.png" x="10" y="0" width="10" height="10"/>
  <rect class="x" x="20" y="0" width="10" height="10" style="fill:url(${remote}/w.png)"/>
</svg>`;
  }

  test('a hostile SVG decodes, renders its shapes, and contacts nothing', async () => {
    const variants: [string, Buffer][] = [
      ['plain', Buffer.from(hostileSvg())],
      // Variants whose <svg> tag is not in the first 4 KB or is compressed (see the sanitiser-bypass test below).
      ['after a 5 KB comment', Buffer.from(`<!--${' '.repeat(5000)}-->${hostileSvg()}`)],
      ['gzip-compressed', gzipSync(hostileSvg())],
    ];
    for (const [name, bytes] of variants) {
      const decoded = await decodeLogo(bytes);
      assert.equal(decoded.format, 'svg', name);
      const { image } = decoded;
      assert.deepEqual([image.width, image.height], [2048, 1024], name);
      assertClose(pixel(image, 512, 700), [255, 0, 0, 255], 2, `${name}: red half`);
      assertClose(pixel(image, 1536, 512), [0, 0, 255, 255], 2, `${name}: blue half`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // let any stray connection land
    assert.equal(requests, 0, 'HTTP requests received');
    assert.equal(connections, 0, 'TCP connections received');
  });

  test('the sanitised SVG keeps same-document and inline data: references', async () => {
    const dot = (await solid(4, 4, { r: 0, g: 255, b: 0, alpha: 1 }).png().toBuffer()).toString('base64');
    const svg = svgDoc(
      100,
      50,
      `<defs><rect id="r" width="50" height="50" fill="#0000ff"/></defs>
       <use href="#r"/>
       <image href="data:image/png;base64,${dot}" x="50" y="0" width="50" height="50"/>`,
    );
    const { image } = await decodeLogo(svg);
    assertClose(pixel(image, 500, 500), [0, 0, 255, 255], 2, '<use href="#r">');
    assertClose(pixel(image, 1500, 500), [0, 255, 0, 255], 2, 'data:image/png image');
  });

  /**
   * A 100×50 logo: red left half; in the right half a data:image/svg+xml image (green), which sanitizeSvg
   * strips (only png/jpeg/gif/webp data: URIs are kept) — so the right half is transparent iff sanitised.
   */
  function nestedSvgLogo(): string {
    const nested = Buffer.from(svgDoc(10, 10, '<rect width="10" height="10" fill="#00ff00"/>')).toString(
      'base64',
    );
    return `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="50" height="50" fill="#ff0000"/><image href="data:image/svg+xml;base64,${nested}" x="50" y="0" width="50" height="50"/></svg>`;
  }

  /** Decodes `bytes`; true when the image came out unsanitised, false when sanitised or refused. */
  async function renderedUnsanitised(name: string, bytes: Buffer): Promise<boolean> {
    let image: RgbaImage;
    try {
      image = (await decodeLogo(bytes)).image;
    } catch (err) {
      // Refusing such input outright would also be safe.
      assert.ok(err instanceof LogomillError, `${name}: ${String(err)}`);
      return false;
    }
    assertClose(pixel(image, 512, 512), [255, 0, 0, 255], 2, `${name}: red half`);
    return alphaAt(image, 1536, 512) !== 0;
  }

  test('decodeLogo sanitises SVG before rasterising it', async () => {
    const svg = nestedSvgLogo();
    assert.ok(!sanitizeSvg(svg).includes('data:image/svg+xml'), 'sanitizeSvg strips data:image/svg+xml');
    // Fixture check: unsanitised, librsvg does render the nested SVG.
    const raw = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const at = (raw.info.height / 2) * raw.info.width + (raw.info.width * 3) / 4;
    assert.equal(raw.data[at * 4 + 3], 255, 'fixture: the nested SVG renders when not sanitised');
    assert.equal(await renderedUnsanitised('plain', Buffer.from(svg)), false);
    assert.equal(
      await renderedUnsanitised('BOM + leading whitespace', Buffer.from(`\uFEFF \n${svg}`)),
      false,
    );
  });

  // Regression (src/io/decode.ts + svg-sanitize.ts looksLikeSvg, fixed): sanitisation runs only when looksLikeSvg()
  // finds "<svg" in the first 4096 bytes of UTF-8 text, but sharp/librsvg also decodes SVGs whose <svg> tag comes
  // later (long comment or whitespace in the prolog) and gzip-compressed SVG (svgz), and decodeLogo then passes
  // them on UNSANITISED (and still reports format 'svg'). Seen through nestedSvgLogo()'s right half.
  test('no sanitiser bypass by a long prolog or by gzip', async () => {
    const svg = nestedSvgLogo();
    const variants: [string, Buffer][] = [
      ['after a 5 KB comment', Buffer.from(`<!--${' '.repeat(5000)}-->${svg}`)],
      ['after 5 KB of prolog whitespace', Buffer.from(`<?xml version="1.0"?>${'\n'.repeat(5000)}${svg}`)],
      ['gzip-compressed', gzipSync(svg)],
    ];
    const unsanitised: string[] = [];
    for (const [name, bytes] of variants) {
      if (await renderedUnsanitised(name, bytes)) unsanitised.push(name);
    }
    assert.deepEqual(unsanitised, [], 'these inputs were rasterised without sanitisation');
  });

  test('SVG is rasterised with its longest side 2048 px by default', async () => {
    const svg = svgDoc(100, 50, '<rect width="100" height="50" fill="#336699"/>');
    const decoded = await decodeLogo(svg);
    assert.equal(decoded.format, 'svg');
    assert.deepEqual([decoded.image.width, decoded.image.height], [2048, 1024]);
    assert.deepEqual([decoded.source.width, decoded.source.height], [100, 50]);
    assertClose(pixel(decoded.image, 2047, 1023), [0x33, 0x66, 0x99, 255], 1, 'corner');
  });

  test('SVG is rasterised with its longest side = limits.svgSize', async () => {
    const wide = svgDoc(100, 50, '<rect width="100" height="50" fill="#336699"/>');
    const a = await decodeLogo(wide, { svgSize: 300 });
    assert.deepEqual([a.image.width, a.image.height], [300, 150]);
    const tall = svgDoc(50, 100, '<rect width="50" height="100" fill="#336699"/>');
    const b = await decodeLogo(tall, { svgSize: 512 });
    assert.deepEqual([b.image.width, b.image.height], [256, 512]);
  });

  test('a large svgSize is still bound by maxPixels', async () => {
    const svg = svgDoc(100, 50, '<rect width="100" height="50" fill="#336699"/>');
    await rejectsWith(decodeLogo(svg, { svgSize: 4000, maxPixels: 4000 * 2000 - 1 }), 'E_TOO_LARGE');
  });

  // Regression (src/io/decode.ts, fixed): the density is clamped to ≥ 1 (sharp's minimum), so an SVG whose longest side is
  // over 72 × svgSize units (147456 by default) is rasterised larger than svgSize: 400000×200000 → 5556×2778.
  test('a huge SVG canvas is still scaled down to svgSize', async () => {
    const svg = svgDoc(400_000, 200_000, '<rect width="400000" height="200000" fill="#336699"/>');
    const { image } = await decodeLogo(svg, { svgSize: 1000 });
    assert.deepEqual([image.width, image.height], [1000, 500]);
  });
});

describe('sanitizeSvg', () => {
  const dataPng = 'data:image/png;base64,iVBORw0KGgo=';
  const input = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="steal()">
<script type="text/javascript">steal()</script>
<style>@import url(https://evil.example/a.css); .a { fill: url(#grad) } .b { fill: url('http://evil.example/p.png') }</style>
<rect onclick='steal()' onmouseover=steal() width="10" height="10" fill="url(#grad)"/>
<image href="http://127.0.0.1:9/x.png"/>
<image xlink:href='file:///etc/passwd'/>
<use href="#logo"/>
<use xlink:href='#mark'/>
<image href="${dataPng}"/>
<image href="data:image/svg+xml;base64,PHN2Zy8+"/>
<foreignObject><iframe src="http://evil.example/"></iframe></foreignObject>
</svg>`;
  const out = sanitizeSvg(input);

  test('removes scripts', () => {
    assert.ok(input.includes('<script'), 'fixture');
    assert.doesNotMatch(out, /<script/i);
    assert.ok(!out.includes('steal()</script>'));
  });

  test('removes on* event handlers, quoted or not', () => {
    assert.doesNotMatch(out, /\son[a-z]+\s*=/i);
    assert.ok(!out.includes('steal()'), out);
  });

  test('removes external href / xlink:href, CSS url() and @import', () => {
    assert.ok(!out.includes('127.0.0.1'), out);
    assert.ok(!out.includes('file:'), out);
    assert.ok(!out.includes('evil.example'), out);
    assert.ok(!out.includes('@import'), out);
    assert.ok(!out.includes('data:image/svg+xml'), out);
    assert.ok(!out.includes('<foreignObject'), out);
  });

  test("keeps '#id' and data: references and the rest of the document", () => {
    assert.ok(out.includes('<use href="#logo"/>'), out);
    assert.ok(out.includes("<use xlink:href='#mark'/>"), out);
    assert.ok(out.includes(`<image href="${dataPng}"/>`), out);
    assert.ok(out.includes('fill="url(#grad)"'), out);
    assert.ok(out.includes('.a { fill: url(#grad) }'), out);
    assert.ok(out.includes('width="10" height="10"'), out);
    assert.match(out, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(out, /<\/svg>$/);
  });

  test('leaves a harmless SVG unchanged', () => {
    const clean =
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" fill="#c00"/></svg>';
    assert.equal(sanitizeSvg(clean), clean);
  });

  // Regression (src/io/svg-sanitize.ts, fixed): the regex passes run once, in sequence, and replace matches with '' —
  // so a removal can splice a forbidden construct back together (classic nested-tag bypass), and an
  // xlink-namespaced href under another prefix is not recognised. The output below still holds a <script>,
  // an onload handler, external hrefs and an external-entity DOCTYPE.
  test('output holds no script, handler, external reference or DOCTYPE even for crafted input', () => {
    const crafted: string[] = [
      '<svg xmlns="http://www.w3.org/2000/svg"><scr<script></script>ipt>steal()</script></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" on href="http://e.example/"load="steal()"></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><image hr href="x"ef="http://127.0.0.1:9/x.png"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><image h@import;ref="http://127.0.0.1:9/x.png"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xl="http://www.w3.org/1999/xlink"><image xl:href="http://127.0.0.1:9/x.png"/></svg>',
      '<!DOC<!DOCTYPE x>TYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>',
    ];
    const leaks = crafted
      .map((svg) => sanitizeSvg(svg))
      .filter(
        (s) =>
          /<script/i.test(s) ||
          /\son[a-z]+\s*=/i.test(s) ||
          /href\s*=\s*["']\s*(?!#|data:)/i.test(s) ||
          /<!DOCTYPE|<!ENTITY/i.test(s),
      );
    assert.deepEqual(leaks, [], 'sanitizeSvg output still dangerous');
  });
});

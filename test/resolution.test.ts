/**
 * Every raster file declares the resolution it was made for, once, in its own header, and
 * every vector file the same print size: read back by sharp and by ImageMagick (`identify`),
 * and PNG chunks counted.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import { type LogoResult, processLogo } from '../src/index.js';
import { setJpegDpi, setPngDpi } from '../src/io/resolution.js';
import { cli, example, run, svgSizeMm, withTempDir } from './helpers.js';

const raw = () => sharp(Buffer.alloc(16 * 8 * 4, 180), { raw: { width: 16, height: 8, channels: 4 } });

/** The PNG's chunk types, in order. */
function chunks(png: Buffer): string[] {
  const out: string[] = [];
  for (let at = 8; at + 12 <= png.length; at += 12 + png.readUInt32BE(at)) {
    out.push(png.toString('latin1', at + 4, at + 8));
  }
  return out;
}

/** ImageMagick's reading of a file's resolution, in pixels per inch. */
async function identifyDpi(dir: string, name: string, data: Buffer): Promise<number> {
  const path = join(dir, name.replaceAll('/', '_'));
  await writeFile(path, data);
  const { stdout } = await run('identify', ['-units', 'PixelsPerInch', '-format', '%x', path]);
  return Number.parseFloat(stdout);
}

describe('resolution records', () => {
  test('a PNG gets exactly one pHYs, after IHDR, replacing the 25.4 DPI libvips writes', async () => {
    const plain = await raw().png().toBuffer();
    assert.deepEqual(chunks(plain), ['IHDR', 'pHYs', 'IDAT', 'IEND']);
    const png = setPngDpi(setPngDpi(plain, 150), 300);
    assert.deepEqual(chunks(png), ['IHDR', 'pHYs', 'IDAT', 'IEND']);
    assert.equal((await sharp(png).metadata()).density, 300);
    // the pixels are untouched
    assert.deepEqual(await sharp(png).raw().toBuffer(), await sharp(plain).raw().toBuffer());
  });

  test('a JPEG gets one JFIF header with its DPI, replacing one it had', async () => {
    const plain = await raw().flatten().jpeg().toBuffer();
    const jpeg = setJpegDpi(setJpegDpi(plain, 96), 300);
    assert.equal(jpeg.toString('latin1', 6, 11), 'JFIF\0');
    assert.equal(jpeg.indexOf('JFIF', 12, 'latin1'), -1, 'one JFIF header');
    assert.equal((await sharp(jpeg).metadata()).density, 300);
    assert.deepEqual(await sharp(jpeg).raw().toBuffer(), await sharp(plain).raw().toBuffer());
  });
});

describe('print size in every file', () => {
  let harbor: LogoResult;
  before(async () => {
    harbor = await processLogo(example('harbor-on-white.png'), {
      variations: [
        'transparent',
        'black',
        'raster',
        'favicon',
        'halftone',
        'separations',
        'vector',
        'cutline',
      ],
      options: {
        raster: { formats: ['png', 'jpeg', 'tiff', 'pdf'], dpi: 600 },
        halftone: { printWidth: 5 },
        separations: { dpi: 200, printWidth: 8 },
        vector: { widthMm: 120 },
      },
    });
  });

  /** The DPI each raster file must declare. */
  function expectedDpi(o: LogoResult['outputs'][number]): number {
    switch (o.variation) {
      case 'raster':
        return 600;
      case 'favicon':
        return 72; // screen assets
      case 'halftone':
        return (o.width ?? 0) / 5;
      case 'separations':
        // films at the film resolution; the composite preview is the art at the print width
        return o.name === 'composite.png' ? (o.width ?? 0) / 8 : 200;
      default:
        return 300; // the art's pixels at 300 DPI
    }
  }

  test('each PNG, JPEG and TIFF declares its DPI, read alike by sharp and ImageMagick; PNGs hold one pHYs', () =>
    withTempDir(async (dir) => {
      const rasters = harbor.outputs.filter((o) => ['png', 'jpeg', 'tiff'].includes(o.format));
      assert.ok(rasters.length >= 20, `${rasters.length} raster files`);
      for (const o of rasters) {
        const what = `${o.variation}/${o.name}`;
        const want = expectedDpi(o);
        const density = (await sharp(o.data).metadata()).density ?? 0;
        assert.ok(Math.abs(density - want) < 0.5, `${what}: sharp reads ${density} DPI, want ${want}`);
        const im = await identifyDpi(dir, what, o.data);
        assert.ok(Math.abs(im - want) < 0.5, `${what}: ImageMagick reads ${im} DPI, want ${want}`);
        if (o.format === 'png') {
          assert.equal(chunks(o.data).filter((c) => c === 'pHYs').length, 1, `${what}: one pHYs`);
        }
      }
    }));

  test('SVGs declare the print size their PDF, EPS and DXF siblings have', () =>
    withTempDir(async (dir) => {
      const file = (variation: string, name: string) => {
        const o = harbor.outputs.find((x) => x.variation === variation && x.name === name);
        assert.ok(o, `${variation}/${name}`);
        return o.data;
      };
      const pdfWidthMm = async (data: Buffer) => {
        const path = join(dir, 'p.pdf');
        await writeFile(path, data);
        const m = /Page size:\s+([\d.]+) x/.exec((await run('pdfinfo', [path])).stdout);
        return (Number(m?.[1]) * 25.4) / 72;
      };
      assert.equal(svgSizeMm(file('vector', 'vector.svg'))?.width, 120);
      assert.ok(Math.abs((await pdfWidthMm(file('vector', 'vector.pdf'))) - 120) < 0.1);
      const cut = svgSizeMm(file('cutline', 'cutline.svg'));
      assert.ok(cut && Math.abs((await pdfWidthMm(file('cutline', 'cutline.pdf'))) - cut.width) < 0.1);
      assert.ok(Math.abs((svgSizeMm(file('halftone', 'halftone.svg'))?.width ?? 0) - 127) < 0.01, '5 in');
      const film = harbor.outputs.find((o) => o.variation === 'separations' && o.name.endsWith('.svg'));
      const filmPng = harbor.outputs.find((o) => o.name === film?.name.replace(/\.svg$/, '.png'));
      assert.ok(film && filmPng?.width);
      assert.ok(Math.abs((svgSizeMm(film.data)?.width ?? 0) - (filmPng.width / 200) * 25.4) < 0.01);
    }));
});

describe('one --width for every variation', () => {
  test('logomill process --width 4in: rasters, vectors, films, halftone, cut line and preflight all print 4 in wide', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out');
      const r = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        out,
        '--variations',
        'raster,vector,vector-color,halftone,cutline,separations,preflight',
        '--set',
        'raster.formats=png,jpeg',
        '--set',
        'separations.artboard=9x9',
        '--set',
        'separations.dpi=150',
        '--width',
        '4in',
        '--no-cache',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const at = (p: string) => join(out, 'leaf-mark', p);
      const inches = async (p: string) => {
        const m = await sharp(await readFile(at(p))).metadata();
        return (m.width ?? 0) / (m.density ?? 1);
      };
      // rasters: pixels ÷ declared DPI (DPI is whole, so within one DPI's worth)
      for (const p of ['raster/logo.png', 'raster/logo.jpg', 'halftone/halftone.png']) {
        assert.ok(Math.abs((await inches(p)) - 4) < 0.02, `${p}: ${await inches(p)} in`);
      }
      for (const p of ['vector/vector.svg', 'vector-color/vector-color.svg', 'halftone/halftone.svg']) {
        const size = svgSizeMm(await readFile(at(p)));
        assert.ok(size && Math.abs(size.width - 101.6) < 0.05, `${p}: ${JSON.stringify(size)}`);
      }
      // the cut goes 3 mm around the 4 in art (and its canvas a little beyond)
      const cut = svgSizeMm(await readFile(at('cutline/cutline.svg')));
      assert.ok(cut && cut.width > 101.6 + 2 * 3 && cut.width < 101.6 + 2 * 3 + 4, JSON.stringify(cut));
      const seps = JSON.parse(await readFile(at('separations/separations.json'), 'utf8')) as {
        printWidthIn: number;
      };
      assert.ok(Math.abs(seps.printWidthIn - 4) < 0.01, String(seps.printWidthIn));
      const pre = JSON.parse(await readFile(at('preflight/preflight.json'), 'utf8')) as {
        print: { widthIn: number };
      };
      assert.equal(pre.print.widthIn, 4);
    });
  });

  test('a width below 5 mm is refused with E_BAD_OPTION, naming the variation', async () => {
    const r = await processLogo(example('leaf-mark.png'), {
      variations: ['vector'],
      options: { vector: { width: '2mm' } },
    });
    assert.equal(r.failures[0]?.code, 'E_BAD_OPTION');
    assert.match(r.failures[0].message, /vector\.width between 5 mm and 5 m/);
  });
});

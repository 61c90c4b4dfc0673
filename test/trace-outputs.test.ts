/**
 * The trace variations (`vector`, `vector-color`) and the `logomill trace`
 * command end to end: every file re-decoded or rendered back (resvg, pdftoppm,
 * Ghostscript, a DXF parse) and compared with the logo.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { type LogoResult, processLogo } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import {
  auditDxf,
  cli,
  deltaE,
  example,
  pixel,
  readDxf,
  renderEps,
  renderSvgPixels,
  rgba,
  run,
  svgFills,
  svgSizeMm,
  svgViewBox,
  withTempDir,
} from './helpers.js';

function renderSvg(svg: string | Buffer, background = '#ffffff'): RgbaImage {
  return renderSvgPixels(svg, { background });
}

function file(result: LogoResult, variation: string, name: string): Buffer {
  const o = result.outputs.find((x) => x.variation === variation && x.name === name);
  assert.ok(o, `${variation}/${name} was made`);
  return o.data;
}

/** Share of pixels whose colours differ by more than ΔE 10 between two same-size renders. */
function mismatch(a: RgbaImage, b: RgbaImage): number {
  assert.equal(a.width, b.width);
  assert.equal(a.height, b.height);
  let off = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    const p = [a.data[i * 4], a.data[i * 4 + 1], a.data[i * 4 + 2]] as [number, number, number];
    const q = [b.data[i * 4], b.data[i * 4 + 1], b.data[i * 4 + 2]] as [number, number, number];
    if (deltaE(p, q) > 10) off++;
  }
  return off / (a.width * a.height);
}

describe('vector and vector-color variations', () => {
  let harbor: LogoResult;
  let transparentPng: RgbaImage;
  before(async () => {
    harbor = await processLogo(example('harbor-on-white.png'), {
      variations: ['transparent', 'vector', 'vector-color'],
      options: { vector: { widthMm: 100 }, 'vector-color': { cmyk: false } },
    });
    transparentPng = await rgba(file(harbor, 'transparent', 'transparent.png'));
  });

  test('vector and vector-color make SVG, PDF, EPS and DXF', () => {
    const names = (v: string) =>
      harbor.outputs
        .filter((o) => o.variation === v)
        .map((o) => o.name)
        .sort();
    assert.deepEqual(names('vector'), ['vector.dxf', 'vector.eps', 'vector.pdf', 'vector.svg']);
    assert.deepEqual(names('vector-color'), [
      'vector-color.dxf',
      'vector-color.eps',
      'vector-color.pdf',
      'vector-color.svg',
    ]);
    assert.equal(harbor.failures.length, 0);
  });

  test('the PNG, the mono and the colour trace share one canvas, whatever the logo', async () => {
    for (const name of ['darkbg-imdb.jpg', 'frame1-fedex.png', 'gradart-apple.png']) {
      for (const cutout of [{}, { trim: false, padding: 6 }]) {
        const r = await processLogo(join(import.meta.dirname, 'fixtures', 'customer', name), {
          variations: ['transparent', 'vector', 'vector-color'],
          options: { transparent: cutout },
        });
        const png = r.outputs.find((o) => o.name === 'transparent.png');
        const size = { width: png?.width, height: png?.height };
        for (const v of ['vector', 'vector-color']) {
          assert.deepEqual(
            svgViewBox(file(r, v, `${v}.svg`)),
            size,
            `${name} ${JSON.stringify(cutout)} ${v}`,
          );
        }
      }
    }
  });

  test('the colour SVG is cropped like the transparent PNG and looks like it', () => {
    const svg = renderSvg(file(harbor, 'vector-color', 'vector-color.svg'));
    assert.equal(svg.width, transparentPng.width);
    assert.equal(svg.height, transparentPng.height);
    // the PNG flattened on white, at the SVG's size, against the render of the SVG
    const flat = { ...transparentPng, data: new Uint8Array(transparentPng.data) };
    for (let i = 0; i < flat.width * flat.height; i++) {
      const a = flat.data[i * 4 + 3] / 255;
      for (let c = 0; c < 3; c++) flat.data[i * 4 + c] = Math.round(flat.data[i * 4 + c] * a + 255 * (1 - a));
      flat.data[i * 4 + 3] = 255;
    }
    const w = Math.min(svg.width, flat.width);
    const h = Math.min(svg.height, flat.height);
    let off = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = pixel(svg, x, y).slice(0, 3) as [number, number, number];
        const q = pixel(flat, x, y).slice(0, 3) as [number, number, number];
        if (deltaE(p, q) > 10) off++;
      }
    }
    assert.ok(off / (w * h) < 0.03, `${((100 * off) / (w * h)).toFixed(2)} % of pixels differ`);
  });

  test('the mono SVG is black where the logo has ink and clear elsewhere', () => {
    const svg = renderSvg(file(harbor, 'vector', 'vector.svg'), '#ff00ff');
    let black = 0;
    let magenta = 0;
    for (let i = 0; i < svg.width * svg.height; i++) {
      const p = [svg.data[i * 4], svg.data[i * 4 + 1], svg.data[i * 4 + 2]];
      if (p[0] < 10 && p[1] < 10 && p[2] < 10) black++;
      if (p[0] > 245 && p[1] < 10 && p[2] > 245) magenta++;
    }
    let ink = 0;
    for (let i = 0; i < transparentPng.width * transparentPng.height; i++)
      ink += transparentPng.data[i * 4 + 3] >= 128 ? 1 : 0;
    assert.ok(Math.abs(black - ink) < 0.03 * ink, `${black} black pixels for ${ink} ink pixels`);
    assert.ok(magenta > 0.2 * svg.width * svg.height, 'the background shows through');
  });

  test('PDF: vector page at the asked width, renders like the SVG', () =>
    withTempDir(async (dir) => {
      const pdf = join(dir, 'v.pdf');
      await writeFile(pdf, file(harbor, 'vector', 'vector.pdf'));
      const { stdout } = await run('pdfinfo', [pdf]);
      const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout);
      assert.ok(m);
      assert.ok(Math.abs(Number(m[1]) - (100 * 72) / 25.4) < 0.1, `width ${m[1]} pt = 100 mm`);
      const body = file(harbor, 'vector', 'vector.pdf').toString('latin1');
      assert.doesNotMatch(body, /\/Subtype\s*\/Image/, 'no embedded raster');
      // the SVG declares the same print size
      assert.equal(svgSizeMm(file(harbor, 'vector', 'vector.svg'))?.width, 100);
      const svg = renderSvg(file(harbor, 'vector', 'vector.svg'));
      const dpi = (svg.width / (100 / 25.4)).toFixed(4);
      await run('pdftoppm', ['-r', dpi, '-png', '-singlefile', pdf, join(dir, 'p')]);
      const rendered = await rgba(await readFile(join(dir, 'p.png')));
      const w = Math.min(rendered.width, svg.width);
      const h = Math.min(rendered.height, svg.height);
      const crop = (img: RgbaImage): RgbaImage => {
        const data = new Uint8Array(w * h * 4);
        for (let y = 0; y < h; y++)
          data.set(img.data.subarray(y * img.width * 4, (y * img.width + w) * 4), y * w * 4);
        return { width: w, height: h, data };
      };
      assert.ok(mismatch(crop(rendered), crop(svg)) < 0.01);
    }));

  test('EPS renders in Ghostscript like the SVG', () =>
    withTempDir(async (dir) => {
      const eps = join(dir, 'v.eps');
      await writeFile(eps, file(harbor, 'vector-color', 'vector-color.eps'));
      const svg = renderSvg(file(harbor, 'vector-color', 'vector-color.svg'));
      // default size: traced pixels at 300 DPI
      const rendered = await renderEps(eps, 300);
      assert.ok(Math.abs(rendered.width - svg.width) <= 1 && Math.abs(rendered.height - svg.height) <= 1);
      const w = Math.min(rendered.width, svg.width);
      const h = Math.min(rendered.height, svg.height);
      let off = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (
            deltaE(
              pixel(rendered, x, y).slice(0, 3) as [number, number, number],
              pixel(svg, x, y).slice(0, 3) as [number, number, number],
            ) > 10
          )
            off++;
        }
      }
      assert.ok(off / (w * h) < 0.01, `${off} pixels differ`);
    }));

  test('DXF: closed polylines in mm on the CUT layer, inside the drawing', () => {
    const { polylines, pairs } = readDxf(file(harbor, 'vector', 'vector.dxf').toString('utf8'));
    assert.ok(polylines.length >= 4, `${polylines.length} polylines`);
    assert.ok(polylines.every((l) => l.closed && l.layer === 'CUT'));
    const maxX = Math.max(...polylines.flatMap((l) => l.vertices.map((v) => v.x)));
    assert.ok(maxX <= 100.001 && maxX > 95, `drawing ${maxX} mm wide (asked 100)`);
    assert.equal(pairs.at(-1)?.[1], 'EOF');
  });

  test('DXF of the colour trace: a layer per colour, in that colour, as `logomill trace --mode color` writes it', () =>
    withTempDir(async (dir) => {
      const { polylines, layers } = readDxf(
        file(harbor, 'vector-color', 'vector-color.dxf').toString('utf8'),
      );
      const fills = svgFills(file(harbor, 'vector-color', 'vector-color.svg'))
        .map((f) => f.slice(1).toUpperCase())
        .filter((v, i, all) => all.indexOf(v) === i);
      assert.deepEqual([...new Set(polylines.map((l) => l.layer))].sort(), fills.sort());
      for (const hex of fills) assert.equal(layers.get(hex)?.rgb, Number.parseInt(hex, 16), hex);
      const path = join(dir, 'harbor.dxf');
      await writeFile(path, file(harbor, 'vector-color', 'vector-color.dxf'));
      assert.deepEqual(await auditDxf(path), { version: 'AC1021', errors: 0, fixes: 0 });
    }));

  test('options: --color paints the mono trace, --palette snaps the colours, bad values are refused', async () => {
    const r = await processLogo(example('peak-on-white.jpg'), {
      variations: ['vector', 'vector-color'],
      options: { vector: { color: '#0055aa' }, 'vector-color': { palette: '#123456,#abcdef' } },
    });
    assert.match(file(r, 'vector', 'vector.svg').toString(), /fill="#05a"/);
    const fills = svgFills(file(r, 'vector-color', 'vector-color.svg'));
    assert.ok(fills.length > 0 && fills.every((f) => f === '#123456' || f === '#abcdef'), `fills ${fills}`);
    await assert.rejects(
      processLogo(example('peak-on-white.jpg'), {
        variations: ['vector'],
        options: { vector: { alphamax: 9 } },
      }),
      (e: Error & { code?: string }) => e.code === 'E_BAD_OPTION' && /vector\.alphamax/.test(e.message),
    );
  });

  test('the same logo gives byte-identical vector files', async () => {
    const again = await processLogo(example('harbor-on-white.png'), {
      variations: ['vector', 'vector-color'],
      options: { vector: { widthMm: 100 }, 'vector-color': { cmyk: false } },
    });
    for (const o of again.outputs)
      assert.ok(file(harbor, o.variation, o.name).equals(o.data), `${o.name} differs`);
  });
});

describe('logomill trace', () => {
  test('writes SVG, PDF, EPS and DXF by extension, at the input’s pixel size', () =>
    withTempDir(async (dir) => {
      const svg = join(dir, 'leaf.svg');
      const r = cli(['trace', example('leaf-mark.png'), '-o', svg]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(svgViewBox(await readFile(svg)), { width: 600, height: 600 });
      // its print size: the pixels at 300 DPI, as its PDF and EPS siblings are
      assert.deepEqual(svgSizeMm(await readFile(svg)), { width: 50.8, height: 50.8 });
      const img = renderSvg(await readFile(svg));
      assert.equal(img.width, 600);
      assert.equal(img.height, 600);
      const sized = join(dir, 'leaf-50mm.svg');
      assert.equal(cli(['trace', example('leaf-mark.png'), '-o', sized, '--width-mm', '50']).code, 0);
      assert.deepEqual(svgSizeMm(await readFile(sized)), { width: 50, height: 50 });
      const pdf = join(dir, 'harbor.pdf');
      assert.equal(
        cli([
          'trace',
          example('harbor-on-white.png'),
          '-o',
          pdf,
          '--mode',
          'color',
          '--colors',
          '4',
          '--cmyk',
        ]).code,
        0,
      );
      assert.match((await readFile(pdf)).toString('latin1'), /^%PDF-/);
      const pdfBytes = await readFile(pdf);
      const t = pdfBytes.toString('latin1');
      const from = t.indexOf('stream\n') + 'stream\n'.length;
      const content = inflateSync(pdfBytes.subarray(from, t.indexOf('\nendstream', from))).toString('latin1');
      assert.match(content, / k\n/, 'CMYK fills');
      assert.doesNotMatch(content, / rg\n/);
      const eps = join(dir, 'peak.eps');
      assert.equal(
        cli([
          'trace',
          example('peak-on-white.jpg'),
          '-o',
          eps,
          '--turdsize',
          '10',
          '--alphamax',
          '0.8',
          '--opttolerance',
          '0.4',
        ]).code,
        0,
      );
      assert.match((await readFile(eps)).toString(), /^%!PS-Adobe-3\.0 EPSF-3\.0/);
      const dxf = join(dir, 'acme.dxf');
      assert.equal(
        cli(['trace', example('acme-badge-transparent.png'), '-o', dxf, '--threshold', '0.5']).code,
        0,
      );
      assert.ok(readDxf((await readFile(dxf)).toString()).polylines.length > 0);
    }));

  test('cutout stacking and a palette in colour mode', () =>
    withTempDir(async (dir) => {
      const out = join(dir, 'h.svg');
      const r = cli([
        'trace',
        example('harbor-on-white.png'),
        '-o',
        out,
        '--mode',
        'color',
        '--stacking',
        'cutout',
        '--palette',
        '#264653,#2a9d8f,#e76f51,#f4a261',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const fills = new Set(svgFills(await readFile(out, 'utf8')));
      assert.ok(
        [...fills].every((f) => ['#264653', '#2a9d8f', '#e76f51', '#f4a261'].includes(f)),
        [...fills].join(),
      );
    }));

  test('bad input and bad options exit 2 with a code and one sentence; nothing is written', () =>
    withTempDir(async (dir) => {
      const cases: [string[], string][] = [
        [['trace', join(dir, 'missing.png'), '-o', join(dir, 'a.svg')], 'E_INPUT_NOT_FOUND'],
        [['trace', example('leaf-mark.png'), '-o', join(dir, 'a.png')], 'E_BAD_OPTION'],
        [['trace', example('leaf-mark.png'), '-o', join(dir, 'a.svg'), '--mode', 'sepia'], 'E_BAD_OPTION'],
        [['trace', example('leaf-mark.png'), '-o', join(dir, 'a.svg'), '--threshold', '1.5'], 'E_BAD_OPTION'],
        [['trace', example('leaf-mark.png'), '-o', join(dir, 'a.svg'), '--colors', 'many'], 'E_BAD_OPTION'],
        [
          ['trace', example('leaf-mark.png'), '-o', join(dir, 'a.svg'), '--palette', 'reddish'],
          'E_BAD_OPTION',
        ],
        [['trace', example('leaf-mark.png'), '-o', join(dir, 'a.svg'), '--cmyk'], 'E_BAD_OPTION'],
      ];
      const junk = join(dir, 'junk.png');
      await writeFile(junk, 'not an image');
      cases.push([['trace', junk, '-o', join(dir, 'a.svg')], 'E_']);
      for (const [args, code] of cases) {
        const r = cli(args);
        assert.equal(r.code, 2, `${args.join(' ')} → ${r.code} ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`\\[${code}`), r.stderr);
        assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      }
      assert.equal(spawnSync('ls', [dir]).stdout.toString().includes('a.svg'), false);
    }));
});

/**
 * Spot inks, strokes and overprint in the shared vector writers, and the
 * multi-page PDF. A hand-built picture — a cyan square, an orange square in the
 * spot ink "PANTONE 151 C" (a name that needs escaping), a CutContour frame and
 * an open line, stroked and overprinting — goes through every writer; the PDF
 * and EPS are separated by Ghostscript's tiffsep device (one file per ink, named
 * after it), so the test sees the inks as a RIP would.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import type { RgbaImage } from '../src/io/image.js';
import { pdfName } from '../src/io/pdf.js';
import { layerName, toDxf } from '../src/vector/dxf.js';
import { toEps } from '../src/vector/eps.js';
import { translate } from '../src/vector/geometry.js';
import type { Shape, Subpath, VectorImage } from '../src/vector/path.js';
import { toPdf, toPdfPages } from '../src/vector/pdf.js';
import { toSvg } from '../src/vector/svg.js';
import { pixel, readDxf, rgba, run, withTempDir } from './helpers.js';

function square(x0: number, y0: number, x1: number, y1: number): Subpath {
  const to = (x: number, y: number) => ({ kind: 'line' as const, to: { x, y } });
  return { start: { x: x0, y: y0 }, segments: [to(x1, y0), to(x1, y1), to(x0, y1), to(x0, y0)] };
}

const CUT: Omit<Shape, 'subpaths'> = {
  fill: '#ff00ff',
  spot: { name: 'CutContour', cmyk: [0, 1, 0, 0] },
  stroke: { widthPt: 1 },
  overprint: true,
};

/** 100×80 px (24×19.2 pt at the default 300 DPI). */
const image: VectorImage = {
  width: 100,
  height: 80,
  shapes: [
    { fill: '#00aaff', subpaths: [square(10, 10, 60, 60)] },
    {
      fill: '#ff8800',
      spot: { name: 'PANTONE 151 C', cmyk: [0, 0.6, 1, 0] },
      subpaths: [square(40, 20, 90, 70)],
    },
    {
      ...CUT,
      subpaths: [
        square(5, 5, 95, 75),
        { start: { x: 5, y: 40 }, segments: [{ kind: 'line', to: { x: 95, y: 40 } }], closed: false },
      ],
    },
  ],
};

/** Uncompressed, object streams off: the PDF as text. */
async function qdf(dir: string, pdf: Buffer): Promise<string> {
  const file = join(dir, 'in.pdf');
  await writeFile(file, pdf);
  await run('qpdf', ['--qdf', '--object-streams=disable', file, join(dir, 'qdf.pdf')]);
  return (await readFile(join(dir, 'qdf.pdf'))).toString('latin1');
}

/**
 * Separates a PDF or EPS with Ghostscript's tiffsep at `dpi`: ink name → coverage
 * per pixel (0..1) of `page` (1-based).
 */
async function separations(file: string, dpi: number, page = 1): Promise<Map<string, RgbaImage>> {
  const dir = join(file, '..');
  const eps = file.endsWith('.eps');
  await run('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    ...(eps ? ['-dEPSCrop'] : []),
    '-sDEVICE=tiffsep',
    `-r${dpi}`,
    `-sOutputFile=${join(dir, 'sep-%d.tif')}`,
    file,
  ]);
  const out = new Map<string, RgbaImage>();
  for (const name of await readdir(dir)) {
    const m = new RegExp(`^sep-${page}\\((.+)\\)\\.tif$`).exec(name);
    if (m) out.set(m[1], await rgba(await readFile(join(dir, name))));
  }
  return out;
}

/** Ink coverage 0..1 at image pixel (x, y) of a separation rendered at `k` device pixels per image pixel. */
function ink(sep: RgbaImage | undefined, x: number, y: number, k: number): number {
  assert.ok(sep, 'separation present');
  return 1 - pixel(sep, Math.floor(x * k), Math.floor(y * k))[0] / 255;
}

describe('spot colour names', () => {
  it('escapes PDF names with #xx', () => {
    assert.equal(pdfName('CutContour'), '/CutContour');
    assert.equal(pdfName('PANTONE 151 C'), '/PANTONE#20151#20C');
    assert.equal(pdfName('a/b(c)#%'), '/a#2Fb#28c#29#23#25');
    assert.equal(pdfName('Grün'), '/Gr#C3#BCn');
  });

  it('makes R12 layer names', () => {
    assert.equal(layerName('CutContour'), 'CutContour');
    assert.equal(layerName('PANTONE 151 C'), 'PANTONE_151_C');
    assert.equal(layerName('x'.repeat(40)).length, 31);
  });
});

describe('PDF with spot inks, strokes and overprint', () => {
  it('declares each ink as a Separation with a CMYK alternate, once', () =>
    withTempDir(async (dir) => {
      const text = await qdf(dir, toPdf(image));
      const seps = [...text.matchAll(/\/Separation\s+(\/\S+)\s+\/DeviceCMYK\s+<<([^>]*)>>/g)];
      assert.deepEqual(
        seps.map((m) => m[1]),
        ['/PANTONE#20151#20C', '/CutContour'],
      );
      const cut = seps[1][2].replace(/\s+/g, ' ');
      assert.match(cut, /\/FunctionType 2/);
      assert.match(cut, /\/C0 \[ 0 0 0 0 \]/);
      assert.match(cut, /\/C1 \[ 0 1 0 0 \]/);
      assert.match(text.replace(/\s+/g, ' '), /\/OP true \/OPM 1 \/Type \/ExtGState \/op true/);
      assert.match(text, /^\/CS0 cs 1 scn$/m, 'spot fill');
      assert.match(text, /^\/CS1 CS 1 SCN$/m, 'spot stroke');
      assert.match(text, /^1 w 1 j 1 J$/m, 'stroke width in points, round joins');
      assert.match(text, /^\/GS0 gs$/m);
      assert.match(text, /^S$/m);
      assert.ok(toPdf(image).equals(toPdf(image)), 'deterministic');
    }));

  it('separates into the named inks, with the overprinting cut keeping the cyan under it', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'art.pdf');
      await writeFile(file, toPdf(image));
      const k = 2; // 600 DPI on 300-DPI pixels
      const seps = await separations(file, 600);
      assert.deepEqual([...seps.keys()].sort(), [
        'Black',
        'CutContour',
        'Cyan',
        'Magenta',
        'PANTONE 151 C',
        'Yellow',
      ]);
      const cut = seps.get('CutContour');
      assert.ok(ink(cut, 50, 5, k) > 0.9, 'frame on the CutContour plate');
      assert.ok(ink(cut, 20, 40, k) > 0.9, 'open line on the CutContour plate');
      assert.ok(ink(cut, 30, 30, k) < 0.1, 'nothing else on it');
      assert.ok(ink(seps.get('PANTONE 151 C'), 70, 50, k) > 0.9);
      assert.ok(ink(seps.get('Magenta'), 70, 50, k) < 0.1, 'the spot ink is not converted to process');
      const cyan = seps.get('Cyan');
      assert.ok(ink(cyan, 20, 40, k) > 0.5, 'overprint: cyan stays under the cut line');
      assert.ok(ink(cyan, 50, 50, k) < 0.1, 'knockout: no cyan under the opaque spot fill');
    }));

  it('renders the alternates in pdftoppm', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'art.pdf');
      await writeFile(file, toPdf(image));
      await run('pdftoppm', ['-r', '600', '-png', '-singlefile', file, join(dir, 'p')]);
      const img = await rgba(await readFile(join(dir, 'p.png')));
      const [r, g, b] = pixel(img, 50 * 2, 5 * 2);
      assert.ok(r > 180 && g < 80 && b > 100, `magenta cut line: ${[r, g, b]}`);
      const [r2, g2, b2] = pixel(img, 70 * 2, 50 * 2);
      assert.ok(r2 > 200 && g2 > 80 && g2 < 200 && b2 < 80, `orange spot: ${[r2, g2, b2]}`);
    }));

  it('writes one page per picture, each placed like toPdf, sharing the inks', () =>
    withTempDir(async (dir) => {
      const other = translate(image, 0, 0, 200, 80);
      const pdf = toPdfPages([{ image }, { image: other, widthPt: 400, cmyk: true }, { image }]);
      const file = join(dir, 'pages.pdf');
      await writeFile(file, pdf);
      const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '3', file]);
      assert.match(stdout, /Pages:\s+3/);
      assert.match(stdout, /Page\s+1 size:\s+24 x 19\.2 pts/);
      assert.match(stdout, /Page\s+2 size:\s+400 x 160 pts/);
      const text = await qdf(dir, pdf);
      assert.equal((text.match(/\/Separation/g) ?? []).length, 2, 'each ink defined once for all pages');
      assert.match(text, /^1 0\.3333 0 0 k$/m, 'page 2 paints its process colour in CMYK');
      assert.ok(toPdf(image).equals(toPdfPages([{ image }])), 'toPdf is the one-page case');
    }));
});

describe('EPS with spot inks, strokes and overprint', () => {
  const eps = toEps(image);

  it('announces the inks in the DSC header and defines Separation colour spaces', () => {
    const lines = eps.split('\n');
    assert.ok(lines.includes('%%DocumentCustomColors: (PANTONE 151 C)'));
    assert.ok(lines.includes('%%+ (CutContour)'));
    assert.ok(lines.includes('%%CMYKCustomColor: 0 0.6 1 0 (PANTONE 151 C)'));
    assert.ok(lines.includes('%%+ 0 1 0 0 (CutContour)'));
    assert.ok(lines.some((l) => l.startsWith('/S0 [/Separation (PANTONE 151 C) cvn /DeviceCMYK {')));
    assert.ok(lines.some((l) => l.startsWith('/S1 [/Separation /CutContour /DeviceCMYK {')));
    assert.ok(lines.includes('true setoverprint'));
    assert.ok(lines.includes('1 setlinewidth 1 setlinejoin 1 setlinecap'));
    assert.ok(lines.includes('stroke'));
  });

  it('separates into the named inks in Ghostscript', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'art.eps');
      await writeFile(file, eps);
      const seps = await separations(file, 600);
      assert.ok(seps.has('CutContour') && seps.has('PANTONE 151 C'), [...seps.keys()].join());
      assert.ok(ink(seps.get('CutContour'), 50, 5, 2) > 0.9);
      assert.ok(ink(seps.get('CutContour'), 30, 30, 2) < 0.1);
      assert.ok(ink(seps.get('Cyan'), 20, 40, 2) > 0.5, 'overprint');
    }));
});

describe('SVG and DXF with spot inks and strokes', () => {
  it('SVG: fill in the preview colour, ink name as data, stroke width from points', () => {
    const svg = toSvg(image, { ptPerPx: 0.5 });
    assert.match(svg, /<rect fill="#f80" data-spot="PANTONE 151 C" x="40" y="20" width="50" height="50"\/>/);
    assert.match(
      svg,
      /<path fill="none" stroke="#f0f" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" data-spot="CutContour" data-overprint="true" d="M5 5h90v70H5Zm0 35h90"\/>/,
      'open subpath: no Z',
    );
    const r = new Resvg(toSvg(image), { background: '#ffffff' }).render();
    const img: RgbaImage = { width: r.width, height: r.height, data: new Uint8Array(r.pixels) };
    assert.deepEqual(pixel(img, 50, 5).slice(0, 3), [255, 0, 255], 'stroke drawn');
    assert.deepEqual(pixel(img, 20, 40).slice(0, 3), [255, 0, 255], 'open line drawn');
  });

  it('DXF: spot shapes on a layer named after the ink, open subpaths open', () => {
    const { polylines, layers } = readDxf(toDxf(image, { layer: 'CUT' }));
    assert.deepEqual(
      polylines.map((l) => l.layer),
      ['CUT', 'PANTONE_151_C', 'CutContour', 'CutContour'],
    );
    assert.deepEqual(
      polylines.map((l) => l.closed),
      [true, true, true, false],
    );
    // spot inks (cut lines) are magenta, the cut layer red, by cutter convention
    assert.deepEqual(layers.get('CutContour'), { aci: 6, rgb: 0xff00ff });
    assert.deepEqual(layers.get('CUT'), { aci: 1, rgb: 0xff0000 });
  });
});

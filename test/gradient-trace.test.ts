/**
 * Gradients in the colour trace: a gradient fill comes out as one shape
 * filled with a linear or radial gradient — in the SVG, the PDF (axial and
 * radial shadings) and the EPS (shfill) — while flat art is traced exactly as
 * before. Fixtures are drawn here as SVG and rendered with resvg: a
 * linear-gradient rectangle, a radial-gradient disc, a flat two-colour logo, a
 * gradient beside a flat ink (a hard edge) and a JPEG q75 of the linear one.
 * Every output is rendered back (resvg, pdftoppm, Ghostscript) and compared
 * with the source or with the SVG's render.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { LogomillError } from '../src/errors.js';
import { type LogoResult, processLogo } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import { offsetOf } from '../src/trace/color/gradient.js';
import { traceImage } from '../src/trace/index.js';
import { toDxf } from '../src/vector/dxf.js';
import { toEps } from '../src/vector/eps.js';
import { centreOnSquare, cropToArt, scaleShape, translate } from '../src/vector/geometry.js';
import { colorAt } from '../src/vector/gradient.js';
import type { Gradient, LinearGradient, RadialGradient, Shape, VectorImage } from '../src/vector/path.js';
import { toPdf } from '../src/vector/pdf.js';
import { toSvg } from '../src/vector/svg.js';
import { cli, deltaE, readDxf, renderEps, renderSvgPixels, rgba, run, withTempDir } from './helpers.js';

const W = 400;
const H = 300;
const doc = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${body}</svg>`;

/** A 320×220 rectangle, red to navy along a direction 29.7° below the x axis. */
const LINEAR_SVG = doc(
  '<defs><linearGradient id="a" gradientUnits="userSpaceOnUse" x1="60" y1="70" x2="340" y2="230">' +
    '<stop offset="0" stop-color="#e63946"/><stop offset="1" stop-color="#1d3557"/></linearGradient></defs>' +
    '<rect x="40" y="40" width="320" height="220" fill="url(#a)"/>',
);
const LINEAR_ANGLE = (Math.atan2(160, 280) * 180) / Math.PI;
/** A disc of radius 120, yellow in the middle to pink at the rim. */
const RADIAL_SVG = doc(
  '<defs><radialGradient id="a" gradientUnits="userSpaceOnUse" cx="200" cy="150" r="120">' +
    '<stop offset="0" stop-color="#ffd166"/><stop offset="1" stop-color="#ef476f"/></radialGradient></defs>' +
    '<circle cx="200" cy="150" r="120" fill="url(#a)"/>',
);
const FLAT_SVG = doc(
  '<rect x="40" y="40" width="200" height="200" fill="#1d3557"/><circle cx="260" cy="150" r="90" fill="#e63946"/>',
);
/** A vertical gradient (green to blue) and, abutting it with a hard edge, a flat pink. */
const MIXED_SVG = doc(
  '<defs><linearGradient id="a" gradientUnits="userSpaceOnUse" x1="0" y1="30" x2="0" y2="270">' +
    '<stop offset="0" stop-color="#06d6a0"/><stop offset="1" stop-color="#118ab2"/></linearGradient></defs>' +
    '<rect x="30" y="30" width="220" height="240" fill="url(#a)"/><rect x="250" y="30" width="120" height="240" fill="#ef476f"/>',
);

function png(svg: string): Buffer {
  return Buffer.from(new Resvg(svg).render().asPng());
}

/** An SVG rendered at its drawing's pixel size on white. */
function renderSvg(svg: string | Buffer): RgbaImage {
  return renderSvgPixels(svg, { background: '#ffffff' });
}

/** The image composited on white. */
function onWhite(img: RgbaImage): RgbaImage {
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < img.data.length; i += 4) {
    const a = img.data[i + 3] / 255;
    for (let c = 0; c < 3; c++) data[i + c] = Math.round(img.data[i + c] * a + 255 * (1 - a));
    data[i + 3] = 255;
  }
  return { width: img.width, height: img.height, data };
}

/** Opaque pixels of the source at least `margin` pixels inside its art (edges are not what is measured). */
function interior(img: RgbaImage, margin = 2): Uint8Array {
  const { width, height, data } = img;
  const out = new Uint8Array(width * height);
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      let ok = true;
      for (let dy = -margin; dy <= margin && ok; dy++)
        for (let dx = -margin; dx <= margin && ok; dx++)
          ok = data[((y + dy) * width + x + dx) * 4 + 3] === 255;
      out[y * width + x] = ok ? 1 : 0;
    }
  }
  return out;
}

/** Mean ΔE76 between two same-size renders over the mask. */
function meanDeltaE(a: RgbaImage, b: RgbaImage, mask: Uint8Array): number {
  assert.equal(a.width, b.width);
  assert.equal(a.height, b.height);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const p = [a.data[i * 4], a.data[i * 4 + 1], a.data[i * 4 + 2]] as [number, number, number];
    const q = [b.data[i * 4], b.data[i * 4 + 1], b.data[i * 4 + 2]] as [number, number, number];
    sum += deltaE(p, q);
    n++;
  }
  assert.ok(n > 0, 'the mask is not empty');
  return sum / n;
}

function hex(rgb: readonly number[]): [number, number, number] {
  return [Math.round(rgb[0] * 255), Math.round(rgb[1] * 255), Math.round(rgb[2] * 255)];
}

function at(img: RgbaImage, x: number, y: number): [number, number, number] {
  const p = (y * img.width + x) * 4;
  return [img.data[p], img.data[p + 1], img.data[p + 2]];
}

/** The gradient's colour where it paints pixel (x, y). */
function gradientAt(g: Gradient, x: number, y: number): [number, number, number] {
  return hex(colorAt(g.stops, offsetOf(g, y * W + x, W)));
}

const gradientShapes = (v: VectorImage) => v.shapes.filter((s) => s.gradient);

/** The axis of a linear gradient in degrees, 0–180. */
function axis(g: LinearGradient): number {
  const a = (Math.atan2(g.y2 - g.y1, g.x2 - g.x1) * 180) / Math.PI;
  return (a + 360) % 180;
}

function file(result: LogoResult, name: string): Buffer {
  const o = result.outputs.find((x) => x.name === name);
  assert.ok(o, `${name} was made`);
  return o.data;
}

const NO_TRIM = { transparent: { trim: false } };

describe('gradient detection in the colour trace', () => {
  let linear: RgbaImage;
  let linearJpeg: RgbaImage;
  before(async () => {
    linear = await rgba(png(LINEAR_SVG));
    linearJpeg = await rgba(
      await sharp(png(LINEAR_SVG)).flatten({ background: '#ffffff' }).jpeg({ quality: 75 }).toBuffer(),
    );
  });

  test('a linear-gradient rectangle is one shape with its linear gradient', () => {
    const v = traceImage(linear, { mode: 'color' });
    assert.equal(v.shapes.length, 1);
    const g = v.shapes[0].gradient;
    assert.ok(g && g.type === 'linear', 'a linear gradient');
    assert.ok(
      Math.abs(axis(g) - LINEAR_ANGLE) < 10,
      `axis ${axis(g).toFixed(1)}°, drawn ${LINEAR_ANGLE.toFixed(1)}°`,
    );
    // the two ends, and a point between them, have the source's colours
    for (const [x, y] of [
      [50, 50],
      [350, 250],
      [200, 150],
    ]) {
      const d = deltaE(gradientAt(g, x, y), at(linear, x, y));
      assert.ok(d < 5, `ΔE ${d.toFixed(1)} at (${x}, ${y})`);
    }
    assert.ok(v.shapes[0].fill.match(/^#[0-9a-f]{6}$/), 'fill: the mean colour, for flat-only writers');
  });

  test('the SVG renders back like the source (mean ΔE76 < 3 over the area)', () => {
    const svg = toSvg(traceImage(linear, { mode: 'color' }));
    assert.match(svg, /<defs><linearGradient id="a" gradientUnits="userSpaceOnUse"/);
    assert.match(svg, /fill="url\(#a\)"/);
    const d = meanDeltaE(renderSvg(svg), onWhite(linear), interior(linear));
    assert.ok(d < 3, `mean ΔE ${d.toFixed(2)}`);
  });

  test('a radial-gradient disc is one shape with its radial gradient', async () => {
    const radial = await rgba(png(RADIAL_SVG));
    const v = traceImage(radial, { mode: 'color' });
    assert.equal(v.shapes.length, 1);
    const g = v.shapes[0].gradient as RadialGradient;
    assert.equal(g?.type, 'radial');
    assert.ok(Math.hypot(g.cx - 200, g.cy - 150) < 4, `centre (${g.cx.toFixed(1)}, ${g.cy.toFixed(1)})`);
    assert.ok(Math.abs(g.r - 120) < 12, `radius ${g.r.toFixed(1)}`);
    assert.ok(deltaE(gradientAt(g, 200, 150), [0xff, 0xd1, 0x66]) < 5, 'centre colour');
    assert.ok(deltaE(gradientAt(g, 200, 32), at(radial, 200, 32)) < 5, 'rim colour');
    const svg = toSvg(v);
    assert.match(
      svg,
      /<radialGradient id="a" gradientUnits="userSpaceOnUse" cx="[\d.]+" cy="[\d.]+" r="[\d.]+">/,
    );
    const d = meanDeltaE(renderSvg(svg), onWhite(radial), interior(radial));
    assert.ok(d < 3, `mean ΔE ${d.toFixed(2)}`);
  });

  test('flat art: no gradient, and the SVG is byte-identical with gradients on or off', async () => {
    for (const img of [
      await rgba(png(FLAT_SVG)),
      await rgba(
        await sharp(png(FLAT_SVG)).flatten({ background: '#ffffff' }).jpeg({ quality: 75 }).toBuffer(),
      ),
    ]) {
      for (const stacking of ['stacked', 'cutout'] as const) {
        const keep = traceImage(img, { mode: 'color', stacking });
        assert.equal(gradientShapes(keep).length, 0);
        assert.equal(toSvg(keep), toSvg(traceImage(img, { mode: 'color', stacking, gradients: 'flatten' })));
        assert.equal(toSvg(keep), toSvg(traceImage(img, { mode: 'color', stacking, gradientSteps: 4 })));
      }
    }
  });

  test('a gradient beside a flat ink: the gradient is one shape, the ink stays flat', async () => {
    const mixed = await rgba(png(MIXED_SVG));
    for (const stacking of ['stacked', 'cutout'] as const) {
      const v = traceImage(mixed, { mode: 'color', stacking });
      assert.equal(v.shapes.length, 2, `${stacking}: ${v.shapes.map((s) => s.fill).join(' ')}`);
      const [g] = gradientShapes(v);
      assert.ok(g?.gradient?.type === 'linear');
      assert.ok(Math.abs(axis(g.gradient) - 90) < 10, `vertical, got ${axis(g.gradient).toFixed(1)}°`);
      assert.ok(deltaE(gradientAt(g.gradient, 100, 35), [0x06, 0xd6, 0xa0]) < 5, 'top colour');
      assert.ok(deltaE(gradientAt(g.gradient, 100, 265), at(mixed, 100, 265)) < 5, 'bottom colour');
      const flat = v.shapes.find((s) => !s.gradient);
      assert.ok(flat && deltaE(hex(rgb(flat.fill)), [0xef, 0x47, 0x6f]) < 3, 'the pink stays a flat ink');
      const d = meanDeltaE(renderSvg(toSvg(v)), onWhite(mixed), interior(mixed));
      assert.ok(d < 3, `${stacking}: mean ΔE ${d.toFixed(2)}`);
    }
  });

  test('a JPEG q75 of the gradient: still one smooth gradient, not blotches', () => {
    const v = traceImage(linearJpeg, { mode: 'color' });
    const grads = gradientShapes(v);
    assert.equal(grads.length, 1);
    const g = grads[0].gradient as LinearGradient;
    assert.equal(g.type, 'linear');
    assert.ok(Math.abs(axis(g) - LINEAR_ANGLE) < 10, `axis ${axis(g).toFixed(1)}°`);
    assert.ok(deltaE(gradientAt(g, 50, 50), at(linear, 50, 50)) < 5, 'start colour');
    assert.ok(deltaE(gradientAt(g, 350, 250), at(linear, 350, 250)) < 5, 'end colour');
    assert.ok(v.shapes.length <= 3, `${v.shapes.length} shapes: at most slivers besides the gradient`);
    // against the clean source, not the JPEG
    const d = meanDeltaE(renderSvg(toSvg(v)), onWhite(linear), interior(linear));
    assert.ok(d < 3, `mean ΔE ${d.toFixed(2)}`);
  });

  test('gradientSteps N: each gradient as N flat bands of equal width', () => {
    const v = traceImage(linear, { mode: 'color', gradientSteps: 4 });
    assert.equal(v.shapes.length, 4);
    assert.equal(gradientShapes(v).length, 0);
    assert.equal(new Set(v.shapes.map((s) => s.fill)).size, 4, 'four colours');
    const cutout = traceImage(linear, { mode: 'color', gradientSteps: 4, stacking: 'cutout' });
    assert.equal(cutout.shapes.length, 4);
    const one = traceImage(linear, { mode: 'color', gradientSteps: 1 });
    assert.equal(one.shapes.length, 1);
    assert.equal(gradientShapes(one).length, 0);
  });

  test('gradients flatten: the flat bands of before', () => {
    const v = traceImage(linear, { mode: 'color', gradients: 'flatten' });
    assert.ok(v.shapes.length >= 3, `${v.shapes.length} bands`);
    assert.equal(gradientShapes(v).length, 0);
  });

  test('bad gradient options are refused', () => {
    for (const o of [{ gradients: 'smooth' as 'keep' }, { gradientSteps: 1.5 }, { gradientSteps: 99 }]) {
      assert.throws(
        () => traceImage(linear, { mode: 'color', ...o }),
        (e: unknown) => e instanceof LogomillError && e.code === 'E_BAD_OPTION',
      );
    }
  });
});

function rgb(h: string): [number, number, number] {
  const n = Number.parseInt(h.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

describe('vector-color files with gradients', () => {
  let linearPng: Buffer;
  let linear: RgbaImage;
  let result: LogoResult;
  let radialResult: LogoResult;
  before(async () => {
    linearPng = png(LINEAR_SVG);
    linear = await rgba(linearPng);
    result = await processLogo(linearPng, { variations: ['vector-color'], options: NO_TRIM });
    radialResult = await processLogo(png(RADIAL_SVG), { variations: ['vector-color'], options: NO_TRIM });
  });

  test('SVG, PDF and EPS carry the gradient; the PDF passes qpdf --check', () =>
    withTempDir(async (dir) => {
      assert.match(file(result, 'vector-color.svg').toString(), /<linearGradient id="a"/);
      const pdf = file(result, 'vector-color.pdf').toString('latin1');
      assert.match(pdf, /\/Shading << \/Sh0 \d+ 0 R >>/);
      const eps = file(result, 'vector-color.eps').toString();
      assert.match(eps, /%%LanguageLevel: 3/);
      assert.match(eps, /eoclip n\n<< \/ShadingType 2 \/ColorSpace \/DeviceRGB .* shfill/);
      assert.match(file(radialResult, 'vector-color.eps').toString(), /\/ShadingType 3 /);
      for (const [name, bytes] of [
        ['l.pdf', file(result, 'vector-color.pdf')],
        ['r.pdf', file(radialResult, 'vector-color.pdf')],
      ] as const) {
        await writeFile(join(dir, name), bytes);
        await run('qpdf', ['--check', join(dir, name)]);
        await run('qpdf', ['--qdf', '--object-streams=disable', join(dir, name), join(dir, `q-${name}`)]);
        const q = (await readFile(join(dir, `q-${name}`))).toString('latin1');
        assert.match(q, name === 'l.pdf' ? /\/ShadingType 2/ : /\/ShadingType 3/);
        assert.match(q, /W\* n\n\/Sh0 sh/);
      }
    }));

  test('pdftoppm and Ghostscript render the PDF and EPS like the SVG', () =>
    withTempDir(async (dir) => {
      const mask = interior(linear, 3);
      for (const r of [result, radialResult]) {
        const svg = renderSvg(file(r, 'vector-color.svg'));
        await writeFile(join(dir, 'v.pdf'), file(r, 'vector-color.pdf'));
        await run('pdftoppm', ['-r', '300', '-png', '-singlefile', join(dir, 'v.pdf'), join(dir, 'p')]);
        const pdf = await rgba(await readFile(join(dir, 'p.png')));
        const dPdf = meanDeltaE(pdf, svg, mask);
        assert.ok(dPdf < 2, `PDF: mean ΔE ${dPdf.toFixed(2)}`);
        await writeFile(join(dir, 'v.eps'), file(r, 'vector-color.eps'));
        const eps = await renderEps(join(dir, 'v.eps'), 300);
        const dEps = meanDeltaE(eps, svg, mask);
        assert.ok(dEps < 2, `EPS: mean ΔE ${dEps.toFixed(2)}`);
      }
    }));

  test('a CMYK PDF converts the stops like flat colours (rendered against 32 flat CMYK bands)', () =>
    withTempDir(async (dir) => {
      const cmyk = { ...NO_TRIM, 'vector-color': { cmyk: true } };
      const smooth = await processLogo(linearPng, { variations: ['vector-color'], options: cmyk });
      const bands = await processLogo(linearPng, {
        variations: ['vector-color'],
        options: { ...NO_TRIM, 'vector-color': { cmyk: true, gradientSteps: 32 } },
      });
      const bytes = file(smooth, 'vector-color.pdf');
      assert.match(bytes.toString('latin1'), /\/ColorSpace \/DeviceCMYK \/Coords/);
      const render = async (name: string, pdf: Buffer) => {
        await writeFile(join(dir, `${name}.pdf`), pdf);
        await run('qpdf', ['--check', join(dir, `${name}.pdf`)]);
        await run('pdftoppm', [
          '-r',
          '300',
          '-png',
          '-singlefile',
          join(dir, `${name}.pdf`),
          join(dir, name),
        ]);
        return rgba(await readFile(join(dir, `${name}.png`)));
      };
      // pdftoppm's CMYK → RGB is not the inverse of the naive conversion: compare CMYK with CMYK
      const d = meanDeltaE(
        await render('s', bytes),
        await render('b', file(bands, 'vector-color.pdf')),
        interior(linear, 3),
      );
      assert.ok(d < 2, `mean ΔE ${d.toFixed(2)}`);
    }));

  test('outputs are byte-deterministic', async () => {
    const again = await processLogo(linearPng, { variations: ['vector-color'], options: NO_TRIM });
    for (const name of ['vector-color.svg', 'vector-color.pdf', 'vector-color.eps'])
      assert.ok(file(again, name).equals(file(result, name)), name);
  });

  test('the variation takes gradients and gradientSteps', async () => {
    const flat = await processLogo(linearPng, {
      variations: ['vector-color'],
      options: { ...NO_TRIM, 'vector-color': { gradients: 'flatten' } },
    });
    assert.doesNotMatch(file(flat, 'vector-color.svg').toString(), /Gradient/);
    const steps = await processLogo(linearPng, {
      variations: ['vector-color'],
      options: { ...NO_TRIM, 'vector-color': { gradientSteps: 4 } },
    });
    const svg = file(steps, 'vector-color.svg').toString();
    assert.equal(svg.match(/<path/g)?.length, 4);
    assert.doesNotMatch(svg, /Gradient/);
    await assert.rejects(
      processLogo(linearPng, {
        variations: ['vector-color'],
        options: { 'vector-color': { gradientSteps: 99 } },
      }),
      (e: unknown) => e instanceof LogomillError && e.code === 'E_BAD_OPTION',
    );
  });

  test('logomill trace --mode color: --gradients and --gradient-steps', () =>
    withTempDir(async (dir) => {
      const input = join(dir, 'in.png');
      await writeFile(input, linearPng);
      const out = (name: string) => join(dir, name);
      let r = cli(['trace', input, '-o', out('keep.svg'), '--mode', 'color']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(await readFile(out('keep.svg'), 'utf8'), /<linearGradient/);
      r = cli(['trace', input, '-o', out('steps.svg'), '--mode', 'color', '--gradient-steps', '4']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await readFile(out('steps.svg'), 'utf8')).match(/<path/g)?.length, 4);
      r = cli(['trace', input, '-o', out('flat.pdf'), '--mode', 'color', '--gradients', 'flatten']);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch((await readFile(out('flat.pdf'))).toString('latin1'), /Shading/);
      r = cli(['trace', input, '-o', out('bad.svg'), '--mode', 'color', '--gradients', 'smooth']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /E_BAD_OPTION/);
    }));
});

describe('gradients in the path model and the writers', () => {
  const square = (x0: number, y0: number, x1: number, y1: number): Shape['subpaths'][number] => {
    const to = (x: number, y: number) => ({ kind: 'line' as const, to: { x, y } });
    return { start: { x: x0, y: y0 }, segments: [to(x1, y0), to(x1, y1), to(x0, y1), to(x0, y0)] };
  };
  const lin: LinearGradient = {
    type: 'linear',
    x1: 10,
    y1: 10,
    x2: 50,
    y2: 10,
    stops: [
      { offset: 0, color: '#ff0000' },
      { offset: 0.5, color: '#00ff00' },
      { offset: 1, color: '#0000ff' },
    ],
  };
  const rad: RadialGradient = {
    type: 'radial',
    cx: 80,
    cy: 30,
    r: 20,
    stops: [
      { offset: 0, color: '#ffffff' },
      { offset: 1, color: '#000000' },
    ],
  };
  const image: VectorImage = {
    width: 100,
    height: 60,
    shapes: [
      { fill: '#00ff00', gradient: lin, subpaths: [square(10, 10, 50, 50)] },
      { fill: '#808080', gradient: rad, subpaths: [square(60, 10, 100, 50)] },
      { fill: '#123456', subpaths: [square(0, 0, 5, 5)] },
    ],
  };

  test('SVG: one <defs>, ids in paint order, user-space coordinates, flat shapes as before', () => {
    const svg = toSvg(image);
    assert.equal(
      svg,
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 60" width="100" height="60" fill-rule="evenodd">' +
        '<defs><linearGradient id="a" gradientUnits="userSpaceOnUse" x1="10" y1="10" x2="50" y2="10">' +
        '<stop offset="0" stop-color="#f00"/><stop offset=".5" stop-color="#0f0"/><stop offset="1" stop-color="#00f"/>' +
        '</linearGradient><radialGradient id="b" gradientUnits="userSpaceOnUse" cx="80" cy="30" r="20">' +
        '<stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></radialGradient></defs>' +
        '<rect fill="url(#a)" x="10" y="10" width="40" height="40"/>' +
        '<rect fill="url(#b)" x="60" y="10" width="40" height="40"/><rect fill="#123456" width="5" height="5"/></svg>',
    );
  });

  test('PDF: a stitching function for three stops, exponential for two; EPS: the same dictionaries', () => {
    const pdf = toPdf(image).toString('latin1');
    assert.match(
      pdf,
      /<< \/ShadingType 2 \/ColorSpace \/DeviceRGB \/Coords \[2\.4 12 12 12\] \/Function << \/FunctionType 3 \/Domain \[0 1\] \/Functions \[<< \/FunctionType 2 \/Domain \[0 1\] \/C0 \[1 0 0\] \/C1 \[0 1 0\] \/N 1 >> << \/FunctionType 2 \/Domain \[0 1\] \/C0 \[0 1 0\] \/C1 \[0 0 1\] \/N 1 >>\] \/Bounds \[0.5\] \/Encode \[0 1 0 1\] >> \/Extend \[true true\] >>/,
    );
    assert.match(
      pdf,
      /<< \/ShadingType 3 \/ColorSpace \/DeviceRGB \/Coords \[19\.2 7\.2 0 19\.2 7\.2 4\.8\] \/Function << \/FunctionType 2 \/Domain \[0 1\] \/C0 \[1 1 1\] \/C1 \[0 0 0\] \/N 1 >> \/Extend \[true true\] >>/,
    );
    assert.ok(toPdf(image).equals(toPdf(image)), 'deterministic');
    const eps = toEps(image);
    assert.match(eps, /%%LanguageLevel: 3\n/);
    assert.match(eps, /gsave\nn\n2\.4 12 m\n.*\nh\neoclip n\n<< \/ShadingType 2 .*>> shfill\ngrestore/s);
    // a picture without gradients stays Level 2, unchanged
    assert.match(toEps({ ...image, shapes: [image.shapes[2]] }), /%%LanguageLevel: 2\n/);
  });

  test('DXF: gradient shapes are drawn on their mean colour’s layer', () => {
    const layers = readDxf(toDxf(image)).polylines.map((l) => l.layer);
    assert.ok(layers.includes('00FF00'));
    assert.ok(layers.includes('808080'));
  });

  test('translate, cropToArt, centreOnSquare and scaleShape move the gradient with its shape', () => {
    const moved = translate(image, 5, -3, 110, 70);
    assert.deepEqual(
      [moved.shapes[0].gradient, moved.shapes[1].gradient],
      [
        { ...lin, x1: 15, y1: 7, x2: 55, y2: 7 },
        { ...rad, cx: 85, cy: 27 },
      ],
    );
    assert.equal(moved.shapes[2].gradient, undefined);
    assert.equal('gradient' in moved.shapes[2], false, 'flat shapes gain no key');
    const cropped = cropToArt(image, 2);
    assert.deepEqual(cropped.shapes[1].gradient, { ...rad, cx: 82, cy: 32 });
    const square1 = centreOnSquare(image);
    assert.equal(square1.width, 100);
    assert.deepEqual(square1.shapes[0].gradient, { ...lin, y1: 35, y2: 35 });
    const scaled = scaleShape(image.shapes[1], 2);
    assert.deepEqual(scaled.gradient, { ...rad, cx: 160, cy: 60, r: 40 });
    assert.deepEqual(scaled.subpaths[0].start, { x: 120, y: 20 });
  });
});

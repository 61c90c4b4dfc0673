/**
 * The vector writers (SVG, PDF, EPS, DXF) on a hand-built picture: a 100×80
 * canvas with a red square that has a square hole (two subpaths, even-odd)
 * and a blue circle of four cubics. SVG, PDF and EPS are rendered back to
 * pixels (sharp, pdftoppm, Ghostscript) and probed; the DXF is parsed here.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { cmykOf } from '../src/color/cmyk.js';
import type { RgbaImage } from '../src/io/image.js';
import { toDxf } from '../src/vector/dxf.js';
import { toEps } from '../src/vector/eps.js';
import type { Point, Subpath, VectorImage } from '../src/vector/path.js';
import { toPdf } from '../src/vector/pdf.js';
import { pathData, svgPrecision, toSvg } from '../src/vector/svg.js';
import { flatten, fmt } from '../src/vector/transform.js';
import {
  auditDxf,
  dxfPoints,
  parsePathData,
  pixel,
  readDxf,
  renderEps,
  rgba,
  run,
  withTempDir,
} from './helpers.js';

const W = 100;
const H = 80;
const CIRCLE = { x: 75, y: 45, r: 15 };

function square(x0: number, y0: number, x1: number, y1: number): Subpath {
  const to = (x: number, y: number) => ({ kind: 'line' as const, to: { x, y } });
  return { start: { x: x0, y: y0 }, segments: [to(x1, y0), to(x1, y1), to(x0, y1), to(x0, y0)] };
}

function circle(cx: number, cy: number, r: number): Subpath {
  const k = 0.5522847498 * r;
  const p = (x: number, y: number): Point => ({ x: cx + x, y: cy + y });
  return {
    start: p(r, 0),
    segments: [
      { kind: 'cubic', c1: p(r, k), c2: p(k, r), to: p(0, r) },
      { kind: 'cubic', c1: p(-k, r), c2: p(-r, k), to: p(-r, 0) },
      { kind: 'cubic', c1: p(-r, -k), c2: p(-k, -r), to: p(0, -r) },
      { kind: 'cubic', c1: p(k, -r), c2: p(r, -k), to: p(r, 0) },
    ],
  };
}

const image: VectorImage = {
  width: W,
  height: H,
  shapes: [
    { fill: '#ff0000', subpaths: [square(10, 10, 50, 50), square(20, 20, 40, 40)] },
    { fill: '#0000ff', subpaths: [circle(CIRCLE.x, CIRCLE.y, CIRCLE.r)] },
  ],
};

type Rgb = [number, number, number];
const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];
/** Probe points in image pixels and what should be there (null: nothing painted). */
const PROBES: { at: [number, number]; want: Rgb | null; what: string }[] = [
  { at: [14, 30], want: RED, what: 'red square' },
  { at: [45, 15], want: RED, what: 'red square, top right' },
  { at: [30, 30], want: null, what: 'hole in the square' },
  { at: [75, 45], want: BLUE, what: 'circle centre' },
  { at: [75, 34], want: BLUE, what: 'circle, upper half' },
  { at: [95, 5], want: null, what: 'top right corner' },
  { at: [30, 70], want: null, what: 'below the square' },
  { at: [75, 20], want: null, what: 'above the circle' },
];

function near(got: number[], want: number[], tol = 8): boolean {
  return got.every((v, i) => Math.abs(v - want[i]) <= tol);
}

/** Checks the probes on a rendering whose art is `img` scaled by `k` (offset `dy` rows down). */
function probe(img: RgbaImage, k: number, background: Rgb | 'transparent', dy = 0): void {
  for (const { at, want, what } of PROBES) {
    const [r, g, b, a] = pixel(img, Math.floor(at[0] * k), Math.floor(at[1] * k) + dy);
    if (want) {
      assert.ok(a > 250 && near([r, g, b], want), `${what}: got ${[r, g, b, a]}, want ${want}`);
    } else if (background === 'transparent') {
      assert.ok(a < 5, `${what}: got ${[r, g, b, a]}, want transparent`);
    } else {
      assert.ok(near([r, g, b], background), `${what}: got ${[r, g, b]}, want ${background}`);
    }
  }
}

describe('shared helpers', () => {
  it('formats numbers compactly', () => {
    assert.equal(fmt(2.5, 2), '2.5');
    assert.equal(fmt(3, 2), '3');
    assert.equal(fmt(-0.0001, 2), '0');
    assert.equal(fmt(1.23456, 3), '1.235');
    assert.equal(fmt(1e-7, 3), '0');
    assert.equal(fmt(120, 2), '120');
  });

  it('flattens cubics within tolerance and leaves lines alone', () => {
    assert.equal(flatten(square(0, 0, 10, 10), 0.1).length, 4);
    for (const tol of [1, 0.1, 0.01]) {
      const pts = flatten(circle(0, 0, 50), tol);
      for (let i = 0; i < pts.length; i++) {
        const a = pts[i];
        const b = pts[(i + 1) % pts.length];
        assert.ok(Math.abs(Math.hypot(a.x, a.y) - 50) < 0.02, 'vertices on the circle');
        assert.ok(50 - Math.hypot((a.x + b.x) / 2, (a.y + b.y) / 2) <= tol + 0.02, 'chords within tolerance');
      }
    }
  });

  it('converts RGB to CMYK naively', () => {
    assert.deepEqual(cmykOf('#ff0000'), [0, 1, 1, 0]);
    assert.deepEqual(cmykOf('#000000'), [0, 0, 0, 1]);
    assert.deepEqual(cmykOf('#ffffff'), [0, 0, 0, 0]);
  });
});

describe('toSvg', () => {
  it('writes compact path data', () => {
    // lines along an axis as H/V; each command absolute or relative, whichever is shorter
    assert.equal(pathData([square(10, 2.5, 3, 4)], 2), 'M10 2.5H3V4h7Z');
    const d = pathData(
      [
        {
          start: { x: 0.5, y: -1 },
          segments: [{ kind: 'cubic', c1: { x: 1.25, y: 0.5 }, c2: { x: -2, y: 3 }, to: { x: 0.5, y: -1 } }],
        },
      ],
      2,
    );
    assert.equal(d, 'M.5-1C1.25.5-2 3 .5-1Z');
  });

  it('fills leave out Z; S where the first handle mirrors the last; strokes keep Z', () => {
    // a filled square: the fill closes it, so neither the last line nor Z is written
    assert.equal(pathData([square(10, 2.5, 3, 4)], 2, true), 'M10 2.5H3V4h7');
    const wave: Subpath = {
      start: { x: 0, y: 0 },
      segments: [
        { kind: 'cubic', c1: { x: 1, y: 2 }, c2: { x: 3, y: 2 }, to: { x: 4, y: 0 } },
        { kind: 'cubic', c1: { x: 5, y: -2 }, c2: { x: 7, y: -2 }, to: { x: 8, y: 0 } },
        { kind: 'cubic', c1: { x: 9, y: 1 }, c2: { x: 11, y: 2 }, to: { x: 12, y: 0 } },
      ],
      closed: false,
    };
    const d = pathData([wave], 2);
    assert.equal(d, 'M0 0c1 2 3 2 4 0s3-2 4 0c1 1 3 2 4 0');
    // read back, the S segment has the mirrored handle
    assert.deepEqual(parsePathData(d)[0].segments[1], wave.segments[1]);
  });

  it('keeps the decimals the size needs: under 0.01 mm printed and 1/2000 of the picture', () => {
    const at300 = 72 / 300;
    assert.equal(svgPrecision({ width: 400, height: 300 }, at300), 1); // 0.1 px = 0.008 mm
    assert.equal(svgPrecision({ width: 64, height: 64 }, at300), 2); // 1/2000 of 64 px = 0.032
    assert.equal(svgPrecision({ width: 400, height: 300 }, 72 / 25.4), 2); // 1 px = 1 mm printed
    assert.equal(svgPrecision({ width: 100000, height: 10 }, 72 / 10), 3); // capped at 3
    assert.equal(svgPrecision({ width: 4000, height: 4000 }, 0.001), 0);
    const svg = toSvg({
      width: 400,
      height: 300,
      shapes: [{ fill: '#123456', subpaths: [square(10.04, 20.06, 300.12, 200.17)] }],
    });
    assert.match(svg, /<rect fill="#123456" x="10" y="20.1" width="290.1" height="180.1"\/>/);
  });

  it('exact circles, ellipses and (rounded) rectangles are written as such; a near-circle stays a path', () => {
    const shapes = (sp: Subpath) =>
      toSvg({ width: 100, height: 100, shapes: [{ fill: '#000000', subpaths: [sp] }] });
    assert.match(shapes(circle(50, 40, 20.5)), /<circle cx="50" cy="40" r="20.5"\/>/);
    assert.match(shapes(square(10, 20, 70, 35)), /<rect x="10" y="20" width="60" height="15"\/>/);
    // 2 % wider than tall: an ellipse, not a circle
    const oval = circle(50, 40, 20);
    const wide = {
      start: { x: 50 + (oval.start.x - 50) * 1.02, y: oval.start.y },
      segments: oval.segments.map((s) =>
        s.kind === 'cubic'
          ? {
              ...s,
              c1: { x: 50 + (s.c1.x - 50) * 1.02, y: s.c1.y },
              c2: { x: 50 + (s.c2.x - 50) * 1.02, y: s.c2.y },
              to: { x: 50 + (s.to.x - 50) * 1.02, y: s.to.y },
            }
          : s,
      ),
    };
    assert.doesNotMatch(shapes(wide), /<circle/);
    assert.match(shapes(wide), /<ellipse cx="50" cy="40" rx="20.4" ry="20"\/>/);
    // a near-circle (one handle pulled out by 5 %): neither circle nor ellipse, a path
    const dented = circle(50, 40, 20);
    const first = dented.segments[0];
    assert.ok(first.kind === 'cubic');
    const pulled = {
      ...dented,
      segments: [{ ...first, c1: { x: first.c1.x + 1, y: first.c1.y } }, ...dented.segments.slice(1)],
    };
    assert.match(shapes(pulled), /^<svg[^>]*><path /);
    // a rounded rectangle: four edges and four quarter circles of radius 5
    const k = 0.5522847498 * 5;
    const P = (x: number, y: number) => ({ x, y });
    const roundRect: Subpath = {
      start: P(15, 20),
      segments: [
        { kind: 'line', to: P(65, 20) },
        { kind: 'cubic', c1: P(65 + k, 20), c2: P(70, 25 - k), to: P(70, 25) },
        { kind: 'line', to: P(70, 45) },
        { kind: 'cubic', c1: P(70, 45 + k), c2: P(65 + k, 50), to: P(65, 50) },
        { kind: 'line', to: P(15, 50) },
        { kind: 'cubic', c1: P(15 - k, 50), c2: P(10, 45 + k), to: P(10, 45) },
        { kind: 'line', to: P(10, 25) },
        { kind: 'cubic', c1: P(10, 25 - k), c2: P(15 - k, 20), to: P(15, 20) },
      ],
    };
    assert.match(shapes(roundRect), /<rect x="10" y="20" width="60" height="30" rx="5"\/>/);
    // a stroked circle (a cut line) stays a path
    assert.doesNotMatch(
      toSvg({
        width: 100,
        height: 100,
        shapes: [{ fill: '#000000', stroke: { widthPt: 1 }, subpaths: [circle(50, 40, 20)] }],
      }),
      /<circle/,
    );
  });

  it('relative steps never drift: random paths read back to their points rounded, and are shorter', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let run = 0; run < 20; run++) {
      const at = () => ({ x: 500 + rnd() * 500, y: 500 + rnd() * 500 });
      const subpaths: Subpath[] = [0, 1].map(() => ({
        start: at(),
        segments: Array.from({ length: 40 }, (_, i) =>
          i % 3 === 0
            ? { kind: 'line' as const, to: at() }
            : { kind: 'cubic' as const, c1: at(), c2: at(), to: at() },
        ),
      }));
      const d = pathData(subpaths, 2);
      const back = parsePathData(d);
      const r = (v: number) => Math.round(v * 100) / 100;
      for (const [k, sp] of subpaths.entries()) {
        assert.ok(Math.abs(back[k].start.x - r(sp.start.x)) < 1e-6);
        for (const [i, seg] of sp.segments.entries()) {
          const got = back[k].segments[i];
          assert.ok(
            Math.abs(got.to.x - r(seg.to.x)) < 1e-6 && Math.abs(got.to.y - r(seg.to.y)) < 1e-6,
            `${k}/${i}`,
          );
        }
      }
      const absolute = subpaths
        .map(
          (sp) =>
            `M${sp.start.x.toFixed(2)} ${sp.start.y.toFixed(2)}${sp.segments.map((s) => (s.kind === 'line' ? `L${s.to.x.toFixed(2)} ${s.to.y.toFixed(2)}` : `C${[s.c1, s.c2, s.to].map((p) => `${p.x.toFixed(2)} ${p.y.toFixed(2)}`).join(' ')}`)).join('')}Z`,
        )
        .join('');
      assert.ok(d.length < absolute.length, `${d.length} vs ${absolute.length}`);
    }
  });

  it('renders to the right size and colours', async () => {
    const svg = toSvg(image);
    assert.match(
      svg,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 100 80" width="100" height="80"/,
    );
    // the square with its hole is a path; the exact circle is a <circle>
    assert.equal((svg.match(/<path /g) ?? []).length, 1);
    assert.match(svg, /<circle fill="#00f" cx="75" cy="45" r="15"\/>/);
    assert.equal(svg, toSvg(image), 'deterministic');
    const img = await rgba(Buffer.from(svg));
    assert.equal(img.width, W);
    assert.equal(img.height, H);
    probe(img, 1, 'transparent');
  });

  it('honours width, height and precision', async () => {
    const svg = toSvg(image, { width: '200', height: '160', precision: 0 });
    assert.doesNotMatch(svg, /\d\.\d/);
    const img = await rgba(Buffer.from(svg));
    assert.equal(img.width, 200);
    assert.equal(img.height, 160);
    probe(img, 2, 'transparent');
  });
});

/** The (single) page content stream of a PDF from toPdf, inflated. */
function contentStream(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const start = text.indexOf('stream\n') + 'stream\n'.length;
  const end = text.indexOf('\nendstream', start);
  return inflateSync(pdf.subarray(start, end)).toString('latin1');
}

describe('toPdf', () => {
  it('is a deterministic vector PDF sized to the art at 300 DPI', async () => {
    const pdf = toPdf(image);
    assert.ok(pdf.equals(toPdf(image)), 'byte-identical across calls');
    const text = pdf.toString('latin1');
    assert.doesNotMatch(text, /\/Subtype\s*\/Image/);
    assert.doesNotMatch(text, /\/XObject/);
    assert.doesNotMatch(text, /CreationDate|\/ID/);
    const content = contentStream(pdf);
    assert.match(content, /^1 0 0 rg$/m);
    assert.match(content, /^f\*$/m);
    assert.doesNotMatch(content, / re$| Do$/m, 'paths only');
    await withTempDir(async (dir) => {
      const file = join(dir, 'art.pdf');
      await writeFile(file, pdf);
      const { stdout } = await run('pdfinfo', [file]);
      assert.match(stdout, /Page size:\s+24 x 19\.2 pts/);
      await run('pdftoppm', ['-r', '300', '-png', '-singlefile', file, join(dir, 'out')]);
      const img = await rgba(await readFile(join(dir, 'out.png')));
      assert.equal(img.width, W);
      assert.equal(img.height, H);
      probe(img, 1, [255, 255, 255]);
    });
  });

  it('scales to widthPt and paints CMYK when asked', async () => {
    const pdf = toPdf(image, { widthPt: 200, cmyk: true });
    const content = contentStream(pdf);
    assert.match(content, /^0 1 1 0 k$/m);
    assert.match(content, /^1 1 0 0 k$/m);
    assert.doesNotMatch(content, / rg$/m);
    await withTempDir(async (dir) => {
      const file = join(dir, 'art.pdf');
      await writeFile(file, pdf);
      const { stdout } = await run('pdfinfo', [file]);
      assert.match(stdout, /Page size:\s+200 x 160 pts/);
      await run('pdftoppm', ['-r', '72', '-png', '-singlefile', file, join(dir, 'out')]);
      const img = await rgba(await readFile(join(dir, 'out.png')));
      assert.equal(img.width, 200);
      assert.equal(img.height, 160);
      // Poppler renders DeviceCMYK through its own press-like conversion, so only check the hue.
      for (const { at, want, what } of PROBES) {
        const [r, g, b] = pixel(img, at[0] * 2, at[1] * 2);
        if (want === RED) assert.ok(r > 180 && g < 80 && b < 80, `${what}: ${[r, g, b]}`);
        else if (want === BLUE) assert.ok(b > 120 && r < 90 && g < 90, `${what}: ${[r, g, b]}`);
        else assert.ok(near([r, g, b], [255, 255, 255]), `${what}: ${[r, g, b]}`);
      }
    });
  });
});

describe('toEps', () => {
  it('writes EPSF-3.0 with bounding boxes and no dates', () => {
    const eps = toEps(image);
    const lines = eps.split('\n');
    assert.equal(lines[0], '%!PS-Adobe-3.0 EPSF-3.0');
    assert.ok(lines.includes('%%BoundingBox: 0 0 24 20'), 'integer box rounded up');
    assert.ok(lines.includes('%%HiResBoundingBox: 0 0 24 19.2'));
    assert.ok(lines.includes('%%LanguageLevel: 2'));
    assert.ok(lines.includes('%%EndComments'));
    assert.doesNotMatch(eps, /CreationDate/);
    assert.equal(eps, toEps(image));
    assert.match(
      toEps(image, { widthPt: 200 }),
      /%%BoundingBox: 0 0 200 160\n%%HiResBoundingBox: 0 0 200 160\n/,
    );
  });

  it('renders in Ghostscript', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'art.eps');
      await writeFile(file, toEps(image, { widthPt: 200 }));
      const img = await renderEps(file, 72, false);
      assert.equal(img.width, 200);
      assert.equal(img.height, 160);
      probe(img, 2, [255, 255, 255]);
    });
  });
});

describe('toDxf', () => {
  const mm = 25.4 / 300;
  const extent = { w: W * mm, h: H * mm };

  it('writes an AutoCAD 2007 file in mm with a header, a layer table, entities and EOF, and ezdxf audits it clean', () =>
    withTempDir(async (dir) => {
      const dxf = toDxf(image);
      const { pairs, header } = readDxf(dxf);
      assert.deepEqual(pairs[0], [0, 'SECTION']);
      assert.deepEqual(pairs[pairs.length - 1], [0, 'EOF']);
      assert.deepEqual(header.get('$ACADVER'), ['AC1021']);
      assert.deepEqual(header.get('$INSUNITS'), ['4']);
      assert.ok(pairs.some(([c, v]) => c === 2 && v === 'ENTITIES'));
      assert.equal(dxf, toDxf(image), 'deterministic');
      await writeFile(join(dir, 'a.dxf'), dxf);
      assert.deepEqual(await auditDxf(join(dir, 'a.dxf')), { version: 'AC1021', errors: 0, fixes: 0 });
    }));

  it('writes closed polylines inside the extent, upright, on colour layers in their colours', () => {
    const { polylines: lines, layers } = readDxf(toDxf(image));
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines.map((l) => l.layer),
      ['FF0000', 'FF0000', '0000FF'],
    );
    assert.deepEqual(layers.get('FF0000'), { aci: 1, rgb: 0xff0000 });
    assert.deepEqual(layers.get('0000FF'), { aci: 5, rgb: 0x0000ff });
    for (const l of lines) {
      assert.equal(l.closed, true);
      assert.ok(l.vertices.length > 2);
      for (const v of l.vertices) {
        assert.ok(
          v.x >= 0 && v.x <= extent.w + 1e-9 && v.y >= 0 && v.y <= extent.h + 1e-9,
          `inside: ${v.x},${v.y}`,
        );
      }
    }
    // The square's top edge (y = 10 px) is near the top of the drawing once y points up.
    const top = Math.max(...lines[0].vertices.map((v) => v.y));
    assert.ok(Math.abs(top - (H - 10) * mm) < 1e-3);
    assert.equal(lines[0].vertices.length, 4, 'straight edges are not subdivided');
    const cut = readDxf(toDxf(image, { layer: 'CUT' }));
    assert.ok(cut.polylines.every((l) => l.layer === 'CUT'));
    assert.deepEqual(cut.layers.get('CUT'), { aci: 1, rgb: 0xff0000 });
  });

  it('ezdxf reads the arcs back onto the circle', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'arcs.dxf');
      await writeFile(file, toDxf(image, { widthMm: 100 }));
      const script = [
        'import sys, ezdxf',
        'from ezdxf import path',
        'doc = ezdxf.readfile(sys.argv[1])',
        'e = list(doc.modelspace().query("LWPOLYLINE"))[2]',
        'print(" ".join(f"{v.x:.5f},{v.y:.5f}" for v in path.make_path(e).flattening(0.005)))',
      ].join('\n');
      const { stdout } = await run('/usr/bin/python3', ['-c', script, file]);
      const k = 100 / W;
      const points = stdout
        .trim()
        .split(' ')
        .map((p) => p.split(',').map(Number));
      assert.ok(points.length > 50);
      for (const [x, y] of points) {
        const d = Math.hypot(x - CIRCLE.x * k, y - (H - CIRCLE.y) * k) - CIRCLE.r * k;
        assert.ok(Math.abs(d) <= 0.05, `ezdxf point ${x},${y} is ${d} mm off the circle`);
      }
    }));

  for (const widthMm of [undefined, 100]) {
    it(`writes the circle as arcs within 0.05 mm (width ${widthMm ?? 'default'}); flatten: chords`, () => {
      const k = widthMm === undefined ? mm : widthMm / W;
      const c = { x: CIRCLE.x * k, y: (H - CIRCLE.y) * k };
      const r = CIRCLE.r * k;
      const onCircle = (p: { x: number; y: number }, tol: number, what: string) =>
        assert.ok(Math.abs(Math.hypot(p.x - c.x, p.y - c.y) - r) <= tol, `${what} off the circle`);
      const arcs = readDxf(toDxf(image, { widthMm })).polylines[2];
      // four quarter Béziers: a handful of arcs (chords within 0.05 mm need dozens of vertices)
      assert.ok(arcs.vertices.length >= 4 && arcs.vertices.length <= 16, `${arcs.vertices.length} vertices`);
      // the circle runs right, bottom, left, top: clockwise on screen, and so in the upright drawing
      assert.ok(
        arcs.vertices.every((v) => v.bulge < 0),
        'clockwise arcs',
      );
      // vertices on the curve (4-decimal rounding, the cubic circle's 0.03 % error); every arc within 0.05 mm
      for (const [i, v] of arcs.vertices.entries()) onCircle(v, 0.001 + r * 3e-4, `vertex ${i}`);
      for (const [i, p] of dxfPoints(arcs, 0.05).entries()) onCircle(p, 0.05, `arc point ${i}`);
      const chords = readDxf(toDxf(image, { widthMm, flatten: true })).polylines[2];
      assert.ok(chords.vertices.length > arcs.vertices.length && chords.vertices.every((v) => v.bulge === 0));
      const vs = chords.vertices;
      for (let i = 0; i < vs.length; i++) {
        const a = vs[i];
        const b = vs[(i + 1) % vs.length];
        onCircle(a, 0.001 + r * 3e-4, `chord vertex ${i}`);
        // chords cut inside the circle by at most the tolerance
        const sag = r - Math.hypot((a.x + b.x) / 2 - c.x, (a.y + b.y) / 2 - c.y);
        assert.ok(sag <= 0.05 + 0.001, `chord ${i} sagitta ${sag}`);
      }
    });
  }
});

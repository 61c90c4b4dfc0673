/**
 * The tracer: mono traces re-rendered against their bitmaps (property tests
 * with fast-check), edge cases (empty, full, 1-pixel features and turdsize),
 * mask selection (transparent, on white, JPEG, threshold), the colour tracer
 * (palette, seams, transparency, determinism) and EPS against SVG.
 * Traces are rendered back with resvg, the benchmark's renderer.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import sharp from 'sharp';
import { LogomillError } from '../src/errors.js';
import { decodeLogo } from '../src/io/decode.js';
import type { RgbaImage } from '../src/io/image.js';
import { type Bitmap, createBitmap } from '../src/trace/bitmap.js';
import { inkMask, otsu, traceImage, traceToSvg } from '../src/trace/index.js';
import { traceBitmap } from '../src/trace/mono.js';
import { toEps } from '../src/vector/eps.js';
import { segmentCount, type VectorImage } from '../src/vector/path.js';
import { toSvg } from '../src/vector/svg.js';
import { deltaE, example, pixel, renderEps, svgDoc, withTempDir } from './helpers.js';

/** Renders an SVG document at its own pixel size to RGBA. */
function renderSvg(svg: string, background?: string): RgbaImage {
  const r = new Resvg(svg, { fitTo: { mode: 'original' }, background }).render();
  return { width: r.width, height: r.height, data: new Uint8Array(r.pixels) };
}

function bitmapFrom(width: number, height: number, on: (x: number, y: number) => boolean): Bitmap {
  const bm = createBitmap(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) bm.bits[y * width + x] = on(x, y) ? 1 : 0;
  return bm;
}

function monoSvg(bm: Bitmap, options = {}): string {
  const subpaths = traceBitmap(bm, options);
  return toSvg({
    width: bm.width,
    height: bm.height,
    shapes: subpaths.length ? [{ fill: '#000000', subpaths }] : [],
  });
}

/** Pixels where the rendered trace (alpha ≥ 50 %) and the bitmap disagree, and how many lie off the bitmap's edges. */
function compare(bm: Bitmap, img: RgbaImage): { wrong: number; offEdge: number; edge: number } {
  const { width, height, bits } = bm;
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : bits[y * width + x];
  let wrong = 0;
  let offEdge = 0;
  let edge = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = at(x, y);
      // an edge pixel has a differing pixel within one step (8-neighbourhood)
      let isEdge = false;
      for (let dy = -1; dy <= 1 && !isEdge; dy++)
        for (let dx = -1; dx <= 1; dx++) if (at(x + dx, y + dy) !== v) isEdge = true;
      if (isEdge) edge++;
      const traced = img.data[(y * width + x) * 4 + 3] >= 128 ? 1 : 0;
      if (traced !== v) {
        wrong++;
        if (!isEdge) offEdge++;
      }
    }
  }
  return { wrong, offEdge, edge };
}

/** A bitmap of random discs and rectangles (blob-like art). */
const blobs = fc
  .record({
    w: fc.integer({ min: 24, max: 90 }),
    h: fc.integer({ min: 24, max: 90 }),
    discs: fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 3, max: 18 }),
      ),
      { maxLength: 5 },
    ),
    rects: fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 3, max: 30 }),
        fc.integer({ min: 3, max: 30 }),
      ),
      { maxLength: 4 },
    ),
  })
  .map(({ w, h, discs, rects }) =>
    bitmapFrom(w, h, (x, y) => {
      // shapes lie inside the canvas (a shape cut by the border can leave a 1-px sliver,
      // which the method is known to thin: that case has its own test)
      for (const [u, v, r] of discs)
        if ((x + 0.5 - (r + u * (w - 2 * r))) ** 2 + (y + 0.5 - (r + v * (h - 2 * r))) ** 2 <= r * r)
          return true;
      for (const [u, v, rw, rh] of rects) {
        const x0 = Math.floor(u * Math.max(0, w - rw));
        const y0 = Math.floor(v * Math.max(0, h - rh));
        if (x >= x0 && x < x0 + rw && y >= y0 && y < y0 + rh) return true;
      }
      return false;
    }),
  );

/** A random bitmap of 4×4-pixel cells (noise with structure the tracer must keep). */
const cellNoise = fc
  .record({
    cw: fc.integer({ min: 1, max: 12 }),
    ch: fc.integer({ min: 1, max: 12 }),
    seed: fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
  })
  .map(({ cw, ch, seed }) =>
    bitmapFrom(cw * 4, ch * 4, (x, y) => seed[Math.floor(y / 4) * 12 + Math.floor(x / 4)]),
  );

describe('mono tracer: traces re-rendered against their bitmaps (fast-check)', () => {
  it('random blobs: every wrong pixel lies on an edge, and few edge pixels are wrong', () => {
    fc.assert(
      fc.property(blobs, (bm) => {
        const { wrong, offEdge, edge } = compare(bm, renderSvg(monoSvg(bm)));
        assert.equal(offEdge, 0, `${offEdge} wrong pixels away from any edge`);
        // the method rounds the corners of tiny shapes (a 4×4 square loses its 4 corner
        // pixels) and smooths 1–2 px notches, so each outline may cost a few pixels on
        // top of a small share of the edge
        const outlines = traceBitmap(bm).length;
        assert.ok(
          wrong <= 4 * outlines + 0.15 * edge,
          `${wrong} wrong of ${edge} edge pixels, ${outlines} outlines`,
        );
      }),
      { numRuns: 60, seed: 20261129 },
    );
  });

  it('random cell noise: traces never throw, and errors stay on the edges', () => {
    fc.assert(
      fc.property(cellNoise, (bm) => {
        const { wrong, offEdge, edge } = compare(bm, renderSvg(monoSvg(bm, { turdSize: 0 })));
        assert.equal(offEdge, 0);
        const outlines = traceBitmap(bm, { turdSize: 0 }).length;
        assert.ok(
          wrong <= 4 * outlines + 0.15 * edge,
          `${wrong} wrong of ${edge} edge pixels, ${outlines} outlines`,
        );
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('a blank bitmap gives an empty but valid SVG', () => {
    const svg = monoSvg(createBitmap(40, 30));
    assert.doesNotMatch(svg, /<path/);
    const img = renderSvg(svg);
    assert.equal(img.width, 40);
    assert.equal(img.height, 30);
    assert.ok(img.data.every((v, i) => i % 4 !== 3 || v === 0));
  });

  it('a full bitmap gives one rectangle of four straight sides', () => {
    const subpaths = traceBitmap(bitmapFrom(37, 23, () => true));
    assert.equal(subpaths.length, 1);
    assert.equal(subpaths[0].segments.length, 4);
    assert.ok(subpaths[0].segments.every((s) => s.kind === 'line'));
    const xs = [subpaths[0].start, ...subpaths[0].segments.map((s) => s.to)].map((p) => [p.x, p.y].join(','));
    for (const corner of ['0,0', '37,0', '37,23', '0,23'])
      assert.ok(xs.includes(corner), `corner ${corner} in ${xs}`);
  });

  it('1-pixel specks and 1-pixel holes go or stay by turdsize', () => {
    // a 1-px dot, a 2×2 dot, and a 20×20 square with a 1-px hole
    const bm = bitmapFrom(
      40,
      30,
      (x, y) =>
        (x === 3 && y === 3) ||
        (x >= 6 && x < 8 && y >= 3 && y < 5) ||
        (x >= 15 && x < 35 && y >= 5 && y < 25 && !(x === 25 && y === 15)),
    );
    assert.equal(traceBitmap(bm, { turdSize: 0 }).length, 4, 'dot, 2×2, square, hole');
    assert.equal(traceBitmap(bm, { turdSize: 1 }).length, 2, '1-px dot and 1-px hole dropped');
    assert.equal(traceBitmap(bm, { turdSize: 4 }).length, 1, 'the 2×2 dot goes too');
    assert.equal(traceBitmap(bm, { turdSize: 400 }).length, 0, 'the 400-px square goes at turdsize 400');
  });

  it('alphamax 0 keeps a square square; opttolerance 0 turns curve merging off', () => {
    const disc = bitmapFrom(80, 80, (x, y) => (x - 40) ** 2 + (y - 40) ** 2 < 900);
    const optimised = traceBitmap(disc).flatMap((s) => s.segments).length;
    const raw = traceBitmap(disc, { optTolerance: 0 }).flatMap((s) => s.segments).length;
    assert.ok(optimised < raw, `${optimised} segments optimised, ${raw} without`);
    const corners = traceBitmap(disc, { alphaMax: 0 }).flatMap((s) => s.segments);
    assert.ok(
      corners.every((s) => s.kind === 'line'),
      'alphamax 0: a polygon',
    );
  });
});

function image(
  width: number,
  height: number,
  paint: (x: number, y: number) => [number, number, number, number],
): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 4);
  return { width, height, data };
}

async function fromSvg(
  body: string,
  w: number,
  h: number,
  background?: string,
  jpeg = false,
): Promise<RgbaImage> {
  let s = sharp(svgDoc(w, h, body));
  if (background) s = s.flatten({ background });
  const bytes = jpeg ? await s.jpeg({ quality: 75 }).toBuffer() : await s.png().toBuffer();
  return (await decodeLogo(bytes)).image;
}

const BADGE =
  '<circle cx="100" cy="80" r="60" fill="#1d3557"/><rect x="70" y="50" width="60" height="60" fill="#e63946"/><rect x="30" y="150" width="140" height="30" fill="#2a9d8f"/>';

describe('ink mask', () => {
  it('transparent logo: ink where opaque (on white paper), white art falls back to its silhouette', async () => {
    const logo = await fromSvg(BADGE, 200, 200);
    const m = inkMask(logo);
    assert.equal(m.source, 'alpha');
    assert.equal(m.bitmap.bits[80 * 200 + 100], 1);
    assert.equal(m.bitmap.bits[5 * 200 + 5], 0);
    const white = await fromSvg('<circle cx="50" cy="50" r="30" fill="#ffffff"/>', 100, 100);
    const w = inkMask(white);
    assert.equal(w.bitmap.bits[50 * 100 + 50], 1, 'a white mark on transparent is still traced');
  });

  it('logo on white: the background goes, enclosed white becomes a hole, edges sit at 50 % coverage', async () => {
    const ring =
      '<circle cx="60" cy="60" r="40" fill="#c0392b"/><circle cx="60" cy="60" r="20" fill="#ffffff"/>';
    const onWhite = inkMask(await fromSvg(ring, 120, 120, '#ffffff'));
    const clean = inkMask(await fromSvg(ring, 120, 120));
    assert.equal(onWhite.source, 'background');
    assert.equal(onWhite.bitmap.bits[60 * 120 + 60], 0, 'the hole of the ring');
    assert.equal(onWhite.bitmap.bits[60 * 120 + 30], 1, 'the ring');
    let diff = 0;
    for (let i = 0; i < onWhite.bitmap.bits.length; i++)
      diff += onWhite.bitmap.bits[i] !== clean.bitmap.bits[i] ? 1 : 0;
    assert.ok(diff <= 4, `on white and on transparent agree (${diff} pixels differ)`);
  });

  it('light ink on dark ink on white is all ink: no paper ring around the light part', async () => {
    // pink letters-like bars on a dark purple tile, on white (the pink is much closer to white)
    const art =
      '<rect x="10" y="10" width="100" height="100" rx="12" fill="#470137"/><rect x="35" y="30" width="14" height="60" fill="#ff61f6"/><circle cx="75" cy="60" r="18" fill="#ff61f6"/>';
    const logo = await fromSvg(art, 120, 120, '#ffffff');
    const { bitmap } = inkMask(logo);
    let holes = 0;
    for (let y = 14; y < 106; y++) for (let x = 14; x < 106; x++) holes += bitmap.bits[y * 120 + x] ? 0 : 1;
    assert.equal(holes, 0, `${holes} paper pixels inside the tile`);
    const img = renderSvg(toSvg(traceImage(logo, { mode: 'color' })), '#00ff00');
    let green = 0;
    for (let y = 14; y < 106; y++)
      for (let x = 14; x < 106; x++)
        green += deltaE(pixel(img, x, y).slice(0, 3) as [number, number, number], [0, 255, 0]) < 60 ? 1 : 0;
    assert.equal(green, 0, `${green} backdrop pixels show inside the colour trace`);
  });

  it('JPEG on white: no speckles, and the same shape as the clean art', async () => {
    const body =
      '<path d="M20 100 L60 20 L100 100 Z" fill="#222"/><rect x="110" y="30" width="60" height="70" fill="#0a58ca"/>';
    const jpeg = await fromSvg(body, 200, 120, '#ffffff', true);
    const traced = traceImage(jpeg);
    assert.equal(traced.shapes.length, 1);
    assert.equal(traced.shapes[0].subpaths.length, 2, 'triangle and rectangle, no specks');
    const clean = renderSvg(toSvg(traceImage(await fromSvg(body, 200, 120))));
    const fromJpeg = renderSvg(toSvg(traced));
    let diff = 0;
    for (let i = 3; i < clean.data.length; i += 4)
      diff += clean.data[i] >= 128 !== fromJpeg.data[i] >= 128 ? 1 : 0;
    assert.ok(diff < 60, `${diff} pixels differ between the JPEG and clean traces`);
  });

  it('threshold overrides the automatic choice; Otsu splits a busy picture', () => {
    const gradient = image(64, 16, (x) => [x * 4, x * 4, x * 4, 255]);
    const low = inkMask(gradient, { threshold: 0.25 });
    assert.equal(low.source, 'threshold');
    assert.equal([...low.bitmap.bits.slice(0, 64)].filter(Boolean).length, 16);
    // a picture with no flat border: left/right halves of different noise → luminance
    const busy = image(40, 40, (x, y) => {
      const noise = ((x * 73856093) ^ (y * 19349663)) >>> 0;
      const v = x < 20 ? noise % 100 : 155 + (noise % 100);
      return [v, v, v, 255];
    });
    const m = inkMask(busy);
    assert.equal(m.source, 'luminance');
    assert.equal(m.bitmap.bits[20 * 40 + 5], 1);
    assert.equal(m.bitmap.bits[20 * 40 + 35], 0);
    const t = otsu(Uint8Array.from([10, 10, 12, 200, 210, 220]));
    assert.ok(t >= 12 && t < 200, `otsu threshold ${t}`);
  });
});

describe('colour tracer', () => {
  it('finds the flat colours, not the anti-aliased blends, and traces one shape per colour', async () => {
    const logo = await fromSvg(BADGE, 200, 200, '#ffffff');
    const v = traceImage(logo, { mode: 'color' });
    const fills = v.shapes.map((s) => s.fill).sort();
    assert.deepEqual(fills, ['#1d3557', '#2a9d8f', '#e63946'].sort());
  });

  it('--colors forces the count; --palette snaps to the given colours', async () => {
    const logo = await fromSvg(BADGE, 200, 200, '#ffffff');
    assert.equal(traceImage(logo, { mode: 'color', colors: 2 }).shapes.length, 2);
    const snapped = traceImage(logo, {
      mode: 'color',
      palette: [
        { r: 0, g: 0, b: 0 },
        { r: 255, g: 0, b: 0 },
      ],
    });
    assert.ok(snapped.shapes.every((s) => s.fill === '#000000' || s.fill === '#ff0000'));
    assert.ok(
      snapped.shapes.some((s) => s.fill === '#ff0000'),
      'the red square snaps to red',
    );
  });

  it('stacked layers leave no seam: on a contrasting backdrop no backdrop pixel shows between colours', async () => {
    // three colours meeting along straight and curved boundaries, no gap between them
    const art =
      '<rect x="10" y="10" width="180" height="180" fill="#f4a261"/><circle cx="100" cy="100" r="60" fill="#264653"/><rect x="60" y="90" width="80" height="20" fill="#e9c46a"/>';
    const logo = await fromSvg(art, 200, 200);
    for (const stacking of ['stacked', 'cutout'] as const) {
      const svg = toSvg(traceImage(logo, { mode: 'color', stacking }));
      const img = renderSvg(svg, '#00ff00');
      let green = 0;
      // inside the art, away from its outer edge
      for (let y = 14; y < 186; y++) {
        for (let x = 14; x < 186; x++) {
          const [r, g, b] = pixel(img, x, y);
          if (deltaE([r, g, b], [0, 255, 0]) < 60) green++;
        }
      }
      assert.equal(green, 0, `${green} backdrop pixels show through the ${stacking} trace`);
    }
  });

  it('cutout shapes share their boundaries: each boundary curve is used by both colours, reversed', async () => {
    const art =
      '<rect x="10" y="10" width="180" height="180" fill="#f4a261"/><circle cx="100" cy="100" r="60" fill="#264653"/><rect x="60" y="90" width="80" height="20" fill="#e9c46a"/><circle cx="40" cy="40" r="20" fill="#e76f51"/>';
    const logo = await fromSvg(art, 200, 200);
    const v = traceImage(logo, { mode: 'color', stacking: 'cutout' });
    assert.equal(v.shapes.length, 4);
    // every directed segment (from → to, with control points) of one shape appears reversed in
    // exactly one other shape, unless it borders transparency (the art's outer edge)
    const key = (a: { x: number; y: number }, b: { x: number; y: number }) =>
      `${a.x.toFixed(6)},${a.y.toFixed(6)}>${b.x.toFixed(6)},${b.y.toFixed(6)}`;
    const owner = new Map<string, number>();
    const edges: { shape: number; from: { x: number; y: number }; to: { x: number; y: number } }[] = [];
    v.shapes.forEach((shape, k) => {
      for (const sp of shape.subpaths) {
        let from = sp.start;
        for (const seg of sp.segments) {
          edges.push({ shape: k, from, to: seg.to });
          owner.set(key(from, seg.to), k);
          from = seg.to;
        }
      }
    });
    let shared = 0;
    for (const e of edges) {
      const other = owner.get(key(e.to, e.from));
      if (other !== undefined) {
        assert.notEqual(other, e.shape);
        shared++;
      }
    }
    assert.ok(shared > 20, `${shared} segments shared between two colours`);
    // and rendered without anti-aliasing, no pixel is covered twice or left uncovered inside the art
    const cover = new Uint8Array(200 * 200);
    for (const shape of v.shapes) {
      const one = renderSvg(
        toSvg({ ...v, shapes: [shape] }).replace('<path ', '<path shape-rendering="crispEdges" '),
      );
      for (let i = 0; i < cover.length; i++) if (one.data[i * 4 + 3] > 127) cover[i]++;
    }
    let twice = 0;
    let never = 0;
    for (let y = 12; y < 188; y++) {
      for (let x = 12; x < 188; x++) {
        if (cover[y * 200 + x] > 1) twice++;
        if (cover[y * 200 + x] === 0) never++;
      }
    }
    assert.equal(twice, 0, `${twice} pixels covered by two shapes`);
    assert.equal(never, 0, `${never} pixels inside the art covered by no shape`);
  });

  it('a logo on a transparent background gets no background shape', async () => {
    const v = traceImage(await fromSvg(BADGE, 200, 200), { mode: 'color' });
    assert.equal(v.shapes.length, 3);
    const img = renderSvg(toSvg(v));
    assert.equal(pixel(img, 2, 2)[3], 0);
    assert.equal(pixel(img, 190, 10)[3], 0);
  });

  it('is deterministic: the same input gives byte-identical SVG', async () => {
    const logo = (await decodeLogo(await readFile(example('harbor-on-white.png')))).image;
    assert.equal(traceToSvg(logo, { mode: 'color' }), traceToSvg(logo, { mode: 'color' }));
    assert.equal(traceToSvg(logo), traceToSvg(logo));
  });

  it('refuses bad options with E_BAD_OPTION', () => {
    const logo = image(10, 10, () => [0, 0, 0, 255]);
    for (const o of [
      { threshold: 2 },
      { turdSize: -1 },
      { alphaMax: 3 },
      { colors: 1.5 },
      { mode: 'sepia' },
    ] as object[]) {
      assert.throws(
        () => traceImage(logo, o),
        (e: unknown) => e instanceof LogomillError && e.code === 'E_BAD_OPTION',
      );
    }
  });
});

describe('trace outputs', () => {
  it('EPS renders in Ghostscript to the same picture as the SVG', async () => {
    const logo = (await decodeLogo(await readFile(example('harbor-on-white.png')))).image;
    const v: VectorImage = traceImage(logo, { mode: 'color' });
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 't.eps'), toEps(v, { widthPt: v.width }));
      const eps = await renderEps(join(dir, 't.eps'), 72);
      const svg = renderSvg(toSvg(v), '#ffffff');
      assert.equal(eps.width, svg.width);
      assert.equal(eps.height, svg.height);
      let off = 0;
      for (let i = 0; i < eps.width * eps.height; i++) {
        const p = [eps.data[i * 4], eps.data[i * 4 + 1], eps.data[i * 4 + 2]] as [number, number, number];
        const q = [svg.data[i * 4], svg.data[i * 4 + 1], svg.data[i * 4 + 2]] as [number, number, number];
        if (deltaE(p, q) > 10) off++;
      }
      assert.ok(off < 0.01 * eps.width * eps.height, `${off} pixels differ between EPS and SVG`);
    });
  });

  it('keeps the node count low on a clean mark', async () => {
    const v = traceImage(
      await fromSvg(
        '<circle cx="100" cy="100" r="80" fill="#000"/><rect x="60" y="60" width="80" height="80" fill="#fff"/>',
        200,
        200,
      ),
    );
    // a circle and a square hole: a handful of curves and four lines
    assert.ok(segmentCount(v) <= 14, `${segmentCount(v)} segments`);
  });
});

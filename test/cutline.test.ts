/**
 * The `cutline` variation and its geometry (src/print/cutline.ts). Logos are
 * drawn here as SVG (anti-aliased by librsvg) from shapes whose exact distance
 * function is known, so the cut is measured against the true art: every point
 * of the flattened path lies at the offset ± 0.5 px, every logo pixel lies
 * inside it, and it is one closed path (two with holes for a ring). The files
 * are read back: the PDF's colour spaces through qpdf and its inks through
 * Ghostscript's tiffsep, the PDF rendered by pdftoppm, the EPS by Ghostscript,
 * the DXF parsed.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import type { LogoResult } from '../src/index.js';
import { processLogo } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import { parseLength } from '../src/length.js';
import { cutlinePath } from '../src/print/cutline.js';
import { distanceTransform } from '../src/raster/distance.js';
import { contentBounds } from '../src/raster/geometry.js';
import type { Point, Subpath } from '../src/vector/path.js';
import { flatten } from '../src/vector/transform.js';
import {
  cli,
  dxfPoints,
  parsePathData,
  pixel,
  readDxf,
  renderEps,
  rgba,
  run,
  withTempDir,
} from './helpers.js';

/** An SVG logo drawn on a transparent canvas, decoded to RGBA. */
async function draw(width: number, height: number, body: string): Promise<RgbaImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`;
  return rgba(await sharp(Buffer.from(svg)).png().toBuffer());
}

async function png(width: number, height: number, body: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Proper crossings between non-adjacent segments of a closed polyline. */
function selfCrossings(v: readonly Point[]): number {
  const side = (p: Point, q: Point, r: Point) =>
    Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  const m = v.length;
  let n = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 2; j < m; j++) {
      if (i === 0 && j === m - 1) continue;
      const [a, b, c, d] = [v[i], v[(i + 1) % m], v[j], v[(j + 1) % m]];
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) n++;
    }
  }
  return n;
}

/** Even-odd point-in-polygon over every flattened subpath. */
function inside(polys: Point[][], p: Point): boolean {
  let odd = false;
  for (const poly of polys) {
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const a = poly[i];
      const b = poly[j];
      if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) odd = !odd;
    }
  }
  return odd;
}

/** Every pixel with any alpha has its centre inside; every pixel at least half opaque, its whole square. */
function assertContains(polys: Point[][], art: RgbaImage, dx: number, dy: number): void {
  let checked = 0;
  for (let y = 0; y < art.height; y++) {
    for (let x = 0; x < art.width; x++) {
      const a = art.data[(y * art.width + x) * 4 + 3];
      if (a === 0) continue;
      const corners =
        a >= 128
          ? [
              [0, 0],
              [1, 0],
              [0, 1],
              [1, 1],
            ]
          : [[0.5, 0.5]];
      for (const [u, v] of corners) {
        assert.ok(
          inside(polys, { x: x + u + dx, y: y + v + dy }),
          `pixel ${x},${y} (alpha ${a}) is inside the cut`,
        );
      }
      checked++;
    }
  }
  assert.ok(checked > 0);
}

/** Signed distance of each flattened point to the art, minus the offset: [min, max]. */
function offsetError(polys: Point[][], sdf: (p: Point) => number, offset: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const poly of polys) {
    for (const p of poly) {
      const e = sdf(p) - offset;
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
    }
  }
  return [lo, hi];
}

const polygons = (subpaths: Subpath[]) => subpaths.map((sp) => flatten(sp, 0.02));

// a disc, and a rounded rectangle turned by 7° (slanted edges are the hard case for pixels)
const DISC = { cx: 60, cy: 50, r: 37.3 };
const discSvg = `<circle cx="${DISC.cx}" cy="${DISC.cy}" r="${DISC.r}" fill="#c00"/>`;
const discSdf = (p: Point) => Math.hypot(p.x - DISC.cx, p.y - DISC.cy) - DISC.r;
const TURN = (7 * Math.PI) / 180;
const rectSvg = `<rect x="10.3" y="12.7" width="130" height="60" rx="8" fill="#090" transform="rotate(7 80 45)"/>`;
function rectSdf(p: Point): number {
  const dx = p.x - 80;
  const dy = p.y - 45;
  const x = Math.cos(TURN) * dx + Math.sin(TURN) * dy;
  const y = -Math.sin(TURN) * dx + Math.cos(TURN) * dy;
  const qx = Math.abs(x - (10.3 + 65 - 80)) - (65 - 8);
  const qy = Math.abs(y - (12.7 + 30 - 45)) - (30 - 8);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - 8;
}

describe('exact distance transforms', () => {
  it('match brute force on random masks', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 60; trial++) {
      const w = 1 + Math.floor(random() * 17);
      const h = 1 + Math.floor(random() * 17);
      const mask = new Uint8Array(w * h);
      const p = random() * 0.3;
      for (let i = 0; i < mask.length; i++) mask[i] = random() < p ? 1 : 0;
      const nearest = new Int32Array(w * h);
      const centres = distanceTransform(mask, w, h, { metric: 'euclidean', nearest });
      const squares = distanceTransform(mask, w, h, { metric: 'euclidean', to: 'squares' });
      for (let i = 0; i < mask.length; i++) {
        const x = i % w;
        const y = (i - x) / w;
        let c = Number.POSITIVE_INFINITY;
        let s = Number.POSITIVE_INFINITY;
        for (let j = 0; j < mask.length; j++) {
          if (!mask[j]) continue;
          const qx = j % w;
          const qy = (j - qx) / w;
          c = Math.min(c, (qx - x) ** 2 + (qy - y) ** 2);
          s = Math.min(
            s,
            Math.max(Math.abs(qx - x) - 0.5, 0) ** 2 + Math.max(Math.abs(qy - y) - 0.5, 0) ** 2,
          );
        }
        assert.equal(centres[i], c);
        assert.equal(squares[i], s);
        if (c === Number.POSITIVE_INFINITY) assert.equal(nearest[i], -1);
        else {
          const qx = nearest[i] % w;
          assert.equal(mask[nearest[i]], 1);
          assert.equal((qx - x) ** 2 + ((nearest[i] - qx) / w - y) ** 2, c);
        }
      }
    }
  });
});

describe('lengths', () => {
  it('parses numbers with units, a bare number as mm', () => {
    assert.deepEqual(parseLength('3mm', 'o'), { value: 3, unit: 'mm' });
    assert.deepEqual(parseLength('0.125in', 'o'), { value: 0.125, unit: 'in' });
    assert.deepEqual(parseLength(' 12 PX ', 'o'), { value: 12, unit: 'px' });
    assert.deepEqual(parseLength('.5cm', 'o'), { value: 0.5, unit: 'cm' });
    assert.deepEqual(parseLength('4', 'o'), { value: 4, unit: 'mm' });
  });

  it('refuses anything else with E_BAD_OPTION', () => {
    for (const bad of [
      '',
      'mm',
      '-3mm',
      '3 furlongs',
      '1e3mm',
      '3mmm',
      '3mm4',
      'NaN',
      'Infinity',
      '3,5mm',
      '1..2mm',
    ]) {
      assert.throws(
        () => parseLength(bad, 'cutline.offset'),
        (e: Error & { code?: string }) => e.code === 'E_BAD_OPTION' && /cutline\.offset/.test(e.message),
        bad,
      );
    }
  });
});

describe('cut path geometry', () => {
  for (const [name, w, h, body, sdf, maxNodes] of [
    ['disc', 120, 100, discSvg, discSdf, 6],
    ['turned rounded rectangle', 160, 90, rectSvg, rectSdf, 14],
  ] as const) {
    for (const offset of [4, 12.5, 35.4]) {
      it(`${name}, offset ${offset} px: one closed path at the offset ± 0.5 px around every pixel`, async () => {
        const art = await draw(w, h, body);
        const cut = cutlinePath(art, { offsetPx: offset });
        assert.equal(cut.subpaths.length, 1);
        assert.equal(cut.width, w + 2 * cut.pad);
        assert.ok(cut.pad >= offset + 2);
        const polys = polygons(cut.subpaths);
        const shifted = (p: Point) => sdf({ x: p.x - cut.pad, y: p.y - cut.pad });
        const [lo, hi] = offsetError(polys, shifted, offset);
        assert.ok(lo >= -0.5 && hi <= 0.5, `distance to the art − offset in [${lo}, ${hi}]`);
        assertContains(polys, art, cut.pad, cut.pad);
        const nodes = cut.subpaths[0].segments.length;
        assert.ok(nodes <= maxNodes, `${nodes} nodes`);
        for (const p of polys[0]) {
          assert.ok(p.x > 0 && p.y > 0 && p.x < cut.width && p.y < cut.height, 'inside the canvas');
        }
      });
    }
  }

  it('a two-part logo with a small gap is one piece', async () => {
    const art = await draw(
      120,
      60,
      '<rect x="5" y="5" width="50" height="50" fill="#000"/><rect x="62" y="5" width="50" height="50" fill="#000"/>',
    );
    const cut = cutlinePath(art, { offsetPx: 3 });
    assert.equal(cut.subpaths.length, 1);
    assertContains(polygons(cut.subpaths), art, cut.pad, cut.pad);
    // the gap is bridged: its middle lies inside the sticker
    assert.ok(inside(polygons(cut.subpaths), { x: 58.5 + cut.pad, y: 30 + cut.pad }));
  });

  it('parts far apart are bridged into one piece', async () => {
    const art = await draw(
      220,
      100,
      '<circle cx="35" cy="50" r="25" fill="#c00"/><rect x="150" y="20" width="50" height="60" fill="#00c"/><circle cx="100" cy="90" r="4" fill="#0c0"/>',
    );
    const cut = cutlinePath(art, { offsetPx: 6 });
    assert.equal(cut.subpaths.length, 1);
    assertContains(polygons(cut.subpaths), art, cut.pad, cut.pad);
  });

  it('without bridges, parts far apart get a cut each', async () => {
    const art = await draw(
      220,
      100,
      '<circle cx="35" cy="50" r="25" fill="#c00"/><rect x="150" y="20" width="50" height="60" fill="#00c"/>',
    );
    const cut = cutlinePath(art, { offsetPx: 6, bridges: false });
    assert.equal(cut.subpaths.length, 2);
    const polys = polygons(cut.subpaths);
    assertContains(polys, art, cut.pad, cut.pad);
    // nothing between them is sticker
    assert.ok(!inside(polys, { x: 100 + cut.pad, y: 50 + cut.pad }));
  });

  it('holes smaller than minHolePx are not cut', async () => {
    // a disc with a 30 px hole and a 6 px hole
    const art = await draw(
      160,
      120,
      '<path fill-rule="evenodd" fill="#000" d="M10 60a70 50 0 1 0 140 0a70 50 0 1 0-140 0ZM35 60a15 15 0 1 0 30 0a15 15 0 1 0-30 0ZM107 60a3 3 0 1 0 6 0a3 3 0 1 0-6 0Z"/>',
    );
    const all = cutlinePath(art, { offsetPx: 1, holes: true, closePx: 1, holeClosePx: 1 });
    const big = cutlinePath(art, { offsetPx: 1, holes: true, closePx: 1, holeClosePx: 1, minHolePx: 10 });
    assert.equal(all.subpaths.length, 3, 'the outline and both holes');
    assert.equal(big.subpaths.length, 2, 'the outline and the 30 px hole');
  });

  it('never crosses itself: inner fillets at 200 mm with holes (customer files)', async () => {
    for (const [file, options] of [
      ['fixtures/customer/darkbg-imdb.jpg', { cutHoles: true, widthMm: 200 }],
      ['../examples/lineart-on-cream.png', { cutHoles: true, widthMm: 200 }],
    ] as const) {
      const r = await processLogo(await readFile(new URL(file, import.meta.url)), {
        variations: ['cutline'],
        options: { cutline: options },
      });
      const dxf = r.outputs.find((o) => o.name === 'cutline.dxf');
      assert.ok(dxf, file);
      for (const line of readDxf(dxf.data.toString()).polylines) {
        // the cut as drawn: its arcs sampled every 0.05 mm
        assert.equal(selfCrossings(dxfPoints(line, 0.05)), 0, `${file}: a cut crosses itself`);
      }
    }
  });

  it('a ring is one path, or outline and hole with holes', async () => {
    const ring = '<circle cx="60" cy="60" r="45" fill="none" stroke="#000" stroke-width="14"/>';
    const art = await draw(120, 120, ring);
    assert.equal(cutlinePath(art, { offsetPx: 5 }).subpaths.length, 1);
    const cut = cutlinePath(art, { offsetPx: 5, holes: true });
    assert.equal(cut.subpaths.length, 2);
    const polys = polygons(cut.subpaths);
    assertContains(polys, art, cut.pad, cut.pad);
    // the hole's cut runs 5 px inside the ring's inner edge (radius 38)
    const c = 60 + cut.pad;
    const [lo, hi] = offsetError([polys[1]], (p) => 38 - Math.hypot(p.x - c, p.y - c), 5);
    assert.ok(lo >= -0.5 && hi <= 0.5, `[${lo}, ${hi}]`);
    assert.ok(!inside(polys, { x: c, y: c }), 'the middle is cut out');
  });

  it('refuses a logo with no art', () => {
    const empty = { width: 10, height: 10, data: new Uint8Array(400) };
    assert.throws(
      () => cutlinePath(empty, { offsetPx: 3 }),
      (e: Error & { code?: string }) => e.code === 'E_EMPTY_IMAGE',
    );
  });
});

/** The first <path d> of an SVG as subpaths. */
function svgSubpaths(svg: string): Subpath[] {
  return parsePathData(/<path[^>]* d="([^"]+)"/.exec(svg)?.[1] ?? '');
}

describe('cutline variation', () => {
  const body = `${discSvg}<rect x="45" y="40" width="30" height="20" fill="#fd0"/>`;
  let result: LogoResult;
  let logo: Buffer;
  const PX_PER_MM = 300 / 25.4;
  const file = (name: string) => {
    const o = result.outputs.find((x) => x.variation === 'cutline' && x.name === name);
    assert.ok(o, `${name} made; failures ${JSON.stringify(result.failures)}`);
    return o.data;
  };

  it('makes PDF, EPS, SVG, DXF and a preview', async () => {
    logo = await png(120, 100, body);
    result = await processLogo(logo, { variations: ['transparent', 'cutline'] });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(
      result.outputs
        .filter((o) => o.variation === 'cutline')
        .map((o) => o.name)
        .sort(),
      ['cutline-preview.png', 'cutline.dxf', 'cutline.eps', 'cutline.pdf', 'cutline.svg'],
    );
  });

  it('SVG: one closed CutContour path, 3 mm (at 300 DPI) around every logo pixel, sized in mm', async () => {
    const svg = file('cutline.svg').toString();
    assert.equal((svg.match(/<path /g) ?? []).length, 1);
    assert.match(svg, /data-spot="CutContour"/);
    assert.match(svg, /fill="none" stroke="#f0f" stroke-width="1\.0417"/, '0.25 pt at 300 DPI');
    const size = /viewBox="0 0 (\d+) (\d+)" width="([\d.]+)mm" height="([\d.]+)mm"/.exec(svg);
    assert.ok(size);
    assert.ok(Math.abs(Number(size[3]) - Number(size[1]) / PX_PER_MM) < 0.001);
    const subpaths = svgSubpaths(svg);
    assert.equal(subpaths.length, 1);
    assert.ok(/Z"/.test(svg), 'closed');
    // the art as the transparent PNG presents it, centred in the cut's canvas
    const art = await rgba(result.outputs.find((o) => o.name === 'transparent.png')?.data ?? Buffer.alloc(0));
    const pad = (Number(size[1]) - art.width) / 2;
    assert.equal(pad, (Number(size[2]) - art.height) / 2);
    const polys = polygons(subpaths);
    assertContains(polys, art, pad, pad);
    // the disc's centre in the canvas: trimmed like transparent.png, then padded
    const bounds = contentBounds(await draw(120, 100, body));
    assert.ok(bounds);
    const cx = DISC.cx - bounds.x + pad;
    const cy = DISC.cy - bounds.y + pad;
    const offset = 3 * PX_PER_MM;
    const [lo, hi] = offsetError(polys, (p) => Math.hypot(p.x - cx, p.y - cy) - DISC.r, offset);
    assert.ok(lo >= -0.5 && hi <= 0.5, `[${lo}, ${hi}] (2-decimal coordinates)`);
  });

  it('PDF: the cut in a CutContour separation, 0.25 pt, overprinting, over the vector art', () =>
    withTempDir(async (dir) => {
      const pdf = join(dir, 'cut.pdf');
      await writeFile(pdf, file('cutline.pdf'));
      await run('qpdf', ['--qdf', '--object-streams=disable', pdf, join(dir, 'q.pdf')]);
      const text = (await readFile(join(dir, 'q.pdf'))).toString('latin1');
      const flat = text.replace(/\s+/g, ' ');
      assert.match(
        flat,
        /\[ \/Separation \/CutContour \/DeviceCMYK << \/C0 \[ 0 0 0 0 \] \/C1 \[ 0 1 0 0 \]/,
      );
      assert.match(flat, /\/OP true \/OPM 1 \/Type \/ExtGState \/op true/);
      assert.match(text, /^0\.25 w 1 j 1 J$/m);
      assert.match(text, /^\/CS0 CS 1 SCN$/m);
      assert.doesNotMatch(text, /\/Subtype \/Image/, 'all vector');
      const fills = (text.match(/^f\*$/gm) ?? []).length;
      assert.ok(fills >= 2, `${fills} art shapes`);
      // gs separates the cut onto its own plate
      await run('gs', [
        '-q',
        '-dSAFER',
        '-dBATCH',
        '-dNOPAUSE',
        '-sDEVICE=tiffsep',
        '-r150',
        `-sOutputFile=${join(dir, 's-%d.tif')}`,
        pdf,
      ]);
      const plates = (await readdir(dir)).filter((f) => f.startsWith('s-1('));
      assert.ok(plates.includes('s-1(CutContour).tif'), plates.join());
      const cut = await rgba(await readFile(join(dir, 's-1(CutContour).tif')));
      let inked = 0;
      for (let i = 0; i < cut.width * cut.height; i++) if (cut.data[i * 4] < 128) inked++;
      assert.ok(inked > 100 && inked < 0.1 * cut.width * cut.height, `${inked} cut pixels`);
      // pdftoppm: page = canvas at 300 DPI, magenta line left of the disc, art inside
      const { stdout } = await run('pdfinfo', [pdf]);
      const svg = file('cutline.svg').toString();
      const [, w] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg) ?? [];
      const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout);
      assert.ok(m && Math.abs(Number(m[1]) - (Number(w) * 72) / 300) < 0.01, stdout);
      await run('pdftoppm', ['-r', '300', '-png', '-singlefile', pdf, join(dir, 'p')]);
      const img = await rgba(await readFile(join(dir, 'p.png')));
      assertMagentaLine(img);
    }));

  it('EPS: renders in Ghostscript with the cut line on the art', () =>
    withTempDir(async (dir) => {
      const eps = join(dir, 'cut.eps');
      await writeFile(eps, file('cutline.eps'));
      assert.match(file('cutline.eps').toString(), /%%DocumentCustomColors: \(CutContour\)/);
      const img = await renderEps(eps, 300);
      assertMagentaLine(img);
      const centre = pixel(img, img.width >> 1, img.height >> 1);
      assert.ok(centre[0] > 200 && centre[1] > 180 && centre[2] < 80, `yellow middle: ${centre}`);
    }));

  it('DXF: one closed polyline on layer CutContour, in mm', () => {
    const { polylines } = readDxf(file('cutline.dxf').toString());
    assert.equal(polylines.length, 1);
    assert.equal(polylines[0].layer, 'CutContour');
    assert.equal(polylines[0].closed, true);
    // a disc's cut: a few arcs (DXF bulges), every point of them inside the drawing
    assert.ok(polylines[0].vertices.length >= 3, `${polylines[0].vertices.length} vertices`);
    assert.ok(
      polylines[0].vertices.every((v) => v.bulge !== 0),
      'arcs',
    );
    const xs = dxfPoints(polylines[0], 0.05).map((v) => v.x);
    const [, w] = /viewBox="0 0 (\d+) (\d+)"/.exec(file('cutline.svg').toString()) ?? [];
    assert.ok(Math.max(...xs) < Number(w) / PX_PER_MM && Math.min(...xs) > 0);
  });

  it('preview: the canvas size, sheet grey outside the cut, magenta cut', async () => {
    const img = await rgba(file('cutline-preview.png'));
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(file('cutline.svg').toString()) ?? [];
    assert.equal(img.width, Number(w));
    assert.equal(img.height, Number(h));
    assert.deepEqual(pixel(img, 1, 1).slice(0, 3), [212, 212, 212]);
    assertMagentaLine(img);
  });

  it('offset in inches at a print width, or in pixels', async () => {
    for (const [offset, widthMm] of [
      ['0.125in', 50],
      ['12px', 0],
    ] as const) {
      const r = await processLogo(logo, {
        variations: ['cutline'],
        options: { cutline: { offset, widthMm } },
      });
      assert.deepEqual(r.failures, []);
      const svg = r.outputs.find((o) => o.name === 'cutline.svg')?.data.toString() ?? '';
      const [, w] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg) ?? [];
      const bounds = contentBounds(await draw(120, 100, body));
      assert.ok(bounds);
      const want = offset === '12px' ? 12 : 0.125 * 25.4 * (bounds.width / widthMm);
      const pad = (Number(w) - bounds.width) / 2;
      const polys = polygons(svgSubpaths(svg));
      const cx = DISC.cx - bounds.x + pad;
      const cy = DISC.cy - bounds.y + pad;
      const [lo, hi] = offsetError(polys, (p) => Math.hypot(p.x - cx, p.y - cy) - DISC.r, want);
      assert.ok(lo >= -0.5 && hi <= 0.5, `${offset}: [${lo}, ${hi}] around ${want} px`);
      if (widthMm)
        assert.match(svg, new RegExp(`width="${((Number(w) * widthMm) / bounds.width).toFixed(1)}`));
    }
  });

  it('bad offsets are refused with E_BAD_OPTION', async () => {
    for (const offset of ['abc', '-3mm', '3 furlongs', '1e3mm', '']) {
      await assert.rejects(
        processLogo(logo, { variations: ['cutline'], options: { cutline: { offset } } }),
        (e: Error & { code?: string }) => e.code === 'E_BAD_OPTION' && /cutline\.offset/.test(e.message),
        offset,
      );
    }
    const huge = await processLogo(logo, {
      variations: ['cutline'],
      options: { cutline: { offset: '200mm' } },
    });
    assert.deepEqual(
      huge.failures.map((f) => f.code),
      ['E_BAD_OPTION'],
    );
  });

  it('same input, same bytes', async () => {
    const again = await processLogo(logo, { variations: ['cutline'] });
    for (const o of again.outputs) assert.ok(file(o.name).equals(o.data), `${o.name} differs`);
  });

  it('works from the CLI with --offset and --cut-holes; nonsense exits 2', () =>
    withTempDir(async (dir) => {
      const input = join(dir, 'ring.png');
      await writeFile(
        input,
        await png(
          240,
          240,
          '<circle cx="120" cy="120" r="100" fill="none" stroke="#000" stroke-width="16"/>',
        ),
      );
      const ok = cli([
        'process',
        input,
        '-o',
        dir,
        '--variations',
        'cutline',
        '--offset',
        '2mm',
        '--cut-holes',
        '--no-cache',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      const svg = await readFile(join(dir, 'ring', 'cutline', 'cutline.svg'), 'utf8');
      assert.equal(svgSubpaths(svg).length, 2, 'outline and hole');
      const bad = cli([
        'process',
        input,
        '-o',
        dir,
        '--variations',
        'cutline',
        '--offset',
        'wide',
        '--no-cache',
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /E_BAD_OPTION.*a length like 3mm/);
    }));
});

/** Some row crosses a magenta line (the cut) left of the middle. */
function assertMagentaLine(img: RgbaImage): void {
  let found = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width >> 1; x++) {
      const [r, g, b] = pixel(img, x, y);
      if (r > 180 && g < 120 && b > 120) found++;
    }
  }
  assert.ok(found > 20, `${found} magenta pixels`);
}

describe('cut path: properties (fast-check)', () => {
  /** Art of a few opaque rectangles and discs on a transparent canvas, drawn directly. */
  const shape = fc.record({
    kind: fc.constantFrom('rect', 'disc'),
    x: fc.integer({ min: 0, max: 70 }),
    y: fc.integer({ min: 0, max: 50 }),
    w: fc.integer({ min: 3, max: 30 }),
    h: fc.integer({ min: 3, max: 30 }),
  });
  const draw = (shapes: { kind: string; x: number; y: number; w: number; h: number }[]): RgbaImage => {
    const width = 100;
    const height = 80;
    const data = new Uint8Array(width * height * 4);
    for (const s of shapes) {
      for (let y = s.y; y < Math.min(height, s.y + s.h); y++) {
        for (let x = s.x; x < Math.min(width, s.x + s.w); x++) {
          const u = (x + 0.5 - s.x - s.w / 2) / (s.w / 2);
          const v = (y + 0.5 - s.y - s.h / 2) / (s.h / 2);
          if (s.kind === 'disc' && u * u + v * v > 1) continue;
          data.set([20, 30, 40, 255], (y * width + x) * 4);
        }
      }
    }
    return { width, height, data };
  };

  it('one closed path that holds every art pixel, inside its canvas, for any art and offset', () => {
    fc.assert(
      fc.property(
        fc.array(shape, { minLength: 1, maxLength: 4 }),
        fc.double({ min: 2, max: 12, noNaN: true }),
        (shapes, offset) => {
          const art = draw(shapes);
          const cut = cutlinePath(art, { offsetPx: offset });
          assert.equal(cut.subpaths.length, 1, 'one piece');
          const sp = cut.subpaths[0];
          assert.notEqual(sp.closed, false, 'closed');
          const last = sp.segments.at(-1);
          assert.ok(
            last && Math.hypot(last.to.x - sp.start.x, last.to.y - sp.start.y) < 1e-6,
            'ends at its start',
          );
          const polys = polygons(cut.subpaths);
          assertContains(polys, art, cut.pad, cut.pad);
          for (const p of polys[0]) assert.ok(p.x >= 0 && p.y >= 0 && p.x <= cut.width && p.y <= cut.height);
        },
      ),
      { numRuns: 40, seed: 1503 },
    );
  });
});

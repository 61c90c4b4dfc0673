/**
 * Centerline tracing: synthetic strokes of known width and path (a bar, an arc, T and X
 * junctions, a corner) come back as centre lines within a pixel, widths within a pixel, junctions
 * joined at one point; G-code and HP-GL read back (a small reader here) give the same geometry.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { processLogo } from '../src/index.js';
import { centerlineStrokes, type Stroke, strokesToVector } from '../src/trace/centerline/index.js';
import type { Point } from '../src/vector/path.js';
import { HPGL_PER_MM, plotterRuns, toGcode, toHpgl } from '../src/vector/plotter.js';
import { flatten } from '../src/vector/transform.js';
import { cli, example, readDxf, withTempDir } from './helpers.js';

async function strokesOf(w: number, h: number, body: string): Promise<Stroke[]> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(info.width * info.height);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i * 4 + 3] >= 128 ? 1 : 0;
  return centerlineStrokes(mask, info.width, info.height);
}

const points = (s: Stroke): Point[] => flatten(s.subpath, 0.1);
const ends = (s: Stroke): Point[] => {
  const p = points(s);
  return [p[0], p[p.length - 1]];
};
const near = (a: Point, b: Point, d: number) => Math.hypot(a.x - b.x, a.y - b.y) <= d;

describe('centerline strokes', () => {
  test('a bar: one open stroke on its centre line (±1 px), its width ±1 px', async () => {
    const [s, ...rest] = await strokesOf(200, 100, '<path d="M20 50 H180" stroke="#000" stroke-width="6"/>');
    assert.equal(rest.length, 0);
    assert.equal(s.subpath.closed, false);
    for (const p of points(s)) assert.ok(Math.abs(p.y - 50) <= 1, `y ${p.y}`);
    const xs = ends(s)
      .map((p) => p.x)
      .sort((a, b) => a - b);
    assert.ok(xs[0] <= 25 && xs[1] >= 175, `runs ${xs}`);
    assert.ok(Math.abs(s.widthPx - 6) <= 1, `width ${s.widthPx}`);
  });

  test('a ring: one closed stroke within 1 px of its radius', async () => {
    const [s, ...rest] = await strokesOf(
      140,
      140,
      '<circle cx="70" cy="70" r="50" fill="none" stroke="#000" stroke-width="5"/>',
    );
    assert.equal(rest.length, 0);
    assert.equal(s.subpath.closed, true);
    for (const p of points(s))
      assert.ok(Math.abs(Math.hypot(p.x - 70, p.y - 70) - 50) <= 1, JSON.stringify(p));
    assert.ok(Math.abs(s.widthPx - 5) <= 1, `width ${s.widthPx}`);
  });

  test('a T: three strokes meeting at one point at the junction', async () => {
    const strokes = await strokesOf(
      200,
      160,
      '<path d="M20 50 H180 M100 50 V150" stroke="#000" stroke-width="6"/>',
    );
    assert.equal(strokes.length, 3);
    const atJunction = strokes.flatMap(ends).filter((p) => near(p, { x: 100, y: 50 }, 2));
    assert.equal(atJunction.length, 3);
    for (const p of atJunction) assert.ok(near(p, atJunction[0], 0.01), 'one point');
  });

  test('an X: four strokes meeting at its centre', async () => {
    const strokes = await strokesOf(
      100,
      100,
      '<path d="M10 90 L90 10 M90 90 L10 10" stroke="#000" stroke-width="8"/>',
    );
    assert.equal(strokes.length, 4);
    const atCentre = strokes.flatMap(ends).filter((p) => near(p, { x: 50, y: 50 }, 1.5));
    assert.equal(atCentre.length, 4);
    for (const s of strokes) assert.ok(Math.abs(s.widthPx - 8) <= 1.5, `width ${s.widthPx}`);
  });

  test('a corner stays a corner: the stroke passes within a pixel of it', async () => {
    const [s, ...rest] = await strokesOf(
      100,
      100,
      '<path d="M10 20 H80 V90" fill="none" stroke="#000" stroke-width="4"/>',
    );
    assert.equal(rest.length, 0);
    assert.ok(
      points(s).some((p) => near(p, { x: 80, y: 20 }, 1.5)),
      'reaches the corner',
    );
    for (const p of points(s)) {
      const d = Math.min(Math.abs(p.y - 20) + (p.x > 81 ? 99 : 0), Math.abs(p.x - 80) + (p.y < 19 ? 99 : 0));
      assert.ok(d <= 1, JSON.stringify(p));
    }
  });
});

/** A G-code reader: each G0 starts a run at its point, each G1 continues it (mm). */
function readGcode(text: string): Point[][] {
  const runs: Point[][] = [];
  for (const line of text.split('\n')) {
    const m = /^G([01]) X(-?[\d.]+) Y(-?[\d.]+)/.exec(line);
    if (!m) continue;
    const p = { x: Number(m[2]), y: Number(m[3]) };
    if (m[1] === '0') runs.push([p]);
    else runs[runs.length - 1].push(p);
  }
  return runs.filter((r) => r.length > 1);
}

/** An HP-GL reader: PU moves start runs, PD draws (plotter units → mm). */
function readHpgl(text: string): Point[][] {
  const runs: Point[][] = [];
  for (const cmd of text.split(';').map((c) => c.trim())) {
    const nums = cmd.slice(2).split(',').filter(Boolean).map(Number);
    const pts: Point[] = [];
    for (let k = 0; k + 1 < nums.length; k += 2)
      pts.push({ x: nums[k] / HPGL_PER_MM, y: nums[k + 1] / HPGL_PER_MM });
    if (cmd.startsWith('PU') && pts.length) runs.push([pts[0]]);
    if (cmd.startsWith('PD')) runs[runs.length - 1].push(...pts);
  }
  return runs.filter((r) => r.length > 1);
}

describe('plotter files', () => {
  test('G-code and HP-GL read back to the strokes, in mm from the bottom-left corner', async () => {
    const strokes = await strokesOf(
      200,
      160,
      '<path d="M20 50 H180 M100 50 V150" stroke="#000" stroke-width="6"/><circle cx="40" cy="120" r="20" fill="none" stroke="#000" stroke-width="4"/>',
    );
    const image = strokesToVector(strokes, 200, 160);
    const expected = plotterRuns(image, { widthMm: 50 });
    const gcode = toGcode(image, { widthMm: 50, feed: 1500, power: 600 });
    assert.match(gcode, /^; logomill centerline\n; units mm, origin bottom-left/);
    assert.match(gcode, /\nG21\nG90\nM5\n/);
    assert.match(gcode, /M3 S600/);
    assert.match(gcode, / F1500/);
    const g = readGcode(gcode);
    assert.equal(g.length, expected.length);
    for (const [k, run] of g.entries()) {
      assert.equal(run.length, expected[k].length);
      for (const [i, p] of run.entries()) assert.ok(near(p, expected[k][i], 0.001));
    }
    const h = readHpgl(toHpgl(image, { widthMm: 50 }));
    assert.equal(h.length, expected.length);
    for (const [k, run] of h.entries()) {
      for (const [i, p] of run.entries()) assert.ok(near(p, expected[k][i], 1 / HPGL_PER_MM));
    }
    // bottom-left origin: the T's bar (50 px from the top of 160) is 110 px up, at 50/200 mm per px
    const bar = expected.find((r) => Math.abs(r[0].y - r[r.length - 1].y) < 0.5);
    assert.ok(bar && Math.abs(bar[0].y - (110 * 50) / 200) < 0.3, JSON.stringify(bar?.[0]));
    // the circle is one closed run: back where it began
    const ring = expected.find((r) => near(r[0], r[r.length - 1], 1e-9));
    assert.ok(ring);
  });
});

describe('centerline variation and CLI', () => {
  test('SVG (stroked, open), DXF (open polylines on CUT), G-code, HP-GL, PDF; --pen-width sets every stroke', async () => {
    const r = await processLogo(await readFile(example('lineart-on-cream.png')), {
      variations: ['centerline'],
      options: { centerline: { penWidth: '0.5mm', width: '100mm' } },
    });
    assert.deepEqual(r.failures, []);
    const names = r.outputs.map((o) => o.name).sort();
    assert.deepEqual(names, [
      'centerline.dxf',
      'centerline.gcode',
      'centerline.hpgl',
      'centerline.pdf',
      'centerline.svg',
    ]);
    const svg = String(r.outputs.find((o) => o.name === 'centerline.svg')?.data);
    assert.match(svg, /width="100mm"/);
    const widths = new Set([...svg.matchAll(/stroke-width="([\d.]+)"/g)].map((m) => m[1]));
    assert.equal(widths.size, 1, 'one pen');
    const viewBox = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)?.[1]);
    assert.ok(Math.abs(Number([...widths][0]) - (0.5 * viewBox) / 100) < 0.01, `${[...widths][0]} px`);
    const dxf = readDxf(String(r.outputs.find((o) => o.name === 'centerline.dxf')?.data));
    assert.ok(dxf.polylines.length > 10);
    assert.ok(dxf.polylines.every((p) => p.layer === 'CUT'));
    assert.ok(
      dxf.polylines.some((p) => !p.closed),
      'open strokes',
    );
  });

  test('filled art is traced to its medial axis with W_FILLED_ART; line art without', async () => {
    const filled = await processLogo(await readFile(example('leaf-mark.png')), {
      variations: ['centerline'],
    });
    assert.ok(filled.warnings.some((w) => w.code === 'W_FILLED_ART' && w.variation === 'centerline'));
    const lines = await processLogo(await readFile(example('lineart-on-cream.png')), {
      variations: ['centerline'],
    });
    assert.ok(!lines.warnings.some((w) => w.code === 'W_FILLED_ART'));
  });

  test('logomill trace --mode centerline writes G-code by the extension; an unknown one exits 2', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'art.nc');
      const r = cli(['trace', example('lineart-on-cream.png'), '-o', out, '--mode', 'centerline']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\(gcode, \d+ strokes,/);
      assert.ok(readGcode(await readFile(out, 'utf8')).length > 10);
      const bad = cli([
        'trace',
        example('lineart-on-cream.png'),
        '-o',
        join(dir, 'art.xyz'),
        '--mode',
        'centerline',
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /E_BAD_OPTION/);
    });
  });
});

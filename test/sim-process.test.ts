/**
 * Simulated-process separations (src/print/sim-process.ts, simulate.ts): gradient art on a
 * black garment. The films are read back from their PNGs: the composite is exactly the print
 * they make (a pure function of the films), every colour film is halftoned on the one screen
 * asked for (its lattice measured from the dots' centres), the underbase comes first and the
 * highlight white last, and the predicted error beats CMYK and spot on the same art.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { runJob } from '../src/index.js';
import type { Film } from '../src/print/separate.js';
import { simulatedPreview } from '../src/print/simulate.js';
import { rgba, svgDoc } from './helpers.js';

const SMALL = { printWidth: 4, artboard: '6x6', dpi: 150 };
const GARMENT = '#111111';

interface Report {
  mode: string;
  dpi: number;
  underbase: boolean;
  inks: { name: string; hex: string }[];
  films: { order: number; name: string; kind: string; hex: string; files: string[]; coveragePct: number }[];
  artBoxPx: { x: number; y: number; width: number; height: number };
  predicted: { deltaE2000Mean: number; deltaE2000P95: number; blockMm: number; blocks: number };
}

/** Red to yellow across a band, a blue disc, a white star: gradients, a small colour, highlights. */
async function gradientArt(): Promise<Buffer> {
  return sharp(
    svgDoc(
      400,
      300,
      '<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#d01818"/><stop offset="1" stop-color="#f8d020"/></linearGradient></defs>' +
        '<rect x="20" y="20" width="360" height="160" fill="url(#g)"/><circle cx="90" cy="240" r="45" fill="#1e50d0"/>' +
        '<polygon points="300,195 315,240 360,240 323,265 337,295 300,275 263,295 277,265 240,240 285,240" fill="#ffffff"/>',
    ),
  )
    .png()
    .toBuffer();
}

async function separate(png: Buffer, options: Record<string, unknown>) {
  const r = await runJob(png, {
    variations: ['separations'],
    options: { separations: { ...SMALL, ...options } },
  });
  assert.deepEqual(r.failures, []);
  const files = new Map(r.outputs.map((o) => [o.name, o.data]));
  return { files, report: JSON.parse(String(files.get('separations.json'))) as Report, outputs: r.outputs };
}

/** A film PNG cropped to the art box as a 0/1 map (1 = ink, black on the film). */
async function artMap(png: Buffer, box: Report['artBoxPx']): Promise<Uint8Array> {
  const img = await rgba(png);
  const out = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      out[y * box.width + x] = img.data[((y + box.y) * img.width + x + box.x) * 4] < 128 ? 1 : 0;
    }
  }
  return out;
}

/**
 * The halftone lattice in a window where the dots stand apart (15–45 % ink): the dots' centres
 * (4-connected pieces wholly inside), and the median of each centre's nearest neighbour, as
 * a vector pointing right (dx ≥ 0); null where the window holds no such dots.
 */
function dotLattice(map: Uint8Array, width: number, x0: number, y0: number, size: number) {
  let inked = 0;
  for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) inked += map[y * width + x];
  if (inked < 0.15 * size * size || inked > 0.45 * size * size) return null;
  const seen = new Uint8Array(size * size);
  const centres: { x: number; y: number }[] = [];
  for (let sy = 0; sy < size; sy++) {
    for (let sx = 0; sx < size; sx++) {
      if (seen[sy * size + sx] || !map[(y0 + sy) * width + x0 + sx]) continue;
      const stack = [[sx, sy]];
      seen[sy * size + sx] = 1;
      let n = 0;
      let mx = 0;
      let my = 0;
      let edge = false;
      while (stack.length) {
        const [x, y] = stack.pop() as number[];
        n++;
        mx += x;
        my += y;
        if (x === 0 || y === 0 || x === size - 1 || y === size - 1) edge = true;
        for (const [ax, ay] of [
          [x + 1, y],
          [x - 1, y],
          [x, y + 1],
          [x, y - 1],
        ]) {
          if (ax < 0 || ay < 0 || ax >= size || ay >= size || seen[ay * size + ax]) continue;
          if (!map[(y0 + ay) * width + x0 + ax]) continue;
          seen[ay * size + ax] = 1;
          stack.push([ax, ay]);
        }
      }
      if (!edge) centres.push({ x: mx / n, y: my / n });
    }
  }
  if (centres.length < 6) return null;
  const nearest = centres.map((c) => {
    let best = { dx: 0, dy: 0, d: Infinity };
    for (const o of centres) {
      const d = Math.hypot(o.x - c.x, o.y - c.y);
      if (d > 0 && d < best.d) best = { dx: o.x - c.x, dy: o.y - c.y, d };
    }
    return best.dx < 0 ? { dx: -best.dx, dy: -best.dy, d: best.d } : best;
  });
  nearest.sort((a, b) => a.d - b.d);
  return nearest[Math.floor(nearest.length / 2)];
}

describe('sim-process separations', () => {
  it('films in print order on one screen; the composite is exactly the print of the films', {
    timeout: 180_000,
  }, async () => {
    const { files, report } = await separate(await gradientArt(), {
      mode: 'sim-process',
      garment: GARMENT,
      lpi: 30,
      angle: 22.5,
    });
    assert.equal(report.mode, 'sim-process');
    const kinds = report.films.map((f) => f.kind);
    assert.equal(kinds[0], 'underbase', 'underbase first');
    assert.equal(kinds.at(-1), 'highlight', 'highlight white last');
    assert.ok(kinds.slice(1, -1).every((k) => k === 'ink') && kinds.length >= 4, kinds.join());
    // the blue disc has its own ink, though it is a small part of the art
    assert.ok(
      report.inks.some((i) => /blue/i.test(i.name)),
      report.inks.map((i) => i.name).join(),
    );
    const box = report.artBoxPx;
    const films: Film[] = [];
    for (const f of report.films) {
      const png = files.get(f.files[0]);
      assert.ok(png, f.files[0]);
      const meta = await sharp(png).metadata();
      assert.equal(meta.density, report.dpi, `${f.name} at the film DPI`);
      const map = await artMap(png, box);
      films.push({
        kind: f.kind as Film['kind'],
        name: f.name,
        hex: f.hex,
        spot: { name: f.name, cmyk: [0, 0, 0, 0] },
        map,
        outlines: null,
      });
    }
    // the composite: the films printed on the garment, one pixel per halftone cell
    const block = Math.round(report.dpi / 30);
    const expected = simulatedPreview(films, { r: 17, g: 17, b: 17 }, box.width, box.height, block);
    const composite = await rgba(files.get('composite.png')!);
    assert.deepEqual([composite.width, composite.height], [expected.width, expected.height]);
    assert.ok(
      Buffer.from(composite.data).equals(Buffer.from(expected.data)),
      'composite = print of the films',
    );
    // the middle of the gradient mixes red and yellow dots: both films are halftones on a
    // 5 px (150 DPI / 30 LPI) lattice at 22.5°
    const cell = report.dpi / 30;
    let measured = 0;
    for (const film of films.filter((f) => f.kind === 'ink')) {
      // dots apart (15–45 % ink) somewhere in the gradient band: their centres' nearest neighbours
      const window = 40;
      for (let x0 = 0; x0 + window < box.width && measured < 4; x0 += window) {
        const y0 = Math.round(box.height * 0.25);
        const v = dotLattice(film.map, box.width, x0, y0, window);
        if (!v) continue;
        const angle = ((((Math.atan2(-v.dy, v.dx) * 180) / Math.PI) % 90) + 90) % 90;
        assert.ok(
          Math.abs(Math.hypot(v.dx, v.dy) - cell) < 0.5,
          `${film.name}: lattice ${Math.hypot(v.dx, v.dy).toFixed(2)} px, cell ${cell}`,
        );
        assert.ok(
          Math.min(Math.abs(angle - 22.5), Math.abs(angle - 112.5), Math.abs(angle + 67.5)) < 3,
          `${film.name}: angle ${angle.toFixed(1)}°`,
        );
        measured++;
      }
    }
    assert.ok(measured >= 2, `lattices measured: ${measured}`);
    assert.ok(report.predicted.blocks > 100);
  });

  it('closer to the art on black than CMYK process and spot inks', { timeout: 240_000 }, async () => {
    const art = await gradientArt();
    const sim = (await separate(art, { mode: 'sim-process', garment: GARMENT })).report.predicted;
    const cmyk = (await separate(art, { mode: 'process', garment: GARMENT })).report.predicted;
    const spot = (await separate(art, { mode: 'spot', garment: GARMENT })).report.predicted;
    assert.ok(sim.deltaE2000Mean < 4, `sim-process ΔE ${sim.deltaE2000Mean}`);
    assert.ok(
      sim.deltaE2000Mean < cmyk.deltaE2000Mean && sim.deltaE2000Mean < spot.deltaE2000Mean,
      JSON.stringify({ sim, cmyk, spot }),
    );
    assert.ok(sim.deltaE2000P95 < spot.deltaE2000P95, JSON.stringify({ sim, spot }));
  });

  it('white garment: no underbase, no highlight; --inks caps the colour inks; same bytes twice', {
    timeout: 180_000,
  }, async () => {
    const art = await gradientArt();
    const a = await separate(art, { mode: 'sim-process', garment: '#ffffff', inks: 2 });
    assert.equal(a.report.underbase, false);
    assert.ok(
      a.report.films.every((f) => f.kind === 'ink'),
      a.report.films.map((f) => f.kind).join(),
    );
    assert.ok(a.report.films.length <= 2);
    const b = await separate(art, { mode: 'sim-process', garment: '#ffffff', inks: 2 });
    const hash = (outs: { name: string; data: Buffer }[]) =>
      outs.map((o) => `${o.name}:${createHash('sha256').update(o.data).digest('hex')}`).join();
    assert.equal(hash(b.outputs), hash(a.outputs));
  });
});

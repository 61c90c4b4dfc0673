/**
 * Screen-print depth: simulated-process separations (src/print/sim-process.ts, simulate.ts) of
 * gradient art on a black garment, mesh presets, the ink estimate, print order, mirrored and
 * negative films. The films are read back from their PNGs: the composite is exactly the print
 * they make (a pure function of the films), every colour film is halftoned on the one screen
 * asked for (its lattice measured from the dots' centres), the underbase comes first and the
 * highlight white last, and the predicted error beats CMYK and spot on the same art.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { runJob } from '../src/index.js';
import type { Film } from '../src/print/separate.js';
import { simulatedPreview } from '../src/print/simulate.js';
import { rgba, run, svgDoc, withTempDir } from './helpers.js';

const SMALL = { printWidth: 4, artboard: '6x6', dpi: 150 };
const GARMENT = '#111111';

interface Report {
  mode: string;
  dpi: number;
  underbase: boolean;
  inks: { name: string; hex: string }[];
  films: {
    order: number;
    name: string;
    kind: string;
    hex: string;
    files: string[];
    coveragePct: number;
    areaIn2: number;
    inkMl: number;
    inkG: number;
  }[];
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

/** The films read back from their PNGs (each at the film DPI), as the simulation takes them. */
async function readFilms(files: Map<string, Buffer>, report: Report): Promise<Film[]> {
  const films: Film[] = [];
  for (const f of report.films) {
    const png = files.get(f.files[0]);
    assert.ok(png, f.files[0]);
    assert.equal((await sharp(png).metadata()).density, report.dpi, `${f.name} at the film DPI`);
    const map = await artMap(png, report.artBoxPx);
    films.push({
      kind: f.kind as Film['kind'],
      name: f.name,
      hex: f.hex,
      spot: { name: f.name, cmyk: [0, 0, 0, 0] },
      map,
      outlines: null,
    });
  }
  return films;
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
    const films = await readFilms(files, report);
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

describe('presets, ink estimate, print order, film orientation', () => {
  /** A 2 × 1 in red rectangle on a 4 in wide print: 2 in² of ink. */
  async function rectangle(): Promise<Buffer> {
    return sharp(
      svgDoc(
        240,
        260,
        '<rect x="20" y="20" width="200" height="100" fill="#c81e1e"/><rect x="20" y="140" width="200" height="100" fill="#1e3cc8"/>',
      ),
    )
      .png()
      .toBuffer();
  }

  it('ink per film from area × deposit (the mesh’s or given); totals per print and per 100', {
    timeout: 120_000,
  }, async () => {
    const { report } = await separate(await rectangle(), { mode: 'spot', mesh: 230 });
    const r = report as unknown as Report & {
      ink: { depositUm: number; perPrint: { ml: number; g: number }; per100: { ml: number } };
      films: (Report['films'][number] & { areaIn2: number; inkMl: number; inkG: number })[];
      screen: { mesh: number; lpi: number };
    };
    assert.equal(r.ink.depositUm, 20, '230 mesh: 20 µm');
    assert.deepEqual([r.screen.mesh, r.screen.lpi], [230, 55]);
    for (const f of r.films) {
      // area in m² × µm = ml
      const ml = f.areaIn2 * 0.00064516 * 20;
      assert.ok(Math.abs(f.inkMl - ml) <= 0.002, `${f.name}: ${f.inkMl} ml vs ${ml}`);
      assert.ok(Math.abs(f.inkG - f.inkMl * 1.4) <= 0.002);
    }
    const total = r.films.reduce((t, f) => t + f.inkMl, 0);
    assert.ok(Math.abs(r.ink.perPrint.ml - total) <= 0.003);
    assert.ok(Math.abs(r.ink.per100.ml - 100 * r.ink.perPrint.ml) <= 0.2);
    // each rectangle is 4 × 2 in of the 4 in wide print
    assert.equal(r.films.length, 2);
    // each rectangle: the print's width by half of it (the layout may have shrunk the art to fit)
    const w = (report as unknown as { printWidthIn: number }).printWidthIn;
    for (const f of r.films)
      assert.ok(Math.abs(f.areaIn2 - (w * w) / 2) < 0.1, `${f.name}: ${f.areaIn2} in², print ${w} in`);
    const thick = (await separate(await rectangle(), { mode: 'spot', mesh: 110, deposit: 60 }))
      .report as unknown as {
      ink: { depositUm: number; perPrint: { ml: number } };
    };
    assert.equal(thick.ink.depositUm, 60);
    assert.ok(Math.abs(thick.ink.perPrint.ml - 3 * r.ink.perPrint.ml) < 0.01);
  });

  it('the mesh sets the ruling when --lpi is 0; an lpi under 10 is refused', {
    timeout: 120_000,
  }, async () => {
    const { report } = await separate(await gradientArt(), {
      mode: 'sim-process',
      garment: GARMENT,
      mesh: 110,
    });
    assert.deepEqual((report as unknown as { screen: { lpi: number } }).screen.lpi, 25);
    // a manual press: 0.8 × the mesh's ruling
    const hand = await separate(await gradientArt(), {
      mode: 'sim-process',
      garment: GARMENT,
      press: 'manual',
    });
    assert.deepEqual((hand.report as unknown as { screen: { press: string; lpi: number } }).screen, {
      ...(hand.report as unknown as { screen: object }).screen,
      press: 'manual',
      lpi: 44,
    });
    const r = await runJob(await gradientArt(), {
      variations: ['separations'],
      options: { separations: { ...SMALL, lpi: 5 } },
    });
    assert.equal(r.failures[0]?.code, 'E_BAD_OPTION');
  });

  it('print order as asked; a film that does not exist is refused', { timeout: 120_000 }, async () => {
    const base = (await separate(await rectangle(), { mode: 'spot', garment: GARMENT })).report;
    const names = base.films.map((f) => f.name);
    const last = names.at(-1) as string;
    const moved = (await separate(await rectangle(), { mode: 'spot', garment: GARMENT, order: last })).report;
    assert.deepEqual(
      moved.films.map((f) => f.name),
      [last, ...names.slice(0, -1)],
    );
    assert.deepEqual(
      moved.films.map((f) => f.order),
      names.map((_, i) => i + 1),
    );
    const r = await runJob(await rectangle(), {
      variations: ['separations'],
      options: { separations: { ...SMALL, mode: 'spot', order: 'Gold 9' } },
    });
    assert.equal(r.failures[0]?.code, 'E_BAD_OPTION');
    assert.match(r.failures[0]?.message ?? '', /no film called "Gold 9"/);
  });

  it('mirrored and negative films are the same film flipped and inverted', { timeout: 120_000 }, async () => {
    const plain = await separate(await rectangle(), { mode: 'spot' });
    const turned = await separate(await rectangle(), { mode: 'spot', mirror: true, negative: true });
    const name = plain.report.films[0].files[0];
    const a = await rgba(plain.files.get(name)!);
    const b = await rgba(turned.files.get(name)!);
    assert.deepEqual([a.width, a.height], [b.width, b.height]);
    let same = 0;
    for (let y = 0; y < a.height; y += 3) {
      for (let x = 0; x < a.width; x += 3) {
        const p = a.data[(y * a.width + x) * 4];
        const q = b.data[(y * b.width + (a.width - 1 - x)) * 4];
        if (p === 255 - q) same++;
        else assert.fail(`pixel ${x},${y}: ${p} vs mirrored negative ${q}`);
      }
    }
    assert.ok(same > 1000);
  });
});

describe('index separations', () => {
  it('square dots of one ink each, the composite their print; diffusion beats the nearest ink', {
    timeout: 240_000,
  }, async () => {
    const art = await gradientArt();
    const { files, report } = await separate(art, { mode: 'index', garment: GARMENT, squares: 75 });
    assert.equal(report.mode, 'index');
    const box = report.artBoxPx;
    const sq = Math.round(report.dpi / 75); // 2 px squares at 150 DPI
    const films = await readFilms(files, report);
    const colour = films.filter((f) => f.kind !== 'underbase');
    // no pixel on two colour films; every square one ink throughout
    for (let i = 0; i < box.width * box.height; i++) {
      let on = 0;
      for (const f of colour) on += f.map[i];
      assert.ok(on <= 1, `pixel ${i} on ${on} films`);
    }
    for (const f of colour) {
      for (let y = 0; y + sq <= box.height; y += sq) {
        for (let x = 0; x + sq <= box.width; x += sq) {
          const v = f.map[y * box.width + x];
          for (let dy = 0; dy < sq; dy++)
            for (let dx = 0; dx < sq; dx++) assert.equal(f.map[(y + dy) * box.width + x + dx], v);
        }
      }
    }
    // white under the light inks on black
    const under = films.find((f) => f.kind === 'underbase');
    assert.ok(under, 'an underbase on black');
    const expected = simulatedPreview(films, { r: 17, g: 17, b: 17 }, box.width, box.height, sq);
    const composite = await rgba(files.get('composite.png')!);
    assert.ok(
      Buffer.from(composite.data).equals(Buffer.from(expected.data)),
      'composite = print of the films',
    );
    const nearest = (await separate(art, { mode: 'index', garment: GARMENT, squares: 75, dither: 'none' }))
      .report.predicted;
    assert.ok(
      report.predicted.deltaE2000Mean < nearest.deltaE2000Mean,
      JSON.stringify({ diffused: report.predicted, nearest }),
    );
  });

  it('a given palette is printed as given', { timeout: 120_000 }, async () => {
    const { report } = await separate(await gradientArt(), {
      mode: 'index',
      palette: ['#d01818', '#f8d020'],
      squares: 75,
    });
    assert.deepEqual(report.inks.map((i) => i.hex).sort(), ['#d01818', '#f8d020']);
    assert.ok(report.films.every((f) => f.kind === 'ink'));
  });
});

describe('process on a black garment: black is the shirt', () => {
  it('no black film; the underbase leaves the black bare; the print as close, with less ink', {
    timeout: 180_000,
  }, async () => {
    const art = await sharp(
      svgDoc(
        300,
        150,
        '<rect x="10" y="10" width="130" height="130" fill="#000000"/><rect x="160" y="10" width="130" height="130" fill="#e03030"/>',
      ),
    )
      .png()
      .toBuffer();
    const plain = await separate(art, { mode: 'process', garment: GARMENT });
    const shirt = await separate(art, { mode: 'process', garment: GARMENT, blackShirt: true });
    assert.ok(plain.report.films.some((f) => f.name === 'Black'));
    assert.deepEqual(
      shirt.report.films.map((f) => f.name),
      ['Underbase White', 'Yellow', 'Magenta', 'Cyan'].filter((n) =>
        plain.report.films.some((f) => f.name === n),
      ),
    );
    const box = shirt.report.artBoxPx;
    const under = await artMap(shirt.files.get(shirt.report.films[0].files[0])!, box);
    // the middle of the black square: no white under it; the middle of the red one: white
    const at = (fx: number, fy: number) =>
      under[Math.round(fy * box.height) * box.width + Math.round(fx * box.width)];
    let black = 0;
    let red = 0;
    for (let d = -3; d <= 3; d++) {
      black += at(0.24 + d / 200, 0.5);
      red += at(0.74 + d / 200, 0.5);
    }
    assert.equal(black, 0, 'no underbase under the black');
    assert.equal(red, 7, 'underbase under the red');
    const ink = (r: typeof plain) =>
      (r.report as unknown as { ink: { perPrint: { ml: number } } }).ink.perPrint.ml;
    assert.ok(ink(shirt) < ink(plain), `${ink(shirt)} ml vs ${ink(plain)} ml`);
    // the black is now the garment's #111 instead of black ink: a little further from #000

    assert.ok(
      shirt.report.predicted.deltaE2000Mean <= plain.report.predicted.deltaE2000Mean + 3,
      JSON.stringify([shirt.report.predicted, plain.report.predicted]),
    );
  });
});

describe('spot tints', () => {
  it('a lighter shade of an ink prints as a halftone of it, at its share', { timeout: 180_000 }, async () => {
    // navy and the colour of navy dots over half of white paper (linear light): #bcbdc7
    const art = await sharp(
      svgDoc(
        300,
        150,
        '<rect x="10" y="10" width="130" height="130" fill="#1b2a6b"/><rect x="160" y="10" width="130" height="130" fill="#bcbdc7"/>',
      ),
    )
      .png()
      .toBuffer();
    const solid = await separate(art, { mode: 'spot' });
    assert.equal(solid.report.films.length, 2);
    const { files, report } = await separate(art, { mode: 'spot', tints: true, lpi: 30 });
    const r = report as unknown as Report & { tints: { ink: string; of: string; meanPct: number }[] };
    assert.equal(r.films.length, 1, 'one screen');
    assert.equal(r.tints.length, 1);
    assert.equal(r.tints[0].of, r.films[0].name);
    assert.ok(Math.abs(r.tints[0].meanPct - 50) < 2, `${r.tints[0].meanPct} %`);
    // halftoned: no vector film; the PNG's right square is half inked, the left one solid
    assert.deepEqual(r.films[0].files, [r.films[0].files[0], r.films[0].files[0].replace('.png', '.tif')]);
    const map = await artMap(files.get(r.films[0].files[0])!, r.artBoxPx);
    const share = (x0: number) => {
      const { width, height } = r.artBoxPx;
      let on = 0;
      let n = 0;
      for (let y = Math.round(0.2 * height); y < Math.round(0.8 * height); y++) {
        for (let x = Math.round(x0 * width); x < Math.round((x0 + 0.3) * width); x++) {
          on += map[y * width + x];
          n++;
        }
      }
      return on / n;
    };
    assert.ok(share(0.08) > 0.99, `navy square ${share(0.08)}`);
    assert.ok(Math.abs(share(0.6) - 0.5) < 0.04, `tint square ${share(0.6)}`);
    assert.ok(r.predicted.deltaE2000Mean < 2, JSON.stringify(r.predicted));
  });
});

describe('sim-process PDF', () => {
  it('Ghostscript tiffsep finds one plate per ink, each with its film’s pixels; every film 1-bit', {
    timeout: 240_000,
  }, async () => {
    const { files, report } = await separate(await gradientArt(), {
      mode: 'sim-process',
      garment: GARMENT,
      inks: 3,
    });
    await withTempDir(async (dir) => {
      const pdf = join(dir, 'seps.pdf');
      await writeFile(pdf, files.get('separations.pdf')!);
      await run('gs', [
        '-q',
        '-dSAFER',
        '-dBATCH',
        '-dNOPAUSE',
        '-sDEVICE=tiffsep',
        `-r${report.dpi}`,
        `-sOutputFile=${join(dir, 's-%d.tif')}`,
        pdf,
      ]);
      const names = await readdir(dir);
      for (const [k, film] of report.films.entries()) {
        const plate = `s-${k + 1}(${film.name}).tif`;
        assert.ok(names.includes(plate), `${plate} among ${names.join()}`);
        const sep = await rgba(await readFile(join(dir, plate)));
        const png = files.get(film.files[0])!;
        assert.equal((await sharp(png).metadata()).channels, 1, `${film.name}: one channel`);
        const filmImg = await rgba(png);
        // the plate and the film agree pixel for pixel on the art box
        const box = report.artBoxPx;
        let differ = 0;
        let inked = 0;
        for (let y = box.y; y < box.y + box.height; y++) {
          for (let x = box.x; x < box.x + box.width; x++) {
            const onFilm = filmImg.data[(y * filmImg.width + x) * 4] < 128;
            const onPlate = sep.data[(y * sep.width + x) * 4] < 128;
            if (onFilm) inked++;
            if (onFilm !== onPlate) differ++;
          }
        }
        assert.ok(inked > 0 && differ <= 0.002 * inked, `${film.name}: ${differ} of ${inked} pixels differ`);
      }
    });
  });
});

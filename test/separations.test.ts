/**
 * Screen-print separations: inks found on anti-aliased synthetic logos, films
 * that account for every pixel exactly once, the underbase choke measured on
 * the film, registration marks on identical pixels, a PDF whose pages paint in
 * /Separation colour spaces named after the inks, process-mode halftones that
 * track the tint, and the `separate` command. Films are made small (150 DPI
 * on a 6×6 in board) so that the suite stays quick.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { colorWord } from '../src/color/inks.js';
import { runJob } from '../src/index.js';
import { offsetMap } from '../src/raster/morphology.js';
import {
  cli,
  deltaE,
  example,
  renderPng,
  renderSvgPixels,
  rgba,
  run,
  svgDoc,
  withTempDir,
} from './helpers.js';

const SMALL = { printWidth: 4, artboard: '6x6', dpi: 150 };

interface Report {
  mode: string;
  inks: { name: string; hex: string; printed: boolean }[];
  films: { order: number; name: string; kind: string; hex: string; files: string[]; coveragePct: number }[];
  artBoxPx: { x: number; y: number; width: number; height: number };
  marksPx: { x: number; y: number }[];
  underbase: boolean;
  skipped: { name: string }[];
}

type Outputs = Map<string, Buffer>;

async function separate(
  png: Buffer,
  options: Record<string, unknown> = {},
): Promise<{ files: Outputs; report: Report }> {
  const r = await runJob(png, {
    variations: ['separations'],
    options: { separations: { ...SMALL, ...options } },
  });
  assert.deepEqual(r.failures, []);
  const files: Outputs = new Map(r.outputs.map((o) => [o.name, o.data]));
  const report = JSON.parse(String(files.get('separations.json'))) as Report;
  return { files, report };
}

/** A film decoded to a 0/1 ink map (1 = black). */
async function filmMap(png: Buffer): Promise<{ width: number; height: number; ink: Uint8Array }> {
  const img = await rgba(png);
  const ink = new Uint8Array(img.width * img.height);
  for (let i = 0; i < ink.length; i++) ink[i] = img.data[i * 4] < 128 ? 1 : 0;
  return { width: img.width, height: img.height, ink };
}

const hexRgb = (h: string): [number, number, number] => {
  const n = Number.parseInt(h.slice(1), 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
};

// three inks, anti-aliased by librsvg: a red disc, a navy bar and a gold triangle
const THREE = [
  ['#d62828', '<circle cx="140" cy="150" r="90" fill="#d62828"/>'],
  ['#003049', '<rect x="250" y="60" width="70" height="190" rx="8" fill="#003049"/>'],
  ['#fcbf49', '<path d="M340 250 L420 60 L500 250 Z" fill="#fcbf49"/>'],
] as const;
const threeSvg = svgDoc(540, 300, THREE.map(([, s]) => s).join(''));

describe('separations: spot inks', () => {
  test('finds exactly the three inks (ΔE ≤ 3), names them, films account for every pixel once', async () => {
    for (const background of [undefined, '#ffffff']) {
      const { files, report } = await separate(await renderPng(threeSvg, background));
      assert.equal(report.mode, 'spot');
      assert.equal(report.inks.length, 3, `inks: ${report.inks.map((i) => i.hex)}`);
      for (const [hex] of THREE) {
        const best = Math.min(...report.inks.map((i) => deltaE(hexRgb(i.hex), hexRgb(hex))));
        assert.ok(best <= 3, `${hex}: nearest ink ΔE ${best.toFixed(2)}`);
      }
      assert.deepEqual(report.inks.map((i) => i.name).sort(), ['Blue 1', 'Red 1', 'Yellow 1']);
      assert.equal(report.films.length, 3);
      // pixel accounting: no pixel on two films, and their union is the art's coverage
      const maps = await Promise.all(report.films.map((f) => filmMap(files.get(f.files[0]) as Buffer)));
      const { x, y, width, height } = report.artBoxPx;
      const union = new Uint8Array(width * height);
      let twice = 0;
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          const at = (y + r) * maps[0].width + x + c;
          const n = maps.reduce((s, m) => s + m.ink[at], 0);
          if (n > 1) twice++;
          union[r * width + c] = n ? 1 : 0;
        }
      }
      assert.equal(twice, 0, 'no pixel on two spot films');
      // the logo's coverage at film resolution: the art rendered at the art box's size
      const cover = await coverage(width, height);
      let diff = 0;
      let inked = 0;
      for (let i = 0; i < union.length; i++) {
        if (cover[i]) inked++;
        if (cover[i] !== union[i]) diff++;
      }
      assert.ok(
        diff / inked < 0.01,
        `union differs from the logo's coverage on ${((100 * diff) / inked).toFixed(2)} % of it`,
      );
    }
  });

  test('same input, same bytes; films are 1-bit with the DPI; TIFF is CCITT G4', async () => {
    const png = await renderPng(threeSvg);
    const a = await separate(png);
    const b = await separate(png);
    for (const [name, data] of a.files) assert.ok(data.equals(b.files.get(name) as Buffer), name);
    const film = a.files.get('film-01-yellow-1.png') as Buffer;
    const meta = await sharp(film).metadata();
    assert.equal(meta.density, 150);
    assert.equal(meta.width, 900);
    assert.equal(meta.height, 900);
    assert.equal(film.readUInt8(24), 1, 'PNG bit depth 1');
    const tif = await sharp(a.files.get('film-01-yellow-1.tif') as Buffer).metadata();
    assert.equal(tif.density, 150);
    assert.equal(tif.bitsPerSample, 1);
    // light to dark: yellow, red, navy
    assert.deepEqual(
      a.report.films.map((f) => f.name),
      ['Yellow 1', 'Red 1', 'Blue 1'],
    );
  });

  test('registration marks sit on identical pixels on every film', async () => {
    const { files, report } = await separate(await renderPng(threeSvg), { garment: '#202020' });
    const pngs = report.films.map((f) => files.get(f.files[0]) as Buffer);
    assert.equal(pngs.length, 4, 'underbase + 3 inks');
    const r = 30; // a mark's radius is 0.15 in = 22.5 px at 150 DPI
    for (const m of report.marksPx) {
      const crops = await Promise.all(
        pngs.map((p) =>
          sharp(p)
            .extract({ left: m.x - r, top: m.y - r, width: 2 * r, height: 2 * r })
            .raw()
            .toBuffer(),
        ),
      );
      let ink = 0;
      for (const v of crops[0]) if (v < 128) ink++;
      assert.ok(ink > 100, `mark at ${m.x},${m.y} has ink (${ink})`);
      for (const c of crops.slice(1))
        assert.ok(c.equals(crops[0]), `mark at ${m.x},${m.y} differs between films`);
    }
  });

  test('underbase: under every ink on a dark garment, choked by the setting (±1 px) measured on the film', async () => {
    const square = await renderPng(
      svgDoc(300, 300, '<rect x="50" y="50" width="200" height="200" fill="#e63946"/>'),
    );
    for (const choke of [1, 3]) {
      const { files, report } = await separate(square, { garment: '#111111', choke });
      assert.equal(report.underbase, true);
      assert.equal(report.films[0].kind, 'underbase');
      const ink = await filmMap(files.get(report.films[1].files[0]) as Buffer);
      const under = await filmMap(files.get(report.films[0].files[0]) as Buffer);
      const want = (choke / 72) * 150;
      // measure along the middle row and column: first and last inked pixel of each film
      const edges = (m: typeof ink, horizontal: boolean) => {
        const mid = Math.round(
          (horizontal ? report.artBoxPx.y : report.artBoxPx.x) +
            (horizontal ? report.artBoxPx.height : report.artBoxPx.width) / 2,
        );
        const at = (k: number) => (horizontal ? m.ink[mid * m.width + k] : m.ink[k * m.width + mid]);
        // within the art box and a little around it, not out to the registration marks
        const from = (horizontal ? report.artBoxPx.x : report.artBoxPx.y) - 20;
        const to = from + 40 + (horizontal ? report.artBoxPx.width : report.artBoxPx.height);
        let first = -1;
        let last = -1;
        for (let k = from; k < to; k++)
          if (at(k)) {
            if (first < 0) first = k;
            last = k;
          }
        return [first, last];
      };
      for (const horizontal of [true, false]) {
        const [i0, i1] = edges(ink, horizontal);
        const [u0, u1] = edges(under, horizontal);
        for (const d of [u0 - i0, i1 - u1]) {
          assert.ok(
            Math.abs(d - want) <= 1,
            `choke ${choke} pt: measured ${d} px, want ${want.toFixed(2)} ± 1`,
          );
        }
      }
    }
    // white ink on white paper (no garment) is left to the paper
    const whiteDetail = await separate(
      await renderPng(
        svgDoc(
          300,
          300,
          '<rect x="50" y="50" width="200" height="200" fill="#1d3557"/><rect x="120" y="120" width="60" height="60" fill="#ffffff"/>',
        ),
      ),
    );
    assert.deepEqual(
      whiteDetail.report.skipped.map((s) => s.name),
      ['White 1'],
    );
    assert.deepEqual(
      whiteDetail.report.films.map((f) => f.name),
      ['Blue 1'],
    );
    // a light garment needs no underbase
    const light = await separate(square, { garment: '#f0f0f0' });
    assert.equal(light.report.underbase, false);
    assert.equal(light.report.films.length, 1);
  });

  test('black on a black garment is not printed and gets no underbase; highlight white prints last', async () => {
    const art = await renderPng(
      svgDoc(
        400,
        200,
        '<rect x="10" y="10" width="120" height="180" fill="#111111"/><rect x="140" y="10" width="120" height="180" fill="#ffffff"/><rect x="270" y="10" width="120" height="180" fill="#2a9d8f"/>',
      ),
      '#7f7f7f',
    );
    // grey background removed, three inks left
    const { report, files } = await separate(art, { garment: '#101010', highlight: true });
    assert.deepEqual(
      report.skipped.map((s) => s.name),
      ['Black 1'],
    );
    assert.deepEqual(
      report.films.map((f) => `${f.kind}:${f.name}`),
      ['underbase:Underbase White', 'ink:Teal 1', 'highlight:White 1'],
    );
    const under = await filmMap(files.get(report.films[0].files[0]) as Buffer);
    const { x, y, width, height } = report.artBoxPx;
    const at = (fx: number) =>
      under.ink[Math.round(y + height / 2) * under.width + x + Math.round(fx * width)];
    assert.equal(at(65 / 380), 0, 'no underbase under the black');
    assert.equal(at(200 / 380), 1, 'underbase under the white');
    assert.equal(at(330 / 380), 1, 'underbase under the teal');
  });

  test('spread: the lighter ink grows under the darker one; pixels on two films only there', async () => {
    const art = await renderPng(
      svgDoc(
        320,
        220,
        '<rect x="10" y="10" width="150" height="200" fill="#ffd166"/><rect x="160" y="10" width="150" height="200" fill="#073b4c"/>',
      ),
    );
    const { files, report } = await separate(art, { spread: 2 });
    const [light, dark] = await Promise.all(
      report.films.map((f) => filmMap(files.get(f.files[0]) as Buffer)),
    );
    const row = Math.round(report.artBoxPx.y + report.artBoxPx.height / 2) * light.width;
    let overlap = 0;
    const { x, width } = report.artBoxPx;
    for (let k = x; k < x + width; k++) if (light.ink[row + k] && dark.ink[row + k]) overlap++;
    const want = Math.round((2 / 72) * 150);
    assert.ok(Math.abs(overlap - want) <= 1, `trap ${overlap} px, want ${want}`);
  });

  test('distress (--intensity) knocks the same pixels out of every film, underbase included; seeded', async () => {
    const png = await renderPng(threeSvg);
    const plain = await separate(png, { garment: '#000000' });
    const worn = await separate(png, { garment: '#000000', intensity: 0.6, seed: 7 });
    const again = await separate(png, { garment: '#000000', intensity: 0.6, seed: 7 });
    const other = await separate(png, { garment: '#000000', intensity: 0.6, seed: 8 });
    const pick = (r: typeof plain, k: number) => r.files.get(r.report.films[k].files[0]) as Buffer;
    assert.ok(pick(worn, 2).equals(pick(again, 2)), 'same seed, same film');
    assert.ok(!pick(worn, 2).equals(pick(other, 2)), 'another seed, another film');
    const [u0, u1] = await Promise.all([filmMap(pick(plain, 0)), filmMap(pick(worn, 0))]);
    let removed = 0;
    let inked = 0;
    for (let k = 1; k <= 3; k++) {
      const [a, b] = await Promise.all([filmMap(pick(plain, k)), filmMap(pick(worn, k))]);
      for (let i = 0; i < a.ink.length; i++) {
        inked += a.ink[i];
        // a pixel worn away from an ink is gone from the underbase too (bar the choke's rim)
        if (a.ink[i] && !b.ink[i]) {
          removed++;
          if (u0.ink[i]) assert.equal(u1.ink[i], 0, `underbase keeps knocked-out pixel ${i}`);
        }
      }
    }
    assert.ok(
      removed / inked > 0.05 && removed / inked < 0.4,
      `removed ${((100 * removed) / inked).toFixed(1)} %`,
    );
  });

  test('PDF: a page per film, each painted in a /Separation named after its ink; renders with pdftoppm', () =>
    withTempDir(async (dir) => {
      const { files, report } = await separate(await renderPng(threeSvg), {
        garment: '#000000',
        inkNames: 'Red 1=PMS 186 C,#003049=Navy (Dark)',
      });
      const pdf = join(dir, 's.pdf');
      await writeFile(pdf, files.get('separations.pdf') as Buffer);
      const { stdout } = await run('pdfinfo', [pdf]);
      assert.match(stdout, new RegExp(`Pages:\\s+${report.films.length}\\n`));
      await run('qpdf', ['--qdf', '--object-streams=disable', pdf, join(dir, 'q.pdf')]);
      // qdf writes arrays one element per line: compare with whitespace collapsed
      const text = (await readFile(join(dir, 'q.pdf'))).toString('latin1').replace(/\s+/g, ' ');
      for (const name of [
        '/PMS#20186#20C',
        '/Navy#20#28Dark#29',
        '/Yellow#201',
        '/Underbase#20White',
        '/All',
      ]) {
        assert.ok(text.includes(`/Separation ${name}`), `no /Separation ${name}`);
      }
      assert.deepEqual(
        report.films.map((f) => f.name),
        ['Underbase White', 'Yellow 1', 'PMS 186 C', 'Navy (Dark)'],
      );
      await run('pdftoppm', ['-r', '20', '-png', pdf, join(dir, 'page')]);
      for (let p = 1; p <= report.films.length; p++) {
        const img = await rgba(await readFile(join(dir, `page-${p}.png`)));
        let dark = 0;
        for (let i = 0; i < img.width * img.height; i++) if (img.data[i * 4 + 1] < 200) dark++;
        assert.ok(dark > 20, `page ${p} is blank`);
      }
      // SVG and EPS per film, EPS renders with Ghostscript
      const eps = join(dir, 'f.eps');
      await writeFile(eps, files.get(report.films[1].files[3]) as Buffer);
      await run('gs', [
        '-q',
        '-dSAFER',
        '-dBATCH',
        '-dNOPAUSE',
        '-sDEVICE=pnggray',
        '-r20',
        `-sOutputFile=${eps}.png`,
        eps,
      ]);
      assert.ok(report.films[1].files[2].endsWith('.svg'));
    }));
});

/** The three-ink logo's coverage (alpha ≥ 128) rendered at the art box's size. */
async function coverage(width: number, height: number): Promise<Uint8Array> {
  // the presented art is the logo trimmed to its ink: the SVG's own bounds (50…500 × 60…250)
  const trimmed = await sharp(await renderPng(threeSvg))
    .trim({ threshold: 0 })
    .png()
    .toBuffer();
  const meta = await sharp(trimmed).metadata();
  const big = await sharp(threeSvg, { density: (72 * width) / (meta.width as number) })
    .ensureAlpha()
    .trim({ threshold: 0 })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = big[i * 4 + 3] >= 128 ? 1 : 0;
  return out;
}

describe('separations: process mode', () => {
  test('a gradient goes to process: Y, M, C, K halftone films whose dot coverage tracks the tint', async () => {
    // on a transparent canvas, so that no part of the art is taken for background
    const grad = svgDoc(
      420,
      220,
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#ff0000"/><stop offset="1" stop-color="#0000ff"/></linearGradient></defs><rect x="10" y="10" width="400" height="160" fill="url(#g)"/><rect x="10" y="170" width="400" height="40" fill="#808080"/>',
    );
    const { files, report } = await separate(await renderPng(grad), { lpi: 30 });
    assert.equal(report.mode, 'process');
    assert.deepEqual(
      report.films.map((f) => f.name),
      ['Yellow', 'Magenta', 'Cyan', 'Black'],
    );
    // the grey band: K = 1 − 128/255 ≈ 50 % with full GCR, no C, M, Y
    const black = await filmMap(files.get(report.films[3].files[0]) as Buffer);
    const cyan = await filmMap(files.get(report.films[2].files[0]) as Buffer);
    const { x, y, width, height } = report.artBoxPx;
    const band = { y0: y + Math.round(height * 0.85), y1: y + Math.round(height * 0.97) };
    const share = (m: typeof black) => {
      let n = 0;
      let inked = 0;
      for (let r = band.y0; r < band.y1; r++) {
        for (let c = x + 20; c < x + width - 20; c++) {
          n++;
          inked += m.ink[r * m.width + c];
        }
      }
      return inked / n;
    };
    const k = share(black);
    assert.ok(Math.abs(k - (1 - 128 / 255)) < 0.05, `K coverage ${k.toFixed(3)}`);
    assert.ok(share(cyan) < 0.02, `cyan under grey ${share(cyan).toFixed(3)}`);
    // PDF: a page per film, halftones as image masks in their separations
    const pdf = (files.get('separations.pdf') as Buffer).toString('latin1');
    assert.equal((pdf.match(/\/Type \/Page\b/g) ?? []).length, 4);
    for (const ink of ['Cyan', 'Magenta', 'Yellow', 'Black'])
      assert.ok(pdf.includes(`/Separation /${ink}`), ink);
    assert.ok(!files.has('film-01-yellow.svg'), 'no vector films of halftones');
  });

  test('a channel the art does not use gets no film: left out with W_EMPTY_FILM, not burned empty', async () => {
    const red = svgDoc(420, 220, '<rect x="10" y="10" width="400" height="200" fill="#ff0000"/>');
    const r = await runJob(await renderPng(red), {
      variations: ['separations'],
      options: { separations: { ...SMALL, mode: 'process', lpi: 30 } },
    });
    assert.deepEqual(r.failures, []);
    const report = JSON.parse(
      String(r.outputs.find((o) => o.name === 'separations.json')?.data),
    ) as Report & {
      emptyFilms: string[];
    };
    // pure red: yellow and magenta only
    assert.deepEqual(
      report.films.map((f) => f.name),
      ['Yellow', 'Magenta'],
    );
    assert.deepEqual(report.emptyFilms, ['Cyan', 'Black']);
    const warning = r.warnings.find((w) => w.code === 'W_EMPTY_FILM');
    assert.equal(warning?.message, 'No ink on the Cyan, Black films: left out (2 films to burn).');
    assert.deepEqual(
      r.outputs.filter((o) => o.name.startsWith('film-')).map((o) => o.name),
      ['film-01-yellow.png', 'film-01-yellow.tif', 'film-02-magenta.png', 'film-02-magenta.tif'],
    );
    const pdf = String(r.outputs.find((o) => o.name === 'separations.pdf')?.data.toString('latin1'));
    assert.equal((pdf.match(/\/Type \/Page\b/g) ?? []).length, 2);
    // every film written carries ink
    for (const o of r.outputs.filter((x) => x.name.startsWith('film-') && x.format === 'png')) {
      assert.ok((await filmMap(o.data)).ink.includes(1), o.name);
    }
  });
});

describe('separations: options and CLI', () => {
  test('bad options are E_BAD_OPTION naming the problem', async () => {
    const png = await renderPng(threeSvg);
    for (const [options, re] of [
      [{ artboard: '1x1' }, /artboard/],
      [{ artboard: 'big' }, /artboard/],
      [{ inkNames: 'Purple 7=X' }, /no ink called "Purple 7"/],
      [{ inkNames: 'Red 1' }, /Ink=Name/],
      [{ mode: 'duotone' }, /mode/],
      [{ garment: 'navyish' }, /garment/],
    ] as const) {
      await assert.rejects(
        runJob(png, { variations: ['separations'], options: { separations: { ...SMALL, ...options } } }).then(
          (r) => {
            const f = r.failures[0];
            if (f) throw Object.assign(new Error(f.message), { code: f.code });
            return r;
          },
        ),
        (e: { code?: string; message: string }) => e.code === 'E_BAD_OPTION' && re.test(e.message),
        JSON.stringify(options),
      );
    }
  });

  test('colour words', () => {
    const w = (r: number, g: number, b: number) => colorWord({ r, g, b });
    assert.equal(w(10, 10, 10), 'Black');
    assert.equal(w(250, 250, 250), 'White');
    assert.equal(w(128, 128, 128), 'Grey');
    assert.equal(w(214, 40, 40), 'Red');
    assert.equal(w(252, 191, 73), 'Yellow');
    assert.equal(w(0, 48, 73), 'Blue');
    assert.equal(w(42, 157, 143), 'Teal');
    assert.equal(w(40, 160, 60), 'Green');
  });

  test('offsetMap grows and shrinks by whole pixels, exactly (Euclidean)', () => {
    const w = 40;
    const m = new Uint8Array(w * w);
    m[20 * w + 20] = 1;
    const grown = offsetMap(m, w, w, 5);
    let n = 0;
    for (const v of grown) n += v;
    // a disc of radius 5.5 around the pixel (centres within 5.5): 97 pixels
    assert.equal(n, 97);
    const back = offsetMap(grown, w, w, -5);
    assert.equal(
      back.reduce((s, v) => s + v, 0),
      1,
    );
  });

  test('logomill separate writes films and the report into the folder; a missing file exits 2', () =>
    withTempDir(async (dir) => {
      const ok = cli([
        'separate',
        example('harbor-on-white.png'),
        '-o',
        dir,
        '--garment',
        '#111111',
        '--dpi',
        '100',
        '--print-width',
        '5',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /spot \(4 flat colours\)/);
      assert.match(ok.stdout, /Underbase White/);
      const report = JSON.parse(await readFile(join(dir, 'separations.json'), 'utf8')) as Report;
      assert.equal(report.films.length, 5);
      for (const f of report.films) for (const name of f.files) await readFile(join(dir, name));
      const bad = cli(['separate', join(dir, 'missing.png'), '-o', dir]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /E_INPUT_NOT_FOUND/);
      const opt = cli(['separate', example('harbor-on-white.png'), '-o', dir, '--choke', '-1']);
      assert.equal(opt.code, 2);
      assert.match(opt.stderr, /E_BAD_OPTION/);
    }));
});

describe('thin lines on films are never dropped silently', () => {
  // a 400 px block, a 2 px bar at art x 540 and a 40 px block: the art 720 px wide printed 72 mm
  // wide, so the bar is 0.2 mm (inside the art box: a film cannot grow past its edge)
  const art = () =>
    renderPng(
      svgDoc(
        780,
        340,
        '<g shape-rendering="crispEdges"><rect x="20" y="20" width="400" height="300"/><rect x="560" y="20" width="2" height="300"/><rect x="700" y="20" width="40" height="300"/></g>',
      ),
    );
  const options = { printWidth: 72 / 25.4, artboard: '6x6', dpi: 300, minLine: '0.5mm' };
  /** The widest run of ink across the film's row through the middle of the art, around the bar. */
  const barWidth = async (files: Outputs, report: Report, name: string) =>
    barWidthOn(await rgba(files.get(name) as Buffer), report);
  const barWidthOn = (film: { width: number; data: Uint8Array }, report: Report) => {
    const box = report.artBoxPx;
    const scale = box.width / 720;
    const y = box.y + Math.round(box.height / 2);
    let run = 0;
    let best = 0;
    for (let x = box.x + Math.floor(450 * scale); x < box.x + Math.floor(620 * scale); x++) {
      run = film.data[(y * film.width + x) * 4] < 128 ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  };

  test('a line under --min-line warns (W_THIN_LINE) and is listed; the film keeps it as drawn', async () => {
    const png = await art();
    const r = await runJob(png, { variations: ['separations'], options: { separations: options } });
    const w = r.warnings.find((x) => x.code === 'W_THIN_LINE');
    assert.ok(w, JSON.stringify(r.warnings));
    assert.match(w.message, /Lines thinner than 0\.5 mm on Black 1 \(1, down to 0\.15 mm\)/);
    const files: Outputs = new Map(r.outputs.map((o) => [o.name, o.data]));
    const report = JSON.parse(String(files.get('separations.json'))) as Report & { thinLines: unknown[] };
    assert.deepEqual(report.thinLines, [{ film: 'Black 1', lines: 1, thinnestMm: 0.15, thickened: false }]);
    // 0.2 mm at 300 DPI: 2 or 3 film pixels
    const width = await barWidth(files, report, report.films[0].files[0]);
    assert.ok(width >= 2 && width <= 3, `${width} px`);
  });

  test('--thicken widens it to at least the limit on the PNG film and on its SVG twin', async () => {
    const { files, report } = await separate(await art(), { ...options, thicken: true });
    const limitPx = (0.5 / 25.4) * 300; // 5.9 film pixels
    const width = await barWidth(files, report, report.films[0].files[0]);
    assert.ok(width >= limitPx && width <= limitPx + 3, `${width} px`);
    // the SVG film is traced from the thickened map: rendered, the bar is as wide
    const svg = files.get(report.films[0].files[2]) as Buffer;
    const svgWidth = barWidthOn(renderSvgPixels(svg, { background: '#ffffff' }), report);
    assert.ok(Math.abs(svgWidth - width) <= 1, `SVG ${svgWidth} px, PNG ${width} px`);
    // the block is untouched: its right edge did not move
    const plain = await separate(await art(), options);
    const coverage = (x: { report: Report }) => x.report.films[0].coveragePct;
    assert.ok(coverage({ report }) > coverage(plain) && coverage({ report }) - coverage(plain) < 1.5);
  });
});

/**
 * The preflight measures art of known geometry at a known print size: bars of
 * 2, 6, 16 and 24 px, gaps of 2 and 16 px and a 4 px dot, with the art 540 px
 * wide printed 54 mm wide (10 px per mm). Two processes flag different ones.
 * The PDF page renders and says what the JSON says; the CLI prints and exits
 * as documented.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { deltaE2000, rgbToLab } from '../src/color/color.js';
import { type LogoResult, processLogo } from '../src/index.js';
import { traceFidelity } from '../src/preflight/fidelity.js';
import type { Finding, PreflightReport } from '../src/preflight/index.js';
import { thinPlaces } from '../src/preflight/measure.js';
import { cli, renderPng, rgba, run, svgDoc, withTempDir } from './helpers.js';

const BARS = [
  { x: 20, w: 2 },
  { x: 80, w: 6 },
  { x: 140, w: 16 },
  { x: 220, w: 24 },
];
// blocks at 300–380, 382–460 and 476–560: gaps of 2 and 16 px
const ART =
  BARS.map((b) => `<rect x="${b.x}" y="20" width="${b.w}" height="200"/>`).join('') +
  '<rect x="300" y="20" width="80" height="200"/><rect x="382" y="20" width="78" height="200"/>' +
  '<rect x="476" y="20" width="84" height="200"/>' +
  '<rect x="300" y="300" width="4" height="4"/><rect x="500" y="300" width="30" height="30"/>';
const INK_PX = 200 * (2 + 6 + 16 + 24 + 80 + 78 + 84) + 16 + 900;
const PX_PER_MM = 10;
/** Where the art box starts in the image (the first bar). */
const ORIGIN = 20;

let logo: Buffer;

async function preflightOf(
  options: Record<string, unknown>,
): Promise<{ result: LogoResult; report: PreflightReport }> {
  const result = await processLogo(logo, {
    variations: ['preflight'],
    options: { preflight: { width: '54mm', ...options } },
  });
  assert.deepEqual(result.failures, []);
  const json = result.outputs.find((o) => o.name === 'preflight.json');
  assert.ok(json);
  return { result, report: JSON.parse(json.data.toString()) as PreflightReport };
}

const finding = (r: PreflightReport, code: string) => r.findings.find((f) => f.code === code);
/** The measured widths of a finding's places, px, by the x where each starts (art px). */
const widths = (f: Finding | undefined) =>
  (f?.places ?? [])
    .map((p) => ({ x: ORIGIN + Math.round(p.xMm * PX_PER_MM), px: (p.measuredMm ?? 0) * PX_PER_MM }))
    .sort((a, b) => a.x - b.x);

describe('preflight on art of known geometry', () => {
  let screen: PreflightReport;
  let vinyl: PreflightReport;
  let screenResult: LogoResult;
  before(async () => {
    logo = await renderPng(svgDoc(600, 360, `<g shape-rendering="crispEdges">${ART}</g>`));
    [{ report: screen, result: screenResult }, { report: vinyl }] = await Promise.all([
      preflightOf({ process: 'screen', mesh: 110 }),
      preflightOf({ process: 'vinyl' }),
    ]);
  });

  test('the print size: the art is 540 px at 54 mm', () => {
    assert.equal(screen.input.artWidthPx, 540);
    assert.equal(screen.print.widthMm, 54);
    assert.equal(screen.input.dpi, 254);
    assert.equal(screen.process.minLineMm, 0.3);
  });

  test('screen print, 110 mesh (0.3 mm line = 3 px): only the 2 px bar is too thin, measured within a pixel', () => {
    const thin = widths(finding(screen, 'P_THIN_LINE'));
    assert.equal(thin.length, 1, JSON.stringify(thin));
    assert.equal(thin[0].x, 20);
    assert.ok(Math.abs(thin[0].px - 2) <= 1, `measured ${thin[0].px} px`);
    assert.equal(finding(screen, 'P_THIN_LINE')?.severity, 'error');
    assert.equal(finding(screen, 'P_THIN_LINE')?.limit, 0.3);
  });

  test('vinyl (1 mm line = 10 px): the 2 and 6 px bars are flagged, the 16 and 24 px ones are not', () => {
    const thin = widths(finding(vinyl, 'P_THIN_LINE'));
    assert.deepEqual(
      thin.map((t) => t.x),
      [20, 80],
    );
    assert.ok(Math.abs(thin[0].px - 2) <= 1 && Math.abs(thin[1].px - 6) <= 1, JSON.stringify(thin));
  });

  test('narrow gaps: the 2 px gap fills in for both processes; the 16 px gap stays open', () => {
    for (const r of [screen, vinyl]) {
      const gaps = widths(finding(r, 'P_NARROW_GAP'));
      assert.equal(gaps.length, 1, JSON.stringify(gaps));
      assert.equal(gaps[0].x, 380);
      assert.ok(Math.abs(gaps[0].px - 2) <= 1, `measured ${gaps[0].px} px`);
    }
  });

  test('small dots: the 4 px dot drops out, the 30 px square does not', () => {
    for (const r of [screen, vinyl]) {
      const dots = widths(finding(r, 'P_SMALL_DOT'));
      assert.equal(dots.length, 1, JSON.stringify(dots));
      assert.equal(dots[0].x, 300);
      assert.ok(Math.abs(dots[0].px - 4) <= 1, `measured ${dots[0].px} px`);
    }
  });

  test('ink area, coverage and (screen) ink volume', () => {
    assert.equal(screen.inks.length, 1);
    const ink = screen.inks[0];
    assert.equal(ink.hex, '#000000');
    assert.ok(Math.abs(ink.areaMm2 - INK_PX / PX_PER_MM ** 2) < 1, `${ink.areaMm2} mm²`);
    // 110 mesh: 45 cm³ per m² printed
    assert.ok(Math.abs((ink.inkMl ?? 0) - (INK_PX / 1e8) * 45) < 0.001);
    assert.equal(vinyl.inks[0].inkMl, null);
    assert.equal(vinyl.inkVolume, null);
  });

  test('the verdict follows the worst finding; errors come first; a job warning names it', () => {
    assert.equal(screen.verdict, 'fix');
    assert.equal(screen.findings[0].severity, 'error');
    assert.match(screen.summary, /^Fix 2 problems before screen print, 110 mesh, 25 LPI at 2\.13 × /);
    const w = screenResult.warnings.find((x) => x.code === 'W_PREFLIGHT');
    assert.ok(w);
    assert.equal(w.variation, 'preflight');
  });

  test('the trace of flat rectangles is faithful', () => {
    assert.ok(screen.trace.badPct < 1, `${screen.trace.badPct} %`);
  });

  test('the PDF renders and says what the JSON says; the PNG is the same page', async () => {
    await withTempDir(async (dir) => {
      const pdf = screenResult.outputs.find((o) => o.name === 'preflight.pdf');
      const png = screenResult.outputs.find((o) => o.name === 'preflight.png');
      assert.ok(pdf && png);
      const file = join(dir, 'preflight.pdf');
      await (await import('node:fs/promises')).writeFile(file, pdf.data);
      const { stdout: info } = await run('pdfinfo', [file]);
      assert.match(info, /Pages:\s+1/);
      assert.match(info, /Page size:\s+612 x 792 pts/);
      const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
      assert.ok(text.includes(screen.summary), text);
      for (const f of screen.findings) {
        if (f.value !== null && f.unit === 'mm')
          assert.ok(text.includes(`${f.value} mm`), `${f.code} ${f.value}`);
      }
      assert.ok(text.includes(`${screen.inks[0].areaIn2} in`));
      await run('pdftoppm', ['-r', '36', '-png', '-singlefile', file, join(dir, 'page')]);
      const page = await rgba(await readFile(join(dir, 'page.png')));
      assert.equal(page.width, 306);
      // the verdict bar (82–108 pt down, 40–572 pt across) is red on both, above its text: 86 pt, 560 pt
      const red = (img: typeof page, x: number, y: number) => {
        const i = (y * img.width + x) * 4;
        return img.data[i] > 150 && img.data[i + 1] < 80 && img.data[i + 2] < 80;
      };
      assert.ok(red(page, 280, 43));
      const pagePng = await rgba(png.data);
      assert.equal(pagePng.width, 1224);
      assert.ok(red(pagePng, 1120, 172));
    });
  });
});

describe('preflight parts', () => {
  test('CIEDE2000 matches Sharma, Wu & Dalal’s published test pairs', () => {
    const pairs: [number[], number[], number][] = [
      [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
      [[50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0],
      [[50, 2.5, 0], [73, 25, -18], 27.1492],
      [[50, 2.5, 0], [50, 3.1736, 0.5854], 1.0],
      [[90.8027, -2.0831, 1.441], [91.1528, -1.6435, 0.0447], 1.4441],
      [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
    ];
    for (const [p, q, expected] of pairs) {
      const d = deltaE2000({ L: p[0], a: p[1], b: p[2] }, { L: q[0], a: q[1], b: q[2] });
      assert.ok(Math.abs(d - expected) < 1e-4, `${d} vs ${expected}`);
    }
    assert.equal(deltaE2000(rgbToLab(10, 20, 30), rgbToLab(10, 20, 30)), 0);
  });

  test('thinPlaces: a right-angle corner is not a thin line; a diagonal hairline is one piece', () => {
    const w = 60;
    const square = new Uint8Array(w * w);
    for (let y = 10; y < 50; y++) for (let x = 10; x < 50; x++) square[y * w + x] = 1;
    assert.deepEqual(thinPlaces(square, w, w, 6), []);
    const diagonal = new Uint8Array(w * w);
    for (let k = 5; k < 55; k++) diagonal[k * w + k] = 1;
    const places = thinPlaces(diagonal, w, w, 3);
    assert.equal(places.length, 1);
    assert.equal(places[0].kind, 'line');
    assert.equal(places[0].areaPx, 50);
  });

  test('trace fidelity: an empty trace misses all the ink, a matching one none', () => {
    const w = 40;
    const data = new Uint8Array(w * w * 4);
    for (let y = 10; y < 30; y++) {
      for (let x = 10; x < 30; x++) data.set([200, 30, 30, 255], (y * w + x) * 4);
    }
    const art = { width: w, height: w, data };
    const box = { x: 0, y: 0, width: w, height: w };
    assert.equal(traceFidelity(art, { width: w, height: w, shapes: [] }, box).badShare, 1);
    const square = {
      fill: '#c81e1e',
      subpaths: [
        {
          start: { x: 10, y: 10 },
          segments: [
            { kind: 'line' as const, to: { x: 30, y: 10 } },
            { kind: 'line' as const, to: { x: 30, y: 30 } },
            { kind: 'line' as const, to: { x: 10, y: 30 } },
            { kind: 'line' as const, to: { x: 10, y: 10 } },
          ],
          closed: true,
        },
      ],
    };
    const f = traceFidelity(art, { width: w, height: w, shapes: [square] }, box);
    assert.equal(f.badShare, 0);
    assert.ok(f.meanDeltaE < 1);
    assert.equal(f.counted, 18 * 18);
  });
});

describe('logomill preflight (CLI)', () => {
  test('prints the verdict and findings; --json prints the report; -o writes three files; --fail-on', async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, 'art.png');
      await (await import('node:fs/promises')).writeFile(
        input,
        logo ?? (await renderPng(svgDoc(600, 360, ART))),
      );
      const out = join(dir, 'out');
      const r = cli(['preflight', input, '--process', 'vinyl', '--width', '54mm', '-o', out, '--no-cache']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Fix 2 problems before cut vinyl at 2\.13 × /);
      assert.match(r.stdout, /error: \[P_THIN_LINE\]/);
      assert.match(r.stdout, /3 files written/);
      const report = JSON.parse(await readFile(join(out, 'preflight.json'), 'utf8')) as PreflightReport;
      assert.equal(report.process.id, 'vinyl');
      const json = cli(['preflight', input, '--width', '54mm', '--json', '--fail-on', 'error', '--no-cache']);
      assert.equal(json.code, 1);
      assert.equal((JSON.parse(json.stdout) as PreflightReport).schema, 'logomill.preflight/1');
      const bad = cli(['preflight', input, '--process', 'sublimation']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /\[E_BAD_OPTION\].*preflight\.process/);
      const badWidth = cli(['preflight', input, '--width', '2mm']);
      assert.equal(badWidth.code, 2);
      assert.match(badWidth.stderr, /\[E_BAD_OPTION\] Expected preflight\.width between 5 mm and 5 m/);
    });
  });
});

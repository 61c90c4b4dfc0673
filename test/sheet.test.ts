/**
 * Print-then-cut sheets (src/print/sheet/, the `sheet` variation, `logomill sheet`).
 * Nesting is checked exactly, on the vector cut paths: no two closer than the
 * gap, none outside the printable area or inside a mark's keep-out, never fewer
 * stickers than the shelf packer. The files are read back: the PDFs checked by
 * qpdf and rendered by pdftoppm (marks where the convention puts them, the bleed
 * past the cut), the SVGs rendered, the preview decoded, the layout JSON read.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { processLogo } from '../src/index.js';
import { layoutSheet, type Sheet, type SheetOptions, type SheetSticker } from '../src/print/sheet/index.js';
import { planMarks, SILHOUETTE } from '../src/print/sheet/marks.js';
import { rotatePoint } from '../src/print/sheet/nest.js';
import { parsePaper } from '../src/print/sheet/paper.js';
import { shelfPack } from '../src/print/sheet/shelf.js';
import { insidePolygon } from '../src/vector/geometry.js';
import type { Point, Subpath } from '../src/vector/path.js';
import { distToLine, flatten } from '../src/vector/transform.js';
import { cli, example, pixel, rgba, run, svgDoc, withTempDir } from './helpers.js';

const K = 0.5523;
function disc(d: number): Subpath {
  const r = d / 2;
  const P = (x: number, y: number) => ({ x: r + x, y: r + y });
  return {
    start: P(r, 0),
    segments: [
      { kind: 'cubic', c1: P(r, K * r), c2: P(K * r, r), to: P(0, r) },
      { kind: 'cubic', c1: P(-K * r, r), c2: P(-r, K * r), to: P(-r, 0) },
      { kind: 'cubic', c1: P(-r, -K * r), c2: P(-K * r, -r), to: P(0, -r) },
      { kind: 'cubic', c1: P(K * r, -r), c2: P(r, -K * r), to: P(r, 0) },
    ],
  };
}

function polygon(points: [number, number][]): Subpath {
  return {
    start: { x: points[0][0], y: points[0][1] },
    segments: points.slice(1).map(([x, y]) => ({ kind: 'line' as const, to: { x, y } })),
  };
}

function sticker(label: string, cut: Subpath, width: number, height: number): SheetSticker {
  return {
    label,
    width,
    height,
    region: [cut],
    cut: [cut],
    art: [{ fill: '#cc0000', subpaths: [cut] }],
    bleed: [],
    bleedMm: 0,
  };
}

const DISC = sticker('disc', disc(20), 20, 20);
// an L: its notch takes another L turned half round
const ELL = sticker(
  'ell',
  polygon([
    [0, 0],
    [12, 0],
    [12, 18],
    [30, 18],
    [30, 30],
    [0, 30],
  ]),
  30,
  30,
);
const BAR = sticker(
  'bar',
  polygon([
    [0, 0],
    [40, 0],
    [40, 9],
    [0, 9],
  ]),
  40,
  9,
);

function options(over: Partial<SheetOptions> = {}): SheetOptions {
  return {
    paper: { name: 'test', width: 150, height: 120 },
    marks: 'none',
    inset: 5,
    gap: 3,
    rotations: [0, 90, 180, 270],
    cut: 'kiss',
    frame: 'none',
    counts: [0],
    ...over,
  };
}

/** Every placed sticker's cut as polygons on the sheet (mm). */
function placedCuts(sheet: Sheet, stickers: readonly SheetSticker[]): Point[][][] {
  return sheet.placements.map((p) => {
    const s = stickers[p.item];
    return s.cut.map((sp) =>
      flatten(sp, 0.01).map((q) => {
        const t = rotatePoint(q, s, p.rotation);
        return { x: t.x + p.x, y: t.y + p.y };
      }),
    );
  });
}

/** Least distance between two sets of closed polylines (0 when one lies inside the other). */
function cutDistance(a: Point[][], b: Point[][]): number {
  if (a.some((pa) => b.some((pb) => insidePolygon(pb, pa[0]) || insidePolygon(pa, pb[0])))) return 0;
  let best = Infinity;
  for (const pa of a) {
    for (const pb of b) {
      for (const p of pa) {
        for (let i = 0; i < pb.length; i++)
          best = Math.min(best, distToLine(p, pb[i], pb[(i + 1) % pb.length]));
      }
    }
  }
  return best;
}

function assertSound(
  sheet: Sheet,
  stickers: readonly SheetSticker[],
  gap: number,
  keepOut = planMarks('none', 1, 1, 0).keepOut,
) {
  const cuts = placedCuts(sheet, stickers);
  let closest = Infinity;
  for (let i = 0; i < cuts.length; i++) {
    for (const p of cuts[i].flat()) {
      const { x, y, width, height } = sheet.printable;
      assert.ok(
        p.x >= x - 1e-9 && p.y >= y - 1e-9 && p.x <= x + width + 1e-9 && p.y <= y + height + 1e-9,
        `sticker ${i} leaves the printable area at ${p.x}, ${p.y}`,
      );
      for (const k of keepOut) {
        assert.ok(
          !(p.x > k.x && p.x < k.x + k.width && p.y > k.y && p.y < k.y + k.height),
          `sticker ${i} enters a keep-out`,
        );
      }
    }
    for (let j = 0; j < i; j++) closest = Math.min(closest, cutDistance(cuts[i], cuts[j]));
  }
  assert.ok(closest >= gap - 1e-6, `two cuts ${closest.toFixed(3)} mm apart, gap ${gap}`);
  return closest;
}

describe('nesting', () => {
  it('discs: no two cuts closer than the gap, all inside, denser than rows', () => {
    const sheet = layoutSheet([DISC], options());
    const closest = assertSound(sheet, [DISC], 3);
    // conservative by at most a cell and a half of the 0.25 mm grid (plus the discs' flattening)
    assert.ok(closest < 3 + 0.5, `the nesting wastes ${closest - 3} mm of gap`);
    const grid = { width: 150, height: 120, printable: sheet.printable, keepOut: [], gap: 3 };
    const queue = Array.from({ length: 200 }, () => 0);
    const rows = shelfPack([DISC], queue, grid, 0).length;
    // 140 × 110 mm holds 6 × 4 discs of 23 mm pitch in rows; staggered rows fit more
    assert.equal(rows, 24);
    assert.equal(sheet.packer, 'nest');
    assert.ok(sheet.placements.length > rows, `${sheet.placements.length} nested vs ${rows} in rows`);
    assert.equal(sheet.alternative.packer, 'shelf');
    assert.equal(sheet.alternative.count, rows);
  });

  it('mixed shapes with turns and a keep-out: sound, counts honoured, biggest first', () => {
    const keepOut = [{ x: 5, y: 5, width: 30, height: 30 }];
    const stickers = [DISC, ELL, BAR];
    const sheet = layoutSheet(stickers, options({ counts: [3, 4, 5] }));
    assertSound(sheet, stickers, 3);
    assert.deepEqual(sheet.placed, [3, 4, 5]);
    // a keep-out (the marks' corners) is never entered
    const grid = planMarks('silhouette', 215.9, 279.4, 10);
    const marked = layoutSheet(
      stickers,
      options({
        paper: { name: 'letter', width: 215.9, height: 279.4 },
        marks: 'silhouette',
        inset: 10,
        counts: [0, 0, 0],
      }),
    );
    assertSound(marked, stickers, 3, grid.keepOut);
    assert.ok(
      marked.placed.every((n) => n > 3),
      `every sticker taken in turn: ${marked.placed}`,
    );
    assert.ok(keepOut.length === 1);
  });

  it('L shapes interlock when half turns are allowed; none: all upright', () => {
    const turned = layoutSheet([ELL], options({ rotations: [0, 180] }));
    assertSound(turned, [ELL], 3);
    const upright = layoutSheet([ELL], options({ rotations: [0] }));
    assertSound(upright, [ELL], 3);
    assert.ok(upright.placements.every((p) => p.rotation === 0));
    assert.ok(turned.placements.length >= upright.placements.length);
  });

  it('a gap of zero: cuts may touch but never overlap', () => {
    const sheet = layoutSheet([BAR], options({ gap: 0, rotations: [0] }));
    assertSound(sheet, [BAR], 0);
    // 140 mm / 40 = 3 across; 110 / 9 = 12 down
    assert.ok(sheet.placements.length >= 36, `${sheet.placements.length}`);
  });

  it('a sticker larger than the sheet: E_BAD_OPTION naming both sizes', () => {
    const big = sticker('big', disc(200), 200, 200);
    assert.throws(
      () => layoutSheet([big], options()),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'E_BAD_OPTION');
        assert.match(e.message, /200\.0 mm.*140\.0 × 110\.0 mm/);
        return true;
      },
    );
  });

  it('a frame around the stickers keeps the gap and goes around the marks', () => {
    const stickers = [DISC];
    const letter = { name: 'letter', width: 215.9, height: 279.4 };
    const sheet = layoutSheet(
      stickers,
      options({ paper: letter, marks: 'silhouette', inset: 10, frame: 'perf' }),
    );
    const frame = sheet.cut.find((s) => s.spot?.name === 'PerfCutContour');
    assert.ok(frame, 'a PerfCutContour frame');
    const ring = flatten(frame.subpaths[0], 0.01);
    const plan = planMarks('silhouette', 215.9, 279.4, 10);
    for (const cut of placedCuts(sheet, stickers))
      assert.ok(
        cutDistance(cut, [ring]) >= 3 - 0.05 || cut.every((pts) => pts.every((p) => insidePolygon(ring, p))),
      );
    for (const cut of placedCuts(sheet, stickers))
      assert.ok(
        cut[0].every((p) => insidePolygon(ring, p)),
        'stickers inside the frame',
      );
    // the frame stays out of the marks themselves (the square, the L corners)
    const square = { x: 10, y: 10 };
    assert.ok(
      !insidePolygon(ring, { x: square.x + 2.5, y: square.y + 2.5 }),
      'the top-left square outside the frame',
    );
    assert.ok(ring.every((p) => !(p.x < 10 + SILHOUETTE.square + 1 && p.y < 10 + SILHOUETTE.square + 1)));
    assert.equal(plan.keepOut.length, 3);
  });
});

describe('sheet sizes', () => {
  it('named, WxH with units, bare mm; everything else E_BAD_OPTION', () => {
    assert.deepEqual(parsePaper('A4', 'sheet'), { name: 'a4', width: 210, height: 297 });
    assert.deepEqual(parsePaper('letter', 'sheet'), { name: 'letter', width: 215.9, height: 279.4 });
    const p = parsePaper('12x12in', 'sheet');
    assert.ok(Math.abs(p.width - 304.8) < 1e-9 && Math.abs(p.height - 304.8) < 1e-9);
    assert.deepEqual(parsePaper('300x200', 'sheet'), { name: '300x200', width: 300, height: 200 });
    for (const bad of ['b5', '12x', 'x12in', '12x12ft', '-3x5in', '10x10', '3000x100mm', '']) {
      assert.throws(
        () => parsePaper(bad, 'sheet.sheet'),
        (e: Error & { code?: string }) => e.code === 'E_BAD_OPTION' && /sheet\.sheet/.test(e.message),
        bad,
      );
    }
  });
});

/** A red square logo filling most of its canvas: its sticker's cut follows the art closely. */
async function squareLogo(): Promise<Buffer> {
  return sharp(svgDoc(240, 240, '<rect x="20" y="20" width="200" height="200" fill="#d01010"/>'))
    .png()
    .toBuffer();
}

async function renderPdf(dir: string, pdf: Buffer, dpi: number, name: string) {
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, pdf);
  await run('qpdf', ['--check', file]);
  await run('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', file, join(dir, name)]);
  return rgba(await readFile(join(dir, `${name}.png`)));
}

describe('the sheet variation', () => {
  it('Silhouette marks where Studio expects them; nothing in their keep-out; files valid and deterministic', {
    timeout: 240_000,
  }, async () => {
    const logo = await readFile(example('acme-badge-transparent.png'));
    const opts = { variations: ['sheet'], options: { sheet: { size: '40mm', frame: 'perf' } } };
    const r = await processLogo(logo, opts);
    assert.deepEqual(r.failures, []);
    const byName = new Map(r.outputs.map((o) => [o.name, o.data]));
    assert.deepEqual([...byName.keys()].sort(), [
      'sheet-cut.svg',
      'sheet-preview.png',
      'sheet-print.pdf',
      'sheet.json',
      'sheet.pdf',
      'sheet.svg',
    ]);
    const report = JSON.parse(String(byName.get('sheet.json')));
    assert.equal(report.schema, 'logomill.sheet/1');
    assert.equal(report.marks, 'silhouette');
    assert.equal(report.count, report.placements.length);
    assert.ok(report.count >= 12, `${report.count} stickers of 40 mm on Letter`);
    assert.equal(report.cut.stickers, 'CutContour');
    assert.equal(report.cut.frame, 'PerfCutContour');
    assert.ok(report.usePct > 30 && report.usePct < 100);

    await withTempDir(async (dir) => {
      const dpi = 100;
      const page = await renderPdf(dir, byName.get('sheet-print.pdf')!, dpi, 'print');
      assert.equal(page.width, Math.round((215.9 / 25.4) * dpi));
      const at = (xMm: number, yMm: number) =>
        pixel(page, Math.floor((xMm / 25.4) * dpi), Math.floor((yMm / 25.4) * dpi));
      const black = (p: number[]) => p[0] < 60 && p[1] < 60 && p[2] < 60;
      const white = (p: number[]) => p[0] > 245 && p[1] > 245 && p[2] > 245;
      // the square at the top-left, 10 mm in; the L corners top-right and bottom-left; none bottom-right
      assert.ok(black(at(12.5, 12.5)), 'square');
      assert.ok(black(at(215.9 - 20, 10.25)) && black(at(215.9 - 10.25, 20)), 'top-right L');
      assert.ok(black(at(10.25, 279.4 - 20)) && black(at(20, 279.4 - 10.25)), 'bottom-left L');
      assert.ok(
        white(at(215.9 - 10.25, 279.4 - 20)) && white(at(215.9 - 20, 279.4 - 10.25)),
        'no mark bottom-right',
      );
      assert.ok(white(at(12.5, 20)) && white(at(20, 12.5)), 'beside the square');
      // the keep-outs hold nothing but the marks
      for (let y = 16; y < 32; y += 1)
        for (let x = 16; x < 32; x += 1) assert.ok(white(at(x, y)), `keep-out at ${x}, ${y}`);
      // the print file has no cut inks; the print-and-cut file has both, as separations
      const printPdf = String(byName.get('sheet-print.pdf'));
      assert.ok(!printPdf.includes('/Separation'));
      const both = await renderPdf(dir, byName.get('sheet.pdf')!, 50, 'both');
      assert.ok(both.width > 0);
      const qdf = join(dir, 'q.pdf');
      await run('qpdf', ['--qdf', '--object-streams=disable', join(dir, 'both.pdf'), qdf]);
      const text = await readFile(qdf, 'latin1');
      assert.match(text, /\/Separation\s+\/CutContour/);
      assert.match(text, /\/Separation\s+\/PerfCutContour/);
      // SVGs: the page size in mm, they render
      const svg = String(byName.get('sheet.svg'));
      assert.match(svg, /width="215\.9mm" height="279\.4mm"/);
      assert.match(svg, /data-spot="CutContour"/);
      const cutSvg = String(byName.get('sheet-cut.svg'));
      // the cut file holds only the cut paths: every element a stroke
      assert.equal(cutSvg.match(/<(path|rect|circle)/g)?.length, cutSvg.match(/fill="none"/g)?.length);
      assert.ok(cutSvg.includes('data-spot="PerfCutContour"'));
      for (const name of ['sheet.svg', 'sheet-cut.svg'])
        assert.ok((await sharp(byName.get(name)!).metadata()).width! > 0);
      const preview = await sharp(byName.get('sheet-preview.png')!).metadata();
      assert.deepEqual([preview.width, preview.height], [850, 1100]);
    });
    // the same bytes again (no dates, no random ids)
    const again = await processLogo(logo, opts);
    const hash = (outs: { name: string; data: Buffer }[]) =>
      outs.map((o) => `${o.name}:${createHash('sha256').update(o.data).digest('hex')}`).join();
    assert.equal(hash(again.outputs), hash(r.outputs));
  });

  it('art that meets its cut bleeds past it (within the bleed); the gap keeps two bleeds apart', {
    timeout: 120_000,
  }, async () => {
    const bleed = 1.5;
    const r = await processLogo(await squareLogo(), {
      variations: ['sheet'],
      options: {
        sheet: {
          size: '30mm',
          offset: '0',
          bleed: `${bleed}mm`,
          gap: '1mm',
          marks: 'rip',
          count: 2,
          rotate: 'none',
        },
      },
    });
    assert.deepEqual(r.failures, []);
    const report = JSON.parse(String(r.outputs.find((o) => o.name === 'sheet.json')!.data));
    assert.equal(report.stickers[0].bleedMm, bleed);
    assert.ok(report.gapMm >= 2 * bleed, `gap ${report.gapMm} raised to keep bleeds apart`);
    assert.equal(report.count, 2);
    const p = report.placements[0];
    await withTempDir(async (dir) => {
      const dpi = 300;
      const page = await renderPdf(
        dir,
        r.outputs.find((o) => o.name === 'sheet-print.pdf')!.data,
        dpi,
        'print',
      );
      const at = (xMm: number, yMm: number) =>
        pixel(page, Math.floor((xMm / 25.4) * dpi), Math.floor((yMm / 25.4) * dpi));
      const red = (q: number[]) => q[0] > 150 && q[1] < 80 && q[2] < 80;
      const white = (q: number[]) => q[0] > 240 && q[1] > 240 && q[2] > 240;
      const midY = p.yMm + report.stickers[0].heightMm / 2;
      // inside the cut, just outside it (the bleed) red; past the bleed white
      assert.ok(red(at(p.xMm + 1, midY)), 'inside');
      assert.ok(red(at(p.xMm - 0.6, midY)), 'bleed past the cut');
      assert.ok(white(at(p.xMm - bleed - 0.4, midY)), 'nothing past the bleed');
    });
  });

  it('more stickers than fit: as many as fit, with W_SHEET_FULL; a size that leaves no art: E_BAD_OPTION', {
    timeout: 120_000,
  }, async () => {
    const logo = await squareLogo();
    const r = await processLogo(logo, {
      variations: ['sheet'],
      options: { sheet: { size: '50mm', count: 200, sheet: 'a5' } },
    });
    assert.deepEqual(r.failures, []);
    const report = JSON.parse(String(r.outputs.find((o) => o.name === 'sheet.json')!.data));
    assert.ok(report.count > 0 && report.count < 200);
    assert.ok(
      r.warnings.some(
        (w) => w.code === 'W_SHEET_FULL' && w.variation === 'sheet' && /of 200/.test(w.message),
      ),
    );
    const bad = await processLogo(logo, {
      variations: ['sheet'],
      options: { sheet: { size: '5mm', offset: '2mm' } },
    });
    assert.equal(bad.failures[0]?.code, 'E_BAD_OPTION');
    const px = await processLogo(logo, { variations: ['sheet'], options: { sheet: { gap: '10px' } } });
    assert.equal(px.failures[0]?.code, 'E_BAD_OPTION');
  });
});

describe('logomill sheet', () => {
  it('several logos on one sheet; a bad file is reported and left out (exit 1); bad options exit 2', {
    timeout: 240_000,
  }, async () => {
    await withTempDir(async (dir) => {
      const broken = join(dir, 'broken.png');
      await writeFile(broken, 'not a png');
      const out = join(dir, 'out');
      const r = cli([
        'sheet',
        example('leaf-mark.png'),
        example('harbor-on-white.png'),
        broken,
        '-o',
        out,
        '--size',
        '30mm',
        '--count',
        '3',
        '--marks',
        'cricut',
        '--json',
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /broken\.png: \[E_(CORRUPT_INPUT|UNSUPPORTED_FORMAT)\]/);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(
        report.stickers.map((s: { label: string; placed: number }) => [s.label, s.placed]),
        [
          ['leaf-mark.png', 3],
          ['harbor-on-white.png', 3],
        ],
      );
      // Cricut: no marks drawn, everything 14 mm from the edges
      assert.deepEqual([report.printable.xMm, report.printable.yMm], [14, 14]);
      const page = await renderPdf(dir, await readFile(join(out, 'sheet-print.pdf')), 50, 'cricut');
      const corner = pixel(page, Math.floor((12.5 / 25.4) * 50), Math.floor((12.5 / 25.4) * 50));
      assert.ok(
        corner.slice(0, 3).every((v) => v > 245),
        'no Silhouette square',
      );
      assert.equal(cli(['sheet', example('leaf-mark.png'), '-o', out, '--sheet', '10x10']).code, 2);
      const near = cli(['sheet', example('leaf-mark.png'), '-o', out, '--margin', '5mm']);
      assert.equal(near.code, 2);
      assert.match(near.stderr, /E_BAD_OPTION.*Silhouette/);
      const none = cli(['sheet', broken, broken, '-o', out]);
      assert.equal(none.code, 2);
    });
  });
});

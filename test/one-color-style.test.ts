/**
 * One-colour versions that keep the design (print/keyline.ts): dark and saturated colour regions
 * ink, light ones are knocked out, and where two inked colours touch a keyline gap of the asked
 * width keeps them apart — in the PNG and, alike, in the mono vector trace. One-colour art is
 * unchanged.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { type LogoResult, processLogo } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import { renderPng, renderSvgPixels, rgba, svgDoc } from './helpers.js';

// a red square with a navy square inside it, touching along x = 150; a light grey disc on the red
const TWO_COLOURS =
  '<g shape-rendering="crispEdges"><rect x="50" y="50" width="200" height="200" fill="#c8102e"/><rect x="150" y="100" width="100" height="100" fill="#1f2a60"/></g><circle cx="95" cy="200" r="25" fill="#dddddd"/>';

const file = (r: LogoResult, name: string) => {
  const o = r.outputs.find((x) => x.name === name);
  assert.ok(o, name);
  return o.data;
};

/** Lengths of the runs of see-through pixels (alpha < 128) along row y between x0 and x1. */
function clearRuns(img: RgbaImage, y: number, x0: number, x1: number): number[] {
  const runs: number[] = [];
  let run = 0;
  for (let x = x0; x < x1; x++) {
    if (img.data[(y * img.width + x) * 4 + 3] < 128) run++;
    else if (run) {
      runs.push(run);
      run = 0;
    }
  }
  if (run) runs.push(run);
  return runs;
}

async function oneColor(body: string, options: Record<string, unknown>): Promise<LogoResult> {
  const png = await renderPng(svgDoc(300, 300, body));
  // vector has no knockout (its light parts follow the style)
  const { knockout: _, ...vector } = options;
  return processLogo(png, {
    variations: ['black', 'vector'],
    options: { black: options, vector, transparent: { trim: false } },
  });
}

describe('one-colour styles', () => {
  let keyline: LogoResult;
  let silhouette: LogoResult;
  before(async () => {
    [keyline, silhouette] = await Promise.all([
      oneColor(TWO_COLOURS, { keyline: '4px' }),
      oneColor(TWO_COLOURS, { style: 'silhouette', knockout: 'none' }),
    ]);
  });

  test('keyline (auto for flat multi-colour art): a gap of the asked width where red meets navy', async () => {
    const black = await rgba(file(keyline, 'black.png'));
    // row 150 crosses red (50–150) then navy (150–250): one see-through run, 4 px ± 1, at x ≈ 150
    const runs = clearRuns(black, 150, 60, 240);
    assert.equal(runs.length, 1, JSON.stringify(runs));
    assert.ok(Math.abs(runs[0] - 4) <= 1, `gap ${runs[0]} px`);
    assert.equal(black.data[(150 * 300 + 150) * 4 + 3], 0);
    // inked on both sides, in black
    assert.deepEqual(
      [...black.data.subarray((150 * 300 + 100) * 4, (150 * 300 + 100) * 4 + 4)],
      [0, 0, 0, 255],
    );
    assert.deepEqual(
      [...black.data.subarray((150 * 300 + 200) * 4, (150 * 300 + 200) * 4 + 4)],
      [0, 0, 0, 255],
    );
  });

  test('keyline: the light grey disc is knocked out, not inked', async () => {
    const black = await rgba(file(keyline, 'black.png'));
    assert.equal(black.data[(200 * 300 + 95) * 4 + 3], 0);
  });

  test('the mono vector trace agrees with the PNG: the same gap, the same knocked-out disc', async () => {
    const svg = file(keyline, 'vector.svg');
    const drawn = renderSvgPixels(svg);
    assert.equal(drawn.width, 300);
    const runs = clearRuns(drawn, 150, 60, 240);
    assert.equal(runs.length, 1, JSON.stringify(runs));
    assert.ok(Math.abs(runs[0] - 4) <= 1, `trace gap ${runs[0]} px`);
    assert.ok(drawn.data[(200 * 300 + 95) * 4 + 3] < 128);
    // pixel for pixel, the trace's ink and the PNG's agree off the edges
    const png = await rgba(file(keyline, 'black.png'));
    let differ = 0;
    let ink = 0;
    for (let i = 0; i < 300 * 300; i++) {
      const a = png.data[i * 4 + 3] >= 128;
      if (a) ink++;
      if (a !== drawn.data[i * 4 + 3] >= 128) differ++;
    }
    assert.ok(differ < 0.02 * ink, `${differ} of ${ink} ink pixels differ`);
  });

  test('silhouette (knockout none): no gap, the disc inked', async () => {
    const black = await rgba(file(silhouette, 'black.png'));
    assert.deepEqual(clearRuns(black, 150, 60, 240), []);
    assert.equal(black.data[(200 * 300 + 95) * 4 + 3], 255);
  });

  test('one-colour art is unchanged: auto gives the silhouette bytes', async () => {
    const mark =
      '<circle cx="150" cy="150" r="100" fill="#1f2a60"/><rect x="130" y="60" width="40" height="180" fill="#ffffff"/>';
    const [auto, plain] = await Promise.all([oneColor(mark, {}), oneColor(mark, { style: 'silhouette' })]);
    assert.ok(file(auto, 'black.png').equals(file(plain, 'black.png')));
  });

  test('a bad style or keyline is refused with E_BAD_OPTION', async () => {
    const png = await renderPng(svgDoc(100, 100, '<circle cx="50" cy="50" r="40"/>'));
    await assert.rejects(
      processLogo(png, { variations: ['black'], options: { black: { style: 'outline' } } }),
      (err: { code?: string }) => err.code === 'E_BAD_OPTION',
    );
    await assert.rejects(
      processLogo(png, { variations: ['white'], options: { white: { keyline: '-2pt' } } }),
      (err: { code?: string }) => err.code === 'E_BAD_OPTION',
    );
  });

  test('separations with one ink keep the design too: the light disc unprinted, a keyline at the boundary', async () => {
    const png = await renderPng(svgDoc(300, 300, TWO_COLOURS));
    const r = await processLogo(png, {
      variations: ['separations'],
      options: { separations: { mode: 'spot', inks: 1, printWidth: 1, artboard: '3x3', dpi: 600 } },
    });
    assert.deepEqual(r.failures, []);
    const json = JSON.parse(file(r, 'separations.json').toString()) as {
      films: { files: string[] }[];
      artBoxPx: { x: number; y: number; width: number; height: number };
    };
    assert.equal(json.films.length, 1);
    const film = await rgba(file(r, json.films[0].files[0]));
    const box = json.artBoxPx;
    const scale = box.width / 200; // the art box is the 200 px square (the disc lies inside it)
    const ink = (x: number, y: number) =>
      film.data[((box.y + Math.round(y * scale)) * film.width + box.x + Math.round(x * scale)) * 4] < 128;
    // row 100 of the art (image row 150): red, a keyline near x = 100, navy
    assert.ok(ink(50, 100) && ink(150, 100));
    let gap = 0;
    for (let x = Math.round(95 * scale); x <= Math.round(105 * scale); x++) {
      if (!(film.data[((box.y + Math.round(100 * scale)) * film.width + box.x + x) * 4] < 128)) gap++;
    }
    assert.ok(gap >= 1, 'a keyline between red and navy on the one film');
    // the light grey disc (image 95, 200 → art 45, 150) is not printed
    assert.ok(!ink(45, 150));
  });
});

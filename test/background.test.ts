/**
 * Background removal quality: a known logo rendered on a known colour, removed,
 * then composited on black and on white, must match the same logo rendered
 * directly on black and on white — at the anti-aliased edges above all, where
 * halos live.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import type { RgbaImage } from '../src/io/image.js';
import { detectBackground, removeBackground } from '../src/raster/background.js';
import { distanceTransform } from '../src/raster/distance.js';
import { deltaE, over, rgba, svgDoc } from './helpers.js';

/** Shapes only (no text: fonts differ between machines); thin line included. */
const ART = `
  <circle cx="150" cy="150" r="90" fill="#d62828"/>
  <rect x="200" y="80" width="150" height="140" rx="20" fill="#1d3557" transform="rotate(12 275 150)"/>
  <path d="M60 262 L340 250" stroke="#2a9d8f" stroke-width="3"/>
  <path d="M40 40 L120 30 L90 80 Z" fill="#f4a261"/>`;

async function renderOn(background: string | null, jpegQuality?: number): Promise<RgbaImage> {
  const svg = svgDoc(
    400,
    300,
    (background ? `<rect width="100%" height="100%" fill="${background}"/>` : '') + ART,
  );
  let bytes = await sharp(svg).png().toBuffer();
  if (jpegQuality) bytes = await sharp(bytes).flatten().jpeg({ quality: jpegQuality }).toBuffer();
  return rgba(bytes);
}

interface EdgeStats {
  meanDe: number;
  /** Mean signed L* difference (ours − truth) at edges: > 0 is a light fringe, < 0 a dark one. */
  meanDl: number;
}

function edgeStats(truth: RgbaImage, ours: RgbaImage, back: [number, number, number]): EdgeStats {
  let sum = 0;
  let dl = 0;
  let n = 0;
  for (let i = 0; i < truth.width * truth.height; i++) {
    const a = truth.data[i * 4 + 3];
    if (a === 0 || a === 255) continue;
    const t = over(truth, i, back);
    const o = over(ours, i, back);
    sum += deltaE(t, o);
    const lum = (c: [number, number, number]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    dl += (lum(o) - lum(t)) / 2.55;
    n++;
  }
  return { meanDe: sum / n, meanDl: dl / n };
}

describe('removeBackground', () => {
  for (const bg of ['#ffffff', '#f2e8cf', '#336699', '#000000']) {
    test(`edges match the directly rendered logo after removing ${bg}`, async () => {
      const truth = await renderOn(null);
      const onBg = await renderOn(bg);
      const { image, removed, background } = removeBackground(onBg, { tolerance: 10, holes: false });
      assert.equal(removed, true);
      assert.ok(background.color);
      for (const back of [
        [0, 0, 0],
        [255, 255, 255],
      ] as [number, number, number][]) {
        const s = edgeStats(truth, image, back);
        assert.ok(s.meanDe < 3, `mean edge ΔE on ${back} is ${s.meanDe.toFixed(2)}`);
        assert.ok(Math.abs(s.meanDl) < 1.5, `fringe: mean edge ΔL on ${back} is ${s.meanDl.toFixed(2)}`);
      }
      // away from the edges the result is exact: background gone, ink untouched
      let wrong = 0;
      for (let i = 0; i < truth.width * truth.height; i++) {
        const ta = truth.data[i * 4 + 3];
        if (ta !== 0 && ta !== 255) continue;
        if (Math.abs(image.data[i * 4 + 3] - ta) > 2) wrong++;
      }
      assert.ok(wrong < 20, `${wrong} non-edge pixels have the wrong alpha`);
    });
  }

  test('JPEG noise in the background leaves no speckles and no halo', async () => {
    const truth = await renderOn(null);
    const jpeg = await renderOn('#ffffff', 75);
    const { image } = removeBackground(jpeg, { tolerance: 10, holes: false });
    const ink = new Uint8Array(truth.width * truth.height);
    for (let i = 0; i < ink.length; i++) ink[i] = truth.data[i * 4 + 3] > 0 ? 1 : 0;
    const dist = distanceTransform(ink, truth.width, truth.height, { metric: 'chessboard', max: 3 });
    let speckles = 0;
    for (let i = 0; i < ink.length; i++) if (dist[i] > 3 && image.data[i * 4 + 3] > 0) speckles++;
    assert.equal(speckles, 0, `${speckles} visible pixels far from the art`);
    const s = edgeStats(truth, image, [0, 0, 0]);
    assert.ok(Math.abs(s.meanDl) < 3, `light fringe on black: ΔL ${s.meanDl.toFixed(2)}`);
    assert.ok(s.meanDe < 8, `edge ΔE on black ${s.meanDe.toFixed(2)}`);
  });

  test('enclosed background areas are kept unless holes is set', async () => {
    const ring = await rgba(
      await sharp(
        svgDoc(
          200,
          200,
          '<rect width="100%" height="100%" fill="#fff"/><circle cx="100" cy="100" r="70" fill="none" stroke="#123456" stroke-width="20"/>',
        ),
      )
        .png()
        .toBuffer(),
    );
    const centre = (100 * 200 + 100) * 4 + 3;
    assert.equal(removeBackground(ring, { tolerance: 10, holes: false }).image.data[centre], 255);
    assert.equal(removeBackground(ring, { tolerance: 10, holes: true }).image.data[centre], 0);
  });

  test('a white element touching the background through a 1 px neck does not leak away', async () => {
    // white square inside a black frame whose top side has a 1 px slit
    const img = await rgba(
      await sharp(
        svgDoc(
          120,
          120,
          '<rect width="100%" height="100%" fill="#fff"/><path d="M20 20 H59 V30 H30 V90 H90 V30 H60 V20 H100 V100 H20 Z" fill="#000" shape-rendering="crispEdges"/>',
        ),
      )
        .png()
        .toBuffer(),
    );
    const { image } = removeBackground(img, { tolerance: 10, holes: false });
    assert.equal(image.data[(60 * 120 + 60) * 4 + 3], 255, 'the enclosed white square stays');
    assert.equal(image.data[(5 * 120 + 5) * 4 + 3], 0, 'the outside is removed');
  });

  test('already transparent input passes through untouched', async () => {
    const truth = await renderOn(null);
    const r = removeBackground(truth, { tolerance: 10, holes: false });
    assert.equal(r.removed, false);
    assert.equal(r.background.color, null);
    assert.deepEqual(r.image.data, truth.data);
  });

  test('a uniform image is kept with a warning rather than emptied', async () => {
    const flat = await rgba(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
        .png()
        .toBuffer(),
    );
    const r = removeBackground(flat, { tolerance: 10, holes: false });
    assert.equal(r.removed, false);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.image.data[3], 255);
  });

  test('detectBackground finds the border colour and its noise level', async () => {
    const onBg = await renderOn('#f2e8cf');
    const info = detectBackground(onBg);
    assert.deepEqual(info.color, { r: 0xf2, g: 0xe8, b: 0xcf });
    assert.ok(info.borderShare > 0.95);
    const noisy = await renderOn('#ffffff', 60);
    assert.ok(detectBackground(noisy).noise >= detectBackground(await renderOn('#ffffff')).noise);
  });
});

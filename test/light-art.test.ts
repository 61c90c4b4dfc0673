/**
 * White art (a white logo on transparency) vanishes on white: the favicons, the email header
 * and opaque exports put it on a dark plate, and the SVG favicon shows the plate only on light
 * browser themes. Dark art is left as it was.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { isLightArt } from '../src/analysis/index.js';
import { type LogoResult, processLogo } from '../src/index.js';
import { pixel, renderPng, rgba, svgDoc } from './helpers.js';

const MARK =
  '<circle cx="200" cy="200" r="150" fill="none" stroke="COLOR" stroke-width="40"/><path d="M140 260 L200 120 L260 260 Z" fill="COLOR"/>';
const PLATE: [number, number, number, number] = [34, 34, 34, 255];

async function run(color: string): Promise<LogoResult> {
  const png = await renderPng(svgDoc(400, 400, MARK.replaceAll('COLOR', color)));
  return processLogo(png, {
    variations: ['favicon', 'email-header', 'raster'],
    options: { raster: { formats: ['jpeg'], sizes: [] } },
  });
}

const file = (r: LogoResult, name: string) => {
  const o = r.outputs.find((x) => x.name === name);
  assert.ok(o, name);
  return o.data;
};

describe('white art', () => {
  let white: LogoResult;
  let navy: LogoResult;
  before(async () => {
    [white, navy] = await Promise.all([run('#ffffff'), run('#1f3a5f')]);
  });

  test('isLightArt: nearly all the ink white or near-white', () => {
    assert.equal(isLightArt({ colors: [{ hex: '#ffffff', share: 1, role: 'ink' }] }), true);
    assert.equal(
      isLightArt({
        colors: [
          { hex: '#fafafa', share: 0.95, role: 'highlight' },
          { hex: '#ff0000', share: 0.05, role: 'ink' },
          { hex: '#000000', share: 3, role: 'background' },
        ],
      }),
      true,
    );
    assert.equal(
      isLightArt({
        colors: [
          { hex: '#ffffff', share: 0.6, role: 'highlight' },
          { hex: '#1f3a5f', share: 0.4, role: 'ink' },
        ],
      }),
      false,
    );
    assert.equal(isLightArt({ colors: [] }), false);
  });

  test('tab icons and opaque icons sit on a dark plate; the white art shows on it', async () => {
    for (const name of ['favicon-96x96.png', 'apple-touch-icon.png', 'web-app-manifest-192x192.png']) {
      const img = await rgba(file(white, name));
      assert.deepEqual(pixel(img, 2, img.height >> 1), PLATE, `${name}: plate at the edge`);
      let whiteInk = 0;
      for (let i = 0; i < img.width * img.height; i++)
        if (img.data[i * 4] > 240 && img.data[i * 4 + 3] === 255) whiteInk++;
      assert.ok(whiteInk > 0.05 * img.width * img.height, `${name}: white art on it`);
    }
    const jpeg = await rgba(file(white, 'logo.jpg'));
    assert.ok(pixel(jpeg, 1, 1)[0] < 50, 'the JPEG (backdrop auto) is on a dark plate, not white on white');
  });

  test('favicon.svg: a plate for light browser themes only, the art inset on it', () => {
    const svg = file(white, 'favicon.svg').toString();
    assert.match(svg, /<style>@media \(prefers-color-scheme: dark\)\{\.plate\{display:none\}\}<\/style>/);
    assert.match(svg, /<rect class="plate" [^>]*fill="#222222"\/>/);
    assert.match(svg, /<g transform="translate\([\d.]+ [\d.]+\) scale\(0\.84\)">/);
  });

  test('the email header is on the plate, with a warning that says so', async () => {
    const img = await rgba(file(white, 'email-header.png'));
    assert.deepEqual(pixel(img, 5, 5), PLATE);
    const w = white.warnings.find((x) => x.code === 'W_ADJUSTED' && x.variation === 'email-header');
    assert.match(w?.message ?? '', /^The art is white and would vanish on a white email body/);
  });

  test('dark art is left as it was: transparent tab icons and header, no plate, no warning', async () => {
    const icon = await rgba(file(navy, 'favicon-96x96.png'));
    assert.equal(pixel(icon, 0, 0)[3], 0);
    assert.doesNotMatch(file(navy, 'favicon.svg').toString(), /plate/);
    assert.equal(pixel(await rgba(file(navy, 'email-header.png')), 5, 5)[3], 0);
    assert.equal(navy.warnings.filter((x) => x.code === 'W_ADJUSTED').length, 0);
    assert.deepEqual(pixel(await rgba(file(navy, 'logo.jpg')), 1, 1).slice(0, 3), [255, 255, 255]);
  });
});

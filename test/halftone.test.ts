/**
 * The halftone screen (src/print/screen.ts) and the `halftone` variation.
 * The screen is measured, not trusted: ink per cell against the tint (cells
 * are found here from the screen's geometry, independently of the module),
 * the angle from the dots' own centroids or the mask's gradients, the min/max
 * dot rules. The variation's files are decoded (sharp) and rendered back
 * (resvg) and compared with each other and with the transparent PNG.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { LogomillError } from '../src/errors.js';
import { type LogoResult, processLogo, type WrittenOutput } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import { parseOptions } from '../src/options.js';
import {
  clipTint,
  DOT_SHAPES,
  type DotShape,
  dotOutline,
  ellipseCoverage,
  renderDots,
  type ScreenOptions,
  screenDots,
  screenMask,
} from '../src/print/screen/index.js';
import { halftone } from '../src/variations/halftone.js';
import { pathData } from '../src/vector/svg.js';
import { cli, example, rgba, svgViewBox, withTempDir } from './helpers.js';

// ---------------------------------------------------------------- helpers

const W = 384;
const H = 384;

function uniform(t: number, width = W, height = H): Uint8Array {
  return new Uint8Array(width * height).fill(Math.round(t * 255));
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * Ink share of every cell that lies wholly inside the image. Cells are found
 * from the screen's definition (cell (i, j) is the unit square around
 * (u, v) = (i, j) in the rotated, cell-scaled frame centred on the image).
 */
function cellCoverages(mask: Uint8Array, width: number, height: number, cellPx: number, angleDeg: number) {
  const a = (angleDeg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const ox = width / 2;
  const oy = height / 2;
  const toImage = (u: number, v: number) => [ox + cellPx * (u * c + v * s), oy + cellPx * (-u * s + v * c)];
  const sums = new Map<string, { ink: number; n: number; i: number; j: number }>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - ox;
      const dy = y + 0.5 - oy;
      const i = Math.round((dx * c - dy * s) / cellPx);
      const j = Math.round((dx * s + dy * c) / cellPx);
      const key = `${i},${j}`;
      const e = sums.get(key) ?? { ink: 0, n: 0, i, j };
      e.ink += mask[y * width + x] / 255;
      e.n++;
      sums.set(key, e);
    }
  }
  const out: number[] = [];
  for (const e of sums.values()) {
    const inside = [
      [-0.5, -0.5],
      [0.5, -0.5],
      [-0.5, 0.5],
      [0.5, 0.5],
    ].every(([du, dv]) => {
      const [x, y] = toImage(e.i + du, e.j + dv);
      return x >= 0 && y >= 0 && x <= width && y <= height;
    });
    if (inside) out.push(e.ink / e.n);
  }
  return out;
}

/** Connected components (4-neighbour) of mask > 127: their centroids and pixel counts. */
function components(mask: Uint8Array, width: number, height: number) {
  const label = new Int32Array(width * height).fill(-1);
  const stack = new Int32Array(width * height);
  const found: { x: number; y: number; n: number; touchesEdge: boolean }[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] <= 127 || label[start] >= 0) continue;
    const id = found.length;
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    let sx = 0;
    let sy = 0;
    let n = 0;
    let touchesEdge = false;
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      sx += x + 0.5;
      sy += y + 0.5;
      n++;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) touchesEdge = true;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, p + width]) {
        if (q < 0 || q >= mask.length || mask[q] <= 127 || label[q] >= 0) continue;
        label[q] = id;
        stack[top++] = q;
      }
    }
    found.push({ x: sx / n, y: sy / n, n, touchesEdge });
  }
  return found;
}

/**
 * The lattice's angle (mod 90°, counter-clockwise as seen on the page) and
 * spacing, from each dot's nearest neighbour: circular mean of 4 × angle.
 */
function latticeOf(mask: Uint8Array, width: number, height: number): { angle: number; spacing: number } {
  const dots = components(mask, width, height).filter((d) => !d.touchesEdge && d.n >= 4);
  assert.ok(dots.length >= 20, `only ${dots.length} dots found`);
  let cs = 0;
  let sn = 0;
  const spacings: number[] = [];
  for (const d of dots) {
    let best = Infinity;
    let bx = 0;
    let by = 0;
    for (const e of dots) {
      if (e === d) continue;
      const dist = Math.hypot(e.x - d.x, e.y - d.y);
      if (dist < best) {
        best = dist;
        bx = e.x - d.x;
        by = e.y - d.y;
      }
    }
    const ang = Math.atan2(-by, bx); // y down: minus for counter-clockwise on the page
    cs += Math.cos(4 * ang);
    sn += Math.sin(4 * ang);
    spacings.push(best);
  }
  spacings.sort((a, b) => a - b);
  const angle = ((((Math.atan2(sn, cs) * 180) / Math.PI / 4) % 90) + 90) % 90;
  return { angle, spacing: spacings[spacings.length >> 1] };
}

/**
 * Direction of a line screen (mod 180°, counter-clockwise on the page): the
 * angle whose projection (ink summed along lines of that direction, in
 * 1-pixel bins across them) varies most — the bins line up with the bands.
 */
function lineAngle(mask: Uint8Array, width: number, height: number): number {
  let best = 0;
  let bestVar = -1;
  for (let tenth = 0; tenth < 1800; tenth += 2) {
    const a = (tenth / 10) * (Math.PI / 180);
    // across the lines: the unit normal of direction (cos a, −sin a) in y-down pixels
    const nx = Math.sin(a);
    const ny = Math.cos(a);
    const span = Math.ceil(Math.abs(nx) * width + Math.abs(ny) * height) + 2;
    const sum = new Float64Array(span);
    const count = new Float64Array(span);
    const offset = Math.min(0, nx * width) + Math.min(0, ny * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bin = Math.floor((x + 0.5) * nx + (y + 0.5) * ny - offset);
        sum[bin] += mask[y * width + x];
        count[bin]++;
      }
    }
    let m = 0;
    let m2 = 0;
    let n = 0;
    for (let k = 0; k < span; k++) {
      if (count[k] < width / 4) continue; // the short bins at the corners are noise
      const v = sum[k] / count[k];
      m += v;
      m2 += v * v;
      n++;
    }
    const variance = m2 / n - (m / n) ** 2;
    if (variance > bestVar) {
      bestVar = variance;
      best = tenth / 10;
    }
  }
  return best;
}

/** Smallest difference between two angles with a period. */
function angleDiff(a: number, b: number, period: number): number {
  const d = (((a - b) % period) + period) % period;
  return Math.min(d, period - d);
}

/**
 * Renders SVG with resvg at 4× and averages back down: at 1× resvg flattens
 * curves coarsely and small circles lose up to 3 % of their area.
 */
function renderSvg(svg: string | Buffer): RgbaImage {
  const z = 4;
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: svgViewBox(svg).width * z } }).render();
  const px = r.pixels; // getters that copy or cross into native code: read them once
  const rw = r.width;
  const width = Math.round(rw / z);
  const height = Math.round(r.height / z);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let dy = 0; dy < z; dy++)
          for (let dx = 0; dx < z; dx++) s += px[((y * z + dy) * rw + x * z + dx) * 4 + c];
        data[(y * width + x) * 4 + c] = Math.round(s / (z * z));
      }
    }
  }
  return { width, height, data };
}

function alphaOf(img: RgbaImage): Uint8Array {
  const a = new Uint8Array(img.width * img.height);
  for (let i = 0; i < a.length; i++) a[i] = img.data[i * 4 + 3];
  return a;
}

function file(result: LogoResult, name: string): WrittenOutput {
  const o = result.outputs.find((x) => x.variation === 'halftone' && x.name === name);
  assert.ok(o, `no halftone/${name}; failures: ${JSON.stringify(result.failures)}`);
  return o;
}

function throwsBadOption(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof LogomillError, `not a LogomillError: ${e}`);
    assert.equal(e.code, 'E_BAD_OPTION');
    return e.message;
  }
  assert.fail('no error thrown');
}

// ---------------------------------------------------------------- the screen

describe('halftone screen: coverage', () => {
  const tints = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

  for (const shape of DOT_SHAPES) {
    test(`${shape}: ink per cell tracks a uniform tint 10–90 % (hard film pixels)`, () => {
      for (const t of tints) {
        const o: ScreenOptions = { cellPx: 16, angleDeg: 30, shape };
        const mask = screenMask(uniform(t), W, H, o);
        assert.ok(
          mask.every((v) => v === 0 || v === 255),
          'a film is 0/255',
        );
        const level = Math.round(t * 255) / 255;
        assert.ok(
          Math.abs(mean(mask) / 255 - level) < 0.01,
          `${shape} ${t}: whole image ${mean(mask) / 255}`,
        );
        const cells = cellCoverages(mask, W, H, 16, 30);
        assert.ok(cells.length > 300, `${cells.length} whole cells`);
        const errors = cells.map((c) => Math.abs(c - level));
        const worst = Math.max(...errors);
        assert.ok(mean(errors) < 0.015, `${shape} ${t}: mean per-cell error ${mean(errors).toFixed(4)}`);
        assert.ok(worst < 0.05, `${shape} ${t}: worst cell off by ${worst.toFixed(4)}`);
      }
    });
  }

  test('subsampled (anti-aliased) masks track the tint within about a percent per cell', () => {
    for (const shape of DOT_SHAPES) {
      for (const t of tints) {
        const mask = screenMask(uniform(t), W, H, { cellPx: 12, angleDeg: 15, shape, samples: 4 });
        const level = Math.round(t * 255) / 255;
        const cells = cellCoverages(mask, W, H, 12, 15);
        const errors = cells.map((c) => Math.abs(c - level));
        // (pixels are given to cells by their centres, so ink in pixels astride a side blurs this a little)
        assert.ok(Math.max(...errors) < 0.025, `${shape} ${t}: worst cell ${Math.max(...errors).toFixed(4)}`);
        assert.ok(mean(errors) < 0.008, `${shape} ${t}: mean cell error ${mean(errors).toFixed(4)}`);
      }
    }
  });

  test('0 % is blank and 100 % solid; a ramp covers in proportion along it', () => {
    for (const shape of DOT_SHAPES) {
      assert.equal(mean(screenMask(uniform(0), W, H, { cellPx: 10, angleDeg: 45, shape })), 0);
      assert.equal(mean(screenMask(uniform(1), W, H, { cellPx: 10, angleDeg: 45, shape })), 255);
    }
    const ramp = new Uint8Array(512 * 128);
    for (let y = 0; y < 128; y++) for (let x = 0; x < 512; x++) ramp[y * 512 + x] = x >> 1;
    const mask = screenMask(ramp, 512, 128, { cellPx: 8, angleDeg: 45, shape: 'round' });
    for (let band = 0; band < 8; band++) {
      let ink = 0;
      let tint = 0;
      for (let y = 0; y < 128; y++) {
        for (let x = band * 64; x < band * 64 + 64; x++) {
          ink += mask[y * 512 + x];
          tint += ramp[y * 512 + x];
        }
      }
      assert.ok(Math.abs(ink - tint) / (64 * 128 * 255) < 0.02, `band ${band}: ${ink / tint}`);
    }
  });

  test('the round dot law: a circle until it meets its neighbours (π/4), then clipped by the cell', () => {
    assert.ok(Math.abs(ellipseCoverage(0.25) - Math.PI / 16) < 1e-12);
    assert.ok(Math.abs(ellipseCoverage(0.5) - Math.PI / 4) < 1e-12);
    assert.ok(Math.abs(ellipseCoverage(Math.SQRT1_2) - 1) < 1e-12);
    let prev = 0;
    for (let r = 0.01; r < 0.9; r += 0.01) {
      const a = ellipseCoverage(r, 0.7);
      assert.ok(a >= prev, `elliptical coverage must grow with the radius (r ${r})`);
      prev = a;
    }
  });

  test('min and max dot: small tints drop or grow to the minimum, large ones hold or go solid', () => {
    assert.equal(clipTint(0.04, 0.1, 0.9), 0);
    assert.equal(clipTint(0.06, 0.1, 0.9), 0.1);
    assert.equal(clipTint(0.5, 0.1, 0.9), 0.5);
    assert.equal(clipTint(0.93, 0.1, 0.9), 0.9);
    assert.equal(clipTint(0.96, 0.1, 0.9), 1);
    const o = { cellPx: 12, angleDeg: 45, shape: 'round' as const, minDot: 0.1, maxDot: 0.9 };
    assert.equal(mean(screenMask(uniform(0.04), W, H, o)), 0);
    assert.ok(Math.abs(mean(screenMask(uniform(0.06), W, H, o)) / 255 - 0.1) < 0.01);
    assert.ok(Math.abs(mean(screenMask(uniform(0.92), W, H, o)) / 255 - 0.9) < 0.01);
    assert.equal(mean(screenMask(uniform(0.97), W, H, o)), 255);
  });
});

describe('halftone screen: angle, spacing and shapes', () => {
  for (const angle of [0, 15, 30, 45, 60, 75, 100]) {
    test(`round dots at ${angle}°: the lattice measured from the dots' centroids`, () => {
      const mask = screenMask(uniform(0.3), W, H, { cellPx: 12, angleDeg: angle, shape: 'round' });
      const lattice = latticeOf(mask, W, H);
      assert.ok(
        angleDiff(lattice.angle, angle, 90) < 1,
        `expected ${angle % 90}°, measured ${lattice.angle.toFixed(2)}°`,
      );
      assert.ok(Math.abs(lattice.spacing - 12) < 0.6, `spacing ${lattice.spacing}`);
    });
  }

  test('line screen: the lines run along the screen angle', () => {
    for (const angle of [0, 30, 45, 110]) {
      const mask = screenMask(uniform(0.5), W, H, { cellPx: 10, angleDeg: angle, shape: 'line' });
      const measured = lineAngle(mask, W, H);
      assert.ok(angleDiff(measured, angle, 180) < 2, `expected ${angle}°, measured ${measured.toFixed(2)}°`);
    }
  });

  test('the shapes differ at the same tint, angle and cell', () => {
    const o = { cellPx: 16, angleDeg: 20 };
    const masks = new Map<DotShape, Uint8Array>();
    for (const shape of DOT_SHAPES) masks.set(shape, screenMask(uniform(0.4), W, H, { ...o, shape }));
    for (const a of DOT_SHAPES) {
      for (const b of DOT_SHAPES) {
        if (a >= b) continue;
        const ma = masks.get(a) as Uint8Array;
        const mb = masks.get(b) as Uint8Array;
        let differ = 0;
        for (let i = 0; i < ma.length; i++) if (ma[i] !== mb[i]) differ++;
        assert.ok(differ / ma.length > 0.05, `${a} and ${b} differ in only ${differ} pixels`);
      }
    }
    // dots are separate blobs, one per cell; lines are long bands
    const round = components(masks.get('round') as Uint8Array, W, H);
    const line = components(masks.get('line') as Uint8Array, W, H);
    assert.ok(round.length > 400, `${round.length} round dots`);
    assert.ok(line.length < round.length / 10, `${line.length} line components`);
    // a square dot fills its bounding box; a round one π/4 of it
    const square = components(masks.get('square') as Uint8Array, W, H).filter((d) => !d.touchesEdge);
    const side = Math.sqrt(0.4) * 16;
    assert.ok(Math.abs(mean(square.map((d) => d.n)) - side * side) < 3);
  });

  test('screenDots + renderDots: one dot per cell, the same ink as the per-pixel film on a flat tint', () => {
    const o: ScreenOptions = { cellPx: 14, angleDeg: 45, shape: 'round', samples: 4 };
    const { grid, dots } = screenDots(uniform(0.35), W, H, o);
    assert.ok(dots.every((d) => Math.abs(d.tint - 89 / 255) < 1e-12));
    const rendered = renderDots(grid, dots, { shape: 'round', samples: 4 });
    const film = screenMask(uniform(0.35), W, H, o);
    assert.deepEqual(rendered, film);
  });

  test('dot outlines (vector) cover what renderDots draws, for every shape', () => {
    const tint = new Uint8Array(W * H);
    // a soft disc: every dot size from 0 to 95 %
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const r = Math.hypot(x - W / 2, y - H / 2) / (W / 2);
        tint[y * W + x] = Math.max(0, Math.round(242 * (1 - r)));
      }
    }
    for (const shape of DOT_SHAPES) {
      const { grid, dots } = screenDots(tint, W, H, { cellPx: 16, angleDeg: 30, shape });
      const pixels = renderDots(grid, dots, { shape, samples: 4 });
      const d = dots.map((dot) => pathData([dotOutline(grid, dot, shape)], 3)).join('');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><path d="${d}"/></svg>`;
      const vector = alphaOf(renderSvg(svg));
      const diff = Math.abs(mean(vector) - mean(pixels)) / mean(pixels);
      assert.ok(
        diff < 0.01,
        `${shape}: vector ink ${mean(vector).toFixed(2)} vs pixels ${mean(pixels).toFixed(2)}`,
      );
      let off = 0;
      for (let i = 0; i < pixels.length; i++) off += Math.abs(vector[i] - pixels[i]);
      assert.ok(off / pixels.length / 255 < 0.02, `${shape}: mean pixel difference ${off / pixels.length}`);
    }
  });

  test('deterministic: the same tint gives the same bytes', () => {
    const o: ScreenOptions = { cellPx: 11.3, angleDeg: 37, shape: 'ellipse', samples: 3 };
    const a = screenMask(uniform(0.55), W, H, o);
    const b = screenMask(uniform(0.55), W, H, o);
    assert.deepEqual(a, b);
  });
});

// ---------------------------------------------------------------- the variation

describe('halftone variation', () => {
  let harbor: LogoResult;
  let again: LogoResult;
  let transparent: RgbaImage;
  let png: RgbaImage;
  before(async () => {
    harbor = await processLogo(example('harbor-on-white.png'), { variations: ['transparent', 'halftone'] });
    again = await processLogo(example('harbor-on-white.png'), { variations: ['halftone'] });
    const t = harbor.outputs.find((o) => o.variation === 'transparent');
    assert.ok(t);
    transparent = await rgba(t.data);
    png = await rgba(file(harbor, 'halftone.png').data);
  });

  test('makes halftone.png and halftone.svg, the size of the transparent PNG', async () => {
    assert.deepEqual(harbor.failures, []);
    const p = file(harbor, 'halftone.png');
    assert.equal(p.format, 'png');
    assert.equal(png.width, transparent.width);
    assert.equal(png.height, transparent.height);
    assert.equal(p.width, png.width);
    const s = file(harbor, 'halftone.svg');
    assert.equal(s.format, 'svg');
    const text = s.data.toString();
    assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    assert.ok((text.match(/<circle /g) ?? []).length > 500, 'round dots are circles');
  });

  test('transparent where the logo is absent; ink in proportion to the logo (× the 70 % solid dot)', () => {
    const cell = png.width / (4 * 20); // the defaults: 20 LPI across 4 inches
    const { width, height } = png;
    // art within a cell of each pixel (a box sum over the transparent PNG's alpha)
    const sat = new Float64Array((width + 1) * (height + 1));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const a = transparent.data[(y * width + x) * 4 + 3] > 0 ? 1 : 0;
        sat[(y + 1) * (width + 1) + x + 1] =
          a + sat[y * (width + 1) + x + 1] + sat[(y + 1) * (width + 1) + x] - sat[y * (width + 1) + x];
      }
    }
    const r = Math.ceil(cell);
    let far = 0;
    let strays = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const x0 = Math.max(0, x - r);
        const y0 = Math.max(0, y - r);
        const x1 = Math.min(width, x + r + 1);
        const y1 = Math.min(height, y + r + 1);
        const art =
          sat[y1 * (width + 1) + x1] -
          sat[y0 * (width + 1) + x1] -
          sat[y1 * (width + 1) + x0] +
          sat[y0 * (width + 1) + x0];
        if (art > 0) continue;
        far++;
        if (png.data[(y * width + x) * 4 + 3] !== 0) strays++;
      }
    }
    assert.ok(far > 0.15 * width * height, `only ${far} pixels far from the art`);
    assert.equal(strays, 0, `${strays} inked pixels more than a cell away from the art`);
    const ink = mean(alphaOf(png));
    const logo = mean(alphaOf(transparent));
    assert.ok(
      Math.abs(ink / (0.7 * logo) - 1) < 0.03,
      `ink ${ink.toFixed(2)} vs 0.7 × logo ${logo.toFixed(2)}`,
    );
  });

  test('dots keep the colours of the art beneath them', () => {
    let solid = 0;
    let near = 0;
    for (let i = 0; i < png.width * png.height; i++) {
      if (png.data[i * 4 + 3] !== 255 || transparent.data[i * 4 + 3] !== 255) continue;
      solid++;
      const d = [0, 1, 2].map((c) => Math.abs(png.data[i * 4 + c] - transparent.data[i * 4 + c]));
      if (Math.max(...d) <= 3) near++;
    }
    assert.ok(solid > 10000);
    assert.ok(
      near / solid > 0.9,
      `only ${((100 * near) / solid).toFixed(1)} % of solid dot pixels match the art`,
    );
  });

  test('the SVG renders back (resvg) to the PNG’s size and ink', () => {
    const svg = renderSvg(file(harbor, 'halftone.svg').data);
    assert.equal(svg.width, png.width);
    assert.equal(svg.height, png.height);
    const a = alphaOf(svg);
    const b = alphaOf(png);
    assert.ok(Math.abs(mean(a) / mean(b) - 1) < 0.02, `SVG ink ${mean(a)} vs PNG ${mean(b)}`);
    let off = 0;
    for (let i = 0; i < a.length; i++) off += Math.abs(a[i] - b[i]);
    assert.ok(off / a.length / 255 < 0.01, `mean alpha difference ${(off / a.length).toFixed(2)}`);
  });

  test('the same input gives byte-identical files', () => {
    for (const name of ['halftone.png', 'halftone.svg']) {
      assert.ok(file(harbor, name).data.equals(file(again, name).data), `${name} differs between runs`);
    }
  });

  test('every shape: SVG and PNG agree; one colour paints every dot in that colour', async () => {
    for (const shape of DOT_SHAPES) {
      const r = await processLogo(example('acme-badge-transparent.png'), {
        variations: ['halftone'],
        options: { halftone: { dot: shape, ink: 'one', color: '#c00000', angle: 15, lpi: 15 } },
      });
      const p = await rgba(file(r, 'halftone.png').data);
      const text = file(r, 'halftone.svg').data.toString();
      assert.equal((text.match(/<g fill=/g) ?? []).length, 1, `${shape}: one colour, one group`);
      assert.match(text, /<g fill="#c00000">/);
      const svg = alphaOf(renderSvg(text));
      const a = alphaOf(p);
      assert.ok(Math.abs(mean(svg) / mean(a) - 1) < 0.02, `${shape}: SVG ink ${mean(svg)} vs PNG ${mean(a)}`);
      for (let i = 0; i < a.length; i++) {
        if (a[i] === 0) continue;
        assert.deepEqual([...p.data.subarray(i * 4, i * 4 + 3)], [0xc0, 0, 0], `${shape}: pixel ${i}`);
      }
    }
  });

  test('angle and cell size are where the options put them', async () => {
    const r = await processLogo(example('harbor-on-white.png'), {
      variations: ['halftone'],
      options: { halftone: { angle: 30, cell: 14, ink: 'one', solidDot: 30 } },
    });
    const p = await rgba(file(r, 'halftone.png').data);
    const lattice = latticeOf(alphaOf(p), p.width, p.height);
    assert.ok(angleDiff(lattice.angle, 30, 90) < 1.5, `angle ${lattice.angle}`);
    assert.ok(Math.abs(lattice.spacing - 14) < 0.7, `spacing ${lattice.spacing}`);
  });

  test('a background fills the canvas in the SVG and the PNG', async () => {
    const r = await processLogo(example('harbor-on-white.png'), {
      variations: ['halftone'],
      options: { halftone: { backdrop: '#102030' } },
    });
    const p = await rgba(file(r, 'halftone.png').data);
    assert.deepEqual([...p.data.subarray(0, 4)], [0x10, 0x20, 0x30, 255]);
    const s = renderSvg(file(r, 'halftone.svg').data);
    assert.deepEqual([...s.data.subarray(0, 4)], [0x10, 0x20, 0x30, 255]);
  });

  test('bad options are E_BAD_OPTION, before any work', async () => {
    for (const bad of [
      { dot: 'star' },
      { lpi: 0 },
      { printWidth: 0 },
      { angle: 'steep' },
      { ink: 'two' },
      { color: 'reddish' },
      { solidDot: 0.7 },
      { solidDot: 101 },
      { cell: -1 },
      { shape: 'round' },
    ]) {
      throwsBadOption(() => parseOptions(halftone.schema, bad, 'halftone'));
    }
    assert.match(
      throwsBadOption(() => parseOptions(halftone.schema, { dot: 'star' }, 'halftone')),
      /one of "round", "square", "line", "ellipse" for halftone\.dot/,
    );
    await assert.rejects(
      processLogo(example('harbor-on-white.png'), {
        variations: ['halftone'],
        options: { halftone: { lpi: -3 } },
      }),
      (e: unknown) =>
        e instanceof LogomillError && e.code === 'E_BAD_OPTION' && /halftone\.lpi/.test(e.message),
    );
  });

  test('the CLI makes both files from its flags, and refuses a bad dot shape with exit 2', () =>
    withTempDir(async (dir) => {
      const ok = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        dir,
        '--variations',
        'halftone',
        '--dot',
        'square',
        '--lpi',
        '12',
        '--no-cache',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      for (const name of ['halftone.png', 'halftone.svg']) {
        assert.ok(existsSync(join(dir, 'leaf-mark', 'halftone', name)), `${name} written`);
      }
      const bad = cli([
        'process',
        example('leaf-mark.png'),
        '-o',
        dir,
        '--variations',
        'halftone',
        '--dot',
        'star',
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /\[E_BAD_OPTION\].*halftone\.dot/);
    }));
});

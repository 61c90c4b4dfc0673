/**
 * The `distressed` variation and its core (src/print/distress.ts, noise.ts):
 * determinism per seed, how much ink each intensity removes, the legibility
 * rules (no part of the logo lost, thin strokes kept, no unprintable specks or
 * holes, 1-bit edges in print mode) measured on re-decoded pixels, and the
 * SVG, PDF and EPS rendered back and compared with the PNG.
 * Every job runs once, in a `before` hook; the tests only read its results.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { LogomillError, type LogoResult, processLogo } from '../src/index.js';
import type { RgbaImage } from '../src/io/image.js';
import { applyKnockout, capShare, distressKnockout } from '../src/print/distress/index.js';
import { createRng, fbm, gradientNoise, hashString, seed32 } from '../src/raster/noise.js';
import {
  deltaE,
  example,
  renderEps,
  renderPng,
  renderSvgPixels,
  rgba,
  run,
  svgDoc,
  withTempDir,
} from './helpers.js';

/** 0.3 mm at 300 DPI, the variation's default printable minimum, as a disc's area in pixels. */
const MIN_SPECK_PX = (0.3 / 25.4) * 300;
const MIN_AREA = Math.ceil((Math.PI / 4) * MIN_SPECK_PX * MIN_SPECK_PX);

function file(result: LogoResult, variation: string, name: string): Buffer {
  const o = result.outputs.find((x) => x.variation === variation && x.name === name);
  assert.ok(o, `${variation}/${name} was made; failures: ${JSON.stringify(result.failures)}`);
  return o.data;
}

/** 1 where alpha ≥ 128. */
function inkOf(img: RgbaImage): Uint8Array {
  const ink = new Uint8Array(img.width * img.height);
  for (let i = 0; i < ink.length; i++) ink[i] = img.data[i * 4 + 3] >= 128 ? 1 : 0;
  return ink;
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) n += v ? 1 : 0;
  return n;
}

/** 4-connected components where `mask` is 1: a label per pixel (0 = none) and each label's pixels. */
function components(mask: Uint8Array, width: number): { labels: Int32Array; pixels: number[][] } {
  const labels = new Int32Array(mask.length);
  const pixels: number[][] = [[]];
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || labels[s]) continue;
    const label = pixels.length;
    const list = [s];
    labels[s] = label;
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      const x = i % width;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (j >= 0 && j < mask.length && mask[j] && !labels[j]) {
          labels[j] = label;
          list.push(j);
        }
      }
    }
    pixels.push(list);
  }
  return { labels, pixels };
}

/** Ink of the original removed in the distressed version, as a mask. */
function knockedOut(original: Uint8Array, distressed: Uint8Array): Uint8Array {
  return original.map((v, i) => (v && !distressed[i] ? 1 : 0));
}

/** Holes (4-connected) that hold no 3 × 3 block of knocked-out pixels: hairline cracks no press prints. */
function holesWithoutBlock(knocked: Uint8Array, width: number): number {
  const holes = components(knocked, width);
  const height = knocked.length / width;
  const wide = new Uint8Array(holes.pixels.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      let all = true;
      for (let dy = -1; dy <= 1 && all; dy++)
        for (let dx = -1; dx <= 1 && all; dx++) all = knocked[(y + dy) * width + x + dx] === 1;
      if (all) wide[holes.labels[y * width + x]] = 1;
    }
  }
  return wide.slice(1).filter((v) => !v).length;
}

function removedShare(original: RgbaImage, distressed: RgbaImage): number {
  const a = inkOf(original);
  return count(knockedOut(a, inkOf(distressed))) / count(a);
}

function renderSvg(svg: Buffer): RgbaImage {
  return renderSvgPixels(svg, { background: '#ffffff' });
}

/** The PNG flattened on white, as the vector renders are. */
function onWhite(img: RgbaImage): RgbaImage {
  const data = new Uint8Array(img.data.length);
  for (let p = 0; p < data.length; p += 4) {
    const a = img.data[p + 3] / 255;
    for (let c = 0; c < 3; c++) data[p + c] = Math.round(img.data[p + c] * a + 255 * (1 - a));
    data[p + 3] = 255;
  }
  return { width: img.width, height: img.height, data };
}

/** A synthetic logo: a big disc and, apart from it, hairlines 2 and 3 px wide. */
async function thinStrokeLogo(): Promise<{ png: Buffer; lines: (x: number, y: number) => boolean }> {
  const svg = svgDoc(
    800,
    400,
    `<circle cx="200" cy="200" r="160" fill="#1d3557"/>
     <g stroke="#1d3557" fill="none">
       <line x1="420" y1="60" x2="780" y2="60" stroke-width="2"/>
       <line x1="420" y1="120" x2="780" y2="120" stroke-width="3"/>
       <line x1="420" y1="180" x2="780" y2="330" stroke-width="3"/>
       <line x1="440" y1="380" x2="440" y2="200" stroke-width="2"/>
       <path d="M 500 380 L 560 260 L 620 380" stroke-width="3"/>
     </g>`,
  );
  // the cutout is trimmed to the art (from x = 40): the disc then ends at x = 320, the lines start at 380
  return { png: await renderPng(svg), lines: (x) => x >= 350 };
}

describe('noise', () => {
  test('the PRNG and string seeds are fixed functions of the seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const first = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      first,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      first,
      Array.from({ length: 5 }, () => createRng(43).next()),
    );
    for (const v of first) assert.ok(v >= 0 && v < 1);
    assert.equal(hashString('grunge'), hashString('grunge'));
    assert.notEqual(hashString('grunge'), hashString('grungf'));
    assert.notEqual(seed32(1), seed32(2 ** 32 + 1));
    // pinned values: the same on every platform, or textures would differ between machines
    assert.equal(seed32(1), 1863002342);
    assert.equal(Math.round(createRng(1).next() * 1e9), 553476498);
  });

  test('gradient noise and fBm are smooth, bounded and centred', () => {
    let sum = 0;
    let min = 0;
    let max = 0;
    let jump = 0;
    for (let y = 0; y < 200; y++) {
      for (let x = 0; x < 200; x++) {
        const v = fbm(x, y, 7, { period: 32, octaves: 3 });
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        if (x > 0) jump = Math.max(jump, Math.abs(v - fbm(x - 1, y, 7, { period: 32, octaves: 3 })));
      }
    }
    assert.ok(min >= -1 && max <= 1, `range ${min}…${max}`);
    assert.ok(max - min > 0.8, 'varies');
    assert.ok(Math.abs(sum / 40000) < 0.15, `mean ${sum / 40000}`);
    assert.ok(jump < 0.2, `neighbouring pixels differ by at most ${jump}`);
    assert.equal(gradientNoise(3, 5, 1), 0, 'zero on the lattice');
  });
});

describe('distressKnockout', () => {
  const w = 300;
  const h = 200;
  const ink = new Uint8Array(w * h);
  for (let y = 20; y < 180; y++) for (let x = 20; x < 280; x++) ink[y * w + x] = 255;
  const options = { intensity: 0.5, scale: 1, seed: 3, minSpeckPx: 3.5 };

  test('same seed → same mask; different seed → a different one; only ever on ink', () => {
    const a = distressKnockout(w, h, ink, options);
    assert.deepEqual(a, distressKnockout(w, h, ink, { ...options }));
    const b = distressKnockout(w, h, ink, { ...options, seed: 4 });
    let differ = 0;
    for (let i = 0; i < a.length; i++) differ += a[i] !== b[i] ? 1 : 0;
    assert.ok(differ > 0.05 * count(ink), `${differ} pixels differ`);
    assert.deepEqual(
      distressKnockout(w, h, ink, { ...options, seed: 'three' }),
      distressKnockout(w, h, ink, { ...options, seed: 'three' }),
    );
    for (let i = 0; i < a.length; i++) {
      assert.ok(a[i] === 0 || a[i] === 255);
      if (a[i]) assert.equal(ink[i], 255, 'knocked out only where there is ink');
    }
  });

  test('intensity 0 removes nothing; removal grows with intensity', () => {
    assert.equal(count(distressKnockout(w, h, ink, { ...options, intensity: 0 })), 0);
    const shares = [0.25, 0.5, 0.75, 1].map(
      (intensity) => count(distressKnockout(w, h, ink, { ...options, intensity })) / count(ink),
    );
    for (let k = 1; k < shares.length; k++) assert.ok(shares[k] > shares[k - 1] + 0.02, `shares ${shares}`);
    assert.ok(shares[1] > 0.08 && shares[1] < 0.3, `default removes ${shares[1]}`);
  });

  test('each part loses at most the cap, small parts nothing, and every hole is printable', () => {
    // 30 discs of radius 18 and 30 dots of radius 4, worn as hard as it goes
    const W = 600;
    const H = 400;
    const dots = new Uint8Array(W * H);
    for (let k = 0; k < 60; k++) {
      const cx = 30 + (k % 10) * 55;
      const cy = 30 + Math.floor(k / 10) * 60;
      const r = k % 2 ? 18 : 4;
      for (let y = cy - r; y <= cy + r; y++)
        for (let x = cx - r; x <= cx + r; x++)
          if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) dots[y * W + x] = 255;
    }
    const member = dots.map((v) => (v ? 1 : 0));
    const parts = components(member, W);
    assert.equal(parts.pixels.length - 1, 60);
    for (const seed of [1, 2, 3]) {
      const knock = distressKnockout(W, H, dots, { intensity: 1, scale: 1, seed, minSpeckPx: 3.5 });
      let worst = 0;
      for (let l = 1; l < parts.pixels.length; l++) {
        const px = parts.pixels[l];
        const removed = px.filter((i) => knock[i]).length / px.length;
        if (px.length < 100)
          assert.equal(removed, 0, `seed ${seed}: a dot of ${px.length} px lost ${removed}`);
        worst = Math.max(worst, removed);
      }
      assert.ok(worst > 0.2 && worst <= capShare(1) + 0.05, `seed ${seed}: worst part lost ${worst}`);
      assert.equal(
        holesWithoutBlock(
          knock.map((v) => (v ? 1 : 0)),
          W,
        ),
        0,
        `seed ${seed}: hairline holes`,
      );
    }
  });

  test('applyKnockout clears every film at the same pixels, and only there', () => {
    const knock = distressKnockout(w, h, ink, options);
    const films = [ink.slice(), ink.map((v, i) => (i % 2 ? v : 0))];
    for (const film of films) {
      const before = film.slice();
      assert.equal(applyKnockout(film, knock), film);
      for (let i = 0; i < film.length; i++) assert.equal(film[i], knock[i] ? 0 : before[i]);
    }
    assert.throws(() => applyKnockout(new Uint8Array(3), knock), RangeError);
  });

  test('an empty or wrong-sized ink mask', () => {
    assert.equal(count(distressKnockout(w, h, new Uint8Array(w * h), options)), 0);
    assert.throws(() => distressKnockout(w, h, new Uint8Array(10), options), RangeError);
  });
});

describe('distressed variation', () => {
  let acme: LogoResult;
  let acmeAgain: LogoResult;
  let acmeSeed2: LogoResult;
  let acmeSoft: LogoResult;
  let transparent: RgbaImage;
  let distressed: RgbaImage;
  const harborShares: number[] = [];
  /** [transparent, distressed] at the default intensity, of logos made of many parts. */
  const byParts: [RgbaImage, RgbaImage][] = [];
  let thin: { original: RgbaImage; distressed: RgbaImage; lines: (x: number, y: number) => boolean };

  before(async () => {
    acme = await processLogo(example('acme-badge-transparent.png'), {
      variations: ['transparent', 'distressed'],
    });
    acmeAgain = await processLogo(example('acme-badge-transparent.png'), { variations: ['distressed'] });
    acmeSeed2 = await processLogo(example('acme-badge-transparent.png'), {
      variations: ['distressed'],
      options: { distressed: { seed: 2 } },
    });
    acmeSoft = await processLogo(example('acme-badge-transparent.png'), {
      variations: ['distressed'],
      options: { distressed: { edges: 'soft' } },
    });
    transparent = await rgba(file(acme, 'transparent', 'transparent.png'));
    distressed = await rgba(file(acme, 'distressed', 'distressed.png'));
    for (const intensity of [0, 0.25, 0.5, 0.75]) {
      const r = await processLogo(example('harbor-on-white.png'), {
        variations: ['transparent', 'distressed'],
        options: { distressed: { intensity } },
      });
      const t = await rgba(file(r, 'transparent', 'transparent.png'));
      const d = await rgba(file(r, 'distressed', 'distressed.png'));
      harborShares.push(removedShare(t, d));
      if (intensity === 0.5) byParts.push([t, d]);
    }
    const lineart = await processLogo(example('lineart-on-cream.png'), {
      variations: ['transparent', 'distressed'],
      // the cream inside its circles kept as parts (auto clears them, leaving only thin lines that
      // distressing spares by design)
      options: { transparent: { holes: 'none' } },
    });
    byParts.push([
      await rgba(file(lineart, 'transparent', 'transparent.png')),
      await rgba(file(lineart, 'distressed', 'distressed.png')),
    ]);
    const logo = await thinStrokeLogo();
    const r = await processLogo(logo.png, { variations: ['transparent', 'distressed'] });
    thin = {
      original: await rgba(file(r, 'transparent', 'transparent.png')),
      distressed: await rgba(file(r, 'distressed', 'distressed.png')),
      lines: logo.lines,
    };
  });

  test('makes a PNG the size of the transparent PNG, and SVG, PDF and EPS', () => {
    const names = acme.outputs.filter((o) => o.variation === 'distressed').map((o) => o.name);
    assert.deepEqual(names.sort(), ['distressed.eps', 'distressed.pdf', 'distressed.png', 'distressed.svg']);
    assert.equal(distressed.width, transparent.width);
    assert.equal(distressed.height, transparent.height);
    const record = acme.outputs.find((o) => o.name === 'distressed.png');
    assert.equal(record?.width, distressed.width);
    assert.equal(record?.height, distressed.height);
  });

  test('same seed → byte-identical files; another seed → different ones', () => {
    for (const name of ['distressed.png', 'distressed.svg', 'distressed.pdf', 'distressed.eps']) {
      assert.ok(
        file(acme, 'distressed', name).equals(file(acmeAgain, 'distressed', name)),
        `${name} identical`,
      );
      assert.ok(
        !file(acme, 'distressed', name).equals(file(acmeSeed2, 'distressed', name)),
        `${name} differs`,
      );
    }
  });

  test('another seed knocks out other pixels, about as many', async () => {
    const other = await rgba(file(acmeSeed2, 'distressed', 'distressed.png'));
    const a = inkOf(distressed);
    const b = inkOf(other);
    let differ = 0;
    for (let i = 0; i < a.length; i++) differ += a[i] !== b[i] ? 1 : 0;
    const ink = count(inkOf(transparent));
    assert.ok(differ > 0.05 * ink, `${differ} of ${ink} ink pixels differ`);
    const s1 = removedShare(transparent, distressed);
    const s2 = removedShare(transparent, other);
    assert.ok(Math.abs(s1 - s2) < 0.06, `shares ${s1} and ${s2}`);
  });

  test('the share of ink removed grows with intensity, from none at 0', () => {
    assert.equal(harborShares[0], 0, 'intensity 0 removes nothing');
    for (let k = 1; k < harborShares.length; k++) {
      assert.ok(harborShares[k] > harborShares[k - 1] + 0.02, `shares ${harborShares.join(', ')}`);
    }
    assert.ok(harborShares[2] > 0.06 && harborShares[2] < 0.3, `default removes ${harborShares[2]}`);
  });

  test('at the default intensity every part of the logo keeps most of its ink', () => {
    for (const [before, after] of byParts) {
      const original = inkOf(before);
      const left = inkOf(after);
      const parts = components(original, before.width);
      assert.ok(parts.pixels.length > 4, `${parts.pixels.length - 1} parts`);
      let worn = 0;
      for (let l = 1; l < parts.pixels.length; l++) {
        const px = parts.pixels[l];
        const kept = px.filter((i) => left[i]).length;
        assert.ok(kept > 0, `part ${l} (${px.length} px) disappeared`);
        assert.ok(kept >= 0.6 * px.length, `part ${l} keeps ${kept} of ${px.length} px`);
        if (kept < px.length) worn++;
      }
      assert.ok(worn >= 1, 'and some parts are worn');
    }
    // the badge's thin white ring and dashes, measured by colour (the badge is one part by alpha)
    const original = inkOf(transparent);
    const white = (img: RgbaImage, i: number) =>
      img.data[i * 4 + 3] >= 128 && Math.min(img.data[i * 4], img.data[i * 4 + 1], img.data[i * 4 + 2]) > 200;
    let whiteBefore = 0;
    let whiteAfter = 0;
    for (let i = 0; i < original.length; i++) {
      if (white(transparent, i)) {
        whiteBefore++;
        if (white(distressed, i)) whiteAfter++;
      }
    }
    assert.ok(whiteBefore > 1000);
    assert.ok(
      whiteAfter >= 0.8 * whiteBefore,
      `white ring and dashes keep ${whiteAfter} of ${whiteBefore} px`,
    );
  });

  test('thin strokes keep their ink; the distress goes to the thick disc', () => {
    const original = inkOf(thin.original);
    const left = inkOf(thin.distressed);
    const { width } = thin.original;
    let lines = 0;
    let linesLeft = 0;
    let disc = 0;
    let discLeft = 0;
    for (let i = 0; i < original.length; i++) {
      if (!original[i]) continue;
      const x = i % width;
      const y = (i - x) / width;
      if (thin.lines(x, y)) {
        lines++;
        linesLeft += left[i];
      } else {
        disc++;
        discLeft += left[i];
      }
    }
    // the split between disc and lines runs through empty columns
    for (let i = 0; i < original.length; i++) {
      const x = i % width;
      if (x >= 330 && x <= 370) assert.equal(original[i], 0, `ink at x = ${x}`);
    }
    const linesKept = linesLeft / lines;
    const discKept = discLeft / disc;
    assert.ok(lines > 1500, `${lines} px of thin lines`);
    assert.ok(linesKept >= 0.9, `thin lines keep ${linesKept}`);
    assert.ok(discKept < 0.95, `the disc is distressed: keeps ${discKept}`);
    assert.ok(1 - linesKept < 0.5 * (1 - discKept), `lines lose ${1 - linesKept}, the disc ${1 - discKept}`);
  });

  test('print edges are 1-bit; soft edges keep the logo’s anti-aliasing, same knock-out', async () => {
    for (let p = 3; p < distressed.data.length; p += 4) {
      const a = distressed.data[p];
      assert.ok(a === 0 || a === 255, `alpha ${a} at pixel ${(p - 3) / 4}`);
    }
    const soft = await rgba(file(acmeSoft, 'distressed', 'distressed.png'));
    let grey = 0;
    for (let p = 3; p < soft.data.length; p += 4) if (soft.data[p] > 0 && soft.data[p] < 255) grey++;
    assert.ok(grey > 500, `${grey} anti-aliased pixels in soft mode`);
    // the same knock-out in both modes
    const a = inkOf(distressed);
    const b = inkOf(soft);
    let differ = 0;
    for (let i = 0; i < a.length; i++) differ += a[i] !== b[i] ? 1 : 0;
    assert.equal(differ, 0);
  });

  test('surviving ink keeps the logo’s colours', () => {
    for (let i = 0; i < distressed.width * distressed.height; i++) {
      const p = i * 4;
      if (distressed.data[p + 3] !== 255 || transparent.data[p + 3] !== 255) continue;
      for (let c = 0; c < 3; c++) assert.equal(distressed.data[p + c], transparent.data[p + c]);
    }
  });

  test('no surviving ink speck or knocked-out hole is smaller than the printable minimum', () => {
    for (const [original, after] of [
      [transparent, distressed],
      [thin.original, thin.distressed],
    ]) {
      const before = inkOf(original);
      const left = inkOf(after);
      const origParts = components(before, original.width);
      const specks = components(left, original.width);
      for (let l = 1; l < specks.pixels.length; l++) {
        const px = specks.pixels[l];
        if (px.length >= MIN_AREA) continue;
        // a speck that small must be a whole part of the original art, not a fragment of one
        const part = origParts.pixels[origParts.labels[px[0]]];
        assert.equal(part.length, px.length, `ink speck of ${px.length} px at pixel ${px[0]}`);
      }
      const knocked = knockedOut(before, left);
      const holes = components(knocked, original.width);
      assert.ok(holes.pixels.length > 10, 'there are holes');
      assert.equal(holesWithoutBlock(knocked, original.width), 0, 'hairline holes');
      for (let l = 1; l < holes.pixels.length; l++) {
        assert.ok(holes.pixels[l].length >= MIN_AREA, `hole of ${holes.pixels[l].length} px`);
      }
    }
  });

  test('SVG, PDF and EPS render back to the PNG’s ink', () =>
    withTempDir(async (dir) => {
      const png = onWhite(distressed);
      const edges = edgesOf(png);
      const area = visibleArea(png);
      const check = (name: string, render: RgbaImage) => {
        // off the PNG's edges (where a trace may put a boundary half a pixel away) the colours agree…
        const off = colourMismatch(png, render, edges) / area;
        assert.ok(off < 0.01, `${name} differs on ${off} of the ink away from edges`);
        // …and the inked area agrees within a few percent
        const ratio = visibleArea(render) / area;
        assert.ok(Math.abs(ratio - 1) < 0.03, `${name} inks ${ratio} of the PNG's area`);
      };
      const svg = renderSvg(file(acme, 'distressed', 'distressed.svg'));
      assert.equal(svg.width, png.width);
      assert.equal(svg.height, png.height);
      check('SVG', svg);

      await writeFile(join(dir, 'd.pdf'), file(acme, 'distressed', 'distressed.pdf'));
      await run('pdftoppm', ['-r', '300', '-png', '-singlefile', join(dir, 'd.pdf'), join(dir, 'p')]);
      const pdf = await rgba(await readFile(join(dir, 'p.png')));
      assert.ok(Math.abs(pdf.width - png.width) <= 1, `PDF ${pdf.width} px wide at 300 DPI`);
      check('PDF', pdf);

      await writeFile(join(dir, 'd.eps'), file(acme, 'distressed', 'distressed.eps'));
      const eps = await renderEps(join(dir, 'd.eps'), 300);
      assert.ok(Math.abs(eps.width - png.width) <= 2, `EPS ${eps.width} px wide at 300 DPI`);
      check('EPS', eps);
    }));

  test('bad options are E_BAD_OPTION', async () => {
    for (const bad of [
      { intensity: 1.5 },
      { intensity: -0.1 },
      { scale: 0 },
      { seed: 1.5 },
      { seed: -1 },
      { edges: 'grainy' },
      { mode: 'soft' },
      { minSpeckMm: 0 },
      { grain: 3 },
    ]) {
      await assert.rejects(
        processLogo(example('leaf-mark.png'), { variations: ['distressed'], options: { distressed: bad } }),
        (e: unknown) => e instanceof LogomillError && e.code === 'E_BAD_OPTION',
        JSON.stringify(bad),
      );
    }
  });
});

const WHITE: [number, number, number] = [255, 255, 255];

function rgbAt(img: RgbaImage, x: number, y: number): [number, number, number] {
  const p = (y * img.width + x) * 4;
  return [img.data[p], img.data[p + 1], img.data[p + 2]];
}

/** Pixels of an opaque image that differ from white by more than ΔE 10. */
function visibleArea(img: RgbaImage): number {
  let n = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) n += deltaE(rgbAt(img, x, y), WHITE) > 10 ? 1 : 0;
  return n;
}

/** 1 on pixels of an opaque image with an 8-neighbour more than ΔE 10 away: alpha and colour edges alike. */
function edgesOf(img: RgbaImage): Uint8Array {
  const edges = new Uint8Array(img.width * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const c = rgbAt(img, x, y);
      for (let dy = -1; dy <= 1 && !edges[y * img.width + x]; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height) continue;
          const d = rgbAt(img, xx, yy);
          if ((d[0] !== c[0] || d[1] !== c[1] || d[2] !== c[2]) && deltaE(c, d) > 10) {
            edges[y * img.width + x] = 1;
            break;
          }
        }
      }
    }
  }
  return edges;
}

/** Pixels off `edges` (over the two images' common top-left area) whose colours differ by more than ΔE 10. */
function colourMismatch(a: RgbaImage, b: RgbaImage, edges: Uint8Array): number {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let off = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (edges[y * a.width + x]) continue;
      const p = rgbAt(a, x, y);
      const q = rgbAt(b, x, y);
      if ((p[0] !== q[0] || p[1] !== q[1] || p[2] !== q[2]) && deltaE(p, q) > 10) off++;
    }
  }
  return off;
}

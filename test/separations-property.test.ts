/**
 * Films recombine to the art (fast-check): for random flat-colour art — a few
 * rectangles and discs in 2–4 distinct colours on transparency, hard-edged —
 * the spot separation's films, printed in their order (each film's ink where
 * the film is set), give back the art up to one pixel along its edges. The
 * films are the colour map's traced outlines (a planar map, boundaries
 * shared) filled at pixel centres, so the tracer's smoothing may move an edge
 * by up to a pixel: a 4 × 4 square loses its corner pixels. Stated precisely,
 * for the plain separation (no underbase, no knock-out), at film resolution =
 * art resolution (docs/SEPARATIONS.md):
 *   - without a trap, no pixel is on two films (the inks share boundaries);
 *   - every film pixel lies on or next to (8-neighbour) an art pixel of that
 *     film's ink: ink never strays farther than the edge's pixel, onto
 *     transparency or another colour;
 *   - every interior art pixel (its 8 neighbours opaque and of its colour)
 *     has as its top ink (the last film set there: inks print light to dark)
 *     the nearest ink to its colour (ΔE76), within ΔE 2 of the art's colour;
 *   - with a trap (`spreadPt`), lighter inks only grow under darker ones: the
 *     top ink at every pixel is the one the plain separation has there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { deltaE76, type Lab, rgbToLab } from '../src/color/color.js';
import type { RgbaImage } from '../src/io/image.js';
import { layoutBoard } from '../src/print/film.js';
import { type SeparateOptions, separateSpot } from '../src/print/separate.js';

/** Distinct, well-separated flat colours (none white: white on the default white substrate is skipped). */
const COLOURS: [number, number, number][] = [
  [200, 30, 40],
  [20, 60, 160],
  [30, 140, 60],
  [240, 200, 30],
  [40, 30, 30],
];
const W = 48;
const H = 36;
/** 100 DPI and a print width of W / 100 in: one film pixel per art pixel. */
const DPI = 100;

const shape = fc.record({
  kind: fc.constantFrom('rect', 'disc'),
  x: fc.integer({ min: 0, max: W - 4 }),
  y: fc.integer({ min: 0, max: H - 4 }),
  w: fc.integer({ min: 4, max: 24 }),
  h: fc.integer({ min: 4, max: 24 }),
  colour: fc.nat(),
});
type Shape = { kind: string; x: number; y: number; w: number; h: number; colour: number };

/** The shapes drawn in order (later ones over earlier ones), colours picked from `palette`. */
function draw(shapes: Shape[], palette: number[]): RgbaImage {
  const data = new Uint8Array(W * H * 4);
  for (const s of shapes) {
    const [r, g, b] = COLOURS[palette[s.colour % palette.length]];
    for (let y = s.y; y < Math.min(H, s.y + s.h); y++) {
      for (let x = s.x; x < Math.min(W, s.x + s.w); x++) {
        const u = (x + 0.5 - s.x - s.w / 2) / (s.w / 2);
        const v = (y + 0.5 - s.y - s.h / 2) / (s.h / 2);
        if (s.kind === 'disc' && u * u + v * v > 1) continue;
        data.set([r, g, b, 255], (y * W + x) * 4);
      }
    }
  }
  return { width: W, height: H, data };
}

function separate(art: RgbaImage, spreadPt: number) {
  const layout = layoutBoard(W, H, { boardIn: { width: 13, height: 19 }, printWidthIn: W / DPI, dpi: DPI });
  assert.equal(layout.scale, 1);
  const o: SeparateOptions = {
    mode: 'spot',
    maxInks: 6,
    inks: 0,
    inkNames: '',
    garment: 'none',
    underbase: 'off',
    chokePt: 0,
    spreadPt,
    highlight: false,
  };
  const plan = separateSpot(art, layout, o, null);
  assert.ok(plan, 'spot mode');
  return plan;
}

/** Per pixel, the index of the last film set there (the ink on top), or −1. */
function topFilm(films: { map: Uint8Array }[]): Int32Array {
  const top = new Int32Array(W * H).fill(-1);
  films.forEach((f, k) => {
    for (let i = 0; i < top.length; i++) if (f.map[i]) top[i] = k;
  });
  return top;
}

describe('separations: properties (fast-check)', () => {
  it('films recombine to the art: each opaque pixel under one top ink, its nearest; none where transparent', () => {
    fc.assert(
      fc.property(
        fc.array(shape, { minLength: 1, maxLength: 5 }),
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 2, maxLength: 4 }),
        fc.constantFrom(0, 0, 2),
        (shapes, palette, spreadPt) => {
          const art = draw(shapes, palette);
          const plan = separate(art, spreadPt);
          const films = plan.films;
          assert.ok(films.every((f) => f.kind === 'ink'));
          const inkLab: Lab[] = films.map((f) => (f.ink as { lab: Lab }).lab);
          const top = topFilm(films);
          const plain = spreadPt > 0 ? topFilm(separate(art, 0).films) : top;
          const d = art.data;
          const colourOf = (i: number) => (d[i * 4 + 3] ? nearestInk(d, i, inkLab) : -1);
          const want = Int32Array.from({ length: W * H }, (_, i) => colourOf(i));
          for (let i = 0; i < W * H; i++) {
            const x = i % W;
            const y = (i - x) / W;
            assert.equal(top[i], plain[i], `the trap changed the top ink at (${x}, ${y})`);
            const on = films.map((f, k) => (f.map[i] ? k : -1)).filter((k) => k >= 0);
            if (spreadPt === 0) assert.ok(on.length <= 1, `${on.length} films at (${x}, ${y})`);
            const around = neighbours(x, y).map((j) => want[j]);
            for (const k of spreadPt === 0 ? on : [top[i]].filter((k) => k >= 0)) {
              assert.ok(want[i] === k || around.includes(k), `ink ${k} strays to (${x}, ${y})`);
            }
            if (want[i] >= 0 && around.length === 8 && around.every((k) => k === want[i])) {
              assert.equal(top[i], want[i], `interior pixel (${x}, ${y}) not under its nearest ink`);
              const lab = rgbToLab(d[i * 4], d[i * 4 + 1], d[i * 4 + 2]);
              assert.ok(deltaE76(lab, inkLab[want[i]]) < 2, `ink ≠ art colour at (${x}, ${y})`);
            }
          }
        },
      ),
      { numRuns: 60, seed: 1515 },
    );
  });
});

/** The nearest ink (ΔE76) to the colour of pixel i. */
function nearestInk(d: Uint8Array, i: number, inkLab: Lab[]): number {
  const lab = rgbToLab(d[i * 4], d[i * 4 + 1], d[i * 4 + 2]);
  let nearest = 0;
  for (let k = 1; k < inkLab.length; k++)
    if (deltaE76(lab, inkLab[k]) < deltaE76(lab, inkLab[nearest])) nearest = k;
  return nearest;
}

/** The pixel indices of the 8-neighbours of (x, y) on the canvas. */
function neighbours(x: number, y: number): number[] {
  const out: number[] = [];
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if ((dx || dy) && xx >= 0 && yy >= 0 && xx < W && yy < H) out.push(yy * W + xx);
    }
  }
  return out;
}

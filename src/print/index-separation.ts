/**
 * Index separation: every square of a fine grid (150 per inch, two film pixels at 300 DPI, so
 * the smallest dot is ≈ 0.17 mm and holds on a 230 mesh) gets exactly one ink — or bare garment
 * — from a fixed palette, chosen by error diffusion (Floyd–Steinberg, serpentine, in linear
 * light), so the squares of neighbouring inks mix to the colours between them. No film overlaps
 * another, there is no screen angle and hence no moiré: the index method of screen printers,
 * for gradients and photos on any garment. With `dither: 'none'` each square takes its nearest
 * ink (a posterised print: the yardstick the benchmark measures diffusion against).
 *
 * The palette is the art's own (chosen as for sim-process) or the one given; a white underbase
 * goes under the squares of inks lighter than a dark garment, and white is an ink there.
 */
import { type Rgb, SRGB_TO_LINEAR } from '../color/color.js';
import { makeInks } from '../color/inks.js';
import type { RgbaImage } from '../io/image.js';
import { artAtFilmResolution, type BoardLayout } from './film.js';
import { type Film, garmentOf, type SeparateOptions, type SeparationPlan } from './separate.js';
import { addUnderbase, chooseColours } from './sim-process.js';
import { predictedError, simulatedPreview } from './simulate.js';

export interface IndexOptions {
  /** Colour inks at most, when no palette is given. */
  inks: number;
  /** The inks to use instead of the art's own. */
  palette: Rgb[];
  /** Squares per inch (≈ 150: two film pixels at 300 DPI). */
  squaresPerInch: number;
  dither: 'floyd-steinberg' | 'none';
}

export async function separateIndex(
  art: RgbaImage,
  layout: BoardLayout,
  o: SeparateOptions,
  p: IndexOptions,
): Promise<SeparationPlan> {
  const aw = layout.art.width;
  const ah = layout.art.height;
  const big = (await artAtFilmResolution(art, layout)).data;
  const { garment, lab: gLab, dark } = garmentOf(o);
  const colours = p.palette.length ? p.palette : chooseColours(art, p.inks, gLab, dark);
  const inks = makeInks([
    ...colours,
    ...(dark && !p.palette.length ? [{ r: 255, g: 255, b: 255 }] : []),
  ]).sort((a, b) => b.lab.L - a.lab.L);
  const lin = (c: Rgb) => [SRGB_TO_LINEAR[c.r], SRGB_TO_LINEAR[c.g], SRGB_TO_LINEAR[c.b]];
  // the choices: each ink, or the garment left bare (index m)
  const choices = [...inks.map((i) => lin(i.rgb)), lin(garment)];
  // nearness judged on the cube root of linear light (≈ perceptual lightness), not on light itself
  const perceived = choices.map((c) => c.map(Math.cbrt));

  // the art on the index grid, composited on the garment, in linear light
  const sq = Math.max(1, Math.round(layout.dpi / p.squaresPerInch));
  const gw = Math.ceil(aw / sq);
  const gh = Math.ceil(ah / sq);
  const want = new Float32Array(gw * gh * 3);
  const counts = new Uint32Array(gw * gh);
  const g = lin(garment);
  for (let y = 0; y < ah; y++) {
    for (let x = 0; x < aw; x++) {
      const i = y * aw + x;
      const k = Math.floor(y / sq) * gw + Math.floor(x / sq);
      const a = big[i * 4 + 3] / 255;
      for (let c = 0; c < 3; c++) want[k * 3 + c] += a * SRGB_TO_LINEAR[big[i * 4 + c]] + (1 - a) * g[c];
      counts[k]++;
    }
  }
  for (let k = 0; k < counts.length; k++) for (let c = 0; c < 3; c++) want[k * 3 + c] /= counts[k] || 1;

  const pick = new Uint8Array(gw * gh);
  const m = perceived.length;
  const flat = Float64Array.from(perceived.flat());
  /** The choice nearest (r, g, b) in linear light, compared on cube roots. */
  const nearest = (r: number, gg: number, b: number) => {
    const q0 = Math.cbrt(r);
    const q1 = Math.cbrt(gg);
    const q2 = Math.cbrt(b);
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < m; j++) {
      const d = (q0 - flat[j * 3]) ** 2 + (q1 - flat[j * 3 + 1]) ** 2 + (q2 - flat[j * 3 + 2]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    return best;
  };
  // Floyd–Steinberg: 7/16 ahead, 3/16 behind below, 5/16 below, 1/16 ahead below
  const taps: [number, number, number][] = [
    [1, 0, 7 / 16],
    [-1, 1, 3 / 16],
    [0, 1, 5 / 16],
    [1, 1, 1 / 16],
  ];
  for (let y = 0; y < gh; y++) {
    // serpentine: every other row right to left, so the error does not drift one way
    const dir = y % 2 === 0 ? 1 : -1;
    for (let n = 0; n < gw; n++) {
      const x = dir > 0 ? n : gw - 1 - n;
      const k = (y * gw + x) * 3;
      // the carried error is bounded, so a colour the inks cannot reach does not smear far
      const r = Math.min(1, Math.max(0, want[k]));
      const gg = Math.min(1, Math.max(0, want[k + 1]));
      const b = Math.min(1, Math.max(0, want[k + 2]));
      const j = nearest(r, gg, b);
      pick[k / 3] = j;
      if (p.dither === 'none') continue;
      const e0 = r - choices[j][0];
      const e1 = gg - choices[j][1];
      const e2 = b - choices[j][2];
      for (const [dx, dy, w] of taps) {
        const xx = x + dx * dir;
        const yy = y + dy;
        if (xx < 0 || xx >= gw || yy >= gh) continue;
        const t = (yy * gw + xx) * 3;
        want[t] += e0 * w;
        want[t + 1] += e1 * w;
        want[t + 2] += e2 * w;
      }
    }
  }

  // films: each ink's squares, drawn at film resolution (only where the art is)
  const maps = inks.map(() => new Uint8Array(aw * ah));
  for (let y = 0; y < ah; y++) {
    for (let x = 0; x < aw; x++) {
      const j = pick[Math.floor(y / sq) * gw + Math.floor(x / sq)];
      if (j < inks.length) maps[j][y * aw + x] = 1;
    }
  }
  const films: Film[] = inks.map((ink, j) => ({
    kind: dark && ink.lab.L > 90 && Math.hypot(ink.lab.a, ink.lab.b) < 12 ? 'highlight' : 'ink',
    name: ink.name,
    spot: { name: ink.name, cmyk: ink.cmyk },
    hex: ink.hex,
    ink,
    map: maps[j],
    outlines: null,
  }));
  const underbase = addUnderbase(films, { lab: gLab, dark }, o.underbase, aw * ah);
  // the highlight white prints last
  films.sort((a, b) => Number(a.kind === 'highlight') - Number(b.kind === 'highlight'));
  // the error over ≈ 1 mm blocks, as for the other modes
  const block = Math.max(2 * sq, Math.round(layout.dpi / 25.4));
  return {
    mode: 'index',
    reason: `index was asked for: ${inks.length} inks in squares of ${sq} film pixels (${Math.round(layout.dpi / sq)} per inch), ${p.dither === 'none' ? 'each its nearest ink' : 'Floyd–Steinberg diffusion'}`,
    inks,
    skipped: [],
    films,
    underbase,
    colorMap: null,
    warnings: [],
    preview: simulatedPreview(films, garment, aw, ah, sq),
    predicted: predictedError(films, garment, big, aw, ah, block, layout.dpi),
  };
}

/**
 * A 5×7 dot font for the small technical text on films (ink name, order, job
 * label). Built in so that films look the same on every machine — raster
 * films need no system fonts, and vector films draw the same dots as filled
 * squares. Lower case is drawn as upper case; unknown characters as "?".
 */
import type { Subpath } from '../vector/path.js';

// 7 rows of 5 columns per glyph; '#' = dot
const GLYPHS: Record<string, string> = {
  A: '.###.#...##...#######...##...##...#',
  B: '####.#...##...#####.#...##...#####.',
  C: '.###.#...##....#....#....#...#.###.',
  D: '####.#...##...##...##...##...#####.',
  E: '######....#....####.#....#....#####',
  F: '######....#....####.#....#....#....',
  G: '.###.#...##....#.####...##...#.####',
  H: '#...##...##...#######...##...##...#',
  I: '.###...#....#....#....#....#...###.',
  J: '..###...#....#....#....##..#..##...',
  K: '#...##..#.#.#..##...#.#..#..#.#...#',
  L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##...##...##...##...#',
  N: '#...###..##.#.##..###...##...##...#',
  O: '.###.#...##...##...##...##...#.###.',
  P: '####.#...##...#####.#....#....#....',
  Q: '.###.#...##...##...##.#.##..#..##.#',
  R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.#####....#.....###.....#....#####.',
  T: '#####..#....#....#....#....#....#..',
  U: '#...##...##...##...##...##...#.###.',
  V: '#...##...##...##...##...#.#.#...#..',
  W: '#...##...##...##.#.##.#.##.#.#.#.#.',
  X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..',
  Z: '#####....#...#...#...#...#....#####',
  '0': '.###.#...##..###.#.###..##...#.###.',
  '1': '..#...##....#....#....#....#...###.',
  '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.',
  '4': '...#...##..#.#.#..#.#####...#....#.',
  '5': '#####.....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.',
  '7': '#####....#...#...#...#....#....#...',
  '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..',
  ' ': '...................................',
  '-': '...............' + '.###.' + '...............',
  '.': '..............................##...',
  ',': '....................' + '.##..' + '..#..' + '.#...',
  ':': '......##...##.........##...##......',
  '/': '.....#....#...#...#...#....#.......',
  '#': '.#.#..#.#.#####.#.#.#####.#.#..#.#.',
  '(': '...#...#...#....#....#.....#.....#.',
  ')': '.#.....#.....#....#....#...#...#...',
  '%': '##..###..#...#...#...#...#..###..##',
  '+': '.......#....#..#####..#....#.......',
  '=': '..........#####.....#####..........',
  _: '..............................#####',
  '&': '.##..#..#.#.#...#...#.#.##..#..##.#',
  '?': '.###.#...#....#...#...#.........#..',
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Advance per character, in dots (one dot of space between glyphs). */
export const ADVANCE = 6;

function glyph(ch: string): string {
  const g = GLYPHS[ch.toUpperCase()] ?? GLYPHS['?'];
  return g.padEnd(35, '.');
}

/** Width of `text` in dots. */
export function textWidth(text: string): number {
  return text.length ? text.length * ADVANCE - 1 : 0;
}

/** Calls `dot(col, row)` for every dot of `text`, left to right, row 0 at the top. */
export function forEachDot(text: string, dot: (col: number, row: number) => void): void {
  [...text].forEach((ch, k) => {
    const g = glyph(ch);
    for (let i = 0; i < 35; i++) if (g[i] === '#') dot(k * ADVANCE + (i % 5), Math.floor(i / 5));
  });
}

/** The text as square subpaths (one per dot) at `x, y` (top-left), `size` units per dot. */
export function textSubpaths(text: string, x: number, y: number, size: number): Subpath[] {
  const out: Subpath[] = [];
  forEachDot(text, (col, row) => {
    const x0 = x + col * size;
    const y0 = y + row * size;
    out.push({
      start: { x: x0, y: y0 },
      segments: [
        { kind: 'line', to: { x: x0 + size, y: y0 } },
        { kind: 'line', to: { x: x0 + size, y: y0 + size } },
        { kind: 'line', to: { x: x0, y: y0 + size } },
        { kind: 'line', to: { x: x0, y: y0 } },
      ],
    });
  });
  return out;
}

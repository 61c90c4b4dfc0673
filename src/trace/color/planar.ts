/**
 * Shared boundaries: the colour labels seen as a planar map. Every boundary
 * between two colours (or a colour and transparency) is a lattice chain from
 * one junction to the next — a junction being a lattice point where three or
 * more colours meet, or two meet diagonally — or a closed loop that meets no
 * junction. Each chain is fitted once (src/trace/chain.ts) and every outline
 * that runs along it uses that one curve, forwards or backwards. Shapes built
 * from these outlines therefore meet exactly: no gap, no overlap, at any zoom.
 *
 * An outline is asked for as a set of labels ("inside"): the cutout shape of
 * one colour is that colour alone; a stacked layer is that colour and every
 * colour above it. Either way the outlines follow chains of the same map.
 */
import type { Point, Segment, Subpath } from '../../vector/path.js';
import { fitClosedLoop, fitOpenChain, reverseSegments } from '../chain.js';
import type { MonoTraceOptions } from '../mono.js';

const NONE = 255;
// directions R, D, L, U (y points down)
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

interface FittedChain {
  start: Point;
  segments: Segment[];
}

export class PlanarMap {
  private readonly junction: Uint8Array;
  private readonly cache = new Map<number, FittedChain>();
  private readonly stride: number;

  constructor(
    private readonly labels: Uint8Array,
    private readonly width: number,
    private readonly height: number,
    private readonly options: MonoTraceOptions,
  ) {
    this.stride = width + 1;
    this.junction = new Uint8Array((width + 1) * (height + 1));
    for (let y = 0; y <= height; y++) {
      for (let x = 0; x <= width; x++) {
        const a = this.at(x - 1, y - 1);
        const b = this.at(x, y - 1);
        const c = this.at(x - 1, y);
        const d = this.at(x, y);
        const degree = (a !== b ? 1 : 0) + (c !== d ? 1 : 0) + (a !== c ? 1 : 0) + (b !== d ? 1 : 0);
        if (degree >= 3) this.junction[y * this.stride + x] = 1;
      }
    }
  }

  /** Label of pixel (x, y); outside the image is transparent. */
  private at(x: number, y: number): number {
    return x < 0 || y < 0 || x >= this.width || y >= this.height ? NONE : this.labels[y * this.width + x];
  }

  /** Labels right and left of the step from lattice point (x, y) in direction d. */
  private sides(x: number, y: number, d: number): [number, number] {
    switch (d) {
      case 0:
        return [this.at(x, y), this.at(x, y - 1)];
      case 1:
        return [this.at(x - 1, y), this.at(x, y)];
      case 2:
        return [this.at(x - 1, y - 1), this.at(x - 1, y)];
      default:
        return [this.at(x, y - 1), this.at(x - 1, y - 1)];
    }
  }

  /**
   * The outlines of the pixels whose label is in `inside` (inside[label] = 1),
   * as closed subpaths for the even-odd rule: outer outlines and holes.
   */
  outlines(inside: Uint8Array): Subpath[] {
    const { width, height, stride } = this;
    const isIn = (x: number, y: number) => inside[this.at(x, y)] === 1;
    const visited = new Uint8Array(stride * (height + 1) * 4);
    const out: Subpath[] = [];
    const xs: number[] = [];
    const ys: number[] = [];
    const dirs: number[] = [];
    for (let y0 = 0; y0 < height; y0++) {
      for (let x0 = 0; x0 < width; x0++) {
        // a top edge of an inside pixel starts an outline running right, inside below
        if (!isIn(x0, y0) || isIn(x0, y0 - 1) || visited[(y0 * stride + x0) * 4]) continue;
        xs.length = 0;
        ys.length = 0;
        dirs.length = 0;
        let x = x0;
        let y = y0;
        let d = 0;
        do {
          xs.push(x);
          ys.push(y);
          dirs.push(d);
          visited[(y * stride + x) * 4 + d] = 1;
          x += DX[d];
          y += DY[d];
          // turn by the two pixels ahead: keep inside on the right
          const aheadLeft =
            d === 0 ? isIn(x, y - 1) : d === 1 ? isIn(x, y) : d === 2 ? isIn(x - 1, y) : isIn(x - 1, y - 1);
          const aheadRight =
            d === 0 ? isIn(x, y) : d === 1 ? isIn(x - 1, y) : d === 2 ? isIn(x - 1, y - 1) : isIn(x, y - 1);
          if (aheadLeft && aheadRight) d = (d + 3) % 4;
          else if (!aheadRight) d = (d + 1) % 4; // includes the diagonal case: inside stays 4-connected
        } while (!(x === x0 && y === y0 && d === 0));
        out.push(this.loop(xs, ys, dirs));
      }
    }
    return out;
  }

  /** One outline from its lattice walk: split at junctions, each chain fitted once and shared. */
  private loop(xs: number[], ys: number[], dirs: number[]): Subpath {
    const n = xs.length;
    const cuts: number[] = [];
    for (let k = 0; k < n; k++) if (this.junction[ys[k] * this.stride + xs[k]]) cuts.push(k);
    if (cuts.length === 0) return this.closedChain(xs, ys, dirs);
    const segments: Segment[] = [];
    for (let c = 0; c < cuts.length; c++) {
      const from = cuts[c];
      const to = c + 1 < cuts.length ? cuts[c + 1] : cuts[0] + n;
      segments.push(...this.openChain(xs, ys, dirs, from, to));
    }
    return { start: { x: xs[cuts[0]], y: ys[cuts[0]] }, segments };
  }

  /** Segments of the walk's points from..to (unwrapped indices), fitted in one canonical direction. */
  private openChain(xs: number[], ys: number[], dirs: number[], from: number, to: number): Segment[] {
    const n = xs.length;
    const [right, left] = this.sides(xs[from % n], ys[from % n], dirs[from % n]);
    const forward = right < left;
    const cx = new Int32Array(to - from + 1);
    const cy = new Int32Array(to - from + 1);
    for (let k = from; k <= to; k++) {
      const i = forward ? k - from : to - k;
      cx[i] = xs[k % n];
      cy[i] = ys[k % n];
    }
    // the chain's first directed edge in its canonical direction names it
    const d0 = forward ? dirs[from % n] : (dirs[(to - 1) % n] + 2) % 4;
    const key = ((cy[0] * this.stride + cx[0]) * 4 + d0) * 2;
    let fit = this.cache.get(key);
    if (!fit) {
      fit = { start: { x: cx[0], y: cy[0] }, segments: fitOpenChain(cx, cy, this.options) };
      this.cache.set(key, fit);
    }
    return forward ? fit.segments : reverseSegments(fit.start, fit.segments);
  }

  /** A loop that meets no junction: one closed curve, shared with the colour on its other side. */
  private closedChain(xs: number[], ys: number[], dirs: number[]): Subpath {
    const n = xs.length;
    const [right, left] = this.sides(xs[0], ys[0], dirs[0]);
    const forward = right < left;
    // canonical: the direction with the lower label on the right, starting at the lowest point index
    const order: number[] = [];
    for (let k = 0; k < n; k++) order.push(forward ? k : (n - k) % n);
    let first = 0;
    for (let k = 1; k < n; k++) {
      const a = ys[order[k]] * this.stride + xs[order[k]];
      const b = ys[order[first]] * this.stride + xs[order[first]];
      if (a < b) first = k;
    }
    const cx = new Int32Array(n);
    const cy = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[(first + k) % n];
      cx[k] = xs[i];
      cy[k] = ys[i];
    }
    const key = (cy[0] * this.stride + cx[0]) * 8 + 1; // odd: never an open chain's key
    let fit = this.cache.get(key);
    if (!fit) {
      const sp = fitClosedLoop(cx, cy, this.options);
      fit = { start: sp.start, segments: sp.segments };
      this.cache.set(key, fit);
    }
    return forward
      ? { start: fit.start, segments: fit.segments }
      : { start: fit.start, segments: reverseSegments(fit.start, fit.segments) };
  }
}

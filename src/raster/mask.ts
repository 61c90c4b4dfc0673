/**
 * Long file: the run-based mask primitives (runs, floods, components, nearest sources) share the
 * run representation and its helpers.
 *
 * Binary-mask helpers over width×height Uint8Arrays (1 = set): flood fills,
 * connected components and nearest sources (distances themselves are
 * distance.ts's). Flood fills and labelling work on runs of pixels
 * (union-find over row runs), nearest sources on the band around the
 * sources' edges; queues are typed arrays allocated once
 * per call (or a caller's scratch `queue`, reused across calls on large
 * images); nothing allocates per pixel. (The `_queue` parameters of the
 * run-based helpers are kept for callers that still pass one.)
 */

/**
 * The runs (maximal horizontal stretches) of set pixels, row by row, joined
 * into 4-connected components by union-find: `parent` leads every run to the
 * first run (in raster order) of its component. One read per pixel and work
 * per run, not per pixel, so large areas cost little.
 */
interface Runs {
  count: number;
  /** Pixel index of each run's first pixel, and one past its last. */
  start: Int32Array;
  end: Int32Array;
  parent: Int32Array;
}

function findRun(parent: Int32Array, r: number): number {
  let root = r;
  while (parent[root] !== root) root = parent[root];
  while (parent[r] !== root) {
    const next = parent[r];
    parent[r] = root;
    r = next;
  }
  return root;
}

function collectRuns(
  member: Uint8Array,
  width: number,
  height: number,
  zeros = false,
  exclude: Uint8Array | null = null,
): Runs {
  const n = width * height;
  const sink = new RunSink(width, Math.max(64, Math.min(1 << 16, n >> 4)));
  const memberWords = wordsOf(member);
  const excludeWords = exclude ? wordsOf(exclude) : null;
  let i = 0;
  while (i < n) {
    // the next stretch of set pixels (or, with `zeros`, of clear ones), rows not considered yet
    const s = zeros ? nextZero(member, i, n) : nextSet(member, memberWords, i, n);
    if (s >= n) break;
    const e = zeros ? nextSet(member, memberWords, s, n) : nextZero(member, s, n);
    if (!exclude || !excludeWords) sink.addSpan(s, e);
    else {
      // less its excluded pixels
      let x = s;
      while (x < e) {
        const a = nextZero(exclude, x, e);
        if (a >= e) break;
        const b = nextSet(exclude, excludeWords, a, e);
        sink.addSpan(a, b);
        x = b;
      }
    }
    i = e;
  }
  return sink.runs();
}

/** A 32-bit view of a byte array's whole buffer (for skipping zeros four at a time). */
function wordsOf(a: Uint8Array): Uint32Array {
  return new Uint32Array(a.buffer, 0, a.buffer.byteLength >> 2);
}

/** Index of the first non-zero value of `a` in [from, to), or `to`; `words` is wordsOf(a). */
function nextSet(a: Uint8Array, words: Uint32Array, from: number, to: number): number {
  const base = a.byteOffset;
  let i = from;
  while (i < to && ((base + i) & 3) !== 0) {
    if (a[i]) return i;
    i++;
  }
  let w = (base + i) >> 2;
  const wEnd = (base + to) >> 2;
  while (w < wEnd && words[w] === 0) w++;
  for (i = Math.max(i, (w << 2) - base); i < to; i++) if (a[i]) return i;
  return to;
}

/** Index of the first zero of `a` in [from, to), or `to` (a native search). */
function nextZero(a: Uint8Array, from: number, to: number): number {
  const k = a.indexOf(0, from);
  return k < 0 || k > to ? to : k;
}

/**
 * Collects runs in raster order, splitting spans at row ends, and joins each
 * run with the runs of the row above that share a column (union-find).
 */
class RunSink {
  private start: Int32Array;
  private end: Int32Array;
  private parent: Int32Array;
  private count = 0;
  private row = -1;
  /** This row's runs start at rowFirst; the row above's are prevFirst … prevEnd − 1. */
  private rowFirst = 0;
  private prevFirst = 0;
  private prevEnd = 0;
  private p = 0;
  constructor(
    private readonly width: number,
    cap: number,
  ) {
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.parent = new Int32Array(cap);
  }

  addSpan(s: number, e: number): void {
    const width = this.width;
    while (s < e) {
      const y = (s / width) | 0;
      const rowEnd = (y + 1) * width;
      const stop = Math.min(e, rowEnd);
      this.add(y, s, stop);
      s = stop;
    }
  }

  private add(y: number, s: number, e: number): void {
    if (y !== this.row) {
      // a new row: the previous one is "above" only if it is the row just before
      if (y === this.row + 1) {
        this.prevFirst = this.rowFirst;
        this.prevEnd = this.count;
      } else {
        this.prevFirst = this.count;
        this.prevEnd = this.count;
      }
      this.row = y;
      this.rowFirst = this.count;
      this.p = this.prevFirst;
    }
    if (this.count === this.start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.parent = grow(this.parent);
    }
    const { start, end, parent } = this;
    const r = this.count++;
    start[r] = s;
    end[r] = e;
    parent[r] = r;
    // join the runs above that share a column with this one
    const above = (y - 1) * this.width;
    const sx = s - y * this.width;
    const ex = e - y * this.width;
    let p = this.p;
    while (p < this.prevEnd && end[p] - above <= sx) p++;
    this.p = p;
    for (let q = p; q < this.prevEnd && start[q] - above < ex; q++) {
      const a = findRun(parent, q);
      const b = findRun(parent, r);
      if (a < b) parent[b] = a;
      else if (b < a) parent[a] = b;
    }
  }

  runs(): Runs {
    return { count: this.count, start: this.start, end: this.end, parent: this.parent };
  }
}

/** Sets `mask` to 1 on every pixel 4-connected to the image border through pixels where `passable` is 1. */
export function floodFromBorder(
  passable: Uint8Array,
  width: number,
  height: number,
  _queue?: Int32Array,
): Uint8Array {
  const mask = new Uint8Array(width * height);
  const runs = collectRuns(passable, width, height);
  const { count, start, end, parent } = runs;
  const lastRow = width * (height - 1);
  const touches = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const s = start[r];
    const e = end[r];
    const x0 = s % width;
    if (s < width || s >= lastRow || x0 === 0 || x0 + (e - s) === width) touches[findRun(parent, r)] = 1;
  }
  for (let r = 0; r < count; r++) if (touches[findRun(parent, r)]) mask.fill(1, start[r], end[r]);
  return mask;
}

/**
 * Labels the 4-connected components of pixels where `member` is 1.
 * Returns per-pixel labels (0 = not a member, components numbered from 1 in
 * the raster order of their first pixel) and each component's area (index = label).
 */
export function labelComponents(
  member: Uint8Array,
  width: number,
  height: number,
  _queue?: Int32Array,
): { labels: Int32Array; areas: number[] } {
  return labelRuns(collectRuns(member, width, height), width * height);
}

/** labelComponents of the pixels where `mask` is 0 (without building the inverted mask). */
export function labelZeros(
  mask: Uint8Array,
  width: number,
  height: number,
): { labels: Int32Array; areas: number[] } {
  return labelRuns(collectRuns(mask, width, height, true), width * height);
}

function labelRuns(runs: Runs, n: number): { labels: Int32Array; areas: number[] } {
  const labels = new Int32Array(n);
  const { count, start, end, label, areas } = numberRuns(runs);
  for (let r = 0; r < count; r++) labels.fill(label[r], start[r], end[r]);
  return { labels, areas };
}

/** The 4-connected components of a mask as runs: each row's stretches of member pixels, labelled. */
export interface RunComponents {
  /** Number of runs, in raster order. */
  count: number;
  /** Pixel index of each run's first pixel, and one past its last. */
  start: Int32Array;
  end: Int32Array;
  /** Each run's component, numbered from 1 in the raster order of first pixels (as labelComponents). */
  label: Int32Array;
  /** Each component's area (index = label). */
  areas: number[];
}

/**
 * labelComponents without the per-pixel labels: the runs of pixels where
 * `mask` is set (or, with `zeros`, clear), less those set in `exclude`, and
 * the component of each.
 */
export function runComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  zeros = false,
  exclude: Uint8Array | null = null,
): RunComponents {
  return numberRuns(collectRuns(mask, width, height, zeros, exclude));
}

/** Per-pixel labels (0 elsewhere) from a mask's run components. */
export function fillLabels(runs: RunComponents, n: number): Int32Array {
  const labels = new Int32Array(n);
  for (let r = 0; r < runs.count; r++) labels.fill(runs.label[r], runs.start[r], runs.end[r]);
  return labels;
}

function numberRuns(runs: Runs): RunComponents {
  const { count, start, end, parent } = runs;
  const areas: number[] = [0];
  const label = new Int32Array(count);
  // runs come in raster order, so a component's first run is its first pixel's: number it then
  const labelOf = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const root = findRun(parent, r);
    let l = labelOf[root];
    if (!l) {
      l = areas.length;
      labelOf[root] = l;
      areas.push(0);
    }
    label[r] = l;
    areas[l] += end[r] - start[r];
  }
  return { count, start, end, label, areas };
}

/**
 * A mask as each row's runs: flat [start, end) pairs of x (end exclusive),
 * sorted, rows in order; `total` counts the runs. Erosion, dilation and floods
 * by a square are set algebra on these (along the row, then across rows).
 */
export class RowRuns {
  readonly runs: number[][];
  total = 0;
  constructor(height: number) {
    this.runs = new Array<number[]>(height);
  }
  row(y: number): number[] {
    return this.runs[y];
  }
  setRow(y: number, r: number[]): void {
    this.runs[y] = r;
    this.total += r.length >> 1;
  }
}

/** The runs of set pixels in each row of a mask. */
export function rowRuns(mask: Uint8Array, width: number, height: number): RowRuns {
  const n = width * height;
  const rows: number[][] = [];
  for (let y = 0; y < height; y++) rows.push([]);
  const words = wordsOf(mask);
  let i = 0;
  while (i < n) {
    const s = nextSet(mask, words, i, n);
    if (s >= n) break;
    const e = nextZero(mask, s, n);
    // split at row ends
    for (let a = s; a < e; ) {
      const y = (a / width) | 0;
      const row = y * width;
      const b = Math.min(e, row + width);
      rows[y].push(a - row, b - row);
      a = b;
    }
    i = e;
  }
  const out = new RowRuns(height);
  for (let y = 0; y < height; y++) out.setRow(y, rows[y]);
  return out;
}

/** The pixels set in exactly one of two sorted run lists (the boundaries where a row changes). */
export function xorRuns(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  let inA = false;
  let inB = false;
  let openAt = -1;
  while (i < a.length || j < b.length) {
    const x = Math.min(
      i < a.length ? a[i] : Number.POSITIVE_INFINITY,
      j < b.length ? b[j] : Number.POSITIVE_INFINITY,
    );
    while (i < a.length && a[i] === x) {
      inA = !inA;
      i++;
    }
    while (j < b.length && b[j] === x) {
      inB = !inB;
      j++;
    }
    const odd = inA !== inB;
    if (odd && openAt < 0) openAt = x;
    else if (!odd && openAt >= 0) {
      out.push(openAt, x);
      openAt = -1;
    }
  }
  return out;
}

/**
 * Each run less a pixel at each end, except at the canvas edge (beyond which
 * counts as set): the row half of a 3×3 erosion. Empty runs are dropped.
 */
export function shrinkRuns(rows: RowRuns, width: number, height: number): RowRuns {
  const out = new RowRuns(height);
  for (let y = 0; y < height; y++) {
    const src = rows.row(y);
    const r: number[] = [];
    for (let k = 0; k < src.length; k += 2) {
      const s = src[k] === 0 ? 0 : src[k] + 1;
      const e = src[k + 1] === width ? width : src[k + 1] - 1;
      if (s < e) r.push(s, e);
    }
    out.setRow(y, r);
  }
  return out;
}

/** The intersection of two sorted run lists. */
export function intersectRuns(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s < e) out.push(s, e);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

/** The union of two sorted run lists (touching runs merged). */
export function unionRuns(a: number[], b: number[]): number[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let s: number;
    let e: number;
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      s = a[i];
      e = a[i + 1];
      i += 2;
    } else {
      s = b[j];
      e = b[j + 1];
      j += 2;
    }
    if (out.length && s <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], e);
    else out.push(s, e);
  }
  return out;
}

/** The runs 4-connected to the canvas border (union-find over runs; rows overlap when they share a column). */
export function borderConnected(rows: RowRuns, width: number, height: number): RowRuns {
  let total = 0;
  for (let y = 0; y < height; y++) total += rows.row(y).length >> 1;
  const parent = new Int32Array(total);
  const first = new Int32Array(height + 1);
  let id = 0;
  for (let y = 0; y < height; y++) {
    first[y] = id;
    const cur = rows.row(y);
    const prev = y > 0 ? rows.row(y - 1) : [];
    const prevFirst = y > 0 ? first[y - 1] : 0;
    let p = 0;
    for (let k = 0; k < cur.length; k += 2, id++) {
      parent[id] = id;
      const s = cur[k];
      const e = cur[k + 1];
      while (p < prev.length && prev[p + 1] <= s) p += 2;
      for (let q = p; q < prev.length && prev[q] < e; q += 2) {
        const a = findRun(parent, prevFirst + (q >> 1));
        const b = findRun(parent, id);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
    }
  }
  first[height] = id;
  const touches = new Uint8Array(id);
  for (let y = 0; y < height; y++) {
    const cur = rows.row(y);
    for (let k = 0; k < cur.length; k += 2) {
      if (y === 0 || y === height - 1 || cur[k] === 0 || cur[k + 1] === width)
        touches[findRun(parent, first[y] + (k >> 1))] = 1;
    }
  }
  const out = new RowRuns(height);
  for (let y = 0; y < height; y++) {
    const cur = rows.row(y);
    const r: number[] = [];
    for (let k = 0; k < cur.length; k += 2)
      if (touches[findRun(parent, first[y] + (k >> 1))]) r.push(cur[k], cur[k + 1]);
    out.setRow(y, r);
  }
  return out;
}

/** Sets the runs' pixels to 1 in `out`. */
export function fillRuns(out: Uint8Array, rows: RowRuns, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    const r = rows.row(y);
    for (let k = 0; k < r.length; k += 2) out.fill(1, y * width + r[k], y * width + r[k + 1]);
  }
}

/**
 * Multi-source breadth-first propagation: every pixel within `maxSteps`
 * (8-neighbour steps) of a source gets the index of its nearest source, others -1.
 * Ties go to the source first in raster order (breadth-first from the sources in
 * that order, neighbours visited row by row).
 */
export function nearestSource(
  source: Uint8Array,
  width: number,
  height: number,
  maxSteps: number,
  queue: Int32Array = new Int32Array(width * height),
): Int32Array {
  const n = width * height;
  const nearest = new Int32Array(n).fill(-1);
  const steps = new Uint8Array(n);
  const last = width - 1;
  const lastRow = n - width;
  let tail = 0;
  for (let i = 0; i < n; i++) if (source[i]) nearest[i] = i;
  // only sources with a non-source neighbour can reach anything: the others' neighbours
  // are all sources already, so queueing them would change nothing
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const y0 = y > 0 ? -width : 0;
    const y1 = y < height - 1 ? width : 0;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!source[i]) continue;
      const x0 = x > 0 ? -1 : 0;
      const x1 = x < last ? 1 : 0;
      let open = false;
      for (let dy = y0; dy <= y1 && !open; dy += width) {
        for (let dx = x0; dx <= x1; dx++) {
          if (nearest[i + dy + dx] < 0) {
            open = true;
            break;
          }
        }
      }
      if (open) queue[tail++] = i;
    }
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const s = steps[i] + 1;
    if (s > maxSteps) continue;
    const src = nearest[i];
    const x = i % width;
    if (x > 0 && x < last && i >= width && i < lastRow) {
      // away from the canvas edge: the 8 neighbours, row by row, without bounds checks
      let j = i - width - 1;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j++;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j++;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j = i - 1;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j = i + 1;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j = i + width - 1;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j++;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      j++;
      if (nearest[j] < 0) {
        nearest[j] = src;
        steps[j] = s;
        queue[tail++] = j;
      }
      continue;
    }
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        if (nearest[j] < 0) {
          nearest[j] = src;
          steps[j] = s;
          queue[tail++] = j;
        }
      }
    }
  }
  return nearest;
}

/** The k-th 4-neighbour (0 left, 1 right, 2 up, 3 down) of pixel i, or -1 off the canvas. */
export function neighbour4(i: number, k: number, width: number, n: number): number {
  const x = i % width;
  const j =
    k === 0 ? (x > 0 ? i - 1 : -1) : k === 1 ? (x < width - 1 ? i + 1 : -1) : k === 2 ? i - width : i + width;
  return j >= 0 && j < n ? j : -1;
}

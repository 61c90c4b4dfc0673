/** Connected regions of a label map, shared by the colour map's cleanup and the gradient detection. */

/**
 * 4-connected regions of equal value: region id per pixel, each region's area,
 * and every region's pixels contiguous in `pixels` from `starts[id]`.
 */
export function regions(
  values: Uint8Array,
  width: number,
  height: number,
): { ids: Int32Array; areas: number[]; starts: number[]; pixels: Int32Array } {
  const ids = new Int32Array(values.length).fill(-1);
  const queue = new Int32Array(values.length);
  const areas: number[] = [];
  const starts: number[] = [];
  let tail = 0;
  const lastRow = width * (height - 1);
  for (let s = 0; s < values.length; s++) {
    if (ids[s] >= 0) continue;
    const id = areas.length;
    const v = values[s];
    const start = tail;
    ids[s] = id;
    queue[tail++] = s;
    // breadth-first, written out without a closure: this loop runs for every pixel
    for (let h = start; h < tail; h++) {
      const i = queue[h];
      const x = i % width;
      let j = i - 1;
      if (x > 0 && ids[j] < 0 && values[j] === v) {
        ids[j] = id;
        queue[tail++] = j;
      }
      j = i + 1;
      if (x < width - 1 && ids[j] < 0 && values[j] === v) {
        ids[j] = id;
        queue[tail++] = j;
      }
      j = i - width;
      if (i >= width && ids[j] < 0 && values[j] === v) {
        ids[j] = id;
        queue[tail++] = j;
      }
      j = i + width;
      if (i < lastRow && ids[j] < 0 && values[j] === v) {
        ids[j] = id;
        queue[tail++] = j;
      }
    }
    areas.push(tail - start);
    starts.push(start);
  }
  return { ids, areas, starts, pixels: queue };
}

/**
 * The same 4-connected regions as `regions`, as row runs joined by union-find
 * (much cheaper than a flood over every pixel): `runs` holds each run's start
 * pixel, end pixel (exclusive) and the run index of its region's root, run by
 * run in scan order; `area[root]` is a region's pixel count and
 * `edge[root]` = 1 when it touches the image border.
 */
export function regionRuns(
  values: Uint8Array,
  width: number,
  height: number,
): {
  count: number;
  start: Int32Array;
  end: Int32Array;
  root: Int32Array;
  area: Int32Array;
  edge: Uint8Array;
} {
  // a run has one pixel at least: never more runs than pixels
  const start = new Int32Array(values.length);
  const end = new Int32Array(values.length);
  const parent = new Int32Array(values.length);
  let count = 0;
  let prevFirst = 0;
  for (let y = 0; y < height; y++) {
    const rowStart = y * width;
    const rowEnd = rowStart + width;
    const first = count;
    let p = prevFirst;
    let i = rowStart;
    while (i < rowEnd) {
      const v = values[i];
      let j = i + 1;
      while (j < rowEnd && values[j] === v) j++;
      const r = count++;
      start[r] = i;
      end[r] = j;
      parent[r] = r;
      if (y > 0) {
        // runs of the row above overlapping columns [i, j): join those of the same value
        const a = i - width;
        const b = j - width;
        while (p < first && end[p] <= a) p++;
        for (let q = p; q < first && start[q] < b; q++) {
          if (values[start[q]] !== v) continue;
          let ra = r;
          while (parent[ra] !== ra) ra = parent[ra];
          let rb = q;
          while (parent[rb] !== rb) {
            parent[rb] = parent[parent[rb]];
            rb = parent[rb];
          }
          if (ra !== rb) {
            if (ra < rb) parent[rb] = ra;
            else parent[ra] = rb;
          }
        }
      }
      i = j;
    }
    prevFirst = first;
  }
  const root = new Int32Array(count);
  const area = new Int32Array(count);
  const edge = new Uint8Array(count);
  const lastRow = width * (height - 1);
  for (let r = 0; r < count; r++) {
    let q = parent[r];
    while (parent[q] !== q) q = parent[q];
    parent[r] = q;
    root[r] = q;
    const s = start[r];
    const e = end[r];
    area[q] += e - s;
    if (s < width || s >= lastRow || s % width === 0 || e % width === 0) edge[q] = 1;
  }
  return { count, start, end, root, area, edge };
}

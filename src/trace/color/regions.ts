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

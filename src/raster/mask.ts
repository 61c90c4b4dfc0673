/**
 * Binary-mask helpers over width×height Uint8Arrays (1 = set): flood fills,
 * connected components and a bounded chessboard distance. Queues are typed
 * arrays allocated once per call (or a caller's scratch `queue`, reused across
 * calls on large images); nothing allocates per pixel.
 */

/** Sets `mask` to 1 on every pixel 4-connected to the image border through pixels where `passable` is 1. */
export function floodFromBorder(
  passable: Uint8Array,
  width: number,
  height: number,
  queue: Int32Array = new Int32Array(width * height),
): Uint8Array {
  const mask = new Uint8Array(width * height);
  let tail = 0;
  const seed = (i: number) => {
    if (passable[i] && !mask[i]) {
      mask[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const x = i % width;
    if (x > 0) seed(i - 1);
    if (x < width - 1) seed(i + 1);
    if (i >= width) seed(i - width);
    if (i < width * (height - 1)) seed(i + width);
  }
  return mask;
}

/**
 * Labels the 4-connected components of pixels where `member` is 1.
 * Returns per-pixel labels (0 = not a member, components numbered from 1)
 * and each component's area (index = label).
 */
export function labelComponents(
  member: Uint8Array,
  width: number,
  height: number,
  queue: Int32Array = new Int32Array(width * height),
): { labels: Int32Array; areas: number[] } {
  const labels = new Int32Array(width * height);
  const areas: number[] = [0];
  const lastRow = width * (height - 1);
  for (let start = 0; start < member.length; start++) {
    if (!member[start] || labels[start]) continue;
    const label = areas.length;
    let tail = 0;
    labels[start] = label;
    queue[tail++] = start;
    // breadth-first, written out without a closure: this loop runs for every pixel
    for (let head = 0; head < tail; head++) {
      const i = queue[head];
      const x = i % width;
      let j = i - 1;
      if (x > 0 && member[j] && !labels[j]) {
        labels[j] = label;
        queue[tail++] = j;
      }
      j = i + 1;
      if (x < width - 1 && member[j] && !labels[j]) {
        labels[j] = label;
        queue[tail++] = j;
      }
      j = i - width;
      if (i >= width && member[j] && !labels[j]) {
        labels[j] = label;
        queue[tail++] = j;
      }
      j = i + width;
      if (i < lastRow && member[j] && !labels[j]) {
        labels[j] = label;
        queue[tail++] = j;
      }
    }
    areas.push(tail);
  }
  return { labels, areas };
}

/**
 * Chessboard (8-neighbour) distance from the nearest pixel where `source` is 1,
 * capped at `maxDist` (pixels farther away get maxDist + 1). Two raster passes
 * (a chamfer transform with unit weights is exact for this metric): no queue,
 * and the cost does not grow with the number of source pixels.
 */
export function boundedDistance(
  source: Uint8Array,
  width: number,
  height: number,
  maxDist: number,
): Uint8Array {
  const far = Math.min(255, maxDist + 1);
  const n = width * height;
  const dist = new Uint8Array(n);
  for (let i = 0; i < n; i++) dist[i] = source[i] ? 0 : far;
  // forward: left, up-left, up, up-right
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      let d = dist[i];
      if (d === 0) continue;
      if (x > 0 && dist[i - 1] + 1 < d) d = dist[i - 1] + 1;
      if (y > 0) {
        const u = i - width;
        if (dist[u] + 1 < d) d = dist[u] + 1;
        if (x > 0 && dist[u - 1] + 1 < d) d = dist[u - 1] + 1;
        if (x < width - 1 && dist[u + 1] + 1 < d) d = dist[u + 1] + 1;
      }
      dist[i] = d;
    }
  }
  // backward: right, down-right, down, down-left
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width;
    for (let x = width - 1; x >= 0; x--) {
      const i = row + x;
      let d = dist[i];
      if (d === 0) continue;
      if (x < width - 1 && dist[i + 1] + 1 < d) d = dist[i + 1] + 1;
      if (y < height - 1) {
        const b = i + width;
        if (dist[b] + 1 < d) d = dist[b] + 1;
        if (x > 0 && dist[b - 1] + 1 < d) d = dist[b - 1] + 1;
        if (x < width - 1 && dist[b + 1] + 1 < d) d = dist[b + 1] + 1;
      }
      dist[i] = d;
    }
  }
  return dist;
}

/**
 * Multi-source breadth-first propagation: every pixel within `maxSteps`
 * (8-neighbour steps) of a source gets the index of its nearest source, others -1.
 */
export function nearestSource(
  source: Uint8Array,
  width: number,
  height: number,
  maxSteps: number,
  queue: Int32Array = new Int32Array(width * height),
): Int32Array {
  const nearest = new Int32Array(width * height).fill(-1);
  const steps = new Uint8Array(width * height);
  let tail = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i]) {
      nearest[i] = i;
      queue[tail++] = i;
    }
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const s = steps[i] + 1;
    if (s > maxSteps) continue;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        if (nearest[j] < 0) {
          nearest[j] = nearest[i];
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

/**
 * The skeleton of an ink mask as a graph of strokes: Zhang–Suen thinning
 * (T. Y. Zhang and C. Y. Suen, "A fast parallel algorithm for thinning digital
 * patterns", CACM 1984, written from the paper), staircase corners removed so
 * that the skeleton is one pixel wide in the 8-connected sense, then walked
 * into chains between nodes: ends (one neighbour) and junctions (three or more;
 * neighbouring junction pixels are one node). Loops that meet no node are
 * closed chains. Spurs — short branches from a junction to an end, left by
 * bumps of a noisy edge — are pruned, and junctions joined by a chain shorter
 * than the stroke (the two-node X a thinning leaves) are merged.
 */
import type { Point } from '../../vector/path.js';

export interface Chain {
  /** Pixel centres from one node to the other (or round a loop), in image pixels. */
  points: Point[];
  closed: boolean;
  /** Node ids at each end (−1 for a loop). */
  from: number;
  to: number;
}

export interface SkeletonGraph {
  chains: Chain[];
  /** Node positions (pixel centres; a junction's is its pixels' mean). */
  nodes: Point[];
}

const DX = [0, 1, 1, 1, 0, -1, -1, -1];
const DY = [-1, -1, 0, 1, 1, 1, 0, -1];

/** Zhang–Suen thinning of `mask` (1 = ink) in place. */
export function thin(mask: Uint8Array, width: number, height: number): void {
  const at = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height ? mask[y * width + x] : 0;
  let candidates: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) candidates.push(i);
  const p = new Uint8Array(8);
  /** Fills p with pixel i's ring of eight (N, NE, E, …, NW); returns how many are set. */
  const readRing = (i: number): number => {
    const x = i % width;
    const y = (i - x) / width;
    let count = 0;
    for (let k = 0; k < 8; k++) {
      p[k] = at(x + DX[k], y + DY[k]);
      count += p[k];
    }
    return count;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const step of [0, 1]) {
      const remove: number[] = [];
      for (const i of candidates) {
        if (!mask[i]) continue;
        const count = readRing(i);
        if (count < 2 || count > 6) continue;
        let transitions = 0;
        for (let k = 0; k < 8; k++) if (!p[k] && p[(k + 1) % 8]) transitions++;
        if (transitions !== 1) continue;
        // p[0] N, p[2] E, p[4] S, p[6] W
        if (step === 0 ? p[0] * p[2] * p[4] || p[2] * p[4] * p[6] : p[0] * p[2] * p[6] || p[0] * p[4] * p[6])
          continue;
        remove.push(i);
      }
      for (const i of remove) mask[i] = 0;
      if (remove.length) changed = true;
    }
    candidates = candidates.filter((i) => mask[i]);
  }
  // Zhang–Suen leaves knots two pixels thick (diagonals, crossings) and staircase corners: remove
  // every pixel whose neighbours stay one 8-connected group without it (a simple point that is not
  // an end), one at a time, until none is left — connectivity and ends are kept, width goes to one
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of candidates) {
      if (!mask[i]) continue;
      if (readRing(i) < 2 || ringGroups(p) !== 1) continue;
      mask[i] = 0;
      changed = true;
    }
    candidates = candidates.filter((i) => mask[i]);
  }
}

/**
 * How many 8-connected groups the set neighbours of a pixel form (ring order N, NE, E, SE, S,
 * SW, W, NW): ring neighbours touch, and so do two orthogonal ones a quarter turn apart (N and E).
 */
function ringGroups(p: Uint8Array): number {
  const parent = [0, 1, 2, 3, 4, 5, 6, 7];
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a];
    return a;
  };
  const join = (a: number, b: number) => {
    if (p[a] && p[b]) parent[find(a)] = find(b);
  };
  for (let k = 0; k < 8; k++) {
    join(k, (k + 1) % 8);
    if (k % 2 === 0) join(k, (k + 2) % 8);
  }
  const roots = new Set<number>();
  for (let k = 0; k < 8; k++) if (p[k]) roots.add(find(k));
  return roots.size;
}

/** The skeleton (1-px wide mask) walked into chains between nodes. */
export function skeletonGraph(skeleton: Uint8Array, width: number, height: number): SkeletonGraph {
  const n = width * height;
  const degree = new Uint8Array(n);
  const neighbours = (i: number): number[] => {
    const x = i % width;
    const y = (i - x) / width;
    const out: number[] = [];
    for (let k = 0; k < 8; k++) {
      const xx = x + DX[k];
      const yy = y + DY[k];
      if (xx >= 0 && yy >= 0 && xx < width && yy < height && skeleton[yy * width + xx])
        out.push(yy * width + xx);
    }
    return out;
  };
  // a pixel's degree: how many separate runs of skeleton its ring of 8 neighbours holds (two
  // neighbours side by side, such as E and NE on a staircase, are one branch, not two)
  const ring = (i: number): number => {
    const x = i % width;
    const y = (i - x) / width;
    const set = (k: number) => {
      const xx = x + DX[k % 8];
      const yy = y + DY[k % 8];
      return xx >= 0 && yy >= 0 && xx < width && yy < height && skeleton[yy * width + xx] ? 1 : 0;
    };
    let runs = 0;
    for (let k = 0; k < 8; k++) if (!set(k) && set(k + 1)) runs++;
    return runs;
  };
  const set = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && skeleton[y * width + x] === 1;
  const inBlock = (i: number): boolean => {
    const x = i % width;
    const y = (i - x) / width;
    for (const [dx, dy] of [
      [-1, -1],
      [0, -1],
      [-1, 0],
      [0, 0],
    ])
      if (
        set(x + dx, y + dy) &&
        set(x + dx + 1, y + dy) &&
        set(x + dx, y + dy + 1) &&
        set(x + dx + 1, y + dy + 1)
      )
        return true;
    return false;
  };
  const pixels: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!skeleton[i]) continue;
    pixels.push(i);
    // a 2×2 block is where two strokes cross (thinning cannot take a pixel of it without
    // cutting an arm off): its pixels are a junction whatever their rings say
    degree[i] = inBlock(i) ? Math.max(3, ring(i)) : ring(i);
  }
  // nodes: each end pixel; each 8-connected cluster of junction pixels
  const node = new Int32Array(n).fill(-1);
  const nodes: Point[] = [];
  const centre = (i: number): Point => ({ x: (i % width) + 0.5, y: Math.floor(i / width) + 0.5 });
  for (const i of pixels) {
    if (node[i] >= 0 || degree[i] === 2) continue;
    const id = nodes.length;
    if (degree[i] !== 2 && degree[i] < 3) {
      node[i] = id;
      nodes.push(centre(i));
      continue;
    }
    const cluster = [i];
    node[i] = id;
    for (let k = 0; k < cluster.length; k++) {
      for (const j of neighbours(cluster[k])) {
        if (node[j] < 0 && degree[j] >= 3) {
          node[j] = id;
          cluster.push(j);
        }
      }
    }
    const sx = cluster.reduce((s, c) => s + centre(c).x, 0);
    const sy = cluster.reduce((s, c) => s + centre(c).y, 0);
    nodes.push({ x: sx / cluster.length, y: sy / cluster.length });
  }
  const visited = new Uint8Array(n);
  const rank = (from: number, j: number) =>
    node[j] >= 0 ? 0 : Math.abs(j - from) === 1 || Math.abs(j - from) === width ? 1 : 2;
  const chains: Chain[] = [];
  const walk = (startNode: number, first: number, from: number): void => {
    const points: Point[] = [nodes[startNode]];
    let prev = from;
    let cur = first;
    for (;;) {
      if (node[cur] >= 0) {
        points.push(nodes[node[cur]]);
        chains.push({ points, closed: false, from: startNode, to: node[cur] });
        return;
      }
      visited[cur] = 1;
      points.push(centre(cur));
      const next = neighbours(cur).filter((j) => j !== prev && (node[j] >= 0 || !visited[j]));
      // prefer a node (ends the chain), then a 4-neighbour (the staircase's own next step: a
      // diagonal first would skip a pixel and leave it behind as a stray)
      next.sort((a, b) => rank(cur, a) - rank(cur, b));
      if (!next.length) {
        chains.push({ points, closed: false, from: startNode, to: -1 });
        return;
      }
      prev = cur;
      cur = next[0];
    }
  };
  for (const i of pixels) {
    if (node[i] < 0) continue;
    for (const j of neighbours(i)) {
      if (node[j] === node[i]) continue;
      if (node[j] >= 0) {
        // two nodes side by side: a chain of length one, once
        if (node[j] > node[i])
          chains.push({
            points: [nodes[node[i]], nodes[node[j]]],
            closed: false,
            from: node[i],
            to: node[j],
          });
        continue;
      }
      if (!visited[j]) walk(node[i], j, i);
    }
  }
  // a dot (a blob thinned to a pixel or a 2×2 knot, no chain at all): a stroke of no length,
  // which a pen or a beam marks
  const used = new Set(chains.flatMap((c) => [c.from, c.to]));
  nodes.forEach((p, id) => {
    if (!used.has(id)) chains.push({ points: [p, p], closed: false, from: id, to: id });
  });
  // loops meeting no node: a walk that comes back next to where it started
  for (const i of pixels) {
    if (visited[i] || node[i] >= 0) continue;
    const points: Point[] = [];
    let prev = -1;
    let cur = i;
    let last = i;
    while (cur >= 0 && !visited[cur]) {
      visited[cur] = 1;
      points.push(centre(cur));
      last = cur;
      const next = neighbours(cur).filter((j) => j !== prev && !visited[j]);
      next.sort((a, b) => rank(cur, a) - rank(cur, b));
      prev = cur;
      cur = next.length ? next[0] : -1;
    }
    const back = points.length >= 8 && neighbours(last).includes(i);
    // anything else is a stray left beside a chain (a staircase's spare pixel): dropped
    if (back) chains.push({ points, closed: true, from: -1, to: -1 });
  }
  return { chains, nodes };
}

/**
 * Removes spurs (a chain from a junction to a free end shorter than `spurPx`) and merges
 * junctions joined by a chain shorter than `mergePx`; repeats while anything changes.
 */
export function pruneGraph(graph: SkeletonGraph, spurPx: number, mergePx: number): SkeletonGraph {
  let chains = [...graph.chains];
  const nodes = graph.nodes.map((p) => ({ ...p }));
  const length = (c: Chain) => {
    let s = 0;
    for (let k = 1; k < c.points.length; k++)
      s += Math.hypot(c.points[k].x - c.points[k - 1].x, c.points[k].y - c.points[k - 1].y);
    return s;
  };
  // a walk that ran into pixels another chain had taken ends loose (−1) beside a junction: tie it there
  const uses = new Map<number, number>();
  for (const c of chains) for (const id of [c.from, c.to]) uses.set(id, (uses.get(id) ?? 0) + 1);
  chains = chains.map((c) => {
    if (c.closed || (c.from >= 0 && c.to >= 0)) return c;
    const tie = (p: Point) => {
      let best = -1;
      let bestD = mergePx;
      nodes.forEach((q, id) => {
        const d = Math.hypot(q.x - p.x, q.y - p.y);
        if (d < bestD && (uses.get(id) ?? 0) >= 2) {
          bestD = d;
          best = id;
        }
      });
      return best;
    };
    const points = [...c.points];
    const from = c.from < 0 ? tie(points[0]) : c.from;
    const to = c.to < 0 ? tie(points[points.length - 1]) : c.to;
    if (c.from < 0 && from >= 0) points.unshift(nodes[from]);
    if (c.to < 0 && to >= 0) points.push(nodes[to]);
    return { ...c, from, to, points };
  });
  for (let changed = true; changed; ) {
    changed = false;
    const degree = new Map<number, number>();
    for (const c of chains) {
      if (c.closed) continue;
      degree.set(c.from, (degree.get(c.from) ?? 0) + 1);
      degree.set(c.to, (degree.get(c.to) ?? 0) + 1);
    }
    const isEnd = (id: number) => id < 0 || degree.get(id) === 1;
    // junction pairs closer than the stroke: one node at their middle
    const short = chains.find(
      (c) => !c.closed && c.from !== c.to && !isEnd(c.from) && !isEnd(c.to) && length(c) < mergePx,
    );
    if (short) {
      const a = short.from;
      const b = short.to;
      nodes[a] = { x: (nodes[a].x + nodes[b].x) / 2, y: (nodes[a].y + nodes[b].y) / 2 };
      chains = chains
        .filter((c) => c !== short)
        .map((c) => {
          if (c.closed) return c;
          const from = c.from === b ? a : c.from;
          const to = c.to === b ? a : c.to;
          const points = [...c.points];
          if (from === a) points[0] = nodes[a];
          if (to === a) points[points.length - 1] = nodes[a];
          return { ...c, from, to, points };
        });
      chains = joinThrough(chains);
      changed = true;
      continue;
    }
    // spurs: one end free, the other at a junction of three or more
    const keep = chains.filter((c) => {
      if (c.closed) return true;
      const spur =
        (isEnd(c.to) && (degree.get(c.from) ?? 0) >= 3) || (isEnd(c.from) && (degree.get(c.to) ?? 0) >= 3);
      // a knot's tiny loop from a junction back to itself (what merging a knot's nodes leaves)
      const knot = c.from === c.to && c.from >= 0 && c.points.length > 2 && length(c) < 3 * mergePx;
      return !((spur && length(c) < spurPx) || knot);
    });
    if (keep.length !== chains.length) {
      chains = keep;
      changed = true;
      chains = joinThrough(chains);
    }
  }
  return { chains, nodes };
}

/** Chains meeting at a node of degree two (a junction whose spur was pruned) become one. */
function joinThrough(chains: Chain[]): Chain[] {
  let out = [...chains];
  for (let joined = true; joined; ) {
    joined = false;
    const degree = new Map<number, Chain[]>();
    for (const c of out) {
      if (c.closed) continue;
      for (const id of [c.from, c.to]) if (id >= 0) degree.set(id, [...(degree.get(id) ?? []), c]);
    }
    for (const [id, list] of degree) {
      if (list.length !== 2 || list[0] === list[1]) continue;
      const [a, b] = list;
      const pa = a.to === id ? a.points : [...a.points].reverse();
      const pb = b.from === id ? b.points : [...b.points].reverse();
      const from = a.to === id ? a.from : a.to;
      const to = b.from === id ? b.to : b.from;
      const merged: Chain =
        from === to && from >= 0
          ? { points: [...pa, ...pb.slice(1, -1)], closed: true, from: -1, to: -1 }
          : { points: [...pa, ...pb.slice(1)], closed: false, from, to };
      out = [...out.filter((c) => c !== a && c !== b), merged];
      joined = true;
      break;
    }
  }
  return out;
}

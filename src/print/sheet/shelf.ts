/**
 * The plain way to fill a sheet, kept as the yardstick of nest.ts and as its
 * fallback: boxes in rows ("shelves", next-fit), left to right, a new shelf
 * under the tallest box of the last one, every box `gap` from the next and
 * moved right past any keep-out it would touch.
 */
import type { MmBox, NestGrid, NestItem, Placement, Rotation } from './nest.js';
import { rotatedSize } from './nest.js';

function overlaps(a: MmBox, b: MmBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Places items in the order of `queue` (item indices, repeats allowed), every one
 * turned by `rotation`, until the first that no longer fits; returns the placements.
 */
export function shelfPack(
  items: readonly NestItem[],
  queue: readonly number[],
  grid: NestGrid,
  rotation: Rotation,
): Placement[] {
  const p = grid.printable;
  const out: Placement[] = [];
  let x = p.x;
  let y = p.y;
  let shelf = 0;
  for (const id of queue) {
    const size = rotatedSize(items[id], rotation);
    if (size.width > p.width) return out;
    for (;;) {
      if (x + size.width > p.x + p.width) {
        y += shelf + grid.gap;
        x = p.x;
        shelf = 0;
      }
      if (y + size.height > p.y + p.height) return out;
      const box = { x, y, width: size.width, height: size.height };
      const hit = grid.keepOut.find((k) => overlaps(k, box));
      if (!hit) break;
      x = hit.x + hit.width;
    }
    out.push({ item: id, rotation, x, y });
    x += size.width + grid.gap;
    shelf = Math.max(shelf, size.height);
  }
  return out;
}

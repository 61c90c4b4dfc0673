/**
 * The worker-thread side of the engine (run by piscina): a task is either the
 * shared cutout of a logo or one variation (or some parts of a fanned-out one). Pixels arrive in
 * SharedArrayBuffers (no copy); files go back as buffers. Every error a task
 * raises is returned as `{ ok: false, code, message }`, so that the pool can
 * tell a task's own failure (final) from a dead worker (retried).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { toLogomillError } from '../errors.js';
import { crop } from '../raster/geometry.js';
import { findVariation } from '../variations/registry.js';
import type { CutoutSettings, OutputFile } from '../variations/types.js';
import type { Warning } from '../warnings.js';
import { computeCutout, createLogoContext } from './logo-context.js';
import type { WorkerReply } from './pool.js';
import { type SharedCutout, type SharedImage, shareCutout, unshare } from './shared-image.js';

// one libvips thread per worker: MAX_WORKERS workers then use MAX_WORKERS cores, not more;
// no libvips operation cache: every pipeline here runs once, a cache only holds memory
sharp.concurrency(1);
sharp.cache(false);

// A large image's working planes are typed arrays that V8 frees only when it next collects;
// collecting right after a large task keeps one task's garbage out of the next one's peak.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const LARGE = 4_000_000; // pixels

export type WorkerTask =
  | { kind: 'ping' }
  | { kind: 'cutout'; image: SharedImage; settings: CutoutSettings }
  | {
      kind: 'variation';
      image: SharedImage;
      sourceFormat: string;
      settings: CutoutSettings;
      cutout: SharedCutout | null;
      variation: string;
      /** One options object per part of a fanned-out variation (one for a whole run); files come back per part. */
      parts: Record<string, unknown>[];
    };

/** A variation task's reply: files per part, and the warnings raised along the way. */
export interface PartsReply {
  files: OutputFile[][];
  warnings: Warning[];
}

export default async function runTask(task: WorkerTask): Promise<WorkerReply<SharedCutout | PartsReply>> {
  try {
    return await run(task);
  } finally {
    if (task.kind !== 'ping' && task.image.width * task.image.height >= LARGE) collect();
  }
}

async function run(task: WorkerTask): Promise<WorkerReply<SharedCutout | PartsReply>> {
  try {
    if (task.kind === 'ping') return { ok: true, value: { files: [], warnings: [] } };
    const image = unshare(task.image);
    if (task.kind === 'cutout')
      return { ok: true, value: shareCutout(computeCutout({ image }, task.settings)) };
    const variation = findVariation(task.variation);
    if (!variation) throw new Error(`unknown variation ${task.variation}`);
    const c = task.cutout;
    const cutout = c ? { ...c, full: unshare(c.full), art: crop(unshare(c.full), c.bounds) } : undefined;
    const logo = createLogoContext({ image, format: task.sourceFormat }, task.settings, cutout);
    const files: OutputFile[][] = [];
    const warnings: Warning[] = [];
    const warn = (code: Warning['code'], message: string) =>
      warnings.push({ code, message, variation: variation.id });
    for (const options of task.parts) files.push(await variation.run({ logo, options, warn }));
    return { ok: true, value: { files, warnings } };
  } catch (err) {
    const e = toLogomillError(err);
    return { ok: false, code: e.code, message: e.message };
  }
}

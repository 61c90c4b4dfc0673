/**
 * What one task of a job does, wherever it runs (a pool worker, or in-process
 * for the library's inline runner): make the shared cutout, trace it, or run
 * one variation (or some parts of a fanned-out one). Pixels arrive in
 * SharedArrayBuffers (no copy). Every error a task raises is returned as
 * `{ ok: false, code, message }`, so that a pool can tell a task's own failure
 * (final) from a dead worker (retried).
 */
import { toLogomillError } from '../errors.js';
import { crop } from '../raster/geometry.js';
import type { TraceOptions } from '../trace/index.js';
import { findVariation } from '../variations/registry.js';
import type { Cutout, CutoutSettings, OutputFile } from '../variations/types.js';
import type { VectorImage } from '../vector/path.js';
import type { Warning } from '../warnings.js';
import { computeTrace, type Intermediate } from './intermediates.js';
import { computeCutout, createLogoContext } from './logo-context.js';
import { type SharedCutout, type SharedImage, shareCutout, unshare } from './shared-image.js';

export type WorkerReply<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export type WorkerTask =
  | { kind: 'ping' }
  | { kind: 'cutout'; image: SharedImage; settings: CutoutSettings }
  | { kind: 'trace'; cutout: SharedCutout; options: TraceOptions }
  | {
      kind: 'variation';
      image: SharedImage;
      sourceFormat: string;
      settings: CutoutSettings;
      cutout: SharedCutout | null;
      /** Traces computed ahead, by intermediate key. */
      traces: [string, VectorImage][];
      variation: string;
      /** One options object per part of a fanned-out variation (one for a whole run); files come back per part. */
      parts: Record<string, unknown>[];
    };

/** A variation task's reply: files per part, the warnings raised, and any intermediate it had to compute itself. */
export interface PartsReply {
  files: OutputFile[][];
  warnings: Warning[];
  computed: Intermediate[];
}

export type TaskValue = SharedCutout | VectorImage | PartsReply | null;

function fromShared(c: SharedCutout): Cutout {
  const full = unshare(c.full);
  let art: Cutout['art'] | undefined;
  return {
    ...c,
    full,
    // cropped on first use: most readers never look at it
    get art() {
      art ??= crop(full, c.bounds);
      return art;
    },
  };
}

export async function runTask(task: WorkerTask): Promise<WorkerReply<TaskValue>> {
  try {
    switch (task.kind) {
      case 'ping':
        return { ok: true, value: null };
      case 'cutout':
        return { ok: true, value: shareCutout(computeCutout({ image: unshare(task.image) }, task.settings)) };
      case 'trace':
        return { ok: true, value: computeTrace(fromShared(task.cutout), task.options) };
      case 'variation': {
        const variation = findVariation(task.variation);
        if (!variation) throw new Error(`unknown variation ${task.variation}`);
        const computed: Intermediate[] = [];
        const logo = createLogoContext(
          { image: unshare(task.image), format: task.sourceFormat },
          task.settings,
          { cutout: task.cutout ? fromShared(task.cutout) : undefined, traces: new Map(task.traces) },
          (i) => computed.push({ name: i.name, key: i.key }),
        );
        const files: OutputFile[][] = [];
        const warnings: Warning[] = [];
        const warn = (code: Warning['code'], message: string) =>
          warnings.push({ code, message, variation: variation.id });
        for (const options of task.parts) files.push(await variation.run({ logo, options, warn }));
        return { ok: true, value: { files, warnings, computed } };
      }
    }
  } catch (err) {
    const e = toLogomillError(err);
    return { ok: false, code: e.code, message: e.message };
  }
}

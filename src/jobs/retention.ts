/**
 * Retention: finished jobs older than JOB_TTL_H go with their files, and so do files an hour old
 * that belong to no job (an upload cut off before its job was stored, results a worker wrote
 * for a job deleted while it ran).
 */
import type { ArtifactStore } from './artifacts.js';
import type { JobStore } from './store.js';

const ORPHAN_AGE_MS = 3600_000;

export interface RetentionDeps {
  store: JobStore;
  artifacts: ArtifactStore;
  ttlHours: number;
  /** Deletes a job the way a client's DELETE does (runner told, listeners told). */
  deleteJob(id: string): Promise<unknown>;
}

/** Deletes what is past retention; returns how many jobs and orphaned folders went. */
export async function sweep(deps: RetentionDeps, now = Date.now()): Promise<number> {
  let swept = 0;
  for (;;) {
    const ids = deps.store.finishedBefore(now - deps.ttlHours * 3600_000, 100);
    if (ids.length === 0) break;
    for (const id of ids) await deps.deleteJob(id);
    swept += ids.length;
  }
  for (const { prefix, modifiedMs } of await deps.artifacts.listPrefixes()) {
    if (modifiedMs < now - ORPHAN_AGE_MS && !deps.store.get(prefix)) {
      await deps.artifacts.deletePrefix(prefix);
      swept++;
    }
  }
  return swept;
}

/**
 * The service's side of a runner (src/jobs/runner.ts): what a runner reports is written to the
 * job store (through StoreWrites, so a full disk defers instead of failing), timed, and told to
 * listeners; what a runner asks for (queued items, an item's work) is read from the store.
 */
import type { ArtifactStore } from './artifacts.js';
import type { RunnerSink } from './runner.js';
import type { JobStore } from './store.js';
import type { StoreWrites } from './store-writes.js';
import type { JobTiming } from './timing.js';
import type { JobRequest, JobState } from './types.js';

export interface SinkDeps {
  store: JobStore;
  artifacts: ArtifactStore;
  writes: StoreWrites;
  timing: JobTiming;
  /** The job requests of unfinished jobs, read once from the store and remembered. */
  requests: Map<string, JobRequest>;
  /** A job's rows changed. */
  changed(jobId: string): void;
  /** A job reached its final state. */
  finished(jobId: string, state: JobState): void;
  log(message: string): void;
}

export function serviceSink(deps: SinkDeps): RunnerSink {
  const { store, writes, timing, requests } = deps;
  const requestOf = (jobId: string): JobRequest | null => {
    let req = requests.get(jobId);
    if (!req) {
      req = store.get(jobId)?.request;
      if (!req) return null;
      requests.set(jobId, req);
    }
    return req;
  };
  return {
    // the disk is full: start nothing new
    queued: (limit) => (writes.waiting ? [] : store.queuedItems(limit)),
    unfinished: () => store.unfinishedItems(),
    work: (item) => {
      const req = requestOf(item.jobId);
      if (!req) return null;
      const { jobId, index, name, inputKey } = item;
      return { jobId, index, name, inputKey, variations: req.variations, options: req.options };
    },
    claim: (jobId, index) => {
      if (writes.waiting) return false;
      let ok = false;
      writes.run(() => {
        ok = store.claim(jobId, index);
      }, false);
      if (ok) {
        timing.itemStarted(jobId, index);
        deps.changed(jobId);
      }
      return ok;
    },
    task: (jobId, index, variation, state, outputs) => {
      timing.task(jobId, index, variation, state);
      writes.run(() => {
        store.setTask(jobId, index, variation, state, outputs);
        deps.changed(jobId);
      });
    },
    tasks: (jobId, index, tasks, outputs) => {
      for (const [variation, state] of Object.entries(tasks)) timing.task(jobId, index, variation, state);
      writes.run(() => {
        store.setTasks(jobId, index, tasks, outputs);
        deps.changed(jobId);
      });
    },
    finish: (jobId, index, outcome) => {
      timing.itemFinished(jobId, index);
      writes.run(() => {
        const final = store.finishItem(jobId, index, outcome);
        deps.changed(jobId);
        if (final) {
          requests.delete(jobId);
          deps.finished(jobId, final);
        }
      });
    },
    requeue: (jobId, index) => {
      writes.run(() => {
        store.requeue(jobId, index);
        deps.changed(jobId);
      });
    },
    requeueAll: () => {
      let n = 0;
      writes.run(() => {
        n = store.requeueRunning();
      });
      return n;
    },
    exists: (jobId) => store.get(jobId) !== null,
    forget: (jobId) => void deps.artifacts.deletePrefix(jobId).catch(() => {}),
    log: deps.log,
  };
}

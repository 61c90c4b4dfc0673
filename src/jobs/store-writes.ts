/**
 * Store writes that survive a full disk. The job store (SQLite) answers "database or disk is
 * full" when the data folder has no room; that must not take the service down or lose what a
 * runner reported. A failed write waits here, in order with any later ones, and is replayed
 * every 2 s until there is space again; meanwhile `waiting` is true, the service starts no new
 * work and reports not ready. `writable` is emitted when every deferred write went through.
 *
 * @example
 *   const writes = new StoreWrites(log);
 *   writes.run(() => store.setTask(jobId, index, variation, 'done'));
 *   writes.on('writable', () => runner.resume?.());
 */
import { EventEmitter } from 'node:events';
import { fileSystemError } from '../errors.js';

const REPLAY_MS = 2000;

export class StoreWrites extends EventEmitter {
  private readonly deferred: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly log: (message: string) => void) {
    super();
  }

  /** Whether a write waits for space (the disk is full). */
  get waiting(): boolean {
    return this.deferred.length > 0;
  }

  /**
   * Runs a store write. Any failure other than a full disk is logged, not thrown: these writes
   * run in runner callbacks, where a throw would be an unhandled rejection. `defer` false: a
   * write not worth replaying (a claim) is dropped instead, but still marks the store as waiting.
   */
  run(write: () => void, defer = true): void {
    if (!this.waiting) {
      try {
        write();
        return;
      } catch (err) {
        if (fileSystemError(err)?.code !== 'E_NO_SPACE') {
          this.log(`job store write failed: ${message(err)}`);
          return;
        }
        this.log('the disk is full: job store writes wait for space (the service reports not ready)');
      }
    }
    this.deferred.push(defer ? write : () => {});
    this.schedule();
  }

  /** Replays deferred writes in order; emits `writable` when all went through. */
  replay(): void {
    while (this.deferred.length) {
      try {
        this.deferred[0]();
      } catch (err) {
        if (fileSystemError(err)?.code === 'E_NO_SPACE') {
          this.schedule();
          return;
        }
        this.log(`job store write failed: ${message(err)}`);
      }
      this.deferred.shift();
    }
    this.log('disk space is back: job store writes caught up');
    this.emit('writable');
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.replay();
    }, REPLAY_MS);
    this.timer.unref();
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

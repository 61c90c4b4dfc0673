/**
 * The embedded runner: queued items run in this process on the engine,
 * BATCH_SIZE at a time, oldest job first. The queue is the job store itself,
 * so after a crash the items that were running are put back and run again;
 * their files are rewritten under the same keys (outputs are deterministic)
 * and the item is recorded once.
 */
import { toLogomillError } from '../errors.js';
import { type ProcessItemContext, processItem } from './process-item.js';
import { MAX_ATTEMPTS, type Runner, type RunnerSink, type RunnerStats } from './runner.js';
import type { ItemRecord } from './types.js';

export class LocalRunner implements Runner {
  readonly kind = 'local';
  private readonly active = new Map<
    string,
    { item: ItemRecord; abort: AbortController; done: Promise<void> }
  >();
  private closing = false;

  constructor(
    private readonly sink: RunnerSink,
    private readonly ctx: ProcessItemContext,
    private readonly concurrency: number,
  ) {}

  async start(): Promise<void> {
    // items a killed process was running: nobody else runs them, so they go back to the queue
    const back = this.sink.requeueAll();
    if (back) this.sink.log(`resuming ${back} logo(s) that were running when the server stopped`);
    this.pump();
  }

  async submitted(): Promise<void> {
    this.pump();
  }

  resume(): void {
    this.pump();
  }

  private pump(): void {
    if (this.closing) return;
    const free = this.concurrency - this.active.size;
    if (free <= 0) return;
    for (const item of this.sink.queued(free)) {
      if (this.active.size >= this.concurrency) break;
      const id = `${item.jobId}/${item.index}`;
      if (this.active.has(id)) continue;
      if (item.attempts >= MAX_ATTEMPTS) {
        this.sink.finish(item.jobId, item.index, {
          error: {
            code: 'E_WORKER_FAILED',
            message: `The logo failed ${item.attempts} times (the process stopped while it ran); it was not tried again.`,
          },
        });
        continue;
      }
      if (!this.sink.claim(item.jobId, item.index)) continue;
      const abort = new AbortController();
      const entry = { item, abort, done: Promise.resolve() };
      entry.done = this.run(item, abort.signal).finally(() => {
        this.active.delete(id);
        this.pump();
      });
      this.active.set(id, entry);
    }
  }

  private async run(item: ItemRecord, signal: AbortSignal): Promise<void> {
    const work = this.sink.work(item);
    if (!work) return; // deleted meanwhile
    try {
      const outcome = await processItem(
        this.ctx,
        work,
        (variation, state, outputs) => this.sink.task(item.jobId, item.index, variation, state, outputs),
        signal,
      );
      if (signal.aborted) throw new Error('aborted');
      this.sink.finish(item.jobId, item.index, outcome);
    } catch (err) {
      if (!this.sink.exists(item.jobId)) return;
      if (this.closing) {
        this.sink.requeue(item.jobId, item.index); // handed back: the next start runs it
        return;
      }
      const e = toLogomillError(err);
      // a full disk is the item's answer: trying again at once would only fill it again
      if (item.attempts + 1 >= MAX_ATTEMPTS || e.code === 'E_NO_SPACE') {
        this.sink.finish(item.jobId, item.index, { error: { code: e.code, message: e.message } });
      } else {
        this.sink.log(`item ${item.jobId}/${item.index} failed (${e.message}); retrying`);
        this.sink.requeue(item.jobId, item.index);
      }
    }
  }

  async cancel(jobId: string): Promise<void> {
    for (const e of this.active.values()) if (e.item.jobId === jobId) e.abort.abort();
  }

  async ready(): Promise<boolean> {
    return !this.closing;
  }

  async stats(): Promise<RunnerStats> {
    return { kind: 'local', waiting: this.sink.queued(100_000).length, active: this.active.size };
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    const all = Promise.all([...this.active.values()].map((e) => e.done));
    const timer = new Promise<'late'>((r) => setTimeout(r, graceMs, 'late').unref());
    if ((await Promise.race([all.then(() => 'done' as const), timer])) === 'late') {
      for (const e of this.active.values()) e.abort.abort();
      await all;
    }
  }
}

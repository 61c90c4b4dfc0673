/**
 * How long items and tasks take in this process: task times for the metrics (`task-time`
 * events) and recent item times for the Retry-After a refused client gets.
 */

type TaskEnd = (variation: string, seconds: number, state: 'done' | 'failed') => void;

export class JobTiming {
  /** Wall time of recent items (ms). */
  private readonly itemMs: number[] = [];
  private readonly itemStarts = new Map<string, number>();
  private readonly taskStarts = new Map<string, number>();

  constructor(private readonly onTaskEnd: TaskEnd) {}

  itemStarted(jobId: string, index: number): void {
    this.itemStarts.set(`${jobId}/${index}`, Date.now());
  }

  itemFinished(jobId: string, index: number): void {
    const t = this.itemStarts.get(`${jobId}/${index}`);
    this.itemStarts.delete(`${jobId}/${index}`);
    for (const key of this.taskStarts.keys()) {
      if (key.startsWith(`${jobId}/${index}/`)) this.taskStarts.delete(key);
    }
    if (t !== undefined) {
      this.itemMs.push(Date.now() - t);
      if (this.itemMs.length > 200) this.itemMs.splice(0, 100);
    }
  }

  /** Reports a task that this process saw start when it ends. */
  task(jobId: string, index: number, variation: string, state: string): void {
    const key = `${jobId}/${index}/${variation}`;
    if (state === 'running') {
      if (!this.taskStarts.has(key)) this.taskStarts.set(key, performance.now());
    } else if (state === 'done' || state === 'failed') {
      const t = this.taskStarts.get(key);
      if (t === undefined) return;
      this.taskStarts.delete(key);
      this.onTaskEnd(variation, (performance.now() - t) / 1000, state);
    }
  }

  /** Seconds a refused client should wait: the median item time × items queued, over 4. */
  retryAfterSeconds(queuedItems: number): number {
    const sorted = [...this.itemMs].sort((a, b) => a - b);
    const median = sorted.length ? sorted[sorted.length >> 1] : 2000;
    return Math.max(1, Math.min(120, Math.ceil((median * Math.max(1, queuedItems)) / 1000 / 4)));
  }
}

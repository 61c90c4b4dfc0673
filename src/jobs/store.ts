/**
 * Long file: one SQLite schema and the transactions over it; kept together so each state change
 * stays one transaction.
 *
 * The durable job store: SQLite (better-sqlite3) in the data folder. A job is
 * accepted only once its row and its items' rows are committed, so a job the
 * API answered 202 for survives a crash. Every state change is one
 * transaction; the job's own state is derived from its items' in the same
 * transaction, so the two never disagree.
 *
 * WAL with synchronous=FULL: a committed change survives a killed process and
 * a power cut.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LogomillError } from '../errors.js';
import type {
  ErrorInfo,
  ItemRecord,
  ItemResult,
  ItemState,
  JobRecord,
  JobRequest,
  JobState,
  StoredOutput,
  TaskState,
} from './types.js';

interface JobRow {
  id: string;
  state: JobState;
  created_at: number;
  finished_at: number | null;
  request: string;
  webhook_state: string | null;
  owner: string | null;
}

interface ItemRow {
  job_id: string;
  idx: number;
  name: string;
  state: ItemState;
  attempts: number;
  input_key: string;
  tasks: string;
  partial: string | null;
  result: string | null;
  error: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  request TEXT NOT NULL,
  webhook_state TEXT
);
CREATE TABLE IF NOT EXISTS items (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  input_key TEXT NOT NULL,
  tasks TEXT NOT NULL,
  partial TEXT,
  result TEXT,
  error TEXT,
  PRIMARY KEY (job_id, idx)
);
CREATE TABLE IF NOT EXISTS idempotency (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS items_by_state ON items(state);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs(state, finished_at);
`;

/** The job's state from its items': final when every item is, completed when any item completed. */
export function deriveJobState(items: readonly { state: ItemState }[]): JobState {
  if (items.every((i) => i.state === 'queued')) return 'queued';
  if (items.some((i) => i.state === 'queued' || i.state === 'running')) return 'running';
  return items.some((i) => i.state === 'completed') ? 'completed' : 'failed';
}

export class JobStore {
  private readonly db: Database.Database;

  /** Opens (or creates) `<dir>/jobs.sqlite`; `:memory:` for a throwaway store. */
  constructor(dir: string) {
    if (dir !== ':memory:') mkdirSync(dir, { recursive: true });
    this.db = new Database(dir === ':memory:' ? dir : join(dir, 'jobs.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    // stores made before jobs had owners
    const columns = this.db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'owner')) this.db.exec('ALTER TABLE jobs ADD COLUMN owner TEXT');
  }

  /**
   * Stores a new job with its items, all queued, in one transaction, and returns its id. With an
   * idempotency key already used in its scope, nothing is stored and the earlier job's id is
   * returned — or E_IDEMPOTENCY_MISMATCH when the earlier request was a different one.
   */
  create(
    id: string,
    request: JobRequest,
    items: { name: string; inputKey: string }[],
    now = Date.now(),
    extra: { owner?: string | null; idempotency?: { scope: string; key: string; fingerprint: string } } = {},
  ): string {
    const tasks = JSON.stringify(Object.fromEntries(request.variations.map((v) => [v, 'pending'])));
    const insertJob = this.db.prepare(
      'INSERT INTO jobs (id, state, created_at, request, webhook_state, owner) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertItem = this.db.prepare(
      'INSERT INTO items (job_id, idx, name, state, input_key, tasks) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const idem = extra.idempotency;
    return this.db.transaction(() => {
      if (idem) {
        const earlier = this.db
          .prepare('SELECT job_id, fingerprint FROM idempotency WHERE scope = ? AND key = ?')
          .get(idem.scope, idem.key) as { job_id: string; fingerprint: string } | undefined;
        if (earlier) {
          if (earlier.fingerprint !== idem.fingerprint) {
            throw new LogomillError(
              'E_IDEMPOTENCY_MISMATCH',
              'This Idempotency-Key was used for a different request; use a new key for a new job.',
            );
          }
          return earlier.job_id;
        }
      }
      insertJob.run(
        id,
        'queued',
        now,
        JSON.stringify(request),
        request.webhook ? 'pending' : null,
        extra.owner ?? null,
      );
      items.forEach((it, idx) => {
        insertItem.run(id, idx, it.name, 'queued', it.inputKey, tasks);
      });
      if (idem) {
        this.db
          .prepare('INSERT INTO idempotency (scope, key, job_id, fingerprint) VALUES (?, ?, ?, ?)')
          .run(idem.scope, idem.key, id, idem.fingerprint);
      }
      return id;
    })();
  }

  get(id: string): JobRecord | null {
    const job = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!job) return null;
    const items = this.db.prepare('SELECT * FROM items WHERE job_id = ? ORDER BY idx').all(id) as ItemRow[];
    return {
      id: job.id,
      state: job.state,
      createdAt: job.created_at,
      finishedAt: job.finished_at,
      request: JSON.parse(job.request) as JobRequest,
      owner: job.owner,
      items: items.map(toItem),
    };
  }

  /**
   * Items waiting to run, taken round-robin across jobs: every job's first logo before any job's
   * second, oldest job first within a round. So a one-logo job submitted behind a 50-logo batch
   * waits for one logo, not fifty.
   */
  queuedItems(limit: number): ItemRecord[] {
    const rows = this.db
      .prepare(
        `SELECT items.* FROM items JOIN jobs ON jobs.id = items.job_id
         WHERE items.state = 'queued' ORDER BY items.idx, jobs.seq LIMIT ?`,
      )
      .all(limit) as ItemRow[];
    return rows.map(toItem);
  }

  /** Items not final (queued or running), oldest first: what a queue dispatcher must account for. */
  unfinishedItems(): ItemRecord[] {
    const rows = this.db
      .prepare(
        `SELECT items.* FROM items JOIN jobs ON jobs.id = items.job_id
         WHERE items.state IN ('queued', 'running') ORDER BY jobs.seq, items.idx`,
      )
      .all() as ItemRow[];
    return rows.map(toItem);
  }

  /** Marks a queued item running and counts the attempt; false if it was not queued (taken, or deleted). */
  claim(jobId: string, index: number): boolean {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(
          "UPDATE items SET state = 'running', attempts = attempts + 1 WHERE job_id = ? AND idx = ? AND state = 'queued'",
        )
        .run(jobId, index);
      if (r.changes === 1) this.refreshJob(jobId);
      return r.changes === 1;
    })();
  }

  /** Puts running items back in the queue (after a crash or on shutdown); returns how many. */
  requeueRunning(): number {
    return this.db.prepare("UPDATE items SET state = 'queued' WHERE state = 'running'").run().changes;
  }

  /** Puts one running item back (a graceful stop handed it back). */
  requeue(jobId: string, index: number): void {
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE items SET state = 'queued' WHERE job_id = ? AND idx = ? AND state = 'running'")
        .run(jobId, index);
      this.refreshJob(jobId);
    })();
  }

  /** Sets one variation's state; `outputs` (its files, when done) join the item's partial list. */
  setTask(jobId: string, index: number, variation: string, state: TaskState, outputs?: StoredOutput[]): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE items SET tasks = json_set(tasks, '$.' || json_quote(?), ?) WHERE job_id = ? AND idx = ? AND state IN ('queued', 'running')",
        )
        .run(variation, state, jobId, index);
      if (!outputs?.length) return;
      const row = this.db
        .prepare('SELECT partial FROM items WHERE job_id = ? AND idx = ?')
        .get(jobId, index) as { partial: string | null } | undefined;
      if (!row) return;
      const kept = (JSON.parse(row.partial ?? '[]') as StoredOutput[]).filter(
        (o) => o.variation !== variation,
      );
      this.db
        .prepare('UPDATE items SET partial = ? WHERE job_id = ? AND idx = ?')
        .run(JSON.stringify([...kept, ...outputs]), jobId, index);
    })();
  }

  /** Replaces the item's task map and partial files (a queue worker reports both whole). */
  setTasks(
    jobId: string,
    index: number,
    tasks: Record<string, TaskState>,
    outputs: StoredOutput[] = [],
  ): void {
    this.db
      .prepare(
        "UPDATE items SET tasks = ?, partial = ? WHERE job_id = ? AND idx = ? AND state IN ('queued', 'running')",
      )
      .run(JSON.stringify(tasks), JSON.stringify(outputs), jobId, index);
  }

  /**
   * Records an item's end: its result, or the error that failed it. Returns the
   * job's state when this made the job final (exactly once per job), else null.
   */
  finishItem(
    jobId: string,
    index: number,
    outcome: { result: ItemResult } | { error: ErrorInfo },
    now = Date.now(),
  ): JobState | null {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT tasks, state FROM items WHERE job_id = ? AND idx = ?')
        .get(jobId, index) as { tasks: string; state: ItemState } | undefined;
      if (!row || row.state === 'completed' || row.state === 'failed') return null;
      const tasks = JSON.parse(row.tasks) as Record<string, TaskState>;
      if ('result' in outcome) {
        const failed = new Set(outcome.result.failures.map((f) => f.variation));
        for (const v of Object.keys(tasks)) tasks[v] = failed.has(v) ? 'failed' : 'done';
        this.db
          .prepare(
            "UPDATE items SET state = 'completed', tasks = ?, result = ?, partial = NULL, error = NULL WHERE job_id = ? AND idx = ?",
          )
          .run(JSON.stringify(tasks), JSON.stringify(outcome.result), jobId, index);
      } else {
        for (const v of Object.keys(tasks)) if (tasks[v] !== 'done') tasks[v] = 'failed';
        this.db
          .prepare("UPDATE items SET state = 'failed', tasks = ?, error = ? WHERE job_id = ? AND idx = ?")
          .run(JSON.stringify(tasks), JSON.stringify(outcome.error), jobId, index);
      }
      return this.refreshJob(jobId, now);
    })();
  }

  /** Re-derives the job's state; returns it when the job just became final. */
  private refreshJob(jobId: string, now = Date.now()): JobState | null {
    const items = this.db.prepare('SELECT state FROM items WHERE job_id = ?').all(jobId) as {
      state: ItemState;
    }[];
    const state = deriveJobState(items);
    const final = state === 'completed' || state === 'failed';
    const r = this.db
      .prepare(
        `UPDATE jobs SET state = ?, finished_at = CASE WHEN ? THEN ? ELSE NULL END
         WHERE id = ? AND finished_at IS NULL`,
      )
      .run(state, final ? 1 : 0, now, jobId);
    return final && r.changes === 1 ? state : null;
  }

  /** Deletes a job and its items; false if there was none. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes === 1;
  }

  /** Jobs finished before `before` (ms), for the retention sweep. */
  finishedBefore(before: number, limit = 100): string[] {
    return (
      this.db
        .prepare('SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? LIMIT ?')
        .all(before, limit) as { id: string }[]
    ).map((r) => r.id);
  }

  /** Finished jobs whose webhook has not been delivered yet (resent after a restart). */
  pendingWebhooks(): string[] {
    return (
      this.db
        .prepare("SELECT id FROM jobs WHERE webhook_state = 'pending' AND finished_at IS NOT NULL")
        .all() as { id: string }[]
    ).map((r) => r.id);
  }

  setWebhookState(id: string, state: 'sent' | 'failed'): void {
    this.db.prepare('UPDATE jobs SET webhook_state = ? WHERE id = ?').run(state, id);
  }

  /** Jobs by state, and items waiting or running (for metrics and backpressure). */
  counts(): { jobs: Record<JobState, number>; queuedItems: number; runningItems: number } {
    const jobs: Record<JobState, number> = {
      queued: 0,
      running: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as {
      state: JobState;
      n: number;
    }[])
      jobs[r.state] = r.n;
    const items = Object.fromEntries(
      (
        this.db
          .prepare(
            "SELECT state, count(*) AS n FROM items WHERE state IN ('queued','running') GROUP BY state",
          )
          .all() as { state: string; n: number }[]
      ).map((r) => [r.state, r.n]),
    );
    return { jobs, queuedItems: items.queued ?? 0, runningItems: items.running ?? 0 };
  }

  /** Jobs not yet final: what backpressure counts. */
  unfinishedJobs(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM jobs WHERE state IN ('queued','running')").get() as {
        n: number;
      }
    ).n;
  }

  /** Answers when the database does (readiness). */
  ping(): boolean {
    return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toItem(r: ItemRow): ItemRecord {
  return {
    jobId: r.job_id,
    index: r.idx,
    name: r.name,
    state: r.state,
    attempts: r.attempts,
    inputKey: r.input_key,
    tasks: JSON.parse(r.tasks) as Record<string, TaskState>,
    partial: r.partial ? (JSON.parse(r.partial) as StoredOutput[]) : [],
    result: r.result ? (JSON.parse(r.result) as ItemResult) : null,
    error: r.error ? (JSON.parse(r.error) as ErrorInfo) : null,
  };
}

/**
 * Long file: to be split along its seams (status view, request checks, intake, sink, webhooks,
 * retention): issue #15.
 *
 * The job service: what the HTTP API calls. It checks and stores new jobs,
 * hands them to a runner (in-process or queue), records what the runner
 * reports, tells listeners (server-sent events) about every change, sends
 * completion webhooks and deletes old jobs.
 *
 * @example
 *   const service = new JobService({ store, artifacts, config });
 *   service.useRunner(new LocalRunner(service.sink, ctx, 2));
 *   await service.start();
 *   const id = await service.create([{ name: 'acme.png', data }], { variations: ['favicon'], options: {} });
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { statfs } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ServerConfig } from '../config.js';
import { limiter } from '../engine/limiter.js';
import { planJob } from '../engine/run-job.js';
import { fileSystemError, LogomillError } from '../errors.js';
import { folderNames } from '../io/write.js';
import { findPreset, PRESETS } from '../variations/presets.js';
import type { ArtifactStore } from './artifacts.js';
import type { ItemWorkRequest } from './local-runner.js';
import type { Runner, RunnerSink } from './runner.js';
import type { JobStore } from './store.js';
import type {
  ErrorInfo,
  ItemResult,
  JobRecord,
  JobRequest,
  JobState,
  StoredOutput,
  TaskState,
} from './types.js';

/** Who submits a job: the API key's id (the job's owner) and the request's idempotency key. */
export interface Submitter {
  owner?: string | null;
  idempotency?: { scope: string; key: string; fingerprint: string };
}

/** The HTTP client the service uses for logo URLs and webhooks (src/net/http-client.ts). */
export interface UrlClient {
  fetchBytes(
    url: string,
    opts: { maxBytes: number; signal?: AbortSignal },
  ): Promise<{ data: Buffer; contentType: string | null; finalUrl: string }>;
  postJson(url: string, body: unknown, opts?: { secret?: string }): Promise<{ status: number }>;
  /** Refuses (E_URL_REFUSED) a URL that a request would be refused for: private addresses and the like. */
  checkTarget?(url: string, verb: string): Promise<void>;
  close(): Promise<void>;
}

export type ServiceConfig = Pick<
  ServerConfig,
  'MAX_UPLOAD_MB' | 'MAX_FILES_PER_JOB' | 'MAX_QUEUED_JOBS' | 'JOB_TTL_H'
>;

/** What a client asks for, before it is checked. */
export interface JobAsk {
  variations?: string[] | 'all' | string;
  preset?: string;
  options?: unknown;
  webhook?: string;
}

export type JobStatusOutput = Omit<StoredOutput, 'key'> & { url: string };

export interface JobStatus {
  id: string;
  state: JobState;
  createdAt: string;
  finishedAt: string | null;
  variations: string[];
  progress: { done: number; total: number; fraction: number };
  archiveUrl: string;
  eventsUrl: string;
  items: {
    index: number;
    name: string;
    state: string;
    inputUrl: string;
    tasks: Record<string, TaskState>;
    error: ErrorInfo | null;
    input: ItemResult['input'] | null;
    background: ItemResult['background'];
    analysis: ItemResult['analysis'] | null;
    warnings: ItemResult['warnings'];
    outputs: JobStatusOutput[];
    failures: ItemResult['failures'];
  }[];
}

const enc = encodeURIComponent;

/** The API's view of a stored job. */
export function jobStatus(job: JobRecord, state: JobState = job.state): JobStatus {
  const base = `/api/jobs/${job.id}`;
  let done = 0;
  let total = 0;
  for (const it of job.items) {
    for (const s of Object.values(it.tasks)) {
      total++;
      if (s === 'done' || s === 'failed') done++;
    }
  }
  return {
    id: job.id,
    state,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    variations: job.request.variations,
    progress: { done, total, fraction: total ? Math.round((done / total) * 1000) / 1000 : 1 },
    archiveUrl: `${base}/archive.zip`,
    eventsUrl: `${base}/events`,
    items: job.items.map((it) => ({
      index: it.index,
      name: it.name,
      state: it.state,
      inputUrl: `${base}/inputs/${it.index}`,
      tasks: it.tasks,
      error: it.error,
      input: it.result?.input ?? null,
      background: it.result?.background ?? null,
      analysis: it.result?.analysis ?? null,
      warnings: it.result?.warnings ?? [],
      // while the item runs, the files of the variations done so far
      outputs: (it.result?.outputs ?? it.partial).map(({ key: _key, ...o }) => ({
        ...o,
        url: `${base}/files/${enc(it.name)}/${enc(o.variation)}/${enc(o.name)}`,
      })),
      failures: it.result?.failures ?? [],
    })),
  };
}

export class JobService extends EventEmitter {
  readonly store: JobStore;
  private runner: Runner | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly requests = new Map<string, JobRequest>();
  readonly sink: RunnerSink;
  /** Wall time of recent items (ms), for Retry-After estimates. */
  private readonly itemMs: number[] = [];
  private readonly started = new Map<string, number>();
  private readonly taskStarts = new Map<string, number>();
  /**
   * Store writes that failed because the disk was full, in order; replayed every few seconds
   * until they succeed. Meanwhile no new work starts and the service reports not ready.
   */
  private readonly deferred: (() => void)[] = [];
  private replayTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: {
      store: JobStore;
      artifacts: ArtifactStore;
      config: ServiceConfig;
      http?: UrlClient | null;
      webhookSecret?: string;
      log?: (message: string) => void;
      /** The data folder, whose free space readiness and new uploads check (none: not checked). */
      dataDir?: string;
    },
  ) {
    super();
    this.setMaxListeners(0);
    this.store = opts.store;
    const log = opts.log ?? (() => {});
    this.sink = {
      queued: (limit) => (this.deferred.length ? [] : this.store.queuedItems(limit)),
      unfinished: () => this.store.unfinishedItems(),
      work: (item) => {
        const req = this.variations(item.jobId);
        return req
          ? { jobId: item.jobId, index: item.index, name: item.name, inputKey: item.inputKey, ...req }
          : null;
      },
      claim: (jobId, index) => {
        if (this.deferred.length) return false; // the disk is full: start nothing new
        let ok = false;
        this.persist(() => {
          ok = this.store.claim(jobId, index);
        }, false);
        if (ok) {
          this.started.set(`${jobId}/${index}`, Date.now());
          this.changed(jobId);
        }
        return ok;
      },
      task: (jobId, index, variation, state, outputs) => {
        this.timeTask(jobId, index, variation, state);
        this.persist(() => {
          this.store.setTask(jobId, index, variation, state, outputs);
          this.changed(jobId);
        });
      },
      tasks: (jobId, index, tasks, outputs) => {
        for (const [variation, state] of Object.entries(tasks)) this.timeTask(jobId, index, variation, state);
        this.persist(() => {
          this.store.setTasks(jobId, index, tasks, outputs);
          this.changed(jobId);
        });
      },
      finish: (jobId, index, outcome) => this.finish(jobId, index, outcome),
      requeue: (jobId, index) => {
        this.persist(() => {
          this.store.requeue(jobId, index);
          this.changed(jobId);
        });
      },
      requeueAll: () => {
        let n = 0;
        this.persist(() => {
          n = this.store.requeueRunning();
        });
        return n;
      },
      exists: (jobId) => this.store.get(jobId) !== null,
      forget: (jobId) => void this.opts.artifacts.deletePrefix(jobId).catch(() => {}),
      log,
    };
  }

  get artifacts(): ArtifactStore {
    return this.opts.artifacts;
  }

  useRunner(runner: Runner): void {
    this.runner = runner;
  }

  /** The job-level work of an item (what to make), read once per job and remembered. */
  private variations(jobId: string): ItemWorkRequest | null {
    let req = this.requests.get(jobId);
    if (!req) {
      const job = this.store.get(jobId);
      if (!job) return null;
      req = job.request;
      this.requests.set(jobId, req);
    }
    return { variations: req.variations, options: req.options };
  }

  async start(): Promise<void> {
    if (!this.runner) throw new Error('JobService.start() needs a runner');
    await this.runner.start();
    // finished jobs whose webhook a previous process did not deliver
    for (const id of this.store.pendingWebhooks()) void this.sendWebhook(id);
    const sweep = () =>
      this.sweep().catch((err) =>
        this.sink.log(`sweep failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    this.sweeper = setInterval(sweep, 10 * 60_000).unref();
    void sweep();
  }

  /** Checks a request: variations (or preset), options and webhook; throws 400-class errors. */
  checkRequest(ask: JobAsk): JobRequest {
    let variations: string[] | 'all';
    if (ask.preset !== undefined && ask.preset !== '') {
      const preset = findPreset(ask.preset);
      if (!preset) {
        throw new LogomillError(
          'E_BAD_OPTION',
          `Unknown preset "${ask.preset}"; known presets: ${PRESETS.map((p) => p.id).join(', ')}.`,
        );
      }
      variations = preset.variations;
    } else if (ask.variations === undefined || ask.variations === 'all') {
      variations = 'all';
    } else if (typeof ask.variations === 'string') {
      variations = ask.variations
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    } else variations = ask.variations;
    const options = ask.options ?? {};
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new LogomillError('E_BAD_OPTION', 'Expected an object of options per variation id.');
    }
    for (const [id, o] of Object.entries(options)) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) {
        throw new LogomillError('E_BAD_OPTION', `Expected an object of options for ${id}.`);
      }
    }
    const typed = options as Record<string, Record<string, unknown>>;
    const plan = planJob({ variations, options: typed });
    if (ask.webhook !== undefined && ask.webhook !== '') {
      let u: URL | null = null;
      try {
        u = new URL(ask.webhook);
      } catch {}
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
        throw new LogomillError(
          'E_BAD_OPTION',
          `The webhook ${JSON.stringify(ask.webhook)} is not an http(s) URL.`,
        );
      }
    }
    return {
      variations: plan.variations.map((v) => v.variation.id),
      options: typed,
      ...(ask.webhook ? { webhook: ask.webhook } : {}),
    };
  }

  /** Refuses a webhook now that its delivery would refuse later (a private address, say). */
  async checkWebhook(request: JobRequest): Promise<void> {
    if (request.webhook && this.opts.http?.checkTarget) {
      await this.opts.http.checkTarget(request.webhook, 'call the webhook');
    }
  }

  /** Refuses new work while too many jobs are unfinished (backpressure). */
  checkCapacity(): void {
    if (this.store.unfinishedJobs() >= this.opts.config.MAX_QUEUED_JOBS) {
      throw new LogomillError(
        'E_QUEUE_FULL',
        `The queue is full (${this.opts.config.MAX_QUEUED_JOBS} unfinished jobs); try again later.`,
      );
    }
  }

  /** Seconds a client should wait before retrying a refused job. */
  retryAfterSeconds(): number {
    const sorted = [...this.itemMs].sort((a, b) => a - b);
    const median = sorted.length ? sorted[sorted.length >> 1] : 2000;
    const { queuedItems } = this.store.counts();
    return Math.max(1, Math.min(120, Math.ceil((median * Math.max(1, queuedItems)) / 1000 / 4)));
  }

  /** A new unguessable job id (128 random bits). */
  newId(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Stores one uploaded logo of a job being created; returns its artifact key. */
  async storeInput(jobId: string, index: number, fileName: string, data: Buffer): Promise<string> {
    if (index >= this.opts.config.MAX_FILES_PER_JOB) {
      throw new LogomillError('E_TOO_LARGE', `A job may hold ${this.opts.config.MAX_FILES_PER_JOB} logos.`);
    }
    const key = `${jobId}/_inputs/${index}${safeExt(fileName)}`;
    // an accepted upload must outlive a power cut as its job row does (SQLite synchronous=FULL)
    await this.opts.artifacts.put(key, data, { durable: true });
    return key;
  }

  /** Drops the inputs of a job whose upload failed before it was stored. */
  async discard(jobId: string): Promise<void> {
    await this.opts.artifacts.deletePrefix(jobId);
  }

  /**
   * Commits a job whose inputs are stored: the rows in one transaction, then the runner is told.
   * Returns the job's id: with an idempotency key seen before, the earlier job's (this upload's
   * inputs are then dropped and nothing new runs).
   */
  async commit(
    jobId: string,
    inputs: { fileName: string; inputKey: string }[],
    request: JobRequest,
    who: Submitter = {},
  ): Promise<string> {
    if (inputs.length === 0) {
      throw new LogomillError('E_BAD_OPTION', 'Expected at least one logo but received none.');
    }
    this.checkCapacity();
    const names = folderNames(inputs.map((f) => f.fileName || 'logo'));
    const id = this.store.create(
      jobId,
      request,
      inputs.map((f, i) => ({ name: names[i], inputKey: f.inputKey })),
      Date.now(),
      { owner: who.owner, idempotency: who.idempotency },
    );
    if (id !== jobId) {
      await this.discard(jobId);
      return id;
    }
    this.requests.set(jobId, request);
    // the job is stored, so it is accepted: a runner that cannot take it now (Redis down) gets it
    // from its next reconciliation; the client gets its 202 without waiting for that
    const handed = this.runner?.submitted(jobId).then(
      () => true,
      (err) => {
        this.sink.log(`job ${jobId} stored; handing it to the runner failed (${String(err)}); it runs later`);
        return true;
      },
    );
    const late = new Promise<false>((r) => setTimeout(r, 2000, false).unref());
    if (handed && !(await Promise.race([handed, late]))) {
      this.sink.log(`job ${jobId} stored; the runner is not answering, it runs when it does`);
    }
    return jobId;
  }

  /** Stores a job from logos in memory (inputs first, then the rows) and hands it to the runner. */
  async create(files: { name: string; data: Buffer }[], request: JobRequest): Promise<string> {
    if (files.length > this.opts.config.MAX_FILES_PER_JOB) {
      throw new LogomillError(
        'E_TOO_LARGE',
        `A job may hold ${this.opts.config.MAX_FILES_PER_JOB} logos; this one has ${files.length}.`,
      );
    }
    this.checkCapacity();
    await this.checkSpace();
    const id = this.newId();
    try {
      const keys = await Promise.all(files.map((f, i) => this.storeInput(id, i, f.name, f.data)));
      await this.commit(
        id,
        files.map((f, i) => ({ fileName: f.name, inputKey: keys[i] })),
        request,
      );
    } catch (err) {
      await this.discard(id);
      throw err;
    }
    return id;
  }

  /** Fetches logo URLs (through the SSRF-safe client) and creates the job. */
  async createFromUrls(
    urls: string[],
    request: JobRequest,
    signal?: AbortSignal,
    who: Submitter = {},
  ): Promise<string> {
    if (!this.opts.http) throw new LogomillError('E_UNAVAILABLE', 'This server does not fetch URLs.');
    if (urls.length > this.opts.config.MAX_FILES_PER_JOB) {
      throw new LogomillError(
        'E_TOO_LARGE',
        `A job may hold ${this.opts.config.MAX_FILES_PER_JOB} logos; this one has ${urls.length}.`,
      );
    }
    this.checkCapacity();
    const maxBytes = this.opts.config.MAX_UPLOAD_MB * 1024 * 1024;
    const http = this.opts.http;
    // four fetches at a time, each logo stored as it arrives: memory holds four logos at most
    const id = this.newId();
    const four = limiter(4);
    try {
      const inputs = await Promise.all(
        urls.map((url, i) =>
          four(async () => {
            const r = await http.fetchBytes(url, { maxBytes, signal });
            const path = new URL(r.finalUrl).pathname;
            let fileName = path.split('/').pop() || 'logo';
            try {
              fileName = decodeURIComponent(fileName);
            } catch {}
            return { fileName, inputKey: await this.storeInput(id, i, fileName, r.data) };
          }),
        ),
      );
      return await this.commit(id, inputs, request, who);
    } catch (err) {
      await this.discard(id);
      throw err;
    }
  }

  get(id: string): JobRecord | null {
    return this.store.get(id);
  }

  status(id: string): JobStatus | null {
    const job = this.store.get(id);
    return job ? jobStatus(job) : null;
  }

  /** Deletes a job: what has not run is dropped, what runs is stopped, its files go. */
  async delete(id: string): Promise<boolean> {
    const job = this.store.get(id);
    if (!job) return false;
    this.store.delete(id);
    this.requests.delete(id);
    await this.runner?.cancel(id, job.items.length);
    await this.opts.artifacts.deletePrefix(id);
    this.emit('change', id, { ...jobStatus(job, 'cancelled'), deleted: true });
    return true;
  }

  private finish(jobId: string, index: number, outcome: { result: ItemResult } | { error: ErrorInfo }): void {
    const t = this.started.get(`${jobId}/${index}`);
    this.started.delete(`${jobId}/${index}`);
    for (const key of this.taskStarts.keys())
      if (key.startsWith(`${jobId}/${index}/`)) this.taskStarts.delete(key);
    if (t !== undefined) {
      this.itemMs.push(Date.now() - t);
      if (this.itemMs.length > 200) this.itemMs.splice(0, 100);
    }
    this.persist(() => {
      const final = this.store.finishItem(jobId, index, outcome);
      this.changed(jobId);
      if (final) {
        this.requests.delete(jobId);
        this.emit('finished', jobId, final);
        void this.sendWebhook(jobId);
      }
    });
  }

  /**
   * Runs a store write. A full disk (SQLite's "database or disk is full") must not take the
   * service down: the write waits in `deferred`, in order with any later ones, and is replayed
   * every 2 s until there is space again. Any other failure of a write is logged, not thrown:
   * these writes run in runner callbacks where a throw would be an unhandled rejection.
   * `defer` false: a write that is not worth replaying (a claim) is dropped instead.
   */
  private persist(write: () => void, defer = true): void {
    if (this.deferred.length === 0) {
      try {
        write();
        return;
      } catch (err) {
        if (fileSystemError(err)?.code !== 'E_NO_SPACE') {
          this.sink.log(`job store write failed: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
        this.sink.log('the disk is full: job store writes wait for space (the service reports not ready)');
        if (!defer) {
          this.deferred.push(() => {}); // still marks the store as waiting for space
          this.scheduleReplay();
          return;
        }
      }
    }
    this.deferred.push(write);
    this.scheduleReplay();
  }

  private scheduleReplay(): void {
    if (this.replayTimer) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      this.replay();
    }, 2000);
    this.replayTimer.unref();
  }

  /** Replays deferred store writes in order; when all went through, the runner takes work again. */
  replay(): void {
    while (this.deferred.length) {
      try {
        this.deferred[0]();
      } catch (err) {
        if (fileSystemError(err)?.code === 'E_NO_SPACE') {
          this.scheduleReplay();
          return;
        }
        this.sink.log(`job store write failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.deferred.shift();
    }
    this.sink.log('disk space is back: job store writes caught up');
    this.emit('writable');
    this.runner?.resume?.();
  }

  /** Emits `task-time` (variation, seconds, state) when a task this process saw start ends. */
  private timeTask(jobId: string, index: number, variation: string, state: TaskState): void {
    const key = `${jobId}/${index}/${variation}`;
    if (state === 'running') {
      if (!this.taskStarts.has(key)) this.taskStarts.set(key, performance.now());
    } else if (state === 'done' || state === 'failed') {
      const t = this.taskStarts.get(key);
      if (t === undefined) return;
      this.taskStarts.delete(key);
      this.emit('task-time', variation, (performance.now() - t) / 1000, state);
    }
  }

  private changed(jobId: string): void {
    this.emit('change', jobId);
  }

  private async sendWebhook(jobId: string): Promise<void> {
    const job = this.store.get(jobId);
    const url = job?.request.webhook;
    if (!job || !url || !this.opts.http) return;
    let state: 'sent' | 'failed' = 'failed';
    try {
      const r = await this.opts.http.postJson(url, jobStatus(job), { secret: this.opts.webhookSecret });
      if (r.status < 300) state = 'sent';
    } catch (err) {
      this.sink.log(`webhook for job ${jobId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.persist(() => this.store.setWebhookState(jobId, state));
  }

  /**
   * Deletes finished jobs older than JOB_TTL_H, with their files, and files an hour old that
   * belong to no job (an upload cut off before its job was stored, a result of a deleted job).
   */
  async sweep(now = Date.now()): Promise<number> {
    let swept = 0;
    for (;;) {
      const ids = this.store.finishedBefore(now - this.opts.config.JOB_TTL_H * 3600_000, 100);
      if (ids.length === 0) break;
      for (const id of ids) await this.delete(id);
      swept += ids.length;
    }
    let orphans = 0;
    for (const { prefix, modifiedMs } of await this.opts.artifacts.listPrefixes()) {
      if (modifiedMs < now - 3600_000 && !this.store.get(prefix)) {
        await this.opts.artifacts.deletePrefix(prefix);
        orphans++;
      }
    }
    return swept + orphans;
  }

  async ready(): Promise<boolean> {
    return (await this.readiness()).ready;
  }

  /** Each readiness check on its own, for /readyz: store, artifacts, runner, disk space. */
  async readiness(): Promise<{
    ready: boolean;
    store: boolean;
    artifacts: boolean;
    runner: boolean;
    space: { ok: boolean; freeMb: number | null };
  }> {
    const safely = async (f: () => boolean | Promise<boolean>) => {
      try {
        return await f();
      } catch {
        return false;
      }
    };
    const store = await safely(() => this.store.ping());
    const artifacts = await safely(() => this.opts.artifacts.ping());
    const runner = await safely(() => this.runner?.ready() ?? false);
    const space = await this.space();
    return { ready: store && artifacts && runner && space.ok, store, artifacts, runner, space };
  }

  /**
   * Whether the data folder has room for one more upload and its results (twice the largest
   * upload) and no store write is waiting for space.
   */
  private async space(): Promise<{ ok: boolean; freeMb: number | null }> {
    let freeMb: number | null = null;
    if (this.opts.dataDir) {
      try {
        const s = await statfs(this.opts.dataDir);
        freeMb = Math.floor((s.bavail * s.bsize) / (1024 * 1024));
      } catch {}
    }
    const room = freeMb === null || freeMb >= 2 * this.opts.config.MAX_UPLOAD_MB;
    return { ok: room && this.deferred.length === 0, freeMb };
  }

  /** Refuses new uploads while the disk is (nearly) full: 507 E_NO_SPACE instead of a failed write. */
  async checkSpace(): Promise<void> {
    const s = await this.space();
    if (!s.ok) {
      throw new LogomillError(
        'E_NO_SPACE',
        `The server's disk is full${s.freeMb === null ? '' : ` (${s.freeMb} MB free)`}; try again later.`,
      );
    }
  }

  async runnerStats() {
    return this.runner?.stats() ?? null;
  }

  /** Queue workers alive now (empty when embedded). */
  async workers() {
    return (await this.runner?.workers?.()) ?? [];
  }

  /** Stops taking work, lets running items finish for up to graceMs, and closes what it opened. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.replayTimer) clearTimeout(this.replayTimer);
    await this.runner?.close(graceMs);
  }
}

/** The upload's extension, kept on the stored input so that a human browsing the folder sees the type. */
function safeExt(name: string): string {
  const e = extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(e) ? e : '';
}

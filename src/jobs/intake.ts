/**
 * Job intake: new jobs are refused while the queue or the disk is full, their logos are
 * stored (uploads part by part, URLs four at a time), then their rows are committed in one
 * transaction and the runner is told. A job that fails on the way leaves no files behind.
 *
 * @example
 *   const id = intake.newId();
 *   const key = await intake.storeInput(id, 0, 'acme.png', data);
 *   await intake.commit(id, [{ fileName: 'acme.png', inputKey: key }], request);
 */
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { ServerConfig } from '../config.js';
import { limiter } from '../engine/limiter.js';
import { LogomillError } from '../errors.js';
import { folderNames } from '../io/write.js';
import type { HttpClient } from '../net/http-client.js';
import type { ArtifactStore } from './artifacts.js';
import type { Runner } from './runner.js';
import type { JobStore } from './store.js';
import type { JobRequest } from './types.js';

export type ServiceConfig = Pick<
  ServerConfig,
  'MAX_UPLOAD_MB' | 'MAX_FILES_PER_JOB' | 'MAX_QUEUED_JOBS' | 'JOB_TTL_H'
>;

/** What intake needs of the HTTP client (src/net/http-client.ts): logo URLs and their checks. */
export type UrlFetcher = Pick<HttpClient, 'fetchBytes'> & Partial<Pick<HttpClient, 'checkTarget'>>;

/** Who submits a job: the API key's id (the job's owner) and the request's idempotency key. */
export interface Submitter {
  owner?: string | null;
  idempotency?: { scope: string; key: string; fingerprint: string };
}

export interface IntakeDeps {
  store: JobStore;
  artifacts: ArtifactStore;
  config: ServiceConfig;
  http: UrlFetcher | null;
  /** The job requests the sink hands to runners, remembered from the commit. */
  requests: Map<string, JobRequest>;
  runner(): Runner | null;
  /** Throws E_NO_SPACE while the disk is (nearly) full. */
  checkSpace(): Promise<void>;
  /** Seconds a client refused for a full queue should wait. */
  retryAfterS(): number;
  log(message: string): void;
}

export class JobIntake {
  constructor(private readonly deps: IntakeDeps) {}

  /** Refuses new work while too many jobs are unfinished (backpressure). */
  checkCapacity(): void {
    const max = this.deps.config.MAX_QUEUED_JOBS;
    if (this.deps.store.unfinishedJobs() >= max) {
      throw new LogomillError(
        'E_QUEUE_FULL',
        `The queue is full (${max} unfinished jobs); try again later.`,
        {
          retryAfterS: this.deps.retryAfterS(),
        },
      );
    }
  }

  /** Refuses a webhook now that its delivery would refuse later (a private address, say). */
  async checkWebhook(request: JobRequest): Promise<void> {
    if (request.webhook && this.deps.http?.checkTarget) {
      await this.deps.http.checkTarget(request.webhook, 'call the webhook');
    }
  }

  /** A new unguessable job id (128 random bits). */
  newId(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Stores one uploaded logo of a job being created; returns its artifact key. */
  async storeInput(jobId: string, index: number, fileName: string, data: Buffer): Promise<string> {
    if (index >= this.deps.config.MAX_FILES_PER_JOB) {
      throw new LogomillError('E_TOO_LARGE', `A job may hold ${this.deps.config.MAX_FILES_PER_JOB} logos.`);
    }
    const key = `${jobId}/_inputs/${index}${safeExt(fileName)}`;
    // an accepted upload must outlive a power cut as its job row does (SQLite synchronous=FULL)
    await this.deps.artifacts.put(key, data, { durable: true });
    return key;
  }

  /** Drops the inputs of a job whose upload failed before it was stored. */
  async discard(jobId: string): Promise<void> {
    await this.deps.artifacts.deletePrefix(jobId);
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
    const id = this.deps.store.create(
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
    this.deps.requests.set(jobId, request);
    // the job is stored, so it is accepted: a runner that cannot take it now (Redis down) gets it
    // from its next reconciliation; the client gets its 202 without waiting for that
    const handed = this.deps
      .runner()
      ?.submitted(jobId)
      .then(
        () => true,
        (err) => {
          this.deps.log(
            `job ${jobId} stored; handing it to the runner failed (${String(err)}); it runs later`,
          );
          return true;
        },
      );
    const late = new Promise<false>((r) => setTimeout(r, 2000, false).unref());
    if (handed && !(await Promise.race([handed, late]))) {
      this.deps.log(`job ${jobId} stored; the runner is not answering, it runs when it does`);
    }
    return jobId;
  }

  /** Stores a job from logos in memory (inputs first, then the rows) and hands it to the runner. */
  async create(files: { name: string; data: Buffer }[], request: JobRequest): Promise<string> {
    this.checkCount(files.length);
    this.checkCapacity();
    await this.deps.checkSpace();
    const id = this.newId();
    return this.storing(id, async () => {
      const keys = await Promise.all(files.map((f, i) => this.storeInput(id, i, f.name, f.data)));
      const inputs = files.map((f, i) => ({ fileName: f.name, inputKey: keys[i] }));
      return this.commit(id, inputs, request);
    });
  }

  /** Fetches logo URLs (through the SSRF-safe client) and creates the job. */
  async createFromUrls(
    urls: string[],
    request: JobRequest,
    signal?: AbortSignal,
    who: Submitter = {},
  ): Promise<string> {
    const http = this.deps.http;
    if (!http) throw new LogomillError('E_UNAVAILABLE', 'This server does not fetch URLs.');
    this.checkCount(urls.length);
    this.checkCapacity();
    const maxBytes = this.deps.config.MAX_UPLOAD_MB * 1024 * 1024;
    // four fetches at a time, each logo stored as it arrives: memory holds four logos at most
    const id = this.newId();
    const four = limiter(4);
    return this.storing(id, async () => {
      const inputs = await Promise.all(
        urls.map((url, i) =>
          four(async () => {
            const r = await http.fetchBytes(url, { maxBytes, signal });
            const fileName = fileNameOf(r.finalUrl);
            return { fileName, inputKey: await this.storeInput(id, i, fileName, r.data) };
          }),
        ),
      );
      return this.commit(id, inputs, request, who);
    });
  }

  /** Runs the storing of a new job; on failure its files go. */
  private async storing(id: string, store: () => Promise<string>): Promise<string> {
    try {
      return await store();
    } catch (err) {
      await this.discard(id);
      throw err;
    }
  }

  private checkCount(logos: number): void {
    const max = this.deps.config.MAX_FILES_PER_JOB;
    if (logos > max) {
      throw new LogomillError('E_TOO_LARGE', `A job may hold ${max} logos; this one has ${logos}.`);
    }
  }
}

/** The last path segment of a logo URL, decoded: the name its folder of results gets. */
function fileNameOf(url: string): string {
  const name = new URL(url).pathname.split('/').pop() || 'logo';
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The upload's extension, kept on the stored input so that a human browsing the folder sees the type. */
function safeExt(name: string): string {
  const e = extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(e) ? e : '';
}

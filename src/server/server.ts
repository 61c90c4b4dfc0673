/**
 * `logomill serve`: puts the service together and opens the port. Embedded
 * default: the job store and the files in DATA_DIR, items run in this
 * process on the engine. With REDIS_URL: items go to a BullMQ queue that
 * `logomill worker` processes consume, on this machine or others.
 *
 * Graceful shutdown (SIGTERM, SIGINT): new jobs get 503, live event streams
 * end, running items get a grace period to finish and are otherwise handed
 * back (the next start runs them), then Redis and the store close.
 */
import { join } from 'node:path';
import { openCache } from '../cache/index.js';
import type { ConfigSource, Settings } from '../config.js';
import { Engine } from '../engine/engine.js';
import { openArtifacts } from '../jobs/artifacts.js';
import { LocalRunner } from '../jobs/local-runner.js';
import { JobService } from '../jobs/service.js';
import { JobStore } from '../jobs/store.js';
import { createHttpClient } from '../net/http-client.js';
import { QueueDispatcher } from '../queue/dispatcher.js';
import { QueueWorker } from '../queue/worker.js';
import { buildApp } from './app.js';
import { createMetrics } from './metrics.js';
import { type UploadGate, uploadGate } from './upload-gate.js';
import { deliverWebhooks } from './webhooks.js';

export interface ServerOptions {
  config: Settings;
  /** Where each setting came from; a default CACHE_DIR moves into DATA_DIR. */
  sources?: Partial<Record<keyof Settings, ConfigSource>>;
  apiKeys?: readonly string[];
  /** `own`: each API key sees only its own jobs (LOGOMILL_KEY_SCOPE); default `all`. */
  keyScope?: 'all' | 'own';
  webhookSecret?: string;
  /** BullMQ queue name (default logomill). */
  queueName?: string;
  /** Log requests as JSON lines (pino) to stdout. */
  logRequests?: boolean;
  log?: (message: string) => void;
  /** Seconds running items get to finish on shutdown (default 20). */
  graceSeconds?: number;
  /** In queue mode, also process queued logos in this process (default true), like one more worker. */
  localWorker?: boolean;
  /** Queue mode: how often to check that Redis still holds the queue (default 5000 ms). */
  queueCheckMs?: number;
}

export interface RunningServer {
  url: string;
  service: JobService;
  engine: Engine | null;
  /** The upload gate: its state, and `change` events as uploads take and give back slots. */
  uploads: UploadGate;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const config = { ...opts.config };
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  if ((opts.sources?.CACHE_DIR ?? 'default') === 'default' && config.CACHE_DIR !== 'off') {
    config.CACHE_DIR = join(config.DATA_DIR, 'cache');
  }
  const store = new JobStore(config.DATA_DIR);
  const artifacts = openArtifacts(config);
  const http = createHttpClient({ allowPrivate: config.ALLOW_PRIVATE_URLS === 1 });
  const service = new JobService({
    store,
    artifacts,
    config,
    http,
    log,
    dataDir: config.DATA_DIR,
  });
  const maxInputBytes = config.MAX_UPLOAD_MB * 1024 * 1024;
  let engine: Engine | null = null;
  let worker: QueueWorker | null = null;
  if (config.REDIS_URL) {
    service.useRunner(
      new QueueDispatcher(service.sink, {
        redisUrl: config.REDIS_URL,
        name: opts.queueName ?? 'logomill',
        checkMs: opts.queueCheckMs,
      }),
    );
    if (opts.localWorker !== false) {
      // the API works the queue too, so one `serve --redis` alone runs jobs and each
      // `logomill worker` started elsewhere adds to it
      engine = new Engine({ config, cache: openCache(config, log), log });
      await engine.warmUp();
      worker = new QueueWorker(
        { engine, artifacts, maxInputBytes },
        {
          redisUrl: config.REDIS_URL,
          name: opts.queueName ?? 'logomill',
          concurrency: config.BATCH_SIZE,
          lockMs: config.QUEUE_LOCK_MS,
          log,
          stats: () => (engine as Engine).stats(),
        },
      );
      await worker.waitUntilReady();
    }
  } else {
    engine = new Engine({ config, cache: openCache(config, log), log });
    await engine.warmUp();
    service.useRunner(new LocalRunner(service.sink, { engine, artifacts, maxInputBytes }, config.BATCH_SIZE));
  }
  deliverWebhooks(service, { http, secret: opts.webhookSecret, log });
  await service.start();
  const metrics = createMetrics({
    service,
    engineStats: engine ? () => engine?.stats() ?? null : undefined,
    workerNames: config.METRICS_WORKER_LABELS === 1,
  });
  let draining = false;
  const uploads = uploadGate({
    slots: config.UPLOADS_AT_ONCE,
    perClient: config.UPLOADS_PER_CLIENT,
    // a waiting upload's socket is idle (its body unread): it must be answered before the
    // connection timeout (30 s) cuts it
    waitMs: Math.min(config.UPLOAD_WAIT_MS, 25_000),
  });
  const app = await buildApp({
    service,
    metrics,
    apiKeys: opts.apiKeys ?? [],
    keyScope: opts.keyScope,
    maxUploadBytes: maxInputBytes,
    maxFilesPerJob: config.MAX_FILES_PER_JOB,
    rateLimitPerMin: config.RATE_LIMIT_PER_MIN,
    logger: opts.logRequests ? { level: 'info' } : false,
    draining: () => draining,
    uploads,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      service.emit('closing');
      const graceMs = (opts.graceSeconds ?? 20) * 1000;
      if (worker) {
        // the queue worker gets the grace period too; what it still holds then is left to its
        // lock's expiry, when another worker takes it over
        const w = worker;
        const late = new Promise<'late'>((r) => setTimeout(r, graceMs, 'late').unref());
        if ((await Promise.race([w.close().then(() => 'done' as const), late])) === 'late')
          await w.close(true);
      }
      // results that came in during the grace period are recorded before the queue events close
      await service.close(graceMs);
      await app.close();
      await engine?.close();
      await http.close();
      await artifacts.close();
      store.close();
    })();
    return closing;
  };
  return { url: `http://${host}:${port}`, service, engine, uploads, close };
}

/**
 * The HTTP app as a Fastify instance, without a port: server.ts listens,
 * tests call `app.inject()` or listen on port 0. Plugins: multipart uploads
 * with limits, per key/IP rate limit, the OpenAPI document, the web app's
 * static files; then the API routes, health and metrics.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { LogomillError } from '../errors.js';
import type { JobService } from '../jobs/service.js';
import { VERSION } from '../version.js';
import { errorBody, handleError } from './http-errors.js';
import { fileRoutes } from './routes/files.js';
import { jobRoutes } from './routes/jobs.js';
import { variationRoutes } from './routes/variations.js';
import { type UploadGate, uploadGate } from './upload-gate.js';

export interface AppOptions {
  service: JobService;
  metrics: Registry;
  /** Accepted API keys; empty: the API is open. */
  apiKeys: readonly string[];
  maxUploadBytes: number;
  maxFilesPerJob: number;
  rateLimitPerMin: number;
  /** Folder of the web app (default: web/ at the package root). */
  webDir?: string;
  logger?: FastifyServerOptions['logger'];
  /** Set while shutting down: readiness fails and new jobs get 503. */
  draining?: () => boolean;
  /** The upload gate (default: 8 slots, 4 per client, 10 s wait before 503). */
  uploads?: UploadGate;
  /** A request must arrive whole within this time (default 120 s). */
  requestTimeoutMs?: number;
  /** `own`: a key sees and deletes only the jobs it created; `all` (default): any valid key sees every job. */
  keyScope?: 'all' | 'own';
}

const sha = (s: string) => createHash('sha256').update(s).digest();

/** Reads the API key from the Authorization or X-API-Key header, or `?key=` (EventSource, links). */
function requestKey(headers: Record<string, unknown>, url: string): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x;
  const q = url.indexOf('?');
  if (q >= 0) return new URLSearchParams(url.slice(q + 1)).get('key');
  return null;
}

/** The URL with any `key=` query value replaced, for logs. */
export function redactKey(url: string): string {
  return url.replace(/([?&]key=)[^&#]*/gi, '$1[redacted]');
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const requestTimeoutMs = opts.requestTimeoutMs ?? 120_000;
  const app = Fastify({
    // request logs never show an API key given as ?key=
    logger: opts.logger
      ? {
          ...(typeof opts.logger === 'object' ? opts.logger : {}),
          serializers: {
            req: (req: { method: string; url: string; ip?: string }) => ({
              method: req.method,
              url: redactKey(req.url),
              remoteAddress: req.ip,
            }),
          },
        }
      : false,
    bodyLimit: 1024 * 1024, // JSON bodies; uploads have their own limits
    // a request must arrive whole within 2 minutes and a connection may idle 30 s (SSE beats every
    // 15 s), so slow clients cannot hold the upload gate for ever
    requestTimeout: requestTimeoutMs,
    // Node looks for timed-out requests every connectionsCheckingInterval (30 s by default): a
    // shorter limit needs a shorter look, or a slow upload keeps its slot that much longer
    http: {
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(requestTimeoutMs / 4))),
      headersTimeout: Math.min(60_000, requestTimeoutMs),
    },
    connectionTimeout: 30_000,
    // on close (after the grace period), connections still open are cut
    forceCloseConnections: true,
    trustProxy: false,
    // the id in logs; job ids are made elsewhere
    genReqId: () => Math.random().toString(36).slice(2, 10),
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send(
        errorBody(
          new LogomillError('E_NOT_FOUND', `There is no route ${req.method} ${req.url.split('?')[0]}.`),
        ),
      );
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  // Which requests are API requests is decided on the matched route, never on the raw URL:
  // the router decodes paths, so "/%61pi/jobs" reaches the same route as "/api/jobs".
  const isApi = (req: FastifyRequest) => {
    const route = req.routeOptions.url ?? '';
    return route.startsWith('/api/') && route !== '/api/openapi.json';
  };
  // API keys: compared as hashes in constant time
  const keys = opts.apiKeys.map(sha);
  const validKey = (req: FastifyRequest): Buffer | null => {
    const given = requestKey(req.headers, req.url);
    const h = given ? sha(given) : null;
    return h && keys.some((k) => timingSafeEqual(k, h)) ? h : null;
  };
  /** Who a request counts against: its valid key, else its address. */
  const clientOf = (req: FastifyRequest): string => {
    const h = keys.length ? validKey(req) : null;
    return h ? `key:${h.toString('hex')}` : `ip:${req.ip}`;
  };
  /** A job's owner: the id of the valid key that created it (a hash prefix, never the key). */
  const ownerOf = (req: FastifyRequest): string | null => {
    const h = keys.length ? validKey(req) : null;
    return h ? h.toString('hex').slice(0, 16) : null;
  };
  if (keys.length && opts.keyScope === 'own') {
    // every route about one job (status, events, files, archive, delete) answers 404 to other keys,
    // as for a job that does not exist: a key learns nothing of others' jobs
    app.addHook('preHandler', async (req) => {
      const route = req.routeOptions.url ?? '';
      const id = (req.params as { id?: unknown } | undefined)?.id;
      if (!route.startsWith('/api/jobs/:id') || typeof id !== 'string') return;
      const job = opts.service.get(id);
      if (job && job.owner !== ownerOf(req)) {
        throw new LogomillError('E_NOT_FOUND', `There is no job ${JSON.stringify(id)}.`);
      }
    });
  }
  const gate = opts.uploads ?? uploadGate({ slots: 8, perClient: 4, waitMs: 10_000 });

  if (opts.draining) {
    const draining = opts.draining;
    app.addHook('onRequest', async (req) => {
      // new jobs and new event streams would hold a stopping server open
      if (draining() && (req.method === 'POST' || req.routeOptions.url === '/api/jobs/:id/events')) {
        throw new LogomillError('E_UNAVAILABLE', 'The server is shutting down; try again in a moment.');
      }
    });
  }

  // the rate limit runs before the key check, so wrong keys count against their address; only a
  // valid key has a bucket of its own (made-up keys cannot buy fresh buckets)
  await app.register(rateLimit, {
    global: true,
    max: opts.rateLimitPerMin,
    timeWindow: 60_000,
    allowList: (req) => !isApi(req),
    keyGenerator: clientOf,
    errorResponseBuilder: (_req, ctx) =>
      new LogomillError(
        'E_RATE_LIMITED',
        `Too many requests: the limit is ${ctx.max} per minute; retry in ${ctx.after}.`,
      ),
  });
  if (keys.length) {
    const needKey = async (req: FastifyRequest) => {
      if (!validKey(req)) {
        throw new LogomillError(
          'E_UNAUTHORIZED',
          'This API needs a key (Authorization: Bearer <key> or X-API-Key).',
        );
      }
    };
    // added to each API route after the rate limit's own hook, so that refused keys are counted
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/') || route.url === '/api/openapi.json') return;
      const before = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [...before, needKey];
    });
  }
  await app.register(multipart, {
    limits: {
      fileSize: opts.maxUploadBytes,
      files: opts.maxFilesPerJob,
      fields: 20,
      fieldSize: 256 * 1024,
      parts: opts.maxFilesPerJob + 20,
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'logomill',
        version: VERSION,
        description: 'Turn one logo into every file a print shop, merch seller or marketing team needs.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      },
      security: keys.length ? [{ apiKey: [] }] : [],
    },
    hideUntagged: true,
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(variationRoutes);
  await app.register(jobRoutes, {
    service: opts.service,
    maxUploadBytes: opts.maxUploadBytes,
    maxFiles: opts.maxFilesPerJob,
    uploads: gate,
    clientOf,
    ownerOf,
  });
  await app.register(fileRoutes, { service: opts.service });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const uploads = gate.state();
    const { ready: serviceReady, ...checks } = await opts.service.readiness();
    // a full gate with uploads waiting cannot take another upload now: send them elsewhere
    const gateOk = uploads.active < uploads.slots || uploads.waiting === 0;
    const ready = !opts.draining?.() && serviceReady && gateOk;
    return reply.status(ready ? 200 : 503).send({ ready, ...checks, uploads });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', opts.metrics.contentType).send(await opts.metrics.metrics()),
  );

  await app.register(fastifyStatic, {
    root: opts.webDir ?? fileURLToPath(new URL('../../web/', import.meta.url)),
    prefix: '/',
    index: ['index.html'],
    // the app's own files only; no directory listings
    list: false,
    setHeaders: (res) => {
      res.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'",
      );
    },
  });
  return app;
}

/**
 * /api/jobs: create (multipart upload or JSON with URLs), status, live events
 * (server-sent), delete. Uploads are read one part at a time and each logo
 * is stored before the next is read, so a request holds at most one file in
 * memory; a failed upload leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LogomillError } from '../../errors.js';
import { checkJobRequest, type JobAsk } from '../../jobs/request.js';
import type { JobService, Submitter } from '../../jobs/service.js';
import { FINAL_JOB_STATES, type JobRecord } from '../../jobs/types.js';
import { type JobStatusView, jobEventsUrl, jobStatus, jobUrl } from '../job-status.js';
import {
  CreateJobJson,
  CreateJobMultipart,
  Deleted,
  ErrorResponse,
  EventsResponse,
  JobCreated,
  JobParams,
  JobStatus,
} from '../schemas/jobs.js';
import type { UploadGate } from '../upload-gate.js';

interface Params {
  id: string;
}

const jsonChecker = TypeCompiler.Compile(CreateJobJson);

/** Validates a JSON job body with the same schema the OpenAPI document shows. */
function checkJson(body: unknown): { value: unknown } | { error: Error } {
  if (jsonChecker.Check(body)) return { value: body };
  const first = jsonChecker.Errors(body).First();
  const where = first?.path ? `body${first.path.replaceAll('/', '.')}` : 'body';
  return {
    error: new LogomillError('E_BAD_OPTION', `Invalid ${where}: ${first?.message ?? 'not a job request'}.`),
  };
}

export async function jobRoutes(
  app: FastifyInstance,
  opts: {
    service: JobService;
    maxUploadBytes: number;
    maxFiles: number;
    /** At most this many uploads are read at once; the rest wait, their bodies still in the socket. */
    uploads: UploadGate;
    clientOf: (req: FastifyRequest) => string;
    /** The job owner a request creates jobs for: its API key's id, or null without keys. */
    ownerOf: (req: FastifyRequest) => string | null;
    maxEventStreams?: number;
  },
): Promise<void> {
  const { service, uploads } = opts;
  const { intake } = service;
  const streams = { open: 0 };

  app.post(
    '/api/jobs',
    {
      schema: {
        summary: 'Create a job from uploaded logos (multipart) or logo URLs (JSON)',
        tags: ['jobs'],
        consumes: ['multipart/form-data', 'application/json'],
        body: {
          content: {
            'application/json': { schema: CreateJobJson },
            'multipart/form-data': { schema: CreateJobMultipart },
          },
        },
        response: { 202: JobCreated, '4xx': ErrorResponse, '5xx': ErrorResponse },
      },
      // multipart bodies are read by the handler, part by part; only JSON is validated up front
      validatorCompiler: ({ schema }) => ((schema as unknown) === CreateJobJson ? checkJson : () => true),
    },
    async (req, reply) => {
      let id: string;
      if (req.isMultipart()) {
        const who = submitter(req, opts);
        intake.checkCapacity(); // refuse before reading megabytes we would throw away
        await service.checkSpace();
        id = await uploads.run(who.client, req.raw, () => readUpload(req, service, opts.maxFiles, who));
      } else {
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim()
          .toLowerCase();
        if (req.body === undefined || req.body === null || type === '') {
          throw new LogomillError(
            'E_BAD_OPTION',
            'Expected logos: a multipart form with files, or a JSON body with "urls".',
          );
        }
        if (type !== 'application/json') {
          throw new LogomillError(
            'E_UNSUPPORTED_MEDIA_TYPE',
            `A job is created from multipart/form-data or application/json, not ${type}.`,
          );
        }
        const body = req.body as { urls: string[] } & JobAsk;
        const request = checkJobRequest(body);
        const who = submitter(req, opts);
        await service.intake.checkWebhook(request);
        intake.checkCapacity();
        await service.checkSpace();
        const signal = abortOnClose(reply);
        const fingerprint = createHash('sha256')
          .update(JSON.stringify([body.urls, request]))
          .digest('hex');
        id = await uploads.run(who.client, req.raw, () =>
          intake.createFromUrls(body.urls, request, signal, who.withFingerprint(fingerprint)),
        );
      }
      return reply.status(202).send({ id, url: jobUrl(id), eventsUrl: jobEventsUrl(id) });
    },
  );

  app.get<{ Params: Params }>(
    '/api/jobs/:id',
    {
      schema: {
        summary: 'Job status: state, progress per item and task, outputs with URLs',
        tags: ['jobs'],
        params: JobParams,
        response: { 200: JobStatus, '4xx': ErrorResponse },
      },
    },
    async (req) => {
      const job = service.get(req.params.id);
      if (!job) throw notFound(req.params.id);
      return jobStatus(job);
    },
  );

  app.delete<{ Params: Params }>(
    '/api/jobs/:id',
    {
      schema: {
        summary: 'Cancel a job and delete it with its files',
        tags: ['jobs'],
        params: JobParams,
        response: { 204: Deleted, '4xx': ErrorResponse },
      },
    },
    async (req, reply) => {
      if (!(await service.delete(req.params.id))) throw notFound(req.params.id);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Params }>(
    '/api/jobs/:id/events',
    {
      schema: {
        summary: 'Server-sent events: `job` with the status after each change, `end` when final',
        tags: ['jobs'],
        params: JobParams,
        produces: ['text/event-stream'],
        response: { 200: EventsResponse, '4xx': ErrorResponse },
      },
    },
    async (req, reply) => {
      const job = service.get(req.params.id);
      if (!job) throw notFound(req.params.id);
      // every stream holds a socket and a listener: a cap keeps that bounded
      if (streams.open >= (opts.maxEventStreams ?? 1000)) {
        throw new LogomillError(
          'E_UNAVAILABLE',
          'Too many live event streams; poll GET /api/jobs/:id instead.',
        );
      }
      streams.open++;
      reply.raw.once('close', () => streams.open--);
      streamEvents(req, reply, service, jobStatus(job));
    },
  );
}

interface RequestSubmitter {
  client: string;
  owner: string | null;
  /** The submitter with the request's fingerprint, for its Idempotency-Key (if it sent one). */
  withFingerprint(fingerprint: string): Submitter;
}

/** Who sends a job request, and its Idempotency-Key (checked: 1–200 visible ASCII characters). */
function submitter(
  req: FastifyRequest,
  opts: { clientOf: (req: FastifyRequest) => string; ownerOf: (req: FastifyRequest) => string | null },
): RequestSubmitter {
  const client = opts.clientOf(req);
  const owner = opts.ownerOf(req);
  const key = req.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key))) {
    throw new LogomillError(
      'E_BAD_OPTION',
      'The Idempotency-Key header must be 1 to 200 visible ASCII characters (a UUID, say).',
    );
  }
  return {
    client,
    owner,
    withFingerprint: (fingerprint) => ({
      owner,
      ...(key ? { idempotency: { scope: owner ?? client, key, fingerprint } } : {}),
    }),
  };
}

function notFound(id: string): LogomillError {
  return new LogomillError('E_NOT_FOUND', `There is no job ${JSON.stringify(id)}.`);
}

/** Aborts when the client goes away before its answer is sent (the request body is long read by then). */
function abortOnClose(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

/**
 * The multipart parser's own complaints (a truncated body, a missing boundary, a client that hung
 * up) are the client's fault: 400, not 500. Limits keep their 413 (they carry a status).
 */
async function parsing<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof LogomillError || (err as { statusCode?: number }).statusCode) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new LogomillError('E_BAD_OPTION', `The upload is not a complete multipart form (${why}).`);
  }
}

/**
 * Watches a multipart body for its closing delimiter (`--boundary--`), which content cannot
 * contain; returns whether it has been seen. Listening to `data` beside the parser's pipe
 * observes the same chunks without consuming any.
 */
function closingBoundary(req: FastifyRequest): () => boolean {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(req.headers['content-type'] ?? ''));
  if (!boundary) return () => false;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}--`);
  let seen = false;
  // the last bytes of what came before, for a marker split between two chunks (chunks are not copied)
  const keep = marker.length - 1;
  let tail = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    const seam = Buffer.concat([tail, chunk.subarray(0, keep)]);
    if (seam.includes(marker) || chunk.includes(marker)) {
      seen = true;
      req.raw.off('data', onData);
    } else {
      const last = chunk.length >= keep ? chunk : seam;
      tail = Buffer.from(last.subarray(Math.max(0, last.length - keep)));
    }
  };
  req.raw.on('data', onData);
  return () => seen;
}

/** Reads a multipart upload: each file is stored as it arrives; the fields are checked at the end. */
async function readUpload(
  req: FastifyRequest,
  service: JobService,
  maxFiles: number,
  who: RequestSubmitter,
): Promise<string> {
  const id = service.intake.newId();
  // the request's fingerprint for an Idempotency-Key: every file's name and bytes, then the request
  const fingerprint = createHash('sha256');
  const inputs: { fileName: string; inputKey: string }[] = [];
  const fields: Record<string, string> = {};
  const whole = closingBoundary(req);
  try {
    const parts = req.parts()[Symbol.asyncIterator]();
    for (let next = await parsing(parts.next()); !next.done; next = await parsing(parts.next())) {
      const part = next.value;
      if (part.type === 'file') {
        if (inputs.length >= maxFiles) {
          throw new LogomillError('E_TOO_LARGE', `A job may hold ${maxFiles} logos.`);
        }
        const data = await parsing(part.toBuffer());
        if (data.length === 0) continue; // an empty file input in a form
        fingerprint.update(`${part.filename}\0${data.length}\0`).update(data);
        const key = await service.intake.storeInput(id, inputs.length, part.filename, data);
        inputs.push({ fileName: part.filename || 'logo', inputKey: key });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
    // the parser ends quietly on a body cut before its closing boundary, dropping the part it
    // was reading (often the last field, `variations`): such a form is refused, not guessed at
    if (!whole()) {
      throw new LogomillError(
        'E_BAD_OPTION',
        'The upload is not a complete multipart form: it ends before its closing boundary.',
      );
    }
    let options: unknown = {};
    if (fields.options) {
      try {
        options = JSON.parse(fields.options);
      } catch {
        throw new LogomillError('E_BAD_OPTION', 'The options field is not valid JSON.');
      }
    }
    const request = checkJobRequest({
      variations: fields.variations,
      preset: fields.preset,
      options,
      webhook: fields.webhook,
    });
    await service.intake.checkWebhook(request);
    fingerprint.update(JSON.stringify(request));
    return await service.intake.commit(id, inputs, request, who.withFingerprint(fingerprint.digest('hex')));
  } catch (err) {
    await service.intake.discard(id);
    throw err;
  }
}

/** Sends the job's status at once and after each change (at most every 150 ms), then `end`. */
function streamEvents(
  req: FastifyRequest,
  reply: FastifyReply,
  service: JobService,
  first: JobStatusView,
): void {
  const id = first.id;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let timer: NodeJS.Timeout | null = null;
  let last = 0;
  let closed = false;
  const send = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const finish = (status: JobStatusView & { deleted?: true }) => {
    send('end', status);
    close();
  };
  const flush = () => {
    timer = null;
    last = Date.now();
    const job = service.get(id);
    if (!job) return; // deleted: the change event carried the final word
    const status = jobStatus(job);
    if (FINAL_JOB_STATES.has(job.state)) finish(status);
    else send('job', status);
  };
  const onChange = (jobId: string, deleted?: JobRecord) => {
    if (jobId !== id || closed) return;
    if (deleted) {
      finish({ ...jobStatus(deleted, 'cancelled'), deleted: true });
      return;
    }
    if (timer) return;
    timer = setTimeout(flush, Math.max(0, 150 - (Date.now() - last)));
  };
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, 15_000);
  const close = () => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    clearInterval(heartbeat);
    service.off('change', onChange);
    service.off('closing', close);
    res.end();
  };
  service.on('change', onChange);
  // a stopping server ends its streams, or they would hold it open
  service.once('closing', close);
  req.raw.on('close', close);
  last = Date.now();
  if (FINAL_JOB_STATES.has(first.state)) finish(first);
  else send('job', first);
}

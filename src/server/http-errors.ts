/**
 * The one place error codes become HTTP statuses, and every error response
 * takes one shape: `{ "error": { "code", "message" } }`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, LogomillError, toLogomillError } from '../errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  E_BAD_OPTION: 400,
  E_UNKNOWN_VARIATION: 400,
  E_UNSUPPORTED_FORMAT: 400,
  E_CORRUPT_INPUT: 400,
  E_EMPTY_IMAGE: 400,
  E_NO_ART: 422,
  E_NOTHING_TO_PRINT: 422,
  E_INPUT_NOT_FOUND: 400,
  E_URL_REFUSED: 400,
  E_UNAUTHORIZED: 401,
  E_NOT_FOUND: 404,
  E_TOO_LARGE: 413,
  E_RATE_LIMITED: 429,
  E_QUEUE_FULL: 429,
  E_FETCH_FAILED: 502,
  E_UNAVAILABLE: 503,
  E_ABORTED: 503,
  E_NO_SPACE: 507,
  E_UNSUPPORTED_MEDIA_TYPE: 415,
  E_IDEMPOTENCY_MISMATCH: 422,
};

export function statusFor(code: string): number {
  return STATUS[code as ErrorCode] ?? 500;
}

/** Fastify's and its plugins' own errors, in our vocabulary. */
function fromFastify(err: FastifyError): LogomillError | null {
  if (err.validation) {
    const where = err.validationContext ?? 'request';
    return new LogomillError(
      'E_BAD_OPTION',
      `Invalid ${where}: ${err.message.replace(/^(body|querystring|params)\/?/, '')}`,
    );
  }
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new LogomillError('E_TOO_LARGE', `The upload is too large: ${err.message.replace(/\.$/, '')}.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new LogomillError(
        'E_UNSUPPORTED_MEDIA_TYPE',
        `Unsupported body type: ${err.message.replace(/\.$/, '')}.`,
      );
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new LogomillError('E_BAD_OPTION', `Bad request: ${err.message.replace(/\.$/, '')}.`);
  }
  // any other client error keeps its meaning (a static file's 403 is a 404 here: nothing to see)
  const status = err.statusCode ?? 0;
  if (status === 401) return new LogomillError('E_UNAUTHORIZED', err.message);
  if (status === 403 || status === 404) return new LogomillError('E_NOT_FOUND', 'Not found.');
  if (status === 413) return new LogomillError('E_TOO_LARGE', err.message);
  if (status === 429) return new LogomillError('E_RATE_LIMITED', err.message);
  if ((status >= 400 && status < 500) || (err instanceof SyntaxError && !status)) {
    return new LogomillError('E_BAD_OPTION', `Bad request: ${err.message}`);
  }
  return null;
}

export function errorBody(e: LogomillError): { error: { code: string; message: string } } {
  return { error: { code: e.code, message: e.message } };
}

/** Fastify error handler: typed errors keep their code, everything else is a 500 that is logged. */
export function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const e = err instanceof LogomillError ? err : (fromFastify(err) ?? toLogomillError(err));
  const status = statusFor(e.code);
  if (status >= 500) req.log.error({ err }, 'request failed');
  if ((e.code === 'E_QUEUE_FULL' || e.code === 'E_UNAVAILABLE') && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', String(e.retryAfterS ?? 5));
  }
  void reply.status(status).send(errorBody(e));
}

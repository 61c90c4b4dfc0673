/**
 * One error class for everything logomill refuses to do, with a stable `code`.
 * Shells map codes to their own vocabulary in exactly one place each
 * (CLI exit codes: src/cli/exit-codes.ts).
 *
 * @example
 *   throw new LogomillError('E_TOO_LARGE', 'The image is 100000×100000 px; the limit is 64 MP.');
 */
export type ErrorCode =
  | 'E_UNSUPPORTED_FORMAT'
  | 'E_CORRUPT_INPUT'
  | 'E_TOO_LARGE'
  | 'E_EMPTY_IMAGE'
  /** The art analysis found no art: a blank image, one flat colour, all background. */
  | 'E_NO_ART'
  /** Separations would print no film (e.g. white art and no garment to print it on). */
  | 'E_NOTHING_TO_PRINT'
  | 'E_BAD_OPTION'
  | 'E_UNKNOWN_VARIATION'
  | 'E_INPUT_NOT_FOUND'
  | 'E_OUTPUT_FAILED'
  /** The disk (or the quota) is full: nothing was written, or what was started was removed. */
  | 'E_NO_SPACE'
  /** The output path cannot be written: not a folder, no permission, a read-only file system. */
  | 'E_OUTPUT_NOT_WRITABLE'
  | 'E_ABORTED'
  | 'E_TIMEOUT'
  | 'E_WORKER_FAILED'
  | 'E_INTERNAL'
  // service codes (HTTP statuses: src/server/http-errors.ts)
  | 'E_NOT_FOUND'
  | 'E_UNAUTHORIZED'
  | 'E_RATE_LIMITED'
  | 'E_QUEUE_FULL'
  | 'E_URL_REFUSED'
  | 'E_FETCH_FAILED'
  | 'E_UNAVAILABLE'
  /** A request body of a type the route does not take (HTTP 415). */
  | 'E_UNSUPPORTED_MEDIA_TYPE'
  /** An Idempotency-Key reused with a different request (HTTP 422). */
  | 'E_IDEMPOTENCY_MISMATCH';

/** Codes that mean "the caller's input or options are wrong" (CLI exit 2, HTTP 4xx later). */
export const USER_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_UNSUPPORTED_FORMAT',
  'E_CORRUPT_INPUT',
  'E_TOO_LARGE',
  'E_EMPTY_IMAGE',
  'E_NO_ART',
  'E_NOTHING_TO_PRINT',
  'E_BAD_OPTION',
  'E_UNKNOWN_VARIATION',
  'E_INPUT_NOT_FOUND',
  'E_URL_REFUSED',
  'E_OUTPUT_NOT_WRITABLE',
]);

export class LogomillError extends Error {
  override readonly name = 'LogomillError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options);
    this.retryAfterS = options?.retryAfterS;
  }

  /** For a refusal that passes (a full queue): when to try again, in seconds. */
  readonly retryAfterS: number | undefined;

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Wraps anything thrown into a LogomillError, keeping typed errors as they are. */
export function toLogomillError(err: unknown): LogomillError {
  if (err instanceof LogomillError) return err;
  if (err instanceof Error && err.name === 'AbortError') {
    return new LogomillError('E_ABORTED', 'The job was cancelled.', { cause: err });
  }
  const fs = fileSystemError(err);
  if (fs) return fs;
  const detail = err instanceof Error ? err.message : String(err);
  return new LogomillError('E_INTERNAL', `Unexpected internal error: ${detail}`, { cause: err });
}

/** errno codes of a full disk or quota (Node's fs and SQLite's "database or disk is full"). */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
/** errno codes that mean the path itself cannot be written. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST']);

/**
 * A file-system failure in our vocabulary: a full disk is E_NO_SPACE, a path that cannot be
 * written E_OUTPUT_NOT_WRITABLE, each with one sentence naming the path (not the raw errno text).
 * Anything else: null.
 */
export function fileSystemError(err: unknown, where?: string): LogomillError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const path = where ?? (err as { path?: unknown }).path;
  const at = typeof path === 'string' ? ` (${path})` : '';
  if (NO_SPACE.has(code)) {
    return new LogomillError('E_NO_SPACE', `The disk is full${at}; free some space and try again.`, {
      cause: err,
    });
  }
  if (NOT_WRITABLE.has(code)) {
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a file stands where a folder is needed'
        : code === 'EISDIR'
          ? 'a folder stands where a file is needed'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : 'permission denied';
    return new LogomillError('E_OUTPUT_NOT_WRITABLE', `Cannot write the output${at}: ${why}.`, {
      cause: err,
    });
  }
  return null;
}

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
  | 'E_UNAVAILABLE';

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
]);

export class LogomillError extends Error {
  override readonly name = 'LogomillError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

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
  const detail = err instanceof Error ? err.message : String(err);
  return new LogomillError('E_INTERNAL', `Unexpected internal error: ${detail}`, { cause: err });
}

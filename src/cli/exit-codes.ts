/** The one place where error codes become CLI exit codes. */
import { type ErrorCode, LogomillError, USER_ERROR_CODES } from '../errors.js';

export const EXIT_OK = 0;
/** Some outputs (or some of several inputs) failed; the rest were written. */
export const EXIT_PARTIAL = 1;
/** Bad usage, bad options or bad input: nothing could be done. */
export const EXIT_USAGE = 2;

export function exitCodeFor(code: ErrorCode | string): number {
  return USER_ERROR_CODES.has(code as ErrorCode) ? EXIT_USAGE : EXIT_PARTIAL;
}

/** Reports an error that stops the whole command; returns its exit code. */
export function reportFatal(err: unknown): number {
  const e = err instanceof LogomillError ? err : new LogomillError('E_INTERNAL', String(err));
  process.stderr.write(`error: [${e.code}] ${e.message}\n`);
  return e.code === 'E_INTERNAL' ? EXIT_PARTIAL : EXIT_USAGE;
}

/** The one place where error codes become CLI exit codes. */
import { type ErrorCode, toLogomillError, USER_ERROR_CODES } from '../errors.js';

export const EXIT_OK = 0;
/** Some outputs (or some of several inputs) failed; the rest were written. */
export const EXIT_PARTIAL = 1;
/** Bad usage, bad options or bad input: nothing could be done. */
export const EXIT_USAGE = 2;

/** 2 for the caller's mistakes (USER_ERROR_CODES: bad input, options, output path), else 1. */
export function exitCodeFor(code: ErrorCode | string): number {
  return USER_ERROR_CODES.has(code as ErrorCode) ? EXIT_USAGE : EXIT_PARTIAL;
}

/**
 * Reports an error that stops the whole command, as `error: [CODE] sentence` (a file-system
 * error in logomill's words, never a stack trace); returns its exit code.
 */
export function reportFatal(err: unknown): number {
  const e = toLogomillError(err);
  process.stderr.write(`error: [${e.code}] ${e.message}\n`);
  return exitCodeFor(e.code);
}

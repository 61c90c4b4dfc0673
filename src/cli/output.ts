/**
 * The CLI's output on disk: the output path checked before any work, and each
 * logo's folder written all or nothing (io/write.ts). File-system errors come
 * back in logomill's vocabulary — E_NO_SPACE, E_OUTPUT_NOT_WRITABLE — with one
 * sentence naming the path, never raw errno text.
 */
import { join } from 'node:path';
import { type ErrorCode, fileSystemError, type LogomillError, toLogomillError } from '../errors.js';
import type { LogoResult } from '../index.js';
import { checkWritableFile, checkWritableFolder, type FolderFile, writeFolderAtomic } from '../io/write.js';

/** Any error as a LogomillError; a file-system error names `path` (not a temporary name). */
export function outputError(err: unknown, path: string): LogomillError {
  return fileSystemError(err, path) ?? toLogomillError(err);
}

/** Codes after which every further write fails alike: a command stops taking new inputs. */
export function isOutputFault(code: ErrorCode | string): boolean {
  return code === 'E_NO_SPACE' || code === 'E_OUTPUT_NOT_WRITABLE';
}

/** Throws E_OUTPUT_NOT_WRITABLE when `dir` cannot become a folder we write in (a file in the way, no permission). */
export async function checkOutputFolder(dir: string): Promise<void> {
  await checkWritableFolder(dir).catch((err: unknown) => {
    throw outputError(err, dir);
  });
}

/** Throws E_OUTPUT_NOT_WRITABLE when no file can be written at `file` (a folder there, its folder not writable). */
export async function checkOutputFile(file: string): Promise<void> {
  await checkWritableFile(file).catch((err: unknown) => {
    throw outputError(err, file);
  });
}

/**
 * Writes a logo's files and its manifest.json (`toManifest(result)`) as the folder `dir`, all or
 * nothing, and sets each output's `path`. Throws E_NO_SPACE or E_OUTPUT_NOT_WRITABLE naming
 * `dir`; nothing of this logo is then left on disk. (The manifest is passed in so that `trace`,
 * which uses the checks above, does not bundle the whole library.)
 */
export async function writeLogoFolder(
  dir: string,
  result: LogoResult,
  manifest: { outputs?: unknown },
): Promise<void> {
  const listed = manifest.outputs as { file: string }[];
  const files: FolderFile[] = result.outputs.map((o, i) => ({
    path: listed[i].file,
    data: o.data,
  }));
  files.push({ path: 'manifest.json', data: `${JSON.stringify(manifest, null, 2)}\n` });
  try {
    await writeFolderAtomic(dir, files);
  } catch (err) {
    throw outputError(err, dir);
  }
  result.outputs.forEach((o, i) => {
    o.path = join(dir, listed[i].file);
  });
}

/**
 * Writing results to disk. Each file is written to a temporary name and
 * renamed into place, so a crash never leaves a partial file under a real name;
 * a logo's folder is written the same way as a whole (writeFolderAtomic), so
 * that it is either complete, with its manifest, or absent.
 */
import { access, constants, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** A name for a temporary sibling of `path`: hidden, unique, ending in `.tmp`. */
function tmpSibling(path: string, tag = ''): string {
  const nonce = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
  return join(dirname(path), `.${basename(path)}${tag}.${nonce}.tmp`);
}

/**
 * Writes via a temporary name and a rename; `durable` also flushes the bytes to disk before the
 * rename. On failure the temporary file is removed and the file system's error rethrown as it is.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  opts: { durable?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tmpSibling(path);
  try {
    if (opts.durable) {
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } else {
      await writeFile(tmp, data);
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** One file of a folder written by writeFolderAtomic: its path inside the folder, and its bytes. */
export interface FolderFile {
  path: string;
  data: Uint8Array | string;
}

const hasCode = (err: unknown, ...codes: string[]) =>
  codes.includes((err as { code?: unknown } | null)?.code as string);

/**
 * Writes a folder all or nothing: every file goes into a hidden temporary sibling
 * (`.<name>.<nonce>.tmp`), which is renamed to `dir` at the end. A folder already at `dir` (an
 * earlier run's) is replaced as a whole. On any failure — a full disk, a file where a folder
 * should be — the temporary folder is removed, an earlier folder is left as it was, and the
 * file system's error is rethrown as it is. File paths must be relative and safe (see safeSegment).
 *
 * @example
 *   await writeFolderAtomic('out/logo', [{ path: 'black/black.png', data }, { path: 'manifest.json', data: json }]);
 */
export async function writeFolderAtomic(dir: string, files: readonly FolderFile[]): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const tmp = tmpSibling(dir);
  let old: string | null = null;
  try {
    await mkdir(tmp);
    for (const f of files) {
      const path = join(tmp, f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.data);
    }
    try {
      await rename(tmp, dir);
    } catch (err) {
      if (!hasCode(err, 'ENOTEMPTY', 'EEXIST')) throw err;
      // a folder from an earlier run: set it aside, move the new one in, then drop the old one
      old = tmpSibling(dir, '.old');
      await rename(dir, old);
      await rename(tmp, dir);
    }
  } catch (err) {
    if (old) await rename(old, dir).catch(() => {});
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
  if (old) await rm(old, { recursive: true, force: true }).catch(() => {});
}

/**
 * Writes several files into the folder `dir` (which may hold other files) nearly all or
 * nothing: each to a temporary name first, and only when every one is written are they renamed
 * into place. On a failure while writing, the temporary files are removed and the file system's
 * error rethrown as it is.
 */
export async function writeFilesAtomic(dir: string, files: readonly FolderFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const staged: [string, string][] = [];
  try {
    for (const f of files) {
      const path = join(dir, f.path);
      staged.push([tmpSibling(path), path]);
      await writeFile(staged[staged.length - 1][0], f.data);
    }
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true }).catch(() => {})));
    throw err;
  }
  for (const [tmp, path] of staged) await rename(tmp, path);
}

/**
 * Checks, before any work, that `path` can become a folder that we can write in: it is a folder
 * already, or its nearest existing ancestor is a folder we may write in. Throws the file
 * system's error (ENOTDIR where a file stands in the way, EACCES, EROFS) as it is; writes nothing.
 */
export async function checkWritableFolder(path: string): Promise<void> {
  let at = resolve(path);
  for (;;) {
    const s = await stat(at).catch((err: unknown) => {
      if (hasCode(err, 'ENOENT')) return null;
      throw err;
    });
    if (s) {
      if (!s.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, ${at}`), { code: 'ENOTDIR', path: at });
      }
      await access(at, constants.W_OK | constants.X_OK);
      return;
    }
    const up = dirname(at);
    if (up === at) return;
    at = up;
  }
}

/**
 * Checks, before any work, that a file can be written at `path`: not a folder, and its folder
 * writable (checkWritableFolder). Throws the file system's error as it is.
 */
export async function checkWritableFile(path: string): Promise<void> {
  const s = await stat(path).catch(() => null);
  if (s?.isDirectory()) {
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, ${path}`), {
      code: 'EISDIR',
      path,
    });
  }
  await checkWritableFolder(dirname(resolve(path)));
}

/** Makes a string safe as one path segment: no separators, no dot-dot, no control characters. */
export function safeSegment(name: string, fallback = 'logo'): string {
  const cleaned = name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._ @-]+/gu, '-')
    .replace(/^[.\s-]+|[.\s]+$/g, '')
    .slice(0, 100);
  return cleaned || fallback;
}

/**
 * One folder name per input file, unique (ignoring case, for case-insensitive file systems):
 * the base name made safe; where two collide, the extension is added; where they still
 * collide (two "logo.png", or names cut at 100 characters), a number.
 */
export function folderNames(files: string[]): string[] {
  const base = files.map((f) => safeSegment(basename(f, extname(f))));
  const wanted = base.map((b, i) =>
    base.filter((x) => x === b).length > 1 ? safeSegment(`${b}-${extname(files[i]).slice(1) || i}`) : b,
  );
  const used = new Set<string>();
  return wanted.map((w) => {
    let name = w;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${safeSegment(w).slice(0, 90)}-${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

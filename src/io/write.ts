/**
 * Writing results to disk. Each file is written to a temporary name and
 * renamed into place, so a crash never leaves a partial file under a real name.
 */
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** Writes via a temporary name and a rename; `durable` also flushes the bytes to disk before the rename. */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  opts: { durable?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
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

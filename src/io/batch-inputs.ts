/**
 * What a batch reads: every logo in a folder (recursively), the files a glob
 * pattern matches, or the images inside a .zip. Inputs are listed first and
 * read one at a time when their turn comes, so a batch of 1,000 logos never
 * holds more than the few it is working on.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { LogomillError } from '../errors.js';
import { readInput } from './read.js';

export interface BatchInput {
  /** Shown to the user: a path, or zip-name:entry. */
  display: string;
  read(): Promise<Uint8Array>;
}

export interface BatchInputs {
  inputs: BatchInput[];
  close(): Promise<void>;
}

const IMAGE = /\.(png|jpe?g|webp|gif|tiff?|avif|svg)$/i;

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && IMAGE.test(e.name)) out.push(p);
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

function fileInputs(paths: string[]): BatchInputs {
  return { inputs: paths.map((p) => ({ display: p, read: () => readInput(p) })), close: async () => {} };
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );
}

async function zipInputs(path: string, maxBytes: number): Promise<BatchInputs> {
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw new LogomillError('E_CORRUPT_INPUT', `${path} is not a readable zip file.`, { cause: err });
  }
  const entries: Entry[] = await new Promise((resolve, reject) => {
    const list: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      if (!e.fileName.endsWith('/') && IMAGE.test(e.fileName) && !e.fileName.split('/').includes('__MACOSX'))
        list.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(list));
    zip.on('error', reject);
    zip.readEntry();
  });
  entries.sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  const readEntry = (e: Entry) =>
    new Promise<Uint8Array>((resolve, reject) => {
      if (e.uncompressedSize > maxBytes) {
        reject(
          new LogomillError(
            'E_TOO_LARGE',
            `${e.fileName} unpacks to ${e.uncompressedSize} bytes; the limit is ${maxBytes}.`,
          ),
        );
        return;
      }
      zip.openReadStream(e, (err, stream) => {
        if (err)
          return reject(
            new LogomillError('E_CORRUPT_INPUT', `${e.fileName} cannot be read from the zip.`, {
              cause: err,
            }),
          );
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (cause) =>
          reject(new LogomillError('E_CORRUPT_INPUT', `${e.fileName} is damaged in the zip.`, { cause })),
        );
        stream.on('end', () => resolve(Buffer.concat(chunks)));
      });
    });
  return {
    inputs: entries.map((e) => ({ display: `${basename(path)}:${e.fileName}`, read: () => readEntry(e) })),
    close: async () => zip.close(),
  };
}

/**
 * Lists a batch's inputs from a folder, a glob (`logos/*.png`, `art/**\/*.svg`) or a .zip.
 * Throws E_INPUT_NOT_FOUND when nothing matches.
 */
export async function listBatchInputs(source: string, maxBytes: number): Promise<BatchInputs> {
  let found: BatchInputs;
  if (/[*?]/.test(source)) {
    const parts = source.split(/[\\/]/);
    const fixed: string[] = [];
    while (parts.length && !/[*?]/.test(parts[0])) fixed.push(parts.shift() as string);
    const base = fixed.length ? fixed.join(sep) || sep : '.';
    const re = globToRegExp(parts.join('/'));
    const all = await walk(base).catch(() => [] as string[]);
    found = fileInputs(all.filter((p) => re.test(relative(base, p).split(sep).join('/'))).sort());
  } else {
    const s = await stat(source).catch(() => null);
    if (!s) throw new LogomillError('E_INPUT_NOT_FOUND', `Cannot read ${source}: no such file or folder.`);
    if (s.isDirectory()) found = fileInputs((await walk(source)).sort());
    else if (/\.zip$/i.test(source)) found = await zipInputs(source, maxBytes);
    else found = fileInputs([source]);
  }
  if (found.inputs.length === 0) {
    await found.close();
    throw new LogomillError(
      'E_INPUT_NOT_FOUND',
      `No logo files (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG) in ${source}.`,
    );
  }
  return found;
}

/**
 * What a batch reads: every logo in a folder (recursively), the files a glob
 * pattern matches, or the images inside a .zip. Inputs are listed first and
 * read one at a time when their turn comes, so a batch of 1,000 logos never
 * holds more than the few it is working on.
 *
 * A zip is hostile until proven otherwise. yauzl lists its directory; each
 * entry is then read here, straight from the file, and a bad one fails as
 * that input alone (the batch reports it and goes on): a path that is absolute
 * or climbs out with `..`, a size it lies about (in its header or its data), a
 * wrong checksum, data cut short → E_CORRUPT_INPUT; over the input limit →
 * E_TOO_LARGE, before a byte is read; encrypted or an unknown compression →
 * E_UNSUPPORTED_FORMAT. A zip whose directory cannot be found at all (cut
 * short, not a zip) is refused whole.
 */
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { LogomillError } from '../errors.js';
import { crc32 } from './crc32.js';
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
    // names are decoded and checked here, per entry (an unsafe one skips that entry, not the zip);
    // sizes are checked as each entry is read, against what it really holds
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    ),
  );
}

/** The zip's directory: every entry that names an image, and the error that cut the listing short, if any. */
async function listEntries(zip: ZipFile): Promise<{ entries: ZipEntry[]; error: unknown }> {
  const entries: ZipEntry[] = [];
  const error = await new Promise<unknown>((resolve) => {
    zip.on('entry', (e: Entry) => {
      const name = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileNameRaw, e.extraFields, false);
      if (!name.endsWith('/') && IMAGE.test(name) && !name.split('/').includes('__MACOSX')) {
        entries.push({ entry: e, name, unsafe: yauzl.validateFileName(name) !== null });
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(null));
    zip.on('error', resolve);
    zip.readEntry();
  });
  return { entries: entries.sort((a, b) => (a.name < b.name ? -1 : 1)), error };
}

interface ZipEntry {
  entry: Entry;
  /** Decoded (UTF-8 or CP437), backslashes as slashes. */
  name: string;
  /** Absolute, or climbing out with `..`: never read. */
  unsafe: boolean;
}

const inflate = promisify(inflateRaw);

/**
 * Reads one entry with the input limit `maxBytes`, trusting nothing the zip says: a declared
 * size over the limit is refused before a byte is read (E_TOO_LARGE); the data is inflated up
 * to one byte past its declared size and must hold exactly that size and its CRC-32, else it
 * is E_CORRUPT_INPUT (so a bomb that lies about its size stops after `maxBytes` at most).
 */
async function readZipEntry(file: FileHandle, { entry: e, name, unsafe }: ZipEntry, maxBytes: number) {
  const bad = (why: string, cause?: unknown) =>
    new LogomillError('E_CORRUPT_INPUT', `${name} ${why}; it was skipped.`, { cause });
  if (unsafe) throw bad('has an unsafe path in the zip (absolute, or outside it with "..")');
  if (e.generalPurposeBitFlag & 1) {
    throw new LogomillError('E_UNSUPPORTED_FORMAT', `${name} is encrypted in the zip; it was skipped.`);
  }
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
    throw new LogomillError(
      'E_UNSUPPORTED_FORMAT',
      `${name} is compressed with method ${e.compressionMethod}; only stored and deflated entries are read.`,
    );
  }
  if (e.uncompressedSize > maxBytes) {
    throw new LogomillError(
      'E_TOO_LARGE',
      `${name} unpacks to ${e.uncompressedSize} bytes; the limit is ${maxBytes}.`,
    );
  }
  // deflate grows incompressible data by 5 bytes per 64 KB block: more than that slack is a lie
  const stored = e.compressionMethod === 0;
  if (
    stored
      ? e.compressedSize !== e.uncompressedSize
      : e.compressedSize > e.uncompressedSize + 1024 + e.uncompressedSize / 100
  ) {
    throw bad(
      `declares ${e.compressedSize} bytes packed for ${e.uncompressedSize} unpacked, which cannot be`,
    );
  }
  const head = Buffer.alloc(30);
  const { bytesRead } = await file.read(head, 0, 30, e.relativeOffsetOfLocalHeader);
  if (bytesRead < 30 || head.readUInt32LE(0) !== 0x04034b50) throw bad('has no valid header in the zip');
  // without a data descriptor (flag 8), the local header repeats the directory's sizes
  const localPacked = head.readUInt32LE(18);
  const localSize = head.readUInt32LE(22);
  if (
    head.readUInt16LE(8) !== e.compressionMethod ||
    (!(head.readUInt16LE(6) & 8) &&
      localSize !== 0xffffffff &&
      (localPacked !== e.compressedSize || localSize !== e.uncompressedSize))
  ) {
    throw bad('has a local header that disagrees with the zip’s directory');
  }
  const start = e.relativeOffsetOfLocalHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  const packed = Buffer.alloc(e.compressedSize);
  const got = await file.read(packed, 0, packed.length, start);
  if (got.bytesRead < packed.length) throw bad('is cut short (the zip is truncated)');
  let data: Buffer = packed;
  if (!stored) {
    try {
      data = await inflate(packed, { maxOutputLength: Math.max(1, e.uncompressedSize + 1) });
    } catch (err) {
      const over = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw bad(
        over ? `unpacks to more than the ${e.uncompressedSize} bytes it declares` : 'is damaged',
        err,
      );
    }
  }
  if (data.length !== e.uncompressedSize) {
    throw bad(`unpacks to ${data.length} bytes, not the ${e.uncompressedSize} it declares`);
  }
  if (crc32(data) !== e.crc32) throw bad('is damaged (its checksum does not match)');
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

async function zipInputs(path: string, maxBytes: number): Promise<BatchInputs> {
  let listed: { entries: ZipEntry[]; error: unknown };
  try {
    const zip = await openZip(path);
    listed = await listEntries(zip);
    zip.close();
  } catch (err) {
    throw new LogomillError('E_CORRUPT_INPUT', `${path} is not a readable zip file.`, { cause: err });
  }
  const { entries, error } = listed;
  if (error && entries.length === 0) {
    throw new LogomillError(
      'E_CORRUPT_INPUT',
      `${path} is not a readable zip file: its directory is damaged.`,
      {
        cause: error,
      },
    );
  }
  const file = await open(path, 'r');
  const inputs: BatchInput[] = entries.map((e) => ({
    display: `${basename(path)}:${e.name}`,
    read: () => readZipEntry(file, e, maxBytes),
  }));
  if (error) {
    // the entries listed before the damage are still read; the rest cannot even be named
    inputs.push({
      display: `${basename(path)}:(directory)`,
      read: () =>
        Promise.reject(
          new LogomillError(
            'E_CORRUPT_INPUT',
            `The zip's directory is damaged after ${entries.length} logos; the entries after that cannot be listed.`,
            { cause: error },
          ),
        ),
    });
  }
  return { inputs, close: () => file.close() };
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
    if (s.isDirectory()) {
      const all = await walk(source).catch((err: NodeJS.ErrnoException) => {
        // an input, not an output: never E_OUTPUT_NOT_WRITABLE
        const why =
          err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : 'it cannot be listed';
        throw new LogomillError(
          'E_INPUT_NOT_FOUND',
          `Cannot read the folder ${err.path ?? source}: ${why}.`,
          {
            cause: err,
          },
        );
      });
      found = fileInputs(all.sort());
    } else if (/\.zip$/i.test(source)) found = await zipInputs(source, maxBytes);
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

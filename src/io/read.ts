/** Reading an input file, with the typed error every shell reports the same way. */
import { readFile } from 'node:fs/promises';
import { LogomillError } from '../errors.js';

export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      const why =
        code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : 'no such file';
      throw new LogomillError('E_INPUT_NOT_FOUND', `Cannot read ${path}: ${why}.`, { cause: err });
    }
    throw err;
  }
}

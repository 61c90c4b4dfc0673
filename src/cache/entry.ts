/**
 * One cache entry: every file a variation made, in one buffer.
 *   "LMC1" | u32 header length | JSON header [{ name, format, width, height, length, sha256 }] | file bytes…
 * Unpacking checks lengths and every file's sha256, so a truncated or damaged
 * entry reads as a miss, never as a result.
 */
import { createHash } from 'node:crypto';
import type { OutputFile, OutputFormat } from '../variations/types.js';

const MAGIC = Buffer.from('LMC1');

interface Header {
  name: string;
  format: OutputFormat;
  width?: number;
  height?: number;
  length: number;
  sha256: string;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function packEntry(files: OutputFile[]): Buffer {
  const header: Header[] = files.map((f) => ({
    name: f.name,
    format: f.format,
    width: f.width,
    height: f.height,
    length: f.data.length,
    sha256: sha(f.data),
  }));
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, len, json, ...files.map((f) => f.data)]);
}

/** The files, or null when the bytes are not a whole, intact entry. */
export function unpackEntry(buf: Buffer): OutputFile[] | null {
  if (buf.length < 8 || !buf.subarray(0, 4).equals(MAGIC)) return null;
  const hlen = buf.readUInt32BE(4);
  if (8 + hlen > buf.length) return null;
  let header: Header[];
  try {
    header = JSON.parse(buf.subarray(8, 8 + hlen).toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(header)) return null;
  let at = 8 + hlen;
  const files: OutputFile[] = [];
  for (const h of header) {
    if (at + h.length > buf.length) return null;
    const data = Buffer.from(buf.subarray(at, at + h.length));
    at += h.length;
    if (sha(data) !== h.sha256) return null;
    files.push({ name: h.name, format: h.format, width: h.width, height: h.height, data });
  }
  return at === buf.length ? files : null;
}

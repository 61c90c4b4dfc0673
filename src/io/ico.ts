/**
 * ICO container with PNG-compressed entries (supported by every browser and by
 * Windows since Vista). Layout: ICONDIR (6 bytes), one ICONDIRENTRY (16 bytes)
 * per image, then the PNG streams.
 */
export interface IcoEntry {
  size: number;
  png: Buffer;
}

export function encodeIco(entries: readonly IcoEntry[]): Buffer {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach((e, i) => {
    const p = 6 + 16 * i;
    header.writeUInt8(e.size >= 256 ? 0 : e.size, p); // 0 means 256
    header.writeUInt8(e.size >= 256 ? 0 : e.size, p + 1);
    header.writeUInt8(0, p + 2); // no palette
    header.writeUInt8(0, p + 3);
    header.writeUInt16LE(1, p + 4); // planes
    header.writeUInt16LE(32, p + 6); // bits per pixel
    header.writeUInt32LE(e.png.length, p + 8);
    header.writeUInt32LE(offset, p + 12);
    offset += e.png.length;
  });
  return Buffer.concat([header, ...entries.map((e) => e.png)]);
}

/** Reads an ICO directory back (used by tests and by anyone checking a file). */
export function readIco(buf: Buffer): { width: number; height: number; bitCount: number; data: Buffer }[] {
  if (buf.length < 6 || buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1)
    throw new Error('not an ICO file');
  const count = buf.readUInt16LE(4);
  const out = [];
  for (let i = 0; i < count; i++) {
    const p = 6 + 16 * i;
    const size = buf.readUInt32LE(p + 8);
    const off = buf.readUInt32LE(p + 12);
    out.push({
      width: buf.readUInt8(p) || 256,
      height: buf.readUInt8(p + 1) || 256,
      bitCount: buf.readUInt16LE(p + 6),
      data: buf.subarray(off, off + size),
    });
  }
  return out;
}

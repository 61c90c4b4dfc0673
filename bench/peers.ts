/**
 * Peer tracers the benchmark compares logomill against, all at their defaults:
 *
 * - potrace (Debian's `potrace` binary, mono): `potrace -s -o - -`, fed a PBM on
 *   stdin, SVG read from stdout. Its time includes building the PBM and starting
 *   the process. Not a CI dependency: the bench skips it, with a message, when
 *   the binary is missing.
 * - VTracer through @neplex/vectorizer: colour mode (the library's default
 *   config) and binary mode (its `Bw` preset), both on the raw RGBA.
 *
 * Mono peers and binarisation: potrace reads only bitmaps, and VTracer's binary
 * mode thresholds the red channel alone (r < 128 is black), so a red mark
 * vanishes and a transparent background (stored as 0,0,0,0) turns black. Both
 * mono peers therefore get the same bitmap from `binarise` below, which is the
 * step a user would do by hand (or with mkbitmap) before running them:
 * - input with any transparency: ink = alpha > 127;
 * - opaque input: Otsu's threshold on Rec.601 luma; ink is the side of the
 *   threshold away from the image border's mean luma (the background).
 * Logomill's own mono tracer gets the unprocessed variant: thresholding is part
 * of its job.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Preset, vectorizeRaw } from '@neplex/vectorizer';
import { hasTransparency } from '../src/io/image.js';
import type { RgbaImage, Tracer } from './types.js';

/** 1 = ink, 0 = background, one byte a pixel. */
export function binarise(img: RgbaImage): Uint8Array {
  const { width, height, data } = img;
  const n = width * height;
  const ink = new Uint8Array(n);
  if (hasTransparency(img)) {
    for (let i = 0; i < n; i++) ink[i] = data[i * 4 + 3] > 127 ? 1 : 0;
    return ink;
  }
  const luma = new Uint8Array(n);
  const hist = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const y = Math.round(0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2]);
    luma[i] = y;
    hist[y]++;
  }
  const t = otsu(hist, n);
  let border = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    border += luma[x] + luma[(height - 1) * width + x];
    count += 2;
  }
  for (let y = 0; y < height; y++) {
    border += luma[y * width] + luma[y * width + width - 1];
    count += 2;
  }
  const darkInk = border / count > t;
  for (let i = 0; i < n; i++) ink[i] = luma[i] > t !== darkInk ? 1 : 0;
  return ink;
}

/** Otsu's threshold: classes are ≤ t and > t. */
function otsu(hist: Float64Array, total: number): number {
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * hist[v];
  let w0 = 0;
  let sum0 = 0;
  let best = -1;
  let bestT = 127;
  for (let t = 0; t < 255; t++) {
    w0 += hist[t];
    sum0 += t * hist[t];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0;
    const m1 = (sumAll - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}

/** Binary PBM (P4): rows packed MSB first, 1 = black. */
export function toPbm(ink: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'ascii');
  const rowBytes = (width + 7) >> 3;
  const body = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]) body[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, body]);
}

/** Black ink on white as opaque RGBA, for VTracer's binary mode. */
function inkToRgba(ink: Uint8Array): Buffer {
  const out = Buffer.alloc(ink.length * 4, 255);
  for (let i = 0; i < ink.length; i++) {
    if (ink[i]) out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = 0;
  }
  return out;
}

/** True when a `potrace` binary is on PATH. */
export function potraceAvailable(): boolean {
  const r = spawnSync('potrace', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

export const POTRACE_MISSING =
  'potrace not found on PATH: the potrace peer is skipped. Install it with `apt-get install -y potrace` ' +
  '(Debian/Ubuntu) or your package manager; CI does not need it (the benchmark is not part of CI).';

function runPotrace(pbm: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('potrace', ['-s', '-o', '-', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`potrace exited ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.end(pbm);
  });
}

export const potrace: Tracer = {
  name: 'potrace',
  mode: 'mono',
  trace: (_file, rgba) => runPotrace(toPbm(binarise(rgba), rgba.width, rgba.height)),
};

const raw = (rgba: RgbaImage) => Buffer.from(rgba.data.buffer, rgba.data.byteOffset, rgba.data.length);

export const vtracerColor: Tracer = {
  name: 'vtracer-color',
  mode: 'color',
  trace: (_file, rgba) => vectorizeRaw(raw(rgba), { width: rgba.width, height: rgba.height }),
};

export const vtracerBinary: Tracer = {
  name: 'vtracer-binary',
  mode: 'mono',
  trace: (_file, rgba) =>
    vectorizeRaw(inkToRgba(binarise(rgba)), { width: rgba.width, height: rgba.height }, Preset.Bw),
};

/** The peers available on this machine (potrace only when its binary is installed). */
export function peers(log: (line: string) => void = console.log): Tracer[] {
  const list: Tracer[] = [];
  if (potraceAvailable()) list.push(potrace);
  else log(POTRACE_MISSING);
  list.push(vtracerBinary, vtracerColor);
  return list;
}

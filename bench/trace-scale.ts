/**
 * Tracer scaling: `npm run bench:trace-scale`. Renders a few corpus SVGs at
 * 512, 1024, 2048 and 4096 px (on white) and times logomill's mono and colour
 * traces in-process (median of 3 runs after a warm-up), printing ms and ms per
 * megapixel: the cost should grow roughly linearly with the pixel count.
 * Results go to bench/results/trace-scale-<date>.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { traceImage } from '../src/trace/index.js';
import { segmentCount } from '../src/vector/path.js';
import { CORPUS_DIR, loadCorpus, ROOT } from './corpus.js';

const SIZES = [512, 1024, 2048, 4096];
const LOGOS = ['si-garmin', 'si-brave', 'logos-brotli', 'logos-parsehub'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const manifest = await loadCorpus();
const rows: { logo: string; size: number; mode: string; ms: number; msPerMp: number; nodes: number }[] = [];
for (const id of LOGOS) {
  const logo = manifest.logos.find((l) => l.id === id);
  if (!logo) continue;
  const svg = await readFile(path.join(CORPUS_DIR, logo.files.svg));
  for (const size of SIZES) {
    const r = new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: '#ffffff' }).render();
    const image = { width: r.width, height: r.height, data: new Uint8Array(r.pixels) };
    const mp = (image.width * image.height) / 1e6;
    for (const mode of ['mono', 'color'] as const) {
      traceImage(image, { mode }); // warm-up
      const times: number[] = [];
      let nodes = 0;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        nodes = segmentCount(traceImage(image, { mode }));
        times.push(performance.now() - t);
      }
      const ms = median(times);
      rows.push({ logo: id, size, mode, ms, msPerMp: ms / mp, nodes });
      console.log(
        `${id.padEnd(16)} ${String(size).padStart(5)} px  ${mode.padEnd(5)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / mp).toFixed(1).padStart(6)} ms/MP  ${nodes} nodes`,
      );
    }
  }
}
console.log('\nmedian ms per megapixel by size (all logos, both modes):');
for (const size of SIZES) {
  for (const mode of ['mono', 'color']) {
    const sel = rows.filter((r) => r.size === size && r.mode === mode);
    console.log(
      `  ${String(size).padStart(5)} px ${mode.padEnd(5)} ${median(sel.map((r) => r.msPerMp)).toFixed(1)} ms/MP`,
    );
  }
}
const date = new Date().toISOString().slice(0, 10);
await writeFile(
  path.join(ROOT, 'bench', 'results', `trace-scale-${date}.json`),
  `${JSON.stringify(rows, null, 2)}\n`,
);

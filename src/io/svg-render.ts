/**
 * Rasterising an SVG under a hard time limit. librsvg runs inside libvips on libuv's thread
 * pool, where nothing can interrupt it: neither sharp's own `timeout()` (checked only between
 * tiles, while one tile of a filter-heavy SVG can take minutes) nor a worker thread, whose
 * `terminate()` waits for the native render to finish (measured: a terminate() issued 1.5 s
 * into an 11 s render resolved only when the render ended). So each render runs in a child
 * process (svg-render-child.ts) that is killed with SIGKILL when the limit passes: the CPU is
 * free again within milliseconds. The child runs decode.ts's own pipeline, so the pixels are
 * byte-identical to rendering in this process. It costs a process start per SVG (≈ 0.2 s).
 */
import { fork } from 'node:child_process';
import { LogomillError } from '../errors.js';
import type { DecodedPixels, SvgRasterLimits } from './decode.js';

/** What the parent sends the child once it is ready. */
export interface SvgRenderRequest {
  svg: Uint8Array;
  limits: SvgRasterLimits;
}

/** What the child answers: the raster, or the LogomillError it raised. */
export type SvgRenderReply =
  | { ok: true; raster: DecodedPixels }
  | { ok: false; code: string; message: string };

/** A child that has not loaded its modules after this long is given up on (not counted as rendering). */
const START_LIMIT_MS = 60_000;

/**
 * Renders `svg` (already sanitised and cost-checked) in a child process, killed after
 * `timeoutMs` of rendering with E_TOO_LARGE. The time counts from when the child has loaded
 * its modules, so a slow start on a busy machine does not eat into it.
 *
 * @example
 *   const { data, width, height } = await renderSvgBounded(svg, { svgSize: 2048, maxPixels: 64 << 20 }, 10_000);
 */
export async function renderSvgBounded(
  svg: Uint8Array,
  limits: SvgRasterLimits,
  timeoutMs: number,
): Promise<DecodedPixels> {
  const script = await childScript();
  const child = fork(script, [], {
    // a .ts script (tests run the sources under tsx) needs the loader this process was started with
    execArgv: script.endsWith('.ts') ? process.execArgv : [],
    serialization: 'advanced', // Uint8Arrays travel as bytes, not as JSON arrays
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise<DecodedPixels>((resolve, reject) => {
    let rendering = false;
    let settled = false;
    const finish = (err: LogomillError | null, raster?: DecodedPixels) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // settled once the child is gone, so that a stopped render's CPU is free when its error is seen
      const settle = () => (err ? reject(err) : resolve(raster as DecodedPixels));
      if (child.exitCode !== null || child.signalCode !== null) return settle();
      child.once('exit', settle);
      child.kill('SIGKILL');
    };
    let timer = setTimeout(
      () =>
        finish(
          new LogomillError(
            'E_WORKER_FAILED',
            `The SVG renderer did not start within ${START_LIMIT_MS / 1000} s.`,
          ),
        ),
      START_LIMIT_MS,
    );
    child.on('message', (msg: 'ready' | SvgRenderReply) => {
      if (msg === 'ready') {
        rendering = true;
        clearTimeout(timer);
        timer = setTimeout(() => finish(timeoutError(timeoutMs)), timeoutMs);
        child.send({ svg, limits } satisfies SvgRenderRequest);
      } else if (msg.ok) finish(null, msg.raster);
      else finish(new LogomillError(msg.code as never, msg.message));
    });
    child.on('error', (err) =>
      finish(
        new LogomillError('E_WORKER_FAILED', `The SVG renderer could not run: ${err.message}`, {
          cause: err,
        }),
      ),
    );
    child.on('exit', (code, signal) =>
      finish(
        new LogomillError(
          'E_WORKER_FAILED',
          `The SVG renderer stopped ${rendering ? 'while rendering' : 'before rendering'} (${signal ?? `exit code ${code}`}).`,
        ),
      ),
    );
  });
}

function timeoutError(timeoutMs: number): LogomillError {
  const s = Math.round(timeoutMs / 100) / 10;
  // E_TOO_LARGE, not E_TIMEOUT: the input is too costly, and trying it again (a runner retries
  // timeouts) would cost the same again
  return new LogomillError(
    'E_TOO_LARGE',
    `Rendering the SVG took longer than ${s} s (SVG_RENDER_TIMEOUT_MS), so it was stopped; ` +
      'simplify its filters and effects, or send the logo as PNG.',
  );
}

/**
 * The child script's path. This module runs from three places: src/ under tsx (tests), dist/
 * (tsc) and, inlined, the trace command's esbuild bundle dist/cli/commands/trace.js. The bundle
 * may not use import.meta (its build refuses it: the bundle does not sit where its sources did)
 * but its banner defines `require`, relative to the bundle; elsewhere `require` does not exist
 * and svg-render-path.ts, never bundled, finds the script next to itself.
 */
async function childScript(): Promise<string> {
  if (typeof require === 'function') return require.resolve('../../io/svg-render-child.js');
  const locator = './svg-render-path.js'; // a variable, so that esbuild leaves it out of the bundle
  return ((await import(locator)) as { SVG_RENDER_CHILD: string }).SVG_RENDER_CHILD;
}

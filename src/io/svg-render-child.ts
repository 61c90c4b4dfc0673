/**
 * The SVG render child (see svg-render.ts): says "ready" once its modules are loaded, renders
 * the one SVG it is then sent with decode.ts's pipeline, answers with the raster or the error,
 * and exits. The parent kills it when it takes too long; if the parent goes away, so does it.
 */
import { toLogomillError } from '../errors.js';
import { rasteriseSvg } from './decode.js';
import type { SvgRenderReply, SvgRenderRequest } from './svg-render.js';

function reply(msg: SvgRenderReply): void {
  process.send?.(msg, undefined, undefined, () => process.disconnect());
}

process.once('message', async (req: SvgRenderRequest) => {
  try {
    reply({ ok: true, raster: await rasteriseSvg(Buffer.from(req.svg), req.limits) });
  } catch (err) {
    const e = toLogomillError(err);
    reply({ ok: false, code: e.code, message: e.message });
  }
});
process.once('disconnect', () => process.exit(0));
process.send?.('ready');

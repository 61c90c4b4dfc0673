/**
 * Makes an SVG safe to rasterise: no scripts, no event handlers, no DOCTYPE
 * (entities), no external references. librsvg never runs scripts and fetches
 * nothing for a buffer input, but it may resolve `href`s and CSS `url()`s
 * against the file system; a logo service must never depend on that.
 * Only same-document (`#id`) and inline raster `data:` references survive.
 *
 * The passes repeat until nothing changes, so that removing one construct
 * cannot splice a forbidden one back together (`<scr<script></script>ipt>`).
 */
const SCRIPT_BLOCKS = /<script\b[\s\S]*?(<\/script\s*>|$)/gi;
const FOREIGN_BLOCKS = /<foreignObject\b[\s\S]*?(<\/foreignObject\s*>|$)/gi;
const DOCTYPES = /<!DOCTYPE[\s\S]*?(\]\s*>|>)/gi;
const ENTITIES = /<!ENTITY[\s\S]*?>/gi;
const EVENT_ATTRS = /\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
/** `href`, `xlink:href` and any other namespace prefix on href. */
const HREF_ATTRS = /\s((?:[\w.-]+:)?href)\s*=\s*("([^"]*)"|'([^']*)'|[^\s>]+)/gi;
const CSS_URLS = /url\(\s*(['"]?)([^)'"]*)\1\s*\)/gi;
const CSS_IMPORTS = /@import[^;]*;?/gi;

function isInternal(ref: string): boolean {
  const r = ref.trim();
  return r.startsWith('#') || /^data:image\/(png|jpeg|gif|webp);base64,/i.test(r);
}

function pass(svg: string): string {
  return svg
    .replace(DOCTYPES, '')
    .replace(ENTITIES, '')
    .replace(SCRIPT_BLOCKS, '')
    .replace(FOREIGN_BLOCKS, '')
    .replace(EVENT_ATTRS, ' ')
    .replace(HREF_ATTRS, (whole, _name: string, raw: string, dq?: string, sq?: string) =>
      isInternal(dq ?? sq ?? raw) ? whole : ' ',
    )
    .replace(CSS_IMPORTS, '')
    .replace(CSS_URLS, (whole, _q: string, ref: string) => (isInternal(ref) ? whole : 'none'));
}

export function sanitizeSvg(svg: string): string {
  let current = svg;
  for (let i = 0; i < 20; i++) {
    const next = pass(current);
    if (next === current) return next;
    current = next;
  }
  // Still changing after 20 passes: adversarial input. Refuse everything risky outright.
  return current.replace(/<|>/g, '');
}

/**
 * True when the bytes are (uncompressed) SVG text: `<svg` (or a prefixed `<svg:svg`) anywhere in a
 * document that starts with `<`. What this misses, librsvg reads in-process before the SVG cost
 * check (decode.ts): a prefixed root without a size once cost 2 s there.
 */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return text.trimStart().startsWith('<') && /<(?:[\w.-]+:)?svg[\s>/]/i.test(text);
}

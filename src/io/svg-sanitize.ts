/**
 * Makes an SVG safe to rasterise: no scripts, no event handlers, no external
 * references. librsvg never runs scripts, but it may resolve `href`s and CSS
 * `url()`s against the file system; a logo service must never do either.
 * Only same-document (`#id`) and inline `data:` references survive.
 */
const SCRIPT_BLOCKS = /<script\b[\s\S]*?(<\/script\s*>|$)/gi;
const FOREIGN_BLOCKS = /<foreignObject\b[\s\S]*?(<\/foreignObject\s*>|$)/gi;
const EVENT_ATTRS = /\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const HREF_ATTRS = /\s((?:xlink:)?href)\s*=\s*("([^"]*)"|'([^']*)')/gi;
const CSS_URLS = /url\(\s*(['"]?)([^)'"]*)\1\s*\)/gi;
const CSS_IMPORTS = /@import[^;]*;?/gi;
const DOCTYPE_ENTITIES = /<!DOCTYPE[\s\S]*?(\]\s*>|>)/gi;

function isInternal(ref: string): boolean {
  const r = ref.trim();
  return r.startsWith('#') || /^data:image\/(png|jpeg|gif|webp);base64,/i.test(r);
}

export function sanitizeSvg(svg: string): string {
  return svg
    .replace(DOCTYPE_ENTITIES, '')
    .replace(SCRIPT_BLOCKS, '')
    .replace(FOREIGN_BLOCKS, '')
    .replace(EVENT_ATTRS, ' ')
    .replace(HREF_ATTRS, (whole, _name: string, _q: string, dq?: string, sq?: string) =>
      isInternal(dq ?? sq ?? '') ? whole : '',
    )
    .replace(CSS_IMPORTS, '')
    .replace(CSS_URLS, (whole, _q: string, ref: string) => (isInternal(ref) ? whole : 'none'));
}

/** True when the bytes look like an SVG document (checked before sharp sees them). */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!head.startsWith('<')) return false;
  return /<svg[\s>]/i.test(head);
}

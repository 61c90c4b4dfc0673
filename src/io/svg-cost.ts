/**
 * Long file: a small SVG reader (elements, references, styles, filters) that must see the whole
 * document to count expansions.
 *
 * What an SVG will cost librsvg to render, estimated from its text before librsvg sees it, so
 * that a few kilobytes of hostile SVG are refused in milliseconds instead of costing minutes of
 * CPU. Three measures, each with a limit:
 *
 * - elements drawn: every element once, plus every instance a reference creates — `<use>`,
 *   patterns, masks, clip paths, filters (and their `feImage`s), markers once per vertex. Each
 *   element's total is computed once and reused (memoised), so a billion-laughs nesting of
 *   `<use>` is counted, never expanded. Circular references are not followed (librsvg refuses
 *   them too).
 * - filter steps: filter primitives applied, over all instances.
 * - filter work: for each primitive applied, its filter region's area in output pixels times the
 *   primitive's kernel (the blur radius in pixels, a morphology or convolution window, turbulence
 *   octaves). The region is not clipped to the canvas and, where the filtered element's box is
 *   unknown (groups, paths), that box is taken as the whole canvas: an over-estimate for real art,
 *   which the limit leaves room for.
 *
 * It is an estimate: transforms and nested viewports are ignored, and CSS selectors are matched
 * by their last compound part only (`g > .shadow` as `.shadow`). The hard bound is the render
 * time limit (svg-render.ts); this check only spares the render of what is clearly hopeless.
 */
import { LogomillError } from '../errors.js';

export interface SvgCostLimits {
  /** Most elements drawn, counting every instance (default 50 000). */
  maxElements: number;
  /** Most filter primitives applied, counting every instance (default 10 000). */
  maxFilterSteps: number;
  /** Most filter work: Σ region area (px) × kernel (px), in pixels (default 10⁶ MP). */
  maxFilterWork: number;
}

/** Limits no real logo comes near: see docs/SERVICE.md, "Expensive SVGs", for the measurements. */
export const DEFAULT_SVG_COST_LIMITS: SvgCostLimits = {
  maxElements: 50_000,
  maxFilterSteps: 10_000,
  maxFilterWork: 1e12,
};

export interface SvgCost {
  /** Elements drawn, counting every instance. */
  elements: number;
  /**
   * Counting stopped early: the document holds more elements and references than `stopAfter`,
   * or its style sheet more rule matches than are worth checking. `elements` is then a lower bound.
   */
  truncated: boolean;
  filterSteps: number;
  /** Σ region area × kernel, in pixels. */
  filterWork: number;
}

/** One parsed element: name without namespace prefix, attributes, children (indices). */
interface Node {
  name: string;
  attrs: Record<string, string>;
  children: number[];
}

/** One `<style>` rule reduced to what the estimate needs. */
interface CssRule {
  tag: string | null;
  id: string | null;
  classes: string[];
  decls: Record<string, string>;
}

/** Properties whose `url(#id)` makes the target render again for the element. */
const INSTANCING = [
  'filter',
  'fill',
  'stroke',
  'clip-path',
  'mask',
  'marker',
  'marker-start',
  'marker-mid',
  'marker-end',
];
const URL_REF = /url\(\s*['"]?#([^'")\s]+)/;

/**
 * Estimates an SVG's rendering cost when its longest side is rendered at `longestSidePx`, in
 * time linear in its size. Counting stops past `stopAfter` elements and references (then
 * `truncated` is true).
 *
 * @example
 *   const { elements } = estimateSvgCost('<svg width="10" height="10"><rect/></svg>', 2048); // 2
 */
export function estimateSvgCost(svg: string, longestSidePx: number, stopAfter = Infinity): SvgCost {
  const { nodes, css, truncated } = parseSvg(svg, stopAfter);
  if (nodes.length === 0) return { elements: 0, truncated, filterSteps: 0, filterWork: 0 };
  const sheet = new StyleSheet(css);
  const byId = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i].attrs.id ?? nodes[i].attrs['xml:id'];
    if (id !== undefined && !byId.has(id)) byId.set(id, i);
  }
  const viewport = rootViewport(nodes[0].attrs, longestSidePx);
  const n = nodes.length;
  const elements = new Float64Array(n);
  const steps = new Float64Array(n);
  const work = new Float64Array(n);
  const state = new Uint8Array(n); // 0 unseen, 1 on the current path, 2 done
  const edges: Edge[][] = new Array(n);

  // iterative depth-first walk (documents nest deeper than the call stack allows)
  const stack: number[] = [0];
  let references = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (state[top] === 0) {
      state[top] = 1;
      edges[top] = referencesOf(nodes, top, sheet, byId);
      references += edges[top].length;
      // each reference draws at least one more element: past the budget, stop counting
      if (nodes.length + references > stopAfter || sheet.exhausted) {
        return { elements: nodes.length + references, truncated: true, filterSteps: 0, filterWork: 0 };
      }
      for (const c of nodes[top].children) if (state[c] === 0) stack.push(c);
      for (const e of edges[top]) if (state[e.target] === 0) stack.push(e.target);
      continue;
    }
    stack.pop();
    if (state[top] === 2) continue;
    state[top] = 2;
    let el = 1;
    let st = 0;
    let wk = 0;
    for (const c of nodes[top].children) {
      el += elements[c];
      st += steps[c];
      wk += work[c];
    }
    for (const e of edges[top]) {
      if (state[e.target] !== 2) continue; // a cycle: librsvg does not render it either
      el += e.times * elements[e.target];
      st += e.times * steps[e.target];
      wk += e.times * work[e.target];
      if (e.filter) {
        const f = filterCost(nodes, e.target, nodes[top], viewport);
        st += f.steps;
        wk += f.work;
      }
    }
    elements[top] = el;
    steps[top] = st;
    work[top] = wk;
  }
  return { elements: elements[0], truncated, filterSteps: steps[0], filterWork: work[0] };
}

/**
 * Refuses an SVG whose estimated cost passes a limit, with E_TOO_LARGE and one sentence naming it.
 *
 * @example
 *   checkSvgCost(sanitizedSvg, 2048);
 */
export function checkSvgCost(
  svg: string,
  longestSidePx: number,
  limits: SvgCostLimits = DEFAULT_SVG_COST_LIMITS,
): SvgCost {
  const cost = estimateSvgCost(svg, longestSidePx, limits.maxElements);
  const refuse = (what: string, limit: string) =>
    new LogomillError('E_TOO_LARGE', `The SVG is too complex to render: ${what}; the limit is ${limit}.`);
  if (cost.truncated) {
    throw refuse(
      `it holds over ${count(limits.maxElements)} elements, references or style-rule matches`,
      count(limits.maxElements),
    );
  }
  // `!(x <= limit)`, not `x > limit`: a NaN from absurd numbers must be refused too
  if (!(cost.elements <= limits.maxElements)) {
    throw refuse(`${count(cost.elements)} elements after <use> expansion`, count(limits.maxElements));
  }
  if (!(cost.filterSteps <= limits.maxFilterSteps)) {
    throw refuse(
      `${count(cost.filterSteps)} filter operations after <use> expansion`,
      count(limits.maxFilterSteps),
    );
  }
  if (!(cost.filterWork <= limits.maxFilterWork)) {
    throw refuse(
      `its filters would process ${count(cost.filterWork / 1e6)} megapixels (filter region × blur radius)`,
      `${count(limits.maxFilterWork / 1e6)} megapixels`,
    );
  }
  return cost;
}

/** `50 000`, `3.1 million`, `4.2 billion`; beyond a thousand trillion `1.0e+18`. */
function count(n: number): string {
  if (!Number.isFinite(n)) return 'an astronomical number of';
  if (n < 1e6) return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ' ');
  for (const [size, word] of [
    [1e12, 'trillion'],
    [1e9, 'billion'],
    [1e6, 'million'],
  ] as const) {
    if (n >= size && n < size * 1000) return `${(n / size).toFixed(1)} ${word}`;
  }
  return n.toExponential(1);
}

// ---------------------------------------------------------------------------------------------
// References: what an element makes render again

interface Edge {
  target: number;
  /** Instances: 1, or a marker's vertex count. */
  times: number;
  /** The target is this element's filter (its region work is added per application). */
  filter: boolean;
}

function referencesOf(nodes: Node[], i: number, css: StyleSheet, byId: Map<string, number>): Edge[] {
  const node = nodes[i];
  const out: Edge[] = [];
  if (node.name === 'use' || node.name === 'feImage' || node.name === 'pattern') {
    const href = (node.attrs.href ?? node.attrs['xlink:href'] ?? '').trim();
    const t = href.startsWith('#') ? (byId.get(href.slice(1)) ?? -1) : -1;
    if (t >= 0) out.push({ target: t, times: 1, filter: false });
  }
  for (const [prop, values] of properties(node, css)) {
    for (const v of values) {
      const id = URL_REF.exec(v)?.[1];
      const t = id === undefined ? -1 : (byId.get(id) ?? -1);
      if (t < 0) continue;
      const target = nodes[t].name;
      if ((prop === 'fill' || prop === 'stroke') && target !== 'pattern') continue; // gradients are cheap
      if (prop === 'filter' && target !== 'filter') continue;
      const times = prop.startsWith('marker') ? markerInstances(prop, node.attrs) : 1;
      if (times > 0) out.push({ target: t, times, filter: prop === 'filter' });
    }
  }
  return out;
}

/**
 * Every value the element's instancing properties may take: its presentation attributes, its
 * `style` attribute and each matching `<style>` rule. All of them, not the one the cascade picks:
 * an over-estimate is safe.
 */
function properties(node: Node, css: StyleSheet): Map<string, Set<string>> {
  const props = new Map<string, Set<string>>();
  const add = (decls: Record<string, string>) => {
    for (const p of INSTANCING) {
      const v = decls[p];
      if (v === undefined || !v.includes('url(')) continue;
      const set = props.get(p) ?? new Set<string>();
      props.set(p, set.add(v));
    }
  };
  add(node.attrs);
  if (node.attrs.style !== undefined) add(declarations(node.attrs.style));
  for (const r of css.candidates(node)) {
    if (r.tag !== null && r.tag !== node.name) continue;
    if (r.id !== null && r.id !== node.attrs.id) continue;
    if (r.classes.length > 0 && !r.classes.every((c) => classesOf(node).includes(c))) continue;
    add(r.decls);
  }
  return props;
}

function classesOf(node: Node): string[] {
  return (node.attrs.class ?? '').split(/\s+/).filter(Boolean);
}

/** Markers drawn: one at the start and end, one per inner vertex for marker-mid. */
function markerInstances(prop: string, attrs: Record<string, string>): number {
  if (prop === 'marker-start' || prop === 'marker-end') return 1;
  const coords = (attrs.d ?? attrs.points ?? '').match(/[-+]?(?:\d*\.\d+|\d+)(?:e[-+]?\d+)?/gi);
  const vertices = Math.max(2, Math.ceil((coords?.length ?? 0) / 2));
  return prop === 'marker' ? vertices : vertices - 2;
}

// ---------------------------------------------------------------------------------------------
// Filters

interface Viewport {
  /** User-space size of the canvas. */
  width: number;
  height: number;
  /** Output pixels per user unit. */
  scale: number;
}

/** The canvas in user units (viewBox, else width/height, else the output size) and the output scale. */
function rootViewport(attrs: Record<string, string>, longestSidePx: number): Viewport {
  const vb = (attrs.viewBox ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  let width = vb.length === 4 && vb[2] > 0 ? vb[2] : length(attrs.width, 0);
  let height = vb.length === 4 && vb[3] > 0 ? vb[3] : length(attrs.height, 0);
  if (!(width > 0 && height > 0)) {
    width = longestSidePx;
    height = longestSidePx;
  }
  return { width, height, scale: longestSidePx / Math.max(width, height) };
}

const UNITS: Record<string, number> = { px: 1, pt: 4 / 3, pc: 16, mm: 96 / 25.4, cm: 96 / 2.54, in: 96 };

/** A length in user units; `%` of `whole`; `fallback` when absent or unreadable. */
function length(v: string | undefined, fallback: number, whole = Number.NaN): number {
  const m = /^\s*([-+]?(?:\d*\.\d+|\d+\.?)(?:e[-+]?\d+)?)\s*(%|[a-z]*)\s*$/i.exec(v ?? '');
  if (!m) return fallback;
  const n = Number(m[1]);
  if (m[2] === '%') return (n / 100) * whole;
  const unit = UNITS[m[2].toLowerCase() || 'px'];
  return unit === undefined ? fallback : n * unit;
}

/** A number list (`stdDeviation="3 5"`): the largest entry, or `fallback`. */
function largest(v: string | undefined, fallback: number): number {
  const nums = (v ?? '')
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const ok = nums.filter((x) => Number.isFinite(x));
  return ok.length > 0 ? Math.max(...ok) : fallback;
}

/** One application of filter `f` to element `el`: primitives applied and their work. */
function filterCost(nodes: Node[], f: number, el: Node, vp: Viewport): { steps: number; work: number } {
  const a = nodes[f].attrs;
  const [boxW, boxH] = boundingBox(el, vp);
  let regionW: number;
  let regionH: number;
  if (a.filterUnits === 'userSpaceOnUse') {
    regionW = length(a.width, 1.2 * vp.width, vp.width);
    regionH = length(a.height, 1.2 * vp.height, vp.height);
  } else {
    regionW = fraction(a.width, 1.2) * boxW;
    regionH = fraction(a.height, 1.2) * boxH;
  }
  if (!(regionW > 0 && regionH > 0)) return { steps: 0, work: 0 }; // an empty region draws nothing
  const areaPx = regionW * regionH * vp.scale * vp.scale;
  // primitiveUnits="objectBoundingBox" makes radii fractions of the box
  const unitPx = (a.primitiveUnits === 'objectBoundingBox' ? Math.max(boxW, boxH) : 1) * vp.scale;
  let steps = 0;
  let kernel = 0;
  for (const c of nodes[f].children) {
    if (!nodes[c].name.startsWith('fe')) continue;
    steps++;
    kernel += primitiveKernel(nodes[c], unitPx);
  }
  return { steps, work: areaPx * kernel };
}

/** An element's box from its own attributes (rect, image, use, svg, circle, ellipse), else the canvas. */
function boundingBox(el: Node, vp: Viewport): [number, number] {
  const a = el.attrs;
  const r = length(a.r, Number.NaN);
  if (el.name === 'circle' && r > 0) return [2 * r, 2 * r];
  const rx = length(a.rx, Number.NaN);
  const ry = length(a.ry, Number.NaN);
  if (el.name === 'ellipse' && rx > 0 && ry > 0) return [2 * rx, 2 * ry];
  const w = length(a.width, Number.NaN, vp.width);
  const h = length(a.height, Number.NaN, vp.height);
  return w > 0 && h > 0 ? [w, h] : [vp.width, vp.height];
}

/** A fraction in objectBoundingBox units: `0.5` or `50%`. */
function fraction(v: string | undefined, fallback: number): number {
  const m = /^\s*([-+]?(?:\d*\.\d+|\d+\.?)(?:e[-+]?\d+)?)\s*(%?)\s*$/i.exec(v ?? '');
  if (!m) return fallback;
  return m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
}

/** Work per output pixel of one primitive, `px` output pixels per primitive unit. */
function primitiveKernel(p: Node, px: number): number {
  const a = p.attrs;
  switch (p.name) {
    case 'feGaussianBlur':
    case 'feDropShadow':
      return Math.max(1, largest(a.stdDeviation, 0) * px);
    case 'feMorphology': {
      const r = Math.max(0, largest(a.radius, 0) * px);
      return (2 * r + 1) ** 2;
    }
    case 'feConvolveMatrix':
      return Math.max(1, largest(a.order, 3)) ** 2;
    case 'feTurbulence':
      return Math.max(1, largest(a.numOctaves, 1));
    default:
      return 1;
  }
}

// ---------------------------------------------------------------------------------------------
// A small, linear-time XML reader: elements, attributes, <style> text. Not a validator: librsvg
// rejects what is malformed; this only has to see what librsvg would render.

const STYLE_END = /<\/(?:[\w.-]+:)?style\s*>/g;

function parseSvg(svg: string, stopAfter: number): { nodes: Node[]; css: string; truncated: boolean } {
  const nodes: Node[] = [];
  const open: number[] = [];
  const openByName = new Map<string, number>(); // so that a stray closing tag costs no search
  let css = '';
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    if (lt < 0) break;
    const skip = skipped(svg, lt);
    if (skip !== 0) {
      if (skip < 0) break;
      i = skip;
      continue;
    }
    const gt = tagEnd(svg, lt + 1);
    if (gt < 0) break;
    i = gt + 1;
    if (svg[lt + 1] === '/') {
      const name = localName(svg.slice(lt + 2, gt).trim());
      if (!openByName.get(name)) continue;
      // close it and anything left open inside it
      for (let top = open.pop(); top !== undefined; top = open.pop()) {
        const n = nodes[top].name;
        openByName.set(n, (openByName.get(n) ?? 1) - 1);
        if (n === name) break;
      }
      continue;
    }
    const selfClosing = svg[gt - 1] === '/';
    const body = svg.slice(lt + 1, selfClosing ? gt - 1 : gt);
    const nameEnd = body.search(/[\s/]|$/);
    if (nodes.length >= stopAfter) return { nodes, css, truncated: true };
    const node: Node = {
      name: localName(body.slice(0, nameEnd)),
      attrs: attributes(body.slice(nameEnd)),
      children: [],
    };
    const index = nodes.push(node) - 1;
    if (open.length > 0) nodes[open[open.length - 1]].children.push(index);
    else if (index !== 0) continue; // a second root element: XML allows none
    if (selfClosing) continue;
    if (node.name === 'style') {
      // its text is CSS, not markup: read up to the closing tag, which the loop then reads
      STYLE_END.lastIndex = i;
      const close = STYLE_END.exec(svg)?.index ?? svg.length;
      css += `${svg.slice(i, close).replace(/<!\[CDATA\[|\]\]>/g, '')}\n`;
      i = close;
    }
    open.push(index);
    openByName.set(node.name, (openByName.get(node.name) ?? 0) + 1);
  }
  return { nodes, css, truncated: false };
}

/**
 * At `lt`: a comment, CDATA section, processing instruction or declaration → the index after it
 * (-1 when it never ends); an element tag → 0.
 */
function skipped(svg: string, lt: number): number {
  const end = (marker: string, from: number) => {
    const k = svg.indexOf(marker, from);
    return k < 0 ? -1 : k + marker.length;
  };
  if (svg.startsWith('<!--', lt)) return end('-->', lt + 4);
  if (svg.startsWith('<![CDATA[', lt)) return end(']]>', lt + 9);
  if (svg[lt + 1] === '?' || svg[lt + 1] === '!') return end('>', lt);
  return 0;
}

/** The index of the `>` closing the tag whose body starts at `from`, outside quotes; -1 if none. */
function tagEnd(svg: string, from: number): number {
  let quote = '';
  for (let k = from; k < svg.length; k++) {
    const ch = svg[k];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return k;
  }
  return -1;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** Names start after white space only: a long run without `=` is then read once, not once per character. */
const ATTRIBUTE = /(?<=^|\s)([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const m of text.matchAll(ATTRIBUTE)) {
    const value = m[2] ?? m[3];
    // `xlink:href` and `href` are one attribute to librsvg; keep the prefix only for xml:id
    const name = m[1] === 'xlink:href' ? 'xlink:href' : m[1];
    out[name] = value.includes('&') ? decodeEntities(value) : value;
  }
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character references and the five predefined entities (`href="&#35;a"` is `#a`). */
function decodeEntities(v: string): string {
  return v.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** `a: b; c: d` → { a: 'b', c: 'd' } (names lower-cased, `!important` dropped). */
function declarations(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of text.split(';')) {
    const colon = d.indexOf(':');
    if (colon < 0) continue;
    out[d.slice(0, colon).trim().toLowerCase()] = d
      .slice(colon + 1)
      .replace(/!\s*important/i, '')
      .trim();
  }
  return out;
}

/** Rule checks one estimate may make (elements × rules that may match them): beyond, it gives up. */
const MAX_CSS_CHECKS = 1_000_000;
/** A selector this long is not read: it is taken to match every element. */
const MAX_SELECTOR = 1000;

/**
 * The `<style>` rules that set an instancing property to a `url()`, each selector reduced to its
 * last compound part (`svg g.logo > .shadow:hover` → `.shadow`, a superset of what it matches),
 * indexed by id, first class and tag so that each element looks only at rules that may match it.
 * Reading is linear in the text; matching stops after MAX_CSS_CHECKS (then `exhausted`).
 */
class StyleSheet {
  private readonly byKey = new Map<string, CssRule[]>();
  private readonly universal: CssRule[] = [];
  private checksLeft = MAX_CSS_CHECKS;
  exhausted = false;

  constructor(css: string) {
    // blocks as runs of text ending in a brace: `sel { body }` is a rule; an @media prelude's
    // block is entered, its rules read, its own closing brace skipped
    let selector: string | null = null;
    // (`|$`: a run with no brace after it is read once, not once per character)
    for (const m of withoutComments(css).matchAll(/([^{}]*)([{}]|$)/g)) {
      if (m[2] === '{') selector = m[1];
      else if (m[2] === '}' && selector !== null) {
        this.add(selector, m[1]);
        selector = null;
      }
    }
  }

  private add(selectors: string, body: string): void {
    const decls: Record<string, string> = {};
    for (const [k, v] of Object.entries(declarations(body))) {
      if (INSTANCING.includes(k) && v.includes('url(')) decls[k] = v;
    }
    if (Object.keys(decls).length === 0) return;
    for (const selector of selectors.split(',')) {
      const last =
        selector.length > MAX_SELECTOR
          ? '*'
          : (selector
              .trim()
              .split(/[\s>+~]+/)
              .pop() ?? '');
      const simple = last.replace(/\[[^\]]*\]|::?[\w-]+(\([^)]*\))?/g, '');
      const tag = /^[a-zA-Z][\w-]*/.exec(simple)?.[0];
      const rule: CssRule = {
        tag: tag === undefined ? null : localName(tag),
        id: /#([\w-]+)/.exec(simple)?.[1] ?? null,
        classes: [...simple.matchAll(/\.([\w-]+)/g)].map((c) => c[1]),
        decls,
      };
      const key =
        rule.id !== null ? `#${rule.id}` : rule.classes.length > 0 ? `.${rule.classes[0]}` : rule.tag;
      if (key === null) this.universal.push(rule);
      else if (this.byKey.has(key)) this.byKey.get(key)?.push(rule);
      else this.byKey.set(key, [rule]);
    }
  }

  /** The rules that may match `node` (check each in full); none once the checks are spent. */
  candidates(node: Node): CssRule[] {
    const lists = [this.universal, this.byKey.get(node.name) ?? []];
    if (node.attrs.id !== undefined) lists.push(this.byKey.get(`#${node.attrs.id}`) ?? []);
    for (const c of classesOf(node)) lists.push(this.byKey.get(`.${c}`) ?? []);
    const all = lists.flat();
    this.checksLeft -= all.length;
    if (this.checksLeft >= 0) return all;
    this.exhausted = true;
    return [];
  }
}

/** CSS without its comments (an unclosed one runs to the end). */
function withoutComments(css: string): string {
  let out = '';
  let i = 0;
  for (let start = css.indexOf('/*'); start >= 0; start = css.indexOf('/*', i)) {
    out += css.slice(i, start);
    const end = css.indexOf('*/', start + 2);
    i = end < 0 ? css.length : end + 2;
  }
  return out + css.slice(i);
}

/**
 * Expensive SVGs (issue #14, fault 4): a few kilobytes of SVG must not cost minutes of CPU.
 * The cost estimate refuses `<use>` bombs and monstrous filters before librsvg sees them; the
 * render runs in a child process that is killed when SVG_RENDER_TIMEOUT_MS passes; and ordinary
 * SVGs render to exactly the pixels they did before (the result cache relies on it).
 *
 * No test here measures wall-clock time: a broken bound shows as this file running into the
 * test runner's timeout (the hostile fixtures took 4–11 minutes each before the fix).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { resolveConfig } from '../src/config.js';
import { type ErrorCode, LogomillError } from '../src/errors.js';
import { decodeLogo } from '../src/io/decode.js';
import { checkSvgCost, DEFAULT_SVG_COST_LIMITS, estimateSvgCost } from '../src/io/svg-cost.js';
import { svgDoc } from './helpers.js';

const HOSTILE = new URL('./fixtures/hostile/', import.meta.url);
const EXAMPLES = new URL('../examples/src/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, HOSTILE));

/** For assert.rejects / assert.throws: a LogomillError with this code (and message). */
function logomillError(code: ErrorCode, message?: RegExp | string) {
  return (err: unknown): true => {
    assert.ok(err instanceof LogomillError, `expected a LogomillError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, `wrong code; message: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  };
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A full-canvas blur: cheap to estimate, a few seconds for librsvg at 2048 px (4 tiles, each re-filtered). */
const SLOW_SVG = svgDoc(
  2048,
  2048,
  '<filter id="f"><feGaussianBlur stdDeviation="1.9"/></filter><rect width="2048" height="2048" fill="#08f" filter="url(#f)"/>',
);

/** This process's live children running the SVG render script (Linux: read from /proc). */
function renderChildren(): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (ppid === process.pid && cmd.includes('svg-render-child')) found.push(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

describe('hostile SVGs are refused before rendering', () => {
  test('a 1.7 KB nested-<use> bomb (a million full-canvas rectangles) → E_TOO_LARGE naming the element limit', async () => {
    await assert.rejects(
      decodeLogo(fixture('use-bomb.svg')),
      logomillError(
        'E_TOO_LARGE',
        'The SVG is too complex to render: 4.7 million elements after <use> expansion; the limit is 50 000.',
      ),
    );
  });

  test('a 249-byte huge blur over a huge filter region → E_TOO_LARGE naming the filter limit', async () => {
    await assert.rejects(
      decodeLogo(fixture('huge-blur.svg')),
      logomillError(
        'E_TOO_LARGE',
        /^The SVG is too complex to render: its filters would process .* megapixels \(filter region × blur radius\); the limit is 1\.0 million megapixels\.$/,
      ),
    );
  });

  test('the same bomb compressed (.svgz), behind a long prolog, or with prefixed tags, is refused too', async () => {
    const bomb = fixture('use-bomb.svg').toString('utf8');
    await assert.rejects(decodeLogo(gzipSync(bomb)), logomillError('E_TOO_LARGE'));
    const prolog = Buffer.from(`<!--${' '.repeat(5000)}-->${bomb}`);
    await assert.rejects(decodeLogo(prolog), logomillError('E_TOO_LARGE'));
    // <svg:svg xmlns:svg="…"> without a size: librsvg would expand it just to read the header
    const prefixed = bomb
      .replace(' width="512" height="512"', '')
      .replace('xmlns="', 'xmlns:svg="')
      .replace(/<(\/?)(svg|defs|path|g|use)\b/g, '<$1svg:$2');
    await assert.rejects(decodeLogo(Buffer.from(prefixed)), logomillError('E_TOO_LARGE'));
  });

  test('a deep but cheap logo (120 nested groups, 27 <use> instances, a drop shadow) decodes', async () => {
    const { image } = await decodeLogo(fixture('deep-legit.svg'));
    assert.equal(sha256(image.data), '326e19e60822e3f72917b7d3b441f617d62d858b16a2fe0c774f73cbe85a5f25');
  });
});

describe('the render time limit stops the work', () => {
  test('a render past svgRenderTimeoutMs → E_TOO_LARGE (final, not retried), its process is gone, and the next decode works', async () => {
    await assert.rejects(
      decodeLogo(SLOW_SVG, { svgRenderTimeoutMs: 100 }),
      logomillError('E_TOO_LARGE', /^Rendering the SVG took longer than 0\.1 s \(SVG_RENDER_TIMEOUT_MS\)/),
    );
    if (process.platform === 'linux') {
      // the promise settles once the killed child has exited
      assert.deepEqual(renderChildren(), [], 'render child still running');
    }
    const { image } = await decodeLogo(readFileSync(new URL('leaf.svg', EXAMPLES)));
    assert.deepEqual([image.width, image.height], [2048, 2048]);
  });

  test('SVG_RENDER_TIMEOUT_MS (environment or config file) sets the limit; default 30 s', async () => {
    assert.equal(resolveConfig({ env: {} }).config.SVG_RENDER_TIMEOUT_MS, 30_000);
    const before = process.env.SVG_RENDER_TIMEOUT_MS;
    process.env.SVG_RENDER_TIMEOUT_MS = '100';
    try {
      await assert.rejects(decodeLogo(SLOW_SVG), logomillError('E_TOO_LARGE', /longer than 0\.1 s/));
    } finally {
      if (before === undefined) delete process.env.SVG_RENDER_TIMEOUT_MS;
      else process.env.SVG_RENDER_TIMEOUT_MS = before;
    }
  });
});

describe('ordinary SVGs render exactly as before', () => {
  // sha256 of decodeLogo(...).image.data, computed with the in-process renderer before this change
  const BEFORE: Record<string, string> = {
    'acme-badge.svg': '2048×1536 7e1165f07b36855d278ef6dc2d500e7e42302180942964e1ca8a05fbcf71b9b9',
    'harbor.svg': '2048×1365 759127f73522e02aa31136b4405ec5d335ae19057e43cb8bcd55f22aea7da5f6',
    'leaf.svg': '2048×2048 5f1f65c34902f47177fdc78d36b6a666ef687d66127e8e15701b85d192690ade',
    'lineart.svg': '2048×1065 259b1d05d5cc7619ae95d2b6e52c09dc98c49665c17f8dc042bb0b80d4cb8da2',
    'peak.svg': '2048×1536 9003095c09f39f1cd3623c89038efb7fc3cc74308da99289783369dfe47a15cc',
  };
  for (const [name, expected] of Object.entries(BEFORE)) {
    test(`examples/src/${name}: same size, same pixels, same header report`, async () => {
      const d = await decodeLogo(readFileSync(new URL(name, EXAMPLES)));
      assert.equal(`${d.image.width}×${d.image.height} ${sha256(d.image.data)}`, expected);
      assert.equal(d.format, 'svg');
      assert.equal(d.source.channels, 4);
    });
  }

  test('a huge canvas shrunk in the document, and a .svgz at svgSize 512: same pixels', async () => {
    const huge = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="400000" height="200000"><circle cx="200000" cy="100000" r="90000" fill="#336699"/></svg>',
    );
    const a = await decodeLogo(huge, { svgSize: 1000 });
    assert.equal(sha256(a.image.data), '7f6eec847ee6d1f6a71efae007b666d9190d48477b4d30a3460287ba57bf2151');
    const b = await decodeLogo(gzipSync(readFileSync(new URL('leaf.svg', EXAMPLES))), { svgSize: 512 });
    assert.equal(sha256(b.image.data), 'c4f9fc6df6e54b560f32ed9175a733496613b04bec721acecfb78a73755cfea7');
  });

  test('errors raised while rendering keep their codes across the process boundary', async () => {
    const rect = svgDoc(100, 50, '<rect width="100" height="50" fill="#336699"/>');
    await assert.rejects(
      decodeLogo(rect, { svgSize: 4000, maxPixels: 1000 }),
      logomillError('E_TOO_LARGE', 'The image is 4000×2000 px (7.6 MP); the limit is 1000 pixels.'),
    );
    const nothing = svgDoc(100, 50, '<rect width="100" height="50" fill-opacity="0"/>');
    await assert.rejects(decodeLogo(nothing), logomillError('E_EMPTY_IMAGE'));
  });
});

describe('estimateSvgCost', () => {
  const doc = (body: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">${body}</svg>`;

  test('counts every <use> instance, memoised: a 40-level doubling is 2^40 leaves, counted at once', () => {
    const levels = ['<path id="l0" d="M0 0h1v1z"/>'];
    for (let i = 1; i <= 40; i++)
      levels.push(`<g id="l${i}"><use href="#l${i - 1}"/><use href="#l${i - 1}"/></g>`);
    const cost = estimateSvgCost(doc(`<defs>${levels.join('')}</defs><use href="#l40"/>`), 2048);
    assert.ok(cost.elements > 2 ** 40, `elements ${cost.elements}`);
  });

  test('exact counts: element, <use> (xlink or entity-written) and what it copies', () => {
    // svg + defs + rect + 3 × (use + rect copy)
    const body =
      '<defs><rect id="r" width="1" height="1"/></defs><use href="#r"/><use xlink:href="#r"/><use href="&#35;r"/>';
    assert.equal(estimateSvgCost(doc(body), 2048).elements, 9);
  });

  test('circular references are not followed (and do not hang)', () => {
    const body = '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g><use href="#self" id="self"/>';
    const cost = estimateSvgCost(doc(body), 2048);
    assert.ok(Number.isFinite(cost.elements) && cost.elements < 20, `elements ${cost.elements}`);
  });

  test('10 000 nested groups: no stack overflow', () => {
    const cost = estimateSvgCost(doc(`${'<g>'.repeat(10_000)}<rect/>${'</g>'.repeat(10_000)}`), 2048);
    assert.equal(cost.elements, 10_002);
  });

  test('markers count once per vertex; patterns and masks once per user; gradients not at all', () => {
    const marker = '<marker id="m"><circle r="1"/></marker>';
    const mid = estimateSvgCost(
      doc(`${marker}<polyline points="0 0 1 1 2 2 3 3 4 4" marker-mid="url(#m)"/>`),
      2048,
    );
    assert.equal(mid.elements, 1 + 2 + 1 + 3 * 2); // svg, marker + circle, polyline, 3 inner vertices × 2
    const pattern = '<pattern id="p"><rect/><rect/></pattern>';
    const painted = estimateSvgCost(
      doc(`${pattern}<rect fill="url(#p)"/><rect style="stroke: url(#p)"/>`),
      2048,
    );
    assert.equal(painted.elements, 1 + 3 + 2 * (1 + 3));
    const gradient = '<linearGradient id="g"><stop/><stop/></linearGradient>';
    assert.equal(estimateSvgCost(doc(`${gradient}<rect fill="url(#g)"/>`), 2048).elements, 1 + 3 + 1);
  });

  test('filters: steps per application, work = region area × blur radius in output pixels', () => {
    // viewBox 100 → 2048 px: 20.48 px per unit; the region is 50 × 50 units → 1024 × 1024 px
    const filter =
      '<filter id="f" filterUnits="userSpaceOnUse" x="0" y="0" width="50" height="50"><feGaussianBlur stdDeviation="1"/><feOffset dx="1"/></filter>';
    const cost = estimateSvgCost(doc(`${filter}<rect id="r" filter="url(#f)"/><use href="#r"/>`), 2048);
    assert.equal(cost.filterSteps, 4);
    assert.ok(Math.abs(cost.filterWork - 2 * 1024 * 1024 * (20.48 + 1)) < 1, `work ${cost.filterWork}`);
  });

  test('a filter set from a <style> rule by class is counted like an attribute', () => {
    const filter = '<filter id="f"><feGaussianBlur stdDeviation="2"/></filter>';
    const css = '<style><![CDATA[ svg g > .shadow:hover { filter: url(#f) } ]]></style>';
    const cost = estimateSvgCost(
      doc(`${css}${filter}<g><rect class="logo shadow"/><rect class="logo"/></g>`),
      2048,
    );
    assert.equal(cost.filterSteps, 1);
  });

  test('a document with more elements than the limit is refused without reading it all', () => {
    const many = doc('<rect/>'.repeat(DEFAULT_SVG_COST_LIMITS.maxElements + 10));
    assert.throws(
      () => checkSvgCost(many, 2048),
      (e: unknown) =>
        e instanceof LogomillError &&
        e.code === 'E_TOO_LARGE' &&
        e.message ===
          'The SVG is too complex to render: it holds over 50 000 elements, references or style-rule matches; the limit is 50 000.',
    );
  });

  test('pathological text is read in linear time (each of these would take hours if quadratic)', () => {
    const mb = 1 << 20;
    const inputs = [
      `<svg><rect ${'a'.repeat(mb)}/></svg>`, // an attribute name without "="
      `<svg>${'</g>'.repeat(mb / 4)}${'<g>'.repeat(1000)}${'</x>'.repeat(mb / 4)}</svg>`, // stray closing tags
      `<svg><style>${'['.repeat(mb)}{filter:url(#f)}${'/*'.repeat(mb / 2)}</style></svg>`, // CSS
      `<svg><style>${'.a{fill:url(#p)}'.repeat(mb / 16)}</style>${'<rect class="a"/>'.repeat(40_000)}</svg>`,
      `<svg><path d="${'1'.repeat(mb)}" marker-mid="url(#m)"/></svg>`,
    ];
    for (const svg of inputs) assert.ok(estimateSvgCost(svg, 2048, 50_000).elements >= 1);
  });

  test('the example logos are far below every limit', () => {
    for (const name of readdirSync(EXAMPLES).filter((n) => n.endsWith('.svg'))) {
      const cost = checkSvgCost(readFileSync(new URL(name, EXAMPLES), 'utf8'), 2048);
      assert.ok(cost.elements < 100, `${name}: ${cost.elements} elements`);
    }
  });
});

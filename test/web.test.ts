/**
 * The web app (web/) in a real browser against the real server: `logomill serve`
 * in a child process on a free loopback port, Debian's Chromium driven by
 * playwright-core. A logo is uploaded through the file input, a preset and
 * variations are picked, an option is changed; the test follows the live
 * progress to the end, checks that the previews really loaded, downloads the
 * zip through the page and opens it, and checks that the page never asked a
 * host other than the server. A second server with an API key checks the key
 * prompt, a logo that fails on its own, and the form's own validation.
 *
 * Screenshots for a human to look at: test/artifacts/web-app.png (desktop)
 * and test/artifacts/web-app-phone.png (390 px wide).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { example } from './helpers.js';
import { unzip } from './service-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const JOB_TIMEOUT_MS = 60_000;

const missing = !existsSync(CHROMIUM);
const skip =
  missing && process.env.CI !== 'true' ? `no Chromium at ${CHROMIUM}; skipping the browser test` : false;

interface Served {
  base: string;
  child: ChildProcess;
  dir: string;
  output: () => string;
}

/** Starts `logomill serve` on 127.0.0.1:0 with its own data folder and no cache; resolves with its URL. */
async function serve(env: Record<string, string> = {}): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'logomill-web-'));
  const cleanEnv = { ...process.env };
  for (const k of ['LOGOMILL_API_KEYS', 'REDIS_URL', 'CACHE_DIR', 'DATA_DIR', 'PORT', 'HOST'])
    delete cleanEnv[k];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--max-workers',
      '2',
      '--no-cache',
    ],
    { env: { ...cleanEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`logomill serve did not start in 30 s:\n${out}`)),
      30_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^logomill listening on (http:\/\/[^\s/]+)/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`logomill serve exited with ${code}:\n${out}`));
    });
  });
  return { base, child, dir, output: () => out };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s) return;
  if (s.child.exitCode === null && s.child.signalCode === null) {
    const gone = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  await rm(s.dir, { recursive: true, force: true });
}

/** What the page asked of the network: anything not on the loopback host, errors, 401s. */
function watch(page: Page) {
  const seen = {
    foreign: [] as string[],
    errors: [] as string[],
    unauthorized: [] as string[],
    jobPosts: 0,
  };
  page.on('request', (r) => {
    const url = new URL(r.url());
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname);
    if (!local) seen.foreign.push(r.url());
    if (r.method() === 'POST' && url.pathname === '/api/jobs') seen.jobPosts++;
  });
  page.on('websocket', (ws) => {
    if (!LOCAL_HOSTS.has(new URL(ws.url()).hostname)) seen.foreign.push(ws.url());
  });
  page.on('response', (r) => {
    if (r.status() === 401) seen.unauthorized.push(r.url());
  });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(`console: ${m.text()}`);
  });
  return seen;
}

interface ImgLike {
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  addEventListener(type: string, fn: () => void): void;
}

/** Scrolls a lazy image into view and waits for it to load; its natural size (0 × 0 when it failed). */
/** The field once the page marks it invalid (the server's answer arrives after a short delay). */
const invalid = (field: Locator) => field.and(field.page().locator('[aria-invalid="true"]'));
/** The field once the page no longer marks it invalid. */
const valid = (field: Locator) => field.and(field.page().locator(':not([aria-invalid])'));

async function loaded(img: Locator): Promise<{ width: number; height: number }> {
  await img.scrollIntoViewIfNeeded();
  return img.evaluate(
    (el: ImgLike) =>
      // no named functions in here: tsx would wrap them in a __name() helper the page lacks
      new Promise<{ width: number; height: number }>((resolve) => {
        if (el.complete) resolve({ width: el.naturalWidth, height: el.naturalHeight });
        for (const type of ['load', 'error']) {
          el.addEventListener(type, () => resolve({ width: el.naturalWidth, height: el.naturalHeight }));
        }
      }),
  );
}

/** A screenshot of the whole page: the viewport grows to the page's height (so sticky bars stay put). */
async function fullScreenshot(page: Page, path: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1366, height: 900 };
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  await page.setViewportSize({ width: viewport.width, height: Math.min(height, 16_000) });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(200);
  await page.screenshot({ path });
  await page.setViewportSize(viewport);
}

/** The ids of the ticked variation checkboxes. */
async function ticked(page: Page): Promise<string[]> {
  const ids: string[] = [];
  for (const box of await page.locator('#variations input[name=variation]').all()) {
    if (await box.isChecked()) ids.push(await box.getAttribute('value').then(String));
  }
  return ids.sort();
}

/**
 * Chromium does not hand multipart bodies with files to the test, so the page's fetch is wrapped to
 * note each FormData it sends: text fields as they are, files by name.
 */
const RECORD_FORMS = `(() => {
  const send = window.fetch;
  window.__forms = [];
  window.fetch = (input, init) => {
    if (init && init.body instanceof FormData) {
      const form = { files: [] };
      for (const [k, v] of init.body) {
        if (typeof v === 'string') form[k] = v;
        else form.files.push(v.name);
      }
      window.__forms.push(form);
    }
    return send(input, init);
  };
})();`;

type SentForm = Record<string, string | string[]> & { files: string[] };

function sentForms(page: Page): Promise<SentForm[]> {
  return page.evaluate<SentForm[]>('window.__forms');
}

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('web app', { skip }, () => {
  let browser: Browser | undefined;

  before(async () => {
    if (missing) throw new Error(`CI=true but there is no Chromium at ${CHROMIUM}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  describe('without API keys', () => {
    let server: Served | undefined;
    let context: BrowserContext | undefined;
    before(async () => {
      server = await serve();
    });
    after(async () => {
      await context?.close();
      await stop(server);
    });

    test('upload a logo, follow the job, see the previews, download the zip; nothing leaves localhost', {
      timeout: 120_000,
    }, async () => {
      const { base } = server!;
      context = await browser!.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      await page.addInitScript(RECORD_FORMS);
      const seen = watch(page);
      await page.goto(`${base}/`);
      await assert.doesNotReject(page.getByRole('heading', { name: 'Logos' }).waitFor());

      // every variation and preset of the API has its control
      const api = (await (await fetch(`${base}/api/variations`)).json()) as {
        variations: { id: string; label: string }[];
        presets: { id: string; label: string; variations: string[] }[];
      };
      await page.getByTestId(`variation-${api.variations[0].id}`).waitFor();
      for (const v of api.variations) {
        assert.equal(await page.getByTestId(`variation-${v.id}`).count(), 1, `checkbox for ${v.id}`);
        assert.equal(await page.getByLabel(v.label, { exact: false }).first().count(), 1);
      }
      for (const p of api.presets) {
        assert.equal(await page.getByTestId(`preset-${p.id}`).textContent(), p.label);
      }

      // a preset ticks exactly its variations and shows as pressed
      const web = api.presets.find((p) => p.id === 'web')!;
      await page.getByTestId('preset-everything').click();
      await page.getByTestId('preset-web').click();
      assert.deepEqual(await ticked(page), [...web.variations].sort());
      assert.equal(await page.getByTestId('preset-web').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.getByTestId('preset-everything').getAttribute('aria-pressed'), 'false');
      for (const id of web.variations) assert.ok(await page.getByTestId(`options-${id}`).isVisible());

      // clearing unticks everything and hides the options; choosing the preset ticks it again
      await page.getByTestId('preset-clear').click();
      assert.deepEqual(await ticked(page), []);
      assert.equal(await page.getByTestId('preset-web').getAttribute('aria-pressed'), 'false');
      assert.ok(
        !(await page.getByTestId('options-raster').isVisible()),
        'options of unticked variations hide',
      );
      await page.getByTestId('preset-web').click();
      assert.deepEqual((await ticked(page)).sort(), [...web.variations].sort());

      // each variation's options are folded away until asked for: even Everything stays short
      await page.getByTestId('preset-everything').click();
      const groups = page.locator('#options details.option-group:not([hidden])');
      assert.ok((await groups.count()) > 10);
      for (const g of await groups.all()) {
        assert.equal(await g.evaluate((d: { open: boolean }) => d.open), false, 'options start folded');
      }
      const tall = await page.evaluate<number>('document.documentElement.scrollHeight');
      assert.ok(tall < 3000, `the Everything preset makes a ${tall} px page`);
      await page.getByTestId('preset-web').click();

      // one option changed: the vector's colour, through its hex field
      const vectorOptions = page.getByTestId('options-vector');
      await vectorOptions.locator(':scope > summary').click();
      // a CSS colour name is a colour (the server turns it into hex); a made-up word is not
      const colorField = vectorOptions.getByLabel('Color', { exact: true });
      // the field shows the server's own message (POST /api/options/check), once it answers
      await colorField.fill('navyish');
      await invalid(colorField).waitFor();
      assert.match(
        String(await vectorOptions.locator('.field-error:not([hidden])').textContent()),
        /^Expected a colour like #1a2b3c or navy .* for vector\.color but received "navyish"/,
      );
      await colorField.fill('navy');
      await valid(colorField).waitFor();
      await colorField.fill('#1f4e79');
      await valid(colorField).waitFor();
      assert.match(String(await vectorOptions.getByTestId('option-count').textContent()), /1 changed/);
      // the less important options sit in a closed "More options"
      const more = vectorOptions.locator('details.more-options');
      assert.equal(await more.count(), 1);
      assert.equal(await more.evaluate((d: { open: boolean }) => d.open), false);

      // submitting without a logo is refused in the page
      await page.getByTestId('submit').click();
      assert.match(String(await page.getByTestId('form-error').textContent()), /at least one logo/);
      assert.equal(seen.jobPosts, 0);

      // the picker offers the formats the README names (no zip: the server reads images only), the
      // drop zone names them, and a file outside that list (dropped, say) is left out with a message
      const accept = String(await page.getByTestId('file-input').getAttribute('accept')).split(',');
      for (const want of ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/tiff', 'image/avif']) {
        assert.ok(accept.includes(want), `accept lists ${want}`);
      }
      assert.ok(accept.includes('image/svg+xml') && accept.includes('.svg'));
      assert.ok(
        accept.every((a) => a.startsWith('image/') || /^\.[a-z]+$/.test(a)),
        accept.join(','),
      );
      assert.ok(!accept.includes('.zip') && !accept.some((a) => a.includes('heic')));
      assert.equal(
        await page.getByTestId('drop-formats').textContent(),
        'PNG, JPEG, WebP, GIF, TIFF, AVIF or SVG — one or many.',
      );
      await page
        .getByTestId('file-input')
        .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a logo') });
      assert.equal(await page.getByTestId('file').count(), 0);
      assert.match(String(await page.getByTestId('form-error').textContent()), /Left out.*notes\.txt/);

      await page.getByTestId('file-input').setInputFiles(example('harbor-on-white.png'));
      await assert.doesNotReject(
        page.getByTestId('file').filter({ hasText: 'harbor-on-white.png' }).waitFor(),
      );

      const [post] = await Promise.all([
        page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/jobs'),
        page.getByTestId('submit').click(),
      ]);
      assert.ok(post);
      const sent = await sentForms(page);
      assert.equal(sent.length, 1);
      assert.deepEqual(sent[0].files, ['harbor-on-white.png']);
      assert.deepEqual(String(sent[0].variations).split(',').sort(), [...web.variations].sort());
      assert.equal(sent[0].options, JSON.stringify({ vector: { color: '#1f4e79' } }));

      // live progress: running or queued first, then completed
      await page.getByTestId('job-state').waitFor();
      await page
        .locator('[data-testid=job-state][data-state=completed]')
        .waitFor({ timeout: JOB_TIMEOUT_MS });
      const item = page.getByTestId('item').first();
      assert.equal(await item.getAttribute('data-state'), 'completed');
      assert.equal(
        await page
          .getByTestId('item-progress')
          .first()
          .evaluate((p: { value: number }) => p.value),
        1,
      );
      const chips = page.getByTestId('task-chip');
      assert.equal(await chips.count(), web.variations.length);
      for (const chip of await chips.all()) assert.equal(await chip.getAttribute('data-state'), 'done');

      // the previews: the original, the transparent PNG, the SVG trace and the favicon icons, all loaded
      const images = page.getByTestId('gallery-image');
      const shown: { variation: string; name: string; width: number; height: number }[] = [];
      for (const img of await images.all()) {
        const size = await loaded(img);
        shown.push({
          variation: String(await img.getAttribute('data-variation')),
          name: String(await img.getAttribute('data-name')),
          ...size,
        });
        assert.equal(await img.getAttribute('loading'), 'lazy');
      }
      for (const s of shown) assert.ok(s.width > 0 && s.height > 0, `${s.variation}/${s.name} did not load`);
      const names = shown.map((s) => `${s.variation}/${s.name}`);
      for (const want of ['original/harbor-on-white', 'transparent/transparent.png', 'vector/vector.svg']) {
        assert.ok(names.includes(want), `${want} is shown (shown: ${names.join(', ')})`);
      }
      assert.ok(
        names.some((n) => /^favicon\/.+\.png$/.test(n)),
        `a favicon PNG is shown (shown: ${names.join(', ')})`,
      );
      assert.ok(!names.includes('favicon/favicon.ico'), 'no preview for the .ico');
      const transparent = shown.find((s) => s.name === 'transparent.png')!;
      assert.ok(transparent.width > 100, `transparent.png is ${transparent.width} wide`);
      // the SVG is an <img> (never inlined) in a link to the file in a new tab (Ctrl/middle click; a
      // plain click opens the viewer)
      const svgImg = page.locator('img[data-name="vector.svg"]');
      assert.equal(await svgImg.evaluate((e: { tagName: string }) => e.tagName), 'IMG');
      assert.equal(await page.locator('.tile-img svg').count(), 0, 'no inline SVG in the previews');
      const svgLink = svgImg.locator('xpath=ancestor::a[1]');
      assert.match(String(await svgLink.getAttribute('href')), /\/vector\/vector\.svg$/);
      assert.equal(await svgLink.getAttribute('target'), '_blank');

      // a plain click opens the preview in the page's viewer: zoom, and the original beside it
      await mkdir(ARTIFACTS, { recursive: true });
      await page.locator('[data-testid=gallery-image][data-name="transparent.png"]').click();
      const viewer = page.getByTestId('viewer');
      await viewer.waitFor();
      const zoomText = page.getByTestId('viewer-zoom');
      const big = page.getByTestId('viewer-main-image');
      assert.equal((await loaded(big)).width, transparent.width, 'the viewer shows transparent.png');
      assert.equal(await viewer.getAttribute('data-zoom'), 'fit');
      const fitWidth = (await big.boundingBox())!.width;
      assert.ok(fitWidth > 0 && fitWidth <= 1366);
      await viewer.getByRole('button', { name: 'Actual pixels' }).click();
      assert.equal(await zoomText.textContent(), '100%');
      assert.equal(Math.round((await big.boundingBox())!.width), transparent.width);
      await viewer.getByRole('button', { name: 'Zoom in' }).click();
      assert.equal(await zoomText.textContent(), '150%');
      assert.equal(Math.round((await big.boundingBox())!.width), Math.round(transparent.width * 1.5));
      await page.keyboard.press('0');
      assert.equal(await viewer.getAttribute('data-zoom'), 'fit');
      assert.match(String(await zoomText.textContent()), /^\d+%$/);
      const compare = page.getByTestId('viewer-compare');
      await compare.click();
      assert.equal(await compare.getAttribute('aria-pressed'), 'true');
      assert.ok((await loaded(page.getByTestId('viewer-original-image'))).width > 0, 'the original loaded');
      const left = (await page.getByTestId('viewer-original').boundingBox())!;
      const right = (await page.getByTestId('viewer-main').boundingBox())!;
      assert.ok(Math.abs(left.y - right.y) < 2 && left.x + left.width <= right.x + 2, 'side by side');
      await page.screenshot({ path: join(ARTIFACTS, 'web-app-viewer.png') });
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'hidden' });
      assert.equal(
        await page.evaluate<string | null>(
          'document.activeElement?.querySelector("img")?.dataset.name ?? null',
        ),
        'transparent.png',
        'focus goes back to the tile',
      );
      // every file has a download link; the .ico is among them
      await page.locator('details.files > summary').first().click();
      const fileLinks = page.getByTestId('file-link');
      assert.ok((await fileLinks.count()) >= 6);
      for (const link of await fileLinks.all())
        assert.match(String(await link.getAttribute('href')), /\?download=1$/);
      assert.equal(await fileLinks.filter({ hasText: 'favicon.ico' }).count(), 1);

      await mkdir(ARTIFACTS, { recursive: true });
      await fullScreenshot(page, join(ARTIFACTS, 'web-app.png'));

      // the zip, downloaded through the page
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('zip-link').click(),
      ]);
      assert.match(download.suggestedFilename(), /\.zip$/);
      const zip = await unzip(await readFile(await download.path()));
      const itemName = String(await item.locator('.item-name').textContent());
      assert.equal(itemName, 'harbor-on-white');
      const pngEntry = [...zip.keys()].find(
        (k) => k.startsWith(`${itemName}/transparent/`) && k.endsWith('.png'),
      );
      assert.ok(pngEntry, `a transparent PNG in the zip (${[...zip.keys()].join(', ')})`);
      assert.ok(zip.has(`${itemName}/manifest.json`), 'manifest.json in the zip');
      const manifest = JSON.parse(zip.get(`${itemName}/manifest.json`)!.toString('utf8')) as {
        outputs: { variation: string; name: string }[];
      };
      assert.deepEqual(
        [...new Set(manifest.outputs.map((o) => o.variation))].sort(),
        [...web.variations].sort(),
      );
      const meta = await sharp(zip.get(pngEntry)!).metadata();
      assert.ok((meta.width ?? 0) > 0 && (meta.height ?? 0) > 0);
      assert.equal(meta.width, transparent.width, 'the zip holds the same PNG as the preview');
      // the changed option reached the engine: the trace is painted in that colour
      const svg = zip.get(`${itemName}/vector/vector.svg`)?.toString('utf8') ?? '';
      assert.match(svg, /#1f4e79/i);

      // phone width: one column, nothing wider than the screen
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      assert.equal(overflow, 0, 'no horizontal scrolling at 390 px');
      const setup = await page.locator('#job-form').boundingBox();
      const results = await page.locator('#results').boundingBox();
      assert.ok(setup && results && results.y >= setup.y + setup.height, 'results below the form on a phone');
      await fullScreenshot(page, join(ARTIFACTS, 'web-app-phone.png'));

      // the job's id is in the address: a reload brings the same results back
      assert.match(page.url(), /#job=[A-Za-z0-9_-]+$/);
      await page.reload();
      await page.getByTestId('zip-link').waitFor({ timeout: 30_000 });
      const again = page.locator('[data-testid="gallery-image"][data-name="transparent.png"]');
      await again.first().scrollIntoViewIfNeeded();
      let width = 0;
      for (let i = 0; i < 100 && width === 0; i++) {
        width = await again.first().evaluate((img: { naturalWidth: number }) => img.naturalWidth);
        if (width === 0) await page.waitForTimeout(50);
      }
      assert.ok(width > 0, 'the transparent PNG shows again after the reload');

      assert.deepEqual(seen.foreign, [], 'requests to hosts other than the server');
      assert.deepEqual(seen.errors, [], 'errors in the page');
    });
    test('the preflight comes first on the card: verdict, findings, the page for the customer', {
      timeout: 120_000,
    }, async () => {
      const { base } = server!;
      const ctx = await browser!.newContext({ viewport: { width: 1366, height: 900 } });
      try {
        const page = await ctx.newPage();
        const seen = watch(page);
        await page.goto(`${base}/`);
        await page.getByTestId('variation-preflight').waitFor();
        await page.getByTestId('preset-clear').click();
        await page.getByTestId('variation-preflight').check();
        await page.getByTestId('variation-transparent').check();
        await page.getByTestId('file-input').setInputFiles(example('lineart-on-cream.png'));
        await page.getByTestId('submit').click();
        await page
          .locator('[data-testid=job-state][data-state=completed]')
          .waitFor({ timeout: JOB_TIMEOUT_MS });
        const verdict = page.getByTestId('preflight-verdict').first();
        await verdict.waitFor();
        const pdf = page.locator('[data-testid=preflight] a', { hasText: 'Page for the customer (PDF)' });
        const pdfUrl = new URL(String(await pdf.getAttribute('href')), base);
        const res = await fetch(pdfUrl);
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        // the card says what the job's preflight.json says
        const report = (await (
          await fetch(String(pdfUrl).replace('preflight.pdf', 'preflight.json'))
        ).json()) as {
          verdict: string;
          summary: string;
          findings: unknown[];
        };
        assert.match(report.summary, /screen print, 230 mesh, 55 LPI at 10 × [\d.]+ in\.$/);
        assert.equal(await verdict.textContent(), report.summary);
        assert.equal(await verdict.getAttribute('data-verdict'), report.verdict);
        assert.equal(await page.locator('[data-testid=preflight] li').count(), report.findings.length);
        // first on the card: before the decision, the chips and the gallery
        const order = await page
          .getByTestId('preflight')
          .first()
          .evaluate((node) => {
            const gallery = node.parentElement?.querySelector('[data-testid=gallery]');
            return gallery ? node.compareDocumentPosition(gallery) & 4 /* DOCUMENT_POSITION_FOLLOWING */ : 0;
          });
        assert.ok(order, 'the preflight precedes the gallery');
        await fullScreenshot(page, join(ARTIFACTS, 'web-app-preflight.png'));
        assert.deepEqual(seen.foreign, []);
        assert.deepEqual(seen.errors, []);
      } finally {
        await ctx.close();
      }
    });
    test('the card shows the background decision; one click re-runs the logo the other way', {
      timeout: 120_000,
    }, async () => {
      const { base } = server!;
      const ctx = await browser!.newContext({ viewport: { width: 1366, height: 900 } });
      try {
        const page = await ctx.newPage();
        await page.addInitScript(RECORD_FORMS);
        const seen = watch(page);
        await page.goto(`${base}/`);
        await page.getByTestId('variation-transparent').waitFor();
        await page.getByTestId('preset-clear').click();
        await page.getByTestId('variation-transparent').check();
        // a red box with white lettering that fills the canvas: read as the art's own box
        await page
          .getByTestId('file-input')
          .setInputFiles(new URL('./fixtures/customer/box-opel.png', import.meta.url).pathname);
        await page.getByTestId('submit').click();
        await page
          .locator('[data-testid=job-state][data-state=completed]')
          .waitFor({ timeout: JOB_TIMEOUT_MS });
        const text = page.getByTestId('decision-text').first();
        assert.match(
          String(await text.textContent()),
          /Kept the box \(#d62828\) as part of the art — a guess/,
        );
        const warning = page.locator('[data-testid=warning][data-code=W_BACKGROUND_UNCERTAIN]');
        assert.equal(await warning.count(), 1);
        const flip = page.getByTestId('flip-background').first();
        assert.equal(await flip.textContent(), 'Remove the background instead');
        await flip.click();
        // a new job with the decision overturned, followed on the same page
        await page
          .locator('[data-testid=decision-text]', { hasText: 'Background removed: flat #d62828' })
          .waitFor({ timeout: JOB_TIMEOUT_MS });
        const sent = await sentForms(page);
        assert.equal(sent.length, 2);
        assert.deepEqual(sent[1].files, ['box-opel']);
        assert.equal(JSON.parse(String(sent[1].options)).transparent.background, 'remove');
        assert.equal(
          await page.getByTestId('flip-background').first().textContent(),
          'Keep the background instead',
        );
        await fullScreenshot(page, join(ARTIFACTS, 'web-app-decision.png'));
        assert.deepEqual(seen.foreign, []);
        assert.deepEqual(seen.errors, []);
      } finally {
        await ctx.close();
      }
    });
    test('a sticker sheet shows its preview and its files', { timeout: 120_000 }, async () => {
      const { base } = server!;
      const ctx = await browser!.newContext({ viewport: { width: 1366, height: 900 } });
      try {
        const page = await ctx.newPage();
        const seen = watch(page);
        await page.goto(`${base}/`);
        await page.getByTestId('variation-sheet').waitFor();
        await page.getByTestId('preset-clear').click();
        await page.getByTestId('variation-sheet').check();
        await page.getByTestId('file-input').setInputFiles(example('leaf-mark.png'));
        await page.getByTestId('submit').click();
        await page
          .locator('[data-testid=job-state][data-state=completed]')
          .waitFor({ timeout: JOB_TIMEOUT_MS });
        const preview = page.locator(
          '[data-testid=gallery-image][data-variation=sheet][data-name="sheet-preview.png"]',
        );
        assert.equal(await preview.count(), 1, 'the sheet preview is a tile');
        const size = await loaded(preview);
        // Letter at 100 DPI
        assert.deepEqual([size.width, size.height], [850, 1100]);
        for (const name of ['sheet.pdf', 'sheet-print.pdf', 'sheet.json']) {
          assert.ok((await page.locator(`a[href*="/${name}"]`).count()) > 0, `${name} listed`);
        }
        await fullScreenshot(page, join(ARTIFACTS, 'web-app-sheet.png'));
        assert.deepEqual(seen.foreign, []);
        assert.deepEqual(seen.errors, []);
      } finally {
        await ctx.close();
      }
    });
    test('separation films stay visible on the dark preview background', { timeout: 120_000 }, async () => {
      const { base } = server!;
      const ctx = await browser!.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'dark' });
      try {
        const page = await ctx.newPage();
        const seen = watch(page);
        await page.goto(`${base}/`);
        await page.getByTestId('variation-separations').waitFor();
        await page.getByTestId('preset-clear').click();
        await page.getByTestId('variation-separations').check();
        await page.getByTestId('file-input').setInputFiles(example('harbor-on-white.png'));
        await page.locator('input[name=preview-bg][value=dark]').check({ force: true });
        await page.getByTestId('submit').click();
        await page
          .locator('[data-testid=job-state][data-state=completed]')
          .waitFor({ timeout: JOB_TIMEOUT_MS });
        const films = page.locator(
          '[data-testid=gallery-image][data-variation=separations][data-name^="film-"]',
        );
        assert.ok((await films.count()) > 0, 'film previews shown');
        for (const film of await films.all()) {
          const size = await loaded(film);
          assert.ok(size.width > 0, `${await film.getAttribute('data-name')} loaded`);
          // black art on clear film: the tile behind it is light (a light table), not the dark background
          const backing = await film.evaluate(
            (img: { parentElement: unknown }) =>
              (
                globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
              ).getComputedStyle(img.parentElement).backgroundColor,
          );
          assert.equal(backing, 'rgb(255, 255, 255)');
        }
        await fullScreenshot(page, join(ARTIFACTS, 'web-app-films.png'));
        assert.deepEqual(seen.foreign, []);
        assert.deepEqual(seen.errors, []);
      } finally {
        await ctx.close();
      }
    });
  });

  describe('with an API key', () => {
    const KEY = 'web-test-key-123';
    let server: Served | undefined;
    let context: BrowserContext | undefined;
    before(async () => {
      server = await serve({ LOGOMILL_API_KEYS: KEY });
    });
    after(async () => {
      await context?.close();
      await stop(server);
    });

    test('asks for the key, then uses it; a broken file fails alone; bad options are refused; polling without SSE', {
      timeout: 120_000,
    }, async () => {
      const { base } = server!;
      context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(RECORD_FORMS);
      const seen = watch(page);
      await page.goto(`${base}/`);

      // the variations need the key: the page says so and opens the key field
      await page.getByTestId('api-key').waitFor({ state: 'visible' });
      assert.match(String(await page.locator('#variations-status').textContent()), /API key/);
      assert.equal(await page.getByTestId('variation-transparent').count(), 0);
      assert.ok(seen.unauthorized.length > 0);
      await page.getByTestId('api-key').fill(KEY);
      await page.getByTestId('api-key').press('Enter');
      await page.getByTestId('variation-transparent').waitFor();
      assert.equal(await page.evaluate<string | null>('localStorage.getItem("logomill.apiKey")'), KEY);
      const before401 = seen.unauthorized.length;

      await page.getByTestId('preset-clear').click();
      await page.getByTestId('variation-transparent').check();
      await page.getByTestId('file-input').setInputFiles([
        { name: 'leaf-mark.png', mimeType: 'image/png', buffer: await readFile(example('leaf-mark.png')) },
        { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('this is not a png') },
      ]);
      assert.equal(await page.getByTestId('file').count(), 2);

      // an option out of range: the page refuses it before anything is sent (tolerance sits
      // under "More options": the background decision and holes come first)
      await page.getByTestId('options-transparent').locator(':scope > summary').click();
      await page.getByTestId('options-transparent').locator('details.more-options > summary').click();
      const tolerance = page.getByTestId('options-transparent').getByLabel('Tolerance');
      await tolerance.fill('500');
      await page.getByTestId('submit').click();
      await invalid(tolerance).waitFor();
      await page
        .getByTestId('options-transparent')
        .screenshot({ path: join(ARTIFACTS, 'web-app-option-error.png') });
      assert.match(
        String(await page.getByTestId('form-error').textContent()),
        /^Check this option: Expected number between 1 and 100 for transparent\.tolerance but received 500/,
      );
      assert.equal(seen.jobPosts, 0);
      await tolerance.fill('20');
      await valid(tolerance).waitFor();

      // the event stream is cut off (as by a proxy that buffers it): the page falls back to polling
      const streams: string[] = [];
      const polls: string[] = [];
      await page.route('**/api/jobs/*/events*', (route) => {
        streams.push(route.request().url());
        return route.abort();
      });
      page.on('request', (r) => {
        if (r.method() === 'GET' && /^\/api\/jobs\/[^/]+$/.test(new URL(r.url()).pathname))
          polls.push(r.url());
      });
      const [post] = await Promise.all([
        page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/jobs'),
        page.getByTestId('submit').click(),
      ]);
      assert.equal(post.headers()['x-api-key'], KEY);
      const [form] = await sentForms(page);
      // the form sends what was typed; the server reads "20" as the CLI does
      assert.deepEqual(JSON.parse(String(form.options)), { transparent: { tolerance: '20' } });
      assert.deepEqual(form.files, ['leaf-mark.png', 'broken.png']);
      await page
        .locator('[data-testid=job-state][data-state=completed]')
        .waitFor({ timeout: JOB_TIMEOUT_MS });

      const good = page.locator('[data-testid=item][data-item="0"]');
      const bad = page.locator('[data-testid=item][data-item="1"]');
      assert.equal(await good.getAttribute('data-state'), 'completed');
      assert.ok(streams.length >= 1, 'the page tried the event stream');
      assert.match(streams[0], new RegExp(`[?&]key=${KEY}`), 'EventSource carries the key in the URL');
      assert.ok(polls.length >= 1, 'then polled the job');
      assert.equal(await bad.getAttribute('data-state'), 'failed');
      assert.match(
        String(await bad.getByRole('alert').textContent()),
        /could not be processed.*\(E_[A-Z_]+\)/,
      );
      assert.equal(await bad.getByTestId('item-progress').getAttribute('data-state'), 'failed');

      // previews and links carry the key as ?key= (an <img> cannot send headers)
      const img = good.locator('img[data-name="transparent.png"]');
      const size = await loaded(img);
      assert.ok(size.width > 0, 'transparent.png loaded with the key');
      assert.match(String(await img.getAttribute('src')), new RegExp(`[?&]key=${KEY}`));
      assert.match(
        String(await page.getByTestId('zip-link').getAttribute('href')),
        new RegExp(`[?&]key=${KEY}`),
      );
      assert.deepEqual(seen.unauthorized.slice(before401), [], 'no 401 once the key is set');
      assert.deepEqual(seen.foreign, []);
    });
  });
});

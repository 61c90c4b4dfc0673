/**
 * The HTTP API over real HTTP on a loopback port: upload → events →
 * completion → file and zip (unzipped and re-decoded); validation (400 with
 * a code), oversize (413), unknown job (404), API keys (401), rate limit and
 * queue limit (429 with Retry-After), deletion, URL inputs with the SSRF
 * guard, the OpenAPI document and metrics.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { signBody } from '../src/net/http-client.js';
import { example } from './helpers.js';
import {
  getJson,
  postJob,
  readEvents,
  startTestServer,
  type TestServer,
  unzip,
  waitForJob,
} from './service-helpers.js';

let logo: Buffer;
let tiny: Buffer;

before(async () => {
  logo = await readFile(example('acme-badge-transparent.png'));
  tiny = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: await sharp({ create: { width: 24, height: 16, channels: 3, background: '#c01020' } })
          .png()
          .toBuffer(),
        left: 12,
        top: 8,
      },
    ])
    .png()
    .toBuffer();
});

describe('API: a job end to end', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.stop());

  test('upload → events → completed → files and zip re-decode', async () => {
    const created = await postJob(
      srv.url,
      [
        { name: 'acme badge.png', data: logo },
        { name: 'tiny.png', data: tiny },
      ],
      {
        variations: 'transparent,vector,favicon',
      },
    );
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const { id, eventsUrl } = created.body;
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);

    const events = await readEvents(srv.url + eventsUrl);
    const last = events.at(-1);
    assert.equal(last?.event, 'end');
    assert.equal(last?.data.state, 'completed');
    // progress never goes backwards and ends at 1
    const fractions = events.map((e) => e.data.progress.fraction);
    assert.deepEqual(
      fractions,
      [...fractions].sort((a, b) => a - b),
    );
    assert.equal(fractions.at(-1), 1);

    const job = await waitForJob(srv.url, id);
    assert.equal(job.items.length, 2);
    assert.deepEqual(
      job.items.map((i: { name: string }) => i.name),
      ['acme badge', 'tiny'],
    );
    for (const item of job.items) {
      assert.equal(item.state, 'completed');
      assert.deepEqual(item.tasks, { transparent: 'done', vector: 'done', favicon: 'done' });
      assert.deepEqual(item.failures, []);
    }
    const acme = job.items[0];
    assert.equal(acme.input?.width, 800);
    assert.equal(acme.input?.height, 600);
    type Analysis = { background: { kind: string; decision: string }; colors: unknown[] };
    const analysis = acme.analysis as Analysis;
    // the art analysis comes with the status: the badge came transparent, nothing to remove
    assert.equal(analysis.background.kind, 'transparent');
    assert.equal(analysis.background.decision, 'none');
    assert.ok(Array.isArray(analysis.colors) && analysis.colors.length >= 2);
    // the second logo's white background was removed, and warnings carry codes
    assert.equal((job.items[1].analysis as Analysis).background.decision, 'removed');
    for (const w of job.items[1].warnings) assert.match(w.code, /^W_[A-Z_]+$/);

    // one output: the bytes are the ones the status describes, and decode to the stated size
    const png = acme.outputs.find((o: { name: string }) => o.name === 'transparent.png');
    assert.ok(png);
    const res = await fetch(srv.url + png.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, png.bytes);
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.width, png.width);
    assert.equal(meta.height, png.height);
    assert.equal(meta.hasAlpha, true);

    // an SVG is served sandboxed
    const svg = acme.outputs.find((o: { name: string }) => o.name === 'vector.svg');
    assert.ok(svg);
    const svgRes = await fetch(`${srv.url + svg.url}?download=1`);
    assert.match(svgRes.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.match(svgRes.headers.get('content-disposition') ?? '', /^attachment/);

    // the uploaded input comes back as it was sent
    const input = Buffer.from(await (await fetch(srv.url + acme.inputUrl)).arrayBuffer());
    assert.ok(input.equals(logo));

    // the zip holds every output under <item>/<variation>/<name> plus manifests, all decodable
    const zipRes = await fetch(srv.url + job.archiveUrl);
    assert.equal(zipRes.headers.get('content-type'), 'application/zip');
    const entries = await unzip(Buffer.from(await zipRes.arrayBuffer()));
    for (const item of job.items) {
      assert.ok(entries.has(`${item.name}/manifest.json`));
      const manifest = JSON.parse(entries.get(`${item.name}/manifest.json`)?.toString() ?? '{}');
      assert.equal(manifest.outputs.length, item.outputs.length);
      for (const o of item.outputs) {
        const data = entries.get(`${item.name}/${o.variation}/${o.name}`);
        assert.ok(data, `${item.name}/${o.variation}/${o.name} in the zip`);
        assert.equal(data.length, o.bytes);
        if (o.format === 'png') {
          const m = await sharp(data).metadata();
          assert.equal(m.width, o.width);
        }
      }
    }
    assert.equal(
      entries.size,
      job.items.reduce((n: number, i: { outputs: unknown[] }) => n + i.outputs.length + 1, 0),
    );

    // the same zip twice is byte-identical (fixed times inside)
    const again = Buffer.from(await (await fetch(srv.url + job.archiveUrl)).arrayBuffer());
    const first = Buffer.from(await (await fetch(srv.url + job.archiveUrl)).arrayBuffer());
    assert.ok(again.equals(first));
  });

  test('a gradient logo to sim-process films for a black shirt, and a sticker sheet, through the API', async () => {
    const rocket = await readFile(new URL('./fixtures/customer/gradart-rocket.png', import.meta.url));
    const created = await postJob(srv.url, [{ name: 'rocket.png', data: rocket }], {
      variations: 'separations,sheet',
      options: JSON.stringify({
        separations: { mode: 'sim-process', garment: '#111111', printWidth: 4, artboard: '6x6', dpi: 150 },
        sheet: { size: '40mm', count: 3, marks: 'rip' },
      }),
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const job = await waitForJob(srv.url, created.body.id);
    const item = job.items[0];
    assert.equal(item.state, 'completed', JSON.stringify(item.failures));
    const file = async (name: string) => {
      const o = item.outputs.find((x: { name: string }) => x.name === name);
      assert.ok(o, name);
      const res = await fetch(srv.url + o.url);
      assert.equal(res.status, 200);
      return Buffer.from(await res.arrayBuffer());
    };
    const report = JSON.parse(String(await file('separations.json')));
    assert.equal(report.mode, 'sim-process');
    assert.ok(report.predicted.deltaE2000Mean < 5, JSON.stringify(report.predicted));
    assert.ok((await sharp(await file('composite.png')).metadata()).width! > 0);
    const sheet = JSON.parse(String(await file('sheet.json')));
    assert.equal(sheet.count, 3);
    assert.ok((await sharp(await file('sheet-preview.png')).metadata()).width! > 0);
  });

  test("a variation's files are listed and served as soon as it is done, while the rest run", async () => {
    const created = await postJob(srv.url, [{ name: 'early.png', data: logo }], {
      variations: 'black,separations',
    });
    let early: any = null;
    for (let i = 0; i < 2000 && !early; i++) {
      const { body } = await getJson(`${srv.url}/api/jobs/${created.body.id}`);
      const item = body.items[0];
      if (item.state === 'completed') break;
      if (item.tasks.black === 'done' && item.tasks.separations !== 'done') early = item;
      else await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(early, 'seen with black done and separations not');
    assert.equal(early.state, 'running');
    assert.deepEqual(
      early.outputs.map((o: { variation: string }) => o.variation),
      ['black'],
    );
    const res = await fetch(srv.url + early.outputs[0].url);
    assert.equal(res.status, 200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.equal(meta.width, early.outputs[0].width);
    const done = await waitForJob(srv.url, created.body.id);
    const variations = new Set(done.items[0].outputs.map((o: { variation: string }) => o.variation));
    assert.deepEqual([...variations], ['black', 'separations']);
    // the early file is the final one
    const final = done.items[0].outputs.find((o: { name: string }) => o.name === early.outputs[0].name);
    assert.ok(final);
    assert.equal(final.sha256, early.outputs[0].sha256);
  });

  test('a bad file fails its item with a code; the other item completes', async () => {
    const created = await postJob(
      srv.url,
      [
        { name: 'broken.png', data: Buffer.from('not an image at all') },
        { name: 'ok.png', data: tiny },
      ],
      { variations: 'black' },
    );
    assert.equal(created.status, 202);
    const job = await waitForJob(srv.url, created.body.id);
    assert.equal(job.state, 'completed');
    assert.equal(job.items[0].state, 'failed');
    assert.equal(job.items[0].error?.code, 'E_UNSUPPORTED_FORMAT');
    assert.equal(job.items[0].tasks.black, 'failed');
    assert.equal(job.items[1].state, 'completed');
  });

  test('an image over the pixel limit fails its item with E_TOO_LARGE, from the header alone', async () => {
    // a real PNG whose header claims 20000×20000 px (400 MP): refused before any pixel is decoded
    const png = Buffer.from(tiny);
    png.writeUInt32BE(20000, 16);
    png.writeUInt32BE(20000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const created = await postJob(srv.url, [{ name: 'huge.png', data: png }], { variations: 'black' });
    assert.equal(created.status, 202);
    const job = await waitForJob(srv.url, created.body.id);
    assert.equal(job.items[0].state, 'failed');
    assert.equal(job.items[0].error?.code, 'E_TOO_LARGE');
    assert.match(job.items[0].error?.message ?? '', /20000×20000/);
  });

  test('a job of only bad files is failed', async () => {
    const created = await postJob(srv.url, [{ name: 'x.png', data: Buffer.from('<<nope>>') }], {
      variations: 'black',
    });
    const job = await waitForJob(srv.url, created.body.id);
    assert.equal(job.state, 'failed');
  });

  test('validation errors are 400 with a stable code', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ variations: 'transparent,bogus' }, 'E_UNKNOWN_VARIATION', /Unknown variation "bogus"/],
      [{ options: '{"raster":{"quality":300}}' }, 'E_BAD_OPTION', /quality/],
      [{ options: '{not json' }, 'E_BAD_OPTION', /not valid JSON/],
      [{ options: '{"bogus":{}}' }, 'E_UNKNOWN_VARIATION', /bogus/],
      [{ preset: 'nope' }, 'E_BAD_OPTION', /Unknown preset "nope"; known presets: web, print, everything\./],
      [{ webhook: 'ftp://example.com/x' }, 'E_BAD_OPTION', /webhook/],
    ];
    for (const [fields, code, message] of cases) {
      const r = await postJob(srv.url, [{ name: 'a.png', data: tiny }], fields);
      assert.equal(r.status, 400, JSON.stringify(fields));
      assert.equal(r.body.error.code, code, JSON.stringify(fields));
      assert.match(r.body.error.message, message);
    }
    const none = await postJob(srv.url, [], { variations: 'black' });
    assert.equal(none.status, 400);
    assert.equal(none.body.error.code, 'E_BAD_OPTION');

    const json = await fetch(`${srv.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urls: 'not-a-list' }),
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as any).error.code, 'E_BAD_OPTION');
  });

  test('unknown jobs, files and routes are 404; names cannot reach outside the job', async () => {
    for (const path of [
      '/api/jobs/AAAAAAAAAAAAAAAAAAAAAA',
      '/api/jobs/nope/archive.zip',
      '/api/jobs/nope/events',
      '/api/nothing-here',
    ]) {
      const r = await getJson(srv.url + path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.error.code, 'E_NOT_FOUND');
    }
    const created = await postJob(srv.url, [{ name: 'a.png', data: tiny }], { variations: 'black' });
    const job = await waitForJob(srv.url, created.body.id);
    for (const path of [
      `/api/jobs/${job.id}/files/a/black/..%2F..%2F..%2Fjobs.sqlite`,
      `/api/jobs/${job.id}/files/..%2F_inputs/black/0.png`,
      `/api/jobs/${job.id}/files/a/black/missing.png`,
      `/api/jobs/${job.id}/inputs/7`,
    ]) {
      const r = await fetch(srv.url + path);
      assert.equal(r.status, 404, path);
    }
    const del = await fetch(`${srv.url}/api/jobs/${job.id}`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    assert.equal((await fetch(`${srv.url}/api/jobs/${job.id}`)).status, 404);
    assert.equal((await fetch(srv.url + job.items[0].outputs[0].url)).status, 404);
    assert.equal((await fetch(`${srv.url}/api/jobs/${job.id}`, { method: 'DELETE' })).status, 404);
  });

  test('variations, presets, OpenAPI, health and metrics', async () => {
    const v = await getJson(`${srv.url}/api/variations`);
    assert.equal(v.status, 200);
    assert.ok(v.body.variations.some((x: { id: string }) => x.id === 'separations'));
    const raster = v.body.variations.find((x: { id: string }) => x.id === 'raster');
    assert.equal(raster.options.properties.quality.maximum, 100);
    const seps = v.body.variations.find((x: { id: string }) => x.id === 'separations');
    assert.ok(seps.keyOptions.includes('inkNames') && seps.keyOptions.includes('garment'));
    for (const x of v.body.variations) {
      for (const k of x.keyOptions) assert.ok(k in x.options.properties, `${x.id}.${k} is an option`);
    }
    assert.deepEqual(
      v.body.presets.map((p: { id: string }) => p.id),
      ['web', 'print', 'everything'],
    );
    const api = await getJson(`${srv.url}/api/openapi.json`);
    assert.equal(api.body.openapi, '3.1.0');
    const post = api.body.paths['/api/jobs'].post;
    assert.ok(post.requestBody.content['multipart/form-data']);
    assert.ok(post.requestBody.content['application/json'].schema.properties.urls);
    assert.ok(api.body.paths['/api/jobs/{id}/archive.zip'].get.responses['200'].content['application/zip']);
    assert.ok(api.body.paths['/api/jobs/{id}/events'].get.responses['200'].content['text/event-stream']);
    assert.ok(api.body.paths['/api/jobs/{id}'].get.responses['200']);
    assert.ok(api.body.paths['/api/jobs/{id}'].delete.responses['204']);
    assert.equal((await getJson(`${srv.url}/healthz`)).body.ok, true);
    assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    for (const name of [
      'logomill_jobs{state="completed"}',
      'logomill_queue_depth',
      'logomill_effective_workers',
      'logomill_cpu_percent',
      'logomill_performance_score',
      'logomill_cache_hit_ratio',
      'logomill_task_duration_seconds_bucket{le="1",variation="black",state="done"}',
      'logomill_process_resident_memory_bytes',
    ]) {
      assert.ok(metrics.includes(name), `${name} in /metrics`);
    }
    // the web app is served at /
    const page = await fetch(`${srv.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
  });

  test('URL inputs: private addresses are refused unless allowed', async () => {
    const r = await fetch(`${srv.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urls: ['http://127.0.0.1:9/logo.png'], variations: ['black'] }),
    });
    assert.equal(r.status, 400);
    const body = (await r.json()) as any;
    assert.equal(body.error.code, 'E_URL_REFUSED');
  });
});

test('URL inputs: fetched through the client when private addresses are allowed', async () => {
  const origin = createServer((req, res) => {
    if (req.url === '/brand/logo.png') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(tiny);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const port = (origin.address() as AddressInfo).port;
  const srv = await startTestServer({ ALLOW_PRIVATE_URLS: 1 });
  try {
    const post = (urls: string[]) =>
      fetch(`${srv.url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ urls, variations: ['black'] }),
      });
    const r = await post([`http://127.0.0.1:${port}/brand/logo.png`]);
    assert.equal(r.status, 202);
    const job = await waitForJob(srv.url, ((await r.json()) as { id: string }).id);
    assert.equal(job.state, 'completed');
    assert.equal(job.items[0].name, 'logo');
    assert.equal(job.items[0].input?.width, 48);
    const missing = await post([`http://127.0.0.1:${port}/nothing.png`]);
    assert.equal(missing.status, 502);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'E_FETCH_FAILED');
  } finally {
    await srv.stop();
    origin.close();
  }
});

test('webhook: the final status is POSTed, signed with the secret', async () => {
  const received: { body: string; signature: string | undefined }[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-logomill-signature'] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as AddressInfo).port;
  const srv = await startTestServer({ ALLOW_PRIVATE_URLS: 1 }, { webhookSecret: 'whsec' });
  try {
    const r = await postJob(srv.url, [{ name: 'a.png', data: tiny }], {
      variations: 'black',
      webhook: `http://127.0.0.1:${port}/done`,
    });
    assert.equal(r.status, 202);
    await waitForJob(srv.url, r.body.id);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(received.length, 1);
    const status = JSON.parse(received[0].body);
    assert.equal(status.id, r.body.id);
    assert.equal(status.state, 'completed');
    assert.equal(received[0].signature, signBody(received[0].body, 'whsec'));
  } finally {
    await srv.stop();
    hook.close();
  }
});

test('SVG inputs with external references: nothing is fetched', async () => {
  let hits = 0;
  const origin = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'image/png' }).end(tiny);
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const ext = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  const srv = await startTestServer({ ALLOW_PRIVATE_URLS: 1 });
  try {
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">
        <style>@import url(${ext}/style.css);</style>
        <rect width="200" height="100" fill="#ffffff"/>
        <circle cx="100" cy="50" r="40" fill="#c01020"/>
        <image href="${ext}/a.png" width="50" height="50"/>
        <image xlink:href="${ext}/b.png" x="100" width="50" height="50"/>
        <use href="${ext}/sprite.svg#x"/>
        <rect width="10" height="10" fill="url(${ext}/p.svg#g)"/>
      </svg>`,
    );
    const r = await postJob(srv.url, [{ name: 'ext.svg', data: svg, type: 'image/svg+xml' }], {
      variations: 'transparent',
    });
    assert.equal(r.status, 202);
    const job = await waitForJob(srv.url, r.body.id);
    assert.equal(job.items[0].state, 'completed', JSON.stringify(job.items[0].error));
    assert.equal(hits, 0, 'no request reached the external host');
  } finally {
    await srv.stop();
    origin.close();
  }
});

describe('API: review findings stay fixed', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ RATE_LIMIT_PER_MIN: 8 }, { apiKeys: ['secret1'] });
  });
  after(() => srv.stop());
  const key = { 'x-api-key': 'secret1' };

  test('a percent-encoded path is still the API: key required, rate limited', async () => {
    const created = await postJob(srv.url, [{ name: 'a.png', data: tiny }], { variations: 'black' }, key);
    assert.equal(created.status, 202);
    for (const path of [
      `/%61pi/jobs/${created.body.id}`,
      `/%61pi/jobs/${created.body.id}/archive.zip`,
      '/%61pi/variations',
    ]) {
      const r = await fetch(srv.url + path);
      assert.equal(r.status, 401, path);
    }
    const form = new FormData();
    form.append('files', new Blob([tiny]), 'a.png');
    assert.equal((await fetch(`${srv.url}/%61pi/jobs`, { method: 'POST', body: form })).status, 401);
  });

  test("wrong or made-up keys share their address's budget", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await fetch(`${srv.url}/api/variations`, { headers: { 'x-api-key': `guess-${i}` } })).status,
      );
    }
    assert.ok(statuses.includes(429), `statuses: ${statuses.join(',')}`);
    assert.ok(statuses.slice(0, 3).every((x) => x === 401));
    // the valid key has its own bucket
    assert.equal((await fetch(`${srv.url}/api/variations`, { headers: key })).status, 200);
  });
});

describe('API: edge cases', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.stop());

  test('two files with the same name are two items with their own files', async () => {
    const other = await sharp(tiny).negate({ alpha: false }).png().toBuffer();
    const created = await postJob(
      srv.url,
      [
        { name: 'logo.png', data: tiny },
        { name: 'logo.png', data: other },
        { name: 'LOGO.PNG', data: tiny },
      ],
      { variations: 'black' },
    );
    const job = await waitForJob(srv.url, created.body.id);
    const names = job.items.map((i: { name: string }) => i.name);
    assert.equal(new Set(names.map((n: string) => n.toLowerCase())).size, 3, names.join(','));
    const a = job.items[0].outputs[0];
    const b = job.items[1].outputs[0];
    assert.notEqual(a.url, b.url);
    const bytes = Buffer.from(await (await fetch(srv.url + b.url)).arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), b.sha256);
    const zip = await unzip(Buffer.from(await (await fetch(srv.url + job.archiveUrl)).arrayBuffer()));
    assert.equal(zip.size, 6);
  });

  test('a non-Latin file name downloads with its name', async () => {
    const created = await postJob(srv.url, [{ name: 'логотип.png', data: tiny }], { variations: 'black' });
    const job = await waitForJob(srv.url, created.body.id);
    const r = await fetch(`${srv.url}${job.items[0].inputUrl}?download=1`);
    assert.equal(r.status, 200);
    const cd = r.headers.get('content-disposition') ?? '';
    assert.match(cd, /^attachment; filename="[^"]*"; filename\*=UTF-8''%D0%BB%D0%BE/);
  });

  test('malformed requests are 4xx, never 500', async () => {
    const truncated = await fetch(`${srv.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\nabc',
    });
    assert.equal(truncated.status, 400);
    const noBoundary = await fetch(`${srv.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'whatever',
    });
    assert.ok(noBoundary.status >= 400 && noBoundary.status < 500, String(noBoundary.status));
    const form = new FormData();
    for (let i = 0; i < 30; i++) form.append(`f${i}`, 'x');
    form.append('files', new Blob([tiny]), 'a.png');
    const fields = await fetch(`${srv.url}/api/jobs`, { method: 'POST', body: form });
    assert.ok(fields.status === 413 || fields.status === 400, String(fields.status));
    const empty = await postJob(srv.url, [{ name: 'a.png', data: tiny }], { variations: '' });
    assert.equal(empty.status, 400);
    for (const path of ['//x', '/%2e%2e/etc/passwd']) {
      const r = await fetch(srv.url + path);
      assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
    }
  });

  test('a zip download cut off by the client leaves no file open', async () => {
    const created = await postJob(srv.url, [{ name: 'z.png', data: logo }], { variations: 'raster,favicon' });
    const job = await waitForJob(srv.url, created.body.id);
    for (let k = 0; k < 3; k++) {
      const ac = new AbortController();
      const res = await fetch(srv.url + job.archiveUrl, { signal: ac.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      ac.abort();
      await reader.read().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 300));
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(srv.dir);
      } catch {
        return false;
      }
    });
    assert.deepEqual(
      open.map((fd) => readlinkSync(`/proc/self/fd/${fd}`)).filter((p) => p.includes('artifacts')),
      [],
    );
  });
});

test('a one-logo job is not stuck behind a big batch: logos are taken round-robin across jobs', async () => {
  const srv = await startTestServer({ BATCH_SIZE: 1, MAX_WORKERS: 1 });
  try {
    const batch = await postJob(
      srv.url,
      Array.from({ length: 5 }, (_, i) => ({ name: `b${i}.png`, data: logo })),
      { variations: 'transparent,vector-color' },
    );
    const single = await postJob(srv.url, [{ name: 'one.png', data: logo }], {
      variations: 'transparent,vector-color',
    });
    const done = await waitForJob(srv.url, single.body.id);
    assert.equal(done.state, 'completed');
    const big = (await getJson(`${srv.url}/api/jobs/${batch.body.id}`)).body;
    const finished = big.items.filter((i: { state: string }) => i.state === 'completed').length;
    assert.ok(finished <= 2, `the batch had ${finished} of 5 logos done when the single job finished`);
    await waitForJob(srv.url, batch.body.id, 120_000);
  } finally {
    await srv.stop();
  }
});

describe('API: limits', () => {
  test('an upload over MAX_UPLOAD_MB is 413; more files than MAX_FILES_PER_JOB is 413', async () => {
    const srv = await startTestServer({ MAX_UPLOAD_MB: 1, MAX_FILES_PER_JOB: 2 });
    try {
      const big = await postJob(srv.url, [{ name: 'big.png', data: randomBytes(1024 * 1024 + 10) }], {
        variations: 'black',
      });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'E_TOO_LARGE');
      const many = await postJob(
        srv.url,
        [1, 2, 3].map((i) => ({ name: `${i}.png`, data: tiny })),
        { variations: 'black' },
      );
      assert.equal(many.status, 413);
      assert.equal(many.body.error.code, 'E_TOO_LARGE');
      // nothing half-stored stays behind: the store has no job
      assert.equal(srv.service.store.counts().jobs.queued + srv.service.store.counts().jobs.completed, 0);
    } finally {
      await srv.stop();
    }
  });

  test('API keys: 401 without a key, accepted in a header or ?key=', async () => {
    const srv = await startTestServer({}, { apiKeys: ['s3cret', 'other'] });
    try {
      const none = await getJson(`${srv.url}/api/variations`);
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'E_UNAUTHORIZED');
      assert.equal((await getJson(`${srv.url}/api/variations`, { 'x-api-key': 'wrong' })).status, 401);
      assert.equal((await getJson(`${srv.url}/api/variations`, { 'x-api-key': 's3cret' })).status, 200);
      assert.equal(
        (await getJson(`${srv.url}/api/variations`, { authorization: 'Bearer other' })).status,
        200,
      );
      assert.equal((await fetch(`${srv.url}/api/variations?key=s3cret`)).status, 200);
      const job = await postJob(srv.url, [{ name: 'a.png', data: tiny }], { variations: 'black' });
      assert.equal(job.status, 401);
      // health, metrics and the web app stay open
      assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${srv.url}/metrics`)).status, 200);
    } finally {
      await srv.stop();
    }
  });

  test('rate limit: 429 with Retry-After past RATE_LIMIT_PER_MIN, per key', async () => {
    const srv = await startTestServer({ RATE_LIMIT_PER_MIN: 5 }, { apiKeys: ['a', 'b'] });
    try {
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof getJson>> | null = null;
      for (let i = 0; i < 7; i++) {
        const r = await getJson(`${srv.url}/api/variations`, { 'x-api-key': 'a' });
        statuses.push(r.status);
        if (r.status === 429) limited = r;
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      assert.equal(limited?.body.error.code, 'E_RATE_LIMITED');
      assert.ok(Number(limited?.headers.get('retry-after')) > 0);
      // another key has its own budget
      assert.equal((await getJson(`${srv.url}/api/variations`, { 'x-api-key': 'b' })).status, 200);
    } finally {
      await srv.stop();
    }
  });

  test('stopping the server ends live event streams instead of hanging on them', async () => {
    const srv = await startTestServer();
    const created = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'separations' });
    const res = await fetch(srv.url + created.body.eventsUrl);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the first event: the stream is live
    const t = performance.now();
    await srv.stop();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {}
    assert.ok(performance.now() - t < 15_000, 'stopped in time');
  });

  test('load: 200 concurrent small uploads → only 202 or 429 E_QUEUE_FULL, every accepted job completes, memory bounded', async () => {
    const limit = 40;
    // one address sends all 200: the per-client upload cap is lifted, and an upload waits for a
    // slot as long as a connection may idle, so that the queue limit is what refuses
    const srv = await startTestServer({
      MAX_QUEUED_JOBS: limit,
      RATE_LIMIT_PER_MIN: 100_000,
      UPLOADS_PER_CLIENT: 1000,
      UPLOAD_WAIT_MS: 25_000,
    });
    try {
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          postJob(srv.url, [{ name: 'tiny.png', data: tiny }], { variations: 'black' }),
        ),
      );
      const statuses = results.map((r) => r.status);
      assert.ok(
        statuses.every((s) => s === 202 || s === 429),
        `statuses: ${[...new Set(statuses)].join(',')}`,
      );
      const refused = results.filter((r) => r.status === 429);
      for (const r of refused) {
        assert.equal(r.body.error.code, 'E_QUEUE_FULL');
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
      }
      const accepted = results.filter((r) => r.status === 202);
      // the queue limit is what refuses: at least `limit` were taken before any refusal
      assert.ok(accepted.length >= limit, `${accepted.length} accepted`);
      assert.ok(refused.length > 0, 'the queue filled up');
      for (const r of accepted) {
        const job = await waitForJob(srv.url, r.body.id, 120_000);
        assert.equal(job.state, 'completed');
      }
      clearInterval(sampler);
      const grewMb = (peak - rss0) / 1048576;
      assert.ok(grewMb < 400, `RSS grew ${grewMb.toFixed(0)} MB under load`);
    } finally {
      await srv.stop();
    }
  });
});

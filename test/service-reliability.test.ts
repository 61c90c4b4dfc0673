/**
 * The service under faults: slow clients holding the upload gate, a full
 * disk (a real tmpfs), malformed requests. Each was a reproduced outage
 * (issue #14); each test fails on the code before its fix.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { example } from './helpers.js';
import {
  gateReaches,
  getJson,
  idleRunner,
  postJob,
  startTestServer,
  type TestServer,
  waitForJob,
} from './service-helpers.js';

let logo: Buffer;
before(async () => {
  logo = await readFile(example('acme-badge-transparent.png'));
});

type ErrorBody = { error: { code: string; message: string } };

const ready = async (url: string) => getJson(`${url}/readyz`);

/**
 * A client that starts a multipart upload and then sends nothing more: it holds a slot until the
 * server's request timeout. Resolves with what the server answered when the socket closes.
 */
function slowUpload(url: string): { socket: Socket; answer: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const head = [
    'POST /api/jobs HTTP/1.1',
    `Host: ${hostname}:${port}`,
    'Content-Type: multipart/form-data; boundary=slowslow',
    'Content-Length: 200000',
    '',
    '',
  ].join('\r\n');
  socket.write(
    `${head}--slowslow\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  socket.write(logo.subarray(0, 512));
  let got = '';
  socket.on('data', (d) => {
    got += d.toString('latin1');
  });
  socket.on('error', () => {});
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(got)));
  return { socket, answer };
}

describe('upload gate: slow clients', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({
      UPLOADS_AT_ONCE: 2,
      UPLOADS_PER_CLIENT: 10,
      UPLOAD_WAIT_MS: 300,
      REQUEST_TIMEOUT_MS: 1500,
    });
  });
  after(() => srv.stop());

  test('two slow uploads fill two slots: the next gets 503 + Retry-After, the slots come back after 408', async () => {
    const slow = [slowUpload(srv.url), slowUpload(srv.url)];
    try {
      await gateReaches(srv, (g) => g.active === 2);
      const refused = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error.code, 'E_UNAVAILABLE');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      // the slow ones are cut by the request timeout with a 408, and their slots are given back
      for (const s of slow) assert.match(await s.answer, /^HTTP\/1\.1 408/);
      const r = await ready(srv.url);
      assert.equal(r.status, 200);
      assert.equal(r.body.uploads.active, 0);
      assert.equal(r.body.uploads.abandoned, 2);
      const ok = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
      assert.equal(ok.status, 202, JSON.stringify(ok.body));
      await waitForJob(srv.url, ok.body.id);
    } finally {
      for (const s of slow) s.socket.destroy();
    }
  });
});

describe('upload gate: one client cannot take every slot', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ UPLOADS_AT_ONCE: 4, UPLOADS_PER_CLIENT: 1, UPLOAD_WAIT_MS: 300 });
  });
  after(() => srv.stop());

  test('a second upload from the same address gets 429; a client that hangs up frees its slot', async () => {
    const slow = slowUpload(srv.url);
    try {
      await gateReaches(srv, (g) => g.active === 1);
      const refused = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'E_RATE_LIMITED');
      slow.socket.destroy();
      await slow.answer;
      await gateReaches(srv, (g) => g.active === 0);
      const ok = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
      assert.equal(ok.status, 202, JSON.stringify(ok.body));
      await waitForJob(srv.url, ok.body.id);
    } finally {
      slow.socket.destroy();
    }
  });
});

/**
 * A real small file system: tmpfs of `mb` MB. Null (the test skips, saying why) where this
 * machine cannot mount one — never under CI=true, where that is a failure.
 */
function smallDisk(mb: number): { dir: string; unmount: () => void } | null {
  const dir = join(tmpdir(), `logomill-disk-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI === 'true') throw new Error(`cannot mount a tmpfs for the full-disk tests: ${err}`);
    return null;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the file system under `dir` to the last byte; returns the filler's path. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(1024 * 1024 * 1024));
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  return filler;
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, base));
    else out.push(p.slice(base.length + 1));
  }
  return out;
}

describe('a full disk (tmpfs)', () => {
  let disk: ReturnType<typeof smallDisk>;
  let srv: TestServer;
  let noise: Buffer;
  before(async () => {
    disk = smallDisk(24);
    if (!disk) return;
    srv = await startTestServer({ DATA_DIR: join(disk.dir, 'data'), MAX_UPLOAD_MB: 1 });
    // 400 px of noise: its 2000 px PNG and TIFF need ≈ 29 MB, more than the disk holds
    const sharp = (await import('sharp')).default;
    let seed = 7;
    const px = Buffer.alloc(400 * 400 * 3);
    for (let i = 0; i < px.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      px[i] = seed >>> 24;
    }
    noise = await sharp(px, { raw: { width: 400, height: 400, channels: 3 } })
      .png()
      .toBuffer();
  });
  after(async () => {
    await srv?.stop();
    disk?.unmount();
  });

  test('results that fill the disk: the item fails with E_NO_SPACE, its files and temp files go, the server stays up', async (t) => {
    if (!disk) return t.skip('cannot mount a tmpfs here');
    const options = {
      raster: { sizes: [2000], formats: ['png', 'tiff'], source: 'original' },
      transparent: { background: 'keep' },
    };
    const created = await postJob(srv.url, [{ name: 'noise.png', data: noise }], {
      variations: 'raster',
      options: JSON.stringify(options),
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const job = await waitForJob(srv.url, created.body.id);
    assert.equal(job.state, 'failed');
    assert.equal(job.items[0].error?.code, 'E_NO_SPACE');
    // nothing of the item is left: no partial result, no temporary file
    const left = filesUnder(join(disk.dir, 'data', 'artifacts'));
    assert.deepEqual(
      left.filter((f) => !f.includes('_inputs')),
      [],
    );
    // the space came back with the files: ready again, and a small job runs
    // the item's files went with it; a store write that waited for space is replayed by then or
    // announces itself with `writable`
    const caughtUp = once(srv.service, 'writable');
    if ((await ready(srv.url)).status !== 200) await caughtUp;
    const ok = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    assert.equal((await waitForJob(srv.url, ok.body.id)).state, 'completed');
  });

  test('a full disk: not ready, uploads get 507 E_NO_SPACE; once space returns, ready and uploads work', async (t) => {
    if (!disk) return t.skip('cannot mount a tmpfs here');
    const filler = fill(disk.dir);
    try {
      const r = await ready(srv.url);
      assert.equal(r.status, 503);
      assert.equal(r.body.space.ok, false);
      const refused = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
      assert.equal(refused.status, 507);
      assert.equal(refused.body.error.code, 'E_NO_SPACE');
      const json = await fetch(`${srv.url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ urls: ['https://example.com/logo.png'] }),
      });
      assert.equal(json.status, 507);
    } finally {
      rmSync(filler, { force: true });
    }
    assert.equal((await ready(srv.url)).status, 200);
    const ok = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'favicon' });
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    assert.equal((await waitForJob(srv.url, ok.body.id)).state, 'completed');
  });
});

describe('the job store on a full disk', () => {
  test('writes wait for space instead of throwing, the service reports not ready, and catches up by itself', async (t) => {
    const disk = smallDisk(8);
    if (!disk) return t.skip('cannot mount a tmpfs here');
    const { JobStore } = await import('../src/jobs/store.js');
    const { JobService } = await import('../src/jobs/service.js');
    const { FsArtifacts } = await import('../src/jobs/artifacts.js');
    const store = new JobStore(join(disk.dir, 'data'));
    const service = new JobService({
      store,
      artifacts: new FsArtifacts(join(disk.dir, 'data')),
      config: { MAX_UPLOAD_MB: 1, MAX_FILES_PER_JOB: 5, MAX_QUEUED_JOBS: 10, JOB_TTL_H: 1 },
      dataDir: disk.dir,
    });
    const resumed: string[] = [];
    service.useRunner({ ...idleRunner, resume: () => resumed.push('resume') });
    try {
      store.create('j1', { variations: ['favicon'], options: {} }, [{ name: 'a', inputKey: 'j1/_inputs/0' }]);
      assert.equal(service.sink.claim('j1', 0), true);
      const filler = fill(disk.dir);
      // these threw SQLITE_FULL (an uncaught exception in the runner's callbacks) before
      service.sink.task('j1', 0, 'favicon', 'running');
      service.sink.finish('j1', 0, { error: { code: 'E_NO_SPACE', message: 'The disk is full.' } });
      assert.equal(service.sink.claim('j1', 0), false);
      assert.equal(service.get('j1')?.state, 'running'); // not recorded yet
      assert.equal((await service.readiness()).ready, false);
      rmSync(filler);
      // the replay timer does not hold the process open; this wait must
      const keepAlive = setInterval(() => {}, 1000);
      await once(service, 'writable').finally(() => clearInterval(keepAlive));
      assert.equal(service.get('j1')?.state, 'failed');
      assert.equal(service.get('j1')?.items[0].error?.code, 'E_NO_SPACE');
      assert.deepEqual(resumed, ['resume']);
      assert.equal((await service.readiness()).ready, true);
    } finally {
      await service.close(0);
      store.close();
      disk.unmount();
    }
  });
});

/** Sends raw bytes as one HTTP request and returns the status and body of the answer. */
async function rawRequest(
  url: string,
  head: string[],
  body: Buffer,
): Promise<{ status: number; body: { id: string } & ErrorBody }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(`${[...head, `Content-Length: ${body.length}`, 'Connection: close', '', ''].join('\r\n')}`);
  socket.write(body);
  let got = '';
  socket.on('data', (d) => {
    got += d.toString('utf8');
  });
  await once(socket, 'close');
  const [status, ...rest] = got.split('\r\n\r\n');
  return { status: Number(status.split(' ')[1]), body: JSON.parse(rest.join('\r\n\r\n') || 'null') };
}

describe('malformed requests', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.stop());

  test('a multipart body without its closing boundary is refused (400), not run with its last field dropped', async () => {
    const part = (name: string, extra = '') =>
      `--BB\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
    const body = Buffer.concat([
      Buffer.from(`${part('files', '; filename="a.png"')}Content-Type: image/png\r\n\r\n`),
      logo,
      Buffer.from(`\r\n${part('variations')}\r\nfavicon`),
    ]);
    const head = ['POST /api/jobs HTTP/1.1', 'Host: x', 'Content-Type: multipart/form-data; boundary=BB'];
    const cut = await rawRequest(srv.url, head, body);
    assert.equal(cut.status, 400);
    assert.equal(cut.body.error.code, 'E_BAD_OPTION');
    assert.match(cut.body.error.message, /closing boundary/);
    // the same form closed properly is a job of exactly the asked variation
    const whole = await rawRequest(srv.url, head, Buffer.concat([body, Buffer.from('\r\n--BB--\r\n')]));
    assert.equal(whole.status, 202, JSON.stringify(whole.body));
    const job = await waitForJob(srv.url, whole.body.id);
    assert.deepEqual(job.variations, ['favicon']);
    // nothing of the refused upload was kept
    const jobs = readdirSync(join(srv.dir, 'artifacts'));
    assert.deepEqual(jobs, [whole.body.id]);
  });

  test('no body: 400 E_BAD_OPTION; text/plain: 415; an unknown type: 415 — never 500', async () => {
    const none = await fetch(`${srv.url}/api/jobs`, { method: 'POST' });
    assert.equal(none.status, 400);
    assert.equal(((await none.json()) as ErrorBody).error.code, 'E_BAD_OPTION');
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const r = await fetch(`${srv.url}/api/jobs`, {
        method: 'POST',
        body: 'urls=https://example.com/a.png',
        headers: { 'content-type': type },
      });
      assert.equal(r.status, 415, type);
      assert.equal(((await r.json()) as ErrorBody).error.code, 'E_UNSUPPORTED_MEDIA_TYPE');
    }
  });
});

describe('webhooks, key scope and worker labels', () => {
  test('a webhook to a private address is refused when the job is submitted (400 E_URL_REFUSED), not at delivery', async () => {
    const srv = await startTestServer();
    try {
      for (const webhook of ['http://127.0.0.1:9/done', 'http://[::1]/x', 'http://localhost:8080/hook']) {
        const r = await postJob(srv.url, [{ name: 'a.png', data: logo }], { variations: 'black', webhook });
        assert.equal(r.status, 400, webhook);
        assert.equal(r.body.error.code, 'E_URL_REFUSED');
        const json = await fetch(`${srv.url}/api/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ urls: ['https://example.com/a.png'], webhook }),
        });
        assert.equal(json.status, 400);
      }
      // nothing was stored for the refused uploads
      assert.equal(srv.service.store.counts().queuedItems, 0);
      assert.deepEqual(readdirSync(join(srv.dir, 'artifacts')), []);
    } finally {
      await srv.stop();
    }
  });

  test('LOGOMILL_KEY_SCOPE=own: a key sees, streams, downloads and deletes only its own jobs', async () => {
    const srv = await startTestServer({}, { apiKeys: ['key-a', 'key-b'], keyScope: 'own' });
    const as = (key: string) => ({ authorization: `Bearer ${key}` });
    try {
      const created = await postJob(
        srv.url,
        [{ name: 'a.png', data: logo }],
        { variations: 'black' },
        as('key-a'),
      );
      assert.equal(created.status, 202);
      const id = created.body.id;
      await waitForJob(srv.url, id, 60_000, as('key-a'));
      for (const path of ['', '/events', '/archive.zip', '/inputs/0']) {
        const other = await fetch(`${srv.url}/api/jobs/${id}${path}`, { headers: as('key-b') });
        assert.equal(other.status, 404, path);
        assert.equal(((await other.json()) as ErrorBody).error.code, 'E_NOT_FOUND');
        const own = await fetch(`${srv.url}/api/jobs/${id}${path}`, { headers: as('key-a') });
        assert.equal(own.status, 200, path);
        await own.body?.cancel();
      }
      assert.equal(
        (await fetch(`${srv.url}/api/jobs/${id}`, { method: 'DELETE', headers: as('key-b') })).status,
        404,
      );
      assert.equal(
        (await fetch(`${srv.url}/api/jobs/${id}`, { method: 'DELETE', headers: as('key-a') })).status,
        204,
      );
      // the job's owner is the key's id, never the key
      assert.equal(srv.service.get(id), null);
    } finally {
      await srv.stop();
    }
  });

  test('the default scope stays "all": any valid key reads any job', async () => {
    const srv = await startTestServer({}, { apiKeys: ['key-a', 'key-b'] });
    try {
      const headers = { authorization: 'Bearer key-a' };
      const created = await postJob(
        srv.url,
        [{ name: 'a.png', data: logo }],
        { variations: 'black' },
        headers,
      );
      const job = srv.service.get(created.body.id);
      assert.match(job?.owner ?? '', /^[0-9a-f]{16}$/);
      assert.ok(!JSON.stringify(job).includes('key-a'));
      const other = await fetch(`${srv.url}/api/jobs/${created.body.id}`, {
        headers: { authorization: 'Bearer key-b' },
      });
      assert.equal(other.status, 200);
      await waitForJob(srv.url, created.body.id, 60_000, headers);
    } finally {
      await srv.stop();
    }
  });
});

describe('fuzz: request shapes', () => {
  let srv: TestServer;
  let tinyPng: Buffer;
  before(async () => {
    srv = await startTestServer({ MAX_WORKERS: 1, MAX_QUEUED_JOBS: 10_000, RATE_LIMIT_PER_MIN: 100_000 });
    const sharp = (await import('sharp')).default;
    tinyPng = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#ffffff' } })
      .composite([
        {
          input: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c01020' } })
            .png()
            .toBuffer(),
          left: 8,
          top: 4,
        },
      ])
      .png()
      .toBuffer();
  });
  after(() => srv.stop());

  /** Every answer is 2xx, or 4xx with a code: never 5xx, never a reset (fetch would throw). */
  async function answeredWell(res: Response): Promise<void> {
    const text = await res.text();
    assert.ok(res.status < 500, `${res.status} ${text}`);
    if (res.status >= 400) assert.match(JSON.parse(text).error.code, /^E_[A-Z_]+$/, text);
  }

  const fieldName = fc.constantFrom(
    'variations',
    'preset',
    'options',
    'webhook',
    'files',
    'x',
    '__proto__',
    '',
  );
  const fieldValue = fc.oneof(
    fc.string(),
    fc.constantFrom(
      'favicon',
      'black,white',
      'all',
      'web',
      'nope',
      '{"raster":{"sizes":[64]}}',
      '{',
      '[]',
      'null',
    ),
    fc.json(),
  );
  const file = fc.record({
    name: fc.oneof(fc.string(), fc.constantFrom('a.png', '../../etc/passwd', 'логотип.png', '')),
    data: fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.constant(null),
    ),
  });

  test('multipart: random fields, files and truncations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 5 }),
        fc.array(file, { maxLength: 3 }),
        fc.constantFrom('whole', 'no-closing', 'cut-in-half', 'no-boundary-param'),
        async (fields, files, shape) => {
          const b = 'fuzzBoundary';
          const parts: Buffer[] = [];
          for (const [name, value] of fields) {
            parts.push(
              Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
            );
          }
          for (const f of files) {
            const name = f.name.replace(/["\r\n]/g, '_');
            parts.push(
              Buffer.from(
                `--${b}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
              ),
              f.data ?? tinyPng,
              Buffer.from('\r\n'),
            );
          }
          let body = Buffer.concat([...parts, Buffer.from(shape === 'no-closing' ? '' : `--${b}--\r\n`)]);
          if (shape === 'cut-in-half') body = body.subarray(0, body.length >> 1);
          const type =
            shape === 'no-boundary-param' ? 'multipart/form-data' : `multipart/form-data; boundary=${b}`;
          await answeredWell(
            await fetch(`${srv.url}/api/jobs`, { method: 'POST', body, headers: { 'content-type': type } }),
          );
        },
      ),
      { numRuns: 60, seed: 1402 },
    );
  });

  test('JSON: random values and job-like objects', async () => {
    const url = fc.constantFrom('http://127.0.0.1/a.png', 'ftp://x/y', 'not a url', '', 'http://[::1]/x');
    const jobLike = fc.record(
      {
        urls: fc.oneof(fc.array(url, { maxLength: 3 }), fc.string(), fc.constant(null)),
        variations: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant('all')),
        preset: fc.string(),
        options: fc.oneof(fc.object(), fc.json()),
        webhook: fc.oneof(fc.string(), url),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(jobLike, fc.jsonValue()), fc.boolean(), async (value, asText) => {
        const body = asText ? String(JSON.stringify(value)).slice(0, -1) : JSON.stringify(value);
        await answeredWell(
          await fetch(`${srv.url}/api/jobs`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }),
      { numRuns: 80, seed: 1403 },
    );
  });
});

describe('/metrics worker labels', () => {
  test('METRICS_WORKER_LABELS=0 labels a worker by an opaque stable id, not its host and pid', async () => {
    const { createMetrics } = await import('../src/server/metrics.js');
    const { EventEmitter } = await import('node:events');
    const beat = {
      name: 'shop-host-7#4242',
      at: Date.now(),
      itemsProcessed: 3,
      itemsActive: 1,
      maxWorkers: 2,
      effectiveWorkers: 2,
      cpuPct: 50,
      rssMb: 200,
      score: 90,
    };
    // the service as the metrics read it: counts, the runner's queue, the workers' heartbeats
    const service = Object.assign(new EventEmitter(), {
      store: { counts: () => ({ jobs: {}, queuedItems: 0, runningItems: 0 }) },
      runnerStats: async () => ({ kind: 'queue', waiting: 0, active: 1 }),
      workers: async () => [beat],
    }) as unknown as Parameters<typeof createMetrics>[0]['service'];
    const shown = await createMetrics({ service }).metrics();
    assert.match(shown, /logomill_worker_items_processed\{worker="shop-host-7#4242"\} 3/);
    const hidden = await createMetrics({ service, workerNames: false }).metrics();
    assert.ok(!hidden.includes('shop-host-7'), 'the host name is gone');
    const id = /logomill_worker_items_processed\{worker="(w-[0-9a-f]{10})"\} 3/.exec(hidden)?.[1];
    assert.ok(id, hidden);
    assert.ok((await createMetrics({ service, workerNames: false }).metrics()).includes(`worker="${id}"`));
  });
});

/**
 * The API's contract through `app.inject()` (no port, no engine): every error
 * is JSON `{ error: { code, message } }` with the status its code maps to,
 * the OpenAPI document describes the routes, /readyz reports each check.
 * Jobs that run end to end are in server.test.ts, over a real port.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { FsArtifacts } from '../src/jobs/artifacts.js';
import { JobService } from '../src/jobs/service.js';
import { JobStore } from '../src/jobs/store.js';
import { createHttpClient } from '../src/net/http-client.js';
import { buildApp } from '../src/server/app.js';
import { createMetrics } from '../src/server/metrics.js';
import { idleRunner } from './service-helpers.js';

describe('API contract (inject)', () => {
  let dir: string;
  let app: FastifyInstance;
  let store: JobStore;
  const http = createHttpClient();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logomill-contract-'));
    store = new JobStore(join(dir, 'data'));
    const service = new JobService({
      store,
      artifacts: new FsArtifacts(join(dir, 'data')),
      config: { MAX_UPLOAD_MB: 1, MAX_FILES_PER_JOB: 3, MAX_QUEUED_JOBS: 10, JOB_TTL_H: 1 },
      dataDir: dir,
      http,
    });
    service.useRunner(idleRunner);
    await service.start();
    app = await buildApp({
      service,
      metrics: createMetrics({ service }),
      apiKeys: [],
      maxUploadBytes: 1024 * 1024,
      maxFilesPerJob: 3,
      rateLimitPerMin: 10_000,
    });
  });
  after(async () => {
    await app.close();
    await http.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: [string, InjectOptions, number, string][] = [
    ['unknown route', { method: 'GET', url: '/api/nope' }, 404, 'E_NOT_FOUND'],
    ['unknown job', { method: 'GET', url: '/api/jobs/abc' }, 404, 'E_NOT_FOUND'],
    ['delete an unknown job', { method: 'DELETE', url: '/api/jobs/abc' }, 404, 'E_NOT_FOUND'],
    ['no body', { method: 'POST', url: '/api/jobs' }, 400, 'E_BAD_OPTION'],
    [
      'an options check without options',
      { method: 'POST', url: '/api/options/check', payload: { raster: {} } },
      400,
      'E_BAD_OPTION',
    ],
    [
      'a text body',
      { method: 'POST', url: '/api/jobs', headers: { 'content-type': 'text/plain' }, payload: 'hello' },
      415,
      'E_UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'JSON without urls',
      { method: 'POST', url: '/api/jobs', payload: { variations: ['black'] } },
      400,
      'E_BAD_OPTION',
    ],
    [
      'an unknown variation',
      {
        method: 'POST',
        url: '/api/jobs',
        payload: { urls: ['https://example.com/a.png'], variations: ['nope'] },
      },
      400,
      'E_UNKNOWN_VARIATION',
    ],
    [
      'a bad option',
      {
        method: 'POST',
        url: '/api/jobs',
        payload: { urls: ['https://example.com/a.png'], options: { raster: { quality: 300 } } },
      },
      400,
      'E_BAD_OPTION',
    ],
    [
      'a webhook to loopback',
      {
        method: 'POST',
        url: '/api/jobs',
        payload: { urls: ['https://example.com/a.png'], webhook: 'http://127.0.0.1/hook' },
      },
      400,
      'E_URL_REFUSED',
    ],
    [
      'a bad Idempotency-Key',
      {
        method: 'POST',
        url: '/api/jobs',
        headers: { 'idempotency-key': 'has spaces in it' },
        payload: { urls: ['https://example.com/a.png'] },
      },
      400,
      'E_BAD_OPTION',
    ],
  ];
  for (const [what, request, status, code] of cases) {
    test(`${what}: ${status} ${code}`, async () => {
      const res = await app.inject(request);
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.headers['content-type']?.toString().split(';')[0], 'application/json');
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, code);
      assert.match(body.error.message, /^[A-Z][^\n]+$/, 'one line, a sentence');
    });
  }

  test('/api/options/check: each refused option with the message a job would get, typed values as the CLI reads them', async () => {
    const check = async (options: unknown) => {
      const res = await app.inject({ method: 'POST', url: '/api/options/check', payload: { options } });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { problems: { variation: string; option: string; message: string }[] }).problems;
    };
    // what a form sends: the text as typed, read the way the CLI reads it
    assert.deepEqual(
      await check({ raster: { quality: '90', formats: 'png, webp' }, vector: { color: 'navy' } }),
      [],
    );
    const problems = await check({
      raster: { quality: '300', formats: 'png' },
      vector: { color: 'navyish' },
      nope: { a: 1 },
    });
    assert.deepEqual(
      problems.map((p) => [p.variation, p.option]),
      [
        ['raster', 'quality'],
        ['vector', 'color'],
        ['nope', ''],
      ],
    );
    assert.equal(
      problems[0].message,
      'Expected integer between 1 and 100 for raster.quality but received 300 of type number',
    );
    // the same sentence as the job itself is refused with
    const job = await app.inject({
      method: 'POST',
      url: '/api/jobs',
      payload: { urls: ['https://example.com/a.png'], options: { raster: { quality: '300' } } },
    });
    assert.equal((job.json() as { error: { message: string } }).error.message, problems[0].message);
    assert.match(problems[2].message, /^Unknown variation "nope"; known variations: /);
  });

  test('/readyz reports each check and the upload gate', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    const body = res.json() as Record<string, unknown>;
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(body.ready, true);
    for (const k of ['store', 'artifacts', 'runner']) assert.equal(body[k], true, k);
    assert.deepEqual(body.uploads, { active: 0, waiting: 0, slots: 8, abandoned: 0 });
    assert.equal((body.space as { ok: boolean }).ok, true);
  });

  test('the OpenAPI document names every job route and the error shape', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/jobs']?.post);
    assert.ok(doc.paths['/api/jobs/{id}']?.get);
    assert.ok(doc.paths['/api/jobs/{id}']?.delete);
    assert.ok(doc.paths['/api/jobs/{id}/events']?.get);
  });
});

/**
 * One executor behind every door: every variation of a logo gives the same
 * bytes from the library (in-process), the CLI (the engine's worker threads)
 * and the HTTP service (its embedded store and runner). The cache depends on
 * it, and so does a shop that mixes the three.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runJob } from '../src/index.js';
import { cli, example, withTempDir } from './helpers.js';
import { postJob, startTestServer, waitForJob } from './service-helpers.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// small films, so that the test stays quick; every path gets the same options
const OPTIONS = { separations: { printWidth: 4, artboard: '6x6', dpi: 150 } };

test('every variation: the same bytes from the library, the CLI and the service', async () => {
  const file = example('leaf-mark.png');
  const bytes = await readFile(file);

  const library = await runJob(bytes, { variations: 'all', options: OPTIONS });
  assert.deepEqual(library.failures, []);
  const expected = library.outputs.map((o) => `${o.variation}/${o.name} ${o.sha256}`);
  assert.ok(expected.length > 60, `${expected.length} files`);

  await withTempDir(async (dir) => {
    const sets = Object.entries(OPTIONS.separations).map(([k, v]) => `--set=separations.${k}=${v}`);
    const r = cli(['process', file, '-o', dir, '--variations', 'all', '--no-cache', ...sets]);
    assert.equal(r.code, 0, r.stderr);
    const fromCli = await Promise.all(
      library.outputs.map(async (o) => {
        const data = await readFile(join(dir, 'leaf-mark', o.variation, o.name));
        return `${o.variation}/${o.name} ${sha(data)}`;
      }),
    );
    assert.deepEqual(fromCli, expected);
  });

  const srv = await startTestServer();
  try {
    const created = await postJob(srv.url, [{ name: 'leaf-mark.png', data: bytes }], {
      variations: 'all',
      options: JSON.stringify(OPTIONS),
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const job = await waitForJob(srv.url, created.body.id, 300_000);
    assert.equal(job.state, 'completed');
    const item = job.items[0];
    assert.deepEqual(item.failures, []);
    const fromService = await Promise.all(
      item.outputs.map(async (o: { variation: string; name: string; url: string }) => {
        const data = Buffer.from(await (await fetch(srv.url + o.url)).arrayBuffer());
        return `${o.variation}/${o.name} ${sha(data)}`;
      }),
    );
    assert.deepEqual(fromService, expected);
  } finally {
    await srv.stop();
  }
});

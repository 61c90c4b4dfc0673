/**
 * The embedded job store survives a crash: start `logomill serve`, submit a
 * batch, SIGKILL the process while it works, start it again on the same
 * data folder: every job completes, none is lost, none has an item or a file
 * twice, and the files are served.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { example } from './helpers.js';
import {
  exited,
  getJson,
  postJob,
  serveArgs,
  spawnCli,
  unzip,
  urlOf,
  waitForJob,
} from './service-helpers.js';

test('SIGKILL mid-batch, restart: every job completes once', { timeout: 240_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'logomill-durable-'));
  const args = serveArgs(dir, 2, 1);
  const logos = await Promise.all(
    ['acme-badge-transparent.png', 'harbor-on-white.png', 'leaf-mark.png', 'peak-on-white.jpg'].map((n) =>
      readFile(example(n)),
    ),
  );
  const variations = 'transparent,vector,vector-color,favicon';
  try {
    let server = await spawnCli(args);
    let url = urlOf(server.line);
    const ids: string[] = [];
    for (let j = 0; j < 4; j++) {
      const files = [0, 1].map((k) => ({ name: `logo-${j}-${k}.png`, data: logos[(j + k) % logos.length] }));
      const r = await postJob(url, files, { variations });
      assert.equal(r.status, 202);
      ids.push(r.body.id);
    }
    // wait until the batch is under way: some item done, some not
    for (;;) {
      const states = await Promise.all(ids.map(async (id) => (await getJson(`${url}/api/jobs/${id}`)).body));
      const items = states.flatMap((s) => s.items);
      const done = items.filter((i) => i.state === 'completed').length;
      if (done >= 1 && done < items.length - 2) break;
      assert.ok(done < items.length, 'the batch finished before it could be killed; make it longer');
      await new Promise((r) => setTimeout(r, 50));
    }
    server.child.kill('SIGKILL');
    await exited(server.child);

    server = await spawnCli(args);
    url = urlOf(server.line);
    try {
      for (const id of ids) {
        const job = await waitForJob(url, id, 180_000);
        assert.equal(job.state, 'completed', id);
        assert.equal(job.items.length, 2);
        for (const item of job.items) {
          assert.equal(item.state, 'completed');
          assert.deepEqual(Object.values(item.tasks), ['done', 'done', 'done', 'done']);
          const names = item.outputs.map(
            (o: { variation: string; name: string }) => `${o.variation}/${o.name}`,
          );
          assert.equal(new Set(names).size, names.length, 'no output twice');
          assert.ok(names.includes('transparent/transparent.png'));
        }
        const zip = await unzip(Buffer.from(await (await fetch(url + job.archiveUrl)).arrayBuffer()));
        const expected = job.items.reduce(
          (n: number, i: { outputs: unknown[] }) => n + i.outputs.length + 1,
          0,
        );
        assert.equal(zip.size, expected);
        const png = zip.get(`${job.items[0].name}/transparent/transparent.png`) as Buffer;
        assert.ok((await sharp(png).metadata()).width);
      }
      // nothing else appeared: the store holds exactly the submitted jobs
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.match(metrics, /logomill_jobs\{state="completed"\} 4\b/);
      assert.match(metrics, /logomill_jobs\{state="queued"\} 0\b/);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await exited(server.child), 0);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('SIGTERM hands running logos back; the next start finishes them', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'logomill-graceful-'));
  const args = serveArgs(dir, 1, 1);
  try {
    let server = await spawnCli([...args, '--grace-seconds', '0']);
    let url = urlOf(server.line);
    const logo = await readFile(example('harbor-on-white.png'));
    const r = await postJob(
      url,
      [
        { name: 'a.png', data: logo },
        { name: 'b.png', data: logo },
      ],
      {
        variations: 'transparent,vector-color,separations',
      },
    );
    assert.equal(r.status, 202);
    for (;;) {
      const job = (await getJson(`${url}/api/jobs/${r.body.id}`)).body;
      if (job.items[0].state === 'running') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    server.child.kill('SIGTERM');
    assert.equal(await exited(server.child), 0);
    assert.match(server.output(), /SIGTERM/);

    server = await spawnCli(args);
    url = urlOf(server.line);
    try {
      const job = await waitForJob(url, r.body.id, 100_000);
      assert.equal(job.state, 'completed');
      assert.deepEqual(
        job.items.map((i: { state: string }) => i.state),
        ['completed', 'completed'],
      );
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

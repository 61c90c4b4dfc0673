/** Helpers for the service tests: a real server on a free loopback port, jobs, events, zips. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import yauzl from 'yauzl';
import { resolveConfig, type Settings } from '../src/config.js';
import type { Runner } from '../src/jobs/runner.js';
import type { JobStatusView } from '../src/server/job-status.js';
import { type RunningServer, type ServerOptions, startServer } from '../src/server/server.js';
import type { UploadGate, UploadGateState } from '../src/server/upload-gate.js';

/** A runner that takes jobs and runs none: for tests of the service and the API without an engine. */
export const idleRunner: Runner = {
  kind: 'local',
  start: async () => {},
  submitted: async () => {},
  cancel: async () => {},
  ready: async () => true,
  stats: async () => ({ kind: 'local', waiting: 0, active: 0 }),
  close: async () => {},
};

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestServer extends RunningServer {
  dir: string;
  /** Closes the server and deletes its data folder. */
  stop(): Promise<void>;
}

/** Starts the service in this process on 127.0.0.1:0 with its own data folder and no cache. */
export async function startTestServer(
  overrides: Partial<Settings> = {},
  opts: Omit<ServerOptions, 'config'> = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'logomill-srv-'));
  const { config } = resolveConfig({ env: {} });
  const server = await startServer({
    config: {
      ...config,
      HOST: '127.0.0.1',
      PORT: 0,
      DATA_DIR: dir,
      CACHE_DIR: 'off',
      MAX_WORKERS: 2,
      REDIS_URL: '',
      ...overrides,
    },
    sources: { CACHE_DIR: 'flag' },
    log: () => {},
    graceSeconds: 2,
    ...opts,
  });
  return {
    ...server,
    dir,
    stop: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Upload {
  name: string;
  data: Buffer;
  type?: string;
}

/** POSTs a multipart job; returns the status and the parsed JSON body. */
export async function postJob(
  base: string,
  files: Upload[],
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('files', new Blob([f.data], { type: f.type ?? 'image/png' }), f.name);
  const res = await fetch(`${base}/api/jobs`, { method: 'POST', body: form, headers });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** Resolves once the server's upload gate is in a state that `holds` (now, or at a later `change`). */
export function gateReaches(
  srv: { uploads: UploadGate },
  holds: (s: UploadGateState) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    if (holds(srv.uploads.state())) return resolve();
    const onChange = (s: UploadGateState) => {
      if (!holds(s)) return;
      srv.uploads.off('change', onChange);
      resolve();
    };
    srv.uploads.on('change', onChange);
  });
}

/** Waits until `check` holds, looking again every 25 ms; the test's own timeout bounds the wait. */
export async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}

/** Waits for a job to be final, on its event stream (the `end` event); returns its final status. */
export async function waitForJob(
  base: string,
  id: string,
  timeoutMs = 60_000,
  headers: Record<string, string> = {},
): Promise<JobStatusView> {
  const events = await readEvents(`${base}/api/jobs/${id}/events`, timeoutMs, headers);
  const end = events.find((e) => e.event === 'end');
  if (!end) throw new Error(`job ${id}: its event stream closed before the end`);
  return end.data;
}

/** Reads a server-sent event stream to its end: every event's name and parsed data. */
export async function readEvents(
  url: string,
  timeoutMs = 60_000,
  headers: Record<string, string> = {},
): Promise<{ event: string; data: JobStatusView & { deleted?: true } }[]> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status} ${await res.text()}`);
  const events: { event: string; data: JobStatusView & { deleted?: true } }[] = [];
  let text = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += Buffer.from(chunk).toString('utf8');
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return events;
}

/** Every entry of a zip, by path. */
export function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry(); // a folder entry
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (d: Buffer) => parts.push(d));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Whether a Redis answers; under CI=true a missing Redis is an error, not a skip. */
export async function redisUp(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  let up = false;
  try {
    await probe.connect();
    up = (await probe.ping()) === 'PONG';
  } catch {
    up = false;
  } finally {
    probe.disconnect();
  }
  if (!up && process.env.CI === 'true') throw new Error(`CI=true but no Redis answers at ${REDIS_URL}`);
  return up;
}

export const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

/** Starts the CLI (serve or worker) as a child process; resolves once it printed `ready` or `listening`. */
export async function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ child: ChildProcess; line: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    // a child that does not start in time is killed, or it would keep the test run waiting
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not start within ${timeoutMs} ms (killed): ${out}`));
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^logomill (listening|worker ready).*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${out}`));
    });
  });
  return { child, line, output: () => out };
}

/** Waits for a child process to exit. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** `logomill serve` arguments for a child server on a free port, with no cache. */
export function serveArgs(dataDir: string, workers: number, batchSize: number): string[] {
  return [
    'serve',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--no-cache',
    '--max-workers',
    String(workers),
    '--batch-size',
    String(batchSize),
  ];
}

/** The URL a `serve` child printed. */
export const urlOf = (line: string): string => /http:\/\/[\d.:]+/.exec(line)?.[0] as string;

/** A queue name of a test's own. */
export const testQueueName = (): string => `logomill-test-${randomBytes(6).toString('hex')}`;

/** Stops child processes still running (SIGTERM) and waits for them all. */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map(exited));
}

/** Removes a test queue from Redis and closes it. */
export async function dropQueue(queue: {
  obliterate(o: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}): Promise<void> {
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

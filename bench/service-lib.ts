/** Helpers of the service benchmarks: the built CLI as a child process, posting jobs, waiting for them. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

export function start(
  cmd: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, ...cmd], {
    env: { ...process.env, MALLOC_ARENA_MAX: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /^logomill (listening on (http:\/\/[\d.:]+)|worker ready)/m.exec(out);
      if (m) resolve({ child, url: m[2] ?? '' });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`${cmd[0]} exited ${code}: ${out}`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

export async function post(url: string, files: { name: string; data: Buffer }[], variations: string) {
  const form = new FormData();
  form.append('variations', variations);
  for (const f of files) form.append('files', new Blob([f.data]), f.name);
  const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { id: string } };
}

export async function waitAll(url: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    for (;;) {
      const s = (await (await fetch(`${url}/api/jobs/${id}`)).json()) as { state: string };
      if (s.state === 'completed' || s.state === 'failed') {
        if (s.state !== 'completed') throw new Error(`job ${id} failed`);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

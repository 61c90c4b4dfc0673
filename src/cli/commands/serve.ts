/**
 * `logomill serve`: the HTTP API and web app (src/server/). Embedded by
 * default; with --redis (or REDIS_URL) jobs go to a BullMQ queue that
 * `logomill worker` processes consume. API keys come from LOGOMILL_API_KEYS
 * (comma-separated), the webhook signing secret from LOGOMILL_WEBHOOK_SECRET.
 */
import type { Command } from 'commander';
import { resolveConfig } from '../../config.js';
import { LogomillError } from '../../errors.js';
import type { RunningServer } from '../../server/server.js';
import { addEngineFlags, configFlags, type EngineFlags } from '../engine-flags.js';
import { EXIT_OK, reportFatal } from '../exit-codes.js';

export interface ServiceFlags extends EngineFlags {
  dataDir?: string;
  redis?: string;
  queue: string;
}

/** Flags that serve and worker share. */
export function addServiceFlags(cmd: Command): Command {
  cmd
    .option('--data-dir <dir>', 'job store, uploads and results (default .logomill-data)')
    .option('--redis <url>', 'BullMQ queue (and result cache) on this Redis, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'BullMQ queue name', 'logomill');
  return addEngineFlags(cmd);
}

export function serviceConfig(flags: ServiceFlags & { host?: string; port?: string }) {
  const given = configFlags(flags);
  if (flags.dataDir !== undefined) given.DATA_DIR = flags.dataDir;
  if (flags.redis !== undefined) given.REDIS_URL = flags.redis;
  if (flags.host !== undefined) given.HOST = flags.host;
  if (flags.port !== undefined) given.PORT = flags.port;
  return resolveConfig({ flags: given });
}

export const apiKeysFromEnv = (): string[] =>
  (process.env.LOGOMILL_API_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/** LOGOMILL_KEY_SCOPE: `own` (each key sees only its own jobs) or `all` (the default). */
export function keyScopeFromEnv(): 'all' | 'own' {
  const v = (process.env.LOGOMILL_KEY_SCOPE ?? 'all').trim();
  if (v !== 'all' && v !== 'own') {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected all or own for LOGOMILL_KEY_SCOPE but received ${JSON.stringify(v)}.`,
    );
  }
  return v;
}

/** Resolves when the process is asked to stop. */
export const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
  });

export function configureServe(cmd: Command, setExit: (code: number) => void): void {
  cmd
    .option('--host <address>', 'bind address (default 127.0.0.1)')
    .option('--port <n>', 'port (default 8080; 0 picks a free one)')
    .option('--log-requests', 'log every request as a JSON line')
    .option('--no-worker', 'with --redis: only queue jobs, leave them all to `logomill worker` processes')
    .option(
      '--grace-seconds <n>',
      'on SIGTERM, seconds running logos get to finish before they are handed back',
      '20',
    );
  addServiceFlags(cmd);
  cmd.action(
    async (
      flags: ServiceFlags & {
        host?: string;
        port?: string;
        logRequests?: boolean;
        graceSeconds: string;
        worker: boolean;
      },
    ) => {
      let server: RunningServer;
      try {
        const { config, sources } = serviceConfig(flags);
        // the service stack (fastify, bullmq, ioredis, better-sqlite3) is loaded only to serve
        const { startServer } = await import('../../server/server.js');
        server = await startServer({
          config,
          sources,
          apiKeys: apiKeysFromEnv(),
          keyScope: keyScopeFromEnv(),
          webhookSecret: process.env.LOGOMILL_WEBHOOK_SECRET || undefined,
          queueName: flags.queue,
          logRequests: flags.logRequests,
          graceSeconds: Math.max(0, Number(flags.graceSeconds) || 0),
          localWorker: flags.worker,
        });
        const mode = config.REDIS_URL
          ? `jobs go to queue "${flags.queue}" on ${config.REDIS_URL}, ${flags.worker ? 'worked here and by any logomill worker' : 'worked by logomill worker processes'}`
          : 'jobs run in this process';
        process.stdout.write(`logomill listening on ${server.url} (${mode}; data in ${config.DATA_DIR})\n`);
      } catch (err) {
        setExit(reportFatal(err));
        return;
      }
      const signal = await stopSignal();
      process.stderr.write(`${signal}: finishing running work, then stopping…\n`);
      await server.close();
      setExit(EXIT_OK);
    },
  );
}

/**
 * Engine settings, with the seed's names. Each comes from, in rising order of
 * precedence: its default, a config file (`logomill.config.json` in the
 * working folder, or the file named by LOGOMILL_CONFIG), the environment, and
 * CLI flags. `logomill config` prints every value with where it came from.
 * A bad value is an E_BAD_OPTION naming the variable.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { LogomillError } from './errors.js';

export interface EngineConfig {
  /** Worker threads for CPU-heavy work (default: cores). */
  MAX_WORKERS: number;
  /** Process memory budget: tasks start only while RSS + running estimates stay under it. */
  MEMORY_LIMIT_MB: number;
  /** Tasks (variations) of one job run at once (default: MAX_WORKERS). */
  CONCURRENT_TASKS: number;
  /** Workers one task may fan its subtasks out to (default: MAX_WORKERS). */
  SUBTASK_WORKERS: number;
  /** Logos a batch decodes and processes at once (default: 2). */
  BATCH_SIZE: number;
  /** A task running longer is stopped, retried once on a fresh worker, then reported (default 120000). */
  TASK_TIMEOUT_MS: number;
  /** An SVG input still rasterising after this long is stopped and refused with E_TIMEOUT (default 30000). */
  SVG_RENDER_TIMEOUT_MS: number;
  /** Start no task while the system has less than this share of its memory available (default 20). */
  MIN_FREE_MEMORY_PCT: number;
  /** Result cache folder (default .logomill-cache); "off" disables the cache. */
  CACHE_DIR: string;
  /** Size cap of the filesystem cache; least recently used entries go first (default 1024). */
  CACHE_MAX_MB: number;
  /** When set, results are cached in Redis instead of CACHE_DIR, e.g. redis://127.0.0.1:6379. */
  REDIS_URL: string;
  /** Lifetime of a Redis cache entry in seconds (default 7 days). */
  CACHE_TTL_S: number;
}

/** The service's settings (logomill serve / worker), beside the engine's. */
export interface ServerConfig {
  /** Address the HTTP server binds to (default 127.0.0.1). */
  HOST: string;
  /** HTTP port (default 8080; 0 picks a free one). */
  PORT: number;
  /** The job store and, unless ARTIFACTS=redis, the uploaded logos and results (default .logomill-data). */
  DATA_DIR: string;
  /** Where inputs and results live: fs (DATA_DIR, shared by workers) or redis (small deployments). */
  ARTIFACTS: string;
  /** Largest uploaded or fetched logo, in MB (default 25). */
  MAX_UPLOAD_MB: number;
  /** Most logos in one job (default 50). */
  MAX_FILES_PER_JOB: number;
  /** Unfinished jobs accepted before new ones get 429 (default 100). */
  MAX_QUEUED_JOBS: number;
  /** API requests per minute per API key or IP (default 600). */
  RATE_LIMIT_PER_MIN: number;
  /** Let logo URLs and webhooks reach private, loopback and link-local addresses (0/1, default 0). */
  ALLOW_PRIVATE_URLS: number;
  /** Finished jobs and their files are deleted after this many hours (default 72). */
  JOB_TTL_H: number;
  /** A queue worker's lock on a job; a worker silent for this long has its job taken over (default 30000). */
  QUEUE_LOCK_MS: number;
  /** Uploads read at once; the others wait UPLOAD_WAIT_MS for a slot, then get 503 (default 8). */
  UPLOADS_AT_ONCE: number;
  /** Uploads one client (API key, else IP) may have in the gate at once; more get 429 (default 4). */
  UPLOADS_PER_CLIENT: number;
  /** How long an upload waits for a free slot before a 503 with Retry-After (default 10000). */
  UPLOAD_WAIT_MS: number;
  /** A request must arrive whole within this time, or it is answered 408 and its slot freed (default 120000). */
  REQUEST_TIMEOUT_MS: number;
  /** /metrics labels queue workers with their host name and pid (0/1, default 1). */
  METRICS_WORKER_LABELS: number;
}

/** Every setting: the engine's and the service's (what resolveConfig returns). */
export type Settings = EngineConfig & ServerConfig;

export type ConfigKey = keyof Settings;
export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

interface Setting {
  kind: 'int' | 'string';
  /** The only values a string setting may take. */
  oneOf?: readonly string[];
  min?: number;
  max?: number;
  help: string;
}

const SETTINGS: Record<ConfigKey, Setting> = {
  MAX_WORKERS: { kind: 'int', min: 1, max: 256, help: 'worker threads' },
  MEMORY_LIMIT_MB: { kind: 'int', min: 64, max: 1_048_576, help: 'process memory budget (MB)' },
  CONCURRENT_TASKS: { kind: 'int', min: 1, max: 1024, help: 'tasks of one job at once' },
  SUBTASK_WORKERS: { kind: 'int', min: 1, max: 256, help: 'workers per fanned-out task' },
  BATCH_SIZE: { kind: 'int', min: 1, max: 1024, help: 'logos in flight in a batch' },
  TASK_TIMEOUT_MS: { kind: 'int', min: 100, max: 86_400_000, help: 'task time limit (ms)' },
  SVG_RENDER_TIMEOUT_MS: { kind: 'int', min: 100, max: 3_600_000, help: 'SVG rasterising time limit (ms)' },
  MIN_FREE_MEMORY_PCT: { kind: 'int', min: 0, max: 90, help: 'system memory kept free (%)' },
  CACHE_DIR: { kind: 'string', help: 'result cache folder, or off' },
  CACHE_MAX_MB: { kind: 'int', min: 1, max: 1_048_576, help: 'filesystem cache size cap (MB)' },
  REDIS_URL: { kind: 'string', help: 'Redis for the result cache (and the queue)' },
  CACHE_TTL_S: { kind: 'int', min: 1, max: 31_536_000, help: 'Redis cache entry lifetime (s)' },
  HOST: { kind: 'string', help: 'HTTP bind address' },
  PORT: { kind: 'int', min: 0, max: 65535, help: 'HTTP port' },
  DATA_DIR: { kind: 'string', help: 'job store, uploads and results folder' },
  ARTIFACTS: { kind: 'string', oneOf: ['fs', 'redis'], help: 'inputs and results: fs or redis' },
  MAX_UPLOAD_MB: { kind: 'int', min: 1, max: 1024, help: 'largest logo file (MB)' },
  MAX_FILES_PER_JOB: { kind: 'int', min: 1, max: 10_000, help: 'logos per job' },
  MAX_QUEUED_JOBS: { kind: 'int', min: 1, max: 1_000_000, help: 'unfinished jobs before 429' },
  RATE_LIMIT_PER_MIN: { kind: 'int', min: 1, max: 1_000_000, help: 'API requests per minute per key/IP' },
  ALLOW_PRIVATE_URLS: { kind: 'int', min: 0, max: 1, help: 'URLs may reach private addresses' },
  JOB_TTL_H: { kind: 'int', min: 1, max: 87_600, help: 'hours finished jobs are kept' },
  QUEUE_LOCK_MS: { kind: 'int', min: 1000, max: 3_600_000, help: 'queue job lock (ms)' },
  UPLOADS_AT_ONCE: { kind: 'int', min: 1, max: 10_000, help: 'uploads read at once' },
  UPLOADS_PER_CLIENT: { kind: 'int', min: 1, max: 10_000, help: 'uploads at once per key/IP' },
  UPLOAD_WAIT_MS: { kind: 'int', min: 0, max: 600_000, help: 'wait for an upload slot before 503 (ms)' },
  REQUEST_TIMEOUT_MS: { kind: 'int', min: 100, max: 3_600_000, help: 'whole-request time limit (ms)' },
  METRICS_WORKER_LABELS: { kind: 'int', min: 0, max: 1, help: 'worker host/pid labels in /metrics' },
};

export const CONFIG_KEYS = Object.keys(SETTINGS) as ConfigKey[];

function defaults(): Settings {
  const cores = availableParallelism();
  return {
    MAX_WORKERS: cores,
    MEMORY_LIMIT_MB: 1024,
    CONCURRENT_TASKS: cores,
    SUBTASK_WORKERS: cores,
    BATCH_SIZE: 2,
    TASK_TIMEOUT_MS: 120_000,
    SVG_RENDER_TIMEOUT_MS: 30_000,
    MIN_FREE_MEMORY_PCT: 20,
    CACHE_DIR: '.logomill-cache',
    CACHE_MAX_MB: 1024,
    REDIS_URL: '',
    CACHE_TTL_S: 7 * 24 * 3600,
    HOST: '127.0.0.1',
    PORT: 8080,
    DATA_DIR: '.logomill-data',
    ARTIFACTS: 'fs',
    MAX_UPLOAD_MB: 25,
    MAX_FILES_PER_JOB: 50,
    MAX_QUEUED_JOBS: 100,
    RATE_LIMIT_PER_MIN: 600,
    ALLOW_PRIVATE_URLS: 0,
    JOB_TTL_H: 72,
    QUEUE_LOCK_MS: 30_000,
    UPLOADS_AT_ONCE: 8,
    UPLOADS_PER_CLIENT: 4,
    UPLOAD_WAIT_MS: 10_000,
    REQUEST_TIMEOUT_MS: 120_000,
    METRICS_WORKER_LABELS: 1,
  };
}

function parseValue(key: ConfigKey, raw: unknown, where: string): number | string {
  const s = SETTINGS[key];
  if (s.kind === 'string') {
    if (typeof raw !== 'string') {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected text for ${key} (${where}) but received ${JSON.stringify(raw)}`,
      );
    }
    const v = raw.trim();
    if (s.oneOf && !s.oneOf.includes(v)) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected one of ${s.oneOf.join(', ')} for ${key} (${where}) but received ${JSON.stringify(raw)}`,
      );
    }
    return v;
  }
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const v = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(v) || v < (s.min ?? 0) || v > (s.max ?? Number.MAX_SAFE_INTEGER)) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected integer between ${s.min} and ${s.max} for ${key} (${where}) but received ${JSON.stringify(raw)}`,
    );
  }
  return v;
}

export interface ResolvedConfig {
  config: Settings;
  sources: Record<ConfigKey, ConfigSource>;
  file: string | null;
  /**
   * Default variation options from the file's `options` key, e.g.
   * `{ "options": { "transparent": { "background": "keep" } } }`; flags override them.
   */
  options: Record<string, Record<string, unknown>>;
}

/**
 * The effective settings.
 *
 * @example
 *   const { config } = resolveConfig({ env: process.env, flags: { MAX_WORKERS: '2' } });
 */
export function resolveConfig(
  opts: { env?: NodeJS.ProcessEnv; flags?: Partial<Record<ConfigKey, unknown>>; cwd?: string } = {},
): ResolvedConfig {
  const env = opts.env ?? process.env;
  const config = defaults() as unknown as Record<ConfigKey, number | string>;
  const sources = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 'default'])) as Record<
    ConfigKey,
    ConfigSource
  >;
  const fileName = env.LOGOMILL_CONFIG ?? join(opts.cwd ?? process.cwd(), 'logomill.config.json');
  let file: string | null = null;
  let text: string | null = null;
  let options: Record<string, Record<string, unknown>> = {};
  try {
    text = readFileSync(fileName, 'utf8');
  } catch (err) {
    if (env.LOGOMILL_CONFIG) {
      throw new LogomillError('E_BAD_OPTION', `Cannot read LOGOMILL_CONFIG file ${fileName}.`, {
        cause: err,
      });
    }
  }
  if (text !== null) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new LogomillError('E_BAD_OPTION', `The config file ${fileName} is not valid JSON.`, {
        cause: err,
      });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new LogomillError('E_BAD_OPTION', `The config file ${fileName} must hold one JSON object.`);
    }
    for (const [k, v] of Object.entries(json)) {
      if (k === 'options') {
        options = fileOptions(v, fileName);
        continue;
      }
      if (!Object.hasOwn(SETTINGS, k)) {
        throw new LogomillError(
          'E_BAD_OPTION',
          `Unknown setting ${k} in ${fileName}; known: ${CONFIG_KEYS.join(', ')}`,
        );
      }
      config[k as ConfigKey] = parseValue(k as ConfigKey, v, fileName);
      sources[k as ConfigKey] = 'file';
    }
    file = fileName;
  }
  for (const k of CONFIG_KEYS) {
    const v = env[k];
    if (v !== undefined && v !== '') {
      config[k] = parseValue(k, v, 'environment');
      sources[k] = 'env';
    }
  }
  for (const [k, v] of Object.entries(opts.flags ?? {})) {
    if (v === undefined) continue;
    if (!Object.hasOwn(SETTINGS, k)) throw new LogomillError('E_BAD_OPTION', `Unknown setting ${k}`);
    config[k as ConfigKey] = parseValue(k as ConfigKey, v, 'flag');
    sources[k as ConfigKey] = 'flag';
  }
  // CONCURRENT_TASKS and SUBTASK_WORKERS follow MAX_WORKERS unless set themselves
  for (const k of ['CONCURRENT_TASKS', 'SUBTASK_WORKERS'] as const) {
    if (sources[k] === 'default') config[k] = config.MAX_WORKERS;
  }
  return { config: config as unknown as Settings, sources, file, options };
}

/** The file's `options`: an object of objects (the values are checked with the job's options). */
function fileOptions(v: unknown, fileName: string): Record<string, Record<string, unknown>> {
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(v) || !Object.values(v).every(isObject)) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `options in ${fileName} must map variation ids to objects of options, e.g. {"transparent": {"background": "keep"}}.`,
    );
  }
  return v as Record<string, Record<string, unknown>>;
}

/** One line per setting: name, value, source, what it is. */
export function describeConfig(r: ResolvedConfig): string[] {
  return CONFIG_KEYS.map((k) => {
    const v = r.config[k];
    const shown = v === '' ? '(unset)' : String(v);
    const from = r.sources[k] === 'file' ? `file ${r.file}` : r.sources[k];
    return `${k.padEnd(20)} ${shown.padEnd(24)} ${from.padEnd(12)} ${SETTINGS[k].help}`;
  });
}

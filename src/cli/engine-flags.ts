/**
 * The engine settings as CLI flags (highest precedence, above the environment
 * and the config file), and the one place the CLI builds its engine. The
 * engine and the cache (piscina, ioredis) are loaded only when one is built,
 * not to list the flags.
 */
import type { Command } from 'commander';
import { type ConfigKey, resolveConfig } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { EngineSample } from '../engine/monitor.js';

const FLAGS: [string, ConfigKey, string][] = [
  ['--max-workers <n>', 'MAX_WORKERS', 'worker threads (default: cores)'],
  ['--memory-limit-mb <mb>', 'MEMORY_LIMIT_MB', 'memory budget for running tasks (default 1024)'],
  ['--task-timeout-ms <ms>', 'TASK_TIMEOUT_MS', 'stop, retry once, then fail a task running longer'],
  ['--batch-size <n>', 'BATCH_SIZE', 'logos in flight at once in a batch (default 2)'],
  ['--cache-dir <dir>', 'CACHE_DIR', 'result cache folder, or off (default .logomill-cache)'],
  ['--redis-url <url>', 'REDIS_URL', 'cache results in Redis instead'],
];

export interface EngineFlags {
  maxWorkers?: string;
  memoryLimitMb?: string;
  taskTimeoutMs?: string;
  batchSize?: string;
  cacheDir?: string;
  redisUrl?: string;
  cache?: boolean;
  stats?: boolean;
}

export function addEngineFlags(cmd: Command): Command {
  for (const [flag, , help] of FLAGS) cmd.option(flag, help);
  cmd.option('--no-cache', 'do not read or write the result cache');
  cmd.option('--stats', 'live engine line on a terminal (CPU, memory, workers, score) and a final summary');
  return cmd;
}

const attr = (flag: string) =>
  flag
    .replace(/^--/, '')
    .replace(/ .*/, '')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof EngineFlags;

/** The settings the engine flags give (for resolveConfig). */
export function configFlags(flags: EngineFlags): Partial<Record<ConfigKey, unknown>> {
  const given: Partial<Record<ConfigKey, unknown>> = {};
  for (const [flag, key] of FLAGS) if (flags[attr(flag)] !== undefined) given[key] = flags[attr(flag)];
  if (flags.cache === false) given.CACHE_DIR = 'off';
  return given;
}

/** Builds the engine from flags + environment + config file; warnings go to stderr. */
export async function createEngine(flags: EngineFlags): Promise<Engine> {
  const [{ openCache }, { Engine }] = await Promise.all([
    import('../cache/index.js'),
    import('../engine/engine.js'),
  ]);
  const { config } = resolveConfig({ flags: configFlags(flags) });
  if (flags.cache === false) config.REDIS_URL = '';
  const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
  const engine = new Engine({ config, cache: openCache(config, warn), log: flags.stats ? warn : undefined });
  if (flags.stats && process.stderr.isTTY) {
    engine.on('sample', (s: EngineSample) => process.stderr.write(`\r\x1b[2K${statsLine(s)}`));
  }
  return engine;
}

export function statsLine(s: EngineSample): string {
  return (
    `cpu ${s.cpuPct.toFixed(0)} %  rss ${s.rssMb.toFixed(0)} MB  heap ${s.heapMb.toFixed(0)} MB  ` +
    `free ${s.systemAvailablePct.toFixed(0)} %  queue ${s.queueDepth}  running ${s.running}  ` +
    `workers ${s.effectiveWorkers}  score ${s.score}`
  );
}

/** The final --stats summary. */
export function statsSummary(engine: Engine): string {
  const st = engine.stats();
  const cache = st.cache
    ? `cache ${st.cache.backend}${st.cache.enabled ? '' : ' (off after an error)'}: ${st.cache.hits} hits, ${st.cache.misses} misses, ${st.cache.evictions} evicted`
    : 'cache off';
  return (
    `${process.stderr.isTTY ? '\r\x1b[2K' : ''}engine: ${st.tasksDone} tasks done, ${st.tasksFailed} failed, ${st.tasksRetried} retried; ` +
    `task ms p50 ${st.taskMs.p50} p95 ${st.taskMs.p95}; workers ${st.effectiveWorkers}/${st.maxWorkers}; ` +
    `peak rss ${st.peakRssMb} MB; score ${st.score ?? '–'}; ${cache}\n`
  );
}

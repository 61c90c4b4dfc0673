/**
 * `logomill worker --redis URL`: a queue worker. Takes logos from the BullMQ
 * queue the API fills, runs them on this machine's engine and writes the
 * files to the shared artifact store (DATA_DIR on a shared volume, or Redis
 * with ARTIFACTS=redis). Start as many as you like, on any machine.
 */
import type { Command } from 'commander';
import type { Engine } from '../../engine/engine.js';
import { LogomillError } from '../../errors.js';
import type { QueueWorker } from '../../queue/worker.js';
import { EXIT_OK, reportFatal } from '../exit-codes.js';
import { addServiceFlags, type ServiceFlags, serviceConfig, stopSignal } from './serve.js';

export function configureWorker(cmd: Command, setExit: (code: number) => void): void {
  addServiceFlags(cmd);
  cmd.action(async (flags: ServiceFlags) => {
    let engine: Engine;
    let worker: QueueWorker;
    let close: () => Promise<void>;
    try {
      const { config } = serviceConfig(flags);
      if (!config.REDIS_URL) {
        throw new LogomillError(
          'E_BAD_OPTION',
          'A worker needs a queue: pass --redis <url> or set REDIS_URL.',
        );
      }
      // the engine, the cache, the artifact store and the queue (bullmq, ioredis) are loaded only to work
      const [{ openCache }, { Engine }, { openArtifacts }, { QueueWorker }] = await Promise.all([
        import('../../cache/index.js'),
        import('../../engine/engine.js'),
        import('../../jobs/artifacts.js'),
        import('../../queue/worker.js'),
      ]);
      const log = (m: string) => process.stderr.write(`${m}\n`);
      const artifacts = openArtifacts(config);
      engine = new Engine({ config, cache: flags.cache === false ? null : openCache(config, log), log });
      await engine.warmUp();
      worker = new QueueWorker(
        { engine, artifacts, maxInputBytes: config.MAX_UPLOAD_MB * 1024 * 1024 },
        {
          redisUrl: config.REDIS_URL,
          name: flags.queue,
          concurrency: config.BATCH_SIZE,
          lockMs: config.QUEUE_LOCK_MS,
          log,
          stats: () => engine.stats(),
        },
      );
      await worker.waitUntilReady();
      close = async () => {
        await worker.close();
        await engine.close();
        await artifacts.close();
      };
      process.stdout.write(
        `logomill worker ready: queue "${flags.queue}" on ${config.REDIS_URL}, ${config.BATCH_SIZE} logos at once, ${config.MAX_WORKERS} threads\n`,
      );
    } catch (err) {
      setExit(reportFatal(err));
      return;
    }
    const signal = await stopSignal();
    process.stderr.write(`${signal}: finishing running logos, then stopping…\n`);
    await close();
    process.stderr.write(`worker stopped after ${worker.itemsProcessed} logos\n`);
    setExit(EXIT_OK);
  });
}

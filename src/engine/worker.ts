/**
 * The worker-thread side of the engine (run by piscina): sets up the thread
 * for image work, tells the pool when a task starts (its time limit counts
 * from there, not from when it was queued — see pool.ts), and runs it
 * (tasks.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { type PoolEnvelope, taskStarted } from './pool.js';
import { runTask, type TaskValue, type WorkerReply, type WorkerTask } from './tasks.js';

// one libvips thread per worker: MAX_WORKERS workers then use MAX_WORKERS cores, not more;
// no libvips operation cache: every pipeline here runs once, a cache only holds memory
sharp.concurrency(1);
sharp.cache(false);

// A large image's working planes are typed arrays that V8 frees only when it next collects;
// collecting right after a large task keeps one task's garbage out of the next one's peak.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const LARGE = 4_000_000; // pixels

export default async function run(envelope: PoolEnvelope<WorkerTask>): Promise<WorkerReply<TaskValue>> {
  const task = taskStarted(envelope);
  try {
    return await runTask(task);
  } finally {
    const image = task.kind === 'variation' || task.kind === 'cutout' ? task.image : null;
    if (image && image.width * image.height >= LARGE) collect();
  }
}

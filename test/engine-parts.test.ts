/**
 * The engine's parts on their own: the scheduler with fake tasks (order,
 * memory admission, the governor), the worker pool's fault rules with a
 * fixture worker (crash, hang, own errors), the performance score, and the
 * settings resolver.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { resolveConfig } from '../src/config.js';
import { performanceScore } from '../src/engine/monitor.js';
import { WorkerPool } from '../src/engine/pool.js';
import {
  type MemoryReading,
  MIN_SUBTASK_COST,
  planFanOut,
  Scheduler,
  type TaskSpec,
} from '../src/engine/scheduler.js';
import { LogomillError } from '../src/errors.js';
import { withTempDir } from './helpers.js';

/** A task that finishes when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}

function fake(label: string, o: Partial<TaskSpec<string>> & { wait?: Promise<void> } = {}): TaskSpec<string> {
  return {
    label,
    priority: o.priority ?? 'interactive',
    jobSeq: o.jobSeq ?? 0,
    cost: o.cost ?? 1,
    memoryMb: o.memoryMb ?? 10,
    run: async () => {
      await o.wait;
      return label;
    },
  };
}

/** The labels of the tasks a scheduler starts, in start order (its `start` events). */
function startOrder(s: Scheduler): string[] {
  const started: string[] = [];
  s.on('start', (label: string) => started.push(label));
  return started;
}

const calm: MemoryReading = { rssMb: 100, systemAvailablePct: 80 };

describe('scheduler', () => {
  test('interactive before batch, older jobs first, costliest task of a job first', async () => {
    const hold = gate();
    const s = new Scheduler({
      maxWorkers: 1,
      memoryLimitMb: 1024,
      minFreeMemoryPct: 20,
      readMemory: () => calm,
    });
    const started = startOrder(s);
    const all = [
      s.submit(fake('blocker', { wait: hold.promise })),
      s.submit(fake('batch-a', { priority: 'batch', jobSeq: 1, cost: 500 })),
      s.submit(fake('job2-small', { jobSeq: 2, cost: 5 })),
      s.submit(fake('job2-big', { jobSeq: 2, cost: 50 })),
      s.submit(fake('job1-mid', { jobSeq: 1, cost: 20 })),
    ];
    hold.open();
    await Promise.all(all);
    assert.deepEqual(started, ['blocker', 'job1-mid', 'job2-big', 'job2-small', 'batch-a']);
  });

  test('memory admission: a task waits while the budget is taken, and a huge task runs alone', async () => {
    const hold = gate();
    const log: string[] = [];
    const s = new Scheduler({
      maxWorkers: 4,
      memoryLimitMb: 500,
      minFreeMemoryPct: 20,
      readMemory: () => calm,
      log: (m) => log.push(m),
    });
    const started = startOrder(s);
    const first = s.submit(fake('a', { memoryMb: 250, wait: hold.promise }));
    const second = s.submit(fake('b', { memoryMb: 250 })); // 100 + 250 + 250 > 500: waits
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, ['a']);
    assert.equal(s.queueDepth, 1);
    hold.open();
    await Promise.all([first, second]);
    assert.deepEqual(started, ['a', 'b']);
    // larger than the whole budget: runs (alone) instead of waiting for ever
    assert.equal(await s.submit(fake('huge', { memoryMb: 5000 })), 'huge');
    assert.ok(
      log.some((l) => /huge needs .* running it alone/.test(l)),
      log.join('\n'),
    );
  });

  test('the governor halves workers under pressure and recovers one per tick', () => {
    let reading: MemoryReading = calm;
    const changes: string[] = [];
    const s = new Scheduler({
      maxWorkers: 8,
      memoryLimitMb: 1000,
      minFreeMemoryPct: 20,
      readMemory: () => reading,
      log: (m) => changes.push(m),
    });
    reading = { rssMb: 100, systemAvailablePct: 5 };
    s.tick();
    assert.equal(s.effectiveWorkers, 4);
    s.tick();
    assert.equal(s.effectiveWorkers, 2);
    reading = { rssMb: 1500, systemAvailablePct: 80 };
    s.tick();
    assert.equal(s.effectiveWorkers, 1);
    s.tick();
    assert.equal(s.effectiveWorkers, 1, 'never below one');
    reading = calm;
    for (const want of [2, 3, 4]) {
      s.tick();
      assert.equal(s.effectiveWorkers, want);
    }
    assert.match(changes[0], /8 → 4: system memory available 5 % is under MIN_FREE_MEMORY_PCT 20/);
    assert.ok(changes.some((c) => /RSS 1500 MB is over MEMORY_LIMIT_MB 1000/.test(c)));
    assert.ok(changes.some((c) => /1 → 2: memory pressure is gone/.test(c)));
  });

  test('fewer effective workers means fewer tasks at once', async () => {
    const holds = [gate(), gate(), gate()];
    let reading: MemoryReading = { rssMb: 100, systemAvailablePct: 5 };
    const s = new Scheduler({
      maxWorkers: 4,
      memoryLimitMb: 1000,
      minFreeMemoryPct: 20,
      readMemory: () => reading,
    });
    s.tick(); // 4 → 2
    const all = holds.map((h, k) => s.submit(fake(`t${k}`, { wait: h.promise })));
    await new Promise((r) => setImmediate(r));
    assert.equal(s.runningCount, 2);
    reading = calm;
    s.tick(); // 2 → 3: the third may start
    assert.equal(s.runningCount, 3);
    for (const h of holds) h.open();
    await Promise.all(all);
  });

  test('job admission: big jobs wait for each other, small ones share, one is always let in', async () => {
    const s = new Scheduler({
      maxWorkers: 2,
      memoryLimitMb: 1000,
      minFreeMemoryPct: 20,
      readMemory: () => calm,
    });
    const big1 = await s.reserve(700); // alone: always admitted
    let big2Admitted = false;
    const big2 = s.reserve(700).then((release) => {
      big2Admitted = true;
      return release;
    });
    const small = await s.reserve(50); // 100 idle + 700 + 50 ≤ 1000: fits beside the first
    await new Promise((r) => setImmediate(r));
    assert.equal(big2Admitted, false, 'the second big job waits');
    big1();
    await new Promise((r) => setImmediate(r));
    assert.equal(big2Admitted, true, 'and starts once the first is released');
    small();
    (await big2)();
    // a job bigger than the whole limit still runs when nothing else is in flight
    (await s.reserve(5000))();
  });

  test('a failing task rejects only itself', async () => {
    const s = new Scheduler({
      maxWorkers: 2,
      memoryLimitMb: 1000,
      minFreeMemoryPct: 20,
      readMemory: () => calm,
    });
    const bad = s.submit({ ...fake('bad'), run: async () => Promise.reject(new Error('boom')) });
    const good = s.submit(fake('good'));
    await assert.rejects(bad, /boom/);
    assert.equal(await good, 'good');
  });
});

describe('subtask fan-out', () => {
  test('as wide as the workers allow, parts balanced costliest first, indices in order', () => {
    assert.deepEqual(planFanOut([100, 100, 100], 2), [[0, 2], [1]]);
    assert.deepEqual(planFanOut([300, 20, 20, 20], 2), [[0], [1, 2, 3]]);
    assert.deepEqual(planFanOut([50, 50, 50, 50], 8), [[0], [1], [2], [3]]);
    assert.deepEqual(planFanOut([50, 50], 1), [[0, 1]]);
  });

  test('few large parts spread wide; many tiny parts stay in few subtasks', () => {
    // four films of 200 ms: one subtask per worker
    assert.equal(planFanOut([200, 200, 200, 200], 4).length, 4);
    // twelve favicons of 2 ms: 24 ms in all is worth one extra subtask at most
    const tiny = planFanOut(Array(12).fill(2), 4);
    assert.equal(tiny.length, Math.floor(24 / MIN_SUBTASK_COST));
    assert.deepEqual(
      tiny.flat().sort((a, b) => a - b),
      [...Array(12).keys()],
    );
    assert.deepEqual(planFanOut([1], 4), [[0]]);
  });
});

const FAULT_WORKER = new URL('./fixtures/fault-worker.ts', import.meta.url).href;

describe('worker pool', () => {
  const counter = () => new SharedArrayBuffer(4);
  const attempts = (b: SharedArrayBuffer) => new Int32Array(b)[0];

  test('returns values; a task’s own error is final (no retry)', async () => {
    const pool = new WorkerPool({ filename: FAULT_WORKER, threads: 2, timeoutMs: 5000 });
    try {
      assert.equal(await pool.run({ kind: 'ok', value: 21, attempts: counter() }, 'ok'), 42);
      const c = counter();
      await assert.rejects(
        pool.run({ kind: 'throw', attempts: c }, 'throw'),
        (e: unknown) => e instanceof LogomillError && e.code === 'E_BAD_OPTION',
      );
      assert.equal(attempts(c), 1);
      assert.equal(pool.retried, 0);
    } finally {
      await pool.close();
    }
  });

  test('a worker that exits mid-task is retried once on a fresh worker, then reported', async () => {
    const pool = new WorkerPool({ filename: FAULT_WORKER, threads: 2, timeoutMs: 5000 });
    try {
      const once = counter();
      assert.equal(await pool.run({ kind: 'exit-once', attempts: once }, 'exit-once'), 'second try');
      assert.equal(attempts(once), 2);
      const always = counter();
      await assert.rejects(
        pool.run({ kind: 'exit', attempts: always }, 'crashy'),
        (e: unknown) =>
          e instanceof LogomillError && e.code === 'E_WORKER_FAILED' && /crashy/.test(e.message),
      );
      assert.equal(attempts(always), 2);
      // the pool still works for everything else
      assert.equal(await pool.run({ kind: 'ok', value: 1, attempts: counter() }, 'after'), 2);
    } finally {
      await pool.close();
    }
  });

  test('a task past the time limit is stopped, retried once, then reported as E_TIMEOUT', async () => {
    const pool = new WorkerPool({ filename: FAULT_WORKER, threads: 1, timeoutMs: 400 });
    try {
      const once = counter();
      assert.equal(await pool.run({ kind: 'hang-once', attempts: once }, 'slow-once'), 'second try');
      const always = counter();
      await assert.rejects(
        pool.run({ kind: 'hang', attempts: always }, 'stuck'),
        (e: unknown) => e instanceof LogomillError && e.code === 'E_TIMEOUT' && /stuck/.test(e.message),
      );
      assert.equal(attempts(always), 2);
      assert.equal(await pool.run({ kind: 'ok', value: 5, attempts: counter() }, 'after'), 10);
    } finally {
      await pool.close();
    }
  });

  test('the time limit counts from the task’s start: a worker’s slow start-up does not count', async () => {
    // each worker spends 3× the time limit loading before it can take a task (a fresh worker under
    // load); the limit still stops a task that hangs once it has started
    process.env.FAULT_WORKER_START_MS = '2400';
    const pool = new WorkerPool({ filename: FAULT_WORKER, threads: 1, timeoutMs: 800 });
    try {
      assert.equal(await pool.run({ kind: 'ok', value: 4, attempts: counter() }, 'first'), 8);
      const once = counter();
      assert.equal(await pool.run({ kind: 'hang-once', attempts: once }, 'slow-once'), 'second try');
      assert.equal(
        attempts(once),
        2,
        'the hung attempt was stopped; the retry ran on a fresh, slow-starting worker',
      );
      assert.equal(pool.retried, 1);
    } finally {
      delete process.env.FAULT_WORKER_START_MS;
      await pool.close();
    }
  });
});

describe('performance score', () => {
  const base = {
    wallSeconds: 1,
    effectiveWorkers: 2,
    rssMb: 200,
    memoryLimitMb: 1024,
    finished: 10,
    troubled: 0,
  };
  test('queued work on an idle pool scores low; a saturated healthy pool scores high', () => {
    const idle = performanceScore({ ...base, busy: true, cpuSeconds: 0.05 });
    const saturated = performanceScore({ ...base, busy: true, cpuSeconds: 1.95 });
    assert.ok(idle <= 45, `idle with queued work: ${idle}`);
    assert.ok(saturated >= 95, `saturated: ${saturated}`);
  });
  test('memory pressure and retries pull it down', () => {
    const healthy = performanceScore({ ...base, busy: true, cpuSeconds: 2 });
    const tight = performanceScore({ ...base, busy: true, cpuSeconds: 2, rssMb: 1000 });
    const flaky = performanceScore({ ...base, busy: true, cpuSeconds: 2, troubled: 5 });
    assert.ok(tight < healthy && flaky < healthy, `${healthy} ${tight} ${flaky}`);
    assert.equal(performanceScore({ ...base, busy: false, cpuSeconds: 0 }), 100, 'nothing to do is not slow');
  });
});

describe('settings', () => {
  test('defaults < config file < environment < flags, each with its source', () =>
    withTempDir(async (dir) => {
      writeFileSync(join(dir, 'logomill.config.json'), JSON.stringify({ MAX_WORKERS: 3, BATCH_SIZE: 4 }));
      const r = resolveConfig({
        cwd: dir,
        env: { BATCH_SIZE: '5', MEMORY_LIMIT_MB: '2048' },
        flags: { MEMORY_LIMIT_MB: '512' },
      });
      assert.equal(r.config.MAX_WORKERS, 3);
      assert.equal(r.sources.MAX_WORKERS, 'file');
      assert.equal(r.config.BATCH_SIZE, 5);
      assert.equal(r.sources.BATCH_SIZE, 'env');
      assert.equal(r.config.MEMORY_LIMIT_MB, 512);
      assert.equal(r.sources.MEMORY_LIMIT_MB, 'flag');
      assert.equal(r.config.CONCURRENT_TASKS, 3, 'follows MAX_WORKERS');
      assert.equal(r.sources.TASK_TIMEOUT_MS, 'default');
    }));

  test('bad values are E_BAD_OPTION naming the variable', () =>
    withTempDir(async (dir) => {
      const bad = (f: () => unknown, re: RegExp) =>
        assert.throws(
          f,
          (e: unknown) => e instanceof LogomillError && e.code === 'E_BAD_OPTION' && re.test(e.message),
        );
      bad(() => resolveConfig({ cwd: dir, env: { MAX_WORKERS: 'lots' } }), /MAX_WORKERS \(environment\)/);
      bad(
        () => resolveConfig({ cwd: dir, env: { MEMORY_LIMIT_MB: '10' } }),
        /between 64 and .* MEMORY_LIMIT_MB/,
      );
      bad(() => resolveConfig({ cwd: dir, env: { TASK_TIMEOUT_MS: '1.5' } }), /TASK_TIMEOUT_MS/);
      writeFileSync(join(dir, 'logomill.config.json'), '{"MAX_WORKER": 2}');
      bad(() => resolveConfig({ cwd: dir, env: {} }), /Unknown setting MAX_WORKER/);
      writeFileSync(join(dir, 'logomill.config.json'), '{oops');
      bad(() => resolveConfig({ cwd: dir, env: {} }), /not valid JSON/);
    }));
});

/** A tiny concurrency gate, shared by the engine (CONCURRENT_TASKS per job) and the API (uploads read at once). */

/** At most `n` of the wrapped calls at once; the others wait their turn. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    while (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * The upload gate: at most `slots` uploads are read at once, at most
 * `perClient` of them from one client (API key, else IP). An upload that
 * finds the gate full waits up to `waitMs` for a slot, then is refused with
 * 503 and Retry-After: a client behind eight slow ones gets an answer, not a
 * reset. A slot is given back on every path — the upload finishing, failing,
 * its client hanging up or its request timing out — because the holder's
 * promise is raced against the request's `close`.
 *
 * @example
 *   const gate = uploadGate({ slots: 8, perClient: 4, waitMs: 10_000 });
 *   const id = await gate.run(clientId, req.raw, () => readUpload(req));
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { LogomillError } from '../errors.js';

export interface UploadGateState {
  active: number;
  waiting: number;
  slots: number;
  /** Slots given back after their client went away or timed out (not by a finished upload). */
  abandoned: number;
}

/** Emits `change` (with its state) whenever an upload takes or gives back a slot, or starts or stops waiting. */
export interface UploadGate extends EventEmitter {
  run<T>(client: string, req: IncomingMessage, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  state(): UploadGateState;
}

export function uploadGate(opts: { slots: number; perClient: number; waitMs: number }): UploadGate {
  let active = 0;
  let abandoned = 0;
  const perClient = new Map<string, number>();
  const waiting: { wake: () => void }[] = [];
  const events = new EventEmitter();
  const state = (): UploadGateState => ({ active, waiting: waiting.length, slots: opts.slots, abandoned });
  const changed = () => events.emit('change', state());

  const take = (client: string) => {
    active++;
    perClient.set(client, (perClient.get(client) ?? 0) + 1);
    changed();
  };
  const give = (client: string) => {
    active--;
    const n = (perClient.get(client) ?? 1) - 1;
    if (n) perClient.set(client, n);
    else perClient.delete(client);
    waiting.shift()?.wake();
    changed();
  };

  /** Waits for a free slot; false when waitMs passed or the request closed first. */
  const slot = (req: IncomingMessage) =>
    new Promise<boolean>((resolve) => {
      const entry = {
        wake: () => {
          done();
          resolve(true);
        },
      };
      const quit = () => {
        done();
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
        changed();
        resolve(false);
      };
      const timer = setTimeout(quit, opts.waitMs);
      req.once('close', quit);
      const done = () => {
        clearTimeout(timer);
        req.off('close', quit);
      };
      waiting.push(entry);
      changed();
    });

  return Object.assign(events, {
    async run<T>(client: string, req: IncomingMessage, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      if ((perClient.get(client) ?? 0) >= opts.perClient) {
        throw new LogomillError(
          'E_RATE_LIMITED',
          `Too many uploads at once from one client: the limit is ${opts.perClient}; wait for one to finish.`,
        );
      }
      if (active >= opts.slots && !(await slot(req))) {
        if (req.destroyed) throw new LogomillError('E_ABORTED', 'The client closed the upload.');
        throw new LogomillError(
          'E_UNAVAILABLE',
          `All ${opts.slots} upload slots are busy; try again in a moment.`,
        );
      }
      take(client);
      const ac = new AbortController();
      let onClose = () => {};
      // the request's close ends the wait even when the body parser never settles (a socket cut
      // mid-part, a 408 from the request timeout)
      const closed = new Promise<never>((_, reject) => {
        onClose = () => {
          if (req.complete) return;
          abandoned++;
          ac.abort();
          reject(new LogomillError('E_ABORTED', 'The client closed the upload before it was whole.'));
        };
        if (req.destroyed && !req.complete) onClose();
        else req.once('close', onClose);
      });
      closed.catch(() => {});
      try {
        return await Promise.race([fn(ac.signal), closed]);
      } finally {
        req.off('close', onClose);
        give(client);
      }
    },
    state,
  });
}

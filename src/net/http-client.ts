/**
 * Long file: URL checks, the guarded DNS lookup, redirects, retries and limits are one security
 * boundary; split, it would be easy to bypass.
 *
 * The one HTTP client the service uses to reach the outside world: fetching
 * logo URLs and posting completion webhooks. Both targets are chosen by the
 * caller, so every connection is checked against an address policy (see
 * address-policy.ts) on the address the socket actually connects to: the
 * check runs inside the DNS lookup of the connection pool, which defeats DNS
 * rebinding (a name that resolves to a public address for a pre-check and to
 * 127.0.0.1 for the connect). Literal-IP URLs skip DNS, so they are checked
 * before the request. Redirects are followed by hand, each hop re-checked.
 */
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { LogomillError } from '../errors.js';
import { VERSION } from '../version.js';
import { type AddressPolicy, addressPolicy } from './address-policy.js';

export interface HttpClientOptions {
  /** Allow loopback, private, link-local… addresses (local development only). Default false. */
  allowPrivate?: boolean;
  /**
   * Overrides the policy `allowPrivate` picks: returns why an address is refused, or null to
   * allow it. For tests and unusual deployments (e.g. one trusted internal range).
   */
  addressPolicy?: AddressPolicy;
  /** Time to open a TCP (and TLS) connection, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Time for one whole attempt (connect, headers and body), ms. Default 15000. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout, a 429 or a 5xx. Default 2. */
  retries?: number;
  /** First retry delay, ms; doubles per retry, with jitter. Default 250. */
  backoffMs?: number;
  /** Redirects followed by `fetchBytes` (each hop checked again). Default 3. */
  maxRedirects?: number;
  /** Default `logomill/<version>`. */
  userAgent?: string;
}

export interface FetchedBytes {
  data: Buffer;
  /** The `Content-Type` header as sent, or null. */
  contentType: string | null;
  /** The URL the bytes came from, after redirects. */
  finalUrl: string;
}

export interface HttpClient {
  /** GETs a URL (following redirects) into memory, refusing bodies over `maxBytes`. */
  fetchBytes(url: string, opts: { maxBytes: number; signal?: AbortSignal }): Promise<FetchedBytes>;
  /**
   * POSTs `body` as JSON; with `secret`, signs it in `X-Logomill-Signature: sha256=<hex>` (HMAC-SHA256
   * of the exact bytes sent). Redirects are not followed (a 3xx status is returned as is); an error
   * status after the retries throws E_FETCH_FAILED. A retried POST may arrive twice (at least once).
   */
  postJson(
    url: string,
    body: unknown,
    opts?: { secret?: string; signal?: AbortSignal },
  ): Promise<{ status: number }>;
  /**
   * Checks a URL the way a request to it would be checked (scheme, credentials, every address its
   * name resolves to), without connecting: for webhooks, refused when they are given, not later.
   */
  checkTarget(url: string, verb: string): Promise<void>;
  /** Closes the connection pool, waiting for requests in flight. */
  close(): Promise<void>;
}

/** The header a webhook receiver verifies: `sha256=` + hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-logomill-signature';

/** `sha256=<hex>` for a webhook body, as sent in {@link SIGNATURE_HEADER}. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_RETRY_AFTER_S = 10;

/** Thrown inside the pool's DNS lookup; carries what E_URL_REFUSED needs. */
class AddressRefused extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${address} is ${reason}`);
  }
}

/** An HTTP status worth one more attempt (429, 5xx), with the delay the server asked for. */
class RetryableStatus extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | null,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Failures that another attempt cannot fix. */
class Final extends Error {
  constructor(readonly error: LogomillError) {
    super(error.message);
  }
}

/**
 * Waits one event-loop turn: undici hands a finished keep-alive socket back to its pool only
 * after a setImmediate, so a caller that fetches again at once would otherwise open a second
 * connection.
 */
const reusable = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A URL for messages: no credentials, no fragment, not endless. */
function shown(url: URL | string): string {
  let text = String(url);
  if (url instanceof URL) {
    const copy = new URL(url.href);
    copy.username = '';
    copy.password = '';
    copy.hash = '';
    text = copy.href;
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** A URL for messages, with the URL that redirected to it. */
function named(url: URL | string, via?: URL): string {
  return via ? `${shown(url)} (redirected from ${shown(via)})` : shown(url);
}

/** The delay a `Retry-After` header asks for (seconds or an HTTP date), in ms; null when absent or bad. */
function retryAfterMs(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Finds an AddressRefused anywhere in an error's cause chain (undici may wrap connect errors). */
function findRefusal(err: unknown): AddressRefused | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AddressRefused) return e;
  }
  return null;
}

function detail(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  // undici reports some socket errors as "fetch failed"/"other side closed" with the useful part in `cause`.
  return cause instanceof Error && cause.message && cause.message !== err.message
    ? `${err.message} (${cause.message})`
    : err.message;
}

/**
 * Creates a pooled HTTP client (one keep-alive undici Agent) that refuses to
 * reach non-public addresses unless `allowPrivate` is set.
 *
 * @example
 *   const http = createHttpClient({ allowPrivate: config.ALLOW_PRIVATE_URLS === 1 });
 *   const { data, contentType } = await http.fetchBytes('https://example.com/logo.png', { maxBytes: 20e6 });
 *   await http.postJson(job.webhook, status, { secret: process.env.WEBHOOK_SECRET });
 *   await http.close();
 */
export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const policy = opts.addressPolicy ?? addressPolicy(opts.allowPrivate ?? false);
  const hint = opts.addressPolicy ? '' : ' (set ALLOW_PRIVATE_URLS to allow)';
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 250;
  const maxRedirects = opts.maxRedirects ?? 3;
  const userAgent = opts.userAgent ?? `logomill/${VERSION}`;

  // Resolves like dns.lookup, then keeps only allowed addresses: the socket can only connect to
  // an address that passed the policy, whatever the name resolved to a moment earlier.
  const guardedLookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', undefined);
      const allowed = addresses.filter((a) => policy(a.address) === null);
      if (allowed.length === 0) {
        const first = addresses[0];
        const refusal = first
          ? new AddressRefused(first.address, policy(first.address) ?? 'refused')
          : Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return callback(refusal as NodeJS.ErrnoException, '', undefined);
      }
      if (options.all) callback(null, allowed);
      else callback(null, allowed[0].address, allowed[0].family);
    });
  };

  const agent = new Agent({
    connect: { lookup: guardedLookup, timeout: connectTimeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  /**
   * Parses and checks a URL before any connection: scheme, credentials, literal IP addresses.
   * A redirect's Location is resolved against `base`; `via` is the URL first asked for (messages).
   */
  function checkUrl(raw: string, verb: string, base?: URL, via?: URL): URL {
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      throw new LogomillError(
        'E_URL_REFUSED',
        `Refused to ${verb} ${named(raw, via)}: it is not a valid URL.`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new LogomillError(
        'E_URL_REFUSED',
        `Refused to ${verb} ${named(url, via)}: only http and https URLs are allowed, not ${url.protocol.slice(0, -1)}.`,
      );
    }
    if (url.username || url.password) {
      throw new LogomillError(
        'E_URL_REFUSED',
        `Refused to ${verb} ${named(url, via)}: URLs with a user name or password are not allowed.`,
      );
    }
    // WHATWG URL already turned 2130706433, 0x7f.1, ①②⑦.0.0.1 and friends into dotted quads. An IP
    // literal is exactly what net.connect dials without a DNS lookup, so it is checked here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const reason = isIP(host) ? policy(host) : null;
    if (reason !== null) {
      throw new LogomillError(
        'E_URL_REFUSED',
        `Refused to ${verb} ${named(url, via)}: ${host} is ${reason}${hint}.`,
      );
    }
    return url;
  }

  /** Maps an error of one attempt to a final LogomillError, or returns null when a retry may help. */
  function classify(err: unknown, url: URL, verb: string): LogomillError | null {
    if (err instanceof Final) return err.error;
    if (err instanceof LogomillError) return err;
    const code = (err as { code?: string } | null)?.code;
    if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED') {
      return new LogomillError(
        'E_FETCH_FAILED',
        `Could not ${verb} ${shown(url)}: the HTTP client is closed.`,
      );
    }
    // A name that does not exist will not exist a moment later either (EAI_AGAIN, a DNS hiccup, is retried).
    if (code === 'ENOTFOUND') {
      return new LogomillError('E_FETCH_FAILED', `Could not ${verb} ${shown(url)}: ${detail(err)}.`, {
        cause: err,
      });
    }
    return null;
  }

  /**
   * Runs `attempt` up to 1 + retries times with exponential backoff. Each attempt gets its own
   * deadline (timeoutMs) joined with the caller's signal.
   */
  async function withRetries<T>(
    url: URL,
    verb: string,
    signal: AbortSignal | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const attempts = retries + 1;
    let last = '';
    for (let n = 1; ; n++) {
      if (signal?.aborted) throw cancelled(url, verb, signal.reason);
      const ctrl = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ctrl.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => ctrl.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      let delay: number;
      try {
        return await attempt(ctrl.signal);
      } catch (err) {
        if (signal?.aborted) throw cancelled(url, verb, signal.reason);
        const final = classify(err, url, verb);
        if (final) throw final;
        let retryAfter: number | null = null;
        if (err instanceof RetryableStatus) {
          last = `HTTP ${err.status}`;
          retryAfter = err.retryAfterMs;
          if (retryAfter !== null && retryAfter > MAX_RETRY_AFTER_S * 1000) {
            throw new LogomillError(
              'E_FETCH_FAILED',
              `Could not ${verb} ${shown(url)}: HTTP ${err.status}, and the server asked to wait ${Math.ceil(retryAfter / 1000)} s.`,
            );
          }
        } else {
          last = timedOut ? `timed out after ${timeoutMs} ms` : detail(err);
        }
        if (n >= attempts) {
          const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
          throw new LogomillError('E_FETCH_FAILED', `Could not ${verb} ${shown(url)}: ${last} (${tries}).`, {
            cause: err,
          });
        }
        const backoff = backoffMs * 2 ** (n - 1) * (0.5 + Math.random() / 2);
        delay = retryAfter ?? backoff;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      try {
        await sleep(delay, signal);
      } catch {
        throw cancelled(url, verb, signal?.reason);
      }
    }
  }

  function cancelled(url: URL, verb: string, reason: unknown): LogomillError {
    return new LogomillError('E_ABORTED', `Stopped trying to ${verb} ${shown(url)}: it was cancelled.`, {
      cause: reason,
    });
  }

  /**
   * One request on the pool. A refusal from the guarded DNS lookup becomes a final E_URL_REFUSED
   * naming this hop; other errors go to the retry loop.
   */
  async function send(
    url: URL,
    verb: string,
    via: URL | undefined,
    options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
  ) {
    try {
      return await agent.request({ ...options, origin: url.origin, path: `${url.pathname}${url.search}` });
    } catch (err) {
      const refusal = findRefusal(err);
      if (!refusal) throw err;
      throw new Final(
        new LogomillError(
          'E_URL_REFUSED',
          `Refused to ${verb} ${named(url, via)}: ${url.hostname} resolves to ${refusal.address}, which is ${refusal.reason}${hint}.`,
        ),
      );
    }
  }

  /** Throws for statuses that end (Final) or may retry (RetryableStatus) an attempt. */
  function checkStatus(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    url: URL,
    verb: string,
  ) {
    if (status === 429 || status >= 500) {
      throw new RetryableStatus(status, retryAfterMs(headers['retry-after']));
    }
    if (status >= 400) {
      throw new Final(
        new LogomillError('E_FETCH_FAILED', `Could not ${verb} ${shown(url)}: HTTP ${status}.`),
      );
    }
  }

  async function fetchBytes(
    rawUrl: string,
    { maxBytes, signal }: { maxBytes: number; signal?: AbortSignal },
  ): Promise<FetchedBytes> {
    const verb = 'fetch';
    const start = checkUrl(rawUrl, verb);
    return withRetries(start, verb, signal, async (attemptSignal) => {
      let url = start;
      for (let hop = 0; ; hop++) {
        const res = await send(url, verb, url === start ? undefined : start, {
          method: 'GET',
          headers: { 'user-agent': userAgent, accept: '*/*' },
          signal: attemptSignal,
        });
        const { statusCode: status, headers, body } = res;
        if (REDIRECT_STATUSES.has(status)) {
          await body.dump().catch(() => {});
          const location = header(headers.location);
          if (!location) {
            throw new Final(
              new LogomillError(
                'E_FETCH_FAILED',
                `Could not fetch ${shown(url)}: HTTP ${status} without a Location.`,
              ),
            );
          }
          if (hop >= maxRedirects) {
            throw new Final(
              new LogomillError(
                'E_FETCH_FAILED',
                `Could not fetch ${shown(start)}: more than ${maxRedirects} redirects (last to ${shown(location)}).`,
              ),
            );
          }
          url = checkUrl(location, verb, url, start);
          continue;
        }
        if (status < 200 || status >= 300) {
          await body.dump().catch(() => {});
          checkStatus(status, headers, url, verb);
          throw new Final(
            new LogomillError('E_FETCH_FAILED', `Could not fetch ${shown(url)}: HTTP ${status}.`),
          );
        }
        const declared = Number(header(headers['content-length']) ?? Number.NaN);
        if (declared > maxBytes) {
          body.destroy();
          throw new Final(
            new LogomillError(
              'E_TOO_LARGE',
              `${shown(url)} is ${declared} bytes, over the ${maxBytes}-byte limit for a download.`,
            ),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of body) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            // Destroying the body mid-response aborts the request and closes its socket.
            body.destroy();
            throw new Final(
              new LogomillError(
                'E_TOO_LARGE',
                `${shown(url)} sent more than the ${maxBytes}-byte limit for a download.`,
              ),
            );
          }
          chunks.push(chunk as Buffer);
        }
        await reusable();
        return {
          data: Buffer.concat(chunks, size),
          contentType: header(headers['content-type']),
          finalUrl: url.href,
        };
      }
    });
  }

  async function postJson(
    rawUrl: string,
    payload: unknown,
    { secret, signal }: { secret?: string; signal?: AbortSignal } = {},
  ): Promise<{ status: number }> {
    const verb = 'post to';
    const url = checkUrl(rawUrl, verb);
    const text = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      'content-type': 'application/json',
    };
    if (secret) headers[SIGNATURE_HEADER] = signBody(text, secret);
    return withRetries(url, verb, signal, async (attemptSignal) => {
      const res = await send(url, verb, undefined, {
        method: 'POST',
        headers,
        body: text,
        signal: attemptSignal,
      });
      await res.body.dump().catch(() => {});
      checkStatus(res.statusCode, res.headers, url, verb);
      await reusable();
      return { status: res.statusCode };
    });
  }

  async function checkTarget(raw: string, verb: string): Promise<void> {
    const url = checkUrl(raw, verb);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return; // checked by checkUrl
    await new Promise<void>((resolve, reject) => {
      guardedLookup(host, { all: true }, (err) => {
        if (!err) return resolve();
        const refusal = findRefusal(err);
        reject(
          new LogomillError(
            'E_URL_REFUSED',
            refusal
              ? `Refused to ${verb} ${named(url)}: ${host} resolves to ${refusal.address}, ${refusal.reason}${hint}.`
              : `Refused to ${verb} ${named(url)}: ${host} does not resolve.`,
          ),
        );
      });
    });
  }

  return {
    fetchBytes,
    postJson,
    checkTarget,
    close: () => agent.close(),
  };
}

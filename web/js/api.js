// @ts-check
// ---------------------------------------------------------------------------------------------
// API: fetch with the key, errors in one shape

const KEY_STORAGE = 'logomill.apiKey';

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {string | null} [retryAfter]
   */
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function apiKey() {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

/**
 * Stores the key (an empty one removes it).
 * @param {string} key
 */
export function saveApiKey(key) {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage may be disabled; the key then lasts until the page is closed
  }
}

/**
 * A same-origin URL with extra query parameters and the API key as `?key=` (for links and EventSource).
 * @param {string} url
 * @param {Record<string, string>} [extra]
 */
export function withKey(url, extra = {}) {
  const u = new URL(url, location.href);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  const key = apiKey();
  if (key) u.searchParams.set('key', key);
  return u.origin === location.origin ? u.pathname + u.search : u.href;
}

/**
 * Calls the API; the parsed JSON answer, or an ApiError.
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
export async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  const key = apiKey();
  if (key) headers.set('X-API-Key', key);
  let res;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'E_NETWORK', 'Could not reach the server. Check the connection and try again.');
  }
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = body?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `HTTP ${res.status}`,
      err?.message ?? `The server answered ${res.status} ${res.statusText}.`.replace(' .', '.'),
      res.headers.get('Retry-After'),
    );
  }
  return body;
}

/** @param {unknown} err */
export function describeError(err) {
  if (!(err instanceof ApiError)) {
    return String(err instanceof Error ? err.message : err);
  }
  let msg = err.message;
  if (err.status === 401) msg += ' Enter the API key for this server (top right) and try again.';
  if (err.retryAfter) msg += ` Try again in ${err.retryAfter} s.`;
  return msg;
}

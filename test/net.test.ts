/**
 * The outbound HTTP client against real local servers (127.0.0.1, port 0):
 * the SSRF address policy (unit-tested on many addresses, since a client that
 * refuses private addresses cannot reach a local server at all), refusals
 * before and at connect time, redirects re-checked per hop, retries, time
 * limits, size limits, keep-alive reuse, webhook signatures and close().
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { LogomillError } from '../src/errors.js';
import { addressPolicy, isPublicAddress, refusalReason } from '../src/net/address-policy.js';
import { createHttpClient, type HttpClient } from '../src/net/http-client.js';

interface TestServer {
  url: string;
  port: number;
  /** Requests and TCP connections seen so far. */
  requests: number;
  connections: number;
  closedConnections: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
const clients: HttpClient[] = [];

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
  host = '127.0.0.1',
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    state.requests++;
    handler(req, res, state.requests);
  });
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => {
      state.closedConnections++;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const state: TestServer = {
    url: `http://${host}:${port}`,
    port,
    requests: 0,
    connections: 0,
    closedConnections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(state);
  return state;
}

function client(opts: Parameters<typeof createHttpClient>[0]): HttpClient {
  const c = createHttpClient({ connectTimeoutMs: 500, timeoutMs: 2000, backoffMs: 5, ...opts });
  clients.push(c);
  return c;
}

/** Asserts that `promise` rejects with a LogomillError of `code`; returns it for more checks. */
async function rejectsWith(promise: Promise<unknown>, code: string): Promise<LogomillError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof LogomillError, `expected a LogomillError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

const waitFor = async (check: () => boolean, ms = 1000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return check();
};

after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await Promise.all(servers.map((s) => s.close()));
});

describe('address policy', () => {
  test('refuses every non-public address, with the reason', () => {
    const refused: Record<string, RegExp> = {
      '127.0.0.1': /loopback/,
      '127.255.0.9': /loopback/,
      '::1': /loopback/,
      '10.1.2.3': /private/,
      '172.16.0.1': /private/,
      '172.31.255.255': /private/,
      '192.168.1.1': /private/,
      'fc00::1': /private/,
      'fd12:3456::1': /private/,
      '169.254.169.254': /link-local/,
      'fe80::1': /link-local/,
      'fe80::1%eth0': /link-local/,
      '0.0.0.0': /unspecified/,
      '0.1.2.3': /unspecified/,
      '::': /unspecified/,
      '100.64.0.1': /carrier-grade NAT/,
      '100.127.255.255': /carrier-grade NAT/,
      '224.0.0.1': /multicast/,
      'ff02::1': /multicast/,
      '255.255.255.255': /broadcast/,
      '240.0.0.1': /reserved/,
      '192.0.2.1': /documentation/,
      '2001:db8::1': /documentation/,
      '100::1': /reserved/,
      '::ffff:127.0.0.1': /loopback address \(127\.0\.0\.1, IPv4-mapped\)/,
      '::ffff:7f00:1': /loopback address \(127\.0\.0\.1, IPv4-mapped\)/,
      '::ffff:a9fe:a9fe': /link-local address \(169\.254\.169\.254, IPv4-mapped\)/,
      '::ffff:0:10.0.0.1': /private address \(10\.0\.0\.1, IPv4-translated\)/,
      '::127.0.0.1': /loopback address \(127\.0\.0\.1, IPv4-compatible\)/,
      '64:ff9b::127.0.0.1': /loopback address \(127\.0\.0\.1, NAT64\)/,
      '64:ff9b::a9fe:a9fe': /link-local address \(169\.254\.169\.254, NAT64\)/,
      '64:ff9b:1::1': /local-use NAT64/,
      '2002:c0a8:0101::1': /private address \(192\.168\.1\.1, 6to4\)/,
      localhost: /not an IP address/,
      '1.2.3': /not an IP address/,
    };
    for (const [address, reason] of Object.entries(refused)) {
      assert.match(refusalReason(address) ?? 'allowed', reason, address);
      assert.equal(isPublicAddress(address), false, address);
    }
  });

  test('lets public unicast addresses through, and everything when private is allowed', () => {
    const allowed = [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.215.14',
      '100.63.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.167.255.255',
      '223.255.255.255',
      '2606:4700:4700::1111',
      '2a00:1450:4001::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::8.8.8.8',
      '2002:0808:0808::1',
    ];
    for (const address of allowed) assert.equal(refusalReason(address), null, address);
    assert.equal(addressPolicy(true)('127.0.0.1'), null);
    assert.equal(addressPolicy(false)('127.0.0.1'), 'a loopback address');
  });
});

describe('fetchBytes', () => {
  test('fetches bytes and the content type (private addresses allowed)', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const server = await serve((req, res) => {
      assert.equal(req.method, 'GET');
      assert.match(req.headers['user-agent'] ?? '', /^logomill\//);
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    const http = client({ allowPrivate: true });
    const got = await http.fetchBytes(`${server.url}/logo.png?v=1`, { maxBytes: 1000 });
    assert.ok(got.data.equals(png));
    assert.equal(got.contentType, 'image/png');
    assert.equal(got.finalUrl, `${server.url}/logo.png?v=1`);
  });

  test('refuses non-public addresses, other schemes and credentials before connecting', async () => {
    const server = await serve((_req, res) => res.end('secret'));
    const http = client({});
    const cases: [string, RegExp][] = [
      [`${server.url}/x`, /127\.0\.0\.1 is a loopback address \(set ALLOW_PRIVATE_URLS to allow\)/],
      [`http://[::1]:${server.port}/x`, /::1 is a loopback address/],
      ['http://10.1.2.3/x', /10\.1\.2\.3 is a private address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
      [`http://[::ffff:127.0.0.1]:${server.port}/x`, /loopback address \(127\.0\.0\.1, IPv4-mapped\)/],
      [`http://2130706433:${server.port}/x`, /127\.0\.0\.1 is a loopback/],
      [`http://0x7f.1:${server.port}/x`, /127\.0\.0\.1 is a loopback/],
      [`http://127.0.0.1.:${server.port}/x`, /127\.0\.0\.1 is a loopback/],
      [`http://[0:0:0:0:0:ffff:127.0.0.1]:${server.port}/x`, /IPv4-mapped/],
      ['ftp://example.com/logo.png', /only http and https URLs are allowed, not ftp/],
      ['file:///etc/passwd', /only http and https/],
      ['not a url', /not a valid URL/],
    ];
    for (const [url, message] of cases) {
      const err = await rejectsWith(http.fetchBytes(url, { maxBytes: 1000 }), 'E_URL_REFUSED');
      assert.match(err.message, /^Refused to fetch /);
      assert.match(err.message, message, url);
    }
    const creds = await rejectsWith(
      http.fetchBytes(`http://user:hunter2@${server.url.slice(7)}/x`, { maxBytes: 1000 }),
      'E_URL_REFUSED',
    );
    assert.match(creds.message, /user name or password/);
    assert.doesNotMatch(creds.message, /hunter2/, 'the message never repeats a password');
    assert.equal(server.connections, 0);
  });

  test('a name that resolves to loopback is refused at connect time (DNS lookup)', async () => {
    const server = await serve((_req, res) => res.end('secret'));
    const http = client({});
    const err = await rejectsWith(
      http.fetchBytes(`http://localhost:${server.port}/x`, { maxBytes: 1000 }),
      'E_URL_REFUSED',
    );
    assert.match(err.message, /localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/);
    assert.equal(server.connections, 0);
  });

  test('a name is connected only to the addresses the policy allows', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const http = client({ addressPolicy: (ip) => (ip === '127.0.0.1' ? null : 'not the test server') });
    const got = await http.fetchBytes(`http://localhost:${server.port}/x`, { maxBytes: 1000 });
    assert.equal(got.data.toString(), 'ok');
  });

  test('follows redirects, checking every hop', async () => {
    const target = await serve((_req, res) => res.end('target'));
    const server = await serve((req, res) => {
      const to: Record<string, string> = {
        '/a': '/b',
        '/b': `${target.url}/final`,
        '/loop': '/loop',
        '/private': `http://127.0.0.2:${target.port}/x`,
        '/mapped': `http://[::ffff:7f00:2]:${target.port}/x`,
        '/ftp': 'ftp://example.com/x',
      };
      const location = to[req.url ?? ''];
      res.writeHead(location ? 302 : 404, location ? { location } : {}).end();
    });
    const http = client({ addressPolicy: (ip) => (ip === '127.0.0.1' ? null : 'outside the test') });
    const got = await http.fetchBytes(`${server.url}/a`, { maxBytes: 1000 });
    assert.equal(got.data.toString(), 'target');
    assert.equal(got.finalUrl, `${target.url}/final`);

    for (const path of ['/private', '/mapped']) {
      const err = await rejectsWith(
        http.fetchBytes(`${server.url}${path}`, { maxBytes: 1000 }),
        'E_URL_REFUSED',
      );
      assert.match(
        err.message,
        new RegExp(`\\(redirected from ${server.url}${path}\\): .* is outside the test\\.$`),
      );
    }
    await rejectsWith(http.fetchBytes(`${server.url}/ftp`, { maxBytes: 1000 }), 'E_URL_REFUSED');
    const loop = await rejectsWith(
      http.fetchBytes(`${server.url}/loop`, { maxBytes: 1000 }),
      'E_FETCH_FAILED',
    );
    assert.match(loop.message, /more than 3 redirects/);
    assert.equal(target.requests, 1, 'refused hops never reach the target');
  });

  test('a redirect to a name that resolves to a refused address is refused at lookup', async (t) => {
    let server: TestServer;
    try {
      server = await serve(
        (_req, res) => res.writeHead(302, { location: `http://localhost:${target.port}/x` }).end(),
        '127.0.0.2',
      );
    } catch {
      t.skip('127.0.0.2 is not available here');
      return;
    }
    const target = await serve((_req, res) => res.end('secret'));
    const http = client({ addressPolicy: (ip) => (ip === '127.0.0.2' ? null : 'not allowed here') });
    const err = await rejectsWith(http.fetchBytes(`${server.url}/`, { maxBytes: 1000 }), 'E_URL_REFUSED');
    assert.match(err.message, /localhost resolves to .*, which is not allowed here/);
    assert.equal(target.connections, 0);
  });

  test('retries 5xx with backoff, then succeeds', async () => {
    const server = await serve((_req, res, n) => (n <= 2 ? res.writeHead(503).end('busy') : res.end('ok')));
    const http = client({ allowPrivate: true });
    const got = await http.fetchBytes(`${server.url}/x`, { maxBytes: 1000 });
    assert.equal(got.data.toString(), 'ok');
    assert.equal(server.requests, 3);
  });

  test('gives up after the retries with the last status', async () => {
    const server = await serve((_req, res) => res.writeHead(502).end());
    const http = client({ allowPrivate: true, retries: 1 });
    const err = await rejectsWith(http.fetchBytes(`${server.url}/x`, { maxBytes: 1000 }), 'E_FETCH_FAILED');
    assert.match(err.message, new RegExp(`^Could not fetch ${server.url}/x: HTTP 502 \\(2 attempts\\)\\.$`));
    assert.equal(server.requests, 2);
  });

  test('429 honours a short Retry-After and gives up at once on a long one', async () => {
    const short = await serve((_req, res, n) =>
      n === 1 ? res.writeHead(429, { 'retry-after': '0' }).end() : res.end('ok'),
    );
    const long = await serve((_req, res) => res.writeHead(429, { 'retry-after': '60' }).end());
    const http = client({ allowPrivate: true });
    assert.equal((await http.fetchBytes(`${short.url}/`, { maxBytes: 10 })).data.toString(), 'ok');
    const err = await rejectsWith(http.fetchBytes(`${long.url}/`, { maxBytes: 10 }), 'E_FETCH_FAILED');
    assert.match(err.message, /HTTP 429, and the server asked to wait 60 s/);
    assert.equal(long.requests, 1);
  });

  test('never retries a 404', async () => {
    const server = await serve((_req, res) => res.writeHead(404).end('nope'));
    const http = client({ allowPrivate: true });
    const err = await rejectsWith(
      http.fetchBytes(`${server.url}/missing.png`, { maxBytes: 1000 }),
      'E_FETCH_FAILED',
    );
    assert.match(err.message, /missing\.png: HTTP 404\.$/);
    assert.equal(server.requests, 1);
  });

  test('a server that never answers times out on every attempt', async () => {
    const server = await serve(() => {}); // holds every request open
    const http = client({ allowPrivate: true, timeoutMs: 150, retries: 1 });
    const started = Date.now();
    const err = await rejectsWith(
      http.fetchBytes(`${server.url}/slow`, { maxBytes: 1000 }),
      'E_FETCH_FAILED',
    );
    const took = Date.now() - started;
    assert.match(err.message, /timed out after 150 ms \(2 attempts\)/);
    assert.ok(took >= 290 && took < 1500, `took ${took} ms`);
    assert.equal(server.requests, 2);
  });

  test('a refused connection is a network error, retried then reported', async () => {
    const gone = await serve(() => {});
    await gone.close();
    const http = client({ allowPrivate: true, retries: 1 });
    const err = await rejectsWith(http.fetchBytes(`${gone.url}/x`, { maxBytes: 1000 }), 'E_FETCH_FAILED');
    assert.match(err.message, /ECONNREFUSED.*\(2 attempts\)/);
  });

  test('a Content-Length over the limit is refused without reading the body', async () => {
    const server = await serve((_req, res) =>
      res.writeHead(200, { 'content-length': 100_000 }).end(Buffer.alloc(100_000)),
    );
    const http = client({ allowPrivate: true });
    const err = await rejectsWith(http.fetchBytes(`${server.url}/big`, { maxBytes: 1000 }), 'E_TOO_LARGE');
    assert.match(err.message, /is 100000 bytes, over the 1000-byte limit/);
    assert.equal(server.requests, 1, 'too large is never retried');
  });

  test('a streamed body is cut off as soon as it passes the limit, closing the connection', async () => {
    let finished = false;
    let closed = false;
    let socket: Socket | undefined;
    const server = await serve((req, res) => {
      socket = req.socket;
      res.writeHead(200, { 'content-type': 'image/png' }); // no length: chunked
      const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024)), 2);
      res.on('close', () => {
        clearInterval(timer);
        finished = res.writableFinished;
        closed = true;
      });
    });
    const http = client({ allowPrivate: true });
    const err = await rejectsWith(
      http.fetchBytes(`${server.url}/endless`, { maxBytes: 50_000 }),
      'E_TOO_LARGE',
    );
    assert.match(err.message, /sent more than the 50000-byte limit/);
    assert.ok(await waitFor(() => closed), 'the server sees the connection close');
    assert.equal(finished, false);
    assert.ok(await waitFor(() => socket?.destroyed === true), 'the socket that served it is gone');
    assert.equal(server.requests, 1);
  });

  test('sequential fetches reuse one keep-alive connection', async () => {
    const server = await serve((_req, res) => res.end('x'.repeat(1000)));
    const http = client({ allowPrivate: true });
    for (let i = 0; i < 5; i++) await http.fetchBytes(`${server.url}/${i}`, { maxBytes: 10_000 });
    assert.equal(server.requests, 5);
    assert.equal(server.connections, 1);
  });

  test('a cancelled signal stops the fetch with E_ABORTED', async () => {
    const server = await serve(() => {});
    const http = client({ allowPrivate: true });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 30);
    await rejectsWith(http.fetchBytes(`${server.url}/x`, { maxBytes: 10, signal: ctrl.signal }), 'E_ABORTED');
    assert.equal(server.requests, 1);
  });
});

describe('postJson', () => {
  test('sends JSON with a signature the receiver can verify', async () => {
    const secret = 'whsec-test';
    const seen: { body: string; type?: string; signature?: string }[] = [];
    const server = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          body: Buffer.concat(chunks).toString(),
          type: req.headers['content-type'],
          signature: req.headers['x-logomill-signature'] as string | undefined,
        });
        res.writeHead(204).end();
      });
    });
    const http = client({ allowPrivate: true });
    const payload = { id: 'job1', state: 'completed', items: [{ name: 'ü.png' }] };
    assert.deepEqual(await http.postJson(`${server.url}/hook`, payload, { secret }), { status: 204 });
    assert.deepEqual(await http.postJson(`${server.url}/hook`, payload), { status: 204 });

    const [signed, unsigned] = seen;
    assert.equal(signed.type, 'application/json');
    assert.deepEqual(JSON.parse(signed.body), payload);
    const expected = `sha256=${createHmac('sha256', secret).update(signed.body).digest('hex')}`;
    assert.ok(signed.signature && timingSafeEqual(Buffer.from(signed.signature), Buffer.from(expected)));
    assert.equal(unsigned.signature, undefined);
  });

  test('retries a 500, reports a 400, and refuses private addresses', async () => {
    const flaky = await serve((req, res, n) => {
      req.resume();
      res.writeHead(n === 1 ? 500 : 200).end();
    });
    const bad = await serve((req, res) => {
      req.resume();
      res.writeHead(400).end();
    });
    const http = client({ allowPrivate: true });
    assert.deepEqual(await http.postJson(`${flaky.url}/`, { a: 1 }), { status: 200 });
    assert.equal(flaky.requests, 2);
    const err = await rejectsWith(http.postJson(`${bad.url}/`, { a: 1 }), 'E_FETCH_FAILED');
    assert.match(err.message, /^Could not post to .*: HTTP 400\.$/);
    assert.equal(bad.requests, 1);

    const strict = client({});
    const refused = await rejectsWith(strict.postJson(`${bad.url}/`, {}), 'E_URL_REFUSED');
    assert.match(
      refused.message,
      /^Refused to post to http:\/\/127\.0\.0\.1:\d+\/: 127\.0\.0\.1 is a loopback address/,
    );
  });
});

describe('close', () => {
  test('closes pooled connections; later requests fail', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const http = createHttpClient({ allowPrivate: true });
    await http.fetchBytes(`${server.url}/`, { maxBytes: 10 });
    assert.equal(server.closedConnections, 0, 'the connection stays open for reuse');
    await http.close();
    assert.ok(await waitFor(() => server.closedConnections === 1), 'close() ends the keep-alive connection');
    const err = await rejectsWith(http.fetchBytes(`${server.url}/`, { maxBytes: 10 }), 'E_FETCH_FAILED');
    assert.match(err.message, /the HTTP client is closed/);
  });
});

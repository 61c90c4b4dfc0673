/**
 * Which IP addresses the service may contact on a caller's behalf. A logo URL
 * or webhook comes from outside, so without this check it could make the
 * server reach its own loopback, the cloud metadata endpoint (169.254.169.254)
 * or the private network behind it (SSRF). Only globally routable unicast
 * addresses pass; IPv6 forms that embed an IPv4 address (mapped, compatible,
 * NAT64, 6to4) are judged by the IPv4 address inside them.
 */
import { isIP } from 'node:net';

/**
 * Says why an address is refused (a phrase such as "a loopback address"), or
 * null to allow it. The HTTP client takes one so tests and deployments can
 * choose; see {@link addressPolicy}.
 */
export type AddressPolicy = (address: string) => string | null;

interface V4Range {
  base: number;
  bits: number;
  reason: string;
}

function v4(cidr: string, reason: string): V4Range {
  const [addr, bits] = cidr.split('/');
  return { base: parseV4(addr)!, bits: Number(bits), reason };
}

/** Checked in order: the first match names the reason. */
const V4_RANGES: V4Range[] = [
  v4('0.0.0.0/8', 'an unspecified ("this network") address'),
  v4('10.0.0.0/8', 'a private address'),
  v4('100.64.0.0/10', 'a carrier-grade NAT (shared) address'),
  v4('127.0.0.0/8', 'a loopback address'),
  v4('169.254.0.0/16', 'a link-local address'),
  v4('172.16.0.0/12', 'a private address'),
  v4('192.0.0.0/24', 'a reserved (IETF protocol) address'),
  v4('192.0.2.0/24', 'a reserved (documentation) address'),
  v4('192.168.0.0/16', 'a private address'),
  v4('198.18.0.0/15', 'a reserved (benchmarking) address'),
  v4('198.51.100.0/24', 'a reserved (documentation) address'),
  v4('203.0.113.0/24', 'a reserved (documentation) address'),
  v4('224.0.0.0/4', 'a multicast address'),
  v4('255.255.255.255/32', 'a broadcast address'),
  v4('240.0.0.0/4', 'a reserved address'),
];

/** Dotted-quad IPv4 to an unsigned 32-bit number; null when it is not one. */
function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

function inV4(n: number, range: V4Range): boolean {
  const size = 2 ** (32 - range.bits);
  return Math.floor(n / size) === Math.floor(range.base / size);
}

function v4Reason(n: number): string | null {
  for (const range of V4_RANGES) if (inV4(n, range)) return range.reason;
  return null;
}

function v4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** IPv6 text (with `::`, an IPv4 tail or a `%zone`) to eight 16-bit groups; null when it is not one. */
function parseV6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const n = parseV4(s.slice(lastColon + 1));
    if (n === null) return null;
    tail.push(n >>> 16, n & 0xffff);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, null];
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const fill = rest === null ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const all = [...left, ...fill, ...right];
  if (all.length !== 8 || all.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  if (tail.length) all.splice(6, 2, tail[0], tail[1]);
  return all;
}

function zeros(groups: number[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (groups[i] !== 0) return false;
  return true;
}

function embeddedV4(g: number[], at: number): number {
  return g[at] * 0x10000 + g[at + 1];
}

function describeEmbedded(kind: string, n: number): string | null {
  const reason = v4Reason(n);
  return reason === null ? null : `${reason} (${v4Text(n)}, ${kind})`;
}

function v6Reason(g: number[]): string | null {
  if (zeros(g, 0, 8)) return 'an unspecified address';
  if (zeros(g, 0, 7) && g[7] === 1) return 'a loopback address';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), ::ffff:0:a.b.c.d (translated): the OS may
  // route them to the IPv4 address inside, so they get its verdict.
  if (zeros(g, 0, 5) && g[5] === 0xffff) return describeEmbedded('IPv4-mapped', embeddedV4(g, 6));
  if (zeros(g, 0, 6)) return describeEmbedded('IPv4-compatible', embeddedV4(g, 6));
  if (zeros(g, 0, 4) && g[4] === 0xffff && g[5] === 0)
    return describeEmbedded('IPv4-translated', embeddedV4(g, 6));
  // 64:ff9b::/96: a NAT64 gateway turns it into the IPv4 address in the last 32 bits.
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(g, 2, 6)) return describeEmbedded('NAT64', embeddedV4(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'a local-use NAT64 address';
  // 2002::/16 (6to4) carries an IPv4 address in bits 16–48.
  if (g[0] === 0x2002) return describeEmbedded('6to4', embeddedV4(g, 1));
  if ((g[0] & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((g[0] & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g[0] & 0xffc0) === 0xfec0) return 'a private (site-local) address';
  if ((g[0] & 0xff00) === 0xff00) return 'a multicast address';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'a reserved (documentation) address';
  // Everything outside 2000::/3 is not global unicast (discard-only 100::/64, unassigned space).
  if ((g[0] & 0xe000) !== 0x2000) return 'a reserved address';
  return null;
}

/**
 * Why `address` is not a public unicast address, or null when it is one.
 * Text that is not an IP address is refused too, so a caller can never
 * mistake a hostname for a checked address.
 *
 * @example
 *   refusalReason('127.0.0.1');        // 'a loopback address'
 *   refusalReason('::ffff:10.0.0.1');  // 'a private address (10.0.0.1, IPv4-mapped)'
 *   refusalReason('93.184.215.14');    // null
 */
export function refusalReason(address: string): string | null {
  const n = parseV4(address);
  if (n !== null) return v4Reason(n);
  const g = parseV6(address);
  if (g !== null) return v6Reason(g);
  return 'not an IP address';
}

/** True for a public unicast address (what {@link refusalReason} lets through). */
export function isPublicAddress(address: string): boolean {
  return refusalReason(address) === null;
}

/** The policy for a deployment: refuse non-public addresses unless `allowPrivate` (local development). */
export function addressPolicy(allowPrivate = false): AddressPolicy {
  return allowPrivate ? () => null : refusalReason;
}

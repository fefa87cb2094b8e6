import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { InvalidInputError } from '@tandem/core';
import ipaddr from 'ipaddr.js';
import type { ResolveHost } from './policy.ts';

/** The URL as checked, with the one address deliveries may connect to. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class UnsafeUrlError extends InvalidInputError {
  constructor(reason: string) {
    super(`This webhook URL is not allowed: ${reason}`, [{ field: '/url', message: reason }]);
  }
}

const resolveAll: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * The SSRF guard, run at registration and before every attempt (DNS answers change). Only
 * https to public unicast addresses, unless the policy allows http and loopback (local runs).
 * Every address the name resolves to must pass; the caller then connects to the checked one.
 */
export async function checkTarget(
  raw: string,
  options: { allowInsecure: boolean; resolve?: ResolveHost | undefined },
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('not a URL');
  }
  if (url.protocol !== 'https:' && !(options.allowInsecure && url.protocol === 'http:'))
    throw new UnsafeUrlError('must use https');
  if (url.username || url.password) throw new UnsafeUrlError('must not carry credentials');

  // WHATWG parsing already turned 0x7f000001, 2130706433 or 127.1 into 127.0.0.1.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await (options.resolve ?? resolveAll)(host).catch(() => {
        throw new UnsafeUrlError(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw new UnsafeUrlError(`${host} does not resolve`);
  for (const { address } of addresses) {
    const range = rangeOf(address);
    if (range !== 'unicast' && !(options.allowInsecure && range === 'loopback'))
      throw new UnsafeUrlError(`${host} resolves to a ${range} address (${address})`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

const globalUnicast = ipaddr.parseCIDR('2000::/3');
const ipv4Compatible = ipaddr.parseCIDR('::/96');
const wellKnownNat64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * ipaddr.js's range name of an address, `unicast` only for one deliveries may reach.
 * IPv6 must be global unicast (2000::/3), which leaves out IPv4-compatible `::a.b.c.d`,
 * site-local and every other prefix ipaddr.js has no name for. Forms that carry an IPv4
 * address are refused (IPv4-mapped, Teredo, local-use NAT64) unless the carrier is one a
 * public network routes, well-known NAT64 or 6to4, and the IPv4 address inside is public.
 */
function rangeOf(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range();
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const bytes = v6.toByteArray();
  if (range === 'rfc6052' && v6.match(wellKnownNat64)) return carrying(range, bytes.slice(12, 16));
  if (range === '6to4') return carrying(range, bytes.slice(2, 6));
  if (range !== 'unicast') return range;
  if (v6.match(ipv4Compatible)) return 'ipv4Compatible';
  return v6.match(globalUnicast) ? 'unicast' : 'reserved';
}

function carrying(carrier: string, embedded: number[]): string {
  const inner = ipaddr.fromByteArray(embedded).range();
  return inner === 'unicast' ? 'unicast' : `${carrier}-embedded ${inner}`;
}

/**
 * The socket's DNS lookup for a checked target: it answers with the checked address only, so a
 * second DNS answer between the check and the connection cannot send the request elsewhere.
 */
export function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

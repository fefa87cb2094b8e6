import { lookup } from 'node:dns/promises';
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

/** ipaddr.js's range name, looking through IPv4-mapped and NAT64 IPv6 forms to the IPv4 inside. */
function rangeOf(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.range() === 'rfc6052' || v6.range() === '6to4' || v6.range() === 'teredo') return v6.range();
  }
  return parsed.range();
}

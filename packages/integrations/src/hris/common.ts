import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EmployeeChange, HrisFieldMapping, HrisSecret } from '@tandem/core';

/** A delivery as it reached Tandem: the exact bytes (signatures cover them) and lower-cased headers. */
export interface InboundDelivery {
  body: Buffer;
  headers: Record<string, string | undefined>;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** What a verified delivery asks of Tandem. */
export type Reading =
  | { kind: 'ignored'; eventType?: string | undefined; reason: string }
  | { kind: 'changes'; eventType: string; changes: EmployeeChange[] }
  /** The payload only names the employee: their data is fetched through the provider's API. */
  | { kind: 'fetch'; eventType: string; externalIds: string[] };

/** A provider's ping or subscription check, answered 200 before any signature is checked. */
export interface Handshake {
  reason: string;
  /** Gusto's verification token: the key its later deliveries are signed with. */
  signingKey?: string;
}

export interface HrisProviderModule {
  /** Answered before verification: the request is the provider's own check of the URL. */
  handshake?(delivery: InboundDelivery): Handshake | undefined;
  verify(delivery: InboundDelivery, secrets: readonly HrisSecret[], now: Date): Verdict;
  /** The provider's event id, where it sends one; otherwise the body's hash stands for it. */
  eventId?(delivery: InboundDelivery): string | undefined;
  read(delivery: InboundDelivery, mapping: HrisFieldMapping): Reading;
  /**
   * The deliveries are pokes that carry no time or id (Rippling, Workday): two alike are two
   * changes, not a redelivery, so they are not deduplicated (fetching twice is harmless).
   */
  pokes?: true;
}

/** Replay window where the signature covers a timestamp (the reference libraries' default). */
export const TOLERANCE_SECONDS = 300;

export const hmac = (algorithm: 'sha256' | 'sha512', key: string | Buffer, ...parts: (string | Buffer)[]) => {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
};

export const sha256Hex = (...parts: (string | Buffer)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

/** Constant-time equality of two byte strings of possibly different lengths. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether any secret's `sign` equals the presented signature bytes. */
export function anyKeySigns(
  secrets: readonly HrisSecret[],
  presented: Buffer[],
  sign: (key: string) => Buffer,
): boolean {
  const keys = secrets.flatMap((s) => (s.value ? [s.value] : []));
  return keys.some((key) => {
    const expected = sign(key);
    return presented.some((p) => sameBytes(p, expected));
  });
}

/** Epoch seconds or an ISO-8601 instant (BambooHR sends either; `+0000` offsets too), as a Date. */
export function parseInstant(value: string | number | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number' || /^\d{9,11}$/.test(value)) return new Date(Number(value) * 1000);
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const parsed = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

export function fresh(timestamp: string | undefined, now: Date): Verdict {
  const at = parseInstant(timestamp);
  if (!at) return { ok: false, reason: 'missing or unreadable signed timestamp' };
  if (Math.abs(now.getTime() - at.getTime()) > TOLERANCE_SECONDS * 1000)
    return { ok: false, reason: `signed timestamp is more than ${TOLERANCE_SECONDS} s away from now` };
  return { ok: true };
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string, or a `{ value }` wrapper's string (BambooHR's permissioned webhooks), or a name object's name. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (isRecord(value)) return textOf(value.value ?? value.name);
  return undefined;
}

/** The value at a dotted path (`custom_fields.cost_center`), for field mapping overrides. */
export function at(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** Drops undefined members, so a snapshot states only what the payload said. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export const ignored = (reason: string, eventType?: string): Reading => ({
  kind: 'ignored',
  eventType,
  reason,
});

/** A change the payload only names: the employee is fetched from the provider's API where the connection can. */
export const thin = (eventType: string, externalId?: string): Reading =>
  externalId
    ? { kind: 'fetch', eventType, externalIds: [externalId] }
    : ignored('thin notification without an employee id', eventType);

/** Why a thin notification is not applied on a connection without API credentials. */
export const NO_API_REASON =
  "thin notification: the employee data is only in the provider's API, and the connection has no API credentials";

/**
 * A static token Tandem issued (kept as its hash), presented as `Bearer <token>`, bare, or as the
 * password of Basic auth (Workday's outbound integrations and many others send Basic).
 */
export function verifyToken(delivery: InboundDelivery, secrets: readonly HrisSecret[]): Verdict {
  const header = delivery.headers.authorization?.trim();
  if (!header) return { ok: false, reason: 'missing Authorization' };
  const basic = /^Basic\s+(.+)$/i.exec(header);
  const token = basic
    ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').slice(1).join(':')
    : header.replace(/^Bearer\s+/i, '');
  const presented = Buffer.from(sha256Hex(token), 'hex');
  const matches = secrets.some(
    (s) => s.hash !== undefined && sameBytes(presented, Buffer.from(s.hash, 'hex')),
  );
  return matches ? { ok: true } : { ok: false, reason: 'the token is not one of the connection' };
}

/** Standard Webhooks' scheme (also Finch's): base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`. */
export function verifyStandardScheme(
  delivery: InboundDelivery,
  names: { id: string; timestamp: string; signature: string },
  keyOf: (secret: string) => Buffer,
  secrets: readonly HrisSecret[],
  now: Date,
): Verdict {
  const id = delivery.headers[names.id];
  const timestamp = delivery.headers[names.timestamp];
  const header = delivery.headers[names.signature];
  if (!id || !timestamp || !header)
    return { ok: false, reason: `missing ${names.id}, ${names.timestamp} or ${names.signature}` };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: `${names.timestamp} is not epoch seconds` };
  const freshness = fresh(timestamp, now);
  if (!freshness.ok) return freshness;
  // Space-separated `v1,<b64>` entries; API Gateway may comma-join repeated headers.
  const presented = header
    .split(/[\s]+|,(?=v\d+[a-z]?,)/)
    .map((entry) => /^v1,(.+)$/.exec(entry.trim())?.[1])
    .filter((sig): sig is string => sig !== undefined)
    .map((sig) => Buffer.from(sig, 'base64'));
  if (presented.length === 0) return { ok: false, reason: 'no v1 signature' };
  const signs = anyKeySigns(secrets, presented, (secret) =>
    hmac('sha256', keyOf(secret), `${id}.${timestamp}.`, delivery.body),
  );
  return signs ? { ok: true } : { ok: false, reason: 'no secret of the connection makes this signature' };
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ExpiringMap } from './expiring-map.ts';

/** How long a process keeps a connection it read for a delivery (as long as an API key's tenant). */
const HRIS_CONNECTION_CACHE_MS = 10_000;
const MAX_ENTRIES = 1_000;

/**
 * The connections the webhook route read lately, so a burst of deliveries costs no read of the
 * connection each. A connection item holds its webhook keys and API credentials, so it is kept
 * only encrypted (AES-256-GCM under a key made at process start and never stored), never as
 * plaintext that a heap dump or a stray log line could show. Being stale cannot change an answer:
 * a delivery acknowledged from a cached connection writes its receipt only on the condition that the
 * connection's version is still the cached one, and every other answer is given from a fresh read.
 */
const key = randomBytes(32);
const entries = new ExpiringMap<{ iv: Buffer; tag: Buffer; data: Buffer }>(MAX_ENTRIES);

const entryKey = (tenantId: string, connectionId: string) => `${tenantId}#${connectionId}`;

/**
 * Reads of connections under way. A burst's first deliveries (and those that arrive while the
 * cached entry is renewed) would otherwise each read the connection, hundreds of reads queued in
 * front of the writes; the ones that arrive meanwhile wait for the read under way instead. Like the
 * cache, a read joined this way only lets through what is written under the version guard.
 */
const reads = new Map<string, Promise<unknown>>();

export function cacheHrisConnection(tenantId: string, connectionId: string, value: unknown, nowMs: number) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  entries.set(
    entryKey(tenantId, connectionId),
    { iv, tag: cipher.getAuthTag(), data },
    nowMs + HRIS_CONNECTION_CACHE_MS,
  );
}

export function cachedHrisConnection<T>(
  tenantId: string,
  connectionId: string,
  nowMs: number,
): T | undefined {
  const entry = entries.get(entryKey(tenantId, connectionId), nowMs);
  if (!entry) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, entry.iv);
  decipher.setAuthTag(entry.tag);
  return JSON.parse(Buffer.concat([decipher.update(entry.data), decipher.final()]).toString('utf8')) as T;
}

/** A change made in this process takes effect at once for its deliveries. */
export function forgetHrisConnection(tenantId: string, connectionId: string) {
  entries.delete(entryKey(tenantId, connectionId));
  reads.delete(entryKey(tenantId, connectionId));
}

export function readHrisConnectionOnce<T>(
  tenantId: string,
  connectionId: string,
  read: () => Promise<T>,
): Promise<T> {
  const id = entryKey(tenantId, connectionId);
  const reading = read().finally(() => {
    if (reads.get(id) === reading) reads.delete(id);
  });
  reads.set(id, reading);
  return reading;
}

/**
 * The read of the connection under way, if any (looked up at once, so that deliveries arriving
 * together find the first one's read); it resolves to undefined when that read fails.
 */
export function readingHrisConnection<T>(
  tenantId: string,
  connectionId: string,
): Promise<T | undefined> | undefined {
  const reading = reads.get(entryKey(tenantId, connectionId)) as Promise<T> | undefined;
  return reading?.catch(() => undefined);
}

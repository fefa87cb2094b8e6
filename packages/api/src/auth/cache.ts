import type { ResolvedKey } from '@tandem/store';

/**
 * Resolved API keys (the key lookup item and its tenant's status), kept briefly so that a busy
 * key costs no DynamoDB read per request. Usability (status, expiry) is still checked on every
 * request against the cached record.
 *
 * One cache per process, because staleness is a property of the process: the request that
 * revokes, rotates or suspends runs in this process locally and evicts at once, whatever
 * authorizer instance cached the key. In AWS the revocation runs in the API function, which
 * cannot reach the authorizer function's processes; there API Gateway's own authorizer cache
 * already holds a verdict for `authorizerCacheSeconds`, and the authorizer function is given the
 * same TTL. Its entry is made by the same call that fills API Gateway's, so the two expire
 * together and a revoked key or a suspended tenant works on for up to that TTL; only when API
 * Gateway drops its entry early can a still-cached entry be handed to it again, which bounds the
 * staleness at twice the TTL. Stages that cannot accept that set `authorizerCacheSeconds` to 0.
 */
interface Entry {
  key: ResolvedKey;
  expiresAt: number;
}

/** Bounds memory under a flood of distinct valid keys; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

const entries = new Map<string, Entry>();

export function cachedKey(secretHash: string, nowMs: number): ResolvedKey | undefined {
  const entry = entries.get(secretHash);
  if (!entry) return undefined;
  if (entry.expiresAt > nowMs) return entry.key;
  entries.delete(secretHash);
  return undefined;
}

export function cacheKey(secretHash: string, key: ResolvedKey, expiresAt: number): void {
  entries.delete(secretHash);
  entries.set(secretHash, { key, expiresAt });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** After a key is revoked or rotated: its next request resolves it again. */
export function evictApiKey(keyId: string): void {
  for (const [hash, entry] of entries) if (entry.key.keyId === keyId) entries.delete(hash);
}

/** After a tenant is suspended, reactivated or otherwise changed: every key of it resolves again. */
export function evictTenant(tenantId: string): void {
  for (const [hash, entry] of entries) if (entry.key.tenantId === tenantId) entries.delete(hash);
}

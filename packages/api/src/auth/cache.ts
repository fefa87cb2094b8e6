import type { ResolvedKey, ResolvedScimToken } from '@tandem/store';
import type { Verdict } from './principal.ts';

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
 * staleness at twice the TTL. The stage configuration caps the TTL at 10 s, so revocation takes
 * effect within seconds (docs/rate-limits-and-rotation.md); a stage may set 0 to disable both caches.
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
  evictTenantTokens(tenantId);
  evictScimTokens(tenantId);
  for (const [connectionId, route] of hrisRoutes)
    if (route.tenantId === tenantId) hrisRoutes.delete(connectionId);
}

/**
 * HRIS connection ids whose tenant was found active, so that an HR system's burst costs no
 * lookup per delivery. Same staleness rules as keys (a suspension evicts locally); a deleted
 * connection needs no eviction, as its own read (which carries the secrets, never cached) fails.
 */
const hrisRoutes = new Map<string, { tenantId: string; expiresAt: number }>();

export function cachedHrisRoute(connectionId: string, nowMs: number): string | undefined {
  const entry = hrisRoutes.get(connectionId);
  if (!entry) return undefined;
  if (entry.expiresAt > nowMs) return entry.tenantId;
  hrisRoutes.delete(connectionId);
  return undefined;
}

export function cacheHrisRoute(connectionId: string, tenantId: string, expiresAt: number): void {
  hrisRoutes.delete(connectionId);
  hrisRoutes.set(connectionId, { tenantId, expiresAt });
  if (hrisRoutes.size > MAX_ENTRIES) hrisRoutes.delete(hrisRoutes.keys().next().value!);
}

/**
 * Resolved SCIM tokens, by hash: an identity provider's initial push is thousands of calls with
 * one token. Same staleness rules as keys; issuing or revoking the tenant's token evicts locally.
 */
const scimTokens = new Map<string, { token: ResolvedScimToken; expiresAt: number }>();

export function cachedScimToken(secretHash: string, nowMs: number): ResolvedScimToken | undefined {
  const entry = scimTokens.get(secretHash);
  if (!entry) return undefined;
  if (entry.expiresAt > nowMs) return entry.token;
  scimTokens.delete(secretHash);
  return undefined;
}

export function cacheScimToken(secretHash: string, token: ResolvedScimToken, expiresAt: number): void {
  scimTokens.delete(secretHash);
  scimTokens.set(secretHash, { token, expiresAt });
  if (scimTokens.size > MAX_ENTRIES) scimTokens.delete(scimTokens.keys().next().value!);
}

/** After the tenant's SCIM token is issued anew or revoked: the old one resolves again (and fails). */
export function evictScimTokens(tenantId: string): void {
  for (const [hash, entry] of scimTokens) if (entry.token.tenantId === tenantId) scimTokens.delete(hash);
}

/**
 * Resolved participant tokens, by the token's SHA-256: the verdict (a participant, or a valid
 * token that names nobody active) until the cache TTL or the token's own expiry, whichever is
 * first. Same staleness rules as keys above; a person's status change evicts locally.
 */
interface TokenEntry {
  verdict: Verdict;
  /** Every tenant whose data decided the verdict: a change there evicts it. */
  tenantIds: string[];
  expiresAt: number;
}

const tokens = new Map<string, TokenEntry>();

export function cachedToken(tokenHash: string, nowMs: number): Verdict | undefined {
  const entry = tokens.get(tokenHash);
  if (!entry) return undefined;
  if (entry.expiresAt > nowMs) return entry.verdict;
  tokens.delete(tokenHash);
  return undefined;
}

export function cacheToken(
  tokenHash: string,
  verdict: Verdict,
  tenantIds: string[],
  expiresAt: number,
): void {
  tokens.delete(tokenHash);
  tokens.set(tokenHash, { verdict, tenantIds, expiresAt });
  if (tokens.size > MAX_ENTRIES) tokens.delete(tokens.keys().next().value!);
}

/**
 * After a person is added or changed (status, email, external ids): their tokens resolve again,
 * and so does every token of the tenant that named nobody, which may name this person now.
 */
export function evictPerson(tenantId: string, personId: string): void {
  for (const [hash, { verdict, tenantIds }] of tokens)
    if (
      tenantIds.includes(tenantId) &&
      (verdict.kind === 'unmapped' || (verdict.kind === 'participant' && verdict.personId === personId))
    )
      tokens.delete(hash);
}

/** After a tenant's identity providers or status change: every token that touched it resolves again. */
export function evictTenantTokens(tenantId: string): void {
  for (const [hash, { tenantIds }] of tokens) if (tenantIds.includes(tenantId)) tokens.delete(hash);
}

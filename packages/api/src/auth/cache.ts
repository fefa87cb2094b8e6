import { ExpiringMap, type ResolvedKey, type ResolvedScimToken } from '@tandem/store';
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
const apiKeys = new ExpiringMap<ResolvedKey>();

export const cachedKey = (secretHash: string, nowMs: number) => apiKeys.get(secretHash, nowMs);

export const cacheKey = (secretHash: string, key: ResolvedKey, expiresAt: number) =>
  apiKeys.set(secretHash, key, expiresAt);

/** After a key is revoked or rotated: its next request resolves it again. */
export function evictApiKey(keyId: string): void {
  apiKeys.deleteWhere((key) => key.keyId === keyId);
}

/** After a tenant is suspended, reactivated or otherwise changed: every key of it resolves again. */
export function evictTenant(tenantId: string): void {
  apiKeys.deleteWhere((key) => key.tenantId === tenantId);
  evictTenantTokens(tenantId);
  evictScimTokens(tenantId);
  hrisRoutes.deleteWhere((route) => route === tenantId);
  // A read under way may have seen the tenant before the change: later deliveries read again.
  hrisRouteReads.clear();
}

/**
 * HRIS connection ids whose tenant was found active, so that an HR system's burst costs no
 * lookup per delivery. Same staleness rules as keys (a suspension evicts locally); a deleted
 * connection needs no eviction, as its own read (which carries the secrets, never cached) fails.
 */
const hrisRoutes = new ExpiringMap<string>();

export const cachedHrisRoute = (connectionId: string, nowMs: number) => hrisRoutes.get(connectionId, nowMs);

export const cacheHrisRoute = (connectionId: string, tenantId: string, expiresAt: number) =>
  hrisRoutes.set(connectionId, tenantId, expiresAt);

/**
 * HRIS routes being resolved: deliveries that arrive while a connection's route is read (a burst's
 * first ones, or every one while the cached entry is renewed) wait for that read instead of each
 * making their own, which under a burst would queue hundreds of reads in front of the writes.
 */
const hrisRouteReads = new Map<string, Promise<string | undefined>>();

export function resolveHrisRouteOnce(
  connectionId: string,
  resolve: () => Promise<string | undefined>,
): Promise<string | undefined> {
  let reading = hrisRouteReads.get(connectionId);
  if (!reading) {
    reading = resolve().finally(() => {
      if (hrisRouteReads.get(connectionId) === reading) hrisRouteReads.delete(connectionId);
    });
    hrisRouteReads.set(connectionId, reading);
  }
  return reading;
}

/**
 * Resolved SCIM tokens, by hash: an identity provider's initial push is thousands of calls with
 * one token. Same staleness rules as keys; issuing or revoking the tenant's token evicts locally.
 */
const scimTokens = new ExpiringMap<ResolvedScimToken>();

export const cachedScimToken = (secretHash: string, nowMs: number) => scimTokens.get(secretHash, nowMs);

export const cacheScimToken = (secretHash: string, token: ResolvedScimToken, expiresAt: number) =>
  scimTokens.set(secretHash, token, expiresAt);

/** After the tenant's SCIM token is issued anew or revoked: the old one resolves again (and fails). */
export function evictScimTokens(tenantId: string): void {
  scimTokens.deleteWhere((token) => token.tenantId === tenantId);
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
}

const tokens = new ExpiringMap<TokenEntry>();

export const cachedToken = (tokenHash: string, nowMs: number) => tokens.get(tokenHash, nowMs)?.verdict;

export const cacheToken = (tokenHash: string, verdict: Verdict, tenantIds: string[], expiresAt: number) =>
  tokens.set(tokenHash, { verdict, tenantIds }, expiresAt);

/**
 * After a person is added or changed (status, email, external ids): their tokens resolve again,
 * and so does every token of the tenant that named nobody, which may name this person now.
 */
export function evictPerson(tenantId: string, personId: string): void {
  tokens.deleteWhere(
    ({ verdict, tenantIds }) =>
      tenantIds.includes(tenantId) &&
      (verdict.kind === 'unmapped' || (verdict.kind === 'participant' && verdict.personId === personId)),
  );
}

/** After a tenant's identity providers or status change: every token that touched it resolves again. */
export function evictTenantTokens(tenantId: string): void {
  tokens.deleteWhere(({ tenantIds }) => tenantIds.includes(tenantId));
}

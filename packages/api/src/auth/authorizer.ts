import { API_KEY_PREFIX, hashSecret, isKeyUsable, secretMatches } from '@tandem/core';
import { type Db, resolveApiKey } from '@tandem/store';
import { cachedKey, cacheKey } from './cache.ts';
import type { Principal } from './principal.ts';

export interface AuthorizerConfig {
  /** Platform-level table access: the key lookup items live outside tenant partitions. */
  db: Db;
  /** SHA-256 hash of the operator key; operator routes are closed when absent. */
  operatorKeyHash?: string | undefined;
  now?: () => Date;
  /**
   * How long a resolved key is reused in this process (see cache.ts for what that means for a
   * revocation). In AWS the stage's API Gateway authorizer cache TTL; 0 disables.
   */
  cacheSeconds?: number;
}

/** The local server's and tests' TTL: staging and prod's API Gateway authorizer cache TTL. */
export const DEFAULT_AUTHORIZER_CACHE_SECONDS = 60;

/**
 * Resolves the principal behind an `Authorization: Bearer …` header. This one function is the
 * authorizer: the API Gateway Lambda authorizer calls it in AWS and the local server runs it as
 * middleware, so both accept and refuse exactly the same credentials.
 */
export function createAuthorizer(config: AuthorizerConfig) {
  const now = config.now ?? (() => new Date());
  const ttlMs = (config.cacheSeconds ?? DEFAULT_AUTHORIZER_CACHE_SECONDS) * 1000;
  async function resolve(secretHash: string, at: Date) {
    if (ttlMs === 0) return resolveApiKey(config.db, secretHash);
    const cached = cachedKey(secretHash, at.getTime());
    if (cached) return cached;
    const key = await resolveApiKey(config.db, secretHash);
    if (key) cacheKey(secretHash, key, at.getTime() + ttlMs);
    return key;
  }
  return async function authorize(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const secret = match?.[1];
    if (!secret) return null;
    if (config.operatorKeyHash && secretMatches(secret, config.operatorKeyHash)) return { kind: 'operator' };
    if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200) return null;
    const at = now();
    const key = await resolve(hashSecret(secret), at);
    if (key?.tenantStatus !== 'active' || !isKeyUsable(key, at)) return null;
    return { kind: 'tenant', tenantId: key.tenantId, keyId: key.keyId, scopes: key.scopes };
  };
}

export type Authorize = ReturnType<typeof createAuthorizer>;

import { API_KEY_PREFIX, hashSecret, isKeyUsable, secretMatches } from '@tandem/core';
import { type Db, resolveApiKey } from '@tandem/store';
import type { Principal } from './principal.ts';

export interface AuthorizerConfig {
  /** Platform-level table access: the key lookup items live outside tenant partitions. */
  db: Db;
  /** SHA-256 hash of the operator key; operator routes are closed when absent. */
  operatorKeyHash?: string | undefined;
  now?: () => Date;
}

/**
 * Resolves the principal behind an `Authorization: Bearer …` header. This one function is the
 * authorizer: the API Gateway Lambda authorizer calls it in AWS and the local server runs it as
 * middleware, so both accept and refuse exactly the same credentials.
 */
export function createAuthorizer(config: AuthorizerConfig) {
  const now = config.now ?? (() => new Date());
  return async function authorize(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const secret = match?.[1];
    if (!secret) return null;
    if (config.operatorKeyHash && secretMatches(secret, config.operatorKeyHash)) return { kind: 'operator' };
    if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200) return null;
    const key = await resolveApiKey(config.db, hashSecret(secret));
    if (key?.tenantStatus !== 'active' || !isKeyUsable(key, now())) return null;
    return { kind: 'tenant', tenantId: key.tenantId, keyId: key.keyId, scopes: key.scopes };
  };
}

export type Authorize = ReturnType<typeof createAuthorizer>;

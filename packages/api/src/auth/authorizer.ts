import { API_KEY_PREFIX, hashesMatch, hashSecret, isKeyUsable, SCIM_TOKEN_PREFIX } from '@tandem/core';
import { type Db, resolveApiKey, resolveScimToken } from '@tandem/store';
import { cachedKey, cachedScimToken, cachedToken, cacheKey, cacheScimToken, cacheToken } from './cache.ts';
import { strictUrlPolicy, type UrlPolicy } from './guarded-fetch.ts';
import { createTokenVerifier, looksLikeJwt, type TokenVerifierOptions } from './participant-tokens.ts';
import type { Verdict } from './principal.ts';

export interface AuthorizerConfig {
  /** Platform-level table access: the key lookup items live outside tenant partitions. */
  db: Db;
  /**
   * SHA-256 hash of the operator key; during a rotation's overlap, the hashes of the current and
   * the previous key (a function is read per request, for hosts that refresh them). Operator
   * routes are closed when absent.
   */
  operatorKeyHash?: string | readonly string[] | (() => readonly string[]) | undefined;
  now?: () => Date;
  /**
   * How long a resolved key is reused in this process (see cache.ts for what that means for a
   * revocation). In AWS the stage's API Gateway authorizer cache TTL; 0 disables.
   */
  cacheSeconds?: number;
  /**
   * Which identity provider URLs (discovery, JWKS) may be fetched: the webhooks' SSRF policy,
   * https to public addresses unless given (local runs and tests allow loopback).
   */
  urlPolicy?: UrlPolicy;
  /** See TokenVerifierOptions; tests shorten the cooldown to watch a key rotation. */
  jwksCooldownMs?: TokenVerifierOptions['jwksCooldownMs'];
}

/** The local server's and tests' TTL: staging and prod's API Gateway authorizer cache TTL. */
export const DEFAULT_AUTHORIZER_CACHE_SECONDS = 10;

/**
 * Resolves the principal behind an `Authorization: Bearer …` header. This one function is the
 * authorizer: the API Gateway Lambda authorizer calls it in AWS and the local server runs it as
 * middleware, so both accept and refuse exactly the same credentials.
 *
 * A `tdm_scim_` Bearer is a tenant's SCIM token (an identity provider provisioning people). A
 * Bearer that is none of these keys is a participant's token (a JWT of an
 * identity provider a tenant trusts). `null` is a 401. A valid token that names no active person
 * is an `unmapped` verdict, which the API answers with a 403 saying why: in AWS the verdict
 * travels in the authorizer context, since API Gateway cannot answer a custom 403 itself.
 */
export function createAuthorizer(config: AuthorizerConfig) {
  const now = config.now ?? (() => new Date());
  const ttlMs = (config.cacheSeconds ?? DEFAULT_AUTHORIZER_CACHE_SECONDS) * 1000;
  const given = config.operatorKeyHash ?? [];
  const operatorKeyHashes =
    typeof given === 'function' ? given : () => (typeof given === 'string' ? [given] : given);
  const isOperatorKey = (secretHash: string) =>
    operatorKeyHashes().some((hash) => hashesMatch(secretHash, hash));
  async function resolve(secretHash: string, at: Date) {
    if (ttlMs === 0) return resolveApiKey(config.db, secretHash);
    const cached = cachedKey(secretHash, at.getTime());
    if (cached) return cached;
    const key = await resolveApiKey(config.db, secretHash);
    if (key) cacheKey(secretHash, key, at.getTime() + ttlMs);
    return key;
  }
  const verifyToken = createTokenVerifier({
    db: config.db,
    urlPolicy: config.urlPolicy ?? strictUrlPolicy,
    ...(config.jwksCooldownMs !== undefined ? { jwksCooldownMs: config.jwksCooldownMs } : {}),
  });
  async function participant(token: string, tokenHash: string, at: Date): Promise<Verdict | null> {
    const cached = ttlMs === 0 ? undefined : cachedToken(tokenHash, at.getTime());
    if (cached) return cached;
    const { verdict, tenantIds, expiresAt } = await verifyToken(token, at);
    if (verdict && expiresAt !== undefined && ttlMs > 0)
      cacheToken(tokenHash, verdict, tenantIds, Math.min(at.getTime() + ttlMs, expiresAt));
    return verdict;
  }
  async function resolveScim(secretHash: string, at: Date) {
    if (ttlMs === 0) return resolveScimToken(config.db, secretHash);
    const cached = cachedScimToken(secretHash, at.getTime());
    if (cached) return cached;
    const token = await resolveScimToken(config.db, secretHash);
    if (token) cacheScimToken(secretHash, token, at.getTime() + ttlMs);
    return token;
  }
  async function scim(secret: string, secretHash: string): Promise<Verdict | null> {
    if (secret.length > 200) return null;
    const token = await resolveScim(secretHash, now());
    // Refused, but as a verdict rather than null: in AWS a null becomes API Gateway's own 401,
    // while identity providers (Okta's spec test) expect a SCIM Error body, which only the API
    // function writes. The verdict reaches nothing: the SCIM routes answer it 401.
    if (token?.tenantStatus !== 'active')
      return { kind: 'unmapped', reason: 'The SCIM token is unknown, revoked or replaced', refused: true };
    return { kind: 'scim', tenantId: token.tenantId, tokenId: token.tokenId };
  }
  return async function authorize(authorization: string | undefined): Promise<Verdict | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const secret = match?.[1];
    if (!secret) return null;
    // Hashed once: the operator check, the caches and the lookups all key on the hash.
    const secretHash = hashSecret(secret);
    if (isOperatorKey(secretHash)) return { kind: 'operator' };
    if (secret.startsWith(SCIM_TOKEN_PREFIX)) return scim(secret, secretHash);
    if (!secret.startsWith(API_KEY_PREFIX))
      return looksLikeJwt(secret) ? participant(secret, secretHash, now()) : null;
    if (secret.length > 200) return null;
    const at = now();
    const key = await resolve(secretHash, at);
    if (key?.tenantStatus !== 'active' || !isKeyUsable(key, at)) return null;
    return { kind: 'tenant', tenantId: key.tenantId, keyId: key.keyId, scopes: key.scopes };
  };
}

export type Authorize = ReturnType<typeof createAuthorizer>;

import type { Scope } from '@tandem/core';

/** Who is calling. The tenant id only ever comes from here, never from the path or body. */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'tenant'; tenantId: string; keyId: string; scopes: Scope[] }
  /** A person of the tenant, signed in with a token of an identity provider the tenant trusts. */
  | { kind: 'participant'; tenantId: string; personId: string; providerId: string }
  /** An identity provider provisioning the tenant's people with its SCIM token: reaches /scim/v2 only. */
  | { kind: 'scim'; tenantId: string; tokenId: string };

/**
 * A valid token of an issuer the tenant trusts that names no active person of it. Not a
 * principal: nothing is reachable with it. It travels like one (API Gateway's authorizer cannot
 * answer 403 with a body), so that the API answers 403 with `reason` instead of a bare 401.
 */
export interface Unmapped {
  kind: 'unmapped';
  reason: string;
  /**
   * A refused credential rather than a valid token naming nobody: answered 401, not 403. Travels
   * as a verdict only so that the SCIM routes can write that 401 in SCIM's shape.
   */
  refused?: true;
}

/** What the authorizer concludes about a credential it accepts as well-formed and genuine. */
export type Verdict = Principal | Unmapped;

/** Serialized form that travels in the API Gateway authorizer context (flat strings only). */
export type PrincipalContext = Record<string, string>;

export function toContext(principal: Verdict): PrincipalContext {
  if (principal.kind === 'operator') return { kind: 'operator' };
  if (principal.kind === 'unmapped')
    return { kind: 'unmapped', reason: principal.reason, ...(principal.refused ? { refused: 'true' } : {}) };
  if (principal.kind === 'scim')
    return { kind: 'scim', tenantId: principal.tenantId, tokenId: principal.tokenId };
  if (principal.kind === 'participant')
    return {
      kind: 'participant',
      tenantId: principal.tenantId,
      personId: principal.personId,
      providerId: principal.providerId,
    };
  return {
    kind: 'tenant',
    tenantId: principal.tenantId,
    keyId: principal.keyId,
    scopes: principal.scopes.join(' '),
  };
}

export function fromContext(context: Record<string, unknown> | undefined): Verdict | null {
  if (!context) return null;
  if (context.kind === 'operator') return { kind: 'operator' };
  if (context.kind === 'unmapped' && typeof context.reason === 'string')
    return {
      kind: 'unmapped',
      reason: context.reason,
      ...(context.refused === 'true' ? { refused: true } : {}),
    };
  if (context.kind === 'tenant' && typeof context.tenantId === 'string' && typeof context.keyId === 'string')
    return {
      kind: 'tenant',
      tenantId: context.tenantId,
      keyId: context.keyId,
      scopes: String(context.scopes ?? '')
        .split(' ')
        .filter(Boolean) as Scope[],
    };
  if (context.kind === 'scim' && typeof context.tenantId === 'string' && typeof context.tokenId === 'string')
    return { kind: 'scim', tenantId: context.tenantId, tokenId: context.tokenId };
  if (
    context.kind === 'participant' &&
    typeof context.tenantId === 'string' &&
    typeof context.personId === 'string' &&
    typeof context.providerId === 'string'
  )
    return {
      kind: 'participant',
      tenantId: context.tenantId,
      personId: context.personId,
      providerId: context.providerId,
    };
  return null;
}

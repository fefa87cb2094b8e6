import {
  domainEvent,
  generateSecret,
  hashSecret,
  newId,
  SCIM_TOKEN_PREFIX,
  type ScimToken,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** A SCIM token as its issuer sees it, once: the record and the secret. */
export type IssuedScimToken = ScimToken & { secret: string };

/**
 * Issues the organization's SCIM token; an active one is replaced and stops working at once
 * (the identity provider's connection is then given the new one). Only its hash is kept.
 */
export async function issueScimToken(ctx: TenantContext): Promise<IssuedScimToken> {
  const secret = generateSecret(SCIM_TOKEN_PREFIX);
  const token: ScimToken = {
    id: newId('scimToken'),
    prefix: `${secret.slice(0, SCIM_TOKEN_PREFIX.length + 4)}…`,
    status: 'active',
    createdAt: ctx.clock().toISOString(),
  };
  const stored = await ctx.store.scimTokens.issue(token, hashSecret(secret), (replaced) =>
    domainEvent('scim_token.issued', { tokenId: token.id, ...(replaced ? { replaces: replaced.id } : {}) }),
  );
  return { ...stored, secret };
}

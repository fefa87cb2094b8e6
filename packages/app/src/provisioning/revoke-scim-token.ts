import { domainEvent, type ScimToken } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** Revokes the SCIM token at once; revoking a revoked token returns it unchanged. */
export function revokeScimToken(ctx: TenantContext): Promise<ScimToken> {
  return ctx.store.scimTokens.revoke(ctx.clock().toISOString(), (token) =>
    domainEvent('scim_token.revoked', { tokenId: token.id }),
  );
}

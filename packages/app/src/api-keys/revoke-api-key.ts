import { type ApiKey, domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** Revokes a key at once; revoking twice is harmless. */
export function revokeApiKey(ctx: TenantContext, keyId: string): Promise<ApiKey> {
  return ctx.store.apiKeys.revoke(
    keyId,
    ctx.clock().toISOString(),
    domainEvent('api_key.revoked', { keyId }),
  );
}

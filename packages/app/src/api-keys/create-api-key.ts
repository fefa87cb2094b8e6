import { type ApiKeyInput, domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { type IssuedKey, issueKey } from './issue-key.ts';

export async function createApiKey(ctx: TenantContext, input: ApiKeyInput): Promise<IssuedKey> {
  const { key, secret, secretHash } = issueKey(input, ctx.clock().toISOString());
  await ctx.store.apiKeys.create(
    key,
    secretHash,
    domainEvent('api_key.created', { keyId: key.id, scopes: key.scopes }),
  );
  return { ...key, secret };
}

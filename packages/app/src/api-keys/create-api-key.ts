import { type ApiKeyInput, assertExpiryAhead, domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { type IssuedKey, issueKey } from './issue-key.ts';

export async function createApiKey(ctx: TenantContext, input: ApiKeyInput): Promise<IssuedKey> {
  const now = ctx.clock();
  assertExpiryAhead(input, now);
  const { key, secret, secretHash } = issueKey(input, now.toISOString());
  await ctx.store.apiKeys.create(
    key,
    secretHash,
    domainEvent('api_key.created', { keyId: key.id, scopes: key.scopes }),
  );
  return { ...key, secret };
}

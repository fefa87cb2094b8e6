import { domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { type IssuedKey, issueKey } from './issue-key.ts';

/** A new key with the old one's name and scopes; the old one keeps working for the overlap window. */
export async function rotateApiKey(
  ctx: TenantContext,
  keyId: string,
  overlapSeconds: number,
): Promise<IssuedKey> {
  const { store } = ctx;
  const now = ctx.clock();
  const old = await store.apiKeys.get(keyId);
  const { key, secret, secretHash } = issueKey({ name: old.name, scopes: old.scopes }, now.toISOString());
  const oldExpiresAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  await store.apiKeys.rotate(
    keyId,
    key,
    secretHash,
    oldExpiresAt,
    domainEvent('api_key.created', { keyId: key.id, scopes: key.scopes, rotatedFrom: keyId }),
  );
  return { ...key, secret };
}

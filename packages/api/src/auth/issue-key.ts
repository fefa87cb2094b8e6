import { type ApiKey, apiKey, newId, type Scope } from '@tandem/core';
import { shownOnce } from '../http/idempotency.ts';
import { API_KEY_PREFIX, generateSecret, hashSecret, secretPreview } from './secrets.ts';

export const apiKeyWithSecret = apiKey
  .extend({ secret: shownOnce('The API key.') })
  .meta({ id: 'ApiKeyWithSecret' });

/** A new key record, its secret (returned to the caller once) and the hash that is stored. */
export function issueKey(
  input: { name: string; scopes: Scope[]; expiresAt?: string | undefined },
  now: string,
) {
  const secret = generateSecret(API_KEY_PREFIX);
  const key: ApiKey = {
    id: newId('apiKey'),
    name: input.name,
    scopes: input.scopes,
    prefix: secretPreview(secret),
    status: 'active',
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    createdAt: now,
  };
  return { key, secret, secretHash: hashSecret(secret) };
}

import {
  API_KEY_PREFIX,
  type ApiKey,
  generateSecret,
  hashSecret,
  newId,
  type Scope,
  secretPreview,
} from '@tandem/core';

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

/** A key as its creator sees it, once: the record and the secret. */
export type IssuedKey = ApiKey & { secret: string };

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The credentials' rules without their schemas: the authorizer builds no zod schema at init.

/** Tenant API keys: recognizable prefix + 256 random bits. Only the SHA-256 hash is stored. */
export const API_KEY_PREFIX = 'tdm_live_';
export const OPERATOR_KEY_PREFIX = 'tdm_op_';
/** SCIM bearer tokens carry their own prefix, so the authorizer knows which lookup to read. */
export const SCIM_TOKEN_PREFIX = 'tdm_scim_';

/** A key is usable while active and not past its expiry (rotation sets the expiry of the old key). */
export function isKeyUsable(key: { status: string; expiresAt?: string | undefined }, now: Date): boolean {
  return key.status === 'active' && (!key.expiresAt || Date.parse(key.expiresAt) > now.getTime());
}

export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret's hash (`hashSecret`) with a stored hash. */
export function hashesMatch(actualHash: string, expectedHash: string): boolean {
  const actual = Buffer.from(actualHash, 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What a client sees to recognize a key later, without the secret. */
export const secretPreview = (secret: string) => `${secret.slice(0, API_KEY_PREFIX.length + 4)}…`;

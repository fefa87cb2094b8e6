import { hash, randomBytes } from 'node:crypto';

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

/** SHA-256, hex. One-shot: every request hashes its Bearer secret, and this skips a Hash object. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/**
 * Constant-time comparison of a presented secret's hash (`hashSecret`) with a stored hash (hex,
 * either case). In plain code rather than `timingSafeEqual`: every request compares its Bearer's
 * hash with the operator key's, and decoding both into buffers for a native call cost more there.
 */
export function hashesMatch(actualHash: string, expectedHash: string): boolean {
  const expected = expectedHash.toLowerCase();
  if (actualHash.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= actualHash.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

/** What a client sees to recognize a key later, without the secret. */
export const secretPreview = (secret: string) => `${secret.slice(0, API_KEY_PREFIX.length + 4)}…`;

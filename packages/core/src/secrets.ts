import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tenant API keys: recognizable prefix + 256 random bits. Only the SHA-256 hash is stored. */
export const API_KEY_PREFIX = 'tdm_live_';
export const OPERATOR_KEY_PREFIX = 'tdm_op_';

export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What a client sees to recognize a key later, without the secret. */
export const secretPreview = (secret: string) => `${secret.slice(0, API_KEY_PREFIX.length + 4)}…`;

import { randomBytes } from 'node:crypto';
import {
  type HrisConnection,
  type HrisProvider,
  type HrisSecret,
  hashSecret,
  hrisKeyIssuedBy,
  InvalidInputError,
} from '@tandem/core';

export const hrisConnectionEventData = (c: HrisConnection) => ({ connectionId: c.id, provider: c.provider });

/** What Tandem issues when the provider takes a key from us: a Standard Webhooks key, or a static token. */
function generated(provider: HrisProvider): string {
  return provider === 'standard'
    ? `whsec_${randomBytes(32).toString('base64')}`
    : `tdm_hris_${randomBytes(32).toString('base64url')}`;
}

/**
 * A new secret of a connection, and the value to show once (the generated one; a pasted provider
 * key is not echoed back). HMAC keys are kept as they are, since verifying needs them; tokens only
 * as their hash.
 */
export function newHrisSecret(
  provider: HrisProvider,
  pasted: string | undefined,
  now: Date,
): { secret: HrisSecret; shown: string | null } {
  const issuer = hrisKeyIssuedBy[provider];
  if (issuer === 'provider' && pasted === undefined && provider !== 'gusto')
    throw new InvalidInputError(
      `A ${provider} connection verifies with the key ${provider} issued: send it as secret`,
      [{ field: '/secret', message: `is required for ${provider}` }],
    );
  if (issuer === 'tandem' && pasted !== undefined)
    throw new InvalidInputError(`Tandem issues the secret of a ${provider} connection`, [
      { field: '/secret', message: `must be left out for ${provider}` },
    ]);
  if (
    provider === 'finch' &&
    pasted !== undefined &&
    Buffer.from(pasted, 'base64').toString('base64') !== pasted
  )
    throw new InvalidInputError('Finch webhook secrets are base64', [
      { field: '/secret', message: 'must be base64' },
    ]);
  const value = pasted ?? generated(provider);
  const base = {
    id: `hsec_${randomBytes(8).toString('hex')}`,
    preview: `${value.slice(0, 8)}…`,
    createdAt: now.toISOString(),
  };
  // Tokens Tandem issues are only compared, so only their hash is kept; HMAC keys sign, so they are kept.
  const secret: HrisSecret =
    issuer === 'tandem' && provider !== 'standard'
      ? { ...base, hash: hashSecret(value) }
      : { ...base, value };
  return { secret, shown: pasted === undefined ? value : null };
}

export const summaries = (secrets: HrisSecret[]) =>
  secrets.map(({ id, preview, createdAt }) => ({ id, preview, createdAt }));

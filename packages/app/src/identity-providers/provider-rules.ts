import { type IdentityProvider, InvalidInputError } from '@tandem/core';
import { checkTarget, UnsafeUrlError } from '@tandem/webhooks/ssrf';
import type { UrlPolicy } from '../context.ts';

export const providerEventData = (p: IdentityProvider) => ({ providerId: p.id, issuer: p.issuer });

/**
 * The issuer (its discovery document) and the JWKS URI are fetched by the authorizer, so they
 * pass the webhooks' SSRF guard when configured, as they do again before every fetch.
 */
export async function assertReachableUrls(
  policy: UrlPolicy,
  provider: Pick<IdentityProvider, 'issuer' | 'jwksUri'>,
): Promise<void> {
  for (const [field, url] of [
    ['issuer', provider.issuer],
    ['jwksUri', provider.jwksUri],
  ] as const) {
    if (url === undefined) continue;
    try {
      await checkTarget(url, { allowInsecure: policy.allowInsecureUrls, resolve: policy.resolveHost });
    } catch (error) {
      if (!(error instanceof UnsafeUrlError)) throw error;
      const reason = error.errors[0]?.message ?? 'not allowed';
      throw new InvalidInputError(`This ${field} is not allowed: ${reason}`, [
        { field: `/${field}`, message: reason },
      ]);
    }
  }
}

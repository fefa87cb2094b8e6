import { domainEvent, type IdentityProvider, type IdentityProviderInput, newId } from '@tandem/core';
import type { IdentityContext } from '../context.ts';
import { assertReachableUrls, providerEventData } from './provider-rules.ts';

/** Trusts an issuer's tokens for the tenant's people, from now on. */
export async function createIdentityProvider(
  ctx: IdentityContext,
  input: IdentityProviderInput,
): Promise<IdentityProvider> {
  await assertReachableUrls(ctx.identity.urlPolicy, input);
  const now = ctx.clock().toISOString();
  const value: IdentityProvider = {
    id: newId('identityProvider'),
    ...input,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.identityProviders.create(
    value,
    domainEvent('identity_provider.created', providerEventData(value)),
  );
  return value;
}

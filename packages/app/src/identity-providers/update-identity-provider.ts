import {
  domainEvent,
  type IdentityProvider,
  identityProvider,
  type identityProviderPatch,
} from '@tandem/core';
import type { z } from 'zod';
import type { IdentityContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { assertReachableUrls, providerEventData } from './provider-rules.ts';

/** Changes the issuer, audience, keys or claim mapping; the authorizer follows at once. */
export function updateIdentityProvider(
  ctx: IdentityContext,
  providerId: string,
  patch: z.infer<typeof identityProviderPatch>,
  precondition: Precondition,
): Promise<IdentityProvider> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.identityProviders.get(providerId),
    schema: identityProvider,
    check: (updated) => assertReachableUrls(ctx.identity.urlPolicy, updated),
    save: (current, updated) =>
      store.identityProviders.update(
        current,
        updated,
        domainEvent('identity_provider.updated', {
          ...providerEventData(updated),
          changed: Object.keys(patch),
        }),
      ),
  });
}

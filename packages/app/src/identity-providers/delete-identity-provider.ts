import { domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { providerEventData } from './provider-rules.ts';

/** Stops trusting the provider's tokens: participants signed in through it are refused from now on. */
export function deleteIdentityProvider(
  ctx: TenantContext,
  providerId: string,
  precondition: Precondition,
): Promise<void> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.identityProviders.get(providerId);
    assertVersion(current, precondition);
    await store.identityProviders.delete(
      current,
      domainEvent('identity_provider.deleted', providerEventData(current)),
    );
  });
}

import { domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** Deletes an endpoint; pending deliveries to it stop. */
export function deleteEndpoint(
  ctx: TenantContext,
  endpointId: string,
  precondition: Precondition,
): Promise<void> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.webhookEndpoints.get(endpointId);
    assertVersion(current, precondition);
    await store.webhookEndpoints.delete(current, domainEvent('endpoint.deleted', { endpointId }));
  });
}

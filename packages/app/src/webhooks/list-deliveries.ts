import type { Delivery, DeliveryStatus } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** A page of an endpoint's delivery log, newest first; an endpoint that is not this tenant's is a 404. */
export async function listDeliveries(
  { store }: TenantContext,
  endpointId: string,
  filter: { status?: DeliveryStatus | undefined },
  page: PageRequest,
): Promise<Page<Delivery>> {
  await store.webhookEndpoints.get(endpointId);
  return store.deliveries.list(endpointId, filter, page);
}

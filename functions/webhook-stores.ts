import { webhookStore } from '@tandem/store';
import type { DeliveryQueue } from '@tandem/webhooks';
import { platformTable } from './platform-stores.ts';

/**
 * What the relay and delivery functions share: each tenant's webhook repositories (only those,
 * which keeps the other repositories out of their bundles) and the delivery queue each makes.
 */
export async function webhookWiring(
  env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string },
  queue: DeliveryQueue,
) {
  const { db, cursors } = await platformTable(env);
  return { storesFor: (tenantId: string) => webhookStore(db, tenantId, cursors), queue };
}

import type { Cursors } from './cursor.ts';
import type { Db } from './db.ts';
import { DeliveriesRepository } from './deliveries.ts';
import { EventsRepository } from './events.ts';
import { type Clock, systemClock } from './repository.ts';
import type { SecretSealer } from './secret-sealer.ts';
import { WebhookEndpointsRepository } from './webhook-endpoints.ts';

/**
 * The three repositories of one tenant that webhook delivery reads and writes (endpoints, their
 * deliveries, the outbox for recoveries). The relay and delivery functions make these instead of
 * a whole `tenantStore`, so their bundles carry no other repository, nor the schemas it imports.
 */
export function webhookStore(
  db: Db,
  tenantId: string,
  cursors: Cursors,
  sealer: SecretSealer,
  clock: Clock = systemClock,
) {
  return {
    webhookEndpoints: new WebhookEndpointsRepository(db, tenantId, cursors, clock, sealer),
    deliveries: new DeliveriesRepository(db, tenantId, cursors, clock),
    events: new EventsRepository(db, tenantId, cursors, clock),
  };
}

import { ApiKeysRepository } from './api-keys.ts';
import type { CursorCodec } from './cursor.ts';
import type { Db } from './db.ts';
import { DeliveriesRepository } from './deliveries.ts';
import { EnrollmentsRepository } from './enrollments.ts';
import { EventsRepository } from './events.ts';
import { PeopleRepository } from './people.ts';
import { ProgramsRepository } from './programs.ts';
import { WebhookEndpointsRepository } from './webhook-endpoints.ts';

/** Every repository of one tenant, bound to that tenant's partition keys (and, in AWS, its credentials). */
export function tenantStore(db: Db, tenantId: string, cursors: CursorCodec) {
  return {
    apiKeys: new ApiKeysRepository(db, tenantId, cursors),
    people: new PeopleRepository(db, tenantId, cursors),
    programs: new ProgramsRepository(db, tenantId, cursors),
    enrollments: new EnrollmentsRepository(db, tenantId, cursors),
    events: new EventsRepository(db, tenantId, cursors),
    webhookEndpoints: new WebhookEndpointsRepository(db, tenantId, cursors),
    deliveries: new DeliveriesRepository(db, tenantId, cursors),
  };
}

export type TenantStore = ReturnType<typeof tenantStore>;

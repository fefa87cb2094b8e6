import {
  type DomainEvent,
  matchesEventFilter,
  pendingDelivery,
  type StoredEvent,
  toEnvelope,
  type WebhookEndpoint,
} from '@tandem/core';
import type {
  Deferred,
  DeliveriesRepository,
  EventsRepository,
  StoredDelivery,
  WebhookEndpointsRepository,
} from '@tandem/store';
import type { DeliveryJob, DeliveryQueue } from './queue.ts';

/** The repositories themselves (the relay's and the delivery's functions) or a tenant store's stand-ins. */
export interface WebhookStores {
  webhookEndpoints: Deferred<WebhookEndpointsRepository>;
  deliveries: Deferred<DeliveriesRepository>;
  events: Deferred<EventsRepository>;
}

export interface RelayDeps {
  storesFor: (tenantId: string) => WebhookStores | Promise<WebhookStores>;
  queue: DeliveryQueue;
  now?: () => Date;
  /**
   * For a host that makes first attempts itself (the local runtime): a new delivery is created
   * claimed until `leaseMs` from now and handed to `run` instead of being queued, which spares
   * the queue's writes and its wait. The relay then resolves only once `run` has, so a host that
   * records its progress after relaying (a stream position) redoes the relay after a crash
   * mid-attempt: the delivery exists by then, so that time it is queued.
   */
  attemptNew?: {
    leaseMs: number;
    run: (claimed: StoredDelivery, job: DeliveryJob, claimedUntil: number) => Promise<void>;
  };
}

/**
 * Fans one outbox event out to every enabled endpoint that subscribed to its type: one
 * delivery each, then a job (or, with `attemptNew`, an attempt). Safe to run twice for the same
 * event (the stream redelivers batches): the delivery is created only once, and the worker drops
 * jobs it already did.
 */
export async function relayEvent(
  event: DomainEvent | StoredEvent,
  deps: RelayDeps,
  endpoints?: WebhookEndpoint[],
): Promise<number> {
  const stores = await deps.storesFor(event.tenantId);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const subscribed = (endpoints ?? (await stores.webhookEndpoints.all())).filter(
    (endpoint) =>
      endpoint.enabled &&
      matchesEventFilter(endpoint.eventTypes, event.type) &&
      // An endpoint hears what happened after it was registered, even when the relay runs behind;
      // older events are for an explicit recovery.
      event.occurredAt >= endpoint.createdAt,
  );
  await Promise.all(
    subscribed.map(async (endpoint) => {
      const delivery = pendingDelivery(event, endpoint.id, now);
      const payload = toEnvelope(event);
      const job: DeliveryJob = {
        tenantId: event.tenantId,
        endpointId: endpoint.id,
        deliveryId: delivery.id,
        attempt: 0,
        dueAt: now,
      };
      const attemptNew = deps.attemptNew;
      if (attemptNew) {
        const claimedUntil = Date.parse(now) + attemptNew.leaseMs;
        if (await stores.deliveries.createIfAbsent(delivery, payload, claimedUntil))
          return attemptNew.run({ delivery, payload, cycleAttempts: 0 }, job, claimedUntil);
        // Made by an earlier relay of this event, whose process may have died holding the claim:
        // the job is due once that claim has surely ended (until then a claim would only fail).
        return deps.queue.enqueue({ ...job, dueAt: new Date(claimedUntil).toISOString() });
      }
      await stores.deliveries.createIfAbsent(delivery, payload);
      // Queued even when the delivery existed: a relay that died between the two must not strand it.
      await deps.queue.enqueue(job);
    }),
  );
  return subscribed.length;
}

/** Events relayed at once: enough to overlap round trips, few enough not to swamp the table. */
const RELAY_CONCURRENCY = 32;

/**
 * Relays a batch of events that were read together from the stream. Each tenant's endpoints are
 * read once for the batch; since they are read after every event of the batch was written, each
 * endpoint hears exactly the events relayEvent would have given it (registration time still
 * decides), at one read per tenant instead of one per event.
 */
export async function relayEvents(events: (DomainEvent | StoredEvent)[], deps: RelayDeps): Promise<number> {
  const endpointsOf = new Map<string, Promise<WebhookEndpoint[]>>();
  const endpoints = (tenantId: string) => {
    let found = endpointsOf.get(tenantId);
    if (!found) {
      found = Promise.resolve(deps.storesFor(tenantId)).then((stores) => stores.webhookEndpoints.all());
      endpointsOf.set(tenantId, found);
    }
    return found;
  };
  // A window rather than fixed rounds: each event's deliveries are queued (and, locally, attempted)
  // as soon as that event is relayed, not when the slowest event of its round is.
  let fannedOut = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(RELAY_CONCURRENCY, events.length) }, async () => {
      while (next < events.length) {
        const event = events[next++]!;
        const count = await relayEvent(event, deps, await endpoints(event.tenantId));
        fannedOut += count;
      }
    }),
  );
  return fannedOut;
}

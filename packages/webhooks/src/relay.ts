import {
  type DomainEvent,
  matchesEventFilter,
  pendingDelivery,
  type StoredEvent,
  toEnvelope,
} from '@tandem/core';
import type {
  DeliveriesRepository,
  EndpointWithSecrets,
  EventsRepository,
  WebhookEndpointsRepository,
} from '@tandem/store';
import type { DeliveryQueue } from './queue.ts';

export interface WebhookStores {
  webhookEndpoints: WebhookEndpointsRepository;
  deliveries: DeliveriesRepository;
  events: EventsRepository;
}

export interface RelayDeps {
  storesFor: (tenantId: string) => WebhookStores | Promise<WebhookStores>;
  queue: DeliveryQueue;
  now?: () => Date;
}

/**
 * Fans one outbox event out to every enabled endpoint that subscribed to its type: one
 * delivery each, then a job. Safe to run twice for the same event (the stream redelivers
 * batches): the delivery is created only once, and the worker drops jobs it already did.
 */
export async function relayEvent(
  event: DomainEvent | StoredEvent,
  deps: RelayDeps,
  endpoints?: EndpointWithSecrets[],
): Promise<number> {
  const stores = await deps.storesFor(event.tenantId);
  const now = (deps.now?.() ?? new Date()).toISOString();
  let fannedOut = 0;
  for (const { endpoint } of endpoints ?? (await stores.webhookEndpoints.all())) {
    if (!endpoint.enabled || !matchesEventFilter(endpoint.eventTypes, event.type)) continue;
    // An endpoint hears what happened after it was registered, even when the relay runs behind;
    // older events are for an explicit recovery.
    if (event.occurredAt < endpoint.createdAt) continue;
    const delivery = pendingDelivery(event, endpoint.id, now);
    await stores.deliveries.createIfAbsent(delivery, toEnvelope(event));
    // Enqueued even when the delivery existed: a relay that died between the two must not strand it.
    await deps.queue.enqueue({
      tenantId: event.tenantId,
      endpointId: endpoint.id,
      deliveryId: delivery.id,
      attempt: 0,
      dueAt: now,
    });
    fannedOut++;
  }
  return fannedOut;
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
  const endpointsOf = new Map<string, Promise<EndpointWithSecrets[]>>();
  const endpoints = (tenantId: string) => {
    let found = endpointsOf.get(tenantId);
    if (!found) {
      found = Promise.resolve(deps.storesFor(tenantId)).then((stores) => stores.webhookEndpoints.all());
      endpointsOf.set(tenantId, found);
    }
    return found;
  };
  let fannedOut = 0;
  for (let start = 0; start < events.length; start += RELAY_CONCURRENCY)
    for (const count of await Promise.all(
      events
        .slice(start, start + RELAY_CONCURRENCY)
        .map(async (event) => relayEvent(event, deps, await endpoints(event.tenantId))),
    ))
      fannedOut += count;
  return fannedOut;
}

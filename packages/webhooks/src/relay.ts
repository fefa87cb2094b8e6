import {
  type DomainEvent,
  matchesEventFilter,
  pendingDelivery,
  type StoredEvent,
  toEnvelope,
} from '@tandem/core';
import type { DeliveriesRepository, EventsRepository, WebhookEndpointsRepository } from '@tandem/store';
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
export async function relayEvent(event: DomainEvent | StoredEvent, deps: RelayDeps): Promise<number> {
  const stores = await deps.storesFor(event.tenantId);
  const now = (deps.now?.() ?? new Date()).toISOString();
  let fannedOut = 0;
  for (const { endpoint } of await stores.webhookEndpoints.all()) {
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

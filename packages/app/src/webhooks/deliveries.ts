import {
  type Delivery,
  matchesEventFilter,
  newId,
  pendingDelivery,
  TEST_EVENT_TYPE,
  toEnvelope,
} from '@tandem/core';
import { processJob } from '@tandem/webhooks';
import type { WebhookContext } from '../context.ts';

const deliveryDeps = (ctx: WebhookContext) => ({
  storesFor: () => ctx.store,
  queue: ctx.webhooks.queue,
  policy: ctx.webhooks.policy,
  now: ctx.clock,
});

/** Sends a signed webhook.test ping now and answers with its first attempt; failures retry like any delivery. */
export async function sendTestPing(ctx: WebhookContext, endpointId: string): Promise<Delivery> {
  const { store } = ctx;
  const endpoint = await store.webhookEndpoints.get(endpointId);
  const now = ctx.clock().toISOString();
  const envelope = {
    id: newId('event'),
    type: TEST_EVENT_TYPE,
    timestamp: now,
    tenantId: ctx.tenantId,
    data: { endpointId },
  };
  const delivery = pendingDelivery(envelope, endpoint.id, now);
  await store.deliveries.createIfAbsent(delivery, envelope);
  await processJob(
    { tenantId: ctx.tenantId, endpointId, deliveryId: delivery.id, attempt: 0, dueAt: now },
    deliveryDeps(ctx),
  );
  return store.deliveries.get(endpointId, delivery.id);
}

/** Sends a delivery again: a new retry cycle with the same webhook-id. */
export async function redeliver(
  ctx: WebhookContext,
  endpointId: string,
  deliveryId: string,
): Promise<Delivery> {
  const { store } = ctx;
  await store.webhookEndpoints.get(endpointId);
  const now = ctx.clock();
  const attempt = await store.deliveries.restart(endpointId, deliveryId, now);
  await ctx.webhooks.queue.enqueue({
    tenantId: ctx.tenantId,
    endpointId,
    deliveryId,
    attempt,
    dueAt: now.toISOString(),
  });
  return store.deliveries.get(endpointId, deliveryId);
}

/** Re-sends every event since a time that the endpoint subscribes to (events are kept 30 days). */
export async function recoverDeliveries(
  ctx: WebhookContext,
  endpointId: string,
  since: string,
): Promise<number> {
  const { store } = ctx;
  const endpoint = await store.webhookEndpoints.get(endpointId);
  const now = ctx.clock();
  let queued = 0;
  let cursor: string | undefined;
  do {
    const page = await store.events.list({ after: since }, { limit: 100, cursor });
    for (const event of page.items) {
      if (!matchesEventFilter(endpoint.eventTypes, event.type)) continue;
      const nowIso = now.toISOString();
      const delivery = pendingDelivery(event, endpointId, nowIso);
      const created = await store.deliveries.createIfAbsent(delivery, toEnvelope(event));
      const attempt = created ? 0 : await store.deliveries.restart(endpointId, delivery.id, now);
      await ctx.webhooks.queue.enqueue({
        tenantId: event.tenantId,
        endpointId,
        deliveryId: delivery.id,
        attempt,
        dueAt: nowIso,
      });
      queued++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return queued;
}

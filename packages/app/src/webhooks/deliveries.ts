import { type Delivery, newId, pendingDelivery, type Recovery, TEST_EVENT_TYPE } from '@tandem/core';
import { processJob } from '@tandem/webhooks';
import type { TenantContext, WebhookContext } from '../context.ts';

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

/**
 * Starts re-sending every event since a time that the endpoint subscribes to (events are kept 30
 * days). The work runs in the background, a page of events per queue job, so the request costs
 * the same whether the endpoint missed ten events or a month of them; the recovery reports its
 * progress.
 */
export async function recoverDeliveries(
  ctx: WebhookContext,
  endpointId: string,
  since: string,
): Promise<Recovery> {
  const { store } = ctx;
  await store.webhookEndpoints.get(endpointId);
  const now = ctx.clock().toISOString();
  const recovery: Recovery = {
    id: newId('recovery'),
    endpointId,
    since,
    status: 'running',
    queued: 0,
    createdAt: now,
    updatedAt: now,
  };
  await store.deliveries.createRecovery(recovery);
  await ctx.webhooks.queue.enqueue({
    kind: 'recovery',
    tenantId: ctx.tenantId,
    endpointId,
    recoveryId: recovery.id,
    page: 0,
    dueAt: now,
  });
  return recovery;
}

/** A recovery as its caller sees it: status and progress, without where its pages stand. */
export async function getRecovery(
  ctx: TenantContext,
  endpointId: string,
  recoveryId: string,
): Promise<Recovery> {
  return (await ctx.store.deliveries.getRecovery(endpointId, recoveryId)).recovery;
}

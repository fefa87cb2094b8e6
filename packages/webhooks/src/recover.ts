import { ConflictError, matchesEventFilter, NotFoundError, pendingDelivery, toEnvelope } from '@tandem/core';
import type { DeliveryDeps } from './deliver.ts';
import type { RecoveryJob } from './queue.ts';

export type RecoveryResult = 'stale' | 'page' | 'completed';

/**
 * Does one page of a recovery: creates (or restarts) a delivery for every event of the page the
 * endpoint subscribes to, queues them, records the page as done and queues the next page. A job
 * for a page that is already done (a redelivered message) does nothing.
 */
export async function continueRecovery(job: RecoveryJob, deps: DeliveryDeps): Promise<RecoveryResult> {
  const stores = await deps.storesFor(job.tenantId);
  const { recovery, page, cursor } = await stores.deliveries.getRecovery(job.endpointId, job.recoveryId);
  if (recovery.status !== 'running' || page !== job.page) return 'stale';
  const now = deps.now?.() ?? new Date();
  let endpoint: Awaited<ReturnType<typeof stores.webhookEndpoints.get>> | undefined;
  try {
    endpoint = await stores.webhookEndpoints.get(job.endpointId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const events = endpoint
    ? await stores.events.list({ after: recovery.since }, { limit: deps.policy.recoveryPageSize, cursor })
    : { items: [], nextCursor: null };
  let queued = 0;
  for (const event of events.items) {
    if (!endpoint || !matchesEventFilter(endpoint.eventTypes, event.type)) continue;
    const delivery = pendingDelivery(event, job.endpointId, now.toISOString());
    let attempt = 0;
    if (!(await stores.deliveries.createIfAbsent(delivery, toEnvelope(event)))) {
      try {
        attempt = await stores.deliveries.restart(job.endpointId, delivery.id, now);
      } catch (error) {
        // Being attempted right now: that attempt delivers it, or schedules its retries.
        if (error instanceof ConflictError) continue;
        throw error;
      }
    }
    await deps.queue.enqueue({
      tenantId: job.tenantId,
      endpointId: job.endpointId,
      deliveryId: delivery.id,
      attempt,
      dueAt: now.toISOString(),
    });
    queued++;
  }
  const advanced = await stores.deliveries.advanceRecovery(job.endpointId, job.recoveryId, page, {
    queued,
    nextCursor: events.nextCursor,
    now: now.toISOString(),
  });
  if (!advanced) return 'stale';
  if (events.nextCursor === null) return 'completed';
  await deps.queue.enqueue({ ...job, page: page + 1, dueAt: now.toISOString() });
  return 'page';
}

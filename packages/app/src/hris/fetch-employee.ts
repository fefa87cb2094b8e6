import { NotFoundError, newId } from '@tandem/core';
import type { HrisApiContext, HrisJob } from './ports.ts';
import { apiClientOf } from './provider-api.ts';

/**
 * A thin delivery's job made whole: the employee as the provider's API has them now, with the
 * time they were read as the source time (what was read is at least as new as any change sent
 * before). Undefined, logged as skipped, when there is nothing to apply: the connection is gone
 * or lost its credentials, or the provider no longer knows the employee. A failed call throws, so
 * the queue retries the job.
 */
export async function fetchEmployee(ctx: HrisApiContext, job: HrisJob): Promise<HrisJob | undefined> {
  const { store } = ctx;
  const externalId = job.change.snapshot.externalId;
  const found = await store.hrisConnections.getWithSecrets(job.connectionId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!found) return undefined;
  const client = apiClientOf(ctx, found.connection, found.apiCredentials);
  const snapshot = client ? await client.employee(externalId) : undefined;
  if (!snapshot) {
    await store.hrisInbox.log(job.connectionId, newId('hrisLogEntry'), {
      outcome: 'skipped',
      eventType: job.eventType,
      externalId,
      reason: client
        ? `${found.connection.provider} does not know the employee (not found through its API)`
        : 'the connection has no API credentials any more',
    });
    return undefined;
  }
  const { fetch: _fetched, ...rest } = job;
  return { ...rest, change: { snapshot, sourceUpdatedAt: ctx.clock().toISOString() } };
}

import { defaultReconcileMinutes, NotFoundError, newId, type Timer } from '@tandem/core';
import { HrisApiError } from '@tandem/integrations';
import { applyEmployeeChange } from './apply-employee-change.ts';
import type { HrisApiContext } from './ports.ts';
import { apiClientOf } from './provider-api.ts';

/** Pages one pass reads at most; a longer pull continues on the job's next pass. */
const PAGES_PER_PASS = 5;
/** After a failed call the pull is tried again this much later, from where it stopped. */
const RETRY_MINUTES = 15;

/** A connection's reconciliation timer: one per connection, due at `at`, carrying the pull's place. */
export function reconcileTimer(connectionId: string, at: Date, data?: Timer['data']): Timer {
  return {
    kind: 'hris.reconcile',
    subjectId: connectionId,
    dueAt: at.toISOString(),
    ...(data ? { data } : {}),
  };
}

const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/**
 * A connection's scheduled pull: the employees the provider lists (those changed since the last
 * completed pull where its API can tell, everyone otherwise), each applied through the same
 * out-of-order-safe apply as webhooks, with the time it was read as its source time. It removes
 * nobody: a person leaves only when the provider says they were terminated. A pull longer than a
 * pass keeps its cursor on the timer and goes on at the next pass; the timer then moves to the
 * next pull, the connection's interval later. A connection gone or without credentials ends it.
 */
export async function reconcileConnection(ctx: HrisApiContext, timer: Timer): Promise<void> {
  const { store } = ctx;
  const connectionId = timer.subjectId;
  const found = await store.hrisConnections.getWithSecrets(connectionId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  const client = found && apiClientOf(ctx, found.connection, found.apiCredentials);
  if (!found || !client) return store.timers.complete(timer);
  const { connection } = found;
  const interval = connection.api?.reconcileEveryMinutes ?? defaultReconcileMinutes(connection.provider);
  const passStarted = ctx.clock();
  const reschedule = async (
    at: Date,
    data: Timer['data'],
    summary: { outcome: 'reconciled' | 'failed'; reason: string },
  ) =>
    store.hrisInbox.commit([
      await store.timers.rescheduleOp(timer, reconcileTimer(connectionId, at, data)),
      await store.hrisInbox.logOp(connectionId, newId('hrisLogEntry'), { eventType: timer.kind, ...summary }),
    ]);
  if (connection.status === 'paused')
    return reschedule(minutesAfter(passStarted, interval), timer.data, {
      outcome: 'reconciled',
      reason: 'paused: nothing pulled',
    });

  const data = timer.data ?? {};
  const since = typeof data.since === 'string' ? data.since : undefined;
  const pullStarted = typeof data.pullStarted === 'string' ? data.pullStarted : passStarted.toISOString();
  let cursor = typeof data.cursor === 'string' ? data.cursor : undefined;
  const place = () => ({ ...(since ? { since } : {}), pullStarted, ...(cursor ? { cursor } : {}) });
  let read = 0;
  try {
    for (let page = 0; page < PAGES_PER_PASS; page++) {
      const result = await client.list({ since, cursor });
      const readAt = ctx.clock().toISOString();
      for (const snapshot of result.employees) {
        await applyEmployeeChange(ctx, {
          tenantId: ctx.tenantId,
          connectionId,
          provider: connection.provider,
          eventType: timer.kind,
          change: { snapshot, sourceUpdatedAt: readAt },
        });
        read++;
      }
      cursor = result.cursor;
      if (!cursor) break;
    }
  } catch (error) {
    // Only the status is recorded: a provider's error body may echo request data.
    const reason =
      error instanceof HrisApiError
        ? error.message
        : `the provider API could not be reached (${(error as Error).message})`;
    return reschedule(minutesAfter(passStarted, RETRY_MINUTES), place(), {
      outcome: 'failed',
      reason: `${reason}; ${read} employees applied before; retried in ${RETRY_MINUTES} minutes`,
    });
  }
  const scope = since ? `changed since ${since}` : 'everyone';
  if (cursor)
    return reschedule(new Date(ctx.clock().getTime() + 1000), place(), {
      outcome: 'reconciled',
      reason: `${read} employees read (${scope}); the pull goes on at the next pass`,
    });
  // The next pull asks for changes since this one began, so nothing changed meanwhile is missed.
  return reschedule(
    minutesAfter(passStarted, interval),
    { since: pullStarted },
    {
      outcome: 'reconciled',
      reason: `${read} employees read (${scope}); pull complete`,
    },
  );
}

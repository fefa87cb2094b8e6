import { type Timer, TimerAlreadyHandledError } from '@tandem/core';
import type { TenantsRepository } from '@tandem/store';
import { type ScheduledContext, timerHandlers } from './timer-handlers.ts';

export interface ScheduledJobDeps {
  /** The tenant directory: the job visits every active tenant. */
  tenants: TenantsRepository;
  /** One tenant's repositories, with the job's clock (`now`) stamping what the handlers write. */
  contextFor(tenantId: string): ScheduledContext;
  /** Timers handled at once within a tenant. */
  concurrency?: number;
  /** A handler failed: the timer stays due and the next pass tries again. */
  onError?(error: unknown, timer: Timer, tenantId: string): void;
}

export interface ScheduledJobResult {
  tenants: number;
  /** Timers whose work this pass did. */
  handled: number;
  /** Timers another pass handled or moved while this one was at them. */
  alreadyHandled: number;
  failed: number;
}

const PAGE = 100;

/**
 * One pass of the scheduled job: every timer due at `now` in every active tenant, oldest first.
 * Safe to run twice or concurrently (each handler's transaction removes its timer on the
 * condition that it is unchanged) and after downtime (every timer still due is found, however
 * late). Work a handler reschedules into the past is found again later in the same pass, so a
 * recurring timer catches up one occurrence at a time.
 */
export async function runScheduledJob(deps: ScheduledJobDeps, now: Date): Promise<ScheduledJobResult> {
  const result: ScheduledJobResult = { tenants: 0, handled: 0, alreadyHandled: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const page = await deps.tenants.list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const tenant of page.items) {
      if (tenant.status !== 'active') continue;
      result.tenants++;
      await runDueTimers(deps, deps.contextFor(tenant.id), now, result);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return result;
}

/** The pass over one tenant's due timers (what runScheduledJob does per tenant). */
export async function runDueTimers(
  deps: Pick<ScheduledJobDeps, 'concurrency' | 'onError'>,
  ctx: ScheduledContext,
  now: Date,
  result: ScheduledJobResult = { tenants: 1, handled: 0, alreadyHandled: 0, failed: 0 },
): Promise<ScheduledJobResult> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.store.timers.due(now, PAGE, start);
    await inParallel(page.timers, deps.concurrency ?? 16, async (timer) => {
      try {
        await timerHandlers[timer.kind](ctx, timer);
        result.handled++;
      } catch (error) {
        if (error instanceof TimerAlreadyHandledError) result.alreadyHandled++;
        else {
          result.failed++;
          deps.onError?.(error, timer, ctx.tenantId);
        }
      }
    });
    start = page.next;
  } while (start);
  return result;
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

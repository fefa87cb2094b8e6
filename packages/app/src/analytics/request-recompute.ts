import { type AnalyticsRecompute, analyticsRecomputeTimer, NotFoundError, type Timer } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import type { ScheduledContext } from '../schedule/timer-handlers.ts';
import { recomputeAnalytics } from './recompute-analytics.ts';

/**
 * An admin asks for the program's analytics to be rebuilt from its data. The rebuild reads the
 * whole program, longer than a request may take in a large one, so it is queued: its status (and
 * a timer due now, for the scheduled job) are written together, and the answer is the queued
 * status. Asking again while it is queued moves the timer and runs it once.
 */
export async function requestAnalyticsRecompute(
  ctx: TenantContext,
  programId: string,
): Promise<AnalyticsRecompute> {
  await ctx.store.programs.get(programId);
  const now = ctx.clock();
  const queued: AnalyticsRecompute = { programId, status: 'queued', requestedAt: now.toISOString() };
  await ctx.store.analytics.recordRecompute(
    queued,
    await ctx.store.timers.setOp(analyticsRecomputeTimer(programId, now)),
  );
  return queued;
}

/** The program's last requested rebuild: 404 when none was ever asked for. */
export async function getAnalyticsRecompute(
  ctx: TenantContext,
  programId: string,
): Promise<AnalyticsRecompute> {
  await ctx.store.programs.get(programId);
  const found = await ctx.store.analytics.recomputeOf(programId);
  if (!found) throw new NotFoundError(`Program ${programId}'s analytics were never recomputed`);
  return found;
}

/**
 * The rebuild's timer fell due: the analytics are rebuilt, then the status says `completed` in the
 * transaction that removes the timer. A request made meanwhile moved the timer, so that
 * transaction fails and the rebuild runs again for it; a rebuild interrupted runs again at the
 * next pass (it writes only what changed).
 */
export async function runAnalyticsRecompute(ctx: ScheduledContext, timer: Timer): Promise<void> {
  const programId = timer.subjectId;
  const sums = await recomputeAnalytics(ctx, programId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  // A draft program deleted since: nothing to rebuild.
  if (!sums) return ctx.store.timers.complete(timer);
  const requested = await ctx.store.analytics.recomputeOf(programId);
  await ctx.store.analytics.recordRecompute(
    {
      programId,
      status: 'completed',
      requestedAt: requested?.requestedAt ?? timer.dueAt,
      completedAt: ctx.clock().toISOString(),
      slices: Object.keys(sums).length,
    },
    await ctx.store.timers.clearOp(timer),
  );
}

import { assertCancellable, domainEvent, type MatchRun } from '@tandem/core';
import type { MatchingContext } from '../context.ts';

/** Cancels a run that has not finished; its execution is stopped after the run item says cancelled. */
export async function cancelMatchRun(
  ctx: MatchingContext,
  programId: string,
  runId: string,
): Promise<MatchRun> {
  const { store } = ctx;
  const run = await store.matchRuns.get(programId, runId);
  assertCancellable(run);
  await store.matchRuns.transition(
    run,
    ['queued', 'running', 'awaiting_review'],
    'cancelled',
    {},
    ctx.clock().toISOString(),
    domainEvent('match_run.cancelled', { runId, programId }),
  );
  if (run.executionId) await ctx.workflows.stop(run.executionId);
  return store.matchRuns.get(programId, runId);
}

import { domainEvent, type MatchRunStatus, runningStep } from '@tandem/core';
import { RunNotActiveError } from '@tandem/store';
import type { TenantContext } from '../context.ts';

export interface RunFailure {
  error: string;
  cause?: string | undefined;
}

/** Every status a run can fail from: anything not yet finished. */
const unfinished: readonly MatchRunStatus[] = ['queued', 'running', 'awaiting_review', 'publishing'];

/**
 * Fails a run: records why (and the step it was in), releases the program's run slot and emits
 * match_run.failed, in one write. A run that was cancelled or finished meanwhile is left as it is
 * (returns false). `from` narrows the statuses a caller may fail (e.g. only executing runs).
 */
export async function failMatchRun(
  ctx: TenantContext,
  ref: { programId: string; runId: string },
  failure: RunFailure,
  from: readonly MatchRunStatus[] = unfinished,
): Promise<boolean> {
  const run = await ctx.store.matchRuns.get(ref.programId, ref.runId);
  if (!from.includes(run.status)) return false;
  const step = runningStep(run);
  try {
    await ctx.store.matchRuns.transition(
      run,
      from,
      'failed',
      {
        failure: {
          ...(step ? { step } : {}),
          error: failure.error,
          ...(failure.cause ? { cause: failure.cause } : {}),
        },
      },
      ctx.clock().toISOString(),
      domainEvent('match_run.failed', { runId: run.id, programId: run.programId, error: failure.error }),
      step ? { step, status: 'failed' } : undefined,
    );
    return true;
  } catch (error) {
    if (error instanceof RunNotActiveError) return false;
    throw error;
  }
}

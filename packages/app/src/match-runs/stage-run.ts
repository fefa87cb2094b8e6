import { domainEvent, type MatchRun, type Proposal, type RunTotals } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/**
 * The Stage step: writes the run's proposals and moves it to awaiting_review with its totals, ending
 * the stage step in the same write (no reader sees the run moved on with the step still running).
 */
export async function stageRun(
  ctx: TenantContext,
  ref: { programId: string; runId: string },
  proposals: Proposal[],
  totals: RunTotals,
  solver: NonNullable<MatchRun['solver']>,
): Promise<void> {
  const { store } = ctx;
  await store.matchRuns.step(ref.programId, ref.runId, 'stage', 'running', ctx.clock().toISOString());
  await store.matchRuns.putProposals(ref.runId, proposals);
  await store.matchRuns.transition(
    { id: ref.runId, programId: ref.programId },
    ['running'],
    'awaiting_review',
    { totals, solver },
    ctx.clock().toISOString(),
    domainEvent('match_run.awaiting_review', {
      runId: ref.runId,
      programId: ref.programId,
      proposals: totals.proposals,
      unmatched: totals.unmatched,
    }),
    { step: 'stage', status: 'succeeded' },
  );
}

import { effectiveDecision, type Proposal } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** A page of a run's proposals, each with its decision as it stands (an "approve all" included). */
export async function listProposals(
  ctx: TenantContext,
  programId: string,
  runId: string,
  page: PageRequest,
): Promise<Page<Proposal>> {
  const run = await ctx.store.matchRuns.get(programId, runId);
  const result = await ctx.store.matchRuns.listProposals(runId, page);
  return { ...result, items: result.items.map((p) => ({ ...p, decision: effectiveDecision(p, run) })) };
}

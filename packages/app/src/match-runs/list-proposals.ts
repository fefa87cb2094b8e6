import { effectiveDecision, type Proposal } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { withRelationships } from './published-relationships.ts';

/**
 * A page of a run's proposals, each with its decision as it stands (an "approve all" included)
 * and, once published, the relationship it became.
 */
export async function listProposals(
  ctx: TenantContext,
  programId: string,
  runId: string,
  page: PageRequest,
): Promise<Page<Proposal>> {
  const run = await ctx.store.matchRuns.get(programId, runId);
  const result = await ctx.store.matchRuns.listProposals(runId, page);
  const items = await withRelationships(ctx, run, result.items);
  return { ...result, items: items.map((p) => ({ ...p, decision: effectiveDecision(p, run) })) };
}

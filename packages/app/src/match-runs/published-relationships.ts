import { becomesId, type MatchRun, type Proposal } from '@tandem/core';
import type { TenantContext } from '../context.ts';

/** The relationship a proposal becomes when published: its id derives from the proposal's. */
export const relationshipOf = (proposalId: string) => becomesId('relationship', proposalId);

/**
 * Proposals with the relationship each became, for a run that published: one batched key read of
 * the relationships they would have become (a skipped proposal has none).
 */
export async function withRelationships(
  ctx: TenantContext,
  run: Pick<MatchRun, 'status'>,
  proposals: Proposal[],
): Promise<Proposal[]> {
  if (run.status !== 'publishing' && run.status !== 'published') return proposals;
  const candidates = proposals.filter((p) => p.kind !== 'unmatched' && !p.relationshipId);
  if (!candidates.length) return proposals;
  const made = await ctx.store.relationships.existing(candidates.map((p) => relationshipOf(p.id)));
  return proposals.map((p) => {
    const relationshipId = relationshipOf(p.id);
    return !p.relationshipId && made.has(relationshipId) ? { ...p, relationshipId } : p;
  });
}

import { newId, type Relationship } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { scoreMatch } from './score-match.ts';
import { startRelationship } from './start-relationship.ts';

/**
 * Matches people by hand: scored and explained, under the same hard rules and capacity as a run,
 * starting as the program says (pending its agreement or active, with the program's milestones),
 * its daily health evaluation set in the same transaction.
 */
export async function matchManually(
  ctx: TenantContext,
  input: { programId: string; personIds: string[] },
): Promise<Relationship> {
  const now = ctx.clock();
  const [scored, surveys] = await Promise.all([
    scoreMatch(ctx.store, input.programId, input.personIds, now),
    ctx.store.surveys.all(input.programId),
  ]);
  const entry = await startRelationship(
    ctx,
    {
      id: newId('relationship'),
      programId: input.programId,
      members: scored.members,
      limits: scored.limits,
      score: scored.score,
      explanation: scored.explanation,
      matchSnapshot: scored.matchSnapshot,
      source: 'manual',
    },
    scored.program,
    surveys,
    now,
  );
  await ctx.store.relationships.createMany([entry]);
  return entry.value;
}

import { type AtRiskRelationship, type RelationshipHealthView, relationshipHealthView } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext, TenantContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { assessHealth, type HealthContext } from './evaluate-health.ts';

/** How many days of history a read returns. */
export const HEALTH_HISTORY_SHOWN = 90;

/**
 * A relationship's health as last evaluated, with its daily history. Before its first evaluation
 * (and after it ended without one) the score is computed as of now and not stored.
 */
export async function getHealth(
  ctx: ActorContext & HealthContext,
  relationshipId: string,
): Promise<RelationshipHealthView> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  const { stored, history } = await ctx.store.health.withHistory(relationshipId, HEALTH_HISTORY_SHOWN);
  if (stored) return relationshipHealthView.parse({ ...stored, history });
  const { program, assessed } = await assessHealth(ctx, relationship);
  return relationshipHealthView.parse({
    relationshipId,
    programId: relationship.programId,
    score: assessed.score,
    atRisk: assessed.atRisk,
    threshold: program.health.atRiskBelow,
    components: assessed.components,
    reasons: assessed.reasons,
    lastMetAt: assessed.lastMetAt,
    history,
  });
}

/** The program's relationships at risk as of their last evaluation (404 for another tenant's program). */
export async function listAtRisk(
  ctx: TenantContext,
  programId: string,
  page: PageRequest,
): Promise<Page<AtRiskRelationship>> {
  await ctx.store.programs.get(programId);
  return ctx.store.health.atRisk(programId, page);
}

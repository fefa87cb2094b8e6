import { describeMilestones, type Milestone } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';

/** A relationship's milestones in their order, each with whether it was reached. */
export async function listMilestones(ctx: ActorContext, relationshipId: string): Promise<Milestone[]> {
  const [relationship, reached] = await Promise.all([
    reachableRelationship(ctx, relationshipId),
    ctx.store.milestones.reached(relationshipId),
  ]);
  return describeMilestones(relationshipId, relationship.milestones, reached);
}

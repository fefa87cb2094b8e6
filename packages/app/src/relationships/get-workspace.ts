import {
  describeAgreement,
  describeMilestones,
  type RelationshipWorkspace,
  relationshipWorkspace,
  WORKSPACE_GOALS,
  WORKSPACE_MEETINGS,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';

/**
 * A relationship with its agreement, goals, milestones and next meetings. Every read is keyed by
 * the relationship, so they all go at once: a member's whole view costs one round trip, whatever
 * the size of the tenant. What the actor may not reach is refused before anything is returned.
 */
export async function getWorkspace(
  ctx: ActorContext,
  relationshipId: string,
): Promise<RelationshipWorkspace> {
  const { store } = ctx;
  const [relationship, agreement, goals, reached, meetings] = await Promise.all([
    reachableRelationship(ctx, relationshipId),
    store.agreements.get(relationshipId),
    store.goals.list(relationshipId, { limit: WORKSPACE_GOALS }),
    store.milestones.reached(relationshipId),
    store.meetings.list(
      relationshipId,
      { when: 'upcoming', status: 'scheduled', now: ctx.clock().toISOString() },
      { limit: WORKSPACE_MEETINGS },
    ),
  ]);
  return relationshipWorkspace.parse({
    relationship,
    agreement: agreement ? describeAgreement(agreement, relationship) : null,
    goals: goals.items,
    moreGoals: goals.nextCursor !== null,
    milestones: describeMilestones(relationshipId, relationship.milestones, reached),
    upcomingMeetings: meetings.items,
  });
}

import {
  assertOngoing,
  ConflictError,
  describeMilestones,
  type Milestone,
  NotFoundError,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { retryOnFreshState } from '../versioned.ts';
import { reachWrites } from './milestone-writes.ts';

/**
 * A member (or an admin) marks a manual milestone reached. Milestones with another trigger are
 * reached by what they name, never by hand, so the record says what really happened.
 */
export function reachMilestone(ctx: ActorContext, relationshipId: string, key: string): Promise<Milestone> {
  const { store, actor } = ctx;
  return retryOnFreshState(async () => {
    const relationship = await reachableRelationship(ctx, relationshipId);
    const milestone = relationship.milestones.find((m) => m.key === key);
    if (!milestone) throw new NotFoundError(`Relationship ${relationshipId} has no milestone ${key}`);
    assertOngoing(relationship);
    if (milestone.trigger !== 'manual')
      throw new ConflictError(
        `Milestone ${key} is reached by its trigger (${milestone.trigger}), not by hand`,
      );
    const reached = await store.milestones.reached(relationshipId);
    const already = reached.find((r) => r.key === key);
    if (already) throw new ConflictError(`Milestone ${key} was already reached at ${already.reachedAt}`);
    const at = ctx.clock().toISOString();
    const writes = await reachWrites(
      store,
      relationship,
      [milestone],
      at,
      actor.kind === 'participant' ? actor.personId : undefined,
    );
    await store.milestones.reach(
      [await store.relationships.ongoingCheck(relationshipId), ...writes.ops],
      writes.events,
    );
    return describeMilestones(relationshipId, [milestone], writes.reached)[0]!;
  });
}

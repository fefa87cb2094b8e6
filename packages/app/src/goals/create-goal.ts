import {
  assertOngoing,
  assertOwnerIsMember,
  domainEvent,
  type Goal,
  type GoalInput,
  impliedGoalChanges,
  newId,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { goalEventData } from './goal-rules.ts';

/** Sets a goal of the relationship, or of one member (`ownerId`). Members and admins set goals. */
export async function createGoal(ctx: ActorContext, relationshipId: string, input: GoalInput): Promise<Goal> {
  const { store } = ctx;
  const relationship = await reachableRelationship(ctx, relationshipId);
  assertOngoing(relationship);
  assertOwnerIsMember(input, relationship);
  const at = ctx.clock().toISOString();
  const implied = impliedGoalChanges(undefined, input);
  const value: Goal = {
    id: newId('goal'),
    relationshipId,
    ...input,
    status: input.status ?? implied.status ?? 'not_started',
    progress: input.progress ?? implied.progress ?? 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await store.goals.create(
    value,
    [await store.relationships.ongoingCheck(relationshipId)],
    domainEvent('goal.created', goalEventData(value, relationship)),
  );
  return value;
}

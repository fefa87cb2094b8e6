import {
  applyMergePatch,
  assertOngoing,
  assertOwnerIsMember,
  type Goal,
  type GoalProgressInput,
  type GoalUpdate,
  type goalPatch,
  goal as goalSchema,
  impliedGoalChanges,
} from '@tandem/core';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { goalUpdatedEvent, historyOf } from './goal-rules.ts';

/**
 * Changes a goal by JSON Merge Patch. A change of progress or status is appended to the goal's
 * history in the same transaction.
 */
export async function updateGoal(
  ctx: ActorContext,
  relationshipId: string,
  goalId: string,
  patch: z.infer<typeof goalPatch>,
  precondition: Precondition,
): Promise<Goal> {
  return (await changeGoal(ctx, relationshipId, goalId, patch, precondition)).goal;
}

/** Records progress (and optionally a status and a note): one history entry, the goal updated. */
export async function recordGoalProgress(
  ctx: ActorContext,
  relationshipId: string,
  goalId: string,
  input: GoalProgressInput,
  precondition: Precondition,
): Promise<{ goal: Goal; update: GoalUpdate }> {
  const { note, ...change } = input;
  const outcome = await changeGoal(ctx, relationshipId, goalId, change, precondition, { note });
  return { goal: outcome.goal, update: outcome.update! };
}

function changeGoal(
  ctx: ActorContext,
  relationshipId: string,
  goalId: string,
  patch: Record<string, unknown>,
  precondition: Precondition,
  report?: { note?: string | undefined },
): Promise<{ goal: Goal; update: GoalUpdate | undefined }> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const relationship = await reachableRelationship(ctx, relationshipId);
    const current = await store.goals.get(relationshipId, goalId);
    assertVersion(current, precondition);
    assertOngoing(relationship);
    const changes = { ...patch, ...impliedGoalChanges(current, patch) };
    const updated = applyMergePatch(
      current,
      { ...changes, updatedAt: ctx.clock().toISOString(), version: current.version + 1 },
      goalSchema,
    );
    assertOwnerIsMember(updated, relationship);
    const removed = Object.entries(changes)
      .filter(([, value]) => value === null)
      .map(([field]) => field);
    const update = historyOf(current, updated, ctx.actor, report);
    await store.goals.update(
      current,
      updated,
      removed,
      update,
      [await store.relationships.ongoingCheck(relationshipId)],
      goalUpdatedEvent(updated, relationship, Object.keys(changes)),
    );
    return { goal: updated, update };
  });
}

import type { Goal, GoalUpdate } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';

export async function listGoals(
  ctx: ActorContext,
  relationshipId: string,
  page: PageRequest,
): Promise<Page<Goal>> {
  await reachableRelationship(ctx, relationshipId);
  return ctx.store.goals.list(relationshipId, page);
}

export async function getGoal(ctx: ActorContext, relationshipId: string, goalId: string): Promise<Goal> {
  await reachableRelationship(ctx, relationshipId);
  return ctx.store.goals.get(relationshipId, goalId);
}

/** A goal's history of progress and status, oldest first. */
export async function listGoalUpdates(
  ctx: ActorContext,
  relationshipId: string,
  goalId: string,
  page: PageRequest,
): Promise<Page<GoalUpdate>> {
  await getGoal(ctx, relationshipId, goalId);
  return ctx.store.goals.history(relationshipId, goalId, page);
}

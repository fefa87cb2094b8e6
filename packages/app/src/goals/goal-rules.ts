import { domainEvent, type Goal, type GoalUpdate, newId, type Relationship } from '@tandem/core';
import type { Actor } from '../context.ts';

export const goalEventData = (goal: Goal, relationship: Pick<Relationship, 'programId'>) => ({
  relationshipId: goal.relationshipId,
  programId: relationship.programId,
  goalId: goal.id,
  ...(goal.ownerId ? { ownerId: goal.ownerId } : {}),
  status: goal.status,
  progress: goal.progress,
});

export const goalUpdatedEvent = (
  goal: Goal,
  relationship: Pick<Relationship, 'programId'>,
  changed: string[],
) => domainEvent('goal.updated', { ...goalEventData(goal, relationship), changed });

/**
 * The history entry of a change: always for a progress update (`report`), otherwise only when
 * the change moved the goal's progress or status.
 */
export function historyOf(
  previous: Goal,
  next: Goal,
  actor: Actor,
  report?: { note?: string | undefined },
): GoalUpdate | undefined {
  if (!report && previous.progress === next.progress && previous.status === next.status) return undefined;
  const note = report?.note;
  return {
    id: newId('goalUpdate'),
    goalId: next.id,
    relationshipId: next.relationshipId,
    progress: next.progress,
    status: next.status,
    previousProgress: previous.progress,
    previousStatus: previous.status,
    ...(note === undefined ? {} : { note }),
    ...(actor.kind === 'participant' ? { authorId: actor.personId } : {}),
    createdAt: next.updatedAt,
  };
}

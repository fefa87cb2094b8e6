import * as z from 'zod';
import { entityMeta, isoDate, isoDateTime, skillName, text } from './common.ts';
import { InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import { isMember, type Relationship } from './relationship.ts';

export const goalStatuses = ['not_started', 'in_progress', 'achieved', 'abandoned'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

const progress = z.int().min(0).max(100).meta({ description: 'Percent done, 0–100' });

const goalFields = {
  title: text(200).meta({ example: 'Lead a design review on my own' }),
  measure: text(1000).optional().meta({ description: 'How success is measured' }),
  targetDate: isoDate.optional(),
  skill: skillName.optional().meta({ description: 'The skill the goal develops' }),
  ownerId: idSchema('person')
    .optional()
    .meta({ description: 'The member whose goal it is; absent for a goal of the whole relationship' }),
  status: z.enum(goalStatuses).default('not_started'),
  progress: progress.default(0),
};

/** Status and progress say whether the client gave them, so what one implies can fill the other. */
export const goalInput = z
  .strictObject({
    ...goalFields,
    status: z.enum(goalStatuses).optional().meta({ description: 'not_started unless progress is given' }),
    progress: progress
      .optional()
      .meta({ description: 'Percent done, 0–100; 0 unless the status is achieved' }),
  })
  .meta({ id: 'GoalInput' });
export type GoalInput = z.infer<typeof goalInput>;

export const goalPatch = mergePatchSchema(goalFields).meta({ id: 'GoalPatch' });

export const goal = z
  .strictObject({
    id: idSchema('goal'),
    relationshipId: idSchema('relationship'),
    ...goalFields,
    ...entityMeta,
  })
  .meta({ id: 'Goal' });
export type Goal = z.infer<typeof goal>;

export const goalProgressInput = z
  .strictObject({
    progress,
    status: z.enum(goalStatuses).optional(),
    note: text(2000).optional().meta({ description: "Visible to the members and the program's admins" }),
  })
  .meta({ id: 'GoalProgressInput' });
export type GoalProgressInput = z.infer<typeof goalProgressInput>;

/** One entry of a goal's history: a change of its progress or status. */
export const goalUpdate = z
  .strictObject({
    id: idSchema('goalUpdate'),
    goalId: idSchema('goal'),
    relationshipId: idSchema('relationship'),
    progress,
    status: z.enum(goalStatuses),
    previousProgress: progress,
    previousStatus: z.enum(goalStatuses),
    note: z.string().optional(),
    authorId: idSchema('person')
      .optional()
      .meta({ description: 'The member; absent when an admin wrote it' }),
    createdAt: isoDateTime,
  })
  .meta({ id: 'GoalUpdate' });
export type GoalUpdate = z.infer<typeof goalUpdate>;

/**
 * What a change of progress or status implies: achieving a goal completes it unless the change
 * says how far it got, and progress on a goal not started starts it.
 */
export function impliedGoalChanges(
  current: Pick<Goal, 'status'> | undefined,
  change: { status?: GoalStatus | null | undefined; progress?: number | null | undefined },
): { status?: GoalStatus; progress?: number } {
  if (change.status === 'achieved' && change.progress == null) return { progress: 100 };
  const status = change.status ?? current?.status ?? 'not_started';
  if (change.status == null && status === 'not_started' && change.progress) return { status: 'in_progress' };
  return {};
}

export function assertOwnerIsMember(
  value: Pick<Goal, 'ownerId'>,
  relationship: Pick<Relationship, 'members'>,
) {
  if (value.ownerId && !isMember(relationship, value.ownerId))
    throw new InvalidInputError('A goal belongs to the relationship or to one of its members', [
      { field: '/ownerId', message: 'is not a member of this relationship' },
    ]);
}

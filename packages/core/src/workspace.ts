import * as z from 'zod';
import { agreement } from './agreement.ts';
import { goal } from './goal.ts';
import { meeting } from './meeting.ts';
import { milestone } from './milestone.ts';
import { relationship } from './relationship.ts';

/** How many scheduled meetings the workspace shows; the meetings route pages through the rest. */
export const WORKSPACE_MEETINGS = 5;
/** How many goals the workspace shows; the goals route pages through the rest. */
export const WORKSPACE_GOALS = 50;

/** Everything a member opens a relationship for, in one read. */
export const relationshipWorkspace = z
  .object({
    relationship,
    agreement: agreement
      .nullable()
      .meta({ description: 'The current version, or null before the first draft' }),
    goals: z.array(goal).meta({ description: `The first ${WORKSPACE_GOALS} goals, oldest first` }),
    moreGoals: z.boolean().meta({ description: 'More goals than shown: page through GET …/goals' }),
    milestones: z.array(milestone),
    upcomingMeetings: z
      .array(meeting)
      .meta({ description: `The next ${WORKSPACE_MEETINGS} scheduled meetings, soonest first` }),
  })
  .meta({ id: 'RelationshipWorkspace' });
export type RelationshipWorkspace = z.infer<typeof relationshipWorkspace>;

import * as z from 'zod';
import { text } from './common.ts';
import { idSchema } from './id-schema.ts';

/** What a program is for, as objectives with measurable targets, and how its analytics are sliced. */
export const objectiveMetrics = [
  'match_rate_percent',
  'goal_completion_percent',
  'mean_meeting_rating',
  'meetings_per_relationship',
  'meeting_cadence_percent',
  'cross_department_percent',
  'wanted_skills_covered_percent',
  'retention_gain_points',
  'nps',
  'survey_item_gain',
] as const;
export type ObjectiveMetric = (typeof objectiveMetrics)[number];

export const objective = z
  .strictObject({
    metric: z.enum(objectiveMetrics).meta({
      description:
        '`match_rate_percent` (participants matched), `goal_completion_percent` (goals achieved), `mean_meeting_rating` (1–5), `meetings_per_relationship` (held), `meeting_cadence_percent` (held meetings against the cadence, 100 = on cadence), `cross_department_percent` (relationships across departments when matched), `wanted_skills_covered_percent` (wanted skills a partner covered when matched), `retention_gain_points` (participants still in the organization minus non-participants, in points), `nps` (−100…100), `survey_item_gain` (mean close-out minus pre-program answer of `questionId` in `surveyId`)',
    }),
    target: z.number().min(-1000).max(1000).meta({ description: 'The value the metric should reach' }),
    direction: z
      .enum(['at_least', 'at_most'])
      .default('at_least')
      .meta({ description: 'Whether the metric should reach the target from below or stay under it' }),
    description: text(300).optional(),
    surveyId: idSchema('survey').optional().meta({ description: 'For survey_item_gain: the survey' }),
    questionId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a question id')
      .optional()
      .meta({ description: 'For survey_item_gain: the question', maxLength: 40 }),
  })
  .refine((o) => o.metric !== 'survey_item_gain' || (o.surveyId && o.questionId), {
    message: 'survey_item_gain names surveyId and questionId',
    path: ['questionId'],
  })
  .meta({ id: 'Objective' });
export type Objective = z.infer<typeof objective>;

const objectiveKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'must be 1–50 lower-case letters, digits, - or _')
  .meta({ maxLength: 50 });

export const analyticsSettings = z
  .strictObject({
    minimumSliceSize: z.int().min(2).max(100).default(5).meta({
      description:
        'k-anonymity: a cohort or department slice with fewer participants than this is suppressed in analytics',
    }),
    objectives: z
      .record(objectiveKey, objective)
      .default({})
      .refine((value) => Object.keys(value).length <= 20, 'at most 20 objectives')
      .meta({
        description:
          'What the program is for, by name (merge-patchable: `{"objectives": {"goals": null}}` removes one)',
        example: { goals: { metric: 'goal_completion_percent', target: 80 } },
      }),
  })
  .meta({ id: 'AnalyticsSettings' });
export type AnalyticsSettings = z.infer<typeof analyticsSettings>;

import * as z from 'zod';
import { anonymitySettings } from './anonymity.ts';
import { entityMeta, isoDate, isoDateTime, text } from './common.ts';
import { ConflictError } from './errors.ts';
import { defaultHealthSettings, healthSettings } from './health.ts';
import { idSchema } from './id-schema.ts';
import { defaultMilestoneTemplates, milestoneTemplates } from './milestone.ts';
import { analyticsSettings } from './objectives.ts';
import { mergePatchSchema } from './patch.ts';
import { requiredTraining } from './training.ts';

export const programFormats = ['one_to_one', 'peer_pairs', 'circles'] as const;
export type ProgramFormat = (typeof programFormats)[number];

export const programStatuses = ['draft', 'enrolling', 'matching', 'active', 'completed', 'archived'] as const;
export type ProgramStatus = (typeof programStatuses)[number];

export const meetingCadences = ['weekly', 'biweekly', 'monthly'] as const;

// Four decimals are plenty for a weight, and keep values inside DynamoDB's number range (no 5e-324).
const weight = z
  .number()
  .min(0)
  .max(1)
  .refine((value) => Math.round(value * 10_000) / 10_000 === value, 'at most four decimals')
  .meta({ multipleOf: 0.0001 });

export const matchingWeights = z
  .strictObject({
    skills: weight.optional(),
    goals: weight.optional(),
    crossFunctional: weight.optional(),
    diversity: weight.optional(),
    practical: weight.optional(),
    experience: weight.optional(),
  })
  .meta({
    id: 'MatchingWeights',
    description:
      'Relative weight of each matching criterion (0–1; normalized when a run starts). Omitted criteria use the defaults.',
  });

export const matchingSettings = z
  .strictObject({
    weights: matchingWeights.default({}),
    crossDepartmentOnly: z.boolean().default(false),
    excludeSameReportingLine: z.boolean().default(true),
    excludePreviousPartners: z.boolean().default(true),
    maxExperienceGapYears: z.int().min(0).max(50).optional(),
    autoPublish: z.boolean().default(false).meta({ description: 'Publish match runs without admin review' }),
  })
  .meta({ id: 'MatchingSettings' });

export const circleSize = z
  .strictObject({ target: z.int().min(3).max(12), min: z.int().min(2).max(12), max: z.int().min(3).max(20) })
  .refine((s) => s.min <= s.target && s.target <= s.max, {
    message: 'must satisfy min ≤ target ≤ max',
    path: ['target'],
  })
  .meta({ id: 'CircleSize', description: 'Circle sizes, with min ≤ target ≤ max' });

export const capacityRules = z
  .strictObject({
    maxParticipants: z.int().min(2).max(100_000).optional(),
    defaultMentorCapacity: z.int().min(1).max(20).default(2),
    circleSize: circleSize.optional(),
  })
  .meta({ id: 'CapacityRules' });

export const relationshipSettings = z
  .strictObject({
    requireAgreement: z.boolean().default(false).meta({
      description:
        'New relationships start `pending_agreement` and become `active` once every member accepted the agreement',
    }),
    milestoneTemplates: milestoneTemplates.default(defaultMilestoneTemplates),
  })
  .meta({
    id: 'RelationshipSettings',
    description: 'How the relationships of the program start and progress',
  });

const programFields = {
  name: text(200).meta({ example: 'Cross-team peer mentoring 2027' }),
  description: text(4000).optional(),
  objectives: z.array(text(300)).max(20).default([]),
  format: z.enum(programFormats),
  startDate: isoDate.optional(),
  endDate: isoDate.optional().meta({ description: 'Not before startDate' }),
  meetingCadence: z.enum(meetingCadences).default('biweekly'),
  enrollmentOpensAt: isoDateTime.optional(),
  enrollmentClosesAt: isoDateTime.optional().meta({ description: 'Later than enrollmentOpensAt' }),
  selfEnrollment: z.boolean().default(false).meta({
    description: 'Participants may enrol themselves (POST /v1/me/enrollments) while the program is enrolling',
  }),
  capacity: capacityRules.default({ defaultMentorCapacity: 2 }),
  matching: matchingSettings.default({
    weights: {},
    crossDepartmentOnly: false,
    excludeSameReportingLine: true,
    excludePreviousPartners: true,
    autoPublish: false,
  }),
  requiredTraining: requiredTraining.optional(),
  relationships: relationshipSettings.default(() => ({
    requireAgreement: false,
    milestoneTemplates: defaultMilestoneTemplates(),
  })),
  health: healthSettings.default(defaultHealthSettings),
  analytics: analyticsSettings
    .default(() => ({ minimumSliceSize: 5, objectives: {} }))
    .meta({
      description: 'Objectives with measurable targets, and the k-anonymity of analytics slices',
    }),
  anonymity: anonymitySettings.default({ mode: 'identified', k: 5 }).meta({
    description: 'How survey responses are reported: identified, or anonymous with small slices suppressed',
  }),
};

type ProgramDates = {
  startDate?: string | undefined;
  endDate?: string | undefined;
  enrollmentOpensAt?: string | undefined;
  enrollmentClosesAt?: string | undefined;
};

function checkDateOrder(value: ProgramDates, ctx: z.RefinementCtx) {
  if (value.startDate && value.endDate && value.endDate < value.startDate)
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
  if (
    value.enrollmentOpensAt &&
    value.enrollmentClosesAt &&
    Date.parse(value.enrollmentClosesAt) <= Date.parse(value.enrollmentOpensAt)
  )
    ctx.addIssue({
      code: 'custom',
      path: ['enrollmentClosesAt'],
      message: 'must be after enrollmentOpensAt',
    });
}

export const programInput = z
  .strictObject(programFields)
  .superRefine(checkDateOrder)
  .meta({ id: 'ProgramInput' });
export type ProgramInput = z.infer<typeof programInput>;

/** `format` is fixed at creation: enrollments' roles depend on it. */
export const programPatch = mergePatchSchema(z.object(programFields).omit({ format: true }).shape).meta({
  id: 'ProgramPatch',
});

export const program = z
  .strictObject({
    id: idSchema('program'),
    ...programFields,
    status: z.enum(programStatuses),
    activeEnrollments: z.int().min(0).meta({ description: 'Number of active enrollments' }),
    ...entityMeta,
  })
  .superRefine(checkDateOrder)
  .meta({ id: 'Program' });
export type Program = z.infer<typeof program>;

/**
 * The lifecycle. Going back from `matching` to `enrolling` reopens enrollment after a
 * review; everything but an archived program can be archived.
 */
const transitions: Record<ProgramStatus, readonly ProgramStatus[]> = {
  draft: ['enrolling', 'archived'],
  enrolling: ['matching', 'archived'],
  matching: ['enrolling', 'active', 'archived'],
  active: ['completed', 'archived'],
  completed: ['archived'],
  archived: [],
};

export function allowedTransitions(from: ProgramStatus): readonly ProgramStatus[] {
  return transitions[from];
}

/** Throws unless `from → to` is a legal move and the program is ready for it. */
export function assertTransition(
  current: Pick<Program, 'status' | 'activeEnrollments' | 'format'>,
  to: ProgramStatus,
) {
  if (!transitions[current.status].includes(to)) {
    const allowed = transitions[current.status];
    throw new ConflictError(
      `A ${current.status} program cannot move to ${to}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`,
      [{ field: '/to', message: `not allowed from ${current.status}` }],
    );
  }
  if (to === 'matching') assertEnoughToMatch(current, '/to');
}

/** Matching (the lifecycle step and every run) needs at least two active enrollments: a 409, the program's state. */
export function assertEnoughToMatch(current: Pick<Program, 'activeEnrollments'>, field: string) {
  if (current.activeEnrollments < 2)
    throw new ConflictError('Matching needs at least two active enrollments', [
      { field, message: `only ${current.activeEnrollments} active enrollment(s)` },
    ]);
}

/** Enrollment is open while a program is drafted or enrolling, inside its window when it has one. */
export function assertEnrollmentOpen(
  current: Pick<Program, 'status' | 'enrollmentOpensAt' | 'enrollmentClosesAt'>,
  now: Date,
) {
  if (current.status !== 'draft' && current.status !== 'enrolling')
    throw new ConflictError(`Enrollment is closed: the program is ${current.status}`);
  const time = now.getTime();
  if (current.enrollmentOpensAt && time < Date.parse(current.enrollmentOpensAt))
    throw new ConflictError(`Enrollment opens at ${current.enrollmentOpensAt}`);
  if (current.enrollmentClosesAt && time >= Date.parse(current.enrollmentClosesAt))
    throw new ConflictError(`Enrollment closed at ${current.enrollmentClosesAt}`);
}

/** Only drafts without enrollments are deleted; a program that ran is archived so its history stays. */
export function assertDeletable(current: Pick<Program, 'status' | 'activeEnrollments'>) {
  if (current.status !== 'draft' || current.activeEnrollments > 0)
    throw new ConflictError('Only draft programs without enrollments can be deleted; archive it instead');
}

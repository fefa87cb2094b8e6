import * as z from 'zod';
import { entityMeta, isoDateTime, text } from './common.ts';
import { idSchema } from './id-schema.ts';
import type { Relationship } from './relationship.ts';

/**
 * What a program recognizes, per person. These are recognition rules, not a relationship's own
 * milestones (the templates a relationship reaches as it goes): a rule earns a person a milestone,
 * and an award when it names an award type, once.
 */
export const milestoneRuleKinds = [
  'first_meeting_held',
  'meetings_held',
  'all_goals_completed',
  'agreement_honoured',
  'program_completed',
  'mentored_people',
] as const;
export type MilestoneRuleKind = (typeof milestoneRuleKinds)[number];

/** Kinds that cross a threshold: they take `count`, the others do not. */
const countedKinds = ['meetings_held', 'mentored_people'] as const;
const plainKinds = milestoneRuleKinds.filter(
  (kind): kind is Exclude<MilestoneRuleKind, (typeof countedKinds)[number]> =>
    !(countedKinds as readonly string[]).includes(kind),
);

const KINDS_DESCRIPTION =
  '`first_meeting_held`: attended a held meeting in a relationship of the program; `meetings_held`: attended `count` held meetings in the program; `all_goals_completed`: a relationship of the program whose goals are all achieved (abandoned ones aside, at least one achieved); `agreement_honoured`: a relationship of the program completed with its agreement accepted by every member and, where it sets a cadence, at least the meetings the cadence asks for between start and end; `program_completed`: a relationship of the program completed; `mentored_people`: mentored `count` different people in completed relationships, across programs';

/** Any Tandem id (the award types API owns which exist). */
const awardTypeId = z
  .string()
  .regex(/^[a-z]{2,4}_[0-9a-hjkmnp-tv-z]{26}$/, 'must be an award type id')
  .meta({ description: 'The award type granted with the milestone', maxLength: 31 });

const ruleFields = {
  name: text(120).meta({ example: 'Five meetings in' }),
  awardTypeId: awardTypeId.optional(),
};

/** One variant per shape, so the schema itself says which kinds need `count`. */
export const milestoneRuleInput = z
  .discriminatedUnion('kind', [
    z
      .strictObject({
        kind: z.enum(countedKinds).meta({ description: KINDS_DESCRIPTION }),
        count: z.int().min(1).max(1000).meta({ description: 'The threshold', example: 5 }),
        ...ruleFields,
      })
      .meta({ id: 'CountedMilestoneRuleInput' }),
    z
      .strictObject({ kind: z.enum(plainKinds).meta({ description: KINDS_DESCRIPTION }), ...ruleFields })
      .meta({ id: 'PlainMilestoneRuleInput' }),
  ])
  .meta({ id: 'MilestoneRuleInput', description: '`count` with `meetings_held` and `mentored_people` only' });
export type MilestoneRuleInput = z.infer<typeof milestoneRuleInput>;

export const milestoneRule = z
  .object({
    id: idSchema('milestoneRule'),
    programId: idSchema('program'),
    kind: z.enum(milestoneRuleKinds),
    name: z.string(),
    count: z.int().optional(),
    awardTypeId: z.string().optional(),
    ...entityMeta,
  })
  .meta({ id: 'MilestoneRule' });
export type MilestoneRule = z.infer<typeof milestoneRule>;

/** A milestone a person earned by a rule: at most one per (rule, person). */
export const earnedMilestone = z
  .object({
    ruleId: idSchema('milestoneRule'),
    programId: idSchema('program'),
    personId: idSchema('person'),
    kind: z.enum(milestoneRuleKinds),
    milestone: z.string().meta({ description: "The rule's name when it was earned" }),
    awardTypeId: z.string().optional(),
    earnedAt: isoDateTime,
  })
  .meta({ id: 'EarnedMilestone' });
export type EarnedMilestone = z.infer<typeof earnedMilestone>;

/** What the rules of one program ask about one person, recomputed from the stored facts. */
export interface MilestoneFacts {
  /** Held meetings the person attended in the program's relationships. */
  meetingsHeld: number;
  /** Some relationship of the program has all its (not abandoned) goals achieved. */
  goalsCompleted: boolean;
  agreementHonoured: boolean;
  /** Some relationship of the program completed. */
  programCompleted: boolean;
  /** Different people the person mentored in completed relationships, in any program. */
  mentoredPeople: number;
}

/** Whether the facts meet the rule: the same facts always give the same answer. */
export function ruleReached(rule: Pick<MilestoneRule, 'kind' | 'count'>, facts: MilestoneFacts): boolean {
  switch (rule.kind) {
    case 'first_meeting_held':
      return facts.meetingsHeld >= 1;
    case 'meetings_held':
      return facts.meetingsHeld >= (rule.count ?? 1);
    case 'all_goals_completed':
      return facts.goalsCompleted;
    case 'agreement_honoured':
      return facts.agreementHonoured;
    case 'program_completed':
      return facts.programCompleted;
    case 'mentored_people':
      return facts.mentoredPeople >= (rule.count ?? 1);
  }
}

/** Goals achieved, abandoned ones set aside, and at least one achieved. */
export function goalsAllAchieved(goals: readonly { status: string }[]): boolean {
  const kept = goals.filter((goal) => goal.status !== 'abandoned');
  return kept.length > 0 && kept.every((goal) => goal.status === 'achieved');
}

const DAY_MS = 86_400_000;

/**
 * A completed relationship honoured its agreement when every member accepted the agreement's
 * current version and, if it set a cadence, held at least one meeting per cadence period that
 * fully elapsed between its start and its end.
 */
export function agreementWasHonoured(
  relationship: Pick<Relationship, 'status' | 'members' | 'startedAt' | 'createdAt' | 'endedAt'>,
  agreement:
    | { acceptances: Record<string, string>; cadence?: { every: number; unit: 'days' | 'weeks' } | undefined }
    | undefined,
  heldMeetings: number,
): boolean {
  if (relationship.status !== 'completed' || !agreement) return false;
  if (!relationship.members.every((m) => agreement.acceptances[m.personId] !== undefined)) return false;
  if (!agreement.cadence) return true;
  const start = Date.parse(relationship.startedAt ?? relationship.createdAt);
  const end = Date.parse(relationship.endedAt ?? relationship.createdAt);
  const period = agreement.cadence.every * (agreement.cadence.unit === 'weeks' ? 7 : 1) * DAY_MS;
  return heldMeetings >= Math.floor(Math.max(0, end - start) / period);
}

import * as z from 'zod';
import type { AnonymitySettings } from './anonymity.ts';
import type { Enrollment } from './enrollment.ts';
import { type Goal, type GoalStatus, goalStatuses } from './goal.ts';
import { idSchema } from './id-schema.ts';
import type { MatchSnapshot } from './match-snapshot.ts';
import type { Meeting, meetingOutcomes } from './meeting.ts';
import { type AnalyticsSettings, type Objective, objectiveMetrics } from './objectives.ts';
import type { Person } from './person.ts';
import type { Program } from './program.ts';
import {
  type DissolveReason,
  dissolveReasons,
  type Relationship,
  type RelationshipStatus,
  relationshipStatuses,
} from './relationship.ts';
import { type Moments, mean, sampleSd } from './statistics.ts';
import {
  mergeSurveyAnswers,
  observeLegacyResponse,
  observeLegacySurveyPair,
  observeSurveyResponse,
  type SurveyAnswers,
  type SurveyObservation,
  type SurveyPairRecord,
  type SurveyResponseRecord,
  type SurveyResponseSource,
  surveyAnswersContributions,
  surveyContributions,
  surveyFigures,
} from './survey-analytics.ts';

/*
 * Program analytics are sums over a program's entities. Each entity the numbers depend on has a
 * projection record (its last seen state); what a record adds to the program's counters is a pure
 * function of the record (`contributions`). A reaction folds an event into the record with a merge
 * that is commutative, associative and idempotent (newest version wins, earliest time wins,
 * withdrawn wins), then ADDs the difference of the contributions. Counters are integers, so sums
 * are exact in any order, and a recompute from the source entities gives the very same numbers.
 */

// ---------------------------------------------------------------- projection records

export type Counters = Record<string, number>;

/** Where organization-wide records and counts are kept, beside the programs' (ids never clash: programs are `prg_…`). */
export const ORGANIZATION = 'organization';

/** A program-wide sum (`all`) or one slice of it, such as `cohort#2027-01`. */
export type SliceKey = string;
export type Contributions = Map<SliceKey, Counters>;

/** One person's participation in a program (across re-enrollments). */
export interface ParticipantRecord {
  kind: 'participant';
  programId: string;
  personId: string;
  /** Earliest enrollment, epoch milliseconds. */
  enrolledAt?: number;
  /** Earliest relationship start in the program, epoch milliseconds. */
  matchedAt?: number;
  /** Each enrollment's status; withdrawal is final. */
  enrollments: Record<string, 'active' | 'withdrawn'>;
  /** The person as last seen (newest version wins): their department and whether they left. */
  person?: PersonState;
  /**
   * Per relationship of theirs in the program, what the match brought them (fixed when it was
   * created), or null for a relationship created before match snapshots were taken.
   */
  matches?: Record<string, MemberMatch | null>;
  /**
   * Per survey of the program, their answers (see survey-analytics.ts): kept here rather than in a
   * record per person and survey, since a recompute writes every record.
   */
  surveys?: Record<string, SurveyAnswers>;
}

/** What one match brought one member (see match-snapshot.ts). */
export interface MemberMatch {
  crossDepartment: boolean;
  wantedSkills: number;
  wantedSkillsCovered: number;
}

export interface PersonState {
  version: number;
  department?: string;
  left: boolean;
}

/** A person of the organization, for the organization-wide counts retention compares against. */
export interface PersonRecord extends PersonState {
  kind: 'person';
  personId: string;
}

export interface RelationshipRecord {
  kind: 'relationship';
  programId: string;
  relationshipId: string;
  version: number;
  status: RelationshipStatus;
  startedAt: number;
  endedAt?: number;
  endReason?: DissolveReason;
  /** What the match brought together, summed over its members; absent before snapshots were taken. */
  match?: MemberMatch;
}

/** A goal as last seen (newest version wins). */
export interface GoalState {
  version: number;
  status: GoalStatus;
  progress: number;
}

/**
 * The goals of one relationship: one record per relationship rather than per goal, since a
 * program has several goals per relationship and a recompute writes every record.
 */
export interface RelationshipGoalsRecord {
  kind: 'goals';
  programId: string;
  relationshipId: string;
  goals: Record<string, GoalState>;
}

/**
 * One goal in a record of its own, as projections stored goals before they were kept per
 * relationship. Still read and counted; the goal's next event (or a recompute) moves it into its
 * relationship's record and deletes this one in the same transaction.
 */
export interface GoalRecord extends GoalState {
  kind: 'goal';
  programId: string;
  goalId: string;
}

export type ProjectionRecord =
  | ParticipantRecord
  | RelationshipRecord
  | RelationshipGoalsRecord
  | GoalRecord
  | PersonRecord
  | SurveyResponseRecord
  | SurveyPairRecord;

/** What a reaction learned about one entity: merged into its record. */
export type Observation =
  | {
      kind: 'enrollment';
      programId: string;
      personId: string;
      enrollmentId: string;
      createdAt: number;
      status: 'active' | 'withdrawn';
    }
  | {
      kind: 'matched';
      programId: string;
      personId: string;
      startedAt: number;
      relationshipId: string;
      match: MemberMatch | null;
    }
  | ({ kind: 'participant_person'; programId: string; personId: string } & PersonState)
  | ({ kind: 'person_state'; personId: string } & PersonState)
  | SurveyObservation
  | (Omit<RelationshipRecord, 'kind'> & { kind: 'relationship_state' })
  | ({ kind: 'goal_state'; programId: string; relationshipId: string; goalId: string } & GoalState);

/** Facts that happen once (a meeting logged, a rating given): counted once per event. */
export type OneShotFact =
  | { kind: 'meeting_logged'; programId: string; outcome: (typeof meetingOutcomes)[number] }
  | { kind: 'rating'; programId: string; rating: number };

export const recordId = (o: Observation | ProjectionRecord): string => {
  switch (o.kind) {
    case 'enrollment':
    case 'matched':
    case 'participant_person':
    case 'survey_response_state':
    case 'survey_pair_side':
    case 'participant':
      return `participant#${o.personId}`;
    case 'person_state':
    case 'person':
      return `person#${o.personId}`;
    case 'survey_response':
      return `response#${o.responseId}`;
    case 'survey_pair':
      return surveyPairRecordId(o.surveyId, o.personId);
    case 'relationship_state':
    case 'relationship':
      return `relationship#${o.relationshipId}`;
    case 'goal_state':
    case 'goals':
      return `goals#${o.relationshipId}`;
    case 'goal':
      return `goal#${o.goalId}`;
  }
};

const surveyPairRecordId = (surveyId: string, personId: string) => `surveypair#${surveyId}#${personId}`;

/**
 * The records an observed entity had in projections written before its record was grouped: a
 * goal's own (now in its relationship's goals record); a survey response's own, and its person's
 * record of the survey (both now in the person's participant record). A reaction folds such
 * records into the new one and deletes them.
 */
export function legacyRecordIds(o: Observation): string[] {
  if (o.kind === 'goal_state') return [`goal#${o.goalId}`];
  if (o.kind === 'survey_response_state')
    return [`response#${o.responseId}`, surveyPairRecordId(o.surveyId, o.personId)];
  if (o.kind === 'survey_pair_side') return [surveyPairRecordId(o.surveyId, o.personId)];
  return [];
}

/** A legacy record (see legacyRecordIds) as observations of the record that now holds it. */
export function observeLegacy(record: ProjectionRecord, by: Observation): Observation[] {
  if (record.kind === 'goal' && by.kind === 'goal_state')
    return [
      {
        kind: 'goal_state',
        programId: record.programId,
        relationshipId: by.relationshipId,
        goalId: record.goalId,
        version: record.version,
        status: record.status,
        progress: record.progress,
      },
    ];
  if (by.kind !== 'survey_response_state' && by.kind !== 'survey_pair_side') return [];
  if (record.kind === 'survey_response') return [observeLegacyResponse(record, by)];
  if (record.kind === 'survey_pair') return observeLegacySurveyPair(record, by.programId);
  return [];
}

const minDefined = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** Folds an observation into a record (undefined: none yet). Commutative, associative, idempotent. */
export function mergeObservation(record: ProjectionRecord | undefined, o: Observation): ProjectionRecord {
  switch (o.kind) {
    case 'person_state': {
      const { kind: _kind, ...state } = o;
      if (record?.kind === 'person' && record.version >= o.version) return record;
      return { kind: 'person', ...state };
    }
    case 'enrollment':
    case 'matched':
    case 'participant_person':
    case 'survey_response_state':
    case 'survey_pair_side': {
      const base: ParticipantRecord =
        record?.kind === 'participant'
          ? record
          : { kind: 'participant', programId: o.programId, personId: o.personId, enrollments: {} };
      if (o.kind === 'survey_response_state' || o.kind === 'survey_pair_side') {
        const answers = mergeSurveyAnswers(base.surveys?.[o.surveyId], o);
        if (answers === base.surveys?.[o.surveyId]) return base;
        return { ...base, surveys: { ...base.surveys, [o.surveyId]: answers } };
      }
      if (o.kind === 'participant_person') {
        if (base.person && base.person.version >= o.version) return base;
        const { kind: _k, programId: _p, personId: _i, ...person } = o;
        return { ...base, person };
      }
      if (o.kind === 'matched') {
        const matchedAt = minDefined(base.matchedAt, o.startedAt);
        // A relationship's snapshot never changes, so the union of what was seen is order-free.
        return {
          ...base,
          ...(matchedAt === undefined ? {} : { matchedAt }),
          matches: { ...base.matches, [o.relationshipId]: o.match },
        };
      }
      const previous = base.enrollments[o.enrollmentId];
      const enrolledAt = minDefined(base.enrolledAt, o.createdAt);
      return {
        ...base,
        ...(enrolledAt === undefined ? {} : { enrolledAt }),
        enrollments: {
          ...base.enrollments,
          [o.enrollmentId]: previous === 'withdrawn' || o.status === 'withdrawn' ? 'withdrawn' : 'active',
        },
      };
    }
    case 'relationship_state': {
      const { kind: _kind, ...state } = o;
      if (record?.kind === 'relationship' && record.version >= o.version) return record;
      return { kind: 'relationship', ...state };
    }
    case 'goal_state': {
      const base: RelationshipGoalsRecord =
        record?.kind === 'goals'
          ? record
          : { kind: 'goals', programId: o.programId, relationshipId: o.relationshipId, goals: {} };
      const seen = base.goals[o.goalId];
      if (seen && seen.version >= o.version) return base;
      const { version, status, progress } = o;
      return { ...base, goals: { ...base.goals, [o.goalId]: { version, status, progress } } };
    }
  }
}

const ALL = 'all';
const SECOND = 1000;
/** The department slice of people without a department. */
export const UNASSIGNED = '(none)';
const cohortOf = (enrolledAt: number) => `cohort#${new Date(enrolledAt).toISOString().slice(0, 7)}`;

const goalCounters = (goal: GoalState): Counters => ({
  goals: 1,
  [`goals.status.${goal.status}`]: 1,
  'goals.progressSum': goal.progress,
});

/** What one record adds to the program's counters, per slice. */
export function contributions(record: ProjectionRecord | undefined): Contributions {
  const out: Contributions = new Map();
  if (!record) return out;
  const add = (slice: SliceKey, counters: Counters) => {
    const into = out.get(slice) ?? {};
    for (const [name, value] of Object.entries(counters)) into[name] = (into[name] ?? 0) + value;
    out.set(slice, into);
  };
  switch (record.kind) {
    case 'participant': {
      for (const [surveyId, answers] of Object.entries(record.surveys ?? {}))
        add(ALL, surveyAnswersContributions(surveyId, answers));
      if (record.enrolledAt === undefined) {
        // Matched (or answered) before its enrollment was seen: a participant once it arrives.
        return out;
      }
      const statuses = Object.values(record.enrollments);
      const counters: Counters = {
        participants: 1,
        'participants.active': statuses.includes('active') ? 1 : 0,
        'participants.withdrawn': statuses.includes('active') ? 0 : 1,
        'participants.matched': record.matchedAt === undefined ? 0 : 1,
        'participants.left': record.person?.left ? 1 : 0,
      };
      if (record.matchedAt !== undefined) {
        counters['timeToMatch.n'] = 1;
        counters['timeToMatch.seconds'] = Math.max(
          0,
          Math.floor(record.matchedAt / SECOND) - Math.floor(record.enrolledAt / SECOND),
        );
      }
      for (const match of Object.values(record.matches ?? {})) addMatch(counters, 'match.members', match);
      add(ALL, counters);
      add(cohortOf(record.enrolledAt), counters);
      add(`department#${record.person?.department ?? UNASSIGNED}`, counters);
      return out;
    }
    case 'person':
      add(ALL, { people: 1, 'people.left': record.left ? 1 : 0 });
      return out;
    case 'survey_response':
    case 'survey_pair':
      add(ALL, surveyContributions(record));
      return out;
    case 'relationship': {
      const ended =
        record.endedAt !== undefined && (record.status === 'completed' || record.status === 'dissolved');
      const counters: Counters = { relationships: 1, [`relationships.status.${record.status}`]: 1 };
      if (record.status === 'dissolved' && record.endReason)
        counters[`relationships.dissolved.${record.endReason}`] = 1;
      addMatch(counters, 'match.relationships', record.match ?? null);
      if (ended) {
        counters['relationships.endedSeconds'] = Math.max(
          0,
          Math.floor(record.endedAt! / SECOND) - Math.floor(record.startedAt / SECOND),
        );
      } else {
        counters['relationships.ongoing'] = 1;
        counters['relationships.ongoingStartSeconds'] = Math.floor(record.startedAt / SECOND);
      }
      add(ALL, counters);
      return out;
    }
    case 'goal':
      add(ALL, goalCounters(record));
      return out;
    case 'goals':
      for (const goal of Object.values(record.goals)) add(ALL, goalCounters(goal));
      return out;
  }
}

/** Counts one match (a relationship, or one member's side of it) under `prefix`; null is unknown. */
function addMatch(counters: Counters, prefix: string, match: MemberMatch | null) {
  const bump = (name: string, value: number) => {
    counters[name] = (counters[name] ?? 0) + value;
  };
  if (!match) return bump(`${prefix}.unknown`, 1);
  bump(`${prefix}.known`, 1);
  bump(`${prefix}.crossDepartment`, match.crossDepartment ? 1 : 0);
  bump(`${prefix}.wantedSkills`, match.wantedSkills);
  bump(`${prefix}.wantedSkillsCovered`, match.wantedSkillsCovered);
}

/** A relationship's match: cross-department when any member's is, skills summed over members. */
export function relationshipMatch(snapshot: MatchSnapshot): MemberMatch {
  return {
    crossDepartment: snapshot.members.some((m) => m.crossDepartment),
    wantedSkills: snapshot.members.reduce((sum, m) => sum + m.wantedSkills, 0),
    wantedSkillsCovered: snapshot.members.reduce((sum, m) => sum + m.wantedSkillsCovered, 0),
  };
}

/** What a one-shot fact adds to the program's counters. */
export function factContributions(fact: OneShotFact): Contributions {
  if (fact.kind === 'meeting_logged') return new Map([[ALL, { [`meetings.${fact.outcome}`]: 1 }]]);
  return new Map([
    [ALL, { 'ratings.n': 1, 'ratings.sum': fact.rating, 'ratings.sumSquares': fact.rating * fact.rating }],
  ]);
}

/** after − before, per slice, leaving out zeros (what a reaction ADDs). */
export function contributionDelta(before: Contributions, after: Contributions): Contributions {
  const out: Contributions = new Map();
  for (const slice of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(slice) ?? {};
    const b = after.get(slice) ?? {};
    const diff: Counters = {};
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const value = (b[name] ?? 0) - (a[name] ?? 0);
      if (value !== 0) diff[name] = value;
    }
    if (Object.keys(diff).length) out.set(slice, diff);
  }
  return out;
}

/** Adds contributions into running sums (in place). */
export function addContributions(into: Contributions, more: Contributions): Contributions {
  for (const [slice, counters] of more) {
    const target = into.get(slice) ?? {};
    for (const [name, value] of Object.entries(counters)) target[name] = (target[name] ?? 0) + value;
    into.set(slice, target);
  }
  return into;
}

/** Drops zero counters and empty slices, so sums built in different orders compare equal. */
export function normalizeContributions(sums: Contributions): Record<SliceKey, Counters> {
  const out: Record<SliceKey, Counters> = {};
  for (const slice of [...sums.keys()].sort()) {
    const counters = Object.fromEntries(
      Object.entries(sums.get(slice)!)
        .filter(([, value]) => value !== 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    if (Object.keys(counters).length) out[slice] = counters;
  }
  return out;
}

// ---------------------------------------------------------------- the report

const cadenceDays = { weekly: 7, biweekly: 14, monthly: 30 } as const;
const DAY_SECONDS = 86_400;

const round = (value: number | null, digits = 2) =>
  value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

const counts = <K extends string>(keys: readonly K[], c: Counters, prefix: string) =>
  Object.fromEntries(keys.map((key) => [key, c[`${prefix}.${key}`] ?? 0])) as Record<K, number>;

const nullableNumber = z.number().nullable();

export const sliceDimensions = ['cohort', 'department'] as const;
export type SliceDimension = (typeof sliceDimensions)[number];

const participationFigures = z
  .strictObject({
    enrolled: z.int().meta({ description: 'People who enrolled (once each, across re-enrollments)' }),
    active: z.int().meta({ description: 'Of them, with an active enrollment' }),
    withdrawn: z.int().meta({ description: 'Of them, with every enrollment withdrawn' }),
    matched: z.int().meta({ description: 'Of them, in at least one relationship of the program' }),
    matchRatePercent: nullableNumber.meta({ description: 'matched / enrolled, in percent' }),
    meanDaysToMatch: nullableNumber.meta({ description: 'From first enrollment to first relationship' }),
    left: z.int().meta({ description: 'Of them, people who have since left the organization' }),
    retainedPercent: nullableNumber.meta({
      description: 'Enrolled people still in the organization, in percent',
    }),
  })
  .meta({ id: 'ParticipationFigures' });

const matchQualityFigures = z
  .strictObject({
    known: z.int().meta({ description: 'Matches with a snapshot taken when they were made' }),
    unknown: z.int().meta({
      description: 'Matches made before snapshots were taken: in neither figure below',
    }),
    crossDepartment: z.int().meta({ description: 'Of the known, matches across departments' }),
    crossDepartmentPercent: nullableNumber.meta({ description: 'crossDepartment / known, in percent' }),
    wantedSkills: z.int().meta({
      description: 'Skills the mentees and peers of the known matches wanted to grow, when matched',
    }),
    wantedSkillsCovered: z.int().meta({
      description: 'Of them, skills a partner offered at a level above their own',
    }),
    wantedSkillsCoveredPercent: nullableNumber.meta({
      description: 'wantedSkillsCovered / wantedSkills, in percent',
    }),
  })
  .meta({ id: 'MatchQualityFigures' });

export const programAnalytics = z
  .strictObject({
    programId: idSchema('program'),
    asOf: z.iso.datetime().meta({
      description:
        'The start of the current UTC day, which ongoing relationships are measured to: the figures change with the program and once a day, not on every read',
    }),
    enrollment: participationFigures,
    relationships: z.strictObject({
      total: z.int(),
      byStatus: z.record(z.enum(relationshipStatuses), z.int()),
      dissolutionReasons: z.record(z.enum(dissolveReasons), z.int()),
      atRisk: z.int().optional().meta({
        description:
          "Ongoing relationships whose latest health score is below the program's threshold (the at-risk list's size now)",
      }),
    }),
    matchQuality: matchQualityFigures.meta({
      description:
        "What the program's relationships brought together when they were made (each relationship once; a circle is cross-department when any two known departments differ)",
    }),
    meetings: z.strictObject({
      held: z.int(),
      cancelled: z.int(),
      noShow: z.int(),
      perRelationship: nullableNumber.meta({ description: 'Held meetings per relationship' }),
      expectedPerRelationship: nullableNumber.meta({
        description: "What the program's cadence asks for over the relationships' time so far",
      }),
      cadencePercent: nullableNumber.meta({ description: 'Held against expected, in percent' }),
    }),
    goals: z.strictObject({
      total: z.int(),
      byStatus: z.record(z.enum(goalStatuses), z.int()),
      completionPercent: nullableNumber.meta({ description: 'Achieved goals of all goals, in percent' }),
      meanProgressPercent: nullableNumber,
    }),
    retention: z
      .strictObject({
        participantsRetainedPercent: nullableNumber.meta({
          description: 'People who enrolled and are still in the organization, in percent',
        }),
        nonParticipants: z
          .int()
          .meta({ description: 'People of the organization who never enrolled in the program' }),
        nonParticipantsRetainedPercent: nullableNumber,
        gainPoints: nullableNumber.meta({
          description: 'Participants retained minus non-participants retained, in percentage points',
        }),
      })
      .meta({ id: 'Retention' }),
    surveys: z
      .strictObject({
        nps: z.strictObject({
          n: z.int().meta({ description: 'NPS answers (each response counted in its latest version)' }),
          suppressed: z.boolean().meta({ description: 'Fewer answers than k: no score is shown' }),
          score: nullableNumber.meta({ description: '% promoters (9–10) minus % detractors (0–6)' }),
        }),
        items: z
          .array(
            z
              .strictObject({
                surveyId: idSchema('survey'),
                questionId: z.string(),
                n: z.int().meta({ description: 'People with both a pre-program and a close-out answer' }),
                suppressed: z.boolean().meta({ description: 'Fewer pairs than k: no figures are shown' }),
                meanDifference: nullableNumber.meta({ description: 'Mean of close-out minus pre-program' }),
                ci95: z
                  .array(z.number())
                  .length(2)
                  .nullable()
                  .meta({ description: '95% confidence interval of the mean difference (t distribution)' }),
                cohensDz: nullableNumber.meta({
                  description: 'Mean difference over the sd of the differences',
                }),
              })
              .meta({ id: 'PrePostChange' }),
          )
          .meta({
            description: 'Pre/post change per numeric survey question (likert, NPS), paired per person',
          }),
      })
      .meta({ id: 'SurveyFigures' }),
    meetingRating: z.strictObject({
      n: z.int(),
      mean: nullableNumber.meta({ description: '1–5' }),
      sd: nullableNumber,
    }),
    objectives: z.array(
      z
        .strictObject({
          key: z.string(),
          metric: z.enum(objectiveMetrics),
          target: z.number(),
          direction: z.enum(['at_least', 'at_most']),
          description: z.string().optional(),
          actual: nullableNumber.meta({ description: 'null while there is nothing to measure' }),
          met: z.boolean(),
          progressPercent: nullableNumber.meta({
            description:
              'How far the actual value is towards the target (at_least targets above 0), capped at 100',
          }),
        })
        .meta({ id: 'ObjectiveProgress' }),
    ),
    slices: z
      .array(
        z
          .strictObject({
            by: z.enum(sliceDimensions),
            value: z.string().meta({
              description: `The cohort (month of first enrollment, YYYY-MM) or the department (\`${UNASSIGNED}\` for people without one)`,
            }),
            suppressed: z.boolean().meta({
              description: 'Fewer participants than the minimum slice size: no figures are shown',
            }),
            enrollment: participationFigures.optional(),
            matchQuality: matchQualityFigures.optional().meta({
              description:
                "The slice's participants' side of their matches (a participant in two relationships counts twice)",
            }),
          })
          .meta({ id: 'AnalyticsSlice' }),
      )
      .optional()
      .meta({ description: 'With `by`: one entry per slice, smallest ones suppressed' }),
  })
  .meta({ id: 'ProgramAnalytics' });
export type ProgramAnalytics = z.infer<typeof programAnalytics>;

function participation(c: Counters): z.infer<typeof participationFigures> {
  const enrolled = c.participants ?? 0;
  const matched = c['participants.matched'] ?? 0;
  const ttm = ratio(c['timeToMatch.seconds'] ?? 0, c['timeToMatch.n'] ?? 0);
  return {
    enrolled,
    active: c['participants.active'] ?? 0,
    withdrawn: c['participants.withdrawn'] ?? 0,
    matched,
    matchRatePercent: round(ratio(matched * 100, enrolled), 1),
    meanDaysToMatch: round(ttm === null ? null : ttm / DAY_SECONDS, 1),
    left: c['participants.left'] ?? 0,
    retainedPercent: round(ratio((enrolled - (c['participants.left'] ?? 0)) * 100, enrolled), 1),
  };
}

function matchQuality(c: Counters, prefix: string): z.infer<typeof matchQualityFigures> {
  const known = c[`${prefix}.known`] ?? 0;
  const crossDepartment = c[`${prefix}.crossDepartment`] ?? 0;
  const wantedSkills = c[`${prefix}.wantedSkills`] ?? 0;
  const wantedSkillsCovered = c[`${prefix}.wantedSkillsCovered`] ?? 0;
  return {
    known,
    unknown: c[`${prefix}.unknown`] ?? 0,
    crossDepartment,
    crossDepartmentPercent: round(ratio(crossDepartment * 100, known), 1),
    wantedSkills,
    wantedSkillsCovered,
    wantedSkillsCoveredPercent: round(ratio(wantedSkillsCovered * 100, wantedSkills), 1),
  };
}

function retention(c: Counters, organization: Counters): ProgramAnalytics['retention'] {
  const participants = c.participants ?? 0;
  const participantsLeft = c['participants.left'] ?? 0;
  // Everyone enrolled is a person of the organization; the rest of the organization never enrolled.
  const nonParticipants = Math.max(0, (organization.people ?? 0) - participants);
  const nonParticipantsLeft = Math.max(0, (organization['people.left'] ?? 0) - participantsLeft);
  const retained = ratio((participants - participantsLeft) * 100, participants);
  const others = ratio((nonParticipants - nonParticipantsLeft) * 100, nonParticipants);
  return {
    participantsRetainedPercent: round(retained, 1),
    nonParticipants,
    nonParticipantsRetainedPercent: round(others, 1),
    gainPoints: round(retained !== null && others !== null ? retained - others : null, 1),
  };
}

function measure(o: Objective, report: Omit<ProgramAnalytics, 'objectives' | 'slices'>) {
  switch (o.metric) {
    case 'match_rate_percent':
      return report.enrollment.matchRatePercent;
    case 'goal_completion_percent':
      return report.goals.completionPercent;
    case 'mean_meeting_rating':
      return report.meetingRating.mean;
    case 'meetings_per_relationship':
      return report.meetings.perRelationship;
    case 'meeting_cadence_percent':
      return report.meetings.cadencePercent;
    case 'cross_department_percent':
      return report.matchQuality.crossDepartmentPercent;
    case 'wanted_skills_covered_percent':
      return report.matchQuality.wantedSkillsCoveredPercent;
    case 'retention_gain_points':
      return report.retention.gainPoints;
    case 'nps':
      return report.surveys.nps.score;
    case 'survey_item_gain':
      return (
        report.surveys.items.find((i) => i.surveyId === o.surveyId && i.questionId === o.questionId)
          ?.meanDifference ?? null
      );
  }
}

/** Each objective's actual value against its target. */
export function objectiveProgress(
  objectives: Record<string, Objective>,
  report: Omit<ProgramAnalytics, 'objectives' | 'slices'>,
): ProgramAnalytics['objectives'] {
  return Object.entries(objectives)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, o]) => {
      const actual = measure(o, report);
      const met = actual !== null && (o.direction === 'at_least' ? actual >= o.target : actual <= o.target);
      const progress =
        actual === null || o.direction !== 'at_least' || o.target <= 0
          ? met
            ? 100
            : null
          : Math.min(100, Math.max(0, (actual / o.target) * 100));
      return {
        key,
        metric: o.metric,
        target: o.target,
        direction: o.direction,
        ...(o.description ? { description: o.description } : {}),
        actual,
        met,
        progressPercent: round(progress, 1),
      };
    });
}

/**
 * The analytics of a program from its counters (program-wide under `all`, slices under their
 * keys) and the organization's counts of people, measured at `now`. Slices smaller than the
 * program's minimum size are suppressed.
 */
/**
 * The smallest slice analytics may show: the program's `analytics.minimumSliceSize`, or its
 * survey anonymity's `k` when that is stricter, since an anonymous program suppresses small
 * slices in every analytics output.
 */
export function minimumSlice(program: {
  analytics: AnalyticsSettings;
  anonymity?: AnonymitySettings;
}): number {
  const k = program.anonymity?.mode === 'anonymous' ? program.anonymity.k : 0;
  return Math.max(program.analytics.minimumSliceSize, k);
}

export function analyticsReport(
  program: Pick<Program, 'id' | 'meetingCadence'> & {
    analytics: AnalyticsSettings;
    anonymity?: AnonymitySettings;
  },
  sums: Record<SliceKey, Counters>,
  organization: Counters,
  now: Date,
  by?: SliceDimension,
): ProgramAnalytics {
  const c = sums[ALL] ?? {};
  const relationships = c.relationships ?? 0;
  const held = c['meetings.held'] ?? 0;
  const asOf = Math.floor(now.getTime() / (DAY_SECONDS * SECOND)) * DAY_SECONDS * SECOND;
  const nowSeconds = asOf / SECOND;
  const relationshipSeconds =
    (c['relationships.endedSeconds'] ?? 0) +
    Math.max(
      0,
      (c['relationships.ongoing'] ?? 0) * nowSeconds - (c['relationships.ongoingStartSeconds'] ?? 0),
    );
  const expected = ratio(
    relationshipSeconds / (cadenceDays[program.meetingCadence] * DAY_SECONDS),
    relationships,
  );
  const perRelationship = ratio(held, relationships);
  const goals = c.goals ?? 0;
  const rating: Moments = {
    n: c['ratings.n'] ?? 0,
    sum: c['ratings.sum'] ?? 0,
    sumSquares: c['ratings.sumSquares'] ?? 0,
  };
  const report = {
    programId: program.id,
    asOf: new Date(asOf).toISOString(),
    enrollment: participation(c),
    relationships: {
      total: relationships,
      byStatus: counts(relationshipStatuses, c, 'relationships.status'),
      dissolutionReasons: counts(dissolveReasons, c, 'relationships.dissolved'),
    },
    matchQuality: matchQuality(c, 'match.relationships'),
    meetings: {
      held,
      cancelled: c['meetings.cancelled'] ?? 0,
      noShow: c['meetings.no_show'] ?? 0,
      perRelationship: round(perRelationship),
      expectedPerRelationship: round(expected),
      cadencePercent: round(
        perRelationship !== null && expected ? (perRelationship / expected) * 100 : null,
        1,
      ),
    },
    goals: {
      total: goals,
      byStatus: counts(goalStatuses, c, 'goals.status'),
      completionPercent: round(ratio((c['goals.status.achieved'] ?? 0) * 100, goals), 1),
      meanProgressPercent: round(ratio(c['goals.progressSum'] ?? 0, goals), 1),
    },
    retention: retention(c, organization),
    surveys: surveyFigures(c, minimumSlice(program)),
    meetingRating: { n: rating.n, mean: round(mean(rating)), sd: round(sampleSd(rating)) },
  };
  return {
    ...report,
    objectives: objectiveProgress(program.analytics.objectives, report),
    ...(by
      ? {
          slices: suppressSmall(
            Object.keys(sums)
              .filter((slice) => slice.startsWith(`${by}#`))
              .sort()
              .map((slice) => ({
                by,
                value: slice.slice(by.length + 1),
                figures: participation(sums[slice]!),
                matchQuality: matchQuality(sums[slice]!, 'match.members'),
              }))
              .filter((slice) => slice.figures.enrolled > 0),
            minimumSlice(program),
          ),
        }
      : {}),
  };
}

/**
 * Hides every slice below k participants; when exactly one is hidden, the next smallest is hidden
 * too, since the program-wide total minus the shown slices would otherwise give the hidden one away.
 */
function suppressSmall(
  slices: {
    by: SliceDimension;
    value: string;
    figures: z.infer<typeof participationFigures>;
    matchQuality: z.infer<typeof matchQualityFigures>;
  }[],
  k: number,
): NonNullable<ProgramAnalytics['slices']> {
  const hidden = new Set(slices.filter((s) => s.figures.enrolled < k).map((s) => s.value));
  if (hidden.size === 1) {
    const next = slices
      .filter((s) => !hidden.has(s.value))
      .sort((a, b) => a.figures.enrolled - b.figures.enrolled)[0];
    if (next) hidden.add(next.value);
  }
  return slices.map(({ by, value, figures, matchQuality }) =>
    hidden.has(value)
      ? { by, value, suppressed: true }
      : { by, value, suppressed: false, enrollment: figures, matchQuality },
  );
}

export const analyticsQuery = z.strictObject({
  by: z.enum(sliceDimensions).optional().meta({
    description:
      "Break participation figures down by cohort (month of first enrollment) or by the participants' current department",
  }),
});

// ---------------------------------------------------------------- from source entities

type EnrollmentSource = Pick<Enrollment, 'id' | 'programId' | 'personId' | 'status' | 'createdAt'>;
type RelationshipSource = Pick<
  Relationship,
  | 'id'
  | 'programId'
  | 'members'
  | 'status'
  | 'version'
  | 'startedAt'
  | 'createdAt'
  | 'endedAt'
  | 'endReason'
  | 'matchSnapshot'
>;
type GoalSource = Pick<Goal, 'id' | 'relationshipId' | 'status' | 'progress' | 'version'>;
type PersonSource = Pick<Person, 'id' | 'version' | 'department' | 'status'>;

const personState = (p: PersonSource): PersonState => ({
  version: p.version,
  ...(p.department ? { department: p.department } : {}),
  left: p.status === 'left',
});

/** A person, for the organization-wide counts. */
export const observePerson = (p: PersonSource): Observation => ({
  kind: 'person_state',
  personId: p.id,
  ...personState(p),
});

/** A person as a participant of a program: their department and whether they left. */
export const observeParticipantPerson = (programId: string, p: PersonSource): Observation => ({
  kind: 'participant_person',
  programId,
  personId: p.id,
  ...personState(p),
});

export const observeEnrollment = (e: EnrollmentSource): Observation => ({
  kind: 'enrollment',
  programId: e.programId,
  personId: e.personId,
  enrollmentId: e.id,
  createdAt: Date.parse(e.createdAt),
  status: e.status,
});

/** A relationship's state, and that each member was matched when it started. */
export function observeRelationship(r: RelationshipSource): Observation[] {
  const startedAt = Date.parse(r.startedAt ?? r.createdAt);
  return [
    {
      kind: 'relationship_state',
      programId: r.programId,
      relationshipId: r.id,
      version: r.version,
      status: r.status,
      startedAt,
      ...(r.endedAt ? { endedAt: Date.parse(r.endedAt) } : {}),
      ...(r.endReason ? { endReason: r.endReason } : {}),
      ...(r.matchSnapshot ? { match: relationshipMatch(r.matchSnapshot) } : {}),
    },
    ...r.members.map((m): Observation => {
      const member = r.matchSnapshot?.members.find((s) => s.personId === m.personId);
      return {
        kind: 'matched',
        programId: r.programId,
        personId: m.personId,
        startedAt,
        relationshipId: r.id,
        match: member
          ? {
              crossDepartment: member.crossDepartment,
              wantedSkills: member.wantedSkills,
              wantedSkillsCovered: member.wantedSkillsCovered,
            }
          : null,
      };
    }),
  ];
}

export const observeGoal = (programId: string, g: GoalSource): Observation => ({
  kind: 'goal_state',
  programId,
  relationshipId: g.relationshipId,
  goalId: g.id,
  version: g.version,
  status: g.status,
  progress: g.progress,
});

/** Everything a program's counters are made of, read from the source entities. */
export interface ProgramSources {
  enrollments: EnrollmentSource[];
  relationships: RelationshipSource[];
  goals: { programId: string; goal: GoalSource }[];
  meetings: { programId: string; status: Meeting['status'] }[];
  ratings: { programId: string; rating: number }[];
  /** The people who enrolled (others are ignored). */
  people: PersonSource[];
  /** Survey responses, with the ids of each survey's NPS questions. */
  responses?: { response: SurveyResponseSource; npsQuestions: ReadonlySet<string> }[];
}

/** The organization-wide counts (people, leavers) from every person. */
export function organizationContributions(people: PersonSource[]): Contributions {
  const sums: Contributions = new Map();
  for (const p of people)
    addContributions(sums, contributions(mergeObservation(undefined, observePerson(p))));
  return sums;
}

/** The full recompute: the counters the incremental projection must agree with. */
export function recomputeContributions(sources: ProgramSources): Contributions {
  const records = new Map<string, ProjectionRecord>();
  const observe = (o: Observation) => records.set(recordId(o), mergeObservation(records.get(recordId(o)), o));
  for (const e of sources.enrollments) observe(observeEnrollment(e));
  const programId = sources.enrollments[0]?.programId;
  if (programId)
    for (const p of sources.people)
      if (records.has(`participant#${p.id}`)) observe(observeParticipantPerson(programId, p));
  for (const r of sources.relationships) for (const o of observeRelationship(r)) observe(o);
  for (const { programId, goal } of sources.goals) observe(observeGoal(programId, goal));
  for (const { response, npsQuestions } of sources.responses ?? [])
    for (const o of observeSurveyResponse(response, npsQuestions)) observe(o);
  const sums: Contributions = new Map();
  for (const record of records.values()) addContributions(sums, contributions(record));
  for (const m of sources.meetings)
    if (m.status !== 'scheduled')
      addContributions(
        sums,
        factContributions({ kind: 'meeting_logged', programId: m.programId, outcome: m.status }),
      );
  for (const f of sources.ratings)
    addContributions(sums, factContributions({ kind: 'rating', programId: f.programId, rating: f.rating }));
  return sums;
}

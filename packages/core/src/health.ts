import * as z from 'zod';
import type { AgreementTerms } from './agreement.ts';
import { isoDate, isoDateTime } from './common.ts';
import type { Feedback } from './feedback.ts';
import type { Goal } from './goal.ts';
import { idSchema } from './id-schema.ts';
import type { Meeting } from './meeting.ts';
import type { Program } from './program.ts';
import type { Relationship } from './relationship.ts';

export const healthComponentKeys = ['cadence', 'recency', 'goals', 'ratings', 'pulse'] as const;
export type HealthComponentKey = (typeof healthComponentKeys)[number];

const DAY_MS = 86_400_000;

/** Relative weights when a program sets none; renormalized over the components that can be measured. */
export const defaultHealthWeights: Record<HealthComponentKey, number> = {
  cadence: 0.3,
  recency: 0.25,
  goals: 0.2,
  ratings: 0.15,
  pulse: 0.1,
};

// Four decimals, as matching weights: keeps values inside DynamoDB's number range (no 5e-324).
const healthWeight = z
  .number()
  .min(0)
  .max(1)
  .refine((value) => Math.round(value * 10_000) / 10_000 === value, 'at most four decimals')
  .meta({ multipleOf: 0.0001 })
  .optional();

/**
 * A program's health settings. Defaults: at risk below 50; a meeting is overdue 7 days after the
 * agreed interval; weights as in `defaultHealthWeights`.
 */
export const healthSettings = z
  .strictObject({
    atRiskBelow: z.int().min(1).max(100).default(50).meta({
      description:
        'A relationship whose score falls below this is at risk (`relationship.at_risk`, once); it recovers at or above it',
    }),
    overdueGraceDays: z.int().min(0).max(90).default(7).meta({
      description:
        'Days past the agreed interval between meetings after which `meeting.overdue` is raised (once per overdue period)',
    }),
    weights: z
      .strictObject({
        cadence: healthWeight,
        recency: healthWeight,
        goals: healthWeight,
        ratings: healthWeight,
        pulse: healthWeight,
      })
      .default({})
      .meta({
        id: 'HealthWeights',
        description: `Relative weight of each component (0–1); omitted ones use the defaults (${healthComponentKeys.map((k) => `${k} ${defaultHealthWeights[k]}`).join(', ')})`,
      }),
  })
  .meta({ id: 'HealthSettings', description: 'How relationship health is scored and when it warns' });
export type HealthSettings = z.infer<typeof healthSettings>;

export const defaultHealthSettings = (): HealthSettings => ({
  atRiskBelow: 50,
  overdueGraceDays: 7,
  weights: {},
});

export const healthComponent = z
  .object({
    key: z.enum(healthComponentKeys),
    score: z
      .int()
      .min(0)
      .max(100)
      .nullable()
      .meta({ description: 'null when there is nothing to measure yet; the component then does not count' }),
    weight: z
      .number()
      .min(0)
      .max(1)
      .meta({ description: 'Its share of the overall score (0 when not counted)' }),
    explanation: z
      .string()
      .meta({ example: 'Last met 40 days ago; the agreement asks for a meeting every 2 weeks' }),
  })
  .meta({ id: 'HealthComponent' });
export type HealthComponent = z.infer<typeof healthComponent>;

/** A survey's pulse answers for one relationship, on a 0–100 scale (the surveys feature supplies it). */
export interface PulseSignal {
  responses: number;
  /** Mean answer, scaled to 0–100. */
  meanScore: number;
}

/** What a score is computed from: all of it read from one relationship's partition and its program. */
export interface HealthInput {
  relationship: Pick<Relationship, 'startedAt' | 'createdAt' | 'activatedAt'>;
  program: Pick<Program, 'meetingCadence' | 'endDate'> & { health?: HealthSettings | undefined };
  agreement?: Pick<AgreementTerms, 'cadence' | 'duration'> | undefined;
  meetings: Pick<Meeting, 'status' | 'startsAt'>[];
  goals: Pick<Goal, 'status' | 'progress'>[];
  feedback: Pick<Feedback, 'rating' | 'createdAt'>[];
  pulse?: PulseSignal | undefined;
  now: Date;
}

export interface HealthScore {
  score: number;
  atRisk: boolean;
  components: HealthComponent[];
  reasons: string[];
  /** When the last held meeting started (or the relationship, when none was held): an overdue period's identity. */
  lastMetAt: string;
  /** Set once no meeting was held within the agreed interval plus the grace days. */
  meetingOverdue: boolean;
}

const programIntervalDays = { weekly: 7, biweekly: 14, monthly: 30 } as const;
/** How many agreed intervals back the cadence is judged over. */
const CADENCE_WINDOW_INTERVALS = 4;
/** How many of the latest ratings count. */
const RECENT_RATINGS = 10;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The agreed time between meetings, in days, and how to say it. */
export function meetingInterval(input: Pick<HealthInput, 'agreement' | 'program'>): {
  days: number;
  words: string;
} {
  const cadence = input.agreement?.cadence;
  if (cadence) {
    const days = cadence.every * (cadence.unit === 'weeks' ? 7 : 1);
    const unit = cadence.unit === 'weeks' ? 'week' : 'day';
    return {
      days,
      words: `the agreement asks for a meeting every ${cadence.every === 1 ? unit : plural(cadence.every, unit)}`,
    };
  }
  const days = programIntervalDays[input.program.meetingCadence];
  return { days, words: `the program expects a ${input.program.meetingCadence} meeting` };
}

const startOf = (relationship: HealthInput['relationship']) =>
  Date.parse(relationship.startedAt ?? relationship.createdAt);

function cadence(
  input: HealthInput,
  interval: { days: number; words: string },
  held: number[],
): Omit<HealthComponent, 'weight'> {
  const now = input.now.getTime();
  const start = startOf(input.relationship);
  // Whole intervals only, so the number of meetings expected is exactly what the agreement asks.
  const expected = Math.min(CADENCE_WINDOW_INTERVALS, Math.floor((now - start) / (interval.days * DAY_MS)));
  const windowMs = expected * interval.days * DAY_MS;
  if (expected < 1)
    return {
      key: 'cadence',
      score: null,
      explanation: `Too early to judge the cadence: the first interval is not over yet (${interval.words})`,
    };
  const inWindow = held.filter((at) => at >= now - windowMs && at <= now).length;
  const days = Math.round(windowMs / DAY_MS);
  return {
    key: 'cadence',
    score: Math.round(Math.min(1, inWindow / expected) * 100),
    explanation: `Met ${plural(inWindow, 'time')} in the last ${plural(days, 'day')}, where ${interval.words} (${plural(expected, 'meeting')})`,
  };
}

function recency(
  input: HealthInput,
  interval: { days: number; words: string },
  lastHeld: number | undefined,
): Omit<HealthComponent, 'weight'> {
  const now = input.now.getTime();
  const since = Math.max(0, Math.floor((now - (lastHeld ?? startOf(input.relationship))) / DAY_MS));
  // Full marks within the interval, nothing at three intervals.
  const score = Math.round(Math.max(0, Math.min(1, 1 - (since - interval.days) / (2 * interval.days))) * 100);
  const what =
    lastHeld === undefined
      ? `No meeting held since it started ${plural(since, 'day')} ago`
      : since === 0
        ? 'Last met today'
        : `Last met ${plural(since, 'day')} ago`;
  const judgement =
    since > interval.days ? `, longer than the ${plural(interval.days, 'day')} agreed between meetings` : '';
  return { key: 'recency', score, explanation: `${what}${judgement}` };
}

/** When the relationship is meant to end: the agreement's duration, else the program's end date. */
function plannedEnd(input: HealthInput): number | undefined {
  const duration = input.agreement?.duration;
  if (duration?.weeks) return startOf(input.relationship) + duration.weeks * 7 * DAY_MS;
  if (duration?.endDate) return Date.parse(`${duration.endDate}T23:59:59Z`);
  if (input.program.endDate) return Date.parse(`${input.program.endDate}T23:59:59Z`);
  return undefined;
}

function goals(input: HealthInput): Omit<HealthComponent, 'weight'> {
  const counted = input.goals.filter((g) => g.status !== 'abandoned');
  if (counted.length === 0)
    return { key: 'goals', score: null, explanation: 'No goals set yet, so goal progress does not count' };
  const progress = Math.round(
    counted.reduce((sum, g) => sum + (g.status === 'achieved' ? 100 : g.progress), 0) / counted.length,
  );
  const goalWords = `${plural(counted.length, 'goal')} ${counted.length === 1 ? 'is' : 'are'} ${progress}% done${counted.length === 1 ? '' : ' on average'}`;
  const end = plannedEnd(input);
  const start = startOf(input.relationship);
  if (end === undefined || end <= start)
    return {
      key: 'goals',
      score: null,
      explanation: `${goalWords}; with no end date to measure it against, goal progress does not count`,
    };
  const elapsed = Math.round(Math.max(0, Math.min(1, (input.now.getTime() - start) / (end - start))) * 100);
  // Each point behind the time elapsed costs two: half the time gone with nothing done scores 0.
  const score = Math.round(Math.max(0, Math.min(100, 100 - 2 * Math.max(0, elapsed - progress))));
  return {
    key: 'goals',
    score,
    explanation: `${goalWords} with ${elapsed}% of the planned time gone${progress >= elapsed ? ': on track' : ': behind'}`,
  };
}

/** The ratings that count: the latest `RECENT_RATINGS`. */
const recentRatings = <F extends Pick<Feedback, 'rating' | 'createdAt'>>(feedback: F[]): F[] =>
  [...feedback].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, RECENT_RATINGS);

function ratings(input: HealthInput): Omit<HealthComponent, 'weight'> {
  const recent = recentRatings(input.feedback);
  if (recent.length === 0) return { key: 'ratings', score: null, explanation: 'No meeting ratings yet' };
  const mean = recent.reduce((sum, f) => sum + f.rating, 0) / recent.length;
  return {
    key: 'ratings',
    score: Math.round(((mean - 1) / 4) * 100),
    explanation: `Meetings rated ${mean.toFixed(1)} of 5 on average across the latest ${plural(recent.length, 'rating')}`,
  };
}

function pulse(input: HealthInput): Omit<HealthComponent, 'weight'> {
  const signal = input.pulse;
  if (!signal || signal.responses === 0)
    return { key: 'pulse', score: null, explanation: 'No pulse survey answers yet' };
  const score = Math.round(Math.max(0, Math.min(100, signal.meanScore)));
  return {
    key: 'pulse',
    score,
    explanation: `Pulse survey answers average ${score} of 100 across ${plural(signal.responses, 'answer')}`,
  };
}

/**
 * Scores a relationship 0–100 from what its members do (meetings against the agreed cadence, how
 * long since they last met, goal progress against time elapsed, meeting ratings, pulse answers),
 * each component explained in words. Components with nothing to measure yet do not count, and the
 * weights of the rest are renormalized; with nothing measurable at all the score is 100.
 */
export function scoreHealth(input: HealthInput): HealthScore {
  const settings = input.program.health ?? defaultHealthSettings();
  const interval = meetingInterval(input);
  const now = input.now.getTime();
  const held = input.meetings
    .filter((m) => m.status === 'held')
    .map((m) => Date.parse(m.startsAt))
    .filter((at) => at <= now);
  const lastHeld = held.length ? Math.max(...held) : undefined;
  const raw = [
    cadence(input, interval, held),
    recency(input, interval, lastHeld),
    goals(input),
    ratings(input),
    pulse(input),
  ];
  const weightOf = (key: HealthComponentKey) => settings.weights[key] ?? defaultHealthWeights[key];
  const total = raw.reduce((sum, c) => sum + (c.score === null ? 0 : weightOf(c.key)), 0);
  const components = raw.map((c) => ({
    ...c,
    weight: c.score === null || total === 0 ? 0 : Math.round((weightOf(c.key) / total) * 1000) / 1000,
  }));
  const score =
    total === 0
      ? 100
      : Math.round(
          raw.reduce((sum, c) => sum + (c.score === null ? 0 : c.score * weightOf(c.key)), 0) / total,
        );
  const atRisk = score < settings.atRiskBelow;
  const reference = lastHeld ?? startOf(input.relationship);
  const counted = components.filter((c) => c.score !== null && c.weight > 0);
  const reasons = (atRisk ? [...counted].sort((a, b) => (a.score ?? 0) - (b.score ?? 0)) : counted)
    .slice(0, 3)
    .map((c) => c.explanation);
  return {
    score,
    atRisk,
    components,
    reasons: [
      atRisk
        ? `At risk: ${score} of 100, below the program's threshold of ${settings.atRiskBelow}`
        : `Healthy: ${score} of 100 (the program's threshold is ${settings.atRiskBelow})`,
      ...reasons,
    ],
    lastMetAt: new Date(reference).toISOString(),
    meetingOverdue: now - reference > (interval.days + settings.overdueGraceDays) * DAY_MS,
  };
}

/**
 * What a score reads of the relationship's partition, reduced to the fields scoring uses: the
 * agreed cadence and duration, when held meetings started, each goal's status and progress, and
 * the ratings that count. Stored with an evaluation, it lets a later one that knows the partition
 * unchanged score again as of a new clock without reading it: `scoreHealth` gives the same result
 * for `healthBasisInput(healthBasisOf(input))` as for the input itself.
 */
export const healthBasis = z.object({
  // Shapes of the agreement's and goals' fields, not their schemas: importing those would close an
  // import cycle (they reach program.ts, which imports this module).
  agreement: z
    .object({
      cadence: z
        .object({ every: z.int(), unit: z.enum(['days', 'weeks']), durationMinutes: z.int() })
        .optional(),
      duration: z.object({ weeks: z.int().optional(), endDate: z.string().optional() }).optional(),
    })
    .optional(),
  held: z.array(z.string()),
  goals: z.array(
    z.object({
      status: z.enum(['not_started', 'in_progress', 'achieved', 'abandoned']),
      progress: z.number(),
    }),
  ),
  ratings: z.array(z.object({ rating: z.number(), createdAt: z.string() })),
});
export type HealthBasis = z.infer<typeof healthBasis>;

type PartitionInput = Pick<HealthInput, 'agreement' | 'meetings' | 'goals' | 'feedback'>;

export function healthBasisOf(input: PartitionInput): HealthBasis {
  const { cadence, duration } = input.agreement ?? {};
  return {
    ...(input.agreement
      ? { agreement: { ...(cadence ? { cadence } : {}), ...(duration ? { duration } : {}) } }
      : {}),
    held: input.meetings.filter((m) => m.status === 'held').map((m) => m.startsAt),
    goals: input.goals.map(({ status, progress }) => ({ status, progress })),
    ratings: recentRatings(input.feedback).map(({ rating, createdAt }) => ({ rating, createdAt })),
  };
}

export const healthBasisInput = (basis: HealthBasis): PartitionInput => ({
  agreement: basis.agreement,
  meetings: basis.held.map((startsAt) => ({ status: 'held', startsAt })),
  goals: basis.goals,
  feedback: basis.ratings,
});

export const healthHistoryEntry = z
  .object({ date: isoDate, score: z.int().min(0).max(100), atRisk: z.boolean() })
  .meta({ id: 'HealthHistoryEntry', description: "The day's last evaluation" });
export type HealthHistoryEntry = z.infer<typeof healthHistoryEntry>;

/** How long the daily history is kept (TTL), so it stays bounded whatever a relationship's age. */
export const HEALTH_HISTORY_DAYS = 400;

/** A relationship's latest evaluation, as stored (one item per relationship). */
export const relationshipHealth = z
  .object({
    relationshipId: idSchema('relationship'),
    programId: idSchema('program'),
    score: z.int().min(0).max(100),
    atRisk: z.boolean(),
    atRiskSince: isoDateTime.optional().meta({ description: 'When the score last fell below the threshold' }),
    threshold: z
      .int()
      .min(1)
      .max(100)
      .meta({ description: "The program's at-risk threshold when it was evaluated" }),
    components: z.array(healthComponent),
    reasons: z
      .array(z.string())
      .meta({ description: 'The verdict, then the components that weigh most on it' }),
    lastMetAt: isoDateTime.meta({
      description: 'When the last held meeting started (when the relationship started, if none was held)',
    }),
    overdueNudgedFor: isoDateTime.optional().meta({
      description: '`lastMetAt` of the overdue period `meeting.overdue` was last raised for',
    }),
    evaluatedAt: isoDateTime,
    version: z.int().min(1),
    basis: healthBasis.optional().meta({ description: 'What it was scored from in the partition' }),
    inputsMark: z.string().optional().meta({
      description: "The partition's inputs mark, read before the inputs the basis holds",
    }),
    dueAt: isoDateTime.optional().meta({
      description:
        "When the scheduled job evaluates it next: the item carries the job's timer, so an evaluation and the move of its timer are one write",
    }),
    days: z.string().optional().meta({
      description:
        "This month's daily history, oldest first, in the store's compact form; a month's entries move to an item of their own with the next month's first evaluation",
    }),
  })
  .meta({ id: 'RelationshipHealthState' });
export type RelationshipHealth = z.infer<typeof relationshipHealth>;

export const relationshipHealthView = relationshipHealth
  .omit({
    overdueNudgedFor: true,
    version: true,
    basis: true,
    inputsMark: true,
    dueAt: true,
    days: true,
  })
  .extend({
    evaluatedAt: isoDateTime.optional().meta({
      description: 'When it was evaluated; absent before the first evaluation, when it is computed on read',
    }),
    history: z.array(healthHistoryEntry).meta({ description: 'One entry per day evaluated, newest first' }),
  })
  .meta({ id: 'RelationshipHealth' });
export type RelationshipHealthView = z.infer<typeof relationshipHealthView>;

export const atRiskRelationship = z
  .object({
    relationshipId: idSchema('relationship'),
    score: z.int().min(0).max(100),
    atRiskSince: isoDateTime,
    reasons: z.array(z.string()),
    evaluatedAt: isoDateTime,
  })
  .meta({ id: 'AtRiskRelationship' });
export type AtRiskRelationship = z.infer<typeof atRiskRelationship>;

import {
  addContributions,
  type Contributions,
  contributionDelta,
  contributions,
  type EventData,
  type EventType,
  factContributions,
  mergeObservation,
  NotFoundError,
  type Observation,
  type OneShotFact,
  ORGANIZATION,
  observeEnrollment,
  observeGoal,
  observeParticipantPerson,
  observePerson,
  observeRelationship,
  observeSurveyResponse,
  type ProjectionRecord,
  recordId,
  type StoredEvent,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { npsQuestionsOf } from './survey-questions.ts';

/** The name the projection's event markers are kept under. */
export const ANALYTICS_PROJECTION = 'analytics';

/** The events that move a program's analytics. */
export const analyticsEventTypes = [
  'enrollment.created',
  'enrollment.updated',
  'enrollment.withdrawn',
  'relationship.started',
  'relationship.activated',
  'relationship.completed',
  'relationship.dissolved',
  'goal.created',
  'goal.updated',
  'meeting.logged',
  'feedback.submitted',
  'person.created',
  'person.updated',
  'survey.answered',
] as const satisfies readonly EventType[];

/** What one event does to one scope (a program, or the organization): re-read on every attempt. */
interface Effect {
  observations: Observation[];
  fact?: OneShotFact;
  /** Organization person records the observations were derived from, with the revision read. */
  guards?: { recordId: string; revision: number | undefined }[];
  participants?: string[];
}

/**
 * A participant's person (department, whether they left), read after the revision of the
 * organization's record of them: if a change of the person is projected meanwhile, the guard fails
 * and the participant is merged again with the newer person, so no change slips between the two.
 */
async function participantPerson(ctx: TenantContext, programId: string, personId: string) {
  const id = `person#${personId}`;
  const stored = await ctx.store.analytics.records(ORGANIZATION, [id]);
  const person = await ctx.store.people.get(personId);
  return {
    observation: observeParticipantPerson(programId, person),
    guard: { recordId: id, revision: stored.get(id)?.revision },
  };
}

/**
 * What an event means for the projection. Entity events re-read their entity, so a late or
 * repeated event brings the entity's current state (merged newest-version-wins); one-shot events
 * (a meeting logged, a rating given) carry their fact and are counted once by their marker.
 */
async function programEffect(ctx: TenantContext, event: StoredEvent): Promise<[string, Effect] | undefined> {
  const { store } = ctx;
  switch (event.type) {
    case 'enrollment.created':
    case 'enrollment.updated':
    case 'enrollment.withdrawn': {
      const data = event.data as EventData<'enrollment.created'>;
      const [enrollment, person] = await Promise.all([
        store.enrollments.get(data.programId, data.enrollmentId),
        participantPerson(ctx, data.programId, data.personId),
      ]);
      return [
        data.programId,
        {
          observations: [observeEnrollment(enrollment), person.observation],
          guards: [person.guard],
          participants: [data.personId],
        },
      ];
    }
    case 'relationship.started':
    case 'relationship.activated':
    case 'relationship.completed':
    case 'relationship.dissolved': {
      const data = event.data as EventData<'relationship.activated'>;
      return [
        data.programId,
        { observations: observeRelationship(await store.relationships.get(data.relationshipId)) },
      ];
    }
    case 'goal.created':
    case 'goal.updated': {
      const data = event.data as EventData<'goal.created'>;
      const goal = await store.goals.get(data.relationshipId, data.goalId);
      return [data.programId, { observations: [observeGoal(data.programId, goal)] }];
    }
    case 'meeting.logged': {
      const data = event.data as EventData<'meeting.logged'>;
      const { programId } = await store.relationships.get(data.relationshipId);
      return [
        programId,
        { observations: [], fact: { kind: 'meeting_logged', programId, outcome: data.outcome } },
      ];
    }
    case 'feedback.submitted': {
      const data = event.data as EventData<'feedback.submitted'>;
      const { programId } = await store.relationships.get(data.relationshipId);
      return [programId, { observations: [], fact: { kind: 'rating', programId, rating: data.rating } }];
    }
    case 'survey.answered': {
      const data = event.data as EventData<'survey.answered'>;
      const [response, survey] = await Promise.all([
        store.surveyResponses.get(data.responseId),
        store.surveys.get(data.programId, data.surveyId),
      ]);
      return [data.programId, { observations: observeSurveyResponse(response, npsQuestionsOf(survey)) }];
    }
    default:
      return undefined;
  }
}

/** Applies one scope's effect exactly once, merging again on fresh records whenever one moved. */
async function applyEffect(
  ctx: TenantContext,
  event: StoredEvent,
  scope: string,
  load: () => Promise<Effect | undefined>,
): Promise<void> {
  for (;;) {
    const effect = await load();
    if (!effect) return;
    const { observations, fact } = effect;
    const stored = await ctx.store.analytics.records(scope, [...new Set(observations.map(recordId))]);
    const next = new Map<string, ProjectionRecord>();
    for (const o of observations) {
      const id = recordId(o);
      next.set(id, mergeObservation(next.get(id) ?? stored.get(id)?.record, o));
    }
    const delta: Contributions = fact ? factContributions(fact) : new Map();
    for (const [id, record] of next)
      addContributions(
        delta,
        contributionDelta(contributions(stored.get(id)?.record), contributions(record)),
      );
    const changed = [...next].filter(([id, record]) => !sameRecord(stored.get(id)?.record, record));
    const outcome = await ctx.store.analytics.apply(scope, {
      projection: ANALYTICS_PROJECTION,
      eventId: event.id,
      records: changed.map(([id, record]) => ({
        recordId: id,
        previous: stored.get(id)?.revision,
        next: record,
      })),
      delta: contributionDelta(new Map(), delta),
      ...(effect.guards ? { guards: effect.guards } : {}),
      ...(effect.participants ? { participants: effect.participants } : {}),
    });
    if (outcome !== 'stale') return;
  }
}

/** The entity is gone (a draft program's enrollment deleted with it): nothing left to count. */
async function unlessGone<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The analytics reaction: folds one event into the counters of its program (and, for a change of
 * a person, into the organization's counts and every program they take part in), exactly once per
 * scope (the event's marker commits with the counters) and in any order (merges commute).
 */
export async function projectEvent(ctx: TenantContext, event: StoredEvent): Promise<void> {
  if (event.type === 'person.created' || event.type === 'person.updated') {
    const { personId } = event.data as EventData<'person.created'>;
    await applyEffect(ctx, event, ORGANIZATION, () =>
      unlessGone(async () => ({ observations: [observePerson(await ctx.store.people.get(personId))] })),
    );
    // After the organization's record moved, so a participant merged meanwhile fails its guard.
    for (const programId of await ctx.store.analytics.programsOf(personId))
      await applyEffect(ctx, event, programId, () =>
        unlessGone(async () => {
          const person = await participantPerson(ctx, programId, personId);
          return { observations: [person.observation], guards: [person.guard] };
        }),
      );
    return;
  }
  const first = await unlessGone(() => programEffect(ctx, event));
  if (!first) return;
  const [scope, effect] = first;
  let fresh: Effect | undefined = effect;
  await applyEffect(ctx, event, scope, async () => {
    if (fresh) {
      const value = fresh;
      fresh = undefined;
      return value;
    }
    return (await unlessGone(() => programEffect(ctx, event)))?.[1];
  });
}

const sameRecord = (a: ProjectionRecord | undefined, b: ProjectionRecord) =>
  a !== undefined && JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

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
  observeEnrollment,
  observeGoal,
  observeRelationship,
  type ProjectionRecord,
  recordId,
  type StoredEvent,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';

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
] as const satisfies readonly EventType[];

type Effect = { programId: string; observations: Observation[]; fact?: OneShotFact };

/**
 * What an event means for the projection. Entity events re-read their entity, so a late or
 * repeated event brings the entity's current state (merged newest-version-wins); one-shot events
 * (a meeting logged, a rating given) carry their fact and are counted once by their marker.
 */
async function effectOf(ctx: TenantContext, event: StoredEvent): Promise<Effect | undefined> {
  const { store } = ctx;
  switch (event.type) {
    case 'enrollment.created':
    case 'enrollment.updated':
    case 'enrollment.withdrawn': {
      const data = event.data as EventData<'enrollment.created'>;
      return {
        programId: data.programId,
        observations: [observeEnrollment(await store.enrollments.get(data.programId, data.enrollmentId))],
      };
    }
    case 'relationship.started':
    case 'relationship.activated':
    case 'relationship.completed':
    case 'relationship.dissolved': {
      const data = event.data as EventData<'relationship.activated'>;
      return {
        programId: data.programId,
        observations: observeRelationship(await store.relationships.get(data.relationshipId)),
      };
    }
    case 'goal.created':
    case 'goal.updated': {
      const data = event.data as EventData<'goal.created'>;
      return {
        programId: data.programId,
        observations: [observeGoal(data.programId, await store.goals.get(data.relationshipId, data.goalId))],
      };
    }
    case 'meeting.logged': {
      const data = event.data as EventData<'meeting.logged'>;
      const { programId } = await store.relationships.get(data.relationshipId);
      return {
        programId,
        observations: [],
        fact: { kind: 'meeting_logged', programId, outcome: data.outcome },
      };
    }
    case 'feedback.submitted': {
      const data = event.data as EventData<'feedback.submitted'>;
      const { programId } = await store.relationships.get(data.relationshipId);
      return { programId, observations: [], fact: { kind: 'rating', programId, rating: data.rating } };
    }
    default:
      return undefined;
  }
}

/**
 * The analytics reaction: folds one event into its program's records and counters, exactly once
 * (the event's marker commits with the counters) and in any order (merges commute). A record that
 * moved between the read and the write is merged again on its fresh state.
 */
export async function projectEvent(ctx: TenantContext, event: StoredEvent): Promise<void> {
  let effect: Effect | undefined;
  try {
    effect = await effectOf(ctx, event);
  } catch (error) {
    // The entity is gone (a draft program's enrollment deleted with it): nothing left to count.
    if (error instanceof NotFoundError) return;
    throw error;
  }
  if (!effect) return;
  const { programId, observations, fact } = effect;
  const ids = [...new Set(observations.map(recordId))];
  for (;;) {
    const stored = await ctx.store.analytics.records(programId, ids);
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
    const outcome = await ctx.store.analytics.apply(programId, {
      projection: ANALYTICS_PROJECTION,
      eventId: event.id,
      records: changed.map(([id, record]) => ({
        recordId: id,
        previous: stored.get(id)?.revision,
        next: record,
      })),
      delta: contributionDelta(new Map(), delta),
    });
    if (outcome !== 'stale') return;
  }
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

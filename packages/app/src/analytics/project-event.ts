import {
  addContributions,
  type Contributions,
  contributionDelta,
  contributions,
  type EventData,
  type EventType,
  factContributions,
  legacyRecordIds,
  mergeObservation,
  NotFoundError,
  type Observation,
  type OneShotFact,
  ORGANIZATION,
  observeEnrollment,
  observeGoal,
  observeLegacy,
  observeParticipantPerson,
  observePerson,
  observeRelationship,
  observeSurveyResponse,
  type ProjectionRecord,
  type Relationship,
  recordId,
  type StoredEvent,
} from '@tandem/core';
import {
  MAX_TRANSACTION_ITEMS,
  type ProjectionChange,
  type ProjectionOutcome,
  projectionChangeItems,
} from '@tandem/store';
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

const relationshipEventTypes = new Set<EventType>([
  'relationship.started',
  'relationship.activated',
  'relationship.completed',
  'relationship.dissolved',
]);

/** What one event does to one scope (a program, or the organization): re-read on every attempt. */
interface Effect {
  observations: Observation[];
  facts?: OneShotFact[];
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
async function programEffect(
  ctx: TenantContext,
  event: StoredEvent,
  prefetched?: ReadonlyMap<string, Relationship>,
): Promise<[string, Effect] | undefined> {
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
      const relationship =
        prefetched?.get(data.relationshipId) ?? (await store.relationships.get(data.relationshipId));
      return [data.programId, { observations: observeRelationship(relationship) }];
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
        { observations: [], facts: [{ kind: 'meeting_logged', programId, outcome: data.outcome }] },
      ];
    }
    case 'feedback.submitted': {
      const data = event.data as EventData<'feedback.submitted'>;
      const { programId } = await store.relationships.get(data.relationshipId);
      return [programId, { observations: [], facts: [{ kind: 'rating', programId, rating: data.rating }] }];
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

/** The ids of the records the observed entities had before they were grouped (see legacyRecordIds), with an observation of each. */
const legacyRecordsOf = (observations: Observation[]) =>
  new Map(observations.flatMap((o) => legacyRecordIds(o).map((id) => [id, o] as const)));

/**
 * Commits an effect for these events to one scope, merged into the records as they are now:
 * `stale` when a record moved meanwhile (load the effect again), `too_large` when it does not fit
 * one transaction.
 */
async function commit(
  ctx: TenantContext,
  eventIds: string[],
  scope: string,
  effect: Effect,
): Promise<ProjectionOutcome | 'too_large'> {
  const { observations, facts = [] } = effect;
  const legacyIds = legacyRecordsOf(observations);
  const stored = await ctx.store.analytics.records(scope, [
    ...new Set(observations.map(recordId)),
    ...legacyIds.keys(),
  ]);
  // An entity still in a record of an older form (a goal's own, a survey response's own, a
  // person's record of a survey) moves into its grouped record, in this change.
  const legacy = [...legacyIds].flatMap(([id, by]) => {
    const found = stored.get(id);
    const observations = found ? observeLegacy(found.record, by) : [];
    return found && observations.length
      ? [{ id, record: found.record, revision: found.revision, observations }]
      : [];
  });
  const next = new Map<string, ProjectionRecord>();
  const merge = (o: Observation) => {
    const id = recordId(o);
    next.set(id, mergeObservation(next.get(id) ?? stored.get(id)?.record, o));
  };
  for (const { observations } of legacy) for (const o of observations) merge(o);
  for (const o of observations) merge(o);
  const delta: Contributions = new Map();
  for (const fact of facts) addContributions(delta, factContributions(fact));
  for (const { record } of legacy)
    addContributions(delta, contributionDelta(contributions(record), new Map()));
  for (const [id, record] of next)
    addContributions(delta, contributionDelta(contributions(stored.get(id)?.record), contributions(record)));
  const changed = [...next].filter(([id, record]) => !sameRecord(stored.get(id)?.record, record));
  const change: ProjectionChange = {
    projection: ANALYTICS_PROJECTION,
    eventIds,
    records: changed.map(([id, record]) => ({
      recordId: id,
      previous: stored.get(id)?.revision,
      next: record,
    })),
    ...(legacy.length ? { deletes: legacy.map(({ id, revision }) => ({ recordId: id, revision })) } : {}),
    delta: contributionDelta(new Map(), delta),
    ...(effect.guards?.length ? { guards: effect.guards } : {}),
    ...(effect.participants?.length ? { participants: effect.participants } : {}),
  };
  if (projectionChangeItems(change) > MAX_TRANSACTION_ITEMS) return 'too_large';
  return ctx.store.analytics.apply(scope, change);
}

/** Applies one event's effect to one scope exactly once, merging again whenever a record moved. */
async function applyEffect(
  ctx: TenantContext,
  event: StoredEvent,
  scope: string,
  load: () => Promise<Effect | undefined>,
): Promise<void> {
  for (;;) {
    const effect = await load();
    if (!effect) return;
    const outcome = await commit(ctx, [event.id], scope, effect);
    if (outcome === 'too_large')
      throw new Error(`The effect of event ${event.id} does not fit one transaction`);
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

/** A person's change, merged into each program they take part in (after the organization's record). */
async function projectPersonIntoPrograms(ctx: TenantContext, event: StoredEvent): Promise<void> {
  const { personId } = event.data as EventData<'person.created'>;
  for (const programId of await ctx.store.analytics.programsOf(personId))
    await applyEffect(ctx, event, programId, () =>
      unlessGone(async () => {
        const person = await participantPerson(ctx, programId, personId);
        return { observations: [person.observation], guards: [person.guard] };
      }),
    );
}

const personEffect = (ctx: TenantContext, event: StoredEvent) =>
  unlessGone(async () => {
    const { personId } = event.data as EventData<'person.created'>;
    return { observations: [observePerson(await ctx.store.people.get(personId))] };
  });

/** The organization effects of a batch's person events, their people read together (a bulk import brings hundreds). */
async function personEffects(ctx: TenantContext, events: StoredEvent[]) {
  const personIds = events.map((event) => (event.data as EventData<'person.created'>).personId);
  const people = await ctx.store.people.getMany(personIds);
  return events.flatMap((event, i) => {
    const found = people.get(personIds[i]!);
    // Gone since (deleted): nothing left to count, as `personEffect` finds.
    return found ? [{ scope: ORGANIZATION, event, effect: { observations: [observePerson(found)] } }] : [];
  });
}

const programEffectOf = async (ctx: TenantContext, event: StoredEvent) =>
  (await unlessGone(() => programEffect(ctx, event)))?.[1];

/**
 * The analytics reaction: folds one event into the counters of its program (and, for a change of
 * a person, into the organization's counts and every program they take part in), exactly once per
 * scope (the event's marker commits with the counters) and in any order (merges commute).
 */
export async function projectEvent(ctx: TenantContext, event: StoredEvent): Promise<void> {
  await projectEvents(ctx, [event]);
}

const isPersonEvent = (event: StoredEvent) =>
  event.type === 'person.created' || event.type === 'person.updated';

/** Events of one scope folded into one change, small enough for one transaction. */
interface Group {
  scope: string;
  entries: { event: StoredEvent; effect: Effect }[];
}

/** Items a group may plan before the counter slices, which are known only once records are read. */
const GROUP_ITEMS = 60;
/** Events whose effects are read at once. */
const READS_IN_FLIGHT = 8;

/**
 * The analytics reaction over a batch of events: the effects on one scope fold into one change
 * (records merged, counters summed, every event's marker) instead of one transaction per event,
 * so a publish of thousands of relationships or a bulk HR import moves each program's counters a
 * few times, not once per event. The result is what `projectEvent` gives event by event, since
 * merges commute and counters add. A group in which an event was already counted (a redelivered
 * batch) falls back to event by event.
 */
export async function projectEvents(ctx: TenantContext, batch: readonly StoredEvent[]): Promise<void> {
  const events = [...new Map(batch.map((e) => [e.id, e])).values()];
  // Relationship events (a publish brings thousands) read their relationships in batches.
  const relationshipIds = events.flatMap((e) =>
    relationshipEventTypes.has(e.type)
      ? [(e.data as EventData<'relationship.activated'>).relationshipId]
      : [],
  );
  const relationships = relationshipIds.length
    ? await ctx.store.relationships.getMany([...new Set(relationshipIds)])
    : undefined;
  const personEvents = events.filter(isPersonEvent);
  const others = events.filter((event) => !isPersonEvent(event));
  const loaded: { scope: string; event: StoredEvent; effect: Effect }[] = personEvents.length
    ? await personEffects(ctx, personEvents)
    : [];
  let next = 0;
  const read = async () => {
    while (next < others.length) {
      const event = others[next++]!;
      const found = await unlessGone(() => programEffect(ctx, event, relationships));
      if (found) loaded.push({ scope: found[0], event, effect: found[1] });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, others.length) }, read));
  // Scopes are independent; one scope's groups go one after another (they ADD to the same counters).
  await Promise.all(
    [...groupByScope(loaded)].map(async ([, groups]) => {
      for (const group of groups) await applyGroup(ctx, group);
    }),
  );
  // A person takes part in programs only through enrollments, whose own projection reads the
  // person as it is by then: what a creation brings is there already, and only a later change
  // (person.updated) has something to merge into their programs.
  for (const event of personEvents)
    if (event.type === 'person.updated') await projectPersonIntoPrograms(ctx, event);
}

function groupByScope(loaded: { scope: string; event: StoredEvent; effect: Effect }[]) {
  const byScope = new Map<string, Group[]>();
  for (const { scope, event, effect } of loaded) {
    const groups = byScope.get(scope) ?? [];
    let open = groups.at(-1);
    if (!open || !fits(open, effect)) {
      open = { scope, entries: [] };
      groups.push(open);
    }
    open.entries.push({ event, effect });
    byScope.set(scope, groups);
  }
  return byScope;
}

/** Whether an effect joins a group: within its item plan, and no guard on a record at another revision. */
function fits(group: Group, effect: Effect): boolean {
  const folded = fold([...group.entries.map((e) => e.effect), effect]);
  if (!folded) return false;
  const records = new Set(folded.observations.map(recordId)).size;
  const planned =
    group.entries.length +
    1 +
    records +
    legacyRecordsOf(folded.observations).size +
    (folded.guards?.length ?? 0) +
    (folded.participants?.length ?? 0);
  return planned <= GROUP_ITEMS;
}

/** Several effects as one; undefined when two guard the same record at different revisions. */
function fold(effects: Effect[]): Effect | undefined {
  const guards = new Map<string, number | undefined>();
  for (const guard of effects.flatMap((e) => e.guards ?? [])) {
    if (guards.has(guard.recordId) && guards.get(guard.recordId) !== guard.revision) return undefined;
    guards.set(guard.recordId, guard.revision);
  }
  const participants = [...new Set(effects.flatMap((e) => e.participants ?? []))];
  return {
    observations: effects.flatMap((e) => e.observations),
    facts: effects.flatMap((e) => e.facts ?? []),
    ...(guards.size ? { guards: [...guards].map(([recordId, revision]) => ({ recordId, revision })) } : {}),
    ...(participants.length ? { participants } : {}),
  };
}

/** One group's change; a stale record re-reads the effects, anything else goes event by event. */
async function applyGroup(ctx: TenantContext, group: Group): Promise<void> {
  let entries = group.entries;
  for (;;) {
    const effect = entries.length > 1 ? fold(entries.map((e) => e.effect)) : entries[0]?.effect;
    if (!effect) break;
    const outcome = await commit(
      ctx,
      entries.map((e) => e.event.id),
      group.scope,
      effect,
    );
    if (outcome === 'applied' || (outcome === 'already_applied' && entries.length === 1)) return;
    if (outcome !== 'stale' || entries.length === 1) break;
    const reloaded = await Promise.all(
      entries.map(async ({ event }) => ({
        event,
        effect: await (isPersonEvent(event) ? personEffect(ctx, event) : programEffectOf(ctx, event)),
      })),
    );
    entries = reloaded.filter((e): e is Group['entries'][number] => e.effect !== undefined);
    if (entries.length === 0) return;
  }
  for (const { event, effect } of entries) {
    let fresh: Effect | undefined = effect;
    await applyEffect(ctx, event, group.scope, async () => {
      if (fresh) {
        const value = fresh;
        fresh = undefined;
        return value;
      }
      return isPersonEvent(event) ? personEffect(ctx, event) : programEffectOf(ctx, event);
    });
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

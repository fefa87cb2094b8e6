import {
  addContributions,
  contributions,
  factContributions,
  type Meeting,
  mergeObservation,
  normalizeContributions,
  type Observation,
  ORGANIZATION,
  observeEnrollment,
  observeGoal,
  observeParticipantPerson,
  observePerson,
  observeRelationship,
  observeSurveyResponse,
  organizationContributions,
  type Person,
  type ProjectionRecord,
  recordId,
} from '@tandem/core';
import type { TenantStore } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { npsQuestionsOf } from './survey-questions.ts';

/** Items per page of the program-wide lists: large pages, since every item is read anyway. */
const PAGE = 1000;
/** Relationship partitions read at once: enough to hide latency, few enough not to throttle. */
const CONCURRENCY = 32;

async function allPages<T>(
  read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * Rebuilds a program's analytics from the source entities (enrollments, relationships, their
 * goals, meetings and feedback, survey responses, the organization's people) with the same merges
 * and contributions the reaction uses, and replaces the projection with the result, writing only
 * what changed. Each relationship's workspace is one query; a program's meetings are read from its
 * meeting rows once it has them. Returns the counters.
 */
export async function recomputeAnalytics(ctx: TenantContext, programId: string) {
  const { store } = ctx;
  const [, hasRows] = await Promise.all([
    store.programs.get(programId),
    store.meetings.programHasRows(programId),
  ]);
  const [enrollments, relationships, people] = await Promise.all([
    allPages((cursor) => store.enrollments.list(programId, {}, { limit: PAGE, cursor })),
    allPages((cursor) => store.relationships.list({ programId }, { limit: PAGE, cursor })),
    allPages((cursor) => store.people.list({}, { limit: PAGE, cursor })),
  ]);
  const records = new Map<string, ProjectionRecord>();
  const observe = (o: Observation) => records.set(recordId(o), mergeObservation(records.get(recordId(o)), o));
  for (const e of enrollments) observe(observeEnrollment(e));
  const participants = [...new Set(enrollments.map((e) => e.personId))];
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const personId of participants) {
    const person = byId.get(personId);
    if (person) observe(observeParticipantPerson(programId, person));
  }
  for (const r of relationships) for (const o of observeRelationship(r)) observe(o);
  const sums = new Map();
  const countMeetings = (statuses: Meeting['status'][]) => {
    for (const outcome of statuses)
      if (outcome !== 'scheduled')
        addContributions(sums, factContributions({ kind: 'meeting_logged', programId, outcome }));
  };
  let next = 0;
  await Promise.all([
    // Meetings with rows are read there, a few partitions of small items, instead of in every
    // relationship's partition beside their goals and feedback.
    hasRows ? store.meetings.statusesOfProgram(programId).then(countMeetings) : undefined,
    ...Array.from({ length: CONCURRENCY }, async () => {
      while (next < relationships.length) {
        const { goals, meetings, ratings } = await store.analytics.relationshipSources(
          relationships[next++]!.id,
          { meetings: !hasRows },
        );
        for (const goal of goals) observe(observeGoal(programId, goal));
        countMeetings(meetings);
        for (const rating of ratings)
          addContributions(sums, factContributions({ kind: 'rating', programId, rating }));
      }
    }),
  ]);
  for (const survey of await store.surveys.all(programId)) {
    const nps = npsQuestionsOf(survey);
    for (const response of await store.surveyResponses.countedOfSurvey(programId, survey.id))
      for (const o of observeSurveyResponse(response, nps)) observe(o);
  }
  for (const record of records.values()) addContributions(sums, contributions(record));
  const normalized = normalizeContributions(sums);
  await Promise.all([
    store.analytics.replace(programId, records, normalized, participants),
    recomputeOrganization(store, people),
  ]);
  return normalized;
}

/** The organization's people and leavers, which every program's retention compares against. */
async function recomputeOrganization(store: TenantStore, people: Person[]) {
  const records = new Map<string, ProjectionRecord>();
  for (const person of people) {
    const o = observePerson(person);
    records.set(recordId(o), mergeObservation(undefined, o));
  }
  await store.analytics.replace(
    ORGANIZATION,
    records,
    normalizeContributions(organizationContributions(people)),
  );
}

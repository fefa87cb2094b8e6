import {
  addContributions,
  contributions,
  factContributions,
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
  type ProjectionRecord,
  type Relationship,
  recordId,
} from '@tandem/core';
import type { TenantStore } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { npsQuestionsOf } from './survey-questions.ts';

const PAGE = 100;
/** Relationship partitions read at once: enough to hide latency, few enough not to throttle. */
const CONCURRENCY = 16;

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

async function inRelationship(store: TenantStore, relationship: Relationship) {
  const [goals, meetings, feedback] = await Promise.all([
    allPages((cursor) => store.goals.list(relationship.id, { limit: PAGE, cursor })),
    store.meetings.all(relationship.id),
    store.meetingFeedback.of(relationship.id),
  ]);
  return { goals, meetings, feedback };
}

/**
 * Rebuilds a program's analytics from the source entities (enrollments, relationships, their
 * goals, meetings and feedback) with the same merges and contributions the reaction uses, and
 * replaces the projection with the result. Returns the counters it wrote.
 */
export async function recomputeAnalytics(ctx: TenantContext, programId: string) {
  const { store } = ctx;
  await store.programs.get(programId);
  const [enrollments, relationships] = await Promise.all([
    allPages((cursor) => store.enrollments.list(programId, {}, { limit: PAGE, cursor })),
    allPages((cursor) => store.relationships.list({ programId }, { limit: PAGE, cursor })),
  ]);
  const records = new Map<string, ProjectionRecord>();
  const observe = (o: Observation) => records.set(recordId(o), mergeObservation(records.get(recordId(o)), o));
  for (const e of enrollments) observe(observeEnrollment(e));
  const participants = [...new Set(enrollments.map((e) => e.personId))];
  const people = await store.people.getMany(participants);
  for (const person of people.values()) observe(observeParticipantPerson(programId, person));
  for (const r of relationships) for (const o of observeRelationship(r)) observe(o);
  const sums = new Map();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < relationships.length) {
        const relationship = relationships[next++]!;
        const { goals, meetings, feedback } = await inRelationship(store, relationship);
        for (const goal of goals) observe(observeGoal(programId, goal));
        for (const m of meetings)
          if (m.status !== 'scheduled')
            addContributions(
              sums,
              factContributions({ kind: 'meeting_logged', programId, outcome: m.status }),
            );
        for (const f of feedback)
          addContributions(sums, factContributions({ kind: 'rating', programId, rating: f.rating }));
      }
    }),
  );
  for (const survey of await store.surveys.all(programId)) {
    const nps = npsQuestionsOf(survey);
    for (const response of await store.surveyResponses.allOfSurvey(programId, survey.id))
      for (const o of observeSurveyResponse(response, nps)) observe(o);
  }
  for (const record of records.values()) addContributions(sums, contributions(record));
  const normalized = normalizeContributions(sums);
  await store.analytics.replace(programId, records, normalized, participants);
  await recomputeOrganization(ctx);
  return normalized;
}

/** The organization's people and leavers, which every program's retention compares against. */
async function recomputeOrganization({ store }: TenantContext) {
  const people = await allPages((cursor) => store.people.list({}, { limit: PAGE, cursor }));
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

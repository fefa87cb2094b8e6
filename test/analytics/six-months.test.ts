import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, newTenant } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';
import { reactionsRuntime } from '../support/reactions.ts';
import { runScheduledJobAt } from '../support/schedule.ts';

const DAY = 86_400_000;
const WEEKS = 26;
const PAIRS = 20;
/** The pair that stops meeting after its first two months. */
const QUIET = 0;
/** Pairs whose goal is achieved by the end (the rest reach 75 %). */
const ACHIEVING = 15;

let offset = 0;
const now = () => new Date(Date.now() + offset);
let runtime: Awaited<ReturnType<typeof reactionsRuntime>>;
beforeAll(async () => {
  runtime = await reactionsRuntime({ now });
});
afterAll(() => runtime.stop());

/**
 * A program of 40 participants lived through six months on an injected clock: surveys before and
 * at the close, a meeting every two weeks, goals that progress, the scheduled job once a week,
 * and one pair that stops meeting. Everything goes through the HTTP API, the scheduled job and the
 * reactions; at the end the analytics, the nudges and the report say what happened.
 */
test('a program of 40 participants over six months ends with the expected analytics, nudges and report', {
  timeout: 600_000,
}, async () => {
  const app = runtime.app;
  const tenant = await newTenant(app, 'Six months');
  const { key } = tenant;
  const request = async (method: string, path: string, body?: unknown, as = key) => {
    const res = await call(app, method, path, { key: as, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  const endDate = new Date(Date.now() + 182 * DAY).toISOString().slice(0, 10);
  const program = await request('POST', '/v1/programs', {
    name: 'Six months',
    format: 'peer_pairs',
    meetingCadence: 'biweekly',
    endDate,
    analytics: {
      objectives: {
        goals: { metric: 'goal_completion_percent', target: 80, description: '80 % of goals achieved' },
        matched: { metric: 'match_rate_percent', target: 90 },
      },
    },
  });
  const survey = await request('POST', `/v1/programs/${program.id}/surveys`, {
    title: 'Confidence',
    questions: [
      {
        id: 'confidence',
        kind: 'likert',
        prompt: 'How confident are you giving feedback?',
        measures: 'feedback',
      },
      { id: 'recommend', kind: 'nps', prompt: 'Would you recommend the program?' },
    ],
    schedules: [{ kind: 'pre_program' }, { kind: 'close_out' }],
  });

  // 40 people in four departments, enrolled (which opens their pre-program survey), each answering it.
  // Independent requests go side by side (each person's, each pair's in order): the test asserts
  // what happened, not an order between people, and it runs in a fraction of the time.
  const people: { id: string; token: string; pre: number }[] = await Promise.all(
    Array.from({ length: 2 * PAIRS }, async (_, i) => {
      const person = await request('POST', '/v1/people', {
        name: `Person ${i}`,
        email: `person${i}.${tenant.tenantId}@example.com`,
        department: `D${i % 4}`,
      });
      await request('POST', `/v1/programs/${program.id}/enrollments`, { personId: person.id, role: 'peer' });
      return { id: person.id, token: await participantToken(app, tenant, person.id), pre: 2 + (i % 2) };
    }),
  );
  const answer = async (person: (typeof people)[number], scheduleKind: string, confidence: number) => {
    const instances = (await request('GET', '/v1/me/surveys', undefined, person.token)).items as {
      id: string;
      scheduleKind: string;
    }[];
    const instance = instances.find((s) => s.scheduleKind === scheduleKind);
    expect(instance, `${scheduleKind} instance of ${person.id}`).toBeDefined();
    await request(
      'PUT',
      `/v1/me/surveys/${instance!.id}/response`,
      {
        answers: [
          { questionId: 'confidence', value: confidence },
          { questionId: 'recommend', value: 9 },
        ],
      },
      person.token,
    );
  };
  await Promise.all(people.map((person) => answer(person, 'pre_program', person.pre)));

  // Pairs across departments (D0 with D1, D2 with D3), each with one goal.
  const pairs: { id: string; goal: string }[] = await Promise.all(
    Array.from({ length: PAIRS }, async (_, p) => {
      const relationship = await request('POST', '/v1/relationships', {
        programId: program.id,
        personIds: [people[2 * p]!.id, people[2 * p + 1]!.id],
      });
      const goal = await request('POST', `/v1/relationships/${relationship.id}/goals`, {
        title: 'Run a retro',
      });
      return { id: relationship.id, goal: goal.id };
    }),
  );

  let held = 0;
  for (let week = 1; week <= WEEKS; week++) {
    offset += 7 * DAY;
    await Promise.all(
      pairs.map(async (pair, p) => {
        const meets = week % 2 === 0 && !(p === QUIET && week > 8);
        if (meets) {
          const meeting = await request('POST', `/v1/relationships/${pair.id}/meetings`, {
            startsAt: new Date(now().getTime() - 3_600_000).toISOString(),
            timeZone: 'UTC',
            durationMinutes: 45,
          });
          await request('POST', `/v1/relationships/${pair.id}/meetings/${meeting.id}/log`, {
            outcome: 'held',
            attendance: [
              { personId: people[2 * p]!.id, attended: true },
              { personId: people[2 * p + 1]!.id, attended: true },
            ],
          });
          held++;
        }
        if (week % 6 === 0 && week < 24)
          await request('PATCH', `/v1/relationships/${pair.id}/goals/${pair.goal}`, {
            progress: (week / 6) * 25,
          });
        if (week === 24)
          await request(
            'PATCH',
            `/v1/relationships/${pair.id}/goals/${pair.goal}`,
            p < ACHIEVING ? { status: 'achieved' } : { progress: 75 },
          );
      }),
    );
    await runScheduledJobAt(tenant.tenantId, now(), { db: runtime.db });
    if (week === 20) {
      const midway = await request('GET', `/v1/programs/${program.id}/analytics`);
      expect(midway.relationships.atRisk).toBe(1);
    }
  }

  // Past the end date: the job completes every relationship, which opens the close-out surveys.
  offset += 2 * DAY;
  await runScheduledJobAt(tenant.tenantId, now(), { db: runtime.db });
  const relationships = (await request('GET', `/v1/relationships?programId=${program.id}&limit=100`)).items;
  expect(relationships.map((r: { status: string }) => r.status)).toEqual(Array(PAIRS).fill('completed'));
  const post = (i: number) => people[i]!.pre + 1 + (i % 3 === 0 ? 1 : 0);
  await Promise.all(people.map((person, i) => answer(person, 'close_out', post(i))));
  await runtime.settle();

  // The nudges: the quiet pair alone was at risk, raised once, and its overdue meetings were nudged.
  const events = async (type: string) =>
    (await request('GET', `/v1/events?type=${type}&limit=100`)).items as {
      data: { relationshipId: string };
    }[];
  const atRisk = await events('relationship.at_risk');
  expect(atRisk.map((e) => e.data.relationshipId)).toEqual([pairs[QUIET]!.id]);
  const overdue = await events('meeting.overdue');
  expect(new Set(overdue.map((e) => e.data.relationshipId))).toEqual(new Set([pairs[QUIET]!.id]));

  const analytics = await request('GET', `/v1/programs/${program.id}/analytics`);
  expect(analytics.enrollment).toMatchObject({ enrolled: 40, matched: 40, matchRatePercent: 100 });
  // Completed relationships have left the at-risk list.
  expect(analytics.relationships).toMatchObject({ total: PAIRS, byStatus: { completed: PAIRS }, atRisk: 0 });
  expect(analytics.meetings.held).toBe(held);
  expect(analytics.goals.completionPercent).toBe((ACHIEVING / PAIRS) * 100);
  const diffs = people.map((person, i) => post(i) - person.pre);
  const mean = diffs.reduce((sum, d) => sum + d, 0) / diffs.length;
  const item = analytics.surveys.items.find(
    (i: { surveyId: string; questionId: string }) =>
      i.surveyId === survey.id && i.questionId === 'confidence',
  );
  expect(item).toMatchObject({ n: 40, suppressed: false });
  expect(item.meanDifference).toBeCloseTo(mean, 6);
  expect(item.ci95[0]).toBeLessThan(mean);
  expect(item.ci95[1]).toBeGreaterThan(mean);
  expect(analytics.surveys.nps).toMatchObject({ suppressed: false, score: 100 });
  const objectives = Object.fromEntries(
    analytics.objectives.map((o: { key: string; met: boolean }) => [o.key, o.met]),
  );
  expect(objectives).toEqual({ goals: false, matched: true });

  // The full recompute (queued, run by the job's next pass) gives the same numbers the events kept.
  expect(await request('POST', `/v1/programs/${program.id}/analytics/recompute`)).toMatchObject({
    status: 'queued',
  });
  await runScheduledJobAt(tenant.tenantId, now(), { db: runtime.db });
  expect(await request('GET', `/v1/programs/${program.id}/analytics/recompute`)).toMatchObject({
    status: 'completed',
  });
  expect(await request('GET', `/v1/programs/${program.id}/analytics`)).toEqual(analytics);

  // The report carries the same figures.
  const report = await call(app, 'GET', `/v1/programs/${program.id}/report`, { key });
  expect(report.status).toBe(200);
  const marks = [...report.text.matchAll(/<g class="mark" data-label="([^"]*)" data-value="([^"]*)"/g)];
  const monthly = marks.filter(([, label]) => /^\d{4}-\d{2}$/.test(label!));
  expect(monthly.reduce((sum, [, , value]) => sum + Number(value), 0)).toBe(held);
  expect(report.text).toContain('data-label="Enrolled" data-value="40"');
  expect(report.text).toContain(`data-label="confidence" data-value="${Math.round(mean * 100) / 100}"`);
});

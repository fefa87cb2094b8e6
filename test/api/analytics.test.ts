import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { projectEvent, projectEvents } from '@tandem/app';
import type { StoredEvent } from '@tandem/core';
import { CursorCodec, type Db, keys } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { heldMeeting, twoPairs } from '../participants/workspace.ts';
import { CURSOR_SECRET, call, newTenant, testApp, testDb, testSealer, uniqueEmail } from '../support/app.ts';
import { reactionsRuntime } from '../support/reactions.ts';
import { runScheduledJobAt } from '../support/schedule.ts';

const DAY = 86_400_000;
// Midnight UTC: the analytics measure ongoing relationships to the start of the day.
let now = Date.parse('2030-03-04T00:00:00Z');
const app = testApp({ now: () => new Date(now) });

/** Every event of the tenant so far, oldest first. */
async function allEvents(store: ReturnType<typeof tenantStore>) {
  const events: StoredEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.events.list({}, { limit: 100, cursor });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

/**
 * The reaction's work as the stream does it: shuffled, every event twice, in batches of random
 * size folded together by `projectEvents` (a redelivered event in a batch sends it event by event)
 * or event by event concurrently, as `projectEvent` alone.
 */
async function react(tenantId: string, events: StoredEvent[]) {
  const store = tenantStore(
    { tenant: testDb(), platform: testDb(), sealer: testSealer },
    tenantId,
    new CursorCodec(CURSOR_SECRET),
  );
  const ctx = { tenantId, store, clock: () => new Date(now) };
  const deliveries = [...events, ...events].sort(() => Math.random() - 0.5);
  for (let i = 0, batch = 0; i < deliveries.length; batch++) {
    const size = 1 + Math.floor(Math.random() * 40);
    const slice = deliveries.slice(i, i + size);
    i += size;
    if (batch % 2 === 0) await projectEvents(ctx, slice);
    else await Promise.all(slice.map((event) => projectEvent(ctx, event)));
  }
}

/**
 * A rebuild as an admin asks for it: queued (202, Location), run by the scheduled job's next pass
 * at the test's clock, then completed. Returns the completed status.
 */
async function recomputed(
  on: ReturnType<typeof testApp>,
  key: string,
  tenantId: string,
  programId: string,
  db?: Db,
) {
  const path = `/v1/programs/${programId}/analytics/recompute`;
  const asked = await call(on, 'POST', path, { key });
  expect(asked.status, asked.text).toBe(202);
  expect(asked.json).toEqual({ programId, status: 'queued', requestedAt: new Date(now).toISOString() });
  expect(asked.headers.get('location')).toBe(path);
  await runScheduledJobAt(tenantId, new Date(now), db ? { db } : {});
  const done = await call(on, 'GET', path, { key });
  expect(done.status).toBe(200);
  expect(done.json).toMatchObject({ programId, status: 'completed', requestedAt: asked.json.requestedAt });
  return done.json;
}

describe('program analytics', () => {
  test('kept from events, they match a full recompute; objectives and suppressed cohorts', async () => {
    const start = now;
    const { tenant, key, programId, ada, ben, ours, theirs } = await twoPairs(app);
    const store = tenantStore(
      { tenant: testDb(), platform: testDb(), sealer: testSealer },
      tenant.tenantId,
      new CursorCodec(CURSOR_SECRET),
    );

    const patched = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: {
        meetingCadence: 'weekly',
        analytics: {
          minimumSliceSize: 5,
          objectives: {
            goals: { metric: 'goal_completion_percent', target: 80 },
            rating: { metric: 'mean_meeting_rating', target: 3, description: 'Meetings are useful' },
          },
        },
      },
    });
    expect(patched.status, patched.text).toBe(200);
    // Objectives merge by name: one removed, another added, the rest kept.
    const merged = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: {
        analytics: { objectives: { rating: null, matched: { metric: 'match_rate_percent', target: 90 } } },
      },
    });
    expect(Object.keys(merged.json.analytics.objectives).sort()).toEqual(['goals', 'matched']);

    now = start + 14 * DAY;
    const goal = async (body: Record<string, unknown>) => {
      const res = await call(app, 'POST', `/v1/relationships/${ours}/goals`, { key, body });
      expect(res.status, res.text).toBe(201);
      return res.json;
    };
    const achieved = await goal({ title: 'Run a design review' });
    await goal({ title: 'Write the RFC', progress: 40 });
    const done = await call(app, 'PATCH', `/v1/relationships/${ours}/goals/${achieved.id}`, {
      key,
      body: { status: 'achieved' },
    });
    expect(done.status, done.text).toBe(200);
    const first = await heldMeeting(app, ada, ben, ours);
    await heldMeeting(app, ada, ben, ours);
    for (const [member, rating] of [
      [ada, 5],
      [ben, 2],
    ] as const) {
      const res = await call(app, 'POST', `/v1/relationships/${ours}/meetings/${first.id}/feedback`, {
        key: member.token,
        body: { rating },
      });
      expect(res.status, res.text).toBe(201);
    }
    const dissolved = await call(app, 'POST', `/v1/relationships/${theirs}/dissolve`, {
      key,
      body: { reason: 'no_time' },
    });
    expect(dissolved.status, dissolved.text).toBe(200);
    // Ben moves to Sales and later leaves; two people of the organization never enrolled, one left.
    const patchPerson = async (personId: string, body: unknown) => {
      const res = await call(app, 'PATCH', `/v1/people/${personId}`, { key, body });
      expect(res.status, res.text).toBe(200);
    };
    await patchPerson(ben.personId, { department: 'Sales' });
    for (const [name, status] of [
      ['Eve', 'left'],
      ['Fay', 'active'],
    ] as const) {
      const res = await call(app, 'POST', '/v1/people', { key, body: { name, email: uniqueEmail(name) } });
      expect(res.status, res.text).toBe(201);
      if (status === 'left') await patchPerson(res.json.id, { status });
    }

    now = start + 28 * DAY;
    // Ben leaving ends his pair (left_organization) and withdraws his enrollment.
    await patchPerson(ben.personId, { status: 'left' });
    await react(tenant.tenantId, await allEvents(store));
    const kept = await call(app, 'GET', `/v1/programs/${programId}/analytics?by=cohort`, { key });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json).toMatchObject({
      programId,
      enrollment: {
        enrolled: 4,
        active: 3,
        withdrawn: 1,
        matched: 4,
        matchRatePercent: 100,
        meanDaysToMatch: 0,
      },
      relationships: {
        total: 2,
        byStatus: { active: 0, dissolved: 2, completed: 0, pending_agreement: 0 },
        dissolutionReasons: { no_time: 1, mismatch: 0, left_organization: 1 },
      },
      // Matched by hand with no departments or skills: known, within no department, nothing wanted.
      matchQuality: { known: 2, unknown: 0, crossDepartment: 0, wantedSkills: 0, wantedSkillsCovered: 0 },
      meetings: { held: 2, cancelled: 0, noShow: 0, perRelationship: 1 },
      goals: {
        total: 2,
        byStatus: { achieved: 1, in_progress: 1 },
        completionPercent: 50,
        meanProgressPercent: 70,
      },
      meetingRating: { n: 2, mean: 3.5, sd: 2.12 },
      objectives: [
        {
          key: 'goals',
          metric: 'goal_completion_percent',
          target: 80,
          actual: 50,
          met: false,
          progressPercent: 62.5,
        },
        {
          key: 'matched',
          metric: 'match_rate_percent',
          target: 90,
          actual: 100,
          met: true,
          progressPercent: 100,
        },
      ],
      // Four participants in the one cohort: fewer than five, so nothing is shown for it.
      slices: [{ by: 'cohort', value: '2030-03', suppressed: true }],
    });
    // Ben's pair ran four weeks, the other two: at a weekly cadence, three meetings each.
    expect(kept.json.meetings.expectedPerRelationship).toBe(3);
    expect(kept.json.meetings.cadencePercent).toBeCloseTo(33.3, 1);

    const recompute = await recomputed(app, key, tenant.tenantId, programId);
    const rebuilt = await call(app, 'GET', `/v1/programs/${programId}/analytics?by=cohort`, { key });
    expect(rebuilt.json).toEqual(kept.json);
    // A program from before the meeting rows: its meetings are read in each relationship's partition.
    await testDb().doc.send(
      new DeleteCommand({
        TableName: testDb().tableName,
        Key: keys.programMeetingRows(tenant.tenantId, programId),
      }),
    );
    expect((await recomputed(app, key, tenant.tenantId, programId)).slices).toBe(recompute.slices);
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics?by=cohort`, { key })).json).toEqual(
      kept.json,
    );
    const departments = await call(app, 'GET', `/v1/programs/${programId}/analytics?by=department`, { key });
    // Three without a department, Ben in Sales: both slices below five, both suppressed.
    expect(departments.json.slices).toEqual([
      { by: 'department', value: '(none)', suppressed: true },
      { by: 'department', value: 'Sales', suppressed: true },
    ]);

    // A redelivered event after the recompute is not counted twice.
    await react(
      tenant.tenantId,
      (await allEvents(store)).filter((e) => e.type === 'feedback.submitted'),
    );
    expect(
      (await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json.meetingRating.n,
    ).toBe(2);
  });

  test('match quality: departments and skills as they were when matched, program-wide and per slice', async () => {
    const { key, tenantId } = await newTenant(app);
    const post = async (path: string, body: unknown) => {
      const res = await call(app, 'POST', path, { key, body });
      expect(res.status, res.text).toBeLessThan(300);
      return res.json.id as string;
    };
    const programId = await post('/v1/programs', { name: 'Peers', format: 'peer_pairs' });
    const person = async (name: string, department: string, body: Record<string, unknown>) => {
      const personId = await post('/v1/people', { name, email: uniqueEmail(name), department, ...body });
      await post(`/v1/programs/${programId}/enrollments`, { personId, role: 'peer' });
      return personId;
    };
    const ada = await person('Ada', 'Sales', {
      skillsOffered: [{ name: 'Negotiation', level: 4 }],
      skillsWanted: [{ name: 'SQL' }, { name: 'Go' }],
    });
    const ben = await person('Ben', 'Engineering', {
      skillsOffered: [{ name: 'sql', level: 4 }],
      skillsWanted: [{ name: 'Negotiation' }],
    });
    const cy = await person('Cy', 'Sales', { skillsWanted: [{ name: 'Go' }] });
    const di = await person('Di', 'Sales', {});
    await post('/v1/relationships', { programId, personIds: [ada, ben] });
    await post('/v1/relationships', { programId, personIds: [cy, di] });
    // Ben moves to Sales afterwards: the match was still made across departments.
    const moved = await call(app, 'PATCH', `/v1/people/${ben}`, { key, body: { department: 'Sales' } });
    expect(moved.status, moved.text).toBe(200);
    const k = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: { analytics: { minimumSliceSize: 2 } },
    });
    expect(k.status, k.text).toBe(200);
    const store = tenantStore(
      { tenant: testDb(), platform: testDb(), sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    await react(tenantId, await allEvents(store));
    const kept = await call(app, 'GET', `/v1/programs/${programId}/analytics?by=department`, { key });
    expect(kept.status, kept.text).toBe(200);
    // Ada wanted SQL (Ben offers it) and Go (nobody); Ben wanted Negotiation (Ada); Cy wanted Go.
    expect(kept.json.matchQuality).toEqual({
      known: 2,
      unknown: 0,
      crossDepartment: 1,
      crossDepartmentPercent: 50,
      wantedSkills: 4,
      wantedSkillsCovered: 2,
      wantedSkillsCoveredPercent: 50,
    });
    // All four are in Sales now: one slice, each participant's side of their match.
    expect(kept.json.slices).toEqual([
      expect.objectContaining({
        value: 'Sales',
        suppressed: false,
        matchQuality: {
          known: 4,
          unknown: 0,
          crossDepartment: 2,
          crossDepartmentPercent: 50,
          wantedSkills: 4,
          wantedSkillsCovered: 2,
          wantedSkillsCoveredPercent: 50,
        },
      }),
    ]);
    await recomputed(app, key, tenantId, programId);
    const rebuilt = await call(app, 'GET', `/v1/programs/${programId}/analytics?by=department`, { key });
    expect(rebuilt.json).toEqual(kept.json);
  });

  test('a projection from before goals were kept per relationship: its goals count until their next event moves them', async () => {
    const { tenant, key, programId, ours } = await twoPairs(app);
    const store = tenantStore(
      { tenant: testDb(), platform: testDb(), sealer: testSealer },
      tenant.tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const goal = async (body: Record<string, unknown>) => {
      const res = await call(app, 'POST', `/v1/relationships/${ours}/goals`, { key, body });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    const moved = await goal({ title: 'Run a design review', progress: 20 });
    const kept = await goal({ title: 'Write the RFC', progress: 40 });
    await react(tenant.tenantId, await allEvents(store));
    const before = await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key });
    expect(before.json.goals).toMatchObject({ total: 2, meanProgressPercent: 30 });

    // The same goals as an older projection stored them, one record each (same counters).
    const grouped = (await store.analytics.records(programId, [`goals#${ours}`])).get(`goals#${ours}`)!;
    if (grouped.record.kind !== 'goals') throw new Error('no goals record');
    const outcome = await store.analytics.apply(programId, {
      projection: 'analytics',
      eventIds: [],
      records: Object.entries(grouped.record.goals).map(([goalId, state]) => ({
        recordId: `goal#${goalId}`,
        previous: undefined,
        next: { kind: 'goal', programId, goalId, ...state },
      })),
      deletes: [{ recordId: `goals#${ours}`, revision: grouped.revision }],
      delta: new Map(),
    });
    expect(outcome).toBe('applied');
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json).toEqual(
      before.json,
    );

    const patched = await call(app, 'PATCH', `/v1/relationships/${ours}/goals/${moved}`, {
      key,
      body: { status: 'achieved' },
    });
    expect(patched.status, patched.text).toBe(200);
    await react(
      tenant.tenantId,
      (await allEvents(store)).filter((e) => e.type === 'goal.updated'),
    );
    const after = await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key });
    // Counted once: the moved goal's own record went with its move; the other still counts in its own.
    expect(after.json.goals).toMatchObject({
      total: 2,
      byStatus: { achieved: 1, in_progress: 1 },
      meanProgressPercent: 70,
    });
    const stored = await store.analytics.records(programId, [
      `goal#${moved}`,
      `goal#${kept}`,
      `goals#${ours}`,
    ]);
    expect([...stored.keys()].sort()).toEqual([`goal#${kept}`, `goals#${ours}`].sort());

    // The recompute agrees, and writes the program's goals in the new form only.
    await recomputed(app, key, tenant.tenantId, programId);
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json).toEqual(after.json);
    const rewritten = await store.analytics.records(programId, [`goal#${kept}`, `goals#${ours}`]);
    expect([...rewritten.keys()]).toEqual([`goals#${ours}`]);
  });

  test('records stored as maps, as projections before session 21 stored them, still count and move on', async () => {
    const { tenant, key, programId, ours } = await twoPairs(app);
    const store = tenantStore(
      { tenant: testDb(), platform: testDb(), sealer: testSealer },
      tenant.tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const goal = await call(app, 'POST', `/v1/relationships/${ours}/goals`, {
      key,
      body: { title: 'Run a design review', progress: 20 },
    });
    expect(goal.status, goal.text).toBe(201);
    await react(tenant.tenantId, await allEvents(store));
    const before = await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key });
    expect(before.json.goals).toMatchObject({ total: 1, meanProgressPercent: 20 });

    // Every record of the program rewritten in the older form: the record as a map, not a string.
    const { PK } = keys.analyticsRecord(tenant.tenantId, programId, '');
    const { Items = [] } = await testDb().doc.send(
      new QueryCommand({
        TableName: testDb().tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :rec)',
        ExpressionAttributeValues: { ':pk': PK, ':rec': 'REC#' },
      }),
    );
    expect(Items.length).toBeGreaterThan(0);
    for (const item of Items) {
      expect(typeof item.record).toBe('string');
      await testDb().doc.send(
        new PutCommand({
          TableName: testDb().tableName,
          Item: { ...item, record: JSON.parse(item.record as string) },
        }),
      );
    }
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json).toEqual(
      before.json,
    );

    // The goal's next event merges into its record as read from the map, and stores it as a string.
    const patched = await call(app, 'PATCH', `/v1/relationships/${ours}/goals/${goal.json.id}`, {
      key,
      body: { status: 'achieved', progress: 100 },
    });
    expect(patched.status, patched.text).toBe(200);
    await react(
      tenant.tenantId,
      (await allEvents(store)).filter((e) => e.type === 'goal.updated'),
    );
    const after = await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key });
    expect(after.json.goals).toMatchObject({
      total: 1,
      byStatus: { achieved: 1, in_progress: 0 },
      meanProgressPercent: 100,
    });
    const goals = await testDb().doc.send(
      new QueryCommand({
        TableName: testDb().tableName,
        KeyConditionExpression: 'PK = :pk AND SK = :sk',
        ExpressionAttributeValues: { ':pk': PK, ':sk': `REC#goals#${ours}` },
      }),
    );
    expect(typeof goals.Items?.[0]?.record).toBe('string');

    // A recompute agrees with the records of both forms.
    await recomputed(app, key, tenant.tenantId, programId);
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json).toEqual(after.json);
  });

  test('a rebuild asked for a draft program that is deleted before it runs is dropped', async () => {
    const { key, tenantId } = await newTenant(app);
    const draft = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'Soon gone', format: 'peer_pairs' },
    });
    const path = `/v1/programs/${draft.json.id}/analytics/recompute`;
    expect((await call(app, 'POST', path, { key })).status).toBe(202);
    expect((await call(app, 'DELETE', `/v1/programs/${draft.json.id}`, { key })).status).toBe(204);
    // The pass ends the timer without failing (a failed timer would throw here), and nothing is left due.
    expect(await runScheduledJobAt(tenantId, new Date(now))).toMatchObject({ handled: 1, failed: 0 });
    expect(await runScheduledJobAt(tenantId, new Date(now))).toMatchObject({ handled: 0, failed: 0 });
  });

  test("another tenant's program is 404; recompute needs admin", async () => {
    const { programId } = await twoPairs(app);
    const other = await twoPairs(app);
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key: other.key })).status).toBe(
      404,
    );
    expect(
      (await call(app, 'POST', `/v1/programs/${programId}/analytics/recompute`, { key: other.key })).status,
    ).toBe(404);
    // Never asked for: no status to read; another tenant's program is 404 either way.
    const status = `/v1/programs/${other.programId}/analytics/recompute`;
    expect((await call(app, 'GET', status, { key: other.key })).status).toBe(404);
    expect(
      (await call(app, 'GET', `/v1/programs/${programId}/analytics/recompute`, { key: other.key })).status,
    ).toBe(404);
    const reader = await call(app, 'POST', '/v1/api-keys', {
      key: other.key,
      body: { name: 'r', scopes: ['read'] },
    });
    expect(reader.status, reader.text).toBe(201);
    const fresh = await call(app, 'GET', `/v1/programs/${other.programId}/analytics`, {
      key: reader.json.secret,
    });
    expect(fresh.status).toBe(200);
    expect(fresh.json.enrollment.enrolled).toBe(0);
    expect(
      (
        await call(app, 'POST', `/v1/programs/${other.programId}/analytics/recompute`, {
          key: reader.json.secret,
        })
      ).status,
    ).toBe(403);
    expect((await call(app, 'POST', status, { key: other.key })).status).toBe(202);
    const readable = await call(app, 'GET', status, { key: reader.json.secret });
    expect(readable.status).toBe(200);
    expect(readable.json).toMatchObject({ programId: other.programId, status: 'queued' });
  });
});

describe('program analytics on the reactions runtime', () => {
  let runtime: Awaited<ReturnType<typeof reactionsRuntime>>;
  beforeAll(async () => {
    runtime = await reactionsRuntime({ now: () => new Date(now) });
  });
  afterAll(() => runtime.stop());

  test('the analytics reaction keeps the numbers as the program runs; a recompute agrees', async () => {
    const { app } = runtime;
    const { tenant, key, programId, ada, ben, ours, theirs } = await twoPairs(app);
    await heldMeeting(app, ada, ben, ours);
    await call(app, 'POST', `/v1/relationships/${theirs}/dissolve`, { key, body: { reason: 'mismatch' } });
    await runtime.settle();
    const kept = await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key });
    expect(kept.json).toMatchObject({
      enrollment: { enrolled: 4, matched: 4 },
      relationships: { total: 2, byStatus: { active: 1, dissolved: 1 }, dissolutionReasons: { mismatch: 1 } },
      meetings: { held: 1 },
    });
    // The stream may hand the same events over again: nothing is counted twice.
    await runtime.settle();
    await recomputed(app, key, tenant.tenantId, programId, runtime.db);
    expect((await call(app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json).toEqual(kept.json);
  });
});

import { evaluateMilestoneRules, milestoneRulesReaction, type TenantContext } from '@tandem/app';
import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { describe, expect, test } from 'vitest';
import { eventsOf, schedule, twoPairs } from '../participants/workspace.ts';
import { CURSOR_SECRET, call, newTenant, testApp, testDb, testSealer, uniqueEmail } from '../support/app.ts';
import { reactionsRuntime } from '../support/reactions.ts';

type App = ReturnType<typeof testApp>;

const AWARD_TYPE = 'awt_01jd5x3n7a8q9w0e1r2t3y4z5v';

/** The use case the reactions runtime calls for each committed event, on the test's tenant. */
function milestoneContext(tenantId: string, db = testDb()): TenantContext {
  return {
    tenantId,
    store: tenantStore(
      { tenant: db, platform: db, sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    ),
    clock: () => new Date(),
  };
}

/** A pair in a program with two rules: the first meeting held, and three meetings held. */
async function pairWithRules(app: App) {
  const pair = await twoPairs(app);
  const { key, programId } = pair;
  const rule = async (body: unknown) => {
    const res = await call(app, 'POST', `/v1/programs/${programId}/milestone-rules`, { key, body });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const first = await rule({ kind: 'first_meeting_held', name: 'First meeting' });
  const three = await rule({
    kind: 'meetings_held',
    count: 3,
    name: 'Three meetings',
    awardTypeId: AWARD_TYPE,
  });
  const holdMeeting = async () => {
    const meeting = await schedule(app, pair.ada.token, pair.ours);
    const res = await call(app, 'POST', `/v1/relationships/${pair.ours}/meetings/${meeting.id}/log`, {
      key,
      body: {
        outcome: 'held',
        attendance: [
          { personId: pair.ada.personId, attended: true },
          { personId: pair.ben.personId, attended: true },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
  };
  const logged = () => eventsOf(app, key, 'meeting.logged');
  const earned = async () =>
    (await eventsOf(app, key, 'milestone.earned')).map((e) => `${e.data.ruleId}:${e.data.personId}`).sort();
  return { ...pair, first, three, holdMeeting, logged, earned };
}

describe('milestone rules', () => {
  test('end to end: the reactions runtime delivers every event twice, and each milestone is earned once', async () => {
    // Two subscriptions of the same reaction: every event reaches the rules twice, concurrently.
    const runtime = await reactionsRuntime({
      reactions: [milestoneRulesReaction, { ...milestoneRulesReaction, name: 'milestone-rules-again' }],
    });
    try {
      const { first, three, ada, ben, holdMeeting, earned } = await pairWithRules(runtime.app);
      await holdMeeting();
      await holdMeeting();
      await runtime.settle();
      expect(await earned()).toEqual([`${first}:${ada.personId}`, `${first}:${ben.personId}`].sort());
      await holdMeeting();
      await holdMeeting();
      await runtime.settle();
      expect(await earned()).toEqual(
        [
          `${first}:${ada.personId}`,
          `${first}:${ben.personId}`,
          `${three}:${ada.personId}`,
          `${three}:${ben.personId}`,
        ].sort(),
      );
    } finally {
      await runtime.stop();
    }
  });

  test('a meetings_held rule is met at exactly N held meetings, by each member, and the event says what was earned', async () => {
    const app = testApp();
    const { key, programId, ada, ben, first, three, holdMeeting, logged, earned, tenant } =
      await pairWithRules(app);
    const ctx = milestoneContext(tenant.tenantId);
    const at = (pairs: [string, { personId: string }][]) =>
      pairs.map(([r, p]) => `${r}:${p.personId}`).sort();

    await holdMeeting();
    expect(await evaluateMilestoneRules(ctx, (await logged()).at(-1)!)).toBe(2);
    expect(await earned()).toEqual(
      at([
        [first, ada],
        [first, ben],
      ]),
    );
    await holdMeeting();
    expect(await evaluateMilestoneRules(ctx, (await logged()).at(-1)!)).toBe(0);
    expect(await earned()).toHaveLength(2);
    await holdMeeting();
    expect(await evaluateMilestoneRules(ctx, (await logged()).at(-1)!)).toBe(2);
    expect(await earned()).toEqual(
      at([
        [first, ada],
        [first, ben],
        [three, ada],
        [three, ben],
      ]),
    );

    const threeForAda = (await eventsOf(app, key, 'milestone.earned')).find(
      (e) => e.data.ruleId === three && e.data.personId === ada.personId,
    );
    expect(threeForAda!.data).toEqual({
      personId: ada.personId,
      programId,
      ruleId: three,
      milestone: 'Three meetings',
      awardTypeId: AWARD_TYPE,
    });

    const mine = await call(app, 'GET', '/v1/me/milestones-earned', { key: ada.token });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((m: { ruleId: string }) => m.ruleId)).toEqual([first, three]);
    const byAdmin = await call(app, 'GET', `/v1/people/${ben.personId}/milestones-earned`, { key });
    expect(byAdmin.json.items).toHaveLength(2);
    expect(byAdmin.json.items[1]).toMatchObject({
      kind: 'meetings_held',
      milestone: 'Three meetings',
      programId,
    });
    expect(
      (await call(app, 'GET', `/v1/people/${ada.personId}/milestones-earned`, { key: ben.token })).status,
    ).toBe(404);
  });

  test('a milestone is earned once when its event arrives twice, out of order, or concurrently', async () => {
    const app = testApp();
    const { first, three, ada, ben, holdMeeting, logged, earned, tenant } = await pairWithRules(app);
    const ctx = milestoneContext(tenant.tenantId);
    for (let i = 0; i < 3; i++) await holdMeeting();
    const [one, two, third] = (await logged()) as [any, any, any];

    // The last meeting's event first, twice at once, with the first one's: four milestones, once each.
    const recorded = await Promise.all([
      evaluateMilestoneRules(ctx, third),
      evaluateMilestoneRules(ctx, third),
      evaluateMilestoneRules(ctx, one),
    ]);
    expect(recorded.reduce((a, b) => a + b, 0)).toBe(4);
    // Then the rest, late and repeated.
    for (const event of [two, one, third, two]) expect(await evaluateMilestoneRules(ctx, event)).toBe(0);
    expect(await earned()).toEqual(
      [
        `${first}:${ada.personId}`,
        `${first}:${ben.personId}`,
        `${three}:${ada.personId}`,
        `${three}:${ben.personId}`,
      ].sort(),
    );
  });

  test('rules are checked at the edge: count where a kind needs one, and only there; a removed rule earns nothing more', async () => {
    const app = testApp();
    const { key, programId, first, holdMeeting, logged, earned, tenant } = await pairWithRules(app);
    const ctx = milestoneContext(tenant.tenantId);
    const path = `/v1/programs/${programId}/milestone-rules`;
    const missing = await call(app, 'POST', path, {
      key,
      body: { kind: 'mentored_people', name: 'Mentor of five' },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.errors).toEqual([expect.objectContaining({ field: '/count' })]);
    const extra = await call(app, 'POST', path, {
      key,
      body: { kind: 'program_completed', name: 'Done', count: 2 },
    });
    expect(extra.status).toBe(400);
    expect(extra.json.errors).toEqual([expect.objectContaining({ field: '/count' })]);

    const listed = await call(app, 'GET', path, { key });
    expect(listed.json.items.map((r: { name: string }) => r.name)).toEqual([
      'First meeting',
      'Three meetings',
    ]);
    expect((await call(app, 'DELETE', `${path}/${first}`, { key })).status).toBe(204);
    await holdMeeting();
    expect(await evaluateMilestoneRules(ctx, (await logged()).at(-1)!)).toBe(0);
    expect(await earned()).toEqual([]);
  });

  test('goals, completion and mentoring across programs: each rule reads its own facts, and mentoring counts every program', async () => {
    const app = testApp();
    const tenant = await newTenant(app);
    const { key } = tenant;
    const post = async (path: string, body?: unknown) => {
      const res = await call(app, 'POST', path, { key, body });
      expect(res.status, `${path}: ${res.text}`).toBeLessThan(300);
      return res.json;
    };
    const p1 = (await post('/v1/programs', { name: 'Mentoring 1', format: 'one_to_one' })).id as string;
    const p2 = (await post('/v1/programs', { name: 'Mentoring 2', format: 'one_to_one' })).id as string;
    const person = async (name: string) =>
      (await post('/v1/people', { name, email: uniqueEmail(name) })).id as string;
    const [mo, al, bo] = [await person('Mo'), await person('Al'), await person('Bo')];
    for (const [program, id, role] of [
      [p1, mo, 'mentor'],
      [p1, al, 'mentee'],
      [p2, mo, 'mentor'],
      [p2, bo, 'mentee'],
    ] as const)
      await post(`/v1/programs/${program}/enrollments`, { personId: id, role });
    const rule = async (body: unknown) =>
      (await post(`/v1/programs/${p1}/milestone-rules`, body)).id as string;
    const goals = await rule({ kind: 'all_goals_completed', name: 'Goals met' });
    const completed = await rule({ kind: 'program_completed', name: 'Completed' });
    const mentor = await rule({ kind: 'mentored_people', count: 2, name: 'Mentor of two' });
    const r1 = (await post('/v1/relationships', { programId: p1, personIds: [mo, al] })).id as string;
    const r2 = (await post('/v1/relationships', { programId: p2, personIds: [mo, bo] })).id as string;
    const ctx = milestoneContext(tenant.tenantId);
    const evaluateLast = async (type: string) =>
      evaluateMilestoneRules(ctx, (await eventsOf(app, key, type)).at(-1)!);
    const earned = async () =>
      (await eventsOf(app, key, 'milestone.earned')).map((e) => `${e.data.ruleId}:${e.data.personId}`).sort();

    const goal = (await post(`/v1/relationships/${r1}/goals`, { title: 'Lead a review' })).id as string;
    expect(await evaluateLast('goal.created')).toBe(0);
    await post(`/v1/relationships/${r1}/goals/${goal}/updates`, { progress: 100, status: 'achieved' });
    expect(await evaluateLast('goal.updated')).toBe(2);
    expect(await earned()).toEqual([`${goals}:${mo}`, `${goals}:${al}`].sort());

    await post(`/v1/relationships/${r1}/complete`);
    expect(await evaluateLast('relationship.completed')).toBe(2);
    // One mentee so far: Mo is not yet a mentor of two.
    expect(await earned()).toEqual(
      [`${goals}:${mo}`, `${goals}:${al}`, `${completed}:${mo}`, `${completed}:${al}`].sort(),
    );

    // Completing the pair of the other program makes two mentees: program 1's rule counts it.
    await post(`/v1/relationships/${r2}/complete`);
    expect(await evaluateLast('relationship.completed')).toBe(1);
    expect(await earned()).toContain(`${mentor}:${mo}`);
    expect(await earned()).toHaveLength(5);
  });
});

import { evaluateHealth } from '@tandem/app';
import { CursorCodec, tenantStore } from '@tandem/store';
import { describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, testApp, testDb } from '../support/app.ts';
import { eventsOf, manualClock, meet, pairsProgram } from './support.ts';

const clock = manualClock('2027-01-04T09:00:00.000Z');
const app = testApp({ now: clock.now });

/** The evaluation use case on the test's clock, as the scheduled job runs it. */
function evaluate(tenantId: string, relationshipId: string) {
  const db = testDb();
  const store = tenantStore(
    { tenant: db, platform: db },
    tenantId,
    new CursorCodec(CURSOR_SECRET),
    clock.now,
  );
  return evaluateHealth({ tenantId, store, clock: clock.now }, relationshipId);
}

describe('relationship health', () => {
  test('a pair meeting weekly as agreed is healthy; a pair that stopped meeting is at risk, raised once', async () => {
    clock.set(0);
    const { tenant, key, programId, pairs } = await pairsProgram(app, 2, { endDate: '2027-06-30' });
    const [steady, stopped] = pairs as [(typeof pairs)[0], (typeof pairs)[0]];
    const agreed = await call(app, 'PUT', `/v1/relationships/${steady.relationshipId}/agreement`, {
      key: steady.members[0]!.token,
      body: { cadence: { every: 1, unit: 'weeks', durationMinutes: 45 } },
    });
    expect(agreed.status, agreed.text).toBe(201);
    for (const day of [1, 8, 15, 22, 29]) {
      clock.set(day + 0.1);
      await meet(app, steady, clock.at(day));
    }
    clock.set(1.1);
    await meet(app, stopped, clock.at(1));

    clock.set(30);
    await evaluate(tenant.tenantId, steady.relationshipId);
    await evaluate(tenant.tenantId, stopped.relationshipId);
    clock.set(31);
    await Promise.all(Array.from({ length: 6 }, () => evaluate(tenant.tenantId, stopped.relationshipId)));
    await evaluate(tenant.tenantId, steady.relationshipId);

    const healthy = await call(app, 'GET', `/v1/relationships/${steady.relationshipId}/health`, { key });
    expect(healthy.status, healthy.text).toBe(200);
    expect(healthy.json).toMatchObject({ atRisk: false, threshold: 50, evaluatedAt: clock.at(31) });
    expect(healthy.json.score).toBeGreaterThanOrEqual(90);
    expect(healthy.json.components).toContainEqual(
      expect.objectContaining({
        key: 'cadence',
        score: 100,
        explanation:
          'Met 4 times in the last 28 days, where the agreement asks for a meeting every week (4 meetings)',
      }),
    );
    expect(healthy.json.history).toEqual([
      { date: clock.at(31).slice(0, 10), score: healthy.json.score, atRisk: false },
      expect.objectContaining({ date: clock.at(30).slice(0, 10) }),
    ]);

    // A member reads their own relationship's health; someone else's is not found.
    const own = await call(app, 'GET', `/v1/relationships/${stopped.relationshipId}/health`, {
      key: stopped.members[1]!.token,
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ atRisk: true, atRiskSince: clock.at(30) });
    expect(own.json.score).toBeLessThan(50);
    expect(own.json.reasons[0]).toBe(
      `At risk: ${own.json.score} of 100, below the program's threshold of 50`,
    );
    expect(own.json.reasons).toContain(
      'Last met 30 days ago, longer than the 14 days agreed between meetings',
    );
    expect(own.json.components.find((c: { key: string }) => c.key === 'pulse')).toEqual({
      key: 'pulse',
      score: null,
      weight: 0,
      explanation: 'No pulse survey answers yet',
    });
    const foreign = await call(app, 'GET', `/v1/relationships/${steady.relationshipId}/health`, {
      key: stopped.members[1]!.token,
    });
    expect(foreign.status).toBe(404);

    const atRisk = await eventsOf(app, key, 'relationship.at_risk');
    expect(atRisk).toHaveLength(1);
    expect(atRisk[0]!.data).toMatchObject({
      relationshipId: stopped.relationshipId,
      programId,
      threshold: 50,
    });
    const overdue = await eventsOf(app, key, 'meeting.overdue');
    expect(overdue.map((e) => e.data)).toEqual([
      {
        relationshipId: stopped.relationshipId,
        programId,
        personIds: stopped.members.map((m) => m.personId),
        lastMetAt: clock.at(1),
        intervalDays: 14,
      },
    ]);
    const list = await call(app, 'GET', `/v1/programs/${programId}/at-risk`, { key });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([
      expect.objectContaining({ relationshipId: stopped.relationshipId, atRiskSince: clock.at(30) }),
    ]);

    // Meeting again recovers it; stopping again raises at_risk a second time.
    clock.set(32.1);
    await meet(app, stopped, clock.at(32));
    clock.set(33);
    await evaluate(tenant.tenantId, stopped.relationshipId);
    expect(await eventsOf(app, key, 'relationship.recovered')).toHaveLength(1);
    expect((await call(app, 'GET', `/v1/programs/${programId}/at-risk`, { key })).json.items).toEqual([]);
    clock.set(80);
    await evaluate(tenant.tenantId, stopped.relationshipId);
    await evaluate(tenant.tenantId, stopped.relationshipId);
    expect(await eventsOf(app, key, 'relationship.at_risk')).toHaveLength(2);
    expect(await eventsOf(app, key, 'meeting.overdue')).toHaveLength(2);

    // Ending the relationship takes it off the at-risk list.
    const ended = await call(app, 'POST', `/v1/relationships/${stopped.relationshipId}/dissolve`, {
      key,
      body: { reason: 'no_time' },
    });
    expect(ended.status, ended.text).toBe(200);
    expect((await call(app, 'GET', `/v1/programs/${programId}/at-risk`, { key })).json.items).toEqual([]);
  });

  test("a program's threshold is a merge-patchable setting; before any evaluation the score is computed on read", async () => {
    clock.set(0);
    const { key, programId, pairs } = await pairsProgram(app, 1);
    const patched = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: { health: { atRiskBelow: 101 } },
    });
    expect(patched.status).toBe(400);
    expect(patched.json.errors[0].field).toBe('/health/atRiskBelow');
    const set = await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: { health: { atRiskBelow: 80 } },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json.health).toEqual({ atRiskBelow: 80, overdueGraceDays: 7, weights: {} });
    clock.set(3);
    const read = await call(app, 'GET', `/v1/relationships/${pairs[0]!.relationshipId}/health`, { key });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ score: 100, atRisk: false, threshold: 80, history: [] });
    expect(read.json.components.find((c: { key: string }) => c.key === 'recency').explanation).toBe(
      'No meeting held since it started 3 days ago',
    );
    expect(await eventsOf(app, key, 'relationship.at_risk')).toEqual([]);
  });
});

import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { assessHealth, evaluateHealth, runDueTimers } from '@tandem/app';
import {
  feedback as feedbackSchema,
  goal as goalSchema,
  healthBasisOf,
  meeting as meetingSchema,
  scoreHealth,
  storedAgreement,
} from '@tandem/core';
import { CursorCodec, HealthRepository, keys, toEntity } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { CURSOR_SECRET, call, loopbackUrlPolicy, testApp, testDb, testSealer } from '../support/app.ts';
import { runScheduledJobAt } from '../support/schedule.ts';
import { eventsOf, manualClock, meet, pairsProgram } from './support.ts';

const clock = manualClock('2027-01-04T09:00:00.000Z');
const app = testApp({ now: clock.now });

/** One pass of the scheduled job over the tenant's due timers, `day` days after the start. */
function job(tenantId: string, day: number) {
  clock.set(day);
  return runScheduledJobAt(tenantId, clock.now());
}

function storeOf(tenantId: string) {
  const db = testDb();
  return tenantStore(
    { tenant: db, platform: db, sealer: testSealer },
    tenantId,
    new CursorCodec(CURSOR_SECRET),
    clock.now,
  );
}

/** The evaluation use case on the test's clock, called directly: concurrent evaluations race it. */
function evaluate(tenantId: string, relationshipId: string) {
  return evaluateHealth({ tenantId, store: storeOf(tenantId), clock: clock.now }, relationshipId);
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
    clock.set(1.1);
    await meet(app, stopped, clock.at(1));
    for (const day of [1, 8, 15, 22, 29]) {
      // On day 10 both pairs are fine.
      if (day === 15) expect(await job(tenant.tenantId, 10)).toMatchObject({ failed: 0 });
      clock.set(day + 0.1);
      await meet(app, steady, clock.at(day));
    }

    // The job was down from day 11: one pass catches up with one evaluation per relationship, while
    // other passes and direct evaluations race it as the stopped pair crosses the threshold.
    const passes = await Promise.all([
      job(tenant.tenantId, 30),
      job(tenant.tenantId, 30),
      job(tenant.tenantId, 30),
      ...Array.from({ length: 4 }, () => evaluate(tenant.tenantId, stopped.relationshipId)),
    ]);
    expect(passes.slice(0, 3).map((pass) => (pass as { failed: number }).failed)).toEqual([0, 0, 0]);
    expect(await job(tenant.tenantId, 30)).toMatchObject({ handled: 0 });
    // The next day, repeated and concurrent passes evaluate each relationship once more.
    const next = await Promise.all([job(tenant.tenantId, 31), job(tenant.tenantId, 31)]);
    expect(next[0].handled + next[1].handled).toBe(2);

    const healthy = await call(app, 'GET', `/v1/relationships/${steady.relationshipId}/health`, { key });
    expect(healthy.status, healthy.text).toBe(200);
    expect(healthy.json).toMatchObject({ atRisk: false, threshold: 50 });
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
      { date: clock.at(10).slice(0, 10), score: 100, atRisk: false },
    ]);

    // A member reads their own relationship's health; someone else's is not found.
    const own = await call(app, 'GET', `/v1/relationships/${stopped.relationshipId}/health`, {
      key: stopped.members[1]!.token,
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ atRisk: true, atRiskSince: clock.at(30) });
    expect(own.json.history[0]).toEqual({
      date: clock.at(31).slice(0, 10),
      score: own.json.score,
      atRisk: true,
    });
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
    await job(tenant.tenantId, 33);
    expect(await eventsOf(app, key, 'relationship.recovered')).toHaveLength(1);
    expect((await call(app, 'GET', `/v1/programs/${programId}/at-risk`, { key })).json.items).toEqual([]);
    await job(tenant.tenantId, 80);
    await evaluate(tenant.tenantId, stopped.relationshipId);
    await job(tenant.tenantId, 80.5);
    const ofStopped = async (type: string) =>
      (await eventsOf(app, key, type)).filter((e) => e.data.relationshipId === stopped.relationshipId);
    expect(await ofStopped('relationship.at_risk')).toHaveLength(2);
    expect(await ofStopped('meeting.overdue')).toHaveLength(2);

    // Ending the relationship takes it off the at-risk list.
    const ended = await call(app, 'POST', `/v1/relationships/${stopped.relationshipId}/dissolve`, {
      key,
      body: { reason: 'no_time' },
    });
    expect(ended.status, ended.text).toBe(200);
    // The steady pair stopped after day 29 too, and is at risk by now.
    const atRiskIds = async () =>
      (await call(app, 'GET', `/v1/programs/${programId}/at-risk`, { key })).json.items.map(
        (item: { relationshipId: string }) => item.relationshipId,
      );
    expect(await atRiskIds()).toEqual([steady.relationshipId]);
    // An evaluation that raises no event is stored item by item, without the transaction's check
    // that the relationship is ongoing: one that read it before the end and lands after the end
    // does not put it back on the list.
    const store = storeOf(tenant.tenantId);
    const last = (await store.health.get(stopped.relationshipId))!;
    clock.set(81);
    await store.health.recordWithoutEvents(last, {
      ...last,
      evaluatedAt: clock.now().toISOString(),
      version: last.version + 1,
    });
    expect(await atRiskIds()).toEqual([steady.relationshipId]);

    // The list shows each relationship as of its last evaluation, one that raised no event included.
    await job(tenant.tenantId, 82);
    const health = await call(app, 'GET', `/v1/relationships/${steady.relationshipId}/health`, { key });
    expect(health.json.evaluatedAt).toBe(clock.at(82));
    const listed = await call(app, 'GET', `/v1/programs/${programId}/at-risk`, { key });
    expect(listed.json.items).toEqual([
      {
        relationshipId: steady.relationshipId,
        score: health.json.score,
        atRiskSince: health.json.atRiskSince,
        reasons: health.json.reasons,
        evaluatedAt: clock.at(82),
      },
    ]);
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

  test("the program's end completes its ongoing relationships once, whatever the number of job runs", async () => {
    clock.set(0);
    const { tenant, key, programId, pairs } = await pairsProgram(app, 3, { endDate: '2027-01-31' });
    const dissolved = await call(app, 'POST', `/v1/relationships/${pairs[2]!.relationshipId}/dissolve`, {
      key,
      body: { reason: 'mismatch' },
    });
    expect(dissolved.status).toBe(200);
    // Moved later, then back: the end timer follows the end date.
    for (const endDate of ['2027-03-31', '2027-02-14']) {
      const moved = await call(app, 'PATCH', `/v1/programs/${programId}`, { key, body: { endDate } });
      expect(moved.status, moved.text).toBe(200);
    }
    await job(tenant.tenantId, 41.5);
    expect(await eventsOf(app, key, 'relationship.completed')).toEqual([]);

    await Promise.all([job(tenant.tenantId, 42), job(tenant.tenantId, 42), job(tenant.tenantId, 42.1)]);
    await job(tenant.tenantId, 43);
    const completed = await eventsOf(app, key, 'relationship.completed');
    expect(completed.map((e) => e.data.relationshipId).sort()).toEqual(
      [pairs[0]!.relationshipId, pairs[1]!.relationshipId].sort(),
    );
    for (const pair of pairs.slice(0, 2)) {
      const read = await call(app, 'GET', `/v1/relationships/${pair.relationshipId}`, { key });
      expect(read.json).toMatchObject({ status: 'completed', endedAt: expect.any(String) });
      expect(read.json.endedBy).toBeUndefined();
    }
    expect(
      (await call(app, 'GET', `/v1/relationships/${pairs[2]!.relationshipId}`, { key })).json.status,
    ).toBe('dissolved');
    // Nothing is left to do: the end timer and the ended relationships' health timers are gone.
    expect(await job(tenant.tenantId, 90)).toMatchObject({ handled: 0, failed: 0 });
  });

  test("an evaluation's read of the partition (only what a score reads) scores as the whole items do", async () => {
    clock.set(0);
    const { tenant, pairs } = await pairsProgram(app, 1, { endDate: '2027-12-31' });
    const pair = pairs[0]!;
    const { relationshipId } = pair;
    const [a] = pair.members as [(typeof pair.members)[0]];
    const post = async (path: string, body: unknown) => {
      const res = await call(app, 'POST', `/v1/relationships/${relationshipId}${path}`, {
        key: a.token,
        body,
      });
      expect(res.status, res.text).toBeLessThan(300);
      return res.json;
    };
    // Every input a score reads, each differing from what the score falls back on without it: the
    // agreement's cadence and duration (not the program's), goals of each counted status, held,
    // cancelled and upcoming meetings, ratings.
    const agreed = await call(app, 'PUT', `/v1/relationships/${relationshipId}/agreement`, {
      key: a.token,
      body: { cadence: { every: 10, unit: 'days', durationMinutes: 30 }, duration: { weeks: 12 } },
    });
    expect(agreed.status, agreed.text).toBe(201);
    await post('/goals', { title: 'Done', status: 'achieved' });
    await post('/goals', { title: 'Halfway', progress: 45 });
    await post('/goals', { title: 'Dropped', status: 'abandoned' });
    clock.set(30.1);
    const held = [await meet(app, pair, clock.at(3)), await meet(app, pair, clock.at(21))];
    await post(`/meetings/${held[0]}/feedback`, { rating: 2 });
    await post(`/meetings/${held[1]}/feedback`, { rating: 5 });
    const cancelled = await post('/meetings', {
      startsAt: clock.at(25),
      timeZone: 'UTC',
      durationMinutes: 30,
    });
    const cancel = await call(
      app,
      'POST',
      `/v1/relationships/${relationshipId}/meetings/${cancelled.id}/log`,
      {
        key: a.token,
        body: { outcome: 'cancelled' },
      },
    );
    expect(cancel.status, cancel.text).toBe(200);
    await post('/meetings', { startsAt: clock.at(33), timeZone: 'UTC', durationMinutes: 30 });

    // The partition read whole and parsed with each entity's schema, as an evaluation once read it.
    const db = testDb();
    const { Items = [] } = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.agreement(tenant.tenantId, relationshipId).PK },
        ConsistentRead: true,
      }),
    );
    const whole = (entity: string) => Items.filter((item) => item.entity === entity);
    const partition = {
      agreement: toEntity(Items.find((item) => item.SK === 'AGREEMENT')!, storedAgreement),
      goals: whole('goal').map((item) => toEntity(item, goalSchema)),
      meetings: whole('meeting').map((item) => toEntity(item, meetingSchema)),
      feedback: whole('feedback').map((item) => toEntity(item, feedbackSchema)),
    };
    expect(partition.meetings.map((m) => m.status).sort()).toEqual([
      'cancelled',
      'held',
      'held',
      'scheduled',
    ]);

    const store = storeOf(tenant.tenantId);
    const relationship = await store.relationships.get(relationshipId);
    const program = await store.programs.get(relationship.programId);
    // The scheduled job's read of many partitions at once reads what the query reads.
    const [ofMany, alone] = await Promise.all([
      store.health.evaluationInputsOfMany([relationshipId]),
      store.health.evaluationInputs(relationshipId),
    ]);
    expect(ofMany.get(relationshipId)).toEqual(alone);
    for (const day of [30.1, 45, 70, 100]) {
      clock.set(day);
      const read = await assessHealth({ tenantId: tenant.tenantId, store, clock: clock.now }, relationship);
      expect(read.assessed).toEqual(scoreHealth({ relationship, program, ...partition, now: clock.now() }));
      expect(read.basis).toEqual(healthBasisOf(partition));
    }
  });

  test("an evaluation whose partition is unchanged scores the stored basis, exactly as a full one; any input's write makes the next one read it", async () => {
    clock.set(0);
    const { tenant, key, pairs } = await pairsProgram(app, 1, { endDate: '2027-06-30' });
    const pair = pairs[0]!;
    const { relationshipId } = pair;
    const [a] = pair.members as [(typeof pair.members)[0]];
    const agreed = await call(app, 'PUT', `/v1/relationships/${relationshipId}/agreement`, {
      key: a.token,
      body: { cadence: { every: 1, unit: 'weeks', durationMinutes: 45 } },
    });
    expect(agreed.status, agreed.text).toBe(201);
    const goal = await call(app, 'POST', `/v1/relationships/${relationshipId}/goals`, {
      key: a.token,
      body: { title: 'Run a review', measure: 'One review alone', ownerId: a.personId },
    });
    expect(goal.status, goal.text).toBe(201);
    clock.set(1.1);
    const first = await meet(app, pair, clock.at(1));
    const store = storeOf(tenant.tenantId);
    // A pass reads the partitions of a page's changed relationships together; a retry, alone. The
    // store's repositories are stand-ins made on first use (tenantStore), so the class is spied on.
    const partitionReads = vi.spyOn(HealthRepository.prototype, 'evaluationInputs');
    const pageReads = vi.spyOn(HealthRepository.prototype, 'evaluationInputsOfMany');
    onTestFinished(() => {
      partitionReads.mockRestore();
      pageReads.mockRestore();
    });
    /** One pass on the spied store, then how many evaluations read the partition in it. */
    const pass = async (day: number) => {
      clock.set(day);
      partitionReads.mockClear();
      pageReads.mockClear();
      const result = await runDueTimers(
        {},
        { tenantId: tenant.tenantId, store, clock: clock.now, hrisApi: { urlPolicy: loopbackUrlPolicy } },
        clock.now(),
      );
      expect(result.failed).toBe(0);
      return partitionReads.mock.calls.length + pageReads.mock.calls.flatMap(([ids]) => ids).length;
    };
    /** The stored evaluation against a full one (the whole partition read) at the same clock. */
    const expectAsFull = async () => {
      const stored = (await store.health.get(relationshipId))!;
      const relationship = await store.relationships.get(relationshipId);
      const full = await assessHealth({ tenantId: tenant.tenantId, store, clock: clock.now }, relationship);
      expect(stored).toMatchObject({
        score: full.assessed.score,
        atRisk: full.assessed.atRisk,
        components: full.assessed.components,
        reasons: full.assessed.reasons,
        lastMetAt: full.assessed.lastMetAt,
        basis: full.basis,
      });
      return stored;
    };

    // The first evaluation reads the partition; the next ones, nothing having changed, do not.
    expect(await pass(2)).toBe(1);
    await expectAsFull();
    expect(await pass(6)).toBe(0);
    await expectAsFull();
    expect(await pass(9)).toBe(0);
    expect(await expectAsFull()).toMatchObject({
      components: expect.arrayContaining([
        expect.objectContaining({
          key: 'recency',
          explanation: 'Last met 8 days ago, longer than the 7 days agreed between meetings',
        }),
      ]),
    });

    // Each kind of input written through the API makes the next evaluation read the partition.
    const changes: (() => Promise<{ status: number; text: string }>)[] = [
      async () => ({ status: 201, text: await meet(app, pair, clock.at(9)) }),
      () =>
        call(app, 'POST', `/v1/relationships/${relationshipId}/meetings/${first}/feedback`, {
          key: a.token,
          body: { rating: 2 },
        }),
      () =>
        call(app, 'POST', `/v1/relationships/${relationshipId}/goals/${goal.json.id}/updates`, {
          key: a.token,
          headers: { 'if-match': `"${goal.json.version}"` },
          body: { progress: 60 },
        }),
      () =>
        call(app, 'PATCH', `/v1/relationships/${relationshipId}/agreement`, {
          key: a.token,
          body: { cadence: { every: 2 } },
        }),
    ];
    let day = 10;
    for (const change of changes) {
      clock.set(day - 0.5);
      const res = await change();
      expect(res.status, res.text).toBeLessThan(300);
      expect(await pass(day)).toBe(1);
      await expectAsFull();
      expect(await pass(day + 1)).toBe(0);
      await expectAsFull();
      day += 3;
    }

    // Unchanged from here, the pair drifts below the threshold: the evaluation that crosses it,
    // from the basis, raises relationship.at_risk once.
    for (const later of [40, 41, 60]) expect(await pass(later)).toBe(0);
    expect(await expectAsFull()).toMatchObject({ atRisk: true });
    expect(await eventsOf(app, key, 'relationship.at_risk')).toHaveLength(1);
  });
  test('an evaluation carries its timer and its month of history; what earlier code stored is taken over', async () => {
    clock.set(0);
    const { tenant, key, pairs } = await pairsProgram(app, 3, { endDate: '2027-12-31' });
    const [fresh, legacy, endedEarly] = pairs.map((pair) => pair.relationshipId) as [string, string, string];
    const db = testDb();
    const store = storeOf(tenant.tenantId);
    const item = (Key: { PK: string; SK: string }) =>
      db.doc.send(new GetCommand({ TableName: db.tableName, Key })).then((read) => read.Item);
    const timerItem = (relationshipId: string) =>
      item(keys.timer(tenant.tenantId, 'relationship.health', relationshipId));
    const health = async (relationshipId: string) => {
      const res = await call(app, 'GET', `/v1/relationships/${relationshipId}/health`, { key });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    const history = async (relationshipId: string) =>
      (await health(relationshipId)).history as { date: string; score: number; atRisk: boolean }[];

    // A relationship starts with a placeholder of its evaluation that carries its first health
    // timer: no timer item, and nothing evaluated yet to read.
    expect(await timerItem(fresh)).toBeUndefined();
    expect(await item(keys.health(tenant.tenantId, fresh))).toMatchObject({ version: 0, dueAt: clock.at(1) });
    expect(await store.health.get(fresh)).toBeUndefined();
    expect(await health(fresh)).not.toHaveProperty('evaluatedAt');
    // Another as a relationship started by earlier code: a timer item of its own, no evaluation item.
    await db.doc.send(
      new DeleteCommand({ TableName: db.tableName, Key: keys.health(tenant.tenantId, legacy) }),
    );
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: (
          await store.timers.setOp({ kind: 'relationship.health', subjectId: legacy, dueAt: clock.at(1) })
        ).item.Put!.Item,
      }),
    );
    // One that ends before its first evaluation: the pass removes the timer its placeholder carries.
    const dissolved = await call(app, 'POST', `/v1/relationships/${endedEarly}/dissolve`, {
      key,
      body: { reason: 'no_time' },
    });
    expect(dissolved.status, dissolved.text).toBe(200);

    // The first evaluations, by two passes at once. The placeholder's becomes the evaluation, which
    // carries the moved timer, once; the timer item earlier code set is taken over and removed (two
    // passes at it may both store an evaluation, as before the placeholder, but one removes it).
    const first = await Promise.all([job(tenant.tenantId, 1), job(tenant.tenantId, 1)]);
    expect(first.map((pass) => pass.failed)).toEqual([0, 0]);
    expect(first[0].handled + first[1].handled).toBe(3);
    expect(await store.health.get(fresh)).toMatchObject({ dueAt: clock.at(2), version: 1 });
    expect(await store.health.get(legacy)).toMatchObject({ dueAt: clock.at(2) });
    for (const relationshipId of [fresh, legacy]) expect(await timerItem(relationshipId)).toBeUndefined();
    expect(await item(keys.health(tenant.tenantId, endedEarly))).not.toHaveProperty('dueAt');
    expect(await store.health.get(endedEarly)).toBeUndefined();
    expect(await health(endedEarly)).not.toHaveProperty('evaluatedAt');

    // The other pair as earlier code leaves it after that evaluation: no history or timer on the
    // evaluation, its components, reasons and basis as nested attributes, the day's entry and the
    // moved timer as items of their own.
    const { Item: stored } = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: keys.health(tenant.tenantId, legacy) }),
    );
    const { GSI1PK, GSI1SK, dueAt, days, ...earlier } = stored!;
    expect(days).toBe(`${clock.at(1).slice(0, 10)}:${earlier.score}`);
    for (const nested of ['components', 'reasons', 'basis']) earlier[nested] = JSON.parse(earlier[nested]);
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: earlier }));
    const readAsStored = await call(app, 'GET', `/v1/relationships/${legacy}/health`, { key });
    expect(readAsStored.json).toMatchObject({ score: earlier.score, reasons: earlier.reasons });
    expect(readAsStored.json.components).toEqual(earlier.components);
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          PK: earlier.PK,
          SK: `HEALTHDAY#${clock.at(1).slice(0, 10)}`,
          entity: 'healthDay',
          date: clock.at(1).slice(0, 10),
          score: 42,
          atRisk: false,
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
      }),
    );
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: (
          await store.timers.setOp({ kind: 'relationship.health', subjectId: legacy, dueAt: clock.at(2) })
        ).item.Put!.Item,
      }),
    );

    // Each relationship is evaluated once a day, however many passes run, across a month's end.
    for (const day of [2, 28, 29]) {
      const passes = await Promise.all([job(tenant.tenantId, day), job(tenant.tenantId, day)]);
      expect(passes[0].handled + passes[1].handled, `day ${day}`).toBe(2);
    }
    expect(await timerItem(legacy)).toBeUndefined();
    const dates = [29, 28, 2, 1].map((day) => clock.at(day).slice(0, 10));
    expect((await history(fresh)).map((entry) => entry.date)).toEqual(dates);
    const taken = await history(legacy);
    expect(taken.map((entry) => entry.date)).toEqual(dates);
    // The day earlier code stored is read from its own item.
    expect(taken.at(-1)).toEqual({ date: clock.at(1).slice(0, 10), score: 42, atRisk: false });
    // January is an item of its own now; the evaluation holds February's days.
    const february = (await store.health.get(fresh))!.days!.split(',');
    expect(february.map((day) => day.slice(0, 10))).toEqual(dates.slice(0, 2).reverse());

    // An ended relationship's carried timer is removed; nothing is due after that.
    const ended = await call(app, 'POST', `/v1/relationships/${fresh}/dissolve`, {
      key,
      body: { reason: 'no_time' },
    });
    expect(ended.status, ended.text).toBe(200);
    expect(await job(tenant.tenantId, 30)).toMatchObject({ handled: 2, failed: 0 });
    expect(await store.health.get(fresh)).not.toHaveProperty('dueAt');
    expect(await job(tenant.tenantId, 31)).toMatchObject({ handled: 1, failed: 0 });
  });
});

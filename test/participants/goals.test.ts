import { describe, expect, test } from 'vitest';
import { call, testApp } from '../support/app.ts';
import { eventsOf, workspace } from './workspace.ts';

const app = testApp();

describe('goals', () => {
  test('members and admins set goals; progress and status changes are kept as history', async () => {
    const w = await workspace(app);
    const goals = `/v1/relationships/${w.relationshipId}/goals`;
    const [a, b] = w.tokens as [string, string];

    const mine = await call(app, 'POST', goals, {
      key: a,
      body: {
        title: 'Lead a design review',
        measure: 'I run one review without help',
        targetDate: '2027-03-01',
        skill: 'facilitation',
        ownerId: w.members[0],
      },
    });
    expect(mine.status, mine.text).toBe(201);
    expect(mine.json).toMatchObject({
      status: 'not_started',
      progress: 0,
      version: 1,
      ownerId: w.members[0],
    });
    expect(mine.headers.get('location')).toBe(`${goals}/${mine.json.id}`);
    const shared = await call(app, 'POST', goals, { key: w.key, body: { title: 'Meet every two weeks' } });
    expect(shared.status).toBe(201);
    expect(shared.json.ownerId).toBeUndefined();
    const started = await call(app, 'POST', goals, {
      key: b,
      body: { title: 'Read the book', progress: 10 },
    });
    expect(started.json.status).toBe('in_progress');

    const goal = `${goals}/${mine.json.id}`;
    const progressed = await call(app, 'POST', `${goal}/updates`, {
      key: b,
      headers: { 'if-match': '"1"' },
      body: { progress: 40, note: 'First dry run went well' },
    });
    expect(progressed.status, progressed.text).toBe(201);
    expect(progressed.headers.get('etag')).toBe('"2"');
    expect(progressed.json).toMatchObject({
      goalId: mine.json.id,
      progress: 40,
      status: 'in_progress',
      previousProgress: 0,
      previousStatus: 'not_started',
      note: 'First dry run went well',
      authorId: w.members[1],
    });
    const stale = await call(app, 'PATCH', goal, {
      key: a,
      headers: { 'if-match': '"1"' },
      body: { progress: 50 },
    });
    expect(stale.status).toBe(412);

    const retitled = await call(app, 'PATCH', goal, { key: a, body: { title: 'Lead two design reviews' } });
    expect(retitled.json).toMatchObject({ title: 'Lead two design reviews', progress: 40, version: 3 });
    const achieved = await call(app, 'PATCH', goal, {
      key: w.key,
      headers: { 'if-match': '"3"' },
      body: { status: 'achieved', measure: null },
    });
    expect(achieved.status, achieved.text).toBe(200);
    expect(achieved.json).toMatchObject({ status: 'achieved', progress: 100, version: 4 });
    expect(achieved.json.measure).toBeUndefined();

    const history = await call(app, 'GET', `${goal}/updates?limit=1`, { key: a });
    expect(history.json.items).toHaveLength(1);
    const rest = await call(app, 'GET', `${goal}/updates?cursor=${history.json.nextCursor}`, { key: w.key });
    const entries = [...history.json.items, ...rest.json.items];
    expect(entries.map((e: { progress: number; status: string }) => [e.progress, e.status])).toEqual([
      [40, 'in_progress'],
      [100, 'achieved'],
    ]);
    expect(entries[1].authorId).toBeUndefined();

    const listed = await call(app, 'GET', goals, { key: b });
    expect(listed.json.items.map((g: { id: string }) => g.id)).toEqual([
      mine.json.id,
      shared.json.id,
      started.json.id,
    ]);
    const read = await call(app, 'GET', goal, { key: a });
    expect(read.headers.get('etag')).toBe('"4"');

    const created = await eventsOf(app, w.key, 'goal.created');
    expect(created).toHaveLength(3);
    const updated = await eventsOf(app, w.key, 'goal.updated');
    expect(updated.map((e) => e.data.changed)).toEqual([
      ['progress', 'status'],
      ['title'],
      ['measure', 'status', 'progress'],
    ]);
    // The note is for the members and the admins reading the goal, never for webhook subscribers.
    expect(JSON.stringify(updated)).not.toContain('dry run');
  });

  test('rules: the owner is a member, the body is checked, reads need a scope, ended relationships are read-only', async () => {
    const w = await workspace(app);
    const goals = `/v1/relationships/${w.relationshipId}/goals`;
    const foreign = await call(app, 'POST', goals, {
      key: w.tokens[0],
      body: { title: 'Theirs', ownerId: w.outsider.personId },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors[0].field).toBe('/ownerId');
    const tooFar = await call(app, 'POST', goals, { key: w.tokens[0], body: { title: 'x', progress: 101 } });
    expect(tooFar.status).toBe(400);
    expect(tooFar.json.errors[0].field).toBe('/progress');

    const goal = await call(app, 'POST', goals, { key: w.tokens[0], body: { title: 'Stay' } });
    const reader = await call(app, 'POST', '/v1/api-keys', {
      key: w.key,
      body: { name: 'Reader', scopes: ['read'] },
    });
    expect((await call(app, 'GET', `${goals}/${goal.json.id}`, { key: reader.json.secret })).status).toBe(
      200,
    );
    expect(
      (
        await call(app, 'PATCH', `${goals}/${goal.json.id}`, {
          key: reader.json.secret,
          body: { progress: 5 },
        })
      ).status,
    ).toBe(403);
    const unknown = await call(app, 'GET', `${goals}/gol_01jd5x3n7a8q9w0e1r2t3y4z5v`, { key: w.tokens[0] });
    expect(unknown.status).toBe(404);

    await call(app, 'POST', `/v1/relationships/${w.relationshipId}/complete`, { key: w.key });
    const late = await call(app, 'PATCH', `${goals}/${goal.json.id}`, {
      key: w.tokens[0],
      body: { progress: 5 },
    });
    expect(late.status).toBe(409);
    expect((await call(app, 'POST', goals, { key: w.tokens[1], body: { title: 'More' } })).status).toBe(409);
    expect(
      (await call(app, 'POST', `${goals}/${goal.json.id}/updates`, { key: w.key, body: { progress: 5 } }))
        .status,
    ).toBe(409);
    expect((await call(app, 'GET', `${goals}/${goal.json.id}`, { key: w.tokens[0] })).json.progress).toBe(0);
  });

  test("another person's relationship and its goals are 404 on every goal route", async () => {
    const w = await workspace(app);
    const goals = `/v1/relationships/${w.relationshipId}/goals`;
    const goal = await call(app, 'POST', goals, { key: w.tokens[0], body: { title: 'Ours' } });
    const path = `${goals}/${goal.json.id}`;
    for (const [method, target, body] of [
      ['POST', goals, { title: 'Mine now' }],
      ['GET', goals, undefined],
      ['GET', path, undefined],
      ['PATCH', path, { title: 'Mine now' }],
      ['POST', `${path}/updates`, { progress: 90 }],
      ['GET', `${path}/updates`, undefined],
    ] as const) {
      const res = await call(app, method, target, { key: w.outsider.token, body });
      expect({ method, target, status: res.status }).toEqual({ method, target, status: 404 });
    }
    // Their own relationship's path with our goal id finds nothing either.
    const own = `/v1/relationships/${w.outsider.relationshipId}/goals/${goal.json.id}`;
    expect((await call(app, 'GET', own, { key: w.outsider.token })).status).toBe(404);
    expect((await call(app, 'GET', path, { key: w.tokens[1] })).json).toMatchObject({
      title: 'Ours',
      version: 1,
    });
  });
});

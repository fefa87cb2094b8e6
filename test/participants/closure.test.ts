import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@tandem/store';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, testDb, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

const app = testApp();

/** Ada and Ben in one relationship, Cy and Di in another of the same program. */
async function twoPairs() {
  const tenant = await newTenant(app);
  const { key } = tenant;
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  const programId = (await post('/v1/programs', { name: 'Pairs', format: 'peer_pairs' })).id as string;
  const people: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const name of ['Ada', 'Ben', 'Cy', 'Di']) {
    people[name] = (await post('/v1/people', { name, email: uniqueEmail(name) })).id;
    await post(`/v1/programs/${programId}/enrollments`, { personId: people[name], role: 'peer' });
    tokens[name] = await participantToken(app, tenant, people[name]!);
  }
  const ours = (await post('/v1/relationships', { programId, personIds: [people.Ada, people.Ben] }))
    .id as string;
  const theirs = (await post('/v1/relationships', { programId, personIds: [people.Cy, people.Di] }))
    .id as string;
  return { ...tenant, programId, people, tokens, ours, theirs };
}

const reflectionOf = (shareWithAdmins: boolean) => ({
  wentWell: 'We met every two weeks',
  learned: 'How to ask for feedback',
  wouldRecommend: true,
  notes: 'Candid words about my partner',
  shareWithAdmins,
});

const events = async (key: string, type: string) =>
  (await call(app, 'GET', `/v1/events?type=${type}&limit=100`, { key })).json.items as {
    data: Record<string, unknown>;
  }[];

describe('closing a relationship', () => {
  test('members complete it once every member wrote a reflection; reflections stay readable', async () => {
    const { key, people, tokens, ours } = await twoPairs();
    const path = `/v1/relationships/${ours}`;
    const early = await call(app, 'POST', `${path}/complete`, { key: tokens.Ada });
    expect(early.status).toBe(409);
    expect(early.json.detail).toContain(people.Ada);
    expect(early.json.detail).toContain(people.Ben);

    const written = await call(app, 'POST', `${path}/reflection`, {
      key: tokens.Ada,
      body: reflectionOf(false),
    });
    expect(written.status).toBe(201);
    expect(written.json).toMatchObject({
      personId: people.Ada,
      relationshipId: ours,
      shareWithAdmins: false,
    });
    const again = await call(app, 'POST', `${path}/reflection`, {
      key: tokens.Ada,
      body: reflectionOf(true),
    });
    expect(again.status).toBe(409);
    const halfway = await call(app, 'POST', `${path}/complete`, { key: tokens.Ada });
    expect(halfway.status).toBe(409);
    expect(halfway.json.detail).toContain(people.Ben);
    expect(halfway.json.detail).not.toContain(people.Ada);

    const shared = { ...reflectionOf(true), wouldRecommend: false };
    expect((await call(app, 'POST', `${path}/reflection`, { key: tokens.Ben, body: shared })).status).toBe(
      201,
    );

    // Members read each other's words; admins only what was shared with them.
    const byMember = await call(app, 'GET', `${path}/reflections`, { key: tokens.Ben });
    const ada = byMember.json.items.find((r: { personId: string }) => r.personId === people.Ada);
    expect(ada).toMatchObject({ wentWell: 'We met every two weeks', notes: 'Candid words about my partner' });
    const byAdmin = await call(app, 'GET', `${path}/reflections`, { key });
    const adaForAdmin = byAdmin.json.items.find((r: { personId: string }) => r.personId === people.Ada);
    const benForAdmin = byAdmin.json.items.find((r: { personId: string }) => r.personId === people.Ben);
    expect(adaForAdmin).toMatchObject({ wouldRecommend: true, shareWithAdmins: false });
    for (const field of ['wentWell', 'learned', 'notes']) expect(adaForAdmin[field]).toBeUndefined();
    expect(benForAdmin).toMatchObject({ wentWell: 'We met every two weeks', wouldRecommend: false });

    const completed = await call(app, 'POST', `${path}/complete`, { key: tokens.Ada });
    expect(completed.status).toBe(200);
    expect(completed.json).toMatchObject({ status: 'completed', endedBy: people.Ada });
    expect((await events(key, 'relationship.completed'))[0]!.data).toMatchObject({
      relationshipId: ours,
      endedBy: people.Ada,
    });
    const written2 = await events(key, 'reflection.written');
    expect(written2.map((e) => e.data)).toEqual([
      { relationshipId: ours, programId: completed.json.programId, personId: people.Ada },
      { relationshipId: ours, programId: completed.json.programId, personId: people.Ben },
    ]);

    // History: the ended relationship and its reflections stay readable by the members.
    const history = await call(app, 'GET', path, { key: tokens.Ben });
    expect(history.status).toBe(200);
    expect(history.json.status).toBe('completed');
    expect((await call(app, 'GET', `${path}/reflections`, { key: tokens.Ada })).json.items).toHaveLength(2);
  });

  test('an admin completes without reflections, and only members write them', async () => {
    const { key, ours } = await twoPairs();
    const path = `/v1/relationships/${ours}`;
    expect((await call(app, 'POST', `${path}/reflection`, { key, body: reflectionOf(true) })).status).toBe(
      403,
    );
    const completed = await call(app, 'POST', `${path}/complete`, { key });
    expect(completed.status).toBe(200);
    expect(completed.json.endedBy).toBeUndefined();
  });

  test('dissolving takes a reason from the list and an optional detail that events never carry', async () => {
    const { key, people, tokens, ours, theirs } = await twoPairs();
    for (const body of [{ reason: 'Moved teams' }, { reason: 'MISMATCH' }, { detail: 'no reason' }]) {
      const refused = await call(app, 'POST', `/v1/relationships/${ours}/dissolve`, { key, body });
      expect(refused.status).toBe(400);
      expect(refused.json.errors.map((e: { field: string }) => e.field)).toEqual(['/reason']);
    }
    expect((await call(app, 'GET', `/v1/relationships/${ours}`, { key })).json.status).toBe('active');

    const byAdmin = await call(app, 'POST', `/v1/relationships/${ours}/dissolve`, {
      key,
      body: { reason: 'left_organization', detail: 'Ben moved to the Lisbon office' },
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.json).toMatchObject({
      status: 'dissolved',
      endReason: 'left_organization',
      endDetail: 'Ben moved to the Lisbon office',
    });
    expect(byAdmin.json.endedBy).toBeUndefined();

    const byMember = await call(app, 'POST', `/v1/relationships/${theirs}/dissolve`, {
      key: tokens.Di,
      body: { reason: 'no_time' },
    });
    expect(byMember.status).toBe(200);
    expect(byMember.json).toMatchObject({ status: 'dissolved', endReason: 'no_time', endedBy: people.Di });

    const dissolved = await events(key, 'relationship.dissolved');
    expect(dissolved.map((e) => e.data)).toEqual([
      {
        relationshipId: ours,
        programId: byAdmin.json.programId,
        personIds: [people.Ada, people.Ben],
        reason: 'left_organization',
      },
      {
        relationshipId: theirs,
        programId: byMember.json.programId,
        personIds: [people.Cy, people.Di],
        reason: 'no_time',
        endedBy: people.Di,
      },
    ]);
    expect(JSON.stringify(dissolved)).not.toContain('Lisbon');
    // The members read how it ended.
    expect((await call(app, 'GET', `/v1/relationships/${ours}`, { key: tokens.Ada })).json.endDetail).toBe(
      'Ben moved to the Lisbon office',
    );
  });

  test('a relationship dissolved with free-text reasons before they were a list reads as other, with the words as detail', async () => {
    const { key, programId, people, tenantId } = await twoPairs();
    const id = 'rel_01jd5x3n7a8q9w0e1r2t3y4z5v';
    const now = new Date().toISOString();
    await testDb().doc.send(
      new PutCommand({
        TableName: testDb().tableName,
        Item: {
          ...keys.relationship(tenantId, id),
          entity: 'relationship',
          id,
          programId,
          members: [
            { personId: people.Ada, role: 'peer' },
            { personId: people.Ben, role: 'peer' },
          ],
          score: 0.5,
          explanation: { contributions: {}, reasons: [] },
          status: 'dissolved',
          source: 'manual',
          endedAt: now,
          endReason: 'Schedules never lined up',
          createdAt: now,
          updatedAt: now,
          version: 2,
        },
      }),
    );
    const legacy = await call(app, 'GET', `/v1/relationships/${id}`, { key });
    expect(legacy.status, legacy.text).toBe(200);
    expect(legacy.json).toMatchObject({ endReason: 'other', endDetail: 'Schedules never lined up' });
    const listed = await call(app, 'GET', `/v1/relationships?status=dissolved`, { key });
    expect(listed.json.items.map((r: { endReason: string }) => r.endReason)).toEqual(['other']);
  });
});

describe('rematch requests', () => {
  test('a member asks, the request waits in the admin queue, an admin resolves it; one open at a time', async () => {
    const { key, people, tokens, ours } = await twoPairs();
    const path = `/v1/relationships/${ours}/rematch-requests`;
    const asked = await call(app, 'POST', path, {
      key: tokens.Ada,
      body: { reason: 'mismatch', detail: 'We want different things' },
    });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({
      personId: people.Ada,
      relationshipId: ours,
      status: 'open',
      reason: 'mismatch',
    });
    expect((await call(app, 'POST', path, { key: tokens.Ada, body: { reason: 'other' } })).status).toBe(409);
    const bens = await call(app, 'POST', path, { key: tokens.Ben, body: { reason: 'schedule_conflict' } });
    expect(bens.status).toBe(201);
    expect((await call(app, 'POST', path, { key, body: { reason: 'other' } })).status).toBe(403);
    const badReason = await call(app, 'POST', path, { key: tokens.Ada, body: { reason: 'bored' } });
    expect(badReason.status).toBe(400);
    expect(badReason.json.errors.map((e: { field: string }) => e.field)).toEqual(['/reason']);

    // The queue, oldest first, page by page.
    const first = await call(app, 'GET', '/v1/rematch-requests?status=open&limit=1', { key });
    expect(first.json.items.map((r: { id: string }) => r.id)).toEqual([asked.json.id]);
    const next = await call(
      app,
      'GET',
      `/v1/rematch-requests?status=open&limit=1&cursor=${first.json.nextCursor}`,
      {
        key,
      },
    );
    expect(next.json.items.map((r: { id: string }) => r.id)).toEqual([bens.json.id]);

    // A request is its requester's: the other member does not learn of it.
    expect(
      (await call(app, 'GET', `/v1/rematch-requests/${asked.json.id}`, { key: tokens.Ben })).status,
    ).toBe(404);
    const bensView = await call(app, 'GET', path, { key: tokens.Ben });
    expect(bensView.json.items.map((r: { id: string }) => r.id)).toEqual([bens.json.id]);
    const adminView = await call(app, 'GET', path, { key });
    expect(adminView.json.items.map((r: { id: string }) => r.id)).toEqual([bens.json.id, asked.json.id]);

    const resolved = await call(app, 'POST', `/v1/rematch-requests/${asked.json.id}/resolve`, {
      key,
      body: { resolution: 'declined', note: 'Give it two more meetings' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json).toMatchObject({ status: 'resolved', resolution: 'declined', version: 2 });
    expect(resolved.json.resolvedBy).toMatch(/^key_/);
    expect(
      (
        await call(app, 'POST', `/v1/rematch-requests/${asked.json.id}/resolve`, {
          key,
          body: { resolution: 'rematched' },
        })
      ).status,
    ).toBe(409);
    const open = await call(app, 'GET', '/v1/rematch-requests?status=open', { key });
    expect(open.json.items.map((r: { id: string }) => r.id)).toEqual([bens.json.id]);
    const done = await call(app, 'GET', '/v1/rematch-requests?status=resolved', { key });
    expect(done.json.items.map((r: { id: string }) => r.id)).toEqual([asked.json.id]);
    expect((await call(app, 'GET', '/v1/rematch-requests', { key })).json.items).toHaveLength(2);

    // Ada reads the answer, and may ask again now that nothing of hers is open.
    const mine = await call(app, 'GET', '/v1/me/rematch-requests', { key: tokens.Ada });
    expect(mine.json.items).toEqual([
      expect.objectContaining({ id: asked.json.id, note: 'Give it two more meetings' }),
    ]);
    expect((await call(app, 'POST', path, { key: tokens.Ada, body: { reason: 'other' } })).status).toBe(201);
    expect((await call(app, 'GET', '/v1/me/rematch-requests', { key })).status).toBe(403);

    expect((await events(key, 'rematch.requested'))[0]!.data).toEqual({
      requestId: asked.json.id,
      relationshipId: ours,
      programId: asked.json.programId,
      personId: people.Ada,
      reason: 'mismatch',
    });
    expect((await events(key, 'rematch.resolved'))[0]!.data).toMatchObject({
      requestId: asked.json.id,
      resolution: 'declined',
    });
    expect(JSON.stringify(await events(key, 'rematch.*'))).not.toContain('different things');
  });

  test('two requests sent at once by one member: one is open, the other refused', async () => {
    const { key, tokens, ours } = await twoPairs();
    const path = `/v1/relationships/${ours}/rematch-requests`;
    const results = await Promise.all(
      ['mismatch', 'other', 'goals_changed'].map((reason) =>
        call(app, 'POST', path, { key: tokens.Ada, body: { reason } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await call(app, 'GET', '/v1/rematch-requests?status=open', { key })).json.items).toHaveLength(1);
    expect((await events(key, 'rematch.requested')).length).toBe(1);
  });

  test('after a relationship ended its members still ask for a rematch and read its history', async () => {
    const { tokens, ours } = await twoPairs();
    await call(app, 'POST', `/v1/relationships/${ours}/dissolve`, {
      key: tokens.Ben,
      body: { reason: 'mismatch' },
    });
    const asked = await call(app, 'POST', `/v1/relationships/${ours}/rematch-requests`, {
      key: tokens.Ada,
      body: { reason: 'mismatch' },
    });
    expect(asked.status).toBe(201);
    expect(
      (await call(app, 'GET', `/v1/rematch-requests/${asked.json.id}`, { key: tokens.Ada })).status,
    ).toBe(200);
    expect((await call(app, 'GET', `/v1/relationships/${ours}`, { key: tokens.Ada })).json.status).toBe(
      'dissolved',
    );
  });
});

test("another person's relationship is 404 on every closure route, and nothing changes", async () => {
  const { key, tokens, ours, theirs } = await twoPairs();
  const asked = await call(app, 'POST', `/v1/relationships/${theirs}/rematch-requests`, {
    key: tokens.Cy,
    body: { reason: 'mismatch' },
  });
  await call(app, 'POST', `/v1/relationships/${theirs}/reflection`, {
    key: tokens.Cy,
    body: reflectionOf(true),
  });
  const path = `/v1/relationships/${theirs}`;
  const attempts: [string, string, unknown?][] = [
    ['GET', path],
    ['POST', `${path}/dissolve`, { reason: 'mismatch' }],
    ['POST', `${path}/complete`],
    ['POST', `${path}/reflection`, reflectionOf(true)],
    ['GET', `${path}/reflections`],
    ['POST', `${path}/rematch-requests`, { reason: 'mismatch' }],
    ['GET', `${path}/rematch-requests`],
    ['GET', `/v1/rematch-requests/${asked.json.id}`],
  ];
  for (const [method, target, body] of attempts) {
    const res = await call(app, method, target, { key: tokens.Ada, body });
    expect({ method, target, status: res.status }, res.text).toEqual({ method, target, status: 404 });
  }
  // The admin queue and resolving are for API keys only.
  expect((await call(app, 'GET', '/v1/rematch-requests', { key: tokens.Ada })).status).toBe(403);
  expect(
    (
      await call(app, 'POST', `/v1/rematch-requests/${asked.json.id}/resolve`, {
        key: tokens.Ada,
        body: { resolution: 'declined' },
      })
    ).status,
  ).toBe(403);
  const after = await call(app, 'GET', path, { key });
  expect(after.json).toMatchObject({ status: 'active', version: 1 });
  expect((await call(app, 'GET', `${path}/reflections`, { key })).json.items).toHaveLength(1);
  expect((await call(app, 'GET', `/v1/rematch-requests/${asked.json.id}`, { key })).json.status).toBe('open');
  expect((await call(app, 'GET', '/v1/me/rematch-requests', { key: tokens.Ada })).json.items).toEqual([]);
  // Ada's own relationship is still hers.
  expect((await call(app, 'GET', `/v1/relationships/${ours}`, { key: tokens.Ada })).status).toBe(200);
});

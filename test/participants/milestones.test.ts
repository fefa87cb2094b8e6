import { milestoneWritesFor } from '@tandem/app';
import { describe, expect, test } from 'vitest';
import { call, testApp } from '../support/app.ts';
import { eventsOf, workspace } from './workspace.ts';

const app = testApp();

const DAY = 86_400_000;

describe('milestones', () => {
  test("a relationship starts with its program's templates, due relative to its start", async () => {
    const w = await workspace(app);
    const relationship = (await call(app, 'GET', `/v1/relationships/${w.relationshipId}`, { key: w.key }))
      .json;
    const start = Date.parse(relationship.startedAt);
    expect(
      relationship.milestones.map((m: { key: string; trigger: string; dueAt: string }) => [
        m.key,
        m.trigger,
        (Date.parse(m.dueAt) - start) / DAY,
      ]),
    ).toEqual([
      ['agreement_signed', 'agreement_accepted', 14],
      ['first_meeting', 'first_meeting_held', 21],
      ['midpoint_review', 'manual', 90],
      ['close_out', 'manual', 180],
    ]);
    const listed = await call(app, 'GET', `/v1/relationships/${w.relationshipId}/milestones`, {
      key: w.tokens[0],
    });
    expect(listed.json.items.map((m: { status: string }) => m.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
  });

  test('templates are program settings (merge-patchable, keys unique); later changes leave started relationships alone', async () => {
    const w = await workspace(app);
    const programPath = `/v1/programs/${w.programId}`;
    const program = (await call(app, 'GET', programPath, { key: w.key })).json;
    expect(program.relationships.requireAgreement).toBe(false);
    expect(program.relationships.milestoneTemplates).toHaveLength(4);
    const duplicate = await call(app, 'PATCH', programPath, {
      key: w.key,
      body: {
        relationships: {
          milestoneTemplates: [
            { key: 'kickoff', title: 'Kick-off', offsetDays: 0 },
            { key: 'kickoff', title: 'Again', offsetDays: 1 },
          ],
        },
      },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.errors[0].field).toBe('/relationships/milestoneTemplates/1/key');
    const patched = await call(app, 'PATCH', programPath, {
      key: w.key,
      body: { relationships: { milestoneTemplates: [{ key: 'kickoff', title: 'Kick-off', offsetDays: 3 }] } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.relationships).toEqual({
      requireAgreement: false,
      milestoneTemplates: [{ key: 'kickoff', title: 'Kick-off', offsetDays: 3, trigger: 'manual' }],
    });
    const flag = await call(app, 'PATCH', programPath, {
      key: w.key,
      body: { relationships: { requireAgreement: true } },
    });
    expect(flag.json.relationships.milestoneTemplates).toHaveLength(1);
    const before = (await call(app, 'GET', `/v1/relationships/${w.relationshipId}`, { key: w.key })).json;
    expect(before.milestones).toHaveLength(4);
  });

  test('members and admins reach manual milestones; triggered ones only by their trigger', async () => {
    const w = await workspace(app);
    const milestones = `/v1/relationships/${w.relationshipId}/milestones`;
    const reached = await call(app, 'POST', `${milestones}/midpoint_review/reach`, { key: w.tokens[1] });
    expect(reached.status, reached.text).toBe(200);
    expect(reached.json).toMatchObject({
      key: 'midpoint_review',
      status: 'reached',
      reachedBy: w.members[1],
    });
    const twice = await call(app, 'POST', `${milestones}/midpoint_review/reach`, { key: w.tokens[0] });
    expect(twice.status).toBe(409);
    const byAdmin = await call(app, 'POST', `${milestones}/close_out/reach`, { key: w.key });
    expect(byAdmin.json.status).toBe('reached');
    expect(byAdmin.json.reachedBy).toBeUndefined();
    const triggered = await call(app, 'POST', `${milestones}/first_meeting/reach`, { key: w.tokens[0] });
    expect(triggered.status).toBe(409);
    expect(triggered.json.detail).toContain('first_meeting_held');
    expect((await call(app, 'POST', `${milestones}/no_such_thing/reach`, { key: w.tokens[0] })).status).toBe(
      404,
    );

    const listed = await call(app, 'GET', milestones, { key: w.key });
    expect(listed.json.items.map((m: { key: string; status: string }) => [m.key, m.status])).toEqual([
      ['agreement_signed', 'pending'],
      ['first_meeting', 'pending'],
      ['midpoint_review', 'reached'],
      ['close_out', 'reached'],
    ]);
    expect(
      (await eventsOf(app, w.key, 'milestone.reached')).map((e) => [e.data.key, e.data.personId]),
    ).toEqual([
      ['midpoint_review', w.members[1]],
      ['close_out', undefined],
    ]);
  });

  test('two members reaching the same milestone at once: it is reached once', async () => {
    const w = await workspace(app);
    const path = `/v1/relationships/${w.relationshipId}/milestones/midpoint_review/reach`;
    const answers = await Promise.all(
      [...w.tokens, ...w.tokens].map((key) => call(app, 'POST', path, { key })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    expect(await eventsOf(app, w.key, 'milestone.reached')).toHaveLength(1);
  });

  test('an ended relationship reaches nothing more', async () => {
    const w = await workspace(app);
    await call(app, 'POST', `/v1/relationships/${w.relationshipId}/complete`, { key: w.key });
    const late = await call(app, 'POST', `/v1/relationships/${w.relationshipId}/milestones/close_out/reach`, {
      key: w.tokens[0],
    });
    expect(late.status).toBe(409);
  });

  test("another person's relationship is 404 on every milestone route", async () => {
    const w = await workspace(app);
    const milestones = `/v1/relationships/${w.relationshipId}/milestones`;
    expect((await call(app, 'GET', milestones, { key: w.outsider.token })).status).toBe(404);
    const reach = await call(app, 'POST', `${milestones}/midpoint_review/reach`, { key: w.outsider.token });
    expect(reach.status).toBe(404);
    expect((await eventsOf(app, w.key, 'milestone.reached')).length).toBe(0);
  });

  test('milestoneWritesFor gives another use case the writes and events of a trigger, leaving out what was reached', async () => {
    const relationship = {
      id: 'rel_01jd5x3n7a8q9w0e1r2t3y4z5v',
      programId: 'prg_01jd5x3n7a8q9w0e1r2t3y4z5v',
      milestones: [
        {
          key: 'first_meeting',
          title: 'First meeting',
          trigger: 'first_meeting_held' as const,
          dueAt: '2027-01-01T00:00:00.000Z',
        },
        {
          key: 'kickoff',
          title: 'Kick-off',
          trigger: 'first_meeting_held' as const,
          dueAt: '2027-01-01T00:00:00.000Z',
        },
        {
          key: 'midpoint_review',
          title: 'Midpoint',
          trigger: 'manual' as const,
          dueAt: '2027-03-01T00:00:00.000Z',
        },
      ],
    };
    const ops: unknown[] = [];
    const reachOp = (value: unknown) => {
      ops.push(value);
      return { item: {} };
    };
    const store = { milestones: { reachOp } };
    const writes = await milestoneWritesFor(
      store as never,
      relationship,
      new Set(['kickoff']),
      'first_meeting_held',
      '2027-01-05T10:00:00.000Z',
    );
    expect(writes.ops).toHaveLength(1);
    expect(ops).toEqual([
      {
        relationshipId: relationship.id,
        key: 'first_meeting',
        trigger: 'first_meeting_held',
        reachedAt: '2027-01-05T10:00:00.000Z',
      },
    ]);
    expect(writes.events).toEqual([
      {
        type: 'milestone.reached',
        data: {
          relationshipId: relationship.id,
          programId: relationship.programId,
          key: 'first_meeting',
          trigger: 'first_meeting_held',
        },
      },
    ]);
  });
});

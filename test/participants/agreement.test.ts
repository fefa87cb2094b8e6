import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { eventsOf, workspace } from './workspace.ts';

const app = testApp();

const terms = (members: string[]) => ({
  sharedGoals: ['Ship the design review on my own', 'Speak up in planning'],
  expectations: members.map((personId, i) => ({ personId, expects: `Honest feedback, member ${i}` })),
  boundaries: 'No calls after 6 pm; work topics only',
  cadence: { every: 2, unit: 'weeks', durationMinutes: 45 },
  duration: { weeks: 24 },
  channels: ['video', 'in_person'],
  confidentiality: { level: 'members_only', details: 'What we say stays between us' },
});

describe('agreement', () => {
  test('a required agreement keeps the relationship pending until every member accepted the current version', async () => {
    const w = await workspace(app, { relationships: { requireAgreement: true } });
    const path = `/v1/relationships/${w.relationshipId}/agreement`;
    const [a, b] = w.tokens as [string, string];
    const relationship = async () =>
      (await call(app, 'GET', `/v1/relationships/${w.relationshipId}`, { key: w.key })).json;
    expect((await relationship()).status).toBe('pending_agreement');

    expect((await call(app, 'GET', path, { key: a })).status).toBe(404);
    const drafted = await call(app, 'PUT', path, { key: a, body: terms(w.members) });
    expect(drafted.status, drafted.text).toBe(201);
    expect(drafted.headers.get('etag')).toBe('"1"');
    expect(drafted.json).toMatchObject({
      version: 1,
      acceptances: [],
      acceptedByAll: false,
      awaiting: w.members,
      updatedBy: w.members[0],
      cadence: { every: 2, unit: 'weeks', durationMinutes: 45 },
    });

    const first = await call(app, 'POST', `${path}/accept`, { key: a, body: { version: 1 } });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ acceptedByAll: false, awaiting: [w.members[1]] });
    expect((await relationship()).status).toBe('pending_agreement');

    // B edits: a new version, and A's acceptance of version 1 does not carry over.
    const edited = await call(app, 'PATCH', path, {
      key: b,
      headers: { 'if-match': '"1"' },
      body: { boundaries: null, channels: ['video'] },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json).toMatchObject({
      version: 2,
      acceptances: [],
      awaiting: w.members,
      channels: ['video'],
    });
    expect(edited.json.boundaries).toBeUndefined();
    expect(edited.json.sharedGoals).toEqual(terms(w.members).sharedGoals);

    const outdated = await call(app, 'POST', `${path}/accept`, { key: b, body: { version: 1 } });
    expect(outdated.status).toBe(409);
    expect(outdated.json.errors).toMatchObject([
      { field: '/version', message: 'the agreement is at version 2' },
    ]);
    const stale = await call(app, 'PATCH', path, {
      key: a,
      headers: { 'if-match': '"1"' },
      body: { boundaries: 'Back again' },
    });
    expect(stale.status).toBe(412);

    await call(app, 'POST', `${path}/accept`, { key: b, body: { version: 2 } });
    const again = await call(app, 'POST', `${path}/accept`, { key: b, body: { version: 2 } });
    expect(again.json.acceptances).toHaveLength(1);
    const last = await call(app, 'POST', `${path}/accept`, { key: a, body: { version: 2 } });
    expect(last.json).toMatchObject({ acceptedByAll: true, awaiting: [] });
    expect(last.json.acceptances.map((x: { personId: string }) => x.personId)).toEqual(w.members);
    const active = await relationship();
    expect(active.status).toBe('active');
    expect(active.activatedAt).toBeDefined();

    const milestones = await call(app, 'GET', `/v1/relationships/${w.relationshipId}/milestones`, { key: a });
    expect(milestones.json.items.find((m: { key: string }) => m.key === 'agreement_signed')).toMatchObject({
      status: 'reached',
      trigger: 'agreement_accepted',
    });
    expect(await eventsOf(app, w.key, 'relationship.activated')).toHaveLength(1);
    expect((await eventsOf(app, w.key, 'agreement.updated')).map((e) => e.data.version)).toEqual([1, 2]);
    expect(
      (await eventsOf(app, w.key, 'agreement.accepted')).map((e) => [e.data.version, e.data.acceptedByAll]),
    ).toEqual([
      [1, false],
      [2, false],
      [2, true],
    ]);

    // A later change needs everyone again, but an active relationship stays active.
    const third = await call(app, 'PATCH', path, { key: a, body: { sharedGoals: ['One goal'] } });
    expect(third.json).toMatchObject({ version: 3, acceptedByAll: false });
    expect((await relationship()).status).toBe('active');
    const unchanged = await call(app, 'PATCH', path, { key: a, body: { sharedGoals: ['One goal'] } });
    expect(unchanged.json.version).toBe(3);

    const versions = await call(app, 'GET', `${path}/versions?limit=2`, { key: w.key });
    expect(versions.json.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions.json.items[0].acceptances.map((x: { personId: string }) => x.personId)).toEqual([
      w.members[0],
    ]);
    expect(versions.json.items[1].acceptances).toHaveLength(2);
    const rest = await call(app, 'GET', `${path}/versions?cursor=${versions.json.nextCursor}`, { key: b });
    expect(rest.json.items.map((v: { version: number }) => v.version)).toEqual([3]);
    expect(await eventsOf(app, w.key, 'relationship.activated')).toHaveLength(1);
  });

  test('a published run starts its relationships pending their agreement, with their milestones', {
    timeout: 90_000,
  }, async () => {
    const { key } = await newTenant(app);
    const program = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'P', format: 'peer_pairs', relationships: { requireAgreement: true } },
    });
    for (let i = 0; i < 4; i++) {
      const person = await call(app, 'POST', '/v1/people', {
        key,
        body: { name: `P${i}`, email: uniqueEmail(), department: `D${i}` },
      });
      await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
        key,
        body: { personId: person.json.id, role: 'peer' },
      });
    }
    const run = await call(app, 'POST', `/v1/programs/${program.json.id}/match-runs`, { key, body: {} });
    const runPath = `/v1/programs/${program.json.id}/match-runs/${run.json.id}`;
    await eventually(async () => {
      expect((await call(app, 'GET', runPath, { key })).json.status).toBe('awaiting_review');
    }, 60_000);
    await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } });
    await call(app, 'POST', `${runPath}/publish`, { key });
    await eventually(async () => {
      expect((await call(app, 'GET', runPath, { key })).json.status).toBe('published');
    }, 60_000);
    const published = await call(app, 'GET', `/v1/relationships?programId=${program.json.id}`, { key });
    expect(published.json.items).toHaveLength(2);
    for (const r of published.json.items) {
      expect(r.status).toBe('pending_agreement');
      expect(r.milestones.map((m: { key: string }) => m.key)).toEqual([
        'agreement_signed',
        'first_meeting',
        'midpoint_review',
        'close_out',
      ]);
    }
    const pending = await call(app, 'GET', `/v1/relationships?status=pending_agreement`, { key });
    expect(pending.json.items).toHaveLength(2);
  });

  test('without requireAgreement a relationship starts active, and a full acceptance only reaches the milestone', async () => {
    const w = await workspace(app);
    const path = `/v1/relationships/${w.relationshipId}/agreement`;
    const rel = await call(app, 'GET', `/v1/relationships/${w.relationshipId}`, { key: w.key });
    expect(rel.json.status).toBe('active');
    await call(app, 'PUT', path, { key: w.tokens[0], body: { sharedGoals: ['Grow'] } });
    for (const token of w.tokens)
      await call(app, 'POST', `${path}/accept`, { key: token, body: { version: 1 } });
    expect(await eventsOf(app, w.key, 'relationship.activated')).toHaveLength(0);
    expect((await eventsOf(app, w.key, 'milestone.reached')).map((e) => e.data.key)).toEqual([
      'agreement_signed',
    ]);
  });

  test('members write and accept; admins read; rules name the field', async () => {
    const w = await workspace(app, { relationships: { requireAgreement: true } });
    const path = `/v1/relationships/${w.relationshipId}/agreement`;
    expect((await call(app, 'PUT', path, { key: w.key, body: {} })).status).toBe(403);
    expect((await call(app, 'PATCH', path, { key: w.tokens[0], body: {} })).status).toBe(404);
    const bad = await call(app, 'PUT', path, {
      key: w.tokens[0],
      body: {
        expectations: [
          { personId: w.outsider.personId, expects: 'x' },
          { personId: w.members[0], expects: 'a' },
          { personId: w.members[0], expects: 'b' },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toEqual([
      '/expectations/0/personId',
      '/expectations/2/personId',
    ]);
    const both = await call(app, 'PUT', path, {
      key: w.tokens[0],
      body: { duration: { weeks: 4, endDate: '2027-06-01' } },
    });
    expect(both.status).toBe(400);
    expect(both.json.errors[0].field).toBe('/duration');
    expect((await call(app, 'GET', path, { key: w.key })).status).toBe(404);

    await call(app, 'PUT', path, { key: w.tokens[0], body: { duration: { weeks: 4 } } });
    const switched = await call(app, 'PATCH', path, {
      key: w.tokens[1],
      body: { duration: { weeks: null, endDate: '2027-06-01' } },
    });
    expect(switched.json.duration).toEqual({ endDate: '2027-06-01' });
    const read = await call(app, 'GET', path, { key: w.key });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');
    expect((await call(app, 'POST', `${path}/accept`, { key: w.key, body: { version: 2 } })).status).toBe(
      403,
    );

    // Ending a relationship pending its agreement works, and leaves the agreement read-only.
    const ended = await call(app, 'POST', `/v1/relationships/${w.relationshipId}/dissolve`, {
      key: w.key,
      body: { reason: 'no_time', detail: 'Never got started' },
    });
    expect(ended.status, ended.text).toBe(200);
    expect((await call(app, 'PATCH', path, { key: w.tokens[0], body: { channels: ['chat'] } })).status).toBe(
      409,
    );
    expect(
      (await call(app, 'POST', `${path}/accept`, { key: w.tokens[0], body: { version: 2 } })).status,
    ).toBe(409);
    expect((await call(app, 'GET', path, { key: w.tokens[0] })).status).toBe(200);
  });

  test("another person's relationship is 404 on every agreement route", async () => {
    const w = await workspace(app);
    const path = `/v1/relationships/${w.relationshipId}/agreement`;
    await call(app, 'PUT', path, { key: w.tokens[0], body: { sharedGoals: ['Grow'] } });
    const key = w.outsider.token;
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PUT', '', { sharedGoals: ['Mine now'] }],
      ['PATCH', '', { sharedGoals: ['Mine now'] }],
      ['POST', '/accept', { version: 1 }],
      ['GET', '/versions', undefined],
    ] as const) {
      const res = await call(app, method, `${path}${suffix}`, { key, body });
      expect({ method, suffix, status: res.status }).toEqual({ method, suffix, status: 404 });
    }
    const after = await call(app, 'GET', path, { key: w.tokens[1] });
    expect(after.json).toMatchObject({ version: 1, sharedGoals: ['Grow'], acceptances: [] });
  });
});

describe('agreement concurrency', () => {
  test('two members accepting at once activate the relationship exactly once', {
    timeout: 60_000,
  }, async () => {
    for (let round = 0; round < 5; round++) {
      const w = await workspace(app, { relationships: { requireAgreement: true } });
      const path = `/v1/relationships/${w.relationshipId}/agreement`;
      await call(app, 'PUT', path, { key: w.tokens[0], body: { sharedGoals: ['Grow'] } });
      const answers = await Promise.all(
        w.tokens.map((key) => call(app, 'POST', `${path}/accept`, { key, body: { version: 1 } })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers.filter((a) => a.json.acceptedByAll)).toHaveLength(1);
      expect((await call(app, 'GET', path, { key: w.key })).json.acceptedByAll).toBe(true);
      expect(await eventsOf(app, w.key, 'relationship.activated')).toHaveLength(1);
      expect(await eventsOf(app, w.key, 'milestone.reached')).toHaveLength(1);
    }
  });

  test('a circle accepting at once while members edit ends consistent: one activation, acceptances only of the version named', {
    timeout: 180_000,
  }, async () => {
    const runs = { count: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ member: fc.nat(3), kind: fc.constantFrom('accept', 'accept', 'accept', 'edit') }),
          { minLength: 4, maxLength: 12 },
        ),
        async (actions) => {
          runs.count++;
          const w = await workspace(app, { size: 4, relationships: { requireAgreement: true } });
          const path = `/v1/relationships/${w.relationshipId}/agreement`;
          await call(app, 'PUT', path, { key: w.tokens[0], body: { sharedGoals: ['Start'] } });
          // Everyone accepts version 1 at once, while the actions race them.
          const racing = [
            ...w.tokens.map((key) => ({ key, kind: 'accept' as const, version: 1 })),
            ...actions.map((a, i) => ({
              key: w.tokens[a.member]!,
              kind: a.kind,
              version: a.kind === 'accept' ? 1 + (i % 2) : 0,
              goal: `Goal ${i}`,
            })),
          ];
          const answers = await Promise.all(
            racing.map(async (r) => {
              const res =
                r.kind === 'accept'
                  ? await call(app, 'POST', `${path}/accept`, { key: r.key, body: { version: r.version } })
                  : await call(app, 'PATCH', path, {
                      key: r.key,
                      body: { sharedGoals: [(r as { goal: string }).goal] },
                    });
              return { ...r, status: res.status, json: res.json };
            }),
          );
          for (const a of answers) expect([200, 409], JSON.stringify(a.json)).toContain(a.status);
          expect(answers.filter((a) => a.kind === 'edit').every((a) => a.status === 200)).toBe(true);

          const head = (await call(app, 'GET', path, { key: w.key })).json;
          const versions = (await call(app, 'GET', `${path}/versions?limit=100`, { key: w.key })).json.items;
          const accepted = await eventsOf(app, w.key, 'agreement.accepted');
          const activated = await eventsOf(app, w.key, 'relationship.activated');
          const reached = await eventsOf(app, w.key, 'milestone.reached');
          const relationship = (
            await call(app, 'GET', `/v1/relationships/${w.relationshipId}`, { key: w.key })
          ).json;

          // Versions are 1..n without gaps, the head is the last, and each edit made at most one.
          expect(versions.map((v: { version: number }) => v.version)).toEqual(
            Array.from({ length: head.version }, (_, i) => i + 1),
          );
          expect(head.acceptances).toEqual(versions.at(-1).acceptances);
          // Every acceptance event is recorded on the version it named, exactly once per member.
          for (const v of versions) {
            const named = accepted.filter((e) => e.data.version === v.version).map((e) => e.data.personId);
            expect(new Set(named).size).toBe(named.length);
            expect(named.sort()).toEqual(v.acceptances.map((x: { personId: string }) => x.personId).sort());
            // The complete flag is set on exactly the acceptance that completed the version.
            const completing = accepted.filter((e) => e.data.version === v.version && e.data.acceptedByAll);
            expect(completing).toHaveLength(v.acceptances.length === 4 ? 1 : 0);
          }
          // A 200 acceptance is recorded on the version it named; a 409 says it named another one.
          for (const a of answers.filter((x) => x.kind === 'accept')) {
            const personId = w.members[w.tokens.indexOf(a.key)];
            const on =
              versions[a.version - 1]?.acceptances.map((x: { personId: string }) => x.personId) ?? [];
            if (a.status === 200) expect(on).toContain(personId);
            else expect(a.json.errors).toMatchObject([{ field: '/version' }]);
          }
          const everComplete = versions.some((v: { acceptances: unknown[] }) => v.acceptances.length === 4);
          expect(relationship.status).toBe(everComplete ? 'active' : 'pending_agreement');
          expect(activated).toHaveLength(everComplete ? 1 : 0);
          expect(reached.filter((e) => e.data.key === 'agreement_signed')).toHaveLength(everComplete ? 1 : 0);
        },
      ),
      { numRuns: 8, seed: 20261201 },
    );
    expect(runs.count).toBe(8);
  });
});

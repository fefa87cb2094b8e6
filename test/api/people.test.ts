import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

const app = testApp();

// External ids are unique per organization and system, as emails are.
let workdayIds = 0;
const dana = (overrides: Record<string, unknown> = {}) => ({
  name: 'Dana Okafor',
  email: uniqueEmail('dana'),
  department: 'Engineering',
  title: 'Staff Engineer',
  timezone: 'Europe/Berlin',
  languages: ['en', 'pt-BR'],
  hireDate: '2019-04-01',
  skillsOffered: [{ name: 'negotiation', level: 4 }],
  skillsWanted: [{ name: 'public speaking', targetLevel: 3 }],
  careerGoals: ['Become an engineering manager'],
  interests: ['climbing'],
  background: { firstGeneration: 'yes' },
  externalIds: { workday: `E1234-${++workdayIds}` },
  ...overrides,
});

describe('people', () => {
  test('create, get and update a person with ETag / If-Match', async () => {
    const { key } = await newTenant(app);
    const created = await call(app, 'POST', '/v1/people', { key, body: dana() });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Dana Okafor', status: 'active', version: 1 });
    expect(created.json.id).toMatch(/^per_/);
    expect(created.headers.get('location')).toBe(`/v1/people/${created.json.id}`);
    expect(created.headers.get('etag')).toBe('"1"');

    const read = await call(app, 'GET', `/v1/people/${created.json.id}`, { key });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);

    const patched = await call(app, 'PATCH', `/v1/people/${created.json.id}`, {
      key,
      headers: { 'if-match': '"1"' },
      body: {
        title: 'Principal Engineer',
        background: null,
        skillsOffered: [{ name: 'negotiation', level: 5 }],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      title: 'Principal Engineer',
      version: 2,
      skillsOffered: [{ name: 'negotiation', level: 5 }],
    });
    expect(patched.json.background).toBeUndefined();
    expect(patched.headers.get('etag')).toBe('"2"');

    const stale = await call(app, 'PATCH', `/v1/people/${created.json.id}`, {
      key,
      headers: { 'if-match': '"1"' },
      body: { title: 'Too late' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(app, 'GET', `/v1/people/${created.json.id}`, { key })).json.title).toBe(
      'Principal Engineer',
    );
  });

  test('PATCH merges maps (RFC 7396): a new external id keeps the others, null removes one', async () => {
    const { key } = await newTenant(app);
    const created = await call(app, 'POST', '/v1/people', {
      key,
      body: dana({ externalIds: { workday: 'E1234', greenhouse: 'G77' } }),
    });
    const path = `/v1/people/${created.json.id}`;
    const added = await call(app, 'PATCH', path, { key, body: { externalIds: { successFactors: 'S9' } } });
    expect(added.status).toBe(200);
    expect(added.json.externalIds).toEqual({ workday: 'E1234', greenhouse: 'G77', successFactors: 'S9' });

    const removed = await call(app, 'PATCH', path, {
      key,
      body: { externalIds: { greenhouse: null }, background: { firstGeneration: null } },
    });
    expect(removed.status).toBe(200);
    const stored = await call(app, 'GET', path, { key });
    expect(stored.json).toEqual(removed.json);
    expect(stored.json.externalIds).toEqual({ workday: 'E1234', successFactors: 'S9' });
    expect(stored.json.background).toEqual({});
    expect(stored.json.version).toBe(3);
  });

  test('text with NUL, bidi controls or an unpaired surrogate is refused, naming the field', async () => {
    const { key } = await newTenant(app);
    const cases: [string, Record<string, unknown>, string][] = [
      ['NUL in the name', { name: 'Dana\u0000Okafor' }, '/name'],
      [
        'a right-to-left override in a career goal',
        { careerGoals: ['Lead', 'Grow \u202Egnp.exe'] },
        '/careerGoals/1',
      ],
      [
        'an isolate in a skill name',
        { skillsOffered: [{ name: 'sql\u2066', level: 2 }] },
        '/skillsOffered/0/name',
      ],
    ];
    for (const [what, overrides, field] of cases) {
      const res = await call(app, 'POST', '/v1/people', { key, body: dana(overrides) });
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
      expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    // A lone surrogate can only be sent as a JSON escape; it is refused, never echoed.
    const lone = JSON.stringify(dana()).replace(/"E1234-\d+"/, '"E12\\ud800"');
    const res = await call(app, 'POST', '/v1/people', { key, body: lone });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(['/externalIds/workday']);
    expect(res.text.isWellFormed()).toBe(true);
    expect((await call(app, 'GET', '/v1/people', { key })).json.items).toHaveLength(0);
  });

  test('validation errors name every offending field', async () => {
    const { key } = await newTenant(app);
    const res = await call(app, 'POST', '/v1/people', {
      key,
      body: {
        name: '',
        email: 'not-an-email',
        timezone: 'Mars/Olympus',
        skillsOffered: [
          { name: 'sql', level: 9 },
          { name: 'SQL', level: 2 },
        ],
        nickname: 'D',
      },
    });
    expect(res.status).toBe(400);
    expect(res.json.type).toBe('https://tandem.dev/problems/validation-error');
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        '/name',
        '/email',
        '/timezone',
        '/skillsOffered/0/level',
        '/skillsOffered/1/name',
        '/nickname',
      ]),
    );
    expect(res.json.requestId).toBe(res.headers.get('x-request-id'));
  });

  test('emails are unique per organization, case-insensitively, and move with updates', async () => {
    const { key } = await newTenant(app);
    const email = uniqueEmail('sam');
    const first = await call(app, 'POST', '/v1/people', { key, body: dana({ email }) });
    expect(first.status).toBe(201);
    const duplicate = await call(app, 'POST', '/v1/people', {
      key,
      body: dana({ email: email.toUpperCase() }),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.errors).toEqual([
      { field: '/email', in: 'body', message: 'already used by another person' },
    ]);

    const newEmail = uniqueEmail('sam-new');
    const moved = await call(app, 'PATCH', `/v1/people/${first.json.id}`, { key, body: { email: newEmail } });
    expect(moved.status).toBe(200);
    // The old address is free again; the new one is taken.
    expect((await call(app, 'POST', '/v1/people', { key, body: dana({ email }) })).status).toBe(201);
    expect((await call(app, 'POST', '/v1/people', { key, body: dana({ email: newEmail }) })).status).toBe(
      409,
    );

    // Another organization may use the same address.
    const other = await newTenant(app);
    expect((await call(app, 'POST', '/v1/people', { key: other.key, body: dana({ email }) })).status).toBe(
      201,
    );
  });

  test('a manager must be another person of the organization', async () => {
    const { key } = await newTenant(app);
    const boss = await call(app, 'POST', '/v1/people', { key, body: dana() });
    const report = await call(app, 'POST', '/v1/people', { key, body: dana({ managerId: boss.json.id }) });
    expect(report.status).toBe(201);
    const unknown = await call(app, 'POST', '/v1/people', {
      key,
      body: dana({ managerId: 'per_01jd5x3n7a8q9w0e1r2t3y4z5v' }),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].field).toBe('/managerId');
    const self = await call(app, 'PATCH', `/v1/people/${boss.json.id}`, {
      key,
      body: { managerId: boss.json.id },
    });
    expect(self.status).toBe(422);
  });

  /** A tenant with two people enrolled in one peer_pairs program and paired by hand. */
  async function pairedInProgram() {
    const { key } = await newTenant(app);
    const program = await call(app, 'POST', '/v1/programs', {
      key,
      body: { name: 'Pairs', format: 'peer_pairs' },
    });
    const programId: string = program.json.id;
    const personIds: string[] = [];
    for (const body of [dana(), dana({ department: 'Sales' })]) {
      const personId: string = (await call(app, 'POST', '/v1/people', { key, body })).json.id;
      const enrolled = await call(app, 'POST', `/v1/programs/${programId}/enrollments`, {
        key,
        body: { personId, role: 'peer' },
      });
      expect(enrolled.status).toBe(201);
      personIds.push(personId);
    }
    const pair = await call(app, 'POST', '/v1/relationships', { key, body: { programId, personIds } });
    expect(pair.status).toBe(201);
    return { key, programId, leaver: personIds[0]!, partner: personIds[1]!, relationshipId: pair.json.id };
  }

  test('a leaver marked by an admin is deprovisioned as SCIM does it: relationships dissolved, enrollments withdrawn', async () => {
    const { key, programId, leaver, partner, relationshipId } = await pairedInProgram();

    const left = await call(app, 'PATCH', `/v1/people/${leaver}`, { key, body: { status: 'left' } });
    expect(left.json.status).toBe('left');
    const relationship = await call(app, 'GET', `/v1/relationships/${relationshipId}`, { key });
    expect(relationship.json).toMatchObject({ status: 'dissolved', endReason: 'left_organization' });
    const enrollments = await call(app, 'GET', `/v1/programs/${programId}/enrollments`, { key });
    const statusOf = (personId: string) =>
      enrollments.json.items.filter((e: any) => e.personId === personId).map((e: any) => e.status);
    expect(statusOf(leaver)).toEqual(['withdrawn']);
    expect(statusOf(partner)).not.toContain('withdrawn');
    const events = (await call(app, 'GET', '/v1/events?limit=100', { key })).json.items;
    expect(events.find((e: any) => e.type === 'relationship.dissolved')?.data).toMatchObject({
      relationshipId,
      reason: 'left_organization',
    });
  });

  test('leaver updates side by side all succeed, and the relationship is dissolved once', async () => {
    const { key, leaver, relationshipId } = await pairedInProgram();
    // Each deprovisions; whichever comes second finds the relationship already ended.
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => call(app, 'PATCH', `/v1/people/${leaver}`, { key, body: { status: 'left' } })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const events = (await call(app, 'GET', '/v1/events?type=relationship.dissolved', { key })).json.items;
    expect(events.filter((e: any) => e.data.relationshipId === relationshipId)).toHaveLength(1);
  });

  test('leavers are marked left, not deleted, and filters find people', async () => {
    const { key } = await newTenant(app);
    const eng = await call(app, 'POST', '/v1/people', { key, body: dana() });
    await call(app, 'POST', '/v1/people', {
      key,
      body: dana({
        department: 'Sales',
        skillsOffered: [{ name: 'Forecasting', level: 3 }],
        skillsWanted: [],
      }),
    });
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const left = await call(app, 'PATCH', `/v1/people/${eng.json.id}`, { key, body: { status: 'left' } });
    expect(left.json.status).toBe('left');

    const byDepartment = await call(app, 'GET', '/v1/people?department=Sales', { key });
    expect(byDepartment.json.items.map((p: { department: string }) => p.department)).toEqual(['Sales']);
    const bySkill = await call(app, 'GET', '/v1/people?skill=forecasting', { key });
    expect(bySkill.json.items).toHaveLength(1);
    const byWantedSkill = await call(app, 'GET', '/v1/people?skill=Public%20Speaking', { key });
    expect(byWantedSkill.json.items.map((p: { id: string }) => p.id)).toEqual([eng.json.id]);
    const byStatus = await call(app, 'GET', '/v1/people?status=left', { key });
    expect(byStatus.json.items.map((p: { id: string }) => p.id)).toEqual([eng.json.id]);
    const changed = await call(app, 'GET', `/v1/people?updatedSince=${encodeURIComponent(since)}`, { key });
    expect(changed.json.items.map((p: { id: string }) => p.id)).toEqual([eng.json.id]);
    expect((await call(app, 'GET', '/v1/people?status=gone', { key })).json.errors[0]).toMatchObject({
      field: 'status',
      in: 'query',
    });
  });

  test('lists page with opaque cursors bound to the query', async () => {
    const { key } = await newTenant(app);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const department = i % 2 ? 'Odd' : 'Even';
      ids.push((await call(app, 'POST', '/v1/people', { key, body: dana({ department }) })).json.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await call(
        app,
        'GET',
        `/v1/people?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { key },
      );
      seen.push(...page.json.items.map((p) => p.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const evenFirst = await call(app, 'GET', '/v1/people?limit=2&department=Even', { key });
    expect(evenFirst.json.items).toHaveLength(2);
    const evenRest = await call(
      app,
      'GET',
      `/v1/people?limit=2&department=Even&cursor=${evenFirst.json.nextCursor}`,
      {
        key,
      },
    );
    expect(evenRest.json.items.map((p: { id: string }) => p.id)).toEqual([ids[4], ids[6]]);
    const reused = await call(
      app,
      'GET',
      `/v1/people?limit=2&department=Odd&cursor=${evenFirst.json.nextCursor}`,
      {
        key,
      },
    );
    expect(reused.status).toBe(422);
    expect(reused.json.errors[0].field).toBe('cursor');
    expect((await call(app, 'GET', '/v1/people?cursor=garbage', { key })).status).toBe(422);
  });
});

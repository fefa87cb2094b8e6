import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

const app = testApp();

async function organization() {
  const tenant = await newTenant(app, 'Me Org');
  const person = async (name: string) =>
    (await call(app, 'POST', '/v1/people', { key: tenant.key, body: { name, email: uniqueEmail(name) } }))
      .json.id as string;
  const dana = await person('Dana');
  const sam = await person('Sam');
  return { ...tenant, dana, sam, token: await participantToken(app, tenant, dana) };
}

async function program(key: string, body: Record<string, unknown>, to?: string) {
  const created = await call(app, 'POST', '/v1/programs', { key, body: { format: 'peer_pairs', ...body } });
  expect(created.status).toBe(201);
  if (to) await call(app, 'POST', `/v1/programs/${created.json.id}/transitions`, { key, body: { to } });
  return created.json.id as string;
}

describe('GET and PATCH /v1/me', () => {
  test('shows the person, active enrollments and relationships that have not ended', async () => {
    const org = await organization();
    const prg = await program(org.key, { name: 'P' }, 'enrolling');
    const other = await program(org.key, { name: 'Q' }, 'enrolling');
    for (const personId of [org.dana, org.sam])
      await call(app, 'POST', `/v1/programs/${prg}/enrollments`, {
        key: org.key,
        body: { personId, role: 'peer' },
      });
    const withdrawn = await call(app, 'POST', `/v1/programs/${other}/enrollments`, {
      key: org.key,
      body: { personId: org.dana, role: 'peer' },
    });
    await call(app, 'DELETE', `/v1/programs/${other}/enrollments/${withdrawn.json.id}`, { key: org.key });
    const relationship = await call(app, 'POST', '/v1/relationships', {
      key: org.key,
      body: { programId: prg, personIds: [org.dana, org.sam] },
    });
    expect(relationship.status).toBe(201);

    const res = await call(app, 'GET', '/v1/me', { key: org.token });
    expect(res.status).toBe(200);
    expect(res.json.person.id).toBe(org.dana);
    expect(res.json.enrollments.map((e: { programId: string }) => e.programId)).toEqual([prg]);
    expect(res.json.relationships.map((r: { id: string }) => r.id)).toEqual([relationship.json.id]);

    const ended = await call(app, 'POST', `/v1/relationships/${relationship.json.id}/complete`, {
      key: org.key,
      body: {},
    });
    expect(ended.status, ended.text).toBeLessThan(300);
    expect((await call(app, 'GET', '/v1/me', { key: org.token })).json.relationships).toEqual([]);
    // API keys have no "me".
    expect((await call(app, 'GET', '/v1/me', { key: org.key })).status).toBe(403);
  });

  test('PATCH changes only the documented profile fields; others are 422 naming the field', async () => {
    const org = await organization();
    const ok = await call(app, 'PATCH', '/v1/me', {
      key: org.token,
      body: { skillsWanted: [{ name: 'negotiation' }], timezone: 'Europe/Berlin', interests: ['chess'] },
      headers: { 'if-match': '"1"' },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ version: 2, timezone: 'Europe/Berlin', interests: ['chess'] });
    expect(ok.headers.get('etag')).toBe('"2"');

    const cleared = await call(app, 'PATCH', '/v1/me', { key: org.token, body: { timezone: null } });
    expect(cleared.json.timezone).toBeUndefined();

    for (const field of ['email', 'department', 'status', 'externalIds', 'managerId', 'name']) {
      const refused = await call(app, 'PATCH', '/v1/me', {
        key: org.token,
        body: { [field]: field === 'externalIds' ? { okta: 'x' } : 'x', interests: ['go'] },
      });
      expect(refused.status, field).toBe(422);
      expect(refused.json.errors, field).toEqual([
        { field: `/${field}`, in: 'body', message: expect.stringContaining("organization's") },
      ]);
    }
    const stale = await call(app, 'PATCH', '/v1/me', {
      key: org.token,
      body: { interests: ['late'] },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    const admin = await call(app, 'GET', `/v1/people/${org.dana}`, { key: org.key });
    expect(admin.json).toMatchObject({ interests: ['chess'], version: 3 });
  });
});

describe('self-enrolment', () => {
  test('allowed while the program is enrolling and takes it; 409 otherwise; 404 for unknown programs', async () => {
    const org = await organization();
    const open = await program(org.key, { name: 'Open', selfEnrollment: true }, 'enrolling');
    const closedToSelf = await program(org.key, { name: 'Admins enrol' }, 'enrolling');
    const draft = await program(org.key, { name: 'Draft', selfEnrollment: true });

    const enrolled = await call(app, 'POST', '/v1/me/enrollments', {
      key: org.token,
      body: { programId: open, role: 'peer', goals: ['Learn negotiation'] },
    });
    expect(enrolled.status, enrolled.text).toBe(201);
    expect(enrolled.json).toMatchObject({
      programId: open,
      personId: org.dana,
      role: 'peer',
      status: 'active',
    });
    const again = await call(app, 'POST', '/v1/me/enrollments', {
      key: org.token,
      body: { programId: open, role: 'peer' },
    });
    expect(again.status).toBe(409);

    for (const programId of [closedToSelf, draft]) {
      const refused = await call(app, 'POST', '/v1/me/enrollments', {
        key: org.token,
        body: { programId, role: 'peer' },
      });
      expect(refused.status).toBe(409);
      expect(refused.json.errors[0].field).toBe('/programId');
    }
    const wrongRole = await call(app, 'POST', '/v1/me/enrollments', {
      key: org.token,
      body: { programId: open, role: 'mentor' },
    });
    // The role must fit the format, as for any enrollment.
    expect(wrongRole.status).toBe(422);
    expect(wrongRole.json.errors[0].field).toBe('/role');

    const elsewhere = await newTenant(app);
    const foreign = await program(elsewhere.key, { name: 'Foreign', selfEnrollment: true }, 'enrolling');
    const unknown = await call(app, 'POST', '/v1/me/enrollments', {
      key: org.token,
      body: { programId: foreign, role: 'peer' },
    });
    expect(unknown.status).toBe(404);
    // Another person is not named anywhere in the body: the caller enrols themselves only.
    const someoneElse = await call(app, 'POST', '/v1/me/enrollments', {
      key: org.token,
      body: { programId: open, role: 'peer', personId: org.sam },
    });
    expect(someoneElse.status).toBe(400);
  });

  test('withdraw only your own enrollments', async () => {
    const org = await organization();
    const open = await program(org.key, { name: 'Open', selfEnrollment: true }, 'enrolling');
    const mine = await call(app, 'POST', '/v1/me/enrollments', {
      key: org.token,
      body: { programId: open, role: 'peer' },
    });
    const sams = await call(app, 'POST', `/v1/programs/${open}/enrollments`, {
      key: org.key,
      body: { personId: org.sam, role: 'peer' },
    });
    const notMine = await call(app, 'POST', `/v1/me/enrollments/${sams.json.id}/withdraw`, {
      key: org.token,
    });
    expect(notMine.status).toBe(404);
    const withdrawn = await call(app, 'POST', `/v1/me/enrollments/${mine.json.id}/withdraw`, {
      key: org.token,
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json.status).toBe('withdrawn');
    expect((await call(app, 'GET', '/v1/me', { key: org.token })).json.enrollments).toEqual([]);
    const stillSams = await call(app, 'GET', `/v1/programs/${open}/enrollments/${sams.json.id}`, {
      key: org.key,
    });
    expect(stillSams.json.status).toBe('active');
  });
});

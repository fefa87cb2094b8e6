import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

const app = testApp();

async function setup(format = 'one_to_one', programExtra: Record<string, unknown> = {}) {
  const { key } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Mentoring', format, ...programExtra },
  });
  const person = async (extra: Record<string, unknown> = {}) =>
    (
      await call(app, 'POST', '/v1/people', {
        key,
        body: { name: 'Someone', email: uniqueEmail(), ...extra },
      })
    ).json.id as string;
  const enroll = (body: Record<string, unknown>) =>
    call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, { key, body });
  return { key, programId: program.json.id as string, person, enroll };
}

describe('enrollments', () => {
  test('mentors get the default capacity; profile overrides and preferences are kept', async () => {
    const { key, programId, person, enroll } = await setup();
    const mentorId = await person();
    const mentor = await enroll({ personId: mentorId, role: 'mentor' });
    expect(mentor.status).toBe(201);
    expect(mentor.json).toMatchObject({ role: 'mentor', capacity: 2, status: 'active', programId });
    const mentee = await enroll({
      personId: await person(),
      role: 'mentee',
      goals: ['Learn to negotiate'],
      skillsWanted: [{ name: 'negotiation', targetLevel: 4 }],
      availability: { hoursPerMonth: 4, slots: [{ day: 'tue', start: '09:00', end: '10:00' }] },
      preferences: [mentorId],
    });
    expect(mentee.status).toBe(201);
    expect(mentee.json.preferences).toEqual([mentorId]);
    const program = await call(app, 'GET', `/v1/programs/${programId}`, { key });
    expect(program.json.activeEnrollments).toBe(2);
  });

  test('roles must fit the format; capacity is for mentors; nobody prefers themselves', async () => {
    const { person, enroll } = await setup('peer_pairs');
    const id = await person();
    const wrongRole = await enroll({ personId: id, role: 'mentor' });
    expect(wrongRole.status).toBe(422);
    expect(wrongRole.json.errors[0]).toMatchObject({ field: '/role' });
    const capacity = await enroll({ personId: id, role: 'peer', capacity: 3 });
    expect(capacity.json.errors[0].field).toBe('/capacity');
    const self = await enroll({ personId: id, role: 'peer', preferences: [id] });
    expect(self.json.errors[0].field).toBe('/preferences/0');
    const badSlot = await enroll({
      personId: id,
      role: 'peer',
      availability: { slots: [{ day: 'tue', start: '11:00', end: '10:00' }] },
    });
    expect(badSlot.status).toBe(400);
    expect(badSlot.json.errors[0].field).toBe('/availability/slots/0/end');
  });

  test('one active enrollment per person; withdrawal frees the seat', async () => {
    const { key, programId, person, enroll } = await setup('peer_pairs');
    const id = await person();
    const first = await enroll({ personId: id, role: 'peer' });
    const again = await enroll({ personId: id, role: 'peer' });
    expect(again.status).toBe(409);
    expect(again.json.errors[0].field).toBe('/personId');

    const withdrawn = await call(app, 'DELETE', `/v1/programs/${programId}/enrollments/${first.json.id}`, {
      key,
    });
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', version: 2 });
    expect((await call(app, 'GET', `/v1/programs/${programId}`, { key })).json.activeEnrollments).toBe(0);
    expect((await enroll({ personId: id, role: 'peer' })).status).toBe(201);

    const active = await call(app, 'GET', `/v1/programs/${programId}/enrollments?status=active`, { key });
    expect(active.json.items).toHaveLength(1);
    const history = await call(app, 'GET', `/v1/programs/${programId}/enrollments?personId=${id}`, { key });
    expect(history.json.items.map((e: { status: string }) => e.status)).toEqual(['withdrawn', 'active']);
  });

  test('only active people of the organization can enroll', async () => {
    const { key, person, enroll } = await setup('peer_pairs');
    const leaver = await person();
    await call(app, 'PATCH', `/v1/people/${leaver}`, { key, body: { status: 'left' } });
    const res = await enroll({ personId: leaver, role: 'peer' });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].field).toBe('/personId');
    expect((await enroll({ personId: 'per_01jd5x3n7a8q9w0e1r2t3y4z5v', role: 'peer' })).status).toBe(422);
  });

  test('enrollment closes with the program status and the enrollment window', async () => {
    const { key, programId, person, enroll } = await setup('peer_pairs', {
      enrollmentOpensAt: '2020-01-01T00:00:00Z',
      enrollmentClosesAt: '2021-01-01T00:00:00Z',
    });
    const closed = await enroll({ personId: await person(), role: 'peer' });
    expect(closed.status).toBe(409);
    expect(closed.json.detail).toContain('closed');
    await call(app, 'PATCH', `/v1/programs/${programId}`, {
      key,
      body: { enrollmentOpensAt: null, enrollmentClosesAt: null },
    });
    await call(app, 'POST', `/v1/programs/${programId}/transitions`, { key, body: { to: 'archived' } });
    expect((await enroll({ personId: await person(), role: 'peer' })).json.detail).toContain('archived');
  });

  test('concurrent enrollments never exceed the program capacity', async () => {
    const { key, programId, person, enroll } = await setup('peer_pairs', {
      capacity: { maxParticipants: 5 },
    });
    const people = await Promise.all(Array.from({ length: 12 }, () => person()));
    const results = await Promise.all(people.map((personId) => enroll({ personId, role: 'peer' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const program = await call(app, 'GET', `/v1/programs/${programId}`, { key });
    expect(program.json.activeEnrollments).toBe(5);
    const listed = await call(app, 'GET', `/v1/programs/${programId}/enrollments?limit=100`, { key });
    expect(listed.json.items).toHaveLength(5);
  });

  test('updates change what a participant brings, not who or which role', async () => {
    const { key, programId, person, enroll } = await setup();
    const mentor = await enroll({ personId: await person(), role: 'mentor' });
    const path = `/v1/programs/${programId}/enrollments/${mentor.json.id}`;
    const updated = await call(app, 'PATCH', path, { key, body: { capacity: 4, goals: ['Give back'] } });
    expect(updated.json).toMatchObject({ capacity: 4, goals: ['Give back'], version: 2 });
    expect((await call(app, 'PATCH', path, { key, body: { role: 'mentee' } })).json.errors[0].field).toBe(
      '/role',
    );
    expect(
      (
        await call(app, 'GET', `/v1/programs/${programId}/enrollments/enr_01jd5x3n7a8q9w0e1r2t3y4z5v`, {
          key,
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(app, 'GET', '/v1/programs/prg_01jd5x3n7a8q9w0e1r2t3y4z5v/enrollments', { key })).status,
    ).toBe(404);
  });
  test('preferences name people of this organization only, on create and on update', async () => {
    const { key, programId, person, enroll } = await setup();
    const other = await setup();
    const foreign = await other.person();
    const unknown = 'per_01j0000000000000000000000z';
    const mentorId = await person();
    const refused = await enroll({
      personId: await person(),
      role: 'mentee',
      preferences: [mentorId, foreign, unknown],
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors.map((e: { field: string }) => e.field)).toEqual([
      '/preferences/1',
      '/preferences/2',
    ]);
    const listed = await call(app, 'GET', `/v1/programs/${programId}/enrollments`, { key });
    expect(listed.json.items).toHaveLength(0);

    const mentee = await enroll({ personId: await person(), role: 'mentee', preferences: [mentorId] });
    const patched = await call(app, 'PATCH', `/v1/programs/${programId}/enrollments/${mentee.json.id}`, {
      key,
      body: { preferences: [foreign] },
    });
    expect(patched.status).toBe(422);
    expect(patched.json.errors[0].field).toBe('/preferences/0');
  });
});

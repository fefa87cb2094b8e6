import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

const app = testApp();

const pairsProgram = (overrides: Record<string, unknown> = {}) => ({
  name: 'Cross-team peer mentoring',
  format: 'peer_pairs',
  objectives: ['Break down silos'],
  startDate: '2027-01-10',
  endDate: '2027-06-30',
  ...overrides,
});

async function enrollPeers(key: string, programId: string, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: `Peer ${i}`, email: uniqueEmail() },
    });
    const enrollment = await call(app, 'POST', `/v1/programs/${programId}/enrollments`, {
      key,
      body: { personId: person.json.id, role: 'peer' },
    });
    expect(enrollment.status).toBe(201);
    ids.push(enrollment.json.id);
  }
  return ids;
}

describe('programs', () => {
  test('a new program is a draft with documented defaults', async () => {
    const { key } = await newTenant(app);
    const res = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram() });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      status: 'draft',
      meetingCadence: 'biweekly',
      activeEnrollments: 0,
      capacity: { defaultMentorCapacity: 2 },
      matching: {
        weights: {},
        crossDepartmentOnly: false,
        excludeSameReportingLine: true,
        excludePreviousPartners: true,
        autoPublish: false,
      },
    });
  });

  test('dates, circle sizes and the fixed format are validated', async () => {
    const { key } = await newTenant(app);
    const backwards = await call(app, 'POST', '/v1/programs', {
      key,
      body: pairsProgram({ endDate: '2026-01-01' }),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.json.errors[0].field).toBe('/endDate');
    const circles = await call(app, 'POST', '/v1/programs', {
      key,
      body: pairsProgram({ format: 'circles', capacity: { circleSize: { target: 8, min: 4, max: 6 } } }),
    });
    expect(circles.json.errors[0].field).toBe('/capacity/circleSize/target');
    // Found by the contract fuzz: a denormal weight used to reach DynamoDB and fail there.
    const tinyWeight = await call(app, 'POST', '/v1/programs', {
      key,
      body: pairsProgram({ matching: { weights: { skills: 5e-324 } } }),
    });
    expect(tinyWeight.json.errors[0].field).toBe('/matching/weights/skills');
    const created = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram() });
    const formatChange = await call(app, 'PATCH', `/v1/programs/${created.json.id}`, {
      key,
      body: { format: 'circles' },
    });
    expect(formatChange.status).toBe(400);
    expect(formatChange.json.errors[0].field).toBe('/format');
    const patchBreaksDates = await call(app, 'PATCH', `/v1/programs/${created.json.id}`, {
      key,
      body: { startDate: '2028-01-01' },
    });
    expect(patchBreaksDates.status).toBe(422);
    expect(patchBreaksDates.json.errors[0].field).toBe('/endDate');
  });

  test('updates keep the enrollment counter and bump the version', async () => {
    const { key } = await newTenant(app);
    const created = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram() });
    await enrollPeers(key, created.json.id, 2);
    const patched = await call(app, 'PATCH', `/v1/programs/${created.json.id}`, {
      key,
      headers: { 'if-match': created.headers.get('etag')! },
      body: { description: 'Six months of cross-team learning', matching: { crossDepartmentOnly: true } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      version: 2,
      activeEnrollments: 2,
      matching: { crossDepartmentOnly: true },
    });
  });

  test('PATCH merges nested settings (RFC 7396): untouched members stay, null removes one', async () => {
    const { key } = await newTenant(app);
    const created = await call(app, 'POST', '/v1/programs', {
      key,
      body: pairsProgram({
        matching: {
          crossDepartmentOnly: true,
          weights: { skills: 0.7, goals: 0.2 },
          maxExperienceGapYears: 5,
        },
      }),
    });
    const path = `/v1/programs/${created.json.id}`;
    const published = await call(app, 'PATCH', path, { key, body: { matching: { autoPublish: true } } });
    expect(published.status).toBe(200);
    expect(published.json.matching).toEqual({
      ...created.json.matching,
      autoPublish: true,
    });
    expect(published.json.matching).toMatchObject({
      crossDepartmentOnly: true,
      weights: { skills: 0.7, goals: 0.2 },
    });

    const removed = await call(app, 'PATCH', path, {
      key,
      body: { matching: { weights: { goals: null }, maxExperienceGapYears: null } },
    });
    expect(removed.status).toBe(200);
    const stored = await call(app, 'GET', path, { key });
    expect(stored.json).toEqual(removed.json);
    expect(stored.json.matching).toEqual({
      weights: { skills: 0.7 },
      crossDepartmentOnly: true,
      excludeSameReportingLine: true,
      excludePreviousPartners: true,
      autoPublish: true,
    });
    expect(stored.json.version).toBe(3);

    const required = await call(app, 'PATCH', path, {
      key,
      body: { matching: { crossDepartmentOnly: null } },
    });
    expect(required.status).toBe(400);
    expect(required.json.errors.map((e: { field: string }) => e.field)).toEqual([
      '/matching/crossDepartmentOnly',
    ]);
  });

  test('a PATCH with a bidi override in nested or plain text is refused, naming the field', async () => {
    const { key } = await newTenant(app);
    const created = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram() });
    const path = `/v1/programs/${created.json.id}`;
    for (const [body, field] of [
      [{ description: 'Safe \u202Dtext' }, '/description'],
      [{ objectives: ['One', 'Two\u0000'] }, '/objectives/1'],
      [{ name: 'Mentoring \u2067' }, '/name'],
    ] as const) {
      const res = await call(app, 'PATCH', path, { key, body });
      expect(res.status).toBe(400);
      expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect((await call(app, 'GET', path, { key })).json.version).toBe(1);
  });

  test('the lifecycle only moves along guarded transitions', async () => {
    const { key } = await newTenant(app);
    const { json: program } = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram() });
    const move = (to: string, headers: Record<string, string> = {}) =>
      call(app, 'POST', `/v1/programs/${program.id}/transitions`, { key, body: { to }, headers });

    const skip = await move('active');
    expect(skip.status).toBe(409);
    expect(skip.json.detail).toContain('allowed: enrolling, archived');
    expect((await move('enrolling')).json.status).toBe('enrolling');
    await enrollPeers(key, program.id, 1);
    const tooFew = await move('matching');
    expect(tooFew.status).toBe(409);
    expect(tooFew.json.detail).toContain('at least two');
    await enrollPeers(key, program.id, 1);
    const matching = await move('matching');
    expect(matching.json).toMatchObject({ status: 'matching', version: 3 });
    expect((await move('active', { 'if-match': '"2"' })).status).toBe(412);
    expect((await move('active', { 'if-match': '"3"' })).json.status).toBe('active');
    expect((await move('completed')).json.status).toBe('completed');
    expect((await move('archived')).json.status).toBe('archived');
    expect((await move('enrolling')).status).toBe(409);
  });

  test('only empty drafts are deleted; lists filter by status', async () => {
    const { key } = await newTenant(app);
    const draft = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram({ name: 'Draft' }) });
    const running = await call(app, 'POST', '/v1/programs', { key, body: pairsProgram({ name: 'Running' }) });
    await call(app, 'POST', `/v1/programs/${running.json.id}/transitions`, {
      key,
      body: { to: 'enrolling' },
    });

    const drafts = await call(app, 'GET', '/v1/programs?status=draft', { key });
    expect(drafts.json.items.map((p: { name: string }) => p.name)).toEqual(['Draft']);
    expect((await call(app, 'DELETE', `/v1/programs/${running.json.id}`, { key })).status).toBe(409);
    expect((await call(app, 'DELETE', `/v1/programs/${draft.json.id}`, { key })).status).toBe(204);
    expect((await call(app, 'GET', `/v1/programs/${draft.json.id}`, { key })).status).toBe(404);
  });
});

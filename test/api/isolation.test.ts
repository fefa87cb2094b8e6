import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

const app = testApp();

/** Tenant A with one of everything, and tenant B that must never see any of it. */
async function twoTenants() {
  const a = await newTenant(app, 'Tenant A');
  const b = await newTenant(app, 'Tenant B');
  const person = await call(app, 'POST', '/v1/people', {
    key: a.key,
    body: { name: 'A person', email: uniqueEmail() },
  });
  const program = await call(app, 'POST', '/v1/programs', {
    key: a.key,
    body: { name: 'A program', format: 'peer_pairs' },
  });
  const enrollment = await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
    key: a.key,
    body: { personId: person.json.id, role: 'peer' },
  });
  const apiKey = await call(app, 'POST', '/v1/api-keys', {
    key: a.key,
    body: { name: 'A key', scopes: ['read'] },
  });
  return {
    a,
    b,
    ids: {
      person: person.json.id as string,
      program: program.json.id as string,
      enrollment: enrollment.json.id as string,
      apiKey: apiKey.json.id as string,
    },
  };
}

describe('tenant isolation', () => {
  test("another tenant's ids are 404 on every route, for reads and writes", async () => {
    const { b, ids } = await twoTenants();
    const enrollmentPath = `/v1/programs/${ids.program}/enrollments/${ids.enrollment}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/people/${ids.person}`],
      ['PATCH', `/v1/people/${ids.person}`, { name: 'Hijacked' }],
      ['GET', `/v1/programs/${ids.program}`],
      ['PATCH', `/v1/programs/${ids.program}`, { name: 'Hijacked' }],
      ['POST', `/v1/programs/${ids.program}/transitions`, { to: 'enrolling' }],
      ['DELETE', `/v1/programs/${ids.program}`],
      ['GET', `/v1/programs/${ids.program}/enrollments`],
      ['POST', `/v1/programs/${ids.program}/enrollments`, { personId: ids.person, role: 'peer' }],
      ['GET', enrollmentPath],
      ['PATCH', enrollmentPath, { goals: ['x'] }],
      ['DELETE', enrollmentPath],
      ['GET', `/v1/api-keys/${ids.apiKey}`],
      ['DELETE', `/v1/api-keys/${ids.apiKey}`],
      ['POST', `/v1/api-keys/${ids.apiKey}/rotate`, {}],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(app, method, path, { key: b.key, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
  });

  test("B's own people cannot point at A's people", async () => {
    const { b, ids } = await twoTenants();
    const res = await call(app, 'POST', '/v1/people', {
      key: b.key,
      body: { name: 'B person', email: uniqueEmail(), managerId: ids.person },
    });
    expect(res.status).toBe(422);
  });

  test("lists never leak, and one tenant's cursor is useless to another", async () => {
    const { a, b } = await twoTenants();
    for (const path of ['/v1/people', '/v1/programs', '/v1/api-keys']) {
      const mine = await call(app, 'GET', path, { key: b.key });
      const theirs = await call(app, 'GET', path, { key: a.key });
      const theirIds = new Set(theirs.json.items.map((i: { id: string }) => i.id));
      expect(mine.json.items.some((i: { id: string }) => theirIds.has(i.id))).toBe(false);
    }
    for (let i = 0; i < 2; i++)
      await call(app, 'POST', '/v1/people', { key: a.key, body: { name: 'More', email: uniqueEmail() } });
    const page = await call(app, 'GET', '/v1/people?limit=1', { key: a.key });
    expect(page.json.nextCursor).toBeTruthy();
    const stolen = await call(app, 'GET', `/v1/people?limit=1&cursor=${page.json.nextCursor}`, {
      key: b.key,
    });
    expect(stolen.status).toBe(422);
  });
});

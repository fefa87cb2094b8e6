import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { call, uniqueEmail } from '../support/app.ts';
import { connected, hrisRuntime, sign } from '../support/hris.ts';
import { ERROR, oktaUser, PATCH_OP, uniqueUserName } from './scim-support.ts';

const { app, applied } = hrisRuntime();

const standardEvent = (data: Record<string, unknown>, at = new Date().toISOString()) =>
  JSON.stringify({ type: 'employee.updated', timestamp: at, data });

/** A tenant with an HRIS connection (standard) and a SCIM token, both able to write people. */
async function twoSources() {
  const c = await connected(app, 'standard');
  const issued = await call(app, 'POST', '/v1/scim-token', {
    key: c.key,
    headers: { 'idempotency-key': randomUUID() },
  });
  const token = issued.json.secret as string;
  const scim = (method: string, path: string, body?: unknown) =>
    call(app, method, `/scim/v2${path}`, {
      key: token,
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/scim+json' } } : {}),
    });
  const setSource = (source: string) =>
    call(app, 'PUT', '/v1/people-source', { key: c.key, body: { source } });
  const person = async (id: string) => (await call(app, 'GET', `/v1/people/${id}`, { key: c.key })).json;
  const hrisEmployee = async (data: Record<string, unknown>) => {
    const body = standardEvent(data);
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(202);
    await applied();
  };
  return { ...c, scim, setSource, person, hrisEmployee };
}

describe('the people source setting', () => {
  test('is none until set; an HRIS source must be a connection of the organization; admin only', async () => {
    const t = await twoSources();
    const initial = await call(app, 'GET', '/v1/people-source', { key: t.key });
    expect(initial.status).toBe(200);
    expect(initial.json).toEqual({ source: 'none', version: 0 });
    const unknown = await t.setSource('hris:hrc_01jd5x3n7a8q9w0e1r2t3y4z5v');
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].field).toBe('/source');
    expect((await t.setSource('okta')).status).toBe(400);
    const set = await t.setSource(`hris:${t.id}`);
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ source: `hris:${t.id}`, version: 1 });
    const stale = await call(app, 'PUT', '/v1/people-source', {
      key: t.key,
      body: { source: 'scim' },
      headers: { 'if-match': '"0"' },
    });
    expect(stale.status).toBe(412);
    const readKey = await call(app, 'POST', '/v1/api-keys', {
      key: t.key,
      body: { name: 'reader', scopes: ['read'] },
      headers: { 'idempotency-key': randomUUID() },
    });
    const asReader = await call(app, 'PUT', '/v1/people-source', {
      key: readKey.json.secret,
      body: { source: 'none' },
    });
    expect(asReader.status).toBe(403);
    const events = await call(app, 'GET', '/v1/events?limit=100', { key: t.key });
    expect(events.json.items.map((e: any) => e.type)).toContain('people_source.updated');
  });
});

describe('field sources', () => {
  test('each synced field records who wrote it last: the API, SCIM, an HRIS connection', async () => {
    const t = await twoSources();
    const userName = uniqueUserName('src');
    const created = await t.scim('POST', '/Users', oktaUser(userName, { title: 'Engineer' }));
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await t.person(id)).fieldSources).toEqual({
      name: 'scim',
      email: 'scim',
      title: 'scim',
      status: 'scim',
    });
    const patched = await call(app, 'PATCH', `/v1/people/${id}`, {
      key: t.key,
      body: { location: 'Porto', skillsOffered: [{ name: 'Go', level: 3 }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.fieldSources).toMatchObject({ location: 'api', title: 'scim' });
    await t.hrisEmployee({ externalId: 'H-1', email: userName, name: 'Ada L.', department: 'R&D' });
    expect((await t.person(id)).fieldSources).toEqual({
      name: `hris:${t.id}`,
      email: 'scim',
      title: 'scim',
      department: `hris:${t.id}`,
      location: 'api',
      status: 'scim',
    });
  });
});

describe('with SCIM as the source of truth', () => {
  test('an HRIS change is ignored, visibly in the connection log; the person is unchanged', async () => {
    const t = await twoSources();
    const userName = uniqueUserName('scimsrc');
    const id = (await t.scim('POST', '/Users', oktaUser(userName))).json.id as string;
    expect((await t.setSource('scim')).status).toBe(200);
    const before = await t.person(id);
    await t.hrisEmployee({ externalId: 'H-2', email: userName, name: 'Someone Else', department: 'Ops' });
    await t.hrisEmployee({ externalId: 'H-3', email: uniqueEmail('new'), name: 'New Hire' });
    expect(await t.person(id)).toEqual(before);
    const people = await call(app, 'GET', '/v1/people?limit=100', { key: t.key });
    expect(people.json.items).toHaveLength(1);
    const changes = (await t.log()).filter((e) => e.outcome !== 'accepted');
    expect(changes).toHaveLength(2);
    for (const entry of changes)
      expect(entry).toMatchObject({ outcome: 'ignored', reason: 'people source is scim' });
  });

  test('an admin may not change a synced field (409 naming it) or deprovision, but edits the rest', async () => {
    const t = await twoSources();
    const id = (await t.scim('POST', '/Users', oktaUser())).json.id as string;
    await t.setSource('scim');
    const before = await t.person(id);
    const renamed = await call(app, 'PATCH', `/v1/people/${id}`, {
      key: t.key,
      body: { department: 'Sales', interests: ['chess'] },
    });
    expect(renamed.status).toBe(409);
    expect(renamed.json.errors).toMatchObject([{ field: '/department', message: 'is kept by scim' }]);
    expect(renamed.json.detail).toContain('people source of this organization is scim');
    const left = await call(app, 'PATCH', `/v1/people/${id}`, { key: t.key, body: { status: 'left' } });
    expect(left.status).toBe(409);
    expect(left.json.errors[0].field).toBe('/status');
    const added = await call(app, 'POST', '/v1/people', {
      key: t.key,
      body: { name: 'By Hand', email: uniqueEmail('hand') },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(added.status).toBe(409);
    expect(await t.person(id)).toEqual(before);
    const own = await call(app, 'PATCH', `/v1/people/${id}`, { key: t.key, body: { interests: ['chess'] } });
    expect(own.status).toBe(200);
    expect(own.json.interests).toEqual(['chess']);
    // Writing the same value is no change of a synced field.
    const same = await call(app, 'PATCH', `/v1/people/${id}`, { key: t.key, body: { name: before.name } });
    expect(same.status).toBe(200);
  });
});

describe('with an HRIS connection as the source of truth', () => {
  test('SCIM writes that change synced fields get a SCIM error; the person is unchanged', async () => {
    const t = await twoSources();
    const userName = uniqueUserName('hrissrc');
    const id = (await t.scim('POST', '/Users', oktaUser(userName))).json.id as string;
    expect((await t.setSource(`hris:${t.id}`)).status).toBe(200);
    const before = await t.person(id);

    const create = await t.scim('POST', '/Users', oktaUser());
    expect(create.status).toBe(400);
    expect(create.json).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'mutability' });
    expect(create.json.detail).toContain(`people source of this organization is hris:${t.id}`);

    const deactivate = await t.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(deactivate.status).toBe(400);
    expect(deactivate.json.detail).toContain('status');
    expect((await t.scim('DELETE', `/Users/${id}`)).status).toBe(400);
    expect((await t.scim('GET', `/Users/${id}`)).json.active).toBe(true);
    expect(await t.person(id)).toEqual(before);
    const users = await t.scim('GET', '/Users');
    expect(users.json.totalResults).toBe(1);

    // A push that changes no synced field still lands (an identity provider re-sending the profile).
    const same = await t.scim('PUT', `/Users/${id}`, oktaUser(userName, { locale: 'pt-PT' }));
    expect(same.status).toBe(200);
  });

  test('the source connection applies and deprovisions; another connection is ignored', async () => {
    const t = await twoSources();
    const other = await call(app, 'POST', '/v1/hris-connections', {
      key: t.key,
      body: { provider: 'standard' },
    });
    await t.setSource(`hris:${t.id}`);
    const email = uniqueEmail('src');
    await t.hrisEmployee({ externalId: 'S-1', email, name: 'Sam Source', department: 'Ops' });
    const sam = await t.person(
      (await call(app, 'GET', '/v1/people?limit=10', { key: t.key })).json.items[0].id,
    );
    expect(sam).toMatchObject({ name: 'Sam Source', fieldSources: { name: `hris:${t.id}` } });

    const body = standardEvent({ externalId: 'O-1', email, name: 'Other Name' });
    const posted = await call(app, 'POST', `/v1/hris/${other.json.id}/webhooks`, {
      body,
      headers: { 'content-type': 'application/json', ...sign.standard(body, other.json.secret) },
    });
    expect(posted.status).toBe(202);
    await applied();
    expect((await t.person(sam.id)).name).toBe('Sam Source');
    const otherLog = await call(app, 'GET', `/v1/hris-connections/${other.json.id}/events`, { key: t.key });
    expect(otherLog.json.items[0]).toMatchObject({
      outcome: 'ignored',
      reason: `people source is hris:${t.id}`,
    });

    await t.hrisEmployee({ externalId: 'S-1', employment: 'terminated', terminationDate: '2020-01-01' });
    expect((await t.person(sam.id)).status).toBe('left');
  });
});
